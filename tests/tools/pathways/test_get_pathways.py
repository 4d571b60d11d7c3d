"""get_pathways: first against an in-memory Directus (tests/tools/pathways/fake_directus.py) holding the real question and
answer structure, for answer resolution, the grouped dependency rule, dropped answers, errors, the documented
matching rule, step order and links, paging, size budgets, request counts and schema checks; then (marked
``stack``) the same behaviour against the real Directus test stack and its seed (tests/stack/seed_data.py).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import mcp
import pytest
import respx
from pydantic import SecretStr

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.render.markdown import approx_tokens
from onderwijsloket_mcp.render.richtext import render_one_line
from onderwijsloket_mcp.tools.pathways import route_model as rs
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, Sample, call, connect, stack_settings, text_of
from tests.support.facts import missing_facts
from tests.tools.pathways.fake_directus import (
    ANSWER_KEYS,
    BASE,
    PRIMAIR,
    TOKEN,
    FakeDirectus,
    Row,
    doc,
    step_row,
)
from tests.tools.pathways.fake_directus import route as make_route

pytestmark = pytest.mark.anyio

# The call of this tool every client and framework test makes (tests/support/inventory.py).
SAMPLE = Sample({"answers": []}, links=False)  # its answer is the first question

K = ANSWER_KEYS  # label -> the fake's answer id
PO_TEACHER = [sd.SCHOOL_PO, sd.LERAAR, "Hbo-bachelor", PRIMAIR]
PO_TEACHER_IDS = [K[x] for x in PO_TEACHER]
SCHOOLS = [label for _, label, _ in sd.ROUTE_STRUCTURE["school"]]
ROLES = [label for _, label, _ in sd.ROUTE_STRUCTURE["rol"]]


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"token": SecretStr(TOKEN), "api_url": BASE, "timeout": 2.0, "max_retries": 0}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def fake() -> FakeDirectus:
    return FakeDirectus()


@pytest.fixture
async def client(fake: FakeDirectus) -> AsyncIterator[mcp.Client]:
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as session:
            yield session


async def pathways(client: mcp.Client, answers: list[str], **extra: Any) -> tuple[str, dict[str, Any]]:
    result = await call(client, "get_pathways", answers=answers, **extra)
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    return text_of(result), result.structured_content


async def error_of(client: mcp.Client, answers: list[str]) -> str:
    result = await call(client, "get_pathways", answers=answers)
    assert result.is_error, text_of(result)
    return text_of(result)


def option_labels(structured: dict[str, Any]) -> list[str]:
    return [o["label"] for o in structured["next_question"]["options"]]


def grouped_rule(question: str, chosen: dict[str, str]) -> list[str]:
    """The rule computed from the real structure on its own (labels in, labels out), for comparison."""
    earlier = sd.ROUTE_QUESTION_KEYS[: sd.ROUTE_QUESTION_KEYS.index(question)]
    return [
        label
        for _, label, needs in sd.ROUTE_STRUCTURE[question]
        if all(chosen.get(q) in allowed for q, allowed in needs.items() if q in earlier)
    ]


# --- questions and the grouped rule ----------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_first_question_comes_in_sort_order_with_labels_ids_and_explanation(
    fake: FakeDirectus, mode: Mode
) -> None:
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings(), mode) as client:
            text, data = await pathways(client, [])
    assert data["status"] == "question"
    question = data["next_question"]
    assert (question["number"], question["total"]) == (1, 4)
    assert question["question"] == "Op welk type school wil je werken?"
    assert option_labels(data) == SCHOOLS  # by the answers' global sort (29-34)
    assert "Route question 1 of 4: Op welk type school wil je werken?" in text
    assert "Het soort onderwijs." in text
    assert f"- {sd.SCHOOL_PO} (id {K[sd.SCHOOL_PO]})" in text
    assert "get_pathways again with answers=" in text


async def test_every_school_and_role_pair_gets_the_qualifications_of_the_grouped_rule(
    client: mcp.Client,
) -> None:
    """AND across earlier questions, OR within one: all 42 pairs of the real structure, valid or not."""
    valid_pairs = 0
    for school in SCHOOLS:
        _, after_school = await pathways(client, [school])
        assert option_labels(after_school) == grouped_rule("rol", {"school": school})
        for role in ROLES:
            _, data = await pathways(client, [school, role, "Havo"])
            chosen = {"school": school, "rol": role, "opleiding": "Havo"}
            if role not in grouped_rule("rol", chosen):
                # Not offered after this school: dropped, said why, and the role question is asked again.
                assert [r["label"] for r in data["removed_answers"]] == [role], (school, role)
                assert data["next_question"]["number"] == 2
                continue
            valid_pairs += 1
            expected = grouped_rule("kwalificatie", chosen)
            assert expected, (school, role)  # every valid pair keeps at least one qualification
            assert data["next_question"]["number"] == 4, (school, role)
            assert option_labels(data) == expected, (school, role)
    assert valid_pairs == 33


async def test_a_primary_school_teacher_is_not_offered_pdg(client: mcp.Client) -> None:
    # PDG requires Q1 in {mbo, vavo} AND Q2 Leraar: "any listed answer" would offer it here.
    _, data = await pathways(client, [sd.SCHOOL_PO, sd.LERAAR, "Havo"])
    assert "PDG" not in option_labels(data)
    assert option_labels(data) == [
        "Primair onderwijs",
        "Tweedegraads bevoegdheid",
        "Beperkte tweedegraads bevoegdheid",
        "Eerstegraads bevoegdheid",
        "Ongegradeerde bevoegdheid",
        "Gastdocent" + sd.GEEN_DIPLOMA,
    ]
    _, mbo = await pathways(client, [sd.SCHOOL_MBO, sd.LERAAR, "Havo"])
    assert "PDG" in option_labels(mbo)


async def test_walking_the_whole_question_tree_offers_exactly_the_rule(client: mcp.Client) -> None:
    """Every node of the tree (1 + 6 + 33 + 594 questions): the options are those of the rule, never none."""
    nodes = 0

    async def walk(labels: list[str]) -> None:
        nonlocal nodes
        _, data = await pathways(client, labels)
        if data["status"] == "complete":
            return
        nodes += 1
        question = sd.ROUTE_QUESTION_KEYS[data["next_question"]["number"] - 1]
        expected = grouped_rule(question, dict(zip(sd.ROUTE_QUESTION_KEYS, labels, strict=False)))
        assert option_labels(data) == expected, labels
        assert "removed_answers" not in data
        if question != "kwalificatie":
            for label in expected:
                await walk([*labels, label])

    await walk([])
    assert nodes == 1 + 6 + 33 + 33 * 18


async def test_labels_are_case_accent_and_space_insensitive_and_mix_with_ids(client: mcp.Client) -> None:
    _, data = await pathways(client, ["  basisschool PO ", K[sd.LERAAR], "HBO bachelor", K[PRIMAIR].upper()])
    assert data["status"] == "complete"
    assert [(a["question"], a["label"]) for a in data["answers"]] == list(enumerate(PO_TEACHER, start=1))
    _, other = await pathways(client, [sd.SCHOOL_MBO, "instructeur", "mbo   4", "instructeursdiploma"])
    assert [a["label"] for a in other["answers"]] == [
        sd.SCHOOL_MBO,
        "Instructeur",
        "Mbo 4",
        "Instructeursdiploma",
    ]


async def test_answers_in_any_order_and_repeated_are_accepted(client: mcp.Client) -> None:
    _, data = await pathways(client, [PRIMAIR, "Hbo-bachelor", sd.LERAAR, sd.SCHOOL_PO, K[sd.SCHOOL_PO]])
    assert [a["label"] for a in data["answers"]] == PO_TEACHER


async def test_later_answers_wait_for_the_open_question(client: mcp.Client) -> None:
    text, data = await pathways(client, [sd.SCHOOL_PO, "Hbo-bachelor"])
    assert data["next_question"]["number"] == 2
    assert data["pending_answers"] == [{"question": 3, "label": "Hbo-bachelor"}]
    assert "Also noted for a later question (checked once this one is answered): Hbo-bachelor." in text
    assert f'answers=["{sd.SCHOOL_PO}", "Hbo-bachelor", "<option>"]' in text


async def test_shared_label_answers_the_earliest_open_question(fake: FakeDirectus) -> None:
    # The real labels are unique; another deployment may reuse one (e.g. "Anders") across questions.
    for question, key in (("rol", "x-rol"), ("opleiding", "x-opl")):
        row = fake.question(question)
        row["answers"].append(
            {**row["answers"][0], "id": key, "title": "Anders", "sort": 90, "requires_answers": []}
        )
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            _, one = await pathways(client, [sd.SCHOOL_PO, "Anders"])
            assert [(a["question"], a["label"]) for a in one["answers"]] == [(1, sd.SCHOOL_PO), (2, "Anders")]
            _, two = await pathways(client, [sd.SCHOOL_PO, "anders", "Anders"])
            assert [(a["question"], a["label"]) for a in two["answers"]] == [
                (1, sd.SCHOOL_PO),
                (2, "Anders"),
                (3, "Anders"),
            ]
            text, _ = await pathways(client, [sd.SCHOOL_PO, "Anders"])
    # The next call names the shared label by id, so it cannot be misread.
    assert f'answers=["{sd.SCHOOL_PO}", "x-rol", "<option>"]' in text


async def test_a_question_without_options_is_skipped(fake: FakeDirectus) -> None:
    fake.answer("Instructeursdiploma")["status"] = "draft"
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            _, data = await pathways(client, [sd.SCHOOL_MBO, "Instructeur", "Mbo 4"])
    assert data["status"] == "complete"
    assert data["skipped_questions"] == ["Welke kwalificatie wil je halen?"]
    assert "Skipped (no options after your answers)" in data["notes"]


async def test_a_prerequisite_row_without_an_answer_or_with_a_hidden_one_is_ignored(
    fake: FakeDirectus,
) -> None:
    pdg = fake.answer("PDG")
    pdg["requires_answers"].append(
        {"id": 9001, "route_answers_id": pdg["id"], "related_route_answers_id": None}
    )
    hidden = {
        **fake.answer(sd.SCHOOL_PO),
        "id": "a-hidden",
        "title": "CONCEPT school",
        "status": "draft",
        "sort": 57,
    }
    fake.question("school")["answers"].append(hidden)
    pdg["requires_answers"].append(
        {"id": 9002, "route_answers_id": pdg["id"], "related_route_answers_id": hidden}
    )
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            _, first = await pathways(client, [])
            _, mbo = await pathways(client, [sd.SCHOOL_MBO, sd.LERAAR, "Havo"])
            _, po = await pathways(client, [sd.SCHOOL_PO, sd.LERAAR, "Havo"])
    assert "CONCEPT school" not in option_labels(first)
    assert "PDG" in option_labels(mbo)
    assert "PDG" not in option_labels(po)


# --- changing an earlier answer, errors ------------------------------------------------------------------


async def test_changing_an_earlier_answer_drops_the_follow_up_and_says_why(client: mcp.Client) -> None:
    # mbo + Leraar + PDG was valid; the person changes the school to Basisschool.
    text, data = await pathways(client, [sd.SCHOOL_PO, sd.LERAAR, "Havo", "PDG"])
    assert data["status"] == "question"
    assert [a["label"] for a in data["answers"]] == [sd.SCHOOL_PO, sd.LERAAR, "Havo"]
    (removed,) = data["removed_answers"]
    assert removed["label"] == "PDG" and removed["question"] == 4
    assert (
        removed["reason"]
        == f"it is only offered after Q1 {sd.SCHOOL_MBO} or {sd.SCHOOL_VAVO} (the answer is {sd.SCHOOL_PO})"
    )
    assert data["next_question"]["number"] == 4
    assert "Removed because the earlier answers no longer allow them" in text
    assert f"- PDG (question 4): it is only offered after Q1 {sd.SCHOOL_MBO} or {sd.SCHOOL_VAVO}" in text
    assert "Route question 4 of 4" in text
    assert f'answers=["{sd.SCHOOL_PO}", "Leraar", "Havo", "<option>"]' in text


async def test_a_change_that_removes_a_role_asks_the_role_again_and_rechecks_later_answers(
    client: mcp.Client,
) -> None:
    _, data = await pathways(client, [sd.SCHOOL_PO, "Instructeur", "Havo", "Instructeursdiploma"])
    assert [r["label"] for r in data["removed_answers"]] == ["Instructeur"]
    assert data["next_question"]["number"] == 2
    assert [a["label"] for a in data["pending_answers"]] == ["Havo", "Instructeursdiploma"]
    # Once a role is chosen, the qualification that needs Instructeur is dropped too, naming both needs.
    _, later = await pathways(client, [sd.SCHOOL_PO, sd.LERAAR, "Havo", "Instructeursdiploma"])
    (removed,) = later["removed_answers"]
    assert removed["reason"] == (
        f"it is only offered after Q1 {sd.SCHOOL_MBO} (the answer is {sd.SCHOOL_PO}); and Q2 Instructeur (the answer is Leraar)"
    )
    assert later["next_question"]["number"] == 4


async def test_unknown_answer_lists_the_valid_options_of_the_next_question(client: mcp.Client) -> None:
    text = await error_of(client, [sd.SCHOOL_PO, "Lerar"])
    assert "'Lerar' is not an answer option" in text
    assert "Did you mean: Leraar" in text
    assert "question 2 (Welke functie wil je?)" in text
    assert f"Leraar (id {K['Leraar']}); Onderwijsondersteunend personeel (id {K[sd.OOP]})" in text
    assert "Instructeur (id" not in text  # only for mbo


async def test_several_unknown_answers_are_all_named(client: mcp.Client) -> None:
    text = await error_of(client, ["zwemmen", sd.SCHOOL_PO, "fietsen"])
    assert "'zwemmen' is not an answer option" in text
    assert "Also unknown: 'fietsen'." in text


async def test_unknown_answer_after_all_questions(client: mcp.Client) -> None:
    text = await error_of(client, [*PO_TEACHER, "zwemmen"])
    assert "'zwemmen' is not an answer option" in text
    assert "All questions are already answered" in text


async def test_two_answers_to_one_question_are_an_error(client: mcp.Client) -> None:
    text = await error_of(client, [sd.SCHOOL_PO, K[sd.SCHOOL_VO]])
    assert "Question 1 (Op welk type school wil je werken?) takes one answer" in text
    assert f"'{sd.SCHOOL_PO}' and '{sd.SCHOOL_VO}'" in text
    assert "replace it instead of adding another" in text
    assert f"{sd.SCHOOL_PO} (id {K[sd.SCHOOL_PO]}); {sd.SCHOOL_VO} (id {K[sd.SCHOOL_VO]})" in text


async def test_blank_answers_are_ignored_and_too_many_are_refused(client: mcp.Client) -> None:
    _, data = await pathways(client, ["", "  "])
    assert data["next_question"]["number"] == 1
    result = await call(client, "get_pathways", answers=[sd.SCHOOL_PO] * 13)
    assert result.is_error


async def test_without_token_it_says_how_to_get_one() -> None:
    async with connect(Settings(token=None)) as client:
        result = await call(client, "get_pathways", answers=[])
    assert result.is_error
    assert "ONDERWIJSLOKET_TOKEN" in text_of(result)


# --- routes ----------------------------------------------------------------------------------------------


async def test_complete_answers_use_the_documented_filter_and_sort(
    client: mcp.Client, fake: FakeDirectus
) -> None:
    text, data = await pathways(client, PO_TEACHER)
    request = fake.requests[-1]
    assert request.url.path == "/items/routes"
    params = request.url.params
    assert json.loads(params["filter"]) == {
        "requires_answers": {"_none": {"route_answers_id": {"_nin": PO_TEACHER_IDS}}}
    }
    assert params["sort"].split(",")[0] == "duration_in_months"
    assert data["status"] == "complete"
    durations = [r["duration_in_months"] for r in data["routes"]]
    assert durations == sorted(durations)
    assert "8 matching routes, ordered by total duration, shortest first; that order is not a ranking" in text
    assert data["summary"] in text and "not a ranking" in data["summary"]


async def test_route_requiring_a_subset_matches_and_one_outside_does_not(client: mcp.Client) -> None:
    _, chosen = await pathways(client, PO_TEACHER, limit=50)
    pabo = next(r for r in chosen["routes"] if r["id"] == "r-pabo")
    assert pabo["requires"] == [3, 4]  # Hbo-bachelor + Primair onderwijs, by question number
    _, other = await pathways(client, [sd.SCHOOL_PO, sd.LERAAR, "Wo-master", PRIMAIR], limit=50)
    ids = {r["id"] for r in other["routes"]}
    assert "r-pabo" not in ids
    assert {"r-zij-po", "r-orient"} <= ids
    assert "requires" not in next(r for r in other["routes"] if r["id"] == "r-orient")  # requires nothing


async def test_a_required_answer_row_without_an_answer_neither_hides_the_route_nor_breaks(
    client: mcp.Client,
) -> None:
    _, data = await pathways(client, [sd.SCHOOL_PO, sd.LERAAR, "Havo", PRIMAIR], limit=50)
    route = next(r for r in data["routes"] if r["id"] == "r-havo")
    assert route["requires"] == [3, 4]  # Havo and Primair onderwijs; the empty row counts for nothing


async def test_steps_follow_the_stored_order_with_titles_durations_descriptions_and_links(
    client: mcp.Client,
) -> None:
    text, data = await pathways(client, PO_TEACHER, limit=50)
    zij = next(r for r in data["routes"] if r["id"] == "r-zij-po")
    steps = [data["steps"][str(n)] for n in zij["steps"]]
    # The long title, else the short one; titles differ, so they show the order too.
    assert [s["title"] for s in steps] == [
        "Oriënteren",
        "Doe het geschiktheidsonderzoek",
        "Volg het zij-instroomtraject",
    ]
    assert [s["duration_in_months"] for s in steps] == [1, 2, 24]
    assert steps[0]["description"] == "Bezoek een open dag en praat met leraren."
    assert steps[1]["description"].endswith("…")
    assert len(steps[1]["description"]) <= 160
    # Links in the junction's sort order; the draft FAQ and article (null for readers) are left out.
    reading = [data["reading"][str(n)] for n in steps[2]["read"]]
    assert reading == [
        {"faq": "Wat is zij-instroom?"},
        {"faq": "Wie betaalt de kosten van zij-instroom?"},
        {
            "article": "Zij-instromen in het onderwijs",
            "id": "art-zij",
            "link": "https://onderwijsloket.com/kennisbank/artikelen/art-zij",
        },
    ]
    assert zij["link"] == "https://onderwijsloket.com/routes/r-zij-po"
    # Each step and each FAQ or article once on the page: the routes refer to them by number.
    assert len(data["steps"]) == len({n for r in data["routes"] for n in r["steps"]})
    assert len(set(map(json.dumps, data["reading"].values()))) == len(data["reading"])
    assert "### 2. Zij-instroom basisonderwijs — 27 months" in text
    assert "1. Oriënteren (1 month): Bezoek een open dag en praat met leraren. · read [1]" in text
    assert "2. Doe het geschiktheidsonderzoek (2 months)" in text
    assert "3. Volg het zij-instroomtraject (24 months): Werken en leren tegelijk. · read [" in text
    assert (
        "Reading for these steps. To read one: a FAQ with search_faq and its question, an article with "
        "get_article and its id." in text
    )
    assert "FAQ: Wat is zij-instroom?" in text
    assert "article: Zij-instromen in het onderwijs (id art-zij)" in text
    assert "CONCEPT" not in text
    assert text.count("FAQ: Wat doet een regioloket?") == 1  # listed once, however many steps link to it


async def test_shortest_routes_in_full_the_rest_on_one_line_with_paging(client: mcp.Client) -> None:
    text, data = await pathways(client, PO_TEACHER)
    assert data["total"] == 8 and len(data["routes"]) == 8
    assert text.count("\n### ") == 3
    assert "4. Variant 2 basisonderwijs — 32 months, 1 step · " in text
    assert "offset=3 for route 4" in text
    _, page = await pathways(client, PO_TEACHER, limit=3)
    assert len(page["routes"]) == 3
    text, single = await pathways(client, PO_TEACHER, limit=1, offset=3)
    assert single["routes"][0]["title"] == "Variant 2 basisonderwijs"
    assert "### 4. Variant 2 basisonderwijs — 32 months" in text
    assert "Next page: call again with offset=4" in text


async def test_offset_past_the_end_and_no_match(client: mcp.Client, fake: FakeDirectus) -> None:
    text, _ = await pathways(client, PO_TEACHER, offset=40)
    assert "only 8 in total" in text
    fake.routes = [r for r in fake.routes if r["id"] == "r-master"]
    text, data = await pathways(client, PO_TEACHER)
    assert "routes" not in data and data["total"] == 0
    assert "No route matches these answers" in text


async def test_missing_route_duration_is_estimated_from_the_steps(client: mcp.Client) -> None:
    answers = [sd.SCHOOL_PO, sd.OOP, "Havo", "Onderwijsassistent" + sd.GEEN_DIPLOMA]
    text, data = await pathways(client, answers)
    route = next(r for r in data["routes"] if r["id"] == "r-assistent")
    assert "duration_in_months" not in route and route["duration"] == "about 3 months (sum of the steps)"
    assert "Opleiding onderwijsassistent — about 3 months (sum of the steps)" in text


async def test_a_first_call_is_one_request_and_a_complete_run_one_more(
    client: mcp.Client, fake: FakeDirectus
) -> None:
    await pathways(client, [])
    # The questions with their answers and prerequisites, in one request.
    assert fake.paths() == ["/items/route_questions"]
    for answers in ([sd.SCHOOL_PO], [sd.SCHOOL_PO, sd.LERAAR], [sd.SCHOOL_PO, sd.LERAAR, "Hbo-bachelor"]):
        await pathways(client, answers)
    assert len(fake.requests) == 1  # asking questions costs nothing once cached
    await pathways(client, PO_TEACHER)
    assert fake.paths()[1:] == ["/items/routes"]


async def test_a_first_complete_call_is_two_requests(client: mcp.Client, fake: FakeDirectus) -> None:
    await pathways(client, PO_TEACHER)
    assert fake.paths() == ["/items/route_questions", "/items/routes"]


async def test_structured_content_holds_every_fact_of_the_markdown(fake: FakeDirectus) -> None:
    """What the stack cannot show (tests/frameworks checks the rest): a skipped question, steps without their
    link fields, and reading links beyond the markdown's budget, each in structuredContent alone."""
    fake.answer("Instructeursdiploma")["status"] = "draft"
    faq_links = tuple((k, None) for k in ("f-zij", "f-kosten", "f-pabo", "f-regio"))
    fake.steps.update(
        {
            f"s-many-{n}": step_row(
                f"s-many-{n}", f"Stap {n}", None, n, doc(f"Stap {n} van de route."), faqs=faq_links[n % 4 :]
            )
            for n in range(1, 9)
        }
    )
    fake.routes.append(
        make_route("r-many", "Veel stappen", 70, (PRIMAIR,), [(f"s-many-{n}", n) for n in range(1, 9)])
    )
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            answers = [
                await pathways(client, [sd.SCHOOL_MBO, "Instructeur", "Mbo 4"]),
                await pathways(client, PO_TEACHER, limit=50),
                await pathways(client, PO_TEACHER, offset=7, limit=2),
            ]
            for step in fake.steps.values():
                del step["articles"]
            async with connect(settings()) as fresh:
                answers.append(await pathways(fresh, PO_TEACHER))
    assert "Skipped (no options after your answers): Welke kwalificatie wil je halen?" in answers[0][0]
    assert "the API has no route_steps.articles field" in answers[3][0]
    assert "+1 more" in answers[2][0]  # a fourth link of a step: only in structuredContent
    for text, data in answers:
        assert not missing_facts(text, data), (text[:200], missing_facts(text, data))


