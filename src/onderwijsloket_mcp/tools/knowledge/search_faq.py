"""search_faq: the knowledge base's short questions and answers."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from ... import taxonomy
from ...config import FAQ_OVERVIEW_PATH
from ...ranking.ranker import Confidence, Verdict, document_text
from ...render.links import site_link, site_page
from ...render.markdown import (
    CHARS_PER_TOKEN,
    DEFAULT_ANSWER_TOKENS,
    cap_answer,
    join_nonempty,
    render_blocks,
)
from ...render.richtext import render_markdown, render_plain, render_plain_text, truncate_markdown
from ...services import Services
from ...text import clean_query, clean_text
from ...upstream.directus import missing_token_error
from .._common import (
    NextSteps,
    Notes,
    Offset,
    ResolvedFilter,
    TaxonomyValue,
    Tool,
    answer_with_fallback,
    filter_labels,
    filters_text,
    offset_past_end,
    paging_note,
    paging_steps,
    resolve_filters,
    tool_result,
)
from ._search import (
    CONFIDENCE_HELP,
    MISSING_HELP,
    algolia_keyword_search,
    directus_keyword_search,
    doubt,
    no_hits_step,
)

FAQ_FIELDS = (
    "*",
    *taxonomy.relation_fields("topics"),
    *taxonomy.relation_fields("sectors"),
    *taxonomy.relation_fields("audiences"),
    *taxonomy.relation_fields("phases"),
)
FAQ_INDEX = "faqs"
# Only what we show. The index holds the answer as plain text (bodyString, without its links), which is what
# an Algolia answer shows: one request, and the FAQ's link leads to the full answer.
ALGOLIA_FAQ_ATTRIBUTES = ("id", "question", "path", "bodyString", "topics", "sectors", "audiences", "phases")


class FaqHit(BaseModel):
    id: str
    question: str
    answer_markdown: str = Field(
        default="", description="The answer as markdown (as shown, see answer_shortened)."
    )
    answer_shortened: bool = Field(
        default=False, description="The answer was cut to fit: search again with its question and limit=1."
    )
    link: str | None = Field(
        default=None, description="The FAQ's own page; when absent, the result's link (the FAQ overview)."
    )
    topics: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    audiences: list[str] = Field(default_factory=list)
    phases: list[str] = Field(default_factory=list)


class FaqSearchResult(BaseModel):
    """Structured companion of the markdown answer: the same FAQs, answers and hints."""

    query: str
    backend: Literal["directus", "algolia"]
    total: int
    offset: int
    hits: list[FaqHit]
    confidence: Confidence = Field(default="high", description=CONFIDENCE_HELP)
    missing: list[str] = Field(default_factory=list, description=MISSING_HELP)
    filters: dict[str, str] = Field(default_factory=dict)
    link: str | None = Field(default=None, description="Link for the FAQs without a page of their own.")
    notes: Notes = Field(default_factory=list)
    next_steps: NextSteps = Field(default_factory=list)


class FaqFilters(BaseModel):
    sector: str | None = None
    topic: str | None = None
    audience: str | None = None
    phase: str | None = None


def faq_fields(question: object, topics: list[str], answer: object) -> list[tuple[float, str]]:
    """What search ranks a FAQ on (ranker.SearchIndex): its question weighs most, then its topics, then
    the answer (Directus: the rich text as plain text; Algolia: the index's bodyString, the same text)."""
    return [(3.0, document_text(question)), (1.5, " ".join(topics)), (1.0, document_text(answer))]


def faq_link(item: dict[str, Any], site_url: str) -> str:
    return site_link(item.get("path"), site_url) or site_page(site_url, FAQ_OVERVIEW_PATH)


def has_own_page(hit: FaqHit) -> bool:
    """Whether the hit's link is a page of its own rather than the FAQ overview (the fallback link)."""
    return hit.link is not None and not hit.link.rstrip("/").endswith(FAQ_OVERVIEW_PATH)


def faq_hit(item: dict[str, Any], site_url: str) -> FaqHit | None:
    question = clean_text(item.get("question"))
    if item.get("id") is None or not question:
        return None
    return FaqHit(
        id=str(item["id"]),
        question=question,
        link=faq_link(item, site_url),
        topics=taxonomy.labels(item, "topics"),
        sectors=taxonomy.labels(item, "sectors"),
        audiences=taxonomy.labels(item, "audiences"),
        phases=taxonomy.labels(item, "phases"),
        # Headings inside an answer sit below the "### N. question" heading of the hit.
        answer_markdown=render_markdown(item.get("answer"), site_url=site_url, heading_offset=3),
    )


def algolia_faq_hit(record: dict[str, Any], site_url: str) -> FaqHit | None:
    """A hit from the Algolia record alone: the answer is the plain-text bodyString."""
    question = clean_text(record.get("question"))
    if record.get("id") is None or not question:
        return None
    return FaqHit(
        id=str(record["id"]),
        question=question,
        link=faq_link(record, site_url),
        topics=taxonomy.labels(record, "topics", junctions=False),
        sectors=taxonomy.labels(record, "sectors", junctions=False),
        audiences=taxonomy.labels(record, "audiences", junctions=False),
        phases=taxonomy.labels(record, "phases", junctions=False),
        answer_markdown=render_plain_text(record.get("bodyString")),
    )


async def search_faqs_algolia(
    svc: Services, query: str, filters: list[ResolvedFilter], limit: int, offset: int
) -> FaqSearchResult:
    records, total, verdict = await algolia_keyword_search(
        svc,
        FAQ_INDEX,
        query,
        filters,
        attributes=ALGOLIA_FAQ_ATTRIBUTES,
        fields=lambda r: faq_fields(
            r.get("question"), taxonomy.labels(r, "topics", junctions=False), r.get("bodyString")
        ),
        offset=offset,
        limit=limit,
    )
    site = svc.settings.site_url
    hits = [h for h in (algolia_faq_hit(r, site) for r in records) if h is not None]
    return _result("algolia", query, hits, total, verdict, filters, offset)


async def search_faqs_directus(
    svc: Services, query: str, filters: list[ResolvedFilter], limit: int, offset: int
) -> FaqSearchResult:
    site = svc.settings.site_url

    def parse(items: list[dict[str, Any]]) -> list[FaqHit]:
        return [h for h in (faq_hit(item, site) for item in items) if h is not None]

    hits, total, verdict = await directus_keyword_search(
        svc,
        "faqs",
        query,
        (),
        filters,
        fields=FAQ_FIELDS,
        document=lambda i: faq_fields(
            i.get("question"), taxonomy.labels(i, "topics"), render_plain(i.get("answer"))
        ),
        parse=parse,
        offset=offset,
        limit=limit,
    )
    return _result("directus", query, hits, total, verdict, filters, offset)


def _result(
    backend: Literal["directus", "algolia"],
    query: str,
    hits: list[FaqHit],
    total: int,
    verdict: Verdict,
    filters: list[ResolvedFilter],
    offset: int,
) -> FaqSearchResult:
    """A page of FAQs for ``query``, best first, with whether the first answers it."""
    return FaqSearchResult(
        query=query,
        backend=backend,
        total=total,
        offset=offset,
        hits=hits,
        confidence=verdict.confidence,
        missing=list(verdict.missing),
        filters=filter_labels(filters),
    )


def shape_faq_result(result: FaqSearchResult, limit: int) -> FaqSearchResult:
    """The answer as shown: answers cut to the budget, the overview link said once, notes and next steps."""
    # The default answer (5 FAQs) stays within DEFAULT_ANSWER_TOKENS; each hit also carries ~220 characters
    # of heading, taxonomy, ID and link.
    budget = DEFAULT_ANSWER_TOKENS * CHARS_PER_TOKEN - 400 - 220 * len(result.hits)
    per_answer = max(300, min(4000, budget // max(1, len(result.hits))))
    hits: list[FaqHit] = []
    overview: str | None = None
    for hit in result.hits:
        answer, trimmed = truncate_markdown(hit.answer_markdown, per_answer)
        own_page = has_own_page(hit)
        if not own_page:
            overview = hit.link or overview
        hits.append(
            hit.model_copy(
                update={
                    "answer_markdown": answer,
                    "answer_shortened": trimmed,
                    "link": hit.link if own_page else None,
                }
            )
        )
    notes: list[str] = []
    if result.backend == "algolia" and hits:
        notes.append(
            "Answers are plain text from the search index (without their links); a FAQ's link leads to the "
            "full answer."
        )
    steps = paging_steps(total=result.total, offset=result.offset, shown=len(hits), limit=limit)
    if not hits and not steps:
        steps.append(
            no_hits_step(
                filtered=bool(result.filters),
                listed=False,
                examples="'salaris', 'zij-instroom', 'pabo', 'bevoegdheid'",
                elsewhere="use search_articles for longer explanations",
            )
        )
    if any(hit.answer_shortened for hit in hits):
        steps.append("For a shortened answer in full, search again with its question and limit=1.")
    return result.model_copy(update={"hits": hits, "link": overview, "notes": notes, "next_steps": steps})


def format_faq_result(result: FaqSearchResult) -> str:
    """The markdown of a shaped result (see shape_faq_result)."""
    filters = filters_text(result.filters)
    searched = f"'{result.query}'" + (f" with {filters}" if filters else "")
    if not result.hits:
        if result.total and result.offset >= result.total:
            return offset_past_end(total=result.total, offset=result.offset, noun="FAQs")
        return f"No FAQs found for {searched}. " + " ".join(result.next_steps)
    # Everything on one page: the heading gives the count and no paging line is needed.
    complete = result.offset == 0 and result.total == len(result.hits)
    count = f"{result.total} FAQ{'s' if result.total != 1 else ''}" if complete else "FAQs"
    header = f"{count} for {searched}"
    if result.confidence == "low":
        header += f" ({doubt(result.missing)})"
    blocks: list[str | None] = [f"## {header}"]
    for number, hit in enumerate(result.hits, start=result.offset + 1):
        answer = hit.answer_markdown
        if hit.answer_shortened:
            answer += "\n\n_(Answer shortened: search again with this question and limit=1 for all of it.)_"
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
                    join_nonempty([meta, f"ID: {hit.id}", f"Link: {hit.link}" if hit.link else None]),
                ]
            )
        )
    if not complete:
        blocks.append(
            paging_note(
                total=result.total,
                offset=result.offset,
                shown=len(result.hits),
                limit=len(result.hits),  # the total is known: the limit decides nothing here
                noun="FAQs",
            )
        )
    # A FAQ without a page of its own links to the FAQ overview: that link is said once, not under every hit.
    notes = list(result.notes)
    if result.link is not None:
        if all(hit.link is None for hit in result.hits):
            notes.append(f"Link for these FAQs: {result.link}")
        else:
            notes.append(f"Link for the FAQs above without their own: {result.link}")
    blocks.append("\n".join(notes))
    return cap_answer(render_blocks(blocks))


