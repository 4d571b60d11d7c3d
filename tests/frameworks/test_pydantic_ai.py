"""pydantic-ai (``MCPToolset``) against the console script over stdio, with a FunctionModel: no network, no LLM.

pydantic-ai shows the model structuredContent instead of the markdown whenever a result has it, so what the
model sees of each tool is only as complete as our structured result. The FunctionModel plays the model: it
calls every tool with its sample from TOOL_SAMPLES in one turn, then reads the tool returns exactly as
pydantic-ai would send them to a model (``ToolReturnPart.model_response_str``).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastmcp.client import Client
from fastmcp.client.transports import StdioTransport
from pydantic_ai import Agent
from pydantic_ai.mcp import MCPToolset
from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
)
from pydantic_ai.models.function import AgentInfo, FunctionModel

from tests.frameworks.common import (
    expected_answers,
    stdio_server,
)
from tests.stack.fixture import StackInfo
from tests.support.client import text_of
from tests.support.facts import missing_facts
from tests.support.inventory import TOOL_SAMPLES

pytestmark = [pytest.mark.anyio, pytest.mark.stack]


async def run_agent(stack: StackInfo) -> tuple[dict[str, str], list[Any]]:
    """Each tool's return as the model reads it, and the tool definitions the model was given."""
    command, env = stdio_server(stack)
    seen: dict[str, str] = {}
    definitions: list[Any] = []

    def model(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        if len(messages) == 1:
            definitions.extend(info.function_tools)
            return ModelResponse(
                parts=[
                    ToolCallPart(tool_name=tool, args=arguments, tool_call_id=tool)
                    for tool, arguments in TOOL_SAMPLES.items()
                ]
            )
        for part in messages[-1].parts if isinstance(messages[-1], ModelRequest) else []:
            if isinstance(part, ToolReturnPart):
                seen[part.tool_name] = part.model_response_str()
        return ModelResponse(parts=[TextPart("done")])

    toolset = MCPToolset(Client(StdioTransport(command, [], env=env)), tool_error_behavior="error")
    agent = Agent(FunctionModel(model), toolsets=[toolset])
    async with agent:
        result = await agent.run("Beantwoord de vraag met de tools.")
    assert result.output == "done"
    return seen, definitions


async def test_the_model_sees_every_tools_whole_answer(stack: StackInfo) -> None:
    expected = await expected_answers(stack)
    seen, definitions = await run_agent(stack)
    assert set(seen) == set(TOOL_SAMPLES)
    missing = {
        tool: gaps for tool in TOOL_SAMPLES if (gaps := missing_facts(text_of(expected[tool]), seen[tool]))
    }
    assert not missing, f"facts of the markdown the pydantic-ai model does not see: {missing}"
    # It reads them as JSON: structuredContent, the same for the frameworks as for our own client.
    for tool in TOOL_SAMPLES:
        assert seen[tool].startswith("{"), (tool, seen[tool][:200])

    by_name = {definition.name: definition for definition in definitions}
    assert set(by_name) == set(TOOL_SAMPLES)
    for name, definition in by_name.items():
        for parameter, spec in definition.parameters_json_schema["properties"].items():
            assert spec.get("description") and "anyOf" not in spec, (name, parameter, spec)