async def test_answer_sizes_stay_within_budget(client: mcp.Client, fake: FakeDirectus) -> None:
    text, _ = await pathways(client, [])
    assert approx_tokens(text) < 600
    text, _ = await pathways(client, [sd.SCHOOL_PO, sd.LERAAR, "Havo"])
    assert approx_tokens(text) < 700
    text, _ = await pathways(client, PO_TEACHER)
    assert approx_tokens(text) < 1500
    # Many long routes: still bounded.
    many = [dict(fake.routes[1], id=f"r-many-{n}", title=f"Lange route {n} " * 8) for n in range(60)]
    fake.routes = many
    text, _ = await pathways(client, PO_TEACHER, limit=50)
    assert approx_tokens(text) < 8000
    text, _ = await pathways(client, PO_TEACHER)
    assert approx_tokens(text) < 1500
    # Production-sized routes: a dozen steps each, long texts and titles, many FAQ and article links.
    faq_links = tuple((k, None) for k in ("f-zij", "f-kosten", "f-pabo", "f-regio"))
    long_steps = [(f"s-long-{n}", n) for n in range(1, 16)]
    for key, _n in long_steps:
        fake.steps[key] = step_row(
            key,
            "Een stap met een vrij lange naam",
            "Een stap met een nog veel langere en uitgebreidere naam " * 2,
            6,
            doc("Een uitgebreide beschrijving van deze stap in de route. " * 8),
            faqs=faq_links,
            articles=(("art-pabo", 1), ("art-zij", 2)),
        )
    fake.routes = [
        make_route(
            f"r-lang-{n}", f"Een lange route met veel stappen {n} " * 3, 40 + n, (PRIMAIR,), long_steps
        )
        for n in range(30)
    ]
    text, _ = await pathways(client, PO_TEACHER)
    assert approx_tokens(text) < 1500, approx_tokens(text)
    text, _ = await pathways(client, PO_TEACHER, limit=50)
    assert approx_tokens(text) < 8000, approx_tokens(text)


