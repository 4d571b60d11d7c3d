"""A small in-memory Directus for the route collections, served through respx.

It answers the queries get_pathways sends the way Directus would (``fields`` with ``*`` and nested junction
rows, the documented ``_none``/``_nin`` filter, ``sort``, ``limit``/``offset``, ``meta=filter_count``) and
records each request, so unit tests can check both behaviour and request counts without the stack.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx

BASE = "http://directus.test"
TOKEN = "tok-routes-1234567890"

Row = dict[str, Any]


def doc(*paragraphs: str) -> Row:
    return {
        "type": "doc",
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": t}]} for t in paragraphs],
    }


# Questions are stored out of order on purpose: the tool must ask them by `sort`.
QUESTIONS: list[Row] = [
    {"id": "q-role", "title": "Welke functie wil je?", "description": "De rol die je ambieert.", "sort": 2},
    {
        "id": "q-school",
        "title": "Op welk type school wil je werken?",
        "description": "Het soort onderwijs.",
        "sort": 1,
    },
    {"id": "q-qual", "title": "Welke bevoegdheid wil je halen?", "description": "De bevoegdheid.", "sort": 4},
    {"id": "q-prior", "title": "Wat is je vooropleiding?", "description": "Je hoogste diploma.", "sort": 3},
]


def answer(key: str, title: str, question: str, sort: int, depends: tuple[str, ...] = ()) -> Row:
    return {
        "id": key,
        "title": title,
        "description": f"Uitleg bij {title}.",
        "question": question,
        "sort": sort,
        "depends_on": [
            {"id": n, "route_answers_id": key, "related_route_answers_id": d}
            for n, d in enumerate(depends, 1)
        ],
    }


ANSWERS: list[Row] = [
    answer("a-po", "Basisonderwijs", "q-school", 1),
    answer("a-vo", "Voortgezet onderwijs", "q-school", 2),
    answer("a-mbo", "Mbo", "q-school", 3),
    answer("a-leraar-po", "Leraar basisonderwijs", "q-role", 1, ("a-po",)),
    answer("a-leraar-vo", "Leraar voortgezet onderwijs", "q-role", 2, ("a-vo", "a-mbo")),
    answer("a-assistent", "Onderwijsassistent", "q-role", 3),
    answer("a-anders-rol", "Anders", "q-role", 4),
    answer("a-hbo", "Hbo-bachelor", "q-prior", 1),
    answer("a-wo", "Wo-master", "q-prior", 2),
    answer("a-anders-opl", "Anders", "q-prior", 3),
    answer("a-bev-po", "Bevoegdheid primair onderwijs", "q-qual", 1, ("a-leraar-po",)),
    answer("a-tweede", "Tweedegraads", "q-qual", 2, ("a-leraar-vo",)),
    answer("a-eerste", "Eerstegraads", "q-qual", 3, ("a-leraar-vo",)),
    answer("a-geen", "Géén bevoegdheid nodig", "q-qual", 4, ("a-assistent", "a-anders-rol")),
]

STEPS: dict[str, Row] = {
    key: {
        "id": key,
        "short_title": title,
        "title": f"{title} (lang)",
        "duration_in_months": months,
        "body": body,
    }
    for key, title, months, body in [
        ("s-orient", "Oriënteren", 1, doc("Bezoek een open dag en praat met leraren.")),
        ("s-pabo", "Pabo deeltijd", 48, doc("Je volgt de pabo naast je werk.", "Tweede alinea.")),
        ("s-gso", "Geschiktheidsonderzoek", 2, doc("Een assessment " * 40)),
        ("s-zij", "Zij-instroomtraject", 24, doc("Werken en leren tegelijk.")),
        ("s-master", "Educatieve master", 24, None),
    ]
}


def route(
    key: str, title: str, months: int | None, requires: tuple[str, ...], steps: list[tuple[str, int | None]]
) -> Row:
    return {
        "id": key,
        "status": "published",
        "title": title,
        "path": f"/routes/{key}",
        "duration_in_months": months,
        "requires_answers": [{"route_answers_id": a} for a in requires],
        # Junction rows deliberately not in step order; (step, sort).
        "route_steps": [
            {"id": 100 + n, "routes_id": key, "route_steps_id": s, "sort": sort}
            for n, (s, sort) in enumerate(steps)
        ],
    }


ROUTES: list[Row] = [
    route(
        "r-pabo",
        "Pabo in deeltijd",
        50,
        ("a-po", "a-hbo"),
        [("s-pabo", 2), ("s-orient", 1)],
    ),
    route(
        "r-zij-po",
        "Zij-instroom basisonderwijs",
        27,
        ("a-po", "a-leraar-po", "a-bev-po"),
        [("s-zij", 3), ("s-orient", 1), ("s-gso", 2)],
    ),
    route("r-master", "Educatieve master", 24, ("a-vo", "a-wo", "a-eerste"), [("s-master", 1)]),
    route(
        "r-tweede", "Zij-instroom tweedegraads", 26, ("a-leraar-vo", "a-tweede"), [("s-gso", 1), ("s-zij", 2)]
    ),
    route(
        "r-assistent", "Opleiding onderwijsassistent", None, ("a-assistent",), [("s-orient", 1), ("s-gso", 2)]
    ),
    route("r-orient", "Eerst oriënteren", 1, (), [("s-orient", None)]),
    *[
        route(f"r-po-{n}", f"Variant {n} basisonderwijs", 30 + n, ("a-po",), [("s-orient", 1)])
        for n in range(1, 6)
    ],
]


def _expand_route(item: Row, steps: dict[str, Row]) -> Row:
    out = dict(item)
    out.pop("status", None)
    out["route_steps"] = [{**j, "route_steps_id": steps[j["route_steps_id"]]} for j in item["route_steps"]]
    return out


def _matches(item: Row, filter_: Any) -> bool:
    excluded = set(filter_["requires_answers"]["_none"]["route_answers_id"]["_nin"])
    return not any(r["route_answers_id"] not in excluded for r in item["requires_answers"])


@dataclass
class FakeDirectus:
    questions: list[Row] = field(default_factory=lambda: [dict(q) for q in QUESTIONS])
    answers: list[Row] = field(default_factory=lambda: [dict(a) for a in ANSWERS])
    routes: list[Row] = field(default_factory=lambda: [dict(r) for r in ROUTES])
    steps: dict[str, Row] = field(default_factory=lambda: dict(STEPS))
    requests: list[httpx.Request] = field(default_factory=list)
    # collection -> status code to answer with instead of data
    fail: dict[str, int] = field(default_factory=dict)
    # a hook that may rewrite rows of a collection before they are served
    rewrite: Callable[[str, list[Row]], list[Row]] | None = None

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]

    def count(self, collection: str) -> int:
        return self.paths().count(f"/items/{collection}")

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        assert request.headers.get("Authorization") == f"Bearer {TOKEN}"
        collection = request.url.path.rsplit("/", 1)[-1]
        params = request.url.params
        if collection in self.fail:
            code = self.fail[collection]
            return httpx.Response(
                code, json={"errors": [{"message": "no", "extensions": {"code": "FORBIDDEN"}}]}
            )
        if collection == "route_questions":
            rows = self.questions
        elif collection == "route_answers":
            fields = params.get("fields", "")
            rows = self.answers
            if "depends_on.*" not in fields:
                # "*" alone gives the junction ids of an M2M alias, as Directus does.
                rows = [
                    {**a, "depends_on": [j["id"] for j in a["depends_on"]]} if "depends_on" in a else a
                    for a in rows
                ]
        elif collection == "routes":
            rows = [_expand_route(r, self.steps) for r in self.routes]
            if "filter" in params:
                rows = [r for r in rows if _matches(r, json.loads(params["filter"]))]
            rows.sort(
                key=lambda r: (r["duration_in_months"] is None, r["duration_in_months"] or 0, r["title"])
            )
        else:
            return httpx.Response(
                403, json={"errors": [{"message": "no", "extensions": {"code": "FORBIDDEN"}}]}
            )
        if self.rewrite is not None:
            rows = self.rewrite(collection, rows)
        total = len(rows)
        offset = int(params.get("offset", "0"))
        limit = int(params.get("limit", "100"))
        rows = rows[offset:] if limit == -1 else rows[offset : offset + limit]
        body: Row = {"data": rows}
        if params.get("meta"):
            body["meta"] = {"filter_count": total}
        return httpx.Response(200, json=body)

    def install(self, router: respx.MockRouter) -> None:
        router.get(url__startswith=f"{BASE}/items/").mock(side_effect=self.handler)
