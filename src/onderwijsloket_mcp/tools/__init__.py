"""Tool registry: one module per data family, each with a ``register(server)`` function."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer

from . import articles, desks, faq, programs, routes

# A new tool family: add its module here (and nowhere else).
TOOL_MODULES = (faq, articles, routes, programs, desks)


def register_tools(server: MCPServer[Any]) -> None:
    for module in TOOL_MODULES:
        module.register(server)
