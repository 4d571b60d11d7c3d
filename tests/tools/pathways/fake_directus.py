"""A small in-memory Directus for the route collections, served through respx.

The questions and answers are the real structure (tests/stack/seed_data.ROUTE_STRUCTURE: four questions with
6 / 7 / 18 / 25 answers and every answer's prerequisites as exports of real items show them); the routes and
steps are a few invented ones. Requests are answered the way Directus does: ``fields`` with ``*`` (relations
as bare keys) and dotted paths (expanded relations), a 403 naming an unknown field, only published items for
the reader (a hidden related item expands to null; a bare foreign key stays), the documented
``_none``/``_nin`` filter, ``sort``, ``limit``/``offset`` and ``meta=filter_count``. Each request is recorded,
so unit tests can check behaviour and request counts without the stack.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx

from tests.stack import seed_data as sd

BASE = "http://directus.test"
TOKEN = "tok-routes-1234567890"

Row = dict[str, Any]

# Relational fields: (collection, field) -> the collection its rows or target belong to.
RELATIONS = {
    ("route_questions", "answers"): "route_answers",
    ("route_answers", "requires_answers"): "route_answers_route_answers",
    ("route_answers_route_answers", "related_route_answers_id"): "route_answers",
    ("routes", "route_steps"): "routes_route_steps",
    ("routes_route_steps", "route_steps_id"): "route_steps",
    ("routes", "requires_answers"): "routes_route_answers",
    ("routes_route_answers", "route_answers_id"): "route_answers",
    ("route_steps", "faqs"): "route_steps_faqs",
    ("route_steps_faqs", "faqs_id"): "faqs",
    ("route_steps", "articles"): "route_steps_articles",
    ("route_steps_articles", "articles_id"): "articles",
}
_junction_ids = itertools.count(1)


def doc(*paragraphs: str) -> Row:
    return {
        "type": "doc",
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": t}]} for t in paragraphs],
    }


QUESTION_KEYS = {"school": "q-school", "rol": "q-rol", "opleiding": "q-opleiding", "kwalificatie": "q-kwal"}
# Readable ids for the real answers: "a<sort>" (sort is unique across all answers).
ANSWER_KEYS: dict[str, str] = {
    label: f"a{sort}" for rows in sd.ROUTE_STRUCTURE.values() for sort, label, _ in rows
}


def answer_row(question: str, sort: int, label: str, needs: sd.Prerequisites, answers: dict[str, Row]) -> Row:
    key = ANSWER_KEYS[label]
    return {
        "id": key,
        "status": "published",
        "title": label,
        "description": f"Uitleg bij {label}.",
        "question": QUESTION_KEYS[question],
        "sort": sort,
        "requires_answers": [
            {
                "id": next(_junction_ids),
                "route_answers_id": key,
                "related_route_answers_id": answers[ANSWER_KEYS[x]],
            }
            for q in sd.ROUTE_QUESTION_KEYS
            for x in needs.get(q, ())
        ],
        "date_created": "2026-02-01T10:00:00.000Z",
    }


def real_questions() -> list[Row]:
    """The four real questions with their answers, stored out of asking order (the tool sorts by `sort`)."""
    answers: dict[str, Row] = {}
    by_question: dict[str, list[Row]] = {}
    for question in sd.ROUTE_QUESTION_KEYS:  # earlier answers first: later ones link to them
        for sort, label, needs in sd.ROUTE_STRUCTURE[question]:
            row = answer_row(question, sort, label, needs, answers)
            answers[row["id"]] = row
            by_question.setdefault(question, []).append(row)
    texts = {
        "school": ("Op welk type school wil je werken?", "Het soort onderwijs."),
        "rol": ("Welke functie wil je?", "De rol die je ambieert."),
        "opleiding": ("Wat is je hoogst afgeronde opleiding?", "Je hoogste diploma."),
        "kwalificatie": ("Welke kwalificatie wil je halen?", None),
    }
    order = ["rol", "school", "kwalificatie", "opleiding"]
    return [
        {
            "id": QUESTION_KEYS[q],
            "status": "published",
            "sort": sd.ROUTE_QUESTION_KEYS.index(q) + 1,
            "question": texts[q][0],
            "description": texts[q][1],
            "answers": by_question[q],
            "date_created": "2026-02-01T10:00:00.000Z",
        }
        for q in order
    ]


def faq_row(key: str, question: str, status: str = "published") -> Row:
    return {"id": key, "status": status, "question": question, "answer": doc("Antwoord.")}


def article_row(key: str, title: str, status: str = "published") -> Row:
    return {"id": key, "status": status, "title": title, "path": f"/kennisbank/artikelen/{key}", "body": None}


FAQS = {
    "f-zij": faq_row("f-zij", "Wat is zij-instroom?"),
    "f-kosten": faq_row("f-kosten", "Wie betaalt de kosten van zij-instroom?"),
    "f-concept": faq_row("f-concept", "CONCEPT vraag", status="draft"),
    "f-pabo": faq_row("f-pabo", "Wat is de pabo?"),
    "f-regio": faq_row("f-regio", "Wat doet een regioloket?"),
}
ARTICLES = {
    "art-pabo": article_row("art-pabo", "De pabo: zo word je leraar basisonderwijs"),
    "art-zij": article_row("art-zij", "Zij-instromen in het onderwijs"),
    "art-concept": article_row("art-concept", "CONCEPT artikel", status="draft"),
}


def links(step: str, alias: str, pool: dict[str, Row], keys: tuple[tuple[str, int | None], ...]) -> list[Row]:
    target = "faqs_id" if alias == "faqs" else "articles_id"
    return [{"id": next(_junction_ids), "route_steps_id": step, target: pool[k], "sort": s} for k, s in keys]


def step_row(
    key: str,
    short: str | None,
    long: str | None,
    months: int | None,
    body: Row | None,
    faqs: tuple[tuple[str, int | None], ...] = (),
    articles: tuple[tuple[str, int | None], ...] = (),
) -> Row:
    return {
        "id": key,
        "status": "published",
        "unique_name": key.upper(),
        "short_title": short,
        "long_title": long,
        "slug": key,
        "duration_in_months": months,
        "body": body,
        "faqs": links(key, "faqs", FAQS, faqs),
        "articles": links(key, "articles", ARTICLES, articles),
    }


def make_steps() -> dict[str, Row]:
    return {
        s["id"]: s
        for s in [
            step_row(
                "s-orient",
                "Oriënteren",
                None,
                1,
                doc("Bezoek een open dag en praat met leraren."),
                faqs=(("f-regio", 1),),
            ),
            step_row(
                "s-pabo",
                "Pabo deeltijd",
                "Volg de pabo in deeltijd",
                48,
                doc("Je volgt de pabo naast je werk.", "Tweede alinea."),
                faqs=(("f-pabo", 1),),
                articles=(("art-pabo", 1),),
            ),
            step_row(
                "s-gso",
                "Geschiktheidsonderzoek",
                "Doe het geschiktheidsonderzoek",
                2,
                doc("Een assessment " * 40),
            ),
            step_row(
                "s-zij",
                "Zij-instroom",
                "Volg het zij-instroomtraject",
                24,
                doc("Werken en leren tegelijk."),
                # Stored out of order; the junction's sort decides. The draft FAQ and article read as null.
                faqs=(("f-kosten", 3), ("f-concept", 2), ("f-zij", 1)),
                articles=(("art-concept", 1), ("art-zij", 2)),
            ),
            step_row("s-master", None, "Volg een educatieve master", 24, None),
        ]
    }


def route(
    key: str,
    title: str,
    months: int | None,
    requires: tuple[str | None, ...],
    steps: list[tuple[str, int | None]],
) -> Row:
    """`requires` are answer labels (None: a junction row without an answer); `steps` (step, sort)."""
    return {
        "id": key,
        "status": "published",
        "title": title,
        "slug": "-".join(s for s, _ in steps),
        "path": f"/routes/{key}",
        "duration_in_months": months,
        "requires_answers": [
            {"id": next(_junction_ids), "routes_id": key, "route_answers_id": ANSWER_KEYS[a] if a else None}
            for a in requires
        ],
        # Junction rows deliberately not in step order.
        "route_steps": [
            {"id": 100 + n, "routes_id": key, "route_steps_id": s, "sort": sort}
            for n, (s, sort) in enumerate(steps)
        ],
    }


PO = sd.SCHOOL_PO
PRIMAIR = "Primair onderwijs"


def make_routes() -> list[Row]:
    return [
        route("r-pabo", "Pabo in deeltijd", 50, ("Hbo-bachelor", PRIMAIR), [("s-pabo", 2), ("s-orient", 1)]),
        route(
            "r-zij-po",
            "Zij-instroom basisonderwijs",
            27,
            (PO, PRIMAIR),
            [("s-zij", 3), ("s-orient", 1), ("s-gso", 2)],
        ),
        route(
            "r-master", "Educatieve master", 24, ("Wo-master", "Eerstegraads bevoegdheid"), [("s-master", 1)]
        ),
        route(
            "r-tweede",
            "Zij-instroom tweedegraads",
            26,
            ("Hbo-bachelor", "Tweedegraads bevoegdheid"),
            [("s-gso", 1), ("s-zij", 2)],
        ),
        route(
            "r-assistent",
            "Opleiding onderwijsassistent",
            None,
            ("Onderwijsassistent" + sd.GEEN_DIPLOMA,),
            [("s-orient", 1), ("s-gso", 2)],
        ),
        route("r-havo", "Pabo na de havo", 60, ("Havo", PRIMAIR, None), [("s-orient", 1), ("s-pabo", 2)]),
        route("r-orient", "Eerst oriënteren", 1, (), [("s-orient", None)]),
        *[
            route(f"r-po-{n}", f"Variant {n} basisonderwijs", 30 + n, (PRIMAIR,), [("s-orient", 1)])
            for n in range(1, 6)
        ],
    ]


class RefusedError(Exception):
    def __init__(self, collection: str, name: str, where: str) -> None:
        self.message = (
            f'You don\'t have permission to access field "{name}" in collection "{collection}" or it does not '
            f'exist. Queried in "{where}".'
        )


def _visible(value: Any) -> bool:
    return not isinstance(value, dict) or value.get("status", "published") == "published"


def _bare(collection: str, name: str, value: Any) -> Any:
    """A field as `*` shows it: a related item by its key, a relation list by the keys of its rows."""
    if (collection, name) not in RELATIONS:
        return value
    if isinstance(value, dict):
        return value.get("id")
    if isinstance(value, list):
        return [v.get("id") if isinstance(v, dict) else v for v in value if _visible(v)]
    return value


def project(row: Row, fields: list[str], collection: str, where: str = "") -> Row:
    """Directus ``fields`` on one stored row (relations stored expanded)."""
    tree: dict[str, list[str]] = {}
    star = False
    for path in fields:
        head, _, rest = path.partition(".")
        if head == "*":
            star = True
        else:
            tree.setdefault(head, []).append(rest)
    out: Row = {k: _bare(collection, k, v) for k, v in row.items()} if star else {}
    for head, rests in tree.items():
        if head not in row:
            raise RefusedError(collection, head, where or collection)
        value = row[head]
        nested = [r for r in rests if r]
        target = RELATIONS.get((collection, head), "")
        if not nested:
            out[head] = _bare(collection, head, value)
        elif isinstance(value, list):
            out[head] = [
                project(v, nested, target, f"{where}.{head}".strip(".")) for v in value if _visible(v)
            ]
        elif isinstance(value, dict):
            out[head] = (
                project(value, nested, target, f"{where}.{head}".strip(".")) if _visible(value) else None
            )
        else:
            out[head] = value
    return out


def _matches(item: Row, filter_: Any) -> bool:
    excluded = set(filter_["requires_answers"]["_none"]["route_answers_id"]["_nin"])
    # SQL: NULL NOT IN (...) is not true, so a row without an answer never excludes the route.
    return not any(
        r["route_answers_id"] is not None and r["route_answers_id"] not in excluded
        for r in item["requires_answers"]
    )


def _forbidden(message: str = "no") -> httpx.Response:
    return httpx.Response(403, json={"errors": [{"message": message, "extensions": {"code": "FORBIDDEN"}}]})


@dataclass
class FakeDirectus:
    questions: list[Row] = field(default_factory=real_questions)
    routes: list[Row] = field(default_factory=make_routes)
    steps: dict[str, Row] = field(default_factory=make_steps)
    requests: list[httpx.Request] = field(default_factory=list)
    # collection -> status code to answer with instead of data
    fail: dict[str, int] = field(default_factory=dict)
    # a hook that may rewrite the stored rows of a collection before a request is answered
    rewrite: Callable[[str, list[Row]], list[Row]] | None = None

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]

    def count(self, collection: str) -> int:
        return self.paths().count(f"/items/{collection}")

    def question(self, key: str) -> Row:
        """The stored question row of a seed question key ("school", "rol", ...)."""
        return next(q for q in self.questions if q["id"] == QUESTION_KEYS[key])

    def answers(self) -> list[Row]:
        return [a for q in self.questions for a in q["answers"]]

    def answer(self, label: str) -> Row:
        return next(a for a in self.answers() if a["title"] == label)

    def _routes(self) -> list[Row]:
        return [
            {
                **r,
                "route_steps": [
                    {**j, "route_steps_id": self.steps.get(j["route_steps_id"])} for j in r["route_steps"]
                ],
            }
            for r in self.routes
        ]

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
        elif collection == "routes":
            rows = self._routes()
            if "filter" in params:
                rows = [r for r in rows if _matches(r, json.loads(params["filter"]))]
            rows.sort(
                key=lambda r: (
                    r["duration_in_months"] is None,
                    r["duration_in_months"] or 0,
                    r["title"],
                    r["id"],
                )
            )
        else:
            return _forbidden()
        if self.rewrite is not None:
            rows = self.rewrite(collection, rows)
        rows = [r for r in rows if _visible(r)]
        total = len(rows)
        offset = int(params.get("offset", "0"))
        limit = int(params.get("limit", "100"))
        rows = rows[offset:] if limit == -1 else rows[offset : offset + limit]
        try:
            data = [project(r, params.get("fields", "*").split(","), collection) for r in rows]
        except RefusedError as exc:
            return _forbidden(exc.message)
        body: Row = {"data": data}
        if params.get("meta"):
            body["meta"] = {"filter_count": total}
        return httpx.Response(200, json=body)

    def install(self, router: respx.MockRouter) -> None:
        router.get(url__startswith=f"{BASE}/items/").mock(side_effect=self.handler)
