"""list_regional_desks: the regional education desks (regioloketten) and the areas they serve.

Every argument is answered from Directus, on every search backend (ONDERWIJSLOKET_SEARCH_BACKEND only changes
the FAQ, article and programme searches). Algolia cannot intersect polygons: the desk index ranks by a grid of
``_geoloc`` points over each area (reference §3.6: "a workaround because Algolia cannot intersect polygons"), and it
lacks the contact details and consultation texts, so answering from it cost the Algolia key, the query and the
desk list from Directus (3 requests on a cold server) where PostGIS answers exactly in one.

- ``near``: one request for the desks whose area contains the point (PostGIS ``_intersects`` on
  ``areas.area_bounds`` through the desk's ``area`` many-to-one), sector filter included. Only when no area
  contains it, a second request reads the desks with their area polygons and we measure the distance to each
  area's edge (or, without a polygon, to its centre) and list the nearest; a desk without an area, or whose
  area has neither, is left out.
- ``region``: ``regions`` and ``cities_municipalities`` are JSON arrays of strings, which Directus cannot
  search inside (``_icontains`` on a json field answers INVALID_QUERY: '"json" field type does not contain
  the "_icontains" filter operator', checked on Directus 11.17). Desks are few (one per
  onderwijsregio), so the list is read once per token and cache period and matched here, case- and
  diacritics-insensitively. A name no desk lists is geocoded and answered as ``near``.
- ``sector``: resolved against the sectors taxonomy; pushed into the query on the ``near`` path and applied to
  the cached list otherwise.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal, NamedTuple

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult, TextContent
from pydantic import BaseModel, Field

from .. import taxonomy
from ..directus import Query, all_but_root, missing_token_error
from ..errors import InvalidInputError, PermissionDeniedError
from ..formatting import (
    cap_answer,
    clean_text,
    fold,
    join_nonempty,
    md_inline,
    offset_past_end,
    paging_note,
    render_blocks,
    site_link,
)
from ..geocoding import GeocodingError
from ..richtext import render_markdown, render_one_line, render_plain
from ..services import Services
from ._common import Offset, TaxonomyValue, register_tool, services
from ._navigator import (
    ADVICE_CALL_URL,
    DESKS_PAGE,
    Point,
    ResolvedPlace,
    distance_km,
    distance_to_area_km,
    geojson_point,
    km,
    navigator_denied,
    point_of,
    resolve_near,
)

DESK_FIELDS = (
    "*",
    "sectors.sectors_id.id",
    "sectors.sectors_id.title",
    "area.id",
    "area.title",
    "area.area_center",
)
# Per-desk text shrinks as more desks are listed, so a default page stays near the default answer budget.
CONSULTATION_CHARS = (90, 400)
CITIES_SHOWN = (4, 10)
# Up to this many desks, secondary details (orientation activities) are shown too.
FULL_DETAIL_DESKS = 3


class DeskArea(BaseModel):
    id: str
    title: str | None = None
    contains_point: bool | None = Field(
        default=None, description="Whether the searched point lies inside this area."
    )
    distance_km: float | None = Field(
        default=None, description="From the searched point to the area (0 inside), one decimal."
    )


class Desk(BaseModel):
    id: str
    title: str
    link: str
    regions: list[str] = Field(default_factory=list)
    cities_municipalities: list[str] = Field(default_factory=list)
    sectors: list[str] = Field(default_factory=list)
    email: str | None = None
    phone: str | None = None
    phone_availability: str | None = None
    website: str | None = None
    scheduling_url: str | None = None
    has_consultation_service: bool | None = None
    consultation_markdown: str | None = None
    consultation_summary: str = Field(default="", exclude=True)
    orientation_activity_types: list[str] = Field(default_factory=list)
    content_types: list[str] = Field(default_factory=list)
    area: DeskArea | None = None
    sector_ids: list[str] = Field(default_factory=list, exclude=True)


class AdviceCall(BaseModel):
    url: str = ADVICE_CALL_URL
    note: str = (
        "A free advice call (about 20 minutes) with an advisor of the national Onderwijsloket, not with a "
        "regional desk: about routes into education, roles, qualifications and regulations."
    )


class DeskListResult(BaseModel):
    """Structured companion of the markdown answer of list_regional_desks."""

    mode: Literal["near", "region", "all"]
    # Always "directus" (see the module docstring); the Literal matches the other search tools' results.
    backend: Literal["directus", "algolia"] = "directus"
    near: ResolvedPlace | None = None
    region: str | None = None
    contained: bool | None = Field(
        default=None,
        description="near only: true when the listed desks' areas contain the point; false = nearest.",
    )
    filters: dict[str, str] = Field(default_factory=dict)
    total: int
    offset: int
    limit: int
    desks: list[Desk]
    advice_call: AdviceCall = Field(default_factory=AdviceCall)
    notes: list[str] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------------------
# Parsing


def string_list(value: object) -> list[str]:
    """A JSON array of strings as Directus returns it (or JSON text, or a comma list); blanks dropped."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError:
                value = text.strip("[]").split(",")
        else:
            value = text.split(",")
    out: list[str] = []
    if isinstance(value, list):
        for entry in value:
            cleaned = clean_text(entry)
            if cleaned and cleaned not in out:
                out.append(cleaned)
    return out


