"""Geometry on PostGIS's sphere: points and polygons in GeoJSON as Directus stores them, containment, distance to
an outline, areas, and the bounding box of a circle."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from onderwijsloket_mcp.geo.geometry import (
    area_km2,
    bbox_polygon,
    bounding_box,
    distance_to_area_km,
    haversine_km,
    inside_rings,
    point_of,
    polygon_rings,
)

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.0, 52.0], [5.2, 52.0], [5.2, 52.2], [5.0, 52.2], [5.0, 52.0]]],
}
HOLED = {
    "type": "Polygon",
    "coordinates": [
        [[5.0, 52.0], [5.2, 52.0], [5.2, 52.2], [5.0, 52.2], [5.0, 52.0]],
        [[5.05, 52.05], [5.15, 52.05], [5.15, 52.15], [5.05, 52.15], [5.05, 52.05]],
    ],
}


def test_point_in_polygon_and_distance_to_its_border() -> None:
    assert distance_to_area_km((52.1, 5.1), SQUARE) == 0.0
    east = distance_to_area_km((52.1, 5.3), SQUARE)
    assert east is not None and abs(east - haversine_km(52.1, 5.3, 52.1, 5.2)) < 0.01
    corner = distance_to_area_km((52.3, 5.3), SQUARE)
    assert corner is not None and abs(corner - haversine_km(52.3, 5.3, 52.2, 5.2)) < 0.05
    # In the hole: outside the area, about 3.4 km from the inner ring.
    hole = distance_to_area_km((52.1, 5.1), HOLED)
    assert hole is not None and 3 < hole < 4
    multi = {
        "type": "MultiPolygon",
        "coordinates": [SQUARE["coordinates"], [[[6, 53], [6.1, 53], [6.1, 53.1], [6, 53]]]],
    }
    assert distance_to_area_km((53.02, 6.08), multi) == 0.0
    assert distance_to_area_km((52.1, 5.1), json.dumps(SQUARE)) == 0.0


@pytest.mark.parametrize(
    "value",
    [None, "", "nonsense", {"type": "Point"}, {"type": "Point", "coordinates": [5]}, {"type": "Point", "coordinates": [500, 52]},
     {"type": "Point", "coordinates": ["5", "52"]}, {"type": "Point", "coordinates": [math.nan, 52]},
     {"type": "Point", "coordinates": [True, 52]}, {"type": "LineString", "coordinates": [[5, 52], [6, 53]]},
     '{"type": "Polygon", "coordinates": ' + "[" * 100_000 + "]" * 100_000 + "}"],  # too deep to read
)  # fmt: skip
def test_unusable_geometry_is_ignored(value: object) -> None:
    assert point_of(value) is None
    assert polygon_rings(value) == []
    assert distance_to_area_km((52.0, 5.0), value) is None


def test_point_of_reads_lng_first() -> None:
    assert point_of({"type": "Point", "coordinates": [5.12, 52.09]}) == (52.09, 5.12)
    assert point_of('{"type":"Point","coordinates":[5.12,52.09]}') == (52.09, 5.12)


@given(st.floats(50.8, 53.5), st.floats(3.4, 7.2), st.floats(1, 250))
def test_bounding_box_polygon_contains_the_whole_circle(lat: float, lng: float, radius: float) -> None:
    box = bbox_polygon(bounding_box(lat, lng, radius))
    rings = polygon_rings(box)
    for bearing in range(0, 360, 15):
        # The point at `radius` in direction `bearing` (spherical destination formula).
        d = radius / 6370.986
        phi1, lmb1, theta = math.radians(lat), math.radians(lng), math.radians(bearing)
        phi2 = math.asin(math.sin(phi1) * math.cos(d) + math.cos(phi1) * math.sin(d) * math.cos(theta))
        lmb2 = lmb1 + math.atan2(
            math.sin(theta) * math.sin(d) * math.cos(phi1), math.cos(d) - math.sin(phi1) * math.sin(phi2)
        )
        edge = (math.degrees(phi2) * (1 - 1e-12), math.degrees(lmb2))
        assert inside_rings((edge[0] + (lat - edge[0]) * 1e-6, edge[1] + (lng - edge[1]) * 1e-6), rings)


def test_area_size_in_km2() -> None:
    square = area_km2(SQUARE)
    exact = haversine_km(52.1, 5.0, 52.1, 5.2) * haversine_km(52.0, 5.1, 52.2, 5.1)
    assert square is not None and abs(square - exact) / exact < 0.005
    holed = area_km2(HOLED)
    assert holed is not None and abs(holed - square * 0.75) / square < 0.01
    multi = area_km2({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"], SQUARE["coordinates"]]})
    assert multi is not None and abs(multi - 2 * square) < 0.01
    assert area_km2(None) is None and area_km2({"type": "Point", "coordinates": [5, 52]}) is None
