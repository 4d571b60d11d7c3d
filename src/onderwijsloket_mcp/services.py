"""Process-wide shared objects, and how a handler reaches them.

One HTTP client, one Directus client and, made on first use, the geocoder and the Algolia backend: created
once in the server lifespan. Tools and resource templates reach them through their ``Context``
(:meth:`Services.of`). ``MCPServer`` gives static resources and completions no context, so a small middleware
(:func:`bind_to_requests`) puts the lifespan's ``Services`` into a context variable for the duration of each
request (:meth:`Services.current`): the handler runs inside that call, and concurrent requests never see each
other's.
"""

from __future__ import annotations

import contextvars
import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import Context, MCPServer

from .config import Settings
from .datamodel.catalogue import POLICY_FOR_COLLECTION
from .upstream.directus import DirectusClient
from .upstream.fetch import create_http_client

if TYPE_CHECKING:
    from .geo.geocoder import Geocoder
    from .upstream.algolia import AlgoliaSearch


@dataclass
class Services:
    settings: Settings
    directus: DirectusClient

    @classmethod
    def create(cls, settings: Settings, http: httpx.AsyncClient | None = None) -> Services:
        # The HTTP client is made on the first request, not at start (see DirectusClient.http).
        directus = DirectusClient(
            settings,
            http=http,
            http_factory=lambda: create_http_client(settings),
            policies=POLICY_FOR_COLLECTION,
        )
        return cls(settings=settings, directus=directus)

    @classmethod
    def of(cls, ctx: Context[Any, Any]) -> Services:
        """The services of the server lifespan, from a tool's (or resource template's) context."""
        state = ctx.request_context.lifespan_context
        if not isinstance(state, cls):  # pragma: no cover - wiring error
            raise RuntimeError("server lifespan did not provide Services")
        return state

    @staticmethod
    def current() -> Services | None:
        """The services of the request being handled, or None outside a request (see bind_to_requests)."""
        return _current.get()

    @property
    def http(self) -> httpx.AsyncClient:
        """The one HTTP client of the process (Directus, PDOK)."""
        return self.directus.http

    # The heavy services are made on first use: the Algolia client import alone costs over a second.

    @functools.cached_property
    def geocoder(self) -> Geocoder:
        from .geo.geocoder import Geocoder

        return Geocoder(
            http=self.http,
            pdok_enabled=self.settings.geocoder_online,
            pdok_url=self.settings.pdok_url,
            timeout=min(self.settings.timeout, 5.0),
            cache_ttl=self.settings.cache_ttl,
            max_response_bytes=self.settings.max_response_bytes,
        )

    @functools.cached_property
    def algolia(self) -> AlgoliaSearch:
        from .upstream.algolia import AlgoliaSearch

        return AlgoliaSearch(self.settings, self.directus)

    async def aclose(self) -> None:
        made = vars(self)
        algolia: AlgoliaSearch | None = made.pop("algolia", None)
        made.pop("geocoder", None)
        if algolia is not None:
            await algolia.aclose()
        await self.directus.close_http()


_current: contextvars.ContextVar[Services | None] = contextvars.ContextVar(
    "onderwijsloket_request_services", default=None
)


async def _bind(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
    state = ctx.lifespan_context
    token = _current.set(state if isinstance(state, Services) else None)
    try:
        return await call_next(ctx)
    finally:
        _current.reset(token)


def bind_to_requests(server: MCPServer[Any]) -> None:
    """Make :meth:`Services.current` answer inside every request (added once; resources and completions both
    need it)."""
    if _bind not in server.middleware:
        server.middleware.append(_bind)
