"""get_article: one knowledge-base article in full, as markdown, in pages (reference §2.1).

The body is rendered whole, then shown from a start (a character ``offset``, or the heading of a
``section``) up to a budget, cut at a natural boundary, with the exact call for the next page: a fetch-style
continuation. The first page also has the article's facts and references. Turning an article item into the
answer is pure (:func:`article_answer`, over the paging helpers :func:`page_start`, :func:`cut_page` and
:func:`next_page_step`); the handler checks its arguments and reads the item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from ... import taxonomy
from ...errors import InvalidInputError, NotFoundError, PermissionDeniedError
from ...render.links import absolute_link, cloudinary_url
from ...render.markdown import CHARS_PER_TOKEN, cap_answer, join_nonempty, md_inline, md_link, render_blocks
from ...render.richtext import (
    RELATED_ITEM_FIELDS,
    editor_node_fields,
    render_markdown,
    render_one_line,
    truncate_markdown,
)
from ...services import Services
from ...text import clean_text, fold
from ...upstream.directus import missing_token_error, related
from ...upstream.query import Query, all_but_root
from .._common import NextSteps, Notes, Tool, tool_result
from ._articles import ARTICLE_TAXONOMIES, SLUG_RE, article_link, shown_slug
from ._search import as_date

# The whole article: root columns plus the documented relational paths (reference §2.1).
ARTICLE_RELATION_FIELDS = (
    "authors.authors_id.id",
    "authors.authors_id.first_name",
    "authors.authors_id.name",
    "authors.authors_id.job_title",
    "sources.sources_id.id",
    "sources.sources_id.title",
    "sources.sources_id.description",
    "sources.sources_id.url",
    "documents.documents_id.id",
    "documents.documents_id.title",
    "documents.documents_id.description",
    "documents.documents_id.asset.id",
    "documents.documents_id.asset.type",
    "documents.documents_id.asset.filesize",
    "faqs.faqs_id.id",
    "faqs.faqs_id.question",
    *(f for name in ARTICLE_TAXONOMIES for f in taxonomy.relation_fields(name)),
)
# Directus returns at most QUERY_LIMIT_DEFAULT (100) rows of a nested list unless told otherwise, which would
# silently cut an article's related FAQs, sources or documents.
LIST_RELATIONS_DEEP = {name: {"_limit": -1} for name in ("faqs", "sources", "documents")}
# Related-content lists may point at navigator collections; a token without that policy gets these only.
CONTENT_ONLY_RELATED = tuple(c for c in RELATED_ITEM_FIELDS if c in ("articles", "sectors"))

# The body of one page stays within this many tokens; the whole answer within MAX_ANSWER_TOKENS.
ARTICLE_BODY_TOKENS = 6000
# ... and never below this many characters, however long the references of the first page are.
MIN_BODY_CHARS = 4000
MAX_LIST_ITEMS = 25
# Related FAQs past the first MAX_LIST_ITEMS are listed on one line, up to about this many characters.
RELATED_FAQS_MORE_CHARS = 5000
# A page of a long article lists this many of the later sections; the structured result up to MAX_SECTIONS.
SECTIONS_NOTED = 12
MAX_SECTIONS = 50

RELATED_FAQ_STEP = "For an answer, call search_faq with the question."

_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")


class SourceRef(BaseModel):
    title: str
    url: str | None = None
    description: str | None = None


class DocumentRef(BaseModel):
    title: str
    url: str | None = None
    type: str | None = None
    size: str | None = Field(default=None, description="File size, e.g. '240 KB'.")
    description: str | None = None


class FaqRef(BaseModel):
    id: str
    question: str


class ArticleDocument(BaseModel):
    """Structured companion of get_article: the same page of the body, references and continuation."""

    id: str
    title: str
    slug: str | None = Field(default=None, description="Only when the link does not end with it.")
    link: str
    summary: str | None = Field(default=None, description="The article's introduction (first page only).")
    updated: str | None = Field(default=None, description="Date of the last update, else of publication.")
    authors: list[str] = Field(default_factory=list)
    english: bool = False
    taxonomy: dict[str, list[str]] = Field(default_factory=dict)
    body_markdown: str = Field(
        default="", description="The body from character `start` to `end` (all of it unless next_offset)."
    )
    body_characters: int = Field(description="Length of the whole rendered body (markdown characters).")
    start: int = Field(default=0, description="Character offset where the body shown here starts.")
    end: int = Field(description="Character offset where the body shown here ends.")
    next_offset: int | None = Field(
        default=None,
        description="Call get_article again with this offset for the rest; absent when complete.",
    )
    sections: list[str] = Field(default_factory=list, description="Top-level headings of the body.")
    sources: list[SourceRef] = Field(default_factory=list)
    documents: list[DocumentRef] = Field(default_factory=list)
    related_faqs: list[FaqRef] = Field(
        default_factory=list,
        description="Every related FAQ this token may read (the text lists the first ones).",
    )
    notes: Notes = Field(default_factory=list)
    next_steps: NextSteps = Field(default_factory=list)


# -- the body's outline ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    offset: int
    level: int
    title: str


def headings(markdown: str) -> list[Heading]:
    """Markdown headings with their character offsets (headings inside code fences are not headings)."""
    found: list[Heading] = []
    position = 0
    fenced = False
    for line in markdown.split("\n"):
        stripped = line.strip()
        if stripped.startswith("```"):
            fenced = not fenced
        elif not fenced:
            match = _HEADING_RE.match(line)
            if match:
                title = clean_text(match.group(2).replace("**", "").replace("__", ""))
                if title:
                    found.append(Heading(position, len(match.group(1)), title))
        position += len(line) + 1
    return found


def top_sections(found: Sequence[Heading]) -> list[Heading]:
    if not found:
        return []
    top = min(h.level for h in found)
    return [h for h in found if h.level == top]


def find_section(found: Sequence[Heading], wanted: str) -> list[Heading]:
    """Headings matching ``wanted``: exact (folded), else prefix, else substring."""
    key = fold(wanted)
    if not key:
        return []
    folded = [(fold(h.title), h) for h in found]
    for matches in (
        [h for title, h in folded if title == key],
        [h for title, h in folded if title.startswith(key)],
        [h for title, h in folded if key in title],
    ):
        if matches:
            return matches
    return []


def heading_at(found: Sequence[Heading], offset: int) -> str:
    """The title of the heading that starts at ``offset`` ("" when none does)."""
    for heading in found:
        if heading.offset == offset:
            return heading.title
    return ""


# -- paging (pure) ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """One page of the body: characters ``start`` to ``end``, and where the next page starts (None: the end)."""

    start: int
    end: int
    markdown: str
    next_offset: int | None


def page_start(
    body: str, found: Sequence[Heading], section: str | None, offset: int
) -> tuple[int, list[str]]:
    """Where the page starts (a section's heading, a character offset, else 0), with a note when several
    sections match; a section or offset the body does not have raises InvalidInputError saying what it has."""
    if section is not None and clean_text(section):
        matches = find_section(found, section)
        if not matches:
            top = top_sections(found)
            listing = ", ".join(f"'{h.title}'" for h in top[:40]) or "none (the article has no headings)"
            more = " (and their subsections)" if len(top) < len(found) else ""
            raise InvalidInputError(
                f"The article has no section '{clean_text(section)[:80]}'. Its sections: {listing}{more}."
            )
        notes: list[str] = []
        if len(matches) > 1:
            others = ", ".join(f"offset={h.offset}" for h in matches[1:8])
            notes.append(
                f"{len(matches)} headings match '{clean_text(section)[:80]}'; this is the first. "
                f"The others start at {others}."
            )
        return matches[0].offset, notes
    if offset and offset >= len(body):
        raise InvalidInputError(
            f"offset={offset} is past the end of this article: its body has {len(body)} characters. "
            "Use a smaller offset, or leave it out to read from the start."
        )
    return offset, []


def cut_page(body: str, start: int, budget: int) -> Page:
    """The body from ``start``, cut within ``budget`` characters at a natural boundary (never in a link)."""
    markdown, cut = truncate_markdown(body[start:], budget)
    end = start + len(markdown)
    next_offset = _next_start(body, end) if cut else None
    return Page(
        start, end, markdown, next_offset if next_offset is not None and next_offset < len(body) else None
    )


def _next_start(body: str, position: int) -> int:
    while position < len(body) and body[position].isspace():
        position += 1
    return position


def next_page_step(article_id: str, page: Page, found: Sequence[Heading]) -> str | None:
    """The exact call for the next page, with the sections still to come; None on the last page."""
    if page.next_offset is None:
        return None
    return (
        f'For the rest, call get_article(id_or_slug="{article_id}", offset={page.next_offset}).'
        + _sections_note(found, page.end)
    )


def _sections_note(found: Sequence[Heading], after: int) -> str:
    later = [h for h in top_sections(found) if h.offset >= after]
    if not later:
        return ""
    shown = ", ".join(f"'{md_inline(h.title)}' (offset={h.offset})" for h in later[:SECTIONS_NOTED])
    more = f" and {len(later) - SECTIONS_NOTED} more" if len(later) > SECTIONS_NOTED else ""
    return f" Sections still to come: {shown}{more}."


def page_footer(page: Page, body_characters: int, step: str | None) -> str:
    """What follows the body: where it continues, that it ended (a later page), or nothing (all of it)."""
    if step is not None:
        return f"_[Article continues: characters {page.start}–{page.end} of {body_characters} shown. {step}]_"
    return "_[End of the article.]_" if page.start else ""


# -- reading the article ------------------------------------------------------------------------------------


def _identifier(value: str) -> tuple[Literal["id", "slug"], str]:
    """An id, a slug, or a URL/path whose last segment is the slug (query and fragment ignored)."""
    text = clean_text(value)
    if any(c in text for c in "/?#"):
        path = urlsplit(text).path if "://" in text else re.split(r"[?#]", text, maxsplit=1)[0]
        segments = [s for s in path.split("/") if s]
        text = segments[-1] if segments else ""
    if _UUID_RE.match(text):
        return "id", text.lower()
    return "slug", text


def _not_found(value: str) -> NotFoundError:
    shown = clean_text(value)[:120]
    return NotFoundError(
        f"Article '{shown}' was not found or not permitted: no published article has this id or slug, or "
        "this token may not read it (Directus answers the same for both). Use an ID or slug exactly as "
        "search_articles shows it, or search with search_articles first."
    )


async def fetch_article(svc: Services, value: str) -> dict[str, Any]:
    kind, ident = _identifier(value)
    if not ident or (kind == "slug" and not SLUG_RE.match(ident)):
        raise _not_found(value)
    match: dict[str, Any] = {kind: {"_eq": ident}}
    narrow_key = (svc.directus.token_tag, "articles", "content-only editor nodes")
    variants: list[tuple[str, ...] | None] = [None, CONTENT_ONLY_RELATED]
    if svc.directus.cache.get(narrow_key):
        variants = [CONTENT_ONLY_RELATED]
    for related_collections in variants:
        fields = (
            "*",
            *ARTICLE_RELATION_FIELDS,
            *editor_node_fields(related_collections=related_collections),
        )
        try:
            response = await svc.directus.items(
                "articles",
                Query(fields=fields, filter=match, limit=1, deep=LIST_RELATIONS_DEEP),
                optional=all_but_root(fields),
            )
        except PermissionDeniedError:
            if related_collections is None:
                # Related-content lists may point at navigator items this token may not read.
                svc.directus.cache.set(narrow_key, True)
                continue
            raise _not_found(value) from None
        if not response.data:
            raise _not_found(value)
        return response.data[0]
    raise _not_found(value)  # pragma: no cover - the loop always returns or raises


def _author(row: Mapping[str, Any]) -> str:
    first = clean_text(row.get("first_name"))
    name = clean_text(row.get("name"))
    full = name if first and name.startswith(first) else join_nonempty([first, name], " ")
    job = clean_text(row.get("job_title"))
    return f"{full} ({job})" if full and job else full


def _size(value: object) -> str | None:
    try:
        size = int(str(value))
    except (TypeError, ValueError):
        return None
    if size <= 0:
        return None
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


_TYPE_LABELS = {
    "application/pdf": "PDF",
    "text/plain": "text",
    "application/zip": "ZIP",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
}


def _document(row: Mapping[str, Any]) -> tuple[DocumentRef, str] | None:
    title = clean_text(row.get("title"))
    asset = row.get("asset")
    file_id = asset.get("id") if isinstance(asset, Mapping) else asset
    mime = clean_text(asset.get("type")).lower() if isinstance(asset, Mapping) else ""
    kind: Literal["image", "video", "raw"] = "raw"
    if mime.startswith("image/"):
        kind = "image"
    elif mime.startswith(("video/", "audio/")):
        kind = "video"  # Cloudinary delivers audio under "video"
    url = cloudinary_url(file_id, kind) if isinstance(file_id, str) else ""
    label = _TYPE_LABELS.get(mime) or (mime.split("/")[-1].upper() if mime else None)
    if not title and not url:
        return None
    size = _size(asset.get("filesize")) if isinstance(asset, Mapping) else None
    details = join_nonempty([label, size], ", ")
    description = clean_text(row.get("description"))
    line = md_link(md_inline(title or "Document"), url or None)
    if details:
        line += f" ({details})"
    if description:
        line += f" — {description}"
    ref = DocumentRef(
        title=title or "Document", url=url or None, type=label, size=size, description=description or None
    )
    return ref, line


def _reference_sections(
    item: Mapping[str, Any], site_url: str
) -> tuple[list[str], list[SourceRef], list[DocumentRef], list[FaqRef]]:
    blocks: list[str] = []
    sources: list[SourceRef] = []
    lines: list[str] = []
    for row in related(item.get("sources"), "sources_id"):
        title = clean_text(row.get("title"))
        raw_url = row.get("url")
        url = absolute_link(raw_url, site_url) if isinstance(raw_url, str) else None
        if not title and not url:
            continue
        description = clean_text(row.get("description"))
        sources.append(SourceRef(title=title or (url or ""), url=url, description=description or None))
        lines.append(
            "- " + md_link(md_inline(title) or url or "", url) + (f" — {description}" if description else "")
        )
    if lines:
        blocks.append("## Sources\n" + "\n".join(_capped(lines, "sources")))
    documents: list[DocumentRef] = []
    lines = []
    for row in related(item.get("documents"), "documents_id"):
        made = _document(row)
        if made is not None:
            documents.append(made[0])
            lines.append("- " + made[1])
    if lines:
        blocks.append("## Documents\n" + "\n".join(_capped(lines, "documents")))
    faqs = [
        FaqRef(id=str(row["id"]), question=question)
        for row in related(item.get("faqs"), "faqs_id")
        if row.get("id") is not None and (question := clean_text(row.get("question")))
    ]
    if faqs:
        blocks.append(_related_faqs_section(faqs))
    return blocks, sources, documents, faqs


def _capped(lines: list[str], noun: str) -> list[str]:
    """The first MAX_LIST_ITEMS lines, and a count of the others (listed in the structured result)."""
    if len(lines) <= MAX_LIST_ITEMS:
        return lines
    return [
        *lines[:MAX_LIST_ITEMS],
        f"_{MAX_LIST_ITEMS} of {len(lines)} {noun} listed; structuredContent.{noun} has all of them._",
    ]


def _related_faqs_section(faqs: Sequence[FaqRef]) -> str:
    """The related questions: the first ones as a list, any others compactly after it, and the count said.

    No tool takes a FAQ id (search_faq takes text), so the markdown lists the questions only.
    """
    lines = [f"- {md_inline(faq.question)}" for faq in faqs[:MAX_LIST_ITEMS]]
    rest = faqs[MAX_LIST_ITEMS:]
    if rest:
        shown: list[str] = []
        used = 0
        for faq in rest:
            question = md_inline(faq.question)
            if used + len(question) > RELATED_FAQS_MORE_CHARS:
                break
            shown.append(question)
            used += len(question) + 3
        unlisted = len(rest) - len(shown)
        tail = (
            f" … and {unlisted} more, not listed here for length (structuredContent.related_faqs has all "
            f"{len(faqs)})."
            if unlisted
            else ""
        )
        lines.append(
            f"\n_{MAX_LIST_ITEMS} of {len(faqs)} related FAQs listed above; the other {len(rest)}:_ "
            + " · ".join(shown)
            + tail
        )
    heading = f"## Related FAQs ({len(faqs)})" if rest else "## Related FAQs"
    return heading + "\n" + "\n".join(lines) + f"\n_{RELATED_FAQ_STEP}_"


def _taxonomy(item: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in ARTICLE_TAXONOMIES:
        values = taxonomy.labels(item, name)
        if values:
            out[name] = values
    return out


# -- the answer (pure) --------------------------------------------------------------------------------------


def article_answer(
    item: Mapping[str, Any], site_url: str, section: str | None, offset: int
) -> tuple[ArticleDocument, str]:
    """One page of the article ``item`` (as fetch_article reads it): its structured result and markdown."""
    body = render_markdown(item.get("body"), item.get("editor_nodes"), site_url=site_url)
    found = headings(body)
    start, notes = page_start(body, found, section, offset)
    link = article_link(item, site_url)
    doc = ArticleDocument(
        id=str(item.get("id")),
        title=clean_text(item.get("title")) or "(untitled article)",
        slug=shown_slug(item, link),
        link=link,
        body_characters=len(body),
        start=start,
        end=start,
        notes=notes,
    )
    first_page = start == 0
    references = _first_page_facts(doc, item, site_url) if first_page else []
    head = _first_page_head(doc, item) if first_page else _continued_head(doc, found, section)
    tail = render_blocks(references)
    page = cut_page(body, start, max(MIN_BODY_CHARS, ARTICLE_BODY_TOKENS * CHARS_PER_TOKEN - len(tail)))
    step = next_page_step(doc.id, page, found)
    doc.body_markdown, doc.end, doc.next_offset = page.markdown, page.end, page.next_offset
    if step is not None:
        doc.next_steps.append(step)
    if step is not None or not first_page:
        # Only a body shown in parts needs its outline; a whole one holds its headings.
        doc.sections = [h.title for h in top_sections(found)][:MAX_SECTIONS]
    if doc.related_faqs:
        doc.next_steps.append(RELATED_FAQ_STEP)
    blocks = [
        render_blocks(head),
        "---",
        doc.body_markdown or ("_(This article has no body text.)_" if first_page else None),
        page_footer(page, len(body), step),
        tail,
    ]
    return doc, cap_answer(render_blocks(blocks))


def _first_page_facts(doc: ArticleDocument, item: Mapping[str, Any], site_url: str) -> list[str]:
    """Fill in what only the first page shows (summary, dates, authors, taxonomy, references); returns the
    reference blocks of its markdown."""
    references, doc.sources, doc.documents, doc.related_faqs = _reference_sections(item, site_url)
    doc.summary = render_one_line(item.get("summary"), item.get("description"), max_chars=600) or None
    doc.updated = as_date(item.get("date_updated")) or as_date(item.get("date_created"))
    doc.authors = [a for a in (_author(r) for r in related(item.get("authors"), "authors_id")) if a]
    doc.english = item.get("english") is True
    doc.taxonomy = _taxonomy(item)
    return references


def _ident_line(doc: ArticleDocument) -> str:
    return join_nonempty([f"ID: {doc.id}", f"Slug: {doc.slug}" if doc.slug else None, f"Link: {doc.link}"])


def _first_page_head(doc: ArticleDocument, item: Mapping[str, Any]) -> list[str | None]:
    updated = as_date(item.get("date_updated"))
    created = as_date(item.get("date_created"))
    return [
        f"# {md_inline(doc.title)}",
        f"_{doc.summary}_" if doc.summary else None,
        join_nonempty(
            [
                f"Updated: {updated}" if updated else (f"Published: {created}" if created else None),
                f"By: {', '.join(doc.authors)}" if doc.authors else None,
                "Language: English" if doc.english else None,
            ]
        ),
        join_nonempty(
            [f"{name.capitalize()}: {', '.join(values[:8])}" for name, values in doc.taxonomy.items()]
        ),
        _ident_line(doc),
        *doc.notes,
    ]


def _continued_head(doc: ArticleDocument, found: Sequence[Heading], section: str | None) -> list[str | None]:
    where = f"section '{md_inline(heading_at(found, doc.start))}'" if section else f"character {doc.start}"
    return [f"# {md_inline(doc.title)} (continued from {where})", _ident_line(doc), *doc.notes]


# -- the tool -----------------------------------------------------------------------------------------------


async def get_article(
    id_or_slug: Annotated[
        str,
        Field(
            description="The article's ID (UUID) or slug as search_articles shows it, e.g. 'wat-is-het-vavo'; "
            "an onderwijsloket.com article URL works too.",
            max_length=500,
        ),
    ],
    ctx: Context[Services, Any],
    section: Annotated[
        str | None,
        Field(
            description="Start at the heading with this title (as listed in an earlier answer), to read a "
            "long article from a later section.",
            max_length=300,
        ),
    ] = None,
    offset: Annotated[
        int,
        Field(
            ge=0,
            le=10_000_000,
            description="Start at this character offset of the article body (the 'offset=' an earlier, "
            "shortened answer gave).",
        ),
    ] = 0,
) -> Annotated[CallToolResult, ArticleDocument]:
    """Read one Onderwijsloket knowledge-base article in full, as markdown: the body (with callouts, tables,
    buttons and links), authors, sources with URLs, downloadable documents, related FAQs, taxonomy and link.

    Use it after search_articles (or when a user gives an article URL) to answer from the whole text.
    Long articles come in parts: the answer ends with the exact call for the next part (offset=...) and lists
    later sections, which you can also jump to with section=... .
    """
    svc = Services.of(ctx)
    if not svc.directus.has_token:
        raise missing_token_error()
    if not clean_text(id_or_slug):
        raise InvalidInputError(
            "'id_or_slug' is empty. Give an article ID or slug from search_articles, e.g. 'wat-is-het-vavo'."
        )
    if section is not None and offset:
        raise InvalidInputError("Give either 'section' or 'offset', not both.")
    item = await fetch_article(svc, id_or_slug)
    doc, markdown = article_answer(item, svc.settings.site_url, section, offset)
    return tool_result(markdown, doc)


TOOL = Tool(
    name="get_article",
    title="Read an Onderwijsloket article",
    summary="one article in full (body, sources, documents, related FAQs); long ones come in parts.",
    handler=get_article,
)
