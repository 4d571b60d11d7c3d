"""Turning a Dutch free-text query into Directus filters that find what a person means.

Directus ``search`` only looks at string columns and matches the whole query as one substring, so
"opleiding naast baan" would find nothing when the words are not adjacent. We split the query into
significant words and require each one to appear somewhere (question, title, topic names, ...).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .formatting import fold

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
    words: list[str] = []
    for match in _WORD_RE.finditer(query.lower()):
        word = match.group(0).strip("-'")
        if len(word) < 2 or word in DUTCH_STOPWORDS:
            continue
        word = _stem(word)
        if word not in words:
            words.append(word)
    if not words:
        # Only stopwords ("wat is het?"): fall back to the longest word so something is searched.
        candidates = sorted((m.group(0) for m in _WORD_RE.finditer(query.lower())), key=len, reverse=True)
        words = candidates[:1]
    return words[:MAX_TERMS]


def _stem(word: str) -> str:
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


def any_term_filter(terms: Sequence[str], fields: Sequence[str]) -> dict[str, Any]:
    return {"_or": [_icontains(field, term) for term in terms for field in fields]}


def _icontains(path: str, term: str) -> dict[str, Any]:
    node: dict[str, Any] = {"_icontains": term}
    for part in reversed(path.split(".")):
        node = {part: node}
    return node


def score(text_by_weight: Sequence[tuple[float, str]], terms: Sequence[str], phrase: str) -> float:
    """Relevance for ranking matches locally: weighted term hits, plus a bonus for the whole phrase."""
    total = 0.0
    folded_phrase = fold(phrase)
    for weight, text in text_by_weight:
        folded = fold(text)
        for term in terms:
            if fold(term) in folded:
                total += weight
        if folded_phrase and folded_phrase in folded:
            total += 2 * weight
    return total
