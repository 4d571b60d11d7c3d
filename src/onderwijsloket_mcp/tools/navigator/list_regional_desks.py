"""list_regional_desks: the regional education desks (regioloketten) and the areas they serve.

Every argument is answered from Directus, on every search backend (ONDERWIJSLOKET_SEARCH_BACKEND only changes
the FAQ, article and programme searches). Algolia cannot intersect polygons: the desk index ranks by a grid of
``_geoloc`` points over each area (reference §3.6: "a workaround because Algolia cannot intersect polygons"), and it
lacks the contact details and consultation texts.

Areas overlap heavily (3–6 desks contain any big city; nationwide desks contain every point), so ``near`` lists
the local desks first, smallest area first, then the nationwide ones, and says how many desks cover the place.

- ``near``: one small request for the ids of the desks whose area contains the point (PostGIS ``_intersects``
  on ``areas.area_bounds`` through the desk's ``area`` many-to-one), sector filter included; the desks
  themselves come from the cached desk list (with area outlines, read once per token and cache period). When no
  area contains the point, that list gives each area's distance. When ``area_bounds`` is not a geometry field
  here, Directus refuses the filter (INVALID_QUERY); containment is then tested on the cached outlines as well,
  and the refusal is remembered for the cache period.
- ``region``: ``regions`` is a JSON array, which Directus cannot search inside (``_icontains`` on a json field
  answers INVALID_QUERY, checked on Directus 11.17). Desks are few (52), so the list is read once per token and
  cache period and matched here, case- and diacritics-insensitively. A name no desk lists is geocoded and
  answered as ``near``.
- ``sector``: resolved against the sectors taxonomy; pushed into the query on the ``near`` path and applied to
  the cached list otherwise.
"""

from __future__ import annotations

import difflib
import logging
from typing import Annotated, Any, Literal, NamedTuple

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult
from pydantic import BaseModel, Field

from ... import taxonomy
from ...config import ADVICE_CALL_URL, DESKS_PATH
from ...errors import InvalidInputError, PermissionDeniedError, QueryRejectedError
from ...geo.geocoder import GeocodingError
from ...geo.geometry import (
    Point,
    distance_km,
    distance_to_rings_km,
    geojson_point,
    inside_rings,
)
from ...render.links import site_page
from ...render.markdown import cap_answer, join_nonempty, md_inline, md_link, render_blocks
from ...render.richtext import render_one_line
from ...services import Services
from ...text import clean_text, fold
from ...upstream.directus import missing_token_error
from ...upstream.query import Query, all_but_root
from .._common import (
    NextSteps,
    Notes,
    Offset,
    TaxonomyValue,
    Tool,
    filters_text,
    offset_past_end,
    paging_steps,
    showing_note,
    tool_result,
)
from . import _desks
from ._access import navigator_denied
from ._desks import DESK_FIELDS, Desk, DeskRow, desk_row
from ._place import ResolvedPlace, km, resolve_near

logger = logging.getLogger(__name__)


# Per-desk text shrinks as more desks are listed, so a default page stays near the default answer budget.
CONSULTATION_CHARS = (90, 400)
CITIES_SHOWN = (4, 10)
# Up to this many desks, secondary details (links with their URLs, activities, privacy policy) are shown too.
FULL_DETAIL_DESKS = 3
# Beyond this many desks, the consultation text is left out (whether there are consultations, and the booking
# link, stay): a page of ten stays near the default answer budget.
CONSULTATION_TEXT_DESKS = 5


def advice_call(site_url: str) -> str:
    """The national Onderwijsloket's own advice call, offered beside the regional desks."""
    return (
        "Want advice from the national Onderwijsloket instead? Onderwijsloket itself (not a regional desk) offers "
        "a free advice call of about 20 minutes with one of its own advisors, on routes into education, roles, "
        f"qualifications and regulations: {ADVICE_CALL_URL} (Onderwijsloket: {site_url})."
    )


AREAS_NOTE = (
    "Areas are approximate, not proof of exact coverage: a desk's list of places, or the desk itself, can "
    "confirm."
)
DESK_DETAIL_STEP = (
    "For one desk with its consultation text, its links' addresses and its activities, call "
    "list_regional_desks with region set to the desk's title."
)


