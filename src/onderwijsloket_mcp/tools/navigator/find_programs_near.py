"""find_programs_near: teacher-training programmes (opleidingen) taught within a radius of a place, nearest first.

Directus path of ``find_programs_near`` in one request (after the one-off, cached look-ups below): the
locations inside the bounding box of the circle (PostGIS ``_intersects_bbox`` on
``locations.location_geopoint``), each with its programmes, their institutions and study forms expanded, and
every programme filter (level, qualification, role, sector, form, words) pushed into the same query, both as a
filter on the locations (``programs.programs_id...``) and as a ``deep`` filter on the expanded programmes.
Exact distances are ours (the box is only a pre-filter); a programme taught at several places counts once,
at its nearest location. When ``location_geopoint`` is not a geometry field here (plain JSON), Directus refuses
the box filter (INVALID_QUERY): the locations' points are then read once (cached) and measured locally, and
the same query asks for the locations in range by id. The refusal is remembered for the cache period.

Cached look-ups (per token, ``ONDERWIJSLOKET_CACHE_TTL``): the taxonomy a filter names, and one sample item
(a location with its programmes and forms) to learn which undocumented fields (``form``, ``title``, ...) and
relations this API has; where a guessed relation is missing, one sample per collection instead.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Annotated, Any, Literal

import anyio
from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from ... import taxonomy
from ...config import PROGRAMS_PATH
from ...errors import InvalidInputError, PermissionDeniedError, QueryRejectedError
from ...geo.geometry import Point, bbox_polygon, bounding_box, distance_km, point_of
from ...render.links import site_page
from ...render.markdown import cap_answer, join_nonempty, md_inline, render_blocks
from ...services import Services
from ...taxonomy import ProgramLevel, StudyFormName
from ...text import clean_query, clean_text, fold
from ...upstream.algolia import SearchUnavailableError, facet_filters
from ...upstream.directus import ItemsResponse, missing_token_error, related
from ...upstream.keyword_search import all_terms_filter, query_terms
from ...upstream.query import Query
from .._common import (
    NextSteps,
    Notes,
    Offset,
    ResolvedFilter,
    TaxonomyValue,
    Tool,
    answer_with_fallback,
    filter_labels,
    filters_text,
    offset_past_end,
    paging_steps,
    resolve_filters,
    showing_note,
    tool_result,
)
from ._access import navigator_denied
from ._place import ResolvedPlace, km, resolve_near
from ._programs import (
    INSTITUTION_FIELDS,
    LEVEL_LABELS,
    LOCATION_FIELDS,
    LocationRef,
    NearestLocation,
    ProgramFields,
    address_line,
    form_labels,
    institutions_of,
    learn_fields,
    location_ref,
    program_link,
    text_or_none,
)

logger = logging.getLogger(__name__)


# Undocumented program_forms fields we use when this API has them (tests/stack/ASSUMPTIONS.md).
OPTIONAL_FORM_FIELDS = ("form", "title")
# Where the words of ``query`` may match, relative to a programme.
PROGRAM_MATCH_FIELDS = (
    "title",
    "type",
    "degree",
    "educational_institutions.educational_institutions_id.title",
    "qualifications.qualifications_id.name",
)
# The point the bounding-box filter and its local fallback read (a module constant, so a test can point it at a
# plain-JSON copy of the points and see Directus refuse the filter).
LOCATION_POINT = "location_geopoint"
# Up to this many location ids go into one filter (a URL of some 4 KB); beyond, all locations are read.
MAX_ID_FILTER = 100
# Locations pages: when the instance caps page sizes, the rest is fetched in parallel, up to this many pages.
MAX_LOCATION_PAGES = 20


class ProgramHit(BaseModel):
    id: str
    title: str
    level: str | None = None
    forms: list[str] = Field(default_factory=list)
    institutions: list[str] = Field(default_factory=list, description="Titles (get_program has the details).")
    location: NearestLocation
    distance_km: float = Field(description="From the searched point to the nearest location, one decimal.")
    locations_in_range: int = Field(default=1, description="How many of its locations lie within the radius.")
    link: str


class ProgramSearchResult(BaseModel):
    """Structured companion of the markdown answer of find_programs_near: the same programmes and hints."""

    near: ResolvedPlace
    radius_km: float
    backend: Literal["directus", "algolia"]
    total: int
    offset: int
    limit: int
    hits: list[ProgramHit]
    filters: dict[str, str] = Field(default_factory=dict)
    notes: Notes = Field(default_factory=list)
    next_steps: NextSteps = Field(default_factory=list)


class ProgramFilters(BaseModel):
    query: str = ""
    level: ProgramLevel | None = None
    qualification: str | None = None
    role: str | None = None
    sector: str | None = None
    form: StudyFormName | None = None


def _unsupported(argument: str, value: str, what: str) -> InvalidInputError:
    return InvalidInputError(
        f"Cannot filter on {argument}='{value}': this Onderwijsloket API does not record {what}. "
        f"Call again without '{argument}'."
    )


class ResolvedFilters(BaseModel):
    """The filters after validation: taxonomy values resolved to terms (same checks on both backends)."""

    model_config = {"arbitrary_types_allowed": True}

    query: str = ""
    terms: list[str] = Field(default_factory=list)
    level: str | None = None
    form: str | None = None
    taxonomy: list[ResolvedFilter] = Field(default_factory=list)

    def labels(self) -> dict[str, str]:
        out: dict[str, str] = {}
        if self.level:
            out["level"] = self.level
        out.update(filter_labels(self.taxonomy))
        if self.form:
            out["form"] = self.form
        if self.query:
            out["query"] = self.query
        return out


# The taxonomy filters of find_programs_near (taxonomy.FILTER_ARGUMENTS), in the order they are listed.
PROGRAM_FILTERS = ("qualification", "role", "sector")


async def resolve_program_filters(svc: Services, filters: ProgramFilters) -> ResolvedFilters:
    """Check every filter value against the live taxonomies (unknown values raise with the valid ones)."""
    return ResolvedFilters(
        query=filters.query,
        terms=query_terms(filters.query) if filters.query else [],
        level=filters.level,
        form=filters.form,
        taxonomy=await resolve_filters(svc, {a: getattr(filters, a) for a in PROGRAM_FILTERS}),
    )


def program_filter(filters: ResolvedFilters, known: ProgramFields) -> dict[str, Any]:
    """A Directus filter on a ``programs`` item for every filter given (an always-true one without any)."""
    clauses: list[dict[str, Any]] = []
    if filters.level:
        clauses.append({"level": {"_eq": filters.level}})
    for f in filters.taxonomy:
        if f.taxonomy not in known.programs:
            raise _unsupported(f.argument, f.term.label, f"the {f.taxonomy} of programmes")
        clauses.append(taxonomy.relation_filter(f.taxonomy, f.term))
    if filters.form:
        if "form" not in known.program_forms:
            raise _unsupported(
                "form", filters.form, "the study form (voltijd/deeltijd/duaal) of programme variants"
            )
        clauses.append({"program_forms": {"form": {"_eq": filters.form}}})
    if filters.terms:
        fields = [f for f in PROGRAM_MATCH_FIELDS if f.split(".")[0] in known.programs]
        clauses.append(all_terms_filter(filters.terms, fields))
    if not clauses:
        return {"id": {"_nnull": True}}
    return clauses[0] if len(clauses) == 1 else {"_and": clauses}


def program_summary_fields(prefix: str, known: ProgramFields) -> list[str]:
    """Fields of a programme for a result line, under ``prefix`` (e.g. ``programs.programs_id.``)."""
    fields = [f"{prefix}{name}" for name in ("id", "title", "path", "level")]
    if "educational_institutions" in known.programs:
        fields += [
            f"{prefix}educational_institutions.educational_institutions_id.{f}" for f in INSTITUTION_FIELDS
        ]
    if "program_forms" in known.programs:
        fields.append(f"{prefix}program_forms.id")
        fields += [f"{prefix}program_forms.{f}" for f in OPTIONAL_FORM_FIELDS if f in known.program_forms]
        if "track" in known.program_forms:
            fields.append(f"{prefix}program_forms.track.name")
    return fields


async def _all_pages(svc: Services, collection: str, query: Query) -> list[dict[str, Any]]:
    """Every item of ``query``; one request unless the instance caps page sizes (then the rest in parallel)."""
    first = await svc.directus.items(collection, query)
    items = list(first.data)
    total = first.total
    page = len(items)
    if total is None or page == 0 or page >= total:
        return items
    offsets = list(range(page, total, page))[: MAX_LOCATION_PAGES - 1]
    pages: dict[int, ItemsResponse] = {}

    async def fetch(offset: int) -> None:
        pages[offset] = await svc.directus.items(
            collection,
            Query(
                fields=query.fields,
                filter=query.filter,
                deep=query.deep,
                sort=query.sort,
                limit=page,
                offset=offset,
            ),
        )

    async with anyio.create_task_group() as group:
        for offset in offsets:
            group.start_soon(fetch, offset)
    for offset in offsets:
        items.extend(pages[offset].data)
    return items


Candidate = tuple[float, LocationRef, Mapping[str, Any]]  # distance, nearest location, the programme


def rank_programs(
    near: ResolvedPlace,
    radius_km: float,
    backend: Literal["directus", "algolia"],
    best: Mapping[str, Candidate],
    in_range: Mapping[str, int],
    filters: ResolvedFilters,
    site_url: str,
    limit: int,
    offset: int,
) -> ProgramSearchResult:
    """Nearest first (then title, id), one page of hits, the exact total."""
    ordered = sorted(best.items(), key=lambda kv: (kv[1][0], fold(str(kv[1][2].get("title"))), kv[0]))
    hits = [
        ProgramHit(
            id=key,
            title=clean_text(program.get("title")),
            level=text_or_none(program.get("level")),
            forms=form_labels(program, site_url),
            institutions=[institution.title for institution in institutions_of(program, site_url)],
            location=NearestLocation(
                title=None if ref.address else ref.title,
                address=ref.address,
                zip=ref.zip,
                city=ref.city,
                lat=ref.lat,
                lng=ref.lng,
            ),
            distance_km=round(distance, 1),
            locations_in_range=max(1, in_range.get(key, 1)),
            link=program_link(program, site_url),
        )
        for key, (distance, ref, program) in ordered[offset : offset + limit]
    ]
    return ProgramSearchResult(
        near=near,
        radius_km=radius_km,
        backend=backend,
        total=len(ordered),
        offset=offset,
        limit=limit,
        hits=hits,
        filters=filters.labels(),
    )


async def find_programs_directus(
    svc: Services, near: ResolvedPlace, radius_km: float, filters: ResolvedFilters, limit: int, offset: int
) -> ProgramSearchResult:
    site = svc.settings.site_url
    try:
        known = await learn_fields(svc)
        if not known.locations or not known.programs:
            # Nothing readable at all (an empty dataset): an honest zero, not an error.
            return rank_programs(near, radius_km, "directus", {}, {}, filters, site, limit, offset)
        if "programs" not in known.locations:
            raise InvalidInputError(
                "This Onderwijsloket API does not link programmes to locations, so programmes cannot be "
                f"searched by distance. Browse {site_page(site, PROGRAMS_PATH)} instead."
            )
        located = await _locations_near(svc, near, radius_km, program_filter(filters, known), known)
    except PermissionDeniedError as exc:
        raise navigator_denied("find_programs_near", exc, site) from exc
    best, in_range = _nearest_sites(located, (near.lat, near.lng), radius_km)
    return rank_programs(near, radius_km, "directus", best, in_range, filters, site, limit, offset)


async def _locations_near(
    svc: Services, near: ResolvedPlace, radius_km: float, match: Mapping[str, Any], known: ProgramFields
) -> list[tuple[dict[str, Any], Point]]:
    """The locations around the point teaching a programme that ``match``es, each with its point: those in
    the circle's bounding box by PostGIS, or, where the point cannot be filtered on, those in the circle by
    our own measure (their points read once and cached)."""
    prefix = "programs.programs_id."

    async def read(where: Mapping[str, Any] | None) -> list[dict[str, Any]]:
        return await _all_pages(
            svc,
            "locations",
            Query(
                fields=(*LOCATION_FIELDS, *program_summary_fields(prefix, known)),
                filter={"_and": [*([where] if where else []), {"programs": {"programs_id": match}}]},
                deep={"programs": {"_limit": -1, "_filter": {"programs_id": match}}},
                sort=("id",),
                limit=-1,
                meta=("filter_count",),
            ),
        )

    if not svc.directus.cache.get(_geometry_filter_key(svc)):
        box = bbox_polygon(bounding_box(near.lat, near.lng, radius_km))
        try:
            boxed = await read({LOCATION_POINT: {"_intersects_bbox": box}})
        except QueryRejectedError as exc:
            if exc.code != "INVALID_QUERY":
                raise
            logger.info(
                "locations.%s cannot be filtered on (%s); measuring locally", LOCATION_POINT, exc.code
            )
            svc.directus.cache.set(_geometry_filter_key(svc), True)
        else:
            return [(loc, point) for loc in boxed if (point := point_of(loc.get(LOCATION_POINT))) is not None]
    points = await _location_points(svc)
    origin: Point = (near.lat, near.lng)
    ids = sorted(key for key, point in points.items() if distance_km(origin, point) <= radius_km)
    if not ids:
        return []
    measured = await read({"id": {"_in": ids}} if len(ids) <= MAX_ID_FILTER else None)
    return [(loc, point) for loc in measured if (point := points.get(str(loc.get("id")))) is not None]


def _nearest_sites(
    located: list[tuple[dict[str, Any], Point]], origin: Point, radius_km: float
) -> tuple[dict[str, Candidate], dict[str, int]]:
    """Each programme's nearest location within the radius, and how many of its locations lie within it."""
    best: dict[str, Candidate] = {}
    in_range: dict[str, int] = {}
    for location, point in located:
        distance = distance_km(origin, point)
        ref = location_ref(location, point)
        if distance > radius_km or ref is None:
            continue  # the box is only a pre-filter: its corners lie outside the circle
        for program in related(location.get("programs"), "programs_id"):
            _consider(best, in_range, program, distance, ref)
    return best, in_range


