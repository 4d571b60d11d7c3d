"""get_pathways: Onderwijsloket's route tool ("how do I get into teaching from where I am?").

The route tool asks four questions (school type, role, prior education, qualification) and returns the routes
whose required answers are all among the chosen ones (reference §2.4), ordered by duration. Which options a
question offers follows the grouped rule of reference §1A (see ``RouteModel.unmet``). The questions with all
their answers and prerequisites are read in one request and cached per token: while questions remain a call
costs no request, and a complete call is one request for the routes. Every field name lives in
:mod:`.route_model`.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from ...config import ROUTES_PATH
from ...errors import InvalidInputError, PermissionDeniedError
from ...render.links import site_link, site_page
from ...render.markdown import cap_answer, md_inline, render_blocks
from ...render.richtext import render_one_line, truncate_markdown
from ...services import Services
from ...text import clean_text, fold
from ...upstream.directus import DirectusClient, missing_token_error
from ...upstream.query import Query
from .._common import (
    NextSteps,
    Notes,
    Offset,
    Tool,
    offset_past_end,
    paging_steps,
    showing_note,
    tool_result,
)
from . import route_model as rm

# The first routes of a page are shown with their steps; the others on one line each.
FULL_ROUTES = 3
MAX_STEPS_SHOWN = 12
STEP_DESCRIPTION_CHARS = 150
STEP_TEXT_BUDGET = 2400  # characters of step descriptions across the routes shown in full
MIN_DESCRIPTION_CHARS = 40  # below this a cut description says nothing: leave it out
STEP_TITLE_CHARS = 90
# FAQs and articles the shown steps link to: each listed once, numbered, within this many characters.
READING_BUDGET = 900
MAX_READING_PER_STEP = 3
READING_TITLE_CHARS = 90
OPTION_DESCRIPTION_CHARS = 110
MAX_ANSWERS = 12
ORDER = "ordered by total duration, shortest first; that order is not a ranking of how well a route suits"


# --- structured results ----------------------------------------------------------------------------------


class RouteOption(BaseModel):
    id: str
    label: str
    description: str = ""


class RouteQuestion(BaseModel):
    number: int = Field(description="Position of this question (1-based) among all questions.")
    total: int = Field(description="How many questions the route tool asks.")
    question: str = Field(description="The question text.")
    description: str = ""
    options: list[RouteOption] = Field(description="The only options to offer.")


class ChosenAnswer(BaseModel):
    question: int = Field(description="Number of the question it answers.")
    label: str


class RemovedAnswer(ChosenAnswer):
    reason: str = Field(description="Which earlier answers it needs, and what was chosen instead.")


class StepReading(BaseModel):
    """A FAQ (read it with search_faq and its question) or an article (get_article with its id)."""

    faq: str | None = Field(default=None, description="The FAQ's question.")
    article: str | None = Field(default=None, description="The article's title.")
    id: str | None = Field(default=None, description="The article's id.")
    link: str | None = None


class PathwayStep(BaseModel):
    title: str
    duration_in_months: int | None = None
    description: str = ""
    read: list[int] = Field(
        default_factory=list, description="Its FAQs and articles: their numbers in `reading`."
    )


class Pathway(BaseModel):
    id: str
    title: str
    duration_in_months: int | None = Field(default=None, description="Total typical duration, when stated.")
    duration: str | None = Field(
        default=None,
        description="Without a stated duration: the sum of the steps' durations, or that there is none.",
    )
    link: str
    steps: list[int] = Field(description="The route's steps in order: their numbers in `steps`.")
    requires: list[int] = Field(
        default_factory=list,
        description="The questions (by number) whose answer this route requires; the others do not matter.",
    )


class PathwaysResult(BaseModel):
    """Either the next question to ask (status 'question') or the matching routes (status 'complete').

    A page of routes lists each step once, in `steps` (numbered in order of first use), and each FAQ or
    article the steps link to once, in `reading`; routes and steps refer to them by number.
    """

    status: Literal["question", "complete"]
    answers: list[ChosenAnswer] = Field(
        default_factory=list,
        description="Accepted answers in question order, by label (as the next call takes them).",
    )
    pending_answers: list[ChosenAnswer] = Field(
        default_factory=list, description="Answers to later questions, checked once the next one is answered."
    )
    removed_answers: list[RemovedAnswer] = Field(
        default_factory=list,
        description="Answers the earlier ones no longer allow (e.g. after a change); their question is asked again.",
    )
    skipped_questions: list[str] = Field(
        default_factory=list, description="Questions without any option after the earlier answers."
    )
    next_question: RouteQuestion | None = None
    total: int | None = Field(default=None, description="Number of matching routes (when complete).")
    offset: int = 0
    summary: str | None = Field(
        default=None, description="How many routes match, and in which order they come (when complete)."
    )
    routes: list[Pathway] = Field(default_factory=list)
    steps: dict[str, PathwayStep] = Field(
        default_factory=dict, description="The steps of the routes on this page, by number."
    )
    reading: dict[str, StepReading] = Field(
        default_factory=dict, description="The FAQs and articles that explain those steps, by number."
    )
    notes: Notes = Field(default_factory=list)
    next_steps: NextSteps = Field(default_factory=list)


# --- answer resolution -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Removed:
    """A known answer that the earlier answers no longer allow (e.g. after one of them was changed)."""

    answer: rm.Answer
    unmet: list[tuple[rm.Question, list[rm.Answer]]]  # prerequisite groups not satisfied


@dataclass
class Progress:
    answers: list[rm.Answer]  # accepted, in question order
    next_question: rm.Question | None = None
    options: list[rm.Answer] = field(default_factory=list)
    pending: list[rm.Answer] = field(default_factory=list)
    skipped: list[rm.Question] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.next_question is None


def lookup(model: rm.RouteModel, raw: str) -> list[rm.Answer]:
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


def _listing(options: list[rm.Answer]) -> str:
    if not options:
        return "none"
    return "; ".join(f"{a.label} (id {a.id})" for a in options)


def _quote(raw: str) -> str:
    return "'" + clean_text(raw)[:80] + "'"


class _Resolver:
    def __init__(self, model: rm.RouteModel) -> None:
        self.model = model
        self.chosen: dict[str, rm.Answer] = {}

    def earlier(self, question: rm.Question) -> dict[str, rm.Answer]:
        before = self.model.questions[: self.model.number(question) - 1]
        return {q.id: self.chosen[q.id] for q in before if q.id in self.chosen}

    def place(self, answer: rm.Answer) -> None:
        previous = self.chosen.get(answer.question_id)
        if previous is None:
            self.chosen[answer.question_id] = answer
        elif previous.id != answer.id:
            question = self.model.question_of(answer)
            options = self.model.offered(question, self.earlier(question))
            raise InvalidInputError(
                f"Question {self.model.number(question)} ({question.text}) takes one answer, but two were "
                f"given: '{previous.label}' and '{answer.label}'. To change an answer, replace it instead of "
                f"adding another. Valid options: {_listing(options)}."
            )

    def place_all(self, inputs: list[str]) -> list[str]:
        """Place every answer given (an unambiguous one first, then the rest); returns the unknown ones."""
        unknown: list[str] = []
        ambiguous: list[tuple[str, list[rm.Answer]]] = []
        for raw in (clean_text(i) for i in inputs):
            if not raw:
                continue
            candidates = lookup(self.model, raw)
            if not candidates:
                unknown.append(raw)
            elif len(candidates) == 1:
                self.place(candidates[0])
            else:
                ambiguous.append((raw, candidates))
        for raw, candidates in ambiguous:
            self.resolve_ambiguous(raw, candidates)
        return unknown

    def resolve_ambiguous(self, raw: str, candidates: list[rm.Answer]) -> None:
        free = [c for c in candidates if c.question_id not in self.chosen]
        viable = [c for c in free if not self.model.unmet(c, self.earlier(self.model.question_of(c)))]
        # Answers are given in asking order, so a label shared by several questions (e.g. "Anders") answers
        # the earliest question still open.
        order = {q.id: n for n, q in enumerate(self.model.questions)}
        viable.sort(key=lambda c: order[c.question_id])
        free.sort(key=lambda c: order[c.question_id])
        if len(viable) == 1 or (len(viable) > 1 and viable[0].question_id != viable[1].question_id):
            self.place(viable[0])
            return
        if not viable and any(self.chosen.get(c.question_id) == c for c in candidates):
            return  # the same answer was also given another way
        if not viable:
            # Not allowed after the earlier answers: evaluate() drops it and says why.
            self.place(free[0] if free else candidates[0])  # with no open question this raises
            return
        where = "; ".join(f"'{c.label}' (id {c.id})" for c in viable)
        raise InvalidInputError(
            f"{_quote(raw)} matches more than one option: {where}. Send the id instead of the label."
        )


def evaluate(model: rm.RouteModel, inputs: list[str]) -> Progress:
    """Check the answers against the questions, in asking order.

    An answer the earlier answers do not allow (e.g. after one of them changed) is dropped and reported, and
    its question is asked again: the conversation goes on. An unknown label, or two answers to one question,
    raise InvalidInputError saying what is valid instead.
    """
    resolver = _Resolver(model)
    unknown = resolver.place_all(inputs)
    progress = _progress(model, resolver.chosen)
    if unknown:
        raise _unknown(model, unknown, progress)
    return progress


def _progress(model: rm.RouteModel, chosen: Mapping[str, rm.Answer]) -> Progress:
    """The chosen answers (question id -> answer) walked in asking order: accepted while the earlier ones
    allow them, up to the first question still open; the later ones wait."""
    progress = Progress(answers=[])
    accepted: dict[str, rm.Answer] = {}
    for question in model.questions:
        answer = chosen.get(question.id)
        if progress.next_question is not None:
            if answer is not None:
                progress.pending.append(answer)
            continue
        options = model.offered(question, accepted)
        if answer is not None and answer in options:
            progress.answers.append(answer)
            accepted[question.id] = answer
            continue
        if answer is not None:
            progress.removed.append(Removed(answer, model.unmet(answer, accepted)))
        if options:
            progress.next_question, progress.options = question, options
        else:
            progress.skipped.append(question)
    return progress


def removal_reason(model: rm.RouteModel, removed: Removed, progress: Progress) -> str:
    """Why an answer was dropped: each prerequisite it lacks, with what was chosen instead."""
    accepted = {a.question_id: a for a in progress.answers}
    dropped = {r.answer.question_id for r in progress.removed}
    parts: list[str] = []
    for question, allowed in removed.unmet:
        labels = " or ".join(a.label for a in allowed) or "an answer that is not available"
        picked = accepted.get(question.id)
        if picked is not None:
            now = f"the answer is {picked.label}"
        elif question.id in dropped:
            now = "that answer was removed too"
        else:
            now = "not answered"
        parts.append(f"Q{model.number(question)} {labels} ({now})")
    if not parts:
        return "it is not offered after the earlier answers"
    return "it is only offered after " + "; and ".join(parts)


def _unknown(model: rm.RouteModel, unknown: list[str], progress: Progress) -> InvalidInputError:
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
        f"or id. Next is question {model.number(question)} ({question.text}); valid options: "
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


@dataclass(frozen=True)
class RouteRow:
    """A matching route as read, with its steps in order."""

    id: str
    title: str
    duration_in_months: int | None
    link: str
    steps: list[rm.Step]
    requires: list[str]  # the answer ids it requires


def route_row(item: dict[str, Any], site_url: str) -> RouteRow | None:
    key = rm.key_of(item.get(rm.ROUTE_ID))
    if key is None:
        return None
    return RouteRow(
        id=key,
        title=clean_text(item.get(rm.ROUTE_TITLE)) or clean_text(item.get(rm.ROUTE_SLUG)) or "Route",
        duration_in_months=rm.as_int(item.get(rm.ROUTE_DURATION)),
        link=site_link(item.get(rm.ROUTE_PATH), site_url) or site_page(site_url, ROUTES_PATH),
        steps=rm.ordered_steps(item),
        requires=rm.required_answer_ids(item),
    )


async def fetch_routes(
    client: DirectusClient, answer_ids: list[str], site_url: str, limit: int, offset: int
) -> tuple[list[RouteRow], int | None, list[str]]:
    """One request: the matching routes of this page, shortest first, with their steps and step links.

    Also returns the step-link fields the API did not have (the routes are shown without those links).
    """
    try:
        response = await client.items(
            rm.ROUTES,
            Query(
                fields=rm.ROUTE_FIELDS,
                filter=rm.matching_filter(answer_ids),
                sort=rm.ROUTE_SORT,
                limit=limit,
                offset=offset,
                meta=("filter_count",),
                deep=rm.ROUTE_DEEP,
            ),
            optional=rm.LINK_FIELDS,
        )
    except PermissionDeniedError as exc:
        named = rm.schema_error_for(exc)
        if named is None:
            raise
        raise named from exc
    routes = [r for r in (route_row(item, site_url) for item in response.data) if r is not None]
    return routes, response.total, rm.absent_link_fields(response.data)


def _duration_text(steps: list[rm.Step]) -> str:
    """For a route without a stated duration: the sum of its steps' durations, when each step states one."""
    known = [s.duration_in_months for s in steps]
    if steps and all(d is not None for d in known):
        return f"about {_months(sum(d for d in known if d is not None))} (sum of the steps)"
    return "duration not stated"


