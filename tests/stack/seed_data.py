"""Seed content for the Directus test stack.

Sample data written for tests; not Onderwijsloket's content.

Everything here is invented test material in the shape of the documented Onderwijsloket data model
(see tests/stack/ASSUMPTIONS.md). Institution names, addresses and coordinates are real public facts so
that geo tests mean something; every text, route, desk description and number is sample data.

Stdlib only: imported by tests and by tests/stack/seed.py, which uploads FILES and then POSTs
LOAD_ORDER to a fresh stack. Ids are uuid5(NAMESPACE, "<kind>:<key>") so tests can refer to items by
stable ids; a handful of ids copied from the public docs' examples are kept verbatim so that doc
examples can be replayed against the stack.
"""

from __future__ import annotations

import functools
import itertools
import math
import random
import struct
import uuid
import zlib
from typing import Any

Node = dict[str, Any]
Item = dict[str, Any]

NAMESPACE = uuid.UUID("6f1f8a52-3b7e-5c0e-9a55-0e1d2b7c4a10")


def sid(kind: str, key: str) -> str:
    """Deterministic id for a seeded item."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


# ---------------------------------------------------------------------------------------------------
# Tiptap v2 JSON builders
# ---------------------------------------------------------------------------------------------------

Inline = str | Node


def text(value: str, *marks: Node) -> Node:
    node: Node = {"type": "text", "text": value}
    if marks:
        node["marks"] = list(marks)
    return node


def bold(value: str) -> Node:
    return text(value, {"type": "bold"})


def italic(value: str) -> Node:
    return text(value, {"type": "italic"})


def link(value: str, href: str, *extra_marks: Node) -> Node:
    external = href.startswith("http")
    attrs: dict[str, Any] = {
        "href": href,
        "target": "_blank" if external else None,
        "rel": "noopener noreferrer nofollow" if external else None,
        "class": None,
    }
    return text(value, {"type": "link", "attrs": attrs}, *extra_marks)


def hard_break() -> Node:
    return {"type": "hardBreak"}


def hr() -> Node:
    return {"type": "horizontalRule"}


def _inline(parts: tuple[Inline, ...]) -> list[Node]:
    return [text(part) if isinstance(part, str) else part for part in parts if part != ""]


def p(*parts: Inline) -> Node:
    content = _inline(parts)
    node: Node = {"type": "paragraph"}
    if content:
        node["content"] = content
    return node


def h(level: int, *parts: Inline) -> Node:
    return {"type": "heading", "attrs": {"level": level}, "content": _inline(parts)}


ListEntry = str | Node | list[Any] | tuple[Any, ...]


def _list_item(entry: ListEntry) -> Node:
    if isinstance(entry, str):
        return {"type": "listItem", "content": [p(entry)]}
    if isinstance(entry, dict):
        if entry.get("type") == "listItem":
            return entry
        if entry.get("type") in {"paragraph", "bulletList", "orderedList", "heading"}:
            return {"type": "listItem", "content": [entry]}
        return {"type": "listItem", "content": [p(entry)]}
    blocks: list[Node] = []
    for part in entry:
        if isinstance(part, str):
            blocks.append(p(part))
        elif part.get("type") in {"paragraph", "bulletList", "orderedList", "heading"}:
            blocks.append(part)
        else:
            blocks.append(p(part))
    return {"type": "listItem", "content": blocks}


def li(*blocks: Inline | Node) -> Node:
    """A list item with several blocks, e.g. li(p("a"), ul("b", "c")) for nesting."""
    return _list_item(list(blocks))


def ul(*entries: ListEntry) -> Node:
    return {"type": "bulletList", "content": [_list_item(e) for e in entries]}


def ol(*entries: ListEntry, start: int = 1) -> Node:
    return {"type": "orderedList", "attrs": {"start": start}, "content": [_list_item(e) for e in entries]}


def _cell(kind: str, value: Inline | Node) -> Node:
    para = value if isinstance(value, dict) and value.get("type") == "paragraph" else p(value)
    return {"type": kind, "attrs": {"colspan": 1, "rowspan": 1, "colwidth": None}, "content": [para]}


def table(header: list[Inline], *rows: list[Inline | Node]) -> Node:
    content = [{"type": "tableRow", "content": [_cell("tableHeader", c) for c in header]}]
    content += [{"type": "tableRow", "content": [_cell("tableCell", c) for c in row]} for row in rows]
    return {"type": "table", "content": content}


def relation_block(junction_id: str, junction: str, collection: str) -> Node:
    return {
        "type": "relation-block",
        "attrs": {"id": junction_id, "junction": junction, "collection": collection},
    }


def relation_inline_block(junction_id: str, junction: str, collection: str) -> Node:
    return {
        "type": "relation-inline-block",
        "attrs": {"id": junction_id, "junction": junction, "collection": collection},
    }


def doc(*blocks: Node) -> Node:
    return {"type": "doc", "content": list(blocks)}


def plain_text(node: Any) -> str:
    """Concatenated text of a Tiptap document (for length checks in tests, not for rendering)."""
    if isinstance(node, list):
        return "".join(plain_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    out = node.get("text", "") if node.get("type") == "text" else ""
    return out + plain_text(node.get("content", []))


def walk(node: Any) -> list[Node]:
    """Every node of a Tiptap document, depth first."""
    if isinstance(node, list):
        return [n for child in node for n in walk(child)]
    if not isinstance(node, dict):
        return []
    return [node, *walk(node.get("content", []))]


# ---------------------------------------------------------------------------------------------------
# Files (generated at seed time; tiny, no binary blobs in git)
# ---------------------------------------------------------------------------------------------------


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _pdf(title: str, lines: list[str]) -> bytes:
    def esc(s: str) -> str:
        return (
            s.encode("latin-1", "replace")
            .decode("latin-1")
            .replace("\\", "\\\\")
            .replace("(", "\\(")
            .replace(")", "\\)")
        )

    stream_lines = ["BT", "/F1 14 Tf", "72 770 Td", f"({esc(title)}) Tj", "/F1 10 Tf"]
    for line in lines:
        stream_lines += ["0 -16 Td", f"({esc(line)}) Tj"]
    stream_lines.append("ET")
    stream = "\n".join(stream_lines).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _file(key: str, filename: str, title: str, mime: str, make: tuple[str, Any], **extra: Any) -> Item:
    return {
        "id": sid("file", key),
        "key": key,
        "filename_download": filename,
        "title": title,
        "type": mime,
        "make": make,
        **extra,
    }


FILES: list[Item] = [
    _file(
        "author-sanne",
        "sanne-de-vries.png",
        "Portret Sanne de Vries",
        "image/png",
        ("png", (48, 48, (214, 120, 90))),
    ),
    _file(
        "author-mehmet",
        "mehmet-yilmaz.png",
        "Portret Mehmet Yılmaz",
        "image/png",
        ("png", (48, 48, (90, 140, 214))),
    ),
    _file(
        "author-anouk",
        "anouk-jansen.png",
        "Portret Anouk Jansen",
        "image/png",
        ("png", (48, 48, (120, 190, 120))),
    ),
    _file(
        "image-klaslokaal",
        "klaslokaal.png",
        "Klaslokaal met leerlingen",
        "image/png",
        ("png", (64, 40, (240, 200, 80))),
        description="Illustratie: een klaslokaal in het voortgezet onderwijs",
    ),
    _file(
        "image-pabo",
        "pabo-studenten.png",
        "Pabostudenten op stage",
        "image/png",
        ("png", (64, 40, (80, 160, 200))),
    ),
    _file(
        "artwork-podcast",
        "podcast-artwork.png",
        "Artwork podcast Voor de klas",
        "image/png",
        ("png", (32, 32, (30, 30, 90))),
    ),
    _file(
        "logo-hogeschool-utrecht",
        "logo-hogeschool-utrecht.png",
        "Logo Hogeschool Utrecht (placeholder)",
        "image/png",
        ("png", (40, 40, (230, 0, 40))),
    ),
    _file(
        "logo-onderwijsloket-utrecht",
        "logo-onderwijsloket-utrecht.png",
        "Logo Onderwijsloket Utrecht-regio (placeholder)",
        "image/png",
        ("png", (40, 40, (0, 120, 80))),
    ),
    _file(
        "doc-salarisschalen",
        "salarisschalen-po-voorbeeld.pdf",
        "Salarisschalen primair onderwijs (voorbeeld)",
        "application/pdf",
        (
            "pdf",
            (
                "Salarisschalen primair onderwijs (voorbeeld)",
                [
                    "Schaal L10: voorbeeldbedragen",
                    "Schaal L11: voorbeeldbedragen",
                    "Testbestand, geen officiele cijfers.",
                ],
            ),
        ),
    ),
    _file(
        "doc-checklist-zij-instroom",
        "checklist-zij-instroom.pdf",
        "Checklist zij-instroom",
        "application/pdf",
        (
            "pdf",
            (
                "Checklist zij-instroom",
                [
                    "1. Oriënteer je op het vak",
                    "2. Zoek een school",
                    "3. Vraag het geschiktheidsonderzoek aan",
                ],
            ),
        ),
    ),
    _file(
        "doc-bevoegdheden",
        "overzicht-bevoegdheden.pdf",
        "Overzicht bevoegdheden",
        "application/pdf",
        (
            "pdf",
            (
                "Overzicht bevoegdheden",
                ["Primair onderwijs", "Tweedegraads", "Eerstegraads", "Beperkt tweedegraads"],
            ),
        ),
    ),
    _file(
        "doc-begrippenlijst",
        "begrippenlijst.txt",
        "Begrippenlijst onderwijs",
        "text/plain",
        (
            "text",
            "Begrippenlijst (testbestand)\npabo: pedagogische academie basisonderwijs\n"
            "vavo: voortgezet algemeen volwassenenonderwijs\nPDG: pedagogisch-didactisch getuigschrift\n",
        ),
    ),
]
FILE_IDS: dict[str, str] = {f["key"]: f["id"] for f in FILES}


def file_bytes(spec: Item) -> bytes:
    """Content of a FILES entry, generated on the fly."""
    kind, args = spec["make"]
    if kind == "png":
        return _png(*args)
    if kind == "pdf":
        return _pdf(*args)
    return str(args).encode("utf-8")


def upload_fields(spec: Item) -> dict[str, str]:
    """Form fields sent with the multipart upload (before the file part)."""
    fields = {"id": spec["id"], "title": spec["title"]}
    if spec.get("description"):
        fields["description"] = spec["description"]
    return fields


# ---------------------------------------------------------------------------------------------------
# Taxonomy
# ---------------------------------------------------------------------------------------------------

SECTOR_IDS: dict[str, str] = {}
SECTORS: list[Item] = []
for _slug, _title, _alt, _desc in [
    (
        "primair-onderwijs",
        "primair onderwijs",
        ["po", "basisonderwijs", "basisschool"],
        "Het basisonderwijs voor kinderen van ongeveer 4 tot 12 jaar, van groep 1 tot en met groep 8.",
    ),
    (
        "voortgezet-onderwijs",
        "voortgezet onderwijs",
        ["vo", "middelbare school", "vmbo", "havo", "vwo"],
        "Vmbo, havo en vwo: het onderwijs na de basisschool, voor leerlingen van ongeveer 12 tot 18 jaar.",
    ),
    (
        "middelbaar-beroepsonderwijs",
        "middelbaar beroepsonderwijs",
        ["mbo", "beroepsonderwijs", "roc"],
        "Beroepsopleidingen op niveau 1 tot en met 4, in de bol of de bbl, meestal aan een roc.",
    ),
    (
        "speciaal-onderwijs",
        "speciaal onderwijs",
        ["so", "vso", "speciaal basisonderwijs", "sbo"],
        "Onderwijs voor leerlingen die extra ondersteuning nodig hebben, van (voortgezet) speciaal onderwijs tot sbo.",
    ),
    (
        "hoger-onderwijs",
        "hoger onderwijs",
        ["ho", "hbo", "wo", "hogeschool", "universiteit"],
        "Hogescholen en universiteiten: associate degree, bachelor, master en promotie.",
    ),
]:
    SECTOR_IDS[_slug] = sid("sector", _slug)
    SECTORS.append(
        {
            "id": SECTOR_IDS[_slug],
            "title": _title,
            "slug": _slug,
            "alt_names": _alt,
            "path": f"/werken-in-het-{_slug}",
            "description": _desc,
        }
    )
SECTORS[0]["introduction"] = (
    "Als leraar in het primair onderwijs begeleid je kinderen in hun belangrijkste "
    "ontwikkeljaren. Je bent groepsleerkracht en geeft alle vakken."
)
SECTORS[2]["salary_content"] = "Docenten in het mbo vallen onder de cao mbo (voorbeeldtekst)."

PO, VO, MBO, SO, HO = (
    SECTOR_IDS[s]
    for s in (
        "primair-onderwijs",
        "voortgezet-onderwijs",
        "middelbaar-beroepsonderwijs",
        "speciaal-onderwijs",
        "hoger-onderwijs",
    )
)

TOPIC_IDS: dict[str, str] = {}
TOPICS: list[Item] = []
for _slug, _name in [
    ("salaris", "Salaris"),
    ("zij-instroom", "Zij-instroom"),
    ("lerarenopleidingen", "Lerarenopleidingen"),
    ("bevoegdheden", "Bevoegdheden"),
    ("wetten-en-regels", "Wetten en regels"),
    ("pdg-traject", "PDG-traject"),
    ("subsidies", "Subsidies"),
    ("werkdruk", "Werkdruk"),
    ("begrippen-en-afkortingen", "Begrippen en afkortingen"),
    ("vacatures", "Vacatures"),
    ("toelating", "Toelating en toetsen"),
]:
    TOPIC_IDS[_slug] = sid("topic", _slug)
    TOPICS.append(
        {"id": TOPIC_IDS[_slug], "name": _name, "slug": _slug, "path": f"/kennisbank/onderwerpen/{_slug}"}
    )
T = TOPIC_IDS

AUDIENCE_IDS: dict[str, str] = {}
AUDIENCES: list[Item] = []
for _key, _title in [
    ("zij-instromers", "Zij-instromers"),
    ("studiekiezers", "Studiekiezers"),
    ("switchers", "Switchers binnen het onderwijs"),
    ("herintreders", "Herintreders"),
]:
    AUDIENCE_IDS[_key] = sid("audience", _key)
    AUDIENCES.append({"id": AUDIENCE_IDS[_key], "title": _title})
A = AUDIENCE_IDS

PHASE_IDS: dict[str, str] = {}
PHASES: list[Item] = []
for _key, _title in [
    ("orientatie", "Oriëntatie"),
    ("voorbereiding", "Voorbereiding"),
    ("opleiding", "Opleiding"),
    ("starten", "Starten"),
    ("behoud", "Behoud"),
]:
    PHASE_IDS[_key] = sid("phase", _key)
    PHASES.append({"id": PHASE_IDS[_key], "title": _title})
PH = PHASE_IDS

ROLE_IDS: dict[str, str] = {}
ROLES: list[Item] = []
for _slug, _name in [
    ("leraar-basisonderwijs", "Leraar basisonderwijs"),
    ("leraar-voortgezet-onderwijs", "Leraar voortgezet onderwijs"),
    ("docent-mbo", "Docent mbo"),
    ("onderwijsassistent", "Onderwijsassistent"),
    ("lerarenondersteuner", "Lerarenondersteuner"),
    ("schoolleider", "Schoolleider"),
    ("intern-begeleider", "Intern begeleider"),
    ("leraar-speciaal-onderwijs", "Leraar speciaal onderwijs"),
    ("docent-hoger-onderwijs", "Docent hoger onderwijs"),
]:
    ROLE_IDS[_slug] = sid("role", _slug)
    ROLES.append({"id": ROLE_IDS[_slug], "name": _name, "path": f"/kennisbank/rollen/{_slug}"})
R = ROLE_IDS

QUALIFICATION_IDS: dict[str, str] = {}
QUALIFICATIONS: list[Item] = []
for _slug, _name, _desc in [
    (
        "bevoegdheid-primair-onderwijs",
        "Bevoegdheid primair onderwijs",
        "Bevoegd als groepsleerkracht in het basisonderwijs en het speciaal onderwijs; behaal je met de pabo.",
    ),
    (
        "eerstegraads",
        "Eerstegraads bevoegdheid",
        "Bevoegd voor alle klassen in het vo (vmbo, havo, vwo), het mbo en als vakleerkracht in het po.",
    ),
    (
        "tweedegraads",
        "Tweedegraads bevoegdheid",
        "Bevoegd voor het vmbo, de onderbouw van havo en vwo, het mbo en als vakleerkracht in het po.",
    ),
    (
        "beperkt-tweedegraads",
        "Beperkt tweedegraads bevoegdheid",
        "Bevoegd voor het vmbo (theoretische leerweg) en de onderbouw van havo en vwo; via een educatieve minor.",
    ),
    (
        "pdg",
        "Pedagogisch-didactisch getuigschrift (PDG)",
        "Bekwaamheidsbewijs voor docenten in het mbo die al een vakdiploma op minimaal hbo-niveau hebben.",
    ),
    (
        "diploma-onderwijsassistent",
        "Diploma onderwijsassistent (mbo niveau 4)",
        "Mbo-diploma waarmee je als onderwijsassistent de leraar ondersteunt.",
    ),
    (
        "bko",
        "Basiskwalificatie Onderwijs (BKO)",
        "Didactische basiskwalificatie voor docenten in het hoger onderwijs.",
    ),
    (
        "schoolleider-basisbekwaam",
        "Schoolleider basisbekwaam",
        "Registratie in het schoolleidersregister na een erkende schoolleidersopleiding.",
    ),
]:
    QUALIFICATION_IDS[_slug] = sid("qualification", _slug)
    QUALIFICATIONS.append(
        {
            "id": QUALIFICATION_IDS[_slug],
            "name": _name,
            "description": _desc,
            "path": f"/kennisbank/bevoegdheden/{_slug}",
        }
    )
Q = QUALIFICATION_IDS

TRACK_IDS: dict[str, str] = {}
TRACKS: list[Item] = []
for _slug, _name in [
    ("zij-instroom", "Zij-instroom"),
    ("voltijd-lerarenopleiding", "Voltijd lerarenopleiding"),
    ("deeltijd-lerarenopleiding", "Deeltijd lerarenopleiding"),
    ("educatieve-master", "Educatieve master"),
    ("duaal", "Duaal opleiden"),
    ("educatieve-minor", "Educatieve minor"),
    ("verkort-traject", "Verkort traject"),
    ("pdg-traject", "PDG-traject"),
]:
    TRACK_IDS[_slug] = sid("track", _slug)
    TRACKS.append({"id": TRACK_IDS[_slug], "name": _name, "path": f"/kennisbank/trajecten/{_slug}"})
TR = TRACK_IDS


def m2m(target: str, ids: list[str] | tuple[str, ...]) -> list[dict[str, str]]:
    """M2M in Directus nested-create form: [{"<target>_id": id}, ...]."""
    return [{f"{target}_id": i} for i in ids]


# ---------------------------------------------------------------------------------------------------
# Authors, sources, documents
# ---------------------------------------------------------------------------------------------------

AUTHOR_IDS = {k: sid("author", k) for k in ("sanne", "mehmet", "anouk", "pieter")}
AUTHORS: list[Item] = [
    {
        "id": AUTHOR_IDS["sanne"],
        "first_name": "Sanne",
        "name": "de Vries",
        "job_title": "Redacteur kennisbank",
        "image": FILE_IDS["author-sanne"],
    },
    {
        "id": AUTHOR_IDS["mehmet"],
        "first_name": "Mehmet",
        "name": "Yılmaz",
        "job_title": "Loopbaanadviseur",
        "image": FILE_IDS["author-mehmet"],
    },
    {
        "id": AUTHOR_IDS["anouk"],
        "first_name": "Anouk",
        "name": "Jansen",
        "job_title": "Onderwijsadviseur",
        "image": FILE_IDS["author-anouk"],
    },
    {
        "id": AUTHOR_IDS["pieter"],
        "first_name": "Pieter",
        "name": "Bakker",
        "job_title": "Eindredacteur",
        "image": None,
    },
]

SOURCE_IDS: dict[str, str] = {}
SOURCES: list[Item] = []
for _key, _title, _desc, _url in [
    (
        "rijksoverheid-werken",
        "Werken in het onderwijs",
        "Informatie van de Rijksoverheid over werken in het onderwijs.",
        "https://www.rijksoverheid.nl/onderwerpen/werken-in-het-onderwijs",
    ),
    ("wpo", "Wet op het primair onderwijs", None, "https://wetten.overheid.nl/BWBR0003420"),
    ("wvo", "Wet voortgezet onderwijs 2020", None, "https://wetten.overheid.nl/BWBR0044212"),
    (
        "web",
        "Wet educatie en beroepsonderwijs",
        "Wettelijke basis voor het mbo en het vavo.",
        "https://wetten.overheid.nl/BWBR0007625",
    ),
    ("leerplichtwet", "Leerplichtwet 1969", None, "https://wetten.overheid.nl/BWBR0002628"),
    (
        "duo-lerarenbeurs",
        "Lerarenbeurs",
        "Uitleg over de lerarenbeurs bij DUO.",
        "https://duo.nl/particulier/lerarenbeurs/",
    ),
    (
        "dus-i-zij-instroom",
        "Subsidie zij-instroom",
        "Subsidieregeling voor werkgevers van zij-instromers.",
        "https://www.dus-i.nl/subsidies/zij-instroom",
    ),
    (
        "cao-po",
        "Cao primair onderwijs",
        "Salarisschalen en afspraken in het primair onderwijs.",
        "https://www.poraad.nl/cao-po",
    ),
]:
    SOURCE_IDS[_key] = sid("source", _key)
    SOURCES.append({"id": SOURCE_IDS[_key], "title": _title, "description": _desc, "url": _url})
S = SOURCE_IDS

DOCUMENT_IDS: dict[str, str] = {}
DOCUMENTS: list[Item] = []
for _key, _title, _desc, _file_key in [
    (
        "salarisschalen",
        "Salarisschalen primair onderwijs (voorbeeld)",
        "Overzicht van voorbeeldschalen L10 en L11.",
        "doc-salarisschalen",
    ),
    (
        "checklist-zij-instroom",
        "Checklist zij-instroom",
        "Stappen om als zij-instromer te beginnen.",
        "doc-checklist-zij-instroom",
    ),
    ("overzicht-bevoegdheden", "Overzicht bevoegdheden", None, "doc-bevoegdheden"),
    ("begrippenlijst", "Begrippenlijst onderwijs", "Korte lijst met afkortingen.", "doc-begrippenlijst"),
]:
    DOCUMENT_IDS[_key] = sid("document", _key)
    DOCUMENTS.append(
        {"id": DOCUMENT_IDS[_key], "title": _title, "description": _desc, "asset": FILE_IDS[_file_key]}
    )
D = DOCUMENT_IDS


# ---------------------------------------------------------------------------------------------------
# FAQs
# ---------------------------------------------------------------------------------------------------

FAQS: list[Item] = []
FAQ_IDS: dict[str, str] = {}


def faq(
    key: str,
    question: str,
    answer: Node,
    *,
    topics: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    audiences: tuple[str, ...] = (),
    phases: tuple[str, ...] = (),
    status: str = "published",
) -> str:
    FAQ_IDS[key] = sid("faq", key)
    item: Item = {"id": FAQ_IDS[key], "status": status, "question": question, "answer": answer}
    # Empty relations are left out on purpose: readers must cope with missing and empty M2M fields.
    if topics:
        item["topics"] = m2m("topics", [T[t] for t in topics])
    if sectors:
        item["sectors"] = m2m("sectors", list(sectors))
    if audiences:
        item["audiences"] = m2m("audiences", [A[a] for a in audiences])
    if phases:
        item["phases"] = m2m("phases", [PH[x] for x in phases])
    FAQS.append(item)
    return FAQ_IDS[key]


faq(
    "naast-baan",
    "Kan ik een lerarenopleiding volgen naast mijn baan?",
    doc(
        p(
            "Ja, dat kan. Veel hogescholen bieden een ",
            bold("deeltijdopleiding"),
            " aan, met één of twee vaste ",
            "lesdagen of lesavonden per week. Reken op ongeveer 15 tot 20 uur studie per week, inclusief stage.",
        ),
        p(
            "Werk je al op een school? Dan is een ",
            italic("duale"),
            " opleiding of ",
            link("zij-instroom", "/kennisbank/onderwerpen/zij-instroom"),
            " vaak slimmer: je leert en werkt tegelijk.",
        ),
        ul(
            "Deeltijd: eigen baan houden, stage naast je werk",
            "Duaal: je werkt (betaald) op een school en studeert",
            "Zij-instroom: je bent direct leraar en haalt binnen twee jaar je bevoegdheid",
        ),
    ),
    topics=("lerarenopleidingen", "zij-instroom"),
    sectors=(PO, VO),
    audiences=("zij-instromers", "herintreders"),
    phases=("orientatie", "voorbereiding"),
)

faq(
    "salaris-po",
    "Wat verdient een leraar in het basisonderwijs?",
    doc(
        p(
            "Het salaris van een leraar in het primair onderwijs staat in de ",
            bold("cao po"),
            ". Startende leraren ",
            "beginnen meestal in schaal L10; met extra taken of een master kun je doorgroeien naar L11.",
        ),
        p("De bedragen in deze testdata zijn ", italic("voorbeelden"), " en geen officiële cijfers."),
    ),
    topics=("salaris",),
    sectors=(PO,),
    audiences=("studiekiezers", "zij-instromers"),
    phases=("orientatie",),
)

faq(
    "salaris-vo",
    "Hoeveel verdien je als leraar in het voortgezet onderwijs?",
    doc(
        p(
            "In het voortgezet onderwijs hangt je salaris af van je bevoegdheid en je taken. Leraren met een ",
            "tweedegraads bevoegdheid starten vaak in schaal LB, eerstegraads leraren kunnen doorgroeien naar LC of LD.",
        ),
        ol(
            "Bekijk de cao vo voor de actuele schalen.",
            "Vraag bij je sollicitatie naar de inschaling.",
            "Let op de eindejaarsuitkering en de vakantietoeslag.",
        ),
    ),
    topics=("salaris",),
    sectors=(VO,),
    audiences=("zij-instromers",),
    phases=("orientatie",),
)

faq(
    "salaris-mbo",
    "Welk salaris krijg je als docent in het mbo?",
    doc(
        p(
            "Docenten in het mbo vallen onder de ",
            bold("cao mbo"),
            ". De inschaling hangt af van je functie ",
            "(docent LB of LC) en je ervaring in het bedrijfsleven telt vaak mee.",
        ),
    ),
    topics=("salaris",),
    sectors=(MBO,),
    audiences=("zij-instromers", "switchers"),
    phases=("orientatie",),
)

faq(
    "zij-instroom-wat",
    "Wat is zij-instroom?",
    doc(
        p(
            "Zij-instroom is een traject waarin je ",
            bold("direct als leraar aan de slag"),
            " gaat terwijl je binnen ",
            "twee jaar je bevoegdheid haalt. Je hebt een hbo- of wo-diploma nodig en een school die je aanneemt.",
        ),
        p(
            "Voor je start doe je een ",
            italic("geschiktheidsonderzoek"),
            ". Daarin wordt gekeken welke ",
            "onderdelen van de opleiding je nog moet volgen.",
        ),
    ),
    topics=("zij-instroom",),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers",),
    phases=("orientatie",),
)

faq(
    "zij-instroom-voorwaarden",
    "Aan welke voorwaarden moet ik voldoen voor zij-instroom in het vo?",
    doc(
        p("Voor zij-instroom in het voortgezet onderwijs gelden in elk geval deze voorwaarden:"),
        ul(
            "een afgeronde hbo- of wo-opleiding;",
            "een school die je een arbeidsovereenkomst aanbiedt;",
            [
                "een positief geschiktheidsonderzoek, met daarin:",
                ul(
                    "een assessment van je pedagogisch-didactische vaardigheden;",
                    "een toets op vakinhoud, als je vooropleiding niet direct aansluit.",
                ),
            ],
            "een verklaring omtrent het gedrag (VOG).",
        ),
    ),
    topics=("zij-instroom", "wetten-en-regels"),
    sectors=(VO,),
    audiences=("zij-instromers",),
    phases=("voorbereiding",),
)

faq(
    "zij-instroom-kosten",
    "Wie betaalt de kosten van een zij-instroomtraject?",
    doc(
        p(
            "Meestal de school. Werkgevers kunnen een ",
            link("subsidie zij-instroom", "https://www.dus-i.nl/subsidies/zij-instroom"),
            " aanvragen die een groot deel van de opleidings- en begeleidingskosten dekt.",
        ),
    ),
    topics=("zij-instroom", "subsidies"),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers",),
    phases=("voorbereiding",),
)

faq(
    "pabo-wat",
    "Wat leer je op de pabo?",
    doc(
        p(
            "Op de pabo (pedagogische academie basisonderwijs) leer je lesgeven aan kinderen van groep 1 tot en met 8. ",
            "Je krijgt vakken als rekenen, taal, wereldoriëntatie en pedagogiek, en je loopt elk jaar stage.",
        ),
    ),
    topics=("lerarenopleidingen",),
    sectors=(PO,),
    audiences=("studiekiezers",),
    phases=("orientatie",),
)

faq(
    "21plus-toets",
    "Wat is de 21+-toets voor de pabo?",
    doc(
        p(
            "Heb je geen havo-, vwo- of mbo-4-diploma en ben je ",
            bold("21 jaar of ouder"),
            "? Dan kun je via de ",
            "21+-toets toch worden toegelaten tot de pabo. De toets meet of je denk- en werkniveau past bij het hbo.",
        ),
        p(
            "Daarnaast moet je, net als andere pabostudenten, voldoen aan de ",
            italic("toelatingseisen"),
            " voor aardrijkskunde, geschiedenis en natuur en techniek.",
        ),
    ),
    topics=("toelating", "lerarenopleidingen"),
    sectors=(PO,),
    audiences=("studiekiezers", "herintreders"),
    phases=("voorbereiding",),
)

faq(
    "pabo-toelatingstoetsen",
    "Welke toelatingstoetsen moet ik doen voor de pabo?",
    doc(
        p("Studenten zonder de juiste profielvakken doen toelatingstoetsen voor:"),
        ol("aardrijkskunde", "geschiedenis", "natuur en techniek"),
        p("Je kunt de toetsen voorbereiden met een cursus van de hogeschool."),
    ),
    topics=("toelating",),
    sectors=(PO,),
    audiences=("studiekiezers",),
    phases=("voorbereiding",),
)

faq(
    "bevoegdheden-verschil",
    "Wat is het verschil tussen een eerstegraads en een tweedegraads bevoegdheid?",
    doc(
        p(
            "Met een ",
            bold("tweedegraads"),
            " bevoegdheid mag je lesgeven in het vmbo, de onderbouw van havo en vwo en ",
            "in het mbo. Met een ",
            bold("eerstegraads"),
            " bevoegdheid mag je ook in de bovenbouw van havo en vwo lesgeven.",
        ),
        table(
            ["Bevoegdheid", "Waar mag je lesgeven?"],
            ["Tweedegraads", "vmbo, onderbouw havo/vwo, mbo"],
            ["Eerstegraads", "alle klassen vo, mbo"],
        ),
    ),
    topics=("bevoegdheden",),
    sectors=(VO, MBO),
    audiences=("studiekiezers", "zij-instromers"),
    phases=("orientatie",),
)

faq(
    "beperkt-tweedegraads",
    "Wat is een beperkt tweedegraads bevoegdheid?",
    doc(
        p(
            "Die haal je met een ",
            italic("educatieve minor"),
            " tijdens je wo-bachelor. Je mag dan lesgeven in de ",
            "theoretische leerweg van het vmbo en in de onderbouw van havo en vwo.",
        ),
    ),
    topics=("bevoegdheden",),
    sectors=(VO,),
    audiences=("studiekiezers",),
    phases=("opleiding",),
)

faq(
    "onbevoegd",
    "Mag ik lesgeven zonder bevoegdheid?",
    doc(
        p(
            "In principe niet. Een school mag je wel tijdelijk aannemen als je ",
            bold("aantoonbaar bezig"),
            " bent met het halen van je bevoegdheid, bijvoorbeeld via zij-instroom of een deeltijdopleiding.",
        ),
    ),
    topics=("bevoegdheden", "wetten-en-regels"),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers",),
    phases=("orientatie",),
)

faq(
    "vavo",
    "Wat is het vavo?",
    doc(
        p(
            "Het vavo is het ",
            bold("voortgezet algemeen volwassenenonderwijs"),
            ". Volwassenen en jongeren vanaf 18 jaar ",
            "(soms eerder) halen er alsnog een vmbo-, havo- of vwo-diploma of losse certificaten.",
        ),
        p(
            "Het vavo wordt meestal verzorgd door een roc en valt onder de ",
            link("Wet educatie en beroepsonderwijs", "https://wetten.overheid.nl/BWBR0007625"),
            ".",
        ),
    ),
    topics=("begrippen-en-afkortingen",),
    sectors=(VO, MBO),
    audiences=("studiekiezers",),
    phases=("orientatie",),
)

faq(
    "vavo-lesgeven",
    "Welke bevoegdheid heb je nodig om in het vavo les te geven?",
    doc(
        p(
            "Voor lesgeven in het vavo heb je dezelfde bevoegdheid nodig als in het voortgezet onderwijs: ",
            "tweedegraads voor vmbo- en havo-onderbouwvakken, eerstegraads voor havo- en vwo-examenklassen.",
        ),
    ),
    topics=("bevoegdheden",),
    sectors=(VO, MBO),
    audiences=("switchers",),
    phases=("orientatie",),
)

faq(
    "pdg-wat",
    "Wat is het PDG-traject?",
    doc(
        p(
            "Het PDG-traject leidt op tot het ",
            bold("pedagogisch-didactisch getuigschrift"),
            ". Daarmee ben je bevoegd ",
            "om les te geven in het mbo als je al een vakdiploma op minimaal hbo-niveau hebt.",
        ),
        ul(
            "duur: meestal 1 tot 2 jaar",
            "je werkt tijdens het traject al als docent",
            "afsluiting met een assessment",
        ),
    ),
    topics=("pdg-traject",),
    sectors=(MBO,),
    audiences=("zij-instromers",),
    phases=("opleiding",),
)

faq(
    "pdg-ho",
    "Kan ik met een PDG ook in het hoger onderwijs lesgeven?",
    doc(
        p(
            "In het hoger onderwijs is geen wettelijke bevoegdheid nodig. Hogescholen vragen vaak wel een ",
            italic("Basiskwalificatie Onderwijs"),
            " (BKO); een PDG kan daarbij helpen.",
        ),
    ),
    topics=("pdg-traject", "bevoegdheden"),
    sectors=(HO,),
    audiences=("switchers",),
    phases=("starten",),
)

faq(
    "lerarenbeurs",
    "Wat is de lerarenbeurs?",
    doc(
        p(
            "Met de ",
            link("lerarenbeurs", "https://duo.nl/particulier/lerarenbeurs/"),
            " kunnen bevoegde leraren ",
            "subsidie krijgen voor een bachelor- of masteropleiding. De beurs dekt collegegeld, studiemiddelen en reiskosten; ",
            "je werkgever krijgt een vergoeding voor studieverlof.",
        ),
    ),
    topics=("subsidies",),
    sectors=(PO, VO, MBO, SO),
    audiences=("switchers",),
    phases=("behoud",),
)

faq(
    "subsidie-overzicht",
    "Welke subsidies zijn er voor mensen die leraar willen worden?",
    doc(
        p("Er zijn verschillende regelingen. Welke voor jou geldt, hangt af van je situatie:"),
        ul(
            [
                "Zij-instromers:",
                ul(
                    "subsidie zij-instroom (aangevraagd door de school)",
                    "soms een regionale bijdrage van de onderwijsregio",
                ),
            ],
            [
                "Studenten:",
                ul(
                    "halvering collegegeld in het eerste jaar van een lerarenopleiding (als die regeling geldt)",
                    "studiefinanciering via DUO",
                ),
            ],
            "Leraren die doorstuderen: de lerarenbeurs",
        ),
    ),
    topics=("subsidies",),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers", "studiekiezers"),
    phases=("voorbereiding",),
)

faq(
    "werkdruk",
    "Is de werkdruk in het onderwijs echt zo hoog?",
    doc(
        p(
            "Veel leraren ervaren een hoge werkdruk, vooral door administratie, grote klassen en het lerarentekort. ",
            "Scholen krijgen ",
            bold("werkdrukmiddelen"),
            " om bijvoorbeeld onderwijsassistenten aan te nemen.",
        ),
        p(
            "Vraag bij een sollicitatie hoe de school de taken verdeelt en welke begeleiding je krijgt als starter."
        ),
    ),
    topics=("werkdruk",),
    sectors=(PO, VO),
    audiences=("zij-instromers", "herintreders"),
    phases=("starten", "behoud"),
)

faq(
    "startende-leraar",
    "Welke begeleiding krijg ik als startende leraar?",
    doc(
        p(
            "De meeste scholen hebben een inductieprogramma: je krijgt een ",
            italic("coach"),
            ", minder lesuren in je ",
            "eerste jaar en intervisie met andere starters.",
        ),
    ),
    topics=("werkdruk",),
    sectors=(PO, VO, MBO),
    audiences=("studiekiezers", "zij-instromers"),
    phases=("starten",),
)

faq(
    "vacatures",
    "Waar vind ik vacatures in het onderwijs?",
    doc(
        p(
            "Vacatures staan op de websites van schoolbesturen en op landelijke vacaturebanken. Het regioloket in jouw ",
            "regio weet vaak welke scholen zij-instromers zoeken.",
        ),
    ),
    topics=("vacatures",),
    sectors=(PO, VO, MBO, SO),
    audiences=("zij-instromers", "herintreders"),
    phases=("starten",),
)

faq(
    "regioloket",
    "Wat doet een regioloket?",
    doc(
        p(
            "Een regioloket helpt je gratis bij je oriëntatie op werken in het onderwijs in jouw regio: met een ",
            bold("adviesgesprek"),
            ", meeloopdagen en informatie over opleidingen en vacatures.",
        ),
    ),
    topics=("vacatures",),
    audiences=("zij-instromers", "herintreders"),
    phases=("orientatie",),
)

faq(
    "herintreden",
    "Ik was vroeger leraar. Hoe kan ik weer terugkeren in het onderwijs?",
    doc(
        p(
            "Je bevoegdheid blijft geldig, ook als je jaren niet hebt lesgegeven. Veel scholen bieden herintreders een ",
            "opfriscursus of extra begeleiding aan.",
        ),
    ),
    topics=("vacatures",),
    sectors=(PO, VO),
    audiences=("herintreders",),
    phases=("orientatie", "starten"),
)

faq(
    "onderwijsassistent",
    "Hoe word ik onderwijsassistent?",
    doc(
        p(
            "Je volgt de mbo-opleiding ",
            bold("onderwijsassistent"),
            " (niveau 4), in de bol of de bbl. Heb je al een ",
            "mbo-4-diploma in een verwante richting, dan is er vaak een verkorte route.",
        ),
    ),
    topics=("lerarenopleidingen",),
    sectors=(PO, MBO),
    audiences=("studiekiezers", "switchers"),
    phases=("orientatie",),
)

faq(
    "speciaal-onderwijs",
    "Heb ik een extra opleiding nodig om in het speciaal onderwijs te werken?",
    doc(
        p(
            "Je pabodiploma of lesbevoegdheid is voldoende, maar veel scholen vragen een master ",
            italic("Educational Needs"),
            " of vergelijkbare scholing binnen een paar jaar.",
        ),
    ),
    topics=("bevoegdheden",),
    sectors=(SO,),
    audiences=("switchers",),
    phases=("behoud",),
)

faq(
    "passend-onderwijs",
    "Wat betekent passend onderwijs voor mij als leraar?",
    doc(
        p(
            "Sinds de invoering van passend onderwijs hebben scholen een ",
            bold("zorgplicht"),
            ": elke leerling moet een passende plek krijgen. Als leraar werk je daarom vaker samen met de intern begeleider.",
        ),
    ),
    topics=("wetten-en-regels",),
    sectors=(PO, VO, SO),
    audiences=("zij-instromers",),
    phases=("starten",),
)

faq(
    "vog",
    "Heb ik een VOG nodig om in het onderwijs te werken?",
    doc(
        p(
            "Ja. Iedereen die op een school werkt, heeft een verklaring omtrent het gedrag (VOG) nodig. ",
            "De school vraagt die voor je aan; de kosten worden meestal vergoed.",
        ),
    ),
    topics=("wetten-en-regels",),
    sectors=(PO, VO, MBO, SO),
    audiences=("zij-instromers", "herintreders"),
    phases=("voorbereiding",),
)

faq(
    "educatieve-master",
    "Wat is een educatieve master?",
    doc(
        p(
            "Een educatieve master is een eenjarige of tweejarige masteropleiding aan een universiteit, waarmee je een ",
            bold("eerstegraads bevoegdheid"),
            " haalt in een schoolvak dat aansluit bij je wo-master.",
        ),
    ),
    topics=("lerarenopleidingen", "bevoegdheden"),
    sectors=(VO,),
    audiences=("studiekiezers", "zij-instromers"),
    phases=("opleiding",),
)

faq(
    "schoolleider",
    "Hoe word ik schoolleider in het basisonderwijs?",
    doc(
        p(
            "Je hebt ervaring als leraar nodig en volgt een erkende schoolleidersopleiding. Daarna kun je je registreren ",
            "als ",
            italic("schoolleider basisbekwaam"),
            ".",
        ),
    ),
    topics=("bevoegdheden",),
    sectors=(PO,),
    audiences=("switchers",),
    phases=("behoud",),
)

faq(
    "po-naar-vo",
    "Kan ik met een pabodiploma ook in het voortgezet onderwijs lesgeven?",
    doc(
        p(
            "Niet zomaar. Met een pabodiploma ben je bevoegd in het primair onderwijs. Voor het vo heb je een ",
            "tweedegraads of eerstegraads bevoegdheid nodig in een schoolvak; via een ",
            italic("verkort traject"),
            " kan dat vaak sneller.",
        ),
    ),
    topics=("bevoegdheden", "lerarenopleidingen"),
    sectors=(PO, VO),
    audiences=("switchers",),
    phases=("orientatie",),
)

faq(
    "deeltijd-duur",
    "Hoe lang duurt een deeltijd lerarenopleiding?",
    doc(
        p(
            "Een deeltijdopleiding duurt meestal ",
            bold("4 jaar"),
            ". Met een afgeronde hbo- of wo-bachelor kun je ",
            "vaak vrijstellingen krijgen en is het ongeveer 2 tot 3 jaar.",
        ),
    ),
    topics=("lerarenopleidingen",),
    sectors=(VO,),
    audiences=("zij-instromers",),
    phases=("opleiding",),
)

faq(
    "begrippen-po-vo",
    "Wat betekenen po, vo, so en vso?",
    doc(
        p("Dat zijn afkortingen voor de onderwijssectoren:"),
        ul(
            "po: primair onderwijs (groep 1 t/m 8)",
            "vo: voortgezet onderwijs (vmbo, havo, vwo)",
            "so: speciaal onderwijs",
            "vso: voortgezet speciaal onderwijs",
        ),
    ),
    topics=("begrippen-en-afkortingen",),
    audiences=("studiekiezers",),
    phases=("orientatie",),
)

faq(
    "zorgcoordinator",
    "Wat doet een zorgcoördinator op een middelbare school?",
    doc(
        p(
            "De zorgcoördinator regelt de extra ondersteuning voor leerlingen die dat nodig hebben. Hij of zij ",
            "overlegt met mentoren, ouders en hulpverleners, houdt het ",
            italic("ondersteuningsplan"),
            " bij en sluit aan bij het zorgadviesteam.",
        ),
        p("In het basisonderwijs doet de intern begeleider vergelijkbaar werk."),
    ),
    topics=("wetten-en-regels",),
    sectors=(VO,),
    audiences=("switchers",),
    phases=("orientatie",),
)

faq(
    "lesuren",
    "Hoeveel uur sta je voor de klas als fulltime leraar?",
    doc(
        p(
            "Een volledige baan is in de cao's 1659 uur per jaar. Daarvan is een deel lesgevende taak: in het ",
            "voortgezet onderwijs meestal rond de 25 lesuren per week, in het basisonderwijs vaak meer. De rest ",
            "van de tijd gaat naar voorbereiden, nakijken, overleg en professionalisering.",
        ),
    ),
    topics=("werkdruk",),
    sectors=(PO, VO),
    audiences=("zij-instromers", "studiekiezers"),
    phases=("orientatie",),
)

faq(
    "parttime",
    "Kan ik als leraar in deeltijd werken?",
    doc(
        p(
            "Ja. Veel leraren werken ",
            bold("parttime"),
            ", bijvoorbeeld drie of vier dagen per week. Scholen zoeken ",
            "vaak juist mensen voor een deel van de week; in het basisonderwijs is duobanen heel gewoon.",
        ),
    ),
    topics=("vacatures",),
    sectors=(PO, VO, MBO),
    audiences=("herintreders", "zij-instromers"),
    phases=("starten",),
)

faq(
    "kosten-opleiding",
    "Wat kost een lerarenopleiding?",
    doc(
        p(
            "Voor een bekostigde opleiding betaal je het wettelijk collegegeld. Een deeltijdopleiding kost ",
            "hetzelfde; voor een tweede studie kan het instellingscollegegeld hoger zijn. Daarbij komen boeken ",
            "en reiskosten.",
        ),
        p("Kijk ook naar de lerarenbeurs of het levenlanglerenkrediet."),
    ),
    topics=("lerarenopleidingen", "subsidies"),
    sectors=(PO, VO, MBO),
    audiences=("studiekiezers", "zij-instromers"),
    phases=("voorbereiding",),
)

faq(
    "lio",
    "Wat is een lio-stage?",
    doc(
        p(
            "In het laatste jaar van je opleiding kun je als ",
            bold("leraar in opleiding"),
            " (lio) zelfstandig lesgeven aan een eigen klas, onder begeleiding van een ervaren collega. Soms krijg ",
            "je daarvoor een vergoeding of een tijdelijk contract.",
        ),
    ),
    topics=("lerarenopleidingen",),
    sectors=(PO, VO),
    audiences=("studiekiezers",),
    phases=("opleiding",),
)

faq(
    "buitenlands-diploma",
    "Kan ik met een buitenlands diploma leraar worden in Nederland?",
    doc(
        p(
            "Dat kan. Je laat je buitenlandse lerarendiploma erkennen via DUO (diplomaerkenning). Soms moet je ",
            "aanvullende eisen halen, zoals een toets Nederlands op niveau B2 of C1.",
        ),
    ),
    topics=("bevoegdheden",),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers",),
    phases=("voorbereiding",),
)

faq(
    "meeloopdag",
    "Kan ik een dag meelopen op een school voordat ik kies?",
    doc(
        p(
            "Ja, dat raden we aan. Vraag een school in de buurt of regel het via het regioloket: zij organiseren ",
            "vaak meeloopdagen. Zo zie je hoe een dag in de klas er echt uitziet.",
        ),
    ),
    topics=("vacatures",),
    sectors=(PO, VO),
    audiences=("zij-instromers", "studiekiezers"),
    phases=("orientatie",),
)

# A FAQ with no relations at all (nulls / missing relations must be handled).
faq(
    "geen-relaties",
    "Is werken in het onderwijs iets voor mij?",
    doc(
        p(
            "Twijfel je nog? Loop een dag mee op een school, praat met leraren en plan een ",
            bold("adviesgesprek"),
            " met een regioloket.",
        ),
    ),
)

# A FAQ with no topics but with sectors.
faq(
    "geen-onderwerpen",
    "Hoe ziet een werkdag van een leraar eruit?",
    doc(
        p(
            "Een werkdag bestaat uit lesgeven, lessen voorbereiden, nakijken, overleggen met collega's en contact met ",
            "ouders. Lessen beginnen meestal rond half negen.",
        ),
        p("Eerste regel", hard_break(), "Tweede regel na een harde regelafbreking"),
    ),
    sectors=(PO, VO),
)

# Diacritics in question and answer.
FAQ_DIACRITICS_QUESTION = "Hoe verloopt de oriëntatie op een carrière in het onderwijs?"
faq(
    "orientatie-diacritics",
    FAQ_DIACRITICS_QUESTION,
    doc(
        p(
            "De oriëntatiefase is er om te ontdekken wat bij je past. Je praat met een loopbaanadviseur, gaat naar een ",
            "café over het leraarschap en bezoekt een open dag. Ook ",
            italic("coördinatoren"),
            " op scholen en ",
            "ervaren collega's in het ",
            bold("vakgebied"),
            " helpen je op weg; dat geldt voor het primair onderwijs én ",
            "het voortgezet onderwijs.",
        ),
        p(
            "Een greep uit veelgestelde vragen: is het een ",
            italic("idee"),
            " om eerst als invalkracht te werken? ",
            "Wil je naar een coöperatieve school of juist naar een school met een ",
            italic("Daltonconcept"),
            "?",
        ),
    ),
    topics=("zij-instroom",),
    sectors=(PO, VO),
    audiences=("zij-instromers", "switchers"),
    phases=("orientatie",),
)

# An answer with node types the renderer does not know (graceful degradation).
faq(
    "onbekende-node",
    "Welke tips hebben ervaren leraren voor een eerste schooljaar?",
    doc(
        p("We vroegen een paar ervaren leraren om hun beste tip:"),
        {
            "type": "blockquote",
            "content": [p("Zorg eerst voor een goede band met je klas; de rest volgt vanzelf.")],
        },
        {
            "type": "fancyWidget",
            "attrs": {"variant": "tip", "icon": "i-lucide-lightbulb"},
            "content": [p("Plan elke week een vast moment om terug te kijken op je lessen.")],
        },
        {"type": "fancyWidget", "attrs": {"empty": True}},
        p("Succes met je eerste jaar!"),
    ),
    topics=("werkdruk",),
    sectors=(VO,),
    audiences=("zij-instromers",),
    phases=("starten",),
)


def _long_answer() -> Node:
    blocks: list[Node] = [
        p(
            "Er bestaan veel regelingen voor mensen die leraar willen worden. Hieronder zetten we de belangrijkste op ",
            "een rij. Let op: dit is ",
            bold("voorbeeldinformatie"),
            " voor de testomgeving.",
        ),
    ]
    sections = [
        (
            "Subsidie zij-instroom",
            "Scholen die een zij-instromer aannemen, kunnen een subsidie aanvragen voor de "
            "kosten van het geschiktheidsonderzoek, de opleiding en de begeleiding op de werkplek. De aanvraag loopt via "
            "de werkgever en moet vóór de start van het traject binnen zijn. In de regel dekt de subsidie een groot deel "
            "van de kosten; de school betaalt de rest en regelt de begeleiding.",
        ),
        (
            "Lerarenbeurs",
            "Bevoegde leraren die een bachelor- of masteropleiding willen volgen, kunnen een lerarenbeurs "
            "aanvragen. De beurs vergoedt collegegeld, studiemiddelen en reiskosten. Daarnaast kan de werkgever een "
            "vergoeding krijgen voor studieverlof, zodat de leraar tijd heeft om te studeren zonder dat de lessen "
            "uitvallen. De aanvraagperiode is beperkt, dus kijk op tijd of je in aanmerking komt.",
        ),
        (
            "Studiefinanciering en levenlanglerenkrediet",
            "Studenten aan een voltijd lerarenopleiding hebben recht op "
            "studiefinanciering. Ben je ouder dan dertig of heb je al eerder gestudeerd, dan kun je misschien een "
            "levenlanglerenkrediet aanvragen om je collegegeld te betalen. Dat is een lening met een lage rente die je "
            "na je studie terugbetaalt naar draagkracht.",
        ),
        (
            "Regionale regelingen",
            "Veel onderwijsregio's hebben eigen regelingen, zoals een bijdrage in de reiskosten, "
            "een extra coach of een vergoeding voor een oriëntatietraject. Het regioloket in jouw regio weet welke "
            "regelingen er op dit moment zijn en helpt je bij de aanvraag. Soms zijn er ook afspraken met gemeenten over "
            "huisvesting voor leraren in regio's met een groot tekort.",
        ),
        (
            "Fiscale aftrek en werkgeversbijdragen",
            "Sommige werkgevers vergoeden een deel van een opleiding in ruil "
            "voor een afspraak over de duur van het dienstverband. Lees zo'n studiekostenbeding goed door voordat je "
            "tekent, en vraag na wat er gebeurt als je eerder vertrekt of van school wisselt binnen hetzelfde bestuur.",
        ),
        (
            "Halvering collegegeld",
            "Voor eerstejaarsstudenten aan een lerarenopleiding gold in sommige jaren een "
            "halvering van het wettelijk collegegeld, en soms ook voor het tweede jaar. Of die regeling nog bestaat en voor "
            "wie, verschilt per studiejaar. Controleer dit daarom altijd bij de hogeschool of bij DUO voordat je erop rekent "
            "in je begroting.",
        ),
        (
            "Stagevergoeding en werkplekleren",
            "Tijdens een voltijdopleiding loop je stage, meestal onbetaald of met een "
            "kleine vergoeding. In het laatste jaar kun je soms als leraar in opleiding (lio) betaald aan de slag. Bij een "
            "duale opleiding of zij-instroom werk je vanaf het begin met een arbeidsovereenkomst en dus met salaris.",
        ),
        (
            "Regelingen voor herintreders",
            "Heb je vroeger lesgegeven en wil je terugkeren? Sommige schoolbesturen bieden "
            "een opfristraject of een begeleidingsjaar aan, en soms is er een tijdelijke vergoeding voor nascholing. Je "
            "bevoegdheid blijft geldig, maar bijscholing in nieuwe methodes en in passend onderwijs helpt je weer op weg.",
        ),
    ]
    for title, body in sections:
        blocks.append(h(3, title))
        blocks.append(p(body))
        blocks.append(p("Zo vraag je het aan:"))
        blocks.append(
            ol(
                "Controleer de voorwaarden op de website van de uitvoerder.",
                "Verzamel de benodigde documenten (diploma's, arbeidsovereenkomst, begroting).",
                "Dien de aanvraag in vóór de sluitingsdatum en bewaar de ontvangstbevestiging.",
            )
        )
        blocks.append(
            p(
                italic("Tip: "),
                "vraag bij twijfel advies aan je werkgever of aan een regioloket; ",
                "zij kennen de voorwaarden en veelgemaakte fouten bij de aanvraag.",
            )
        )
    blocks.append(
        p(
            "Meer weten? Lees ook ",
            link("ons artikel over subsidies", "/kennisbank/artikelen/subsidies-en-regelingen"),
            " of bekijk de ",
            link("lerarenbeurs bij DUO", "https://duo.nl/particulier/lerarenbeurs/"),
            ".",
        )
    )
    return doc(*blocks)


faq(
    "lang-antwoord",
    "Welke subsidies en regelingen zijn er als ik leraar wil worden, en hoe vraag ik ze aan?",
    _long_answer(),
    topics=("subsidies", "zij-instroom"),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers", "studiekiezers", "herintreders"),
    phases=("voorbereiding", "opleiding"),
)

# Never visible to the reader tokens.
faq(
    "concept-salaris",
    "CONCEPT: nieuwe salarisschalen vo per volgend jaar?",
    doc(p("Dit concept mag nooit zichtbaar zijn voor API-lezers.")),
    topics=("salaris",),
    sectors=(VO,),
    status="draft",
)
faq(
    "concept-zij-instroom",
    "CONCEPT: verandert de zij-instroomregeling?",
    doc(p("Conceptantwoord, niet gepubliceerd.")),
    topics=("zij-instroom",),
    status="draft",
)
faq(
    "gearchiveerd-lerarenbeurs",
    "Kan ik nog een lerarenbeurs aanvragen voor schooljaar 2019-2020?",
    doc(p("Gearchiveerd antwoord; niet meer tonen.")),
    topics=("subsidies",),
    status="archived",
)

# Many FAQs linked to one article (ARTICLE_MANY_FAQS): more than any page of related FAQs, and more than
# Directus returns for a nested list by default (QUERY_LIMIT_DEFAULT=100). Their words are kept apart from
# the other FAQs' so that searches elsewhere find none of them.
_VERLOF_SUBJECTS = [
    "hoeveel verlofuren bouw je op per maand",
    "wanneer vraag je ouderschapsverlof aan",
    "mag je vakantiedagen meenemen naar volgend jaar",
    "hoe werkt zorgverlof voor een familielid",
    "krijg je buitengewoon verlof voor een verhuizing",
    "wie keurt je verlofaanvraag goed",
    "hoe lang duurt zwangerschapsverlof",
]
FAQ_MANY_KEYS = [f"verlof-{n:03d}" for n in range(1, 108)]
for _n, _key in enumerate(FAQ_MANY_KEYS, start=1):
    faq(
        _key,
        f"Verlofvraag {_n}: {_VERLOF_SUBJECTS[_n % len(_VERLOF_SUBJECTS)]}?",
        doc(
            p(
                f"Antwoord op verlofvraag {_n}: kijk in je arbeidsvoorwaarden en vraag het na bij je werkgever."
            )
        ),
        # The last two are drafts: the article links them, but readers must not count them.
        status="draft" if _n > 105 else "published",
    )

FAQ_NAAST_BAAN = FAQ_IDS["naast-baan"]
FAQ_VAVO = FAQ_IDS["vavo"]
FAQ_LONG_ANSWER = FAQ_IDS["lang-antwoord"]
FAQ_DIACRITICS = FAQ_IDS["orientatie-diacritics"]
FAQ_UNKNOWN_NODE = FAQ_IDS["onbekende-node"]
FAQ_NO_RELATIONS = FAQ_IDS["geen-relaties"]
FAQ_NO_TOPICS = FAQ_IDS["geen-onderwerpen"]
FAQ_HIDDEN = [
    FAQ_IDS["concept-salaris"],
    FAQ_IDS["concept-zij-instroom"],
    FAQ_IDS["gearchiveerd-lerarenbeurs"],
    *(FAQ_IDS[k] for k in FAQ_MANY_KEYS[105:]),
]
PUBLISHED_FAQ_IDS = [f["id"] for f in FAQS if f["status"] == "published"]


# ---------------------------------------------------------------------------------------------------
# Block collections (custom nodes) and articles
# ---------------------------------------------------------------------------------------------------

ARTICLE_JUNCTION = "articles_editor_nodes"
CALLOUT_JUNCTION = "callouts_editor_nodes"

# Ids copied from the public docs' examples, so their sample requests can be replayed.
ARTICLE_LEERPLICHT = "00f81660-a2e4-48af-b8d7-98ce338de447"
ARTICLE_VAVO = "01f90101-9f1c-4241-a7e8-0a1d60d7fa5d"
ARTICLE_ZIJ_INSTROOM_VO = "0dbab3e8-1d2b-489f-a539-1f4cdbec0f05"

ARTICLE_IDS: dict[str, str] = {
    "wat-is-het-vavo": ARTICLE_VAVO,
    "hoe-werkt-de-leerplicht": ARTICLE_LEERPLICHT,
    "zij-instromen-als-leraar-in-het-voortgezet-onderwijs": ARTICLE_ZIJ_INSTROOM_VO,
}


def article_id(slug: str) -> str:
    return ARTICLE_IDS.setdefault(slug, sid("article", slug))


class Nodes:
    """Collects the editor_nodes of one document while its body is written."""

    def __init__(self, owner: str, junction: str = ARTICLE_JUNCTION) -> None:
        self.owner = owner
        self.junction = junction
        self.entries: list[Item] = []

    def _add(self, key: str, collection: str, item: Item) -> str:
        junction_id = sid(self.junction, f"{self.owner}:{key}")
        self.entries.append({"id": junction_id, "collection": collection, "item": item})
        return junction_id

    def block(self, key: str, collection: str, item: Item) -> Node:
        return relation_block(self._add(key, collection, item), self.junction, collection)

    def inline(self, key: str, collection: str, item: Item) -> Node:
        return relation_inline_block(self._add(key, collection, item), self.junction, collection)

    def mention(self, key: str, target_article: str, title: str | None = None) -> Node:
        return self.inline(key, "mentions", mention_item(f"{self.owner}:{key}", target_article, title))


def mention_item(key: str, target_article: str, title: str | None) -> Item:
    return {
        "id": sid("mention", key),
        "title": title,
        "item": [{"collection": "articles", "item": target_article}],
    }


def button_item(
    key: str,
    label: str,
    to: str,
    *,
    internal: bool,
    variant: str = "solid",
    color: str = "primary",
    icon: str | None = None,
    icon_position: str = "trailing",
    size: str = "md",
) -> Item:
    return {
        "id": sid("button", key),
        "label": label,
        "to": to,
        "internal": internal,
        "icon": icon,
        "icon_position": icon_position if icon else None,
        "color": color,
        "variant": variant,
        "size": size,
    }


def image_item(
    key: str, alt_text: str, file_key: str, *, full_width: bool = False, max_width: int | None = 720
) -> Item:
    return {
        "id": sid("image", key),
        "alt_text": alt_text,
        "image": FILE_IDS[file_key],
        "full_width": full_width,
        "max_width": max_width,
    }


def content_list_item(key: str, cards: list[dict[str, Any]]) -> Item:
    items = []
    for n, card in enumerate(cards, start=1):
        items.append(
            {
                "id": sid("content_list_item", f"{key}:{n}"),
                "mediatype": "icon" if card.get("icon") else "none",
                "internal": str(card.get("link", "")).startswith("/"),
                "sort": n,
                **card,
            }
        )
    return {"id": sid("content_list", key), "items": items}


def related_list_item(key: str, refs: list[tuple[str, str]]) -> Item:
    return {
        "id": sid("related_content_list", key),
        "items": [{"collection": c, "item": i, "sort": n} for n, (c, i) in enumerate(refs, start=1)],
    }


def mediaplayer_item(
    key: str,
    title: str,
    artist: str | None,
    kind: str,
    *,
    source: dict[str, Any],
    chapters: list[dict[str, Any]] | None = None,
    artwork: str | None = None,
) -> Item:
    item: Item = {
        "id": sid("mediaplayer", key),
        "title": title,
        "artist": artist,
        "type": kind,
        "audio": source if kind == "audio" else None,
        "video": source if kind == "video" else None,
        "chapters": chapters or [],
        "full_width": kind == "video",
        "max_width": None,
        "artwork": FILE_IDS[artwork] if artwork else None,
    }
    return item


def callout_item(
    key: str,
    title: str,
    description: Node,
    *,
    nodes: Nodes | None = None,
    color: str = "primary",
    variant: str = "soft",
    icon: str | None = "i-lucide-info",
    dismissable: bool = False,
    actions: list[dict[str, Any]] | None = None,
) -> Item:
    item: Item = {
        "id": sid("callout", key),
        "title": title,
        "color": color,
        "variant": variant,
        "icon": icon,
        "dismissable": dismissable,
        "description": description,
        "actions": actions or [],
    }
    if nodes is not None:
        item["editor_nodes"] = nodes.entries
    return item


ARTICLES: list[Item] = []


def article(
    slug: str,
    title: str,
    *,
    description: str,
    summary: str | None,
    body: Node,
    nodes: Nodes | None = None,
    date_updated: str | None,
    english: bool = False,
    status: str = "published",
    authors: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    tracks: tuple[str, ...] = (),
    qualifications: tuple[str, ...] = (),
    audiences: tuple[str, ...] = (),
    phases: tuple[str, ...] = (),
    faqs: tuple[str, ...] = (),
    sources: tuple[str, ...] = (),
    documents: tuple[str, ...] = (),
    seo: dict[str, Any] | None = None,
) -> str:
    item: Item = {
        "id": article_id(slug),
        "status": status,
        "title": title,
        "slug": slug,
        "path": f"/kennisbank/artikelen/{slug}",
        "description": description,
        "summary": summary,
        "body": body,
        "english": english,
        "date_updated": date_updated,
    }
    if seo is not None:
        item["seo"] = seo
    if nodes is not None and nodes.entries:
        item["editor_nodes"] = nodes.entries
    for field, target, keys, table_ in (
        ("authors", "authors", authors, AUTHOR_IDS),
        ("topics", "topics", topics, T),
        ("roles", "roles", roles, R),
        ("tracks", "tracks", tracks, TR),
        ("qualifications", "qualifications", qualifications, Q),
        ("audiences", "audiences", audiences, A),
        ("phases", "phases", phases, PH),
        ("faqs", "faqs", faqs, FAQ_IDS),
        ("sources", "sources", sources, S),
        ("documents", "documents", documents, D),
    ):
        if keys:
            item[field] = m2m(target, [table_[k] for k in keys])
    if sectors:
        item["sectors"] = m2m("sectors", list(sectors))
    ARTICLES.append(item)
    return str(item["id"])


# Programs are created later in LOAD_ORDER; related-content lists may point at them already.
PROGRAM_IDS: dict[str, str] = {}


def program_id(slug: str) -> str:
    return PROGRAM_IDS.setdefault(slug, sid("program", slug))


INSTITUTION_VU = "c23d4070-1c5c-5ec8-a182-8a2e1c313ca9"  # id from the public docs' example


# --- A1: Wat is het vavo? (docs example id) ------------------------------------------------------------
article(
    "wat-is-het-vavo",
    "Wat is het vavo?",
    description="Het vavo biedt volwassenen een tweede kans op een vmbo-, havo- of vwo-diploma.",
    summary="Uitleg over het voortgezet algemeen volwassenenonderwijs en wie er lesgeeft.",
    body=doc(
        p(
            "Het ",
            bold("vavo"),
            " (voortgezet algemeen volwassenenonderwijs) is bedoeld voor mensen die alsnog een ",
            "diploma in het voortgezet onderwijs willen halen.",
        ),
        h(2, "Voor wie is het vavo?"),
        ul(
            "volwassenen zonder startkwalificatie",
            "jongeren vanaf 18 jaar die hun diploma niet haalden",
            "soms jongeren van 16 of 17 jaar, na een overstap vanuit het vo",
        ),
        h(2, "Lesgeven in het vavo"),
        p(
            "Wil je lesgeven in het vavo? Je hebt dezelfde bevoegdheid nodig als in het voortgezet onderwijs. ",
            "Lees meer in ",
            link("Welke bevoegdheden zijn er?", "/kennisbank/artikelen/welke-bevoegdheden-zijn-er"),
            ".",
        ),
        h(3, "Waar vind je het vavo?"),
        p("Meestal bij een roc, soms bij een school voor voortgezet onderwijs die met een roc samenwerkt."),
    ),
    date_updated="2025-02-03T10:15:00.000Z",
    authors=("sanne",),
    topics=("begrippen-en-afkortingen",),
    sectors=(VO, MBO),
    roles=("leraar-voortgezet-onderwijs",),
    qualifications=("tweedegraads", "eerstegraads"),
    audiences=("studiekiezers",),
    phases=("orientatie",),
    faqs=("vavo", "vavo-lesgeven"),
    sources=("web",),
)

# --- A2: Hoe werkt de leerplicht? (docs example id) --------------------------------------------------
_n = Nodes("leerplicht")
article(
    "hoe-werkt-de-leerplicht",
    "Hoe werkt de leerplicht in Nederland?",
    description="Leerplicht en kwalificatieplicht: wie moet naar school, en tot wanneer?",
    summary="De leerplicht begint op je vijfde en loopt tot het eind van het schooljaar waarin je 16 wordt.",
    body=doc(
        p(
            "In Nederland zijn kinderen ",
            bold("leerplichtig"),
            " vanaf de eerste schooldag van de maand na hun vijfde ",
            "verjaardag. De meeste kinderen gaan al naar school als ze vier zijn.",
        ),
        h(2, "Leerplicht en kwalificatieplicht"),
        table(
            ["Leeftijd", "Wat geldt er?"],
            ["5 tot 16 jaar", "volledige leerplicht"],
            ["16 en 17 jaar", p(bold("kwalificatieplicht"), " tot een startkwalificatie")],
            ["vanaf 18 jaar", "geen leerplicht meer; wel het vavo of mbo als tweede kans"],
        ),
        p(
            "Wie na zijn achttiende nog een diploma wil halen, kan naar het vavo: lees ",
            _n.mention("vavo", ARTICLE_VAVO, "Wat is het vavo?"),
            ".",
        ),
        h(2, "Wat betekent dit voor leraren?"),
        p(
            "Leraren melden ongeoorloofd verzuim bij de schoolleiding; die meldt het aan de ",
            italic("leerplichtambtenaar"),
            " van de gemeente.",
        ),
    ),
    nodes=_n,
    date_updated="2024-09-20T08:00:00.000Z",
    authors=("pieter",),
    topics=("wetten-en-regels",),
    sectors=(PO, VO, MBO),
    audiences=("studiekiezers", "herintreders"),
    phases=("orientatie",),
    sources=("leerplichtwet",),
)

# --- A3: Zij-instromen in het vo (docs example id): callout with nested mention, buttons, image, list ---
_n = Nodes("zij-instroom-vo")
_callout_nodes = Nodes("callout-zij-instroom-vo", CALLOUT_JUNCTION)
_callout_desc = doc(
    p(
        "Twijfel je of je vooropleiding past bij een schoolvak? Lees eerst ",
        _callout_nodes.mention("bevoegdheden", article_id("welke-bevoegdheden-zijn-er")),
        " en plan daarna een ",
        bold("adviesgesprek"),
        ".",
    ),
    ul("Het gesprek is gratis.", "Je krijgt advies over jouw regio."),
)
CALLOUT_WITH_MENTION = sid("callout", "zij-instroom-vo-tip")
article(
    "zij-instromen-als-leraar-in-het-voortgezet-onderwijs",
    "Hoe kan ik zij-instromen als leraar in het voortgezet onderwijs?",
    description="Via zij-instroom sta je snel voor de klas en haal je binnen twee jaar je bevoegdheid.",
    summary="Stappenplan voor zij-instroom in het vo: voorwaarden, geschiktheidsonderzoek en opleiding.",
    body=doc(
        p(
            "Heb je een hbo- of wo-diploma en wil je leraar worden in het voortgezet onderwijs? Dan is ",
            bold("zij-instroom"),
            " misschien iets voor jou.",
        ),
        _n.block(
            "tip",
            "callouts",
            callout_item(
                "zij-instroom-vo-tip",
                "Eerst advies?",
                _callout_desc,
                nodes=_callout_nodes,
                color="secondary",
                icon="i-lucide-lightbulb",
                dismissable=True,
                actions=[
                    {
                        "label": "Plan een adviesgesprek",
                        "internal": True,
                        "to": "/adviesgesprek",
                        "variant": "solid",
                    }
                ],
            ),
        ),
        h(2, "Stappenplan"),
        ol(
            "Oriënteer je op het vak en de school.",
            li(
                p("Zoek een school die je wil aannemen."),
                ul("vraag het regioloket naar vacatures", "loop een dag mee"),
            ),
            "Doe het geschiktheidsonderzoek.",
            "Start met werken en studeren.",
        ),
        _n.block(
            "image",
            "images",
            image_item("zij-instroom-vo-klas", "Een leraar voor een klas in het vo", "image-klaslokaal"),
        ),
        h(2, "Wat kost het?"),
        p(
            "De school vraagt meestal een subsidie aan; zie ",
            _n.mention("subsidies", article_id("subsidies-en-regelingen")),
            ". Zelf betaal je doorgaans niets.",
        ),
        _n.block(
            "links",
            "content_lists",
            content_list_item(
                "zij-instroom-vo-links",
                [
                    {
                        "title": "Geschiktheidsonderzoek",
                        "description": "Wat wordt er getoetst?",
                        "icon": "i-lucide-clipboard-check",
                        "link": "/kennisbank/artikelen/geschiktheidsonderzoek",
                    },
                    {
                        "title": "Vacatures",
                        "description": "Scholen die zij-instromers zoeken.",
                        "icon": "i-lucide-briefcase",
                        "link": "/navigator/regioloketten",
                    },
                    {
                        "title": "Regeling zij-instroom",
                        "description": "Officiële informatie.",
                        "icon": None,
                        "link": "https://www.dus-i.nl/subsidies/zij-instroom",
                    },
                ],
            ),
        ),
        p("Klaar om te beginnen?"),
        _n.block(
            "cta",
            "buttons",
            button_item(
                "zij-instroom-vo-cta",
                "Vind een regioloket",
                "/navigator/regioloketten",
                internal=True,
                icon="i-lucide-arrow-right",
            ),
        ),
        _n.block(
            "extern",
            "buttons",
            button_item(
                "zij-instroom-vo-extern",
                "Subsidie zij-instroom (DUS-I)",
                "https://www.dus-i.nl/subsidies/zij-instroom",
                internal=False,
                variant="outline",
                color="secondary",
                icon="i-lucide-external-link",
            ),
        ),
    ),
    nodes=_n,
    date_updated="2025-06-11T14:45:00.000Z",
    authors=("mehmet", "sanne"),
    topics=("zij-instroom",),
    sectors=(VO,),
    roles=("leraar-voortgezet-onderwijs",),
    tracks=("zij-instroom",),
    qualifications=("tweedegraads", "eerstegraads"),
    audiences=("zij-instromers",),
    phases=("orientatie", "voorbereiding"),
    faqs=("zij-instroom-wat", "zij-instroom-voorwaarden", "zij-instroom-kosten"),
    sources=("dus-i-zij-instroom", "rijksoverheid-werken"),
    documents=("checklist-zij-instroom",),
    seo={"title": "Zij-instromen in het vo", "meta_description": "Stappenplan zij-instroom (testdata)."},
)

# --- A4: Salaris: table, audio player, related content (articles + programs + institution) -----------
_n = Nodes("salaris")
article(
    "wat-verdient-een-leraar",
    "Wat verdient een leraar?",
    description="Salarisschalen in het po, vo en mbo op een rij (voorbeeldbedragen).",
    summary="Je salaris hangt af van de sector, je functieschaal en je ervaring.",
    body=doc(
        p(
            "Leraren worden betaald volgens de cao van hun sector. Hieronder staan ",
            italic("voorbeeldbedragen"),
            " voor de testomgeving, geen echte cijfers.",
        ),
        h(2, "Salaris per sector"),
        table(
            ["Sector", "Startschaal", "Voorbeeld bruto per maand"],
            ["primair onderwijs", "L10", "€ 3.500"],
            ["voortgezet onderwijs", "LB", "€ 3.600"],
            ["mbo", "LB", "€ 3.600"],
            ["hoger onderwijs", "schaal 11", "€ 4.000"],
        ),
        h(3, "Extra's"),
        ul(
            "vakantietoeslag van 8%",
            "eindejaarsuitkering",
            li(p("toelagen, bijvoorbeeld:"), ul("voor extra taken", "voor werken in een krimpregio")),
        ),
        _n.block(
            "podcast",
            "mediaplayers",
            mediaplayer_item(
                "salaris-podcast",
                "Voor de klas – aflevering 12: Wat verdien je echt?",
                "Sanne de Vries",
                "audio",
                source={"service": "cloudinary", "source": "podcast/voor-de-klas-12.mp3"},
                chapters=[
                    {"label": "Intro", "time": 0},
                    {"label": "Cao po", "time": 95},
                    {"label": "Vragen", "time": 610},
                ],
                artwork="artwork-podcast",
            ),
        ),
        h(2, "Verder lezen"),
        _n.block(
            "related",
            "related_content_lists",
            related_list_item(
                "salaris-related",
                [
                    ("articles", article_id("subsidies-en-regelingen")),
                    ("articles", ARTICLE_ZIJ_INSTROOM_VO),
                    ("programs", program_id("pabo-hu")),
                    ("educational_institutions", INSTITUTION_VU),
                    ("sectors", PO),
                ],
            ),
        ),
    ),
    nodes=_n,
    date_updated="2025-03-01T12:00:00.000Z",
    authors=("anouk",),
    topics=("salaris",),
    sectors=(PO, VO, MBO, HO),
    roles=("leraar-basisonderwijs", "leraar-voortgezet-onderwijs", "docent-mbo"),
    audiences=("zij-instromers", "studiekiezers"),
    phases=("orientatie",),
    faqs=("salaris-po", "salaris-vo", "salaris-mbo"),
    sources=("cao-po",),
    documents=("salarisschalen",),
)

# --- A5: Bevoegdheden: nested lists, h2–h4, callout, inline mention, image ----------------------------
_n = Nodes("bevoegdheden")
article(
    "welke-bevoegdheden-zijn-er",
    "Welke bevoegdheden zijn er in het onderwijs?",
    description="Van pabo tot eerstegraads: welke bevoegdheid heb je nodig, en waar mag je mee lesgeven?",
    summary="Overzicht van de bevoegdheden in po, vo en mbo.",
    body=doc(
        p("Een ", bold("bevoegdheid"), " bepaalt waar je mag lesgeven. Er zijn vier hoofdsoorten."),
        h(2, "Primair onderwijs"),
        p("Met een pabodiploma ben je bevoegd als groepsleerkracht."),
        h(2, "Voortgezet onderwijs en mbo"),
        ul(
            li(
                p(bold("Eerstegraads")),
                ul(
                    "alle klassen in het vo",
                    "mbo",
                    li(p("vakleerkracht in het po, bijvoorbeeld:"), ul("bewegingsonderwijs", "muziek")),
                ),
            ),
            li(p(bold("Tweedegraads")), ul("vmbo", "onderbouw havo/vwo", "mbo")),
            li(p(bold("Beperkt tweedegraads")), ul("vmbo-tl", "onderbouw havo/vwo")),
        ),
        h(3, "Hoe haal je een eerstegraads bevoegdheid?"),
        ol(
            "via een educatieve master na een wo-master",
            "via een master leraar na een tweedegraads opleiding",
        ),
        h(4, "Let op bij vakken zonder lerarenopleiding"),
        p(
            "Voor sommige vakken is er geen opleiding in jouw regio. Vraag dan advies; lees ook ",
            _n.mention("zij-instroom", ARTICLE_ZIJ_INSTROOM_VO),
            ".",
        ),
        _n.block(
            "note",
            "callouts",
            callout_item(
                "bevoegdheden-note",
                "Geen bevoegdheid nodig in het hoger onderwijs",
                doc(
                    p("Hogescholen en universiteiten vragen wel vaak een ", italic("BKO"), "."),
                    ul("BKO: basiskwalificatie onderwijs", "SKO: seniorkwalificatie onderwijs"),
                ),
                color="neutral",
                variant="outline",
            ),
        ),
        _n.block(
            "schema",
            "images",
            image_item(
                "bevoegdheden-schema",
                "Schema van de bevoegdheden per sector",
                "image-pabo",
                full_width=True,
                max_width=None,
            ),
        ),
    ),
    nodes=_n,
    date_updated="2024-11-05T09:00:00.000Z",
    authors=("sanne",),
    topics=("bevoegdheden",),
    sectors=(PO, VO, MBO, HO),
    roles=("leraar-basisonderwijs", "leraar-voortgezet-onderwijs", "docent-mbo"),
    qualifications=("bevoegdheid-primair-onderwijs", "eerstegraads", "tweedegraads", "beperkt-tweedegraads"),
    audiences=("studiekiezers", "zij-instromers", "switchers"),
    phases=("orientatie",),
    faqs=("bevoegdheden-verschil", "beperkt-tweedegraads", "onbevoegd"),
    documents=("overzicht-bevoegdheden",),
)

# --- A6: Pabo: video, external button, content list, and a STALE relation-block ---------------------
_n = Nodes("pabo")
STALE_JUNCTION_ID = sid(ARTICLE_JUNCTION, "pabo:verwijderde-knop")
article(
    "de-pabo",
    "De pabo: zo word je leraar basisonderwijs",
    description="Alles over de pabo: toelating, de 21+-toets, voltijd, deeltijd en de academische pabo.",
    summary="De pabo duurt vier jaar voltijd; met een bachelor kan het korter.",
    body=doc(
        p("De ", bold("pabo"), " is de hbo-opleiding tot leraar basisonderwijs."),
        h(2, "Toelating"),
        p(
            "Je hebt een havo-, vwo- of mbo-4-diploma nodig. Ben je 21 of ouder zonder zo'n diploma, dan kun je de ",
            bold("21+-toets"),
            " doen.",
        ),
        relation_block(STALE_JUNCTION_ID, ARTICLE_JUNCTION, "buttons"),
        _n.block(
            "video",
            "mediaplayers",
            mediaplayer_item(
                "pabo-video",
                "Een dag op de pabo",
                None,
                "video",
                source={"service": "youtube", "id": "dQw4w9WgXcQ"},
                chapters=[{"label": "Stage", "time": 42}, {"label": "Colleges", "time": 180}],
            ),
        ),
        h(2, "Varianten"),
        _n.block(
            "varianten",
            "content_lists",
            content_list_item(
                "pabo-varianten",
                [
                    {
                        "title": "Voltijd pabo",
                        "description": "Vier jaar, met stage in elk jaar.",
                        "icon": "i-lucide-sun",
                        "link": "/navigator/opleidingen/pabo-hogeschool-utrecht",
                    },
                    {
                        "title": "Deeltijd pabo",
                        "description": "Naast je werk, vaak verkort.",
                        "icon": "i-lucide-moon",
                        "link": "/navigator/opleidingen/pabo-marnix-academie",
                    },
                    {
                        "title": "Academische pabo",
                        "description": "Pabo en universitaire bachelor tegelijk.",
                        "icon": None,
                        "image": FILE_IDS["image-pabo"],
                        "mediatype": "image",
                        "link": "/navigator/opleidingen/academische-pabo",
                    },
                ],
            ),
        ),
        _n.block(
            "studielink",
            "buttons",
            button_item(
                "pabo-studielink",
                "Aanmelden via Studielink",
                "https://www.studielink.nl",
                internal=False,
                variant="soft",
            ),
        ),
        p(
            "Let op: de toelatingstoetsen moet je vóór 1 september gehaald hebben.",
            hard_break(),
            italic("Controleer de data bij je hogeschool."),
        ),
    ),
    nodes=_n,
    date_updated="2025-05-19T07:30:00.000Z",
    authors=("anouk", "mehmet"),
    topics=("lerarenopleidingen", "toelating"),
    sectors=(PO,),
    roles=("leraar-basisonderwijs",),
    tracks=("voltijd-lerarenopleiding", "deeltijd-lerarenopleiding"),
    qualifications=("bevoegdheid-primair-onderwijs",),
    audiences=("studiekiezers", "herintreders"),
    phases=("orientatie", "voorbereiding"),
    faqs=("pabo-wat", "21plus-toets", "pabo-toelatingstoetsen"),
    sources=("wpo",),
)

# --- A7–A10: plainer articles ----------------------------------------------------------------------
article(
    "lerarenopleiding-naast-je-baan",
    "Een lerarenopleiding volgen naast je baan",
    description="Deeltijd, duaal of zij-instroom: zo combineer je werk en studie.",
    summary=None,
    body=doc(
        p("Steeds meer mensen worden leraar naast hun huidige baan. Dat kan op drie manieren:"),
        ol(
            li(p(bold("Deeltijd"), ": je studeert één of twee dagen per week.")),
            li(p(bold("Duaal"), ": je werkt op een school en studeert tegelijk.")),
            li(p(bold("Zij-instroom"), ": je bent al leraar en haalt je bevoegdheid binnen twee jaar.")),
        ),
        h(2, "Wat vraagt het van je?"),
        p(
            "Reken op 15 tot 20 uur per week. Bespreek met je werkgever of je ",
            italic("studieverlof"),
            " kunt krijgen.",
        ),
    ),
    date_updated="2024-06-30T16:20:00.000Z",
    authors=("mehmet",),
    topics=("lerarenopleidingen",),
    sectors=(PO, VO),
    tracks=("deeltijd-lerarenopleiding", "duaal", "zij-instroom"),
    audiences=("zij-instromers",),
    phases=("voorbereiding", "opleiding"),
    faqs=("naast-baan", "deeltijd-duur"),
)

article(
    "pdg-traject",
    "Het PDG-traject: bevoegd lesgeven in het mbo",
    description="Met een PDG word je bevoegd docent in het mbo, naast je baan.",
    summary="Voor vakmensen met een hbo- of wo-diploma die in het mbo willen lesgeven.",
    body=doc(
        p(
            "Het ",
            bold("pedagogisch-didactisch getuigschrift"),
            " (PDG) is bedoeld voor docenten in het mbo die al een ",
            "vakdiploma hebben.",
        ),
        h(2, "Voorwaarden"),
        ul("een diploma op minimaal hbo-niveau", "een aanstelling als docent in het mbo"),
        h(2, "Opbouw"),
        p("Het traject duurt één tot twee jaar en sluit af met een assessment."),
    ),
    date_updated="2024-02-14T11:11:00.000Z",
    authors=("pieter",),
    topics=("pdg-traject",),
    sectors=(MBO,),
    roles=("docent-mbo",),
    tracks=("pdg-traject",),
    qualifications=("pdg",),
    audiences=("zij-instromers",),
    phases=("opleiding",),
    faqs=("pdg-wat", "pdg-ho"),
)

article(
    "subsidies-en-regelingen",
    "Subsidies en regelingen voor aankomende leraren",
    description="Een overzicht van subsidies voor zij-instromers, studenten en leraren die doorstuderen.",
    summary="Subsidie zij-instroom, lerarenbeurs en regionale regelingen.",
    body=doc(
        p("Leraar worden hoeft niet duur te zijn. Dit zijn de belangrijkste regelingen."),
        h(2, "Zij-instroom"),
        p(
            "De school kan ",
            link("subsidie zij-instroom", "https://www.dus-i.nl/subsidies/zij-instroom"),
            " aanvragen.",
        ),
        h(2, "Lerarenbeurs"),
        p(
            "Voor bevoegde leraren die een bachelor of master willen halen: de ",
            link("lerarenbeurs", "https://duo.nl/particulier/lerarenbeurs/", {"type": "bold"}),
            ".",
        ),
        h(2, "Regionale regelingen"),
        p("Vraag het regioloket in jouw regio naar extra ondersteuning."),
    ),
    date_updated="2025-01-08T13:00:00.000Z",
    authors=("anouk",),
    topics=("subsidies", "zij-instroom"),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers", "switchers"),
    phases=("voorbereiding",),
    faqs=("lerarenbeurs", "subsidie-overzicht", "lang-antwoord"),
    sources=("duo-lerarenbeurs", "dus-i-zij-instroom"),
)

article(
    "werkdruk-in-het-onderwijs",
    "Werkdruk in het onderwijs: wat kun je verwachten?",
    description="Hoe hoog is de werkdruk echt, en wat doen scholen eraan?",
    summary="Werkdruk verschilt sterk per school; vraag ernaar bij je sollicitatie.",
    body=doc(
        p(
            "Werkdruk is een veelbesproken onderwerp. Uit onderzoek blijkt dat vooral ",
            bold("administratie"),
            " en ",
            bold("grote klassen"),
            " druk geven.",
        ),
        h(2, "Wat doen scholen?"),
        ul("onderwijsassistenten inzetten", "minder lesuren voor starters", "vaste overlegtijd"),
        hr(),
        p(italic("Dit artikel is voorbeeldtekst voor de testomgeving.")),
    ),
    date_updated="2023-10-02T10:00:00.000Z",
    authors=("sanne",),
    topics=("werkdruk",),
    sectors=(PO, VO),
    roles=("leraar-basisonderwijs", "onderwijsassistent"),
    audiences=("zij-instromers", "herintreders"),
    phases=("starten", "behoud"),
    faqs=("werkdruk", "startende-leraar"),
)


# --- A11: one very long article (> 40,000 characters of body) for continuation tests -------------------
LONG_ARTICLE_LAST_HEADING = "Tot slot: waar vind je de actuele wettekst?"
LONG_ARTICLE_LAST_SENTENCE = "Einde van het overzicht: dit is de laatste zin van het lange testartikel."

_LAWS = [
    (
        "Wet op het primair onderwijs",
        "WPO",
        "het basisonderwijs",
        "de kerndoelen, de zorgplicht en de bevoegdheid van groepsleerkrachten",
        "schoolbesturen en directeuren van basisscholen",
    ),
    (
        "Wet voortgezet onderwijs 2020",
        "WVO 2020",
        "het voortgezet onderwijs",
        "de schoolsoorten vmbo, havo en vwo, de examens en de bevoegdheden van leraren",
        "besturen van scholen voor vmbo, havo en vwo",
    ),
    (
        "Wet educatie en beroepsonderwijs",
        "WEB",
        "het mbo en het vavo",
        "de kwalificatiestructuur, de bol en de bbl en de bekwaamheid van docenten",
        "roc's, aoc's en vakinstellingen",
    ),
    (
        "Wet op het hoger onderwijs en wetenschappelijk onderzoek",
        "WHW",
        "hogescholen en universiteiten",
        "accreditatie, collegegeld en de rechten van studenten",
        "hogescholen en universiteiten",
    ),
    (
        "Wet op de expertisecentra",
        "WEC",
        "het speciaal onderwijs",
        "de cluster-indeling en de toelating tot het (voortgezet) speciaal onderwijs",
        "scholen voor speciaal en voortgezet speciaal onderwijs",
    ),
    (
        "Leerplichtwet 1969",
        "Leerplichtwet",
        "alle leerplichtige kinderen",
        "de leerplicht, de kwalificatieplicht en vrijstellingen",
        "ouders, scholen en gemeenten",
    ),
    (
        "Wet beroepen in het onderwijs",
        "Wet BIO",
        "alle leraren",
        "de bekwaamheidseisen en het bekwaamheidsdossier",
        "leraren en hun werkgevers",
    ),
    (
        "Wet passend onderwijs",
        "passend onderwijs",
        "leerlingen die extra ondersteuning nodig hebben",
        "de zorgplicht en de samenwerkingsverbanden",
        "scholen en samenwerkingsverbanden",
    ),
    (
        "Wet medezeggenschap op scholen",
        "WMS",
        "ouders, leerlingen en personeel",
        "de medezeggenschapsraad en zijn instemmings- en adviesrechten",
        "medezeggenschapsraden",
    ),
    (
        "Wet op het onderwijstoezicht",
        "WOT",
        "het toezicht door de inspectie",
        "de taken van de Inspectie van het Onderwijs",
        "de inspectie en schoolbesturen",
    ),
    (
        "Algemene verordening gegevensbescherming",
        "AVG",
        "de privacy van leerlingen en personeel",
        "het verwerken en bewaren van persoonsgegevens",
        "iedere school als verwerkingsverantwoordelijke",
    ),
    (
        "Arbeidsomstandighedenwet",
        "Arbowet",
        "veilig en gezond werken",
        "werkdruk, de risico-inventarisatie en het verzuimbeleid",
        "werkgevers en werknemers in het onderwijs",
    ),
    (
        "Wet vrijheid van onderwijs",
        "vrijheid van onderwijs",
        "het stichten van scholen",
        "de richting van scholen en de deugdelijkheidseisen",
        "initiatiefnemers van nieuwe scholen",
    ),
    (
        "Wet op de beroepen in de individuele gezondheidszorg",
        "Wet BIG",
        "leraren die ook zorgtaken hebben",
        "voorbehouden handelingen en de samenwerking met zorgverleners",
        "scholen in het speciaal onderwijs",
    ),
    (
        "Cao's in het onderwijs",
        "cao",
        "de arbeidsvoorwaarden van leraren",
        "salarisschalen, werktijden en professionaliseringsuren",
        "werkgevers- en werknemersorganisaties",
    ),
]


def _long_body() -> Node:
    blocks: list[Node] = [
        p(
            "Dit overzicht bespreekt de belangrijkste ",
            bold("wetten en regels"),
            " voor wie in het onderwijs werkt of ",
            "wil gaan werken. Per wet lees je wat erin staat, voor wie die geldt en wat het betekent in de praktijk. ",
            italic("Alle tekst is voorbeeldtekst voor de testomgeving."),
        ),
        h(2, "Inhoud"),
        ol(*[f"{name} ({abbr})" for name, abbr, *_ in _LAWS]),
    ]
    for n, (name, abbr, scope, topics_, actors) in enumerate(_LAWS, start=1):
        blocks += [
            h(2, f"{n}. {name}"),
            p(
                f"De {name} ({abbr}) regelt {scope}. In de wet staan onder meer afspraken over {topics_}. De wet richt "
                f"zich vooral op {actors}, maar heeft ook gevolgen voor iedere leraar die in deze sector aan de slag gaat. "
                "Wie zich oriënteert op een baan in het onderwijs, doet er goed aan de hoofdlijnen te kennen."
            ),
            h(3, "Wat staat erin?"),
            p(
                f"De kern van de {abbr} is dat {scope} aan duidelijke eisen moet voldoen. Daarbij gaat het om "
                f"{topics_}. Scholen leggen in hun schoolplan en schoolgids vast hoe zij die eisen invullen. De "
                "inspectie controleert of dat gebeurt en kan een school aanspreken als de kwaliteit achterblijft. "
                "Voor leraren betekent dit dat zij hun lessen en hun eigen ontwikkeling goed moeten kunnen verantwoorden."
            ),
            ul(
                f"voor wie: {actors}",
                f"onderwerp: {topics_}",
                li(
                    p("praktische gevolgen:"),
                    ul(
                        "afspraken in het schoolplan",
                        "verantwoording aan de inspectie",
                        "rol van de medezeggenschapsraad",
                    ),
                ),
            ),
            h(3, "Wat betekent het voor jou als leraar?"),
            p(
                f"Als leraar merk je de {abbr} vooral in je dagelijkse werk. Denk aan de manier waarop lessen worden "
                "ingericht, aan de overleggen met collega's en aan de gesprekken met ouders of leerlingen. Startende "
                "leraren krijgen op de meeste scholen een begeleider die uitlegt welke regels voor hun school gelden. "
                "Vraag bij je sollicitatie gerust hoe de school hiermee omgaat en welke ruimte je krijgt om je te "
                "ontwikkelen."
            ),
            h(4, "Veelgestelde vraag"),
            p(
                bold(f"Moet ik de {abbr} helemaal kennen voordat ik begin?"),
                " Nee. Het is genoeg om de hoofdlijnen te ",
                "kennen; de details leer je in de praktijk en tijdens je opleiding. Wel is het handig te weten waar je ",
                "informatie kunt vinden als er een concrete vraag opkomt, bijvoorbeeld over verzuim, toetsing of ",
                "de rechten van ouders.",
            ),
            h(4, "Een voorbeeld uit de praktijk"),
            p(
                f"Een startende leraar op een school die onder de {abbr} valt, krijgt in de eerste weken te maken met "
                "vragen die direct uit de regels voortkomen. Mag een leerling een toets overdoen? Wie beslist over een "
                "schorsing? Wat moet er in het leerlingdossier staan? In de praktijk spreek je zulke vragen door met je "
                "begeleider of teamleider. Zo leer je stap voor stap hoe de regels in jouw school werken, zonder dat je "
                "alle artikelen uit je hoofd hoeft te kennen."
            ),
            p(
                f"Tot slot van dit onderdeel: de {name} wordt regelmatig aangepast. Controleer daarom altijd de actuele "
                "tekst en let op overgangsregelingen. Nieuwe regels gaan vaak in bij de start van een schooljaar, op 1 "
                "augustus, en gelden dan voor alle scholen in de sector."
            ),
        ]
    blocks += [
        h(2, "Samenvattende tabel"),
        table(["Wet", "Afkorting", "Geldt voor"], *[[name, abbr, scope] for name, abbr, scope, *_ in _LAWS]),
        h(2, LONG_ARTICLE_LAST_HEADING),
        p(
            "De actuele tekst van elke wet vind je op ",
            link("wetten.overheid.nl", "https://wetten.overheid.nl"),
            ". ",
        ),
        p(LONG_ARTICLE_LAST_SENTENCE),
    ]
    return doc(*blocks)


ARTICLE_LONG = article(
    "wetten-en-regels-in-het-onderwijs",
    "Wetten en regels in het onderwijs: het complete overzicht",
    description="Een uitgebreid overzicht van alle wetten die ertoe doen als je in het onderwijs werkt.",
    summary="Van WPO tot cao: vijftien wetten en regels uitgelegd.",
    body=_long_body(),
    date_updated="2025-04-22T06:00:00.000Z",
    authors=("pieter", "sanne"),
    topics=("wetten-en-regels",),
    sectors=(PO, VO, MBO, SO, HO),
    audiences=("zij-instromers", "studiekiezers"),
    phases=("orientatie", "starten"),
    faqs=("passend-onderwijs", "vog"),
    sources=("wpo", "wvo", "web", "leerplichtwet"),
)

# --- A12: English article ----------------------------------------------------------------------------
ARTICLE_ENGLISH = article(
    "working-as-a-teacher-in-the-netherlands",
    "Working as a teacher in the Netherlands",
    description="A short guide for internationals who want to teach in Dutch schools.",
    summary="Recognition of your diploma, Dutch language requirements and where to start.",
    body=doc(
        p(
            "Do you want to work as a teacher in the Netherlands? You need a ",
            bold("recognised teaching qualification"),
            " and, in most schools, a good command of Dutch.",
        ),
        h(2, "Recognition of foreign diplomas"),
        p("Apply for recognition of your diploma before you apply for jobs."),
        h(2, "International schools"),
        p("International and bilingual schools sometimes hire teachers who teach in English."),
    ),
    english=True,
    date_updated="2024-12-12T12:12:00.000Z",
    authors=("mehmet",),
    topics=("bevoegdheden",),
    sectors=(PO, VO),
    audiences=("zij-instromers",),
    phases=("orientatie",),
)

# --- A13: diacritics, callout with actions, internal button ---------------------------------------------
_n = Nodes("orientatie")
ARTICLE_DIACRITICS = article(
    "orientatie-op-het-onderwijs",
    "Oriëntatie op het onderwijs: zo pak je het aan",
    description="Eerst ontdekken of het onderwijs bij je past? Zo begin je je oriëntatie.",
    summary="Meeloopdagen, gesprekken en een adviesgesprek: de eerste stappen.",
    body=doc(
        p(
            "De ",
            bold("oriëntatiefase"),
            " is de belangrijkste stap. Je ontdekt of je het leuk vindt om met kinderen of ",
            "jongeren te werken, en welke sector bij je past: het primair onderwijs, het voortgezet onderwijs of het mbo.",
        ),
        _n.block(
            "callout",
            "callouts",
            callout_item(
                "orientatie-callout",
                "Drie tips voor je oriëntatie",
                doc(
                    ol(
                        "Loop een dag mee op twee verschillende scholen.",
                        "Praat met een leraar die net is begonnen.",
                        "Plan een adviesgesprek bij een regioloket.",
                    )
                ),
                color="primary",
                variant="subtle",
                icon="i-lucide-compass",
                actions=[
                    {
                        "label": "Naar de regioloketten",
                        "internal": True,
                        "to": "/navigator/regioloketten",
                        "variant": "link",
                    },
                    {
                        "label": "Onderwijsloket.com",
                        "internal": False,
                        "to": "https://onderwijsloket.com",
                        "variant": "ghost",
                    },
                ],
            ),
        ),
        h(2, "Coördinatoren en café's"),
        p(
            "Veel regio's organiseren een café voor zij-instromers, waar coördinatoren van scholen vertellen over hun ",
            "aanpak. Je hoort er ook hoe collega's de overstap ervoeren: één van hen begon als ",
            italic("invalkracht"),
            ", een ander via een ",
            italic("coöperatieve"),
            " leerwerkplek.",
        ),
        _n.block(
            "routes",
            "buttons",
            button_item(
                "orientatie-routes",
                "Bekijk welke route bij je past",
                "/routes",
                internal=True,
                variant="solid",
                size="lg",
            ),
        ),
    ),
    nodes=_n,
    date_updated="2025-07-01T09:45:00.000Z",
    authors=("anouk",),
    topics=("zij-instroom", "vacatures"),
    sectors=(PO, VO, MBO),
    audiences=("zij-instromers", "switchers", "herintreders"),
    phases=("orientatie",),
    faqs=("orientatie-diacritics", "geen-relaties", "regioloket"),
)

# --- A14: glossary with a table ------------------------------------------------------------------------
_GLOSSARY = [
    ("pabo", "pedagogische academie basisonderwijs: de lerarenopleiding voor het basisonderwijs"),
    ("vavo", "voortgezet algemeen volwassenenonderwijs"),
    ("PDG", "pedagogisch-didactisch getuigschrift, voor docenten in het mbo"),
    ("BKO", "basiskwalificatie onderwijs, voor docenten in het hoger onderwijs"),
    ("lio", "leraar in opleiding: een student die in het laatste jaar zelfstandig lesgeeft"),
    ("IB'er", "intern begeleider: coördineert de leerlingenzorg op een basisschool"),
    ("bol / bbl", "beroepsopleidende leerweg / beroepsbegeleidende leerweg in het mbo"),
    ("CROHO", "Centraal Register Opleidingen Hoger Onderwijs"),
    ("CREBO", "Centraal Register Beroepsopleidingen (mbo)"),
    ("BRIN", "Basisregistratie Instellingen: het nummer van een onderwijsinstelling"),
]
article(
    "begrippen-en-afkortingen",
    "Begrippen en afkortingen in het onderwijs",
    description="Van BKO tot vavo: de afkortingen die je tegenkomt als je in het onderwijs gaat werken.",
    summary="Een korte woordenlijst.",
    body=doc(
        p("In het onderwijs kom je veel afkortingen tegen. Dit zijn de belangrijkste."),
        table(["Afkorting", "Betekenis"], *[[bold(k), v] for k, v in _GLOSSARY]),
        p("Mis je een begrip? Laat het ons weten."),
    ),
    date_updated=None,
    authors=("pieter",),
    topics=("begrippen-en-afkortingen",),
    sectors=(PO, VO, MBO, SO, HO),
    audiences=("studiekiezers",),
    phases=("orientatie",),
    faqs=("begrippen-po-vo", "vavo"),
    documents=("begrippenlijst",),
)

# --- A14: 105 related FAQs (and two hidden ones) ----------------------------------------------------------
ARTICLE_MANY_FAQS = article(
    "verlof-en-vakantie-alle-vragen",
    "Verlof en vakantie: alle vragen op een rij",
    description="Verlofuren, vakantiedagen en bijzonder verlof: de vragen die we het vaakst krijgen.",
    summary="Een verzamelpagina met meer dan honderd vragen over verlof.",
    body=doc(p("Op deze pagina staan alle vragen over verlof en vakantie bij elkaar.")),
    date_updated="2021-03-03T09:00:00.000Z",
    faqs=tuple(FAQ_MANY_KEYS),
)

# --- Never visible to the reader tokens ---------------------------------------------------------------
ARTICLE_DRAFT = article(
    "concept-nieuwe-cao-vo",
    "CONCEPT: wat verandert er in de nieuwe cao vo?",
    description="Concept, niet publiceren.",
    summary=None,
    body=doc(p("Conceptartikel.")),
    date_updated="2025-08-01T00:00:00.000Z",
    status="draft",
    topics=("salaris",),
    sectors=(VO,),
)
ARTICLE_ARCHIVED = article(
    "lerarenbeurs-2019",
    "Lerarenbeurs aanvragen in 2019",
    description="Verouderd artikel.",
    summary=None,
    body=doc(p("Gearchiveerd artikel.")),
    date_updated="2019-05-01T00:00:00.000Z",
    status="archived",
    topics=("subsidies",),
)

ARTICLE_RICH = ARTICLE_ZIJ_INSTROOM_VO  # callout (with nested mention), buttons, image, content list
ARTICLE_SALARIS = ARTICLE_IDS["wat-verdient-een-leraar"]  # table, audio player, related content list
ARTICLE_BEVOEGDHEDEN = ARTICLE_IDS["welke-bevoegdheden-zijn-er"]  # nested lists, h2–h4, callout, mention
ARTICLE_STALE_NODE = ARTICLE_IDS["de-pabo"]  # body references STALE_JUNCTION_ID, absent from editor_nodes
PUBLISHED_ARTICLE_IDS = [a["id"] for a in ARTICLES if a["status"] == "published"]


# ---------------------------------------------------------------------------------------------------
# Navigator: locations, institutions, programs
# ---------------------------------------------------------------------------------------------------

UTRECHT_CENTER = (5.1214, 52.0907)  # (lng, lat) of Utrecht centre (Domtoren area)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lng, lat) points."""
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    x = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(x))


