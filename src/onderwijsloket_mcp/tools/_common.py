"""What every tool shares: annotations, access to the services, argument types."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import ToolAnnotations
from pydantic import Field

from ..services import Services
from ..taxonomy import MAX_VALUE_LENGTH

READ_ONLY = ToolAnnotations(
    read_only_hint=True,
    destructive_hint=False,
    idempotent_hint=True,
    open_world_hint=True,
)


def services(ctx: Context[Any, Any]) -> Services:
    """The process-wide services created in the server lifespan."""
    state = ctx.request_context.lifespan_context
    if not isinstance(state, Services):  # pragma: no cover - wiring error
        raise RuntimeError("server lifespan did not provide Services")
    return state


def tool_annotations(title: str) -> ToolAnnotations:
    return READ_ONLY.model_copy(update={"title": title})


Offset = Annotated[int, Field(ge=0, le=10_000, description="Skip this many results (for the next page).")]
# A taxonomy filter value (sector, topic, audience, phase, role, qualification, track): a label, slug or id.
TaxonomyValue = Annotated[str, Field(max_length=MAX_VALUE_LENGTH)]


def register_tool(server: MCPServer[Any], fn: Callable[..., Any], name: str, title: str) -> None:
    """Add a read-only tool; its docstring, dedented, is the description a model reads."""
    server.add_tool(
        fn, name=name, description=inspect.cleandoc(fn.__doc__ or ""), annotations=tool_annotations(title)
    )
