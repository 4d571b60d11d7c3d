"""Governance of the tool surface: what clients and models see may only change on purpose.

- A committed snapshot of every tool as tools/list shows it (tests/snapshots/tools.json). Any drift fails
  until reviewed; regenerate with ``OLMCP_UPDATE_SNAPSHOTS=1 uv run pytest tests/contract/test_governance.py`` and
  commit the file with the change that caused it.
- Every tool declares all four annotations explicitly (a missing readOnlyHint makes clients ask for approval).
- Every input schema is Gemini-safe: typed properties, typed array items without unions, typed enums,
  names within ``^[A-Za-z0-9_.-]{1,64}$``.
- The whole tools/list answer stays within a size budget: it is sent to the model on every conversation.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path
from typing import Any

import mcp
import pytest

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server

pytestmark = pytest.mark.anyio

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "tools.json"
UPDATE_ENV = "OLMCP_UPDATE_SNAPSHOTS"
UPDATE_COMMAND = f"{UPDATE_ENV}=1 uv run pytest tests/contract/test_governance.py"
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
ANNOTATIONS = {"readOnlyHint": True, "destructiveHint": False, "idempotentHint": True, "openWorldHint": True}
# Compact JSON bytes of the tools/list result (about 4 bytes per token). Measured 32,697 bytes for 7 tools
# (output schemas inlined, structured results with next_steps/notes, defaults stated in descriptions); the
# README states the figure. Raise only with a reason in the commit message.
TOOLS_LIST_BUDGET = 40_000
PER_TOOL_BUDGET = 8_000


async def _tools_list() -> dict[str, Any]:
    async with mcp.Client(create_server(Settings())) as client:
        result = await client.list_tools()
    wire: dict[str, Any] = result.model_dump(by_alias=True, exclude_none=True, mode="json")
    return wire


def _render(tools: list[dict[str, Any]]) -> str:
    by_name = {tool["name"]: tool for tool in tools}
    return json.dumps(dict(sorted(by_name.items())), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --- snapshot -----------------------------------------------------------------------------------------


async def test_tool_schemas_match_the_reviewed_snapshot() -> None:
    current = _render((await _tools_list())["tools"])
    if os.environ.get(UPDATE_ENV) == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(current, encoding="utf-8")
        return
    assert SNAPSHOT.exists(), f"no snapshot yet: run `{UPDATE_COMMAND}` and commit {SNAPSHOT}"
    committed = SNAPSHOT.read_text(encoding="utf-8")
    if committed == current:
        return
    old, new = json.loads(committed), json.loads(current)
    summary = {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": sorted(name for name in set(old) & set(new) if old[name] != new[name]),
    }
    diff = "".join(
        list(
            difflib.unified_diff(committed.splitlines(True), current.splitlines(True), "snapshot", "server")
        )[:80]
    )
    pytest.fail(
        f"tools/list drifted from {SNAPSHOT.relative_to(SNAPSHOT.parents[2])}: {summary}.\n"
        f"If the change is intended, review it and run `{UPDATE_COMMAND}`, then commit the snapshot.\n{diff}"
    )


# --- annotations --------------------------------------------------------------------------------------


async def test_every_tool_declares_all_four_annotations_explicitly() -> None:
    for tool in (await _tools_list())["tools"]:
        # exclude_none on the wire form: a hint left to its default is absent here, not False.
        annotations = tool.get("annotations", {})
        declared = {key: annotations.get(key) for key in ANNOTATIONS}
        assert declared == ANNOTATIONS, f"{tool['name']}: {declared}"


# --- Gemini-safe schemas ------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if not isinstance(ref, str):
        return schema
    assert ref.startswith("#/"), f"external $ref {ref}"
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    return _resolve(node, root)


def _is_union(schema: dict[str, Any]) -> bool:
    return any(key in schema for key in ("anyOf", "oneOf", "allOf")) or isinstance(schema.get("type"), list)


def gemini_problems(schema: dict[str, Any], root: dict[str, Any] | None = None, path: str = "") -> list[str]:
    """Why Gemini would reject this (sub)schema; empty when it is safe."""
    root = root if root is not None else schema
    schema = _resolve(schema, root)
    problems: list[str] = []
    branches = [_resolve(b, root) for key in ("anyOf", "oneOf") for b in schema.get(key, [])]
    if branches:
        for index, branch in enumerate(branches):
            problems += gemini_problems(branch, root, f"{path}|{index}")
        return problems
    if "type" not in schema:
        problems.append(f"{path or '/'}: no type")
    if "enum" in schema and "type" not in schema:
        problems.append(f"{path or '/'}: enum without type")
    kind = schema.get("type")
    if kind == "object":
        for name, sub in schema.get("properties", {}).items():
            if not NAME.match(name):
                problems.append(f"{path}/{name}: property name outside {NAME.pattern}")
            problems += gemini_problems(sub, root, f"{path}/{name}")
    if kind == "array":
        items = schema.get("items")
        if not isinstance(items, dict):
            problems.append(f"{path}[]: array without typed items")
        else:
            resolved = _resolve(items, root)
            if _is_union(resolved):
                problems.append(f"{path}[]: union inside items")
            else:
                problems += gemini_problems(resolved, root, f"{path}[]")
    return problems


@pytest.mark.parametrize(
    ("schema", "problem"),
    [
        ({"type": "object", "properties": {"a": {"description": "x"}}}, "/a: no type"),
        ({"type": "object", "properties": {"a": {"enum": ["x", "y"]}}}, "/a: enum without type"),
        ({"type": "object", "properties": {"a": {"type": "array"}}}, "/a[]: array without typed items"),
        (
            {
                "type": "object",
                "properties": {"a": {"type": "array", "items": {"anyOf": [{"type": "string"}]}}},
            },
            "/a[]: union inside items",
        ),
        (
            {"type": "object", "properties": {"a": {"type": "array", "items": {"type": ["string", "null"]}}}},
            "union",
        ),
        ({"type": "object", "properties": {"a b": {"type": "string"}}}, "property name outside"),
        (
            {"type": "object", "properties": {"a": {"anyOf": [{"type": "string"}, {"enum": [1]}]}}},
            "/a|1: no type",
        ),
        (
            {"type": "object", "properties": {"a": {"$ref": "#/$defs/X"}}, "$defs": {"X": {"type": "array"}}},
            "array without typed items",
        ),
    ],
)
def test_gemini_check_catches_what_gemini_rejects(schema: dict[str, Any], problem: str) -> None:
    assert any(problem in found for found in gemini_problems(schema)), gemini_problems(schema)


async def test_every_input_schema_is_gemini_safe() -> None:
    problems = {}
    for tool in (await _tools_list())["tools"]:
        found = gemini_problems(tool["inputSchema"])
        if not NAME.match(tool["name"]):
            found.append(f"tool name outside {NAME.pattern}")
        if tool["inputSchema"].get("type") != "object":
            found.append("input schema must be an object")
        if found:
            problems[tool["name"]] = found
    assert not problems, problems


# --- size budget --------------------------------------------------------------------------------------


async def test_tools_list_stays_within_its_size_budget() -> None:
    tools_list = await _tools_list()
    total = len(json.dumps(tools_list, separators=(",", ":"), ensure_ascii=False).encode())
    per_tool = {
        tool["name"]: len(json.dumps(tool, separators=(",", ":"), ensure_ascii=False).encode())
        for tool in tools_list["tools"]
    }
    assert total <= TOOLS_LIST_BUDGET, (
        f"tools/list is {total} bytes (budget {TOOLS_LIST_BUDGET}): {per_tool}. Shorten descriptions or "
        "output schemas before raising the budget; update the README figure with it."
    )
    oversized = {name: size for name, size in per_tool.items() if size > PER_TOOL_BUDGET}
    assert not oversized, f"tools over {PER_TOOL_BUDGET} bytes each: {oversized}"
