"""Rendering for a language model: markdown (the one link escaper, the budgets), the one URL policy, and
Onderwijsloket's rich text. Pure functions: nothing here reads from upstream."""
