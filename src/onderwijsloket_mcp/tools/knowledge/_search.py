"""What the knowledge-base tools (FAQs, articles) share: filter resolution, the ranked search on either
backend (ranking/ranker.py ranks; Directus supplies the whole list, Algolia the candidates), backend choice,
dates and summaries."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

import anyio

from ... import taxonomy
from ...errors import OnderwijsloketError
from ...ranking.ranker import Lexicon, SearchIndex, Verdict, algolia_words, lexicon, verdict_of
from ...services import Services
from ...upstream.algolia import PAGINATION_LIMIT, SearchUnavailableError
from ...upstream.query import Query, all_but_root
from .._common import ResolvedFilter, algolia_filters

CONFIDENCE_HELP = (
    "high: the first result covers the question and probably answers it; low: none seems to answer it (the "
    "best match lacks the words in missing) and the results only share other words of the question, so they "
    "are no answer to present; none: nothing matched."
)
MISSING_HELP = "With confidence low: the words of the question the best match lacks, as typed."


def doubt(missing: Sequence[str]) -> str:
    """The caveat on results that probably do not answer the question (``confidence`` low), in the words of
    the structured result's ``missing``."""
    terms = (
        ", ".join(f"'{m}'" for m in missing[:-1])
        + (" or " if len(missing) > 1 else "")
        + (f"'{missing[-1]}'" if missing else "")
    )
    lacks = f": the best match lacks {terms}" if missing else ""
    return f"none seems to answer the question{lacks}; these only share other words of it, and are no answer to it"


def no_hits_step(*, filtered: bool, listed: bool, examples: str, elsewhere: str) -> str:
    """What to try when a search found nothing: fewer filters or other words (``listed``: a list without a
    query, where only a filter can be dropped), with example words and the other knowledge tool."""
    if listed:
        advice = "drop a filter"
    else:
        advice = (
            "drop a filter or use broader Dutch words" if filtered else "use fewer or broader Dutch words"
        )
    return f"Try to {advice} (e.g. {examples}), or {elsewhere}."


logger = logging.getLogger("onderwijsloket_mcp.search")

T = TypeVar("T")

# Algolia: the first RANK_WINDOW candidates are ranked again locally; deeper pages keep Algolia's order.
RANK_WINDOW = 100
# Without the sector names (no permission, API trouble) search uses the built-in vocabulary this long.
LEXICON_RETRY = 60.0


async def search_lexicon(svc: Services) -> Lexicon:
    """The domain vocabulary with the sectors' own names and ``alt_names`` from the API (cached per token);
    without them (no permission, API trouble) the built-in table alone, and the API is asked again only
    after ``LEXICON_RETRY`` seconds."""
    key = (svc.directus.token_tag, "search-lexicon")
    cached: Lexicon | None = svc.directus.cache.get(key)
    if cached is not None:
        return cached
    ttl: float | None = None
    try:
        terms = await taxonomy.load_terms(svc.directus, "sectors")
    except OnderwijsloketError as exc:
        logger.info(
            "Sector names for search unavailable (%s); using the built-in vocabulary", type(exc).__name__
        )
        terms, ttl = [], LEXICON_RETRY
    groups = tuple(sorted(tuple(sorted(k for k in t.keys if k != t.id.lower())) for t in terms))
    found = lexicon(groups)
    svc.directus.cache.set(key, found, ttl=ttl)
    return found


