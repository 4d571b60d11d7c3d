"""Ranking a question against the knowledge base: the ranker and the domain vocabulary it reads.

Pure computation over text (no I/O): both search backends feed it, Directus the whole list and Algolia its
candidates.
"""
