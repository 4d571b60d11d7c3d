"""The tools: one module per tool, named after it, grouped by family; ``TOOLS`` is the one inventory.

Everything else derives from ``TOOLS``: registration, the server instructions, and every per-tool table the
tests check against it. A new tool is its own module (declaring ``TOOL`` next to its handler), one entry here
and its test module (docs/architecture.md).
"""

from __future__ import annotations

import inspect
from typing import Any

from mcp.server.mcpserver import MCPServer

from ..taxonomy import FILTER_ARGUMENTS
from ._common import Tool
from .knowledge import get_article, search_articles, search_faq
from .navigator import find_programs_near, get_program, list_regional_desks
from .pathways import get_pathways

TOOLS: tuple[Tool, ...] = (
    search_faq.TOOL,
    search_articles.TOOL,
    get_article.TOOL,
    get_pathways.TOOL,
    find_programs_near.TOOL,
    get_program.TOOL,
    list_regional_desks.TOOL,
)


def register_tools(server: MCPServer[Any]) -> None:
    for tool in TOOLS:
        tool.register(server)


def filter_users() -> dict[str, list[str]]:
    """Taxonomy filter argument (``sector``, ``topic``, ...) -> the tools that take it, in inventory order."""
    users: dict[str, list[str]] = {}
    for tool in TOOLS:
        for parameter in inspect.signature(tool.handler).parameters:
            if parameter in FILTER_ARGUMENTS:
                users.setdefault(parameter, []).append(tool.name)
    return users
