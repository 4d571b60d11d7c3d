"""The MCP Inspector CLI (a client we did not write) against the real server, over stdio and over HTTP.

Every tool the server lists is called with the sample its test module declares (tests/support/inventory.py),
and every resource template and prompt with a sample below: nothing ships that a third-party client has never
called.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.clients.runner import Clients, Run, ensure_clients, run
from tests.support.inventory import SAMPLES, TOOL_SAMPLES
from tests.support.serving import http_server, server_env

# One concrete URI per resource template.
TEMPLATE_SAMPLES: dict[str, str] = {
    "onderwijsloket://schema/{collection}": "onderwijsloket://schema/programs",
    "onderwijsloket://taxonomy/{name}": "onderwijsloket://taxonomy/sectors",
}
# Arguments per prompt (all prompt arguments are optional; one filled in shows they are accepted).
PROMPT_SAMPLES: dict[str, dict[str, str]] = {
    "orient_on_education_career": {"question": "Wat verdient een leraar?", "place": "Zwolle"},
    "plan_route_into_teaching": {"goal": "leraar basisonderwijs"},
}

CONSOLE_SCRIPT = Path(sys.executable).with_name("onderwijsloket-mcp")


@dataclass(frozen=True)
class Target:
    """How the Inspector reaches the server: the console script over stdio, or a URL."""

    transport: str
    options: list[str]  # -e KEY=VALUE pairs for a stdio server
    server: list[str]  # the command to spawn, or the URL


@pytest.fixture(scope="module")
def clients() -> Clients:
    return ensure_clients()


@pytest.fixture(scope="module", params=["stdio", "http"])
def target(request: pytest.FixtureRequest, stack: Any) -> Iterator[Target]:
    env = server_env(stack, ONDERWIJSLOKET_LOG_LEVEL="WARNING")
    if request.param == "stdio":
        # The Inspector starts the server itself, with only these variables added to a minimal environment.
        pairs = [
            arg
            for key, value in env.items()
            if key.startswith("ONDERWIJSLOKET_")
            for arg in ("-e", f"{key}={value}")
        ]
        yield Target("stdio", pairs, [str(CONSOLE_SCRIPT)])
    else:
        with http_server(env) as server:
            yield Target("http", [], [server.url])


def inspect(clients: Clients, target: Target, *args: str, era: str | None = None) -> Run:
    command = [str(clients.inspector), "--cli", "--format", "json"]
    if era:
        command += ["--protocol-era", era]
    # "--" ends variadic options such as --prompt-args before the server command or URL.
    command += [*target.options, *args, "--", *target.server]
    return run(command, env={"MCP_CATALOG_PATH": str(clients.catalog)})


def result_of(outcome: Run) -> dict[str, Any]:
    assert outcome.returncode == 0, outcome.describe()
    envelope = outcome.json()
    assert "result" in envelope, outcome.describe()
    result: dict[str, Any] = envelope["result"]
    return result


def test_tools_list_strict_has_no_error_findings(clients: Clients, target: Target) -> None:
    outcome = inspect(clients, target, "--method", "tools/list", "--strict")
    # Exit 6 means error-severity portability findings; the JSON envelope lists them all.
    findings = [
        {"tool": entry["toolName"], **finding}
        for entry in (outcome.json().get("schemaFindings", []) if outcome.stdout.strip() else [])
        for finding in entry["findings"]
    ]
    errors = [f for f in findings if f["severity"] == "error"]
    assert not errors, errors
    assert outcome.returncode == 0, outcome.describe()
    assert result_of(outcome)["tools"]


def test_tools_list_is_the_same_in_both_protocol_eras(clients: Clients, target: Target) -> None:
    legacy, modern = (
        result_of(inspect(clients, target, "--method", "tools/list", era=era))["tools"]
        for era in ("legacy", "modern")
    )
    assert legacy == modern


def test_every_tool_has_a_sample(clients: Clients, target: Target) -> None:
    names = {tool["name"] for tool in result_of(inspect(clients, target, "--method", "tools/list"))["tools"]}
    missing = sorted(names - set(TOOL_SAMPLES))
    stale = sorted(set(TOOL_SAMPLES) - names)
    assert not missing, f"tools without a sample call (SAMPLE in their test module): {missing}"
    assert not stale, f"samples of tools the server no longer lists: {stale}"


@pytest.mark.parametrize("tool", sorted(TOOL_SAMPLES))
def test_tools_call(clients: Clients, target: Target, tool: str) -> None:
    outcome = inspect(
        clients,
        target,
        "--method",
        "tools/call",
        "--tool-name",
        tool,
        "--tool-args-json",
        json.dumps(TOOL_SAMPLES[tool]),
    )
    # Exit 5 = the tool answered isError: the describe() output shows its message.
    result = result_of(outcome)
    assert result.get("isError") is not True, outcome.describe()
    texts = [block["text"] for block in result["content"] if block.get("type") == "text"]
    assert texts and all(text.strip() for text in texts), outcome.describe()
    if SAMPLES[tool].links:
        assert "https://onderwijsloket.com" in "\n".join(texts), "answers carry links to cite"


def test_resources_list_and_read(clients: Clients, target: Target) -> None:
    resources = result_of(inspect(clients, target, "--method", "resources/list"))["resources"]
    uris = [resource["uri"] for resource in resources]
    assert "onderwijsloket://schema" in uris
    for uri in uris:
        contents = result_of(inspect(clients, target, "--method", "resources/read", "--uri", uri))["contents"]
        assert contents and contents[0]["uri"] == uri and contents[0].get("text", "").strip(), uri


def test_resource_templates_list_and_read(clients: Clients, target: Target) -> None:
    templates = result_of(inspect(clients, target, "--method", "resources/templates/list"))[
        "resourceTemplates"
    ]
    listed = {template["uriTemplate"] for template in templates}
    assert listed == set(TEMPLATE_SAMPLES), (
        f"keep TEMPLATE_SAMPLES in {__file__} in step with {sorted(listed)}"
    )
    for uri in TEMPLATE_SAMPLES.values():
        contents = result_of(inspect(clients, target, "--method", "resources/read", "--uri", uri))["contents"]
        assert contents and contents[0].get("text", "").strip(), uri


def test_prompts_list_and_get(clients: Clients, target: Target) -> None:
    prompts = result_of(inspect(clients, target, "--method", "prompts/list"))["prompts"]
    names = {prompt["name"] for prompt in prompts}
    assert names == set(PROMPT_SAMPLES), f"keep PROMPT_SAMPLES in {__file__} in step with {sorted(names)}"
    for name, arguments in PROMPT_SAMPLES.items():
        pairs = [f"{key}={value}" for key, value in arguments.items()]
        result = result_of(
            inspect(
                clients, target, "--method", "prompts/get", "--prompt-name", name, "--prompt-args", *pairs
            )
        )
        assert result["messages"], name
