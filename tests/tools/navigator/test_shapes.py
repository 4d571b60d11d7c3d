"""Navigator tools against data shapes the test stack does not have (HTTP-mocked Directus, no stack needed).

The schema's undocumented fields (tests/stack/ASSUMPTIONS.md: ``program_forms.form``/``title``, the
``programs.locations``/``roles``/``sectors`` relations) may be absent in production; unreadable related items
arrive as ``null``; an instance may cap page sizes. None of that may crash a tool or leak "None" into text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.geo.geometry import polygon_rings
from onderwijsloket_mcp.tools.navigator._desks import desk_row, is_nationwide, opening_hours_text, string_list
from onderwijsloket_mcp.tools.navigator.list_regional_desks import (
    DeskListResult,
    advice_call,
    format_desk_list,
    guidance,
    match_region,
)
from tests.support.client import call, connect, text_of

pytestmark = pytest.mark.anyio

BASE = "http://directus.test"
SITE = "https://onderwijsloket.com"

PROGRAM = {
    "id": "p-1",
    "title": "Pabo",
    "path": "/navigator/opleidingen/pabo",
    "level": "bachelor",
    "educational_institutions": [
        {
            "educational_institutions_id": {
                "id": "i-1",
                "title": "Hogeschool X",
                "path": None,
                "type": "hogeschool",
            }
        },
        {"educational_institutions_id": None},  # another vendor's institution: unreadable
    ],
    "program_forms": [
        {"id": "f-1", "track": {"name": "Deeltijd lerarenopleiding"}},
        {"id": "f-2", "track": None},
    ],
}


def location(
    key: str, lat: float | None, lng: float | None, programs: list[Any], **extra: Any
) -> dict[str, Any]:
    return {
        "id": key,
        "title": f"Site {key}",
        "address": extra.get("address"),
        "zip": None,
        "city": extra.get("city", "Utrecht"),
        "location_geopoint": None if lat is None else {"type": "Point", "coordinates": [lng, lat]},
        "programs": [{"programs_id": p} for p in programs],
    }


LOCATIONS = [
    location("a", 52.0888, 5.1365, [PROGRAM, None], address="Straat 1"),  # ~1 km; one unreadable programme
    location("b", None, None, [PROGRAM]),  # no coordinates
    location("c", 52.37, 4.90, [PROGRAM]),  # 35 km: the same programme farther away
    location("d", 52.10, 5.13, [{"id": "p-2", "title": None}]),  # nameless programme: not a result
    {"id": "e", "location_geopoint": "garbage", "programs": "garbage"},
]


class FakeDirectus:
    """A Directus whose schema lacks the undocumented fields; records what was asked."""

    def __init__(self, *, page_cap: int | None = None) -> None:
        self.page_cap = page_cap
        self.refuse_probe = False  # answer the one-request field probe FORBIDDEN (a guessed relation missing)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path
        params = request.url.params
        sample = params.get("fields") == "*" and params.get("limit") == "1"
        probe = params.get("limit") == "1" and "programs.programs_id.*" in params.get("fields", "")
        if probe and self.refuse_probe:
            return self.forbidden()
        if path == "/items/programs" and sample:
            # No locations/roles/sectors relations in this schema.
            return self.data(
                [{"id": "p-1", "title": "Pabo", "program_forms": [1], "educational_institutions": [1]}]
            )
        if path == "/items/program_forms" and sample:
            return self.data(
                [{"id": "f-1", "url": None, "track": 1, "description": None}]
            )  # no form, no title
        if path == "/items/locations" and sample:
            return self.data([{"id": "a", "title": "Site", "programs": [1]}])
        if path == "/items/locations":
            items = LOCATIONS
            offset = int(params.get("offset", "0"))
            if self.page_cap is not None:
                items = items[offset : offset + self.page_cap]
            return self.data(items, meta={"filter_count": str(len(LOCATIONS))})
        if path == "/items/programs/p-1":
            return httpx.Response(200, json={"data": {**PROGRAM, "description": None, "degree": None}})
        if path == "/items/roles":
            return self.data([{"id": "r-1", "name": "Leraar basisonderwijs"}])
        return self.forbidden()

    @staticmethod
    def forbidden() -> httpx.Response:
        return httpx.Response(
            403, json={"errors": [{"message": "Forbidden", "extensions": {"code": "FORBIDDEN"}}]}
        )

    @staticmethod
    def data(items: list[Any], meta: dict[str, Any] | None = None) -> httpx.Response:
        body: dict[str, Any] = {"data": items}
        if meta:
            body["meta"] = meta
        return httpx.Response(200, json=body)

    def fields_of(self, path: str) -> list[str]:
        return [
            field
            for r in self.requests
            if r.url.path == path and r.url.params.get("limit") != "1"
            for field in r.url.params.get("fields", "").split(",")
        ]


@pytest.fixture
def directus() -> Iterator[FakeDirectus]:
    fake = FakeDirectus()
    with respx.mock(assert_all_called=False) as router:
        router.route(host="directus.test").mock(side_effect=fake)
        yield fake


def settings() -> Settings:
    return Settings(
        token=SecretStr("t0ken-for-tests"), api_url=BASE, search_backend="directus", max_retries=0
    )


async def test_form_filter_without_a_form_field_is_a_clear_error(directus: FakeDirectus) -> None:
    async with connect(settings()) as client:
        result = await call(client, "find_programs_near", near="Utrecht", form="duaal")
    assert result.is_error
    text = text_of(result)
    assert "form='duaal'" in text and "does not record the study form" in text and "without 'form'" in text
    assert not directus.fields_of("/items/locations")  # refused before the search itself


@pytest.mark.usefixtures("directus")
async def test_role_filter_without_the_roles_relation_is_a_clear_error() -> None:
    async with connect(settings()) as client:
        result = await call(client, "find_programs_near", near="Utrecht", role="Leraar basisonderwijs")
    assert result.is_error and "does not record the roles of programmes" in text_of(result)


async def test_search_without_optional_fields_skips_nulls_and_unlocated_sites(directus: FakeDirectus) -> None:
    async with connect(settings()) as client:
        result = await call(client, "find_programs_near", near="Utrecht", radius_km=50)
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data is not None
    [hit] = data["hits"]
    assert hit["id"] == "p-1" and hit["location"]["address"] == "Straat 1"
    assert hit["locations_in_range"] == 2  # a and c; b has no coordinates
    assert hit["forms"] == ["Deeltijd lerarenopleiding"]  # no form field: the track names the variant
    assert hit["institutions"] == ["Hogeschool X"]
    fields = directus.fields_of("/items/locations")
    assert "programs.programs_id.program_forms.track.name" in fields
    assert not [f for f in fields if f.endswith(("program_forms.form", "program_forms.title"))]
    text = text_of(result)
    assert "None" not in text and "null" not in text and "Straat 1, Utrecht" in text


async def test_a_refused_field_probe_is_not_sent_again(directus: FakeDirectus) -> None:
    directus.refuse_probe = True
    async with connect(settings()) as client:
        for _ in range(3):
            result = await call(client, "find_programs_near", near="Utrecht", radius_km=50)
            assert not result.is_error, text_of(result)
    probes = [
        r
        for r in directus.requests
        if r.url.params.get("limit") == "1" and "programs.programs_id.*" in r.url.params.get("fields", "")
    ]
    assert len(probes) == 1  # refused, and remembered as such for the cache period
    samples = [r.url.path for r in directus.requests if r.url.params.get("fields") == "*"]
    assert sorted(samples) == ["/items/locations", "/items/program_forms", "/items/programs"]  # once each


async def test_capped_page_sizes_are_followed_to_the_end(directus: FakeDirectus) -> None:
    directus.page_cap = 2
    async with connect(settings()) as client:
        result = await call(client, "find_programs_near", near="Utrecht", radius_km=50)
    offsets = sorted(
        int(r.url.params.get("offset", "0"))
        for r in directus.requests
        if r.url.path == "/items/locations" and r.url.params.get("limit") != "1"
    )
    assert offsets == [0, 2, 4]
    assert result.structured_content and result.structured_content["hits"][0]["locations_in_range"] == 2


async def test_get_program_asks_only_for_relations_this_api_has(directus: FakeDirectus) -> None:
    async with connect(settings()) as client:
        result = await call(client, "get_program", id="p-1")
    assert not result.is_error, text_of(result)
    fields = directus.fields_of("/items/programs/p-1")
    assert "program_forms.*" in fields
    assert not [f for f in fields if f.split(".")[0] in ("locations", "roles", "sectors", "qualifications")]
    text = text_of(result)
    assert "No teaching locations are recorded" in text
    assert "#### Deeltijd lerarenopleiding" in text
    assert "None" not in text and "null" not in text


@pytest.mark.usefixtures("directus")
async def test_a_forbidden_search_is_the_navigator_error() -> None:
    async with connect(settings()) as client:
        result = await call(client, "list_regional_desks", near="Utrecht")
    assert result.is_error and "'Navigator' policy" in text_of(result)


SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.0, 52.0], [5.2, 52.0], [5.2, 52.2], [5.0, 52.2], [5.0, 52.0]]],
}


# ---------------------------------------------------------------------------------------------- desks


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (["Utrecht", " Zeist ", "", None, "Utrecht"], ["Utrecht", "Zeist"]),
        ('["Gouda", "Woerden"]', ["Gouda", "Woerden"]),
        ("Gouda, Woerden", ["Gouda", "Woerden"]),
        ("Gouda, Woerden, ", ["Gouda", "Woerden"]),  # cities_municipalities as the API has it
        (" , ", []),
        (None, []),
        (42, []),
    ],
)
def test_string_arrays_in_any_shape(value: object, expected: list[str]) -> None:
    assert string_list(value) == expected


def test_region_matching_prefers_exact_names_over_partial_ones() -> None:
    from onderwijsloket_mcp.tools.navigator._desks import Desk

    a = Desk(id="a", title="Loket Zwolle", link="x", cities_municipalities=["Zwolle", "Kampen"])
    b = Desk(id="b", title="Loket Oost", link="x", regions=["Regio Zwolle-Oost"])
    assert match_region([a, b], "zwolle") == [a]
    assert match_region([a, b], "zwolle-oost") == [b]
    assert match_region([a, b], "ZWOLLE OOST") == [b]
    assert match_region([a, b], "zw") == []
    assert match_region([a, b], "Kämpen") == [a]


# ---------------------------------------------------------------------------------------------- desk areas

DESK_ROWS: list[dict[str, Any]] = [
    {
        "id": "centre",
        "title": "Loket Midden",
        "area": {
            "id": "a2",
            "title": "Alleen een midden",
            "area_center": {"type": "Point", "coordinates": [5.5, 52.5]},
            "area_bounds": None,
        },
    },
    {
        "id": "poly",
        "title": "Loket Vlak",
        "area": {"id": "a1", "title": "Vierkant", "area_center": None, "area_bounds": SQUARE},
    },
    {
        "id": "empty",
        "title": "Loket Leeg",
        "area": {"id": "a3", "title": None, "area_center": None, "area_bounds": None},
    },
    {
        "id": "garbage",
        "title": "Loket Rommel",
        "area": {
            "id": "a4",
            "area_center": "garbage",
            "area_bounds": {"type": "Polygon", "coordinates": "x"},
        },
    },
    {"id": "no-area", "title": "Loket Zonder", "area": None},
    {"id": "unreadable-area", "title": "Loket Verborgen", "area": "a5"},
    {"id": None, "title": "No id"},
]


@pytest.mark.parametrize("backend", ["directus", "algolia"])
async def test_desks_near_measures_polygons_then_centres_and_skips_desks_without_either(
    backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No area contains the point: polygons are measured to their edge, areas without one to their centre;
    desks with no (readable) area or no usable geometry are left out. Algolia, even when configured, is not
    asked: all of it is two Directus requests."""
    asked: list[httpx.Request] = []
    searched: list[Any] = []

    async def no_algolia(_: Any, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        searched.append(requests)
        raise AssertionError("Algolia was asked")

    monkeypatch.setattr("onderwijsloket_mcp.upstream.algolia.AlgoliaSearch.search", no_algolia)

    def directus(request: httpx.Request) -> httpx.Response:
        asked.append(request)
        contained = "_intersects" in request.url.params.get("filter", "")
        return FakeDirectus.data([] if contained else DESK_ROWS)

    config = settings().model_copy(
        update={"search_backend": backend, "algolia_api_key": SecretStr("algolia-key-for-tests")}
    )
    with respx.mock(assert_all_called=False) as router:
        router.route(host="directus.test", path="/items/regional_education_desks").mock(side_effect=directus)
        others = router.route().mock(return_value=httpx.Response(500))
        async with connect(config) as client:
            result = await call(client, "list_regional_desks", near="52.1,4.0")
    assert not result.is_error, text_of(result)
    data = result.structured_content
    assert data is not None
    assert data["backend"] == "directus" and data["contained"] is False
    assert [d["id"] for d in data["desks"]] == ["poly", "centre"]
    distances = [d["area"]["distance_km"] for d in data["desks"]]
    assert 60 < distances[0] < distances[1]
    assert len(asked) == 2 and not others.calls and not searched
    text = text_of(result)
    assert "None" not in text and "null" not in text


# ---------------------------------------------------------------------------------------------- desk shapes


def hours(**days: tuple[object, object]) -> dict[str, object]:
    item: dict[str, object] = {"id": "6f1c0a7e-0000-4000-8000-000000000001"}
    for day, (start, end) in days.items():
        item[f"{day}_start"], item[f"{day}_end"] = start, end
    return item


WORKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (hours(**dict.fromkeys(WORKDAYS, ("09:00:00", "17:00:00"))), "ma–vr 09:00–17:00"),
        (
            hours(**dict.fromkeys(WORKDAYS, ("09:00:00", "17:00:00")), saturday=("10:00:00", "12:00:00")),
            "ma–vr 09:00–17:00; za 10:00–12:00",
        ),
        (
            hours(
                monday=("9:00", "17:00"),
                tuesday=("13:00", "20:00"),
                wednesday=("09:00", "17:00"),
                friday=("09:00:00", "17:00:00"),
                saturday=("10:00", "12:00"),
                sunday=("10:00", "12:00"),
            ),
            "ma, wo, vr 09:00–17:00; di 13:00–20:00; za–zo 10:00–12:00",
        ),
        (hours(monday=("09:00:00", None), tuesday=(None, "12:30:00")), "ma vanaf 09:00; di tot 12:30"),
        # Equal start and end, nonsense and out-of-range times are no opening hours.
        (hours(monday=("00:00:00", "00:00:00"), tuesday=("noon", "25:00"), wednesday=(9, 17)), None),
        (hours(), None),
        # Not expanded, or not readable: Directus hands out the id. A person must not see it.
        ("6f1c0a7e-0000-4000-8000-000000000001", None),
        (None, None),
        ([], None),
    ],
)
def test_opening_hours_are_compact_dutch_with_equal_days_grouped(value: object, expected: str | None) -> None:
    assert opening_hours_text(value) == expected