# --- schema checks ---------------------------------------------------------------------------------------


def _without(collection: str, name: str, nested: str | None = None) -> Any:
    """Drop field ``name`` from the stored rows (of the nested relation ``nested`` when given)."""

    def rewrite(target: str, rows: list[Row]) -> list[Row]:
        if target != collection:
            return rows
        if nested is None:
            return [{k: v for k, v in row.items() if k != name} for row in rows]
        return [
            {**row, nested: [{k: v for k, v in x.items() if k != name} for x in row[nested]]} for row in rows
        ]

    return rewrite


async def _error_with(fake: FakeDirectus, answers: list[str]) -> str:
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            return await error_of(client, answers)


@pytest.mark.parametrize(
    ("collection", "name", "nested", "expected"),
    [
        (
            "route_questions",
            "question",
            None,
            "route_questions items have no field 'question' (expected: the question text)",
        ),
        ("route_questions", "sort", None, "route_questions items have no field 'sort'"),
        (
            "route_questions",
            "title",
            "answers",
            "route_answers items have no field 'title' (expected: the answer label)",
        ),
        # Explicitly requested: Directus refuses it by name.
        ("route_questions", "answers", None, "Directus refused the field 'answers' of route_questions"),
        (
            "route_questions",
            "requires_answers",
            "answers",
            "Directus refused the field 'requires_answers' of route_answers",
        ),
    ],
)
async def test_a_missing_route_field_is_named(
    fake: FakeDirectus, collection: str, name: str, nested: str | None, expected: str
) -> None:
    fake.rewrite = _without(collection, name, nested)
    text = await _error_with(fake, [])
    assert expected in text
    assert "route_model.py" in text


