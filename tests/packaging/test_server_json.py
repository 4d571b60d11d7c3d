"""Packaging for the MCP Registry: server.json against the vendored 2025-12-11 schema, versions, README."""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import json
import re
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from onderwijsloket_mcp import __version__
from onderwijsloket_mcp.config import ENV_VARS

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = Path(__file__).resolve().parents[1] / "registry" / "server.schema.2025-12-11.json"
# Byte-for-byte copy of https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json.
# Moving to a newer schema is a deliberate change: replace the file, the URL and this pin together.
SCHEMA_SHA256 = "3fba09590c99f61735d234822279f4223fab9e300c0a81e81c91ab62a4114de0"
SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
REGISTRY_NAME = "io.github.onderwijsin/onderwijsloket-mcp"


def _server_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ROOT / "server.json").read_text(encoding="utf-8"))
    return data


def _validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_PATH.read_bytes())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def _errors(document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path)) or '/'}: {e.message}"
        for e in _validator().iter_errors(document)
    ]


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _package(document: dict[str, Any]) -> dict[str, Any]:
    packages = document["packages"]
    assert len(packages) == 1
    package: dict[str, Any] = packages[0]
    return package


def test_vendored_schema_is_the_published_2025_12_11_file() -> None:
    assert hashlib.sha256(SCHEMA_PATH.read_bytes()).hexdigest() == SCHEMA_SHA256
    assert json.loads(SCHEMA_PATH.read_bytes())["$id"] == SCHEMA_URL


def test_server_json_is_valid_against_the_registry_schema() -> None:
    document = _server_json()
    assert document["$schema"] == SCHEMA_URL
    assert _errors(document) == []


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d.update(description="x" * 101), "description"),
        (lambda d: d.update(name="onderwijsloket-mcp"), "name"),
        (lambda d: d["packages"][0].update(version="latest"), "packages/0/version"),
        (lambda d: d["packages"][0].pop("transport"), "packages/0"),
    ],
)
def test_the_schema_catches_what_the_registry_rejects(change: Any, path: str) -> None:
    broken = copy.deepcopy(_server_json())
    change(broken)
    assert any(error.startswith(f"{path}:") for error in _errors(broken)), _errors(broken)


def test_registry_rules_beyond_the_schema() -> None:
    document = _server_json()
    assert document["name"] == REGISTRY_NAME
    assert re.fullmatch(r"[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+", document["name"])
    assert 1 <= len(document["description"]) <= 100
    package = _package(document)
    assert package["registryType"] == "pypi"
    assert package["identifier"] == _pyproject()["project"]["name"] == "onderwijsloket-mcp"
    assert package["runtimeHint"] == "uvx"
    assert package["transport"] == {"type": "stdio"}
    # Exact versions only: the registry refuses ranges.
    assert re.fullmatch(r"\d+\.\d+\.\d+([.-]?[0-9A-Za-z.]+)?", package["version"])


def test_versions_agree_everywhere() -> None:
    document = _server_json()
    assert document["version"] == _package(document)["version"] == __version__
    assert _pyproject()["project"]["version"] == __version__


def test_readme_carries_the_mcp_name_line() -> None:
    # PyPI shows the README; the registry verifies ownership by finding this exact line in it.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"mcp-name: {REGISTRY_NAME}" in readme.splitlines()
    assert _pyproject()["project"]["readme"] == "README.md"


def test_every_environment_variable_is_declared_with_its_secrecy() -> None:
    declared = {entry["name"]: entry for entry in _package(_server_json())["environmentVariables"]}
    assert list(declared) == [var.name for var in ENV_VARS], "server.json must list config.ENV_VARS in order"
    for var in ENV_VARS:
        entry = declared[var.name]
        assert entry["isSecret"] is var.secret, var.name
        assert entry.get("default") == var.default, var.name
        assert entry["description"] == var.description, var.name
    assert declared["ONDERWIJSLOKET_TOKEN"]["isSecret"] is True
    assert declared["ONDERWIJSLOKET_MCP_BEARER"]["isSecret"] is True


def test_server_json_is_what_the_build_script_writes() -> None:
    spec = importlib.util.spec_from_file_location(
        "build_server_json", ROOT / "scripts" / "build_server_json.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = module.render()
    assert (ROOT / "server.json").read_text(encoding="utf-8") == expected, (
        "server.json is stale: run `uv run python scripts/build_server_json.py` and commit the result"
    )
