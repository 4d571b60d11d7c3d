"""Where a Navigator search is: the place a ``near`` argument names, and distances from it as people read them."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from ...services import Services


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