async def test_a_missing_junction_field_is_named() -> None:
    rows = [
        {
            "id": "q",
            "question": "Q",
            "sort": 1,
            "answers": [{"id": "a", "title": "A", "requires_answers": [{"id": 1, "route_answers_id": "a"}]}],
        }
    ]
    with pytest.raises(rs.RouteSchemaError, match="junction items have no field 'related_route_answers_id'"):
        rs.parse_model(rows)


async def test_a_real_permission_problem_stays_a_permission_problem(fake: FakeDirectus) -> None:
    fake.fail["route_questions"] = 403
    text = await _error_with(fake, [])
    assert "not permitted to read collection 'route_questions'" in text


async def test_a_missing_step_sort_is_named(fake: FakeDirectus) -> None:
    for route in fake.routes:
        route["route_steps"] = [{k: v for k, v in j.items() if k != "sort"} for j in route["route_steps"]]
    text = await _error_with(fake, PO_TEACHER)
    assert "routes.route_steps junction items have no field 'sort' (expected: the order of the steps" in text


async def test_a_missing_route_relation_named_explicitly_is_named(fake: FakeDirectus) -> None:
    fake.rewrite = _without("routes", "requires_answers")
    text = await _error_with(fake, PO_TEACHER)
    assert (
        "Directus refused the field 'requires_answers' of routes (expected: the answers a route requires)"
        in text
    )