class _Page:
    """The routes of a page with each step and each FAQ or article numbered once, in order of first use."""

    def __init__(self, site_url: str, chosen: dict[str, int]) -> None:
        self.site_url = site_url
        self.chosen = chosen  # answer id -> the number of the question it answers
        self.steps: dict[str, PathwayStep] = {}
        self.reading: dict[str, StepReading] = {}
        self._step_numbers: dict[str, int] = {}
        self._reading_numbers: dict[tuple[str, str], int] = {}

    def route(self, row: RouteRow) -> Pathway:
        return Pathway(
            id=row.id,
            title=row.title,
            duration_in_months=row.duration_in_months,
            duration=_duration_text(row.steps) if row.duration_in_months is None else None,
            link=row.link,
            steps=[self._step(step) for step in row.steps],
            requires=sorted({self.chosen[a] for a in row.requires if a in self.chosen}),
        )

    def _step(self, step: rm.Step) -> int:
        number = self._step_numbers.get(step.id)
        if number is None:
            read = [self._read("faq", link) for link in step.faqs]
            read += [self._read("article", link) for link in step.articles]
            number = self._step_numbers[step.id] = len(self._step_numbers) + 1
            self.steps[str(number)] = PathwayStep(
                title=step.title,
                duration_in_months=step.duration_in_months,
                description=render_one_line(step.body, max_chars=STEP_DESCRIPTION_CHARS),
                read=read,
            )
        return number

    def _read(self, kind: Literal["faq", "article"], link: rm.Link) -> int:
        number = self._reading_numbers.get((kind, link.id))
        if number is None:
            number = self._reading_numbers[(kind, link.id)] = len(self._reading_numbers) + 1
            self.reading[str(number)] = (
                StepReading(faq=link.title)
                if kind == "faq"
                else StepReading(article=link.title, id=link.id, link=site_link(link.path, self.site_url))
            )
        return number


