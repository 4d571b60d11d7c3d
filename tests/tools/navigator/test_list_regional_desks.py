"""list_regional_desks against the real Directus test stack (also with the Algolia double configured, which it
never asks).

Which desk serves which point is decided independently: the seed's own point-in-polygon test on the seeded
area outlines, the seed's own list of nationwide desks, and PostGIS for distances to areas.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onderwijsloket_mcp.geo.geometry import distance_to_area_km
from onderwijsloket_mcp.tools.navigator import _desks as desks_shapes
from onderwijsloket_mcp.tools.navigator import list_regional_desks as desks_module
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, Sample, call, connect, stack_settings, structured, text_of
from tests.tools.navigator.support import (
    DESKS_BY_ID,
    area_distances_m,
    desks_containing,
    json_twin,
    junction_ids,
    local_first,
    postgis_port,
    require_navigator_seed,
    visible_area,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

# The call of this tool every client and framework test makes (tests/support/inventory.py).
SAMPLE = Sample({"near": "Zwolle"})

ADVICE_URL = "https://savvycal.com/onderwijsloket/plan-een-adviesgesprek"
VISIBLE = set(sd.VISIBLE_DESK_IDS)
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def latlng(point: tuple[float, float]) -> str:
    """The seed keeps (lng, lat); the tool reads 'lat,lng'."""
    lng, lat = point
    return f"{lat},{lng}"


@pytest.fixture(autouse=True)
def _seeded(stack: StackInfo) -> None:
    require_navigator_seed(stack)


def desk_ids(data: dict[str, Any]) -> list[str]:
    return [d["id"] for d in data.get("desks", [])]


def expected_places(desk_id: str) -> list[str]:
    return [part.strip() for part in DESKS_BY_ID[desk_id]["cities_municipalities"].split(",") if part.strip()]


def uuids_outside_id_lines(text: str) -> set[str]:
    """UUIDs a person would read as words: everything but the desks' own "ID: …" lines."""
    return {u for line in text.splitlines() if not line.startswith("ID: ") for u in UUID_RE.findall(line)}


def upstream_counts(caplog: pytest.LogCaptureFixture) -> list[int]:
    return [int(m) for m in re.findall(r"upstream_requests=(\d+)", caplog.text)]


# ---------------------------------------------------------------------------------------------- near


@pytest.mark.parametrize("mode", MODES)
async def test_a_place_in_overlapping_areas_lists_every_desk_most_local_first(
    stack: StackInfo, mode: Mode
) -> None:
    expected = desks_containing(*sd.OVERLAP_POINT)
    assert len(expected) == 5 and set(sd.NATIONWIDE_DESK_IDS) <= expected
    async with connect(stack_settings(stack), mode) as client:
        result = await call(client, "list_regional_desks", near=latlng(sd.OVERLAP_POINT))
    data = structured(result)
    assert data["mode"] == "near" and data["contained"] is True
    assert desk_ids(data) == local_first(expected)
    assert data["total"] == 5 and data["nationwide_total"] == 2
    assert [d.get("nationwide", False) for d in data["desks"]] == [False, False, False, True, True]
    # Their areas all contain the point (said once, by "contained"): no distances.
    assert all("distance_km" not in d["area"] for d in data["desks"])
    sizes = [d["area"]["size_km2"] for d in data["desks"][:3]]
    assert sizes == sorted(sizes)
    text = text_of(result)
    summary = (
        "5 desks' areas contain it: 3 regional and 2 nationwide; the most local first (by the size of their "
        "area), nationwide ones last."
    )
    assert data["summary"] == summary and summary in text
    assert "Areas are approximate" in text and any("Areas are approximate" in n for n in data["notes"])
    assert text.count(" km²)") == 5
    assert "### 4. Landelijk Loket Groen Onderwijs (nationwide, middelbaar beroepsonderwijs only)" in text
    assert "### 5. Loket Vakmensen voor de Klas (nationwide)" in text