def _geometry_filter_key(svc: Services) -> tuple[str, ...]:
    return (svc.directus.token_tag, "locations", f"{LOCATION_POINT} is not a geometry")


async def _location_points(svc: Services) -> dict[str, Point]:
    """Every readable location's point, for when it cannot be filtered on (cached per token: ~200 small items)."""
    response = await svc.directus.items_cached(
        "locations", Query(fields=("id", LOCATION_POINT), sort=("id",), limit=-1)
    )
    out: dict[str, Point] = {}
    for item in response.data:
        point = point_of(item.get(LOCATION_POINT))
        if item.get("id") is not None and point is not None:
            out[str(item["id"])] = point
    return out


def _consider(
    best: dict[str, Candidate],
    in_range: dict[str, int],
    program: Mapping[str, Any],
    distance: float,
    ref: LocationRef,
) -> None:
    if program.get("id") is None or not clean_text(program.get("title")):
        return  # unreadable (null) or nameless programmes are not results
    key = str(program["id"])
    in_range[key] = in_range.get(key, 0) + 1
    current = best.get(key)
    if current is None or distance < current[0]:
        best[key] = (distance, ref, program)


# Algolia (reference §3.8): programmes and locations around the point, in one multi-query call ------------

# Algolia pages at most this many hits; more programmes in range than this goes to Directus (exact).
ALGOLIA_MAX_HITS = 1000
ALGOLIA_PROGRAM_ATTRIBUTES = [
    "id",
    "title",
    "path",
    "level",
    "educational_institutions",
    "program_forms.id",
    "program_forms.form",
    "program_forms.title",
    "program_forms.track",
    "locations",
]
ALGOLIA_LOCATION_ATTRIBUTES = [
    "id",
    "title",
    "url",
    "address",
    "zip",
    "city",
    "location_geopoint",
    "programs.id",
]


