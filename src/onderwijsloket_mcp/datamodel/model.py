"""A compact, source-independent model of the Directus schema: collections, fields, resolved relations.

Built from Directus's schema endpoints (``/collections``, ``/fields``, ``/relations``: only for users with app
access), from the OpenAPI document (``/server/specs/oas``: works for API tokens and is filtered to what the
token may read), or a snapshot document (the one bundled with the package, see :mod:`.load`). Pure functions
only: no I/O here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

SNAPSHOT_FORMAT = 1

RelationKind = Literal["m2o", "file", "o2m", "m2m", "m2a", "m2a-item"]
Source = Literal["schema-endpoints", "openapi", "snapshot"]

FILES = "directus_files"
# OpenAPI names Directus's own collections without the Items prefix.
_SYSTEM_SCHEMAS = {"Files": "directus_files", "Users": "directus_users", "Folders": "directus_folders"}
# Fields that only order or identify a junction row; they do not make it more than a junction.
_JUNCTION_PLUMBING = frozenset({"id", "sort"})


@dataclass(frozen=True)
class Relation:
    kind: RelationKind
    target: str | None = None  # m2o/file/o2m/m2m: the related collection (None: not visible)
    targets: tuple[str, ...] = ()  # m2a / m2a-item: the allowed collections
    junction: str | None = None  # m2m/m2a: the junction collection
    junction_field: str | None = None  # m2m: junction field to the target; m2a: the "item" field
    back_field: str | None = None  # o2m: field on target pointing here; m2m/m2a: junction field pointing here


@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: str
    note: str = ""
    choices: tuple[str, ...] = ()
    primary_key: bool = False
    relation: Relation | None = None


@dataclass(frozen=True)
class CollectionInfo:
    name: str
    note: str = ""
    fields: tuple[FieldInfo, ...] = ()
    singleton: bool = False
    junction: bool = False  # an M2M/M2A helper collection

    def field(self, name: str) -> FieldInfo | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def primary_key(self) -> FieldInfo | None:
        return next((f for f in self.fields if f.primary_key), None)


@dataclass(frozen=True)
class SchemaModel:
    collections: Mapping[str, CollectionInfo]
    source: Source
    directus_version: str | None = None
    # Why this source is shown (e.g. "no token configured"); empty for a live model.
    reason: str = ""
    # Field choices copied from the bundled snapshot into a live OpenAPI model (which has none).
    choices_from_snapshot: bool = False

    @property
    def live(self) -> bool:
        return self.source != "snapshot"

    def names(self) -> list[str]:
        return sorted(self.collections)

    def with_reason(self, reason: str) -> SchemaModel:
        return replace(self, reason=reason)

    def referrers(self, collection: str) -> list[tuple[str, FieldInfo]]:
        """Fields of non-junction collections whose relation reaches ``collection``."""
        out: list[tuple[str, FieldInfo]] = []
        for info in self.collections.values():
            if info.junction or info.name == collection:
                continue
            for f in info.fields:
                rel = f.relation
                if rel is not None and (rel.target == collection or collection in rel.targets):
                    out.append((info.name, f))
        return out


# -- from Directus schema endpoints ---------------------------------------------------------------------


def from_directus(
    collections: Iterable[Mapping[str, Any]],
    fields: Iterable[Mapping[str, Any]],
    relations: Iterable[Mapping[str, Any]],
    *,
    source: Source = "schema-endpoints",
    directus_version: str | None = None,
) -> SchemaModel:
    """Model from the bodies of ``/collections``, ``/fields`` and ``/relations`` (or a schema snapshot)."""
    rels = [r for r in relations if isinstance(r, Mapping) and _user(r.get("collection"))]
    by_many: dict[tuple[str, str], Mapping[str, Any]] = {
        (str(r["collection"]), str(r.get("field"))): r for r in rels
    }
    by_one: dict[tuple[str, str], Mapping[str, Any]] = {}
    junctions: set[str] = set()
    for r in rels:
        meta = _mapping(r.get("meta"))
        one_field = meta.get("one_field")
        if r.get("related_collection") and isinstance(one_field, str):
            by_one[(str(r["related_collection"]), one_field)] = r
        if meta.get("junction_field"):
            junctions.add(str(r["collection"]))

    field_rows: dict[str, list[Mapping[str, Any]]] = {}
    for row in fields:
        if isinstance(row, Mapping) and _user(row.get("collection")):
            field_rows.setdefault(str(row["collection"]), []).append(row)

    out: dict[str, CollectionInfo] = {}
    for row in collections:
        if not isinstance(row, Mapping) or not _user(row.get("collection")):
            continue
        if row.get("schema") is None:  # a folder in the Data Studio, not a table
            continue
        name = str(row["collection"])
        meta = _mapping(row.get("meta"))
        infos = []
        for frow in sorted(field_rows.get(name, []), key=_field_order):
            info = _directus_field(name, frow, by_many, by_one)
            if info is not None:
                infos.append(info)
        out[name] = CollectionInfo(
            name=name,
            note=_text(meta.get("note")),
            fields=tuple(infos),
            singleton=bool(meta.get("singleton")),
            junction=name in junctions,
        )
    return SchemaModel(
        collections=dict(sorted(out.items())), source=source, directus_version=directus_version
    )


def _directus_field(
    collection: str,
    row: Mapping[str, Any],
    by_many: Mapping[tuple[str, str], Mapping[str, Any]],
    by_one: Mapping[tuple[str, str], Mapping[str, Any]],
) -> FieldInfo | None:
    name = str(row.get("field"))
    ftype = str(row.get("type") or "unknown")
    meta = _mapping(row.get("meta"))
    schema = _mapping(row.get("schema"))
    relation: Relation | None = None
    many = by_many.get((collection, name))
    one = by_one.get((collection, name))
    if many is not None:
        allowed = _mapping(many.get("meta")).get("one_allowed_collections")
        if isinstance(allowed, list) and allowed:
            relation = Relation(kind="m2a-item", targets=tuple(sorted(str(a) for a in allowed)))
        elif many.get("related_collection"):
            target = str(many["related_collection"])
            relation = Relation(kind="file" if target == FILES else "m2o", target=target)
    elif one is not None:
        junction = str(one["collection"])
        back = str(one.get("field"))
        junction_field = _mapping(one.get("meta")).get("junction_field")
        if isinstance(junction_field, str) and junction_field:
            other = by_many.get((junction, junction_field))
            allowed = _mapping(other.get("meta")).get("one_allowed_collections") if other else None
            if isinstance(allowed, list) and allowed:
                relation = Relation(
                    kind="m2a",
                    targets=tuple(sorted(str(a) for a in allowed)),
                    junction=junction,
                    junction_field=junction_field,
                    back_field=back,
                )
            else:
                related = other.get("related_collection") if other else None
                relation = Relation(
                    kind="m2m",
                    target=str(related) if related else None,
                    junction=junction,
                    junction_field=junction_field,
                    back_field=back,
                )
        else:
            relation = Relation(kind="o2m", target=junction, back_field=back)
    elif ftype == "alias":
        return None  # presentation-only (dividers, groups): no data
    choices: tuple[str, ...] = ()
    options = _mapping(meta.get("options"))
    raw_choices = options.get("choices")
    if isinstance(raw_choices, list):
        choices = tuple(
            str(c.get("value")) for c in raw_choices if isinstance(c, Mapping) and c.get("value") is not None
        )
    return FieldInfo(
        name=name,
        type=ftype,
        note=_text(meta.get("note")),
        choices=choices,
        primary_key=bool(schema.get("is_primary_key")),
        relation=relation,
    )


def _field_order(row: Mapping[str, Any]) -> tuple[int, str]:
    sort = _mapping(row.get("meta")).get("sort")
    return (sort if isinstance(sort, int) else 1_000_000, str(row.get("field")))


# -- from the OpenAPI document --------------------------------------------------------------------------


# One OpenAPI property: its schema, the collections it references, and whether it is an array of them.
_Property = tuple[Mapping[str, Any], list[str], bool]


def from_openapi(document: Mapping[str, Any]) -> SchemaModel:
    """Model from ``/server/specs/oas``: the collections and fields this token may read.

    OpenAPI keeps references but not Directus's relation metadata, so relations are reconstructed: a
    reference is an M2O; an array of references to a collection that holds only a pointer back here and
    one other relation is an M2M (or M2A, when that other relation is the ``item`` of a ``collection``
    selector); any other array of references is an O2M.
    """
    schemas = _mapping(_mapping(document.get("components")).get("schemas"))
    references = _References(_openapi_properties(schemas, _openapi_names(schemas)))
    notes: dict[str, str] = {}
    for tag in document.get("tags") or []:
        if isinstance(tag, Mapping) and isinstance(tag.get("x-collection"), str):
            notes[str(tag["x-collection"])] = _text(tag.get("description"))
    junctions: set[str] = set()
    out: dict[str, CollectionInfo] = {}
    for collection, props in references.raw.items():
        infos: list[FieldInfo] = []
        for fname, (prop, _, _) in props.items():
            relation = references.relation(collection, fname)
            if relation is not None and relation.kind in ("m2m", "m2a") and relation.junction:
                junctions.add(relation.junction)
            infos.append(
                FieldInfo(
                    name=fname,
                    type=_openapi_type(prop, relation),
                    note=_text(prop.get("description")),
                    # OpenAPI does not mark primary keys; Directus collections here all use "id".
                    primary_key=fname == "id",
                    relation=relation,
                )
            )
        out[collection] = CollectionInfo(name=collection, note=notes.get(collection, ""), fields=tuple(infos))
    out = {name: replace(info, junction=name in junctions) for name, info in out.items()}
    # info.version is a schema hash, not the Directus version: not worth showing.
    return SchemaModel(collections=dict(sorted(out.items())), source="openapi")


def _openapi_names(schemas: Mapping[str, Any]) -> dict[str, str]:
    """OpenAPI schema name -> collection."""
    names: dict[str, str] = {}
    for key, schema in schemas.items():
        collection = _mapping(schema).get("x-collection")
        if isinstance(collection, str) and collection:
            names[str(key)] = collection
        elif key in _SYSTEM_SCHEMAS:
            names[str(key)] = _SYSTEM_SCHEMAS[key]
    return names


def _openapi_properties(
    schemas: Mapping[str, Any], names: Mapping[str, str]
) -> dict[str, dict[str, _Property]]:
    """Every user collection's properties with the collections they reference (arrays resolved later)."""
    raw: dict[str, dict[str, _Property]] = {}
    for key, schema in schemas.items():
        collection = names.get(str(key))
        if collection is None or not _user(collection):
            continue
        props = _mapping(_mapping(schema).get("properties"))
        raw[collection] = {}
        for fname, prop in props.items():
            prop = _mapping(prop)
            is_array = prop.get("type") == "array"
            refs = [names.get(r, r) for r in _refs(_mapping(prop.get("items")) if is_array else prop)]
            raw[collection][str(fname)] = (prop, refs, is_array)
    return raw


