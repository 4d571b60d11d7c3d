"""google-genai's MCP support against the console script over stdio: an ``mcp.ClientSession`` passed as a
tool is converted to Gemini function declarations (the step ``generate_content`` takes before it calls
the API; nothing is sent anywhere here).

Gemini drops the description of a parameter written as ``anyOf [T, null]``: every parameter must keep its
description, and its type, through that conversion.
"""

from __future__ import annotations

from typing import Any

import mcp
import pytest
from google.genai import _extra_utils, types
from mcp.client.stdio import StdioServerParameters, stdio_client

from tests.frameworks.common import stdio_server

pytestmark = pytest.mark.anyio


async def converted_tools() -> tuple[list[Any], list[types.FunctionDeclaration]]:
    """Our tools as listed over stdio, and as google-genai converts that session for a request."""
    command, env = stdio_server(None)  # listing tools needs no upstream
    async with (
        stdio_client(StdioServerParameters(command=command, args=[], env=env)) as (read, write),
        mcp.ClientSession(read, write) as session,
    ):
        await session.initialize()
        listed = (await session.list_tools()).tools
        config, adapters = await _extra_utils.parse_config_for_mcp_sessions({"tools": [session]})
    assert config is not None and config.tools and set(adapters) == {tool.name for tool in listed}
    declarations = [
        declaration
        for tool in config.tools
        if isinstance(tool, types.Tool)
        for declaration in tool.function_declarations or []
    ]
    return listed, declarations


async def test_every_parameter_keeps_its_description_and_type() -> None:
    listed, declarations = await converted_tools()
    by_name = {declaration.name: declaration for declaration in declarations}
    assert set(by_name) == {tool.name for tool in listed}
    lost: dict[str, list[str]] = {}
    for tool in listed:
        declaration = by_name[tool.name]
        assert declaration.description == tool.description
        parameters = declaration.parameters
        assert parameters is not None and parameters.properties is not None
        published = tool.input_schema["properties"]
        assert set(parameters.properties) == set(published)
        for name, spec in published.items():
            converted = parameters.properties[name]
            if converted.description != spec["description"] or converted.type is None:
                lost.setdefault(tool.name, []).append(name)
        assert sorted(parameters.required or []) == sorted(tool.input_schema.get("required", []))
    assert not lost, f"parameters whose description or type google-genai drops: {lost}"