def _text(value: object) -> str | None:
    if isinstance(value, Mapping | list):  # rich text in some deployments
        return clean_text(render_plain(value)) or None
    return clean_text(value) or None


def _url(value: object) -> str | None:
    text = clean_text(value)
    return text if text.startswith(("https://", "http://")) else None


def desk_from_item(item: Mapping[str, Any], site_url: str) -> Desk | None:
    title = clean_text(item.get("title"))
    if item.get("id") is None or not title:
        return None
    sectors: list[str] = []
    sector_ids: list[str] = []
    for row in item.get("sectors") or []:
        target = row.get("sectors_id") if isinstance(row, Mapping) else None
        if isinstance(target, Mapping) and clean_text(target.get("title")):
            sectors.append(clean_text(target.get("title")))
            if target.get("id") is not None:
                sector_ids.append(str(target["id"]))
    area = item.get("area")
    consultation = render_markdown(item.get("consultation_service_description"), site_url=site_url) or None
    has_consultation = item.get("has_consultation_service")
    return Desk(
        id=str(item["id"]),
        title=title,
        link=site_link(item.get("path"), site_url) or site_url.rstrip("/") + DESKS_PAGE,
        regions=string_list(item.get("regions")),
        cities_municipalities=string_list(item.get("cities_municipalities")),
        sectors=sectors,
        email=_text(item.get("email")),
        phone=_text(item.get("phone")),
        phone_availability=_text(item.get("phone_availability")),
        website=_url(item.get("website")),
        scheduling_url=_url(item.get("scheduling_url")),
        has_consultation_service=has_consultation if isinstance(has_consultation, bool) else None,
        consultation_markdown=consultation,
        consultation_summary=render_one_line(item.get("consultation_service_description"), max_chars=10_000),
        orientation_activity_types=string_list(item.get("orientation_activity_types")),
        content_types=string_list(item.get("content_types")),
        area=DeskArea(id=str(area["id"]), title=_text(area.get("title")))
        if isinstance(area, Mapping) and area.get("id") is not None
        else None,
        sector_ids=sector_ids,
    )


def _desks(items: list[dict[str, Any]], site_url: str) -> list[Desk]:
    return [d for d in (desk_from_item(item, site_url) for item in items) if d is not None]


# --------------------------------------------------------------------------------------------------------
# Directus


class NearDesks(NamedTuple):
    desks: list[Desk]
    contained: bool  # True: their areas contain the point; False: the nearest areas


async def _sector(svc: Services, sector: str | None) -> taxonomy.Term | None:
    if sector is None:
        return None
    return await taxonomy.resolve(svc.directus, "sectors", sector, argument="sector")


async def all_desks(svc: Services) -> list[dict[str, Any]]:
    """Every readable desk, without area polygons (cached per token: desks are few and rarely change)."""
    response = await svc.directus.items_cached(
        "regional_education_desks",
        Query(fields=DESK_FIELDS, sort=("title", "id"), limit=-1),
        optional=all_but_root(DESK_FIELDS),
    )
    return response.data