class DeskListResult(BaseModel):
    """Structured companion of the markdown answer of list_regional_desks: the desks as shown."""

    mode: Literal["near", "region", "all"]
    # Always "directus" (see the module docstring); the Literal matches the other search tools' results.
    backend: Literal["directus", "algolia"]
    near: ResolvedPlace | None = None
    region: str | None = None
    contained: bool | None = Field(
        default=None,
        description="near only: true when the listed desks' areas contain the point; false = nearest.",
    )
    filters: dict[str, str] = Field(default_factory=dict)
    total: int
    nationwide_total: int = Field(default=0, description="How many of the total serve the whole country.")
    offset: int = 0
    limit: int = 10
    summary: str = Field(description="How many desks there are for the search, and in which order they come.")
    desks: list[Desk] = Field(default_factory=list)
    advice_call: str = Field(description="The national Onderwijsloket's own advice call, with its link.")
    notes: Notes = Field(default_factory=list)
    next_steps: NextSteps = Field(default_factory=list)


def _rows(svc: Services, items: list[dict[str, Any]]) -> list[DeskRow]:
    # Outlines can hold thousands of points: parsed and measured here, once per desk list read and cached by
    # all_desks (desks_near reuses the parsed rings).
    rows = (desk_row(item, svc.settings.site_url) for item in items)
    return [row for row in rows if row is not None]


# --------------------------------------------------------------------------------------------------------
# Directus


class NearDesks(NamedTuple):
    desks: list[Desk]
    contained: bool  # True: their areas contain the point; False: the nearest areas


def _fields() -> tuple[str, ...]:
    return (*DESK_FIELDS, f"area.{_desks.AREA_BOUNDS}")


def _geometry_filter_key(svc: Services) -> tuple[str, ...]:
    return (
        svc.directus.token_tag,
        "regional_education_desks",
        f"area.{_desks.AREA_BOUNDS} is not a geometry",
    )


async def _sector(svc: Services, sector: str | None) -> taxonomy.Term | None:
    if sector is None:
        return None
    return await taxonomy.resolve(svc.directus, "sectors", sector, argument="sector")


async def all_desks(svc: Services) -> list[DeskRow]:
    """Every readable desk with its area outline, as read and rendered once per token and cache period (desks
    are few and rarely change). Callers copy a desk before changing it."""
    fields = _fields()

    async def fetch() -> list[DeskRow]:
        response = await svc.directus.items(
            "regional_education_desks",
            Query(fields=fields, sort=("title", "id"), limit=-1),
            optional=all_but_root(fields),
        )
        return _rows(svc, response.data)

    rows: list[DeskRow] = await svc.directus.cache.get_or_fetch(
        (svc.directus.token_tag, "regional_education_desks", "rows", fields), fetch
    )
    return rows


async def _containing_ids(svc: Services, point: Point, sector: taxonomy.Term | None) -> set[str] | None:
    """Ids of the desks whose area contains the point, by PostGIS; None when ``area_bounds`` cannot be filtered
    on here (Directus answers INVALID_QUERY, as for a json field): remembered for the cache period."""
    if svc.directus.cache.get(_geometry_filter_key(svc)):
        return None
    sector_clause = [taxonomy.relation_filter("sectors", sector)] if sector else []
    try:
        response = await svc.directus.items(
            "regional_education_desks",
            Query(
                fields=("id",),
                filter={
                    "_and": [
                        {"area": {_desks.AREA_BOUNDS: {"_intersects": geojson_point(*point)}}},
                        *sector_clause,
                    ]
                },
                limit=-1,
            ),
        )
    except QueryRejectedError as exc:
        if exc.code != "INVALID_QUERY":
            raise
        logger.info(
            "areas.%s cannot be filtered on (%s); testing containment locally", _desks.AREA_BOUNDS, exc.code
        )
        svc.directus.cache.set(_geometry_filter_key(svc), True)
        return None
    return {str(item["id"]) for item in response.data if item.get("id") is not None}


def _local_first(desk: Desk) -> tuple[bool, bool, float, str]:
    """Regional desks before nationwide ones, the smallest area (the most local desk) first."""
    size = desk.area.size_km2 if desk.area else None
    return (desk.nationwide, size is None, size or 0.0, fold(desk.title))


