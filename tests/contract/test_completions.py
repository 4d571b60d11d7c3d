"""completion/complete as a client sees it: resource-template and prompt arguments, in both protocol modes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import mcp
import pytest
import respx
from mcp_types import Completion, PromptReference, ResourceTemplateReference
from pydantic import SecretStr

from onderwijsloket_mcp import completions
from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.datamodel.catalogue import DOCUMENTED
from onderwijsloket_mcp.datamodel.load import bundled_snapshot
from onderwijsloket_mcp.taxonomy import TAXONOMIES
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, connect, stack_settings

pytestmark = pytest.mark.anyio

COLLECTION = ResourceTemplateReference(uri="onderwijsloket://schema/{collection}")
TAXONOMY = ResourceTemplateReference(uri="onderwijsloket://taxonomy/{name}")
ORIENTATION = PromptReference(name="orient_on_education_career")
ROUTE = PromptReference(name="plan_route_into_teaching")
BASE = "http://directus.test"


async def complete(
    client: mcp.Client, ref: PromptReference | ResourceTemplateReference, name: str, value: str
) -> Completion:
    result = await client.complete(ref, {"name": name, "value": value})
    return result.completion


# -- ranking --------------------------------------------------------------------------------------------


def test_rank_puts_prefix_before_word_prefix_before_substring() -> None:
    values = ["Zij-instroom", "Salaris", "Wetten en regels", "Toelating en toetsen", "Subsidies", "Salaris"]
    assert completions.rank(values, "s") == ["Salaris", "Subsidies"]
    assert completions.rank(values, "re") == ["Wetten en regels"]
    assert completions.rank(values, "in") == ["Zij-instroom"]
    assert completions.rank(values, "troom") == ["Zij-instroom"]
    assert completions.rank(values, "tr") == []
    assert completions.rank(values, "toe") == ["Toelating en toetsen"]
    assert completions.rank(values, "") == [
        "Zij-instroom",
        "Salaris",
        "Wetten en regels",
        "Toelating en toetsen",
        "Subsidies",
    ]


def test_rank_ignores_case_and_accents() -> None:
    assert completions.rank(["Oriëntatie", "Retentie"], "ORIE") == ["Oriëntatie"]
    assert completions.rank(["primair onderwijs"], "Onder") == ["primair onderwijs"]


def test_completion_caps_at_the_protocol_limit() -> None:
    values = [f"v{i}" for i in range(250)]
    result = completions.completion(values)
    assert len(result.values) == 100 and result.total == 250 and result.has_more is True


# -- without a token ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_collection_names_without_token_come_from_the_snapshot(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        result = await complete(client, COLLECTION, "collection", "prog")
        everything = await complete(client, COLLECTION, "collection", "")
        schools = await complete(client, COLLECTION, "collection", "scho")
    assert result.values[:2] == ["program_forms", "programs"]
    assert "educational_institutions_programs" in result.values  # word prefix, after the prefix matches
    assert result.values.index("educational_institutions_programs") > result.values.index("programs_sectors")
    assert set(everything.values) == set(bundled_snapshot().names()) | set(DOCUMENTED)
    assert everything.total == len(everything.values)
    assert schools.values == ["school_subjects", "schools"]


@pytest.mark.parametrize("mode", MODES)
async def test_taxonomy_names_complete(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        assert (await complete(client, TAXONOMY, "name", "q")).values == ["qualifications"]
        assert (await complete(client, TAXONOMY, "name", "")).values == list(TAXONOMIES)
        assert (await complete(client, TAXONOMY, "name", "xyz")).values == []


@pytest.mark.parametrize("mode", MODES)
async def test_level_completes_from_the_programme_level_enum(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        everything = await complete(client, ORIENTATION, "level", "")
        master = await complete(client, ORIENTATION, "level", "ma")
    assert everything.values == [
        "mbo",
        "bachelor",
        "master",
        "phd",
        "post-graduate",
        "preparatory",
        "associate",
    ]
    assert master.values == ["master"]


@pytest.mark.parametrize("mode", MODES)
async def test_place_names_come_from_the_gazetteer(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        zwolle = await complete(client, ORIENTATION, "place", "Zwol")
        den = await complete(client, ROUTE, "place", "den h")
        postcodes = await complete(client, ROUTE, "place", "351")
        near = await complete(client, PromptReference(name="anything"), "near", "Utr")
    assert zwolle.values[0] == "Zwolle"
    assert den.values[0] == "Den Haag"
    assert postcodes.values and all(v.startswith("351") for v in postcodes.values)
    assert near.values[0] == "Utrecht"


@pytest.mark.parametrize("mode", MODES)
async def test_taxonomy_arguments_without_token_offer_nothing_and_do_not_fail(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        for argument in ("sector", "topic", "role", "qualification"):
            result = await complete(client, ORIENTATION, argument, "")
            assert result.values == [], argument


async def test_unknown_arguments_and_templates_complete_to_nothing() -> None:
    async with connect(Settings(token=None)) as client:
        assert (await complete(client, ORIENTATION, "question", "Wat")).values == []
        other = ResourceTemplateReference(uri="onderwijsloket://other/{collection}")
        assert (await complete(client, other, "collection", "pro")).values == []
        assert (await complete(client, COLLECTION, "name", "pro")).values == []


async def test_completion_prompt_argument_collection() -> None:
    async with connect(Settings(token=None)) as client:
        result = await complete(client, PromptReference(name="anything"), "collection", "faq")
    assert result.values[0] == "faqs"


# -- with a token, offline: slow or failing APIs never break completion ---------------------------------


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def offline_settings() -> Settings:
    return Settings(token=SecretStr("tok-completions-123456"), api_url=BASE, timeout=5.0, max_retries=0)


async def test_slow_api_gives_snapshot_collections_within_the_wait(
    api: respx.MockRouter, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(completions, "LIVE_WAIT_SECONDS", 0.3)

    async def slow(_: httpx.Request) -> httpx.Response:
        await anyio.sleep(3)
        return httpx.Response(403)

    api.get("/collections").mock(side_effect=slow)
    api.get("/items/topics").mock(side_effect=slow)
    async with connect(offline_settings()) as client:
        started = time.monotonic()
        result = await complete(client, COLLECTION, "collection", "faq")
        topics = await complete(client, ORIENTATION, "topic", "sal")
        elapsed = time.monotonic() - started
    assert result.values[0] == "faqs"
    assert topics.values == []
    assert elapsed < 2.0


async def test_taxonomy_completion_uses_live_labels(api: respx.MockRouter) -> None:
    rows: list[dict[str, Any]] = [
        {"id": "1", "name": "Salaris"},
        {"id": "2", "name": "Zij-instroom"},
        {"id": "3", "name": "Subsidies"},
    ]
    route = api.get("/items/topics").respond(200, json={"data": rows})
    api.get("/items/sectors").respond(403, json={"errors": [{"extensions": {"code": "FORBIDDEN"}}]})
    async with connect(offline_settings()) as client:
        first = await complete(client, ORIENTATION, "topic", "s")
        again = await complete(client, ORIENTATION, "topic", "zij")
        sectors = await complete(client, ORIENTATION, "sector", "")
    assert first.values == ["Salaris", "Subsidies"]
    assert again.values == ["Zij-instroom"]
    assert route.call_count == 1  # cached per token
    assert sectors.values == []


async def test_route_prompt_arguments_complete_with_the_route_options() -> None:
    from tests.tools.pathways.fake_directus import TOKEN, FakeDirectus

    fake = FakeDirectus()
    with respx.mock(assert_all_called=False) as router:
        fake.install(router)
        settings = Settings(token=SecretStr(TOKEN), api_url=BASE, timeout=5.0, max_retries=0)
        async with connect(settings) as client:
            goal = await complete(client, ROUTE, "goal", "lera")
            situation = await complete(client, ROUTE, "situation", "hbo")
            every = await complete(client, ROUTE, "goal", "")
            place = await complete(client, ROUTE, "place", "utr")
    assert goal.values == [
        "Leraar",
        "Leraarondersteuner - geen verplicht diploma nodig",
        "Leraar hoger onderwijs - geen verplicht diploma nodig",
    ]
    assert situation.values == ["Hbo-propedeuse", "Hbo-bachelor", "Hbo-master"]
    assert every.total == 56
    assert "Utrecht" in place.values
    assert fake.count("route_questions") == 1  # the route tool's cached questions


@pytest.mark.usefixtures("api")
async def test_a_crashing_source_gives_no_suggestions_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(*_: Any, **__: Any) -> list[Any]:
        raise RuntimeError("bug")

    monkeypatch.setattr(completions, "load_terms", broken)
    async with connect(offline_settings()) as client:
        assert (await complete(client, ORIENTATION, "topic", "sal")).values == []


# -- against the test stack -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(stack: StackInfo) -> StackInfo:
    response = httpx.get(
        f"{stack.url}/items/sectors",
        params={"limit": "1", "fields": "id"},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
    )
    if response.status_code != 200 or not response.json()["data"]:
        pytest.skip("the stack has no seeded taxonomy (tests/stack/seed.py did not run)")
    return stack


@pytest.mark.stack
@pytest.mark.parametrize("mode", MODES)
async def test_stack_taxonomy_arguments_complete_with_live_labels(seeded: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(seeded, "reader"), mode) as client:
        sector = await complete(client, ORIENTATION, "sector", "prim")
        sectors = await complete(client, ORIENTATION, "sector", "")
        topic = await complete(client, ORIENTATION, "topic", "sal")
        role = await complete(client, ROUTE, "role", "")
        qualification = await complete(client, ORIENTATION, "qualification", "")
        goal = await complete(client, ROUTE, "goal", "pdg")
    assert sector.values == ["primair onderwijs"]
    assert goal.values == ["PDG"]
    assert set(sectors.values) == {s["title"] for s in sd.SECTORS}
    assert topic.values == ["Salaris"]
    assert set(role.values) == {r["name"] for r in sd.ROLES}
    assert set(qualification.values) == {q["name"] for q in sd.QUALIFICATIONS}


@pytest.mark.stack
@pytest.mark.parametrize("mode", MODES)
async def test_stack_collections_readable_by_the_token_come_first(stack: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(stack, "content"), mode) as client:
        result = await complete(client, COLLECTION, "collection", "")
    values = result.values
    # Readable collections first (alphabetical), then documented ones this token cannot read.
    assert values.index("topics") < values.index("programs")
    assert values.index("faqs") < values.index("areas")
    assert "schools" in values
