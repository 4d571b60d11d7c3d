"""get_pathways: first against an in-memory Directus (tests/tools/routes_fake.py) for answer resolution, errors,
the documented matching rule, step order, paging, size budgets, request counts and schema checks; then (marked
``stack``) the same behaviour against the real Directus test stack and its seed (tests/stack/seed_data.py).
"""

from __future__ import annotations

import itertools
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

from onderwijsloket_mcp import routes_schema as rs
from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.formatting import approx_tokens
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support import Mode, call, connect, stack_settings, text_of
from tests.tools.routes_fake import BASE, TOKEN, FakeDirectus, Row, doc
from tests.tools.routes_fake import route as make_route

pytestmark = pytest.mark.anyio

MODES: list[Mode] = ["auto", "legacy"]
PO_TEACHER = ["a-po", "a-leraar-po", "a-hbo", "a-bev-po"]


def settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": SecretStr(TOKEN),
        "api_url": BASE,
        "timeout": 2.0,
        "max_retries": 0,
    }
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


def option_ids(structured: dict[str, Any]) -> list[str]:
    return [o["id"] for o in structured["next_question"]["options"]]


# --- questions -------------------------------------------------------------------------------------------


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
    assert (question["id"], question["number"], question["total"]) == ("q-school", 1, 4)
    assert option_ids(data) == ["a-po", "a-vo", "a-mbo"]
    assert "Route question 1 of 4: Op welk type school wil je werken?" in text
    assert "Het soort onderwijs." in text
    assert "- Basisonderwijs (id a-po)" in text
    assert "get_pathways again with answers=" in text


async def test_options_depend_on_earlier_answers(client: mcp.Client) -> None:
    _, after_po = await pathways(client, ["Basisonderwijs"])
    _, after_vo = await pathways(client, ["Voortgezet onderwijs"])
    assert after_po["next_question"]["id"] == after_vo["next_question"]["id"] == "q-role"
    assert option_ids(after_po) == ["a-leraar-po", "a-assistent", "a-anders-rol"]
    assert option_ids(after_vo) == ["a-leraar-vo", "a-assistent", "a-anders-rol"]
    _, qual_po = await pathways(client, ["a-po", "a-leraar-po", "a-hbo"])
    _, qual_assistent = await pathways(client, ["a-po", "a-assistent", "a-hbo"])
    assert option_ids(qual_po) == ["a-bev-po"]
    assert option_ids(qual_assistent) == ["a-geen"]


async def test_labels_are_case_accent_and_space_insensitive_and_mix_with_ids(client: mcp.Client) -> None:
    _, data = await pathways(client, ["  basisONDERWIJS ", "a-leraar-po", "HBO bachelor", "A-BEV-PO"])
    assert data["status"] == "complete"
    assert [a["id"] for a in data["answers"]] == PO_TEACHER
    _, assistant = await pathways(client, ["a-po", "onderwijs assistent", "a-wo", "geen   bevoegdheid nodig"])
    assert [a["id"] for a in assistant["answers"]] == ["a-po", "a-assistent", "a-wo", "a-geen"]


async def test_answers_in_any_order_and_repeated_are_accepted(client: mcp.Client) -> None:
    _, data = await pathways(client, ["a-bev-po", "Hbo-bachelor", "a-leraar-po", "Basisonderwijs", "a-po"])
    assert [a["id"] for a in data["answers"]] == PO_TEACHER


async def test_later_answers_wait_for_the_open_question(client: mcp.Client) -> None:
    text, data = await pathways(client, ["Basisonderwijs", "Hbo-bachelor"])
    assert data["next_question"]["id"] == "q-role"
    assert [a["id"] for a in data["pending_answers"]] == ["a-hbo"]
    assert 'answers=["Basisonderwijs", "Hbo-bachelor", "<option>"]' in text


async def test_shared_label_answers_the_earliest_open_question(client: mcp.Client) -> None:
    _, one = await pathways(client, ["Basisonderwijs", "Anders"])
    assert [a["id"] for a in one["answers"]] == ["a-po", "a-anders-rol"]
    _, two = await pathways(client, ["Basisonderwijs", "anders", "Anders"])
    assert [a["id"] for a in two["answers"]] == ["a-po", "a-anders-rol", "a-anders-opl"]
    text, _ = await pathways(client, ["Basisonderwijs", "Anders", "anders"])
    # The next call names the shared label by id, so it cannot be misread.
    assert '"a-anders-rol", "a-anders-opl"' in text


