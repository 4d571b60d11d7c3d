"""Geometry on the sphere PostGIS ``ST_DistanceSphere`` uses: distances, bounding boxes, GeoJSON points and
polygons (containment, areas, distances to an outline).

Distances are ours: the API stores points and polygons but computes no distances. Using the same radius as
PostGIS keeps our numbers and the database's within rounding of each other.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import InvalidInputError
from ..upstream.fetch import parse_json

# PostGIS ST_DistanceSphere uses a sphere of 6,370,986 m; using the same radius keeps our distances and the
# database's within rounding of each other.
EARTH_RADIUS_KM = 6370.986
# One degree of latitude on that sphere.
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180

Point = tuple[float, float]  # (lat, lng)
Ring = list[Point]
# A (Multi)Polygon as read once by polygons_of: its polygons, each as rings (outer ring first).
Polygons = list[list[Ring]]


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


# -- GeoJSON: points and (multi)polygons as Directus stores them ([lng, lat]) -------------------------------


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
            # parse_json reports nesting too deep to parse as a ValueError: unreadable, like any bad JSON.
            value = parse_json(value)
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


def polygons_of(value: object) -> Polygons:
    """Polygons of a GeoJSON Polygon or MultiPolygon (dict or JSON text), each as rings of (lat, lng): outer
    ring first. Parse an outline once with this and hand the result to :func:`rings_of`, :func:`polygons_area_km2`
    and :func:`distance_to_rings_km`."""
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
    out: Polygons = []
    for polygon in polygons:
        if not isinstance(polygon, list):
            continue
        rings: list[Ring] = []
        for ring in polygon:
            if not isinstance(ring, list):
                continue
            points = [p for p in (_lng_lat(position) for position in ring) if p is not None]
            if len(points) >= 3:
                rings.append(points)
        if rings:
            out.append(rings)
    return out


def rings_of(polygons: Polygons) -> list[Ring]:
    """All rings of parsed polygons (see :func:`polygons_of`), outer ring first per polygon."""
    return [ring for polygon in polygons for ring in polygon]


def polygon_rings(value: object) -> list[Ring]:
    """Rings of a GeoJSON Polygon or MultiPolygon as (lat, lng) lists; outer ring first per polygon."""
    return rings_of(polygons_of(value))


def polygons_area_km2(polygons: Polygons) -> float | None:
    """Surface of parsed polygons (see :func:`polygons_of`) in km² (holes subtracted); None without rings.

    An equirectangular projection around the mean latitude: a few tenths of a percent off at the scale of the
    Netherlands, plenty to tell a city's area from a province's or the whole country's.
    """
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


def area_km2(value: object) -> float | None:
    """Surface of a GeoJSON (Multi)Polygon in km² (holes subtracted); None without rings (see
    :func:`polygons_area_km2`)."""
    return polygons_area_km2(polygons_of(value))


def distance_km(a: Point, b: Point) -> float:
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


def distance_to_rings_km(point: Point, rings: Sequence[Sequence[Point]]) -> float | None:
    """Distance from ``point`` to an area given as rings (see :func:`rings_of`): 0 inside, else to the nearest
    edge; None without rings.

    Each edge is projected on a local equirectangular plane around the point to find its closest point, whose
    great-circle distance is then measured: well under 0.1 % off at the scale of the Netherlands.
    """
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


def distance_to_area_km(point: Point, geometry: object) -> float | None:
    """Distance from ``point`` to a GeoJSON (Multi)Polygon: 0 inside, else to the nearest edge; None without
    rings (see :func:`distance_to_rings_km`)."""
    return distance_to_rings_km(point, polygon_rings(geometry))
