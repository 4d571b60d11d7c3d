"""Benchmark 5 - HTTP throughput: 50 concurrent clients against the streamable HTTP transport (the console
script with ``--transport http`` on loopback), with the stack warm: tool calls per second, median and p95
latency and the server's peak RSS, versus the same load sent straight to Directus (each tool call replaced
by the upstream requests a warm call of it makes). Run twice: with the caches on and off, to show the
caching before/after request counts under load.

Bounded: a fixed number of calls (default 600) and a time limit (default 60 s) per phase, loopback only.

    uv run python benchmarks/http_throughput.py [--url http://127.0.0.1:8055] [--clients 50] [--calls 1000]
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import anyio
import httpx
import mcp
import psutil
from _common import (
    CASES,
    SERVER_SCRIPT,
    Case,
    Report,
    Table,
    command_for,
    fmt_ratio,
    median,
    ms,
    parser,
    percentile,
    ratio,
    recording,
    replayable,
    server_env,
    settings_for,
)

from onderwijsloket_mcp.server import create_server

ACCEPT = "application/json, text/event-stream"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    wall: float = 0.0
    peak_rss: int = 0
    directus_peak_rss: int = 0
    upstream_requests: int | None = None

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.wall if self.wall else 0.0


class RssSampler:
    """Peak resident memory of a process (and its children), sampled every 20 ms in a thread."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        if self.pid is None:
            return
        try:
            process = psutil.Process(self.pid)
            while not self._stop.is_set():
                rss = process.memory_info().rss
                for child in process.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        rss += child.memory_info().rss
                self.peak = max(self.peak, rss)
                self._stop.wait(0.02)
        except psutil.Error:
            return

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def listening_pid(port: int) -> int | None:
    """The process serving a loopback port (the Directus stack), for its memory figure."""
    with contextlib.suppress(psutil.Error, OSError):
        for conn in psutil.net_connections(kind="tcp"):
            if conn.status == psutil.CONN_LISTEN and conn.laddr and conn.laddr.port == port and conn.pid:
                return int(conn.pid)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def http_server(
    url: str, token: str, port: int, log: TextIO, **env: str
) -> Iterator[subprocess.Popen[bytes]]:
    environment = {**os.environ, **server_env(url, token, ONDERWIJSLOKET_LOG_LEVEL="INFO", **env)}
    process = subprocess.Popen(
        [str(SERVER_SCRIPT), "--transport", "http", "--host", "127.0.0.1", "--port", str(port)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the HTTP server did not start; see its stderr")
            time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def decode_rpc(response: httpx.Response) -> dict[str, Any]:
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        for line in response.text.splitlines():
            if line.startswith("data:"):
                payload: dict[str, Any] = json.loads(line[5:])
                return payload
        raise ValueError("no data line in the event stream")
    body: dict[str, Any] = response.json()
    return body


async def tool_call(client: httpx.AsyncClient, case: Case, request_id: int) -> None:
    message = {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "tools/call",
        "params": {"name": case.tool, "arguments": case.arguments},
    }
    response = await client.post("/mcp", json=message, headers={"Accept": ACCEPT})
    response.raise_for_status()
    body = decode_rpc(response)
    if "error" in body or body.get("result", {}).get("isError"):
        raise RuntimeError(f"{case.tool}: {str(body)[:200]}")


async def load(
    phase: Phase,
    clients: int,
    calls: int,
    max_seconds: float,
    make_client: Callable[[], httpx.AsyncClient],
    one_call: Callable[[httpx.AsyncClient, int], Awaitable[None]],
) -> None:
    """``clients`` workers, each with its own connection, share ``calls`` calls (stops at ``max_seconds``)."""
    next_call = 0
    deadline = time.monotonic() + max_seconds

    async def worker() -> None:
        nonlocal next_call
        async with make_client() as client:
            while next_call < calls and time.monotonic() < deadline:
                number = next_call
                next_call += 1
                started = time.perf_counter()
                try:
                    await one_call(client, number)
                except Exception as exc:
                    phase.errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
                else:
                    phase.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    async with anyio.create_task_group() as group:
        for _ in range(clients):
            group.start_soon(worker)
    phase.wall = time.perf_counter() - started


def upstream_total(log_path: Path, after: int) -> int:
    text = log_path.read_text(errors="replace")[after:]
    return sum(int(n) for n in re.findall(r"upstream_requests=(\d+)", text))


async def replays_for(url: str, token: str, mix: list[Case]) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """What a warm call of each tool sends upstream (recorded in-process)."""
    replays: dict[str, list[tuple[str, dict[str, str]]]] = {}
    with recording() as recorder:
        async with mcp.Client(create_server(settings_for(url, token))) as client:
            for case in mix:
                await client.call_tool(case.tool, case.arguments)
                recorder.take()
                await client.call_tool(case.tool, case.arguments)
                replays[case.label] = [replayable(r) for r in recorder.take()]
    return replays


async def run(url: str, token: str, clients: int = 50, calls: int = 600, max_seconds: float = 60.0) -> Report:
    replays = await replays_for(url, token, CASES)
    # Calls a warm server answers from its cache alone have no direct-to-Directus equivalent: left out.
    mix = [c for c in CASES if replays[c.label]]
    stack_port = httpx.URL(url).port or 80
    directus_pid = listening_pid(stack_port)
    phases: list[Phase] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, env in (
            ("MCP over HTTP, caches on", {}),
            ("MCP over HTTP, caches off", {"ONDERWIJSLOKET_CACHE_TTL": "0"}),
        ):
            phase = Phase(name)
            port = free_port()
            log_path = Path(tmp) / f"server-{port}.log"
            with log_path.open("w") as log, http_server(url, token, port, log, **env) as process:

                def make_client(port: int = port) -> httpx.AsyncClient:
                    return httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60)

                async with make_client() as warm:
                    for number, case in enumerate(mix):
                        await tool_call(warm, case, number)
                log.flush()
                offset = len(log_path.read_text(errors="replace"))

                async def mcp_call(client: httpx.AsyncClient, number: int) -> None:
                    await tool_call(client, mix[number % len(mix)], number)

                with RssSampler(process.pid) as ours, RssSampler(directus_pid) as directus:
                    await load(phase, clients, calls, max_seconds, make_client, mcp_call)
                phase.peak_rss, phase.directus_peak_rss = ours.peak, directus.peak
                log.flush()
                await anyio.sleep(0.2)
                phase.upstream_requests = upstream_total(log_path, offset)
            phases.append(phase)

    baseline = Phase("Directus directly (same upstream requests)")

    def direct_client() -> httpx.AsyncClient:
        return httpx.AsyncClient(timeout=60)

    async def direct_call(client: httpx.AsyncClient, number: int) -> None:
        for target, headers in replays[mix[number % len(mix)].label]:
            response = await client.get(target, headers=headers)
            response.raise_for_status()
            response.json()

    with RssSampler(directus_pid) as directus:
        await load(baseline, clients, calls, max_seconds, direct_client, direct_call)
    baseline.directus_peak_rss = directus.peak
    baseline.upstream_requests = sum(
        len(replays[mix[n % len(mix)].label]) for n in range(len(baseline.latencies))
    )

    table = Table(
        f"{clients} concurrent clients, {calls} tool calls per phase (mix of {len(mix)} calls, round robin)",
        [
            "load",
            "calls/s",
            "median ms",
            "p95 ms",
            "ratio p95",
            "errors",
            "upstream requests (per call)",
            "server peak RSS",
            "Directus peak RSS",
        ],
    )
    for phase in [baseline, *phases]:
        per_call = (phase.upstream_requests or 0) / max(1, len(phase.latencies))
        table.rows.append(
            [
                phase.name,
                f"{phase.rate:.0f}"
                + ("" if phase is baseline else f" ({fmt_ratio(ratio(phase.rate, baseline.rate))})"),
                ms(median(phase.latencies)),
                ms(percentile(phase.latencies, 95)),
                "1.00x"
                if phase is baseline
                else fmt_ratio(ratio(percentile(phase.latencies, 95), percentile(baseline.latencies, 95))),
                str(len(phase.errors)),
                f"{phase.upstream_requests} ({per_call:.2f})",
                "-" if phase is baseline else f"{phase.peak_rss / 2**20:.0f} MiB",
                f"{phase.directus_peak_rss / 2**20:.0f} MiB" if phase.directus_peak_rss else "n/a",
            ]
        )
    table.notes += [
        "Calls/s ratio is against the direct-to-Directus baseline; p95 ratio likewise. Each worker keeps one "
        "HTTP connection; MCP calls are plain JSON-RPC `tools/call` POSTs to the stateless /mcp endpoint.",
        "The mix: " + ", ".join(c.label for c in mix) + ".",
        "Upstream requests are the server's own per-call counts (its log), summed over the load phase.",
    ]
    errors = [e for p in [*phases, baseline] for e in p.errors[:3]]
    if errors:
        table.notes.append("First errors: " + "; ".join(errors))
    return Report(
        title="5. HTTP throughput",
        command=command_for("http_throughput.py", url, f"--clients {clients} --calls {calls}"),
        summary="Concurrent tool calls over the streamable HTTP transport versus the same load straight to Directus.",
        tables=[table],
        missed=[f"{p.name}: {len(p.errors)} failed calls" for p in phases if p.errors],
    )


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--calls", type=int, default=600)
    p.add_argument("--max-seconds", type=float, default=60.0)
    args = p.parse_args()
    print(anyio.run(run, args.url, args.token, args.clients, args.calls, args.max_seconds).markdown())


if __name__ == "__main__":
    main()