async def search_faq(
    query: Annotated[
        str,
        Field(
            description="What to look for, ideally Dutch keywords or a Dutch question, e.g. "
            "'salaris leraar basisonderwijs' or 'Kan ik zij-instromen zonder bevoegdheid?'. "
            "The best matches come first; the answer says when none seems to answer the question.",
            max_length=10_000,
        ),
    ],
    ctx: Context[Services, Any],
    sector: Annotated[
        TaxonomyValue | None,
        Field(
            description="Only FAQs for this sector, e.g. 'primair onderwijs', 'voortgezet onderwijs', 'mbo'."
        ),
    ] = None,
    topic: Annotated[
        TaxonomyValue | None, Field(description="Only FAQs on this topic, e.g. 'Salaris', 'Zij-instroom'.")
    ] = None,
    audience: Annotated[
        TaxonomyValue | None,
        Field(description="Only FAQs for this audience, e.g. 'Zij-instromers', 'Studiekiezers'."),
    ] = None,
    phase: Annotated[
        TaxonomyValue | None, Field(description="Only FAQs for this phase, e.g. 'Oriëntatie'.")
    ] = None,
    limit: Annotated[int, Field(ge=1, le=20, description="How many FAQs to return (1-20).")] = 5,
    offset: Offset = 0,
) -> Annotated[CallToolResult, FaqSearchResult]:
    """Search Onderwijsloket's FAQs (veelgestelde vragen): short, authoritative answers about working in Dutch
    education — salaries, lateral entry (zij-instroom), teacher training (pabo, lerarenopleiding), teaching
    qualifications (bevoegdheden), subsidies, rules.

    Use it first for a concrete question a person asks; use search_articles/get_article for longer background.
    Content is Dutch: search in Dutch. Returns questions with their answers, topics, sectors, IDs and links.
    Answers from the search index (Algolia) are plain text without their links; the FAQ's link leads to the
    full answer.
    """
    svc = Services.of(ctx)
    text = clean_query(query, required=True)
    filters = FaqFilters(sector=sector, topic=topic, audience=audience, phase=phase)
    result = shape_faq_result(await search_faqs(svc, text, filters, limit, offset), limit)
    return tool_result(format_faq_result(result), result)


async def search_faqs(
    svc: Services, query: str, filters: FaqFilters, limit: int, offset: int
) -> FaqSearchResult:
    """Algolia when configured and available (ONDERWIJSLOKET_SEARCH_BACKEND auto/algolia), else Directus."""
    if not svc.directus.has_token:
        raise missing_token_error()
    # Filter values are checked against the live taxonomy for both backends, so errors are identical.
    resolved = await resolve_filters(svc, filters.model_dump())
    return await answer_with_fallback(
        "search_faq",
        svc,
        lambda: search_faqs_algolia(svc, query, resolved, limit, offset),
        lambda: search_faqs_directus(svc, query, resolved, limit, offset),
    )


TOOL = Tool(
    name="search_faq",
    title="Search Onderwijsloket FAQs",
    summary="short answers to common questions (salary, lateral entry, qualifications, training).",
    handler=search_faq,
)
