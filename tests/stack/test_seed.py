"""The sample seed (seed_data.py, loaded by seed.py) has the volume and the awkward cases the tests rely on.

The first half checks the data itself (no stack needed); the second half reads it back through the reader
token from the real Directus test stack.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest

from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo

# --------------------------------------------------------------------------- the data itself


def test_ids_are_unique_and_valid_uuids() -> None:
    ids = [item["id"] for _, items in sd.LOAD_ORDER for item in items] + [f["id"] for f in sd.FILES]
    assert len(ids) == len(set(ids))
    for value in ids:
        uuid.UUID(value)


def test_ids_are_stable() -> None:
    assert sd.sid("topic", "salaris") == sd.TOPIC_IDS["salaris"]
    assert sd.TOPIC_IDS["salaris"] == str(uuid.uuid5(sd.NAMESPACE, "topic:salaris"))
    assert sd.INSTITUTION_VU == "c23d4070-1c5c-5ec8-a182-8a2e1c313ca9"  # the docs' example id


def test_volume() -> None:
    assert len(sd.SECTORS) == 5
    assert len(sd.TOPICS) >= 10
    assert len(sd.PUBLISHED_FAQ_IDS) >= 30
    assert len(sd.PUBLISHED_ARTICLE_IDS) >= 12
    assert len(sd.AUTHORS) >= 3
    visible_institutions = [i for i in sd.INSTITUTIONS if i["vendor"] == "onderwijsloket"]
    assert len(visible_institutions) >= 8
    assert len(sd.VISIBLE_PROGRAM_IDS) >= 20
    assert len(sd.VISIBLE_DESK_IDS) >= 6
    assert len(sd.ROUTE_QUESTIONS) == 4
    assert len(sd.PUBLISHED_ROUTE_IDS) >= 300
    assert len(sd.ROUTE_STEPS) >= 60


def test_special_faqs() -> None:
    faqs = {f["id"]: f for f in sd.FAQS}
    assert len(sd.plain_text(faqs[sd.FAQ_LONG_ANSWER]["answer"])) >= 5500
    assert "ë" in faqs[sd.FAQ_DIACRITICS]["question"]
    types = {n["type"] for n in sd.walk(faqs[sd.FAQ_UNKNOWN_NODE]["answer"])}
    assert {"blockquote", "fancyWidget"} <= types
    assert not any(k in faqs[sd.FAQ_NO_RELATIONS] for k in ("topics", "sectors", "audiences", "phases"))
    assert "topics" not in faqs[sd.FAQ_NO_TOPICS]
    assert {faqs[i]["status"] for i in sd.FAQ_HIDDEN} == {"draft", "archived"}


def test_relation_nodes_point_at_editor_nodes_except_the_stale_one() -> None:
    for article in sd.ARTICLES:
        pool = {e["id"]: e for e in article.get("editor_nodes", [])}
        for entry in article.get("editor_nodes", []):
            if entry["collection"] == "callouts":
                pool.update({e["id"]: e for e in entry["item"].get("editor_nodes", [])})
        for node in sd.walk(article["body"]):
            if node["type"] in ("relation-block", "relation-inline-block"):
                if node["attrs"]["id"] == sd.STALE_JUNCTION_ID:
                    assert article["id"] == sd.ARTICLE_STALE_NODE
                    assert sd.STALE_JUNCTION_ID not in pool
                    continue
                assert pool[node["attrs"]["id"]]["collection"] == node["attrs"]["collection"]


def test_articles_use_every_block_collection() -> None:
    used = {e["collection"] for a in sd.ARTICLES for e in a.get("editor_nodes", [])}
    assert used >= {
        "buttons",
        "callouts",
        "images",
        "content_lists",
        "related_content_lists",
        "mediaplayers",
        "mentions",
    }
    assert sum(1 for a in sd.ARTICLES if a.get("editor_nodes")) >= 4
    long_body = next(a for a in sd.ARTICLES if a["id"] == sd.ARTICLE_LONG)["body"]
    assert len(sd.plain_text(long_body)) > 40_000


def test_locations_are_in_the_netherlands_and_spread_around_utrecht() -> None:
    visible = [x for x in sd.LOCATIONS if x["vendor"] == "onderwijsloket"]
    points = [
        (x["city"], tuple(x["location_geopoint"]["coordinates"])) for x in visible if x["location_geopoint"]
    ]
    for _, (lng, lat) in points:
        assert 3.3 < lng < 7.3
        assert 50.7 < lat < 53.6
    near = {city for city, pt in points if sd.haversine_km(sd.UTRECHT_CENTER, pt) <= 40}
    far = {city for city, pt in points if sd.haversine_km(sd.UTRECHT_CENTER, pt) > 40}
    assert {"Utrecht", "Amersfoort", "Amsterdam", "Gouda"} <= near
    assert len(far) >= 6
    assert len({x["city"] for x in visible}) >= 6
    assert any(x["location_geopoint"] is None for x in visible)


def test_areas_are_valid_geojson() -> None:
    for area in sd.AREAS:
        ring = [tuple(c) for c in area["area_bounds"]["coordinates"][0]]
        assert ring[0] == ring[-1]
        assert sd.signed_area(ring) > 0  # counter-clockwise
        assert sd.contains(ring, tuple(area["area_center"]["coordinates"]))
        if area["area_inner"] is None:
            continue  # like a third of the real areas
        inner = area["area_inner"]["coordinates"]
        assert len(inner) >= 4
        assert all(sd.contains(ring, tuple(pt)) for pt in inner)
    assert any(area["area_inner"] is None for area in sd.AREAS)


def test_areas_overlap_like_the_real_ones() -> None:
    """A big city lies in several regional areas and in every nationwide one; the sea point in none."""
    rings = sd.AREA_RINGS

    def containing(point: tuple[float, float]) -> list[str]:
        return sorted(k for k, r in rings.items() if sd.contains(r, point))

    nationwide = ["nederland", "nederland-grof"]
    assert containing(sd.OVERLAP_POINT) == sorted(["groene-hart", "utrecht", "zuid-holland", *nationwide])
    assert containing(sd.UTRECHT_POINT) == sorted(["utrecht", "utrecht-stad", *nationwide])
    assert containing(sd.ROTTERDAM_POINT) == sorted(
        ["rotterdam", "rotterdam-stad", "zuid-holland", *nationwide]
    )
    assert containing(sd.AMERSFOORT_POINT) == sorted(["utrecht", *nationwide])
    assert containing(sd.SEA_POINT) == []
    assert {sd.AREA_IDS[k] for k in nationwide} == sd.NATIONWIDE_AREAS


def test_the_route_answers_have_the_real_structure() -> None:
    sizes = {q: len(sd.ROUTE_STRUCTURE[q]) for q in sd.ROUTE_QUESTION_KEYS}
    assert sizes == {"school": 6, "rol": 7, "opleiding": 18, "kwalificatie": 25}
    published = sd.PUBLISHED_ROUTE_ANSWERS
    assert len(published) == 56
    assert sorted(a["sort"] for a in published) == list(range(1, 57))  # one order across all answers
    assert len({a["title"] for a in published}) == 56
    # Prerequisites only ever name earlier questions.
    for answer, needs in sd.ANSWER_REQUIRES.items():
        position = sd.ROUTE_QUESTION_KEYS.index(sd.ANSWER_QUESTION[answer])
        assert all(sd.ROUTE_QUESTION_KEYS.index(q) < position for q in needs)


def test_every_valid_school_and_role_pair_keeps_a_qualification() -> None:
    valid = 0
    for _, school, _ in sd.ROUTE_STRUCTURE["school"]:
        chosen = {"school": sd.ANSWER_IDS[school]}
        for role in sd.offered_answers("rol", chosen):
            valid += 1
            assert sd.offered_answers("kwalificatie", {**chosen, "rol": role}), (school, role)
    assert valid == 33
    po_teacher = {"school": sd.ANSWER_IDS[sd.SCHOOL_PO], "rol": sd.ANSWER_IDS[sd.LERAAR]}
    assert sd.ANSWER_IDS["PDG"] not in sd.offered_answers("kwalificatie", po_teacher)


def test_routes_at_scale_with_about_two_required_answers() -> None:
    published = [r for r in sd.ROUTES if r["status"] == "published"]
    required = [len(sd.ROUTE_REQUIRED[r["id"]]) for r in published]
    assert 1.8 <= sum(required) / len(required) <= 2.3
    steps = sum(len(r["route_steps"]) for r in published)
    assert steps / len(published) >= 3.5
    linked = [s for s in sd.ROUTE_STEPS if s["faqs"] or s["articles"]]
    assert len(linked) >= 30
    assert any(j["route_answers_id"] is None for r in published for j in r["requires_answers"])
    assert len({r["path"] for r in sd.ROUTES}) == len(sd.ROUTES)


def test_every_route_is_reachable_by_a_valid_answer_set() -> None:
    answer_sets = sd.complete_answer_sets()
    reached = {route for answers in answer_sets for route in sd.matching_routes(answers)}
    assert reached == set(sd.PUBLISHED_ROUTE_IDS)
    assert len(sd.ROUTE_REQUIRED[sd.ROUTE_TWO_ANSWERS]) == 2
    assert sd.ROUTE_TWO_ANSWERS in sd.matching_routes(sd.EXAMPLE_ANSWERS)
    assert sd.ROUTE_TWO_ANSWERS_OTHER not in sd.matching_routes(sd.EXAMPLE_ANSWERS)
    route = next(r for r in sd.ROUTES if r["id"] == sd.ROUTE_SORT_DIFFERS)
    created = [j["route_steps_id"] for j in route["route_steps"]]
    assert created != sd.ROUTE_STEP_ORDER[sd.ROUTE_SORT_DIFFERS]


# --------------------------------------------------------------------------- read back from the stack


def get(stack: StackInfo, path: str, token: str | None = None, **params: Any) -> Any:
    query = {k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in params.items()}
    response = httpx.get(
        f"{stack.url}{path}",
        params=query,
        timeout=30,
        headers={"Authorization": f"Bearer {token or stack.reader_token}"},
    )
    response.raise_for_status()
    return response.json()


def total(stack: StackInfo, collection: str, **params: Any) -> int:
    body = get(stack, f"/items/{collection}", fields="id", limit=1, meta="filter_count", **params)
    return int(body["meta"]["filter_count"])


@pytest.fixture(scope="module")
def seeded(stack: StackInfo) -> StackInfo:
    if total(stack, "faqs", token=stack.admin_token) == 0:
        pytest.skip("the stack has no seed data (tests/stack/seed.py did not run)")
    return stack


@pytest.mark.stack
def test_reader_sees_the_seeded_volume(seeded: StackInfo) -> None:
    assert total(seeded, "sectors") == 5
    assert total(seeded, "topics") == len(sd.TOPICS)
    assert total(seeded, "faqs") == len(sd.PUBLISHED_FAQ_IDS)
    assert total(seeded, "articles") == len(sd.PUBLISHED_ARTICLE_IDS)
    assert total(seeded, "educational_institutions") == len(sd.INSTITUTIONS) - len(sd.INSTITUTION_HIDDEN)
    assert total(seeded, "programs") == len(sd.VISIBLE_PROGRAM_IDS)
    assert total(seeded, "regional_education_desks") == len(sd.VISIBLE_DESK_IDS)
    assert total(seeded, "routes") == len(sd.PUBLISHED_ROUTE_IDS)
    assert total(seeded, "route_questions") == 4
    assert total(seeded, "route_answers") == len(sd.PUBLISHED_ROUTE_ANSWERS)
    assert total(seeded, "route_steps") == len(sd.ROUTE_STEPS)
    files = get(seeded, "/files", fields="id", limit=-1)["data"]
    assert {f["id"] for f in files} >= set(sd.FILE_IDS.values())


@pytest.mark.stack
def test_reader_never_sees_hidden_items(seeded: StackInfo) -> None:
    hidden = {
        "faqs": sd.FAQ_HIDDEN,
        "articles": [sd.ARTICLE_DRAFT, sd.ARTICLE_ARCHIVED],
        "programs": sd.PROGRAM_HIDDEN,
        "educational_institutions": sd.INSTITUTION_HIDDEN,
        "locations": sd.LOCATION_HIDDEN,
        "regional_education_desks": sd.DESK_HIDDEN,
        "areas": sd.AREA_HIDDEN,
        "routes": sd.ROUTE_HIDDEN,
        "route_answers": [sd.ROUTE_ANSWER_DRAFT],
    }
    for collection, ids in hidden.items():
        assert total(seeded, collection, filter={"id": {"_in": ids}}) == 0, collection
        assert total(seeded, collection, token=seeded.admin_token, filter={"id": {"_in": ids}}) == len(ids)


@pytest.mark.stack
def test_articles_with_editor_nodes_round_trip(seeded: StackInfo) -> None:
    fields = (
        "id,body,editor_nodes.id,editor_nodes.collection,"
        "editor_nodes.item:callouts.editor_nodes.item:mentions.item.item"
    )
    article = get(seeded, f"/items/articles/{sd.ARTICLE_RICH}", fields=fields)["data"]
    callout = next(e for e in article["editor_nodes"] if e["collection"] == "callouts")
    mention = callout["item"]["editor_nodes"][0]["item"]
    assert mention["item"][0]["item"] == sd.ARTICLE_BEVOEGDHEDEN

    stale = get(seeded, f"/items/articles/{sd.ARTICLE_STALE_NODE}", fields="body,editor_nodes.id")["data"]
    assert sd.STALE_JUNCTION_ID in json.dumps(stale["body"])
    assert sd.STALE_JUNCTION_ID not in {e["id"] for e in stale["editor_nodes"]}

    with_nodes = get(
        seeded, "/items/articles", fields="id", limit=-1, filter={"editor_nodes": {"_nnull": True}}
    )["data"]
    assert len(with_nodes) >= 4
    long_article = get(seeded, f"/items/articles/{sd.ARTICLE_LONG}", fields="body")["data"]
    assert len(sd.plain_text(long_article["body"])) > 40_000


@pytest.mark.stack
def test_faq_edge_cases_read_back(seeded: StackInfo) -> None:
    bare = get(seeded, f"/items/faqs/{sd.FAQ_NO_RELATIONS}", fields="id,topics.topics_id.name,sectors.*")[
        "data"
    ]
    assert bare["topics"] == []
    assert bare["sectors"] == []
    odd = get(seeded, f"/items/faqs/{sd.FAQ_UNKNOWN_NODE}", fields="answer")["data"]
    assert "fancyWidget" in json.dumps(odd["answer"])


@pytest.mark.stack
def test_geo_queries_on_locations_and_areas(seeded: StackInfo) -> None:
    locations = get(seeded, "/items/locations", fields="id,city,location_geopoint", limit=-1)["data"]
    near = {
        x["city"]
        for x in locations
        if x["location_geopoint"]
        and sd.haversine_km(sd.UTRECHT_CENTER, tuple(x["location_geopoint"]["coordinates"])) <= 40
    }
    assert {"Utrecht", "Amersfoort", "Amsterdam", "Gouda"} <= near
    assert any(x["location_geopoint"] is None for x in locations)

    def areas_at(pt: tuple[float, float]) -> set[str]:
        flt = {"area_bounds": {"_intersects": {"type": "Point", "coordinates": list(pt)}}}
        return {a["id"] for a in get(seeded, "/items/areas", fields="id", filter=flt)["data"]}

    def expected(pt: tuple[float, float]) -> set[str]:
        published = {a["id"] for a in sd.AREAS if a["status"] == "published"}
        return {sd.AREA_IDS[k] for k, ring in sd.AREA_RINGS.items() if sd.contains(ring, pt)} & published

    for pt in (sd.OVERLAP_POINT, sd.UTRECHT_POINT, sd.ROTTERDAM_POINT, sd.AMERSFOORT_POINT):
        assert areas_at(pt) == expected(pt)
    assert areas_at(sd.SEA_POINT) == set()
    desk = get(seeded, f"/items/regional_education_desks/{sd.DESK_NO_AREA}", fields="area")["data"]
    assert desk["area"] is None


@pytest.mark.stack
def test_programs_forms_and_locations(seeded: StackInfo) -> None:
    many = get(
        seeded, f"/items/programs/{sd.PROGRAM_MANY_FORMS}", fields="program_forms.form,program_forms.track"
    )
    assert len(many["data"]["program_forms"]) >= 5
    bare = get(seeded, f"/items/programs/{sd.PROGRAM_NO_LOCATIONS}", fields="locations.locations_id")
    assert bare["data"]["locations"] == []


@pytest.mark.stack
def test_route_matching_and_step_order(seeded: StackInfo) -> None:
    flt = {"requires_answers": {"_none": {"route_answers_id": {"_nin": sd.EXAMPLE_ANSWERS}}}}
    found = get(seeded, "/items/routes", fields="id", sort="duration_in_months,title,id", filter=flt)["data"]
    assert [r["id"] for r in found] == sd.matching_routes(sd.EXAMPLE_ANSWERS)
    everything = get(seeded, "/items/routes", fields="id", limit=-1)["data"]
    assert len(everything) == len(sd.PUBLISHED_ROUTE_IDS)

    route = get(
        seeded,
        f"/items/routes/{sd.ROUTE_SORT_DIFFERS}",
        fields="route_steps.sort,route_steps.route_steps_id",
        deep={"route_steps": {"_sort": ["sort"]}},
    )["data"]
    assert [j["route_steps_id"] for j in route["route_steps"]] == sd.ROUTE_STEP_ORDER[sd.ROUTE_SORT_DIFFERS]