def algolia_program_requests(
    near: ResolvedPlace, radius_km: float, filters: ResolvedFilters
) -> list[dict[str, Any]]:
    if filters.form:
        # No documented facet holds the study form: Directus filters it exactly.
        raise SearchUnavailableError("no Algolia facet for the study form")
    pairs = [("level", filters.level)] if filters.level else []
    pairs += [(f.facet, f.term.label) for f in filters.taxonomy]
    around = {
        "aroundLatLng": f"{near.lat:.6f},{near.lng:.6f}",
        "aroundRadius": max(1, math.ceil(radius_km * 1000)),
        "getRankingInfo": True,
        "hitsPerPage": ALGOLIA_MAX_HITS,
        "page": 0,
        "attributesToHighlight": [],
    }
    programs: dict[str, Any] = {
        "indexName": "programs",
        "query": " ".join(filters.terms),
        "attributesToRetrieve": ALGOLIA_PROGRAM_ATTRIBUTES,
        **around,
    }
    if filters.terms:
        programs["queryType"] = "prefixAll"
    if pairs:
        programs["filters"] = facet_filters(pairs)
    locations = {
        "indexName": "locations",
        "query": "",
        "filters": "has_programs:true",
        "attributesToRetrieve": ALGOLIA_LOCATION_ATTRIBUTES,
        **around,
    }
    return [programs, locations]


