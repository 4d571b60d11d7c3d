"""Build Algolia records in the documented shapes from the seeded Directus test stack.

Mirrors what Onderwijsloket's sync produces (API reference §3.4): one index per collection, the record is
the item plus ``objectID``, junctions are flattened into arrays of a fixed field subset, content documents
become plain text in ``bodyString`` and are otherwise left out, and geo data goes to ``_geoloc``.
Visibility mirrors Directus for a token with the Content read + Navigator policies ("Algolia visibility
mirrors Directus"): only ``status = published`` where a collection has a status, and only
``vendor = onderwijsloket`` for navigator collections. Embedded related items follow the same rule.

Everything is discovered from the live schema (``/relations``) and data, so the seed may change freely.
Deliberately independent of the code under test: its own tiny Tiptap-to-text function, stdlib HTTP.

Choices where the docs are silent (also in the team report):
* timestamps (``date_created``/``date_updated``) stay ISO-8601 strings as Directus returns them;
* custom Tiptap nodes (``relation-block`` etc.) contribute no text to ``bodyString``;
* root fields copied are the documented ones listed in ``ROOT_FIELDS`` (fields the documented mapping does not
  list, such as a desk's ``website``, ``consultation_service_url`` or ``phone_availability``, are not synced);
* ``_geoloc`` is left out (not ``[]``) when a record has no coordinates.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any

from tests.algolia.double import AlgoliaDouble

NAVIGATOR_COLLECTIONS = {
    "programs",
    "program_forms",
    "educational_institutions",
    "locations",
    "regional_education_desks",
    "areas",
}

# Embedded related items: the same field subset wherever they appear (API reference §3.4).
EMBEDDED_FIELDS: dict[str, list[str]] = {
    "audiences": ["id", "title"],
    "authors": ["id", "name", "image"],
    "documents": ["id", "title", "asset"],
    "faqs": ["id", "question"],
    "phases": ["id", "title"],
    "qualifications": ["id", "name", "path"],
    "roles": ["id", "name", "path"],
    "sectors": ["id", "title", "slug"],
    "sources": ["id", "title"],
    "topics": ["id", "name", "path"],
    "tracks": ["id", "name", "path"],
    "articles": ["id", "title", "path"],
    "educational_institutions": ["id", "title", "path", "logo", "type"],
    "locations": ["id", "title", "url", "address", "zip", "city", "country", "location_geopoint"],
    "areas": ["id", "title", "area_center", "area_bounds", "area_inner"],
}

ROOT_FIELDS: dict[str, list[str]] = {
    "faqs": ["id", "question"],
    "articles": ["id", "title", "slug", "path", "description", "summary", "english", "date_created", "date_updated"],
    "programs": ["id", "title", "slug", "path", "level", "type", "degree", "logo", "date_created"],
    "locations": ["id", "title", "url", "address", "zip", "city", "country", "location_geopoint"],
    "regional_education_desks": [
        "id", "title", "slug", "path", "logo", "email", "phone", "regions", "cities_municipalities",
        "has_consultation_service", "orientation_activity_types", "content_types", "date_created",
    ],
    "educational_institutions": ["id", "title", "slug", "path", "logo", "type", "date_created", "date_updated"],
    "sectors": [
        "id", "title", "slug", "path", "alt_names", "description", "introduction", "roles_content",
        "routes_content", "salary_content", "costs_content", "date_created",
    ],
}  # fmt: skip

# Searchable attributes and facets per index, as documented (API reference §3.5), in the documented order.
INDEX_SETTINGS: dict[str, dict[str, Any]] = {
    "articles": {
        "searchable_attributes": [
            "title", "summary", "description", "bodyString", "topics.name", "roles.name", "qualifications.name",
        ],
        "attributes_for_faceting": [
            "audiences.title", "authors.name", "phases.title", "qualifications.name", "roles.name",
            "sectors.title", "topics.name", "tracks.name", "english",
        ],
    },
    "educational_institutions": {
        "searchable_attributes": ["title", "type", "bodyString"],
        "attributes_for_faceting": ["type"],
    },
    "faqs": {
        "searchable_attributes": ["question", "bodyString", "topics.name"],
        "attributes_for_faceting": ["audiences.title", "phases.title", "sectors.title", "topics.name"],
    },
    "programs": {
        "searchable_attributes": [
            "title", "program_forms.bodyString", "qualifications.name", "educational_institutions.title",
            "type", "level", "degree",
        ],
        # "program_forms.tracks.name" is the documented facet although the documented mapping embeds
        # program_forms[].track.name (singular); kept as documented, so that facet has no values here.
        "attributes_for_faceting": [
            "qualifications.name", "roles.name", "sectors.title", "educational_institutions.title", "type",
            "level", "degree", "program_forms.tracks.name",
        ],
    },
    "regional_education_desks": {
        "searchable_attributes": ["title", "regions", "cities_municipalities", "bodyString"],
        "attributes_for_faceting": [
            "sectors.title", "has_consultation_service", "orientation_activity_types", "content_types",
        ],
    },
    "sectors": {
        "searchable_attributes": [
            "title", "alt_names", "description", "introduction", "roles_content", "routes_content",
            "salary_content", "costs_content",
        ],
        "attributes_for_faceting": [],
    },
    # The docs list no searchable attributes for locations; Algolia's default then searches every attribute.
    "locations": {
        "searchable_attributes": [],
        "attributes_for_faceting": ["has_programs", "has_educational_institutions", "has_regional_education_desks"],
    },
}  # fmt: skip


# ------------------------------------------------------------------------------------------- Tiptap → text

_BLOCK_NODES = {
    "paragraph", "heading", "blockquote", "codeBlock", "listItem", "bulletList", "orderedList", "table",
    "tableRow", "doc",
}  # fmt: skip


def tiptap_text(document: Any) -> str:
    """Plain text of a Tiptap JSON document: text nodes, blocks on their own lines, custom nodes skipped."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except json.JSONDecodeError:
            return document.strip()
    text = _PlainText()
    text.walk(document)
    text.flush()
    return "\n".join(text.lines)


