"""Does what a model sees hold the whole answer?

"The whole answer" is the markdown text block: whatever a client shows the model instead (pydantic-ai and
openai-agents with ``use_structured_content`` show structuredContent) must hold every fact and every hint of
it. ``missing_facts`` checks that without knowing any tool: every link, every call the markdown suggests
(``name(...)``, ``offset=10``) and every word must occur in what the model sees, except the words the markdown
only uses to lay facts out (``PRESENTATION``).
"""

from __future__ import annotations

import json
import re
from typing import Any

# Words the markdown uses to lay facts out (headings, labels, connecting words, units, a flag said in words),
# not facts of their own.
PRESENTATION = frozenset(
    {
        "activities",
        "all",
        "are",
        "article",
        "articles",
        "as",
        "at",
        "book",
        "by",
        "consultations",
        "continued",
        "continues",
        "faqs",
        "first",
        "for",
        "found",
        "from",
        "in",
        "km²",
        "mail",
        "month",
        "more",
        "most",
        "nearest",
        "needed",
        "no",
        "of",
        "offered",
        "only",
        "page",
        "programmes",
        "regioloketten",
        "resolved",
        "section",
        "serving",
        "showing",
        "shown",
        "step",
        "study",
        "the",
        "there",
        "these",
        "this",
        "with",
        "within",
        "yes",
    }
)

_URL = re.compile(r"https?://[^\s)\]>\"'`]+")
_CALL = re.compile(r"\b[a-z][a-z_]*\([^()]*\)|\b[a-z][a-z_]*=[^\s,;:)]+")
_WORD = re.compile(r"[^\W_]+")


def _json_text(value: Any) -> str:
    """Every string, number and key of JSON data (keys split at '_'), one per line."""
    if isinstance(value, dict):
        return "\n".join(f"{key.replace('_', ' ')}\n{_json_text(inner)}" for key, inner in value.items())
    if isinstance(value, list):
        return "\n".join(_json_text(inner) for inner in value)
    return "" if value is None else str(value)


def seen_text(seen: Any) -> str:
    """What a model reads, as text: JSON (a dict, or a string holding JSON) is reduced to its values."""
    if isinstance(seen, str):
        try:
            seen = json.loads(seen)
        except ValueError:
            return seen
    return seen if isinstance(seen, str) else _json_text(seen)


def _holds_call(text: str, call: str) -> bool:
    """The call as written, or (for ``name=value``) the value under that name in JSON data."""
    name, equals, value = call.partition("=")
    return call in text or (bool(equals) and "(" not in name and f"{name.replace('_', ' ')}\n{value}" in text)


def missing_facts(markdown: str, seen: Any) -> list[str]:
    """The links, calls and words of ``markdown`` that ``seen`` (what the model reads) does not hold."""
    text = seen_text(seen)
    missing = [url for url in _URL.findall(markdown) if url.rstrip(".,") not in text]
    without_urls = _URL.sub(" ", markdown)
    missing += [call for call in _CALL.findall(without_urls) if not _holds_call(text, call.rstrip("."))]
    words = {w.casefold() for w in _WORD.findall(_URL.sub(" ", text))}
    missing += sorted(
        {
            word
            for word in (w.casefold() for w in _WORD.findall(without_urls))
            if len(word) > 1 and word not in words and word not in PRESENTATION
        }
    )
    return missing