async def test_steps_without_link_fields_still_show_the_routes_and_say_so(fake: FakeDirectus) -> None:
    for step in fake.steps.values():
        del step["faqs"]
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            text, data = await pathways(client, PO_TEACHER)
            await pathways(client, PO_TEACHER, offset=1)
    assert data["total"] == 8
    assert "the API has no route_steps.faqs field" in text
    assert data["notes"]
    # Refused once, then asked without the link paths for this token.
    assert fake.count("routes") == 3


def test_question_order_ignores_storage_order() -> None:
    rows = [
        {"id": "b", "question": "B", "sort": 2, "answers": []},
        {"id": "c", "question": "C", "sort": None, "answers": None},
        {"id": "a", "question": "A", "sort": 1, "answers": []},
    ]
    assert [q.id for q in rs.parse_model(rows).questions] == ["a", "b", "c"]


def test_prerequisites_on_later_or_unknown_answers_do_not_count() -> None:
    def answer(key: str, requires: list[str | None]) -> Row:
        rows = [{"related_route_answers_id": r} for r in requires]
        return {"id": key, "title": key.upper(), "requires_answers": rows}

    model = rs.parse_model(
        [
            {"id": "q1", "question": "Q1", "sort": 1, "answers": [answer("a", ["b", "zz", None])]},
            {"id": "q2", "question": "Q2", "sort": 2, "answers": [answer("b", ["a", "a2"]), answer("c", [])]},
        ]
    )
    assert model.groups == {"a": {}, "b": {"q1": frozenset({"a"})}, "c": {}}