async def desks_near(svc: Services, place: ResolvedPlace, sector: taxonomy.Term | None) -> NearDesks:
    """Desks whose area contains the point; else all desks by distance to their area. (desks, contained)."""
    site = svc.settings.site_url
    sector_clause = [taxonomy.relation_filter("sectors", sector)] if sector else []
    point = geojson_point(place.lat, place.lng)
    response = await svc.directus.items(
        "regional_education_desks",
        Query(
            fields=DESK_FIELDS,
            filter={"_and": [{"area": {"area_bounds": {"_intersects": point}}}, *sector_clause]},
            sort=("title", "id"),
            limit=-1,
        ),
        optional=all_but_root(DESK_FIELDS),
    )
    containing = _desks(response.data, site)
    for found in containing:
        if found.area is not None:
            found.area.contains_point = True
            found.area.distance_km = 0.0
    if containing:
        return NearDesks(containing, True)

    response = await svc.directus.items(
        "regional_education_desks",
        Query(
            fields=(*DESK_FIELDS, "area.area_bounds"),
            filter={"_and": sector_clause} if sector_clause else None,
            sort=("title", "id"),
            limit=-1,
        ),
        optional=all_but_root(DESK_FIELDS),
    )
    origin: Point = (place.lat, place.lng)
    measured: list[tuple[float, Desk]] = []
    for item in response.data:
        desk = desk_from_item(item, site)
        area = item.get("area")
        if desk is None or desk.area is None or not isinstance(area, Mapping):
            continue
        distance = distance_to_area_km(origin, area.get("area_bounds"))
        if distance is None:
            center = point_of(area.get("area_center"))
            distance = distance_km(origin, center) if center else None
        if distance is None:
            continue
        desk.area.contains_point = distance == 0.0
        desk.area.distance_km = round(distance, 1)
        measured.append((distance, desk))
    measured.sort(key=lambda pair: (pair[0], fold(pair[1].title)))
    return NearDesks([desk for _, desk in measured], False)


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
    site = svc.settings.site_url
    notes: list[str] = []
    try:
        term = await _sector(svc, sector)
        filters = {"sector": term.label} if term else {}
        if near is None and region is not None:
            everything = _desks(await all_desks(svc), site)
            pool = [d for d in everything if term is None or term.id in d.sector_ids]
            matched = match_region(pool, region)
            if matched:
                return _page("region", matched, limit, offset, filters=filters, region=clean_text(region))
            try:
                place = await resolve_near(svc, region)
            except GeocodingError as exc:
                suggestions = region_suggestions(everything, region)
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
            notes.append(
                f"No desk lists '{clean_text(region)[:80]}' by name; answered for the place it names instead."
            )
            found = await desks_near(svc, place, term)
            return _page(
                "near", found.desks, limit, offset, filters=filters, near=place, found=found, notes=notes
            )
        if near is not None:
            if region is not None:
                notes.append("'region' was ignored because 'near' was given.")
            place = await resolve_near(svc, near)
            found = await desks_near(svc, place, term)
            return _page(
                "near", found.desks, limit, offset, filters=filters, near=place, found=found, notes=notes
            )
        everything = _desks(await all_desks(svc), site)
        pool = [d for d in everything if term is None or term.id in d.sector_ids]
        return _page("all", pool, limit, offset, filters=filters)
    except PermissionDeniedError as exc:
        raise navigator_denied("list_regional_desks", exc) from exc


def _page(
    mode: Literal["near", "region", "all"],
    desks: list[Desk],
    limit: int,
    offset: int,
    *,
    filters: dict[str, str],
    near: ResolvedPlace | None = None,
    region: str | None = None,
    found: NearDesks | None = None,
    notes: list[str] | None = None,
) -> DeskListResult:
    return DeskListResult(
        mode=mode,
        backend="directus",
        near=near,
        region=region,
        contained=found.contained if found else None,
        filters=filters,
        total=len(desks),
        offset=offset,
        limit=limit,
        desks=desks[offset : offset + limit],
        notes=notes or [],
    )


# --------------------------------------------------------------------------------------------------------
# Markdown


