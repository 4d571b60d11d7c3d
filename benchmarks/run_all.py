"""Run every benchmark against the stack and write docs/performance.md with the figures and the command.

    uv run python benchmarks/run_all.py [--url http://127.0.0.1:8055] [--output docs/performance.md]

Each benchmark can also run alone (``uv run python benchmarks/<name>.py --help``).
"""

from __future__ import annotations

import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import anyio
import cold_start
import http_throughput
import psutil
import round_trips
import search_quality
import tokens
import tool_overhead
import upstream_requests
from _common import ROOT, Report, parser

HEADER = """\
# Performance

Measured by `benchmarks/` against the seeded Directus test stack (tests/stack) on loopback: every figure is a
ratio against a baseline measured in the same run, with medians and 95th percentiles. Regenerate this file
with the command below (the stack must be up: `tests/stack/directus.sh up`). Tests assert behaviour, never
these timings; robustness is covered by tests/resilience/test_faults.py (fault injection), tests/resilience/test_fuzz.py
(property-based fuzzing of every tool's input schema) and tests/resilience/test_caching.py.
"""

ANALYSIS = """\
## Reading the figures

- **Tool overhead.** The server's own time for a call (argument validation, upstream requests, our
  processing and rendering) stays within a few percent of the direct httpx baseline. A client adds the SDK's
  share: over stdio ~3 ms of JSON-RPC framing per call (the transport floor below), and in every SDK client a
  jsonschema re-validation of structuredContent against the tool's output schema. Output schemas are
  published with their definitions inlined (tools/output_schema.py), which roughly halves that validation for a
  page of programmes; every result leaves out nulls and repeated values, and validation grows with its size:
  get_pathways' page of routes (each step and each FAQ or article once, referred to by number) validates in
  ~0.6 ms where the earlier nested form took ~1.0 ms (~1.4 ms at the seeded scale). The calls that miss the
  goal are those whose upstream request answers in ~5-20 ms on loopback (list_regional_desks near a place asks
  PostGIS for a few ids, ~5 ms), where the fixed client cost is a large share; against the real API, tens to
  hundreds of ms away, the same fixed cost weighs far less.
- **Upstream requests.** Every call meets its goal; a first call per token also pays one-off look-ups that
  later calls reuse from the cache (taxonomy lists for filter values, the route questions with all their answers
  and prerequisites in one request, the Navigator field probe, the desk list and, on Algolia, the key from
  /users/me). get_pathways is also measured at the seeded scale (the real answer structure, several hundred
  routes with their steps and step links, every match of the widest answer set): one request once warm. On Algolia, search_faq is
  the one Algolia query: the answers are the index's plain text, and each FAQ's link leads to the full answer
  with its links. list_regional_desks answers from Directus on every backend (PostGIS, exact, one request).
- **Tokens.** search_faq and get_article sit just under 0.35x with the characters/4 estimate (about 0.2x
  counting word and punctuation pieces): the measured query finds two short seeded FAQs, so the fixed lines
  per hit (heading, topics, ID) weigh more than with real content. The get_pathways baseline includes the
  route steps the routes consist of (`fields=*.*` alone stops at the junction rows). structuredContent holds the
  same answer as the markdown (pydantic-ai and openai-agents' `use_structured_content` show it to the model
  instead), without nulls, empty lists and defaults, repeated values said once: 1.1-1.45x the markdown's
  tokens for every tool. get_pathways lists each route step and each FAQ or article once per page and refers
  to them by number (it was 2.4x with every route carrying its steps); list_regional_desks shows each desk's
  details as the markdown does for the page size (it was 1.9-2.5x with full texts and every place).
- **Round trips.** The real API is tens to hundreds of ms away, so what counts is how many requests a call
  makes one after another. With 100 ms added in front of the stack every call waits one round trip per
  sequential request: get_pathways at most 2 on a first call (the question tree in one request, then the
  routes; it was 3: questions, answers, routes) and 1 afterwards, with questions answered from the cache at
  no round trip; the calls with a one-off look-up (the Navigator field probe, the desk list, taxonomy lists)
  pay one extra round trip on their first call only.
- **Search quality.** Natural questions (tests/search_eval: exact wording, paraphrases, synonyms, compounds,
  typos, missing diacritics, whole conversational sentences, one or two words, English, and questions the
  content does not answer) find a right FAQ or article among the first three on both backends; the ranker
  (ranking/ranker.py) is the same, Directus feeding it the whole list and Algolia its candidates. "Flagged" is how
  often the answer says that none of the results seems to answer the question (confidence low): wanted for hard
  negatives, a false alarm for the rest. The main set is what the ranker and its confidence rule are tuned on;
  the held-out set was written later and is not tuned on: its paraphrases, which share few words with the
  content ("Vanaf welke leeftijd moet mijn kind naar school?" for the article on leerplicht), are where a
  lexical ranker still misses, and where it says so.
- The figures come from a shared 2-CPU machine that also runs the stack (Directus, PostgreSQL) and the
  load generator; repeated runs move ratios by a few hundredths up to +-0.1x. HTTP throughput is bound by
  Directus itself.
"""