def point(lng: float, lat: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lng, lat]}


LOCATION_IDS: dict[str, str] = {}
LOCATIONS: list[Item] = []
# key, title, address, zip, city, (lng, lat) or None, url, vendor
for _key, _title, _addr, _zip, _city, _coords, _url, _vendor in [
    (
        "hu-padualaan",
        "Hogeschool Utrecht – Padualaan",
        "Padualaan 97",
        "3584 CH",
        "Utrecht",
        (5.1738, 52.0843),
        "https://www.hu.nl",
        "onderwijsloket",
    ),
    (
        "uu-science-park",
        "Universiteit Utrecht – Utrecht Science Park",
        "Heidelberglaan 8",
        "3584 CS",
        "Utrecht",
        (5.1699, 52.0855),
        "https://www.uu.nl",
        "onderwijsloket",
    ),
    (
        "marnix",
        "Marnix Academie",
        "Vogelsangstraat 1",
        "3581 ZE",
        "Utrecht",
        (5.1365, 52.0887),
        "https://www.marnixacademie.nl",
        "onderwijsloket",
    ),
    (
        "rocmn-vondellaan",
        "ROC Midden Nederland – Vondellaan",
        "Vondellaan 178",
        "3521 GH",
        "Utrecht",
        (5.1075, 52.0805),
        "https://www.rocmn.nl",
        "onderwijsloket",
    ),
    (
        "rocmn-nieuwegein",
        "ROC Midden Nederland – Dasseweide",
        "Dasseweide 3",
        "3437 WN",
        "Nieuwegein",
        (5.0775, 52.0470),
        "https://www.rocmn.nl",
        "onderwijsloket",
    ),
    (
        "hva-wibautstraat",
        "Hogeschool van Amsterdam – Kohnstammhuis",
        "Wibautstraat 2-4",
        "1091 GM",
        "Amsterdam",
        (4.9089, 52.3594),
        "https://www.hva.nl",
        "onderwijsloket",
    ),
    (
        "vu-boelelaan",
        "Vrije Universiteit Amsterdam – Hoofdgebouw",
        "De Boelelaan 1105",
        "1081 HV",
        "Amsterdam",
        (4.8656, 52.3343),
        "https://vu.nl",
        "onderwijsloket",
    ),
    (
        "driestar-gouda",
        "Driestar Hogeschool",
        "Burgemeester Jamessingel 2",
        "2803 PD",
        "Gouda",
        (4.7068, 52.0178),
        "https://www.driestar-hogeschool.nl",
        "onderwijsloket",
    ),
    (
        "fontys-tilburg",
        "Fontys Lerarenopleiding Tilburg",
        "Zwijsenplein 1",
        "5038 TZ",
        "Tilburg",
        (5.0812, 51.5595),
        "https://www.fontys.nl",
        "onderwijsloket",
    ),
    (
        "fontys-eindhoven",
        "Fontys Hogescholen – Rachelsmolen",
        "Rachelsmolen 1",
        "5612 MA",
        "Eindhoven",
        (5.4818, 51.4514),
        "https://www.fontys.nl",
        "onderwijsloket",
    ),
    (
        "hanze-zernike",
        "Hanzehogeschool Groningen – Zernikeplein",
        "Zernikeplein 7",
        "9747 AS",
        "Groningen",
        (6.5336, 53.2414),
        "https://www.hanze.nl",
        "onderwijsloket",
    ),
    (
        "windesheim-zwolle",
        "Windesheim – Campus Zwolle",
        "Campus 2",
        "8017 CA",
        "Zwolle",
        (6.0800, 52.4996),
        "https://www.windesheim.nl",
        "onderwijsloket",
    ),
    (
        "windesheim-almere",
        "Windesheim – Almere",
        "Hospitaaldreef 5",
        "1315 RC",
        "Almere",
        None,
        "https://www.windesheim.nl",
        "onderwijsloket",
    ),
    (
        "hr-museumpark",
        "Hogeschool Rotterdam – Museumpark",
        "Museumpark 40",
        "3015 CX",
        "Rotterdam",
        (4.4733, 51.9130),
        "https://www.hogeschoolrotterdam.nl",
        "onderwijsloket",
    ),
    (
        "han-nijmegen",
        "HAN – Campus Nijmegen",
        "Kapittelweg 33",
        "6525 EN",
        "Nijmegen",
        (5.8667, 51.8258),
        "https://www.han.nl",
        "onderwijsloket",
    ),
    (
        "han-arnhem",
        "HAN – Campus Arnhem",
        "Ruitenberglaan 26",
        "6826 CC",
        "Arnhem",
        (5.9497, 51.9868),
        "https://www.han.nl",
        "onderwijsloket",
    ),
    (
        "radboud-campus",
        "Radboud Universiteit – Campus Heyendaal",
        "Houtlaan 4",
        "6525 XZ",
        "Nijmegen",
        (5.8638, 51.8193),
        "https://www.ru.nl",
        "onderwijsloket",
    ),
    (
        "saxion-enschede",
        "Saxion – Enschede",
        "M.H. Tromplaan 28",
        "7513 AB",
        "Enschede",
        (6.8880, 52.2198),
        "https://www.saxion.nl",
        "onderwijsloket",
    ),
    (
        "saxion-deventer",
        "Saxion – Deventer",
        "Handelskade 75",
        "7417 DH",
        "Deventer",
        (6.1683, 52.2568),
        "https://www.saxion.nl",
        "onderwijsloket",
    ),
    (
        "nhl-leeuwarden",
        "NHL Stenden – Leeuwarden",
        "Rengerslaan 8-10",
        "8917 DD",
        "Leeuwarden",
        (5.8014, 53.2103),
        "https://www.nhlstenden.com",
        "onderwijsloket",
    ),
    # Desk offices.
    (
        "loket-utrecht",
        "Onderwijsloket Utrecht-regio – Stadskantoor",
        "Stadsplateau 1",
        "3521 AZ",
        "Utrecht",
        (5.1083, 52.0890),
        None,
        "onderwijsloket",
    ),
    (
        "loket-amersfoort",
        "Onderwijsloket Utrecht-regio – Amersfoort",
        "Stadhuisplein 1",
        "3811 LM",
        "Amersfoort",
        (5.3849, 52.1566),
        None,
        "onderwijsloket",
    ),
    (
        "loket-rotterdam",
        "Onderwijsloket Rotterdam – Stadhuis",
        "Coolsingel 40",
        "3011 AD",
        "Rotterdam",
        (4.4791, 51.9227),
        None,
        "onderwijsloket",
    ),
    # Not visible to the Navigator policy.
    (
        "ipabo-amsterdam",
        "Hogeschool iPabo – Amsterdam",
        "Jan Tooropstraat 136",
        "1061 AD",
        "Amsterdam",
        (4.8372, 52.3712),
        "https://www.ipabo.nl",
        "hovi",
    ),
    (
        "che-ede",
        "Christelijke Hogeschool Ede",
        "Oude Kerkweg 100",
        "6717 JS",
        "Ede",
        (5.6611, 52.0306),
        "https://www.che.nl",
        "hovi",
    ),
]:
    LOCATION_IDS[_key] = sid("location", _key)
    LOCATIONS.append(
        {
            "id": LOCATION_IDS[_key],
            "vendor": _vendor,
            "title": _title,
            "url": _url,
            "address": _addr,
            "zip": _zip,
            "city": _city,
            "country": "Nederland",
            "location_geopoint": point(*_coords) if _coords else None,
        }
    )
