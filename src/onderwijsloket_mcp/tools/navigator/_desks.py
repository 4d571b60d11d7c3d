"""A regional education desk (regioloket) as list_regional_desks shows it, parsed from a Directus item, with
the area it serves.

Field names and shapes follow real item exports (reference §1A): the booking link is
``consultation_service_url``, ``phone_availability`` is a many-to-one to an opening-hours item (expanded by field
path, so the target collection's name does not matter), ``cities_municipalities`` is one comma-separated string,
``regions`` a JSON array, ``service_links`` a JSON array of ``{url, type, domain}``. Nothing about an item's shape
is trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from ...config import DESKS_PATH
from ...geo.geometry import (
    Point,
    Polygons,
    Ring,
    inside_rings,
    point_of,
    polygons_area_km2,
    polygons_of,
    rings_of,
)
from ...render.links import site_link, site_page
from ...render.richtext import render_one_line, render_plain
from ...text import clean_text, fold

# The area outline the geometry filter and the local fallback read (a module constant, so a test can point it at
# a plain-JSON copy of the outlines and see Directus refuse the filter).
AREA_BOUNDS = "area_bounds"
DESK_FIELDS = (
    "*",
    "sectors.sectors_id.id",
    "sectors.sectors_id.title",
    "area.id",
    "area.title",
    "area.area_center",
    "phone_availability.*",
    "location.title",
    "location.address",
    "location.zip",
    "location.city",
    "location.url",
)

# "Nationwide" is decided here and nowhere else. An area that contains places near all four corners of the
# country and its far south covers the whole country (real nationwide desks' areas contain every Dutch point,
# reference §1A), while no regional area reaches two corners; one probe may fall outside a coarsely drawn
# outline. A region or title that says "landelijk" (e.g. "Landelijk Groen") counts too.
NATIONWIDE_PROBES: tuple[Point, ...] = (
    (52.632, 4.748),  # Alkmaar (north-west)
    (53.219, 6.567),  # Groningen (north-east)
    (51.499, 3.611),  # Middelburg (south-west)
    (52.221, 6.894),  # Enschede (east)
    (50.851, 5.691),  # Maastricht (south)
)
NATIONWIDE_MIN_PROBES = 4
_NATIONWIDE_NAME = re.compile(r"\b(landelijk|nationaal|heel nederland)\b")


def is_nationwide(names: Iterable[str], rings: Sequence[Sequence[Point]] = ()) -> bool:
    """Whether a desk serves the whole country: by the name of one of its regions (or its title), or its area
    (its outline's rings, as parsed by ``polygon_rings``/``rings_of``)."""
    if any(_NATIONWIDE_NAME.search(fold(name)) for name in names):
        return True
    return (
        bool(rings)
        and sum(inside_rings(probe, rings) for probe in NATIONWIDE_PROBES) >= NATIONWIDE_MIN_PROBES
    )


class DeskArea(BaseModel):
    """The area a desk serves (listed when searching near a place)."""

    title: str | None = None
    size_km2: int | None = Field(default=None, description="Approximate; smaller = more local.")
    distance_km: float | None = Field(
        default=None,
        description="When no area contains the searched place: from it to the area's border, one decimal.",
    )


class Office(BaseModel):
    """The desk's office (its location)."""

    title: str | None = None
    address: str | None = None
    zip: str | None = None
    city: str | None = None
    url: str | None = None


class ServiceLink(BaseModel):
    type: str | None = Field(
        default=None,
        description="oriëntatieactiviteiten, vacatures, matching or zij-instroom (as the API says).",
    )
    url: str


class Desk(BaseModel):
    id: str
    title: str
    link: str
    nationwide: bool = Field(default=False, description="Serves the whole country, not one region.")
    sector_specific: bool = Field(default=False, description="Serves one sector only (see sectors).")
    regions: list[str] = Field(default_factory=list)
    cities_municipalities: list[str] = Field(
        default_factory=list, description="The places it lists (the first few when many desks are listed)."
    )
    more_places: int = Field(default=0, description="How many more places it lists than shown here.")
    sectors: list[str] = Field(default_factory=list)
    email: str | None = None
    email_response_time: str | None = None
    phone: str | None = None
    phone_availability: str | None = Field(
        default=None, description="When the phone is answered, in Dutch: 'ma–vr 09:00–17:00; za 10:00–12:00'."
    )
    website: str | None = None
    privacy_policy: str | None = Field(default=None, description="Listed when a few desks are listed.")
    has_consultation_service: bool | None = None
    consultation_service_url: str | None = Field(default=None, description="Booking link.")
    consultation: str | None = Field(
        default=None,
        description="What the desk says about its consultations, on one line: shortened when several desks "
        "are listed, left out when many are.",
    )
    has_physical_location: bool | None = None
    appointment_for_visit: bool | None = None
    office: Office | None = None
    service_links: list[ServiceLink] = Field(default_factory=list)
    orientation_activity_types: list[str] = Field(
        default_factory=list, description="Listed when a few desks are listed."
    )
    area: DeskArea | None = None
    sector_ids: SkipJsonSchema[list[str]] = Field(default_factory=list, exclude=True)


# --------------------------------------------------------------------------------------------------------
# Parsing


def string_list(value: object) -> list[str]:
    """A JSON array of strings as Directus returns it, JSON text, or one comma-separated string (like
    ``cities_municipalities``, which may end in ", "); blanks and repeats dropped."""
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


def _flag(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _office(value: object) -> Office | None:
    """The expanded ``location``; a bare id (unreadable) or an empty item is no office to show."""
    if not isinstance(value, Mapping):
        return None
    office = Office(
        title=_text(value.get("title")),
        address=_text(value.get("address")),
        zip=_text(value.get("zip")),
        city=_text(value.get("city")),
        url=_url(value.get("url")),
    )
    return office if office.title or office.address or office.city else None


def _service_links(value: object) -> list[ServiceLink]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    links: list[ServiceLink] = []
    for entry in value if isinstance(value, list) else []:
        url = _url(entry.get("url")) if isinstance(entry, Mapping) else None
        if url and all(link.url != url for link in links):
            links.append(ServiceLink(type=clean_text(entry.get("type")) or None, url=url))
    return links


class DeskRow(NamedTuple):
    """A desk and its area outline, parsed once when the desk list is read (for containment and distances)."""

    desk: Desk
    rings: list[Ring]  # every ring of the outline (see rings_of); empty without a readable outline
    center: Point | None


class AreaFacts(NamedTuple):
    size_km2: int | None
    covers_country: bool


def measure_area(polygons: Polygons) -> AreaFacts:
    """Size and country-wide coverage of an outline parsed by ``polygons_of``."""
    size = polygons_area_km2(polygons)
    return AreaFacts(round(size) if size is not None else None, is_nationwide((), rings_of(polygons)))


def desk_row(item: Mapping[str, Any], site_url: str) -> DeskRow | None:
    """A desk as shown, from a Directus item."""
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
    area_id = str(area["id"]) if isinstance(area, Mapping) and area.get("id") is not None else None
    # Outlines can hold thousands of points: parsed here, once per desk list read.
    polygons = polygons_of(area.get(AREA_BOUNDS)) if isinstance(area, Mapping) else []
    measured = measure_area(polygons) if area_id else AreaFacts(None, False)
    regions = string_list(item.get("regions"))
    desk = Desk(
        id=str(item["id"]),
        title=title,
        link=site_link(item.get("path"), site_url) or site_page(site_url, DESKS_PATH),
        nationwide=measured.covers_country or is_nationwide([*regions, title]),
        sector_specific=len(sectors) == 1,
        regions=regions,
        cities_municipalities=string_list(item.get("cities_municipalities")),
        sectors=sectors,
        email=_text(item.get("email")),
        email_response_time=_text(item.get("email_response_time")),
        phone=_text(item.get("phone")),
        phone_availability=opening_hours_text(item.get("phone_availability")),
        website=_url(item.get("website")),
        privacy_policy=_url(item.get("privacy_policy")),
        has_consultation_service=_flag(item.get("has_consultation_service")),
        consultation_service_url=_url(item.get("consultation_service_url")),
        consultation=render_one_line(item.get("consultation_service_description"), max_chars=10_000) or None,
        has_physical_location=_flag(item.get("has_physical_location")),
        appointment_for_visit=_flag(item.get("appointment_for_visit")),
        office=_office(item.get("location")),
        service_links=_service_links(item.get("service_links")),
        orientation_activity_types=string_list(item.get("orientation_activity_types")),
        area=DeskArea(title=_text(area.get("title")), size_km2=measured.size_km2)
        if area_id and isinstance(area, Mapping)
        else None,
        sector_ids=sector_ids,
    )
    center = point_of(area.get("area_center")) if isinstance(area, Mapping) else None
    return DeskRow(desk, rings_of(polygons), center)


# --------------------------------------------------------------------------------------------------------
# Opening hours

# Fields of an opening-hours item (reference §1A: {monday_start "09:00:00", monday_end, …, sunday_end}) and the
# Dutch day abbreviations people read them in.
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DAY_ABBREVIATIONS = ("ma", "di", "wo", "do", "vr", "za", "zo")
_CLOCK_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})(?::\d{2}(?:\.\d+)?)?\s*$")


