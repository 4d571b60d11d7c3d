"""What the Navigator tools (programmes, regional desks) share: places, GeoJSON, distances, access errors.

Distances are ours: the API stores points and polygons but computes no distances. Every distance uses the
sphere PostGIS ``ST_DistanceSphere`` uses (see :func:`geocoding.haversine_km`), so our numbers and the
database's agree to rounding.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from ..config import EXTRA_ACCESS_CONTACT
from ..errors import PermissionDeniedError
from ..services import Services

# Public pages used when an item has no path of its own.
PROGRAMS_PAGE = "/navigator/opleidingen"
DESKS_PAGE = "/navigator/regioloketten"
# The national advice call (reference §8.1): with an advisor of Onderwijsloket itself, not of a regional desk.
ADVICE_CALL_URL = "https://savvycal.com/onderwijsloket/plan-een-adviesgesprek"

Point = tuple[float, float]  # (lat, lng)
# One degree of latitude on the sphere of geocoding.haversine_km (R = 6370.986 km).
KM_PER_DEGREE = 6370.986 * math.pi / 180


class ResolvedPlace(BaseModel):
    """Where a ``near`` argument was resolved to."""

    query: str
    name: str
    lat: float
    lng: float
    kind: str
    province: str | None = None
    detail: str | None = None
    source: str
    alternatives: list[str] = Field(default_factory=list)
    # Used to word the markdown only; never part of the structured result, so not in its schema either.
    note: SkipJsonSchema[str] = Field(default="", exclude=True)


async def resolve_near(svc: Services, near: str) -> ResolvedPlace:
    """Geocode ``near`` (place, municipality, alias, postcode or "lat,lng"); unknown text raises with suggestions."""
    result = await svc.geocoder.geocode(near)
    place = result.place
    return ResolvedPlace(
        query=result.query,
        name=place.name,
        lat=place.lat,
        lng=place.lng,
        kind=place.kind,
        province=place.province,
        detail=place.detail,
        source=result.source,
        alternatives=[alt.label for alt in result.alternatives],
        note=result.note,
    )


# --------------------------------------------------------------------------------------------------------
# GeoJSON


def geojson_point(lat: float, lng: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lng, lat]}


def bbox_polygon(bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """GeoJSON Polygon of ``(min_lng, min_lat, max_lng, max_lat)`` (counter-clockwise, closed)."""
    min_lng, min_lat, max_lng, max_lat = bbox
    ring = [
        [min_lng, min_lat],
        [max_lng, min_lat],
        [max_lng, max_lat],
        [min_lng, max_lat],
        [min_lng, min_lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _geometry(value: object) -> Mapping[str, Any] | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, Mapping) else None


def _lng_lat(value: object) -> Point | None:
    """(lat, lng) from a GeoJSON position ``[lng, lat]``; None when it is not a finite, valid position."""
    if not isinstance(value, Sequence) or isinstance(value, str) or len(value) < 2:
        return None
    lng, lat = value[0], value[1]
    if isinstance(lng, bool) or isinstance(lat, bool) or not isinstance(lng, int | float):
        return None
    if not isinstance(lat, int | float):
        return None
    lat_f, lng_f = float(lat), float(lng)
    if not (math.isfinite(lat_f) and math.isfinite(lng_f)) or abs(lat_f) > 90 or abs(lng_f) > 180:
        return None
    return (lat_f, lng_f)


def point_of(value: object) -> Point | None:
    """(lat, lng) of a GeoJSON Point (dict or JSON text, ``[lng, lat]`` order); None for anything else."""
    geometry = _geometry(value)
    if geometry is None or geometry.get("type") != "Point":
        return None
    return _lng_lat(geometry.get("coordinates"))


def _polygons(value: object) -> list[list[list[Point]]]:
    """Polygons of a GeoJSON Polygon or MultiPolygon, each as rings of (lat, lng): outer ring first."""
    geometry = _geometry(value)
    if geometry is None:
        return []
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    polygons: list[Any]
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon" and isinstance(coordinates, list):
        polygons = coordinates
    else:
        return []
    out: list[list[list[Point]]] = []
    for polygon in polygons:
        if not isinstance(polygon, list):
            continue
        rings: list[list[Point]] = []
        for ring in polygon:
            if not isinstance(ring, list):
                continue
            points = [p for p in (_lng_lat(position) for position in ring) if p is not None]
            if len(points) >= 3:
                rings.append(points)
        if rings:
            out.append(rings)
    return out


def polygon_rings(value: object) -> list[list[Point]]:
    """Rings of a GeoJSON Polygon or MultiPolygon as (lat, lng) lists; outer ring first per polygon."""
    return [ring for polygon in _polygons(value) for ring in polygon]


def area_km2(value: object) -> float | None:
    """Surface of a (Multi)Polygon in km² (holes subtracted); None without rings.

    An equirectangular projection around the mean latitude: a few tenths of a percent off at the scale of the
    Netherlands, plenty to tell a city's area from a province's or the whole country's.
    """
    polygons = _polygons(value)
    if not polygons:
        return None
    lats = [lat for polygon in polygons for ring in polygon for lat, _ in ring]
    x_km = math.cos(math.radians(sum(lats) / len(lats))) * KM_PER_DEGREE

    def shoelace(ring: Sequence[Point]) -> float:
        total = 0.0
        for (lat1, lng1), (lat2, lng2) in zip(ring, [*ring[1:], ring[0]], strict=True):
            total += lng1 * x_km * lat2 * KM_PER_DEGREE - lng2 * x_km * lat1 * KM_PER_DEGREE
        return abs(total) / 2

    return sum(
        max(0.0, shoelace(outer) - sum(shoelace(hole) for hole in holes)) for outer, *holes in polygons
    )


# --------------------------------------------------------------------------------------------------------
# Distances


def distance_km(a: Point, b: Point) -> float:
    from ..geocoding import haversine_km

    return haversine_km(a[0], a[1], b[0], b[1])


def inside_rings(point: Point, rings: Sequence[Sequence[Point]]) -> bool:
    """Even-odd rule over all rings (holes and multipolygon parts included), planar in lng/lat like PostGIS."""
    lat, lng = point
    inside = False
    for ring in rings:
        count = len(ring)
        for i in range(count):
            lat1, lng1 = ring[i]
            lat2, lng2 = ring[(i + 1) % count]
            if (lat1 > lat) != (lat2 > lat):
                crossing = lng1 + (lat - lat1) * (lng2 - lng1) / (lat2 - lat1)
                if lng < crossing:
                    inside = not inside
    return inside


def distance_to_area_km(point: Point, geometry: object) -> float | None:
    """Distance from ``point`` to a (Multi)Polygon: 0 inside, else to the nearest edge; None without rings.

    Each edge is projected on a local equirectangular plane around the point to find its closest point, whose
    great-circle distance is then measured: well under 0.1 % off at the scale of the Netherlands.
    """
    rings = polygon_rings(geometry)
    if not rings:
        return None
    if inside_rings(point, rings):
        return 0.0
    lat0, lng0 = point
    scale = math.cos(math.radians(lat0))
    best: float | None = None
    for ring in rings:
        count = len(ring)
        for i in range(count):
            a, b = ring[i], ring[(i + 1) % count]
            ax, ay = (a[1] - lng0) * scale, a[0] - lat0
            bx, by = (b[1] - lng0) * scale, b[0] - lat0
            dx, dy = bx - ax, by - ay
            length = dx * dx + dy * dy
            t = 0.0 if length == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length))
            closest = (a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1]))
            d = distance_km(point, closest)
            if best is None or d < best:
                best = d
    return best


def km(value: float) -> str:
    """One decimal, the way people read distances: "12.3 km"."""
    return f"{value:.1f} km"


# --------------------------------------------------------------------------------------------------------
# Opening hours

# Fields of an opening-hours item (reference §1A: {monday_start "09:00:00", monday_end, …, sunday_end}) and the
# Dutch day abbreviations people read them in.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_ABBREVIATIONS = ("ma", "di", "wo", "do", "vr", "za", "zo")
_CLOCK_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?\s*$")


def _clock(value: object) -> str | None:
    """ "09:00:00" (a Directus time) -> "09:00"; None for anything that is not a time of day."""
    match = _CLOCK_RE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return f"{hours:02d}:{minutes:02d}"


def _day_ranges(days: Sequence[int]) -> str:
    """Day indexes (ascending) as "ma–vr", "ma, wo" or "ma–wo, vr": runs of consecutive days get a dash."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        DAY_ABBREVIATIONS[run[0]]
        if len(run) == 1
        else f"{DAY_ABBREVIATIONS[run[0]]}–{DAY_ABBREVIATIONS[run[-1]]}"
        for run in runs
    )


