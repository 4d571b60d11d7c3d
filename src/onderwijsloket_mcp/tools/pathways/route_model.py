"""The route tool's data model, with every route field name the server uses kept in this one module.

Each name is marked with its source: **§1A** (exports of real items, reference §1A: the strongest evidence),
**docs** (the public docs, reference §2.1/§2.4) or **assumed** (our guess). tests/stack/ASSUMPTIONS.md lists
the same names with the same marks; ``FIELD_SOURCES`` below is what the tests compare it with.

If the live data lacks a name the tool relies on, :func:`parse_model`, :func:`ordered_steps` and the
diagnosis of a refused request raise :class:`RouteSchemaError` naming the field, instead of asking nonsense
questions, offering the wrong options or misordering steps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ...errors import PermissionDeniedError, UpstreamError
from ...render.richtext import render_plain
from ...text import clean_text, fold
from ...upstream.directus import DirectusClient
from ...upstream.query import Query

Source = Literal["§1A", "docs", "assumed"]

# --- route_questions ------------------------------------------------------------------------------------
QUESTIONS = "route_questions"  # docs
Q_TEXT = "question"  # §1A: the question text (there is no title and no slug)
Q_DESCRIPTION = "description"  # §1A
Q_SORT = "sort"  # §1A: 1-4, the asking order
Q_ANSWERS = "answers"  # §1A: O2M alias of route_answers.question
# --- route_answers --------------------------------------------------------------------------------------
ANSWERS = "route_answers"  # docs
A_LABEL = "title"  # §1A: the option label
A_DESCRIPTION = "description"  # §1A
A_SORT = "sort"  # §1A: one order across all answers (1-56), not per question
A_REQUIRES = "requires_answers"  # §1A: self-referencing M2M, the prerequisites
A_REQUIRES_TARGET = "related_route_answers_id"  # §1A: junction field -> the required answer
# --- routes ---------------------------------------------------------------------------------------------
ROUTES = "routes"  # docs
ROUTE_ID = "id"  # docs
ROUTE_TITLE = "title"  # docs, §1A
ROUTE_SLUG = "slug"  # §1A: built from the step slugs
ROUTE_PATH = "path"  # docs, §1A
ROUTE_DURATION = "duration_in_months"  # docs, §1A
REQUIRES = "requires_answers"  # docs, §1A: M2M -> route_answers
REQUIRES_TARGET = "route_answers_id"  # docs, §1A: junction field (one real row holds null)
ROUTE_STEPS = "route_steps"  # docs, §1A: M2M -> route_steps
STEP_TARGET = "route_steps_id"  # docs, §1A: junction field
STEP_SORT = "sort"  # §1A: on the routes.route_steps junction rows, the step order
# --- route_steps ----------------------------------------------------------------------------------------
STEP_UNIQUE_NAME = "unique_name"  # §1A: an editor's name, shown only when a step has no title
STEP_SHORT_TITLE = "short_title"  # docs, §1A
STEP_LONG_TITLE = "long_title"  # §1A (there is no title)
STEP_DURATION = "duration_in_months"  # docs, §1A
STEP_BODY = "body"  # docs, §1A: Tiptap
STEP_FAQS = "faqs"  # §1A: sorted M2M -> faqs
FAQ_TARGET = "faqs_id"  # §1A: junction field
STEP_ARTICLES = "articles"  # §1A: sorted M2M -> articles
ARTICLE_TARGET = "articles_id"  # §1A: junction field
LINK_SORT = "sort"  # §1A: on the faqs / articles junction rows
# --- the knowledge-base items a step links to -----------------------------------------------------------
FAQ_QUESTION = "question"  # docs
ARTICLE_TITLE = "title"  # docs
ARTICLE_PATH = "path"  # docs

# (collection, field) -> (source, what the tool takes it to be). Junction rows are named
# "<collection>.<alias> junction". Every name above that the tool reads is listed here.
FIELD_SOURCES: dict[tuple[str, str], tuple[Source, str]] = {
    (QUESTIONS, Q_TEXT): ("§1A", "the question text"),
    (QUESTIONS, Q_DESCRIPTION): ("§1A", "an explanation of the question"),
    (QUESTIONS, Q_SORT): ("§1A", "the integer order in which the questions are asked"),
    (QUESTIONS, Q_ANSWERS): ("§1A", "the one-to-many list of a question's answers"),
    (ANSWERS, A_LABEL): ("§1A", "the answer label"),
    (ANSWERS, A_DESCRIPTION): ("§1A", "an explanation of the option"),
    (ANSWERS, A_SORT): ("§1A", "the order of the options"),
    (ANSWERS, A_REQUIRES): ("§1A", "the many-to-many list of earlier answers an option requires"),
    (f"{ANSWERS}.{A_REQUIRES} junction", A_REQUIRES_TARGET): ("§1A", "the link to the required answer"),
    (ROUTES, ROUTE_TITLE): ("docs", "the route title"),
    (ROUTES, ROUTE_SLUG): ("§1A", "the route slug"),
    (ROUTES, ROUTE_PATH): ("docs", "the site-relative link of the route"),
    (ROUTES, ROUTE_DURATION): ("docs", "the total typical duration"),
    (ROUTES, REQUIRES): ("docs", "the answers a route requires"),
    (f"{ROUTES}.{REQUIRES} junction", REQUIRES_TARGET): ("docs", "the link to a required answer"),
    (ROUTES, ROUTE_STEPS): ("docs", "the steps of a route"),
    (f"{ROUTES}.{ROUTE_STEPS} junction", STEP_TARGET): ("docs", "the link to a step"),
    (f"{ROUTES}.{ROUTE_STEPS} junction", STEP_SORT): ("§1A", "the order of the steps in a route"),
    ("route_steps", STEP_UNIQUE_NAME): ("§1A", "the editors' name of a step"),
    ("route_steps", STEP_SHORT_TITLE): ("docs", "the short step title"),
    ("route_steps", STEP_LONG_TITLE): ("§1A", "the full step title"),
    ("route_steps", STEP_DURATION): ("docs", "the typical duration of a step"),
    ("route_steps", STEP_BODY): ("docs", "the step description (rich text)"),
    ("route_steps", STEP_FAQS): ("§1A", "the FAQs that explain a step"),
    (f"route_steps.{STEP_FAQS} junction", FAQ_TARGET): ("§1A", "the link to a FAQ"),
    (f"route_steps.{STEP_FAQS} junction", LINK_SORT): ("§1A", "the order of a step's FAQs"),
    ("route_steps", STEP_ARTICLES): ("§1A", "the articles that explain a step"),
    (f"route_steps.{STEP_ARTICLES} junction", ARTICLE_TARGET): ("§1A", "the link to an article"),
    (f"route_steps.{STEP_ARTICLES} junction", LINK_SORT): ("§1A", "the order of a step's articles"),
    ("faqs", FAQ_QUESTION): ("docs", "the FAQ question"),
    ("articles", ARTICLE_TITLE): ("docs", "the article title"),
    ("articles", ARTICLE_PATH): ("docs", "the article's site-relative link"),
}

SCHEMA_NOTE = (
    "The route field names this server uses are kept in onderwijsloket_mcp/tools/pathways/route_model.py (taken from "
    "exports of real items); please report this so the mapping can be updated."
)

# One request for the whole question tree: the questions with their answers and each answer's prerequisites.
# ``*`` keeps optional fields optional; the relational paths are the ones that must be named.
MODEL_QUERY = Query(
    fields=("*", f"{Q_ANSWERS}.*", f"{Q_ANSWERS}.{A_REQUIRES}.{A_REQUIRES_TARGET}"),
    limit=-1,
    sort=("id",),
    deep={Q_ANSWERS: {"_limit": -1, A_REQUIRES: {"_limit": -1}}},
)
_STEP = f"{ROUTE_STEPS}.{STEP_TARGET}"
ROUTE_FIELDS = (
    "*",
    f"{ROUTE_STEPS}.*",  # the junction rows with their sort
    f"{_STEP}.*",
    f"{_STEP}.{STEP_FAQS}.*",
    f"{_STEP}.{STEP_FAQS}.{FAQ_TARGET}.id",
    f"{_STEP}.{STEP_FAQS}.{FAQ_TARGET}.{FAQ_QUESTION}",
    f"{_STEP}.{STEP_ARTICLES}.*",
    f"{_STEP}.{STEP_ARTICLES}.{ARTICLE_TARGET}.id",
    f"{_STEP}.{STEP_ARTICLES}.{ARTICLE_TARGET}.{ARTICLE_TITLE}",
    f"{_STEP}.{STEP_ARTICLES}.{ARTICLE_TARGET}.{ARTICLE_PATH}",
    f"{REQUIRES}.{REQUIRES_TARGET}",
)
# Without the step links (a deployment without them, a token that may not read FAQs or articles) the routes are
# still worth showing: Directus's refusal of these paths makes the client ask again without them.
LINK_FIELDS = frozenset(
    f for f in ROUTE_FIELDS if f.startswith((f"{_STEP}.{STEP_FAQS}", f"{_STEP}.{STEP_ARTICLES}"))
)
# Relational lists default to 100 rows in Directus: ask for all of them.
ROUTE_DEEP: dict[str, Any] = {
    ROUTE_STEPS: {"_limit": -1, STEP_TARGET: {STEP_FAQS: {"_limit": -1}, STEP_ARTICLES: {"_limit": -1}}},
    REQUIRES: {"_limit": -1},
}
ROUTE_SORT = (ROUTE_DURATION, ROUTE_TITLE, ROUTE_ID)


class RouteSchemaError(UpstreamError):
    """The live route data does not have a field this server relies on."""


def matching_filter(answer_ids: Sequence[str]) -> dict[str, Any]:
    """The documented rule: routes none of whose required answers lies outside the chosen ones.

    A junction row whose answer is null is not "outside" (SQL ``NULL NOT IN (...)`` is not true), so it
    does not hide the route.
    """
    return {REQUIRES: {"_none": {REQUIRES_TARGET: {"_nin": list(answer_ids)}}}}


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    description: str
    sort: int | None


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    description: str
    question_id: str
    sort: int | None
    requires: frozenset[str]  # ids of required answers, any question


@dataclass
class RouteModel:
    """All questions (in asking order) and their answers, as parsed from the API data (cached per token)."""

    questions: list[Question]
    answers: dict[str, list[Answer]]  # question id -> options in display order
    by_id: dict[str, Answer] = field(default_factory=dict)
    # answer id -> {earlier question id: the answers of it that satisfy the prerequisite}
    groups: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {a.id.lower(): a for options in self.answers.values() for a in options}
        position = {q.id: n for n, q in enumerate(self.questions)}
        question_of = {a.id: a.question_id for options in self.answers.values() for a in options}
        for options in self.answers.values():
            for answer in options:
                grouped: dict[str, set[str]] = {}
                for required in answer.requires:
                    owner = question_of.get(required)
                    # Only earlier questions count; unknown answers (unpublished, not readable) are ignored.
                    if owner is not None and position[owner] < position[answer.question_id]:
                        grouped.setdefault(owner, set()).add(required)
                ordered = sorted(grouped.items(), key=lambda item: position[item[0]])
                self.groups[answer.id] = {q: frozenset(ids) for q, ids in ordered}

    def options(self, question: Question) -> list[Answer]:
        return self.answers.get(question.id, [])

    def question_of(self, answer: Answer) -> Question:
        return next(q for q in self.questions if q.id == answer.question_id)

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)

    def number(self, question: Question) -> int:
        """1-based position in asking order."""
        return self.questions.index(question) + 1

    def unmet(self, answer: Answer, chosen: Mapping[str, Answer]) -> list[tuple[Question, list[Answer]]]:
        """The prerequisite groups ``chosen`` (question id -> answer) does not satisfy, in question order.

        The grouped rule (reference §1A): an answer is offered when, for every earlier question among its
        prerequisites, one of that question's listed answers was chosen: AND across questions, OR within one.
        """
        out: list[tuple[Question, list[Answer]]] = []
        for question_id, allowed in self.groups.get(answer.id, {}).items():
            picked = chosen.get(question_id)
            if picked is None or picked.id not in allowed:
                question = self.question(question_id)
                out.append((question, [a for a in self.options(question) if a.id in allowed]))
        return out

    def offered(self, question: Question, chosen: Mapping[str, Answer]) -> list[Answer]:
        """Options of ``question`` given the answers chosen so far (question id -> answer)."""
        return [a for a in self.options(question) if not self.unmet(a, chosen)]


def _missing(collection: str, name: str) -> RouteSchemaError:
    meaning = "the primary key" if name == "id" else FIELD_SOURCES[(collection, name)][1]
    return RouteSchemaError(
        f"The route data is not in the expected shape: {collection} items have no field '{name}' "
        f"(expected: {meaning}). {SCHEMA_NOTE}"
    )


def _require(rows: Sequence[Mapping[str, Any]], collection: str, name: str) -> None:
    for row in rows:
        if name not in row:
            raise _missing(collection, name)


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


def _rows(value: object, collection: str, name: str) -> list[Mapping[str, Any]]:
    """A relation list; null counts as empty, anything else that is not a list is a schema problem."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RouteSchemaError(
            f"The route data is not in the expected shape: {collection}.{name} is not a list (expected: "
            f"{FIELD_SOURCES.get((collection, name), ('', 'a relation'))[1]}). {SCHEMA_NOTE}"
        )
    return [r for r in value if isinstance(r, Mapping)]