async def desks_near(svc: Services, place: ResolvedPlace, sector: taxonomy.Term | None) -> NearDesks:
    """Desks whose area contains the point, most local first; else all desks by distance to their area."""
    origin: Point = (place.lat, place.lng)
    # PostGIS only says which desks contain the point: what is shown comes from the cached desk list, read and
    # rendered once (a warm call is one small request).
    ids = await _containing_ids(svc, origin, sector)
    rows = await all_desks(svc)
    if ids is None:
        pool = [row for row in rows if sector is None or sector.id in row.desk.sector_ids]
        containing = [row for row in pool if inside_rings(origin, row.rings)]
    else:
        containing = [row for row in rows if row.desk.id in ids]
    if containing:
        return NearDesks(sorted((row.desk for row in containing), key=_local_first), True)

    measured: list[tuple[float, Desk]] = []
    for row in rows:
        if row.desk.area is None or (sector is not None and sector.id not in row.desk.sector_ids):
            continue
        distance = distance_to_rings_km(origin, row.rings)
        if distance is None and row.center is not None:
            distance = distance_km(origin, row.center)
        if distance is not None:
            measured.append((distance, _placed(row.desk, distance)))
    measured.sort(key=lambda pair: (pair[0], fold(pair[1].title)))
    return NearDesks([desk for _, desk in measured], False)


def _placed(desk: Desk, distance: float) -> Desk:
    """A copy of the desk with its area's distance to the searched point (cached desks stay as read)."""
    if desk.area is None:
        return desk
    return desk.model_copy(update={"area": desk.area.model_copy(update={"distance_km": round(distance, 1)})})


def match_region(desks: list[Desk], region: str) -> list[Desk]:
    """Desks naming ``region`` among their regions or cities/municipalities (exact first, then partial)."""
    key = fold(region)
    if not key:
        return []

    def names(desk: Desk) -> list[str]:
        return [fold(name) for name in (*desk.regions, *desk.cities_municipalities)]

    exact = [d for d in desks if key in names(d) or key == fold(d.title)]
    if exact:
        return exact
    if len(key) < 3:
        return []
    return [d for d in desks if any(key in name for name in names(d)) or key in fold(d.title)]


def region_suggestions(desks: list[Desk], region: str) -> list[str]:
    labels: dict[str, str] = {}
    for desk in desks:
        for name in (*desk.regions, *desk.cities_municipalities):
            labels.setdefault(fold(name), name)
    close = difflib.get_close_matches(fold(region), list(labels), n=5, cutoff=0.6)
    return [labels[c] for c in close]


async def list_desks_any(
    svc: Services, near: str | None, region: str | None, sector: str | None, limit: int, offset: int
) -> DeskListResult:
    notes: list[str] = []
    site = svc.settings.site_url
    try:
        term = await _sector(svc, sector)
        filters = {"sector": term.label} if term else {}
        if near is not None:
            if region is not None:
                notes.append("'region' was ignored because 'near' was given.")
            place = await resolve_near(svc, near)
        else:
            everything = [row.desk for row in await all_desks(svc)]
            pool = [d for d in everything if term is None or term.id in d.sector_ids]
            if region is None:
                return _page("all", pool, limit, offset, site, filters=filters)
            matched = match_region(pool, region)
            if matched:
                return _page(
                    "region", matched, limit, offset, site, filters=filters, region=clean_text(region)
                )
            place = await _region_as_place(svc, region, everything)
            notes.append(
                f"No desk lists '{clean_text(region)[:80]}' by name; answered for the place it names instead."
            )
        found = await desks_near(svc, place, term)
        return _page(
            "near", found.desks, limit, offset, site, filters=filters, near=place, found=found, notes=notes
        )
    except PermissionDeniedError as exc:
        raise navigator_denied("list_regional_desks", exc, site) from exc


async def _region_as_place(svc: Services, region: str, desks: list[Desk]) -> ResolvedPlace:
    """A region no desk lists by name, taken as the place it names; else an error with the names that come
    close."""
    try:
        return await resolve_near(svc, region)
    except GeocodingError as exc:
        suggestions = region_suggestions(desks, region)
        hint = (
            f" Regions and places the desks list that come close: {', '.join(suggestions)}."
            if suggestions
            else ""
        )
        raise InvalidInputError(
            f"No regional desk lists the region or place '{clean_text(region)[:80]}', and it is not a "
            f"Dutch place name we know.{hint} Try a municipality or place name (region='Zwolle'), "
            "near='<place or postcode>', or no argument for the full list."
        ) from exc