def _chosen(model: rm.RouteModel, answers: list[rm.Answer]) -> list[ChosenAnswer]:
    return [ChosenAnswer(question=model.number(model.question_of(a)), label=a.label) for a in answers]


def _removed(model: rm.RouteModel, progress: Progress) -> list[RemovedAnswer]:
    return [
        RemovedAnswer(
            question=model.number(model.question_of(r.answer)),
            label=r.answer.label,
            reason=removal_reason(model, r, progress),
        )
        for r in progress.removed
    ]


def _ref(model: rm.RouteModel, answer: rm.Answer) -> str:
    """How to name an answer in the next call: its label when unambiguous, else its id."""
    return answer.label if len(lookup(model, answer.label)) == 1 else answer.id


# --- hints and caveats: the same sentences in the markdown and in structuredContent -----------------------

REMOVED_NOTE = (
    "Removed because the earlier answers no longer allow them (tell the person which follow-up choices were "
    "dropped and why)"
)
SKIPPED_NOTE = "Skipped (no options after your answers)"
PENDING_NOTE = "Also noted for a later question (checked once this one is answered)"
READING_STEP = "To read one: a FAQ with search_faq and its question, an article with get_article and its id."


def no_match_step(site_url: str) -> str:
    return (
        "Try other answers (for example a different qualification or role), or see all routes at "
        f"{site_page(site_url, ROUTES_PATH)}; a regional education desk (list_regional_desks) can advise "
        "personally."
    )


