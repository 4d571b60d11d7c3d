"""find_programs_near against the real Directus test stack (and the Algolia double).

Expected programmes and distances come from tests/stack/seed_data.py and the seed's own haversine, never
from the code under test; PostGIS itself is asked for ST_DistanceSphere.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from onderwijsloket_mcp.geo.geometry import haversine_km
from onderwijsloket_mcp.tools.navigator import find_programs_near as programs_module
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, Sample, call, connect, stack_settings, structured, text_of
from tests.tools.navigator.support import (
    DISTANCE_TOLERANCE_KM,
    clear_radius,
    expected_programs,
    form_names,
    json_twin,
    junction_ids,
    location_point,
    postgis_port,
    relative_gap,
    require_navigator_seed,
    sphere_distances_m,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

# The call of this tool every client and framework test makes (tests/support/inventory.py).
SAMPLE = Sample({"near": "Utrecht", "radius_km": 40})

UTRECHT = "Utrecht"


@pytest.fixture(autouse=True)
def _seeded(stack: StackInfo) -> None:
    require_navigator_seed(stack)


def assert_matches(data: dict[str, Any], expected: list[Any]) -> None:
    """Same programmes as the independent computation, nearest first, with agreeing distances."""
    hits = data["hits"]
    assert data["total"] == len(expected)
    assert {h["id"] for h in hits} == {e.id for e in expected}
    by_id = {e.id: e for e in expected}
    distances = [h["distance_km"] for h in hits]
    assert distances == sorted(distances)
    for hit in hits:
        assert abs(hit["distance_km"] - by_id[hit["id"]].distance_km) <= DISTANCE_TOLERANCE_KM, hit
        # The shown location is the nearest one (another at the same distance may stand in for it on a tie).
        location = hit["location"]
        assert (location["lng"], location["lat"]) == location_point(by_id[hit["id"]].location_id) or (
            abs(
                haversine_km(data["near"]["lat"], data["near"]["lng"], location["lat"], location["lng"])
                - hit["distance_km"]
            )
            <= DISTANCE_TOLERANCE_KM
        )
        assert "distance_km" not in location  # said once, on the hit
    # Ties (the same nearest site) aside, the order is the independent distance order.
    rounded = [round(by_id[h["id"]].distance_km, 3) for h in hits]
    assert rounded == sorted(rounded)


# ---------------------------------------------------------------------------------------------- near


@pytest.mark.parametrize("mode", MODES)
async def test_utrecht_40_km_returns_exactly_the_seeded_programmes_in_distance_order(
    stack: StackInfo, mode: Mode
) -> None:
    async with connect(stack_settings(stack), mode) as client:
        result = await call(client, "find_programs_near", near=UTRECHT, radius_km=40, limit=50)
    data = structured(result)
    near = data["near"]
    assert near["name"] == "Utrecht" and near["kind"] == "place"
    expected = expected_programs(near["lat"], near["lng"], 40)
    assert clear_radius(near["lat"], near["lng"], 40, margin_km=0.5)
    assert len(expected) >= 10
    assert_matches(data, expected)
    assert data["backend"] == "directus"

    hidden = set(sd.PROGRAM_HIDDEN)
    assert not hidden & {h["id"] for h in data["hits"]}  # other vendors and drafts stay invisible
    # Windesheim's Almere site (35 km from Utrecht) has no coordinates: its pabo is not "near".
    assert sd.PROGRAM_IDS["pabo-windesheim"] not in {h["id"] for h in data["hits"]}

    text = text_of(result)
    assert f"{len(expected)} programmes found" in text
    first = data["hits"][0]
    assert first["title"] in text and f"{first['distance_km']:.1f} km" in text
    assert "null" not in text and "None" not in text


async def test_each_hit_has_title_level_forms_institution_address_distance_and_link(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "find_programs_near", near=UTRECHT, radius_km=10, limit=50)
    data = structured(result)
    pabo = next(h for h in data["hits"] if h["id"] == sd.PROGRAM_PABO_HU)
    assert pabo["title"] == "Pabo – Leraar basisonderwijs"
    assert pabo["level"] == "bachelor"
    assert pabo["forms"] == ["voltijd", "deeltijd", "duaal"]
    assert pabo["institutions"] == ["Hogeschool Utrecht"]
    assert pabo["location"]["address"] == "Padualaan 97" and pabo["location"]["city"] == "Utrecht"
    assert pabo["link"] == "https://onderwijsloket.com/navigator/opleidingen/pabo-hu"
    text = text_of(result)
    line = next(block for block in text.split("\n\n") if "Pabo – Leraar basisonderwijs" in block)
    for part in (
        "bachelor",
        "voltijd, deeltijd, duaal",
        "Hogeschool Utrecht",
        "Padualaan 97, 3584 CH Utrecht",
    ):
        assert part in line
    assert re.search(r"— \d+\.\d km", line)
    assert "https://onderwijsloket.com/navigator/opleidingen/pabo-hu" in line

    # A programme taught at two sites in range is listed once, at the nearer one.
    academic = next(h for h in data["hits"] if h["id"] == sd.PROGRAM_IDS["academische-pabo"])
    assert academic["locations_in_range"] == 2
    location = academic["location"]
    assert (location["lng"], location["lat"]) == location_point(sd.LOCATION_IDS["uu-science-park"])


async def test_paging_says_the_total_and_how_to_continue(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        first = structured(await call(client, "find_programs_near", near=UTRECHT, radius_km=40, limit=4))
        page = await call(client, "find_programs_near", near=UTRECHT, radius_km=40, limit=4, offset=4)
        everything = structured(
            await call(client, "find_programs_near", near=UTRECHT, radius_km=40, limit=50)
        )
        past = await call(client, "find_programs_near", near=UTRECHT, radius_km=40, offset=400)
    second = structured(page)
    total = everything["total"]
    assert first["total"] == second["total"] == total
    assert [h["id"] for h in first["hits"] + second["hits"]] == [h["id"] for h in everything["hits"][:8]]
    assert f"Showing 5–8 of {total} programmes. Next page: call again with offset=8." in text_of(page)
    assert not past.is_error and f"only {total} in total" in text_of(past)


# ---------------------------------------------------------------------------------------------- radius


async def test_radius_edges_include_and_exclude_a_site_by_its_exact_distance(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        base = structured(await call(client, "find_programs_near", near=UTRECHT, radius_km=40, limit=50))
        near = base["near"]
        driestar = sd.PROGRAM_IDS["pabo-driestar"]
        lng, lat = location_point(sd.LOCATION_IDS["driestar-gouda"]) or (0.0, 0.0)
        exact = haversine_km(near["lat"], near["lng"], lat, lng)
        inside = structured(
            await call(client, "find_programs_near", near=UTRECHT, radius_km=round(exact + 0.02, 3), limit=50)
        )
        outside = structured(
            await call(client, "find_programs_near", near=UTRECHT, radius_km=round(exact - 0.02, 3), limit=50)
        )
    assert driestar in {h["id"] for h in inside["hits"]}
    assert driestar not in {h["id"] for h in outside["hits"]}
    assert inside["total"] == outside["total"] + 1


async def test_a_site_in_the_bounding_box_corner_but_outside_the_circle_is_excluded(stack: StackInfo) -> None:
    """The PostGIS box is only a pre-filter: a site beyond the radius in the box's corner must not count."""
    async with connect(stack_settings(stack)) as client:
        base = structured(await call(client, "find_programs_near", near=UTRECHT, radius_km=1, limit=50))
        lat0, lng0 = base["near"]["lat"], base["near"]["lng"]
        # VU Amsterdam: about 27 km north and 17 km west of Utrecht, 32 km away: in a 28 km box, not the circle.
        lng, lat = location_point(sd.LOCATION_IDS["vu-boelelaan"]) or (0.0, 0.0)
        north = haversine_km(lat0, lng0, lat, lng0)
        west = haversine_km(lat, lng0, lat, lng)
        radius = max(north, west) + 1.0
        assert haversine_km(lat0, lng0, lat, lng) > radius + 1.0
        result = structured(
            await call(client, "find_programs_near", near=UTRECHT, radius_km=radius, limit=50)
        )
    vu_programs = {
        p["id"] for p in sd.PROGRAMS if sd.LOCATION_IDS["vu-boelelaan"] in junction_ids(p, "locations")
    }
    assert vu_programs and not vu_programs & {h["id"] for h in result["hits"]}
    assert_matches(result, expected_programs(lat0, lng0, radius))


