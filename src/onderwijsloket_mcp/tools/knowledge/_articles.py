"""What search_articles and get_article share: an article's link, its slug, and its taxonomies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ...config import ARTICLES_PATH
from ...render.links import site_link, site_page
from ...text import clean_text

# The taxonomies a listed article shows; the article in full shows its phases too.
LIST_TAXONOMIES = ("topics", "sectors", "roles", "qualifications", "tracks", "audiences")
ARTICLE_TAXONOMIES = (*LIST_TAXONOMIES, "phases")

SLUG_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$")


def article_link(item: Mapping[str, Any], site_url: str) -> str:
    slug = clean_text(item.get("slug"))
    fallback = site_page(site_url, ARTICLES_PATH) + (f"/{slug}" if SLUG_RE.match(slug) else "")
    return site_link(item.get("path"), site_url, fallback) or fallback


def shown_slug(item: Mapping[str, Any], link: str) -> str | None:
    """The article's slug, said only when its link does not already end with it."""
    slug = clean_text(item.get("slug")) or None
    return slug if slug and not link.rstrip("/").endswith("/" + slug) else None
