"""Streamable HTTP transport (stateless, loopback by default)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.transport_security import TransportSecuritySettings

from .config import Settings


def run_http(server: MCPServer[Any], settings: Settings, *, host: str, port: int) -> int:
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=[f"{host}:{port}", f"127.0.0.1:{port}", f"localhost:{port}"],
        allowed_origins=[f"http://{host}:{port}", f"http://127.0.0.1:{port}", f"http://localhost:{port}"],
    )
    server.run("streamable-http", host=host, port=port, stateless_http=True, transport_security=security)
    return 0