@pytest.mark.parametrize("radius", [0, 0.5, 250.5, 1000])
async def test_radius_outside_1_to_250_is_a_clear_error(stack: StackInfo, radius: float) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "find_programs_near", near=UTRECHT, radius_km=radius)
    assert result.is_error
    assert "radius_km" in text_of(result)


async def test_smallest_and_largest_radius_work(stack: StackInfo) -> None:
    lng, lat = location_point(sd.LOCATION_IDS["marnix"]) or (0.0, 0.0)
    async with connect(stack_settings(stack)) as client:
        small = structured(await call(client, "find_programs_near", near=f"{lat},{lng}", radius_km=1))
        large = structured(await call(client, "find_programs_near", near=UTRECHT, radius_km=250, limit=50))
    assert {h["id"] for h in small["hits"]} == {e.id for e in expected_programs(lat, lng, 1)}
    assert small["hits"][0]["distance_km"] == 0.0
    assert_matches(large, expected_programs(large["near"]["lat"], large["near"]["lng"], 250))


async def test_limit_above_50_is_refused(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "find_programs_near", near=UTRECHT, limit=51)
    assert result.is_error and "limit" in text_of(result)


# ---------------------------------------------------------------------------------------------- geocoding


async def test_postcode_and_alias_resolve_to_the_same_neighbourhood(stack: StackInfo) -> None:
    radius = 35  # no seeded site lies within 3 km of this radius from either point
    async with connect(stack_settings(stack)) as client:
        answers = {
            near: structured(await call(client, "find_programs_near", near=near, radius_km=radius, limit=50))
            for near in ("Den Bosch", "'s-Hertogenbosch", "5211", "5211 AB", "5211AB")
        }
    points = {near: (a["near"]["lat"], a["near"]["lng"]) for near, a in answers.items()}
    alias, official, postcode = points["Den Bosch"], points["'s-Hertogenbosch"], points["5211"]
    assert alias == official
    assert points["5211 AB"] == points["5211AB"] == postcode
    assert haversine_km(*alias, *postcode) < 3.0  # the postcode centroid lies in the same town
    for near, answer in answers.items():
        lat, lng = points[near]
        assert clear_radius(lat, lng, radius, margin_km=3.0)
        assert_matches(answer, expected_programs(lat, lng, radius))
    reference = [h["id"] for h in answers["Den Bosch"]["hits"]]
    assert reference and all([h["id"] for h in a["hits"]] == reference for a in answers.values())
    assert "'s-Hertogenbosch" in text_of(await _again(stack, "Den Bosch"))