L = LOCATION_IDS
LOCATION_NO_GEOPOINT = L["windesheim-almere"]
LOCATION_HIDDEN = [L["ipabo-amsterdam"], L["che-ede"]]


def _inst_desc(title: str, city: str, extra: str) -> Node:
    return doc(
        p(bold(title), f" is een onderwijsinstelling in {city}. {extra}"),
        p("Deze beschrijving is ", italic("voorbeeldtekst"), " voor de testomgeving."),
    )


INSTITUTION_IDS: dict[str, str] = {"vrije-universiteit-amsterdam": INSTITUTION_VU}
INSTITUTIONS: list[Item] = []
# slug, title, type, brin, locations, vendor, description extra
for _slug, _title, _type, _brin, _locs, _vendor, _extra in [
    (
        "hogeschool-utrecht",
        "Hogeschool Utrecht",
        "hogeschool",
        "25DW",
        ["hu-padualaan"],
        "onderwijsloket",
        "Het Instituut Theo Thijssen (pabo) en de lerarenopleidingen zitten op het Utrecht Science Park.",
    ),
    (
        "universiteit-utrecht",
        "Universiteit Utrecht",
        "universiteit",
        "21PD",
        ["uu-science-park"],
        "onderwijsloket",
        "De Graduate School of Teaching verzorgt de educatieve masters.",
    ),
    (
        "marnix-academie",
        "Marnix Academie",
        "hogeschool",
        None,
        ["marnix"],
        "onderwijsloket",
        "Een pabo met voltijd- en deeltijdopleidingen en een schoolleidersopleiding.",
    ),
    (
        "roc-midden-nederland",
        "ROC Midden Nederland",
        "mbo",
        None,
        ["rocmn-vondellaan", "rocmn-nieuwegein"],
        "onderwijsloket",
        "Mbo-opleidingen in Utrecht, Nieuwegein en Amersfoort, waaronder onderwijsassistent.",
    ),
    (
        "hogeschool-van-amsterdam",
        "Hogeschool van Amsterdam",
        "hogeschool",
        "28DN",
        ["hva-wibautstraat"],
        "onderwijsloket",
        "De Faculteit Onderwijs en Opvoeding zit in het Kohnstammhuis.",
    ),
    (
        "vrije-universiteit-amsterdam",
        "Vrije Universiteit Amsterdam",
        "universiteit",
        "21PL",
        ["vu-boelelaan"],
        "onderwijsloket",
        "De VU biedt educatieve masters en de BKO.",
    ),
    (
        "driestar-hogeschool",
        "Driestar Hogeschool",
        "hogeschool",
        None,
        ["driestar-gouda"],
        "onderwijsloket",
        "Een hogeschool voor leraren in Gouda.",
    ),
    (
        "fontys-hogescholen",
        "Fontys Hogescholen",
        "hogeschool",
        "30GB",
        ["fontys-tilburg", "fontys-eindhoven"],
        "onderwijsloket",
        "Lerarenopleidingen in Tilburg en Eindhoven.",
    ),
    (
        "hanzehogeschool-groningen",
        "Hanzehogeschool Groningen",
        "hogeschool",
        "25BE",
        ["hanze-zernike"],
        "onderwijsloket",
        "De lerarenopleidingen zitten op de Zernike Campus.",
    ),
    (
        "windesheim",
        "Hogeschool Windesheim",
        "hogeschool",
        "25PW",
        ["windesheim-zwolle", "windesheim-almere"],
        "onderwijsloket",
        "Campussen in Zwolle en Almere.",
    ),
    (
        "hogeschool-rotterdam",
        "Hogeschool Rotterdam",
        "hogeschool",
        "21UI",
        ["hr-museumpark"],
        "onderwijsloket",
        "Het Instituut voor Lerarenopleidingen zit aan het Museumpark.",
    ),
    (
        "han",
        "HAN University of Applied Sciences",
        "hogeschool",
        "25KB",
        ["han-nijmegen", "han-arnhem"],
        "onderwijsloket",
        "Lerarenopleidingen in Nijmegen en Arnhem.",
    ),
    (
        "radboud-universiteit",
        "Radboud Universiteit",
        "universiteit",
        "21PM",
        ["radboud-campus"],
        "onderwijsloket",
        "De Radboud Docenten Academie verzorgt de educatieve masters.",
    ),
    (
        "saxion",
        "Saxion",
        "hogeschool",
        None,
        ["saxion-enschede", "saxion-deventer"],
        "onderwijsloket",
        "Pabo en associate degrees in Deventer en Enschede.",
    ),
    (
        "nhl-stenden",
        "NHL Stenden Hogeschool",
        "hogeschool",
        None,
        ["nhl-leeuwarden"],
        "onderwijsloket",
        "Lerarenopleidingen in Leeuwarden.",
    ),
    # Not visible to the Navigator policy.
    (
        "hogeschool-ipabo",
        "Hogeschool iPabo",
        "hogeschool",
        None,
        ["ipabo-amsterdam"],
        "hovi",
        "Pabo in Amsterdam en Alkmaar.",
    ),
    (
        "christelijke-hogeschool-ede",
        "Christelijke Hogeschool Ede",
        "hogeschool",
        None,
        ["che-ede"],
        "hovi",
        "Lerarenopleidingen in Ede.",
    ),
]:
    _id = INSTITUTION_IDS.setdefault(_slug, sid("institution", _slug))
    _city = next(x["city"] for x in LOCATIONS if x["id"] == L[_locs[0]])
    INSTITUTIONS.append(
        {
            "id": _id,
            "vendor": _vendor,
            "title": _title,
            "slug": _slug,
            "path": f"/navigator/onderwijsinstellingen/{_slug}",
            "type": _type,
            "brin_code": _brin,
            "hovi_id": f"HOVI-{_slug.upper()[:12]}" if _vendor == "hovi" else None,
            "description": _inst_desc(_title, _city, _extra),
            "locations": m2m("locations", [L[k] for k in _locs]),
        }
    )
