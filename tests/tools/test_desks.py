"""list_regional_desks against the real Directus test stack (also with the Algolia double configured, which it
never asks).

Which desk serves which point is decided independently: the seed's own point-in-polygon test on the seeded
area outlines, and PostGIS for distances to areas.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onderwijsloket_mcp.tools._navigator import distance_to_area_km
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support import Mode, call, connect, stack_settings, text_of
from tests.tools.navigator_support import (
    area_distances_m,
    desks_containing,
    junction_ids,
    postgis_port,
    require_navigator_seed,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

MODES: list[Mode] = ["auto", "legacy"]
ADVICE_URL = "https://savvycal.com/onderwijsloket/plan-een-adviesgesprek"
VISIBLE = set(sd.VISIBLE_DESK_IDS)
DESKS_BY_ID = {d["id"]: d for d in sd.DESKS}


def latlng(point: tuple[float, float]) -> str:
    """The seed keeps (lng, lat); the tool reads 'lat,lng'."""
    lng, lat = point
    return f"{lat},{lng}"


@pytest.fixture(autouse=True)
def _seeded(stack: StackInfo) -> None:
    require_navigator_seed(stack)


def structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert isinstance(data, dict)
    return data


def desk_ids(data: dict[str, Any]) -> list[str]:
    return [d["id"] for d in data["desks"]]


# ---------------------------------------------------------------------------------------------- near


@pytest.mark.parametrize("mode", MODES)
async def test_point_inside_two_overlapping_areas_returns_both_desks(stack: StackInfo, mode: Mode) -> None:
    expected = desks_containing(*sd.OVERLAP_POINT)
    assert expected == {sd.DESK_UTRECHT, sd.DESK_GROENE_HART}
    async with connect(stack_settings(stack), mode) as client:
        result = await call(client, "list_regional_desks", near=latlng(sd.OVERLAP_POINT))
    data = structured(result)
    assert data["mode"] == "near" and data["contained"] is True
    assert set(desk_ids(data)) == expected and data["total"] == 2
    assert all(d["area"]["contains_point"] is True and d["area"]["distance_km"] == 0 for d in data["desks"])
    text = text_of(result)
    assert "2 desk(s) whose area contains it" in text
    assert text.count("(contains the searched place)") == 2


async def test_place_names_and_postcodes_find_the_desk_whose_area_contains_them(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        woerden = structured(await call(client, "list_regional_desks", near="Woerden"))
        amersfoort = structured(await call(client, "list_regional_desks", near=latlng(sd.AMERSFOORT_POINT)))
        postcode = structured(await call(client, "list_regional_desks", near="3811 LM"))
        zwolle = structured(await call(client, "list_regional_desks", near="zwolle"))
    for data in (woerden, amersfoort, postcode, zwolle):
        near = data["near"]
        assert set(desk_ids(data)) == desks_containing(near["lng"], near["lat"]), near
        assert data["contained"] is True
    assert desk_ids(amersfoort) == [sd.DESK_UTRECHT] == desk_ids(postcode)
    assert desk_ids(zwolle) == [sd.DESK_ZWOLLE]


@pytest.mark.parametrize("mode", MODES)
async def test_point_in_the_sea_returns_the_nearest_areas_with_postgis_distances(
    stack: StackInfo, mode: Mode
) -> None:
    assert not desks_containing(*sd.SEA_POINT)
    async with connect(stack_settings(stack), mode) as client:
        result = await call(client, "list_regional_desks", near=latlng(sd.SEA_POINT), limit=50)
    data = structured(result)
    assert data["contained"] is False
    lng, lat = sd.SEA_POINT
    postgis = area_distances_m(postgis_port(stack), lat, lng)
    with_area = {d["id"] for d in sd.DESKS if d["id"] in VISIBLE and d.get("area")}
    assert set(desk_ids(data)) == with_area  # every desk with an area, none without
    distances = [d["area"]["distance_km"] for d in data["desks"]]
    assert distances == sorted(distances) and distances[0] > 0
    for desk in data["desks"]:
        exact_km = postgis[DESKS_BY_ID[desk["id"]]["area"]] / 1000
        assert abs(desk["area"]["distance_km"] - exact_km) <= 0.05 + exact_km * 0.005, (
            desk["title"],
            exact_km,
        )
    nearest = min(with_area, key=lambda i: postgis[DESKS_BY_ID[i]["area"]])
    assert desk_ids(data)[0] == nearest
    text = text_of(result)
    assert "No desk's area contains this point" in text
    assert f"{data['desks'][0]['area']['distance_km']:.1f} km from the searched place" in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.floats(50.7, 53.6), st.floats(3.3, 7.3))
def test_area_distances_agree_with_postgis(stack: StackInfo, lat: float, lng: float) -> None:
    """Our point-to-polygon distance vs PostGIS's on the stored polygons (sphere, not spheroid).

    PostGIS draws geography edges as great-circle arcs, we (like Directus's geometry _intersects) as straight
    lines in lng/lat; over the seeded edges the two differ by a few tens of metres at most.
    """
    postgis = area_distances_m(postgis_port(stack), lat, lng)
    rings = {sd.AREA_IDS[key]: ring for key, ring in sd.AREA_RINGS.items()}
    for area_id, metres in postgis.items():
        ours = distance_to_area_km(
            (lat, lng), {"type": "Polygon", "coordinates": [[list(c) for c in rings[area_id]]]}
        )
        assert ours is not None
        assert abs(ours - metres / 1000) <= 0.1 + metres / 1000 * 0.005, (area_id, ours, metres)


async def test_near_costs_one_request_when_an_area_contains_the_point_and_two_otherwise(
    stack: StackInfo, caplog: pytest.LogCaptureFixture
) -> None:
    async with connect(stack_settings(stack)) as client:
        await call(client, "list_regional_desks", near="Utrecht")
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="onderwijsloket_mcp.calls"):
            await call(client, "list_regional_desks", near=latlng(sd.OVERLAP_POINT))
            await call(client, "list_regional_desks", near=latlng(sd.SEA_POINT))
            await call(client, "list_regional_desks", region="Zwolle")
    counts = [int(m) for m in re.findall(r"upstream_requests=(\d+)", caplog.text)]
    # Region matching reads the desk list once per cache period (the first call above did not need it).
    assert counts == [1, 2, 1]


# ---------------------------------------------------------------------------------------------- region


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("Zwolle", {sd.DESK_ZWOLLE}),
        ("ZWÖLLE", {sd.DESK_ZWOLLE}),
        ("onderwijsregio eemland", {sd.DESK_UTRECHT}),
        ("Woerden", {sd.DESK_UTRECHT, sd.DESK_GROENE_HART}),
        ("capelle aan den ijssel", {sd.DESK_ROTTERDAM}),
        ("Limburg", {sd.DESK_NO_AREA}),
    ],
)
async def test_region_matches_regions_and_places_case_and_diacritics_insensitively(
    stack: StackInfo, region: str, expected: set[str]
) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", region=region)
    data = structured(result)
    assert data["mode"] == "region"
    assert set(desk_ids(data)) == expected
    assert not set(desk_ids(data)) - VISIBLE  # the draft Friesland desk never shows


async def test_region_no_desk_lists_is_answered_for_the_place_it_names(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", region="Leeuwarden")
    data = structured(result)
    # Only the draft desk lists Leeuwarden: the place is geocoded and answered by distance instead.
    assert data["mode"] == "near" and data["near"]["name"] == "Leeuwarden"
    assert sd.DESK_HIDDEN[0] not in desk_ids(data)
    assert "answered for the place it names instead" in text_of(result)


async def test_unknown_region_is_an_error_with_suggestions(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", region="Onderwijsregio Zwole")
        nonsense = await call(client, "list_regional_desks", region="Qwxzyplaats")
    assert result.is_error
    assert "'Onderwijsregio Zwole'" in text_of(result) and "Zwolle" in text_of(result)
    assert nonsense.is_error and "'Qwxzyplaats'" in text_of(nonsense)


async def test_unknown_near_is_an_error_that_repeats_the_input(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", near="Amsterdm")
    assert result.is_error
    assert "'Amsterdm'" in text_of(result) and "Amsterdam" in text_of(result).replace("'Amsterdm'", "")


# ---------------------------------------------------------------------------------------------- sector


async def test_sector_keeps_only_desks_serving_it(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        near = structured(
            await call(client, "list_regional_desks", near=latlng(sd.OVERLAP_POINT), sector="so")
        )
        listing = structured(await call(client, "list_regional_desks", sector="speciaal onderwijs", limit=50))
        region = structured(await call(client, "list_regional_desks", region="Woerden", sector="so"))
        bad = await call(client, "list_regional_desks", sector="kinderopvang")
    serving = {d["id"] for d in sd.DESKS if d["id"] in VISIBLE and sd.SO in junction_ids(d, "sectors")}
    assert desk_ids(near) == [sd.DESK_UTRECHT]
    assert set(desk_ids(listing)) == serving
    assert desk_ids(region) == [sd.DESK_UTRECHT]
    assert near["filters"] == {"sector": "speciaal onderwijs"}
    assert bad.is_error and "Unknown sector 'kinderopvang'" in text_of(bad)


# ---------------------------------------------------------------------------------------------- contents


@pytest.mark.parametrize("mode", MODES)
async def test_each_desk_has_contacts_consultations_link_and_the_national_advice_call(
    stack: StackInfo, mode: Mode
) -> None:
    async with connect(stack_settings(stack), mode) as client:
        result = await call(client, "list_regional_desks", near="Amersfoort")
    data = structured(result)
    [desk] = data["desks"]
    seeded = DESKS_BY_ID[sd.DESK_UTRECHT]
    assert desk["title"] == seeded["title"]
    assert desk["regions"] == seeded["regions"]
    assert desk["email"] == seeded["email"] and desk["phone"] == seeded["phone"]
    assert desk["phone_availability"] == seeded["phone_availability"]
    assert desk["has_consultation_service"] is True
    assert (
        "## Adviesgesprek" in desk["consultation_markdown"] and "45 minuten" in desk["consultation_markdown"]
    )
    assert desk["scheduling_url"] == seeded["scheduling_url"]
    assert desk["link"] == "https://onderwijsloket.com/navigator/regioloketten/onderwijsloket-utrecht-regio"
    assert set(desk["sectors"]) >= {"primair onderwijs", "speciaal onderwijs"}
    text = text_of(result)
    for part in (
        "### 1. Onderwijsloket Utrecht-regio",
        "Regions: Onderwijsregio Utrecht, Onderwijsregio Eemland",
        "E-mail: info@onderwijsloket-utrecht.example",
        "Phone: 030 123 45 67 (Maandag t/m vrijdag van 9.00 tot 17.00 uur)",
        "Consultations: yes",
        "45 minuten",
        "Book: https://meetings.example.org/utrecht/adviesgesprek",
        desk["link"],
    ):
        assert part in text, part
    # The national call is offered, and framed as the national Onderwijsloket's, not the desk's.
    assert data["advice_call"]["url"] == ADVICE_URL
    advice = next(block for block in text.split("\n\n") if ADVICE_URL in block)
    assert "national Onderwijsloket" in advice and "not a regional desk" in advice
    assert "None" not in text and "null" not in text


async def test_desk_without_consultations_says_so(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", near="Groningen")
    data = structured(result)
    assert desk_ids(data) == [sd.DESK_GRONINGEN]
    assert data["desks"][0]["has_consultation_service"] is False
    assert "Consultations: not offered by this desk." in text_of(result)


async def test_listing_all_desks_pages_alphabetically_within_the_budget(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        default = await call(client, "list_regional_desks")
        first = structured(await call(client, "list_regional_desks", limit=3))
        page = await call(client, "list_regional_desks", limit=3, offset=3)
        largest = await call(client, "list_regional_desks", limit=50)
    everything = structured(largest)
    assert set(desk_ids(everything)) == VISIBLE
    titles = [d["title"].casefold() for d in everything["desks"]]
    assert titles == sorted(titles)
    assert desk_ids(first) + desk_ids(structured(page)) == desk_ids(everything)[:6]
    assert f"Showing 4–6 of {len(VISIBLE)} desks. Next page: call again with offset=6." in text_of(page)
    assert len(text_of(default)) / 4 < 1500
    assert len(text_of(largest)) / 4 < 8000


# ---------------------------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("arguments", [{}, {"near": "Utrecht"}, {"region": "Zwolle"}, {"sector": "po"}])
async def test_content_token_gets_the_navigator_policy_error(
    stack: StackInfo, mode: Mode, arguments: dict[str, str]
) -> None:
    async with connect(stack_settings(stack, "content"), mode) as client:
        result = await call(client, "list_regional_desks", **arguments)
    assert result.is_error
    text = text_of(result)
    assert "Navigator" in text and "remi@onderwijsin.nl" in text and "not an empty result" in text


# ---------------------------------------------------------------------------------------------- Algolia


def algolia_settings(stack: StackInfo, double: AlgoliaDouble) -> Any:
    return stack_settings(stack, search_backend="auto", algolia_host=double.url)


async def test_algolia_backend_answers_near_from_directus_in_one_request(
    stack: StackInfo,
    algolia: AlgoliaDouble,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """PostGIS intersects the area polygons exactly; the Algolia index only holds a grid of points per area
    and lacks the contact details, so it is never asked (nor is its key fetched)."""
    async with connect(algolia_settings(stack, algolia)) as client:
        with caplog.at_level(logging.INFO, logger="onderwijsloket_mcp.calls"):
            result = await call(client, "list_regional_desks", near=latlng(sd.OVERLAP_POINT), sector="po")
    data = structured(result)
    assert data["backend"] == "directus" and data["contained"] is True
    assert set(desk_ids(data)) == {sd.DESK_UTRECHT, sd.DESK_GROENE_HART}
    assert all(d.get("phone_availability") for d in data["desks"])
    assert data["filters"] == {"sector": "primair onderwijs"}
    assert not algolia.requests
    # The sector list for the filter value, then the one _intersects request.
    assert [int(m) for m in re.findall(r"upstream_requests=(\d+)", caplog.text)] == [2]


@pytest.mark.parametrize("point", [sd.OVERLAP_POINT, sd.SEA_POINT], ids=["inside", "sea"])
async def test_both_search_backends_give_the_same_near_answer(
    stack: StackInfo,
    algolia: AlgoliaDouble,
    point: tuple[float, float],
) -> None:
    async with connect(algolia_settings(stack, algolia)) as client:
        with_algolia = structured(await call(client, "list_regional_desks", near=latlng(point), limit=50))
    async with connect(stack_settings(stack)) as client:
        directus_only = structured(await call(client, "list_regional_desks", near=latlng(point), limit=50))
    assert with_algolia == directus_only
    assert with_algolia["backend"] == "directus"
    assert not algolia.requests