async def _again(stack: StackInfo, near: str) -> Any:
    async with connect(stack_settings(stack)) as client:
        return await call(client, "find_programs_near", near=near, radius_km=40)


async def test_unknown_place_repeats_the_input_and_suggests_names(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "find_programs_near", near="Utrechtt")
    assert result.is_error
    text = text_of(result)
    assert "'Utrechtt'" in text and "Utrecht" in text.replace("'Utrechtt'", "")


async def test_ambiguous_place_takes_the_likeliest_and_names_the_alternatives(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "find_programs_near", near="Bergen", radius_km=100)
    data = structured(result)
    assert data["near"]["alternatives"], data["near"]
    text = text_of(result)
    assert data["near"]["alternatives"][0] in text and "also:" in text


# ---------------------------------------------------------------------------------------------- filters


def _has(program: dict[str, Any], relation: str, target_id: str) -> bool:
    return target_id in junction_ids(program, relation)


FILTER_CASES: list[tuple[dict[str, Any], Any]] = [
    ({"level": "master"}, lambda p: p["level"] == "master"),
    ({"qualification": "tweedegraads"}, lambda p: _has(p, "qualifications", sd.Q["tweedegraads"])),
    ({"role": "Leraar basisonderwijs"}, lambda p: _has(p, "roles", sd.R["leraar-basisonderwijs"])),
    ({"sector": "mbo"}, lambda p: _has(p, "sectors", sd.MBO)),
    ({"form": "duaal"}, lambda p: "duaal" in form_names(p)),
    ({"query": "wiskunde"}, lambda p: "wiskunde" in p["title"].lower()),
    ({"query": "Hogeschool Utrecht pabo"}, lambda p: p["id"] in {sd.PROGRAM_PABO_HU, sd.PROGRAM_IDS["academische-pabo"]}),
    ({"level": "bachelor", "form": "deeltijd", "sector": "po"},
     lambda p: p["level"] == "bachelor" and "deeltijd" in form_names(p) and _has(p, "sectors", sd.PO)),
]  # fmt: skip


