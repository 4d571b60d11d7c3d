"""One tool inventory, tools.TOOLS, and every per-tool table covers it.

A tool is its own module (named after it, declaring ``TOOL`` next to its handler), its entry in ``TOOLS`` and its
test module ``tests/tools/<family>/test_<tool>.py`` (declaring ``SAMPLE``). Everything else derives from those
three, and is checked here against the inventory: the server's tools/list, the instructions, the reviewed
snapshot, the sample calls (the Inspector, the agent frameworks, the site-URL check), the fuzz tables and the
benchmark cases.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Any

import anyio
import mcp
import pytest
from jsonschema import Draft202012Validator

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server, instructions
from onderwijsloket_mcp.tools import TOOLS
from tests.contract.test_governance import SNAPSHOT
from tests.support.client import Sample
from tests.support.inventory import SAMPLES, tool_test_module, tool_test_module_name

ROOT = Path(__file__).resolve().parents[2]
NAMES = [tool.name for tool in TOOLS]


def listed_tools() -> list[Any]:
    async def listing() -> list[Any]:
        async with mcp.Client(create_server(Settings())) as client:
            return list((await client.list_tools()).tools)

    return anyio.run(listing)


def test_the_inventory_is_what_the_server_lists() -> None:
    assert len(set(NAMES)) == len(NAMES)
    assert [tool.name for tool in listed_tools()] == NAMES


@pytest.mark.parametrize("tool", TOOLS, ids=NAMES)
def test_each_tool_is_a_module_named_after_it_declaring_its_tool(tool: Any) -> None:
    module = importlib.import_module(tool.handler.__module__)
    assert tool.handler.__name__ == tool.name
    assert module.__name__ == f"onderwijsloket_mcp.tools.{tool.family}.{tool.name}"
    assert module.TOOL is tool
    assert tool.family in ("knowledge", "navigator", "pathways"), (
        "a new family: add it to the import-linter contract"
    )


@pytest.mark.parametrize("tool", TOOLS, ids=NAMES)
def test_each_tool_has_a_test_module_with_a_valid_sample(tool: Any) -> None:
    module = tool_test_module(tool)
    assert isinstance(getattr(module, "SAMPLE", None), Sample), (
        f"{tool_test_module_name(tool)} needs a SAMPLE"
    )
    schema = next(listed.input_schema for listed in listed_tools() if listed.name == tool.name)
    Draft202012Validator(schema).validate(module.SAMPLE.arguments)


def test_the_sample_tables_cover_the_inventory() -> None:
    assert list(SAMPLES) == NAMES


def test_the_instructions_name_every_tool_with_its_summary() -> None:
    text = instructions(Settings().site_url)
    for tool in TOOLS:
        assert f"\n- {tool.name}: {tool.summary}\n" in text


def test_the_reviewed_snapshot_covers_the_inventory() -> None:
    assert sorted(json.loads(SNAPSHOT.read_text(encoding="utf-8"))) == sorted(NAMES)


def test_the_fuzz_tables_cover_the_inventory() -> None:
    from tests.resilience.test_fuzz import TOOL_SCHEMAS

    assert sorted(TOOL_SCHEMAS) == sorted(NAMES)


def test_the_benchmarks_measure_every_tool() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        common = importlib.import_module("_common")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    assert {case.tool for case in common.CASES} == set(NAMES)