class _PlainText:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def flush(self) -> None:
        text = "".join(self.current).strip()
        if text:
            self.lines.append(" ".join(text.split()))
        self.current.clear()

    def walk(self, node: Any) -> None:
        if not isinstance(node, dict):
            return
        kind = node.get("type")
        if kind == "text":
            self.current.append(str(node.get("text", "")))
            return
        if kind == "hardBreak":
            self.flush()
            return
        if kind in {"tableCell", "tableHeader"}:
            self.current.append(" ")
        if kind in {"relation-block", "relation-inline-block", "relation-mark"}:
            return  # their data lives in editor_nodes, not in the document
        if kind in _BLOCK_NODES:
            self.flush()
        for child in node.get("content") or []:
            self.walk(child)
        if kind in _BLOCK_NODES:
            self.flush()


# ---------------------------------------------------------------------------------------------- Directus


class _Directus:
    def __init__(self, url: str, token: str) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self._rows: dict[str, list[dict[str, Any]]] = {}

    def get(self, path: str, params: dict[str, str] | None = None) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        request = urllib.request.Request(self.url + path + query)
        request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=60) as reply:
                return json.load(reply)
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"Directus GET {path} answered {exc.code}") from None

    def rows(self, collection: str) -> list[dict[str, Any]]:
        if collection not in self._rows:
            try:
                data = self.get(f"/items/{collection}", {"limit": "-1", "fields": "*"})["data"]
            except RuntimeError as exc:
                # Directus answers 403 for a collection that does not exist (even to an admin).
                if "answered 403" not in str(exc):
                    raise
                data = []
            self._rows[collection] = data if isinstance(data, list) else [data]
        return self._rows[collection]