def test_step_order_falls_back_to_junction_id_when_sort_is_empty() -> None:
    route = {
        "route_steps": [
            {"id": 3, "sort": None, "route_steps_id": {"id": "x", "short_title": "X"}},
            {"id": 2, "sort": None, "route_steps_id": {"id": "y", "short_title": "Y", "long_title": None}},
            {"id": 9, "sort": 1, "route_steps_id": {"id": "z", "long_title": "Z", "unique_name": "ZZ"}},
            {
                "id": 5,
                "sort": 3,
                "route_steps_id": {"id": "u", "long_title": "", "short_title": None, "unique_name": "U"},
            },
            {"id": 4, "sort": 2, "route_steps_id": None},
        ]
    }
    steps = rs.ordered_steps(route)
    assert [s.id for s in steps] == ["z", "u", "y", "x"]
    assert [s.title for s in steps] == ["Z", "U", "Y", "X"]


def test_step_descriptions_are_one_line_with_blocks_kept_apart() -> None:
    body = {
        "type": "doc",
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "Loop mee."}, {"type": "hardBreak"}]},
            {"type": "heading", "attrs": {"level": 3}, "content": [{"type": "text", "text": "Tips"}]},
            {
                "type": "bulletList",
                "content": [
                    {
                        "type": "listItem",
                        "content": [{"type": "paragraph", "content": [{"type": "text", "text": "a"}]}],
                    },
                    {
                        "type": "listItem",
                        "content": [{"type": "paragraph", "content": [{"type": "text", "text": "b"}]}],
                    },
                ],
            },
            {
                "type": "paragraph",
                "content": [{"type": "text", "text": "Daarna", "marks": [{"type": "bold"}]}],
            },
        ],
    }
    assert render_one_line(body) == "Loop mee. Tips: a; b; Daarna"
    assert render_one_line(json.dumps(body)) == "Loop mee. Tips: a; b; Daarna"
    assert render_one_line("  gewone   tekst ") == "gewone tekst"
    assert render_one_line("{niet json") == "{niet json"
    assert render_one_line(None) == ""


