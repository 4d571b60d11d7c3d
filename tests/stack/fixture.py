"""Session-wide access to the real Directus test stack (see directus.sh and ASSUMPTIONS.md).

With OLMCP_STACK_URL set, tests reuse that running stack (start one with ``tests/stack/directus.sh up``;
it listens on http://127.0.0.1:8055). Otherwise ``running_stack`` starts a private stack on free ports
with its own state dir, so it never disturbs a shared stack, and stops it afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("directus.sh")
PRIVATE_STATE_PREFIX = "/tmp/onderwijsloket-directus-pytest-"
ADMIN_TOKEN = "test-admin-token"
READER_TOKEN = "test-reader-token"
CONTENT_TOKEN = "test-content-token"
ALGOLIA_KEY = "test-algolia-key"


@dataclass(frozen=True)
class StackInfo:
    url: str
    admin_token: str = ADMIN_TOKEN
    reader_token: str = READER_TOKEN
    content_token: str = CONTENT_TOKEN
    algolia_key: str = ALGOLIA_KEY


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def _uncaptured(config: pytest.Config | None) -> AbstractContextManager[object]:
    """Let directus.sh print its phase timings live instead of into pytest's capture."""
    capman = config.pluginmanager.getplugin("capturemanager") if config else None
    return capman.global_and_fixture_disabled() if capman else nullcontext()


def _check_reachable(url: str) -> None:
    try:
        with urllib.request.urlopen(f"{url}/server/ping", timeout=5):
            return
    except OSError as exc:
        raise RuntimeError(
            f"OLMCP_STACK_URL={url} does not answer /server/ping ({exc}); start the stack with "
            "`tests/stack/directus.sh up` or unset OLMCP_STACK_URL to let the tests start their own"
        ) from None


def _reap_orphans(config: pytest.Config | None) -> None:
    """Stop private stacks left by killed sessions (SIGTERM/SIGKILL skip fixture teardown)."""
    for state in Path("/tmp").glob(Path(PRIVATE_STATE_PREFIX).name + "*"):
        owner = state.name.rsplit("-", 1)[-1]
        if not owner.isdigit() or Path(f"/proc/{owner}").exists():
            continue
        with _uncaptured(config):
            env = {**os.environ, "DIRECTUS_STATE": str(state)}
            subprocess.run(["bash", str(SCRIPT), "down"], env=env, stdout=2, check=False)


@contextmanager
def running_stack(config: pytest.Config | None = None) -> Iterator[StackInfo]:
    shared = os.environ.get("OLMCP_STACK_URL")
    if shared:
        url = shared.rstrip("/")
        _check_reachable(url)
        yield StackInfo(url=url)
        return
    _reap_orphans(config)
    port, pg_port = _free_ports(2)
    env = {
        **os.environ,
        "DIRECTUS_PORT": str(port),
        "DIRECTUS_PG_PORT": str(pg_port),
        "DIRECTUS_STATE": f"{PRIVATE_STATE_PREFIX}{os.getpid()}",
    }
    try:
        with _uncaptured(config):
            # stdout=2: npm's progress lines join the phase timings on stderr.
            rc = subprocess.run(["bash", str(SCRIPT), "up"], env=env, stdout=2, check=False).returncode
        if rc != 0:
            raise RuntimeError(f"tests/stack/directus.sh up failed (exit {rc}); its log is above")
        yield StackInfo(url=f"http://127.0.0.1:{port}")
    finally:
        with _uncaptured(config):
            subprocess.run(["bash", str(SCRIPT), "down"], env=env, stdout=2, check=False)
