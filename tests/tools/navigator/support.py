"""Independent expectations for the Navigator tool tests, computed from tests/stack/seed_data.py only.

Nothing here imports the code under test: distances use the seed's own haversine (mean Earth radius
6371.0088 km, not the server's 6370.986 km), visibility follows the Navigator policy (``status = published``,
and ``vendor = onderwijsloket`` where items have a vendor; desks and areas have none), and PostGIS is asked
directly with psql.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo

# Rounding to one decimal (0.05) plus the difference between the two Earth radii on Dutch distances.
DISTANCE_TOLERANCE_KM = 0.07


@contextmanager
def json_twin(stack: StackInfo, collection: str, field: str, twin: str) -> Iterator[None]:
    """A plain-JSON copy (``twin``) of a geometry field while the block runs, made with the admin token.

    A real Directus then answers a geometry filter on the twin with INVALID_QUERY, as it would where the field
    itself is JSON: the way to exercise the tools' local fallback without a second stack.
    """
    headers = {"Authorization": f"Bearer {stack.admin_token}"}
    with httpx.Client(base_url=stack.url, headers=headers, timeout=60) as client:
        if client.get(f"/fields/{collection}/{twin}").status_code == 200:
            client.delete(f"/fields/{collection}/{twin}").raise_for_status()  # left over by a killed run
        client.post(
            f"/fields/{collection}",
            json={
                "field": twin,
                "type": "json",
                "meta": {"special": ["cast-json"], "note": f"Test-only JSON copy of {field}."},
                "schema": {},
            },
        ).raise_for_status()
        try:
            rows = client.get(f"/items/{collection}", params={"fields": f"id,{field}", "limit": "-1"}).json()[
                "data"
            ]
            copies = [{"id": row["id"], twin: row[field]} for row in rows if row.get(field) is not None]
            client.patch(f"/items/{collection}", json=copies).raise_for_status()
            yield
        finally:
            client.delete(f"/fields/{collection}/{twin}").raise_for_status()


def require_navigator_seed(stack: StackInfo) -> None:
    """Skip when the stack has not been seeded with the navigator data these tests rely on."""
    for collection, some_id in (
        ("programs", sd.PROGRAM_PABO_HU),
        ("regional_education_desks", sd.DESK_UTRECHT),
    ):
        response = httpx.get(
            f"{stack.url}/items/{collection}/{some_id}",
            params={"fields": "id"},
            headers={"Authorization": f"Bearer {stack.admin_token}"},
            timeout=30,
        )
        if response.status_code != 200:
            pytest.skip(f"the stack has no seeded {collection} (tests/stack/seed.py not loaded)")


# ------------------------------------------------------------------------------------------ programmes


def _visible(item: dict[str, Any]) -> bool:
    return item.get("status", "published") == "published" and item.get("vendor") == "onderwijsloket"


LOCATIONS_BY_ID = {loc["id"]: loc for loc in sd.LOCATIONS}
VISIBLE_PROGRAMS = [p for p in sd.PROGRAMS if _visible(p)]
PROGRAMS_BY_ID = {p["id"]: p for p in sd.PROGRAMS}


def junction_ids(item: dict[str, Any], relation: str) -> list[str]:
    """Target ids of a seeded M2M relation (``[{"<relation>_id": id}, ...]`` or ``{"create": [...]}``)."""
    rows = item.get(relation) or []
    if isinstance(rows, dict):
        rows = rows.get("create", [])
    out = []
    for row in rows:
        value = row.get(f"{relation}_id") if isinstance(row, dict) else row
        if isinstance(value, dict):
            value = value.get("id")
        if value is not None:
            out.append(str(value))
    return out


def location_point(location_id: str) -> tuple[float, float] | None:
    """(lng, lat) of a visible location with coordinates."""
    location = LOCATIONS_BY_ID.get(location_id)
    if location is None or not _visible(location) or not location.get("location_geopoint"):
        return None
    lng, lat = location["location_geopoint"]["coordinates"]
    return (float(lng), float(lat))


@dataclass(frozen=True)
class Expected:
    id: str
    title: str
    distance_km: float
    location_id: str


def expected_programs(
    lat: float,
    lng: float,
    radius_km: float,
    keep: Callable[[dict[str, Any]], bool] = lambda _: True,
) -> list[Expected]:
    """Visible programmes with a visible, located site within ``radius_km``, nearest first."""
    out: list[Expected] = []
    for program in VISIBLE_PROGRAMS:
        if not keep(program):
            continue
        best: tuple[float, str] | None = None
        for location_id in junction_ids(program, "locations"):
            point = location_point(location_id)
            if point is None:
                continue
            distance = sd.haversine_km((lng, lat), point)
            if distance <= radius_km and (best is None or distance < best[0]):
                best = (distance, location_id)
        if best is not None:
            out.append(Expected(program["id"], program["title"], best[0], best[1]))
    out.sort(key=lambda e: (e.distance_km, e.title.casefold(), e.id))
    return out


def all_site_distances(lat: float, lng: float) -> list[float]:
    """Distances to every visible located site (to keep test radii clear of boundary ambiguity)."""
    points = {location_point(loc["id"]) for loc in sd.LOCATIONS}
    return [sd.haversine_km((lng, lat), p) for p in points if p is not None]


def clear_radius(lat: float, lng: float, radius_km: float, margin_km: float) -> bool:
    return all(abs(d - radius_km) > margin_km for d in all_site_distances(lat, lng))


def form_names(program: dict[str, Any]) -> set[str]:
    forms = program.get("program_forms") or []
    if isinstance(forms, dict):
        forms = forms.get("create", [])
    return {f["form"] for f in forms if isinstance(f, dict) and f.get("form")}


# ------------------------------------------------------------------------------------------ areas / desks


AREAS_BY_ID = {area["id"]: area for area in sd.AREAS}
AREA_KEY = {sd.AREA_IDS[key]: key for key in sd.AREA_RINGS}
DESKS_BY_ID = {desk["id"]: desk for desk in sd.DESKS}


def visible_area(desk: dict[str, Any]) -> str | None:
    """The desk's area id when the reader may read it (published), else None."""
    area = AREAS_BY_ID.get(desk.get("area") or "")
    return area["id"] if area is not None and area["status"] == "published" else None