INST = INSTITUTION_IDS
for _inst in INSTITUTIONS:
    _inst["logo"] = FILE_IDS["logo-hogeschool-utrecht"] if _inst["id"] == INST["hogeschool-utrecht"] else None
INSTITUTION_HIDDEN = [INST["hogeschool-ipabo"], INST["christelijke-hogeschool-ede"]]


def _form_desc(program: str, form: str, *, rich: bool = False) -> Node:
    blocks: list[Node] = [
        h(2, f"{program} ({form})"),
        p(f"In de {form}variant van deze opleiding ", bold("combineer je theorie en praktijk"), "."),
        h(3, "Toelating"),
        ul("een passende vooropleiding", li(p("eventueel aanvullende toetsen:"), ul("taal", "rekenen"))),
    ]
    if rich:
        blocks += [
            h(4, "Kosten"),
            p("Wettelijk collegegeld (voorbeeld)."),
            h(5, "Rooster"),
            ol("maandag: colleges", "dinsdag tot en met donderdag: werkplek"),
            h(6, "Let op"),
            p(italic("Aanmelden vóór 1 mei.")),
        ]
    return doc(*blocks)


PROGRAMS: list[Item] = []


def program(
    slug: str,
    title: str,
    *,
    level: str,
    type_: str,
    degree: str | None,
    institutions: tuple[str, ...],
    locations: tuple[str, ...],
    qualifications: tuple[str, ...] = (),
    roles: tuple[str, ...] = (),
    sectors: tuple[str, ...] = (),
    forms: tuple[tuple[str, str | None], ...] = (("voltijd", None),),
    description: Node | None = None,
    status: str = "published",
    vendor: str = "onderwijsloket",
    study_number: str | None = None,
) -> str:
    pid = program_id(slug)
    site = "https://example.org/opleidingen/" + slug
    forms_items = []
    for n, (form, track) in enumerate(forms, start=1):
        forms_items.append(
            {
                "id": sid("program_form", f"{slug}:{n}"),
                "title": f"{title} – {form}" + (f" ({TRACKS_BY_ID_NAME[track]})" if track else ""),
                "form": form,
                "url": f"{site}/{form}" + (f"-{n}" if n > 1 else ""),
                "description": _form_desc(title, form, rich=(n == 1)),
                "track": TR[track] if track else None,
            }
        )
    item: Item = {
        "id": pid,
        "status": status,
        "vendor": vendor,
        "title": title,
        "slug": slug,
        "path": f"/navigator/opleidingen/{slug}",
        "level": level,
        "type": type_,
        "degree": degree,
        "description": description,
        "study_number": study_number,
        "hovi_id": f"HOVI-{slug[:16]}" if vendor == "hovi" else None,
        "educational_institutions": m2m("educational_institutions", [INST[k] for k in institutions]),
        "qualifications": m2m("qualifications", [Q[k] for k in qualifications]),
        "roles": m2m("roles", [R[k] for k in roles]),
        "sectors": m2m("sectors", list(sectors)),
        "program_forms": forms_items,
    }
    if locations:
        item["locations"] = m2m("locations", [L[k] for k in locations])
    PROGRAMS.append(item)
    return pid


