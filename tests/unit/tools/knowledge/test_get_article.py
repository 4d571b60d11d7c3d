"""get_article's paging on its own (no stack): where a page starts, where it is cut, the call for the next one,
a whole article item turned into its pages, and a long list of related FAQs counted."""

from __future__ import annotations

from typing import Any

import pytest

from onderwijsloket_mcp.errors import InvalidInputError
from onderwijsloket_mcp.tools.knowledge.get_article import (
    FaqRef,
    Page,
    _related_faqs_section,
    article_answer,
    cut_page,
    find_section,
    headings,
    next_page_step,
    page_footer,
    page_start,
)

SITE = "https://onderwijsloket.com"
BODY = "## Intro\n\nEerste alinea.\n\n## Salaris\n\nTekst over salaris.\n\n### Salaris mbo\n\nMeer.\n"


def test_headings_have_their_offsets_and_code_fences_hold_none() -> None:
    found = headings(BODY + "```\n# not a heading\n```\n")
    assert [(h.title, h.level, BODY[h.offset : h.offset + 2]) for h in found] == [
        ("Intro", 2, "##"),
        ("Salaris", 2, "##"),
        ("Salaris mbo", 3, "##"),
    ]
    assert [h.title for h in find_section(found, "salaris")] == ["Salaris"]  # exact before prefix
    assert [h.title for h in find_section(found, "mbo")] == ["Salaris mbo"]  # then a substring


def test_a_page_starts_at_a_section_an_offset_or_the_beginning() -> None:
    found = headings(BODY)
    assert page_start(BODY, found, None, 0) == (0, [])
    assert page_start(BODY, found, None, 7) == (7, [])
    start, notes = page_start(BODY, found, "sal", 0)
    assert BODY[start:].startswith("## Salaris\n") and "2 headings match 'sal'" in notes[0]
    with pytest.raises(InvalidInputError, match="no section 'Pensioen'. Its sections: 'Intro'"):
        page_start(BODY, found, "Pensioen", 0)
    with pytest.raises(InvalidInputError, match="past the end"):
        page_start(BODY, found, None, len(BODY))


def test_a_page_is_cut_at_a_boundary_and_the_next_one_starts_after_the_gap() -> None:
    page = cut_page(BODY, 0, 30)
    assert page.markdown == "## Intro\n\nEerste alinea." and page.end == len(page.markdown)
    assert page.next_offset == BODY.index("## Salaris\n")
    whole = cut_page(BODY, page.next_offset or 0, 10_000)
    assert whole.next_offset is None and whole.end == len(BODY)


def test_the_next_page_step_names_the_call_and_the_sections_to_come() -> None:
    found = headings(BODY)
    page = cut_page(BODY, 0, 30)
    step = next_page_step("a1", page, found)
    assert step is not None
    assert step.startswith(f'For the rest, call get_article(id_or_slug="a1", offset={page.next_offset}).')
    assert "Sections still to come:" in step and "'Salaris' (offset=" in step
    assert page_footer(page, len(BODY), step).startswith("_[Article continues: characters 0–")
    last = Page(start=20, end=len(BODY), markdown=BODY[20:], next_offset=None)
    assert next_page_step("a1", last, found) is None
    assert page_footer(last, len(BODY), None) == "_[End of the article.]_"
    assert page_footer(Page(0, len(BODY), BODY, None), len(BODY), None) == ""


def paragraph(text: str) -> dict[str, Any]:
    return {"type": "paragraph", "content": [{"type": "text", "text": text}]}


def test_a_long_article_comes_in_pages_that_join_up_to_the_whole_body() -> None:
    body = {"type": "doc", "content": [paragraph(f"Alinea {n}: " + "woord " * 60) for n in range(200)]}
    item = {"id": "a1", "title": "Lang", "slug": "lang", "path": "/kennisbank/artikelen/lang", "body": body}
    pages: list[str] = []
    offset = 0
    while True:
        doc, markdown = article_answer(item, SITE, None, offset)
        assert doc.link == SITE + "/kennisbank/artikelen/lang" and doc.slug is None
        pages.append(doc.body_markdown)
        assert (doc.next_offset is None) == (not doc.next_steps)
        if doc.next_offset is None:
            assert markdown.rstrip().endswith("_[End of the article.]_")
            break
        assert doc.sections == [] and f"offset={doc.next_offset}" in markdown
        offset = doc.next_offset
    assert len(pages) > 2
    # Together the pages are the whole body: every paragraph once, in order, nothing cut or repeated.
    assert "\n\n".join(pages) == "\n\n".join((f"Alinea {n}: " + "woord " * 60).strip() for n in range(200))


def test_related_faqs_too_many_to_list_are_counted() -> None:
    faqs = [
        FaqRef(id=str(n), question=f"Vraag nummer {n} over een onderwerp met een lange naam?")
        for n in range(400)
    ]
    text = _related_faqs_section(faqs)
    assert text.startswith("## Related FAQs (400)\n")
    assert "_25 of 400 related FAQs listed above; the other 375:_" in text
    listed = text.count("Vraag nummer")
    assert 25 < listed < 400
    assert (
        f"and {400 - listed} more, not listed here for length (structuredContent.related_faqs has all 400)"
        in text
    )
    few = _related_faqs_section(faqs[:3])
    assert few.startswith("## Related FAQs\n- Vraag nummer 0") and "of 3" not in few