@pytest.mark.parametrize(("arguments", "keep"), FILTER_CASES, ids=[str(c[0]) for c in FILTER_CASES])
async def test_filters_are_pushed_into_the_one_query(
    stack: StackInfo, arguments: dict[str, Any], keep: Any, caplog: pytest.LogCaptureFixture
) -> None:
    async with connect(stack_settings(stack)) as client:
        await call(client, "find_programs_near", near=UTRECHT, radius_km=5)  # warm the cached look-ups
        for name in ("qualification", "role", "sector"):
            if name in arguments:  # warm the taxonomy cache too
                await call(client, "find_programs_near", near=UTRECHT, radius_km=5, **{name: arguments[name]})
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="onderwijsloket_mcp.calls"):
            result = await call(
                client, "find_programs_near", near=UTRECHT, radius_km=80, limit=50, **arguments
            )
    data = structured(result)
    expected = expected_programs(data["near"]["lat"], data["near"]["lng"], 80, keep)
    assert expected, "the seed should have matches for this filter"
    assert_matches(data, expected)
    # One upstream request: the filters travel inside the locations query, nothing is fetched to filter here.
    counts = [int(m) for m in re.findall(r"upstream_requests=(\d+)", caplog.text)]
    assert counts == [1]


JSON_CALLS: list[dict[str, Any]] = [
    {"near": UTRECHT, "radius_km": 40, "limit": 50},
    {"near": UTRECHT, "radius_km": 250, "limit": 50},  # more locations in range than one id filter takes
    {"near": "Groningen", "radius_km": 10},
    {"near": "52.3,3.0", "radius_km": 5},  # nothing in range
    {"near": UTRECHT, "radius_km": 80, "level": "bachelor", "form": "deeltijd"},
]