def _junction_order(row: Mapping[str, Any]) -> tuple[bool, int, int]:
    """Junction rows by ``sort`` (empty last), then by their own id (creation order)."""
    sort = as_int(row.get(LINK_SORT))
    return (sort is None, sort or 0, as_int(row.get("id")) or 0)


def parse_model(rows: Sequence[Mapping[str, Any]]) -> RouteModel:
    """Questions (by ``sort``) with their answers (by ``sort``); checks the fields the tool relies on."""
    _require(rows, QUESTIONS, "id")
    _require(rows, QUESTIONS, Q_TEXT)
    _require(rows, QUESTIONS, Q_SORT)
    _require(rows, QUESTIONS, Q_ANSWERS)
    questions: list[Question] = []
    answers: dict[str, list[Answer]] = {}
    for row in rows:
        key = key_of(row.get("id"))
        if key is None:
            continue
        text = _text(row.get(Q_TEXT)) or f"Question {len(questions) + 1}"
        questions.append(Question(key, text, _text(row.get(Q_DESCRIPTION)), as_int(row.get(Q_SORT))))
        answers[key] = _parse_answers(_rows(row.get(Q_ANSWERS), QUESTIONS, Q_ANSWERS), key)
    # A question without a sort value goes last; ties keep a stable, readable order.
    questions.sort(key=lambda q: (q.sort is None, q.sort or 0, fold(q.text), q.id))
    return RouteModel(questions, answers)