class _Model:
    """Relations discovered from ``/relations``; items read once; Directus visibility applied in Python."""

    def __init__(self, api: _Directus) -> None:
        self.api = api
        relations = api.get("/relations")["data"]
        self.m2m: dict[tuple[str, str], tuple[str, str, str, str, str | None]] = {}
        self.o2m: dict[tuple[str, str], tuple[str, str, str | None]] = {}
        self.m2o: dict[tuple[str, str], str] = {}
        by_field = {(r["collection"], r["field"]): r for r in relations}
        for r in relations:
            meta = r.get("meta") or {}
            if r.get("related_collection"):
                self.m2o[(r["collection"], r["field"])] = r["related_collection"]
            one_field = meta.get("one_field")
            if not one_field or not r.get("related_collection"):
                continue
            key = (r["related_collection"], one_field)
            junction_field = meta.get("junction_field")
            if junction_field:
                other = by_field.get((r["collection"], junction_field))
                if other and other.get("related_collection"):
                    self.m2m[key] = (
                        r["collection"],
                        r["field"],
                        junction_field,
                        other["related_collection"],
                        meta.get("sort_field"),
                    )
            else:
                self.o2m[key] = (r["collection"], r["field"], meta.get("sort_field"))
        self._by_id: dict[str, dict[Any, dict[str, Any]]] = {}

    def by_id(self, collection: str) -> dict[Any, dict[str, Any]]:
        if collection not in self._by_id:
            self._by_id[collection] = {row["id"]: row for row in self.api.rows(collection) if "id" in row}
        return self._by_id[collection]

    @staticmethod
    def visible(collection: str, row: dict[str, Any]) -> bool:
        if "status" in row and row["status"] != "published":
            return False
        return not (
            collection in NAVIGATOR_COLLECTIONS and "vendor" in row and row["vendor"] != "onderwijsloket"
        )

    def items(self, collection: str) -> list[dict[str, Any]]:
        return [row for row in self.api.rows(collection) if self.visible(collection, row)]

    def related(self, collection: str, alias: str, item: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        """(target collection, visible related items in junction order) for an M2M or O2M alias."""
        if (collection, alias) in self.m2m:
            junction, own, other, target, sort = self.m2m[(collection, alias)]
            rows = [j for j in self.api.rows(junction) if j.get(own) == item["id"]]
            rows.sort(key=lambda j: (j.get(sort) if sort else 0) or 0)
            targets = self.by_id(target)
            found = [targets.get(j.get(other)) for j in rows]
            return target, [t for t in found if t is not None and self.visible(target, t)]
        if (collection, alias) in self.o2m:
            child, fk, sort = self.o2m[(collection, alias)]
            rows = [c for c in self.api.rows(child) if c.get(fk) == item["id"] and self.visible(child, c)]
            rows.sort(key=lambda c: (c.get(sort) if sort else 0) or 0)
            return child, rows
        return alias, []

    def many_to_one(self, collection: str, field: str, item: dict[str, Any]) -> dict[str, Any] | None:
        target = self.m2o.get((collection, field))
        if target is None or item.get(field) is None:
            return None
        row = self.by_id(target).get(item[field])
        return row if row is not None and self.visible(target, row) else None


def _pick(row: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {f: row.get(f) for f in fields}


def _embed(model: _Model, collection: str, alias: str, item: dict[str, Any]) -> list[dict[str, Any]]:
    target, rows = model.related(collection, alias, item)
    return [_pick(r, EMBEDDED_FIELDS.get(target, ["id"])) for r in rows]


def _point(geometry: Any) -> dict[str, float] | None:
    if isinstance(geometry, dict) and geometry.get("type") == "Point":
        lng, lat = geometry["coordinates"][:2]
        return {"lat": float(lat), "lng": float(lng)}
    return None


def _multipoint(geometry: Any) -> list[dict[str, float]]:
    if isinstance(geometry, dict) and geometry.get("type") == "MultiPoint":
        return [{"lat": float(c[1]), "lng": float(c[0])} for c in geometry.get("coordinates") or []]
    return []


def _base(collection: str, row: dict[str, Any]) -> dict[str, Any]:
    record = _pick(row, ROOT_FIELDS[collection])
    record["objectID"] = str(row["id"])
    return record


def _faqs(model: _Model) -> list[dict[str, Any]]:
    records = []
    for row in model.items("faqs"):
        record = _base("faqs", row)
        record["bodyString"] = tiptap_text(row.get("answer"))
        for alias in ("topics", "sectors", "audiences", "phases"):
            record[alias] = _embed(model, "faqs", alias, row)
        records.append(record)
    return records


def _articles(model: _Model) -> list[dict[str, Any]]:
    records = []
    for row in model.items("articles"):
        record = _base("articles", row)
        record["bodyString"] = tiptap_text(row.get("body"))
        for alias in (
            "authors", "documents", "sources", "topics", "sectors", "roles", "tracks", "qualifications",
            "audiences", "phases", "faqs",
        ):  # fmt: skip
            record[alias] = _embed(model, "articles", alias, row)
        records.append(record)
    return records


def _program_forms(model: _Model, row: dict[str, Any]) -> list[dict[str, Any]]:
    forms = []
    _, rows = model.related("programs", "program_forms", row)
    for form in rows:
        track = model.many_to_one("program_forms", "track", form)
        forms.append(
            {
                "id": form.get("id"),
                "url": form.get("url"),
                "form": form.get("form"),
                "track": {"name": track.get("name")} if track else None,
                "bodyString": tiptap_text(form.get("description")),
            }
        )
    return forms


def _programs(model: _Model) -> list[dict[str, Any]]:
    records = []
    for row in model.items("programs"):
        record = _base("programs", row)
        record["bodyString"] = tiptap_text(row.get("description"))
        for alias in ("educational_institutions", "qualifications", "roles", "sectors", "locations"):
            record[alias] = _embed(model, "programs", alias, row)
        record["program_forms"] = _program_forms(model, row)
        points = [p for loc in record["locations"] if (p := _point(loc.get("location_geopoint")))]
        if points:
            record["_geoloc"] = points
        records.append(record)
    return records


def _embedded_programs(model: _Model, collection: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    """Documented embedded program shape: id, title, path and its institutions' title and logo."""
    _, programs = model.related(collection, "programs", row)
    result = []
    for program in programs:
        _, institutions = model.related("programs", "educational_institutions", program)
        result.append(
            {
                "id": program.get("id"),
                "title": program.get("title"),
                "path": program.get("path"),
                "educational_institutions": [
                    {"title": i.get("title"), "logo": i.get("logo")} for i in institutions
                ],
            }
        )
    return result


def _locations(model: _Model) -> list[dict[str, Any]]:
    records = []
    for row in model.items("locations"):
        record = _base("locations", row)
        programs = _embedded_programs(model, "locations", row)
        # The documented location record embeds programs as {id, educational_institutions[{logo, title}]}.
        record["programs"] = [
            {"id": p["id"], "educational_institutions": p["educational_institutions"]} for p in programs
        ]
        record["has_programs"] = bool(programs)
        record["has_educational_institutions"] = bool(
            model.related("locations", "educational_institutions", row)[1]
        )
        record["has_regional_education_desks"] = bool(
            model.related("locations", "regional_education_desks", row)[1]
        )
        point = _point(row.get("location_geopoint"))
        if point:
            record["_geoloc"] = point
        records.append(record)
    return records


def _desks(model: _Model) -> list[dict[str, Any]]:
    records = []
    for row in model.items("regional_education_desks"):
        record = _base("regional_education_desks", row)
        record["bodyString"] = tiptap_text(row.get("description"))
        record["sectors"] = _embed(model, "regional_education_desks", "sectors", row)
        area = model.many_to_one("regional_education_desks", "area", row)
        record["area"] = _pick(area, EMBEDDED_FIELDS["areas"]) if area else None
        grid = _multipoint(area.get("area_inner")) if area else []
        if grid:
            record["_geoloc"] = grid
        records.append(record)
    return records


def _institutions(model: _Model) -> list[dict[str, Any]]:
    records = []
    for row in model.items("educational_institutions"):
        record = _base("educational_institutions", row)
        record["bodyString"] = tiptap_text(row.get("description"))
        record["programs"] = _embedded_programs(model, "educational_institutions", row)
        record["locations"] = _embed(model, "educational_institutions", "locations", row)
        records.append(record)
    return records


def _sectors(model: _Model) -> list[dict[str, Any]]:
    return [_base("sectors", row) for row in model.items("sectors")]


def build_records(directus_url: str, admin_token: str) -> dict[str, list[dict[str, Any]]]:
    """Records per index name, built from the live Directus stack (read with the admin token)."""
    model = _Model(_Directus(directus_url, admin_token))
    return {
        "faqs": _faqs(model),
        "articles": _articles(model),
        "programs": _programs(model),
        "locations": _locations(model),
        "regional_education_desks": _desks(model),
        "educational_institutions": _institutions(model),
        "sectors": _sectors(model),
    }


def load_records(
    double: AlgoliaDouble,
    records: dict[str, list[dict[str, Any]]],
    settings: dict[str, dict[str, Any]] | None = None,
) -> None:
    """Load every index into ``double`` with its documented settings."""
    settings = settings or INDEX_SETTINGS
    for name, items in records.items():
        double.load_index(name, items, **settings[name])
