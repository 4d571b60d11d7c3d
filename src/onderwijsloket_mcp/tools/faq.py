"""search_faq: the knowledge base's short questions and answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult, TextContent
from pydantic import BaseModel, Field

from .. import taxonomy
from ..directus import Query
from ..errors import InvalidInputError
from ..formatting import (
    cap_answer,
    clean_query,
    clean_text,
    join_nonempty,
    names,
    offset_past_end,
    paging_note,
    render_blocks,
    site_link,
)
from ..richtext import render_markdown, truncate_markdown
from ..services import Services
from ..textsearch import all_terms_filter, any_term_filter, query_terms, score
from ._common import Offset, services, tool_annotations

FAQ_OVERVIEW_PATH = "/kennisbank/veelgestelde-vragen"
# Fields a word may match in. The answer is rich text stored as JSON, which Directus cannot search.
FAQ_MATCH_FIELDS = ("question", "topics.topics_id.name")
FAQ_FIELDS = (
    "*",
    *taxonomy.relation_fields("topics"),
    *taxonomy.relation_fields("sectors"),
    *taxonomy.relation_fields("audiences"),
    *taxonomy.relation_fields("phases"),
)
# With every word required the matches are few; rank them ourselves, within this many.
RANK_WINDOW = 100


class FaqHit(BaseModel):
    id: str
    question: str
    link: str
    topics: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(default_factory=list)
    phases: list[str] = Field(default_factory=list)
    answer_markdown: str = Field(default="", exclude=True)


class FaqSearchResult(BaseModel):
    """Structured companion of the markdown answer."""

    query: str
    backend: Literal["directus", "algolia"]
    total: int
    offset: int
    hits: list[FaqHit]
    matched: Literal["all_words", "some_words", "none"] = "all_words"
    filters: dict[str, str] = Field(default_factory=dict)


class FaqFilters(BaseModel):
    sector: str | None = None
    topic: str | None = None
    audience: str | None = None
    phase: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.model_dump().items() if v}


def faq_link(item: dict[str, Any], site_url: str) -> str:
    return site_link(item.get("path"), site_url) or site_url.rstrip("/") + FAQ_OVERVIEW_PATH


def faq_hit(item: dict[str, Any], site_url: str) -> FaqHit | None:
    question = clean_text(item.get("question"))
    if item.get("id") is None or not question:
        return None
    return FaqHit(
        id=str(item["id"]),
        question=question,
        link=faq_link(item, site_url),
        topics=names(item.get("topics"), "name", "topics_id"),
        sectors=names(item.get("sectors"), "title", "sectors_id"),
        audiences=names(item.get("audiences"), "title", "audiences_id"),
        phases=names(item.get("phases"), "title", "phases_id"),
        answer_markdown=render_markdown(item.get("answer"), site_url=site_url),
    )


async def _filters(svc: Services, filters: FaqFilters) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Resolve the taxonomy filters to ids (unknown values raise with the valid ones)."""
    clauses: list[dict[str, Any]] = []
    resolved: dict[str, str] = {}
    for argument, name in (
        ("sector", "sectors"),
        ("topic", "topics"),
        ("audience", "audiences"),
        ("phase", "phases"),
    ):
        value = getattr(filters, argument)
        if value is None:
            continue
        term = await taxonomy.resolve(svc.directus, name, value, argument=argument)
        clauses.append(taxonomy.relation_filter(name, term))
        resolved[argument] = term.label
    return clauses, resolved


async def search_faqs_directus(
    svc: Services, query: str, filters: FaqFilters, limit: int, offset: int
) -> FaqSearchResult:
    clauses, resolved = await _filters(svc, filters)
    terms = query_terms(query)
    # Within the first RANK_WINDOW matches we rank by relevance ourselves; deeper pages follow Directus order.
    ranked = offset + limit <= RANK_WINDOW

    async def fetch(match: dict[str, Any]) -> tuple[list[FaqHit], int | None]:
        response = await svc.directus.items(
            "faqs",
            Query(
                fields=FAQ_FIELDS,
                filter={"_and": [match, *clauses]},
                sort=("question", "id"),
                limit=RANK_WINDOW if ranked else limit,
                offset=None if ranked else offset,
                meta=("filter_count",),
            ),
        )
        site = svc.settings.site_url
        return [h for h in (faq_hit(item, site) for item in response.data) if h is not None], response.total

    matched: Literal["all_words", "some_words", "none"] = "all_words"
    hits, total = await fetch(all_terms_filter(terms, FAQ_MATCH_FIELDS))
    if not total and len(terms) > 1:
        # No FAQ has every word: fall back to FAQs with any of them, best first, and say so.
        matched = "some_words"
        hits, total = await fetch(any_term_filter(terms, FAQ_MATCH_FIELDS))
    if not total:
        matched = "none"
    if ranked:
        hits.sort(key=lambda h: -score([(2.0, h.question), (1.0, " ".join(h.topics))], terms, query))
        hits = hits[offset : offset + limit]
    return FaqSearchResult(
        query=query,
        backend="directus",
        total=total if total is not None else len(hits),
        offset=offset,
        hits=hits,
        matched=matched,
        filters=resolved,
    )