async def test_a_question_without_options_is_skipped(fake: FakeDirectus) -> None:
    fake.answers = [a for a in fake.answers if a["id"] != "a-geen"]
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            text, data = await pathways(client, ["a-po", "a-assistent", "a-hbo"])
    assert data["status"] == "complete"
    assert data["skipped_questions"] == ["Welke bevoegdheid wil je halen?"]
    assert "Opleiding onderwijsassistent" in text


# --- errors ----------------------------------------------------------------------------------------------


async def test_unknown_answer_lists_the_valid_options_of_the_next_question(client: mcp.Client) -> None:
    text = await error_of(client, ["Basisonderwijs", "Lerar basisonderwijs"])
    assert "'Lerar basisonderwijs' is not an answer option" in text
    assert "Did you mean: Leraar basisonderwijs," in text
    assert "question 2 (Welke functie wil je?)" in text
    assert (
        "Leraar basisonderwijs (id a-leraar-po); Onderwijsassistent (id a-assistent); Anders (id a-anders-rol)"
        in text
    )


async def test_several_unknown_answers_are_all_named(client: mcp.Client) -> None:
    text = await error_of(client, ["zwemmen", "Basisonderwijs", "fietsen"])
    assert "'zwemmen' is not an answer option" in text
    assert "Also unknown: 'fietsen'." in text


async def test_unknown_answer_after_all_questions(client: mcp.Client) -> None:
    text = await error_of(client, [*PO_TEACHER, "zwemmen"])
    assert "'zwemmen' is not an answer option" in text
    assert "All questions are already answered" in text


async def test_option_not_allowed_after_an_earlier_answer(client: mcp.Client) -> None:
    text = await error_of(client, ["Basisonderwijs", "Leraar voortgezet onderwijs"])
    assert "'Leraar voortgezet onderwijs' is not an option for question 2 (Welke functie wil je?)" in text
    assert "after 'Basisonderwijs'" in text
    assert "It only follows: Voortgezet onderwijs, Mbo." in text
    assert "Valid options now: Leraar basisonderwijs (id a-leraar-po)" in text


async def test_contradictory_answers_to_one_question(client: mcp.Client) -> None:
    text = await error_of(client, ["Basisonderwijs", "a-vo"])
    assert "Question 1 (Op welk type school wil je werken?) takes one answer" in text
    assert "'Basisonderwijs' and 'Voortgezet onderwijs'" in text
    assert "Basisonderwijs (id a-po); Voortgezet onderwijs (id a-vo); Mbo (id a-mbo)" in text


async def test_qualification_not_allowed_for_the_chosen_role(client: mcp.Client) -> None:
    text = await error_of(client, ["a-vo", "a-leraar-vo", "a-wo", "Bevoegdheid primair onderwijs"])
    assert "not an option for question 4" in text
    assert "Tweedegraads (id a-tweede); Eerstegraads (id a-eerste)" in text


async def test_shared_label_with_no_open_question_is_explained(client: mcp.Client) -> None:
    text = await error_of(client, ["a-po", "a-assistent", "a-hbo", "Anders"])
    assert "takes one answer" in text


async def test_blank_answers_are_ignored_and_too_many_are_refused(client: mcp.Client) -> None:
    _, data = await pathways(client, ["", "  "])
    assert data["next_question"]["number"] == 1
    result = await call(client, "get_pathways", answers=["a-po"] * 13)
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
    _, data = await pathways(client, PO_TEACHER)
    request = fake.requests[-1]
    assert request.url.path == "/items/routes"
    params = request.url.params
    assert json.loads(params["filter"]) == {
        "requires_answers": {"_none": {"route_answers_id": {"_nin": PO_TEACHER}}}
    }
    assert params["sort"].split(",")[0] == "duration_in_months"
    assert data["status"] == "complete"
    durations = [r["duration_in_months"] for r in data["routes"]]
    assert durations == sorted(durations)


async def test_route_requiring_a_subset_matches_and_one_outside_does_not(client: mcp.Client) -> None:
    # r-pabo requires {Basisonderwijs, Hbo-bachelor}.
    _, chosen = await pathways(client, PO_TEACHER, limit=50)
    assert "r-pabo" in {r["id"] for r in chosen["routes"]}
    _, other = await pathways(client, ["a-po", "a-leraar-po", "a-wo", "a-bev-po"], limit=50)
    ids = {r["id"] for r in other["routes"]}
    assert "r-pabo" not in ids
    assert {"r-zij-po", "r-orient"} <= ids
    for route in [*chosen["routes"], *other["routes"]]:
        assert set(route["requires_answer_ids"]) <= set(PO_TEACHER) | {"a-wo"}