def test_every_route_field_name_is_recorded_in_assumptions_with_its_source() -> None:
    text = (Path(__file__).resolve().parents[2] / "stack" / "ASSUMPTIONS.md").read_text()
    section = text.split("### Route fields", 1)[1].split("\n## ", 1)[0]
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `([^`]+)` \| (§1A|docs|assumed)", section, flags=re.MULTILINE)
    }
    for (collection, name), (source, _) in rs.FIELD_SOURCES.items():
        where = collection.replace(" junction", "")
        assert rows.get(f"{where}.{name}") == source, (where, name)
    assert "depends_on" not in text


def test_no_depends_on_anywhere_in_the_package() -> None:
    package = Path(rs.__file__).resolve().parent
    for path in package.rglob("*"):
        if path.suffix in (".py", ".json"):
            assert "depends_on" not in path.read_text(encoding="utf-8"), path


# --- the real test stack ---------------------------------------------------------------------------------

A = sd.ANSWER_IDS  # label -> the seed's answer id
LABEL = {key: label for label, key in A.items()}


@pytest.fixture(scope="module")
def seeded(stack: StackInfo) -> StackInfo:
    response = httpx.get(
        f"{stack.url}/items/routes",
        params={"limit": "1", "fields": "id"},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
    )
    if response.status_code != 200 or not response.json()["data"]:
        pytest.skip("the stack has no seeded routes (tests/stack/seed.py did not run)")
    return stack


@pytest.fixture(params=MODES)
async def live(seeded: StackInfo, request: pytest.FixtureRequest) -> AsyncIterator[mcp.Client]:
    async with connect(stack_settings(seeded), request.param) as session:
        yield session


@pytest.mark.stack
async def test_stack_every_school_and_role_pair_follows_the_grouped_rule(seeded: StackInfo) -> None:
    async with connect(stack_settings(seeded)) as client:
        _, first = await pathways(client, [])
        assert first["next_question"]["number"] == 1
        assert option_labels(first) == SCHOOLS  # the draft answer is not offered
        for school in SCHOOLS:
            for role in ROLES:
                _, data = await pathways(client, [A[school], A[role], A["Mbo 4"]])
                chosen = {"school": school, "rol": role}
                if role not in grouped_rule("rol", chosen):
                    assert [r["label"] for r in data["removed_answers"]] == [role]
                    continue
                assert option_labels(data) == grouped_rule("kwalificatie", chosen), (school, role)
                assert data["next_question"]["options"]


@pytest.mark.stack
async def test_stack_complete_answer_sets_find_exactly_the_matching_routes(seeded: StackInfo) -> None:
    sets = sd.complete_answer_sets()
    widest = max(sets, key=lambda s: len(sd.matching_routes(s)))
    sample = [*sets[::45], sd.EXAMPLE_ANSWERS, widest]
    async with connect(stack_settings(seeded)) as client:
        for answers in sample:
            _, data = await pathways(client, answers, limit=50)
            assert data["status"] == "complete"
            assert [a["label"] for a in data["answers"]] == [LABEL[a] for a in answers]
            found = [r["id"] for r in data.get("routes", [])]
            assert data["total"] == len(found)
            # Same set; equal durations may come in either order.
            assert sorted(found) == sorted(sd.matching_routes(answers)), answers
            durations = [r.get("duration_in_months") for r in data.get("routes", [])]
            known = [d for d in durations if d is not None]
            assert known == sorted(known)


@pytest.mark.stack
async def test_stack_route_requiring_a_subset_is_matched_per_the_documented_example(live: mcp.Client) -> None:
    # EXAMPLE_ANSWERS = [A, B, C, D]; ROUTE_TWO_ANSWERS requires [C, D]; ROUTE_TWO_ANSWERS_OTHER requires [E, D].
    _, data = await pathways(live, sd.EXAMPLE_ANSWERS, limit=50)
    ids = [r["id"] for r in data["routes"]]
    assert sd.ROUTE_TWO_ANSWERS in ids
    assert sd.ROUTE_TWO_ANSWERS_OTHER not in ids
    other = [A[sd.SCHOOL_VO], A[sd.LERAAR], A["Wo-master"], A["Tweedegraads bevoegdheid"]]
    _, data = await pathways(live, other, limit=50)
    ids = [r["id"] for r in data["routes"]]
    assert sd.ROUTE_TWO_ANSWERS_OTHER in ids
    assert sd.ROUTE_TWO_ANSWERS not in ids


@pytest.mark.stack
async def test_stack_null_requirement_and_missing_duration(live: mcp.Client) -> None:
    _, data = await pathways(live, [A[sd.SCHOOL_PO], A[sd.LERAAR], A["Hbo-bachelor"], A[PRIMAIR]], limit=50)
    route = next(r for r in data["routes"] if r["id"] == sd.ROUTE_NULL_REQUIREMENT)
    assert route["requires"] == [3, 4]  # Hbo-bachelor and Primair onderwijs; the empty row counts for nothing
    _, data = await pathways(live, [A[sd.SCHOOL_MBO], A[sd.LERAAR], A["Hbo-bachelor"], A["PDG"]], limit=50)
    route = next(r for r in data["routes"] if r["id"] == sd.ROUTE_NO_DURATION)
    assert "duration_in_months" not in route and route["duration"]


@pytest.mark.stack
async def test_stack_labels_and_ids_mix(live: mcp.Client) -> None:
    answers = ["  basisschool (PO)", A[sd.LERAAR], "hbo bachelor", "primair onderwijs "]
    text, data = await pathways(live, answers)
    assert data["status"] == "complete"
    assert [a["label"] for a in data["answers"]] == [sd.SCHOOL_PO, sd.LERAAR, "Hbo-bachelor", PRIMAIR]
    assert "Pabo in deeltijd met een hbo-bachelor" in text


@pytest.mark.stack
async def test_stack_bad_and_changed_answers_are_explained(live: mcp.Client) -> None:
    unknown = await error_of(live, [sd.SCHOOL_PO, "Astronaut"])
    assert "'Astronaut' is not an answer option" in unknown
    assert f"Schoolleiding (id {A[sd.SCHOOLLEIDING]})" in unknown
    two = await error_of(live, [sd.SCHOOL_PO, sd.SCHOOL_HO])
    assert "takes one answer" in two and f"'{sd.SCHOOL_PO}' and '{sd.SCHOOL_HO}'" in two
    text, data = await pathways(
        live, [sd.SCHOOL_PO, sd.LERAAR, "Wo-master", "Leraar hoger onderwijs" + sd.GEEN_DIPLOMA]
    )
    assert (
        data["removed_answers"][0]["reason"]
        == f"it is only offered after Q1 {sd.SCHOOL_HO} (the answer is {sd.SCHOOL_PO})"
    )
    assert "Route question 4 of 4" in text


@pytest.mark.stack
async def test_stack_step_order_titles_and_links_match_the_stored_ones(live: mcp.Client) -> None:
    route = next(r for r in sd.ROUTES if r["id"] == sd.ROUTE_SORT_DIFFERS)
    text, data = await pathways(live, [A[sd.SCHOOL_PO], A[sd.LERAAR], A["Wo-master"], A[PRIMAIR]], limit=50)
    found = next(r for r in data["routes"] if r["id"] == sd.ROUTE_SORT_DIFFERS)
    stored_order = sd.ROUTE_STEP_ORDER[sd.ROUTE_SORT_DIFFERS]
    # Creation order differs from the stored order, so this would catch sorting by junction id.
    assert [j["route_steps_id"] for j in route["route_steps"]] != stored_order
    steps = {s["id"]: s for s in sd.ROUTE_STEPS}
    assert len(found["steps"]) == len(stored_order)
    for number, step_id in zip(found["steps"], stored_order, strict=True):
        got, stored = data["steps"][str(number)], steps[step_id]
        assert got.get("duration_in_months") == stored["duration_in_months"]
        assert got["title"] == (stored["long_title"] or stored["short_title"])
        assert got["description"]
    assert found["duration_in_months"] == route["duration_in_months"]
    assert found["link"] == f"https://onderwijsloket.com{route['path']}"
    assert "Zij-instroom in het primair onderwijs met een wo-master" in text
    _, data = await pathways(live, sd.EXAMPLE_ANSWERS, limit=50)
    route_steps = next(r["steps"] for r in data["routes"] if r["id"] == sd.ROUTE_TWO_ANSWERS)
    linked = next(
        data["steps"][str(n)]
        for n in route_steps
        if data["steps"][str(n)]["title"] == steps[sd.STEP_LINKS_SORTED]["long_title"]
    )
    reading = [data["reading"][str(n)] for n in linked["read"]]
    # Junction sort order; the unpublished FAQ and the draft article are not shown.
    questions = {f["id"]: f["question"] for f in sd.FAQS}
    assert [x["faq"] for x in reading if "faq" in x] == [questions[i] for i in sd.STEP_LINK_ORDER["faqs"]]
    assert [x["id"] for x in reading if "article" in x] == sd.STEP_LINK_ORDER["articles"]


@pytest.mark.stack
async def test_stack_first_call_is_one_request_and_a_complete_run_one_more(
    seeded: StackInfo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="onderwijsloket_mcp.calls")
    async with connect(stack_settings(seeded)) as client:
        await pathways(client, [])
        for n in range(1, 4):
            await pathways(client, sd.EXAMPLE_ANSWERS[:n])
        await pathways(client, sd.EXAMPLE_ANSWERS)
        await pathways(client, sd.EXAMPLE_ANSWERS, offset=1, limit=1)
    async with connect(stack_settings(seeded)) as client:
        await pathways(client, sd.EXAMPLE_ANSWERS)
    counts = [
        int(m.group(1))
        for r in caplog.records
        if r.name == "onderwijsloket_mcp.calls" and "tool=get_pathways" in r.getMessage()
        for m in [re.search(r"upstream_requests=(\d+)", r.getMessage())]
        if m
    ]
    assert counts == [1, 0, 0, 0, 1, 1, 2]


@pytest.mark.stack
async def test_stack_answers_stay_within_budget_and_the_content_token_works(seeded: StackInfo) -> None:
    async with connect(stack_settings(seeded, token="content")) as client:
        text, _ = await pathways(client, [])
        assert approx_tokens(text) < 600
        widest = max(sd.complete_answer_sets(), key=lambda s: len(sd.matching_routes(s)))
        text, data = await pathways(client, widest)
        assert data["routes"]
        assert approx_tokens(text) < 1500
        text, _ = await pathways(client, widest, limit=50)
        assert approx_tokens(text) < 8000
