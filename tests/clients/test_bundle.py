"""The MCP Bundle (.mcpb) for Claude Desktop: built by scripts/build_bundle.py, checked and packed by the official
MCPB CLI (pinned in package-lock.json), unpacked like an install, and launched the way the host launches it.

The launch command comes from the host code the MCPB package ships (getMcpConfigForManifest, via
mcpb_host.mjs): the user's settings become environment variables, the server speaks stdio, and the host's uv
builds the environment from the bundle's pyproject.toml and uv.lock.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import mcp
import pytest
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp_types import TextContent

from onderwijsloket_mcp.config import ENV_VARS
from tests.clients.runner import CLIENTS_DIR, Clients, ensure_clients, run
from tests.stack.fixture import StackInfo
from tests.support.client import call, text_of
from tests.support.distribution import Dist, clean_env, script, uv

builder = script("build_bundle")
# A bundle carries no dependencies (the host's uv installs them): it should stay well under a megabyte.
BUNDLE_BUDGET = 1024 * 1024


@pytest.fixture(scope="module")
def clients() -> Clients:
    return ensure_clients()


@pytest.fixture(scope="module")
def installed(clients: Clients, bundle: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle unpacked by the official CLI into a directory of its own, as the host installs it."""
    target = tmp_path_factory.mktemp("installed") / "onderwijsloket-mcp"
    outcome = run([str(clients.mcpb), "unpack", str(bundle), str(target)])
    assert outcome.returncode == 0, outcome.describe()
    return target