async def algolia_keyword_search(
    svc: Services,
    index: str,
    query: str,
    filters: Sequence[ResolvedFilter],
    *,
    attributes: Sequence[str],
    fields: Callable[[Mapping[str, Any]], Sequence[tuple[float, str]]],
    snippet: str | None = None,
    offset: int,
    limit: int,
) -> tuple[list[dict[str, Any]], int, Verdict]:
    """Hits ``offset..offset+limit`` for ``query`` on ``index``, the total, and whether the first answers it.

    One Algolia query: the question's words and their domain alternatives (ranker.algolia_words), all
    optional, as prefixes, with Dutch plurals. Within the first ``RANK_WINDOW`` hits the candidates are
    ranked again with the Directus backend's ranker over ``fields`` of each record; deeper pages keep
    Algolia's order. Only the shown ``attributes`` are retrieved, ``snippet`` (e.g. ``bodyString:30``),
    when given, is snippeted (nothing is highlighted) and the taxonomy ``filters`` become facet filters.
    """
    if offset + limit > PAGINATION_LIMIT:
        raise SearchUnavailableError("offset beyond Algolia's pagination limit")
    lex = await search_lexicon(svc)
    words = algolia_words(query, lex)
    ranked = offset + limit <= RANK_WINDOW
    request: dict[str, Any] = {
        "indexName": index,
        "query": " ".join(words),
        "queryType": "prefixAll",
        "queryLanguages": ["nl"],
        "ignorePlurals": ["nl"],
        "optionalWords": words,
        "attributesToRetrieve": list(attributes),
        "attributesToHighlight": [],
        "attributesToSnippet": [snippet] if snippet else [],
        **({"hitsPerPage": RANK_WINDOW, "page": 0} if ranked else {"offset": offset, "length": limit}),
    }
    if filters:
        request["filters"] = algolia_filters(filters)
    [result] = await svc.algolia.search([request])
    hits: list[dict[str, Any]] = list(result.get("hits") or [])
    total = _int(result.get("nbHits"))
    if not hits:
        return [], total, Verdict("none")
    search_index = await anyio.to_thread.run_sync(SearchIndex, [fields(h) for h in hits], lex)
    order = search_index.rank(query)
    # Candidates only Algolia found (a typo it tolerated) contain none of the question the ranker sees.
    verdict = verdict_of(order) if order else Verdict("low", search_index.asked(query))
    if not ranked:
        return hits, total, verdict
    # Candidates Algolia found in ways the ranker does not see follow, in its order.
    positions = [r.position for r in order]
    ranked_positions = set(positions)
    positions += [p for p in range(len(hits)) if p not in ranked_positions]
    return [hits[p] for p in positions[offset : offset + limit]], total, verdict


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


async def directus_keyword_search(
    svc: Services,
    collection: str,
    query: str,
    clauses: Sequence[Mapping[str, Any]],
    filters: Sequence[ResolvedFilter],
    *,
    fields: Sequence[str],
    document: Callable[[Mapping[str, Any]], Sequence[tuple[float, str]]],
    parse: Callable[[list[dict[str, Any]]], list[T]],
    offset: int,
    limit: int,
) -> tuple[list[T], int, Verdict]:
    """Hits ``offset..offset+limit`` for ``query`` in ``collection``, the total and whether the first answers
    it.

    The items matching the fixed ``clauses`` are read whole (``fields``, which must include the filters'
    relation fields) once per token and cache period, indexed (ranker.SearchIndex over ``document``'s
    weighted text fields of each item) and ranked locally: Directus' own ``search`` matches one substring and
    cannot rank. The taxonomy ``filters`` are applied to the ranked items, so one list serves every filter.
    Items matching no word are left out.
    """
    listing = Query(
        fields=fields, filter={"_and": list(clauses)} if clauses else None, limit=-1, sort=("id",)
    )
    key = (svc.directus.token_tag, "search-index", collection, tuple(listing.to_params()))

    async def build() -> tuple[list[dict[str, Any]], SearchIndex]:
        # The list first: when Directus fails, that is the error to report, without a detour.
        response = await svc.directus.items(collection, listing, optional=all_but_root(fields))
        lex = await search_lexicon(svc)
        items = response.data
        return items, await anyio.to_thread.run_sync(SearchIndex, [document(i) for i in items], lex)

    items, search_index = await svc.directus.cache.get_or_fetch(key, build)
    order = [
        r
        for r in search_index.rank(query)
        if all(taxonomy.has_term(items[r.position], f.taxonomy, f.term) for f in filters)
    ]
    page = parse([items[r.position] for r in order[offset : offset + limit]])
    return page, len(order), verdict_of(order)
