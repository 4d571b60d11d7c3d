"""search_articles and get_article: the knowledge base's long-form, objective articles (reference §2.1).

search_articles answers from Algolia when a key is available (index ``articles``) and from Directus
otherwise; without a query it lists the most recently updated articles (Directus, which can sort by date).
get_article renders one article as markdown, cut at a budget with a fetch-style continuation
(``offset`` = character offset in the rendered body, or ``section`` = a heading).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from .. import taxonomy
from ..errors import InvalidInputError, NotFoundError, PermissionDeniedError
from ..ranking.ranker import Confidence, document_text
from ..render.links import absolute_link, cloudinary_url, site_link
from ..render.markdown import CHARS_PER_TOKEN, cap_answer, join_nonempty, md_inline, md_link, render_blocks
from ..render.richtext import RELATED_ITEM_FIELDS, editor_node_fields, render_markdown, truncate_markdown
from ..services import Services
from ..text import clean_query, clean_text, fold
from ..upstream.algolia import snippet_of
from ..upstream.directus import missing_token_error, names, related
from ..upstream.query import Query, all_but_root
from ._common import (
    NextSteps,
    Notes,
    Offset,
    TaxonomyValue,
    offset_past_end,
    paging_steps,
    register_tool,
    showing_note,
    tool_result,
)
from ._knowledge import (
    CONFIDENCE_HELP,
    MISSING_HELP,
    ResolvedFilter,
    algolia_keyword_search,
    answer_with_fallback,
    as_date,
    directus_clauses,
    directus_keyword_search,
    doubt,
    filter_labels,
    one_line,
    resolve_filters,
)

ARTICLES_PATH = "/kennisbank/artikelen"
PUBLISHED = {"status": {"_eq": "published"}}
ARTICLE_INDEX = "articles"

# (tool argument, taxonomy) in the order the filters are listed.
ARTICLE_FILTER_ARGUMENTS = (
    ("topic", "topics"),
    ("sector", "sectors"),
    ("role", "roles"),
    ("qualification", "qualifications"),
    ("track", "tracks"),
    ("audience", "audiences"),
)
LIST_TAXONOMIES = ("topics", "sectors", "roles", "qualifications", "tracks", "audiences")
ARTICLE_TAXONOMIES = (*LIST_TAXONOMIES, "phases")

# Plain columns only: the body (rich text) is what makes articles heavy, and lists never need it.
ARTICLE_LIST_FIELDS = (
    "id",
    "title",
    "slug",
    "path",
    "summary",
    "description",
    "english",
    "date_updated",
    "date_created",
    *(f for name in LIST_TAXONOMIES for f in taxonomy.relation_fields(name)),
)
# What search ranks an article on (article_fields): the body is left out, because reading every article's
# body for each search would be heavy; Algolia finds candidates in bodyString too.
RANKED_TAXONOMIES = ("topics", "roles", "qualifications", "tracks", "sectors")
ALGOLIA_ARTICLE_ATTRIBUTES = (
    "id",
    "title",
    "slug",
    "path",
    "summary",
    "description",
    "english",
    "date_updated",
    "date_created",
    *LIST_TAXONOMIES,
)
ALGOLIA_ARTICLE_SNIPPET = "bodyString:30"

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

# get_article: the body of one page stays within this many tokens; the whole answer within MAX_ANSWER_TOKENS.
ARTICLE_BODY_TOKENS = 6000
MAX_LIST_ITEMS = 25
# Related FAQs past the first MAX_LIST_ITEMS are listed on one line, up to about this many characters.
RELATED_FAQS_MORE_CHARS = 5000

_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$")
_HEADING_RE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$")


# ---------------------------------------------------------------------------------------------------------
# search_articles
# ---------------------------------------------------------------------------------------------------------


class ArticleHit(BaseModel):
    id: str
    title: str
    link: str
    slug: str | None = Field(default=None, description="Only when the link does not end with it.")
    summary: str = ""
    updated: str | None = Field(default=None, description="Date of the last update (YYYY-MM-DD).")
    english: bool = False
    topics: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    roles: list[str] = Field(default_factory=list)
    qualifications: list[str] = Field(default_factory=list)
    tracks: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(default_factory=list)


class ArticleSearchResult(BaseModel):
    """Structured companion of the markdown answer: the same articles and hints."""

    query: str = Field(default="", description="Absent when listing the most recently updated articles.")
    backend: Literal["directus", "algolia"]
    order: Literal["relevance", "recently_updated"]
    total: int
    offset: int
    hits: list[ArticleHit]
    confidence: Confidence = Field(default="high", description=CONFIDENCE_HELP)
    missing: list[str] = Field(default_factory=list, description=MISSING_HELP)
    filters: dict[str, str] = Field(default_factory=dict)
    next_steps: NextSteps = Field(default_factory=list)


def article_link(item: Mapping[str, Any], site_url: str) -> str:
    slug = clean_text(item.get("slug"))
    fallback = site_url.rstrip("/") + ARTICLES_PATH + (f"/{slug}" if _SLUG_RE.match(slug) else "")
    return site_link(item.get("path"), site_url, fallback) or fallback


def article_hit(item: Mapping[str, Any], site_url: str, *, junctions: bool) -> ArticleHit | None:
    """From a Directus item (``junctions=True``: M2M rows) or an Algolia record (flattened relations)."""
    title = clean_text(item.get("title"))
    if item.get("id") is None or not title:
        return None

    def labels(name: str) -> list[str]:
        spec = taxonomy.TAXONOMIES[name]
        return names(item.get(name), spec.label_field, spec.junction_field if junctions else None)

    slug = clean_text(item.get("slug")) or None
    link = article_link(item, site_url)
    return ArticleHit(
        id=str(item["id"]),
        title=title,
        link=link,
        slug=slug if slug and not link.rstrip("/").endswith("/" + slug) else None,
        summary=one_line(item.get("summary"), item.get("description"), snippet_of(item, "bodyString")),
        updated=as_date(item.get("date_updated")) or as_date(item.get("date_created")),
        english=item.get("english") is True,
        topics=labels("topics"),
        sectors=labels("sectors"),
        roles=labels("roles"),
        qualifications=labels("qualifications"),
        tracks=labels("tracks"),
        audiences=labels("audiences"),
    )


def article_fields(item: Mapping[str, Any], *, junctions: bool) -> list[tuple[float, str]]:
    """Weighted text of an article for ranking (ranker.SearchIndex): title, then the taxonomy names,
    then summary and description; from a Directus item (``junctions``) or an Algolia record, whose body
    snippet (Algolia's words around the match, when the body matched) counts a little too."""
    labels: list[str] = []
    for name in RANKED_TAXONOMIES:
        spec = taxonomy.TAXONOMIES[name]
        labels += names(item.get(name), spec.label_field, spec.junction_field if junctions else None)
    fields = [
        (3.0, document_text(item.get("title"))),
        (1.5, " ".join(labels)),
        (1.0, document_text(item.get("summary"), item.get("description"))),
    ]
    if not junctions:
        fields.append((0.5, snippet_of(item, "bodyString")))
    return fields


async def search_articles_algolia(
    svc: Services, query: str, filters: list[ResolvedFilter], limit: int, offset: int
) -> ArticleSearchResult:
    records, total, verdict = await algolia_keyword_search(
        svc,
        ARTICLE_INDEX,
        query,
        filters,
        attributes=ALGOLIA_ARTICLE_ATTRIBUTES,
        fields=lambda r: article_fields(r, junctions=False),
        snippet=ALGOLIA_ARTICLE_SNIPPET,
        offset=offset,
        limit=limit,
    )
    site = svc.settings.site_url
    hits = [h for h in (article_hit(r, site, junctions=False) for r in records) if h is not None]
    return ArticleSearchResult(
        query=query,
        backend="algolia",
        order="relevance",
        total=total,
        offset=offset,
        hits=hits,
        confidence=verdict.confidence,
        missing=list(verdict.missing),
        filters=filter_labels(filters),
    )


async def search_articles_directus(
    svc: Services, query: str, filters: list[ResolvedFilter], limit: int, offset: int
) -> ArticleSearchResult:
    clauses = [PUBLISHED, *directus_clauses(filters)]
    site = svc.settings.site_url

    def hits_of(items: list[dict[str, Any]]) -> list[ArticleHit]:
        return [h for h in (article_hit(i, site, junctions=True) for i in items) if h is not None]

    if not query:
        listed, count = await _recently_updated(svc, clauses, limit, offset, hits_of)
        return ArticleSearchResult(
            query="",
            backend="directus",
            order="recently_updated",
            total=count,
            offset=offset,
            hits=listed,
            filters=filter_labels(filters),
        )

    hits, total, verdict = await directus_keyword_search(
        svc,
        "articles",
        query,
        [PUBLISHED],
        filters,
        fields=ARTICLE_LIST_FIELDS,
        document=lambda i: article_fields(i, junctions=True),
        parse=hits_of,
        offset=offset,
        limit=limit,
    )
    return ArticleSearchResult(
        query=query,
        backend="directus",
        order="relevance",
        total=total,
        offset=offset,
        hits=hits,
        confidence=verdict.confidence,
        missing=list(verdict.missing),
        filters=filter_labels(filters),
    )


async def _recently_updated(
    svc: Services,
    clauses: list[dict[str, Any]],
    limit: int,
    offset: int,
    hits_of: Callable[[list[dict[str, Any]]], list[ArticleHit]],
) -> tuple[list[ArticleHit], int]:
    """Most recently updated first. Postgres sorts NULLs first in descending order, so articles that were
    never updated (no ``date_updated``) are listed after the dated ones, newest created first."""
    dated = await svc.directus.items(
        "articles",
        Query(
            fields=ARTICLE_LIST_FIELDS,
            filter={"_and": [{"date_updated": {"_nnull": True}}, *clauses]},
            sort=("-date_updated", "id"),
            limit=limit,
            offset=offset,
            meta=("filter_count",),
        ),
        optional=all_but_root(ARTICLE_LIST_FIELDS),
    )
    hits = hits_of(dated.data)
    n_dated = dated.total if dated.total is not None else offset + len(dated.data)
    room = limit - len(dated.data)
    undated = await svc.directus.items(
        "articles",
        Query(
            fields=ARTICLE_LIST_FIELDS if room > 0 else ("id",),
            filter={"_and": [{"date_updated": {"_null": True}}, *clauses]},
            sort=("-date_created", "id"),
            limit=max(room, 1),
            offset=max(0, offset - n_dated),
            meta=("filter_count",),
        ),
        optional=all_but_root(ARTICLE_LIST_FIELDS),
    )
    if room > 0:
        hits += hits_of(undated.data)[:room]
    n_undated = undated.total if undated.total is not None else len(undated.data)
    return hits, n_dated + n_undated


def article_list_steps(result: ArticleSearchResult, limit: int) -> list[str]:
    """What to call next: the next page and an article in full, or what to try when nothing was found."""
    steps = paging_steps(total=result.total, offset=result.offset, shown=len(result.hits), limit=limit)
    if result.hits:
        steps.append("Read one in full with get_article(id_or_slug=<ID>).")
    elif not steps:
        filtered = bool(result.filters)
        advice = (
            "drop a filter or use broader Dutch words" if filtered else "use fewer or broader Dutch words"
        )
        if not result.query:
            advice = "drop a filter"
        steps.append(
            f"Try to {advice} (e.g. 'zij-instroom', 'salaris', 'pabo', 'bevoegdheid'), or search the FAQs "
            "(search_faq) for short answers."
        )
    return steps


def format_article_list(result: ArticleSearchResult) -> str:
    """The markdown of a result with its next_steps (see article_list_steps)."""
    filters = ", ".join(f"{k}={v}" for k, v in result.filters.items())
    if result.query:
        searched = f"'{result.query}'" + (f" with {filters}" if filters else "")
    else:
        searched = "all articles" + (f" with {filters}" if filters else "")
    if not result.hits:
        if result.total and result.offset >= result.total:
            return offset_past_end(total=result.total, offset=result.offset, noun="articles")
        return f"No articles found for {searched}. " + " ".join(result.next_steps)
    if result.query:
        header = f"Articles for {searched}"
        if result.confidence == "low":
            header += f" ({doubt(result.missing, 'article')})"
    else:
        header = f"Most recently updated articles ({searched})"
    blocks: list[str | None] = [f"## {header}"]
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        title = md_inline(hit.title) + (" (English)" if hit.english else "")
        taxonomy_line = join_nonempty(
            [
                f"Topics: {', '.join(hit.topics)}" if hit.topics else None,
                f"Sectors: {', '.join(hit.sectors)}" if hit.sectors else None,
                f"Roles: {', '.join(hit.roles[:4])}" if hit.roles else None,
                f"Qualifications: {', '.join(hit.qualifications[:4])}" if hit.qualifications else None,
                f"Tracks: {', '.join(hit.tracks[:4])}" if hit.tracks else None,
            ]
        )
        blocks.append(
            "\n".join(
                line
                for line in (
                    f"### {number}. {title}",
                    hit.summary,
                    taxonomy_line,
                    join_nonempty(
                        [
                            f"Updated: {hit.updated}" if hit.updated else None,
                            f"ID: {hit.id}",
                            f"Slug: {hit.slug}" if hit.slug else None,
                            f"Link: {hit.link}",
                        ]
                    ),
                )
                if line
            )
        )
    shown = showing_note(total=result.total, offset=result.offset, shown=len(result.hits), noun="articles")
    blocks.append(" ".join([shown, *result.next_steps]))
    return cap_answer(render_blocks(blocks))


async def search_articles(
    ctx: Context[Services, Any],
    query: Annotated[
        str | None,
        Field(
            description="Dutch keywords, e.g. 'zij-instroom voortgezet onderwijs' or 'leerplicht'. Leave out "
            "to list the most recently updated articles (optionally filtered).",
            max_length=10_000,
        ),
    ] = None,
    topic: Annotated[
        TaxonomyValue | None, Field(description="Only articles on this topic, e.g. 'Salaris'.")
    ] = None,
    sector: Annotated[
        TaxonomyValue | None,
        Field(description="Only articles for this sector, e.g. 'primair onderwijs', 'vo', 'mbo'."),
    ] = None,
    role: Annotated[
        TaxonomyValue | None,
        Field(description="Only articles about this role, e.g. 'Leraar basisonderwijs'."),
    ] = None,
    qualification: Annotated[
        TaxonomyValue | None,
        Field(description="Only articles about this qualification (bevoegdheid), e.g. 'Tweedegraads'."),
    ] = None,
    track: Annotated[
        TaxonomyValue | None, Field(description="Only articles about this route/track, e.g. 'Zij-instroom'.")
    ] = None,
    audience: Annotated[
        TaxonomyValue | None, Field(description="Only articles for this audience, e.g. 'Zij-instromers'.")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=20, description="How many articles to return (1-20).")] = 5,
    offset: Offset = 0,
) -> Annotated[CallToolResult, ArticleSearchResult]:
    """Find Onderwijsloket knowledge-base articles (kennisbank): long, objective explanations about working in
    Dutch education — routes into teaching (zij-instroom, pabo), qualifications, salaries, laws, sectors.

    Returns titles with a one-line summary, taxonomy, update date, ID and link. Without a query it lists the
    most recently updated articles. Use search_faq first for a short answer to a concrete question; use this
    for background, then get_article with an ID to read one. Content is Dutch: search in Dutch.
    """
    svc = Services.of(ctx)
    if not svc.directus.has_token:
        raise missing_token_error()
    text = clean_query(query, required=False)
    resolved = await resolve_filters(
        svc,
        [
            (argument, name, value)
            for (argument, name), value in zip(
                ARTICLE_FILTER_ARGUMENTS, (topic, sector, role, qualification, track, audience), strict=True
            )
        ],
    )
    result = await answer_with_fallback(
        "search_articles",
        svc,
        # Algolia has no documented date-sorted replica: listing by update date is Directus's job.
        (lambda: search_articles_algolia(svc, text, resolved, limit, offset)) if text else None,
        lambda: search_articles_directus(svc, text, resolved, limit, offset),
    )
    result.next_steps = article_list_steps(result, limit)
    return tool_result(format_article_list(result), result)


