"""openai-agents against the console script over stdio: strict schema conversion, ``call_tool``, and the
model's view of every tool's answer in both modes (markdown text, or ``use_structured_content``).

The model is the SDK's ScriptedModel (no network, no LLM) acting as a model in OpenAI's strict mode does: it
fills every parameter of the strict schema it was given, with nothing ("" or 'any') or the stated default for
the ones it does not need. Such a call must answer exactly like the sample call itself.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from agents import Agent, RunConfig, Runner
from agents.items import ToolCallOutputItem
from agents.mcp import MCPServerStdio
from agents.testing import ModelStep, ScriptedModel, assistant_message, function_call
from agents.tool import FunctionTool
from mcp_types import CallToolResult

from tests.frameworks.common import (
    expected_answers,
    fill_every_parameter,
    stdio_server,
)
from tests.stack.fixture import StackInfo
from tests.support.client import text_of
from tests.support.facts import missing_facts, seen_text
from tests.support.inventory import TOOL_SAMPLES

pytestmark = [pytest.mark.anyio, pytest.mark.stack]


def server(stack: StackInfo, *, structured: bool) -> MCPServerStdio:
    command, env = stdio_server(stack)
    return MCPServerStdio(
        params={"command": command, "args": [], "env": env},
        name="onderwijsloket",
        use_structured_content=structured,
        client_session_timeout_seconds=60,
    )


class StrictModel(ScriptedModel):
    """Calls every tool once, with every parameter of the strict schema filled, then answers."""

    def __init__(self) -> None:
        super().__init__()
        self.arguments: dict[str, dict[str, Any]] = {}
        self.tools: list[FunctionTool] = []

    async def get_response(self, *args: Any, **kwargs: Any) -> Any:
        if not self.calls and not self.remaining_steps:
            tools = kwargs.get("tools", args[3] if len(args) > 3 else [])
            self.tools = [tool for tool in tools if isinstance(tool, FunctionTool)]
            schemas = {tool.name: tool.params_json_schema for tool in self.tools}
            self.arguments = {
                name: fill_every_parameter(schemas[name], sample) for name, sample in TOOL_SAMPLES.items()
            }
            self.extend(
                [
                    ModelStep(output=[function_call(n, a, call_id=n) for n, a in self.arguments.items()]),
                    ModelStep(output=[assistant_message("done")]),
                ]
            )
        return await super().get_response(*args, **kwargs)


async def run_strict_agent(stack: StackInfo, *, structured: bool) -> tuple[StrictModel, dict[str, Any]]:
    model = StrictModel()
    async with server(stack, structured=structured) as mcp_server:
        agent = Agent(
            name="olmcp",
            model=model,
            mcp_servers=[mcp_server],
            mcp_config={"convert_schemas_to_strict": True},
        )
        result = await Runner.run(agent, "Beantwoord de vraag.", run_config=RunConfig(tracing_disabled=True))
    assert result.final_output == "done"
    outputs = {
        item.call_id: item.raw_item["output"] if isinstance(item.raw_item, dict) else item.output
        for item in result.new_items
        if isinstance(item, ToolCallOutputItem)
    }
    return model, outputs


def text_seen(output: Any) -> str:
    """The tool output as the model reads it (a text item, a list of them, or a JSON string)."""
    if isinstance(output, dict):
        return str(output.get("text", ""))
    if isinstance(output, list):
        return "\n".join(text_seen(item) for item in output)
    return str(output)


async def test_strict_schemas_keep_every_description_and_no_defaults(stack: StackInfo) -> None:
    model, _ = await run_strict_agent(stack, structured=False)
    assert {tool.name for tool in model.tools} == set(TOOL_SAMPLES)
    for tool in model.tools:
        schema = tool.params_json_schema
        assert tool.strict_json_schema, f"{tool.name}: strict conversion failed, sent as non-strict"
        assert sorted(schema["required"]) == sorted(schema["properties"]), tool.name
        for name, spec in schema["properties"].items():
            assert spec.get("description"), (tool.name, name)
            assert "default" not in spec, f"{tool.name}.{name} keeps default={spec['default']!r}"
            assert "anyOf" not in spec and spec.get("type") != "null", (tool.name, name, spec)


@pytest.mark.parametrize("structured", [False, True], ids=["text", "structured_content"])
async def test_a_strict_model_gets_the_whole_answer(stack: StackInfo, structured: bool) -> None:
    expected = await expected_answers(stack)
    model, outputs = await run_strict_agent(stack, structured=structured)
    assert set(outputs) == set(TOOL_SAMPLES)
    for tool, output in outputs.items():
        markdown = text_of(expected[tool])
        seen = text_seen(output)
        if not structured:
            # "" and 'any' in the unused parameters mean "not given": the same answer as the sample's.
            assert seen == markdown, (tool, model.arguments[tool], seen[:300])
        else:
            assert json.loads(seen) == expected[tool].structured_content, tool
            assert not missing_facts(markdown, seen), (tool, missing_facts(markdown, seen))


async def test_call_tool_returns_markdown_and_complete_structured_content(stack: StackInfo) -> None:
    expected = await expected_answers(stack)
    async with server(stack, structured=True) as mcp_server:
        for tool, arguments in TOOL_SAMPLES.items():
            result = await mcp_server.call_tool(tool, arguments)
            assert isinstance(result, CallToolResult) and not result.is_error, (tool, result)
            assert text_of(result) == text_of(expected[tool])
            assert result.structured_content == expected[tool].structured_content
            assert not missing_facts(text_of(result), seen_text(result.structured_content)), tool