async def find_programs_algolia(
    svc: Services, near: ResolvedPlace, radius_km: float, filters: ResolvedFilters, limit: int, offset: int
) -> ProgramSearchResult:
    program_result, location_result = await svc.algolia.search(
        algolia_program_requests(near, radius_km, filters)
    )
    for result in (program_result, location_result):
        if _nb_hits(result) > len(result.get("hits") or []):
            raise SearchUnavailableError("more hits in range than one Algolia page holds")
    origin: Point = (near.lat, near.lng)
    # Which located sites (with our exact distance) teach each programme, from the locations index.
    sites: dict[str, list[tuple[float, LocationRef]]] = {}
    for record in location_result.get("hits") or []:
        point = point_of(record.get("location_geopoint"))
        ref = location_ref(record, point) if point else None
        if point is None or ref is None:
            continue
        distance = distance_km(origin, point)
        if distance > radius_km:
            continue
        for program in record.get("programs") or []:
            if isinstance(program, Mapping) and program.get("id") is not None:
                sites.setdefault(str(program["id"]), []).append((distance, ref))
    best: dict[str, Candidate] = {}
    in_range: dict[str, int] = {}
    for record in program_result.get("hits") or []:
        if record.get("id") is None:
            continue
        found = sites.get(str(record["id"])) or _embedded_sites(record, origin, radius_km)
        for distance, ref in found:
            _consider(best, in_range, record, distance, ref)
    return rank_programs(
        near, radius_km, "algolia", best, in_range, filters, svc.settings.site_url, limit, offset
    )