class _References:
    """The relations behind the references of an OpenAPI document's properties."""

    def __init__(self, raw: dict[str, dict[str, _Property]]) -> None:
        self.raw = raw

    def relation(self, collection: str, fname: str) -> Relation | None:
        _, refs, is_array = self.raw[collection][fname]
        if self.m2a_item(collection, fname):
            return Relation(kind="m2a-item", targets=tuple(sorted(refs)))
        if refs and not is_array:
            return Relation(kind="file" if refs[0] == FILES else "m2o", target=refs[0])
        if refs:
            return self._alias_relation(collection, refs[0])
        return None

    def m2a_item(self, collection: str, fname: str) -> bool:
        entry = self.raw.get(collection, {}).get(fname)
        if entry is None or not entry[1]:
            return False
        return len(entry[1]) > 1 or (fname == "item" and "collection" in self.raw[collection])

    def m2o_targets(self, collection: str) -> dict[str, str]:
        return {
            fname: refs[0]
            for fname, (_, refs, is_array) in self.raw.get(collection, {}).items()
            if refs and not is_array and not self.m2a_item(collection, fname)
        }

    def _alias_relation(self, collection: str, referenced: str) -> Relation:
        raw = self.raw
        if referenced not in raw:
            # The token may not read the related collection: the relation exists but cannot be resolved.
            return Relation(kind="o2m", target=None, junction=None)
        pointers: dict[str, str] = self.m2o_targets(referenced)
        back_candidates = [f for f, target in pointers.items() if target == collection]
        if not back_candidates:
            return Relation(kind="o2m", target=referenced)
        preferred = f"{collection}_id"
        back = preferred if preferred in back_candidates else back_candidates[0]
        rest = [f for f in raw[referenced] if f not in _JUNCTION_PLUMBING and f != back]
        m2a_fields = [f for f in rest if self.m2a_item(referenced, f)]
        if m2a_fields and set(rest) <= {m2a_fields[0], "collection"}:
            item = m2a_fields[0]
            return Relation(
                kind="m2a",
                targets=tuple(sorted(raw[referenced][item][1])),
                junction=referenced,
                junction_field=item,
                back_field=back,
            )
        if len(rest) == 1 and rest[0] in pointers:
            return Relation(
                kind="m2m",
                target=pointers[rest[0]],
                junction=referenced,
                junction_field=rest[0],
                back_field=back,
            )
        return Relation(kind="o2m", target=referenced, back_field=back)


