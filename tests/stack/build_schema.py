"""Create the test stack's Directus schema over REST (collections, fields, relations).

This is the source of truth for tests/stack/schema.yaml: run it against a freshly bootstrapped
Directus and snapshot the result (``tests/stack/directus.sh snapshot`` does both). directus.sh applies
the committed YAML, so this script never runs during a normal ``up``.

Names follow the documented Onderwijsloket data model; every undocumented choice is recorded in
tests/stack/ASSUMPTIONS.md — keep the two in step.

Usage: DIRECTUS_URL=http://127.0.0.1:8055 DIRECTUS_ADMIN_TOKEN=... python3 build_schema.py
Stdlib only, so it runs without the project's virtualenv.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from typing import Any

URL = os.environ.get("DIRECTUS_URL", "http://127.0.0.1:8055").rstrip("/")
TOKEN = os.environ.get("DIRECTUS_ADMIN_TOKEN", "test-admin-token")

Json = dict[str, Any]

STATUS_CHOICES = ["published", "draft", "archived"]
# The target of regional_education_desks.phone_availability: its name is not in the exports (an assumption).
OPENING_HOURS = "opening_hours"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
VENDOR_CHOICES = ["onderwijsloket", "hovi", "kiesmbo", "sodk"]


def request(method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(URL + path, data=data, method=method)
    req.add_header("Authorization", f"Bearer {TOKEN}")
    req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode(errors="replace")
        raise SystemExit(
            f"{method} {path} -> {exc.code}: {detail}\nbody: {json.dumps(body)[:2000]}"
        ) from None
    return json.loads(raw) if raw else None


# --------------------------------------------------------------------------- field builders


def _choices(values: list[str]) -> list[Json]:
    return [{"text": v, "value": v} for v in values]


def _field(
    name: str,
    type_: str,
    note: str,
    *,
    interface: str | None = None,
    special: list[str] | None = None,
    options: Json | None = None,
    schema: Json | None = None,
    **meta: Any,
) -> Json:
    m: Json = {"interface": interface, "note": note, "special": special, "options": options}
    m.update(meta)
    return {"field": name, "type": type_, "meta": m, "schema": schema if schema is not None else {}}


def uuid_pk() -> Json:
    return _field(
        "id",
        "uuid",
        "Primary key (UUID).",
        interface="input",
        special=["uuid"],
        hidden=True,
        readonly=True,
        schema={"is_primary_key": True, "length": 36, "has_auto_increment": False},
    )


def int_pk() -> Json:
    return _field(
        "id",
        "integer",
        "Primary key.",
        interface="input",
        hidden=True,
        readonly=True,
        schema={"is_primary_key": True, "has_auto_increment": True},
    )


def string(
    name: str,
    note: str,
    *,
    required: bool = False,
    default: str | None = None,
    choices: list[str] | None = None,
    width: str = "full",
) -> Json:
    if choices:
        return _field(
            name,
            "string",
            note,
            interface="select-dropdown",
            options={"choices": _choices(choices)},
            display="labels",
            required=required,
            width=width,
            schema={"default_value": default},
        )
    return _field(
        name,
        "string",
        note,
        interface="input",
        required=required,
        width=width,
        schema={"default_value": default},
    )


def text(name: str, note: str) -> Json:
    return _field(name, "text", note, interface="input-multiline")


def tiptap(name: str, note: str) -> Json:
    # Production uses a Tiptap editor extension; a JSON code field stores the same document shape.
    return _field(
        name, "json", note, interface="input-code", special=["cast-json"], options={"language": "JSON"}
    )


def json_field(name: str, note: str) -> Json:
    return _field(
        name, "json", note, interface="input-code", special=["cast-json"], options={"language": "JSON"}
    )


def string_list(name: str, note: str) -> Json:
    return _field(name, "json", note, interface="tags", special=["cast-json"])


def boolean(name: str, note: str, default: bool = False) -> Json:
    return _field(
        name,
        "boolean",
        note,
        interface="boolean",
        special=["cast-boolean"],
        width="half",
        schema={"default_value": default},
    )


def integer(name: str, note: str) -> Json:
    return _field(name, "integer", note, interface="input", width="half")


def time_field(name: str, note: str) -> Json:
    return _field(name, "time", note, interface="datetime", width="half")


def sort_field() -> Json:
    return _field("sort", "integer", "Manual order (ascending).", interface="input", hidden=True)


def geometry(name: str, kind: str, note: str) -> Json:
    return _field(name, f"geometry.{kind}", note, interface="map", options={"geometryType": kind})


def status() -> Json:
    return string(
        "status",
        "Publication state; API readers only see published items.",
        required=True,
        default="draft",
        choices=STATUS_CHOICES,
        width="half",
    )


def vendor() -> Json:
    return string(
        "vendor",
        "Data source; the Navigator policy only shows onderwijsloket.",
        required=True,
        default="onderwijsloket",
        choices=VENDOR_CHOICES,
        width="half",
    )


def date_created() -> Json:
    return _field(
        "date_created",
        "timestamp",
        "Set by Directus on create.",
        interface="datetime",
        special=["date-created"],
        readonly=True,
        hidden=True,
        width="half",
    )


def date_updated() -> Json:
    return _field(
        "date_updated",
        "timestamp",
        "Set by Directus on update.",
        interface="datetime",
        special=["date-updated"],
        readonly=True,
        hidden=True,
        width="half",
    )


# --------------------------------------------------------------------------- schema operations


def create_collection(
    name: str,
    fields: list[Json],
    *,
    note: str,
    icon: str = "box",
    pk: str = "uuid",
    hidden: bool = False,
    display_template: str | None = None,
    sort: bool = False,
) -> None:
    meta: Json = {"note": note, "icon": icon, "hidden": hidden, "display_template": display_template}
    if any(f["field"] == "status" for f in fields):
        meta.update(archive_field="status", archive_value="archived", unarchive_value="draft")
    if sort:
        meta["sort_field"] = "sort"
    pk_field = uuid_pk() if pk == "uuid" else int_pk()
    request(
        "POST",
        "/collections",
        {"collection": name, "meta": meta, "schema": {}, "fields": [pk_field, *fields]},
    )


def add_field(collection: str, field: Json) -> None:
    request("POST", f"/fields/{collection}", field)


def add_relation(collection: str, field: str, related: str | None, meta: Json, on_delete: str | None) -> None:
    body: Json = {"collection": collection, "field": field, "related_collection": related, "meta": meta}
    body["schema"] = {"on_delete": on_delete} if on_delete else None
    request("POST", "/relations", body)


def fk_type(target: str) -> str:
    return "uuid" if target == "directus_files" or target in UUID_COLLECTIONS else "integer"


def m2o(
    collection: str, field: str, target: str, note: str, *, reverse: str | None = None, reverse_note: str = ""
) -> None:
    """Many-to-one; `reverse` adds the O2M alias on the target (e.g. programs.program_forms)."""
    if reverse:
        add_field(target, _field(reverse, "alias", reverse_note, interface="list-o2m", special=["o2m"]))
    add_field(
        collection, _field(field, fk_type(target), note, interface="select-dropdown-m2o", special=["m2o"])
    )
    meta: Json = {"one_field": reverse, "one_deselect_action": "nullify"}
    if reverse and collection in SORTED_COLLECTIONS:
        meta["sort_field"] = "sort"
    add_relation(collection, field, target, meta, "SET NULL")


def file_field(collection: str, field: str, note: str, *, image: bool = True) -> None:
    add_field(
        collection, _field(field, "uuid", note, interface="file-image" if image else "file", special=["file"])
    )
    add_relation(collection, field, "directus_files", {"one_deselect_action": "nullify"}, "SET NULL")


def m2m(
    collection: str,
    alias: str,
    target: str,
    note: str,
    *,
    junction: str | None = None,
    reverse: str | None = None,
    reverse_note: str = "",
    sort: bool = False,
    left: str | None = None,
    right: str | None = None,
) -> None:
    """Many-to-many via junction `{collection}_{target}(id, {collection}_id, {target}_id[, sort])`."""
    junction = junction or f"{collection}_{target}"
    left = left or f"{collection}_id"
    right = right or f"{target}_id"
    junction_fields = [
        _field(left, fk_type(collection), f"→ {collection}", hidden=True),
        _field(right, fk_type(target), f"→ {target}", hidden=True),
    ]
    if sort:
        junction_fields.append(sort_field())
    create_collection(
        junction,
        junction_fields,
        note=f"Junction {collection}.{alias} ↔ {target}.",
        icon="import_export",
        pk="integer",
        hidden=True,
    )
    add_field(collection, _field(alias, "alias", note, interface="list-m2m", special=["m2m"]))
    if reverse:
        add_field(target, _field(reverse, "alias", reverse_note, interface="list-m2m", special=["m2m"]))
    add_relation(
        junction,
        left,
        collection,
        {
            "one_field": alias,
            "junction_field": right,
            "sort_field": "sort" if sort else None,
            "one_deselect_action": "nullify",
        },
        "CASCADE",
    )
    add_relation(
        junction,
        right,
        target,
        {"one_field": reverse, "junction_field": left, "one_deselect_action": "nullify"},
        "CASCADE",
    )


def m2a(
    collection: str,
    alias: str,
    allowed: list[str],
    note: str,
    *,
    junction: str | None = None,
    pk: str = "uuid",
    sort: bool = False,
) -> None:
    """Many-to-any via junction `(id, {collection}_id, collection, item[, sort])`."""
    junction = junction or f"{collection}_{alias}"
    parent = f"{collection}_id"
    junction_fields = [
        _field(parent, fk_type(collection), f"→ {collection}", hidden=True),
        _field("collection", "string", "Collection of the linked item.", hidden=True),
        _field("item", "string", "Primary key of the linked item.", hidden=True),
    ]
    if sort:
        junction_fields.append(sort_field())
    create_collection(
        junction,
        junction_fields,
        note=f"Many-to-any junction for {collection}.{alias}.",
        icon="import_export",
        pk=pk,
        hidden=True,
    )
    add_field(collection, _field(alias, "alias", note, interface="list-m2a", special=["m2a"]))
    add_relation(
        junction,
        "item",
        None,
        {"one_allowed_collections": allowed, "one_collection_field": "collection", "junction_field": parent},
        None,
    )
    add_relation(
        junction,
        parent,
        collection,
        {
            "one_field": alias,
            "junction_field": "item",
            "sort_field": "sort" if sort else None,
            "one_deselect_action": "nullify",
        },
        "CASCADE",
    )


# --------------------------------------------------------------------------- the model

UUID_COLLECTIONS = {
    "topics",
    "sectors",
    "audiences",
    "phases",
    "roles",
    "qualifications",
    "tracks",
    "school_subjects",
    "faqs",
    "articles",
    "authors",
    "sources",
    "documents",
    "buttons",
    "callouts",
    "images",
    "content_lists",
    "content_list_items",
    "related_content_lists",
    "mediaplayers",
    "mentions",
    "programs",
    "program_forms",
    "educational_institutions",
    "locations",
    "regional_education_desks",
    "areas",
    OPENING_HOURS,
    "route_questions",
    "route_answers",
    "route_steps",
    "routes",
}
SORTED_COLLECTIONS = {"content_list_items", "route_answers"}

BLOCK_COLLECTIONS = [
    "buttons",
    "callouts",
    "images",
    "content_lists",
    "related_content_lists",
    "mediaplayers",
    "mentions",
]


def taxonomy() -> None:
    create_collection(
        "topics",
        [
            string("name", "Topic name.", required=True),
            string("slug", "URL slug."),
            string("path", "Site-relative URL."),
        ],
        note="Subjects such as salaries, legislation, lateral entry.",
        icon="label",
        display_template="{{name}}",
    )
    create_collection(
        "sectors",
        [
            string("title", "Sector name, e.g. primair onderwijs.", required=True),
            string("slug", "URL slug."),
            string("path", "Site-relative URL of the 'Werken in …' page."),
            string_list("alt_names", "Other names people use for this sector."),
            text("description", "Short description."),
            text("introduction", "Introduction of the sector page."),
            text("roles_content", "Text about the roles in this sector."),
            text("routes_content", "Text about routes into this sector."),
            text("salary_content", "Text about salaries in this sector."),
            text("costs_content", "Text about training costs."),
            date_created(),
        ],
        note="The five Dutch education sectors (also content pages).",
        icon="school",
        display_template="{{title}}",
    )
    create_collection(
        "audiences",
        [string("title", "Audience name.", required=True)],
        note="Target audiences (career switchers, students, …).",
        icon="groups",
        display_template="{{title}}",
    )
    create_collection(
        "phases",
        [string("title", "Phase name.", required=True)],
        note="Candidate-journey stages (orientation … retention).",
        icon="timeline",
        display_template="{{title}}",
    )
    create_collection(
        "roles",
        [string("name", "Role name.", required=True), string("path", "Site-relative URL.")],
        note="Jobs in education.",
        icon="badge",
        display_template="{{name}}",
    )
    create_collection(
        "qualifications",
        [
            string("name", "Qualification name.", required=True),
            string("path", "Site-relative URL."),
            text("description", "What the qualification allows."),
        ],
        note="Teaching certifications and other qualifications (bevoegdheden).",
        icon="workspace_premium",
        display_template="{{name}}",
    )
    create_collection(
        "tracks",
        [string("name", "Track name.", required=True), string("path", "Site-relative URL.")],
        note="Ways to obtain a qualification (zij-instroom, full-time training, …).",
        icon="route",
        display_template="{{name}}",
    )
    create_collection(
        "school_subjects",
        [string("name", "Subject name.", required=True), string("slug", "URL slug.")],
        note="Secondary-school subjects.",
        icon="menu_book",
        display_template="{{name}}",
    )


def knowledge_base() -> None:
    create_collection(
        "faqs",
        [
            status(),
            string("question", "The question.", required=True),
            tiptap("answer", "Answer (Tiptap JSON: paragraphs, lists, bold/italic/link)."),
        ],
        note="Short questions and answers.",
        icon="quiz",
        display_template="{{question}}",
    )
    create_collection(
        "authors",
        [
            string("first_name", "First name."),
            string("name", "Full name.", required=True),
            string("job_title", "Job title."),
        ],
        note="Article writers.",
        icon="person",
        display_template="{{name}}",
    )
    file_field("authors", "image", "Portrait (file).")
    create_collection(
        "sources",
        [
            string("title", "Source title.", required=True),
            text("description", "Optional description."),
            string("url", "Link."),
        ],
        note="References cited by articles.",
        icon="link",
        display_template="{{title}}",
    )
    create_collection(
        "documents",
        [string("title", "Document title.", required=True), text("description", "Optional description.")],
        note="Downloadable files linked from articles.",
        icon="description",
        display_template="{{title}}",
    )
    file_field("documents", "asset", "The downloadable file.", image=False)
    create_collection(
        "articles",
        [
            status(),
            string("title", "Article title.", required=True),
            string("slug", "URL slug."),
            string("path", "Site-relative URL, e.g. /kennisbank/artikelen/<slug>."),
            text("description", "Teaser."),
            text("summary", "Short summary."),
            tiptap("body", "Body (Tiptap JSON, may contain relation-block / relation-inline-block nodes)."),
            json_field("seo", "SEO metadata (never shown to users)."),
            boolean("english", "Article is written in English."),
            date_created(),
            date_updated(),
        ],
        note="Long-form knowledge-base articles.",
        icon="article",
        display_template="{{title}}",
    )


def blocks() -> None:
    create_collection(
        "buttons",
        [
            string("label", "Button text.", required=True),
            string("to", "Target URL or site path."),
            boolean("internal", "Target is a path on onderwijsloket.com."),
            string("icon", "Icon as lib:name."),
            string("icon_position", "Icon side.", choices=["leading", "trailing"], width="half"),
            string("color", "Colour.", choices=["primary", "secondary", "tertiary"], width="half"),
            string(
                "variant",
                "Style.",
                choices=["solid", "soft", "subtle", "outline", "ghost", "link"],
                width="half",
            ),
            string("size", "Size.", choices=["xs", "sm", "md", "lg", "xl"], width="half"),
        ],
        note="Block: a button in a content document.",
        icon="smart_button",
        display_template="{{label}}",
    )
    create_collection(
        "callouts",
        [
            string("title", "Callout title."),
            string("color", "Colour."),
            string("variant", "Style."),
            string("icon", "Icon as lib:name."),
            boolean("dismissable", "Reader can close it."),
            tiptap("description", "Body (Tiptap JSON; may contain mentions)."),
            json_field("actions", "Buttons: [{label, internal, to, variant}]."),
        ],
        note="Block: highlighted note in a content document.",
        icon="campaign",
        display_template="{{title}}",
    )
    create_collection(
        "images",
        [
            string("alt_text", "Alternative text."),
            boolean("full_width", "Stretch to the full page width."),
            integer("max_width", "Maximum width in pixels."),
        ],
        note="Block: an image in a content document.",
        icon="image",
        display_template="{{alt_text}}",
    )
    file_field("images", "image", "The image file.")
    create_collection("content_lists", [], note="Block: a list of cards.", icon="view_list")
    create_collection(
        "content_list_items",
        [
            string("title", "Card title."),
            text("description", "Card text."),
            string("icon", "Icon as lib:name."),
            boolean("internal", "Link is a path on onderwijsloket.com."),
            string("link", "Card link."),
            string(
                "mediatype",
                "What the card shows.",
                choices=["none", "icon", "image"],
                default="none",
                width="half",
            ),
            sort_field(),
        ],
        note="One card of a content list.",
        icon="list",
        hidden=True,
        display_template="{{title}}",
        sort=True,
    )
    file_field("content_list_items", "image", "Card image.")
    m2o(
        "content_list_items",
        "content_lists",
        "content_lists",
        "The list this card belongs to.",
        reverse="items",
        reverse_note="Cards, in sort order.",
    )
    create_collection(
        "related_content_lists", [], note="Block: links to related items of several collections.", icon="hub"
    )
    m2a(
        "related_content_lists",
        "items",
        ["articles", "programs", "educational_institutions", "regional_education_desks", "sectors"],
        "Related items (any of the allowed collections).",
        pk="integer",
        sort=True,
    )
    create_collection(
        "mediaplayers",
        [
            string("title", "Title."),
            string("artist", "Artist or speaker."),
            string("type", "Media type.", choices=["video", "audio"], width="half"),
            json_field("audio", "Audio source {service, source}."),
            json_field("video", "Video source {service, id}."),
            json_field("chapters", "Chapters [{label, time (seconds)}]."),
            boolean("full_width", "Stretch to the full page width."),
            integer("max_width", "Maximum width in pixels."),
        ],
        note="Block: audio or video player.",
        icon="play_circle",
        display_template="{{title}}",
    )
    file_field("mediaplayers", "artwork", "Cover image.")
    create_collection(
        "mentions",
        [string("title", "Label; empty means use the linked item's title.")],
        note="Inline block: a link to another item.",
        icon="alternate_email",
        display_template="{{title}}",
    )
    m2a("mentions", "item", ["articles"], "The mentioned item (use the first).", pk="integer")
    m2a("callouts", "editor_nodes", ["mentions"], "Custom nodes used in description.", pk="uuid")


def article_relations() -> None:
    m2a(
        "articles",
        "editor_nodes",
        BLOCK_COLLECTIONS,
        "Custom nodes used in body (relation-block attrs.id = junction id).",
        pk="uuid",
    )
    m2m("articles", "authors", "authors", "Writers.")
    m2m("articles", "documents", "documents", "Downloads.")
    m2m("articles", "sources", "sources", "References.")
    for target, key in (
        ("topics", "Topics."),
        ("sectors", "Sectors."),
        ("roles", "Roles."),
        ("tracks", "Tracks."),
        ("qualifications", "Qualifications."),
        ("audiences", "Audiences."),
        ("phases", "Phases."),
    ):
        m2m("articles", target, target, key)
    m2m(
        "articles",
        "faqs",
        "faqs",
        "Related FAQs.",
        reverse="articles",
        reverse_note="Articles linking this FAQ.",
    )
    for target in ("topics", "sectors", "audiences", "phases"):
        m2m("faqs", target, target, target.capitalize() + ".")


def navigator() -> None:
    create_collection(
        "locations",
        [
            vendor(),
            string("title", "Location name.", required=True),
            string("url", "Web page of the location."),
            string("address", "Street and number."),
            string("zip", "Postcode.", width="half"),
            string("city", "City.", width="half"),
            string("country", "Country.", default="Nederland", width="half"),
            geometry("location_geopoint", "Point", "GeoJSON point [lng, lat]."),
        ],
        note="Physical sites of institutions, programs and desks.",
        icon="place",
        display_template="{{title}}",
    )
    create_collection(
        "educational_institutions",
        [
            vendor(),
            string("title", "Institution name.", required=True),
            string("slug", "URL slug."),
            string("path", "Site-relative URL."),
            tiptap("description", "Description (Tiptap JSON, no custom nodes)."),
            string(
                "type", "Kind of institution.", choices=["hogeschool", "universiteit", "mbo"], width="half"
            ),
            string("hovi_id", "HOVI id.", width="half"),
            string("kiesmbo_id", "KiesMBO id.", width="half"),
            string("brin_code", "BRIN code.", width="half"),
            date_created(),
            date_updated(),
        ],
        note="Universities, hogescholen and mbo colleges.",
        icon="account_balance",
        display_template="{{title}}",
    )
    file_field("educational_institutions", "logo", "Logo (file).")
    create_collection(
        "programs",
        [
            status(),
            vendor(),
            string("title", "Program name.", required=True),
            string("slug", "URL slug."),
            string("path", "Site-relative URL."),
            string(
                "level",
                "Education level.",
                choices=["mbo", "bachelor", "master", "phd", "post-graduate", "preparatory", "associate"],
                width="half",
            ),
            string("type", "Kind of program, e.g. lerarenopleiding.", width="half"),
            string("degree", "Degree awarded, e.g. Bachelor of Education.", width="half"),
            tiptap("description", "Description (Tiptap JSON)."),
            string("hovi_id", "HOVI id.", width="half"),
            string("kiesmbo_id", "KiesMBO id.", width="half"),
            string("study_number", "CROHO/CREBO number.", width="half"),
            date_created(),
        ],
        note="Study programs (mostly teacher training).",
        icon="school",
        display_template="{{title}}",
    )
    file_field("programs", "logo", "Logo (file).")
    create_collection(
        "program_forms",
        [
            string("title", "Readable label."),
            string("form", "Study form.", choices=["voltijd", "deeltijd", "duaal"], width="half"),
            string("url", "External page for this variant."),
            tiptap("description", "Description (Tiptap JSON, headings h2–h6, lists)."),
        ],
        note="Variants of one program (study form / track).",
        icon="tune",
        display_template="{{title}}",
    )
    m2o(
        "program_forms",
        "program",
        "programs",
        "The program this variant belongs to.",
        reverse="program_forms",
        reverse_note="Variants of this program.",
    )
    m2o("program_forms", "track", "tracks", "Track this variant follows.")
    m2m(
        "educational_institutions",
        "programs",
        "programs",
        "Programs offered.",
        junction="educational_institutions_programs",
        reverse="educational_institutions",
        reverse_note="Institutions offering this program.",
    )
    m2m(
        "programs",
        "qualifications",
        "qualifications",
        "Qualifications the program leads to.",
        junction="programs_qualifications",
    )
    m2m(
        "programs",
        "locations",
        "locations",
        "Where the program is taught.",
        reverse="programs",
        reverse_note="Programs taught here.",
    )
    m2m("programs", "roles", "roles", "Roles the program prepares for.")
    m2m("programs", "sectors", "sectors", "Sectors the program prepares for.")
    m2m(
        "educational_institutions",
        "locations",
        "locations",
        "Sites of the institution.",
        reverse="educational_institutions",
        reverse_note="Institutions at this site.",
    )
    create_collection(
        "areas",
        [
            status(),
            string("title", "Area name."),
            geometry("area_center", "Point", "Centroid (GeoJSON point)."),
            geometry("area_bounds", "Polygon", "Outer boundary (GeoJSON polygon)."),
            geometry(
                "area_inner",
                "MultiPoint",
                "Coordinate grid covering the area, for geo search (may be empty).",
            ),
        ],
        note="Service regions of regional education desks.",
        icon="map",
        display_template="{{title}}",
    )
    create_collection(
        OPENING_HOURS,
        [
            time_field(f"{day}_{edge}", f"{day.capitalize()} {edge} time.")
            for day in WEEKDAYS
            for edge in ("start", "end")
        ],
        note="Opening hours per weekday (start and end time; both empty = closed).",
        icon="schedule",
    )
    create_collection(
        "regional_education_desks",
        [
            status(),
            string("title", "Desk name.", required=True),
            string("slug", "URL slug."),
            string("path", "Site-relative URL."),
            string("email", "Contact e-mail.", width="half"),
            string("email_response_time", "How soon e-mail is answered, e.g. 2 werkdagen.", width="half"),
            string("phone", "Contact phone.", width="half"),
            string("website", "Own website."),
            string("privacy_policy", "URL of the desk's privacy policy."),
            string_list("regions", "Onderwijsregio names served."),
            text(
                "cities_municipalities",
                "Cities and municipalities served, comma-separated (may end in ', ').",
            ),
            boolean("has_consultation_service", "Offers (free) consultations."),
            string("consultation_service_url", "Link to book a consultation."),
            tiptap("consultation_service_description", "About the consultation service (Tiptap JSON)."),
            boolean("has_physical_location", "Has an office people can visit."),
            boolean("appointment_for_visit", "A visit needs an appointment."),
            json_field(
                "service_links",
                "Links [{url, type, domain}]; type: oriëntatieactiviteiten, vacatures, "
                "matching, zij-instroom.",
            ),
            string_list("orientation_activity_types", "Kinds of orientation activities offered."),
            string_list("content_types", "Kinds of information offered."),
            tiptap("description", "Description (Tiptap JSON)."),
            date_created(),
        ],
        note="Regional education desks (regioloketten).",
        icon="support_agent",
        display_template="{{title}}",
    )
    file_field("regional_education_desks", "logo", "Logo (file).")
    m2o(
        "regional_education_desks",
        "area",
        "areas",
        "Service region.",
        reverse="regional_education_desks",
        reverse_note="Desks serving this area.",
    )
    m2o("regional_education_desks", "phone_availability", OPENING_HOURS, "When the phone is answered.")
    m2o(
        "regional_education_desks",
        "location",
        "locations",
        "The desk's office.",
        reverse="regional_education_desks",
        reverse_note="Desks with their office here.",
    )
    m2m("regional_education_desks", "sectors", "sectors", "Sectors the desk covers.")


def routes() -> None:
    """Field names as exports of real items show them (reference §1A); junction names are our choice."""
    create_collection(
        "route_questions",
        [
            status(),
            sort_field(),
            string("question", "The question text.", required=True),
            text("description", "An explanation of the question."),
        ],
        note="The questions of the route tool, asked in sort order.",
        icon="help",
        display_template="{{question}}",
        sort=True,
    )
    create_collection(
        "route_answers",
        [
            status(),
            string("title", "Answer label.", required=True),
            text("description", "Explanation."),
            sort_field(),
        ],
        note=(
            "Answer options (sort runs across all questions). Offered when, for every earlier question among "
            "requires_answers, one of that question's listed answers was chosen."
        ),
        icon="check_box",
        display_template="{{title}}",
        sort=True,
    )
    m2o(
        "route_answers",
        "question",
        "route_questions",
        "The question this answers.",
        reverse="answers",
        reverse_note="Answer options, in sort order.",
    )
    m2m(
        "route_answers",
        "requires_answers",
        "route_answers",
        "Prerequisites: per earlier question, one of these must have been chosen.",
        junction="route_answers_route_answers",
        left="route_answers_id",
        right="related_route_answers_id",
    )
    create_collection(
        "route_steps",
        [
            status(),
            string("unique_name", "Editors' name of the step.", required=True),
            string("short_title", "Short step title."),
            string("long_title", "Full step title."),
            string("slug", "Slug; a route's slug is made of its step slugs."),
            integer("duration_in_months", "Typical duration."),
            tiptap("body", "Step description (Tiptap JSON)."),
        ],
        note="Steps of a route.",
        icon="footprint",
        display_template="{{short_title}}",
    )
    m2m("route_steps", "faqs", "faqs", "FAQs that explain this step.", sort=True)
    m2m("route_steps", "articles", "articles", "Articles that explain this step.", sort=True)
    create_collection(
        "routes",
        [
            status(),
            string("title", "Route title.", required=True),
            string("slug", "Made of the step slugs."),
            string("path", "Site-relative URL."),
            integer("duration_in_months", "Total typical duration."),
        ],
        note="Complete pathways into a role.",
        icon="alt_route",
        display_template="{{title}}",
    )
    m2m("routes", "route_steps", "route_steps", "Steps, ordered by the junction's sort.", sort=True)
    m2m(
        "routes",
        "requires_answers",
        "route_answers",
        "All of these answers must be chosen.",
        junction="routes_route_answers",
    )
    # Thousands of generated rows: without activity and revision records the seed is about 3x faster.
    # Readers never see either, so the API behaves the same.
    for name in ROUTE_COLLECTIONS:
        request("PATCH", f"/collections/{name}", {"meta": {"accountability": None}})


ROUTE_COLLECTIONS = (
    "route_questions",
    "route_answers",
    "route_answers_route_answers",
    "route_steps",
    "route_steps_faqs",
    "route_steps_articles",
    "routes",
    "routes_route_steps",
    "routes_route_answers",
)


def system() -> None:
    add_field(
        "directus_users",
        _field(
            "algolia_token",
            "string",
            "Algolia search key of this API user.",
            interface="input",
            options={"masked": True},
        ),
    )


def main() -> None:
    existing = {c["collection"] for c in request("GET", "/collections")["data"]}
    if "articles" in existing:
        sys.exit("schema already present (collection articles exists); run against a fresh Directus")
    taxonomy()
    knowledge_base()
    navigator()
    blocks()
    article_relations()
    routes()
    system()
    count = sum(
        1 for c in request("GET", "/collections")["data"] if not c["collection"].startswith("directus_")
    )
    print(f"schema built: {count} collections", file=sys.stderr)


if __name__ == "__main__":
    main()
