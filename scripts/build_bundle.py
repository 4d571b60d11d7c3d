"""Build the MCP Bundle (.mcpb) for Claude Desktop, validated and packed by the official MCPB CLI.

    uv build
    uv run python scripts/build_bundle.py --mcpb tests/clients/node_modules/.bin/mcpb --wheel dist/*.whl

The bundle is a `uv` server (manifest 0.4): the host's uv provides Python and installs the dependencies, so the
bundle only carries this project's wheel, a pyproject.toml that depends on it (every dependency pinned to the
versions in uv.lock, which the test suite ran with), the matching uv.lock, and a small entry point.

manifest.json is derived, never hand-kept: the tools and prompts from the server itself (listed in process),
user_config from config.ENV_VARS (with the type hints server.json uses), the version, URLs, keywords and license
from pyproject.toml, and the data attribution from README.md. Writes dist/onderwijsloket-mcp-<version>.mcpb.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

import mcp  # noqa: E402
from build_server_json import CHOICES, DESCRIPTION, NUMBERS, REQUIRED, project  # noqa: E402
from mcp_types import TextContent  # noqa: E402

from onderwijsloket_mcp.config import ACCESS_REQUEST_URL, ENV_VARS, EnvVar, Settings  # noqa: E402
from onderwijsloket_mcp.server import create_server  # noqa: E402

# The newest manifest version the pinned CLI (@anthropic-ai/mcpb 2.1.2) knows; 0.4 added the `uv` server type.
MANIFEST_VERSION = "0.4"
PREFIX = "ONDERWIJSLOKET_"
UV = os.environ.get("UV", "uv")  # set by `uv run`
ENTRY_POINT = "server/main.py"
# The bundle always speaks stdio to the host, so the HTTP transport's bearer token has nothing to protect.
NOT_IN_BUNDLE = {"ONDERWIJSLOKET_MCP_BEARER"}
TITLES = {"ONDERWIJSLOKET_TOKEN": "Onderwijsloket API token"}
ACRONYMS = {"API", "URL", "ID", "TTL", "PDOK"}
ATTRIBUTION_HEADING = "## Data attribution"
LAUNCHER = '''\
"""Start onderwijsloket-mcp over stdio: the entry point the host runs (with uv) from this bundle."""

import sys

from onderwijsloket_mcp.cli import main

if __name__ == "__main__":
    sys.exit(main(["--transport", "stdio"]))
'''


def config_key(var: EnvVar) -> str:
    return var.name.removeprefix(PREFIX).lower()


def _title(var: EnvVar) -> str:
    if var.name in TITLES:
        return TITLES[var.name]
    words = [w if w in ACRONYMS else w.lower() for w in var.name.removeprefix(PREFIX).split("_")]
    words[0] = words[0][0].upper() + words[0][1:]
    return " ".join(words)


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def bundled_vars() -> list[EnvVar]:
    return [var for var in ENV_VARS if var.name not in NOT_IN_BUNDLE]


def _kind(var: EnvVar) -> tuple[str, str | int | float | bool]:
    """The option type and its default as the host's settings form holds it."""
    if var.name in NUMBERS and var.default is not None:
        return "number", _number(var.default)
    if CHOICES.get(var.name) == ["0", "1"]:
        # config accepts true/false too, which is what the host writes for a boolean.
        return "boolean", var.default == "1"
    # An option without a default would stay a literal ${user_config.x} in the environment when the user
    # leaves it empty; an empty default becomes an empty variable, which config reads as unset.
    return "string", var.default or ""


def user_config() -> dict[str, dict[str, Any]]:
    """One option per environment variable; the host fills in the defaults the user leaves alone."""
    options: dict[str, dict[str, Any]] = {}
    for var in bundled_vars():
        kind, default = _kind(var)
        option: dict[str, Any] = {"type": kind, "title": _title(var), "description": var.description}
        if var.name in REQUIRED:
            option["required"] = True
        else:
            option["default"] = default
        if var.secret:
            option["sensitive"] = True
        options[config_key(var)] = option
    return options


def environment() -> dict[str, str]:
    return {var.name: f"${{user_config.{config_key(var)}}}" for var in bundled_vars()}


def summary(description: str) -> str:
    """The first paragraph of a tool description, on one line."""
    return " ".join(description.strip().split("\n\n", 1)[0].split())


async def listing() -> dict[str, list[dict[str, Any]]]:
    """Tools and prompts as the server lists them (in process, no upstream call, no token needed)."""
    async with mcp.Client(create_server(Settings())) as client:
        tools = [
            {"name": tool.name, "description": summary(tool.description or "")}
            for tool in (await client.list_tools()).tools
        ]
        prompts = []
        for prompt in (await client.list_prompts()).prompts:
            arguments = [argument.name for argument in prompt.arguments or []]
            # The prompt's own text, with the MCPB placeholder where each argument goes.
            rendered = await client.get_prompt(prompt.name, {a: f"${{arguments.{a}}}" for a in arguments})
            text = "\n\n".join(
                m.content.text for m in rendered.messages if isinstance(m.content, TextContent)
            )
            prompts.append(
                {
                    "name": prompt.name,
                    "description": prompt.description or "",
                    "arguments": arguments,
                    "text": text,
                }
            )
    return {"tools": tools, "prompts": prompts}


