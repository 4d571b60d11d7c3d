"""langchain-mcp-adapters (stdio and streamable HTTP) and langchain-core's ``convert_to_openai_tool``, plain
and strict, against our server.

langchain-mcp-adapters pins the 1.x ``mcp`` client, which cannot share an environment with this server's
2.x SDK: the framework runs from its own locked environment (tests/frameworks/langchain: pyproject.toml,
uv.lock), synced with ``uv sync --frozen`` into tests/frameworks/langchain/.venv (gitignored) and driven
through driver.py as a subprocess. This also proves that 1.x SDK clients work against the server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import anyio
import mcp
import pytest

from onderwijsloket_mcp.server import create_server
from tests.frameworks.common import (
    expected_answers,
    fill_every_parameter,
    stdio_server,
)
from tests.stack.fixture import StackInfo
from tests.support.client import stack_settings, text_of
from tests.support.facts import missing_facts
from tests.support.inventory import TOOL_SAMPLES
from tests.support.serving import http_server

pytestmark = pytest.mark.stack

PROJECT = Path(__file__).with_name("langchain")
TRANSPORTS = ("stdio", "http")


def langchain_python() -> Path:
    """The locked environment's interpreter, synced (from PyPI, once; later runs find it up to date)."""
    uv = os.environ.get("UV") or shutil.which("uv")
    assert uv, "uv is needed to build the langchain environment (pip install uv)"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")}
    result = subprocess.run(
        [uv, "sync", "--frozen", "--no-dev", "--project", str(PROJECT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return PROJECT / ".venv" / "bin" / "python"


@pytest.fixture(scope="module")
def expected(stack: StackInfo) -> dict[str, Any]:
    async def answers() -> dict[str, Any]:
        async with mcp.Client(create_server(stack_settings(stack, log_level="WARNING"))) as client:
            tools = {tool.name: tool.input_schema for tool in (await client.list_tools()).tools}
        return {"answers": await expected_answers(stack), "schemas": tools}

    return anyio.run(answers)


@pytest.fixture(scope="module")
def report(stack: StackInfo, expected: dict[str, Any]) -> dict[str, Any]:
    """One run of the driver over stdio and HTTP: every sample, and every sample as a strict model fills it."""
    python = langchain_python()
    command, env = stdio_server(stack)
    calls = [{"id": tool, "tool": tool, "arguments": arguments} for tool, arguments in TOOL_SAMPLES.items()]
    calls += [
        {
            "id": f"{tool}:strict",
            "tool": tool,
            "arguments": fill_every_parameter(expected["schemas"][tool], sample),
        }
        for tool, sample in TOOL_SAMPLES.items()
    ]
    with http_server(env) as server:
        spec = {
            "connections": {
                "stdio": {"transport": "stdio", "command": command, "args": [], "env": env},
                "http": {"transport": "streamable_http", "url": server.url},
            },
            "calls": calls,
        }
        result = subprocess.run(
            [str(python), str(PROJECT / "driver.py")],
            input=json.dumps(spec),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def content_text(content: Any) -> str:
    """A ToolMessage's content as the model reads it: a string, or text blocks."""
    if isinstance(content, str):
        return content
    return "\n".join(block.get("text", "") for block in content if isinstance(block, dict))


@pytest.mark.parametrize("transport", TRANSPORTS)
@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
def test_openai_conversion_keeps_every_parameter_intact(
    report: dict[str, Any], transport: str, strict: bool
) -> None:
    converted = report[transport]["openai_strict" if strict else "openai"]
    assert set(converted) == set(TOOL_SAMPLES)
    for name, tool in converted.items():
        function = tool["function"]
        assert function["description"] and function.get("strict", False) is strict
        parameters = function["parameters"]
        if strict:
            assert sorted(parameters["required"]) == sorted(parameters["properties"]), name
            assert parameters["additionalProperties"] is False
        for parameter, spec in parameters["properties"].items():
            assert spec.get("description"), (name, parameter)
            assert "anyOf" not in spec and isinstance(spec.get("type"), str), (name, parameter, spec)
            assert "default" not in spec, f"{name}.{parameter} keeps default={spec['default']!r}"


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_every_call_shows_the_model_the_markdown(
    report: dict[str, Any], expected: dict[str, Any], transport: str
) -> None:
    """Plain and strictly filled calls ("" and 'any' for unused parameters) give the sample's answer."""
    for call_id, call in report[transport]["calls"].items():
        tool = call_id.split(":")[0]
        answer = expected["answers"][tool]
        assert call["status"] == "success", (call_id, content_text(call["content"])[:500])
        assert content_text(call["content"]) == text_of(answer), call_id
        assert call["artifact"] == {"structured_content": answer.structured_content}, call_id


@pytest.mark.parametrize("transport", TRANSPORTS)
def test_the_artifact_alone_holds_the_whole_answer(
    report: dict[str, Any], expected: dict[str, Any], transport: str
) -> None:
    for tool in TOOL_SAMPLES:
        structured = report[transport]["calls"][tool]["artifact"]["structured_content"]
        gaps = missing_facts(text_of(expected["answers"][tool]), structured)
        assert not gaps, (tool, gaps)
