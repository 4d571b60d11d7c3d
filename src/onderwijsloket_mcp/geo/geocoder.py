"""Dutch place names, postcodes and coordinates -> latitude/longitude, offline first.

The Onderwijsloket API has no geocoder, so "within 40 km of Utrecht" needs this step. Everything is answered
from the offline gazetteer (:mod:`.gazetteer`); the PDOK Locatieserver is asked only when it is enabled and the
offline data does not know the text (street addresses, six-character postcodes that are not in the data, rare
hamlets).
"""

from __future__ import annotations

import bisect
import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any, Literal

import httpx

from ..config import DEFAULT_PDOK_URL
from ..errors import InvalidInputError
from ..upstream.cache import TTLCache
from ..upstream.fetch import (
    MIB,
    Answer,
    NestingTooDeepError,
    ResponseTooLargeError,
    UnreadableAnswerError,
    describe_size,
    fetch,
)
from ..upstream.usage import count_upstream_request
from .gazetteer import (
    PROVINCE_ALIASES,
    Gazetteer,
    Place,
    PlaceKind,
    load_gazetteer,
    place_key,
)

MAX_QUERY_LENGTH = 200

USAGE_HINT = "Use a Dutch place or municipality name, a postcode like 3511 or 3511 AB, or 'lat,lng'."


def _did_you_mean(suggestions: Iterable[str]) -> str:
    listed = ", ".join(suggestions)
    return f" Did you mean: {listed}?" if listed else ""


Source = Literal["offline", "pdok", "coordinates"]


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
            province = PROVINCE_ALIASES.get(" ".join(tokens[-size:]))
            if province is not None:
                return " ".join(tokens[:-size]), province
    return None


_MUNICIPALITY_PREFIXES = ("gemeente ", "gem ")


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
        area = load_gazetteer().postcodes.get(digits)
        if area is None:
            return None
        place = replace(area, detail=f"approximated by the centre of postcode area {digits}")
        return GeocodeResult(query=query, place=place, alternatives=(), source="offline")

    def geocode_offline(self, text: str) -> GeocodeResult:
        """The offline part of :meth:`geocode` (no coordinates parsing, never touches the network)."""
        query = text.strip()
        gazetteer = load_gazetteer()
        postcode = _POSTCODE.match(query)
        if postcode is not None:
            return self._postcode(gazetteer, query, postcode["digits"], postcode["letters"])

        key = place_key(query)
        if not key:
            raise GeocodingError(
                f"Unknown place '{query}': it contains no letters or digits we can look up. {USAGE_HINT}",
                query=query,
                online_may_help=False,
            )
        result = self._by_name(gazetteer, query, key)
        if result is not None:
            return result
        province = PROVINCE_ALIASES.get(key)
        if province is not None and len(key) > 3:
            raise GeocodingError(
                f"'{query}' is a province ({province}), not a place: name a place or municipality in it, "
                f"e.g. its capital. {USAGE_HINT}",
                query=query,
                online_may_help=False,
            )
        suggestions = self._suggest_corrections(gazetteer, key)
        did_you_mean = _did_you_mean(suggestions)
        raise GeocodingError(
            f"Unknown place '{query}'.{did_you_mean} {USAGE_HINT}", query=query, suggestions=suggestions
        )

    def _postcode(self, gazetteer: Gazetteer, query: str, digits: str, letters: str | None) -> GeocodeResult:
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
            place = replace(
                place,
                detail=f"{place.detail}: centroid of the 4-digit area; {full} itself is not in the offline data",
            )
        return GeocodeResult(query=query, place=place, alternatives=(), source="offline")

    @staticmethod
    def _nearby_postcodes(gazetteer: Gazetteer, digits: str) -> list[str]:
        keys = gazetteer.postcode_keys
        at = bisect.bisect_left(keys, digits)
        return keys[max(0, at - 2) : at + 2]

    def _by_name(self, gazetteer: Gazetteer, query: str, key: str) -> GeocodeResult | None:
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
    def _municipality(gazetteer: Gazetteer, query: str, municipality: tuple[str, int]) -> GeocodeResult:
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
    def _choose(gazetteer: Gazetteer, query: str, found: list[int], *, province: str | None) -> GeocodeResult:
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
    def _suggest_corrections(gazetteer: Gazetteer, key: str, limit: int = 5) -> list[str]:
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
        gazetteer = load_gazetteer()
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
        key = place_key(raw)
        if not key:
            refs = sorted(range(len(gazetteer.places)), key=gazetteer.rank)[: limit * 2]
        else:
            refs = self._prefix_refs(gazetteer.prefix_primary, key)
            if len(refs) < limit:
                extra = self._prefix_refs(gazetteer.prefix_alternate, key)
                refs += extra  # the set below drops the repeats
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
        cache_key = place_key(query) or query
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
        except ResponseTooLargeError as error:
            size = describe_size(error.limit)
            what = f"answered with data larger than {size} (ONDERWIJSLOKET_MAX_RESPONSE_MB)"
            raise self._online_failed(query, offline_error, what) from None
        except httpx.HTTPError as error:
            raise self._online_failed(query, offline_error, f"failed ({type(error).__name__})") from None
        except NestingTooDeepError:
            raise self._online_failed(
                query, offline_error, "answered JSON nested too deeply to read"
            ) from None
        except (ValueError, UnreadableAnswerError):
            raise self._online_failed(query, offline_error, "answered something that is not JSON") from None

        places = self._parse_pdok(payload)
        if places is None:
            raise self._online_failed(query, offline_error, "answered in an unexpected shape")
        if not places:
            suggestions = offline_error.suggestions
            did_you_mean = _did_you_mean(suggestions)
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
        did_you_mean = _did_you_mean(suggestions)
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