def _clock(value: object) -> str | None:
    """ "09:00:00" (a Directus time) -> "09:00"; None for anything that is not a time of day."""
    match = _CLOCK_RE.match(value) if isinstance(value, str) else None
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        return None
    return f"{hours:02d}:{minutes:02d}"


def _day_ranges(days: Sequence[int]) -> str:
    """Day indexes (ascending) as "ma–vr", "ma, wo" or "ma–wo, vr": runs of consecutive days get a dash."""
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(
        DAY_ABBREVIATIONS[run[0]]
        if len(run) == 1
        else f"{DAY_ABBREVIATIONS[run[0]]}–{DAY_ABBREVIATIONS[run[-1]]}"
        for run in runs
    )


def opening_hours_text(value: object) -> str | None:
    """Opening hours compactly in Dutch, equal days grouped: "ma–vr 09:00–17:00; za 10:00–12:00".

    ``value`` is the expanded opening-hours item. Anything else (``null``, or the bare id Directus returns when
    the item was not expanded or may not be read) gives None: an id means nothing to a person. Days without
    times, or with equal start and end, are closed; a day with only one of the two says "vanaf"/"tot".
    """
    if not isinstance(value, Mapping):
        return None
    by_hours: dict[str, list[int]] = {}
    for index, day in enumerate(WEEKDAYS):
        start, end = _clock(value.get(f"{day}_start")), _clock(value.get(f"{day}_end"))
        if start and end:
            if start == end:
                continue
            hours = f"{start}–{end}"
        elif start:
            hours = f"vanaf {start}"
        elif end:
            hours = f"tot {end}"
        else:
            continue
        by_hours.setdefault(hours, []).append(index)
    if not by_hours:
        return None
    groups = sorted(by_hours.items(), key=lambda pair: pair[1][0])
    return "; ".join(f"{_day_ranges(days)} {hours}" for hours, days in groups)
