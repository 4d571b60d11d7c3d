"""get_program end to end against the real Directus stack; expectations from tests/stack/seed_data.py."""

from __future__ import annotations

import pytest

from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, Sample, call, connect, stack_settings, structured, text_of
from tests.tools.navigator.support import (
    PROGRAMS_BY_ID,
    require_navigator_seed,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

# The call of this tool every client and framework test makes (tests/support/inventory.py).
SAMPLE = Sample({"id": sd.PROGRAM_PABO_HU})


@pytest.fixture(autouse=True)
def _seeded(stack: StackInfo) -> None:
    require_navigator_seed(stack)


@pytest.mark.parametrize("mode", MODES)
async def test_get_program_in_full(stack: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(stack), mode) as client:
        result = await call(client, "get_program", id=sd.PROGRAM_PABO_HU)
    data = structured(result)
    seeded = PROGRAMS_BY_ID[sd.PROGRAM_PABO_HU]
    assert data["title"] == seeded["title"] and data["level"] == "bachelor"
    assert data["link"] == "https://onderwijsloket.com/navigator/opleidingen/pabo-hu"
    assert "**leraar basisonderwijs**" in data["description_markdown"]
    assert [f["form"] for f in data["forms"]] == ["voltijd", "deeltijd", "duaal"]
    assert all(f["url"].startswith("https://example.org/opleidingen/pabo-hu/") for f in data["forms"])
    assert all(f.get("description_markdown") for f in data["forms"])
    assert [i["title"] for i in data["institutions"]] == ["Hogeschool Utrecht"]
    assert [loc["id"] for loc in data["locations"]] == [sd.LOCATION_IDS["hu-padualaan"]]
    assert [q["name"] for q in data["qualifications"]] == ["Bevoegdheid primair onderwijs"]
    text = text_of(result)
    for part in (
        "## Pabo – Leraar basisonderwijs",
        "**leraar basisonderwijs**",
        "### Study forms",
        "#### Voltijd",
        "Page: https://example.org/opleidingen/pabo-hu/voltijd",
        "### Institutions",
        "### Locations",
        "Padualaan 97, 3584 CH Utrecht",
        "### Qualifications",
        "Bevoegdheid primair onderwijs",
    ):
        assert part in text, part
    assert "None" not in text and "null" not in text
    assert len(text) / 4 < 1500


async def test_get_program_with_many_forms_stays_within_the_budget(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "get_program", id=sd.PROGRAM_MANY_FORMS)
    data = structured(result)
    assert len(data["forms"]) == 6
    assert len(text_of(result)) / 4 < 1500
    # Form descriptions share one budget, in both forms; the structured one flags what was cut.
    for form in data["forms"]:
        assert form.get("description_markdown", "") in text_of(result)


async def test_programme_without_locations_says_so(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "get_program", id=sd.PROGRAM_NO_LOCATIONS)
    data = structured(result)
    assert "locations" not in data and data["notes"] == [
        "No teaching locations are recorded for this programme."
    ]
    assert data["notes"][0] in text_of(result)
    assert "### Locations" not in text_of(result)


@pytest.mark.parametrize(
    "program_id",
    ["00000000-0000-4000-8000-000000000000", *sd.PROGRAM_HIDDEN, "not an id!"],
    ids=["unknown", "hovi", "hovi-2", "draft", "malformed"],
)
async def test_unknown_or_invisible_programme_is_not_found_or_not_permitted(
    stack: StackInfo, program_id: str
) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "get_program", id=program_id)
    assert result.is_error
    text = text_of(result)
    assert "not" in text and ("found" in text or "valid id" in text)
    assert "find_programs_near" in text or "Search first" in text or "search result" in text


@pytest.mark.parametrize("mode", MODES)
async def test_content_token_gets_the_navigator_policy_error(stack: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(stack, "content"), mode) as client:
        result = await call(client, "get_program", id=sd.PROGRAM_PABO_HU)
    assert result.is_error
    text = text_of(result)
    assert "Navigator" in text and "remi@onderwijsin.nl" in text and "not an empty result" in text
