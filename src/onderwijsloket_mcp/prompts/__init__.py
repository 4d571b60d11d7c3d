"""Prompt registry: one module per prompt family, each with a ``register(server)`` function."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from mcp.server.mcpserver import MCPServer

from . import orientation, routes

# A new prompt family: add its module here.
PROMPT_MODULES: tuple[ModuleType, ...] = (orientation, routes)


def register_prompts(server: MCPServer[Any]) -> None:
    for module in PROMPT_MODULES:
        module.register(server)
