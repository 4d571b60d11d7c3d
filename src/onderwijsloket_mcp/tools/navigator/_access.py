"""What a token without the Navigator policy is told, by every Navigator tool."""

from __future__ import annotations

from ...config import DESKS_PATH, EXTRA_ACCESS_CONTACT, PROGRAMS_PATH
from ...errors import PermissionDeniedError
from ...render.links import site_page


def navigator_denied(what: str, cause: PermissionDeniedError, site_url: str) -> PermissionDeniedError:
    """The Navigator policy is missing: say so plainly, so nobody reads it as "nothing here"."""
    return PermissionDeniedError(
        f"{what} needs the Onderwijsloket 'Navigator' policy, and this API token does not have it "
        f"(Directus answered FORBIDDEN for '{cause.collection or 'the navigator collections'}'). This is not an "
        "empty result: the data exists but this token may not read it. The Navigator policy is free: ask for it "
        f"via {EXTRA_ACCESS_CONTACT} and describe your intended use. Meanwhile, the public pages are "
        f"{site_page(site_url, PROGRAMS_PATH)} (programmes) and {site_page(site_url, DESKS_PATH)} (regional desks).",
        collection=cause.collection,
        policy="Navigator",
    )