async def test_steps_follow_the_stored_order_with_durations_and_short_descriptions(
    client: mcp.Client,
) -> None:
    text, data = await pathways(client, PO_TEACHER, limit=50)
    zij = next(r for r in data["routes"] if r["id"] == "r-zij-po")
    assert [s["id"] for s in zij["steps"]] == ["s-orient", "s-gso", "s-zij"]
    assert [s["duration_in_months"] for s in zij["steps"]] == [1, 2, 24]
    assert zij["steps"][0]["description"] == "Bezoek een open dag en praat met leraren."
    assert zij["steps"][1]["description"].endswith("…")
    assert len(zij["steps"][1]["description"]) <= 160
    assert zij["link"] == "https://onderwijsloket.com/routes/r-zij-po"
    assert "### 2. Zij-instroom basisonderwijs — 27 months" in text
    assert "1. Oriënteren (1 month): Bezoek een open dag" in text
    assert "2. Geschiktheidsonderzoek (2 months)" in text


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
    assert data["routes"] == [] and data["total"] == 0
    assert "No route matches these answers" in text


async def test_missing_route_duration_is_estimated_from_the_steps(client: mcp.Client) -> None:
    text, data = await pathways(client, ["a-po", "a-assistent", "a-hbo", "a-geen"])
    route = next(r for r in data["routes"] if r["id"] == "r-assistent")
    assert route["duration_in_months"] is None
    assert "Opleiding onderwijsassistent — about 3 months (sum of the steps)" in text


async def test_questions_are_cached_and_a_complete_run_is_one_request(
    client: mcp.Client, fake: FakeDirectus
) -> None:
    await pathways(client, [])
    assert fake.count("route_questions") == 1 and fake.count("route_answers") == 1
    before = len(fake.requests)
    for answers in (["a-po"], ["a-po", "a-leraar-po"], ["a-po", "a-leraar-po", "a-hbo"]):
        await pathways(client, answers)
    assert len(fake.requests) == before  # asking questions costs nothing once cached
    await pathways(client, PO_TEACHER)
    assert fake.paths()[before:] == ["/items/routes"]


async def test_answer_sizes_stay_within_budget(client: mcp.Client, fake: FakeDirectus) -> None:
    text, _ = await pathways(client, [])
    assert approx_tokens(text) < 600
    text, _ = await pathways(client, PO_TEACHER)
    assert approx_tokens(text) < 1500
    # Many long routes: still bounded.
    many = [dict(fake.routes[1], id=f"r-many-{n}", title=f"Lange route {n} " * 8) for n in range(60)]
    fake.routes = many
    text, _ = await pathways(client, PO_TEACHER, limit=50)
    assert approx_tokens(text) < 8000
    text, _ = await pathways(client, PO_TEACHER)
    assert approx_tokens(text) < 1500
    # Production-sized routes: a dozen steps each, long step texts, long titles.
    long_steps = [(f"s-long-{n}", n) for n in range(1, 16)]
    for key, _n in long_steps:
        fake.steps[key] = {
            "id": key,
            "short_title": "Een stap met een vrij lange naam",
            "duration_in_months": 6,
            "body": doc("Een uitgebreide beschrijving van deze stap in de route. " * 8),
        }
    fake.routes = [
        make_route(f"r-lang-{n}", f"Een lange route met veel stappen {n} " * 3, 40 + n, ("a-po",), long_steps)
        for n in range(30)
    ]
    text, _ = await pathways(client, PO_TEACHER)
    assert approx_tokens(text) < 1500, approx_tokens(text)
    text, _ = await pathways(client, PO_TEACHER, limit=50)
    assert approx_tokens(text) < 8000, approx_tokens(text)


# --- schema checks ---------------------------------------------------------------------------------------


def _without(collection: str, name: str) -> Any:
    def rewrite(target: str, rows: list[Row]) -> list[Row]:
        if target != collection:
            return rows
        return [{k: v for k, v in row.items() if k != name} for row in rows]

    return rewrite


