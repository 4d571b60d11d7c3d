"""The orient_on_education_career prompt as a client sees it (prompts/list, prompts/get), in both modes."""

from __future__ import annotations

import re

import mcp
import pytest
from mcp.shared.exceptions import MCPError
from mcp_types import TextContent

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.prompts import orient_on_education_career as orientation
from onderwijsloket_mcp.prompts._common import MAX_ARGUMENT_CHARS
from tests.support.client import MODES, Mode, connect

pytestmark = pytest.mark.anyio

NAME = "orient_on_education_career"
TOOLS_IN_ORDER = (
    "search_faq",
    "search_articles",
    "get_article",
    "get_pathways",
    "find_programs_near",
    "list_regional_desks",
)


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
    assert prompt.title == "Orient on a career in education"
    assert prompt.description
    for tool in TOOLS_IN_ORDER:
        assert tool in prompt.description
    assert prompt.arguments is not None
    arguments = {a.name: a for a in prompt.arguments}
    assert set(arguments) == {"question", "situation", "sector", "topic", "place"}
    for argument in arguments.values():
        assert argument.required is False
        assert argument.description and len(argument.description) > 40
    assert "onderwijsloket://taxonomy/sectors" in (arguments["sector"].description or "")


@pytest.mark.parametrize("mode", MODES)
async def test_prompt_names_the_tools_in_order(mode: Mode) -> None:
    async with connect(Settings(), mode) as client:
        text = await render(client)
    positions = [text.index(f"`{tool}`") for tool in TOOLS_IN_ORDER]
    assert positions == sorted(positions)
    assert "has not said more yet" in text
    assert "onderwijsloket://glossary" in text
    assert "Do not invent" in text
    assert "Ask where they live" in text


@pytest.mark.parametrize("mode", MODES)
async def test_prompt_uses_what_the_person_told(mode: Mode) -> None:
    async with connect(Settings(), mode) as client:
        text = await render(
            client,
            question="Wat verdient een leraar?",
            situation="hbo economie, werk in de logistiek",
            sector="mbo",
            topic="Salaris",
            place="Zwolle",
        )
    assert "- Question: Wat verdient een leraar?" in text
    assert "- Current situation: hbo economie, werk in de logistiek" in text
    assert "- Sector of interest: mbo" in text
    assert "- Topic: Salaris" in text
    assert "- Place: Zwolle" in text
    assert "Pass sector='mbo' and topic='Salaris' as filters" in text
    assert "Use the place they gave" in text
    assert "has not said more yet" not in text


async def test_prompt_arguments_are_cleaned_and_bounded() -> None:
    async with connect(Settings()) as client:
        text = await render(client, situation="regel1\n\x00\x07regel2 " + "x" * 2000, sector="   ")
    line = next(line for line in text.splitlines() if line.startswith("- Current situation:"))
    assert "\x00" not in line and "\x07" not in line
    assert line.startswith("- Current situation: regel1 regel2 ")
    assert len(line) <= len("- Current situation: ") + MAX_ARGUMENT_CHARS
    assert "Sector of interest" not in text and "sector=" not in text


async def test_unknown_prompt_is_an_error() -> None:
    async with connect(Settings()) as client:
        with pytest.raises(MCPError):
            await client.get_prompt("no_such_prompt", {})


@pytest.mark.parametrize("mode", MODES)
async def test_every_tool_the_prompts_name_exists(mode: Mode) -> None:
    async with connect(Settings(), mode) as client:
        tools = {t.name for t in (await client.list_tools()).tools}
        prompts = (await client.list_prompts()).prompts
        texts = [await render(client)]
        for prompt in prompts:
            if prompt.name != NAME:
                result = await client.get_prompt(prompt.name, {})
                texts += [m.content.text for m in result.messages if isinstance(m.content, TextContent)]
    assert set(orientation.NAMED_TOOLS) <= tools
    for text in texts:
        for named in re.findall(r"`([a-z_]+)`", text):
            if "_" in named and not named.startswith(("onderwijsloket", "answers")):
                assert named in tools, named