async def run_all(args: object) -> list[Report]:
    url: str = args.url
    token: str = args.token
    reports: list[Report] = []
    steps = [
        ("tool overhead", lambda: tool_overhead.run(url, token, args.iterations)),
        ("upstream requests", lambda: upstream_requests.run(url, token)),
        ("tokens", lambda: tokens.run(url, token)),
        ("cold start", lambda: cold_start.run(url, token, args.runs)),
        (
            "HTTP throughput",
            lambda: http_throughput.run(url, token, args.clients, args.calls),
        ),
        ("round trips", lambda: round_trips.run(url, token, args.latency_ms, args.repeats)),
        ("search quality", lambda: search_quality.run(url, token)),
    ]
    for name, step in steps:
        started = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        report = await step()
        print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        print(report.markdown(), flush=True)
        reports.append(report)
    return reports


def document(reports: list[Report], command: str, url: str) -> str:
    memory = psutil.virtual_memory().total / 2**30
    lines = [
        HEADER,
        f"Command: `{command}`",
        "",
        f"Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs, {memory:.0f} GiB RAM, Python {platform.python_version()}; stack {url}, "
        "search backend Directus unless a table says Algolia (the Algolia double of tests/algolia).",
        "",
        "## Goals",
        "",
    ]
    for report in reports:
        status = "met" if not report.missed else f"missed ({len(report.missed)})"
        lines.append(f"- {report.title}: {status}")
        lines += [f"  - {m}" for m in report.missed]
    lines += ["", ANALYSIS, "## Figures", ""]
    lines += [report.markdown("###") for report in reports]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--iterations", type=int, default=30, help="tool overhead: calls per tool")
    p.add_argument("--runs", type=int, default=10, help="cold start: spawns per server")
    p.add_argument("--clients", type=int, default=50, help="HTTP throughput: concurrent clients")
    p.add_argument("--calls", type=int, default=600, help="HTTP throughput: tool calls per phase")
    p.add_argument("--latency-ms", type=float, default=100.0, help="round trips: latency added per request")
    p.add_argument("--repeats", type=int, default=3, help="round trips: alternating runs per call")
    p.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    args = p.parse_args()
    reports = anyio.run(run_all, args)
    command = f"uv run python benchmarks/run_all.py --url {args.url}"
    defaults = {"iterations": 30, "runs": 10, "clients": 50, "calls": 600, "latency_ms": 100.0, "repeats": 3}
    for name, default in defaults.items():
        if getattr(args, name) != default:
            command += f" --{name.replace('_', '-')} {getattr(args, name)}"
    args.output.write_text(document(reports, command, args.url), encoding="utf-8")
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