def _share(bounds: tuple[int, int], shown: int) -> int:
    """From the upper bound for one or two desks down to the lower bound for a full page of ten."""
    low, high = bounds
    return max(low, min(high, high * 2 // max(1, shown)))


def _cities(desk: Desk, limit: int) -> str | None:
    cities = desk.cities_municipalities
    if not cities:
        return None
    shown = ", ".join(md_inline(c) for c in cities[:limit])
    more = f" (+{len(cities) - limit} more)" if len(cities) > limit else ""
    return f"Places: {shown}{more}"


def format_desk(number: int, desk: Desk, result: DeskListResult) -> str:
    lines: list[str | None] = [f"### {number}. {md_inline(desk.title)}"]
    if result.mode == "near" and desk.area is not None:
        area = md_inline(desk.area.title) if desk.area.title else "its area"
        if desk.area.contains_point:
            lines.append(f"Area: {area} (contains the searched place)")
        elif desk.area.distance_km is not None:
            lines.append(f"Area: {area}, {km(desk.area.distance_km)} from the searched place")
    lines.append(
        join_nonempty(
            [
                f"Regions: {', '.join(md_inline(r) for r in desk.regions)}" if desk.regions else None,
                f"Sectors: {', '.join(md_inline(s) for s in desk.sectors)}" if desk.sectors else None,
            ]
        )
        or None
    )
    lines.append(_cities(desk, _share(CITIES_SHOWN, len(result.desks))))
    phone = desk.phone
    if phone and desk.phone_availability:
        phone = f"{phone} ({md_inline(desk.phone_availability)})"
    lines.append(
        join_nonempty([f"E-mail: {desk.email}" if desk.email else None, f"Phone: {phone}" if phone else None])
        or None
    )
    if desk.has_consultation_service or desk.consultation_markdown:
        text = ""
        if desk.consultation_summary:
            text = render_one_line(
                desk.consultation_summary, max_chars=_share(CONSULTATION_CHARS, len(result.desks))
            )
        line = "Consultations: yes" + (f" — {text}" if text else "")
        if desk.scheduling_url:
            line += f" Book: {desk.scheduling_url}"
        lines.append(line)
    elif desk.has_consultation_service is False:
        lines.append("Consultations: not offered by this desk.")
    extras = join_nonempty(
        [
            f"Activities: {', '.join(desk.orientation_activity_types)}"
            if desk.orientation_activity_types and len(result.desks) <= FULL_DETAIL_DESKS
            else None,
            f"Website: {desk.website}" if desk.website else None,
        ]
    )
    lines.append(extras or None)
    lines.append(f"ID: {desk.id} · {desk.link}")
    return "\n".join(line for line in lines if line)


def advice_call_text(result: DeskListResult) -> str:
    return (
        "Want advice from the national Onderwijsloket instead? Onderwijsloket itself (not a regional desk) "
        "offers a free advice call of about 20 minutes with one of its own advisors, on routes into "
        f"education, roles, qualifications and regulations: {result.advice_call.url} "
        "(Onderwijsloket: https://onderwijsloket.com)."
    )


def format_desk_list(result: DeskListResult) -> str:
    filters = ", ".join(f"{k}={v}" for k, v in result.filters.items())
    with_filters = f" (filters: {filters})" if filters else ""
    if result.mode == "near" and result.near is not None:
        place = result.near.note or result.near.name
        if result.contained:
            header = f"## Regional desks serving {md_inline(result.near.name)}"
            intro = f"Place: {place}. {result.total} desk(s) whose area contains it{with_filters}."
        else:
            header = f"## Regional desks nearest to {md_inline(result.near.name)}"
            intro = (
                f"Place: {place}. No desk's area contains this point{with_filters}; these are the nearest areas, "
                "with the distance to their border."
            )
    elif result.mode == "region":
        header = f"## Regional desks for '{md_inline(result.region)}'"
        intro = f"{result.total} desk(s) list it among their regions or places{with_filters}."
    else:
        header = "## Regional education desks (regioloketten)"
        intro = f"{result.total} desk(s){with_filters}, alphabetical."
    notes = " ".join(result.notes) or None
    if not result.desks:
        if result.total and result.offset >= result.total:
            return render_blocks(
                [header, offset_past_end(total=result.total, offset=result.offset, noun="desks")]
            )
        return render_blocks(
            [
                header,
                notes,
                f"No regional desks found{with_filters}. Drop the sector filter, or see "
                f"https://onderwijsloket.com{DESKS_PAGE}.",
                advice_call_text(result),
            ]
        )
    blocks = [header, notes, intro]
    blocks += [format_desk(n, d, result) for n, d in enumerate(result.desks, start=result.offset + 1)]
    blocks.append(
        paging_note(
            total=result.total,
            offset=result.offset,
            shown=len(result.desks),
            limit=result.limit,
            noun="desks",
        )
    )
    blocks.append(advice_call_text(result))
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
            "desk(s) whose area contains it, or else the nearest ones with their distance.",
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

    Each desk: name, regions and places served, sectors, e-mail, phone (and when it is answered), whether it
    offers consultations and what they are, its ID and link. Also gives the link to a free advice call with
    the national Onderwijsloket. Without arguments it lists all desks.
    """
    svc = services(ctx)
    near_text = clean_text(near) or None
    region_text = clean_text(region) or None
    result = await list_desks(svc, near_text, region_text, sector, limit, offset)
    return CallToolResult(
        content=[TextContent(type="text", text=format_desk_list(result))],
        structured_content=result.model_dump(mode="json", exclude_none=True),
    )


def register(server: MCPServer[Any]) -> None:
    register_tool(server, list_regional_desks, "list_regional_desks", "List regional education desks")