def _embedded_sites(
    record: Mapping[str, Any], origin: Point, radius_km: float
) -> list[tuple[float, LocationRef]]:
    """The programme's own embedded locations, when the locations index did not list it."""
    out: list[tuple[float, LocationRef]] = []
    for location in record.get("locations") or []:
        if not isinstance(location, Mapping):
            continue
        point = point_of(location.get("location_geopoint"))
        ref = location_ref(location, point) if point else None
        if point is not None and ref is not None:
            distance = distance_km(origin, point)
            if distance <= radius_km:
                out.append((distance, ref))
    return out


def _nb_hits(result: Mapping[str, Any]) -> int:
    value = result.get("nbHits")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# --------------------------------------------------------------------------------------------------------
# Markdown


def _where(result: ProgramSearchResult) -> str:
    near = result.near
    return f"{result.radius_km:g} km of {near.name}"


def format_program_hit(number: int, hit: ProgramHit) -> str:
    facts = join_nonempty(
        [
            LEVEL_LABELS.get(hit.level or "", hit.level) if hit.level else None,
            ", ".join(hit.forms) if hit.forms else None,
            ", ".join(md_inline(title) for title in hit.institutions) if hit.institutions else None,
        ]
    )
    where = f"{md_inline(address_line(hit.location))} — {km(hit.distance_km)}"
    if hit.locations_in_range > 1:
        where += f" (nearest of {hit.locations_in_range} locations in range)"
    lines = [f"{number}. **{md_inline(hit.title)}**" + (f" — {facts}" if facts else ""), f"   {where}"]
    lines.append(f"   ID: {hit.id} · {hit.link}")
    return "\n".join(lines)


PROGRAM_DETAILS_STEP = (
    "Details of one programme (forms, all locations, qualifications): get_program with its ID."
)


def program_search_guidance(result: ProgramSearchResult, site_url: str) -> ProgramSearchResult:
    """The result with its notes (an ambiguous place) and next steps (paging, details, what to try)."""
    notes = [f"Place: {result.near.note}."] if result.near.alternatives else []
    steps = paging_steps(total=result.total, offset=result.offset, shown=len(result.hits), limit=result.limit)
    if result.hits:
        steps.append(PROGRAM_DETAILS_STEP)
    elif not steps:
        advice = (
            "drop a filter or widen radius_km (up to 250)"
            if result.filters
            else "widen radius_km (up to 250)"
        )
        steps.append(f"Try to {advice}, or browse {site_page(site_url, PROGRAMS_PATH)}.")
    return result.model_copy(update={"notes": notes, "next_steps": steps})


