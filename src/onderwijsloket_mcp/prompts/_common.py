"""What the prompts share: repeating what the person already told, and where to look for programmes and a desk."""

from __future__ import annotations

from ..text import clean_text

MAX_ARGUMENT_CHARS = 500


def told(*given: tuple[str, str]) -> list[str]:
    """A line ``- Label: value`` for each (label, argument) the person filled in, cleaned and shortened."""
    lines: list[str] = []
    for label, value in given:
        text = clean_text(value)[:MAX_ARGUMENT_CHARS]
        if text:
            lines.append(f"- {label}: {text}")
    return lines


def where(place: str) -> str:
    """How to find the place for programmes nearby and the regional desk."""
    if clean_text(place):
        return "Use the place they gave"
    return "Ask where they live or would like to study (a place name or postcode) if they want this"
