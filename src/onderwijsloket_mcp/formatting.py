"""Shaping results for a language model: compact markdown, absolute links, budgets, paging notes.

Sizes are measured in tokens with the usual proxy of four characters per token.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import InvalidInputError

CHARS_PER_TOKEN = 4
DEFAULT_ANSWER_TOKENS = 1500
MAX_ANSWER_TOKENS = 8000
MAX_QUERY_CHARS = 200

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACE_RE = re.compile(r"\s+")


def approx_tokens(text: str) -> int:
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def site_link(path: object, site_url: str, fallback: str | None = None) -> str | None:
    """Absolute link for an item ``path`` (relative to the public site); ``fallback`` when there is none."""
    if isinstance(path, str):
        path = path.strip()
        if path.startswith(("https://", "http://")):
            return path
        if path.startswith("/") and not path.startswith("//"):
            return site_url.rstrip("/") + path
        if path and re.match(r"^[A-Za-z0-9][A-Za-z0-9/_-]*$", path):
            return site_url.rstrip("/") + "/" + path
    return fallback


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


def md_inline(text: object) -> str:
    """One line of text safe to put inside markdown emphasis or a list item."""
    return clean_text(text).replace("[", "(").replace("]", ")")


def md_link(label: object, url: str | None) -> str:
    text = md_inline(label) or (url or "")
    if not url:
        return text
    return f"[{text}]({url.replace(' ', '%20').replace(')', '%29')})"


def names(items: object, key: str, junction: str | None = None) -> list[str]:
    """Display names from a relation list as Directus returns it (M2M junction rows or plain objects).

    Items the token may not read come back as ``null``: they are skipped.
    """
    out: list[str] = []
    if not isinstance(items, list):
        return out
    for row in items:
        target: Any = row
        if junction is not None and isinstance(row, Mapping):
            target = row.get(junction)
        if isinstance(target, Mapping):
            value = clean_text(target.get(key))
            if value and value not in out:
                out.append(value)
    return out


def related(items: object, junction: str) -> list[Mapping[str, Any]]:
    """Readable target objects from an M2M relation list (junction rows), skipping nulls."""
    out: list[Mapping[str, Any]] = []
    if isinstance(items, list):
        for row in items:
            target = row.get(junction) if isinstance(row, Mapping) else None
            if isinstance(target, Mapping):
                out.append(target)
    return out


def join_nonempty(parts: Iterable[str | None], sep: str = " · ") -> str:
    return sep.join(p for p in parts if p)


def paging_note(*, total: int | None, offset: int, shown: int, limit: int, noun: str = "results") -> str:
    """'Showing 1–5 of 23 results. Next page: call again with offset=5.'"""
    if shown == 0:
        return ""
    text = showing_note(total=total, offset=offset, shown=shown, noun=noun)
    hint = next_page_hint(total=total, offset=offset, shown=shown, limit=limit)
    return f"{text} {hint}" if hint else text


def showing_note(*, total: int | None, offset: int, shown: int, noun: str = "results") -> str:
    """'Showing 1–5 of 23 results.' (the paging fact, without the hint)."""
    first, last = offset + 1, offset + shown
    return (
        f"Showing {noun} {first}–{last}." if total is None else f"Showing {first}–{last} of {total} {noun}."
    )


def next_page_hint(*, total: int | None, offset: int, shown: int, limit: int) -> str | None:
    """The call for the next page ('Next page: call again with offset=5.'), None on the last page."""
    last = offset + shown
    if shown == 0:
        return None
    if total is None:
        return f"There may be more: call again with offset={last}." if shown >= limit else None
    return f"Next page: call again with offset={last}." if last < total else None


def paging_steps(*, total: int | None, offset: int, shown: int, limit: int) -> list[str]:
    """The paging call a list answer suggests: the next page, or a valid offset when this one is past the end."""
    if shown == 0 and total and offset >= total:
        return [offset_past_end_hint(total)]
    hint = next_page_hint(total=total, offset=offset, shown=shown, limit=limit)
    return [hint] if hint else []


def offset_past_end(*, total: int, offset: int, noun: str = "results") -> str:
    return f"No {noun} at offset={offset}: there are only {total} in total. {offset_past_end_hint(total)}"


def offset_past_end_hint(total: int) -> str:
    return f"Use an offset below {total} (offset=0 for the first page)."


def cap_answer(text: str, max_tokens: int = MAX_ANSWER_TOKENS) -> str:
    """Hard cap on any answer: cut at a line boundary and say so."""
    limit = max_tokens * CHARS_PER_TOKEN
    if len(text) <= limit:
        return text
    cut = text.rfind("\n", 0, limit - 200)
    if cut < limit // 2:
        cut = limit - 200
    return text[:cut].rstrip() + "\n\n[Answer cut to stay within the size budget; ask for fewer results.]"


def render_blocks(blocks: Sequence[str | None]) -> str:
    """Join markdown blocks with blank lines, dropping empty ones."""
    return "\n\n".join(b.strip() for b in blocks if b and b.strip())