TRACKS_BY_ID_NAME = {
    t_slug: next(t["name"] for t in TRACKS if t["id"] == t_id) for t_slug, t_id in TR.items()
}

_PABO = {
    "level": "bachelor",
    "type_": "lerarenopleiding",
    "degree": "Bachelor of Education",
    "qualifications": ("bevoegdheid-primair-onderwijs",),
    "roles": ("leraar-basisonderwijs",),
    "sectors": (PO, SO),
    "study_number": "34808",
}
_VT, _DT, _DU = (
    ("voltijd", "voltijd-lerarenopleiding"),
    ("deeltijd", "deeltijd-lerarenopleiding"),
    ("duaal", "duaal"),
)

program(
    "pabo-hu",
    "Pabo – Leraar basisonderwijs",
    institutions=("hogeschool-utrecht",),
    locations=("hu-padualaan",),
    forms=(_VT, _DT, _DU),
    description=doc(
        p("De pabo van Hogeschool Utrecht leidt je op tot ", bold("leraar basisonderwijs"), "."),
        ul("vier jaar voltijd", "deeltijd en duaal mogelijk"),
    ),
    **_PABO,
)
program(
    "pabo-marnix-academie",
    "Pabo",
    institutions=("marnix-academie",),
    locations=("marnix",),
    forms=(_VT, _DT, ("deeltijd", "verkort-traject")),
    **_PABO,
)
program(
    "academische-pabo",
    "Academische Pabo",
    institutions=("universiteit-utrecht", "hogeschool-utrecht"),
    locations=("uu-science-park", "hu-padualaan"),
    forms=(_VT,),
    **{**_PABO, "degree": "Bachelor of Arts + Bachelor of Education"},
)
program(
    "pabo-hva",
    "Pabo",
    institutions=("hogeschool-van-amsterdam",),
    locations=("hva-wibautstraat",),
    forms=(_VT, _DT),
    **_PABO,
)
program(
    "pabo-hogeschool-rotterdam",
    "Pabo",
    institutions=("hogeschool-rotterdam",),
    locations=("hr-museumpark",),
    forms=(_VT, _DT, _DU),
    **_PABO,
)
program(
    "pabo-windesheim",
    "Pabo",
    institutions=("windesheim",),
    locations=("windesheim-zwolle", "windesheim-almere"),
    forms=(_VT, _DT),
    **_PABO,
)
program(
    "pabo-fontys",
    "Pabo",
    institutions=("fontys-hogescholen",),
    locations=("fontys-tilburg", "fontys-eindhoven"),
    forms=(_VT, _DT),
    **_PABO,
)
program("pabo-han", "Pabo", institutions=("han",), locations=("han-nijmegen",), forms=(_VT, _DT), **_PABO)
program(
    "pabo-driestar",
    "Pabo",
    institutions=("driestar-hogeschool",),
    locations=("driestar-gouda",),
    forms=(_VT,),
    **_PABO,
)
program(
    "pabo-nhl-stenden",
    "Pabo",
    institutions=("nhl-stenden",),
    locations=("nhl-leeuwarden",),
    forms=(_VT,),
    **_PABO,
)
program(
    "pabo-saxion", "Pabo", institutions=("saxion",), locations=("saxion-deventer",), forms=(_VT, _DT), **_PABO
)

