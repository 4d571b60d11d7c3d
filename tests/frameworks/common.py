"""What the agent-framework tests share: the server as the frameworks start it, the answers to compare with,
the calls whose answers carry hints, and how a strict-mode model fills a call. Whether a model sees the whole
answer is tests/support/facts.py's ``missing_facts``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import mcp
from mcp_types import CallToolResult

from onderwijsloket_mcp.server import create_server
from onderwijsloket_mcp.tools.input_schema import NO_FILTER
from tests.stack import seed_data as sd
from tests.support.client import stack_settings
from tests.support.inventory import TOOL_SAMPLES
from tests.support.serving import server_env

CONSOLE_SCRIPT = Path(sys.executable).with_name("onderwijsloket-mcp")

SEA_LNG, SEA_LAT = sd.SEA_POINT

# Calls beyond the samples whose answers carry hints: paging, an article's continuation, shortened texts,
# nothing found, an offset past the end, a place with namesakes, changed and early answers, nearest instead of
# containing areas, ignored arguments.
HINT_CASES: list[tuple[str, dict[str, Any]]] = [
    ("search_faq", {"query": "leraar", "limit": 1}),
    ("search_faq", {"query": "salaris", "offset": 50}),
    ("search_faq", {"query": "xqzzy"}),
    ("search_articles", {"query": "zij-instroom", "limit": 1}),
    ("search_articles", {}),
    ("search_articles", {"query": "xqzzy", "sector": "mbo"}),
    ("get_article", {"id_or_slug": sd.ARTICLE_LONG}),
    ("get_article", {"id_or_slug": sd.ARTICLE_RICH}),
    ("get_article", {"id_or_slug": sd.ARTICLE_LONG, "section": sd.LONG_ARTICLE_LAST_HEADING}),
    ("find_programs_near", {"near": "Utrecht", "limit": 3, "offset": 3}),
    ("find_programs_near", {"near": "Bergen"}),
    ("find_programs_near", {"near": "Utrecht", "radius_km": 1}),
    ("get_program", {"id": sd.PROGRAM_NO_LOCATIONS}),
    ("get_program", {"id": sd.PROGRAM_MANY_FORMS}),
    ("get_pathways", {"answers": sd.EXAMPLE_ANSWERS}),
    ("get_pathways", {"answers": sd.EXAMPLE_ANSWERS, "limit": 1}),
    ("get_pathways", {"answers": sd.EXAMPLE_ANSWERS, "offset": 40}),
    ("get_pathways", {"answers": sd.widest_answers()}),
    ("get_pathways", {"answers": sd.no_route_answers()}),
    ("get_pathways", {"answers": [sd.SCHOOL_PO, "Hbo-bachelor"]}),
    (
        "get_pathways",
        {"answers": [sd.SCHOOL_PO, sd.LERAAR, "Wo-master", "Leraar hoger onderwijs" + sd.GEEN_DIPLOMA]},
    ),
    ("list_regional_desks", {}),
    ("list_regional_desks", {"near": "Woerden"}),
    ("list_regional_desks", {"region": "Regio Zwolle"}),
    ("list_regional_desks", {"near": f"{SEA_LAT},{SEA_LNG}", "limit": 3}),
    ("list_regional_desks", {"region": "Leeuwarden"}),
    ("list_regional_desks", {"near": "Utrecht", "region": "Zwolle", "sector": "so"}),
    ("list_regional_desks", {"near": "Bergen"}),
    ("list_regional_desks", {"limit": 3, "offset": 99}),
]


def stdio_server(stack: Any | None) -> tuple[str, dict[str, str]]:
    """The console script and its environment: the test stack (when given), Directus search, quiet logs."""
    env = server_env(stack, ONDERWIJSLOKET_LOG_LEVEL="WARNING")
    return str(CONSOLE_SCRIPT), env


async def expected_answers(stack: Any) -> dict[str, CallToolResult]:
    """Each tool's sample answer from the server in process: what the frameworks must pass on."""
    answers: dict[str, CallToolResult] = {}
    async with mcp.Client(create_server(stack_settings(stack, log_level="WARNING"))) as client:
        for tool, arguments in TOOL_SAMPLES.items():
            result = await client.call_tool(tool, arguments)
            assert isinstance(result, CallToolResult) and not result.is_error, (tool, result)
            answers[tool] = result
    return answers


def fill_every_parameter(schema: dict[str, Any], arguments: dict[str, Any]) -> dict[str, Any]:
    """``arguments`` as a model in strict mode sends them: every parameter filled, the unwanted ones with
    "nothing" (an empty text, 'any' for a choice, no items) or the default the schema states."""
    filled = dict(arguments)
    for name, spec in schema.get("properties", {}).items():
        if name in filled:
            continue
        # A nullable parameter (anyOf [T, null]) is filled like its T.
        typed = next((b for b in spec.get("anyOf", []) if b.get("type") != "null"), spec)
        match = re.search(r"Default: (-?\d+(?:\.\d+)?)\.", spec.get("description", ""))
        if NO_FILTER in typed.get("enum", []):
            filled[name] = NO_FILTER
        elif typed.get("type") == "string":
            filled[name] = ""
        elif typed.get("type") == "array":
            filled[name] = []
        elif spec.get("default") is not None:
            filled[name] = spec["default"]
        elif typed is not spec:
            filled[name] = None  # its null branch
        else:
            assert match, f"{name}: a strict-mode model cannot tell what to send ({spec})"
            filled[name] = json.loads(match.group(1))
    return filled
