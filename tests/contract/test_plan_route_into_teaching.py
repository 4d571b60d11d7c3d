"""The plan_route_into_teaching prompt as a client sees it (prompts/list, prompts/get), in both protocol modes."""

from __future__ import annotations

import re

import mcp
import pytest
from mcp_types import TextContent

from onderwijsloket_mcp.config import Settings
from tests.support.client import MODES, Mode, connect

pytestmark = pytest.mark.anyio

NAME = "plan_route_into_teaching"


async def render(client: mcp.Client, **arguments: str) -> str:
    result = await client.get_prompt(NAME, arguments)
    assert len(result.messages) == 1
    message = result.messages[0]
    assert message.role == "user"
    assert isinstance(message.content, TextContent)
    return message.content.text


@pytest.mark.parametrize("mode", MODES)
async def test_prompt_is_listed_with_documented_optional_arguments(mode: Mode) -> None:
    async with connect(Settings(), mode) as client:
        prompts = (await client.list_prompts()).prompts
    prompt = next(p for p in prompts if p.name == NAME)
    assert prompt.description and "get_pathways" in prompt.description
    assert prompt.arguments is not None
    arguments = {a.name: a for a in prompt.arguments}
    assert set(arguments) == {"situation", "goal", "place"}
    for argument in arguments.values():
        assert argument.required is False
        assert argument.description and len(argument.description) > 30


@pytest.mark.parametrize("mode", MODES)
async def test_prompt_names_the_tools_in_order(mode: Mode) -> None:
    async with connect(Settings(), mode) as client:
        text = await render(client)
    positions = [
        text.index(f"`{tool}`") for tool in ("get_pathways", "find_programs_near", "list_regional_desks")
    ]
    assert positions == sorted(positions)
    assert "answers=[]" in text
    assert "ALL answers so far" in text
    assert "show only the options the tool returned" in text
    assert "follow-up choices were removed, tell the person which ones and why" in text
    assert "ordered by duration, which is not a ranking" in text
    assert "has not said more yet" in text
    assert "Ask where they live" in text


async def test_prompt_includes_what_the_person_said() -> None:
    async with connect(Settings()) as client:
        text = await render(
            client,
            situation="hbo-bachelor economie,\nwerk in de logistiek",
            goal="leraar basisonderwijs",
            place="Utrecht",
        )
    assert "- Current situation: hbo-bachelor economie, werk in de logistiek" in text
    assert "- Goal: leraar basisonderwijs" in text
    assert "- Place: Utrecht" in text
    assert "Use the place they gave" in text


async def test_long_arguments_are_bounded() -> None:
    async with connect(Settings()) as client:
        text = await render(client, situation="x" * 5000)
    assert len(text) < 4000


async def test_every_tool_the_prompt_names_exists() -> None:
    async with connect(Settings()) as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        text = await render(client)
    named = set(re.findall(r"`([a-z_]+)`", text))
    assert named == {"get_pathways", "find_programs_near", "list_regional_desks", "search_faq", "get_article"}
    assert named <= tools
