"""The prompts: one module per prompt, named after it, each with a ``register(server)`` function."""

from __future__ import annotations

from types import ModuleType
from typing import Any

from mcp.server.mcpserver import MCPServer

from . import orient_on_education_career, plan_route_into_teaching

# A new prompt: its module here.
PROMPT_MODULES: tuple[ModuleType, ...] = (orient_on_education_career, plan_route_into_teaching)


def register_prompts(server: MCPServer[Any]) -> None:
    for module in PROMPT_MODULES:
        module.register(server)
