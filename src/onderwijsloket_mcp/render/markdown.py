"""Markdown for a language model: compact blocks, safe inline text and links, and the size budgets.

Sizes are measured in tokens with the usual proxy of four characters per token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ..text import clean_text

CHARS_PER_TOKEN = 4
DEFAULT_ANSWER_TOKENS = 1500
MAX_ANSWER_TOKENS = 8000


def approx_tokens(text: str) -> int:
    return (len(text) + CHARS_PER_TOKEN - 1) // CHARS_PER_TOKEN


def md_inline(text: object) -> str:
    """One line of text safe to put inside markdown emphasis or a list item."""
    return clean_text(text).replace("[", "(").replace("]", ")")


def md_url(url: str) -> str:
    """``url`` with the few characters percent-encoded that would end a markdown link or a table cell early."""
    for char, code in (("(", "%28"), (")", "%29"), ("<", "%3C"), (">", "%3E"), ("|", "%7C"), (" ", "%20")):
        url = url.replace(char, code)
    return url


def md_link(label: str, url: str | None) -> str:
    """``[label](url)``: the label's brackets escaped, the URL's link-ending characters encoded. Without a URL,
    the label alone. The label is markdown already (plain text goes through :func:`md_inline` first)."""
    if not url:
        return label
    escaped = label.replace("[", "\\[").replace("]", "\\]")
    return f"[{escaped}]({md_url(url)})"


def join_nonempty(parts: Iterable[str | None], sep: str = " · ") -> str:
    return sep.join(p for p in parts if p)


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
