"""The search evaluation set: its files and question types, shared by its tests and benchmarks/search_quality.py."""

from pathlib import Path

QUESTIONS = Path(__file__).with_name("questions.json")
HELD_OUT = Path(__file__).with_name("heldout.json")
# In the order the benchmark reports them.
TYPES = (
    "exact",
    "paraphrase",
    "synonym",
    "compound",
    "typo",
    "no_diacritics",
    "conversational",
    "short",
    "english",
    "hard_negative",
)
