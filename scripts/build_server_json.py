"""Build server.json (the MCP Registry entry) from pyproject.toml (version, repository) and config.ENV_VARS.

    uv run python scripts/build_server_json.py            # write server.json
    uv run python scripts/build_server_json.py --check    # exit 1 when the committed file differs

tests/packaging/test_server_json.py fails when the committed file differs from what this script produces, so a new
environment variable or a version bump cannot be forgotten in the registry entry.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from onderwijsloket_mcp.config import ENV_VARS  # noqa: E402

SERVER_JSON = ROOT / "server.json"
SCHEMA_URL = "https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json"
REGISTRY_NAME = "io.github.onderwijsin/onderwijsloket-mcp"
DESCRIPTION = "Live, read-only Onderwijsloket data on careers in Dutch education: FAQs, articles, programmes."
# Without a token the server starts, but every data tool answers with how to request one.
REQUIRED = {"ONDERWIJSLOKET_TOKEN"}
CHOICES = {
    "ONDERWIJSLOKET_SEARCH_BACKEND": ["auto", "algolia", "directus"],
    "ONDERWIJSLOKET_LOG_LEVEL": ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"],
    "ONDERWIJSLOKET_GEOCODER_ONLINE": ["0", "1"],
}
NUMBERS = {
    "ONDERWIJSLOKET_TIMEOUT",
    "ONDERWIJSLOKET_MAX_RETRIES",
    "ONDERWIJSLOKET_MAX_RETRY_WAIT",
    "ONDERWIJSLOKET_CACHE_TTL",
}


def project() -> dict[str, Any]:
    """The [project] table of pyproject.toml: the one source of the version and the repository URL."""
    table: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def environment_variables() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for var in ENV_VARS:
        entry: dict[str, Any] = {"name": var.name, "description": var.description}
        entry["isRequired"] = var.name in REQUIRED
        entry["isSecret"] = var.secret
        if var.default is not None:
            entry["default"] = var.default
        if var.name in NUMBERS:
            entry["format"] = "number"
        if var.name in CHOICES:
            entry["choices"] = CHOICES[var.name]
        entries.append(entry)
    return entries


def build() -> dict[str, Any]:
    meta = project()
    return {
        "$schema": SCHEMA_URL,
        "name": REGISTRY_NAME,
        "title": "Onderwijsloket",
        "description": DESCRIPTION,
        "repository": {"url": meta["urls"]["Repository"], "source": "github"},
        "websiteUrl": "https://onderwijsloket.com",
        "version": meta["version"],
        "packages": [
            {
                "registryType": "pypi",
                "registryBaseUrl": "https://pypi.org",
                "identifier": meta["name"],
                "version": meta["version"],
                "runtimeHint": "uvx",
                "transport": {"type": "stdio"},
                "environmentVariables": environment_variables(),
            }
        ],
    }


def render() -> str:
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed file instead")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = SERVER_JSON.read_text(encoding="utf-8") if SERVER_JSON.exists() else ""
        if current != text:
            sys.stdout.writelines(difflib.unified_diff(current.splitlines(True), text.splitlines(True)))
            return 1
        return 0
    SERVER_JSON.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