_TWEEDE = {
    "level": "bachelor",
    "type_": "lerarenopleiding",
    "degree": "Bachelor of Education",
    "qualifications": ("tweedegraads",),
    "roles": ("leraar-voortgezet-onderwijs", "docent-mbo"),
    "sectors": (VO, MBO),
}
program(
    "leraar-nederlands-tweedegraads-hu",
    "Leraar Nederlands (tweedegraads)",
    institutions=("hogeschool-utrecht",),
    locations=("hu-padualaan",),
    forms=(_VT, _DT),
    **_TWEEDE,
)
PROGRAM_MANY_FORMS = program(
    "leraar-wiskunde-tweedegraads-fontys",
    "Leraar Wiskunde (tweedegraads)",
    institutions=("fontys-hogescholen",),
    locations=("fontys-tilburg", "fontys-eindhoven"),
    forms=(_VT, _DT, _DU, ("deeltijd", "zij-instroom"), ("deeltijd", "verkort-traject"), ("voltijd", None)),
    description=doc(
        p("Word wiskundeleraar in het vmbo, de onderbouw van havo/vwo of het mbo."),
        h(2, "Varianten"),
        p("Voltijd, deeltijd, duaal, zij-instroom en een verkort traject."),
    ),
    **_TWEEDE,
)
program(
    "leraar-geschiedenis-tweedegraads-hva",
    "Leraar Geschiedenis (tweedegraads)",
    institutions=("hogeschool-van-amsterdam",),
    locations=("hva-wibautstraat",),
    forms=(_VT, _DT),
    **_TWEEDE,
)
program(
    "leraar-engels-tweedegraads-hanze",
    "Leraar Engels (tweedegraads)",
    institutions=("hanzehogeschool-groningen",),
    locations=("hanze-zernike",),
    forms=(_VT,),
    **_TWEEDE,
)
program(
    "leraar-biologie-tweedegraads-han",
    "Leraar Biologie (tweedegraads)",
    institutions=("han",),
    locations=("han-nijmegen", "han-arnhem"),
    forms=(_VT, _DT, _DU),
    **_TWEEDE,
)

_EERSTE = {
    "level": "master",
    "qualifications": ("eerstegraads",),
    "roles": ("leraar-voortgezet-onderwijs",),
    "sectors": (VO, MBO),
}
program(
    "master-leraar-wiskunde-hu",
    "Master Leraar Wiskunde (eerstegraads)",
    institutions=("hogeschool-utrecht",),
    locations=("hu-padualaan",),
    type_="lerarenopleiding",
    degree="Master of Education",
    forms=(("deeltijd", "deeltijd-lerarenopleiding"),),
    **_EERSTE,
)
program(
    "educatieve-master-uu",
    "Educatieve master (Master Leraar VHO)",
    institutions=("universiteit-utrecht",),
    locations=("uu-science-park",),
    type_="educatieve master",
    degree="Master of Science",
    forms=(("voltijd", "educatieve-master"), ("deeltijd", "educatieve-master"), ("duaal", "duaal")),
    description=doc(
        p("Eén jaar voltijd, na een wo-master in een schoolvak."),
        p(link("Meer informatie", "https://www.uu.nl")),
    ),
    **_EERSTE,
)
program(
    "educatieve-master-vu",
    "Educatieve master",
    institutions=("vrije-universiteit-amsterdam",),
    locations=("vu-boelelaan",),
    type_="educatieve master",
    degree="Master of Science",
    forms=(("voltijd", "educatieve-master"), ("deeltijd", "educatieve-master")),
    **_EERSTE,
)
program(
    "educatieve-master-radboud",
    "Educatieve master (Radboud Docenten Academie)",
    institutions=("radboud-universiteit",),
    locations=("radboud-campus",),
    type_="educatieve master",
    degree="Master of Arts",
    forms=(("voltijd", "educatieve-master"), _DU),
    **_EERSTE,
)
program(
    "educatieve-minor-uu",
    "Educatieve minor",
    institutions=("universiteit-utrecht",),
    locations=("uu-science-park",),
    level="bachelor",
    type_="educatieve minor",
    degree=None,
    qualifications=("beperkt-tweedegraads",),
    roles=("leraar-voortgezet-onderwijs",),
    sectors=(VO,),
    forms=(("voltijd", "educatieve-minor"),),
)

PROGRAM_NO_LOCATIONS = program(
    "pdg-han",
    "PDG-traject (online)",
    institutions=("han",),
    locations=(),
    level="post-graduate",
    type_="pdg-traject",
    degree="Pedagogisch-didactisch getuigschrift",
    qualifications=("pdg",),
    roles=("docent-mbo",),
    sectors=(MBO,),
    forms=(("deeltijd", "pdg-traject"),),
    description=doc(p("Volledig online PDG-traject; er is geen vaste leslocatie.")),
)
program(
    "pdg-windesheim",
    "PDG-traject",
    institutions=("windesheim",),
    locations=("windesheim-zwolle",),
    level="post-graduate",
    type_="pdg-traject",
    degree="Pedagogisch-didactisch getuigschrift",
    qualifications=("pdg",),
    roles=("docent-mbo",),
    sectors=(MBO,),
    forms=(("deeltijd", "pdg-traject"),),
)
program(
    "onderwijsassistent-roc-midden-nederland",
    "Onderwijsassistent (niveau 4)",
    institutions=("roc-midden-nederland",),
    locations=("rocmn-vondellaan", "rocmn-nieuwegein"),
    level="mbo",
    type_="mbo-opleiding",
    degree="mbo-diploma niveau 4",
    qualifications=("diploma-onderwijsassistent",),
    roles=("onderwijsassistent",),
    sectors=(PO, MBO),
    forms=(("voltijd", None), ("duaal", "duaal")),
    study_number="25698",
)
program(
    "ad-pedagogisch-educatief-professional-saxion",
    "Associate degree Pedagogisch Educatief Professional",
    institutions=("saxion",),
    locations=("saxion-deventer", "saxion-enschede"),
    level="associate",
    type_="associate degree",
    degree="Associate degree",
    roles=("onderwijsassistent", "lerarenondersteuner"),
    sectors=(PO,),
    forms=(_VT, _DT),
)
program(
    "schoolleidersopleiding-marnix",
    "Schoolleidersopleiding Basisbekwaam",
    institutions=("marnix-academie",),
    locations=("marnix",),
    level="post-graduate",
    type_="schoolleidersopleiding",
    degree=None,
    qualifications=("schoolleider-basisbekwaam",),
    roles=("schoolleider",),
    sectors=(PO,),
    forms=(("deeltijd", None),),
)
program(
    "bko-vu",
    "Basiskwalificatie Onderwijs (BKO)",
    institutions=("vrije-universiteit-amsterdam",),
    locations=("vu-boelelaan",),
    level="post-graduate",
    type_="bko-traject",
    degree=None,
    qualifications=("bko",),
    roles=("docent-hoger-onderwijs",),
    sectors=(HO,),
    forms=(("deeltijd", None),),
)
program(
    "voorbereiding-21plus-toets-hr",
    "Voorbereidingscursus 21+-toets pabo",
    institutions=("hogeschool-rotterdam",),
    locations=("hr-museumpark",),
    level="preparatory",
    type_="voorbereidingscursus",
    degree=None,
    roles=("leraar-basisonderwijs",),
    sectors=(PO,),
    forms=(("deeltijd", None),),
)

# Not visible to API readers: other vendors and a draft.
PROGRAM_HIDDEN = [
    program(
        "pabo-ipabo",
        "Pabo (iPabo)",
        institutions=("hogeschool-ipabo",),
        locations=("ipabo-amsterdam",),
        vendor="hovi",
        forms=(_VT,),
        **_PABO,
    ),
    program(
        "leraar-godsdienst-che",
        "Leraar Godsdienst (tweedegraads)",
        institutions=("christelijke-hogeschool-ede",),
        locations=("che-ede",),
        vendor="hovi",
        forms=(_VT,),
        **_TWEEDE,
    ),
    program(
        "pabo-hu-concept",
        "CONCEPT Pabo – nieuwe variant",
        institutions=("hogeschool-utrecht",),
        locations=("hu-padualaan",),
        status="draft",
        forms=(_VT,),
        **_PABO,
    ),
]
PROGRAM_PABO_HU = PROGRAM_IDS["pabo-hu"]
for _prog in PROGRAMS:
    _inst_ids = [x["educational_institutions_id"] for x in _prog["educational_institutions"]]
    _prog["logo"] = FILE_IDS["logo-hogeschool-utrecht"] if INST["hogeschool-utrecht"] in _inst_ids else None
VISIBLE_PROGRAM_IDS = [
    x["id"] for x in PROGRAMS if x["status"] == "published" and x["vendor"] == "onderwijsloket"
]


# ---------------------------------------------------------------------------------------------------
# Navigator: areas and regional education desks
# ---------------------------------------------------------------------------------------------------

Ring = list[tuple[float, float]]