async def test_when_location_geopoint_is_plain_json_distances_are_measured_locally(
    stack: StackInfo, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """On an API where location_geopoint is JSON, Directus refuses the bounding-box filter (INVALID_QUERY): the
    answers stay the same, from the points read once and measured here."""
    async with connect(stack_settings(stack)) as client:
        expected = [
            structured(await call(client, "find_programs_near", **arguments)) for arguments in JSON_CALLS
        ]
    monkeypatch.setattr(programs_module, "MAX_ID_FILTER", 3)
    with json_twin(stack, "locations", "location_geopoint", "location_geopoint_json"):
        monkeypatch.setattr(programs_module, "LOCATION_POINT", "location_geopoint_json")
        async with connect(stack_settings(stack)) as client:
            with caplog.at_level(logging.INFO):
                await call(client, "find_programs_near", near=UTRECHT, radius_km=5)  # meets the refusal
                assert "location_geopoint_json cannot be filtered on (INVALID_QUERY)" in caplog.text
                caplog.clear()
                answers = [
                    structured(await call(client, "find_programs_near", **arguments))
                    for arguments in JSON_CALLS
                ]
    assert answers == expected
    assert expected[0]["total"] > 3 and expected[2]["total"] and not expected[3]["total"]
    # Then one request per answer (none when nothing is in range; the wide radius without an id filter), and
    # the refusal is not met again.
    assert "cannot be filtered on" not in caplog.text
    assert [int(m) for m in re.findall(r"upstream_requests=(\d+)", caplog.text)] == [1, 1, 1, 0, 1]
    assert "location_geopoint_json" not in str(answers)


async def test_unknown_filter_values_list_the_valid_ones(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "find_programs_near", near=UTRECHT, qualification="vliegbrevet")
        level = await call(client, "find_programs_near", near=UTRECHT, level="hbo")
    assert result.is_error and "Unknown qualification 'vliegbrevet'" in text_of(result)
    assert "Tweedegraads bevoegdheid" in text_of(result)
    assert level.is_error and "level" in text_of(level) and "bachelor" in text_of(level)


async def test_no_match_says_so_and_how_to_widen(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "find_programs_near", near="Middelburg", radius_km=10)
    data = structured(result)
    assert data["total"] == 0 and data["hits"] == []
    assert "No programmes found within 10 km of Middelburg" in text_of(result)
    assert "radius_km" in text_of(result)


# ---------------------------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("mode", MODES)
async def test_content_token_gets_the_navigator_policy_error_not_an_empty_list(
    stack: StackInfo, mode: Mode
) -> None:
    async with connect(stack_settings(stack, "content"), mode) as client:
        result = await call(client, "find_programs_near", near=UTRECHT)
    assert result.is_error
    text = text_of(result)
    assert "Navigator" in text and "remi@onderwijsin.nl" in text and "not an empty result" in text


# ---------------------------------------------------------------------------------------------- PostGIS


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.floats(50.5, 53.7), st.floats(3.2, 7.3), st.floats(50.5, 53.7), st.floats(3.2, 7.3)),
        min_size=1,
        max_size=30,
    )
)
def test_our_distance_agrees_with_postgis_distance_sphere(
    stack: StackInfo, pairs: list[tuple[float, float, float, float]]
) -> None:
    port = postgis_port(stack)
    postgis = sphere_distances_m(port, pairs)
    for (lat1, lng1, lat2, lng2), metres in zip(pairs, postgis, strict=True):
        ours = haversine_km(lat1, lng1, lat2, lng2) * 1000
        if metres < 1.0:
            assert abs(ours - metres) < 0.01
        else:
            assert relative_gap(ours, metres) < 0.005


async def test_tool_distances_agree_with_postgis_on_the_stored_points(stack: StackInfo) -> None:
    port = postgis_port(stack)
    async with connect(stack_settings(stack)) as client:
        data = structured(await call(client, "find_programs_near", near=UTRECHT, radius_km=60, limit=50))
    lat, lng = data["near"]["lat"], data["near"]["lng"]
    from tests.tools.navigator.support import psql

    point = f"ST_SetSRID(ST_MakePoint({float(lng)!r}, {float(lat)!r}), 4326)"
    rows = psql(
        port,
        f"SELECT ST_Y(location_geopoint), ST_X(location_geopoint), ST_DistanceSphere(location_geopoint, {point}) "  # noqa: S608
        "FROM locations WHERE location_geopoint IS NOT NULL",
    )
    # Every stored point by its coordinates, which the hits report exactly as stored.
    postgis_km = {(round(float(y), 6), round(float(x), 6)): float(km) / 1000 for y, x, km in rows}
    for hit in data["hits"]:
        exact = postgis_km[(round(hit["location"]["lat"], 6), round(hit["location"]["lng"], 6))]
        assert abs(hit["distance_km"] - exact) <= 0.05 + exact * 0.005, (hit["title"], exact)