# ---------------------------------------------------------------------------------------------------------
# get_article
# ---------------------------------------------------------------------------------------------------------


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
    if not ident or (kind == "slug" and not _SLUG_RE.match(ident)):
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


RELATED_FAQ_STEP = "For an answer, call search_faq with the question."


def _taxonomy(item: Mapping[str, Any]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name in ARTICLE_TAXONOMIES:
        spec = taxonomy.TAXONOMIES[name]
        values = names(item.get(name), spec.label_field, spec.junction_field)
        if values:
            out[name] = values
    return out


def _next_start(body: str, position: int) -> int:
    while position < len(body) and body[position].isspace():
        position += 1
    return position


def _sections_note(ident: str, found: Sequence[Heading], after: int) -> str:
    later = [h for h in top_sections(found) if h.offset >= after]
    if not later:
        return ""
    shown = ", ".join(f"'{md_inline(h.title)}' (offset={h.offset})" for h in later[:12])
    more = f" and {len(later) - 12} more" if len(later) > 12 else ""
    return f" Sections still to come: {shown}{more}."


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
    site = svc.settings.site_url
    body = render_markdown(item.get("body"), item.get("editor_nodes"), site_url=site)
    found = headings(body)
    title = clean_text(item.get("title")) or "(untitled article)"
    article_id = str(item.get("id"))
    link = article_link(item, site)
    slug = clean_text(item.get("slug")) or None
    # The slug is said only when the link does not already end with it.
    shown_slug = slug if slug and not link.rstrip("/").endswith("/" + slug) else None

    start = 0
    notes: list[str] = []
    if section is not None and clean_text(section):
        matches = find_section(found, section)
        if not matches:
            top = top_sections(found)
            listing = ", ".join(f"'{h.title}'" for h in top[:40]) or "none (the article has no headings)"
            more = " (and their subsections)" if len(top) < len(found) else ""
            raise InvalidInputError(
                f"The article has no section '{clean_text(section)[:80]}'. Its sections: {listing}{more}."
            )
        start = matches[0].offset
        if len(matches) > 1:
            others = ", ".join(f"offset={h.offset}" for h in matches[1:8])
            notes.append(
                f"{len(matches)} headings match '{clean_text(section)[:80]}'; this is the first. "
                f"The others start at {others}."
            )
    elif offset:
        if offset >= len(body):
            raise InvalidInputError(
                f"offset={offset} is past the end of this article: its body has {len(body)} characters. "
                "Use a smaller offset, or leave it out to read from the start."
            )
        start = offset
    first_page = start == 0

    doc = ArticleDocument(
        id=article_id,
        title=title,
        slug=shown_slug,
        link=link,
        body_characters=len(body),
        start=start,
        end=start,
    )
    ident_line = join_nonempty(
        [f"ID: {article_id}", f"Slug: {shown_slug}" if shown_slug else None, f"Link: {link}"]
    )
    references: list[str] = []
    head: list[str | None]
    if first_page:
        updated = as_date(item.get("date_updated"))
        created = as_date(item.get("date_created"))
        references, doc.sources, doc.documents, doc.related_faqs = _reference_sections(item, site)
        doc.summary = one_line(item.get("summary"), item.get("description"), max_chars=600) or None
        doc.updated = updated or created
        doc.authors = [a for a in (_author(r) for r in related(item.get("authors"), "authors_id")) if a]
        doc.english = item.get("english") is True
        doc.taxonomy = _taxonomy(item)
        head = [
            f"# {md_inline(title)}",
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
            ident_line,
            *notes,
        ]
    else:
        where = f"section '{md_inline(found_title(found, start))}'" if section else f"character {start}"
        head = [f"# {md_inline(title)} (continued from {where})", ident_line, *notes]
    tail_text = render_blocks(references)

    budget = max(4000, ARTICLE_BODY_TOKENS * CHARS_PER_TOKEN - len(tail_text))
    doc.body_markdown, cut = truncate_markdown(body[start:], budget)
    doc.end = start + len(doc.body_markdown)
    next_offset = _next_start(body, doc.end) if cut else None
    doc.next_offset = next_offset if next_offset is not None and next_offset < len(body) else None

    continuation = ""
    if doc.next_offset is not None:
        doc.next_steps.append(
            f'For the rest, call get_article(id_or_slug="{article_id}", offset={doc.next_offset}).'
            + _sections_note(article_id, found, doc.end)
        )
        continuation = (
            f"_[Article continues: characters {start}–{doc.end} of {len(body)} shown. {doc.next_steps[0]}]_"
        )
    elif not first_page:
        continuation = "_[End of the article.]_"
    if doc.next_offset is not None or not first_page:
        # Only a body shown in parts needs its outline; a whole one holds its headings.
        doc.sections = [h.title for h in top_sections(found)][:50]
    if doc.related_faqs:
        doc.next_steps.append(RELATED_FAQ_STEP)
    doc.notes = notes
    blocks = [
        render_blocks(head),
        "---",
        doc.body_markdown or ("_(This article has no body text.)_" if first_page else None),
        continuation,
        tail_text,
    ]
    return tool_result(cap_answer(render_blocks(blocks)), doc)


def found_title(found: Sequence[Heading], offset: int) -> str:
    for heading in found:
        if heading.offset == offset:
            return heading.title
    return ""


def register(server: MCPServer[Any]) -> None:
    register_tool(server, search_articles, "search_articles", "Search Onderwijsloket articles")
    register_tool(server, get_article, "get_article", "Read an Onderwijsloket article")