def ask_step(example: str) -> str:
    return (
        "Ask the person this question of the route tool, offering only these options, then call get_pathways "
        f"again with answers={example}: all answers so far plus the new one, each as an option's label or id "
        "(to change an earlier answer, replace it)."
    )


def more_routes_step(first: int) -> str:
    """``first``: the 0-based offset of the first route shown on one line."""
    return (
        "To see route N with its steps, call again with the same answers and offset=N-1 (e.g. "
        f"offset={first} for route {first + 1})."
    )


def _answer_notes(result: PathwaysResult) -> list[str]:
    return [
        note
        for note, items in (
            (REMOVED_NOTE, result.removed_answers),
            (SKIPPED_NOTE, result.skipped_questions),
            (PENDING_NOTE, result.pending_answers),
        )
        if items
    ]


# --- markdown --------------------------------------------------------------------------------------------


def _duration(route: Pathway) -> str:
    if route.duration_in_months is not None:
        return _months(route.duration_in_months)
    return route.duration or ""


def _notes_blocks(result: PathwaysResult) -> list[str]:
    """The notes, each with the answers or questions it is about."""
    blocks: list[str] = []
    for note in result.notes:
        if note == REMOVED_NOTE:
            lines = [
                f"- {md_inline(r.label)} (question {r.question}): {md_inline(r.reason)}."
                for r in result.removed_answers
            ]
            blocks.append(f"{note}:\n" + "\n".join(lines))
        elif note == SKIPPED_NOTE:
            blocks.append(f"{note}: {', '.join(result.skipped_questions)}.")
        elif note == PENDING_NOTE:
            blocks.append(f"{note}: {', '.join(md_inline(a.label) for a in result.pending_answers)}.")
        else:
            blocks.append(note)
    return blocks


