"""The indexer: Tiptap text, and records that mirror what a Navigator + Content token sees in Directus."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from algoliasearch.search.models.search_response import SearchResponse

from tests.algolia.double import AlgoliaDouble, tokenize
from tests.algolia.indexer import EMBEDDED_FIELDS, INDEX_SETTINGS, ROOT_FIELDS, tiptap_text
from tests.stack.fixture import StackInfo

Records = dict[str, list[dict[str, Any]]]


# --------------------------------------------------------------------------------------------- tiptap_text


def text(value: str, *marks: str) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": value}
    if marks:
        node["marks"] = [{"type": m} for m in marks]
    return node


def test_tiptap_text_blocks_lists_marks_and_breaks() -> None:
    doc = {
        "type": "doc",
        "content": [
            {"type": "heading", "attrs": {"level": 2}, "content": [text("Salaris")]},
            {"type": "paragraph", "content": [text("Je "), text("verdient", "bold"), text(" meer.")]},
            {
                "type": "bulletList",
                "content": [
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [text("een")]}]},
                    {"type": "listItem", "content": [{"type": "paragraph", "content": [text("twee")]}]},
                ],
            },
            {"type": "paragraph", "content": [text("regel 1"), {"type": "hardBreak"}, text("regel 2")]},
            {
                "type": "relation-block",
                "attrs": {"id": "x", "junction": "articles_editor_nodes", "collection": "callouts"},
            },
            {"type": "horizontalRule"},
            {
                "type": "table",
                "content": [
                    {
                        "type": "tableRow",
                        "content": [
                            {"type": "tableCell", "content": [{"type": "paragraph", "content": [text("a")]}]},
                            {"type": "tableCell", "content": [{"type": "paragraph", "content": [text("b")]}]},
                        ],
                    }
                ],
            },
        ],
    }
    assert tiptap_text(doc) == "Salaris\nJe verdient meer.\neen\ntwee\nregel 1\nregel 2\na\nb"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ({}, ""),
        ({"type": "doc", "content": []}, ""),
        (
            '{"type":"doc","content":[{"type":"paragraph","content":[{"type":"text","text":"json string"}]}]}',
            "json string",
        ),
        ({"type": "doc", "content": [{"type": "unknownNode", "content": [text("kept")]}]}, "kept"),
    ],
)
def test_tiptap_text_edge_cases(value: Any, expected: str) -> None:
    assert tiptap_text(value) == expected


def test_index_settings_cover_every_index_the_indexer_builds() -> None:
    assert set(INDEX_SETTINGS) == set(ROOT_FIELDS)
    for settings in INDEX_SETTINGS.values():
        assert set(settings) == {"searchable_attributes", "attributes_for_faceting"}


# ---------------------------------------------------------------------------------- against the real stack


def reader_get(stack: StackInfo, path: str, **params: Any) -> Any:
    query = {k: json.dumps(v) if isinstance(v, dict) else v for k, v in params.items()}
    response = httpx.get(
        f"{stack.url}{path}",
        params=query,
        headers={"Authorization": f"Bearer {stack.reader_token}"},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()["data"]


def nonempty(records: Records, index: str) -> list[dict[str, Any]]:
    if not records[index]:
        pytest.skip(f"the stack has no visible {index} (seed not loaded yet?)")
    return records[index]


@pytest.mark.stack
@pytest.mark.parametrize("index", sorted(ROOT_FIELDS))
def test_records_are_exactly_what_the_reader_token_sees(
    stack: StackInfo, algolia_records: Records, index: str
) -> None:
    visible = {row["id"] for row in reader_get(stack, f"/items/{index}", fields="id", limit=-1)}
    assert {r["id"] for r in algolia_records[index]} == visible
    for record in algolia_records[index]:
        assert record["objectID"] == str(record["id"])
        assert set(ROOT_FIELDS[index]) <= set(record)
        # Never synced (API reference §3.4).
        assert not {"seo", "body", "answer", "hovi_id", "kiesmbo_id", "study_number", "brin_code"} & set(
            record
        )
        assert not {"phone_availability", "consultation_service_description", "status", "vendor"} & set(
            record
        )


# (index, alias, junction field to the target) for the M2M relations the records embed.
EMBEDDED_M2M = [
    ("faqs", "topics", "topics_id"),
    ("faqs", "sectors", "sectors_id"),
    ("faqs", "audiences", "audiences_id"),
    ("faqs", "phases", "phases_id"),
    ("articles", "authors", "authors_id"),
    ("articles", "topics", "topics_id"),
    ("articles", "sectors", "sectors_id"),
    ("articles", "roles", "roles_id"),
    ("articles", "tracks", "tracks_id"),
    ("articles", "qualifications", "qualifications_id"),
    ("articles", "audiences", "audiences_id"),
    ("articles", "phases", "phases_id"),
    ("articles", "faqs", "faqs_id"),
    ("programs", "educational_institutions", "educational_institutions_id"),
    ("programs", "qualifications", "qualifications_id"),
    ("programs", "roles", "roles_id"),
    ("programs", "sectors", "sectors_id"),
    ("programs", "locations", "locations_id"),
    ("regional_education_desks", "sectors", "sectors_id"),
    ("educational_institutions", "locations", "locations_id"),
]


@pytest.mark.stack
@pytest.mark.parametrize(("index", "alias", "junction_field"), EMBEDDED_M2M)
def test_embedded_items_match_the_reader_view_and_the_documented_fields(
    stack: StackInfo, algolia_records: Records, index: str, alias: str, junction_field: str
) -> None:
    # Directus nests at most 100 rows unless told otherwise (an article has 107 related FAQs).
    deep = {alias: {"_limit": -1}}
    rows = reader_get(stack, f"/items/{index}", fields=f"id,{alias}.{junction_field}.id", limit=-1, deep=deep)
    # Items the reader may not see come back as null: Algolia mirrors that.
    expected = {
        row["id"]: sorted(j[junction_field]["id"] for j in row[alias] or [] if j and j.get(junction_field))
        for row in rows
    }
    for record in algolia_records[index]:
        embedded = record[alias]
        assert sorted(e["id"] for e in embedded) == expected[record["id"]], record["id"]
        for item in embedded:
            assert list(item) == EMBEDDED_FIELDS[alias]


@pytest.mark.stack
def test_faq_body_string_is_the_answer_as_plain_text(stack: StackInfo, algolia_records: Records) -> None:
    faqs = {f["id"]: f for f in reader_get(stack, "/items/faqs", fields="id,answer", limit=-1)}
    for record in nonempty(algolia_records, "faqs"):
        answer = faqs[record["id"]]["answer"]
        assert "<" not in record["bodyString"] and "{" not in record["bodyString"]
        first = _first_text(answer)
        if first:
            assert " ".join(first.split()) in record["bodyString"]


def _first_text(node: Any) -> str | None:
    if isinstance(node, dict):
        if node.get("type") == "text" and node.get("text", "").strip():
            return str(node["text"])
        for child in node.get("content") or []:
            found = _first_text(child)
            if found:
                return found
    return None


@pytest.mark.stack
def test_program_geoloc_is_every_visible_location_point(stack: StackInfo, algolia_records: Records) -> None:
    rows = reader_get(
        stack, "/items/programs", fields="id,locations.locations_id.location_geopoint", limit=-1
    )
    points = {
        row["id"]: [
            {"lat": j["locations_id"]["location_geopoint"]["coordinates"][1], "lng": j["locations_id"]["location_geopoint"]["coordinates"][0]}
            for j in row["locations"] or []
            if j and j.get("locations_id") and j["locations_id"].get("location_geopoint")
        ]
        for row in rows
    }  # fmt: skip
    for record in nonempty(algolia_records, "programs"):
        assert record.get("_geoloc", []) == points[record["id"]]
        for form in record["program_forms"]:
            assert set(form) == {"id", "url", "form", "track", "bodyString"}
            assert form["track"] is None or set(form["track"]) == {"name"}


@pytest.mark.stack
def test_location_records(stack: StackInfo, algolia_records: Records) -> None:
    rows = reader_get(
        stack,
        "/items/locations",
        # Desks point at their office with a many-to-one (``location``), so this side is one-to-many.
        fields="id,location_geopoint,programs.programs_id.id,educational_institutions.educational_institutions_id.id,"
        "regional_education_desks.id",
        limit=-1,
    )

    def ids(row: dict[str, Any], alias: str) -> list[str]:
        return sorted(j[f"{alias}_id"]["id"] for j in row.get(alias) or [] if j and j.get(f"{alias}_id"))

    by_id = {row["id"]: row for row in rows}
    for record in nonempty(algolia_records, "locations"):
        row = by_id[record["id"]]
        assert sorted(p["id"] for p in record["programs"]) == ids(row, "programs")
        assert record["has_programs"] is bool(ids(row, "programs"))
        assert record["has_educational_institutions"] is bool(ids(row, "educational_institutions"))
        assert record["has_regional_education_desks"] is any(row.get("regional_education_desks") or [])
        for program in record["programs"]:
            assert set(program) == {"id", "educational_institutions"}
            assert all(set(i) == {"logo", "title"} for i in program["educational_institutions"])
        point = row["location_geopoint"]
        if point:
            lng, lat = point["coordinates"]
            assert record["_geoloc"] == {"lat": lat, "lng": lng}
        else:
            assert "_geoloc" not in record
    assert any(record["has_regional_education_desks"] for record in algolia_records["locations"])


@pytest.mark.stack
def test_desk_geoloc_is_the_area_grid(stack: StackInfo, algolia_records: Records) -> None:
    rows = reader_get(stack, "/items/regional_education_desks", fields="id,area.*", limit=-1)
    by_id = {row["id"]: row for row in rows}
    for record in nonempty(algolia_records, "regional_education_desks"):
        area = by_id[record["id"]]["area"]
        if not area:
            assert record["area"] is None and "_geoloc" not in record
            continue
        assert set(record["area"]) == set(EMBEDDED_FIELDS["areas"])
        grid = (area.get("area_inner") or {}).get("coordinates") or []
        assert record.get("_geoloc", []) == [{"lat": c[1], "lng": c[0]} for c in grid]


# ------------------------------------------------------------------------------ end to end through the double


def run_search(double: AlgoliaDouble, body: dict[str, Any]) -> list[SearchResponse]:
    async def main() -> list[SearchResponse]:
        client = double.make_client()
        try:
            response = await client.search(search_method_params=body)
        finally:
            await client.close()
        results = [r.actual_instance for r in response.results]
        assert all(isinstance(r, SearchResponse) for r in results)
        return results  # type: ignore[return-value]

    return asyncio.run(main())


@pytest.mark.stack
def test_every_faq_is_found_by_its_own_question(algolia: AlgoliaDouble, algolia_records: Records) -> None:
    for record in nonempty(algolia_records, "faqs"):
        words = [t.folded for t in tokenize(record["question"])]
        (result,) = run_search(
            algolia, {"requests": [{"indexName": "faqs", "query": " ".join(words), "hitsPerPage": 100}]}
        )
        assert record["objectID"] in [h.object_id for h in result.hits]


@pytest.mark.stack
def test_documented_facet_discovery_counts(algolia: AlgoliaDouble, algolia_records: Records) -> None:
    faqs = nonempty(algolia_records, "faqs")
    (result,) = run_search(
        algolia,
        {"requests": [{"indexName": "faqs", "facets": ["*"], "hitsPerPage": 0, "maxValuesPerFacet": 5000}]},
    )
    expected: dict[str, int] = {}
    for record in faqs:
        for title in {t["name"] for t in record["topics"] if t["name"]}:
            expected[title] = expected.get(title, 0) + 1
    assert (result.facets or {}).get("topics.name", {}) == expected
    assert result.nb_hits == len(faqs)


@pytest.mark.stack
def test_programs_near_a_location_through_the_client(
    algolia: AlgoliaDouble, algolia_records: Records
) -> None:
    with_geo = [p for p in nonempty(algolia_records, "programs") if p.get("_geoloc")]
    if not with_geo:
        pytest.skip("no program with a located location in the seed")
    target = with_geo[0]
    point = target["_geoloc"][0]
    programs, locations = run_search(
        algolia,
        {
            "requests": [
                {"indexName": "programs", "aroundLatLng": f"{point['lat']},{point['lng']}", "aroundRadius": 1000,
                 "getRankingInfo": True, "hitsPerPage": 100, "attributesToHighlight": []},
                {"indexName": "locations", "filters": "has_programs:true", "hitsPerPage": 500,
                 "aroundLatLng": f"{point['lat']},{point['lng']}", "aroundRadius": 1000, "getRankingInfo": True},
            ]
        },
    )  # fmt: skip
    hit = next(h for h in programs.hits if h.object_id == target["objectID"])
    assert hit.ranking_info is not None and hit.ranking_info.geo_distance == 0
    assert any(target["id"] in [p["id"] for p in (h.to_dict().get("programs") or [])] for h in locations.hits)
