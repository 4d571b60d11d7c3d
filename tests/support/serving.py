"""The real console entry point as a subprocess, for end-to-end tests of the transports.

Tests talk to these processes the way users' clients do (sockets and pipes), never in-process.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SERVER_COMMAND = [sys.executable, "-m", "onderwijsloket_mcp"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def server_env(stack: Any | None = None, **overrides: str) -> dict[str, str]:
    """A clean environment for the server: the test stack with the reader token, Directus search.

    Directus search keeps every call on this machine (the Algolia default would go to the internet).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONDERWIJSLOKET_")}
    env.update(
        {
            "ONDERWIJSLOKET_SEARCH_BACKEND": "directus",
            "ONDERWIJSLOKET_GEOCODER_ONLINE": "0",
            "ONDERWIJSLOKET_TIMEOUT": "20",
            "ONDERWIJSLOKET_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
    )
    if stack is not None:
        env["ONDERWIJSLOKET_API_URL"] = stack.url
        env["ONDERWIJSLOKET_TOKEN"] = stack.reader_token
    env.update(overrides)
    return env


@dataclass
class HttpServer:
    process: subprocess.Popen[bytes]
    port: int
    stderr_path: Path
    stdout_path: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.base}/mcp"

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stdout(self) -> str:
        return self.stdout_path.read_text(errors="replace")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


def get(
    url: str, headers: Mapping[str, str] | None = None, timeout: float = 5
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=dict(headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def wait_healthy(server: HttpServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited with {server.process.returncode}:\n{server.stderr()}")
        try:
            status, _, body = get(f"{server.base}/healthz", timeout=2)
            if status == 200 and json.loads(body).get("status") == "ok":
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"server did not become healthy in {timeout}s:\n{server.stderr()}")


@contextmanager
def http_server(
    env: Mapping[str, str], args: Sequence[str] = (), port: int | None = None
) -> Iterator[HttpServer]:
    """``onderwijsloket-mcp --transport http`` on a free loopback port; stopped with SIGTERM afterwards."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="olmcp-http-") as tmp:
        stderr_path, stdout_path = Path(tmp) / "stderr.log", Path(tmp) / "stdout.log"
        with stderr_path.open("wb") as stderr, stdout_path.open("wb") as stdout:
            process = subprocess.Popen(
                [*SERVER_COMMAND, "--transport", "http", "--port", str(port), *args],
                env=dict(env),
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
            )
        server = HttpServer(process, port, stderr_path, stdout_path)
        try:
            wait_healthy(server)
            yield server
        finally:
            server.stop()
