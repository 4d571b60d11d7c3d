"""The request's Services for handlers the SDK gives no context: static resources and completions.

``MCPServer`` injects a ``Context`` into tools and resource templates only. A small middleware puts the
lifespan's ``Services`` into a context variable for the duration of each request; the handler runs inside
that call, so it sees the value, and concurrent requests never see each other's.
"""

from __future__ import annotations

import contextvars
from typing import Any

from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.mcpserver import MCPServer

from .services import Services

_current: contextvars.ContextVar[Services | None] = contextvars.ContextVar(
    "onderwijsloket_request_services", default=None
)


async def _bind_services(ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
    state = ctx.lifespan_context
    token = _current.set(state if isinstance(state, Services) else None)
    try:
        return await call_next(ctx)
    finally:
        _current.reset(token)


def install(server: MCPServer[Any]) -> None:
    """Add the middleware once (resources and completions both need it)."""
    if _bind_services not in server.middleware:
        server.middleware.append(_bind_services)


def current_services() -> Services | None:
    """The Services of the request being handled, or None outside a request."""
    return _current.get()
