"""What the knowledge-base tools (FAQs, articles) share: filter resolution, the Algolia keyword search with
the same "every word, else some words" behaviour as the Directus path, backend choice, dates and summaries."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, TypeVar

from .. import taxonomy
from ..directus import Query, all_but_root
from ..richtext import render_one_line
from ..search import PAGINATION_LIMIT, SearchUnavailable, facet_filters
from ..services import Services
from ..taxonomy import Term
from ..textsearch import all_terms_filter, any_term_filter, query_terms

logger = logging.getLogger("onderwijsloket_mcp.search")

T = TypeVar("T")
Matched = Literal["all_words", "some_words", "none"]

# Within the first RANK_WINDOW matches results are ranked by relevance (Directus: locally; Algolia: merged
# per-word queries when no record has every word).
RANK_WINDOW = 100


@dataclass(frozen=True)
class ResolvedFilter:
    argument: str  # the tool argument, e.g. "sector"
    taxonomy: str  # e.g. "sectors"
    term: Term

    @property
    def facet(self) -> str:
        """The Algolia facet attribute (reference §3.5): ``sectors.title``, ``topics.name``, ..."""
        spec = taxonomy.TAXONOMIES[self.taxonomy]
        return f"{spec.collection}.{spec.label_field}"


async def resolve_filters(
    svc: Services, values: Sequence[tuple[str, str, str | None]]
) -> list[ResolvedFilter]:
    """(argument, taxonomy, value) -> resolved terms; an unknown value raises with the valid ones."""
    resolved: list[ResolvedFilter] = []
    for argument, name, value in values:
        if value is None:
            continue
        term = await taxonomy.resolve(svc.directus, name, value, argument=argument)
        resolved.append(ResolvedFilter(argument, name, term))
    return resolved


def directus_clauses(filters: Sequence[ResolvedFilter]) -> list[dict[str, Any]]:
    return [taxonomy.relation_filter(f.taxonomy, f.term) for f in filters]


def algolia_filters(filters: Sequence[ResolvedFilter]) -> str:
    """Facet filters on the resolved labels (never raw user text), values quoted and escaped."""
    return facet_filters((f.facet, f.term.label) for f in filters)


def filter_labels(filters: Sequence[ResolvedFilter]) -> dict[str, str]:
    return {f.argument: f.term.label for f in filters}


async def algolia_keyword_search(
    svc: Services,
    index: str,
    query: str,
    filters: Sequence[ResolvedFilter],
    *,
    attributes: Sequence[str],
    snippet: str | None = None,
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int, Matched]:
    """Hits ``offset..offset+limit`` for ``query`` on ``index``, the total, and how the words matched.

    Only the shown ``attributes`` are retrieved, ``snippet`` (e.g. ``bodyString:30``), when given, is
    snippeted (nothing is highlighted) and the taxonomy ``filters`` become facet filters.

    Words are sent as prefixes (``queryType: prefixAll``) after our own Dutch stop-word removal and light
    stemming, which is what the Directus path matches too. When no record has every word, the words are
    searched one by one in the same HTTP call and merged, records with more words first.
    """
    if offset + limit > PAGINATION_LIMIT:
        raise SearchUnavailable("offset beyond Algolia's pagination limit")
    terms = query_terms(query)
    base: dict[str, Any] = {
        "indexName": index,
        "queryType": "prefixAll",
        "attributesToRetrieve": list(attributes),
        "attributesToHighlight": [],
        "attributesToSnippet": [snippet] if snippet else [],
        "queryLanguages": ["nl"],
    }
    if filters:
        base["filters"] = algolia_filters(filters)
    [result] = await svc.algolia.search(
        [{**base, "query": " ".join(terms), "offset": offset, "length": limit}]
    )
    total = _int(result.get("nbHits"))
    if total or len(terms) < 2:
        return list(result.get("hits") or []), total, "all_words" if total else "none"
    if offset >= RANK_WINDOW:
        return [], 0, "none"
    results = await svc.algolia.search(
        [{**base, "query": term, "hitsPerPage": RANK_WINDOW, "page": 0} for term in terms]
    )
    words: dict[str, int] = {}
    best: dict[str, int] = {}
    first: dict[str, dict[str, Any]] = {}
    for result in results:
        for rank, hit in enumerate(result.get("hits") or []):
            key = str(hit.get("objectID") or hit.get("id"))
            words[key] = words.get(key, 0) + 1
            best[key] = min(best.get(key, rank), rank)
            first.setdefault(key, hit)
    ordered = sorted(first, key=lambda k: (-words[k], best[k]))
    if not ordered:
        return [], 0, "none"
    return [first[k] for k in ordered[offset : offset + limit]], len(ordered), "some_words"


async def answer_with_fallback(
    tool: str,
    svc: Services,
    algolia: Callable[[], Awaitable[T]] | None,
    directus: Callable[[], Awaitable[T]],
) -> T:
    """Try Algolia (when configured and available), else Directus; log which backend answered."""
    reason = "not used for this request"
    if algolia is not None and svc.algolia.enabled:
        try:
            result = await algolia()
        except SearchUnavailable as exc:
            reason = exc.reason
            if svc.settings.search_backend == "algolia":
                logger.warning("%s: Algolia unavailable (%s); answering from Directus", tool, reason)
        else:
            logger.info("%s answered by algolia", tool)
            return result
    elif not svc.algolia.enabled:
        reason = "ONDERWIJSLOKET_SEARCH_BACKEND=directus"
    result = await directus()
    logger.info("%s answered by directus (Algolia: %s)", tool, reason)
    return result


def _int(value: object) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(0, value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0


_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def as_date(value: object) -> str | None:
    """``YYYY-MM-DD`` from an ISO timestamp (Directus) or a Unix timestamp (Algolia records)."""
    if isinstance(value, str):
        match = _DATE_RE.match(value.strip())
        if match:
            try:
                return date.fromisoformat(match.group(1)).isoformat()
            except ValueError:
                return None
        return None
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        seconds = value / 1000 if value > 1e11 else value  # milliseconds or seconds
        try:
            return datetime.fromtimestamp(seconds).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return None


one_line = render_one_line


async def directus_keyword_search(
    svc: Services,
    collection: str,
    query: str,
    clauses: Sequence[Mapping[str, Any]],
    *,
    fields: Sequence[str],
    match_fields: Sequence[str],
    sort: Sequence[str],
    parse: Callable[[list[dict[str, Any]]], list[T]],
    relevance: Callable[[T, list[str]], tuple[float, int]],
    offset: int,
    limit: int,
) -> tuple[list[T], int, Matched]:
    """Hits ``offset..offset+limit`` for ``query`` on ``collection`` over Directus, the total and how it matched.

    Every significant word must occur in one of ``match_fields``; when no item has them all, items with any
    of them are returned instead (and said so). Within the first ``RANK_WINDOW`` matches the hits are ranked
    by ``relevance`` (lower sorts first); deeper pages follow ``sort``.
    """
    terms = query_terms(query)
    ranked = offset + limit <= RANK_WINDOW

    async def fetch(match: Mapping[str, Any]) -> tuple[list[T], int | None]:
        response = await svc.directus.items(
            collection,
            Query(
                fields=fields,
                filter={"_and": [match, *clauses]},
                sort=sort,
                limit=RANK_WINDOW if ranked else limit,
                offset=None if ranked else offset,
                meta=("filter_count",),
            ),
            optional=all_but_root(fields),
        )
        return parse(response.data), response.total

    matched: Matched = "all_words"
    hits, total = await fetch(all_terms_filter(terms, match_fields))
    if not total and len(terms) > 1:
        matched = "some_words"
        hits, total = await fetch(any_term_filter(terms, match_fields))
    if not total:
        matched = "none"
    if ranked:
        hits.sort(key=lambda hit: relevance(hit, terms))
        hits = hits[offset : offset + limit]
    return hits, total if total is not None else len(hits), matched