def _parse_answers(rows: list[Mapping[str, Any]], question: str) -> list[Answer]:
    _require(rows, ANSWERS, "id")
    _require(rows, ANSWERS, A_LABEL)
    _require(rows, ANSWERS, A_REQUIRES)
    options: list[Answer] = []
    for row in rows:
        key = key_of(row.get("id"))
        if key is None:
            continue
        options.append(
            Answer(
                id=key,
                label=_text(row.get(A_LABEL)) or key,
                description=_text(row.get(A_DESCRIPTION)),
                question_id=question,
                sort=as_int(row.get(A_SORT)),
                requires=_required(row.get(A_REQUIRES)),
            )
        )
    options.sort(key=lambda a: (a.sort is None, a.sort or 0, fold(a.label), a.id))
    return options


def _required(value: object) -> frozenset[str]:
    junction = f"{ANSWERS}.{A_REQUIRES} junction"
    ids: set[str] = set()
    for row in _rows(value, ANSWERS, A_REQUIRES):
        if A_REQUIRES_TARGET not in row:
            raise _missing(junction, A_REQUIRES_TARGET)
        key = key_of(row.get(A_REQUIRES_TARGET))
        if key is not None:  # a row without an answer (deleted, not readable) requires nothing
            ids.add(key)
    return frozenset(ids)