async def test_the_city_desk_comes_before_the_region_desk_and_is_marked_single_sector(
    stack: StackInfo,
) -> None:
    async with connect(stack_settings(stack)) as client:
        utrecht = structured(await call(client, "list_regional_desks", near=latlng(sd.UTRECHT_POINT)))
        rotterdam = structured(await call(client, "list_regional_desks", near=latlng(sd.ROTTERDAM_POINT)))
    assert desk_ids(utrecht) == local_first(desks_containing(*sd.UTRECHT_POINT))
    assert desk_ids(utrecht)[:2] == [sd.DESK_UTRECHT_PO, sd.DESK_UTRECHT]
    city = utrecht["desks"][0]
    assert city["sector_specific"] is True and city["sectors"] == ["primair onderwijs"]
    assert "sector_specific" not in utrecht["desks"][1]
    assert desk_ids(rotterdam) == local_first(desks_containing(*sd.ROTTERDAM_POINT))
    assert desk_ids(rotterdam)[:3] == [sd.DESK_ROTTERDAM_PO, sd.DESK_ROTTERDAM, sd.DESK_ZUID_HOLLAND]
    assert rotterdam["total"] == 5 and rotterdam["nationwide_total"] == 2


async def test_place_names_and_postcodes_find_the_desks_whose_area_contains_them(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        woerden = structured(await call(client, "list_regional_desks", near="Woerden"))
        amersfoort = structured(await call(client, "list_regional_desks", near=latlng(sd.AMERSFOORT_POINT)))
        postcode = structured(await call(client, "list_regional_desks", near="3811 LM"))
        zwolle = structured(await call(client, "list_regional_desks", near="zwolle"))
        leeuwarden = structured(await call(client, "list_regional_desks", near="Leeuwarden"))
    for data in (woerden, amersfoort, postcode, zwolle, leeuwarden):
        near = data["near"]
        assert desk_ids(data) == local_first(desks_containing(near["lng"], near["lat"])), near
        assert data["contained"] is True
    assert (
        desk_ids(amersfoort) == [sd.DESK_UTRECHT, *local_first(sd.NATIONWIDE_DESK_IDS)] == desk_ids(postcode)
    )
    assert desk_ids(zwolle)[0] == sd.DESK_ZWOLLE
    # Only the draft desk (with a draft area) is Frisian: only the nationwide desks cover Leeuwarden.
    assert set(desk_ids(leeuwarden)) == set(sd.NATIONWIDE_DESK_IDS)


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
    with_area = {d["id"] for d in sd.DESKS if d["id"] in VISIBLE and visible_area(d)}
    assert set(desk_ids(data)) == with_area  # every desk with a readable area, none without
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


async def test_near_costs_one_small_request_once_the_desk_list_is_cached(
    stack: StackInfo, caplog: pytest.LogCaptureFixture
) -> None:
    async with connect(stack_settings(stack)) as client:
        await call(client, "list_regional_desks", near="Utrecht")
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="onderwijsloket_mcp.calls"):
            await call(client, "list_regional_desks", near=latlng(sd.OVERLAP_POINT))
            await call(client, "list_regional_desks", near=latlng(sd.SEA_POINT))
            await call(client, "list_regional_desks", near=latlng(sd.SEA_POINT))
            await call(client, "list_regional_desks", region="Zwolle")
    # PostGIS says which desks contain the point (ids only); the desk list (with area outlines) is read once per
    # cache period, for the desks shown, the nearest areas and region names alike.
    assert upstream_counts(caplog) == [1, 1, 1, 0]


# ---------------------------------------------------------------------------------------------- geometry as JSON


