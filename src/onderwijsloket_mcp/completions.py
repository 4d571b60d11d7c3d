"""``completion/complete`` for prompt and resource-template arguments (filled in by the data-model work)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer


def register_completions(server: MCPServer[Any]) -> None:
    """Register the completion handler."""
