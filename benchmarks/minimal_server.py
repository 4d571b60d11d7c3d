"""The smallest useful MCPServer: one tool, stdio. The reference for cold start and transport overhead."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

server = MCPServer(name="minimal")


@server.tool()
def echo(text: str) -> str:
    """Return the text unchanged."""
    return text


if __name__ == "__main__":
    server.run("stdio")
