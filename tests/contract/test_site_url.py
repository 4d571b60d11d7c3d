"""ONDERWIJSLOKET_SITE_URL reaches every link the server makes to the public site: pointed at another site, no
answer links to onderwijsloket.com where the site is meant (item links, fallback pages, the Navigator pages a
token without that policy is sent to, the advice call's site), and the server instructions name that site.

What may still say onderwijsloket.com: the API (content.onderwijsloket.com), where API tokens are requested
(config.ACCESS_REQUEST_URL, the API's and not the site's), and links that content authors wrote themselves.
"""

from __future__ import annotations

import json
from typing import Any

import mcp
import pytest
from mcp_types import CallToolResult

from onderwijsloket_mcp.config import ACCESS_REQUEST_URL, DESKS_PATH, PROGRAMS_PATH, ROUTES_PATH
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import connect, stack_settings, text_of
from tests.support.inventory import SAMPLES, TOOL_SAMPLES

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

SITE = "https://gids.example.org"


def site_mentions(result: CallToolResult) -> str:
    """The answer (markdown and structuredContent) without what may name onderwijsloket.com (see above)."""
    text = text_of(result) + json.dumps(result.structured_content or {}, ensure_ascii=False)
    return text.replace("content.onderwijsloket.com", "").replace(ACCESS_REQUEST_URL, "")


async def answer(client: mcp.Client, tool: str, arguments: dict[str, Any], *, error: bool = False) -> str:
    """The answer's text as in site_mentions, after checking that it is (``error``) or is not an error."""
    result = await client.call_tool(tool, arguments)
    assert isinstance(result, CallToolResult)
    assert result.is_error is error, (tool, text_of(result))
    text = site_mentions(result)
    assert "onderwijsloket.com" not in text, (
        f"{tool}({arguments}) links to onderwijsloket.com:\n{text[:3000]}"
    )
    return text


@pytest.mark.parametrize("tool", sorted(TOOL_SAMPLES))
async def test_every_tool_links_to_the_configured_site(stack: StackInfo, tool: str) -> None:
    async with connect(stack_settings(stack, site_url=SITE)) as client:
        text = await answer(client, tool, TOOL_SAMPLES[tool])
    if SAMPLES[tool].links:
        assert SITE in text


async def test_the_fallback_pages_are_the_configured_sites(stack: StackInfo) -> None:
    async with connect(stack_settings(stack, site_url=SITE)) as client:
        nothing_near = await answer(
            client, "find_programs_near", {"near": "Utrecht", "radius_km": 1, "query": "xyzzy"}
        )
        no_desk = await answer(client, "list_regional_desks", {"sector": "hoger onderwijs"})
        no_route = await answer(client, "get_pathways", {"answers": sd.no_route_answers()})
    assert SITE + PROGRAMS_PATH in nothing_near
    assert SITE + DESKS_PATH in no_desk
    assert SITE + ROUTES_PATH in no_route


async def test_a_token_without_the_navigator_policy_is_sent_to_the_configured_site(stack: StackInfo) -> None:
    async with connect(stack_settings(stack, token="content", site_url=SITE)) as client:
        for tool in ("find_programs_near", "get_program", "list_regional_desks"):
            text = await answer(client, tool, TOOL_SAMPLES[tool], error=True)
            assert "Navigator" in text and SITE + PROGRAMS_PATH in text and SITE + DESKS_PATH in text


async def test_the_instructions_and_website_name_the_configured_site(stack: StackInfo) -> None:
    async with connect(stack_settings(stack, site_url=SITE)) as client:
        instructions, server = client.instructions, client.server_info
    assert instructions is not None and "links to gids.example.org;" in instructions
    assert "onderwijsloket.com" not in instructions
    assert server is not None and server.website_url == SITE