NL_HULL = {
    "type": "Polygon",
    "coordinates": [
        [
            [3.3, 51.3],
            [5.6, 50.7],
            [6.2, 50.75],
            [7.3, 52.2],
            [7.3, 53.55],
            [4.9, 53.55],
            [4.05, 51.95],
            [3.3, 51.3],
        ]
    ],
}
RANDSTAD = {
    "type": "Polygon",
    "coordinates": [[[4.0, 51.8], [5.3, 51.8], [5.3, 52.5], [4.0, 52.5], [4.0, 51.8]]],
}


@pytest.mark.parametrize(
    ("names", "bounds", "expected"),
    [
        (["Landelijk Groen"], None, True),  # the name says so, whatever the area
        (["Loket X", "LANDELIJK"], RANDSTAD, True),
        (["Loket Heel Nederland"], None, True),
        (["Loket Vakmensen"], NL_HULL, True),  # the area covers the country's corners
        (["Regio Randstad"], RANDSTAD, False),  # a big area, but only one corner region
        (["Onderwijsregio Utrecht"], SQUARE, False),
        (["Buitenlandelijke regio"], None, False),  # a word containing "landelijk" is not the word
        ([], None, False),
    ],
)
def test_nationwide_is_decided_by_name_or_by_covering_the_corners_of_the_country(
    names: list[str], bounds: object, expected: bool
) -> None:
    assert is_nationwide(names, polygon_rings(bounds)) is expected