async def load_model(client: DirectusClient) -> RouteModel:
    """Questions with their answers, fetched in one request and parsed once per token, then cached.

    The parsed model is cached (not only the JSON): grouping every answer's prerequisites again would cost
    more than the rest of a get_pathways call answered from the cache.
    """
    model: RouteModel = await client.cache.get_or_fetch(
        (client.token_tag, "route_model"), lambda: _fetch_model(client)
    )
    return model


async def _fetch_model(client: DirectusClient) -> RouteModel:
    try:
        response = await client.items(QUESTIONS, MODEL_QUERY)
    except PermissionDeniedError as exc:
        named = schema_error_for(exc)
        if named is None:
            raise
        raise named from exc
    model = parse_model(response.data)
    if not model.questions:
        raise UpstreamError(
            f"The Onderwijsloket API returned no route questions ({QUESTIONS}). The route tool may be "
            "unpublished, or this token may not read it: try again later or check the token's policies."
        )
    return model


def schema_error_for(exc: PermissionDeniedError) -> RouteSchemaError | None:
    """Directus refuses a field it does not have like one the token may not read ('... field "X" in
    collection "Y" or it does not exist'): when X is one of the route names, name it instead of only
    blaming the token's policies.
    """
    if exc.missing_field is None:
        return None
    collection, name = exc.missing_field
    meanings = [m for (where, known), (_, m) in FIELD_SOURCES.items() if known == name]
    exact = [m for (where, known), (_, m) in FIELD_SOURCES.items() if known == name and where == collection]
    if not meanings:
        return None
    return RouteSchemaError(
        f"The route data is not in the expected shape: Directus refused the field '{name}' of {collection} "
        f"(expected: {(exact or meanings)[0]}); it does not exist there, or this token may not read it. "
        f"{SCHEMA_NOTE}"
    )


