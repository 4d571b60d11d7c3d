"""The one URL policy: which links may reach the output, and how a site-relative path becomes absolute.

Links come from a remote API (item paths, rich-text hrefs, source URLs, file ids), so nothing here trusts
them: a document can never smuggle a ``javascript:`` URL into the output, and a path is resolved against the
configured public site (``ONDERWIJSLOKET_SITE_URL``).
"""

from __future__ import annotations

import re
from typing import Final, Literal
from urllib.parse import urlsplit

from ..config import CLOUDINARY_FOLDER, CLOUDINARY_URL, DEFAULT_SITE_URL

_MAX_LINK_LEN: Final = 2048
_FILE_ID_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_TRANSFORM_RE: Final = re.compile(r"[A-Za-z0-9_,.:-]+(?:/[A-Za-z0-9_,.:-]+)*")
_ASSET_TYPES: Final = frozenset({"image", "video", "raw"})


def cloudinary_url(
    file_id: str,
    asset_type: Literal["image", "video", "raw"] = "raw",
    transformations: str | None = None,
) -> str:
    """Public Cloudinary delivery URL of a Directus file id, or ``""`` when any part looks unsafe."""
    if not isinstance(file_id, str) or not isinstance(asset_type, str) or asset_type not in _ASSET_TYPES:
        return ""
    fid = file_id.strip()
    if not _FILE_ID_RE.fullmatch(fid):
        return ""
    segment = ""
    if transformations is not None:
        if not isinstance(transformations, str):
            return ""
        trans = transformations.strip()
        if trans:
            if len(trans) > 200 or ".." in trans or not _TRANSFORM_RE.fullmatch(trans):
                return ""
            segment = trans + "/"
    return f"{CLOUDINARY_URL}/{asset_type}/upload/{segment}{CLOUDINARY_FOLDER}/{fid}"


_SCHEME_RE: Final = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_CONTROL_RE: Final = re.compile(r"[\x00-\x1f\x7f]")
_SPACE_RE: Final = re.compile(r"\s")
_BARE_DOMAIN_RE: Final = re.compile(
    r"(?:www\.[A-Za-z0-9.-]+|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:nl|com|org|net|eu|be|nu|info|io|edu))"
    r"(?:[/:?#]|$)",
    re.IGNORECASE,
)


def site_base(site_url: object) -> str:
    if isinstance(site_url, str):
        base = site_url.strip().rstrip("/")
        if base.lower().startswith(("https://", "http://")) and urlsplit(base).netloc:
            return base
    return DEFAULT_SITE_URL


def absolute_link(href: str | None, site_url: str = DEFAULT_SITE_URL) -> str | None:
    """Make ``href`` usable outside the website, or return ``None`` when it is unsafe or meaningless.

    Site-relative paths get ``site_url`` in front; ``http(s)``, ``mailto`` and ``tel`` links are kept; any
    other scheme (``javascript:``, ``data:``...) and page-local anchors are dropped.
    """
    if not isinstance(href, str):
        return None
    # Browsers ignore tabs/newlines inside URLs, so "java\tscript:" must be judged without them.
    link = _CONTROL_RE.sub("", href).strip()
    link = _SPACE_RE.sub("%20", link)
    if not link or len(link) > _MAX_LINK_LEN:
        return None
    if link.startswith("//"):
        link = "https:" + link
    match = _SCHEME_RE.match(link)
    if match:
        scheme = match.group(1).lower()
        if scheme in ("http", "https"):
            try:
                host = urlsplit(link).netloc
            except ValueError:
                return None
            return link if host else None
        if scheme in ("mailto", "tel"):
            return link if len(link) > len(scheme) + 1 else None
        return None
    if link.startswith("/"):
        return site_base(site_url) + link
    if link.startswith(("#", "?")):
        return None  # only meaningful on the page the document came from
    if _BARE_DOMAIN_RE.match(link):
        return "https://" + link
    return site_base(site_url) + "/" + link


def site_link(path: object, site_url: str, fallback: str | None = None) -> str | None:
    """Absolute link for an item ``path`` (relative to the public site, or already absolute) by the policy of
    :func:`absolute_link`; ``fallback`` when there is none."""
    link = absolute_link(path, site_url) if isinstance(path, str) and path.strip() else None
    return link or fallback


def site_page(site_url: str, path: str) -> str:
    """A page of the public site, e.g. ``site_page(settings.site_url, PROGRAMS_PATH)``."""
    return site_url.rstrip("/") + path
