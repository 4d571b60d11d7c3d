"""What every tool shares: its declaration, annotations, argument types, the result convention with its paging
sentences, and the choice of search backend.

Every tool answers twice: a markdown text block (what most clients show the model) and structuredContent
(what pydantic-ai, openai-agents with ``use_structured_content`` and programmatic clients read instead).
Each must be complete on its own, so the structured models carry every fact and every hint of the markdown:
the follow-up calls in ``next_steps`` and the caveats in ``notes``, written once and rendered into the
markdown from the same strings. They are dumped compactly (``compact_dump``): no nulls, no empty lists, no
values equal to their documented default.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field

from .. import taxonomy
from ..services import Services
from ..taxonomy import MAX_VALUE_LENGTH, Term
from ..upstream.algolia import SearchUnavailableError, facet_filters

# The search tools say which backend answered each call here (the same logger as their searches).
_search_log = logging.getLogger("onderwijsloket_mcp.search")

T = TypeVar("T")

READ_ONLY = ToolAnnotations(
    read_only_hint=True,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=True,
)


def tool_annotations(title: str) -> ToolAnnotations:
    return READ_ONLY.model_copy(update={"title": title})


Offset = Annotated[int, Field(ge=0, le=10_000, description="Skip this many results (for the next page).")]
# A taxonomy filter value (sector, topic, audience, phase, role, qualification, track): a label, slug or id.
TaxonomyValue = Annotated[str, Field(max_length=MAX_VALUE_LENGTH)]

# Taxonomy filters (taxonomy.FILTER_ARGUMENTS), resolved once and applied on either backend.


@dataclass(frozen=True)
class ResolvedFilter:
    argument: str  # the tool argument, e.g. "sector"
    taxonomy: str  # e.g. "sectors"
    term: Term

    @property
    def facet(self) -> str:
        """The Algolia facet attribute (reference §3.5): ``sectors.title``, ``topics.name``, ..."""
        spec = taxonomy.TAXONOMIES[self.taxonomy]
        return f"{spec.collection}.{spec.label_field}"


async def resolve_filters(svc: Services, values: Mapping[str, str | None]) -> list[ResolvedFilter]:
    """Filter argument -> value (taxonomy.FILTER_ARGUMENTS) to resolved terms, in the order given; an unknown
    value raises with the valid ones."""
    resolved: list[ResolvedFilter] = []
    for argument, value in values.items():
        if value is None:
            continue
        name = taxonomy.FILTER_ARGUMENTS[argument]
        term = await taxonomy.resolve(svc.directus, name, value, argument=argument)
        resolved.append(ResolvedFilter(argument, name, term))
    return resolved


def directus_clauses(filters: Sequence[ResolvedFilter]) -> list[dict[str, Any]]:
    return [taxonomy.relation_filter(f.taxonomy, f.term) for f in filters]


def algolia_filters(filters: Sequence[ResolvedFilter]) -> str:
    """Facet filters on the resolved labels (never raw user text), values quoted and escaped."""
    return facet_filters((f.facet, f.term.label) for f in filters)


def filter_labels(filters: Sequence[ResolvedFilter]) -> dict[str, str]:
    return {f.argument: f.term.label for f in filters}


def filters_text(filters: Mapping[str, str]) -> str:
    """The filters an answer applied, as its heading names them: 'sector=vo, topic=Salaris'."""
    return ", ".join(f"{k}={v}" for k, v in filters.items())


# The result convention: follow-up calls and caveats, the same sentences the markdown shows. A model declares
# them as ``next_steps: NextSteps = Field(default_factory=list)`` (the default stays visible to type checkers).
NextSteps = Annotated[
    list[str],
    Field(
        description="Follow-up calls this answer suggests (next page, details, the rest of a text), each "
        "naming the tool and its arguments."
    ),
]
Notes = Annotated[list[str], Field(description="Caveats about this answer.")]


def compact_dump(model: BaseModel) -> dict[str, Any]:
    """The model as JSON data without nulls, empty lists and default values (the schema states defaults)."""
    return model.model_dump(mode="json", exclude_none=True, exclude_defaults=True)


def tool_result(markdown: str, structured: BaseModel) -> CallToolResult:
    """The answer as both markdown (the text block) and compact structuredContent."""
    return CallToolResult(
        content=[TextContent(type="text", text=markdown)], structured_content=compact_dump(structured)
    )


@dataclass(frozen=True)
class Tool:
    """A tool as its own module declares it, next to its handler; ``tools.TOOLS`` lists them all.

    The handler's name is the tool's name, its parameters the input schema, its return annotation the output
    schema and its docstring (dedented) the description a model reads. ``summary`` is its line in the server
    instructions.
    """

    name: str
    title: str
    summary: str
    handler: Callable[..., Awaitable[CallToolResult]]

    @property
    def family(self) -> str:
        """The tool's family: the package it sits in (knowledge, navigator, pathways)."""
        return self.handler.__module__.split(".")[-2]

    def register(self, server: MCPServer[Any]) -> None:
        """Add it as a read-only tool."""
        server.add_tool(
            self.handler,
            name=self.name,
            description=inspect.cleandoc(self.handler.__doc__ or ""),
            annotations=tool_annotations(self.title),
        )


async def answer_with_fallback(
    tool: str,
    svc: Services,
    algolia: Callable[[], Awaitable[T]] | None,
    directus: Callable[[], Awaitable[T]],
) -> T:
    """Try Algolia (when configured and available), else Directus; log which backend answered."""
    reason = "not used for this request"
    if algolia is not None and svc.algolia.enabled:
        try:
            result = await algolia()
        except SearchUnavailableError as exc:
            reason = exc.reason
            if svc.settings.search_backend == "algolia":
                _search_log.warning("%s: Algolia unavailable (%s); answering from Directus", tool, reason)
        else:
            _search_log.info("%s answered by algolia", tool)
            return result
    elif not svc.algolia.enabled:
        reason = "ONDERWIJSLOKET_SEARCH_BACKEND=directus"
    result = await directus()
    _search_log.info("%s answered by directus (Algolia: %s)", tool, reason)
    return result


# The paging convention: the sentences a list answer ends with, in its markdown and its next_steps.


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
