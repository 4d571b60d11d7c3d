"""Text from the API or from a user, made safe to compare and to show: cleaned, folded, checked.

With the configuration and the errors, the foundation: every layer above reads text through these.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import InvalidInputError

MAX_QUERY_CHARS = 200

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACE_RE = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Text from the API or a user: control characters removed, whitespace collapsed."""
    if not isinstance(value, str):
        return ""
    return _SPACE_RE.sub(" ", _CONTROL_RE.sub(" ", value)).strip()


def clean_query(
    value: str | None, *, required: bool, name: str = "query", max_chars: int = MAX_QUERY_CHARS
) -> str:
    """Normalise a search query; empty when optional and absent; errors say what to send instead."""
    text = clean_text(value or "")
    if not text:
        if required:
            raise InvalidInputError(
                f"'{name}' is empty. Give a few Dutch keywords, for example 'salaris leraar' or 'zij-instroom'."
            )
        return ""
    if len(text) > max_chars:
        raise InvalidInputError(
            f"'{name}' is {len(text)} characters long; the limit is {max_chars}. Use a few keywords instead "
            "of a whole text, for example 'pabo deeltijd' or 'bevoegdheid tweedegraads'."
        )
    return text


def fold(text: str) -> str:
    """Lower-case, diacritics removed, punctuation to spaces: for forgiving comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE_RE.sub(" ", re.sub(r"[^0-9a-z]+", " ", stripped.casefold())).strip()