def format_program_search(result: ProgramSearchResult) -> str:
    """The markdown of a result with its guidance (see program_search_guidance)."""
    near = result.near
    filters = filters_text(result.filters)
    resolved = f"Place: {near.note or near.name}."
    if not result.hits:
        if result.total and result.offset >= result.total:
            return render_blocks(
                [resolved, offset_past_end(total=result.total, offset=result.offset, noun="programmes")]
            )
        searched = f"within {_where(result)}" + (f" with {filters}" if filters else "")
        return render_blocks([f"No programmes found {searched}. {resolved}", *result.next_steps])
    header = f"## Programmes within {_where(result)}"
    summary = f"{result.total} programme{'s' if result.total != 1 else ''} found, nearest first"
    summary += f" (filters: {filters})." if filters else "."
    lines = [format_program_hit(n, hit) for n, hit in enumerate(result.hits, start=result.offset + 1)]
    shown = showing_note(total=result.total, offset=result.offset, shown=len(result.hits), noun="programmes")
    paging = [step for step in result.next_steps if step != PROGRAM_DETAILS_STEP]
    return cap_answer(
        render_blocks(
            [
                header,
                f"{resolved} {summary}",
                "\n".join(lines),
                " ".join([shown, *paging]),
                PROGRAM_DETAILS_STEP,
            ]
        )
    )


# --------------------------------------------------------------------------------------------------------
# Tools


async def search_programs(
    svc: Services, near: ResolvedPlace, radius_km: float, filters: ProgramFilters, limit: int, offset: int
) -> ProgramSearchResult:
    """Algolia when configured and available (ONDERWIJSLOKET_SEARCH_BACKEND auto/algolia), else Directus."""
    resolved = await resolve_program_filters(svc, filters)
    return await answer_with_fallback(
        "find_programs_near",
        svc,
        lambda: find_programs_algolia(svc, near, radius_km, resolved, limit, offset),
        lambda: find_programs_directus(svc, near, radius_km, resolved, limit, offset),
    )


async def find_programs_near(
    near: Annotated[
        str,
        Field(
            description="Where to search around: a Dutch place or municipality ('Utrecht', 'Den Bosch', "
            "\"'s-Gravenhage\"), a postcode ('3511', '3511 AB') or 'lat,lng' ('52.09,5.12').",
            min_length=1,
            max_length=200,
        ),
    ],
    ctx: Context[Services, Any],
    radius_km: Annotated[float, Field(ge=1, le=250, description="Search radius in kilometres (1-250).")] = 25,
    query: Annotated[
        str | None,
        Field(
            description="Words that must all occur in the programme's title, type, degree, institution or "
            "qualification, e.g. 'pabo', 'wiskunde', 'Hogeschool Utrecht'.",
            max_length=200,
        ),
    ] = None,
    level: Annotated[
        ProgramLevel | None, Field(description="Only programmes of this level, e.g. 'bachelor' or 'master'.")
    ] = None,
    qualification: Annotated[
        TaxonomyValue | None,
        Field(description="Only programmes leading to this teaching qualification, e.g. 'Tweedegraads'."),
    ] = None,
    role: Annotated[
        TaxonomyValue | None,
        Field(description="Only programmes preparing for this role, e.g. 'Leraar basisonderwijs'."),
    ] = None,
    sector: Annotated[
        TaxonomyValue | None,
        Field(description="Only programmes for this sector, e.g. 'primair onderwijs', 'vo', 'mbo'."),
    ] = None,
    form: Annotated[
        StudyFormName | None,
        Field(description="Only programmes offered in this study form: voltijd, deeltijd or duaal."),
    ] = None,
    limit: Annotated[int, Field(ge=1, le=50, description="How many programmes to return (1-50).")] = 10,
    offset: Offset = 0,
) -> Annotated[CallToolResult, ProgramSearchResult]:
    """Find teacher-training and other education programmes (opleidingen) taught within a radius of a Dutch
    place, nearest first: e.g. "which pabo programmes are within 40 km of Utrecht?".

    Use it when a person asks where they can study or train for a job in education near somewhere. Each
    result has the programme, level, study forms (voltijd/deeltijd/duaal), institution, the nearest location's
    address and distance in km, its ID (for get_program) and a link. Says the total and how to page.
    """
    svc = Services.of(ctx)
    if not svc.directus.has_token:
        raise missing_token_error()
    filters = ProgramFilters(
        query=clean_query(query, required=False),
        level=level,
        qualification=qualification,
        role=role,
        sector=sector,
        form=form,
    )
    place = await resolve_near(svc, near)
    found = await search_programs(svc, place, radius_km, filters, limit, offset)
    result = program_search_guidance(found, svc.settings.site_url)
    return tool_result(format_program_search(result), result)


TOOL = Tool(
    name="find_programs_near",
    title="Find education programmes near a place",
    summary="education programmes (opleidingen) within a radius of a Dutch place or postcode.",
    handler=find_programs_near,
)
