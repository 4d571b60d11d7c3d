"""What find_programs_near and get_program share: the programme's parts as both tools show them (institutions,
locations, study forms, links), parsed from API items or Algolia records, and which optional fields and relations
this API has.

Nothing about an item's shape is trusted; unreadable relations arrive as null. Which undocumented fields
(``form``, ``title``, ...) and relations this API has is learned from one sample item (a location with its
programmes and forms), cached per token (``ONDERWIJSLOKET_CACHE_TTL``); where a guessed relation is missing,
from one sample per collection instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, get_args

from pydantic import BaseModel, Field

from ...config import PROGRAMS_PATH
from ...errors import PermissionDeniedError
from ...geo.geometry import Point, point_of
from ...render.links import site_link, site_page
from ...render.markdown import join_nonempty
from ...render.richtext import render_markdown
from ...services import Services
from ...taxonomy import StudyFormName
from ...text import clean_text
from ...upstream.query import Query

LEVEL_LABELS: dict[str, str] = {
    "mbo": "mbo",
    "bachelor": "bachelor",
    "master": "master",
    "phd": "PhD",
    "post-graduate": "post-graduate",
    "preparatory": "preparatory (pre-master/propedeuse)",
    "associate": "associate degree",
}

INSTITUTION_FIELDS = ("id", "title", "path", "type")
LOCATION_FIELDS = ("id", "title", "url", "address", "zip", "city", "location_geopoint")
# Study forms are listed in this order (voltijd, deeltijd, duaal); unknown ones after them.
FORM_ORDER = {form: i for i, form in enumerate(get_args(StudyFormName))}


# --------------------------------------------------------------------------------------------------------
# Models (the structured side of every answer)


class InstitutionRef(BaseModel):
    id: str
    title: str
    type: str | None = None
    link: str | None = None


class LocationRef(BaseModel):
    id: str
    title: str | None = None
    address: str | None = None
    zip: str | None = None
    city: str | None = None
    lat: float | None = None
    lng: float | None = None
    url: str | None = None
    distance_km: float | None = None


class NearestLocation(BaseModel):
    """Where a search hit is taught nearest to the searched point."""

    title: str | None = Field(default=None, description="Only when the address is unknown.")
    address: str | None = None
    zip: str | None = None
    city: str | None = None
    lat: float | None = None
    lng: float | None = None


class StudyForm(BaseModel):
    id: str
    form: str | None = None
    title: str | None = None
    track: str | None = None
    url: str | None = None
    description_markdown: str | None = None
    description_shortened: bool = Field(default=False, description="Cut to fit: the rest is at its url.")


# --------------------------------------------------------------------------------------------------------
# Parsing API items (nothing about their shape is trusted; unreadable relations arrive as null)


def text_or_none(value: object) -> str | None:
    return clean_text(value) or None


def institution_ref(item: Mapping[str, Any], site_url: str) -> InstitutionRef | None:
    title = clean_text(item.get("title"))
    if item.get("id") is None or not title:
        return None
    return InstitutionRef(
        id=str(item["id"]),
        title=title,
        type=text_or_none(item.get("type")),
        link=site_link(item.get("path"), site_url),
    )


def institutions_of(program: Mapping[str, Any], site_url: str) -> list[InstitutionRef]:
    """Institutions from Directus junction rows (``educational_institutions_id``) or flat Algolia objects."""
    out: list[InstitutionRef] = []
    rows = program.get("educational_institutions")
    for row in rows if isinstance(rows, list) else []:
        target = row.get("educational_institutions_id", row) if isinstance(row, Mapping) else None
        ref = institution_ref(target, site_url) if isinstance(target, Mapping) else None
        if ref is not None and all(ref.id != seen.id for seen in out):
            out.append(ref)
    return out


def location_ref(item: Mapping[str, Any], point: Point | None = None) -> LocationRef | None:
    if item.get("id") is None:
        return None
    point = point or point_of(item.get("location_geopoint"))
    return LocationRef(
        id=str(item["id"]),
        title=text_or_none(item.get("title")),
        address=text_or_none(item.get("address")),
        zip=text_or_none(item.get("zip")),
        city=text_or_none(item.get("city")),
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        url=text_or_none(item.get("url")),
    )


def study_form(item: object, site_url: str, *, with_description: bool) -> StudyForm | None:
    if not isinstance(item, Mapping) or item.get("id") is None:
        return None
    track = item.get("track")
    description = None
    if with_description and item.get("description"):
        description = render_markdown(item.get("description"), site_url=site_url, heading_offset=3) or None
    return StudyForm(
        id=str(item["id"]),
        form=text_or_none(item.get("form")),
        title=text_or_none(item.get("title")),
        track=text_or_none(track.get("name")) if isinstance(track, Mapping) else None,
        url=text_or_none(item.get("url")),
        description_markdown=description,
    )


def form_label(form: StudyForm) -> str | None:
    return form.form or form.title or form.track


def form_labels(program: Mapping[str, Any], site_url: str) -> list[str]:
    labels: list[str] = []
    forms = program.get("program_forms")
    for item in forms if isinstance(forms, list) else []:
        parsed = study_form(item, site_url, with_description=False)
        label = form_label(parsed) if parsed else None
        if label and label not in labels:
            labels.append(label)
    return sorted(labels, key=lambda label: (FORM_ORDER.get(label, len(FORM_ORDER)), label))


def program_link(program: Mapping[str, Any], site_url: str) -> str:
    return site_link(program.get("path"), site_url) or site_page(site_url, PROGRAMS_PATH)


def address_line(location: LocationRef | NearestLocation) -> str:
    """ "Padualaan 97, 3584 CH Utrecht" from whatever parts are known (title when there is no address)."""
    place = join_nonempty([location.zip, location.city], " ")
    line = join_nonempty([location.address, place], ", ")
    return line or location.title or "address unknown"


# --------------------------------------------------------------------------------------------------------
# Which optional fields and relations this API has


async def readable_fields(svc: Services, collection: str) -> frozenset[str]:
    """Field names of ``collection`` this token reads, from one sample item (cached per token).

    Lets us use undocumented fields only where the API really has them, and turn "no such field" into a clear
    message instead of a FORBIDDEN for the whole query. An empty collection yields no fields.
    """
    client = svc.directus
    response = await client.items_cached(collection, Query(fields=("*",), limit=1))
    return frozenset(response.data[0]) if response.data else frozenset()


class ProgramFields(BaseModel):
    """Which optional fields and relations this API has (learned from sample items, cached per token)."""

    locations: frozenset[str]
    programs: frozenset[str]
    program_forms: frozenset[str]


async def learn_fields(svc: Services, *, locations: bool = True) -> ProgramFields:
    """Learn the fields in one request where the documented relations exist, else one per collection; what is
    learned is kept for the cache period, so a token refused the single request does not send it again."""

    async def learn() -> ProgramFields:
        learned = await _fields_from_one_sample(svc, locations=locations)
        if learned is not None:
            return learned
        program_fields = await readable_fields(svc, "programs")
        form_fields: frozenset[str] = frozenset()
        if "program_forms" in program_fields:
            form_fields = await readable_fields(svc, "program_forms")
        location_fields = await readable_fields(svc, "locations") if locations else frozenset()
        return ProgramFields(locations=location_fields, programs=program_fields, program_forms=form_fields)

    fields: ProgramFields = await svc.directus.cache.get_or_fetch(
        (svc.directus.token_tag, "program-fields", locations), learn
    )
    return fields


async def _fields_from_one_sample(svc: Services, *, locations: bool) -> ProgramFields | None:
    """One sample (a location with its programmes and their forms, or a programme with its forms).

    ``None`` when that cannot tell: a guessed relation is missing (Directus answers FORBIDDEN for the whole
    query) or the sample has nothing nested to learn from. The caller then asks collection by collection.
    """
    if locations:
        fields: tuple[str, ...] = ("*", "programs.programs_id.*", "programs.programs_id.program_forms.*")
        linked: dict[str, Any] = {"programs": {"programs_id": {"id": {"_nnull": True}}}}
        collection = "locations"
    else:
        fields = ("*", "program_forms.*")
        linked = {"program_forms": {"id": {"_nnull": True}}}
        collection = "programs"
    try:
        response = await svc.directus.items(collection, Query(fields=fields, filter=linked, limit=1))
    except PermissionDeniedError:
        return None
    if not response.data:
        return None
    root = response.data[0]
    programs = (
        [row.get("programs_id") for row in root.get("programs") or [] if isinstance(row, Mapping)]
        if locations
        else [root]
    )
    program_items = [p for p in programs if isinstance(p, Mapping)]
    forms = [f for p in program_items for f in p.get("program_forms") or [] if isinstance(f, Mapping)]
    if not program_items or not forms:
        return None
    return ProgramFields(
        locations=frozenset(root) if locations else frozenset(),
        programs=frozenset(k for p in program_items for k in p),
        program_forms=frozenset(k for f in forms for k in f),
    )