def format_question(result: PathwaysResult) -> str:
    question = result.next_question
    assert question is not None
    lines = [
        f"- {md_inline(o.label)} (id {o.id})" + (f" — {md_inline(o.description)}" if o.description else "")
        for o in question.options
    ]
    given = "; ".join(f"{a.question}. {md_inline(a.label)}" for a in result.answers)
    return render_blocks(
        [
            f"## Route question {question.number} of {question.total}: {md_inline(question.question)}",
            md_inline(question.description) or None,
            f"Answers so far: {given}." if given else None,
            *_notes_blocks(result),
            "Options:\n" + "\n".join(lines),
            *result.next_steps,
        ]
    )


class _Reading:
    """The FAQs and articles the shown steps link to, each listed once under its number, within a budget."""

    def __init__(self, reading: dict[str, StepReading]) -> None:
        self.reading = reading
        self.listed: set[int] = set()
        self.lines: list[str] = []
        self.used = 0
        self.left_out = 0

    def refs(self, step: PathwayStep) -> str:
        refs: list[str] = []
        for number in step.read[:MAX_READING_PER_STEP]:
            if number not in self.listed:
                link = self.reading[str(number)]
                title = _short(link.faq or link.article or "", READING_TITLE_CHARS)
                line = f"[{number}] " + (
                    f"FAQ: {md_inline(title)}" if link.faq else f"article: {md_inline(title)} (id {link.id})"
                )
                if self.used + len(line) > READING_BUDGET:
                    self.left_out += 1
                    continue
                self.used += len(line)
                self.lines.append(line)
                self.listed.add(number)
            refs.append(f"[{number}]")
        extra = len(step.read) - len(refs)
        if not refs:
            return f" · {_count(extra, 'reading link')} in the structured result" if extra else ""
        return " · read " + " ".join(refs) + (f" +{extra} more" if extra else "")

    def block(self) -> str | None:
        if not self.lines:
            return None
        tail = "\nMore links are in the structured result (steps.read / reading)." if self.left_out else ""
        return f"Reading for these steps. {READING_STEP}\n" + "\n".join(self.lines) + tail