def _page(
    mode: Literal["near", "region", "all"],
    desks: list[Desk],
    limit: int,
    offset: int,
    site_url: str,
    *,
    filters: dict[str, str],
    near: ResolvedPlace | None = None,
    region: str | None = None,
    found: NearDesks | None = None,
    notes: list[str] | None = None,
) -> DeskListResult:
    page = desks[offset : offset + limit]
    result = DeskListResult(
        mode=mode,
        backend="directus",
        near=near,
        region=region,
        contained=found.contained if found else None,
        filters=filters,
        total=len(desks),
        nationwide_total=sum(1 for desk in desks if desk.nationwide),
        offset=offset,
        limit=limit,
        summary="",
        desks=[shown_desk(desk, len(page), mode) for desk in page],
        advice_call=advice_call(site_url),
        notes=notes or [],
    )
    return guidance(result, site_url)


def shown_desk(desk: Desk, shown: int, mode: Literal["near", "region", "all"]) -> Desk:
    """The desk as a page of ``shown`` desks shows it: per-desk text shrinks as more desks are listed, so a
    default page stays near the default answer budget."""
    full = shown <= FULL_DETAIL_DESKS
    # A nationwide desk's list of places says nothing about where it works.
    places = [] if desk.nationwide else desk.cities_municipalities
    cap = _share(CITIES_SHOWN, shown)
    consultation = (
        render_one_line(desk.consultation, max_chars=_share(CONSULTATION_CHARS, shown))
        if desk.consultation and shown <= CONSULTATION_TEXT_DESKS
        else None
    )
    offered = desk.has_consultation_service
    if offered is None and (desk.consultation or desk.consultation_service_url):
        offered = True  # the desk describes its consultations or links to a booking page
    return desk.model_copy(
        update={
            "cities_municipalities": places[:cap],
            "more_places": max(0, len(places) - cap),
            "consultation": consultation or None,
            "has_consultation_service": offered,
            "orientation_activity_types": desk.orientation_activity_types if full else [],
            "privacy_policy": desk.privacy_policy if full else None,
            # Where the area lies matters only for a search near a place.
            "area": desk.area if mode == "near" else None,
        }
    )


def _with_filters(result: DeskListResult) -> str:
    filters = filters_text(result.filters)
    return f" (filters: {filters})" if filters else ""


def place_line(place: ResolvedPlace) -> str:
    return f"Place: {place.note or place.name}."


def guidance(result: DeskListResult, site_url: str) -> DeskListResult:
    """The result with its summary (how many desks, in which order), notes and next steps."""
    with_filters = _with_filters(result)
    total, nationwide = result.total, result.nationwide_total
    notes = list(result.notes)
    if result.near is not None and result.near.alternatives:
        notes.insert(0, place_line(result.near))
    if result.mode == "near" and result.contained:
        regional = total - nationwide
        counted = "1 desk's area contains it" if total == 1 else f"{total} desks' areas contain it"
        split = f": {regional} regional and {nationwide} nationwide" if nationwide and regional else ""
        order = (
            "; the most local first (by the size of their area)" + (", nationwide ones last" if split else "")
            if total > 1
            else ""
        )
        summary = f"{counted}{with_filters}{split}{order}."
        notes.append(AREAS_NOTE)
    elif result.mode == "near":
        summary = (
            f"No desk's area contains this point{with_filters}; these are the nearest areas, nearest first, "
            "with the distance from the searched place to their border."
        )
    elif result.mode == "region":
        lists = "1 desk lists" if total == 1 else f"{total} desks list"
        summary = f"{lists} it among their regions or places{with_filters}."
    else:
        of_them = f", {nationwide} of them nationwide" if nationwide else ""
        summary = f"{total} desk{'' if total == 1 else 's'}{with_filters}{of_them}, alphabetical."
    steps = paging_steps(total=total, offset=result.offset, shown=len(result.desks), limit=result.limit)
    if len(result.desks) > FULL_DETAIL_DESKS:
        steps.append(DESK_DETAIL_STEP)
    if not result.desks and not steps:
        steps.append(
            ("Drop the sector filter, or see " if result.filters else "See ")
            + f"{site_page(site_url, DESKS_PATH)}."
        )
    return result.model_copy(update={"summary": summary, "notes": notes, "next_steps": steps})


