"""MCP resources describing the Onderwijsloket data model: schema, one collection, permissions, glossary, taxonomy.

Everything is compact markdown. Failures a reader can act on become ``ResourceError`` (unknown names:
``ResourceNotFoundError``) with the same helpful text the tools give.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError

from .datamodel.load import load_schema
from .datamodel.render import (
    COLLECTION_URI,
    GLOSSARY_URI,
    PERMISSIONS_URI,
    SCHEMA_URI,
    TAXONOMY_URI,
    render_collection,
    render_glossary,
    render_overview,
    render_permissions,
    render_taxonomy,
    resolve_taxonomy,
)
from .errors import InvalidInputError, OnderwijsloketError
from .services import Services, bind_to_requests
from .taxonomy import TAXONOMIES, load_terms
from .tools import filter_users

MARKDOWN = "text/markdown"

T = TypeVar("T")


def _services() -> Services:
    services = Services.current()
    if services is None:  # pragma: no cover - only outside a request
        raise ResourceError("The server has not finished starting; read the resource again.")
    return services


async def _guarded(produce: Callable[[], Awaitable[T]]) -> T:
    """Turn our typed failures into resource errors with the same message."""
    try:
        return await produce()
    except InvalidInputError as exc:
        raise ResourceNotFoundError(exc.message) from exc
    except OnderwijsloketError as exc:
        raise ResourceError(exc.message) from exc


def register_resources(server: MCPServer[Any]) -> None:
    """Register resources and resource templates."""
    bind_to_requests(server)

    @server.resource(
        SCHEMA_URI,
        name="schema",
        title="Onderwijsloket data model",
        description=(
            "The collections by family (knowledge base, navigator, media, routes, filters, blocks, system), "
            "a one-line purpose each, which need an additional policy, and which this token can read (live; "
            "bundled snapshot without a token)."
        ),
        mime_type=MARKDOWN,
    )
    async def schema() -> str:
        async def produce() -> str:
            svc = _services()
            return render_overview(await load_schema(svc.directus), svc.settings.cache_ttl)

        return await _guarded(produce)

    @server.resource(
        COLLECTION_URI,
        name="schema-collection",
        title="One collection's fields and relations",
        description=(
            "Fields of one collection with type, note and choices, and relations resolved (m2o target, m2m "
            "junction and target, m2a collections), plus query hints. Example: onderwijsloket://schema/programs."
        ),
        mime_type=MARKDOWN,
    )
    async def schema_collection(collection: str) -> str:
        async def produce() -> str:
            svc = _services()
            model = await load_schema(svc.directus)
            return render_collection(model, collection, svc.settings.cache_ttl)

        return await _guarded(produce)

    @server.resource(
        PERMISSIONS_URI,
        name="permissions",
        title="API policies and how to request them",
        description=(
            "The Directus policies (base and additional), what each unlocks, who may get it, how to request "
            "access, and which policy collections this token can read."
        ),
        mime_type=MARKDOWN,
    )
    async def permissions() -> str:
        async def produce() -> str:
            svc = _services()
            return render_permissions(await load_schema(svc.directus), svc.settings.cache_ttl)

        return await _guarded(produce)

    @server.resource(
        GLOSSARY_URI,
        name="glossary",
        title="Dutch–English glossary",
        description="Dutch education terms with their English term and meaning, and the collection they map to.",
        mime_type=MARKDOWN,
    )
    def glossary() -> str:
        return render_glossary()

    @server.resource(
        TAXONOMY_URI,
        name="taxonomy",
        title="Taxonomy terms with ids",
        description=(
            "Live list of one taxonomy with ids, slugs and links: "
            f"{', '.join(TAXONOMIES)}. Example: onderwijsloket://taxonomy/topics."
        ),
        mime_type=MARKDOWN,
    )
    async def taxonomy(name: str) -> str:
        async def produce() -> str:
            svc = _services()
            resolved = resolve_taxonomy(name)
            terms = await load_terms(svc.directus, resolved)
            used_by = filter_users().get(TAXONOMIES[resolved].argument, [])
            return render_taxonomy(resolved, terms, svc.settings.site_url, used_by)

        return await _guarded(produce)