def attribution() -> str:
    """README's data attribution section (GeoNames, CC BY 4.0), which must travel with the gazetteer."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index(ATTRIBUTION_HEADING)
    end = readme.find("\n## ", start + len(ATTRIBUTION_HEADING))
    return readme[start : end if end != -1 else None].strip()


def long_description(tools: list[dict[str, Any]]) -> str:
    lines = [
        "Live, read-only access to the [Onderwijsloket](https://onderwijsloket.com) API, the Dutch national "
        "information platform on careers in education: FAQs, knowledge-base articles, teacher-training "
        "programmes near a place, regional education desks and the routes into teaching.",
        "",
        f"Needs an Onderwijsloket API token ([request access]({ACCESS_REQUEST_URL})); the programme and route "
        "tools also need the free *Navigator* policy. Other settings are optional.",
        "",
        "Tools:",
        "",
        *(f"- `{tool['name']}`: {tool['description']}" for tool in tools),
        "",
        attribution(),
    ]
    return "\n".join(lines)


def manifest(listed: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    meta = project()
    repository = meta["urls"]["Repository"]
    return {
        "manifest_version": MANIFEST_VERSION,
        "name": meta["name"],
        "display_name": "Onderwijsloket",
        "version": meta["version"],
        "description": DESCRIPTION,
        "long_description": long_description(listed["tools"]),
        "author": {"name": meta["authors"][0]["name"], "url": repository},
        "repository": {"type": "git", "url": repository},
        "homepage": repository,
        "documentation": meta["urls"]["Documentation"],
        "support": meta["urls"]["Issues"],
        "server": {
            "type": "uv",
            "entry_point": ENTRY_POINT,
            "mcp_config": {
                "command": "uv",
                "args": ["run", "--directory", "${__dirname}", ENTRY_POINT],
                "env": environment(),
            },
        },
        "tools": listed["tools"],
        "tools_generated": False,
        "prompts": listed["prompts"],
        "prompts_generated": False,
        "keywords": meta["keywords"],
        "license": meta["license"],
        "compatibility": {
            "platforms": ["darwin", "win32", "linux"],
            "runtimes": {"python": meta["requires-python"]},
        },
        "user_config": user_config(),
    }


def pinned_requirements() -> list[str]:
    """Every runtime dependency at the version uv.lock holds (with its environment markers)."""
    exported = subprocess.run(
        [
            UV,
            "export",
            "--frozen",
            "--no-default-groups",
            "--no-emit-project",
            "--no-hashes",
            "--no-header",
            "--no-annotate",
            "--format",
            "requirements.txt",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.strip() for line in exported.splitlines() if line.strip() and not line.startswith("#")]


def _toml_list(items: list[str]) -> str:
    return "[\n" + "".join(f"  {json.dumps(item)},\n" for item in items) + "]"


def bundle_pyproject(wheel: str) -> str:
    meta = project()
    return f"""\
# The environment the host's uv builds for this bundle: the wheel below, dependencies pinned to uv.lock.
[project]
name = "{meta["name"]}-bundle"
version = "{meta["version"]}"
requires-python = "{meta["requires-python"]}"
dependencies = ["{meta["name"]}=={meta["version"]}"]

[tool.uv]
package = false
constraint-dependencies = {_toml_list(pinned_requirements())}

[tool.uv.sources]
{meta["name"]} = {{ path = "wheels/{wheel}" }}
"""


def stage(directory: Path, wheel: Path) -> None:
    """Write the bundle's files into ``directory``."""
    document = manifest(anyio.run(listing))
    (directory / "wheels").mkdir(parents=True)
    shutil.copy2(wheel, directory / "wheels" / wheel.name)
    (directory / "server").mkdir()
    (directory / ENTRY_POINT).write_text(LAUNCHER, encoding="utf-8")
    (directory / "pyproject.toml").write_text(bundle_pyproject(wheel.name), encoding="utf-8")
    shutil.copy2(ROOT / "LICENSE", directory / "LICENSE")
    (directory / "manifest.json").write_text(
        json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    # Locked here, with hashes, so the host installs exactly this set without resolving anything.
    subprocess.run([UV, "lock", "--quiet", "--directory", str(directory)], check=True)


def pack(mcpb: Path, directory: Path, output: Path) -> None:
    for command in (["validate", str(directory / "manifest.json")], ["pack", str(directory), str(output)]):
        result = subprocess.run([str(mcpb), *command], capture_output=True, text=True, check=False)
        if result.returncode != 0 or "ERROR" in result.stdout + result.stderr:
            raise SystemExit(f"mcpb {command[0]} failed:\n{result.stdout}\n{result.stderr}")


def bundle_name(version: str) -> str:
    return f"{project()['name']}-{version}.mcpb"


def build(mcpb: Path, out: Path, wheel: Path) -> Path:
    version = project()["version"]
    if wheel.name != f"{project()['name'].replace('-', '_')}-{version}-py3-none-any.whl":
        raise SystemExit(
            f"{wheel.name} is not the wheel of version {version} (pyproject.toml): run `uv build`"
        )
    out.mkdir(parents=True, exist_ok=True)
    output = out / bundle_name(version)
    with tempfile.TemporaryDirectory(prefix="olmcp-bundle-") as tmp:
        staging = Path(tmp) / "bundle"
        stage(staging, wheel)
        pack(mcpb, staging, output)
    return output


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mcpb", type=Path, required=True, help="the mcpb CLI (tests/clients/node_modules/.bin/mcpb)"
    )
    parser.add_argument("--wheel", type=Path, required=True, help="the wheel to bundle (from `uv build`)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output directory (default: dist/)")
    args = parser.parse_args()
    output = build(args.mcpb.resolve(), args.out.resolve(), args.wheel.resolve())
    print(f"{output} ({output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
