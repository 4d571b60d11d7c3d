"""``completion/complete`` for prompt and resource-template arguments.

Values come from the same sources the tools accept: taxonomy labels (live, cached per token), the route
tool's option labels (live, cached with its questions), the programme level enum, collection names (this
token's schema, else the bundled snapshot) and Dutch place names from the offline gazetteer. Completion must stay quick and never fail a client: anything slow or broken yields fewer
suggestions, not an error.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp_types import (
    Completion,
    CompletionArgument,
    CompletionContext,
    PromptReference,
    ResourceTemplateReference,
)

from .datamodel.catalogue import DOCUMENTED
from .datamodel.load import bundled_snapshot, load_schema
from .datamodel.render import COLLECTION_URI, TAXONOMY_URI
from .errors import OnderwijsloketError
from .prompts.plan_route_into_teaching import PROMPT_NAME as ROUTE_PROMPT
from .services import Services, bind_to_requests
from .taxonomy import FILTER_ARGUMENTS, PROGRAM_LEVELS, TAXONOMIES, load_terms
from .text import fold
from .tools.pathways.route_model import load_model

logger = logging.getLogger(__name__)

MAX_VALUES = 100  # the protocol's limit per completion
# A completion that has to wait on the API gives up after this long and offers what it has.
LIVE_WAIT_SECONDS = 3.0

# The route prompt's free-text arguments: suggest the route tool's own option labels (school type, role,
# education, qualification), which get_pathways accepts as answers.
ROUTE_ANSWER_ARGUMENTS = frozenset({"situation", "goal"})
PLACE_ARGUMENTS = frozenset({"place", "near", "city", "location", "woonplaats", "postcode"})


def rank(values: Iterable[str], typed: str) -> list[str]:
    """Values matching what was typed: prefix matches first, then word-prefix, then substring.

    Case- and accent-insensitive; the original order is kept within each group; duplicates dropped.
    Substrings count only from three characters on: one or two letters occur inside almost everything.
    """
    wanted = fold(typed)
    groups: tuple[list[str], list[str], list[str]] = ([], [], [])
    seen: set[str] = set()
    for value in values:
        if value in seen:
            continue
        seen.add(value)
        folded = fold(value)
        if not wanted or folded.startswith(wanted):
            groups[0].append(value)
        elif any(word.startswith(wanted) for word in folded.split()):
            groups[1].append(value)
        elif len(wanted) >= 3 and wanted in folded:
            groups[2].append(value)
    return [*groups[0], *groups[1], *groups[2]]


def completion(values: list[str]) -> Completion:
    return Completion(values=values[:MAX_VALUES], total=len(values), has_more=len(values) > MAX_VALUES)


async def _within(wait: float, produce: Callable[[], Awaitable[list[str]]]) -> list[str] | None:
    """``produce()`` unless it fails or takes longer than ``wait`` seconds (then None)."""
    result: list[str] | None = None
    with anyio.move_on_after(wait):
        try:
            result = await produce()
        except OnderwijsloketError as exc:
            logger.debug("completion source unavailable: %s", exc.message)
        except Exception:
            # Suggestions are a convenience: a bug here must not turn into a protocol error for the client.
            logger.warning("completion source failed", exc_info=True)
    return result


async def taxonomy_labels(services: Services | None, taxonomy: str) -> list[str]:
    if services is None or not services.directus.has_token:
        return []

    async def produce() -> list[str]:
        return [term.label for term in await load_terms(services.directus, taxonomy)]

    return await _within(LIVE_WAIT_SECONDS, produce) or []


async def route_answer_labels(services: Services | None) -> list[str]:
    if services is None or not services.directus.has_token:
        return []

    async def produce() -> list[str]:
        model = await load_model(services.directus)
        return [answer.label for question in model.questions for answer in model.options(question)]

    return await _within(LIVE_WAIT_SECONDS, produce) or []


async def collection_names(services: Services | None) -> list[str]:
    """Collections this token can read first (live), then documented ones it cannot (still valid URIs)."""
    readable: list[str] | None = None
    if services is not None:

        async def produce() -> list[str]:
            return (await load_schema(services.directus)).names()

        readable = await _within(LIVE_WAIT_SECONDS, produce)
    if readable is None:
        readable = bundled_snapshot().names()
    return [*readable, *sorted(name for name in DOCUMENTED if name not in readable)]


async def place_names(services: Services | None, typed: str) -> list[str]:
    if services is None:
        return []
    geocoder = services.geocoder

    async def produce() -> list[str]:
        # The first call loads the gazetteer (a fraction of a second): keep it off the event loop.
        return await anyio.to_thread.run_sync(lambda: geocoder.suggest(typed, MAX_VALUES))

    return await _within(LIVE_WAIT_SECONDS, produce) or []


async def complete(
    ref: PromptReference | ResourceTemplateReference, argument: CompletionArgument, services: Services | None
) -> Completion | None:
    name = argument.name
    typed = argument.value or ""
    if isinstance(ref, ResourceTemplateReference):
        if ref.uri == COLLECTION_URI and name == "collection":
            return completion(rank(await collection_names(services), typed))
        if ref.uri == TAXONOMY_URI and name == "name":
            return completion(rank(TAXONOMIES, typed))
        return None
    if ref.name == ROUTE_PROMPT and name in ROUTE_ANSWER_ARGUMENTS:
        return completion(rank(await route_answer_labels(services), typed))
    if name in FILTER_ARGUMENTS:
        # An argument named like a tool's taxonomy filter (in any prompt) completes with that taxonomy's labels.
        return completion(rank(await taxonomy_labels(services, FILTER_ARGUMENTS[name]), typed))
    if name == "level":
        return completion(rank(PROGRAM_LEVELS, typed))
    if name == "collection":
        return completion(rank(await collection_names(services), typed))
    if name in PLACE_ARGUMENTS:
        # The gazetteer already ranks by population and matches prefixes; keep its order.
        return completion(await place_names(services, typed))
    return None


def register_completions(server: MCPServer[Any]) -> None:
    """Register the completion handler."""
    bind_to_requests(server)

    # The SDK's completion() decorator carries no type hints.
    @server.completion()  # type: ignore[no-untyped-call, untyped-decorator]
    async def handle_completion(
        ref: PromptReference | ResourceTemplateReference,
        argument: CompletionArgument,
        _: CompletionContext | None,  # earlier arguments of the same request: no completion here needs them
    ) -> Completion | None:
        return await complete(ref, argument, Services.current())