@dataclass(frozen=True)
class Link:
    """A FAQ or article that explains a step."""

    id: str
    title: str
    path: str | None = None


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    duration_in_months: int | None
    body: object
    faqs: tuple[Link, ...] = ()
    articles: tuple[Link, ...] = ()


def ordered_steps(route: Mapping[str, Any]) -> list[Step]:
    """A route's steps in their stored order (the junction's ``sort``, then the junction id)."""
    junctions = _rows(route.get(ROUTE_STEPS), ROUTES, ROUTE_STEPS)
    _require(junctions, f"{ROUTES}.{ROUTE_STEPS} junction", STEP_SORT)
    steps: list[Step] = []
    for row in sorted(junctions, key=_junction_order):
        target = row.get(STEP_TARGET)
        if not isinstance(target, Mapping):
            continue  # a step this token may not read
        key = key_of(target.get("id"))
        if key is None:
            continue
        if STEP_LONG_TITLE not in target and STEP_SHORT_TITLE not in target:
            raise _missing("route_steps", STEP_LONG_TITLE)
        title = (
            clean_text(target.get(STEP_LONG_TITLE))
            or clean_text(target.get(STEP_SHORT_TITLE))
            or clean_text(target.get(STEP_UNIQUE_NAME))
            or "Step"
        )
        steps.append(
            Step(
                key,
                title,
                as_int(target.get(STEP_DURATION)),
                target.get(STEP_BODY),
                faqs=_links(target.get(STEP_FAQS), STEP_FAQS, FAQ_TARGET, FAQ_QUESTION, None),
                articles=_links(
                    target.get(STEP_ARTICLES), STEP_ARTICLES, ARTICLE_TARGET, ARTICLE_TITLE, ARTICLE_PATH
                ),
            )
        )
    return steps


def _links(
    value: object, alias: str, target_field: str, title_field: str, path_field: str | None
) -> tuple[Link, ...]:
    links: list[Link] = []
    for row in sorted(_rows(value, "route_steps", alias), key=_junction_order):
        target = row.get(target_field)
        if not isinstance(target, Mapping):
            continue  # unpublished, or not readable with this token
        key = key_of(target.get("id"))
        title = clean_text(target.get(title_field))
        if key is None or not title or any(link.id == key for link in links):
            continue
        path = clean_text(target.get(path_field)) if path_field else ""
        links.append(Link(key, title, path or None))
    return tuple(links)


def absent_link_fields(routes: Sequence[Mapping[str, Any]]) -> list[str]:
    """``route_steps.faqs`` / ``route_steps.articles`` when the steps came back without that field."""
    absent: list[str] = []
    for route in routes:
        for row in _rows(route.get(ROUTE_STEPS), ROUTES, ROUTE_STEPS):
            target = row.get(STEP_TARGET)
            if isinstance(target, Mapping):
                for name in (STEP_FAQS, STEP_ARTICLES):
                    if name not in target and f"route_steps.{name}" not in absent:
                        absent.append(f"route_steps.{name}")
    return absent


def required_answer_ids(route: Mapping[str, Any]) -> list[str]:
    """The answers a route requires; a junction row without an answer is ignored."""
    rows = _rows(route.get(REQUIRES), ROUTES, REQUIRES)
    return sorted({i for i in (key_of(r.get(REQUIRES_TARGET)) for r in rows) if i is not None})