@pytest.mark.parametrize(
    ("collection", "name", "expected"),
    [
        (
            "route_questions",
            "title",
            "route_questions items have no field 'title' (assumed to be the question text)",
        ),
        ("route_questions", "sort", "route_questions items have no field 'sort'"),
        (
            "route_answers",
            "question",
            "route_answers items have no field 'question' (assumed to be the many-to-one",
        ),
        (
            "route_answers",
            "title",
            "route_answers items have no field 'title' (assumed to be the answer label)",
        ),
    ],
)
async def test_a_missing_assumed_field_is_named(
    fake: FakeDirectus, collection: str, name: str, expected: str
) -> None:
    fake.rewrite = _without(collection, name)
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            text = await error_of(client, [])
    assert expected in text
    assert "routes_schema.py" in text


async def test_a_missing_depends_on_relation_is_named(fake: FakeDirectus) -> None:
    # Directus refuses unknown fields with 403, like a missing policy; the tool finds out which it is.
    fake.answers = [{k: v for k, v in a.items() if k != "depends_on"} for a in fake.answers]
    original = fake.handler

    def handler(request: Any) -> Any:
        if request.url.path.endswith("route_answers") and "depends_on" in request.url.params.get(
            "fields", ""
        ):
            fake.requests.append(request)

            return httpx.Response(
                403, json={"errors": [{"message": "x", "extensions": {"code": "FORBIDDEN"}}]}
            )
        return original(request)

    with respx.mock(assert_all_called=False) as router:
        router.get(url__startswith=f"{BASE}/items/").mock(side_effect=handler)
        async with connect(settings()) as client:
            text = await error_of(client, [])
    assert "route_answers items have no field 'depends_on'" in text


async def test_a_real_permission_problem_stays_a_permission_problem(fake: FakeDirectus) -> None:
    fake.fail["route_answers"] = 403
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            text = await error_of(client, [])
    assert "not permitted to read collection 'route_answers'" in text


async def test_a_missing_junction_field_is_named() -> None:
    rows = [{"id": "a", "title": "A", "question": "q", "depends_on": [{"id": 1, "route_answers_id": "a"}]}]
    with pytest.raises(rs.RouteSchemaError, match="junction items have no field 'related_route_answers_id'"):
        rs.parse_answers(rows, [rs.Question("q", "Q", "", 1)])


async def test_a_missing_step_sort_is_named(fake: FakeDirectus) -> None:
    for route in fake.routes:
        route["route_steps"] = [{k: v for k, v in j.items() if k != "sort"} for j in route["route_steps"]]
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        async with connect(settings()) as client:
            text = await error_of(client, PO_TEACHER)
    assert (
        "routes.route_steps junction items have no field 'sort' (assumed to be the order of the steps" in text
    )


def test_no_questions_is_an_explained_error() -> None:
    assert rs.parse_questions([]) == []


def test_question_order_ignores_storage_order() -> None:
    rows = [
        {"id": "b", "title": "B", "sort": 2},
        {"id": "c", "title": "C", "sort": None},
        {"id": "a", "title": "A", "sort": 1},
    ]
    assert [q.id for q in rs.parse_questions(rows)] == ["a", "b", "c"]


def test_step_order_falls_back_to_junction_id_when_sort_is_empty() -> None:
    route = {
        "route_steps": [
            {"id": 3, "sort": None, "route_steps_id": {"id": "x", "short_title": "X"}},
            {"id": 2, "sort": None, "route_steps_id": {"id": "y", "short_title": "Y"}},
            {"id": 9, "sort": 1, "route_steps_id": {"id": "z", "short_title": "Z"}},
            {"id": 4, "sort": 2, "route_steps_id": None},
        ]
    }
    assert [s.id for s in rs.ordered_steps(route)] == ["z", "y", "x"]


def test_step_descriptions_are_one_line_with_blocks_kept_apart() -> None:
    from onderwijsloket_mcp.richtext import render_one_line as one_line

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
    assert one_line(body) == "Loop mee. Tips: a; b; Daarna"
    assert one_line(json.dumps(body)) == "Loop mee. Tips: a; b; Daarna"
    assert one_line("  gewone   tekst ") == "gewone tekst"
    assert one_line("{niet json") == "{niet json"
    assert one_line(None) == ""


def test_every_undocumented_name_is_recorded_in_assumptions() -> None:
    text = (Path(__file__).resolve().parents[1] / "stack" / "ASSUMPTIONS.md").read_text()
    for name in (
        rs.Q_TITLE,
        rs.Q_DESCRIPTION,
        rs.Q_SORT,
        rs.A_QUESTION,
        rs.A_DEPENDS_ON,
        rs.A_DEPENDS_ON_TARGET,
    ):
        assert f"`{name}`" in text or name in text, name
    assert "routes_route_steps.sort" in text