def test_a_desk_in_odd_shapes_never_shows_ids_or_none() -> None:
    """Unexpanded relations (ids), JSON given as text, unknown link types, links without a URL."""
    item = {
        "id": "d-1",
        "title": "Loket Vreemd",
        "path": None,
        "phone": "010 000 00 00",
        "phone_availability": "6f1c0a7e-0000-4000-8000-000000000001",
        "location": "6f1c0a7e-0000-4000-8000-000000000002",
        "area": "6f1c0a7e-0000-4000-8000-000000000003",
        "cities_municipalities": "Delft, Rijswijk, ",
        "regions": '["Regio Delft"]',
        "service_links": json.dumps(
            [
                {
                    "url": "https://vacatures.example.org",
                    "type": "vacatures",
                    "domain": "vacatures.example.org",
                },
                {"url": "https://vacatures.example.org", "type": "vacatures"},  # repeated
                {"url": None, "type": "matching"},
                {"url": "javascript:alert(1)", "type": "zij-instroom"},
                "not a link",
                {"url": "https://anders.example.org", "type": None},
            ]
        ),
        "has_physical_location": True,
        "appointment_for_visit": "yes",
        "sectors": [{"sectors_id": None}, {"sectors_id": {"id": "s1", "title": "primair onderwijs"}}],
        "has_consultation_service": None,
    }
    row = desk_row(item, SITE)
    assert row is not None
    desk = row.desk
    assert desk.phone_availability is None and desk.office is None and desk.area is None
    assert desk.cities_municipalities == ["Delft", "Rijswijk"] and desk.regions == ["Regio Delft"]
    assert [(link.type, link.url) for link in desk.service_links] == [
        ("vacatures", "https://vacatures.example.org"),
        (None, "https://anders.example.org"),
    ]
    assert desk.appointment_for_visit is None and desk.sector_specific is True and not desk.nationwide
    result = guidance(
        DeskListResult(
            mode="all", backend="directus", total=1, summary="", desks=[desk], advice_call=advice_call(SITE)
        ),
        SITE,
    )
    text = format_desk_list(result)
    assert "6f1c0a7e" not in text and "None" not in text and "null" not in text
    assert "Phone: 010 000 00 00\n" in text
    assert "Visit: has an office" in text
    assert "Links: [vacatures](https://vacatures.example.org) · [link](https://anders.example.org)" in text
    dumped = json.dumps(result.model_dump(mode="json", exclude_none=True))
    assert "6f1c0a7e" not in dumped
