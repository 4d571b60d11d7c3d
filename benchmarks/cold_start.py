"""Benchmark 4 - cold start: process spawn to an answered tools/list over stdio, for the real console script
versus a minimal MCPServer with one tool (benchmarks/minimal_server.py), in the same run. Goal: <= 1.3x.

Runs alternate between the two servers so both see the same machine state (page cache, load). The time
includes the client's side (spawn, handshake, tools/list), identical for both.

    uv run python benchmarks/cold_start.py [--url http://127.0.0.1:8055] [--runs 10]
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import anyio
import mcp
from _common import (
    SERVER_SCRIPT,
    Report,
    Table,
    command_for,
    fmt_ratio,
    median,
    ms,
    parser,
    percentile,
    ratio,
    server_env,
)
from mcp.client.stdio import StdioServerParameters

GOAL = 1.3
MINIMAL_SERVER = Path(__file__).with_name("minimal_server.py")


async def spawn_to_tools_list(params: StdioServerParameters) -> tuple[float, int]:
    started = time.perf_counter()
    async with mcp.Client(params, mode="legacy") as client:
        tools = (await client.list_tools()).tools
        elapsed = time.perf_counter() - started
    return elapsed, len(tools)


def import_time(module: str) -> float:
    """Seconds to import a module in a fresh interpreter (the bulk of a Python server's cold start)."""
    code = f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


async def run(url: str, token: str, runs: int = 10) -> Report:
    ours = StdioServerParameters(command=str(SERVER_SCRIPT), env=server_env(url, token))
    minimal = StdioServerParameters(command=sys.executable, args=[str(MINIMAL_SERVER)])
    await spawn_to_tools_list(ours)  # warm the OS page cache for both before measuring
    await spawn_to_tools_list(minimal)
    our_times: list[float] = []
    minimal_times: list[float] = []
    tool_counts: set[int] = set()
    for _ in range(runs):
        elapsed, count = await spawn_to_tools_list(minimal)
        minimal_times.append(elapsed)
        elapsed, count = await spawn_to_tools_list(ours)
        our_times.append(elapsed)
        tool_counts.add(count)
    r = ratio(median(our_times), median(minimal_times))
    r95 = ratio(percentile(our_times, 95), percentile(minimal_times, 95))
    ok = r <= GOAL
    table = Table(
        "Spawn to answered tools/list over stdio (ms)",
        ["server", "median", "p95", "ratio (median)", "ratio (p95)", f"goal <= {GOAL}x"],
        [
            [
                "minimal MCPServer, 1 tool",
                ms(median(minimal_times)),
                ms(percentile(minimal_times, 95)),
                "1.00x",
                "1.00x",
                "",
            ],
            [
                f"onderwijsloket-mcp, {max(tool_counts)} tools",
                ms(median(our_times)),
                ms(percentile(our_times, 95)),
                fmt_ratio(r),
                fmt_ratio(r95),
                "met" if ok else "**missed**",
            ],
        ],
    )
    imports = {
        m: await anyio.to_thread.run_sync(import_time, m)
        for m in ("mcp.server.mcpserver", "onderwijsloket_mcp.server")
    }
    table.notes += [
        f"{runs} runs each, alternating. Legacy (initialize) handshake, then tools/list; the token is set but "
        "no upstream request is made at start (Algolia, the gazetteer and PDOK are loaded on first use).",
        "Import time in a fresh interpreter: `mcp.server.mcpserver` "
        f"{imports['mcp.server.mcpserver'] * 1000:.0f} ms, `onderwijsloket_mcp.server` (which includes it) "
        f"{imports['onderwijsloket_mcp.server'] * 1000:.0f} ms.",
    ]
    missed = [] if ok else [f"cold start {fmt_ratio(r)} of the minimal server (median)"]
    return Report(
        title="4. Cold start",
        command=command_for("cold_start.py", url, f"--runs {runs}"),
        summary="From process spawn to an answered tools/list over stdio, versus a minimal one-tool MCPServer.",
        tables=[table],
        missed=missed,
    )


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--runs", type=int, default=10)
    args = p.parse_args()
    print(anyio.run(run, args.url, args.token, args.runs).markdown())


if __name__ == "__main__":
    main()