# --- the real test stack ---------------------------------------------------------------------------------

A = sd.ANSWER_IDS


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


def _labels(key_list: list[str]) -> list[str]:
    by_id = {a["id"]: a["title"] for a in sd.ROUTE_ANSWERS}
    return [by_id[A[k]] for k in key_list]


@pytest.mark.stack
async def test_stack_every_seeded_route_is_reachable_through_the_tool(seeded: StackInfo) -> None:
    """Walk every valid answer set the tool offers; the union of the routes found is every published route."""
    reached: set[str] = set()
    complete_sets = 0
    async with connect(stack_settings(seeded)) as client:

        async def walk(answers: list[str]) -> None:
            nonlocal complete_sets
            _, data = await pathways(client, answers, limit=50)
            if data["status"] == "question":
                assert data["next_question"]["options"], answers
                for option in data["next_question"]["options"]:
                    await walk([*answers, option["id"]])
                return
            complete_sets += 1
            assert sd.valid_answer_set(answers), answers
            assert [a["id"] for a in data["answers"]] == answers
            found = [r["id"] for r in data["routes"]]
            assert data["total"] == len(found) <= 50
            assert set(found) == set(sd.matching_routes(answers)), answers
            durations = [r["duration_in_months"] for r in data["routes"]]
            assert durations == sorted(durations)
            reached.update(found)

        await walk([])
    assert complete_sets > 20
    assert reached == set(sd.PUBLISHED_ROUTE_IDS)
    assert not reached & {*sd.ROUTE_HIDDEN}


@pytest.mark.stack
async def test_stack_route_requiring_a_subset_is_matched_per_the_documented_example(live: mcp.Client) -> None:
    # EXAMPLE_ANSWERS = [A, B, C, D]; ROUTE_TWO_ANSWERS requires [A, C]; ROUTE_TWO_ANSWERS_OTHER requires [A, E].
    _, data = await pathways(live, sd.EXAMPLE_ANSWERS, limit=50)
    ids = [r["id"] for r in data["routes"]]
    assert sd.ROUTE_TWO_ANSWERS in ids
    assert sd.ROUTE_TWO_ANSWERS_OTHER not in ids
    assert ids == [i for i in sd.matching_routes(sd.EXAMPLE_ANSWERS) if i in ids]
    other = [A["vo"], A["leraar-vo"], A["wo-master"], A["tweedegraads"]]
    _, data = await pathways(live, other, limit=50)
    ids = [r["id"] for r in data["routes"]]
    assert sd.ROUTE_TWO_ANSWERS_OTHER in ids
    assert sd.ROUTE_TWO_ANSWERS not in ids


@pytest.mark.stack
async def test_stack_dependent_options_change_with_earlier_answers(live: mcp.Client) -> None:
    _, first = await pathways(live, [])
    assert first["next_question"]["id"] == sd.ROUTE_QUESTION_IDS["sector"]
    assert option_ids(first) == [a["id"] for a in sd.ROUTE_ANSWERS_BY_QUESTION["sector"]]
    roles = sd.ROUTE_ANSWERS_BY_QUESTION["rol"]
    for sector in ("po", "vo", "mbo", "so", "ho"):
        _, data = await pathways(live, [A[sector]])
        expected = [a["id"] for a in roles if A[sector] in sd.ANSWER_DEPENDS_ON[a["id"]]]
        assert option_ids(data) == expected, sector
    _, po = await pathways(live, ["Primair onderwijs"])
    _, ho = await pathways(live, ["Hoger onderwijs"])
    assert set(option_ids(po)) == {A["leraar-po"], A["onderwijsassistent"], A["schoolleider"]}
    assert option_ids(ho) == [A["docent-ho"]]
    _, qual = await pathways(live, [A["mbo"], A["docent-mbo"], A["hbo-bachelor"]])
    assert set(option_ids(qual)) == {A["tweedegraads"], A["eerstegraads"], A["pdg"]}


