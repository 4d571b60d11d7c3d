"""search_articles: the knowledge base's long-form, objective articles (reference §2.1), found or listed.

It answers from Algolia when a key is available (index ``articles``) and from Directus otherwise; without a
query it lists the most recently updated articles (Directus, which can sort by date).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from ... import taxonomy
from ...ranking.ranker import Confidence, Verdict, document_text
from ...render.markdown import cap_answer, join_nonempty, md_inline, render_blocks
from ...render.richtext import render_one_line
from ...services import Services
from ...text import clean_query, clean_text
from ...upstream.algolia import snippet_of
from ...upstream.directus import missing_token_error
from ...upstream.query import Query, all_but_root
from .._common import (
    NextSteps,
    Offset,
    ResolvedFilter,
    TaxonomyValue,
    Tool,
    answer_with_fallback,
    directus_clauses,
    filter_labels,
    filters_text,
    offset_past_end,
    paging_steps,
    resolve_filters,
    showing_note,
    tool_result,
)
from ._articles import LIST_TAXONOMIES, article_link, shown_slug
from ._search import (
    CONFIDENCE_HELP,
    MISSING_HELP,
    algolia_keyword_search,
    as_date,
    directus_keyword_search,
    doubt,
    no_hits_step,
)

PUBLISHED = {"status": {"_eq": "published"}}
ARTICLE_INDEX = "articles"

# Plain columns only: the body (rich text) is what makes articles heavy, and lists never need it.
LISTED_COLUMNS = (
    "id",
    "title",
    "slug",
    "path",
    "summary",
    "description",
    "english",
    "date_updated",
    "date_created",
)
ARTICLE_LIST_FIELDS = (
    *LISTED_COLUMNS,
    *(f for name in LIST_TAXONOMIES for f in taxonomy.relation_fields(name)),
)
# What search ranks an article on (article_fields): the body is left out, because reading every article's
# body for each search would be heavy; Algolia finds candidates in bodyString too.
RANKED_TAXONOMIES = ("topics", "roles", "qualifications", "tracks", "sectors")
ALGOLIA_ARTICLE_ATTRIBUTES = (*LISTED_COLUMNS, *LIST_TAXONOMIES)
ALGOLIA_ARTICLE_SNIPPET = "bodyString:30"


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


def article_hit(item: Mapping[str, Any], site_url: str, *, junctions: bool) -> ArticleHit | None:
    """From a Directus item (``junctions=True``: M2M rows) or an Algolia record (flattened relations)."""
    title = clean_text(item.get("title"))
    if item.get("id") is None or not title:
        return None

    def labels(name: str) -> list[str]:
        return taxonomy.labels(item, name, junctions=junctions)

    link = article_link(item, site_url)
    return ArticleHit(
        id=str(item["id"]),
        title=title,
        link=link,
        slug=shown_slug(item, link),
        summary=render_one_line(item.get("summary"), item.get("description"), snippet_of(item, "bodyString")),
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
        labels += taxonomy.labels(item, name, junctions=junctions)
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
    return _ranked("algolia", query, hits, total, verdict, filters, offset)


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
    return _ranked("directus", query, hits, total, verdict, filters, offset)


def _ranked(
    backend: Literal["directus", "algolia"],
    query: str,
    hits: list[ArticleHit],
    total: int,
    verdict: Verdict,
    filters: list[ResolvedFilter],
    offset: int,
) -> ArticleSearchResult:
    """A page of hits for ``query``, best first, with whether the first answers it."""
    return ArticleSearchResult(
        query=query,
        backend=backend,
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
        steps.append(
            no_hits_step(
                filtered=bool(result.filters),
                listed=not result.query,
                examples="'zij-instroom', 'salaris', 'pabo', 'bevoegdheid'",
                elsewhere="search the FAQs (search_faq) for short answers",
            )
        )
    return steps


def format_article_list(result: ArticleSearchResult) -> str:
    """The markdown of a result with its next_steps (see article_list_steps)."""
    filters = filters_text(result.filters)
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
            header += f" ({doubt(result.missing)})"
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
    # In the order the filters are listed.
    resolved = await resolve_filters(
        svc,
        {
            "topic": topic,
            "sector": sector,
            "role": role,
            "qualification": qualification,
            "track": track,
            "audience": audience,
        },
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


TOOL = Tool(
    name="search_articles",
    title="Search Onderwijsloket articles",
    summary="long-form knowledge-base articles by Dutch keywords and filters, or the latest updated.",
    handler=search_articles,
)
