"""Benchmark 6 - sequential round trips per tool call: a TCP proxy in front of the stack adds latency to every
request (half on the way in, half on the way back, as a distant API would), and the requests of each call are
timed: the longest chain of requests each sent after the previous one was answered is the number of round trips
the call waits for one after the other (requests in flight at the same time count once). The extra time against
the same call made directly is shown too.

The real API is tens to hundreds of milliseconds away, so every sequential round trip costs that much.
Goal: get_pathways <= 2 round trips on a first call (the questions with their answers and prerequisites in one
request, then the routes) and 1 on later calls. The other tools are reported, cold (a fresh server) and warm
(the identical call again).

    uv run python benchmarks/round_trips.py [--url http://127.0.0.1:8055] [--latency-ms 100] [--repeats 3]
"""

from __future__ import annotations

import math
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio
import httpx
import mcp
from _common import (
    CASES,
    PATHWAYS_AT_SCALE,
    Case,
    Recorder,
    Report,
    Table,
    call_log,
    command_for,
    median,
    parser,
    recording,
    sequential_round_trips,
    settings_for,
    verdict,
)
from anyio.abc import ByteStream, SocketAttribute, SocketStream
from mcp_types import CallToolResult

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server

CALLS: list[Case] = [
    Case("get_pathways (first question)", "get_pathways", {"answers": []}),
    *CASES,
    PATHWAYS_AT_SCALE,
]
# tool -> (most round trips on a first call, most on later calls)
GOALS = {"get_pathways": (2, 1)}


class LatencyProxy:
    """Forwards TCP connections to the stack, delivering every chunk ``delay / 2`` seconds after it arrived
    in either direction (order kept, no bandwidth limit): each request/response exchange takes ``delay`` longer.
    """

    def __init__(self, host: str, port: int, delay: float) -> None:
        self.host, self.port, self.half = host, port, delay / 2
        self.url = ""

    @asynccontextmanager
    async def running(self) -> AsyncIterator[LatencyProxy]:
        listener = await anyio.create_tcp_listener(local_host="127.0.0.1")
        port = listener.extra(SocketAttribute.local_port)  # noqa: S610 - an anyio attribute, not Django
        self.url = f"http://127.0.0.1:{port}"
        async with listener, anyio.create_task_group() as tg:
            tg.start_soon(listener.serve, self._connection)
            try:
                yield self
            finally:
                tg.cancel_scope.cancel()

    async def _connection(self, client: SocketStream) -> None:
        async with (
            client,
            await anyio.connect_tcp(self.host, self.port) as upstream,
            anyio.create_task_group() as tg,
        ):
            tg.start_soon(self._pump, client, upstream, tg.cancel_scope.cancel)
            tg.start_soon(self._pump, upstream, client, tg.cancel_scope.cancel)

    async def _pump(self, source: ByteStream, target: ByteStream, done: Callable[[], None]) -> None:
        send, receive = anyio.create_memory_object_stream[tuple[float, bytes]](math.inf)

        async def deliver() -> None:
            async with receive:
                async for arrived, chunk in receive:
                    await anyio.sleep_until(arrived + self.half)
                    await target.send(chunk)

        async with anyio.create_task_group() as tg:
            tg.start_soon(deliver)
            async with send:
                try:
                    async for chunk in source:
                        await send.send((anyio.current_time(), chunk))
                except (anyio.BrokenResourceError, anyio.ClosedResourceError):
                    pass
        done()  # one side closed: close the other once what it sent has been delivered


@dataclass
class Call:
    seconds: float
    round_trips: int  # from the request timeline
    requests: int  # from the server's own call log


async def _cold_and_warm(settings: Settings, case: Case, recorder: Recorder) -> tuple[Call, Call]:
    """The call on a fresh server (cold), then the identical call again (warm)."""
    timed: list[tuple[float, int]] = []
    with call_log() as log:
        async with mcp.Client(create_server(settings)) as client:
            for _ in range(2):
                recorder.take_intervals()
                started = time.perf_counter()
                result = await client.call_tool(case.tool, case.arguments)
                timed.append(
                    (time.perf_counter() - started, sequential_round_trips(recorder.take_intervals()))
                )
                if not isinstance(result, CallToolResult) or result.is_error:
                    raise RuntimeError(f"{case.label} failed: {result}")
    counts = [count for _, count, _ in log.counts[-2:]]
    cold, warm = (Call(seconds, trips, n) for (seconds, trips), n in zip(timed, counts, strict=True))
    return cold, warm


