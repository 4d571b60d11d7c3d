"""Helpers shared by the tests: settings for the test stack and MCP clients in both protocol modes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Literal

import mcp
from mcp_types import CallToolResult, TextContent
from pydantic import SecretStr

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server

Mode = Literal["auto", "legacy"]
# Both protocol modes of the SDK client: the 2026-07-28 era and the legacy 2025-11-25 one.
MODES: list[Mode] = ["auto", "legacy"]


def stack_settings(stack: Any, token: str | None = "reader", **overrides: Any) -> Settings:
    """Settings pointing at the test stack; ``token`` is reader, content, admin, or None."""
    value = {
        "reader": stack.reader_token,
        "content": stack.content_token,
        "admin": stack.admin_token,
        None: None,
    }.get(token, token)
    base: dict[str, Any] = {
        "token": SecretStr(value) if value else None,
        "api_url": stack.url,
        "search_backend": "directus",
        "timeout": 10.0,
        "max_retries": 1,
        "max_retry_wait": 2.0,
    }
    base.update(overrides)
    return Settings(**base)


@dataclass(frozen=True)
class Sample:
    """A tool's sample call, declared by its test module: valid arguments against the seeded stack, and whether
    the answer links to the site (a question back to the person has nothing to link to yet)."""

    arguments: dict[str, Any]
    links: bool = True


@asynccontextmanager
async def connect(settings: Settings, mode: Mode = "auto") -> AsyncIterator[mcp.Client]:
    server = create_server(settings)
    async with mcp.Client(server, mode=mode) as client:
        yield client


def structured(result: CallToolResult) -> dict[str, Any]:
    """The structuredContent of a successful call."""
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert isinstance(data, dict)
    return data


def text_of(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


async def call(client: mcp.Client, tool: str, **arguments: Any) -> CallToolResult:
    result = await client.call_tool(tool, arguments)
    assert isinstance(result, CallToolResult)
    return result
