"""The server as a client sees it: tool listing, annotations, and behaviour without a token."""

from __future__ import annotations

import sys
from pathlib import Path

import mcp
import pytest
from mcp.client.stdio import StdioServerParameters

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, call, connect, text_of

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("mode", MODES)
async def test_tools_list_declares_all_annotations(mode: Mode) -> None:
    async with connect(Settings(), mode) as client:
        tools = (await client.list_tools()).tools
    names = {tool.name for tool in tools}
    assert "search_faq" in names
    for tool in tools:
        assert tool.annotations is not None, tool.name
        assert tool.annotations.read_only_hint is True, tool.name
        assert tool.annotations.destructive_hint is False, tool.name
        assert tool.annotations.idempotent_hint is True, tool.name
        assert tool.annotations.open_world_hint is True, tool.name
        assert tool.description and len(tool.description) > 80, tool.name


@pytest.mark.parametrize("mode", MODES)
async def test_without_token_every_data_tool_explains_how_to_get_one(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        result = await call(client, "search_faq", query="salaris")
    assert result.is_error
    text = text_of(result)
    assert "ONDERWIJSLOKET_TOKEN" in text
    assert "https://onderwijsloket.com/access-request" in text


async def test_invalid_arguments_are_errors_not_crashes() -> None:
    async with connect(Settings(token=None)) as client:
        result = await call(client, "search_faq", query="salaris", limit=500)
    assert result.is_error
    assert "limit" in text_of(result).lower()


async def test_server_identity() -> None:
    server = create_server(Settings())
    async with mcp.Client(server) as client:
        info = client.server_info
        assert info is not None and info.name == "onderwijsloket"
        assert client.instructions and "search_faq" in client.instructions


async def test_console_script_over_stdio_lists_tools_without_token() -> None:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "onderwijsloket_mcp"],
        env={"ONDERWIJSLOKET_TOKEN": "", "ONDERWIJSLOKET_LOG_LEVEL": "WARNING"},
    )
    async with mcp.Client(params, mode="legacy") as client:
        tools = (await client.list_tools()).tools
    assert "search_faq" in {t.name for t in tools}


@pytest.mark.parametrize("mode", MODES)
async def test_console_script_over_stdio_answers_search_faq_from_the_stack(
    stack: StackInfo, mode: Mode
) -> None:
    script = Path(sys.executable).parent / "onderwijsloket-mcp"
    params = StdioServerParameters(
        command=str(script),
        env={
            "ONDERWIJSLOKET_TOKEN": stack.reader_token,
            "ONDERWIJSLOKET_API_URL": stack.url,
            "ONDERWIJSLOKET_SEARCH_BACKEND": "directus",
            "ONDERWIJSLOKET_LOG_LEVEL": "WARNING",
        },
    )
    async with mcp.Client(params, mode=mode) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert tools["search_faq"].annotations is not None
        assert tools["search_faq"].annotations.read_only_hint is True
        result = await call(client, "search_faq", query="lerarenopleiding naast baan")
    assert not result.is_error, text_of(result)
    text = text_of(result)
    assert "Kan ik een lerarenopleiding volgen naast mijn baan?" in text
    assert "https://onderwijsloket.com/" in text
    assert stack.reader_token not in text
