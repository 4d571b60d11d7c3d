"""The test stack behaves like production Directus for what the server relies on (auth, policies, geo)."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.stack.fixture import StackInfo

pytestmark = pytest.mark.stack


def get(stack: StackInfo, token: str | None, path: str, **params: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    return httpx.get(f"{stack.url}{path}", params=query, headers=headers, timeout=30)


def error_code(response: httpx.Response) -> str:
    return str(response.json()["errors"][0]["extensions"]["code"])


def require_items(stack: StackInfo, collection: str, filter_: dict[str, Any] | None = None) -> None:
    """Skip when the seed has not (yet) loaded what a test needs."""
    params: dict[str, Any] = {"aggregate[count]": "*"}
    if filter_:
        params["filter"] = filter_
    response = get(stack, stack.admin_token, f"/items/{collection}", **params)
    response.raise_for_status()
    if int(response.json()["data"][0]["count"]) == 0:
        pytest.skip(f"no matching {collection} in the stack: tests/stack/seed.py has not seeded them")


def test_reader_reads_only_published_faqs(stack: StackInfo) -> None:
    require_items(stack, "faqs", {"status": {"_eq": "published"}})
    published = get(
        stack,
        stack.admin_token,
        "/items/faqs",
        fields="id",
        limit=-1,
        filter={"status": {"_eq": "published"}},
    ).json()["data"]

    response = get(
        stack, stack.reader_token, "/items/faqs", fields="id,status,question", limit=-1, meta="total_count"
    )

    assert response.status_code == 200
    body = response.json()
    assert {f["status"] for f in body["data"]} == {"published"}
    assert {f["id"] for f in body["data"]} == {f["id"] for f in published}
    assert body["meta"]["total_count"] == len(published)  # the policy filter applies to counts too


def test_content_token_is_forbidden_on_navigator_collections(stack: StackInfo) -> None:
    for collection in ("programs", "locations", "regional_education_desks"):
        response = get(stack, stack.content_token, f"/items/{collection}")
        assert response.status_code == 403, collection
        assert error_code(response) == "FORBIDDEN"


def test_wrong_token_is_invalid_credentials(stack: StackInfo) -> None:
    response = get(stack, "not-a-real-token", "/items/faqs")

    assert response.status_code == 401
    assert error_code(response) == "INVALID_CREDENTIALS"


def test_no_token_is_forbidden_not_unauthorized(stack: StackInfo) -> None:
    response = get(stack, None, "/items/faqs")

    assert response.status_code == 403
    assert error_code(response) == "FORBIDDEN"


def test_navigator_shows_only_onderwijsloket_vendor(stack: StackInfo) -> None:
    require_items(stack, "programs")
    response = get(stack, stack.reader_token, "/items/programs", fields="vendor,status", limit=-1)

    assert response.status_code == 200
    rows = response.json()["data"]
    assert all(r["vendor"] == "onderwijsloket" and r["status"] == "published" for r in rows)


def test_navigator_shows_published_desks_and_areas_which_have_no_vendor(stack: StackInfo) -> None:
    """Desks and areas have no vendor field (real exports, reference §1A): the policy filters on status."""
    require_items(stack, "regional_education_desks")
    for collection in ("regional_education_desks", "areas"):
        admin = get(stack, stack.admin_token, f"/items/{collection}", fields="*", limit=-1).json()["data"]
        assert admin and all("vendor" not in row for row in admin)
        assert {row["status"] for row in admin} > {"published"}  # the seed hides some
        rows = get(stack, stack.reader_token, f"/items/{collection}", fields="id,status", limit=-1).json()[
            "data"
        ]
        assert {row["id"] for row in rows} == {row["id"] for row in admin if row["status"] == "published"}


def test_a_geometry_filter_on_a_json_field_is_invalid_query(stack: StackInfo) -> None:
    """What the navigator tools see when a geometry they filter on is plain JSON here (they then measure
    locally): Directus checks operators against the field type."""
    point = {"type": "Point", "coordinates": [5.12, 52.09]}
    for flt in ({"regions": {"_intersects": point}}, {"area": {"title": {"_intersects": point}}}):
        response = get(stack, stack.reader_token, "/items/regional_education_desks", fields="id", filter=flt)
        assert response.status_code == 400
        assert error_code(response) == "INVALID_QUERY"
        assert 'does not contain the "_intersects" filter operator' in response.json()["errors"][0]["message"]


def _bbox(lng: float, lat: float, half: float) -> dict[str, Any]:
    ring = [
        [lng - half, lat - half],
        [lng + half, lat - half],
        [lng + half, lat + half],
        [lng - half, lat + half],
        [lng - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def test_intersects_bbox_on_location_geopoint(stack: StackInfo) -> None:
    visible = {"vendor": {"_eq": "onderwijsloket"}, "location_geopoint": {"_nnull": True}}
    require_items(stack, "locations", visible)
    first = get(
        stack, stack.reader_token, "/items/locations", fields="id,location_geopoint", limit=1, sort="id"
    ).json()["data"][0]
    lng, lat = first["location_geopoint"]["coordinates"]

    near = get(
        stack,
        stack.reader_token,
        "/items/locations",
        fields="id",
        limit=-1,
        filter={"location_geopoint": {"_intersects_bbox": _bbox(lng, lat, 0.01)}},
    )
    far = get(
        stack,
        stack.reader_token,
        "/items/locations",
        fields="id",
        limit=-1,
        filter={"location_geopoint": {"_intersects_bbox": _bbox(-30.0, -40.0, 1.0)}},
    )  # South Atlantic

    assert near.status_code == 200
    assert first["id"] in {r["id"] for r in near.json()["data"]}
    assert far.status_code == 200
    assert far.json()["data"] == []


def test_schema_endpoints_forbidden_but_openapi_spec_works(stack: StackInfo) -> None:
    for path in ("/collections", "/fields", "/relations"):
        response = get(stack, stack.reader_token, path)
        assert response.status_code == 403, path
        assert error_code(response) == "FORBIDDEN"

    reader_paths = get(stack, stack.reader_token, "/server/specs/oas").json()["paths"]
    content_paths = get(stack, stack.content_token, "/server/specs/oas").json()["paths"]

    assert "/items/faqs" in reader_paths
    assert "/items/programs" in reader_paths
    assert "/items/faqs" in content_paths
    assert "/items/programs" not in content_paths  # the spec is filtered by the token's policies


def test_reader_reads_own_algolia_token(stack: StackInfo) -> None:
    response = get(stack, stack.reader_token, "/users/me", fields="algolia_token")

    assert response.status_code == 200
    assert response.json()["data"]["algolia_token"] == stack.algolia_key


def test_content_token_gets_no_algolia_token(stack: StackInfo) -> None:
    response = get(stack, stack.content_token, "/users/me", fields="algolia_token")

    # Directus answers 200 with only the user id when the field is not readable.
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.json()["data"].get("algolia_token") is None