def opening_hours_text(value: object) -> str | None:
    """Opening hours compactly in Dutch, equal days grouped: "ma–vr 09:00–17:00; za 10:00–12:00".

    ``value`` is the expanded opening-hours item. Anything else (``null``, or the bare id Directus returns when
    the item was not expanded or may not be read) gives None: an id means nothing to a person. Days without
    times, or with equal start and end, are closed; a day with only one of the two says "vanaf"/"tot".
    """
    if not isinstance(value, Mapping):
        return None
    by_hours: dict[str, list[int]] = {}
    for index, day in enumerate(WEEKDAYS):
        start, end = _clock(value.get(f"{day}_start")), _clock(value.get(f"{day}_end"))
        if start and end:
            if start == end:
                continue
            hours = f"{start}–{end}"
        elif start:
            hours = f"vanaf {start}"
        elif end:
            hours = f"tot {end}"
        else:
            continue
        by_hours.setdefault(hours, []).append(index)
    if not by_hours:
        return None
    groups = sorted(by_hours.items(), key=lambda pair: pair[1][0])
    return "; ".join(f"{_day_ranges(days)} {hours}" for hours, days in groups)


# --------------------------------------------------------------------------------------------------------
# Access


def navigator_denied(what: str, cause: PermissionDeniedError) -> PermissionDeniedError:
    """The Navigator policy is missing: say so plainly, so nobody reads it as "nothing here"."""
    return PermissionDeniedError(
        f"{what} needs the Onderwijsloket 'Navigator' policy, and this API token does not have it "
        f"(Directus answered FORBIDDEN for '{cause.collection or 'the navigator collections'}'). This is not an "
        "empty result: the data exists but this token may not read it. The Navigator policy is free: ask for it "
        f"via {EXTRA_ACCESS_CONTACT} and describe your intended use. Meanwhile, the public pages are "
        "https://onderwijsloket.com/navigator/opleidingen (programmes) and "
        "https://onderwijsloket.com/navigator/regioloketten (regional desks).",
        collection=cause.collection,
        policy="Navigator",
    )