def desks_containing(lng: float, lat: float) -> set[str]:
    """Visible desks whose (visible) area polygon contains the point (the seed's own ray casting)."""
    out = set()
    for desk in sd.DESKS:
        area = visible_area(desk)
        if desk["status"] == "published" and area and sd.contains(sd.AREA_RINGS[AREA_KEY[area]], (lng, lat)):
            out.add(desk["id"])
    return out


def local_first(desk_ids: Iterable[str]) -> list[str]:
    """The order a person needs: regional desks by the size of their area (the seed's shoelace in degrees²,
    scaled by the cosine of the latitude), then the nationwide ones; ties by title."""

    def key(desk_id: str) -> tuple[bool, float, str]:
        desk = DESKS_BY_ID[desk_id]
        ring = sd.AREA_RINGS[AREA_KEY[desk["area"]]]
        lat = sum(y for _, y in ring) / len(ring)
        size = sd.signed_area(ring) * math.cos(math.radians(lat))
        return (desk_id in sd.NATIONWIDE_DESK_IDS, size, desk["title"].casefold())

    return sorted(desk_ids, key=key)


# ------------------------------------------------------------------------------------------ PostGIS


def _pg_port_from_state(directus_port: int) -> int | None:
    """The stack's PostgreSQL port, read from the env.sh that directus.sh wrote into its state dir."""
    for env in Path("/tmp").glob("*/env.sh"):
        try:
            text = env.read_text()
        except OSError:
            continue
        if re.search(rf"\bPORT={directus_port}\b", text):
            match = re.search(r"\bDB_PORT=(\d+)", text)
            if match:
                return int(match.group(1))
    return None


def postgis_port(stack: StackInfo) -> int:
    """PG port of the stack (OLMCP_STACK_PG_PORT, else found from its state dir); skips when unknown."""
    configured = os.environ.get("OLMCP_STACK_PG_PORT")
    if configured:
        return int(configured)
    port = urlsplit(stack.url).port
    found = _pg_port_from_state(port) if port else None
    if found is None:
        pytest.skip("cannot find the stack's PostgreSQL port; set OLMCP_STACK_PG_PORT")
    return found


def psql(port: int, sql: str) -> list[list[str]]:
    """Rows of a query against the stack's database (user postgres, db directus)."""
    result = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            "directus",
            "-AtF",
            "\t",
            "-c",
            sql,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PGPASSWORD": "postgres", "PGCONNECT_TIMEOUT": "5"},
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"psql against the stack failed: {result.stderr.strip()[:200]}")
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def sphere_distances_m(port: int, pairs: Sequence[tuple[float, float, float, float]]) -> list[float]:
    """PostGIS ST_DistanceSphere (metres) for (lat1, lng1, lat2, lng2) pairs, in order."""
    values = ",".join(
        f"({i},{lat1!r},{lng1!r},{lat2!r},{lng2!r})" for i, (lat1, lng1, lat2, lng2) in enumerate(pairs)
    )
    # Only numbers formatted by us reach the SQL text.
    select = (
        "SELECT ST_DistanceSphere(ST_SetSRID(ST_MakePoint(b, a), 4326), ST_SetSRID(ST_MakePoint(d, c), 4326))"
    )
    sql = f"{select} FROM (VALUES {values}) AS v(i, a, b, c, d) ORDER BY i"
    return [float(row[0]) for row in psql(port, sql)]


def area_distances_m(port: int, lat: float, lng: float) -> dict[str, float]:
    """Sphere distance (metres) from a point to every area polygon, straight from the areas table."""
    point = f"ST_SetSRID(ST_MakePoint({float(lng)!r}, {float(lat)!r}), 4326)::geography"
    sql = f"SELECT id, ST_Distance(area_bounds::geography, {point}, false) FROM areas"  # noqa: S608
    return {row[0]: float(row[1]) for row in psql(port, sql)}


def relative_gap(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-9)


def ids(items: Iterable[dict[str, Any]]) -> list[str]:
    return [str(item["id"]) for item in items]