def _step_line(
    index: int, step: PathwayStep, first_route: int, route: int, description_chars: int, reading: _Reading
) -> str:
    line = f"{index}. {md_inline(_short(step.title, STEP_TITLE_CHARS))}"
    if step.duration_in_months is not None:
        line += f" ({_months(step.duration_in_months)})"
    if first_route != route:
        return line + f" — as in route {first_route}"
    if step.description and description_chars >= MIN_DESCRIPTION_CHARS:
        line += f": {md_inline(_short(step.description, description_chars))}"
    return line + reading.refs(step)


def format_routes(result: PathwaysResult) -> str:
    chosen = "; ".join(md_inline(a.label) for a in result.answers) or "no answers"
    total = result.total if result.total is not None else len(result.routes)
    if not result.routes:
        if total and result.offset >= total:
            return offset_past_end(total=total, offset=result.offset, noun="routes")
        summary = (result.summary or "").removesuffix(".")
        return render_blocks([*_notes_blocks(result), f"{summary} ({chosen}).", *result.next_steps])
    blocks: list[str | None] = [f"## Routes for: {chosen}", *_notes_blocks(result), result.summary]
    one_liners: list[str] = []
    reading = _Reading(result.reading)
    full = result.routes[:FULL_ROUTES]
    # A step already shown in an earlier route of this page is named, not described again; the new ones
    # share the step-text budget, so the default answer stays near DEFAULT_ANSWER_TOKENS.
    first_seen: dict[int, int] = {}
    for number, route in enumerate(full, start=result.offset + 1):
        for s in route.steps[:MAX_STEPS_SHOWN]:
            first_seen.setdefault(s, number)
    description_chars = min(STEP_DESCRIPTION_CHARS, STEP_TEXT_BUDGET // max(1, len(first_seen)))
    sequences: dict[tuple[int, ...], int] = {}
    for number, route in enumerate(result.routes, start=result.offset + 1):
        if number - result.offset > FULL_ROUTES:
            one_liners.append(
                f"{number}. {md_inline(route.title)} — {_duration(route)}, {_count(len(route.steps), 'step')} · "
                f"{route.link} · ID: {route.id}"
            )
            continue
        same = sequences.setdefault(tuple(route.steps), number)
        if same != number:
            steps = [
                f"The same {'step' if len(route.steps) == 1 else f'{len(route.steps)} steps'} as route {same}."
            ]
        else:
            steps = [
                _step_line(i, result.steps[str(s)], first_seen[s], number, description_chars, reading)
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
    blocks.append(reading.block())
    more = more_routes_step(result.offset + FULL_ROUTES)
    if one_liners:
        blocks.append(f"More matching routes. {more}\n" + "\n".join(one_liners))
    paging = [s for s in result.next_steps if s not in (more, READING_STEP)]
    shown = showing_note(total=result.total, offset=result.offset, shown=len(result.routes), noun="routes")
    blocks.append(" ".join([shown, *paging]))
    return cap_answer(render_blocks(blocks))


# --- the tool --------------------------------------------------------------------------------------------


def question_result(model: rm.RouteModel, progress: Progress, result: PathwaysResult) -> PathwaysResult:
    question = progress.next_question
    assert question is not None
    given = [*progress.answers, *progress.pending]
    example = ", ".join(f'"{_ref(model, a)}"' for a in given)
    example = f'[{example}, "<option>"]' if example else '["<option>"]'
    return result.model_copy(
        update={
            "next_question": RouteQuestion(
                number=model.number(question),
                total=len(model.questions),
                question=question.text,
                description=_short(question.description, 240),
                options=[
                    RouteOption(
                        id=a.id, label=a.label, description=_short(a.description, OPTION_DESCRIPTION_CHARS)
                    )
                    for a in progress.options
                ],
            ),
            "next_steps": [ask_step(example)],
        }
    )


def complete_result(
    model: rm.RouteModel,
    progress: Progress,
    result: PathwaysResult,
    rows: list[RouteRow],
    total: int | None,
    site_url: str,
    limit: int,
    offset: int,
) -> PathwaysResult:
    page = _Page(site_url, {a.id: model.number(model.question_of(a)) for a in progress.answers})
    routes = [page.route(row) for row in rows]
    steps: list[str] = []
    if page.reading:
        steps.append(READING_STEP)
    if len(routes) > FULL_ROUTES:
        steps.append(more_routes_step(offset + FULL_ROUTES))
    steps += paging_steps(total=total, offset=offset, shown=len(routes), limit=limit)
    if not routes and not total:
        steps.append(no_match_step(site_url))
        summary = "No route matches these answers."
    else:
        summary = f"{_count(total or len(routes), 'matching route')}, {ORDER}."
    return result.model_copy(
        update={
            "routes": routes,
            "steps": page.steps,
            "reading": page.reading,
            "total": total,
            "offset": offset,
            "summary": summary,
            "next_steps": steps,
        }
    )


async def get_pathways(
    ctx: Context[Services, Any],
    answers: Annotated[
        list[Annotated[str, Field(max_length=200)]],
        Field(
            description="All answers chosen so far, each an option's id or its label as offered (case, accents "
            "and spaces do not matter; ids and labels may be mixed). Start with [] to get the first question. "
            "To change an earlier answer, replace it: follow-up answers it no longer allows are dropped and "
            "reported.",
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

    It asks four questions (type of school, role, highest completed education, qualification to obtain), one
    per call: call with answers=[] to get the first question and its options, ask the person, then call again
    with all answers so far. Options depend on earlier answers: offer only the ones returned. Changing an
    earlier answer drops the follow-up answers it no longer allows and says which and why. Once every question
    is answered it returns the matching routes ordered by duration (shortest first; not a ranking of
    suitability): the steps in order with their durations, a short description, the FAQs and articles that
    explain them, and a link. An unknown answer comes back as an error listing the valid options.
    """
    svc = Services.of(ctx)
    if not svc.directus.has_token:
        raise missing_token_error()
    model = await rm.load_model(svc.directus)
    progress = evaluate(model, answers)
    result = PathwaysResult(
        status="complete" if progress.complete else "question",
        answers=_chosen(model, progress.answers),
        pending_answers=_chosen(model, progress.pending),
        removed_answers=_removed(model, progress),
        skipped_questions=[q.text for q in progress.skipped],
    )
    result.notes = _answer_notes(result)
    if not progress.complete:
        result = question_result(model, progress, result)
        return tool_result(cap_answer(format_question(result)), result)
    ids = [a.id for a in progress.answers]
    rows, total, absent = await fetch_routes(svc.directus, ids, svc.settings.site_url, limit, offset)
    if absent:
        result.notes.append(
            f"The steps are shown without the FAQs and articles that explain them: the API has no "
            f"{' or '.join(absent)} field. {rm.SCHEMA_NOTE}"
        )
    result = complete_result(model, progress, result, rows, total, svc.settings.site_url, limit, offset)
    return tool_result(format_routes(result), result)


TOOL = Tool(
    name="get_pathways",
    title="Find routes into a job in education",
    summary="the route tool; asks four questions one per call, then lists the routes into a role (by duration).",
    handler=get_pathways,
)
