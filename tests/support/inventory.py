"""The tool inventory as the tests see it: every tool of ``onderwijsloket_mcp.tools.TOOLS`` with its test module
(``tests/tools/<family>/test_<tool>.py``) and the sample call that module declares (``SAMPLE``).

The per-tool tables of the tests (the Inspector's and the agent frameworks' calls, the site-URL check, the
benchmarks' default cases) derive from here; tests/contract/test_inventory.py checks that every table covers the
inventory.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from onderwijsloket_mcp.tools import TOOLS
from onderwijsloket_mcp.tools._common import Tool
from tests.support.client import Sample


def tool_test_module_name(tool: Tool) -> str:
    return f"tests.tools.{tool.family}.test_{tool.name}"


def tool_test_module(tool: Tool) -> ModuleType:
    return import_module(tool_test_module_name(tool))


SAMPLES: dict[str, Sample] = {tool.name: tool_test_module(tool).SAMPLE for tool in TOOLS}
# Tool name -> the arguments of its sample call.
TOOL_SAMPLES: dict[str, dict[str, Any]] = {name: sample.arguments for name, sample in SAMPLES.items()}
