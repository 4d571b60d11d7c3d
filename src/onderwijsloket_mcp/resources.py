"""MCP resources describing the Onderwijsloket data model (filled in by the data-model work)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer


def register_resources(server: MCPServer[Any]) -> None:
    """Register resources and resource templates."""