def format_faq_result(result: FaqSearchResult, limit: int) -> str:
    filters = ", ".join(f"{k}={v}" for k, v in result.filters.items())
    searched = f"'{result.query}'" + (f" with {filters}" if filters else "")
    if not result.hits:
        if result.total and result.offset >= result.total:
            return offset_past_end(total=result.total, offset=result.offset, noun="FAQs")
        advice = "drop a filter or use broader Dutch words" if filters else "use fewer or broader Dutch words"
        return (
            f"No FAQs found for {searched}. Try to {advice} (e.g. 'salaris', 'zij-instroom', 'pabo', "
            "'bevoegdheid'), or search the articles for longer explanations."
        )
    per_answer = max(300, min(4000, 5000 // max(1, len(result.hits))))
    header = f"FAQs for {searched}"
    if result.matched == "some_words":
        header += " (no FAQ contains every word; these contain some of them)"
    blocks: list[str | None] = [f"## {header}"]
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        answer, trimmed = truncate_markdown(hit.answer_markdown, per_answer)
        if trimmed:
            answer += f"\n\n_(Answer shortened; the full text is at {hit.link} or ask again with limit=1.)_"
        meta = join_nonempty(
            [
                f"Topics: {', '.join(hit.topics)}" if hit.topics else None,
                f"Sectors: {', '.join(hit.sectors)}" if hit.sectors else None,
            ]
        )
        blocks.append(
            render_blocks(
                [
                    f"### {number}. {hit.question}",
                    answer or "_(No answer text.)_",
                    join_nonempty([meta, f"ID: {hit.id}", f"Link: {hit.link}"]),
                ]
            )
        )
    blocks.append(
        paging_note(
            total=result.total, offset=result.offset, shown=len(result.hits), limit=limit, noun="FAQs"
        )
    )
    return cap_answer(render_blocks(blocks))


async def search_faq(
    query: Annotated[
        str,
        Field(
            description="What to look for, ideally Dutch keywords or a Dutch question, e.g. "
            "'salaris leraar basisonderwijs' or 'Kan ik zij-instromen zonder bevoegdheid?'. "
            "Every significant word must match.",
            max_length=10_000,
        ),
    ],
    ctx: Context[Services, Any],
    sector: Annotated[
        str | None,
        Field(
            description="Only FAQs for this sector, e.g. 'primair onderwijs', 'voortgezet onderwijs', 'mbo'."
        ),
    ] = None,
    topic: Annotated[
        str | None, Field(description="Only FAQs on this topic, e.g. 'Salaris', 'Zij-instroom'.")
    ] = None,
    audience: Annotated[
        str | None, Field(description="Only FAQs for this audience, e.g. 'Zij-instromers', 'Studiekiezers'.")
    ] = None,
    phase: Annotated[str | None, Field(description="Only FAQs for this phase, e.g. 'Oriëntatie'.")] = None,
    limit: Annotated[int, Field(ge=1, le=20, description="How many FAQs to return (1-20).")] = 5,
    offset: Offset = 0,
) -> Annotated[CallToolResult, FaqSearchResult]:
    """Search Onderwijsloket's FAQs (veelgestelde vragen): short, authoritative answers about working in Dutch
    education — salaries, lateral entry (zij-instroom), teacher training (pabo, lerarenopleiding), teaching
    qualifications (bevoegdheden), subsidies, rules.

    Use it first for a concrete question a person asks; use the article tools for longer background. Content
    is Dutch: search in Dutch. Returns questions with their answers, topics, sectors, IDs and links.
    """
    svc = services(ctx)
    text = clean_query(query, required=True)
    filters = FaqFilters(sector=sector, topic=topic, audience=audience, phase=phase)
    result = await search_faqs(svc, text, filters, limit, offset)
    markdown = format_faq_result(result, limit)
    return CallToolResult(
        content=[TextContent(type="text", text=markdown)],
        structured_content=result.model_dump(mode="json"),
    )


async def search_faqs(
    svc: Services, query: str, filters: FaqFilters, limit: int, offset: int
) -> FaqSearchResult:
    """Pick the backend. (The Algolia backend plugs in here.)"""
    if not svc.directus.has_token:
        from ..directus import missing_token_error

        raise missing_token_error()
    if offset > 10_000:
        raise InvalidInputError("offset is too large; use offset below 10000.")
    return await search_faqs_directus(svc, query, filters, limit, offset)


def register(server: MCPServer[Any]) -> None:
    server.add_tool(search_faq, name="search_faq", annotations=tool_annotations("Search Onderwijsloket FAQs"))