@pytest.fixture
def area_bounds_as_json(stack: StackInfo, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The tool reads a plain-JSON copy of the area outlines, as on an API whose area_bounds is not geometry."""
    with json_twin(stack, "areas", "area_bounds", "area_bounds_json"):
        monkeypatch.setattr(desks_shapes, "AREA_BOUNDS", "area_bounds_json")
        yield


async def geometry_answers(stack: StackInfo, calls: list[dict[str, Any]]) -> list[dict[str, Any]]:
    async with connect(stack_settings(stack)) as client:
        return [structured(await call(client, "list_regional_desks", **arguments)) for arguments in calls]


NEAR_CALLS: list[dict[str, Any]] = [
    {"near": latlng(sd.OVERLAP_POINT)},
    {"near": latlng(sd.ROTTERDAM_POINT), "sector": "po"},
    {"near": latlng(sd.SEA_POINT), "limit": 50},
    {"near": "Leeuwarden"},
    {"region": "Woerden"},
]


async def test_when_area_bounds_is_plain_json_containment_and_distances_are_computed_locally(
    stack: StackInfo, caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest
) -> None:
    expected = await geometry_answers(stack, NEAR_CALLS)
    request.getfixturevalue("area_bounds_as_json")
    async with connect(stack_settings(stack)) as client:
        with caplog.at_level(logging.INFO):
            answers = [
                structured(await call(client, "list_regional_desks", **arguments)) for arguments in NEAR_CALLS
            ]
    assert answers == expected
    assert "cannot be filtered on (INVALID_QUERY)" in caplog.text
    # Directus's refusal and the desk list, then the sector list for the second call; then only the cache.
    assert upstream_counts(caplog) == [2, 1, 0, 0, 0]


# ---------------------------------------------------------------------------------------------- region


@pytest.mark.parametrize(
    ("region", "expected"),
    [
        ("Zwolle", {sd.DESK_ZWOLLE, sd.DESK_NATIONWIDE_CRAFT}),
        ("ZWÖLLE", {sd.DESK_ZWOLLE, sd.DESK_NATIONWIDE_CRAFT}),
        ("onderwijsregio eemland", {sd.DESK_UTRECHT}),
        ("Woerden", {sd.DESK_UTRECHT, sd.DESK_GROENE_HART, sd.DESK_ZUID_HOLLAND}),
        ("capelle aan den ijssel", {sd.DESK_ROTTERDAM}),
        ("Limburg", {sd.DESK_NO_AREA}),
        ("landelijk groen", {sd.DESK_NATIONWIDE_GREEN}),
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


async def test_cities_are_one_comma_separated_string_split_into_places(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        data = structured(await call(client, "list_regional_desks", limit=50))
        one = structured(await call(client, "list_regional_desks", region="Onderwijsregio Eemland"))
    for desk in [*data["desks"], *one["desks"]]:
        seeded = DESKS_BY_ID[desk["id"]]["cities_municipalities"]
        assert isinstance(seeded, str)
        expected = [part.strip() for part in seeded.split(",") if part.strip()]
        shown = desk.get("cities_municipalities", [])
        if desk.get("nationwide"):
            assert not shown and "more_places" not in desk, desk["title"]  # says nothing about where it works
            continue
        # The first few when many desks are listed, with how many more there are.
        assert shown == expected[: len(shown)] and len(shown) + desk.get("more_places", 0) == len(expected)
    assert one["desks"][0]["cities_municipalities"] == expected_places(sd.DESK_UTRECHT)[:10]
    assert len(expected_places(sd.DESK_UTRECHT)) > 4


async def test_region_no_desk_lists_is_answered_for_the_place_it_names(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", region="Leeuwarden")
    data = structured(result)
    # Only the draft desk lists Leeuwarden: the place is geocoded and answered for its point instead.
    assert data["mode"] == "near" and data["near"]["name"] == "Leeuwarden"
    assert sd.DESK_HIDDEN[0] not in desk_ids(data)
    assert set(desk_ids(data)) == set(sd.NATIONWIDE_DESK_IDS)
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
        mbo_result = await call(client, "list_regional_desks", near=latlng(sd.OVERLAP_POINT), sector="mbo")
        listing = structured(await call(client, "list_regional_desks", sector="speciaal onderwijs", limit=50))
        region = structured(await call(client, "list_regional_desks", region="Woerden", sector="so"))
        bad = await call(client, "list_regional_desks", sector="kinderopvang")

    def serving(sector: str, among: set[str]) -> set[str]:
        return {i for i in among if i in VISIBLE and sector in junction_ids(DESKS_BY_ID[i], "sectors")}

    here = desks_containing(*sd.OVERLAP_POINT)
    mbo = structured(mbo_result)
    assert desk_ids(near) == local_first(serving(sd.SO, here)) == [sd.DESK_UTRECHT]
    assert desk_ids(mbo) == local_first(serving(sd.MBO, here))
    assert mbo["nationwide_total"] == 2 and mbo["total"] == len(serving(sd.MBO, here))
    assert set(desk_ids(listing)) == serving(sd.SO, VISIBLE)
    assert desk_ids(region) == [sd.DESK_UTRECHT]
    assert near["filters"] == {"sector": "speciaal onderwijs"}
    assert "(filters: sector=middelbaar beroepsonderwijs)" in text_of(mbo_result)
    assert bad.is_error and "Unknown sector 'kinderopvang'" in text_of(bad)


# ---------------------------------------------------------------------------------------------- contents


@pytest.mark.parametrize("mode", MODES)
async def test_one_desk_in_full_contacts_hours_consultations_visit_links_and_the_national_advice_call(
    stack: StackInfo, mode: Mode
) -> None:
    async with connect(stack_settings(stack), mode) as client:
        result = await call(client, "list_regional_desks", near="Amersfoort", limit=1)
    data = structured(result)
    [desk] = data["desks"]
    seeded = DESKS_BY_ID[sd.DESK_UTRECHT]
    office = next(loc for loc in sd.LOCATIONS if loc["id"] == seeded["location"])
    assert desk["id"] == sd.DESK_UTRECHT and data["total"] == 3
    assert desk["title"] == seeded["title"] and desk["regions"] == seeded["regions"]
    assert desk["email"] == seeded["email"] and desk["phone"] == seeded["phone"]
    assert desk["email_response_time"] == "2 werkdagen"
    assert desk["phone_availability"] == "ma–vr 09:00–17:00"
    assert desk["has_consultation_service"] is True
    assert desk["consultation"].startswith("Adviesgesprek:") and "45 minuten" in desk["consultation"]
    assert f"Consultations: yes — {desk['consultation']}" in text_of(result)
    assert desk["consultation_service_url"] == seeded["consultation_service_url"]
    assert desk["has_physical_location"] is True and desk["appointment_for_visit"] is True
    assert desk["office"] == {
        "title": office["title"],
        "address": office["address"],
        "zip": office["zip"],
        "city": office["city"],
        **({"url": office["url"]} if office.get("url") else {}),
    }
    assert desk["service_links"] == [{"type": s["type"], "url": s["url"]} for s in seeded["service_links"]]
    assert desk["privacy_policy"] == seeded["privacy_policy"] and desk["website"] == seeded["website"]
    assert "nationwide" not in desk and "sector_specific" not in desk  # false: left out
    assert desk["link"] == "https://onderwijsloket.com/navigator/regioloketten/onderwijsloket-utrecht-regio"
    assert set(desk["sectors"]) >= {"primair onderwijs", "speciaal onderwijs"}
    text = text_of(result)
    for part in (
        "### 1. Onderwijsloket Utrecht-regio\n",
        "Regions: Onderwijsregio Utrecht, Onderwijsregio Eemland",
        "E-mail: info@onderwijsloket-utrecht.example (response time: 2 werkdagen)",
        "Phone: 030 123 45 67 (ma–vr 09:00–17:00)",
        "Consultations: yes",
        "45 minuten",
        f"Book: {seeded['consultation_service_url']}",
        f"Visit: {office['title']}, {office['address']}, {office['zip']} {office['city']} (by appointment)",
        "Links: [vacatures](https://onderwijsloket-utrecht.example/vacatures) · [oriëntatieactiviteiten](",
        "[matching](https://matching.example.org/utrecht) · [zij-instroom](",
        f"Privacy: {seeded['privacy_policy']}",
        desk["link"],
    ):
        assert part in text, part
    # The national call is offered, and framed as the national Onderwijsloket's, not the desk's.
    assert ADVICE_URL in data["advice_call"]
    advice = next(block for block in text.split("\n\n") if ADVICE_URL in block)
    assert advice == data["advice_call"]
    assert "national Onderwijsloket" in advice and "not a regional desk" in advice
    assert "None" not in text and "null" not in text


@pytest.mark.parametrize(
    ("desk_id", "hours"),
    [
        (sd.DESK_UTRECHT, "ma–vr 09:00–17:00"),
        (sd.DESK_UTRECHT_PO, "ma–do 09:00–17:00; vr 09:00–12:00"),
        (sd.DESK_ROTTERDAM, "ma–vr 09:00–17:00; za 10:00–12:00"),
        (sd.DESK_GROENE_HART, "ma, wo 09:00–17:00; di, do 13:00–20:00"),
        (sd.DESK_ROTTERDAM_PO, None),  # linked to an item without any times
        (sd.DESK_ZWOLLE, None),  # not linked
    ],
)
async def test_phone_hours_are_rendered_in_dutch_and_never_as_an_id(
    stack: StackInfo, desk_id: str, hours: str | None
) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", limit=50)
    data = structured(result)
    desk = next(d for d in data["desks"] if d["id"] == desk_id)
    assert desk.get("phone_availability") == hours
    text = text_of(result)
    phone = f"Phone: {DESKS_BY_ID[desk_id]['phone']}"
    assert (f"{phone} ({hours})" if hours else f"{phone}\n") in text
    assert not set(sd.OPENING_HOURS_IDS.values()) & (
        uuids_outside_id_lines(text) | set(UUID_RE.findall(json.dumps(data)))
    )


@contextmanager
def opening_hours_unreadable(stack: StackInfo) -> Iterator[None]:
    """Take the Navigator policy's read permission on opening_hours away while the block runs."""
    headers = {"Authorization": f"Bearer {stack.admin_token}"}
    with httpx.Client(base_url=stack.url, headers=headers, timeout=30) as client:
        rows = client.get(
            "/permissions",
            params={"filter": json.dumps({"collection": {"_eq": "opening_hours"}}), "limit": "-1"},
        ).json()["data"]
        assert rows, "the Navigator policy should grant opening_hours"
        for row in rows:
            client.delete(f"/permissions/{row['id']}").raise_for_status()
        try:
            yield
        finally:
            keep = ("collection", "action", "permissions", "validation", "presets", "fields", "policy")
            for row in rows:
                client.post("/permissions", json={k: row[k] for k in keep}).raise_for_status()


async def test_unreadable_phone_hours_are_left_out_not_shown_as_an_id(stack: StackInfo) -> None:
    """Directus 11 leaves the field out when its target may not be read: the desk is shown without hours."""
    with opening_hours_unreadable(stack):
        async with connect(stack_settings(stack)) as client:
            result = await call(client, "list_regional_desks", region="Onderwijsregio Eemland")
    data = structured(result)
    [desk] = data["desks"]
    assert desk["id"] == sd.DESK_UTRECHT and "phone_availability" not in desk
    text = text_of(result)
    assert "Phone: 030 123 45 67\n" in text or "Phone: 030 123 45 67 ·" in text
    assert uuids_outside_id_lines(text) == set()
    assert sd.OPENING_HOURS_IDS["kantoor"] not in json.dumps(data)


async def test_other_link_types_are_kept_and_links_without_a_url_dropped(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "list_regional_desks", region="Capelle aan den IJssel")
    [desk] = structured(result)["desks"]
    assert desk["service_links"] == [
        {"type": "vacatures", "url": "https://onderwijsloket-rotterdam.example/vacatures"},
        {"type": "podcast", "url": "https://podcast.example.org/rotterdam"},
    ]
    assert desk["appointment_for_visit"] is False
    assert "(no appointment needed)" in text_of(result)


async def test_desk_without_consultations_or_office_says_so(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        groningen = await call(client, "list_regional_desks", region="Regioloket Groningen")
        city = await call(client, "list_regional_desks", region="Utrecht PO")
    data = structured(groningen)
    assert desk_ids(data) == [sd.DESK_GRONINGEN]
    assert data["desks"][0]["has_consultation_service"] is False
    assert "Consultations: not offered by this desk." in text_of(groningen)
    assert "Visit: no office to visit." in text_of(city)
    assert "### 1. Onderwijsloket Utrecht PO (primair onderwijs only)" in text_of(city)


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
    assert {d["id"] for d in everything["desks"] if d.get("nationwide")} == set(sd.NATIONWIDE_DESK_IDS)
    summary = f"{len(VISIBLE)} desks, 2 of them nationwide, alphabetical."
    assert everything["nationwide_total"] == 2 and everything["summary"] == summary
    assert summary in text_of(largest)
    assert desk_ids(first) + desk_ids(structured(page)) == desk_ids(everything)[:6]
    assert f"Showing 4–6 of {len(VISIBLE)} desks. Next page: call again with offset=6." in text_of(page)
    assert structured(page)["next_steps"] == ["Next page: call again with offset=6."]
    # Ten desks: their details are cut; the answer says how to see one of them in full.
    assert structured(default)["next_steps"][-1] == desks_module.DESK_DETAIL_STEP
    assert desks_module.DESK_DETAIL_STEP in text_of(default)
    assert len(text_of(default)) / 4 < 1500
    assert len(text_of(largest)) / 4 < 8000
    assert uuids_outside_id_lines(text_of(largest)) == set()


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


async def test_algolia_backend_answers_near_from_directus(
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
    here = desks_containing(*sd.OVERLAP_POINT)
    assert desk_ids(data) == local_first(i for i in here if sd.PO in junction_ids(DESKS_BY_ID[i], "sectors"))
    assert data["filters"] == {"sector": "primair onderwijs"}
    assert not algolia.requests
    # The sector list for the filter value, the _intersects request and the desk list (the last two once cached,
    # one: see test_near_costs_one_small_request_once_the_desk_list_is_cached).
    assert upstream_counts(caplog) == [3]


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
