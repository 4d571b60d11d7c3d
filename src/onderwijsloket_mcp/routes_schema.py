"""The route tool's data model, with every undocumented field name kept in this one module.

The public docs name the collections ``route_questions``, ``route_answers``, ``route_steps`` and ``routes``, the
``routes`` fields, ``route_steps.route_steps_id{short_title, duration_in_months, body}`` and
``requires_answers.route_answers_id`` (reference §2.4). They do **not** name the fields of the questions and
answers, how an answer depends on earlier ones, or how the steps of a route are ordered. Our choices are recorded
in tests/stack/ASSUMPTIONS.md ("route_questions", "route_answers", "routes_route_steps.sort"); the constants below
are the only place the code names them.

If the live schema differs, :func:`parse_questions`, :func:`parse_answers` and :func:`ordered_steps` raise
:class:`RouteSchemaError` naming the missing field, instead of asking nonsense questions or misordering steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .directus import DirectusClient, Query
from .errors import OnderwijsloketError, PermissionDeniedError, UpstreamError
from .formatting import clean_text, fold
from .richtext import render_plain

# --- documented names (reference §2.4) ------------------------------------------------------------------
QUESTIONS = "route_questions"
ANSWERS = "route_answers"
ROUTES = "routes"
ROUTE_ID = "id"
ROUTE_TITLE = "title"
ROUTE_PATH = "path"
ROUTE_DURATION = "duration_in_months"
ROUTE_STEPS = "route_steps"  # M2M alias on routes
STEP_TARGET = "route_steps_id"  # junction field -> route_steps
STEP_SHORT_TITLE = "short_title"
STEP_DURATION = "duration_in_months"
STEP_BODY = "body"
REQUIRES = "requires_answers"  # M2M alias on routes
REQUIRES_TARGET = "route_answers_id"  # junction field -> route_answers

# --- undocumented: our recorded assumptions (tests/stack/ASSUMPTIONS.md) -----------------------------------
Q_TITLE = "title"  # question text                                                  required
Q_DESCRIPTION = "description"  # one-line explanation                              optional
Q_SORT = "sort"  # integer; the order in which the questions are asked                  required
A_TITLE = "title"  # answer label                                                   required
A_DESCRIPTION = "description"  # explanation of the option                         optional
A_QUESTION = "question"  # M2O -> route_questions                                       required
A_SORT = "sort"  # integer; order of the options within a question                     optional
A_DEPENDS_ON = "depends_on"  # M2M self-relation: offered only if one of these was chosen earlier   required
A_DEPENDS_ON_TARGET = "related_route_answers_id"  # junction field -> the earlier answer   required
STEP_SORT = "sort"  # on the routes.route_steps junction rows: the step order            required
STEP_TITLE = "title"  # longer step title, used only when short_title is empty           optional

ASSUMPTIONS_NOTE = (
    "The Onderwijsloket docs do not name these fields; the names this server assumes are kept in "
    "onderwijsloket_mcp/routes_schema.py. Please report this so the mapping can be updated."
)

QUESTIONS_QUERY = Query(fields=("*",), limit=-1, sort=("id",))
# ``*`` keeps optional fields optional; the self-relation is the one path we must name.
ANSWERS_QUERY = Query(
    fields=("*", f"{A_DEPENDS_ON}.*"), limit=-1, sort=("id",), deep={A_DEPENDS_ON: {"_limit": -1}}
)
ROUTE_FIELDS = (
    ROUTE_ID,
    ROUTE_TITLE,
    ROUTE_PATH,
    ROUTE_DURATION,
    f"{ROUTE_STEPS}.*",  # the junction rows, including their (undocumented) sort
    f"{ROUTE_STEPS}.{STEP_TARGET}.*",
    f"{REQUIRES}.{REQUIRES_TARGET}",
)
ROUTE_DEEP: dict[str, Any] = {ROUTE_STEPS: {"_limit": -1}, REQUIRES: {"_limit": -1}}
ROUTE_SORT = (ROUTE_DURATION, ROUTE_TITLE, ROUTE_ID)


class RouteSchemaError(UpstreamError):
    """The live route data does not have a field this server relies on."""


def matching_filter(answer_ids: Sequence[str]) -> dict[str, Any]:
    """The documented rule: routes none of whose required answers lies outside the chosen ones."""
    return {REQUIRES: {"_none": {REQUIRES_TARGET: {"_nin": list(answer_ids)}}}}


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    description: str
    sort: int | None


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    description: str
    question_id: str
    sort: int | None
    depends_on: frozenset[str]


@dataclass
class RouteModel:
    """All questions (in asking order) and their answers, as parsed from the cached API data."""

    questions: list[Question]
    answers: dict[str, list[Answer]]  # question id -> options in display order
    by_id: dict[str, Answer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {a.id.lower(): a for options in self.answers.values() for a in options}

    def options(self, question: Question) -> list[Answer]:
        return self.answers.get(question.id, [])

    def question_of(self, answer: Answer) -> Question:
        return next(q for q in self.questions if q.id == answer.question_id)


def _missing(collection: str, name: str, meaning: str) -> RouteSchemaError:
    return RouteSchemaError(
        f"The route data is not in the expected shape: {collection} items have no field '{name}' "
        f"(assumed to be {meaning}). {ASSUMPTIONS_NOTE}"
    )


def _require(rows: Sequence[Mapping[str, Any]], collection: str, name: str, meaning: str) -> None:
    for row in rows:
        if name not in row:
            raise _missing(collection, name, meaning)


def key_of(value: object) -> str | None:
    """A primary key as a string; an expanded relation gives its ``id``."""
    if isinstance(value, Mapping):
        value = value.get("id")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int):
        text = str(value).strip()
        return text or None
    return None


def as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def _text(value: object) -> str:
    """Plain text from a string or a Tiptap document (a description may be either)."""
    if isinstance(value, Mapping | list):
        return clean_text(render_plain(value))
    return clean_text(value)


def parse_questions(rows: Sequence[Mapping[str, Any]]) -> list[Question]:
    """Questions in asking order (``sort``, then title); checks the assumed fields exist."""
    _require(rows, QUESTIONS, ROUTE_ID, "the primary key")
    _require(rows, QUESTIONS, Q_TITLE, "the question text")
    _require(rows, QUESTIONS, Q_SORT, "the integer order of the questions")
    questions: list[Question] = []
    for row in rows:
        key = key_of(row.get(ROUTE_ID))
        if key is None:
            continue
        title = _text(row.get(Q_TITLE)) or f"Question {len(questions) + 1}"
        questions.append(Question(key, title, _text(row.get(Q_DESCRIPTION)), as_int(row.get(Q_SORT))))
    # A question without a sort value goes last; ties keep a stable, readable order.
    questions.sort(key=lambda q: (q.sort is None, q.sort or 0, fold(q.title), q.id))
    return questions


def parse_answers(
    rows: Sequence[Mapping[str, Any]], questions: Sequence[Question]
) -> dict[str, list[Answer]]:
    """Options per question; answers of unknown (unreadable) questions are left out."""
    _require(rows, ANSWERS, ROUTE_ID, "the primary key")
    _require(rows, ANSWERS, A_TITLE, "the answer label")
    _require(rows, ANSWERS, A_QUESTION, "the many-to-one link to route_questions")
    _require(
        rows, ANSWERS, A_DEPENDS_ON, "the self-relation listing the earlier answers an option depends on"
    )
    known = {q.id for q in questions}
    out: dict[str, list[Answer]] = {q.id: [] for q in questions}
    for row in rows:
        key = key_of(row.get(ROUTE_ID))
        question = key_of(row.get(A_QUESTION))
        if key is None or question is None or question not in known:
            continue
        out[question].append(
            Answer(
                id=key,
                label=_text(row.get(A_TITLE)) or key,
                description=_text(row.get(A_DESCRIPTION)),
                question_id=question,
                sort=as_int(row.get(A_SORT)),
                depends_on=_depends_on(row.get(A_DEPENDS_ON)),
            )
        )
    for options in out.values():
        options.sort(key=lambda a: (a.sort is None, a.sort or 0, fold(a.label), a.id))
    return out


def _depends_on(value: object) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list):
        raise RouteSchemaError(
            f"The route data is not in the expected shape: {ANSWERS}.{A_DEPENDS_ON} is not a list "
            f"(assumed to be a many-to-many self-relation). {ASSUMPTIONS_NOTE}"
        )
    ids: set[str] = set()
    for row in value:
        if not isinstance(row, Mapping) or A_DEPENDS_ON_TARGET not in row:
            raise _missing(
                f"{ANSWERS}.{A_DEPENDS_ON} junction",
                A_DEPENDS_ON_TARGET,
                "the link to the earlier answer an option depends on",
            )
        key = key_of(row.get(A_DEPENDS_ON_TARGET))
        if key is not None:
            ids.add(key)
    return frozenset(ids)


async def load_model(client: DirectusClient) -> RouteModel:
    """Questions and answers, fetched and parsed once per token and cached (they change rarely).

    The parsed model is cached too: parsing every answer's dependencies again cost more than the rest of a
    get_pathways call that is answered from the cache.
    """
    model: RouteModel = await client.cache.get_or_fetch(
        (client.token_tag, "route_model"), lambda: _fetch_model(client)
    )
    return model


async def _fetch_model(client: DirectusClient) -> RouteModel:
    questions_response = await client.items_cached(QUESTIONS, QUESTIONS_QUERY)
    try:
        answers_response = await client.items_cached(ANSWERS, ANSWERS_QUERY)
    except PermissionDeniedError as exc:
        # Directus answers an unknown field with 403, as it does a missing policy: find out which it is.
        raise await _diagnose_answers(client, exc) from exc
    questions = parse_questions(questions_response.data)
    if not questions:
        raise UpstreamError(
            f"The Onderwijsloket API returned no route questions ({QUESTIONS}). The route tool may be "
            "unpublished, or this token may not read it: try again later or check the token's policies."
        )
    return RouteModel(questions, parse_answers(answers_response.data, questions))


async def _diagnose_answers(client: DirectusClient, original: OnderwijsloketError) -> OnderwijsloketError:
    try:
        probe = await client.items(ANSWERS, Query(fields=("*",), limit=1))
    except OnderwijsloketError:
        return original
    if not probe.data:
        return original
    row = probe.data[0]
    if A_DEPENDS_ON not in row:
        return _missing(
            ANSWERS, A_DEPENDS_ON, "the self-relation listing the earlier answers an option depends on"
        )
    return RouteSchemaError(
        f"The route data is not in the expected shape: {ANSWERS}.{A_DEPENDS_ON} could not be expanded "
        f"(assumed junction field '{A_DEPENDS_ON_TARGET}'). {ASSUMPTIONS_NOTE}"
    )


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    duration_in_months: int | None
    body: object


def ordered_steps(route: Mapping[str, Any]) -> list[Step]:
    """A route's steps in their stored order (the junction's ``sort``, then the junction id)."""
    rows = route.get(ROUTE_STEPS)
    if not isinstance(rows, list):
        return []
    junctions = [r for r in rows if isinstance(r, Mapping)]
    _require(junctions, f"{ROUTES}.{ROUTE_STEPS} junction", STEP_SORT, "the order of the steps in a route")
    ordered = sorted(
        junctions,
        key=lambda r: (
            as_int(r.get(STEP_SORT)) is None,
            as_int(r.get(STEP_SORT)) or 0,
            as_int(r.get("id")) or 0,
        ),
    )
    steps: list[Step] = []
    for row in ordered:
        target = row.get(STEP_TARGET)
        if not isinstance(target, Mapping):
            continue  # a step this token may not read
        key = key_of(target.get("id"))
        if key is None:
            continue
        title = clean_text(target.get(STEP_SHORT_TITLE)) or clean_text(target.get(STEP_TITLE)) or "Step"
        steps.append(Step(key, title, as_int(target.get(STEP_DURATION)), target.get(STEP_BODY)))
    return steps


def required_answer_ids(route: Mapping[str, Any]) -> list[str]:
    rows = route.get(REQUIRES)
    if not isinstance(rows, list):
        return []
    ids = (key_of(r.get(REQUIRES_TARGET)) for r in rows if isinstance(r, Mapping))
    return sorted({i for i in ids if i is not None})