@pytest.fixture(scope="module")
def manifest(installed: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((installed / "manifest.json").read_text(encoding="utf-8"))
    return document


def host(installed: Path, user_config: dict[str, Any]) -> dict[str, Any]:
    """What the host would run for these settings (``config`` is None while a required one is missing)."""
    outcome = run(["node", str(CLIENTS_DIR / "mcpb_host.mjs"), str(installed), json.dumps(user_config)])
    assert outcome.returncode == 0, outcome.describe()
    answer: dict[str, Any] = outcome.json()
    return answer


def test_the_official_cli_validates_the_manifest(clients: Clients, installed: Path) -> None:
    outcome = run([str(clients.mcpb), "validate", str(installed / "manifest.json")])
    assert outcome.returncode == 0, outcome.describe()
    assert "Manifest schema validation passes" in outcome.stdout


def test_the_manifest_uses_the_newest_version_and_the_uv_server_type(
    installed: Path, manifest: dict[str, Any]
) -> None:
    assert manifest["manifest_version"] == host(installed, {})["latestManifestVersion"]
    server = manifest["server"]
    assert server["type"] == "uv"
    assert (installed / server["entry_point"]).is_file()
    assert server["mcp_config"]["command"] == "uv"
    assert server["mcp_config"]["args"][-1] == server["entry_point"]


def test_the_bundle_holds_the_wheel_its_lock_and_the_license(
    bundle: Path, dist: Dist, manifest: dict[str, Any]
) -> None:
    with zipfile.ZipFile(bundle) as archive:
        names = set(archive.namelist())
        wheel = archive.read(f"wheels/{dist.wheel.name}")
        license_text = archive.read("LICENSE").decode()
    assert names == {
        "manifest.json",
        "pyproject.toml",
        "uv.lock",
        "LICENSE",
        builder.ENTRY_POINT,
        f"wheels/{dist.wheel.name}",
    }
    assert wheel == dist.wheel.read_bytes(), "the bundle must carry the wheel the suite tested"
    assert license_text == (builder.ROOT / "LICENSE").read_text(encoding="utf-8")
    assert manifest["license"] == "MIT"
    assert bundle.stat().st_size < BUNDLE_BUDGET, f"the bundle grew to {bundle.stat().st_size:,} bytes"


def test_the_manifest_credits_geonames_for_the_gazetteer(manifest: dict[str, Any]) -> None:
    # CC BY 4.0: the attribution travels with the data, in the text the host shows before installing.
    text = manifest["long_description"]
    assert "[GeoNames](https://www.geonames.org/)" in text
    assert "https://creativecommons.org/licenses/by/4.0/" in text


def test_user_config_offers_every_setting_with_its_default(manifest: dict[str, Any]) -> None:
    options = manifest["user_config"]
    env = manifest["server"]["mcp_config"]["env"]
    bundled = [var for var in ENV_VARS if var.name not in builder.NOT_IN_BUNDLE]
    assert {"ONDERWIJSLOKET_MCP_BEARER"} == builder.NOT_IN_BUNDLE  # HTTP only; the bundle speaks stdio
    assert list(options) == [builder.config_key(var) for var in bundled]
    assert list(env) == [var.name for var in bundled]
    for var in bundled:
        option = options[builder.config_key(var)]
        assert env[var.name] == f"${{user_config.{builder.config_key(var)}}}"
        assert option["description"] == var.description
        assert option.get("sensitive", False) is var.secret, var.name
    token = options["token"]
    assert token["required"] is True and token["sensitive"] is True and "default" not in token


def test_the_host_passes_defaults_and_refuses_to_start_without_a_token(installed: Path) -> None:
    assert host(installed, {})["config"] is None
    config = host(installed, {"token": "t0ken"})["config"]
    assert config["args"] == ["run", "--directory", str(installed), builder.ENTRY_POINT]
    env = config["env"]
    assert env["ONDERWIJSLOKET_TOKEN"] == "t0ken"
    for var in ENV_VARS:
        if var.name in env and var.name != "ONDERWIJSLOKET_TOKEN":
            # What the server reads: the documented default, or empty (which config treats as unset).
            expected = {"0": "false", "1": "true"}.get(var.default or "", var.default or "")
            assert env[var.name] == expected, var.name


@pytest.mark.anyio
async def test_the_host_launch_command_serves_the_stack_over_stdio(
    installed: Path, manifest: dict[str, Any], stack: StackInfo, tmp_path: Path
) -> None:
    user_config = {
        "token": stack.reader_token,
        "api_url": stack.url,
        "search_backend": "directus",  # keeps search on this machine
        "log_level": "WARNING",
    }
    config = host(installed, user_config)["config"]
    # The host resolves `uv` itself; here it is the uv that runs this suite. The checkout stays off PATH.
    command = uv() if config["command"] == "uv" else config["command"]
    extra = clean_env()
    env = {**config["env"], "PATH": extra["PATH"], "UV_PYTHON_DOWNLOADS": extra["UV_PYTHON_DOWNLOADS"]}
    errlog = tmp_path / "stderr.log"
    params = StdioServerParameters(command=command, args=config["args"], env=env, cwd=tmp_path)
    with errlog.open("w") as err:
        async with mcp.Client(stdio_client(params, errlog=err)) as client:
            tools = (await client.list_tools()).tools
            prompts = (await client.list_prompts()).prompts
            rendered = await client.get_prompt(
                prompts[0].name, {a.name: f"${{arguments.{a.name}}}" for a in prompts[0].arguments or []}
            )
            faq = await call(client, "search_faq", query="lerarenopleiding naast baan")
            desks = await call(client, "list_regional_desks", near="Zwolle")
    # The manifest lists exactly what the bundled server serves.
    assert manifest["tools"] == [
        {"name": t.name, "description": builder.summary(t.description or "")} for t in tools
    ]
    assert [(p["name"], p["description"], p["arguments"]) for p in manifest["prompts"]] == [
        (p.name, p.description, [a.name for a in p.arguments or []]) for p in prompts
    ]
    first = rendered.messages[0].content
    assert isinstance(first, TextContent) and first.text == manifest["prompts"][0]["text"]
    for result in (faq, desks):
        assert not result.is_error, text_of(result)
    assert "Kan ik een lerarenopleiding volgen naast mijn baan?" in text_of(faq)
    assert "Onderwijsregio Zwolle" in text_of(desks)
    # uv built the environment inside the installed bundle, from the bundled wheel.
    assert (installed / ".venv").is_dir()
    assert stack.reader_token not in errlog.read_text(errors="replace")