def signed_area(ring: Ring) -> float:
    """Shoelace area in degrees²; positive for a counter-clockwise ring in (lng, lat)."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


def contains(ring: Ring, pt: tuple[float, float]) -> bool:
    """Ray casting point-in-polygon for a closed ring of (lng, lat)."""
    x, y = pt
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def centroid(ring: Ring) -> tuple[float, float]:
    a = signed_area(ring)
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring))
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in itertools.pairwise(ring))
    return (round(cx / (6 * a), 4), round(cy / (6 * a), 4))


def grid_inside(ring: Ring, step_lng: float = 0.06, step_lat: float = 0.04) -> list[tuple[float, float]]:
    """A coarse coordinate grid covering the polygon (what areas.area_inner holds)."""
    xs = [x for x, _ in ring]
    ys = [y for _, y in ring]
    pts = []
    lat = min(ys) + step_lat / 2
    while lat < max(ys):
        lng = min(xs) + step_lng / 2
        while lng < max(xs):
            pt = (round(lng, 4), round(lat, 4))
            if contains(ring, pt):
                pts.append(pt)
            lng += step_lng
        lat += step_lat
    return pts


def densify(ring: Ring, step: float = 0.1) -> Ring:
    """Extra points along long edges (at most ``step`` degrees apart), as a real outline has: a straight line in
    lng/lat (Directus, our tools) and a great-circle arc (PostGIS geography) then stay metres apart."""
    out: Ring = []
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        parts = max(1, math.ceil(max(abs(x2 - x1), abs(y2 - y1)) / step))
        out += [
            (round(x1 + (x2 - x1) * i / parts, 4), round(y1 + (y2 - y1) * i / parts, 4)) for i in range(parts)
        ]
    return [*out, ring[-1]]


# Simplified outlines (counter-clockwise, closed, [lng, lat]); plausible, not official boundaries. Like the real
# areas (reference §1A) they overlap: a big city lies in several regional areas, and the two nationwide areas
# (rough outlines of the whole country) contain every Dutch place.
AREA_RINGS: dict[str, Ring] = {
    "utrecht": [
        (4.85, 51.96),
        (5.25, 51.93),
        (5.60, 51.98),
        (5.62, 52.10),
        (5.50, 52.24),
        (5.20, 52.25),
        (4.95, 52.20),
        (4.82, 52.10),
        (4.85, 51.96),
    ],
    "utrecht-stad": [
        (5.00, 52.03),
        (5.20, 52.03),
        (5.20, 52.14),
        (5.00, 52.14),
        (5.00, 52.03),
    ],
    "groene-hart": [
        (4.55, 51.98),
        (4.92, 51.97),
        (4.95, 52.10),
        (4.90, 52.20),
        (4.58, 52.20),
        (4.50, 52.08),
        (4.55, 51.98),
    ],
    "zuid-holland": [
        (4.00, 51.75),
        (4.80, 51.72),
        (4.96, 51.95),
        (4.94, 52.12),
        (4.60, 52.32),
        (4.35, 52.18),
        (4.05, 51.98),
        (4.00, 51.75),
    ],
    "amsterdam": [
        (4.72, 52.27),
        (5.08, 52.26),
        (5.10, 52.42),
        (4.95, 52.48),
        (4.73, 52.43),
        (4.70, 52.33),
        (4.72, 52.27),
    ],
    "rotterdam": [
        (4.00, 51.80),
        (4.65, 51.78),
        (4.70, 51.88),
        (4.52, 51.97),
        (4.30, 52.02),
        (4.05, 51.97),
        (4.00, 51.80),
    ],
    "rotterdam-stad": [
        (4.38, 51.86),
        (4.60, 51.86),
        (4.60, 51.97),
        (4.38, 51.97),
        (4.38, 51.86),
    ],
    "groningen": [
        (6.25, 53.05),
        (6.95, 53.05),
        (7.20, 53.25),
        (6.95, 53.45),
        (6.40, 53.42),
        (6.20, 53.25),
        (6.25, 53.05),
    ],
    "ijsselland": [
        (5.85, 52.35),
        (6.35, 52.35),
        (6.45, 52.55),
        (6.25, 52.70),
        (5.90, 52.68),
        (5.78, 52.50),
        (5.85, 52.35),
    ],
    "brabant-oost": [
        (5.20, 51.30),
        (5.80, 51.28),
        (5.95, 51.45),
        (5.80, 51.62),
        (5.35, 51.62),
        (5.15, 51.45),
        (5.20, 51.30),
    ],
    "gelderland-zuid": [
        (5.40, 51.70),
        (6.00, 51.72),
        (6.05, 51.88),
        (5.80, 51.95),
        (5.45, 51.92),
        (5.30, 51.80),
        (5.40, 51.70),
    ],
    # The whole country, once along the coast and borders and once as a coarser hull.
    "nederland": densify(
        [
            (3.35, 51.37),
            (3.90, 51.20),
            (4.80, 51.42),
            (5.50, 51.25),
            (5.63, 50.85),
            (5.70, 50.75),
            (6.02, 50.75),
            (6.10, 51.00),
            (6.20, 51.50),
            (6.80, 51.90),
            (7.05, 52.20),
            (7.05, 52.65),
            (7.25, 53.20),
            (7.00, 53.45),
            (6.20, 53.50),
            (5.00, 53.40),
            (4.70, 53.10),
            (4.45, 52.20),
            (4.00, 51.95),
            (3.45, 51.55),
            (3.35, 51.37),
        ]
    ),
    "nederland-grof": densify(
        [
            (3.30, 51.30),
            (5.60, 50.70),
            (6.20, 50.75),
            (7.30, 52.20),
            (7.30, 53.55),
            (4.90, 53.55),
            (4.05, 51.95),
            (3.30, 51.30),
        ]
    ),
    "friesland-concept": [
        (5.40, 52.85),
        (6.30, 52.85),
        (6.30, 53.40),
        (5.40, 53.40),
        (5.40, 52.85),
    ],
}
AREA_IDS = {k: sid("area", k) for k in AREA_RINGS}
AREA_TITLES = {
    "utrecht": "Regio Utrecht en Amersfoort",
    "utrecht-stad": "Stad Utrecht",
    "groene-hart": "Groene Hart",
    "zuid-holland": "Zuid-Holland",
    "amsterdam": "Regio Amsterdam",
    "rotterdam": "Regio Rotterdam-Rijnmond",
    "rotterdam-stad": "Stad Rotterdam",
    "groningen": "Provincie Groningen",
    "ijsselland": "IJsselland",
    "brabant-oost": "Zuidoost-Brabant",
    "gelderland-zuid": "Gelderland-Zuid",
    "nederland": "Nederland",
    "nederland-grof": "Heel Nederland (grof)",
    "friesland-concept": "CONCEPT Friesland",
}
AREA_HIDDEN = [AREA_IDS["friesland-concept"]]
# area_inner is empty on about a third of the real areas.
AREAS_WITHOUT_GRID = {"zuid-holland", "nederland", "nederland-grof"}
AREAS: list[Item] = [
    {
        "id": AREA_IDS[k],
        "status": "draft" if AREA_IDS[k] in AREA_HIDDEN else "published",
        "title": AREA_TITLES[k],
        "area_center": point(*centroid(ring)),
        "area_bounds": {"type": "Polygon", "coordinates": [[list(c) for c in ring]]},
        "area_inner": None
        if k in AREAS_WITHOUT_GRID
        else {"type": "MultiPoint", "coordinates": [list(c) for c in grid_inside(ring)]},
    }
    for k, ring in AREA_RINGS.items()
]
NATIONWIDE_AREAS = {AREA_IDS["nederland"], AREA_IDS["nederland-grof"]}

# Geo facts the tests can rely on (lng, lat).
OVERLAP_POINT = (4.8833, 52.0850)  # Woerden: in the Utrecht, Groene Hart, Zuid-Holland and nationwide areas
SEA_POINT = (4.2, 52.3)  # North Sea west of the coast: in no area
AMERSFOORT_POINT = (5.3878, 52.1561)  # in the Utrecht area and the nationwide ones
UTRECHT_POINT = (5.1214, 52.0907)  # in both Utrecht areas (the city's is the smaller) and the nationwide ones
ROTTERDAM_POINT = (4.4777, 51.9244)  # in three regional areas and the nationwide ones


# ---------------------------------------------------------------------------------------------------
# Opening hours (the target of regional_education_desks.phone_availability; collection name assumed)
# ---------------------------------------------------------------------------------------------------

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
OPENING_HOURS_IDS: dict[str, str] = {}
OPENING_HOURS: list[Item] = []


def opening_hours(key: str, days: dict[str, tuple[str | None, str | None]]) -> str:
    """Hours as Directus `time` values ("09:00:00"); days left out have no times (closed)."""
    OPENING_HOURS_IDS[key] = sid("opening_hours", key)
    item: Item = {"id": OPENING_HOURS_IDS[key]}
    for day in WEEKDAYS:
        start, end = days.get(day, (None, None))
        item[f"{day}_start"] = start
        item[f"{day}_end"] = end
    OPENING_HOURS.append(item)
    return OPENING_HOURS_IDS[key]


OFFICE = ("09:00:00", "17:00:00")
HOURS_OFFICE = opening_hours("kantoor", dict.fromkeys(WEEKDAYS[:5], OFFICE))
HOURS_SHORT_FRIDAY = opening_hours(
    "korte-vrijdag", {**dict.fromkeys(WEEKDAYS[:4], OFFICE), "friday": ("09:00:00", "12:00:00")}
)
HOURS_SATURDAY = opening_hours(
    "met-zaterdag", {**dict.fromkeys(WEEKDAYS[:5], OFFICE), "saturday": ("10:00:00", "12:00:00")}
)
HOURS_ALTERNATING = opening_hours(
    "wisselend",
    {
        "monday": OFFICE,
        "tuesday": ("13:00:00", "20:00:00"),
        "wednesday": OFFICE,
        "thursday": ("13:00:00", "20:00:00"),
    },
)
HOURS_EMPTY = opening_hours("leeg", {})


# ---------------------------------------------------------------------------------------------------
# Regional education desks (real field names, reference §1A)
# ---------------------------------------------------------------------------------------------------

DESKS: list[Item] = []
DESK_IDS: dict[str, str] = {}


def _desk_desc(title: str, region: str) -> Node:
    return doc(
        p(
            bold(title),
            f" helpt iedereen die wil werken in het onderwijs in {region}. Je kunt bij ons terecht voor ",
            "informatie over opleidingen, zij-instroom en vacatures.",
        ),
        h(3, "Wat we doen"),
        ul("adviesgesprekken", "meeloopdagen", li(p("informatiebijeenkomsten:"), ul("online", "op locatie"))),
        h(4, "Voor wie?"),
        p("Voor ", italic("zij-instromers"), ", studenten en herintreders."),
        h(5, "Kosten"),
        p("Al onze diensten zijn gratis."),
    )


def _consult_desc(region: str) -> Node:
    return doc(
        h(2, "Adviesgesprek"),
        p(
            f"In een gratis adviesgesprek van 45 minuten bespreek je jouw situatie met een adviseur uit {region}."
        ),
        ol(
            "Plan een gesprek via de website.",
            "Je krijgt een bevestiging per e-mail.",
            "Het gesprek vindt online of op ons kantoor plaats.",
        ),
        p("Voorbeeld: ", link("plan een gesprek", "https://example.org/afspraak"), "."),
        table(["Dag", "Tijden"], ["maandag", "9.00–17.00"], ["donderdag", "13.00–20.00"]),
    )


def service_link(url: str, kind: str | None) -> dict[str, Any]:
    return {"url": url, "type": kind, "domain": url.split("/")[2]}


def desk(
    slug: str,
    title: str,
    *,
    area: str | None,
    region_text: str,
    regions: list[str],
    cities: str,
    sectors: tuple[str, ...],
    email: str,
    phone: str,
    consult: bool = True,
    consultation_service_url: str | None = None,
    hours: str | None = None,
    email_response_time: str | None = None,
    website: str | None = None,
    privacy_policy: str | None = None,
    physical: bool | None = None,
    appointment: bool | None = None,
    location: str | None = None,
    service_links: list[dict[str, Any]] | None = None,
    activities: list[str] | None = None,
    content_types: list[str] | None = None,
    status: str = "published",
) -> str:
    DESK_IDS[slug] = sid("desk", slug)
    item: Item = {
        "id": DESK_IDS[slug],
        "status": status,
        "title": title,
        "slug": slug,
        "path": f"/navigator/regioloketten/{slug}",
        "email": email,
        "email_response_time": email_response_time,
        "phone": phone,
        "phone_availability": hours,
        "website": website,
        "privacy_policy": privacy_policy,
        "regions": regions,
        "cities_municipalities": cities,
        "has_consultation_service": consult,
        "consultation_service_url": consultation_service_url,
        "consultation_service_description": _consult_desc(region_text) if consult else None,
        "has_physical_location": physical,
        "appointment_for_visit": appointment,
        "location": L[location] if location else None,
        "service_links": service_links,
        "orientation_activity_types": activities
        if activities is not None
        else ["meeloopdag", "informatiebijeenkomst"],
        "content_types": content_types
        if content_types is not None
        else ["vacatures", "opleidingen", "subsidies"],
        "description": _desk_desc(title, region_text),
        "area": AREA_IDS[area] if area else None,
        "sectors": m2m("sectors", list(sectors)),
    }
    DESKS.append(item)
    return DESK_IDS[slug]


DESK_UTRECHT = desk(
    "onderwijsloket-utrecht-regio",
    "Onderwijsloket Utrecht-regio",
    area="utrecht",
    region_text="de regio Utrecht en Amersfoort",
    regions=["Onderwijsregio Utrecht", "Onderwijsregio Eemland"],
    cities="Utrecht, Amersfoort, Nieuwegein, Zeist, Houten, IJsselstein, Woerden, Stichtse Vecht, De Bilt, "
    "Leusden, Soest, Veenendaal, Hilversum, ",
    sectors=(PO, VO, MBO, SO),
    email="info@onderwijsloket-utrecht.example",
    email_response_time="2 werkdagen",
    phone="030 123 45 67",
    hours=HOURS_OFFICE,
    website="https://onderwijsloket-utrecht.example",
    privacy_policy="https://onderwijsloket-utrecht.example/privacy",
    consultation_service_url="https://meetings.example.org/utrecht/adviesgesprek",
    physical=True,
    appointment=True,
    location="loket-utrecht",
    service_links=[
        service_link("https://onderwijsloket-utrecht.example/vacatures", "vacatures"),
        service_link("https://onderwijsloket-utrecht.example/agenda", "oriëntatieactiviteiten"),
        service_link("https://matching.example.org/utrecht", "matching"),
        service_link("https://onderwijsloket-utrecht.example/zij-instroom", "zij-instroom"),
    ],
    activities=["meeloopdag", "informatiebijeenkomst", "café zij-instroom"],
)
DESKS[-1]["logo"] = FILE_IDS["logo-onderwijsloket-utrecht"]
DESK_UTRECHT_PO = desk(
    "onderwijsloket-utrecht-po",
    "Onderwijsloket Utrecht PO",
    area="utrecht-stad",
    region_text="de stad Utrecht",
    regions=["Utrecht PO"],
    cities="Utrecht",
    sectors=(PO,),
    email="po@onderwijsloket-utrecht.example",
    email_response_time="binnen 24 uur",
    phone="030 765 43 21",
    hours=HOURS_SHORT_FRIDAY,
    consultation_service_url="https://meetings.example.org/utrecht-po/kennismaking",
    physical=False,
)
DESK_GROENE_HART = desk(
    "onderwijsregio-groene-hart",
    "Onderwijsregio Groene Hart",
    area="groene-hart",
    region_text="het Groene Hart",
    regions=["Onderwijsregio Groene Hart"],
    cities="Gouda, Woerden, Alphen aan den Rijn, Bodegraven-Reeuwijk, Waddinxveen, Krimpenerwaard",
    sectors=(PO, VO),
    email="info@groenehart-onderwijs.example",
    phone="0182 12 34 56",
    hours=HOURS_ALTERNATING,
    consultation_service_url="https://meetings.example.org/groene-hart/kennismaking",
)
DESK_ZUID_HOLLAND = desk(
    "onderwijsregio-zuid-holland",
    "Onderwijsregio Zuid-Holland",
    area="zuid-holland",
    region_text="Zuid-Holland",
    regions=["Onderwijsregio Zuid-Holland"],
    cities="Den Haag, Leiden, Delft, Zoetermeer, Rotterdam, Dordrecht, Gouda, Woerden, ",
    sectors=(PO, VO, MBO),
    email="info@onderwijsregio-zh.example",
    phone="070 123 45 67",
    consultation_service_url="https://meetings.example.org/zuid-holland/adviesgesprek",
)
DESK_AMSTERDAM = desk(
    "onderwijsloket-amsterdam",
    "Onderwijsregio Amsterdam (Onderwijsloket Amsterdam)",
    area="amsterdam",
    region_text="Amsterdam en omgeving",
    regions=["Onderwijsregio Amsterdam"],
    cities="Amsterdam, Amstelveen, Diemen, Ouder-Amstel, Zaanstad",
    sectors=(PO, VO, MBO, SO),
    email="info@onderwijsloket-amsterdam.example",
    phone="020 123 45 67",
    website="https://onderwijsloket-amsterdam.example",
    consultation_service_url="https://meetings.example.org/amsterdam/adviesgesprek",
)
DESK_ROTTERDAM = desk(
    "onderwijsloket-rotterdam",
    "Onderwijsloket Rotterdam",
    area="rotterdam",
    region_text="Rotterdam en omgeving",
    regions=["Onderwijsregio Rotterdam"],
    cities="Rotterdam, Schiedam, Vlaardingen, Capelle aan den IJssel, Barendrecht, Ridderkerk",
    sectors=(PO, VO, MBO),
    email="info@onderwijsloket-rotterdam.example",
    email_response_time="3 werkdagen",
    phone="010 123 45 67",
    hours=HOURS_SATURDAY,
    physical=True,
    appointment=False,
    location="loket-rotterdam",
    consultation_service_url="https://meetings.example.org/rotterdam/adviesgesprek",
    service_links=[
        service_link("https://onderwijsloket-rotterdam.example/vacatures", "vacatures"),
        service_link("https://podcast.example.org/rotterdam", "podcast"),  # a type the docs do not list
        {"url": None, "type": "matching", "domain": None},  # no url: nothing to show
    ],
)
DESK_ROTTERDAM_PO = desk(
    "onderwijsloket-rotterdam-po",
    "Onderwijsloket Rotterdam PO",
    area="rotterdam-stad",
    region_text="de stad Rotterdam",
    regions=["Rotterdam PO"],
    cities="Rotterdam, ",
    sectors=(PO,),
    email="po@onderwijsloket-rotterdam.example",
    phone="010 765 43 21",
    hours=HOURS_EMPTY,  # linked, but no day has times
    consult=False,
)
DESK_GRONINGEN = desk(
    "regioloket-groningen",
    "Regioloket Groningen",
    area="groningen",
    region_text="de provincie Groningen",
    regions=["Onderwijsregio Groningen"],
    cities="Groningen, Het Hogeland, Eemsdelta, Midden-Groningen, Westerkwartier, Oldambt",
    sectors=(PO, VO, MBO),
    email="info@regioloket-groningen.example",
    phone="050 123 45 67",
    consult=False,
    activities=["informatiebijeenkomst"],
    content_types=["vacatures"],
)
DESK_ZWOLLE = desk(
    "onderwijsregio-zwolle",
    "Onderwijsregio Zwolle (IJsselland)",
    area="ijsselland",
    region_text="IJsselland",
    regions=["Onderwijsregio IJsselland"],
    cities="Zwolle, Kampen, Dalfsen, Raalte, Hattem, Zwartewaterland, ",
    sectors=(PO, VO),
    email="info@onderwijsregio-zwolle.example",
    phone="038 123 45 67",
    consultation_service_url="https://meetings.example.org/zwolle/adviesgesprek",
)
DESK_EINDHOVEN = desk(
    "onderwijsloket-brabant-oost",
    "Onderwijsloket Brabant-Oost",
    area="brabant-oost",
    region_text="Zuidoost-Brabant",
    regions=["Onderwijsregio Zuidoost-Brabant"],
    cities="Eindhoven, Helmond, Veldhoven, Best, Geldrop-Mierlo, Nuenen",
    sectors=(PO, VO, MBO),
    email="info@onderwijsloket-brabant-oost.example",
    phone="040 123 45 67",
    consultation_service_url="https://meetings.example.org/brabant-oost/adviesgesprek",
)
DESK_NIJMEGEN = desk(
    "onderwijsloket-gelderland-zuid",
    "Onderwijsloket Gelderland-Zuid",
    area="gelderland-zuid",
    region_text="Nijmegen en het Rijk van Nijmegen",
    regions=["Onderwijsregio Gelderland-Zuid"],
    cities="Nijmegen, Wijchen, Berg en Dal, Beuningen, Heumen, Druten",
    sectors=(PO, VO, SO),
    email="info@onderwijsloket-gelderland-zuid.example",
    phone="024 123 45 67",
)
DESK_NO_AREA = desk(
    "onderwijsloket-limburg",
    "Onderwijsloket Limburg",
    area=None,
    region_text="Limburg",
    regions=["Onderwijsregio Zuid-Limburg", "Onderwijsregio Noord-Limburg"],
    cities="Maastricht, Heerlen, Sittard-Geleen, Venlo, Roermond",
    sectors=(PO, VO, MBO),
    email="info@onderwijsloket-limburg.example",
    phone="043 123 45 67",
)
# Nationwide desks: one says so in its region name and serves one sector; the other only by its area.
DESK_NATIONWIDE_GREEN = desk(
    "landelijk-loket-groen-onderwijs",
    "Landelijk Loket Groen Onderwijs",
    area="nederland",
    region_text="heel Nederland",
    regions=["Landelijk Groen"],
    cities="",
    sectors=(MBO,),
    email="info@groen-onderwijs.example",
    email_response_time="5 werkdagen",
    phone="0317 12 34 56",
    hours=HOURS_OFFICE,
    consultation_service_url="https://meetings.example.org/groen/adviesgesprek",
)
DESK_NATIONWIDE_CRAFT = desk(
    "loket-vakmensen-voor-de-klas",
    "Loket Vakmensen voor de Klas",
    area="nederland-grof",
    region_text="heel Nederland",
    regions=["Vakmensen voor de klas"],
    cities="Amsterdam, Rotterdam, Den Haag, Utrecht, Eindhoven, Groningen, Tilburg, Almere, Breda, Nijmegen, "
    "Apeldoorn, Arnhem, Haarlem, Enschede, Amersfoort, Zaanstad, Den Bosch, Zwolle, Leiden, Maastricht, ",
    sectors=(VO, MBO),
    email="info@vakmensen-voor-de-klas.example",
    phone="088 123 45 67",
    consultation_service_url="https://meetings.example.org/vakmensen/kennismaking",
)
DESK_HIDDEN = [
    desk(
        "onderwijsregio-friesland-concept",
        "CONCEPT Onderwijsregio Friesland",
        area="friesland-concept",
        region_text="Friesland",
        regions=["Onderwijsregio Friesland"],
        cities="Leeuwarden",
        sectors=(PO,),
        email="concept@example.org",
        phone="058 000 00 00",
        status="draft",
    ),
]
NATIONWIDE_DESK_IDS = [DESK_NATIONWIDE_GREEN, DESK_NATIONWIDE_CRAFT]
VISIBLE_DESK_IDS = [d["id"] for d in DESKS if d["status"] == "published"]


# ---------------------------------------------------------------------------------------------------
# Routes
# ---------------------------------------------------------------------------------------------------
# The question and answer structure is the real one: four questions with 6 / 7 / 18 / 25 answers, their
# labels, their global `sort` and every answer's prerequisites as exports of real items show them (reference
# §1A and route-taxonomy.md, copied here because tests never read the reference). Question texts,
# descriptions, steps and routes are invented; the routes are generated deterministically, a few hundred
# with about two required answers each (the real API has 3,378 routes and 14,182 step rows).

SCHOOL_PO = "Basisschool (po)"
SCHOOL_VO = "Middelbare school (vo)"
SCHOOL_MBO = "Middelbaar beroepsonderwijs (mbo)"
SCHOOL_HO = "Hoger onderwijs (ho)"
SCHOOL_SO = "Speciaal onderwijs (so/vso)"
SCHOOL_VAVO = "Volwassenenonderwijs (vavo)"
ALL_SCHOOLS = (SCHOOL_PO, SCHOOL_VO, SCHOOL_MBO, SCHOOL_HO, SCHOOL_SO, SCHOOL_VAVO)
NOT_HO = (SCHOOL_PO, SCHOOL_VO, SCHOOL_MBO, SCHOOL_SO, SCHOOL_VAVO)
LERAAR = "Leraar"
OOP = "Onderwijsondersteunend personeel"
OP = "Ondersteunend personeel"
SCHOOLLEIDING = "Schoolleiding"
MIDDENMANAGEMENT = "Middenmanagement"
INSTRUCTEUR = "Instructeur"
LEERLINGENZORG = "Leerlingenzorg"
GEEN_DIPLOMA = " - geen verplicht diploma nodig"

ROUTE_QUESTION_KEYS = ("school", "rol", "opleiding", "kwalificatie")
Prerequisites = dict[str, tuple[str, ...]]
# question key -> [(sort, label, prerequisites by question key)], as in the real data.
ROUTE_STRUCTURE: dict[str, list[tuple[int, str, Prerequisites]]] = {
    "school": [
        (29, SCHOOL_PO, {}),
        (30, SCHOOL_VO, {}),
        (31, SCHOOL_MBO, {}),
        (32, SCHOOL_HO, {}),
        (33, SCHOOL_SO, {}),
        (34, SCHOOL_VAVO, {}),
    ],
    "rol": [
        (22, LERAAR, {"school": ALL_SCHOOLS}),
        (23, OOP, {"school": NOT_HO}),
        (24, OP, {"school": NOT_HO}),
        (25, SCHOOLLEIDING, {"school": NOT_HO}),
        (26, MIDDENMANAGEMENT, {"school": NOT_HO}),
        (27, INSTRUCTEUR, {"school": (SCHOOL_MBO,)}),
        (28, LEERLINGENZORG, {"school": ALL_SCHOOLS}),
    ],
    "opleiding": [
        (sort, label, {})
        for sort, label in [
            (1, "Geen vooropleiding"),
            (2, "Praktijkonderwijs"),
            (3, "Vmbo-kl"),
            (4, "Vmbo-gl"),
            (5, "Vmbo-bl"),
            (6, "Vmbo-tl/mavo"),
            (7, "Havo"),
            (8, "Vwo"),
            (35, "Mbo entree"),
            (36, "Mbo 2"),
            (37, "Mbo 3"),
            (38, "Mbo 4"),
            (39, "Associate degree"),
            (40, "Hbo-propedeuse"),
            (41, "Hbo-bachelor"),
            (46, "Hbo-master"),
            (47, "Wo-bachelor"),
            (48, "Wo-master"),
        ]
    ],
    "kwalificatie": [
        (sort, label, {"school": schools, "rol": (role,)})
        for sort, label, schools, role in [
            (9, "Primair onderwijs", (SCHOOL_PO, SCHOOL_SO), LERAAR),
            (10, "Tweedegraads bevoegdheid", NOT_HO, LERAAR),
            (11, "Beperkte tweedegraads bevoegdheid", (SCHOOL_PO, SCHOOL_VO, SCHOOL_VAVO), LERAAR),
            (12, "Eerstegraads bevoegdheid", NOT_HO, LERAAR),
            (13, "Schoolleiding PO", (SCHOOL_PO, SCHOOL_SO), SCHOOLLEIDING),
            (14, "PDG", (SCHOOL_MBO, SCHOOL_VAVO), LERAAR),
            (15, "Instructeursdiploma", (SCHOOL_MBO,), INSTRUCTEUR),
            (16, "Ongegradeerde bevoegdheid", NOT_HO, LERAAR),
            (17, "Leerlingenzorg hoger onderwijs" + GEEN_DIPLOMA, (SCHOOL_HO,), LEERLINGENZORG),
            (18, "Leerlingenzorg mbo/vavo" + GEEN_DIPLOMA, (SCHOOL_VO, SCHOOL_VAVO), LEERLINGENZORG),
            (19, "Ondersteunend personeel mbo" + GEEN_DIPLOMA, (SCHOOL_MBO,), OP),
            (20, "Schoolleiding vo" + GEEN_DIPLOMA, (SCHOOL_VO, SCHOOL_VAVO), SCHOOLLEIDING),
            (21, "Leraarondersteuner" + GEEN_DIPLOMA, NOT_HO, OOP),
            (42, "Leerlingenzorg mbo" + GEEN_DIPLOMA, (SCHOOL_MBO,), LEERLINGENZORG),
            (43, "Middenmanagement mbo" + GEEN_DIPLOMA, (SCHOOL_MBO,), MIDDENMANAGEMENT),
            (44, "Onderwijsassistent" + GEEN_DIPLOMA, NOT_HO, OOP),
            (45, "Ondersteunend personeel po" + GEEN_DIPLOMA, (SCHOOL_PO, SCHOOL_SO), OP),
            (49, "Ondersteunend personeel vo" + GEEN_DIPLOMA, (SCHOOL_VO, SCHOOL_VAVO), OP),
            (50, "Leerlingenzorg po" + GEEN_DIPLOMA, (SCHOOL_PO,), LEERLINGENZORG),
            (51, "Middenmanagement po" + GEEN_DIPLOMA, (SCHOOL_PO, SCHOOL_SO), MIDDENMANAGEMENT),
            (52, "Gastdocent" + GEEN_DIPLOMA, NOT_HO, LERAAR),
            (53, "Leraar hoger onderwijs" + GEEN_DIPLOMA, (SCHOOL_HO,), LERAAR),
            (54, "Leerlingenzorg speciaal onderwijs" + GEEN_DIPLOMA, (SCHOOL_SO,), LEERLINGENZORG),
            (55, "Middenmanagement vo" + GEEN_DIPLOMA, (SCHOOL_VO, SCHOOL_VAVO), MIDDENMANAGEMENT),
            (56, "Schoolleiding mbo" + GEEN_DIPLOMA, (SCHOOL_MBO,), SCHOOLLEIDING),
        ]
    ],
}

ROUTE_QUESTION_IDS = {k: sid("route_question", k) for k in ROUTE_QUESTION_KEYS}
ROUTE_QUESTIONS: list[Item] = [
    {
        "id": ROUTE_QUESTION_IDS[key],
        "status": "published",
        "sort": n,
        "question": question,
        "description": description,
    }
    for n, (key, question, description) in enumerate(
        [
            (
                "school",
                "Op welk type school wil je werken?",
                "Kies het soort onderwijs dat je het meest aanspreekt.",
            ),
            ("rol", "Welke functie wil je hebben?", "Welke functies er zijn, hangt af van het type school."),
            (
                "opleiding",
                "Wat is je hoogst afgeronde opleiding?",
                "Je vooropleiding bepaalt waar je route begint.",
            ),
            ("kwalificatie", "Welk diploma of welke bevoegdheid wil je halen?", None),
        ],
        start=1,
    )
]

# Labels are unique across all questions (as in the real data), so they key the answers.
ANSWER_IDS: dict[str, str] = {}
ANSWER_QUESTION: dict[str, str] = {}  # answer id -> question key
ROUTE_ANSWERS_BY_QUESTION: dict[str, list[Item]] = {k: [] for k in ROUTE_QUESTION_KEYS}
for _key, _rows in ROUTE_STRUCTURE.items():
    for _sort, _label, _ in _rows:
        ANSWER_IDS[_label] = sid("route_answer", _label)
        ANSWER_QUESTION[ANSWER_IDS[_label]] = _key
# answer id -> {question key: the answer ids of that question it requires (one of them)}
ANSWER_REQUIRES: dict[str, dict[str, frozenset[str]]] = {
    ANSWER_IDS[label]: {q: frozenset(ANSWER_IDS[x] for x in labels) for q, labels in needs.items()}
    for rows in ROUTE_STRUCTURE.values()
    for _, label, needs in rows
}

_ANSWER_DESCRIPTIONS = {
    "school": "Je wilt werken in het {}.",
    "rol": "Je ziet jezelf werken als {}.",
    "opleiding": None,
    "kwalificatie": "Je wilt {} halen.",
}

# Not visible to API readers (draft). A published answer lists it among its prerequisites, so readers get a
# junction row whose answer is null: the tool must ignore that row.
ROUTE_ANSWER_DRAFT = sid("route_answer", "CONCEPT Internationale school")
ROUTE_ANSWER_WITH_HIDDEN_REQUIREMENT = ANSWER_IDS["Gastdocent" + GEEN_DIPLOMA]

for _key, _rows in ROUTE_STRUCTURE.items():
    for _sort, _label, _needs in _rows:
        _template = _ANSWER_DESCRIPTIONS[_key]
        _required = [ANSWER_IDS[x] for q in ROUTE_QUESTION_KEYS for x in _needs.get(q, ())]
        if ANSWER_IDS[_label] == ROUTE_ANSWER_WITH_HIDDEN_REQUIREMENT:
            _required.append(ROUTE_ANSWER_DRAFT)
        ROUTE_ANSWERS_BY_QUESTION[_key].append(
            {
                "id": ANSWER_IDS[_label],
                "status": "published",
                "sort": _sort,
                "title": _label,
                "description": _template.format(_label.split(GEEN_DIPLOMA)[0].lower()) if _template else None,
                "question": ROUTE_QUESTION_IDS[_key],
                "requires_answers": [{"related_route_answers_id": r} for r in _required],
            }
        )
ROUTE_ANSWERS_BY_QUESTION["school"].append(
    {
        "id": ROUTE_ANSWER_DRAFT,
        "status": "draft",
        "sort": 57,
        "title": "CONCEPT Internationale school",
        "description": None,
        "question": ROUTE_QUESTION_IDS["school"],
        "requires_answers": [],
    }
)
ROUTE_ANSWERS: list[Item] = [a for q in ROUTE_QUESTION_KEYS for a in ROUTE_ANSWERS_BY_QUESTION[q]]
PUBLISHED_ROUTE_ANSWERS: list[Item] = [a for a in ROUTE_ANSWERS if a["status"] == "published"]


def offered_answers(question: str, chosen: dict[str, str]) -> list[str]:
    """The grouped rule on the real structure: ids of `question`'s options given {question key: answer id}.

    An option is offered when, for every earlier question among its prerequisites, one of that question's
    listed answers was chosen (AND across questions, OR within one).
    """
    earlier = ROUTE_QUESTION_KEYS[: ROUTE_QUESTION_KEYS.index(question)]
    return [
        ANSWER_IDS[label]
        for _, label, _ in ROUTE_STRUCTURE[question]
        if all(chosen.get(q) in ids for q, ids in ANSWER_REQUIRES[ANSWER_IDS[label]].items() if q in earlier)
    ]


def complete_answer_sets() -> list[list[str]]:
    """Every valid answer to all four questions, in question order."""
    sets: list[list[str]] = [[]]
    for question in ROUTE_QUESTION_KEYS:
        sets = [
            [*s, option]
            for s in sets
            for option in offered_answers(question, dict(zip(ROUTE_QUESTION_KEYS, s, strict=False)))
        ]
    return sets


# --- steps -----------------------------------------------------------------------------------------------

STEP_IDS: dict[str, str] = {}
ROUTE_STEPS: list[Item] = []


def step(
    slug: str,
    short_title: str,
    long_title: str | None,
    months: int | None,
    *body: Node,
    faqs: tuple[str, ...] = (),
    articles: tuple[str, ...] = (),
    link_sorts: tuple[int, ...] | None = None,
) -> str:
    """`faqs` (FAQ keys) and `articles` (article slugs) are linked in the given order unless `link_sorts`
    (one value per FAQ, then per article) sets the junction's sort."""
    STEP_IDS[slug] = sid("route_step", slug)
    sorts = link_sorts or tuple(range(1, len(faqs) + 1)) + tuple(range(1, len(articles) + 1))
    item: Item = {
        "id": STEP_IDS[slug],
        "status": "published",
        "unique_name": slug.upper().replace("-", "_"),
        "slug": slug,
        "short_title": short_title,
        "long_title": long_title,
        "duration_in_months": months,
        "body": doc(*body) if body else None,
        "faqs": [{"faqs_id": FAQ_IDS[f], "sort": s} for f, s in zip(faqs, sorts[: len(faqs)], strict=True)],
        "articles": [
            {"articles_id": ARTICLE_IDS[a], "sort": s}
            for a, s in zip(articles, sorts[len(faqs) :], strict=True)
        ],
    }
    ROUTE_STEPS.append(item)
    return STEP_IDS[slug]


step(
    "orienteren",
    "Oriënteren",
    "Oriënteer je op het werken in het onderwijs",
    1,
    p(
        "Loop mee op een school en praat met leraren. ",
        bold("Plan een adviesgesprek"),
        " bij het regioloket.",
    ),
    h(3, "Tips"),
    ul("bezoek minstens twee scholen", "lees ervaringsverhalen"),
    faqs=("regioloket", "orientatie-diacritics"),
    articles=("orientatie-op-het-onderwijs",),
)
step(
    "meeloopdag",
    "Meeloopdag",
    "Loop een dag mee op een school",
    None,
    p("Zo zie je hoe het dagelijkse werk eruitziet."),
)
step(
    "adviesgesprek",
    "Adviesgesprek",
    "Voer een adviesgesprek met het regioloket",
    None,
    p("Een adviseur kijkt met je mee welke route het beste past."),
    faqs=("regioloket",),
)
step(
    "vog-aanvragen",
    "VOG",
    "Vraag een verklaring omtrent het gedrag aan",
    1,
    p("Zonder VOG kun je niet starten op een school."),
    faqs=("vog",),
)
step(
    "school-vinden",
    "School vinden",
    "Vind een school die je aanneemt",
    2,
    p("Zoek vacatures; het ", italic("regioloket"), " kan helpen."),
    faqs=("vacatures",),
)
step(
    "solliciteren",
    "Solliciteren",
    "Solliciteer op een vacature",
    1,
    p("Stuur een brief en je cv; vaak volgt een proefles."),
    faqs=("vacatures",),
)
step(
    "geschiktheidsonderzoek",
    "Geschiktheidsonderzoek",
    "Doe het geschiktheidsonderzoek",
    2,
    p("Het onderzoek bepaalt welke onderdelen van de opleiding je nog moet volgen."),
    h(5, "Wat wordt er getoetst?"),
    ul("vakinhoud", "pedagogiek en didactiek"),
    faqs=("zij-instroom-voorwaarden",),
)
step(
    "inductie",
    "Starten",
    "Start met begeleiding in je eerste jaar",
    12,
    p("Je krijgt begeleiding in je eerste jaar (inductieprogramma)."),
    faqs=("startende-leraar", "werkdruk"),
    articles=("werkdruk-in-het-onderwijs",),
)
step(
    "bevoegdheid-ontvangen",
    "Bevoegd!",
    "Ontvang je diploma en bevoegdheid",
    None,
    p("Gefeliciteerd: je bent ", bold("bevoegd"), ". Je kunt nu overal in je sector solliciteren."),
    faqs=("bevoegdheden-verschil",),
    articles=("welke-bevoegdheden-zijn-er",),
)
step("diploma-ontvangen", "Diploma", None, None, p("Je rondt de opleiding af met een diploma."))

# Prior education: the steps that bring someone to the entry level of a programme.
for _slug, _short, _long, _months, _text, _faqs, _articles in [
    ("vmbo-a", "Vmbo", "Haal je vmbo-diploma", 24, "Een vmbo-diploma via het volwassenenonderwijs.", (), ()),
    (
        "vmbo-b",
        "Vmbo (deeltijd)",
        "Haal je vmbo-diploma in deeltijd",
        36,
        "Naast je werk, in de avonduren.",
        (),
        (),
    ),
    (
        "havo-a",
        "Havo",
        "Haal je havodiploma",
        24,
        "Vakken los afronden kan ook.",
        ("vavo",),
        ("wat-is-het-vavo",),
    ),
    (
        "havo-b",
        "Havo (vakken)",
        "Haal ontbrekende havovakken",
        12,
        "Alleen de vakken die je mist.",
        ("vavo",),
        (),
    ),
    ("vwo-a", "Vwo", "Haal je vwo-diploma", 24, "Nodig voor een universitaire opleiding.", ("vavo",), ()),
    (
        "vavo-a",
        "Vavo",
        "Volg het vavo",
        12,
        "Voortgezet algemeen volwassenenonderwijs.",
        ("vavo", "vavo-lesgeven"),
        ("wat-is-het-vavo",),
    ),
    ("vavo-b", "Vavo (staatsexamen)", "Doe staatsexamen via het vavo", 12, "Examen per vak.", ("vavo",), ()),
    ("mbo2-a", "Mbo 2", "Haal een mbo-2-diploma", 12, "Een basisberoepsopleiding.", (), ()),
    ("mbo3-a", "Mbo 3", "Haal een mbo-3-diploma", 24, "Een vakopleiding.", (), ()),
    ("mbo4-a", "Mbo 4", "Haal een mbo-4-diploma", 36, "Een middenkaderopleiding.", (), ()),
    (
        "mbo4-b",
        "Mbo 4 (verkort)",
        "Haal een mbo-4-diploma in een verkort traject",
        24,
        "Met vrijstellingen.",
        (),
        (),
    ),
    (
        "mbo4-c",
        "Mbo 4 (bbl)",
        "Haal een mbo-4-diploma werkend en lerend",
        36,
        "Werken en leren tegelijk.",
        (),
        (),
    ),
    ("ad-a", "Associate degree", "Volg een associate degree", 24, "Een tweejarige hbo-opleiding.", (), ()),
    ("hbo-a", "Hbo-bachelor", "Haal een hbo-bachelor", 48, "Een vierjarige hbo-opleiding.", (), ()),
    (
        "hbo-b",
        "Hbo (deeltijd)",
        "Haal een hbo-bachelor in deeltijd",
        48,
        "Naast je baan.",
        ("deeltijd-duur",),
        (),
    ),
    ("wo-a", "Wo-bachelor", "Haal een wo-bachelor", 36, "Een universitaire bachelor.", (), ()),
    ("wo-b", "Wo-master", "Haal een wo-master", 12, "Na je wo-bachelor.", (), ()),
    (
        "21plus-toets",
        "21+-toets",
        "Doe de 21+-toets",
        2,
        "Zonder havo-, vwo- of mbo-4-diploma en 21 of ouder? Dan doe je eerst de 21+-toets.",
        ("21plus-toets",),
        (),
    ),
]:
    step(_slug, _short, _long, _months, p(_text), faqs=_faqs, articles=_articles)

