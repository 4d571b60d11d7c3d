"""get_pathways: Onderwijsloket's route tool ("how do I get into teaching from where I am?").

The route tool asks a few questions (four in production) and returns the routes whose required answers are all
among the chosen ones (reference §2.4). Questions and answers are read once per token and cached; while
questions remain, a call costs no request at all, and a complete call is one request for the routes. The
undocumented field names live in :mod:`onderwijsloket_mcp.routes_schema`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult, TextContent
from pydantic import BaseModel, Field

from .. import routes_schema as rs
from ..directus import DirectusClient, Query, missing_token_error
from ..errors import InvalidInputError
from ..formatting import (
    cap_answer,
    clean_text,
    fold,
    md_inline,
    offset_past_end,
    paging_note,
    render_blocks,
    site_link,
)
from ..richtext import render_one_line, truncate_markdown
from ..services import Services
from ._common import Offset, register_tool, services

ROUTES_OVERVIEW_PATH = "/routes"
# The first routes of a page are shown with their steps; the others on one line each.
FULL_ROUTES = 3
MAX_STEPS_SHOWN = 12
STEP_DESCRIPTION_CHARS = 150
STEP_TEXT_BUDGET = 2400  # characters of step descriptions across the routes shown in full
OPTION_DESCRIPTION_CHARS = 110
MAX_ANSWERS = 12


# --- structured results ----------------------------------------------------------------------------------


class RouteOption(BaseModel):
    id: str
    label: str
    description: str = ""


class RouteQuestion(BaseModel):
    id: str
    number: int = Field(description="Position of this question (1-based) among all questions.")
    total: int = Field(description="How many questions the route tool asks.")
    title: str
    description: str = ""
    options: list[RouteOption]


class ChosenAnswer(BaseModel):
    question_id: str
    question: str
    id: str
    label: str


class PathwayStep(BaseModel):
    id: str
    title: str
    duration_in_months: int | None = None
    description: str = ""


class Pathway(BaseModel):
    id: str
    title: str
    duration_in_months: int | None = Field(
        default=None, description="Total typical duration; null when the route does not state one."
    )
    link: str
    steps: list[PathwayStep]
    requires_answer_ids: list[str] = Field(default_factory=list)


class PathwaysResult(BaseModel):
    """Either the next question to ask (status 'question') or the matching routes (status 'complete')."""

    status: Literal["question", "complete"]
    answers: list[ChosenAnswer] = Field(description="Accepted answers, in question order.")
    pending_answers: list[ChosenAnswer] = Field(
        default_factory=list, description="Answers to later questions, checked once the next one is answered."
    )
    skipped_questions: list[str] = Field(
        default_factory=list, description="Questions without any option after the earlier answers."
    )
    next_question: RouteQuestion | None = None
    total: int | None = Field(default=None, description="Number of matching routes (when complete).")
    offset: int = 0
    routes: list[Pathway] = Field(default_factory=list)


# --- answer resolution -----------------------------------------------------------------------------------


@dataclass
class Progress:
    answers: list[rs.Answer]  # accepted, in question order
    next_question: rs.Question | None = None
    options: list[rs.Answer] = field(default_factory=list)
    pending: list[rs.Answer] = field(default_factory=list)
    skipped: list[rs.Question] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.next_question is None


def lookup(model: rs.RouteModel, raw: str) -> list[rs.Answer]:
    """Answers meant by ``raw``: an id, or a label (case, accents, punctuation and spaces ignored)."""
    by_id = model.by_id.get(raw.strip().lower())
    if by_id is not None:
        return [by_id]
    wanted = fold(raw)
    if not wanted:
        return []
    every = [a for options in model.answers.values() for a in options]
    exact = [a for a in every if fold(a.label) == wanted]
    if exact:
        return exact
    compact = wanted.replace(" ", "")
    return [a for a in every if fold(a.label).replace(" ", "") == compact]


def offered(model: rs.RouteModel, question: rs.Question, earlier: set[str]) -> list[rs.Answer]:
    """Options of ``question`` given the answers chosen for earlier questions."""
    return [a for a in model.options(question) if not a.depends_on or a.depends_on & earlier]


def _number(model: rs.RouteModel, question: rs.Question) -> int:
    return model.questions.index(question) + 1


def _listing(options: list[rs.Answer]) -> str:
    if not options:
        return "none"
    return "; ".join(f"{a.label} (id {a.id})" for a in options)


def _quote(raw: str) -> str:
    return "'" + clean_text(raw)[:80] + "'"


class _Resolver:
    def __init__(self, model: rs.RouteModel) -> None:
        self.model = model
        self.chosen: dict[str, rs.Answer] = {}

    def earlier(self, question: rs.Question) -> set[str]:
        ids: set[str] = set()
        for q in self.model.questions:
            if q.id == question.id:
                break
            if q.id in self.chosen:
                ids.add(self.chosen[q.id].id)
        return ids

    def place(self, answer: rs.Answer) -> None:
        previous = self.chosen.get(answer.question_id)
        if previous is None:
            self.chosen[answer.question_id] = answer
        elif previous.id != answer.id:
            question = self.model.question_of(answer)
            options = offered(self.model, question, self.earlier(question))
            raise InvalidInputError(
                f"Question {_number(self.model, question)} ({question.title}) takes one answer, but two were "
                f"given: '{previous.label}' and '{answer.label}'. Keep one of them. "
                f"Valid options: {_listing(options)}."
            )

    def resolve_ambiguous(self, raw: str, candidates: list[rs.Answer]) -> None:
        free = [c for c in candidates if c.question_id not in self.chosen]
        viable = [
            c
            for c in free
            if c in offered(self.model, self.model.question_of(c), self.earlier(self.model.question_of(c)))
        ]
        # Answers are given in asking order, so a label shared by several questions (e.g. "Anders") answers
        # the earliest question still open.
        order = {q.id: n for n, q in enumerate(self.model.questions)}
        viable.sort(key=lambda c: order[c.question_id])
        if len(viable) == 1 or (len(viable) > 1 and viable[0].question_id != viable[1].question_id):
            self.place(viable[0])
            return
        if not viable and any(self.chosen.get(c.question_id) == c for c in candidates):
            return  # the same answer was also given another way
        if not viable:
            if not free:
                self.place(candidates[0])  # raises: its question already has another answer
            question = self.model.question_of(free[0])
            earlier = [
                self.chosen[q.id]
                for q in self.model.questions[: _number(self.model, question) - 1]
                if q.id in self.chosen
            ]
            raise _not_allowed(
                self.model, question, free[0], offered(self.model, question, self.earlier(question)), earlier
            )
        where = "; ".join(f"'{c.label}' (id {c.id})" for c in viable)
        raise InvalidInputError(
            f"{_quote(raw)} matches more than one option: {where}. Send the id instead of the label."
        )


def evaluate(model: rs.RouteModel, inputs: list[str]) -> Progress:
    """Check the answers against the questions; raise InvalidInputError saying what is valid instead."""
    resolver = _Resolver(model)
    unknown: list[str] = []
    ambiguous: list[tuple[str, list[rs.Answer]]] = []
    for raw in (clean_text(i) for i in inputs):
        if not raw:
            continue
        candidates = lookup(model, raw)
        if not candidates:
            unknown.append(raw)
        elif len(candidates) == 1:
            resolver.place(candidates[0])
        else:
            ambiguous.append((raw, candidates))
    for raw, candidates in ambiguous:
        resolver.resolve_ambiguous(raw, candidates)

    progress = Progress(answers=[])
    accepted: set[str] = set()
    for question in model.questions:
        answer = resolver.chosen.get(question.id)
        if progress.next_question is not None:
            if answer is not None:
                progress.pending.append(answer)
            continue
        options = offered(model, question, accepted)
        if answer is None:
            if options:
                progress.next_question, progress.options = question, options
            else:
                progress.skipped.append(question)
            continue
        if answer not in options:
            raise _not_allowed(model, question, answer, options, progress.answers)
        progress.answers.append(answer)
        accepted.add(answer.id)
    if unknown:
        raise _unknown(model, unknown, progress)
    return progress


def _not_allowed(
    model: rs.RouteModel,
    question: rs.Question,
    answer: rs.Answer,
    options: list[rs.Answer],
    earlier: list[rs.Answer],
) -> InvalidInputError:
    after = ", ".join(f"'{a.label}'" for a in earlier) or "no earlier answers"
    # In asking order, as the person saw them.
    needs = [a.label for q in model.questions for a in model.options(q) if a.id in answer.depends_on]
    why = f" It only follows: {', '.join(needs)}." if needs else ""
    return InvalidInputError(
        f"'{answer.label}' is not an option for question {_number(model, question)} ({question.title}) "
        f"after {after}.{why} Valid options now: {_listing(options)}. Replace it with one of these, or change "
        "the earlier answer."
    )


def _unknown(model: rs.RouteModel, unknown: list[str], progress: Progress) -> InvalidInputError:
    raw = unknown[0]
    labels = {fold(a.label): a.label for options in model.answers.values() for a in options}
    close = difflib.get_close_matches(fold(raw), list(labels), n=3, cutoff=0.6)
    hint = f" Did you mean: {', '.join(labels[c] for c in close)}?" if close else ""
    if len(unknown) > 1:
        hint += f" Also unknown: {', '.join(_quote(u) for u in unknown[1:4])}."
    if progress.next_question is None:
        return InvalidInputError(
            f"{_quote(raw)} is not an answer option of the route tool.{hint} All questions are already "
            "answered; remove it from answers."
        )
    question = progress.next_question
    return InvalidInputError(
        f"{_quote(raw)} is not an answer option of the route tool.{hint} Give answers as an option's label "
        f"or id. Next is question {_number(model, question)} ({question.title}); valid options: "
        f"{_listing(progress.options)}."
    )


# --- routes ----------------------------------------------------------------------------------------------


def _months(value: int) -> str:
    return "1 month" if value == 1 else f"{value} months"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


_SENTENCE_END = (".", "!", "?", ":", ";", "…")


def _short(text: str, limit: int) -> str:
    if text.endswith("…") and len(text) <= limit:
        return text
    cut, trimmed = truncate_markdown(text.removesuffix(" …").removesuffix("…"), limit)
    if not trimmed and not text.endswith("…"):
        return cut
    return cut + (" …" if cut.endswith(_SENTENCE_END) else "…")


def pathway(item: dict[str, Any], site_url: str) -> Pathway | None:
    key = rs.key_of(item.get(rs.ROUTE_ID))
    if key is None:
        return None
    steps = [
        PathwayStep(
            id=step.id,
            title=step.title,
            duration_in_months=step.duration_in_months,
            description=render_one_line(step.body, max_chars=STEP_DESCRIPTION_CHARS),
        )
        for step in rs.ordered_steps(item)
    ]
    return Pathway(
        id=key,
        title=clean_text(item.get(rs.ROUTE_TITLE)) or "Route",
        duration_in_months=rs.as_int(item.get(rs.ROUTE_DURATION)),
        link=site_link(item.get(rs.ROUTE_PATH), site_url) or site_url.rstrip("/") + ROUTES_OVERVIEW_PATH,
        steps=steps,
        requires_answer_ids=rs.required_answer_ids(item),
    )


async def fetch_routes(
    client: DirectusClient, answer_ids: list[str], site_url: str, limit: int, offset: int
) -> tuple[list[Pathway], int | None]:
    """One request: the matching routes of this page, shortest first, with their steps."""
    response = await client.items(
        rs.ROUTES,
        Query(
            fields=rs.ROUTE_FIELDS,
            filter=rs.matching_filter(answer_ids),
            sort=rs.ROUTE_SORT,
            limit=limit,
            offset=offset,
            meta=("filter_count",),
            deep=rs.ROUTE_DEEP,
        ),
    )
    routes = [p for p in (pathway(item, site_url) for item in response.data) if p is not None]
    return routes, response.total


def _chosen(model: rs.RouteModel, answers: list[rs.Answer]) -> list[ChosenAnswer]:
    out: list[ChosenAnswer] = []
    for a in answers:
        question = model.question_of(a)
        out.append(ChosenAnswer(question_id=question.id, question=question.title, id=a.id, label=a.label))
    return out


def _ref(model: rs.RouteModel, answer: rs.Answer) -> str:
    """How to name an answer in the next call: its label when unambiguous, else its id."""
    return answer.label if len(lookup(model, answer.label)) == 1 else answer.id


# --- markdown --------------------------------------------------------------------------------------------


def _duration(route: Pathway) -> str:
    if route.duration_in_months is not None:
        return _months(route.duration_in_months)
    known = [s.duration_in_months for s in route.steps]
    if route.steps and all(d is not None for d in known):
        return f"about {_months(sum(d for d in known if d is not None))} (sum of the steps)"
    return "duration not stated"


def _answers_line(model: rs.RouteModel, progress: Progress) -> str | None:
    if not progress.answers:
        return None
    given = (f"Q{_number(model, model.question_of(a))} {md_inline(a.label)}" for a in progress.answers)
    return "Answers so far: " + "; ".join(given) + "."


def format_question(model: rs.RouteModel, progress: Progress) -> str:
    question = progress.next_question
    assert question is not None
    number, total = _number(model, question), len(model.questions)
    lines = [
        f"- {md_inline(a.label)} (id {a.id})"
        + (f" — {md_inline(_short(a.description, OPTION_DESCRIPTION_CHARS))}" if a.description else "")
        for a in progress.options
    ]
    given = [*progress.answers, *progress.pending]
    example = ", ".join(f'"{_ref(model, a)}"' for a in given)
    example = f'[{example}, "<option>"]' if example else '["<option>"]'
    notes: list[str | None] = [
        f"Skipped (no options after your answers): {', '.join(q.title for q in progress.skipped)}."
        if progress.skipped
        else None,
        "Also noted for a later question (checked once this one is answered): "
        + ", ".join(md_inline(a.label) for a in progress.pending)
        + "."
        if progress.pending
        else None,
    ]
    return render_blocks(
        [
            f"## Route question {number} of {total}: {md_inline(question.title)}",
            md_inline(_short(question.description, 240)) or None,
            _answers_line(model, progress),
            *notes,
            "Options (answer with the label or the id):\n" + "\n".join(lines),
            f"Ask the person this question, then call get_pathways again with answers={example} "
            "(all answers so far plus the new one).",
        ]
    )


def format_routes(result: PathwaysResult, limit: int) -> str:
    chosen = "; ".join(md_inline(a.label) for a in result.answers) or "no answers"
    total = result.total if result.total is not None else len(result.routes)
    if not result.routes:
        if total and result.offset >= total:
            return offset_past_end(total=total, offset=result.offset, noun="routes")
        return (
            f"No route matches these answers ({chosen}). Try other answers (for example a different "
            "qualification or role), or see all routes at https://onderwijsloket.com/routes; a regional "
            "education desk (list_regional_desks) can advise personally."
        )
    blocks: list[str | None] = [
        f"## Routes into education for: {chosen}",
        f"{total} matching route{'s' if total != 1 else ''}, shortest first.",
    ]
    one_liners: list[str] = []
    # Long routes share the step-text budget, so the default answer stays near DEFAULT_ANSWER_TOKENS.
    shown_steps = sum(min(len(r.steps), MAX_STEPS_SHOWN) for r in result.routes[:FULL_ROUTES])
    description_chars = max(50, min(STEP_DESCRIPTION_CHARS, STEP_TEXT_BUDGET // max(1, shown_steps)))
    for number, route in enumerate(result.routes, start=result.offset + 1):
        position = number - result.offset
        if position <= FULL_ROUTES:
            steps = [
                f"{i}. {md_inline(s.title)}"
                + (f" ({_months(s.duration_in_months)})" if s.duration_in_months is not None else "")
                + (f": {md_inline(_short(s.description, description_chars))}" if s.description else "")
                for i, s in enumerate(route.steps[:MAX_STEPS_SHOWN], start=1)
            ]
            if len(route.steps) > MAX_STEPS_SHOWN:
                steps.append(f"… and {len(route.steps) - MAX_STEPS_SHOWN} more steps (see the link).")
            blocks.append(
                render_blocks(
                    [
                        f"### {number}. {md_inline(route.title)} — {_duration(route)}",
                        "\n".join(steps) if steps else "_(No steps listed.)_",
                        f"Link: {route.link} · ID: {route.id}",
                    ]
                )
            )
        else:
            one_liners.append(
                f"{number}. {md_inline(route.title)} — {_duration(route)}, {_count(len(route.steps), 'step')} · "
                f"{route.link} · ID: {route.id}"
            )
    if one_liners:
        first = result.offset + FULL_ROUTES
        blocks.append(
            "More matching routes (call again with the same answers and offset=N-1 to see route N with its "
            f"steps, e.g. offset={first} for route {first + 1}):\n" + "\n".join(one_liners)
        )
    blocks.append(
        paging_note(
            total=result.total, offset=result.offset, shown=len(result.routes), limit=limit, noun="routes"
        )
    )
    return cap_answer(render_blocks(blocks))


# --- the tool --------------------------------------------------------------------------------------------


async def get_pathways(
    ctx: Context[Services, Any],
    answers: Annotated[
        list[Annotated[str, Field(max_length=200)]],
        Field(
            description="All answers chosen so far, each an option's id or its label as offered (case, accents "
            "and spaces do not matter; ids and labels may be mixed). Start with [] to get the first question.",
            max_length=MAX_ANSWERS,
        ),
    ] = [],  # noqa: B006 - pydantic copies defaults; a list shows as [] in the schema
    limit: Annotated[
        int,
        Field(
            ge=1,
            le=50,
            description="Once all questions are answered: how many matching routes to list (1-50). The first "
            f"{FULL_ROUTES} are shown with their steps, the rest on one line each.",
        ),
    ] = 8,
    offset: Offset = 0,
) -> Annotated[CallToolResult, PathwaysResult]:
    """Find the pathways (routes) into a job in Dutch education that fit a person's situation, using
    Onderwijsloket's route tool: e.g. "how do I become a primary school teacher?", "can I switch careers into
    teaching (zij-instroom)?", "which training do I need for this role?".

    It asks a few questions (such as the type of school, the role and the qualification), one per call: call with
    answers=[] to get the first question and its options, ask the person, then call again with all answers so
    far. When every question is answered it returns the matching routes, shortest first: total duration, the
    steps in order with their durations and a short description, and a link. Options depend on earlier
    answers; invalid or contradictory answers come back as an error listing the valid options.
    """
    svc = services(ctx)
    if not svc.directus.has_token:
        raise missing_token_error()
    model = await rs.load_model(svc.directus)
    progress = evaluate(model, answers)
    result = PathwaysResult(
        status="complete" if progress.complete else "question",
        answers=_chosen(model, progress.answers),
        pending_answers=_chosen(model, progress.pending),
        skipped_questions=[q.title for q in progress.skipped],
    )
    if not progress.complete:
        question = progress.next_question
        assert question is not None
        result.next_question = RouteQuestion(
            id=question.id,
            number=_number(model, question),
            total=len(model.questions),
            title=question.title,
            description=question.description,
            options=[
                RouteOption(id=a.id, label=a.label, description=a.description) for a in progress.options
            ],
        )
        markdown = cap_answer(format_question(model, progress))
    else:
        ids = [a.id for a in progress.answers]
        routes, total = await fetch_routes(svc.directus, ids, svc.settings.site_url, limit, offset)
        result.routes, result.total, result.offset = routes, total, offset
        markdown = format_routes(result, limit)
    return CallToolResult(
        content=[TextContent(type="text", text=markdown)],
        structured_content=result.model_dump(mode="json"),
    )


def register(server: MCPServer[Any]) -> None:
    register_tool(server, get_pathways, "get_pathways", "Find routes into a job in education")
