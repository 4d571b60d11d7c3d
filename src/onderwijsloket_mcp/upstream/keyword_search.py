"""Keyword search where no index is kept (programmes: too many to read whole): the significant words of a
query, and a Directus filter that asks for every word somewhere in the given fields."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

# Function words that carry no meaning for matching (kept short on purpose: content words must stay).
_STOPWORD_TEXT = """
    de het een en of ik je jij u we wij ze zij hij mijn jouw uw ons onze is ben bent zijn was waren word wordt
    worden kan kun kunt kunnen mag mogen moet moeten wil wilt willen zal zou zouden heb hebt heeft hebben
    had te ten ter van voor in op aan bij met naar om uit als dan dat die dit deze wat wie waar hoe hoeveel
    welk welke wanneer waarom er nog ook al niet geen wel maar dus zo toch even veel meer mijn me mij
    a an the of to in for on is are how what do does can i my with as at by be
    """
DUTCH_STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_WORD_RE = re.compile(r"[0-9a-zà-ÿ]+(?:[-'][0-9a-zà-ÿ]+)*", re.IGNORECASE)

MAX_TERMS = 8


def query_terms(query: str) -> list[str]:
    """Significant words of a query, lower-cased, in order, without duplicates (max ``MAX_TERMS``).

    Diacritics are kept (Directus compares them literally); a light Dutch plural strip lets
    "opleidingen" find "opleiding" and "subsidies" find "subsidie".
    """
    terms: list[str] = []
    for match in _WORD_RE.finditer(query.lower()):
        word = match.group(0).strip("-'")
        if len(word) < 2 or word in DUTCH_STOPWORDS:
            continue
        word = _strip_plural(word)
        if word not in terms:
            terms.append(word)
    if not terms:
        # Only stopwords ("wat is het?"): fall back to the longest word so something is searched.
        candidates = sorted((m.group(0) for m in _WORD_RE.finditer(query.lower())), key=len, reverse=True)
        terms = candidates[:1]
    return terms[:MAX_TERMS]


def _strip_plural(word: str) -> str:
    if len(word) >= 7 and word.endswith("ies"):
        return word[:-1]  # subsidies -> subsidie
    if len(word) >= 8 and word.endswith("en") and not word.endswith("ieen"):
        return word[:-2]  # opleidingen -> opleiding, bevoegdheden -> bevoegdhed (still a prefix)
    if len(word) >= 6 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def all_terms_filter(terms: Sequence[str], fields: Sequence[str]) -> dict[str, Any]:
    """Every term must occur (case-insensitively) in at least one of ``fields`` (dot paths allowed)."""
    return {"_and": [{"_or": [_icontains(field, term) for field in fields]} for term in terms]}


def _icontains(path: str, term: str) -> dict[str, Any]:
    node: dict[str, Any] = {"_icontains": term}
    for part in reversed(path.split(".")):
        node = {part: node}
    return node
