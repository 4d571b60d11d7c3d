"""The shared taxonomies (sectors, topics, audiences, phases, roles, qualifications, tracks).

Lists are read live (cached per token) so a filter value can be checked and resolved to an id; an unknown
value gets an error listing the valid ones, closest first.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from .errors import InvalidInputError
from .ranking.vocabulary import SECTOR_ALIASES
from .text import clean_text, fold
from .upstream.directus import DirectusClient, names, related
from .upstream.query import Query

# Longest taxonomy value a caller may pass (labels are far shorter): fuzzy matching costs time in the length
# of the input, so nothing longer is ever folded or compared.
MAX_VALUE_LENGTH = 200


@dataclass(frozen=True)
class TaxonomySpec:
    name: str  # the plural name used in resource URIs
    argument: str  # the tool argument that filters by it (the singular)
    collection: str
    label_field: str  # "title" or "name" (documented per collection)
    junction_field: str  # e.g. "topics_id" in faqs.topics.topics_id
    description: str


TAXONOMIES: dict[str, TaxonomySpec] = {
    spec.name: spec
    for spec in (
        TaxonomySpec(
            "sectors", "sector", "sectors", "title", "sectors_id", "the five Dutch education sectors"
        ),
        TaxonomySpec(
            "topics",
            "topic",
            "topics",
            "name",
            "topics_id",
            "subjects such as salary, lateral entry, legislation",
        ),
        TaxonomySpec(
            "audiences",
            "audience",
            "audiences",
            "title",
            "audiences_id",
            "who content is for (career switchers, ...)",
        ),
        TaxonomySpec(
            "phases",
            "phase",
            "phases",
            "title",
            "phases_id",
            "stages of the candidate journey (orientation, ...)",
        ),
        TaxonomySpec("roles", "role", "roles", "name", "roles_id", "jobs in education"),
        TaxonomySpec(
            "qualifications",
            "qualification",
            "qualifications",
            "name",
            "qualifications_id",
            "teaching qualifications",
        ),
        TaxonomySpec("tracks", "track", "tracks", "name", "tracks_id", "ways to obtain a qualification"),
    )
}


# Every tool argument that filters by a taxonomy -> the taxonomy it names (a label, slug or id of one term).
FILTER_ARGUMENTS: dict[str, str] = {spec.argument: spec.name for spec in TAXONOMIES.values()}

# The fixed choices among the filters, with no taxonomy behind them: a programme's level and study form, as the
# API stores them.
ProgramLevel = Literal["mbo", "bachelor", "master", "phd", "post-graduate", "preparatory", "associate"]
StudyFormName = Literal["voltijd", "deeltijd", "duaal"]
PROGRAM_LEVELS: tuple[str, ...] = get_args(ProgramLevel)


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    slug: str | None
    path: str | None
    keys: frozenset[str]  # folded forms that select this term


async def load_terms(client: DirectusClient, taxonomy: str) -> list[Term]:
    spec = TAXONOMIES[taxonomy]
    # "*" keeps this working when an optional field (slug, path, alt_names) is absent in a deployment.
    response = await client.items_cached(spec.collection, Query(fields=("*",), limit=-1, sort=("id",)))
    terms = [t for t in (_term(spec, item) for item in response.data) if t is not None]
    terms.sort(key=lambda t: fold(t.label))
    return terms


def _term(spec: TaxonomySpec, item: dict[str, Any]) -> Term | None:
    label = (
        clean_text(item.get(spec.label_field))
        or clean_text(item.get("title"))
        or clean_text(item.get("name"))
    )
    if item.get("id") is None or not label:
        return None
    slug = clean_text(item.get("slug")) or None
    path = clean_text(item.get("path")) or None
    keys = {fold(label), str(item["id"]).lower()}
    if slug:
        keys.add(fold(slug))
    alt = item.get("alt_names")
    if isinstance(alt, str):
        alt = list(alt.replace(";", ",").split(","))
    if isinstance(alt, list):
        keys.update(fold(a) for a in alt if isinstance(a, str) and a.strip())
    if spec.name == "sectors":
        keys.update(alias for alias, target in SECTOR_ALIASES.items() if fold(label) == target)
    keys.discard("")
    return Term(id=str(item["id"]), label=label, slug=slug, path=path, keys=frozenset(keys))


async def resolve(client: DirectusClient, taxonomy: str, value: str, *, argument: str | None = None) -> Term:
    """Find the term a user meant (label, slug, id or alias; case- and accent-insensitive)."""
    terms = await load_terms(client, taxonomy)
    return match_term(terms, taxonomy, value, argument=argument)


def match_term(terms: list[Term], taxonomy: str, value: str, *, argument: str | None = None) -> Term:
    argument = argument or TAXONOMIES[taxonomy].argument
    if len(value) > MAX_VALUE_LENGTH:
        raise InvalidInputError(
            f"'{argument}' is {len(value):,} characters long; a {argument} is at most {MAX_VALUE_LENGTH} "
            f"characters. Valid values: {_listing(terms)}."
        )
    wanted = fold(value)
    if not wanted:
        raise InvalidInputError(f"'{argument}' is empty. Valid values: {_listing(terms)}.")
    for term in terms:
        if wanted in term.keys or value.strip().lower() in term.keys:
            return term
    # A unique prefix or substring is what a person means ("salaris" -> "Salaris en arbeidsvoorwaarden").
    partial = [t for t in terms if any(k.startswith(wanted) for k in t.keys)] or [
        t for t in terms if wanted in fold(t.label)
    ]
    if len(partial) == 1:
        return partial[0]
    labels = {fold(t.label): t.label for t in terms}
    closest = difflib.get_close_matches(wanted, list(labels), n=3, cutoff=0.5)
    hint = f" Did you mean: {', '.join(labels[c] for c in closest)}?" if closest else ""
    if len(partial) > 1:
        hint = f" '{clean_text(value)[:60]}' fits several: {', '.join(t.label for t in partial[:6])}."
    raise InvalidInputError(
        f"Unknown {argument} '{clean_text(value)[:60]}'.{hint} Valid values: {_listing(terms)}."
    )


def _listing(terms: list[Term], limit: int = 40) -> str:
    labels = [t.label for t in terms[:limit]]
    more = f" (and {len(terms) - limit} more)" if len(terms) > limit else ""
    return (", ".join(labels) or "none are readable with this token") + more


def relation_filter(taxonomy: str, term: Term, relation: str | None = None) -> dict[str, Any]:
    """Directus filter for items linked (M2M) to ``term``: ``{"topics": {"topics_id": {"id": {"_eq": id}}}}``."""
    spec = TAXONOMIES[taxonomy]
    return {relation or spec.collection: {spec.junction_field: {"id": {"_eq": term.id}}}}


def has_term(item: Mapping[str, Any], taxonomy: str, term: Term, relation: str | None = None) -> bool:
    """Whether an item read with :func:`relation_fields` is linked to ``term``: what :func:`relation_filter`
    selects, for items already at hand."""
    spec = TAXONOMIES[taxonomy]
    linked = related(item.get(relation or spec.collection), spec.junction_field)
    return any(str(target.get("id")) == term.id for target in linked)


def labels(item: Mapping[str, Any], taxonomy: str, *, junctions: bool = True) -> list[str]:
    """The names of the terms an item is linked to, from a Directus item read with :func:`relation_fields`
    (``junctions``: M2M rows) or an Algolia record (flattened relations); unreadable ones skipped."""
    spec = TAXONOMIES[taxonomy]
    return names(item.get(spec.collection), spec.label_field, spec.junction_field if junctions else None)


def relation_fields(taxonomy: str, relation: str | None = None) -> list[str]:
    spec = TAXONOMIES[taxonomy]
    base = f"{relation or spec.collection}.{spec.junction_field}"
    return [f"{base}.id", f"{base}.{spec.label_field}"]