def _refs(prop: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    candidates: list[Any] = [prop, *(prop.get("oneOf") or []), *(prop.get("anyOf") or [])]
    for candidate in candidates:
        ref = _mapping(candidate).get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            if name not in out:
                out.append(name)
    return out


_FORMAT_TYPES = {
    "uuid": "uuid",
    "timestamp": "timestamp",
    "date-time": "dateTime",
    "date": "date",
    "time": "time",
}


def _openapi_type(prop: Mapping[str, Any], relation: Relation | None) -> str:
    if relation is not None:
        return "alias" if relation.kind in ("o2m", "m2m", "m2a") else _scalar(_pk_variant(prop))
    return _scalar(prop)


def _pk_variant(prop: Mapping[str, Any]) -> Mapping[str, Any]:
    """The plain-key alternative of ``oneOf: [{type: string, format: uuid}, {$ref: ...}]``."""
    source = _mapping(prop.get("items")) if prop.get("type") == "array" else prop
    for candidate in source.get("oneOf") or []:
        if isinstance(candidate, Mapping) and "$ref" not in candidate:
            return candidate
    return {}


def _scalar(prop: Mapping[str, Any]) -> str:
    kind = prop.get("type")
    fmt = prop.get("format")
    if kind == "string":
        return _FORMAT_TYPES.get(str(fmt), "string") if fmt else "string"
    if kind == "number":
        return "float"
    if kind in ("integer", "boolean", "object", "array"):
        return str(kind)
    return "json"


# -- snapshot (de)serialisation -------------------------------------------------------------------------


def to_snapshot(model: SchemaModel, *, generator: str) -> dict[str, Any]:
    """A compact, deterministic JSON document for the bundled snapshot."""
    return {
        "format": SNAPSHOT_FORMAT,
        "generator": generator,
        "directus": model.directus_version,
        "collections": [_collection_json(model.collections[name]) for name in sorted(model.collections)],
    }


def dump_snapshot(document: Mapping[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def from_snapshot(document: Mapping[str, Any]) -> SchemaModel:
    if document.get("format") != SNAPSHOT_FORMAT:
        raise ValueError(f"unsupported schema snapshot format {document.get('format')!r}")
    collections: dict[str, CollectionInfo] = {}
    for row in document.get("collections") or []:
        info = CollectionInfo(
            name=str(row["name"]),
            note=str(row.get("note", "")),
            singleton=bool(row.get("singleton", False)),
            junction=bool(row.get("junction", False)),
            fields=tuple(_field_from_json(f) for f in row.get("fields") or []),
        )
        collections[info.name] = info
    version = document.get("directus")
    return SchemaModel(
        collections=dict(sorted(collections.items())),
        source="snapshot",
        directus_version=str(version) if version else None,
    )


def with_snapshot_choices(model: SchemaModel, snapshot: SchemaModel) -> SchemaModel:
    """Copy field choices the OpenAPI document lacks from the snapshot, where collection and field match."""
    changed = False
    collections: dict[str, CollectionInfo] = {}
    for name, info in model.collections.items():
        known = snapshot.collections.get(name)
        fields: list[FieldInfo] = []
        for f in info.fields:
            twin = known.field(f.name) if known else None
            if twin is not None and twin.choices and not f.choices and f.relation is None:
                f = replace(f, choices=twin.choices)
                changed = True
            fields.append(f)
        collections[name] = replace(info, fields=tuple(fields))
    return replace(model, collections=collections, choices_from_snapshot=changed)


def _collection_json(info: CollectionInfo) -> dict[str, Any]:
    out: dict[str, Any] = {"name": info.name}
    if info.note:
        out["note"] = info.note
    if info.singleton:
        out["singleton"] = True
    if info.junction:
        out["junction"] = True
    out["fields"] = [_field_json(f) for f in info.fields]
    return out


def _field_json(info: FieldInfo) -> dict[str, Any]:
    out: dict[str, Any] = {"name": info.name, "type": info.type}
    if info.note:
        out["note"] = info.note
    if info.choices:
        out["choices"] = list(info.choices)
    if info.primary_key:
        out["pk"] = True
    if info.relation is not None:
        rel = info.relation
        relation: dict[str, Any] = {"kind": rel.kind}
        for key in ("target", "junction", "junction_field", "back_field"):
            value = getattr(rel, key)
            if value:
                relation[key] = value
        if rel.targets:
            relation["targets"] = list(rel.targets)
        out["relation"] = relation
    return out


def _field_from_json(row: Mapping[str, Any]) -> FieldInfo:
    relation = None
    rel = row.get("relation")
    if isinstance(rel, Mapping):
        relation = Relation(
            kind=rel["kind"],
            target=rel.get("target"),
            targets=tuple(rel.get("targets") or ()),
            junction=rel.get("junction"),
            junction_field=rel.get("junction_field"),
            back_field=rel.get("back_field"),
        )
    return FieldInfo(
        name=str(row["name"]),
        type=str(row.get("type", "unknown")),
        note=str(row.get("note", "")),
        choices=tuple(str(c) for c in row.get("choices") or ()),
        primary_key=bool(row.get("pk", False)),
        relation=relation,
    )


# -- helpers --------------------------------------------------------------------------------------------


def _user(collection: object) -> bool:
    return isinstance(collection, str) and bool(collection) and not collection.startswith("directus_")


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def data_list(body: object) -> Sequence[Mapping[str, Any]]:
    """``body["data"]`` of a Directus list response, or ``[]``."""
    data = _mapping(body).get("data")
    return [row for row in data if isinstance(row, Mapping)] if isinstance(data, list) else []