@pytest.mark.stack
async def test_stack_labels_and_ids_mix(live: mcp.Client) -> None:
    answers = ["  primair ONDERWIJS", A["leraar-po"], "hbo bachelor", "Bevoegdheid leraar basisonderwijs "]
    text, data = await pathways(live, answers)
    assert data["status"] == "complete"
    assert [a["id"] for a in data["answers"]] == [
        A["po"],
        A["leraar-po"],
        A["hbo-bachelor"],
        A["bevoegdheid-po"],
    ]
    assert "Deeltijd pabo met een hbo-bachelor" in text


@pytest.mark.stack
async def test_stack_bad_answers_are_explained(live: mcp.Client) -> None:
    not_allowed = await error_of(live, ["Primair onderwijs", "Leraar voortgezet onderwijs"])
    assert "'Leraar voortgezet onderwijs' is not an option for question 2" in not_allowed
    assert f"Leraar basisonderwijs (id {A['leraar-po']})" in not_allowed
    unknown = await error_of(live, ["Primair onderwijs", "Astronaut"])
    assert "'Astronaut' is not an answer option" in unknown
    assert f"Schoolleider (id {A['schoolleider']})" in unknown
    two = await error_of(live, ["Primair onderwijs", "Hoger onderwijs"])
    assert "takes one answer" in two and "'Primair onderwijs' and 'Hoger onderwijs'" in two
    qualification = await error_of(live, [A["po"], A["leraar-po"], A["wo-master"], A["bko"]])
    assert "not an option for question 4" in qualification
    assert "It only follows: Docent hoger onderwijs." in qualification


@pytest.mark.stack
async def test_stack_step_order_matches_the_stored_order(live: mcp.Client) -> None:
    route = next(r for r in sd.ROUTES if r["id"] == sd.ROUTE_SORT_DIFFERS)
    answers = sd.ROUTE_REQUIRED[sd.ROUTE_SORT_DIFFERS]
    text, data = await pathways(live, answers, limit=50)
    found = next(r for r in data["routes"] if r["id"] == sd.ROUTE_SORT_DIFFERS)
    assert [s["id"] for s in found["steps"]] == sd.ROUTE_STEP_ORDER[sd.ROUTE_SORT_DIFFERS]
    # Creation order differs from the stored order, so this would catch sorting by junction id.
    assert [j["route_steps_id"] for j in route["route_steps"]] != sd.ROUTE_STEP_ORDER[sd.ROUTE_SORT_DIFFERS]
    steps = {s["id"]: s for s in sd.ROUTE_STEPS}
    for got in found["steps"]:
        assert got["duration_in_months"] == steps[got["id"]]["duration_in_months"]
        assert got["title"] == steps[got["id"]]["short_title"]
        assert got["description"]
    assert found["duration_in_months"] == route["duration_in_months"]
    assert found["link"] == f"https://onderwijsloket.com{route['path']}"
    assert "Zij-instroom in het primair onderwijs" in text


@pytest.mark.stack
async def test_stack_complete_run_is_one_request_after_the_cached_questions(
    seeded: StackInfo, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="onderwijsloket_mcp.calls")
    async with connect(stack_settings(seeded)) as client:
        await pathways(client, [])
        for n in range(1, 4):
            await pathways(client, sd.EXAMPLE_ANSWERS[:n])
        await pathways(client, sd.EXAMPLE_ANSWERS)
        await pathways(client, sd.EXAMPLE_ANSWERS, offset=1, limit=1)
    counts = [
        int(m.group(1))
        for r in caplog.records
        if r.name == "onderwijsloket_mcp.calls" and "tool=get_pathways" in r.getMessage()
        for m in [re.search(r"upstream_requests=(\d+)", r.getMessage())]
        if m
    ]
    assert counts == [2, 0, 0, 0, 1, 1]


@pytest.mark.stack
async def test_stack_answers_stay_within_budget_and_the_content_token_works(seeded: StackInfo) -> None:
    async with connect(stack_settings(seeded, token="content")) as client:
        text, _ = await pathways(client, [])
        assert approx_tokens(text) < 600
        # The valid complete answer set with the most matching routes.
        per_question = [[a["id"] for a in sd.ROUTE_ANSWERS_BY_QUESTION[q]] for q in sd.ROUTE_QUESTION_IDS]
        valid = [list(c) for c in itertools.product(*per_question) if sd.valid_answer_set(list(c))]
        widest = max(valid, key=lambda answers: len(sd.matching_routes(answers)))
        text, data = await pathways(client, widest)
        assert data["routes"]
        assert approx_tokens(text) < 1500
        text, _ = await pathways(client, widest, limit=50)
        assert approx_tokens(text) < 8000
