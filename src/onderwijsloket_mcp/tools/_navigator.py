"""What the Navigator tools (programmes, regional desks) share: places, opening hours, access errors.

Geometry (GeoJSON, distances) is :mod:`onderwijsloket_mcp.geo.geometry`'s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from ..config import EXTRA_ACCESS_CONTACT
from ..errors import PermissionDeniedError
from ..services import Services

# Public pages used when an item has no path of its own.
PROGRAMS_PAGE = "/navigator/opleidingen"
DESKS_PAGE = "/navigator/regioloketten"
# The national advice call (reference §8.1): with an advisor of Onderwijsloket itself, not of a regional desk.
ADVICE_CALL_URL = "https://savvycal.com/onderwijsloket/plan-een-adviesgesprek"


class ResolvedPlace(BaseModel):
    """Where a ``near`` argument was resolved to."""

    query: str
    name: str
    lat: float
    lng: float
    kind: str
    province: str | None = None
    detail: str | None = None
    source: str
    alternatives: list[str] = Field(default_factory=list)
    # Used to word the markdown only; never part of the structured result, so not in its schema either.
    note: SkipJsonSchema[str] = Field(default="", exclude=True)


async def resolve_near(svc: Services, near: str) -> ResolvedPlace:
    """Geocode ``near`` (place, municipality, alias, postcode or "lat,lng"); unknown text raises with suggestions."""
    result = await svc.geocoder.geocode(near)
    place = result.place
    return ResolvedPlace(
        query=result.query,
        name=place.name,
        lat=place.lat,
        lng=place.lng,
        kind=place.kind,
        province=place.province,
        detail=place.detail,
        source=result.source,
        alternatives=[alt.label for alt in result.alternatives],
        note=result.note,
    )


def km(value: float) -> str:
    """One decimal, the way people read distances: "12.3 km"."""
    return f"{value:.1f} km"


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


# --------------------------------------------------------------------------------------------------------
# Access


def navigator_denied(what: str, cause: PermissionDeniedError) -> PermissionDeniedError:
    """The Navigator policy is missing: say so plainly, so nobody reads it as "nothing here"."""
    return PermissionDeniedError(
        f"{what} needs the Onderwijsloket 'Navigator' policy, and this API token does not have it "
        f"(Directus answered FORBIDDEN for '{cause.collection or 'the navigator collections'}'). This is not an "
        "empty result: the data exists but this token may not read it. The Navigator policy is free: ask for it "
        f"via {EXTRA_ACCESS_CONTACT} and describe your intended use. Meanwhile, the public pages are "
        "https://onderwijsloket.com/navigator/opleidingen (programmes) and "
        "https://onderwijsloket.com/navigator/regioloketten (regional desks).",
        collection=cause.collection,
        policy="Navigator",
    )
