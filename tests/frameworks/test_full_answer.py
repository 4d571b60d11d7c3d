"""structuredContent alone holds the whole answer: every fact and hint of the markdown, for every tool's
sample and for the calls whose answers carry hints (paging, continuations, shortened texts, nothing found).
The framework tests check what each framework passes on; this checks the server's side of it in process.
"""

from __future__ import annotations

import json
from typing import Any

import mcp
import pytest
from mcp_types import CallToolResult

from onderwijsloket_mcp.server import create_server
from tests.frameworks.common import HINT_CASES
from tests.stack.fixture import StackInfo
from tests.support.client import stack_settings, text_of
from tests.support.facts import missing_facts
from tests.support.inventory import TOOL_SAMPLES

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

CASES = [*TOOL_SAMPLES.items(), *HINT_CASES]


async def answers(stack: StackInfo, cases: list[tuple[str, dict[str, Any]]]) -> list[CallToolResult]:
    async with mcp.Client(create_server(stack_settings(stack, log_level="WARNING"))) as client:
        results = [await client.call_tool(tool, arguments) for tool, arguments in cases]
    assert all(isinstance(r, CallToolResult) and not r.is_error for r in results), results
    return results  # type: ignore[return-value]


async def test_structured_content_holds_every_fact_and_hint(stack: StackInfo) -> None:
    gaps = {
        f"{tool} {json.dumps(arguments)}": missing
        for (tool, arguments), result in zip(CASES, await answers(stack, CASES), strict=True)
        if (missing := missing_facts(text_of(result), result.structured_content))
    }
    assert not gaps, gaps


async def test_structured_content_has_no_nulls_or_empty_values(stack: StackInfo) -> None:
    def empties(value: Any, path: str) -> list[str]:
        if value is None or value in ("", [], {}):
            return [path]
        if isinstance(value, dict):
            return [p for key, inner in value.items() for p in empties(inner, f"{path}.{key}")]
        if isinstance(value, list):
            return [p for index, inner in enumerate(value) for p in empties(inner, f"{path}[{index}]")]
        return []

    found = {
        tool: paths
        for (tool, _), result in zip(CASES, await answers(stack, CASES), strict=True)
        # A search that found nothing says so with an empty list of hits.
        if (paths := [p for p in empties(result.structured_content, "") if p != ".hits"])
    }
    assert not found, found
