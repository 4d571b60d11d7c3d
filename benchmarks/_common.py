"""What the benchmark scripts share: arguments, statistics, the tool calls measured, request recording,
per-call upstream request counts, and a small report model that prints as markdown.

The scripts measure against the seeded Directus test stack (tests/stack; ids from tests/stack/seed_data.py),
so the repository root is put on ``sys.path`` for the ``tests`` package.
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import onderwijsloket_mcp.services as services_module  # noqa: E402
from onderwijsloket_mcp.config import Settings  # noqa: E402
from onderwijsloket_mcp.tools import TOOLS  # noqa: E402
from onderwijsloket_mcp.tools.pathways import route_model  # noqa: E402
from tests.stack import seed_data as sd  # noqa: E402
from tests.support.inventory import TOOL_SAMPLES  # noqa: E402

DEFAULT_URL = "http://127.0.0.1:8055"
READER_TOKEN = "test-reader-token"
ADMIN_TOKEN = "test-admin-token"
ALGOLIA_KEY = "test-algolia-key"
SERVER_SCRIPT = Path(sys.executable).parent / "onderwijsloket-mcp"


# (collection, ids) of further items the shown items consist of.
Parts = list[tuple[str, list[str]]]


@dataclass(frozen=True)
class Case:
    """One tool call measured: a label, the tool, its arguments, and the collection of the items it shows.

    ``parts`` (optional) names, from the raw ``fields=*.*`` items, further items they consist of that
    ``*.*`` does not reach (e.g. the steps behind a route's junction rows): the raw side of the tokens
    benchmark then includes their ``*.*`` JSON too.
    """

    label: str
    tool: str
    arguments: dict[str, Any]
    collection: str | None = None
    ids: Callable[[dict[str, Any]], list[str]] | None = None
    parts: Callable[[list[dict[str, Any]]], Parts] | None = None


def _hit_ids(key: str) -> Callable[[dict[str, Any]], list[str]]:
    return lambda data: [str(item["id"]) for item in data.get(key) or []]


def _junction_targets(
    alias: str, junction_field: str, collection: str
) -> Callable[[list[dict[str, Any]]], Parts]:
    """The ``collection`` items that the raw items' M2M junction rows (``alias[].junction_field``) point at."""

    def parts(items: list[dict[str, Any]]) -> Parts:
        ids: list[str] = []
        for item in items:
            for row in item.get(alias) or []:
                target = row.get(junction_field) if isinstance(row, dict) else None
                if target is not None and str(target) not in ids:
                    ids.append(str(target))
        return [(collection, ids)] if ids else []

    return parts


def _own_id(data: dict[str, Any]) -> list[str]:
    return [str(data["id"])]


# A representative call per tool, with what the tokens benchmark compares it with (two for
# list_regional_desks: by place and by region name).
CASES: list[Case] = [
    Case("search_faq", "search_faq", {"query": "salaris leraar"}, "faqs", _hit_ids("hits")),
    Case("search_articles", "search_articles", {"query": "zij-instroom"}, "articles", _hit_ids("hits")),
    Case("get_article", "get_article", {"id_or_slug": sd.ARTICLE_SALARIS}, "articles", _own_id),
    Case(
        "get_pathways (complete)",
        "get_pathways",
        {"answers": sd.EXAMPLE_ANSWERS},
        route_model.ROUTES,
        _hit_ids("routes"),
        # A route consists of its steps: *.* stops at the junction rows, so the steps are fetched as well.
        _junction_targets(route_model.ROUTE_STEPS, route_model.STEP_TARGET, "route_steps"),
    ),
    Case(
        "find_programs_near",
        "find_programs_near",
        {"near": "Utrecht", "radius_km": 40},
        "programs",
        _hit_ids("hits"),
    ),
    Case("get_program", "get_program", {"id": sd.PROGRAM_PABO_HU}, "programs", _own_id),
    Case(
        "list_regional_desks (near)",
        "list_regional_desks",
        {"near": "Woerden"},
        "regional_education_desks",
        _hit_ids("desks"),
    ),
    Case(
        "list_regional_desks (region)",
        "list_regional_desks",
        {"region": "Regio Zwolle"},
        "regional_education_desks",
        _hit_ids("desks"),
    ),
]

# A tool without a case of its own above is measured with the sample call its test module declares.
CASES += [
    Case(tool.name, tool.name, TOOL_SAMPLES[tool.name])
    for tool in TOOLS
    if tool.name not in {case.tool for case in CASES}
]


# get_pathways at the seeded scale (tests/stack: the real answer structure, ~550 routes with ~2,300 step rows):
# the complete answer set that most routes match, all of them on one page, with their steps and step links.
PATHWAYS_AT_SCALE = Case(
    f"get_pathways (seeded scale: {len(sd.PUBLISHED_ROUTE_IDS)} routes, widest answers)",
    "get_pathways",
    {"answers": sd.widest_answers(), "limit": 50},
    route_model.ROUTES,
    _hit_ids("routes"),
    _junction_targets(route_model.ROUTE_STEPS, route_model.STEP_TARGET, "route_steps"),
)


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument(
        "--url", default=os.environ.get("OLMCP_STACK_URL", DEFAULT_URL), help="Directus test stack"
    )
    p.add_argument("--token", default=READER_TOKEN, help="Directus token (default: the stack's reader token)")
    return p


def settings_for(url: str, token: str = READER_TOKEN, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": SecretStr(token),
        "api_url": url,
        "search_backend": "directus",
        "log_level": "WARNING",
    }
    values.update(overrides)
    return Settings(**values)


def server_env(url: str, token: str = READER_TOKEN, **extra: str) -> dict[str, str]:
    """Environment for the server as a subprocess (stdio or HTTP)."""
    env = {
        "ONDERWIJSLOKET_TOKEN": token,
        "ONDERWIJSLOKET_API_URL": url,
        "ONDERWIJSLOKET_SEARCH_BACKEND": "directus",
        "ONDERWIJSLOKET_LOG_LEVEL": "WARNING",
    }
    env.update(extra)
    return env


# -- statistics -----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def ms(seconds: float) -> str:
    return "n/a" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def ratio(ours: float, baseline: float) -> float:
    return ours / baseline if baseline > 0 else math.nan


def fmt_ratio(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}x"


# -- recording what the server sends upstream ----------------------------------------------------------


@dataclass
class Recorder:
    sent: list[httpx.Request] = field(default_factory=list)
    # (sent, response headers received) per request, in perf_counter seconds
    intervals: list[tuple[float, float]] = field(default_factory=list)
    _started: dict[int, float] = field(default_factory=dict)

    def take(self) -> list[httpx.Request]:
        taken, self.sent[:] = list(self.sent), []
        return taken

    def take_intervals(self) -> list[tuple[float, float]]:
        taken, self.intervals[:] = list(self.intervals), []
        return taken


def sequential_round_trips(intervals: list[tuple[float, float]]) -> int:
    """The longest chain of requests each sent after the previous one was answered (overlapping ones count
    once): the most non-overlapping intervals, picked by earliest end."""
    count, free_from = 0, -math.inf
    for start, end in sorted(intervals, key=lambda interval: interval[1]):
        if start >= free_from:
            count, free_from = count + 1, end
    return count


@contextmanager
def recording() -> Iterator[Recorder]:
    """Servers created within the block record each upstream request (the request still goes out)."""
    recorder = Recorder()
    original = services_module.create_http_client

    def create(settings: Settings) -> httpx.AsyncClient:
        client = original(settings)

        async def record(request: httpx.Request) -> None:
            recorder.sent.append(request)
            recorder._started[id(request)] = time.perf_counter()

        async def answered(response: httpx.Response) -> None:
            started = recorder._started.pop(id(response.request), None)
            if started is not None:
                recorder.intervals.append((started, time.perf_counter()))

        client.event_hooks["request"].append(record)
        client.event_hooks["response"].append(answered)
        return client

    services_module.create_http_client = create  # type: ignore[assignment]
    try:
        yield recorder
    finally:
        services_module.create_http_client = original  # type: ignore[assignment]


class CallLog(logging.Handler):
    """Collects the server's one-line-per-call log (tool, duration, upstream requests, outcome)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.counts: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        match = re.search(r"tool=(\S+) .*upstream_requests=(\d+) outcome=(\w+)", record.getMessage())
        if match:
            self.counts.append((match.group(1), int(match.group(2)), match.group(3)))

    def last(self) -> int:
        return self.counts[-1][1]


@contextmanager
def call_log() -> Iterator[CallLog]:
    handler = CallLog()
    logger = logging.getLogger("onderwijsloket_mcp.calls")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)
        logger.propagate = True


def replayable(request: httpx.Request) -> tuple[str, dict[str, str]]:
    """URL and headers to send the same request again with a plain httpx client."""
    headers = {k: v for k, v in request.headers.items() if k.lower() in ("authorization", "accept")}
    return str(request.url), headers


# -- reports --------------------------------------------------------------------------------------------


@dataclass
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"#### {self.title}", "", "| " + " | ".join(self.columns) + " |"]
        lines.append("|" + "|".join("---" for _ in self.columns) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass
class Report:
    title: str
    command: str
    summary: str
    tables: list[Table] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)

    def markdown(self, heading: str = "###") -> str:
        parts = [f"{heading} {self.title}", "", self.summary, "", f"Command: `{self.command}`", ""]
        parts += [t.markdown() + "\n" for t in self.tables]
        if self.missed:
            parts.append("**Goals missed:**\n")
            parts += [f"- {m}" for m in self.missed]
            parts.append("")
        else:
            parts.append("All goals met in this run.\n")
        return "\n".join(parts)


def command_for(script: str, url: str, extra: str = "") -> str:
    tail = f" --url {url}" + (f" {extra}" if extra else "")
    return f"uv run python benchmarks/{script}{tail}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"