# --------------------------------------------------------------------------------------------------------
# Markdown


def _share(bounds: tuple[int, int], shown: int) -> int:
    """From the upper bound for one or two desks down to the lower bound for a full page of ten."""
    low, high = bounds
    return max(low, min(high, high * 2 // max(1, shown)))


def _scope(desk: Desk) -> str:
    """What a reader must know before the details: nationwide, or for one sector only."""
    parts = ["nationwide"] if desk.nationwide else []
    if desk.sector_specific:
        parts.append(f"{md_inline(desk.sectors[0])} only")
    return f" ({', '.join(parts)})" if parts else ""


def _area_line(desk: Desk) -> str | None:
    area = desk.area
    if area is None:
        return None
    name = md_inline(area.title) if area.title else "its area"
    where = f"{km(area.distance_km)} from the searched place" if area.distance_km is not None else None
    size = f"about {area.size_km2} km²" if area.size_km2 else None
    details = join_nonempty([where, size], "; ")
    return f"Area: {name}" + (f" ({details})" if details else "")


def _cities(desk: Desk) -> str | None:
    if not desk.cities_municipalities:
        return None
    more = f" (+{desk.more_places} more)" if desk.more_places else ""
    return f"Places: {', '.join(md_inline(c) for c in desk.cities_municipalities)}{more}"


def _visit(desk: Desk) -> str | None:
    office = desk.office
    where = (
        join_nonempty(
            [
                md_inline(office.title) if office.title else None,
                md_inline(office.address) if office.address else None,
                join_nonempty([md_inline(office.zip or ""), md_inline(office.city or "")], " ") or None,
            ],
            ", ",
        )
        if office
        else ""
    )
    if desk.has_physical_location is False and not where:
        return "Visit: no office to visit."
    if not where and desk.has_physical_location is not True:
        return None
    line = f"Visit: {where}" if where else "Visit: has an office"
    if desk.appointment_for_visit is True:
        line += " (by appointment)"
    elif desk.appointment_for_visit is False:
        line += " (no appointment needed)"
    return line


def _links(desk: Desk, full: bool) -> str | None:
    if not desk.service_links:
        return None
    if full:
        return "Links: " + " · ".join(
            md_link(md_inline(link.type or "link"), link.url) for link in desk.service_links
        )
    kinds = list(dict.fromkeys(md_inline(link.type or "other") for link in desk.service_links))
    return f"Links: {', '.join(kinds)}"


def format_desk(number: int, desk: Desk, shown: int) -> str:
    """One desk as shown (see shown_desk) on a page of ``shown`` desks."""
    lines: list[str | None] = [f"### {number}. {md_inline(desk.title)}{_scope(desk)}", _area_line(desk)]
    lines.append(
        join_nonempty(
            [
                f"Regions: {', '.join(md_inline(r) for r in desk.regions)}" if desk.regions else None,
                f"Sectors: {', '.join(md_inline(s) for s in desk.sectors)}" if desk.sectors else None,
            ]
        )
        or None
    )
    lines.append(_cities(desk))
    email = desk.email
    if email and desk.email_response_time:
        email = f"{email} (response time: {md_inline(desk.email_response_time)})"
    phone = desk.phone
    if phone and desk.phone_availability:
        phone = f"{phone} ({desk.phone_availability})"
    lines.append(
        join_nonempty([f"E-mail: {email}" if email else None, f"Phone: {phone}" if phone else None]) or None
    )
    if desk.has_consultation_service is False:
        lines.append("Consultations: not offered by this desk.")
    elif desk.has_consultation_service:
        line = "Consultations: yes" + (f" — {desk.consultation}" if desk.consultation else ".")
        if desk.consultation_service_url:
            line += f" Book: {desk.consultation_service_url}"
        lines.append(line)
    lines.append(_visit(desk))
    lines.append(_links(desk, shown <= FULL_DETAIL_DESKS))
    extras = join_nonempty(
        [
            f"Activities: {', '.join(md_inline(a) for a in desk.orientation_activity_types)}"
            if desk.orientation_activity_types
            else None,
            f"Website: {desk.website}" if desk.website else None,
            f"Privacy: {desk.privacy_policy}" if desk.privacy_policy else None,
        ]
    )
    lines.append(extras or None)
    lines.append(f"ID: {desk.id} · {desk.link}")
    return "\n".join(line for line in lines if line)


def format_desk_list(result: DeskListResult) -> str:
    """The markdown of a result with its guidance (see guidance)."""
    with_filters = _with_filters(result)
    place = place_line(result.near) if result.mode == "near" and result.near is not None else None
    if result.mode == "near" and result.near is not None:
        where = "serving" if result.contained else "nearest to"
        header = f"## Regional desks {where} {md_inline(result.near.name)}"
    elif result.mode == "region":
        header = f"## Regional desks for '{md_inline(result.region)}'"
    else:
        header = "## Regional education desks (regioloketten)"
    notes = " ".join(n for n in result.notes if n not in (place, AREAS_NOTE)) or None
    if not result.desks:
        if result.total and result.offset >= result.total:
            return render_blocks(
                [header, offset_past_end(total=result.total, offset=result.offset, noun="desks")]
            )
        return render_blocks(
            [
                header,
                notes,
                f"No regional desks found{with_filters}. " + " ".join(result.next_steps),
                result.advice_call,
            ]
        )
    intro = join_nonempty([place, result.summary, AREAS_NOTE if AREAS_NOTE in result.notes else None], " ")
    blocks = [header, notes, intro]
    shown = len(result.desks)
    blocks += [format_desk(n, d, shown) for n, d in enumerate(result.desks, start=result.offset + 1)]
    paging = [step for step in result.next_steps if step != DESK_DETAIL_STEP]
    blocks.append(
        " ".join([showing_note(total=result.total, offset=result.offset, shown=shown, noun="desks"), *paging])
    )
    if DESK_DETAIL_STEP in result.next_steps:
        blocks.append(DESK_DETAIL_STEP)
    blocks.append(result.advice_call)
    return cap_answer(render_blocks(blocks))


# --------------------------------------------------------------------------------------------------------
# Tool


async def list_desks(
    svc: Services, near: str | None, region: str | None, sector: str | None, limit: int, offset: int
) -> DeskListResult:
    """Answer one call from Directus, whichever search backend is configured."""
    if not svc.directus.has_token:
        raise missing_token_error()
    return await list_desks_any(svc, near, region, sector, limit, offset)


async def list_regional_desks(
    ctx: Context[Services, Any],
    near: Annotated[
        str | None,
        Field(
            description="A Dutch place, municipality, postcode ('8011', '8011 AB') or 'lat,lng': returns the "
            "desks whose area contains it (the most local first, nationwide ones last), or else the nearest "
            "ones with their distance.",
            max_length=200,
        ),
    ] = None,
    region: Annotated[
        str | None,
        Field(
            description="An onderwijsregio, city or municipality name the desks list, e.g. 'Regio Zwolle' or "
            "'Amersfoort'.",
            max_length=200,
        ),
    ] = None,
    sector: Annotated[
        TaxonomyValue | None,
        Field(description="Only desks serving this sector, e.g. 'primair onderwijs', 'vo', 'mbo'."),
    ] = None,
    limit: Annotated[int, Field(ge=1, le=50, description="How many desks to return (1-50).")] = 10,
    offset: Offset = 0,
) -> Annotated[CallToolResult, DeskListResult]:
    """Find the regional education desk (regioloket) for a place or region: the local organisation that
    advises people who want to work in education there. Use it for "which regional desk serves Zwolle?" or
    "who can I talk to about becoming a teacher near me?".

    Several desks often cover a place: the answer says how many, lists the most local first and marks
    nationwide and single-sector desks. Per desk: regions and places, sectors, e-mail and phone (with response
    time and phone hours), consultations and booking link, office visits, links (vacancies, orientation
    activities, matching, zij-instroom), ID and link; plus a free advice call with the national Onderwijsloket.
    Without arguments it lists all desks.
    """
    svc = Services.of(ctx)
    near_text = clean_text(near) or None
    region_text = clean_text(region) or None
    result = await list_desks(svc, near_text, region_text, sector, limit, offset)
    return tool_result(format_desk_list(result), result)


TOOL = Tool(
    name="list_regional_desks",
    title="List regional education desks",
    summary="the regional desk (regioloket) for a place or region, with contacts and consultations.",
    handler=list_regional_desks,
)