step(
    "aanmelden-studielink",
    "Aanmelden",
    "Meld je aan via Studielink",
    1,
    p("Meld je vóór ", bold("1 mei"), " aan via ", link("Studielink", "https://www.studielink.nl"), "."),
)
step(
    "toelatingstoetsen-pabo",
    "Toelatingstoetsen",
    "Haal de toelatingstoetsen pabo",
    3,
    p("Toetsen voor aardrijkskunde, geschiedenis en natuur en techniek."),
    h(4, "Voorbereiding"),
    ol("volg een voorbereidingscursus", "maak oefentoetsen"),
    faqs=("pabo-toelatingstoetsen",),
)
step(
    "intake",
    "Intake",
    "Voer een intakegesprek met de opleiding",
    None,
    p("De opleiding kijkt welke vrijstellingen je krijgt."),
)

# Programmes and qualifications.
for _slug, _short, _long, _months, _text, _faqs, _articles in [
    (
        "pabo-voltijd",
        "Pabo (voltijd)",
        "Volg de voltijd pabo",
        48,
        "Vier jaar studeren, met elk jaar stage.",
        ("pabo-wat",),
        ("de-pabo",),
    ),
    (
        "pabo-deeltijd",
        "Pabo (deeltijd)",
        "Volg de deeltijd pabo",
        36,
        "Naast je baan, met stage op een basisschool.",
        ("pabo-wat", "deeltijd-duur"),
        ("de-pabo", "lerarenopleiding-naast-je-baan"),
    ),
    (
        "pabo-verkort",
        "Pabo (verkort)",
        "Volg de verkorte pabo",
        24,
        "Met vrijstellingen op basis van je bachelor.",
        ("pabo-wat",),
        ("de-pabo",),
    ),
    (
        "academische-pabo",
        "Academische pabo",
        "Volg de academische pabo",
        48,
        "Pabo en universitaire bachelor in één.",
        ("pabo-wat",),
        (),
    ),
    (
        "zij-instroom-po",
        "Zij-instroom po",
        "Volg het zij-instroomtraject primair onderwijs",
        24,
        "Je werkt als leraar en volgt tegelijk de opleiding.",
        ("zij-instroom-wat", "zij-instroom-kosten"),
        (),
    ),
    (
        "zij-instroom-mbo",
        "Zij-instroom mbo",
        "Volg het zij-instroomtraject mbo",
        24,
        "Werken als docent met een opleidingsplan.",
        ("zij-instroom-wat",),
        (),
    ),
    (
        "tweedegraads-voltijd",
        "Tweedegraads opleiding",
        "Volg een tweedegraads lerarenopleiding",
        48,
        "Hbo-bachelor in een schoolvak.",
        ("bevoegdheden-verschil",),
        (),
    ),
    (
        "tweedegraads-deeltijd",
        "Tweedegraads (deeltijd)",
        "Volg een tweedegraads lerarenopleiding in deeltijd",
        48,
        "Naast je baan.",
        ("deeltijd-duur", "naast-baan"),
        ("lerarenopleiding-naast-je-baan",),
    ),
    (
        "tweedegraads-verkort",
        "Tweedegraads (verkort)",
        "Volg een verkorte tweedegraads opleiding",
        24,
        "Met vrijstellingen op basis van je vooropleiding.",
        ("bevoegdheden-verschil",),
        (),
    ),
    (
        "master-leraar",
        "Master leraar",
        "Volg een master leraar (eerstegraads)",
        24,
        "Deeltijdmaster aan een hogeschool.",
        ("bevoegdheden-verschil",),
        (),
    ),
    (
        "educatieve-master",
        "Educatieve master",
        "Volg een educatieve master",
        12,
        "Eén jaar voltijd aan een universiteit.",
        ("educatieve-master",),
        (),
    ),
    (
        "educatieve-minor",
        "Educatieve minor",
        "Volg een educatieve minor",
        6,
        "Binnen je bachelor: een beperkte tweedegraads bevoegdheid.",
        ("beperkt-tweedegraads",),
        (),
    ),
    (
        "beperkte-tweedegraads",
        "Beperkt tweedegraads",
        "Haal een beperkte tweedegraads bevoegdheid",
        12,
        "Lesgeven in vmbo-tl en de onderbouw van havo/vwo.",
        ("beperkt-tweedegraads",),
        (),
    ),
    (
        "pdg-traject",
        "PDG-traject",
        "Volg het PDG-traject",
        18,
        "Je werkt als docent en haalt het pedagogisch-didactisch getuigschrift.",
        ("pdg-wat", "pdg-ho"),
        ("pdg-traject",),
    ),
    (
        "ongegradeerd-traject",
        "Ongegradeerd",
        "Haal een ongegradeerde bevoegdheid",
        24,
        "Voor beroepsgerichte vakken in het vmbo.",
        ("onbevoegd",),
        (),
    ),
    (
        "instructeur-opleiding",
        "Instructeursopleiding",
        "Volg een opleiding tot instructeur",
        12,
        "Voor de praktijkvakken in het mbo.",
        (),
        (),
    ),
    (
        "schoolleider-po-opleiding",
        "Schoolleidersopleiding",
        "Volg een erkende schoolleidersopleiding po",
        18,
        "Daarna registreer je je als schoolleider basisbekwaam.",
        ("schoolleider",),
        (),
    ),
    (
        "schoolleider-vo-cursus",
        "Leergang schoolleider vo",
        "Volg een leergang voor schoolleiders in het vo",
        12,
        "Niet verplicht, wel gebruikelijk.",
        ("schoolleider",),
        (),
    ),
    (
        "schoolleider-mbo-cursus",
        "Leergang schoolleider mbo",
        "Volg een leergang voor schoolleiders in het mbo",
        12,
        "Niet verplicht, wel gebruikelijk.",
        ("schoolleider",),
        (),
    ),
    (
        "middenmanagement-leergang",
        "Leergang middenmanagement",
        "Volg een leergang middenmanagement",
        9,
        "Voor teamleiders en coördinatoren.",
        (),
        (),
    ),
    (
        "onderwijsassistent-mbo",
        "Mbo onderwijsassistent",
        "Volg de mbo-opleiding onderwijsassistent",
        24,
        "Niveau 4, ook verkort te volgen.",
        ("onderwijsassistent",),
        (),
    ),
    (
        "leraarondersteuner-ad",
        "Ad leraarondersteuner",
        "Volg de associate degree leraarondersteuner",
        24,
        "Een tweejarige hbo-opleiding.",
        ("onderwijsassistent",),
        (),
    ),
    (
        "leerlingenzorg-cursus",
        "Cursus leerlingenzorg",
        "Volg een cursus leerlingenzorg",
        6,
        "Over begeleiding en passend onderwijs.",
        ("passend-onderwijs", "speciaal-onderwijs"),
        (),
    ),
    (
        "gastdocent-cursus",
        "Cursus gastdocent",
        "Volg een korte cursus voor gastdocenten",
        1,
        "Didactiek in een paar dagdelen.",
        (),
        (),
    ),
    (
        "bko-traject",
        "BKO-traject",
        "Haal je Basiskwalificatie Onderwijs",
        12,
        "Een portfoliotraject naast je baan als docent.",
        ("pdg-ho",),
        (),
    ),
    (
        "didactiek-ho",
        "Didactiek ho",
        "Volg een didactische training voor het hoger onderwijs",
        3,
        "Voor nieuwe docenten aan hogeschool of universiteit.",
        (),
        (),
    ),
    (
        "ondersteunend-start",
        "Starten als ondersteuner",
        "Start als ondersteunend medewerker",
        1,
        "Een diploma is niet verplicht; de school leidt je in.",
        (),
        (),
    ),
    (
        "coaching",
        "Coaching",
        "Word gecoacht in je eerste jaar",
        12,
        "Een coach van de school begeleidt je.",
        ("startende-leraar",),
        (),
    ),
    ("stage-a", "Stage", "Loop stage op een school", 6, "Een halfjaar praktijkervaring.", (), ()),
    ("stage-b", "Lio-stage", "Doe je lio-stage", 6, "Zelfstandig lesgeven onder begeleiding.", (), ()),
    (
        "assessment",
        "Assessment",
        "Doe een assessment",
        1,
        "Toont welke competenties je al hebt.",
        ("herintreden",),
        (),
    ),
    (
        "werkervaring-a",
        "Werkervaring",
        "Doe werkervaring op in het onderwijs",
        12,
        "Bijvoorbeeld als invaller.",
        (),
        (),
    ),
    (
        "werkervaring-b",
        "Werkervaring (bedrijf)",
        "Doe werkervaring op in je vakgebied",
        24,
        "Nodig voor een instructeursfunctie.",
        (),
        (),
    ),
    (
        "taaltoets",
        "Taaltoets",
        "Haal de taaltoets Nederlands",
        2,
        "Voor wie een diploma uit het buitenland heeft.",
        (),
        ("working-as-a-teacher-in-the-netherlands",),
    ),
]:
    step(_slug, _short, _long, _months, p(_text), faqs=_faqs, articles=_articles)

# Links stored out of order (the junction's sort decides), one to an unpublished FAQ and one to a draft
# article (readers get null for those), and one step without any body.
STEP_LINKS_SORTED = step(
    "zij-instroom-vo",
    "Zij-instroom vo",
    "Volg het zij-instroomtraject voortgezet onderwijs",
    24,
    p(
        "Je werkt als leraar en volgt tegelijk de opleiding; binnen ",
        bold("twee jaar"),
        " haal je je bevoegdheid.",
    ),
    faqs=("zij-instroom-kosten", "concept-zij-instroom", "zij-instroom-wat", "zij-instroom-voorwaarden"),
    articles=("concept-nieuwe-cao-vo", "zij-instromen-als-leraar-in-het-voortgezet-onderwijs"),
    link_sorts=(3, 2, 1, 4, 1, 2),
)
STEP_LINK_ORDER = {
    "faqs": [FAQ_IDS[k] for k in ("zij-instroom-wat", "zij-instroom-kosten", "zij-instroom-voorwaarden")],
    "articles": [ARTICLE_IDS["zij-instromen-als-leraar-in-het-voortgezet-onderwijs"]],
}
step("proefperiode", "Proefperiode", None, 3)

STEPS_BY_SLUG = {s["slug"]: s for s in ROUTE_STEPS}

# --- routes ----------------------------------------------------------------------------------------------

ROUTES: list[Item] = []
ROUTE_REQUIRED: dict[str, list[str]] = {}  # route id -> required answer ids (nulls left out)
ROUTE_STEP_ORDER: dict[str, list[str]] = {}  # route id -> step ids in junction-sort order
_PATHS: set[str] = set()


def route(
    title: str,
    requires: tuple[str, ...],
    steps: tuple[str, ...],
    *,
    months: int | str | None = "sum",
    sort_values: tuple[int, ...] | None = None,
    status: str = "published",
    null_requirement: bool = False,
) -> str:
    """`requires` are answer labels; `steps` step slugs, created in this order with `sort_values` (default
    1..n) as the junction's sort; `months` "sum" adds up the steps' durations."""
    ordered = [s for _, s in sorted(zip(sort_values or range(1, len(steps) + 1), steps, strict=True))]
    slug = "-".join(ordered)
    base, n = slug, 1
    while f"/routes/{slug}" in _PATHS:
        n += 1
        slug = f"{base}-{n}"
    _PATHS.add(f"/routes/{slug}")
    key = sid("route", slug)
    if months == "sum":
        months = sum(STEPS_BY_SLUG[s]["duration_in_months"] or 0 for s in steps)
    junctions: list[dict[str, Any]] = [{"route_answers_id": ANSWER_IDS[a]} for a in requires]
    if null_requirement:
        junctions.append({"route_answers_id": None})
    ROUTES.append(
        {
            "id": key,
            "status": status,
            "title": title,
            "slug": slug,
            "path": f"/routes/{slug}",
            "duration_in_months": months,
            "route_steps": [
                {"route_steps_id": STEP_IDS[s], "sort": n}
                for s, n in zip(steps, sort_values or range(1, len(steps) + 1), strict=True)
            ],
            "requires_answers": junctions,
        }
    )
    ROUTE_REQUIRED[key] = [ANSWER_IDS[a] for a in requires]
    ROUTE_STEP_ORDER[key] = [STEP_IDS[s] for s in ordered]
    return key


# The docs' matching example: answers [A, B, C, D] select a route requiring [A, C] and skip one requiring [A, E].
EXAMPLE_ANSWERS = [ANSWER_IDS[x] for x in (SCHOOL_VO, LERAAR, "Hbo-bachelor", "Tweedegraads bevoegdheid")]
ROUTE_TWO_ANSWERS = route(
    "Zij-instroom tweedegraads met een hbo-bachelor",
    ("Hbo-bachelor", "Tweedegraads bevoegdheid"),
    ("orienteren", "school-vinden", "geschiktheidsonderzoek", "zij-instroom-vo", "bevoegdheid-ontvangen"),
)
ROUTE_TWO_ANSWERS_OTHER = route(
    "Tweedegraads via de educatieve minor",
    ("Wo-master", "Tweedegraads bevoegdheid"),
    ("orienteren", "educatieve-minor", "inductie"),
)
ROUTE_SORT_DIFFERS = route(
    "Zij-instroom in het primair onderwijs met een wo-master",
    ("Wo-master", "Primair onderwijs"),
    # Created in this order, but the junction's sort puts them in the right order:
    ("zij-instroom-po", "orienteren", "bevoegdheid-ontvangen", "school-vinden", "geschiktheidsonderzoek"),
    sort_values=(4, 1, 5, 2, 3),
)
# One real junction row has a null answer: it must neither hide the route nor break the tool.
ROUTE_NULL_REQUIREMENT = route(
    "Pabo in deeltijd met een hbo-bachelor",
    ("Hbo-bachelor", "Primair onderwijs"),
    ("orienteren", "aanmelden-studielink", "pabo-deeltijd", "stage-b", "bevoegdheid-ontvangen"),
    null_requirement=True,
)
ROUTE_NO_DURATION = route(
    "PDG voor docenten met een hbo-bachelor",
    ("Hbo-bachelor", "PDG"),
    ("school-vinden", "pdg-traject", "coaching"),
    months=None,
)
ROUTE_HIDDEN = [route("CONCEPT Route zonder vereisten", (), ("orienteren",), months=6, status="draft")]

# Which steps a qualification's route takes, and the prior-education level its programme starts from.
_LEVEL = {
    "Geen vooropleiding": 0,
    "Praktijkonderwijs": 0,
    "Vmbo-kl": 1,
    "Vmbo-gl": 1,
    "Vmbo-bl": 1,
    "Vmbo-tl/mavo": 2,
    "Mbo entree": 1,
    "Mbo 2": 2,
    "Mbo 3": 3,
    "Havo": 4,
    "Mbo 4": 4,
    "Vwo": 5,
    "Associate degree": 5,
    "Hbo-propedeuse": 5,
    "Hbo-bachelor": 6,
    "Wo-bachelor": 6,
    "Hbo-master": 7,
    "Wo-master": 7,
}
# Steps that bring someone from a level to the next one (alternatives).
_UPGRADE = {
    0: [("vmbo-a",), ("vmbo-b",)],
    1: [("mbo2-a",), ("vmbo-b",)],
    2: [("mbo3-a",), ("havo-a",), ("vavo-a",)],
    3: [("mbo4-a",), ("mbo4-b",), ("mbo4-c",), ("21plus-toets",)],
    4: [("ad-a",), ("vavo-b",), ("havo-b",), ("vwo-a",)],
    5: [("hbo-a",), ("hbo-b",), ("wo-a",)],
    6: [("wo-b",), ("intake", "wo-b")],
}
# qualification -> (entry level, alternative programmes)
_PROGRAMMES: dict[str, tuple[int, list[tuple[str, ...]]]] = {
    "Primair onderwijs": (
        4,
        [
            ("intake", "pabo-verkort"),
            ("toelatingstoetsen-pabo", "pabo-voltijd", "stage-b"),
            ("pabo-deeltijd",),
            ("zij-instroom-po",),
            ("academische-pabo",),
        ],
    ),
    "Tweedegraads bevoegdheid": (
        4,
        [
            ("tweedegraads-voltijd", "stage-a"),
            ("tweedegraads-deeltijd",),
            ("zij-instroom-vo",),
            ("tweedegraads-verkort",),
        ],
    ),
    "Beperkte tweedegraads bevoegdheid": (5, [("educatieve-minor",), ("beperkte-tweedegraads",)]),
    "Eerstegraads bevoegdheid": (
        6,
        [("master-leraar",), ("educatieve-master",), ("zij-instroom-vo", "master-leraar")],
    ),
    "Schoolleiding PO": (
        6,
        [("werkervaring-a", "schoolleider-po-opleiding"), ("schoolleider-po-opleiding",)],
    ),
    "PDG": (3, [("pdg-traject",), ("school-vinden", "pdg-traject")]),
    "Instructeursdiploma": (3, [("werkervaring-b", "instructeur-opleiding"), ("instructeur-opleiding",)]),
    "Ongegradeerde bevoegdheid": (
        4,
        [("ongegradeerd-traject",), ("zij-instroom-mbo", "ongegradeerd-traject")],
    ),
    "Leraar hoger onderwijs" + GEEN_DIPLOMA: (6, [("didactiek-ho",), ("bko-traject",)]),
    "Onderwijsassistent" + GEEN_DIPLOMA: (2, [("onderwijsassistent-mbo",), ("ondersteunend-start",)]),
    "Leraarondersteuner" + GEEN_DIPLOMA: (4, [("leraarondersteuner-ad",), ("ondersteunend-start",)]),
    "Gastdocent" + GEEN_DIPLOMA: (0, [("gastdocent-cursus",), ("assessment", "gastdocent-cursus")]),
}
# The qualifications that need no diploma: a course that fits the role, or simply applying.
_NO_DIPLOMA_PROGRAMMES: dict[str, list[tuple[str, ...]]] = {
    "Leerlingenzorg": [("leerlingenzorg-cursus",), ("solliciteren", "proefperiode")],
    "Middenmanagement": [("middenmanagement-leergang",), ("werkervaring-a", "middenmanagement-leergang")],
    "Schoolleiding vo": [("schoolleider-vo-cursus",), ("werkervaring-a", "schoolleider-vo-cursus")],
    "Schoolleiding mbo": [("schoolleider-mbo-cursus",), ("werkervaring-a", "schoolleider-mbo-cursus")],
    "Ondersteunend personeel": [("ondersteunend-start",), ("solliciteren", "proefperiode")],
}


def _generate_routes() -> None:
    """About one route per (qualification, prior education) pair, some pairs with more variants: steps from
    the prior education up to the programme's entry level, then the programme and a start."""
    rng = random.Random(16)
    done = {tuple(sorted(ROUTE_REQUIRED[r["id"]])) for r in ROUTES}
    education = [label for _, label, _ in ROUTE_STRUCTURE["opleiding"]]
    for _, qualification, needs in ROUTE_STRUCTURE["kwalificatie"]:
        if qualification in _PROGRAMMES:
            entry, programmes = _PROGRAMMES[qualification]
        else:
            entry = 0
            programmes = next(p for k, p in _NO_DIPLOMA_PROGRAMMES.items() if qualification.startswith(k))
        for prior in education:
            variants = 0 if rng.random() < 0.15 else 1 + (rng.random() < 0.35) + (rng.random() < 0.15)
            for variant in range(variants):
                requires = _route_requires(rng, qualification, prior, needs)
                steps = _route_steps(rng, _LEVEL[prior] if len(requires) > 1 else entry, entry, programmes)
                key = tuple(sorted(ANSWER_IDS[a] for a in requires))
                if key in done and variant == 0:
                    continue
                done.add(key)
                route(_route_title(qualification, prior, requires, variant), requires, steps)


def _route_requires(
    rng: random.Random, qualification: str, prior: str, needs: dict[str, list[str]]
) -> tuple[str, ...]:
    roll = rng.random()
    if roll < 0.08:  # a route for any prior education
        return (qualification,)
    if roll < 0.18:
        return (rng.choice(needs["school"]), prior, qualification)
    return (prior, qualification)


def _route_steps(
    rng: random.Random, level: int, entry: int, programmes: list[tuple[str, ...]]
) -> tuple[str, ...]:
    """Steps up from ``level`` to the programme's ``entry`` level, the programme, a start and a finish."""
    upgrade: list[str] = []
    for step in range(level, entry):
        upgrade += rng.choice(_UPGRADE[step])
    programme = rng.choice(programmes)
    start = ["orienteren"] if rng.random() < 0.7 else []
    if rng.random() < 0.3:
        start.append("adviesgesprek" if rng.random() < 0.7 else "meeloopdag")
    if rng.random() < 0.03:
        start.append("taaltoets")
    finish = ["vog-aanvragen"] if rng.random() < 0.4 else []
    if entry >= 3:
        finish.append("bevoegdheid-ontvangen")
    if rng.random() < 0.4:
        finish.append("inductie")
    return tuple(dict.fromkeys([*start, *upgrade, *programme, *finish]))


def _route_title(qualification: str, prior: str, requires: tuple[str, ...], variant: int) -> str:
    title = f"{qualification.split(GEEN_DIPLOMA)[0]} vanuit {prior.lower()}"
    if len(requires) == 1:
        title = f"{qualification.split(GEEN_DIPLOMA)[0]}, met elke vooropleiding"
    elif len(requires) == 3:
        title += f" ({requires[0].split(' (')[0].lower()})"
    if variant:
        title += ", variant " + "abc"[variant]
    return title


_generate_routes()

PUBLISHED_ROUTE_IDS = [r["id"] for r in ROUTES if r["status"] == "published"]


def matching_routes(selected: list[str]) -> list[str]:
    """Published routes whose every required answer is selected (the documented rule), by duration.

    Routes of equal duration come by title (the tool's second sort key); a route without a duration last.
    """
    chosen = set(selected)
    found = [r for r in ROUTES if r["status"] == "published" and set(ROUTE_REQUIRED[r["id"]]) <= chosen]
    found.sort(
        key=lambda r: (r["duration_in_months"] is None, r["duration_in_months"] or 0, r["title"], r["id"])
    )
    return [r["id"] for r in found]


@functools.cache
def widest_answers() -> list[str]:
    """The complete answer set that most routes match (more than are shown with their steps)."""
    return max(complete_answer_sets(), key=lambda answers: len(matching_routes(answers)))


@functools.cache
def no_route_answers() -> list[str]:
    """A complete answer set that no route matches."""
    return next(answers for answers in complete_answer_sets() if not matching_routes(answers))


# ---------------------------------------------------------------------------------------------------
# Load order (after FILES are uploaded)
# ---------------------------------------------------------------------------------------------------

LOAD_ORDER: list[tuple[str, list[Item]]] = [
    ("sectors", SECTORS),
    ("topics", TOPICS),
    ("audiences", AUDIENCES),
    ("phases", PHASES),
    ("roles", ROLES),
    ("qualifications", QUALIFICATIONS),
    ("tracks", TRACKS),
    ("authors", AUTHORS),
    ("sources", SOURCES),
    ("documents", DOCUMENTS),
    ("faqs", FAQS),
    # Block items (callouts, buttons, …) are created nested inside articles.editor_nodes.
    ("articles", ARTICLES),
    ("locations", LOCATIONS),
    ("educational_institutions", INSTITUTIONS),
    ("programs", PROGRAMS),  # program_forms nested (O2M)
    ("areas", AREAS),
    ("opening_hours", OPENING_HOURS),
    ("regional_education_desks", DESKS),
    ("route_questions", ROUTE_QUESTIONS),
    # One batch per question: requires_answers points at answers of earlier questions.
    *[("route_answers", ROUTE_ANSWERS_BY_QUESTION[q]) for q in ROUTE_QUESTION_KEYS],
    ("route_steps", ROUTE_STEPS),
    ("routes", ROUTES),
]