# ---------------------------------------------------------------------------------------------- Algolia


@pytest.fixture
def algolia_settings(stack: StackInfo, algolia: AlgoliaDouble) -> Any:
    return stack_settings(stack, search_backend="auto", algolia_host=algolia.url)


@pytest.mark.usefixtures("stack")
async def test_algolia_path_answers_utrecht_40_km_the_same_in_one_multi_query(
    algolia: AlgoliaDouble,
    algolia_settings: Any,
) -> None:
    async with connect(algolia_settings) as client:
        result = await call(client, "find_programs_near", near=UTRECHT, radius_km=40, limit=50)
    data = structured(result)
    assert data["backend"] == "algolia"
    assert_matches(data, expected_programs(data["near"]["lat"], data["near"]["lng"], 40))
    searches = [r for r in algolia.requests if r.queries]
    assert len(searches) == 1
    (programs_index, programs), (locations_index, locations) = searches[0].queries
    assert (programs_index, locations_index) == ("programs", "locations")
    for params in (programs, locations):
        assert params["aroundRadius"] == 40000 and params["getRankingInfo"] is True
        lat, lng = (float(x) for x in params["aroundLatLng"].split(","))
        assert abs(lat - data["near"]["lat"]) < 1e-5 and abs(lng - data["near"]["lng"]) < 1e-5
    assert locations["filters"] == "has_programs:true"


async def test_algolia_path_filters_by_facets_and_matches_directus(
    stack: StackInfo,
    algolia: AlgoliaDouble,
    algolia_settings: Any,
) -> None:
    arguments = {"near": UTRECHT, "radius_km": 80, "limit": 50, "level": "bachelor", "sector": "po"}
    async with connect(algolia_settings) as client:
        via_algolia = structured(await call(client, "find_programs_near", **arguments))
    async with connect(stack_settings(stack)) as client:
        via_directus = structured(await call(client, "find_programs_near", **arguments))
    assert via_algolia["backend"] == "algolia" and via_directus["backend"] == "directus"
    assert [h["id"] for h in via_algolia["hits"]] == [h["id"] for h in via_directus["hits"]]
    assert [h["distance_km"] for h in via_algolia["hits"]] == [h["distance_km"] for h in via_directus["hits"]]
    programs = next(r for r in algolia.requests if r.queries).queries[0][1]
    assert programs["filters"] == 'level:"bachelor" AND sectors.title:"primair onderwijs"'


@pytest.mark.usefixtures("stack")
async def test_algolia_path_falls_back_to_directus_for_the_form_filter_and_outages(
    algolia: AlgoliaDouble,
    algolia_settings: Any,
) -> None:
    async with connect(algolia_settings) as client:
        form = structured(await call(client, "find_programs_near", near=UTRECHT, radius_km=40, form="duaal"))
        algolia.set_down(True)
        down = structured(await call(client, "find_programs_near", near=UTRECHT, radius_km=40, limit=50))
    assert form["backend"] == "directus" and form["total"] > 0
    assert down["backend"] == "directus"
    assert_matches(down, expected_programs(down["near"]["lat"], down["near"]["lng"], 40))


async def test_answers_stay_within_the_size_budgets(stack: StackInfo) -> None:
    async with connect(stack_settings(stack)) as client:
        default = await call(client, "find_programs_near", near=UTRECHT, radius_km=250)
        largest = await call(client, "find_programs_near", near=UTRECHT, radius_km=250, limit=50)
    assert len(structured(default)["hits"]) == 10
    assert len(text_of(default)) / 4 < 1500
    assert len(text_of(largest)) / 4 < 8000
