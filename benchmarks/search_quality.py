"""Benchmark 6 - search quality: does search_faq / search_articles put a right answer first for the way
people ask? Measured on the labelled questions of tests/search_eval/questions.json, on both backends
(Directus, and Algolia through the double of tests/algolia), through a real MCP client.

Per question type and overall: hit@1 and hit@3 (a right answer among the first 1 / 3 results) and MRR@5
(mean of 1/rank of the first right answer within 5, else 0). Hard negatives (questions the content does not
answer) count as a hit when the answer says that nothing matches every part of the question
(structuredContent ``matched`` is not ``all_words``); they are left out of MRR. For the other questions the
"flagged" column shows how often the answer said so although a right answer was found (a false alarm).
Upstream requests per query are the server's own count (warm: the same server has answered before).

Goals: hit@3 >= 95% overall and >= 85% in every type, MRR@5 > 0.87 overall, on both backends.

    uv run python benchmarks/search_quality.py [--url http://127.0.0.1:8055] [--verbose]
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import anyio
import mcp
from _common import ROOT, Report, Table, call_log, command_for, parser, settings_for
from mcp_types import CallToolResult
from upstream_requests import algolia_double

from onderwijsloket_mcp.server import create_server
from tests.stack import seed_data as sd

QUESTIONS = ROOT / "tests" / "search_eval" / "questions.json"
TOOLS = {"faqs": "search_faq", "articles": "search_articles"}
TYPES = [
    "exact",
    "paraphrase",
    "synonym",
    "compound",
    "typo",
    "no_diacritics",
    "conversational",
    "short",
    "english",
    "hard_negative",
]
HIT3_OVERALL = 0.95
HIT3_PER_TYPE = 0.85
MRR_GOAL = 0.87
DEPTH = 5


@dataclass(frozen=True)
class Question:
    text: str
    kind: str
    collection: str
    answers: tuple[str, ...]  # ids


@dataclass(frozen=True)
class Outcome:
    question: Question
    rank: int | None  # 1-based rank of the first right answer within DEPTH
    matched: str
    requests: int
    hits: tuple[str, ...]

    @property
    def negative(self) -> bool:
        return not self.question.answers

    def hit(self, k: int) -> bool:
        if self.negative:
            return self.matched != "all_words"
        return self.rank is not None and self.rank <= k

    @property
    def reciprocal(self) -> float:
        return 1.0 / self.rank if self.rank else 0.0


def load_questions() -> list[Question]:
    data = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    ids = {"faqs": sd.FAQ_IDS, "articles": sd.ARTICLE_IDS}
    return [
        Question(
            q["question"], q["type"], q["collection"], tuple(ids[q["collection"]][a] for a in q["answers"])
        )
        for q in data["questions"]
    ]


async def ask(questions: Sequence[Question], settings: Any) -> list[Outcome]:
    outcomes: list[Outcome] = []
    with call_log() as log:
        async with mcp.Client(create_server(settings)) as client:
            # Warm the per-token caches (taxonomy, the search lists, the Algolia key) once per tool.
            for tool in TOOLS.values():
                await client.call_tool(tool, {"query": "onderwijs"})
            for question in questions:
                result = await client.call_tool(
                    TOOLS[question.collection], {"query": question.text, "limit": DEPTH}
                )
                assert isinstance(result, CallToolResult)
                if result.is_error:
                    raise RuntimeError(f"{question.text!r} failed: {result.content}")
                data = result.structured_content or {}
                hits = tuple(str(h["id"]) for h in data.get("hits") or [])
                rank = next((n for n, h in enumerate(hits, start=1) if h in question.answers), None)
                outcomes.append(Outcome(question, rank, str(data.get("matched")), log.last(), hits))
    return outcomes


def summarise(outcomes: Sequence[Outcome]) -> dict[str, float]:
    positives = [o for o in outcomes if not o.negative]
    return {
        "n": len(outcomes),
        "hit1": sum(o.hit(1) for o in outcomes) / len(outcomes),
        "hit3": sum(o.hit(3) for o in outcomes) / len(outcomes),
        "mrr": sum(o.reciprocal for o in positives) / len(positives) if positives else float("nan"),
        "flagged": (
            sum(o.matched != "all_words" for o in positives) / len(positives) if positives else float("nan")
        ),
        "requests": sum(o.requests for o in outcomes) / len(outcomes),
    }


def pct(value: float) -> str:
    return "-" if value != value else f"{value:.0%}"


async def run(url: str, token: str, verbose: bool = False) -> Report:
    questions = load_questions()
    tables: list[Table] = []
    missed: list[str] = []
    async with algolia_double(url) as double:
        backends = [
            ("directus", settings_for(url, token)),
            ("algolia", settings_for(url, token, search_backend="auto", algolia_host=double.url)),
        ]
        for name, settings in backends:
            outcomes = await ask(questions, settings)
            by_type: dict[str, list[Outcome]] = defaultdict(list)
            for outcome in outcomes:
                by_type[outcome.question.kind].append(outcome)
            table = Table(
                f"Search quality on {name} ({len(outcomes)} questions: "
                f"{sum(q.collection == 'faqs' for q in questions)} FAQ, "
                f"{sum(q.collection == 'articles' for q in questions)} article)",
                ["type", "questions", "hit@1", "hit@3", "MRR@5", "flagged", "requests/query"],
            )
            for kind in TYPES:
                s = summarise(by_type[kind])
                table.rows.append(
                    [
                        kind,
                        str(int(s["n"])),
                        pct(s["hit1"]),
                        pct(s["hit3"]),
                        "-" if kind == "hard_negative" else f"{s['mrr']:.2f}",
                        "-" if kind == "hard_negative" else pct(s["flagged"]),
                        f"{s['requests']:.2f}",
                    ]
                )
                if s["hit3"] < HIT3_PER_TYPE:
                    missed.append(f"{name}: hit@3 {s['hit3']:.0%} for {kind} (goal >= {HIT3_PER_TYPE:.0%})")
            overall = summarise(outcomes)
            table.rows.append(
                [
                    "**overall**",
                    str(int(overall["n"])),
                    pct(overall["hit1"]),
                    pct(overall["hit3"]),
                    f"{overall['mrr']:.2f}",
                    pct(overall["flagged"]),
                    f"{overall['requests']:.2f}",
                ]
            )
            if overall["hit3"] < HIT3_OVERALL:
                missed.append(f"{name}: hit@3 {overall['hit3']:.0%} overall (goal >= {HIT3_OVERALL:.0%})")
            if not overall["mrr"] > MRR_GOAL:
                missed.append(f"{name}: MRR@5 {overall['mrr']:.2f} (goal > {MRR_GOAL})")
            misses = [o for o in outcomes if not o.hit(3)]
            table.notes.append(
                "Missed at 3: "
                + (
                    "; ".join(f"{o.question.kind} {o.question.text!r} (matched={o.matched})" for o in misses)
                    if misses
                    else "none"
                )
                + "."
            )
            if verbose:
                for o in outcomes:
                    print(o.question.kind, o.question.collection, o.rank, o.matched, o.question.text)
            tables.append(table)
    tables[-1].notes += [
        "hit@k for hard negatives: the answer says no result matches every part of the question. "
        "flagged: share of answerable questions whose answer says so (shown, not a goal).",
        "requests/query: upstream requests per warm call (Directus ranks the FAQ or article list it read "
        "once per token and cache period, so a warm search sends none; Algolia sends its one query).",
    ]
    return Report(
        title="6. Search quality",
        command=command_for("search_quality.py", url),
        summary="Right answers among the first results for natural questions (tests/search_eval), per "
        f"type, on both backends. Goals: hit@3 >= {HIT3_OVERALL:.0%} overall and >= {HIT3_PER_TYPE:.0%} "
        f"per type, MRR@5 > {MRR_GOAL}.",
        tables=tables,
        missed=missed,
    )


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--verbose", action="store_true", help="print every question's rank")
    args = p.parse_args()
    print(anyio.run(run, args.url, args.token, args.verbose).markdown())


if __name__ == "__main__":
    main()