async def run(url: str, token: str, latency_ms: float = 100.0, repeats: int = 3) -> Report:
    delay = latency_ms / 1000
    upstream = httpx.URL(url)
    direct_settings = settings_for(url, token)
    table = Table(
        f"Sequential round trips per call with {latency_ms:.0f} ms added to every request (Directus backend)",
        [
            "tool call",
            "upstream requests cold / warm",
            "round trips cold / warm",
            "added time cold / warm (ms)",
            "goal",
            "verdict",
        ],
    )
    missed: list[str] = []
    proxy = LatencyProxy(upstream.host, upstream.port or 80, delay)
    with recording() as recorder:
        # One-off costs of the process (imports, the gazetteer, HTTP set-up) must not count as latency.
        for case in CALLS:
            await _cold_and_warm(direct_settings, case, recorder)
        async with proxy.running():
            slow_settings = settings_for(proxy.url, token)
            for case in CALLS:
                added: dict[str, list[float]] = {"cold": [], "warm": []}
                slow: tuple[Call, Call] | None = None
                for _ in range(repeats):
                    # Alternating, so load on the shared machine affects both sides alike.
                    direct = await _cold_and_warm(direct_settings, case, recorder)
                    slow = await _cold_and_warm(slow_settings, case, recorder)
                    added["cold"].append(slow[0].seconds - direct[0].seconds)
                    added["warm"].append(slow[1].seconds - direct[1].seconds)
                assert slow is not None
                cold, warm = slow
                goal = GOALS.get(case.tool)
                if goal is None:
                    goal_text, verdict_text = "-", "-"
                else:
                    goal_text = f"<= {goal[0]} first, <= {goal[1]} after"
                    verdict_text = verdict(cold.round_trips <= goal[0] and warm.round_trips <= goal[1])
                    if verdict_text != "met":
                        missed.append(
                            f"{case.label}: {cold.round_trips} round trips cold, {warm.round_trips} warm "
                            f"({goal_text})"
                        )
                table.rows.append(
                    [
                        case.label,
                        f"{cold.requests} / {warm.requests}",
                        f"{cold.round_trips} / {warm.round_trips}",
                        f"{round(median(added['cold']) * 1000)} / {round(median(added['warm']) * 1000)}",
                        goal_text,
                        verdict_text,
                    ]
                )
    table.notes += [
        "Round trips: the longest chain of upstream requests each sent after the previous one was answered "
        "(requests in flight at the same time count once), from the timeline of the calls through the proxy. "
        f"Added time: the call through the proxy minus the same call direct, median of {repeats} alternating "
        f"runs on fresh servers; it comes to about the round trips x {latency_ms:.0f} ms.",
        "Cold = a fresh server's first call (it also reads what later calls take from the cache: the route "
        "questions, taxonomy lists, the Navigator field probe, the desk list); warm = the identical call again.",
        "Connection set-up is not delayed (the proxy is local): against a real HTTPS API a first call also pays "
        "the TCP and TLS handshakes.",
    ]
    return Report(
        title="6. Sequential round trips per tool call",
        command=command_for("round_trips.py", url, f"--latency-ms {latency_ms:.0f} --repeats {repeats}"),
        summary="How many times a call waits for the API one request after another, with latency added in front "
        "of the stack.",
        tables=[table],
        missed=missed,
    )


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--latency-ms", type=float, default=100.0, help="latency added to every request (ms)")
    p.add_argument("--repeats", type=int, default=3, help="alternating runs per call (medians are reported)")
    args = p.parse_args()
    report = anyio.run(run, args.url, args.token, args.latency_ms, args.repeats)
    print(report.markdown())


if __name__ == "__main__":
    main()
