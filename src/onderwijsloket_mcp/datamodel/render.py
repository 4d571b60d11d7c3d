"""The data model as markdown for the resources: the overview, one collection, the policies, the glossary and
one taxonomy. Every rendering says which source of the schema it shows and why (see :mod:`.load`).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from ..errors import (
    InvalidInputError,
)
from ..render.links import site_link
from ..render.markdown import cap_answer, md_inline
from ..taxonomy import TAXONOMIES, Term
from ..text import clean_text
from .catalogue import (
    DOCUMENTED,
    FAMILIES,
    GLOSSARY,
    HOW_TO_REQUEST,
    POLICIES,
    SYSTEM_NOTES,
    doc_of,
    family_of,
)
from .load import bundled_snapshot
from .model import CollectionInfo, FieldInfo, Relation, SchemaModel

SCHEMA_URI = "onderwijsloket://schema"
COLLECTION_URI = "onderwijsloket://schema/{collection}"
PERMISSIONS_URI = "onderwijsloket://permissions"
GLOSSARY_URI = "onderwijsloket://glossary"
TAXONOMY_URI = "onderwijsloket://taxonomy/{name}"

MAX_NOTE_CHARS = 160
MAX_CHOICES = 20
MAX_REFERRERS = 25
MAX_TERMS = 300


# -- overview -------------------------------------------------------------------------------------------


def source_line(model: SchemaModel, ttl: float, *, choices_shown: bool = True) -> str:
    cached = f" Cached for {ttl:g} s." if ttl > 0 else ""
    if model.source == "schema-endpoints":
        return (
            "Source: live, from Directus's schema endpoints (/collections, /fields, /relations) for this "
            f"token, which list what it may read.{cached}"
        )
    if model.source == "openapi":
        text = (
            "Source: live, from the OpenAPI document for this token (/server/specs/oas), which lists only what "
            f"this token may read; types are OpenAPI types.{cached}"
        )
        if model.choices_from_snapshot and choices_shown:
            text += " Field choices come from the bundled snapshot (OpenAPI has none)."
        return text
    version = f", Directus {model.directus_version}" if model.directus_version else ""
    return (
        f"Source: the bundled snapshot (the test stack's schema{version}), not live, because {model.reason}. "
        "Production may differ and has more collections (media, schools, statistics)."
    )


def render_overview(model: SchemaModel, ttl: float) -> str:
    lines = ["# Onderwijsloket data model", "", source_line(model, ttl), ""]
    if model.live:
        lines.append(
            "✓ readable with this token · ✗ not readable with this token. [Policy] = needs that additional "
            f"policy ({PERMISSIONS_URI})."
        )
    else:
        lines.append(f"[Policy] = needs that additional policy ({PERMISSIONS_URI}).")
    lines.append(
        f"Fields and relations of one collection: {SCHEMA_URI}/{{collection}}. Read items with "
        "GET /items/{collection}."
    )
    for family in FAMILIES:
        lines += ["", f"## {family.title} — {family.summary}"]
        for doc in family.collections:
            present = doc.name in model.collections
            mark = ("✓ " if present else "✗ ") if model.live else ""
            policy = f" [{doc.policy}]" if doc.policy else ""
            missing = "" if present or model.live else " (not in the snapshot)"
            lines.append(f"- {mark}`{doc.name}`{policy} — {doc.purpose}{missing}")
    other = [info for name, info in model.collections.items() if name not in DOCUMENTED and not info.junction]
    if other:
        lines += ["", "## Other collections"]
        for info in other:
            purpose = _short(info.note) or "no description"
            lines.append(f"- {'✓ ' if model.live else ''}`{info.name}` — {purpose}")
    junctions = [name for name, info in model.collections.items() if info.junction]
    if junctions:
        lines += [
            "",
            f"## Junctions ({len(junctions)}) — M2M/M2A helper collections; read them through the parent's field",
            ", ".join(junctions),
        ]
    lines += ["", "## System", *(f"- {note}" for note in SYSTEM_NOTES)]
    return cap_answer("\n".join(lines))


# -- one collection -------------------------------------------------------------------------------------


def resolve_collection(model: SchemaModel, name: str) -> str:
    """The collection name a URI meant; InvalidInputError (with suggestions) when unknown."""
    wanted = clean_text(name).lower()
    snapshot = bundled_snapshot()
    known = sorted(set(model.collections) | set(snapshot.collections) | set(DOCUMENTED))
    if wanted in known:
        return wanted
    # Fuzzy matching costs time in the length of the input: a URI can carry megabytes, a name at most 64.
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6) if len(wanted) <= 64 else []
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise InvalidInputError(
        f"Unknown collection '{md_inline(name)[:60]}'.{hint} The list is in {SCHEMA_URI}; "
        f"junctions included, e.g. {SCHEMA_URI}/articles_topics."
    )


def render_collection(model: SchemaModel, name: str, ttl: float) -> str:
    name = resolve_collection(model, name)
    doc = doc_of(name)
    family = family_of(name)
    info = model.collections.get(name)
    shown_model = model
    lines = [f"# Collection `{name}`", ""]
    purpose = doc.purpose if doc else (_short(info.note) if info else "")
    facts = [f for f in (family.title if family else None, purpose) if f]
    if doc and doc.policy:
        facts.append(f"needs the {doc.policy} policy ({PERMISSIONS_URI})")
    if info and info.junction:
        facts.append("junction (helper) collection")
    if facts:
        lines.append(" · ".join(facts))
    choices_shown = info is not None and any(f.choices for f in info.fields)
    lines.append(source_line(model, ttl, choices_shown=choices_shown))
    if info is None:
        snapshot = bundled_snapshot()
        hint = f" It needs the {doc.policy} policy." if doc and doc.policy else ""
        if model.live:
            lines.append(
                f"Not readable with this token, or not in this deployment (Directus does not say which).{hint}"
            )
        info = snapshot.collections.get(name)
        shown_model = snapshot
        if info is None:
            lines.append(
                "Its fields are not in the bundled snapshot either; the documented purpose is above."
            )
            return "\n".join(lines)
        if model.live:
            lines.append("Fields below are from the bundled snapshot (the test stack's schema), not live.")
    lines += ["", f"## Fields ({len(info.fields)})"]
    lines += [_field_line(f) for f in info.fields]
    hints = _query_hints(shown_model, info)
    if hints:
        lines += ["", "## Query hints", *hints]
    referrers = shown_model.referrers(name)
    if referrers:
        shown = ", ".join(
            f"`{c}.{f.name}` ({f.relation.kind if f.relation else '?'})" for c, f in referrers[:MAX_REFERRERS]
        )
        more = f" and {len(referrers) - MAX_REFERRERS} more" if len(referrers) > MAX_REFERRERS else ""
        lines += ["", f"Referenced by: {shown}{more}."]
    return cap_answer("\n".join(lines))


def _field_line(f: FieldInfo) -> str:
    parts = [f"- `{f.name}` {f.type}"]
    if f.primary_key:
        parts.append(", primary key")
    if f.relation is not None:
        parts.append(f", {_relation_text(f.relation)}")
    if f.choices:
        shown = " | ".join(f.choices[:MAX_CHOICES])
        more = f" | … ({len(f.choices)} in all)" if len(f.choices) > MAX_CHOICES else ""
        parts.append(f"; choices: {shown}{more}")
    note = _short(f.note)
    if note:
        parts.append(f" — {note}")
    return "".join(parts)


def _relation_text(rel: Relation) -> str:
    if rel.kind in ("m2o", "file"):
        return f"{rel.kind} → `{rel.target}`"
    if rel.kind == "o2m":
        if rel.target is None:
            return "o2m → (related collection not readable with this token)"
        back = f"`{rel.target}.{rel.back_field}`" if rel.back_field else f"`{rel.target}`"
        return f"o2m ← {back}"
    if rel.kind == "m2m":
        target = f"`{rel.target}`" if rel.target else "(target not readable)"
        return f"m2m → {target} via `{rel.junction}` ({rel.back_field} ↔ {rel.junction_field})"
    targets = ", ".join(rel.targets)
    if rel.kind == "m2a":
        return f"m2a → {targets} via `{rel.junction}` ({rel.back_field}, collection, {rel.junction_field})"
    return f"m2a item → {targets} (the `collection` field says which)"


def _label_field(model: SchemaModel, collection: str | None) -> str:
    info = model.collections.get(collection or "")
    if info is None:
        return "id"
    for candidate in ("title", "name", "question", "first_name"):
        if info.field(candidate) is not None:
            return candidate
    return "id"


def _query_hints(model: SchemaModel, info: CollectionInfo) -> list[str]:
    if info.junction:
        return []
    hints: list[str] = []
    m2m = next(
        (f for f in info.fields if f.relation and f.relation.kind == "m2m" and f.relation.target), None
    )
    if m2m and m2m.relation:
        label = _label_field(model, m2m.relation.target)
        path = f"{m2m.name}.{m2m.relation.junction_field}"
        hints.append(
            f'- M2M: `fields=*,{path}.{label}`; filter `{{"{m2m.name}":{{"{m2m.relation.junction_field}":{{"{label}":{{"_eq":"…"}}}}}}}}`'
        )
    m2o = next((f for f in info.fields if f.relation and f.relation.kind == "m2o"), None)
    if m2o and m2o.relation:
        hints.append(f"- M2O: `fields=*,{m2o.name}.{_label_field(model, m2o.relation.target)}`")
    m2a = next(
        (f for f in info.fields if f.relation and f.relation.kind == "m2a" and f.relation.targets), None
    )
    if m2a and m2a.relation:
        first = m2a.relation.targets[0]
        hints.append(
            f"- M2A: `fields={m2a.name}.collection,{m2a.name}.{m2a.relation.junction_field}:{first}.*`"
        )
    if any(f.name == "status" for f in info.fields):
        hints.append("- API tokens only see `status = published` items.")
    return hints


def _short(text: str) -> str:
    text = md_inline(text)
    return text if len(text) <= MAX_NOTE_CHARS else text[: MAX_NOTE_CHARS - 1].rstrip() + "…"


# -- permissions and glossary ---------------------------------------------------------------------------


def render_permissions(model: SchemaModel | None, ttl: float) -> str:
    lines = [
        "# Onderwijsloket API permissions",
        "",
        "Access is granted per policy on your static token. Base policies come with every token; the others "
        "are added on request.",
        "",
        "| policy | grants | eligibility |",
        "| --- | --- | --- |",
    ]
    for policy in POLICIES:
        eligibility = policy.eligibility if policy.additional else "base (every token)"
        lines.append(f"| {policy.name} | {policy.grants} | {eligibility} |")
    lines += ["", "## How to request", HOW_TO_REQUEST]
    lines += ["", "## This token"]
    if model is None or not model.live:
        reason = model.reason if model is not None else "the server could not check"
        lines.append(f"Not checked: {reason}.")
    else:
        lines.append(source_line(model, ttl))
        for policy_name in ("Navigator", "Scholen op de kaart", "Read stats"):
            names = [name for name, (_, doc) in DOCUMENTED.items() if doc.policy == policy_name]
            readable = [n for n in names if n in model.collections]
            if len(readable) == len(names):
                status = "readable"
            elif readable:
                status = f"partly readable ({', '.join(readable)})"
            else:
                status = "not readable"
            lines.append(f"- {policy_name} collections ({', '.join(names)}): {status}.")
        lines.append(
            "- HOVI, KiesMBO: row-level (vendor) access; not visible in the schema. Algolia token: the search "
            "tools check it."
        )
    return "\n".join(lines)


def render_glossary() -> str:
    lines = [
        "# Onderwijsloket glossary",
        "",
        "Content is Dutch; search in Dutch. Collection and field names in `code`.",
        "",
        "| Dutch | English | meaning |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {e.dutch} | {e.english} | {e.meaning} |" for e in GLOSSARY]
    return "\n".join(lines)


# -- taxonomy -------------------------------------------------------------------------------------------


def resolve_taxonomy(name: str) -> str:
    wanted = clean_text(name).lower()
    if wanted in TAXONOMIES:
        return wanted
    if wanted + "s" in TAXONOMIES:
        return wanted + "s"
    raise InvalidInputError(
        f"Unknown taxonomy '{md_inline(name)[:60]}'. Use one of: {', '.join(TAXONOMIES)}, "
        f"e.g. {TAXONOMY_URI.replace('{name}', 'topics')}."
    )


def render_taxonomy(name: str, terms: list[Term], site_url: str, used_by: Sequence[str]) -> str:
    """One taxonomy's terms; ``used_by`` names the tools whose filter argument takes them."""
    spec = TAXONOMIES[name]
    argument = f"`{spec.argument}` ({', '.join(used_by)})" if used_by else "a filter argument"
    lines = [
        f"# Taxonomy `{name}` — {spec.description}",
        "",
        f"Live from `{spec.collection}` ({len(terms)} terms readable with this token). Pass a label, slug or id "
        f"as {argument}.",
        "",
    ]
    for term in terms[:MAX_TERMS]:
        extra = [f"id `{term.id}`"]
        if term.slug:
            extra.append(f"slug `{term.slug}`")
        link = site_link(term.path, site_url)
        if link:
            extra.append(link)
        lines.append(f"- {md_inline(term.label)} — {' · '.join(extra)}")
    if len(terms) > MAX_TERMS:
        lines.append(f"… and {len(terms) - MAX_TERMS} more.")
    if not terms:
        lines.append("No terms are readable with this token.")
    return cap_answer("\n".join(lines))
