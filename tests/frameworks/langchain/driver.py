"""Runs in this directory's own environment (langchain-mcp-adapters with the 1.x ``mcp`` client), started by
tests/frameworks/test_langchain.py. Reads a JSON spec on stdin, prints a JSON report on stdout.

Spec: {"connections": {label: langchain connection}, "calls": [{"id", "tool", "arguments"}]}.
Report per connection label: each tool as ``convert_to_openai_tool`` makes it (plain and strict), and each
call's ToolMessage: the content a model is shown, the artifact (structuredContent) and the status.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

from langchain_core.utils.function_calling import convert_to_openai_tool
from langchain_mcp_adapters.client import MultiServerMCPClient
from langchain_mcp_adapters.tools import load_mcp_tools


async def run(connection: dict[str, Any], calls: list[dict[str, Any]]) -> dict[str, Any]:
    client = MultiServerMCPClient({"onderwijsloket": connection})
    async with client.session("onderwijsloket") as session:
        tools = {tool.name: tool for tool in await load_mcp_tools(session)}
        report: dict[str, Any] = {
            "openai": {name: convert_to_openai_tool(tool) for name, tool in tools.items()},
            "openai_strict": {
                name: convert_to_openai_tool(tool, strict=True) for name, tool in tools.items()
            },
            "calls": {},
        }
        for call in calls:
            message = await tools[call["tool"]].ainvoke(
                {"type": "tool_call", "id": call["id"], "name": call["tool"], "args": call["arguments"]}
            )
            report["calls"][call["id"]] = {
                "content": message.content,
                "artifact": message.artifact,
                "status": message.status,
            }
    return report


async def main() -> None:
    spec = json.load(sys.stdin)
    report = {
        label: await run(connection, spec["calls"]) for label, connection in spec["connections"].items()
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    asyncio.run(main())
