"""An honest in-process HTTP double of Algolia's search API, for tests.

The *real* ``algoliasearch`` 4.x client talks to it over HTTP (see ``AlgoliaDouble.make_client``), so the
code under test exercises its actual wire format, serialisation, retry and error handling. The double
implements the documented Algolia semantics we rely on and *refuses* (HTTP 400, message naming the
parameter) parameters whose effect it does not reproduce, so a test can never pass because the double
silently ignored something real Algolia would have applied.

Known, deliberate differences from real Algolia (see ``docs`` in the report / module README):

* no typo tolerance, synonyms, stop words or decompounding: matching is exact on words, prefix on the last
  query word (``queryType`` prefixLast/prefixAll/prefixNone are honoured). The double is stricter than
  Algolia here: a query finds in it at most what it would find in Algolia (with the default typo tolerance);
* ``ignorePlurals`` for Dutch (``nl``, the only language it accepts) uses Dutch plural rules instead of
  Algolia's declension dictionary (``dutch_forms``): singular and plural forms of the query word match as
  exact words;
* ``optionalWords``: words in it may be missing from a record; records are ranked by how many query words
  they contain (the "words" criterion); with four or more words, all optional, the number of matched
  words required rises every 1,000 results, as documented;
* ``aroundLatLng`` without ``aroundRadius``: real Algolia computes a density-based automatic radius; the
  double cannot reproduce that and by default only ranks by distance (set ``automatic_radius`` to emulate
  a cut-off);
* ties after the ranking formula are broken by ``objectID`` (Algolia's internal order is unspecified).
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import itertools
import json
import math
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

INVALID_KEY_MESSAGE = "Invalid Application-ID or API key"
UNKNOWN_INDEX_MESSAGE = "Index does not exist"
DEFAULT_HITS_PER_PAGE = 20
MAX_HITS_PER_PAGE = 1000
PAGINATION_LIMITED_TO = 1000
DEFAULT_MAX_VALUES_PER_FACET = 100
DEFAULT_SNIPPET_WORDS = 10
DEFAULT_AROUND_PRECISION = 10
EARTH_RADIUS_M = 6_371_000.0


class AlgoliaError(Exception):
    """An error the double answers with ``{"message": ..., "status": ...}``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _bad(message: str) -> AlgoliaError:
    return AlgoliaError(400, message)


# --------------------------------------------------------------------------------------------------------
# Text: folding, tokenising, matching
# --------------------------------------------------------------------------------------------------------

# Combining marks are kept inside a token so text stored in NFD still yields whole words.
_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+")


@functools.lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case- and diacritic-insensitive form (Algolia ignores both by default)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@dataclass(frozen=True)
class Token:
    folded: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(fold(m.group()), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


@dataclass(frozen=True)
class QueryWord:
    text: str  # folded
    prefix: bool
    forms: frozenset[str] = frozenset()  # other declensions that match as exact words (ignorePlurals)
    optional: bool = False  # optionalWords


def _query_words(
    query: str,
    query_type: str,
    *,
    plurals: bool = False,
    optional: frozenset[str] = frozenset(),
) -> list[QueryWord]:
    words = [t.folded for t in tokenize(query)]
    result = []
    for i, word in enumerate(words):
        if query_type == "prefixAll":
            prefix = True
        elif query_type == "prefixNone":
            prefix = False
        else:  # prefixLast, Algolia's default
            prefix = i == len(words) - 1
        forms = dutch_forms(word) if plurals else frozenset()
        result.append(QueryWord(word, prefix, forms, word in optional))
    return result


def _word_match(token: str, word: QueryWord) -> str | None:
    """'exact', 'prefix' or None."""
    if token == word.text or token in word.forms:
        return "exact"
    if word.prefix and token.startswith(word.text):
        return "prefix"
    return None


_VOWELS = set("aeiou")
# Singulars whose plural is -s (the others take -en).
_S_PLURAL_ENDINGS = ("el", "em", "en", "er", "je", "ie", "e", "aar", "eur", "oor")


@functools.lru_cache(maxsize=65536)
def dutch_forms(word: str) -> frozenset[str]:
    """Singular and plural forms of a Dutch word by the spelling rules (-s, -en with vowel and consonant
    doubling, f/v and s/z, -heid/-heden): what ``ignorePlurals`` with ``nl`` treats as the same word.

    Algolia uses a dictionary; rules over-generate a little for words that are not nouns, which only adds
    forms no real word has. Words under three letters have no forms here.
    """
    if len(word) < 3 or not word.isalpha():
        return frozenset()
    forms: set[str] = set()
    # singular -> plural
    forms.update({word + "s", word + "en"})
    if word.endswith("heid"):
        forms.add(word[:-4] + "heden")
    last, before = word[-1], word[-2]
    if last not in _VOWELS and before in _VOWELS:
        soft = {"f": "v", "s": "z"}.get(last, last)
        if word[-3] == before:  # a long vowel written double: leraar -> leraren, school -> scholen
            forms.add(word[:-2] + soft + "en")
        elif word[-3] not in _VOWELS:  # a short vowel: les -> lessen, bus -> bussen
            forms.add(word + last + "en")
        else:  # a diphthong: huis -> huizen, brief -> brieven
            forms.add(word[:-1] + soft + "en")
    # plural -> singular
    if word.endswith("heden"):
        forms.add(word[:-5] + "heid")
    if word.endswith("s") and word[:-1].endswith(_S_PLURAL_ENDINGS):  # docents -/-, vacatures -> vacature
        forms.add(word[:-1])
    if word.endswith("en") and len(word) > 4:
        base = word[:-2]
        base_f = base[:-1] + {"v": "f", "z": "s"}.get(base[-1], base[-1])
        forms.update({base, base_f})
        if len(base) >= 2 and base[-1] == base[-2] and base[-1] not in _VOWELS:  # lessen -> les
            forms.add(base[:-1])
        if len(base) >= 3 and base[-2] in _VOWELS and base[-1] not in _VOWELS and base[-3] not in _VOWELS:
            forms.add(base[:-1] + base[-2] + base_f[-1])  # leraren -> leraar, scholen -> school
    forms.discard(word)
    return frozenset(forms)


# --------------------------------------------------------------------------------------------------------
# Attribute paths
# --------------------------------------------------------------------------------------------------------


def _leaves(value: Any) -> Iterator[Any]:
    if isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _leaves(item)
    elif value is not None:
        yield value


def path_values(obj: Any, path: str) -> list[Any]:
    """All scalar values at a dotted path, descending through arrays at any level (``topics.name``)."""
    parts = path.split(".") if path else []

    def walk(node: Any, rest: list[str]) -> Iterator[Any]:
        if isinstance(node, list):
            for item in node:
                yield from walk(item, rest)
            return
        if not rest:
            yield from _leaves(node)
            return
        if isinstance(node, dict) and rest[0] in node:
            yield from walk(node[rest[0]], rest[1:])

    return list(walk(obj, parts))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _facet_string(value: Any) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    return None


def _searchable_string(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if _is_number(value):
        return _facet_string(value)
    return None


# --------------------------------------------------------------------------------------------------------
# Index settings
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchableAttribute:
    path: str
    rank: int
    ordered: bool


def _parse_searchable(entries: Iterable[str] | None) -> list[SearchableAttribute]:
    result: list[SearchableAttribute] = []
    for rank, entry in enumerate(entries or []):
        entry = entry.strip()
        ordered = True
        m = re.fullmatch(r"unordered\((.+)\)", entry)
        if m:
            entry, ordered = m.group(1), False
        # "title,summary" puts several attributes at the same rank.
        for part in entry.split(","):
            if part.strip():
                result.append(SearchableAttribute(part.strip(), rank, ordered))
    return result


def _parse_facets(entries: Iterable[str]) -> dict[str, bool]:
    """Facet name -> whether counts may be returned (``filterOnly(x)`` may only be filtered on)."""
    facets: dict[str, bool] = {}
    for entry in entries:
        name = entry.strip()
        countable = True
        while True:
            m = re.fullmatch(r"(filterOnly|searchable|afterDistinct)\((.+)\)", name)
            if not m:
                break
            if m.group(1) == "filterOnly":
                countable = False
            name = m.group(2).strip()
        facets[name] = countable
    return facets


def _parse_custom_ranking(entries: Iterable[str] | None) -> list[tuple[str, bool]]:
    result = []
    for entry in entries or []:
        m = re.fullmatch(r"\s*(asc|desc)\((.+)\)\s*", entry)
        if not m:
            raise ValueError(f"customRanking entries look like desc(attr) or asc(attr), got {entry!r}")
        result.append((m.group(2).strip(), m.group(1) == "desc"))
    return result


@dataclass
class Index:
    name: str
    records: list[dict[str, Any]]
    searchable: list[SearchableAttribute]
    facets: dict[str, bool]
    custom_ranking: list[tuple[str, bool]]
    # Precomputed per record: for every searchable attribute, its string values tokenised.
    _tokens: list[list[tuple[SearchableAttribute, int, list[Token]]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._tokens = [self._tokenize_record(r) for r in self.records]

    def searchable_for(self, record: dict[str, Any]) -> list[SearchableAttribute]:
        if self.searchable:
            return self.searchable
        # Algolia: with no searchableAttributes set, every attribute is searchable.
        return [SearchableAttribute(k, 0, False) for k in record if k != "objectID" and not k.startswith("_")]

    def _tokenize_record(self, record: dict[str, Any]) -> list[tuple[SearchableAttribute, int, list[Token]]]:
        result = []
        for attr in self.searchable_for(record):
            for value_index, value in enumerate(path_values(record, attr.path)):
                text = _searchable_string(value)
                if text:
                    result.append((attr, value_index, tokenize(text)))
        return result


# --------------------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------------------

Predicate = Callable[[dict[str, Any]], bool]


@dataclass
class _Tok:
    kind: str  # LP RP OP COLON STR WORD KW END
    text: str
    col: int


_FILTER_TOKEN_RE = re.compile(
    r"""(?P<WS>\s+)|(?P<LP>\()|(?P<RP>\))|(?P<OP><=|>=|!=|<|>|=)|(?P<COLON>:)"""
    r"""|(?P<STR>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<WORD>[^\s()<>=!:"']+)"""
)
_KEYWORDS = {"AND", "OR", "NOT", "TO"}


def _lex_filters(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _FILTER_TOKEN_RE.match(text, pos)
        if not m:
            raise _bad(f"filters: Unexpected character {text[pos]!r} at col {pos + 1}")
        kind = m.lastgroup or ""
        value = m.group()
        if kind == "STR":
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif kind == "WORD" and value in _KEYWORDS:
            kind = "KW"
        if kind != "WS":
            tokens.append(_Tok(kind, value, pos + 1))
        pos = m.end()
    tokens.append(_Tok("END", "", len(text) + 1))
    return tokens


@dataclass
class FilterNode:
    kind: str  # facet tag num range not and or
    attr: str = ""
    value: Any = None
    op: str = ""
    high: float = 0.0
    children: list[FilterNode] = field(default_factory=list)
    paren: bool = False

    @property
    def atomic(self) -> bool:
        return self.kind in {"facet", "tag", "num", "range"}


def _number(text: str, where: str, col: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _bad(f"{where}: Expected a number, got {text!r} at col {col}") from None
    if math.isnan(value) or math.isinf(value):
        raise _bad(f"{where}: Expected a number, got {text!r} at col {col}")
    return value


class _FilterParser:
    """Recursive descent over Algolia's ``filters`` syntax; Algolia's structural limits are checked after."""

    def __init__(self, text: str, where: str = "filters") -> None:
        self.where = where
        self.tokens = _lex_filters(text)
        self.pos = 0

    def peek(self) -> _Tok:
        return self.tokens[self.pos]

    def take(self) -> _Tok:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, tok: _Tok, expected: str) -> AlgoliaError:
        shown = "end of filter" if tok.kind == "END" else repr(tok.text)
        return _bad(f"{self.where}: Unexpected token {shown} expected {expected} at col {tok.col}")

    def parse(self) -> FilterNode:
        node = self.parse_or()
        if self.peek().kind != "END":
            raise self.error(self.peek(), "AND, OR or end of filter")
        return node

    def parse_or(self) -> FilterNode:
        children = [self.parse_and()]
        while self.peek().kind == "KW" and self.peek().text == "OR":
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else FilterNode("or", children=children)

    def parse_and(self) -> FilterNode:
        children = [self.parse_unary()]
        while self.peek().kind == "KW" and self.peek().text == "AND":
            self.take()
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else FilterNode("and", children=children)

    def parse_unary(self) -> FilterNode:
        tok = self.peek()
        if tok.kind == "KW" and tok.text == "NOT":
            self.take()
            return FilterNode("not", children=[self.parse_unary()])
        if tok.kind == "LP":
            self.take()
            node = self.parse_or()
            if self.peek().kind != "RP":
                raise self.error(self.peek(), "')'")
            self.take()
            node.paren = True
            return node
        return self.parse_atom()

    def parse_atom(self) -> FilterNode:
        tok = self.take()
        if tok.kind not in {"WORD", "STR"}:
            raise self.error(tok, "a filter")
        name = tok.text
        nxt = self.peek()
        if nxt.kind == "COLON":
            self.take()
            value_tok = self.take()
            if value_tok.kind not in {"WORD", "STR"}:
                raise self.error(value_tok, "a value")
            if self.peek().kind == "KW" and self.peek().text == "TO":
                self.take()
                high_tok = self.take()
                if high_tok.kind != "WORD":
                    raise self.error(high_tok, "a number")
                low = _number(value_tok.text, self.where, value_tok.col)
                high = _number(high_tok.text, self.where, high_tok.col)
                return FilterNode("range", attr=name, value=low, high=high)
            if name == "_tags":
                return FilterNode("tag", value=value_tok.text)
            return FilterNode("facet", attr=name, value=value_tok.text)
        if nxt.kind == "OP":
            self.take()
            value_tok = self.take()
            if value_tok.kind != "WORD":
                raise self.error(value_tok, "a number")
            return FilterNode(
                "num", attr=name, op=nxt.text, value=_number(value_tok.text, self.where, value_tok.col)
            )
        # A bare value is a tag filter (Algolia: "public OR user_42" means _tags:public OR _tags:user_42).
        return FilterNode("tag", value=name)


def _check_filter_shape(root: FilterNode, where: str) -> None:
    """Algolia only accepts ANDs of ORs of (possibly negated) single filters."""

    def check_not(node: FilterNode) -> None:
        if node.kind == "not" and not node.children[0].atomic:
            raise _bad(f"{where}: NOT can only negate a single filter, not a group")

    def check_or(node: FilterNode) -> None:
        for child in node.children:
            if child.kind in {"and", "or"}:
                raise _bad(f"{where}: filter (X AND Y) OR Z is not allowed; only ANDs of ORs are supported")
            check_not(child)

    def check_and_member(node: FilterNode) -> None:
        if node.kind == "and":
            raise _bad(f"{where}: parentheses around an AND group are not allowed")
        if node.kind == "or":
            check_or(node)
        check_not(node)

    if root.kind == "and":
        if root.paren:
            raise _bad(f"{where}: parentheses around an AND group are not allowed")
        for child in root.children:
            check_and_member(child)
    else:
        check_and_member(root)


def parse_filters(text: str) -> FilterNode | None:
    if not text or not text.strip():
        return None
    root = _FilterParser(text).parse()
    _check_filter_shape(root, "filters")
    return root


def _numeric_compare(value: float, op: str, target: float) -> bool:
    return {
        "<": value < target,
        "<=": value <= target,
        "=": value == target,
        "!=": value != target,
        ">=": value >= target,
        ">": value > target,
    }[op]


class FilterEvaluator:
    def __init__(self, index: Index) -> None:
        self.index = index

    def facet_matches(self, record: dict[str, Any], attr: str, value: str) -> bool:
        # Facet filtering needs the attribute in attributesForFaceting; otherwise nothing matches.
        if attr not in self.index.facets:
            return False
        wanted = value.casefold()  # Algolia: facet matching is not case sensitive
        try:
            wanted_number: float | None = float(value)
        except ValueError:
            wanted_number = None
        for leaf in path_values(record, attr):
            if wanted_number is not None and _is_number(leaf) and float(leaf) == wanted_number:
                return True
            text = _facet_string(leaf)
            if text is not None and text.casefold() == wanted:
                return True
        return False

    def tag_matches(self, record: dict[str, Any], value: str) -> bool:
        return any(isinstance(tag, str) and tag == value for tag in path_values(record, "_tags"))

    def numeric_values(self, record: dict[str, Any], attr: str) -> list[float]:
        return [float(v) for v in path_values(record, attr) if _is_number(v)]

    def evaluate(self, node: FilterNode, record: dict[str, Any]) -> bool:
        if node.kind == "facet":
            return self.facet_matches(record, node.attr, str(node.value))
        if node.kind == "tag":
            return self.tag_matches(record, str(node.value))
        if node.kind == "num":
            return any(
                _numeric_compare(v, node.op, node.value) for v in self.numeric_values(record, node.attr)
            )
        if node.kind == "range":
            return any(node.value <= v <= node.high for v in self.numeric_values(record, node.attr))
        if node.kind == "not":
            return not self.evaluate(node.children[0], record)
        if node.kind == "and":
            return all(self.evaluate(c, record) for c in node.children)
        if node.kind == "or":
            return any(self.evaluate(c, record) for c in node.children)
        raise AssertionError(node.kind)


def _list_filter_groups(value: Any, name: str) -> list[list[str]]:
    """facetFilters/numericFilters/tagFilters: outer list AND, inner list OR. A bare string is one filter."""
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                raise _bad(f"{name}: invalid JSON array") from None
        else:
            return [[value]]
    if not isinstance(value, list):
        raise _bad(f"{name}: expected a string or an array")
    groups: list[list[str]] = []
    for item in value:
        if isinstance(item, str):
            groups.append([item])
        elif isinstance(item, list) and all(isinstance(x, str) for x in item):
            groups.append(list(item))
        else:
            raise _bad(f"{name}: only strings and arrays of strings are allowed (one level of nesting)")
    return groups


def _facet_filter_predicate(groups: list[list[str]], evaluator: FilterEvaluator) -> Predicate:
    parsed: list[list[tuple[str, str, bool]]] = []
    for group in groups:
        alternatives = []
        for item in group:
            attr, sep, value = item.partition(":")
            if not sep or not attr:
                raise _bad(f"facetFilters: expected 'attribute:value', got {item!r}")
            negate = False
            if value.startswith("\\-"):
                value = value[1:]  # escaped leading minus is literal
            elif value.startswith("-"):
                negate, value = True, value[1:]
            alternatives.append((attr, value, negate))
        parsed.append(alternatives)

    def predicate(record: dict[str, Any]) -> bool:
        return all(
            any(evaluator.facet_matches(record, a, v) != neg for a, v, neg in alternatives)
            for alternatives in parsed
        )

    return predicate


def _numeric_filter_predicate(groups: list[list[str]], evaluator: FilterEvaluator) -> Predicate:
    parsed: list[list[FilterNode]] = []
    for group in groups:
        nodes = []
        for item in group:
            node = _FilterParser(item, "numericFilters").parse()
            if node.kind not in {"num", "range"}:
                raise _bad(f"numericFilters: expected 'attr<op>number' or 'attr:low TO high', got {item!r}")
            nodes.append(node)
        parsed.append(nodes)
    return lambda record: all(any(evaluator.evaluate(n, record) for n in nodes) for nodes in parsed)


def _tag_filter_predicate(groups: list[list[str]], evaluator: FilterEvaluator) -> Predicate:
    def one(record: dict[str, Any], tag: str) -> bool:
        if tag.startswith("-"):
            return not evaluator.tag_matches(record, tag[1:])
        return evaluator.tag_matches(record, tag)

    return lambda record: all(any(one(record, t) for t in group) for group in groups)


# --------------------------------------------------------------------------------------------------------
# Geo
# --------------------------------------------------------------------------------------------------------


def haversine_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def geo_points(record: dict[str, Any]) -> list[tuple[float, float]]:
    raw = record.get("_geoloc")
    items = raw if isinstance(raw, list) else [raw]
    points = []
    for item in items:
        if isinstance(item, dict):
            try:
                points.append((float(item["lat"]), float(item["lng"])))
            except (KeyError, TypeError, ValueError):
                continue
    return points


_LATLNG_RE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$")


@dataclass
class GeoQuery:
    lat: float
    lng: float
    radius: float | None  # None: no cut-off
    precision: int | list[dict[str, int]]
    reported_precision: int = 1

    def bucket(self, distance: float) -> int:
        return int(distance // self.precision_at(distance))

    def precision_at(self, distance: float) -> int:
        if isinstance(self.precision, int):
            return max(DEFAULT_AROUND_PRECISION, self.precision)
        chosen = DEFAULT_AROUND_PRECISION
        for band in sorted(self.precision, key=lambda b: b.get("from", 0)):
            if distance >= band.get("from", 0):
                chosen = max(DEFAULT_AROUND_PRECISION, int(band.get("value", DEFAULT_AROUND_PRECISION)))
        return chosen


# --------------------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------------------

_INT_PARAMS = {
    "page", "hitsPerPage", "offset", "length", "maxValuesPerFacet", "minimumAroundRadius",
    "personalizationImpact", "relevancyStrictness", "minWordSizefor1Typo", "minWordSizefor2Typos",
    "minProximity", "maxFacetHits",
}  # fmt: skip
_BOOL_PARAMS = {
    "getRankingInfo", "analytics", "clickAnalytics", "percentileComputation", "enableABTest",
    "synonyms", "restrictHighlightAndSnippetArrays", "allowTyposOnNumericTokens", "decompoundQuery",
    "enableRules", "enablePersonalization", "advancedSyntax", "replaceSynonymsInHighlight",
    "attributeCriteriaComputedByMinProximity", "enableReRanking", "aroundLatLngViaIP",
    "sumOrFiltersScores", "facetingAfterDistinct",
}  # fmt: skip
_LIST_PARAMS = {
    "facets", "attributesToRetrieve", "attributesToHighlight", "attributesToSnippet",
    "restrictSearchableAttributes", "analyticsTags", "ruleContexts", "naturalLanguages", "queryLanguages",
    "disableTypoToleranceOnAttributes", "disableExactOnAttributes", "alternativesAsExact",
    "advancedSyntaxFeatures", "responseFields", "ranking",
}  # fmt: skip
_JSON_PARAMS = {
    "facetFilters", "numericFilters", "tagFilters", "optionalFilters", "aroundRadius", "aroundPrecision",
    "insideBoundingBox", "insidePolygon", "typoTolerance", "ignorePlurals", "removeStopWords",
    "optionalWords", "distinct", "renderingContent", "semanticSearch", "reRankingApplyFilter",
    "attributeCriteriaComputedBy",
}  # fmt: skip
_STR_PARAMS = {
    "query", "similarQuery", "filters", "aroundLatLng", "userToken", "highlightPreTag", "highlightPostTag",
    "snippetEllipsisText", "queryType", "removeWordsIfNoResults", "mode", "exactOnSingleWordQuery",
    "sortFacetValuesBy",
}  # fmt: skip
# Request-envelope keys of a multi-query entry, not search parameters.
_ENVELOPE = {"indexName", "params", "type", "facet", "facetQuery", "extensions"}
KNOWN_PARAMS = _INT_PARAMS | _BOOL_PARAMS | _LIST_PARAMS | _JSON_PARAMS | _STR_PARAMS

# Parameters whose effect the double does not reproduce: allowed only with a value that has no effect.
_NEUTRAL: dict[str, Callable[[Any], bool]] = {
    "similarQuery": lambda v: not v,
    "optionalFilters": lambda v: not v,
    "aroundLatLngViaIP": lambda v: v is False,
    "insideBoundingBox": lambda v: not v,
    "insidePolygon": lambda v: not v,
    "naturalLanguages": lambda v: not v,
    "ranking": lambda v: not v,
    "restrictHighlightAndSnippetArrays": lambda v: v is False,
    "removeStopWords": lambda v: v is False or v == "false" or v == [],
    "advancedSyntax": lambda v: v is False,
    "removeWordsIfNoResults": lambda v: v == "none",
    "distinct": lambda v: v in (False, 0),
    "mode": lambda v: v == "keywordSearch",
    "enablePersonalization": lambda v: v is False,
    "enableReRanking": lambda v: v is False,
    "queryType": lambda v: v in {"prefixLast", "prefixAll", "prefixNone"},
    "sortFacetValuesBy": lambda v: v in {"count", "alpha"},
}


def _coerce(name: str, value: Any) -> Any:
    """Coerce a parameter that may arrive as a string (``params`` query string) to its JSON type."""
    for names, coerce in (
        (_INT_PARAMS, _to_int),
        (_BOOL_PARAMS, _to_bool),
        (_LIST_PARAMS, _to_list),
        (_JSON_PARAMS, _to_json),
        (_STR_PARAMS, _to_str),
    ):
        if name in names:
            return coerce(name, value)
    return value


def _to_int(name: str, value: Any) -> int:
    if isinstance(value, bool):
        raise _bad(f"Invalid value for {name}: expected an integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _bad(f"Invalid value for {name}: expected an integer") from None


def _to_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false", "1", "0"}:
        return value.lower() in {"true", "1"}
    if isinstance(value, int):
        return bool(value)
    raise _bad(f"Invalid value for {name}: expected a boolean")


def _to_list(name: str, value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if not isinstance(value, str):
        raise _bad(f"Invalid value for {name}: expected an array of strings")
    if value.strip().startswith("["):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            raise _bad(f"Invalid value for {name}: invalid JSON array") from None
        return [str(v) for v in parsed]
    return [v.strip() for v in value.split(",") if v.strip()]


def _to_json(_: str, value: Any) -> Any:
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in {"[", "{"} or stripped in {"true", "false"} or re.fullmatch(r"-?\d+", stripped):
            try:
                return json.loads(stripped)
            except json.JSONDecodeError:
                return value
    return value


def _to_str(name: str, value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise _bad(f"Invalid value for {name}: expected a string")
    return value


def normalize_params(raw: dict[str, Any]) -> dict[str, Any]:
    """Merge the urlencoded ``params`` string with inline parameters, validate names and coerce types."""
    merged: dict[str, Any] = {}
    params_string = raw.get("params")
    if isinstance(params_string, str) and params_string:
        for key, value in parse_qsl(params_string, keep_blank_values=True):
            merged[key] = value
    elif params_string not in (None, ""):
        raise _bad("Invalid value for params: expected a urlencoded string")
    for key, value in raw.items():
        if key not in _ENVELOPE:
            merged[key] = value
    result: dict[str, Any] = {}
    for key, value in merged.items():
        if key in _ENVELOPE:
            continue
        if key not in KNOWN_PARAMS:
            raise _bad(f"Unknown parameter: {key}")
        result[key] = _coerce(key, value)
    for key, value in result.items():
        neutral = _NEUTRAL.get(key)
        if neutral is not None and not neutral(value):
            raise _bad(
                f"AlgoliaDouble does not implement {key}={json.dumps(value)}; extend the double or drop it"
            )
    return result


def encode_params(params: dict[str, Any]) -> str:
    """Algolia echoes the parameters as a urlencoded string (arrays/objects as JSON)."""
    pairs = []
    for key, value in params.items():
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, list | dict):
            text = json.dumps(value, separators=(",", ":"))
        else:
            text = str(value)
        pairs.append((key, text))
    return urlencode(pairs)


# --------------------------------------------------------------------------------------------------------
# Matching, ranking, highlighting
# --------------------------------------------------------------------------------------------------------


@dataclass
class _Match:
    record: dict[str, Any]
    first_matched_word: int = 0
    proximity: int = 0
    exact_words: int = 0
    words: int = 0
    distance: float | None = None
    geo_point: tuple[float, float] | None = None
    geo_bucket: int = 0


def _match_record(
    token_table: list[tuple[SearchableAttribute, int, list[Token]]],
    words: list[QueryWord],
    restrict: set[str] | None,
) -> _Match | None:
    # hits[word_index] = list of (attr, value_index, position, kind)
    hits: list[list[tuple[SearchableAttribute, int, int, str]]] = [[] for _ in words]
    for attr, value_index, tokens in token_table:
        if restrict is not None and attr.path not in restrict:
            continue
        for position, token in enumerate(tokens):
            for wi, word in enumerate(words):
                kind = _word_match(token.folded, word)
                if kind:
                    hits[wi].append((attr, value_index, position, kind))
    # Every required word must match; optional words may be missing, but some word must match.
    if any(not h and not w.optional for h, w in zip(hits, words, strict=True)):
        return None
    found = [h for h in hits if h]
    if words and not found:
        return None
    m = _Match(record={})
    m.words = len(found)
    m.exact_words = sum(1 for h in found if any(k == "exact" for _, _, _, k in h))
    if found:
        best_rank = min(a.rank for h in found for a, _, _, _ in h)
        in_best = [(a, p) for h in found for a, _, p, _ in h if a.rank == best_rank]
        position = min((p for a, p in in_best if a.ordered), default=0)
        m.first_matched_word = best_rank * 1000 + min(position, 999)
    m.proximity = _proximity(found)
    return m


def _proximity(found: list[list[tuple[SearchableAttribute, int, int, str]]]) -> int:
    """The distances between the matched words, in query order, each the closest pair in one value."""
    proximity = 0
    for current, following in itertools.pairwise(found):
        best = 8  # Algolia caps the distance between two query words at 8
        for a1, v1, p1, _ in current:
            for a2, v2, p2, _ in following:
                if a1.path == a2.path and v1 == v2:
                    best = min(best, max(1, abs(p2 - p1)))
        proximity += best
    return proximity


def _required_words(rank: int, words: list[QueryWord]) -> int:
    """Matched words a record needs at this rank: with four or more words, all optional, one more (or
    words/5 more from ten words on) for every 1,000 results (optionalWords, "Long queries")."""
    if len(words) < 4 or not all(w.optional for w in words):
        return 0
    step = 1 if len(words) < 10 else len(words) // 5
    return 1 + (rank // 1000) * step


def _compare_values(a: Any, b: Any) -> int:
    if (_is_number(a) and _is_number(b)) or (isinstance(a, bool) and isinstance(b, bool)):
        return (a > b) - (a < b)
    sa, sb = str(a), str(b)
    return (sa > sb) - (sa < sb)


def _custom_value(record: dict[str, Any], path: str) -> Any:
    values = path_values(record, path)
    return values[0] if values else None


def _highlight_text(
    text: str,
    words: list[QueryWord],
    pre: str,
    post: str,
) -> tuple[str, str, list[str], bool]:
    """(value with tags, matchLevel, matchedWords, fullyHighlighted)."""
    tokens = tokenize(text)
    spans: list[tuple[int, int]] = []
    matched: set[int] = set()
    fully = bool(tokens)
    for token in tokens:
        best_end = None
        for wi, word in enumerate(words):
            kind = _word_match(token.folded, word)
            if kind == "exact":
                best_end = token.end
                matched.add(wi)
            elif kind == "prefix":
                end = _original_prefix_end(text, token, len(word.text))
                best_end = max(best_end or 0, end)
                matched.add(wi)
        if best_end is not None:
            spans.append((token.start, best_end))
        if best_end != token.end:
            fully = False
    out = []
    last = 0
    for start, end in spans:
        out.append(text[last:start])
        out.append(pre + text[start:end] + post)
        last = end
    out.append(text[last:])
    if not words or not matched:
        level = "none"
    elif len(matched) == len(words):
        level = "full"
    else:
        level = "partial"
    matched_words = [words[i].text for i in sorted(matched)]
    return "".join(out), level, matched_words, fully and level != "none"


def _original_prefix_end(text: str, token: Token, folded_length: int) -> int:
    """End offset in the original text covering ``folded_length`` folded characters of the token."""
    covered = 0
    pos = token.start
    while pos < token.end and covered < folded_length:
        covered += len(fold(text[pos]))
        pos += 1
    # Swallow combining marks that belong to the last highlighted character.
    while pos < token.end and unicodedata.combining(text[pos]):
        pos += 1
    return pos


def _snippet_text(
    text: str,
    words: list[QueryWord],
    size: int,
    pre: str,
    post: str,
    ellipsis: str,
) -> tuple[str, str]:
    tokens = tokenize(text)
    _, level, _, _ = _highlight_text(text, words, pre, post)
    if len(tokens) <= size:
        value, _, _, _ = _highlight_text(text, words, pre, post)
        return value, level
    hit_positions = [i for i, t in enumerate(tokens) if any(_word_match(t.folded, w) for w in words)]
    start = 0
    if hit_positions:
        best_count = -1
        for s in range(len(tokens) - size + 1):
            count = sum(1 for p in hit_positions if s <= p < s + size)
            if count > best_count:
                best_count, start = count, s
        inside = [p for p in hit_positions if start <= p < start + size]
        free = size - (inside[-1] - inside[0] + 1)
        start = max(0, min(inside[0] - free // 2, len(tokens) - size))
    end = start + size
    begin_char = tokens[start].start
    end_char = tokens[end - 1].end
    # Keep punctuation glued to the last word ("word." / "word,").
    limit = tokens[end].start if end < len(tokens) else len(text)
    while end_char < limit and not text[end_char].isspace():
        end_char += 1
    value, _, _, _ = _highlight_text(text[begin_char:end_char], words, pre, post)
    if start > 0:
        value = ellipsis + " " + value
    if end < len(tokens):
        value = value + " " + ellipsis
    return value, level


def _tree_for_path(obj: Any, parts: list[str], leaf: Callable[[str], Any]) -> Any:
    """Mirror the record's structure along ``parts``, applying ``leaf`` to every string found."""
    if isinstance(obj, list):
        items = [_tree_for_path(item, parts, leaf) for item in obj]
        return [item for item in items if item is not None]
    if not parts:
        if isinstance(obj, dict):
            result = {}
            for key, value in obj.items():
                sub = _tree_for_path(value, [], leaf)
                if sub is not None:
                    result[key] = sub
            return result
        text = _searchable_string(obj)
        return leaf(text) if text is not None else None
    if isinstance(obj, dict) and parts[0] in obj:
        sub = _tree_for_path(obj[parts[0]], parts[1:], leaf)
        return None if sub is None else {parts[0]: sub}
    return {} if isinstance(obj, dict) else None


def _merge_trees(a: Any, b: Any) -> Any:
    if a is None:
        return b
    if b is None:
        return a
    if isinstance(a, dict) and isinstance(b, dict) and not ("value" in a and "matchLevel" in a):
        merged = dict(a)
        for key, value in b.items():
            merged[key] = _merge_trees(merged.get(key), value)
        return merged
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [_merge_trees(x, y) for x, y in zip(a, b, strict=True)]
    return a


def _project(record: dict[str, Any], attributes: list[str]) -> dict[str, Any]:
    """``attributesToRetrieve`` incl. nested paths, ``*`` and ``-attr`` exclusions (with ``*``)."""
    if "*" in attributes:
        result = json.loads(json.dumps(record))
        for attr in attributes:
            if attr.startswith("-"):
                _remove_path(result, attr[1:].split("."))
        return result
    result: dict[str, Any] = {}
    for attr in attributes:
        if attr.startswith("-"):
            continue
        sub = _pick_path(record, attr.split("."))
        if sub is not _MISSING:
            result = _merge_trees(result, sub) if result else sub
    return json.loads(json.dumps(result))


_MISSING = object()


def _pick_path(obj: Any, parts: list[str]) -> Any:
    if not parts:
        return obj
    if isinstance(obj, list):
        picked = [_pick_path(item, parts) for item in obj]
        return [p if p is not _MISSING else {} for p in picked]
    if isinstance(obj, dict) and parts[0] in obj:
        sub = _pick_path(obj[parts[0]], parts[1:])
        return _MISSING if sub is _MISSING else {parts[0]: sub}
    return _MISSING


def _remove_path(obj: Any, parts: list[str]) -> None:
    if isinstance(obj, list):
        for item in obj:
            _remove_path(item, parts)
    elif isinstance(obj, dict) and parts and parts[0] in obj:
        if len(parts) == 1:
            del obj[parts[0]]
        else:
            _remove_path(obj[parts[0]], parts[1:])


def _optional_words(value: Any) -> frozenset[str]:
    """``optionalWords``: a string or a list of strings, each a set of words (not a phrase)."""
    if value is None or value == "" or value == []:
        return frozenset()
    entries = [value] if isinstance(value, str) else value
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise _bad("Invalid value for optionalWords: expected a string or a list of strings")
    return frozenset(t.folded for entry in entries for t in tokenize(entry))


def _plural_languages(params: dict[str, Any]) -> set[str]:
    """Languages ``ignorePlurals`` applies to: its own list, or ``queryLanguages`` when it is true."""
    value = params.get("ignorePlurals")
    if value is None or value is False or value in ("false", []):
        return set()
    if isinstance(value, list):
        languages = {str(v) for v in value}
    elif value is True or value == "true":
        languages = {str(v) for v in params.get("queryLanguages") or []}
        if not languages:
            raise _bad('AlgoliaDouble implements ignorePlurals only for nl: set queryLanguages to ["nl"]')
    else:
        raise _bad("Invalid value for ignorePlurals: expected a boolean or a list of language codes")
    if languages != {"nl"}:
        raise _bad(f"AlgoliaDouble implements ignorePlurals only for nl, not {sorted(languages)}")
    return languages


def search_index(
    index: Index, params: dict[str, Any], *, automatic_radius: int | None = None
) -> dict[str, Any]:
    """Run one (already normalised) query against one index and build Algolia's response."""
    started = time.perf_counter()
    query = params.get("query") or ""
    words = _query_words(
        query,
        params.get("queryType") or "prefixLast",
        plurals=_plural_languages(params) == {"nl"},
        optional=_optional_words(params.get("optionalWords")),
    )
    restrict_list = params.get("restrictSearchableAttributes")
    restrict = set(restrict_list) if restrict_list else None
    geo = _geo_query(params, automatic_radius)
    matches = _matches(index, words, restrict, _predicates(index, params), geo)
    matches.sort(key=functools.cmp_to_key(_ranking(index)))
    if _required_words(0, words):
        kept: list[_Match] = []
        for m in matches:
            if m.words >= _required_words(len(kept), words):
                kept.append(m)
        matches = kept

    page = _Page.of(params, len(matches))
    hits = [
        _hit(index, m, params, words, geo, userscore=len(matches) - (page.first + rank))
        for rank, m in enumerate(matches[:PAGINATION_LIMITED_TO][page.first : page.first + page.size])
    ]
    response: dict[str, Any] = {
        "hits": hits,
        "nbHits": len(matches),
        "page": page.number,
        "nbPages": page.pages,
        "hitsPerPage": page.hits_per_page,
        "exhaustiveNbHits": True,
        "exhaustiveTypo": True,
        "exhaustive": {"nbHits": True, "typo": True},
        "query": query,
        "params": encode_params(params),
        "processingTimeMS": max(1, int((time.perf_counter() - started) * 1000)),
    }
    if page.by_offset:
        response["offset"] = params.get("offset", 0)
        response["length"] = params.get("length", page.hits_per_page)
    if geo is not None and geo.radius is not None and params.get("aroundRadius") is None:
        response["automaticRadius"] = str(int(geo.radius))
    facet_names = params.get("facets") or []
    if facet_names:
        facets, stats = _facet_counts(index, [m.record for m in matches], facet_names, params)
        response["facets"] = facets
        if stats:
            response["facets_stats"] = stats
        response["exhaustiveFacetsCount"] = True
        response["exhaustive"]["facetsCount"] = True
    if params.get("getRankingInfo"):
        response["parsedQuery"] = " ".join(w.text for w in words)
        response["serverUsed"] = "algolia-double"
    fields = params.get("responseFields")
    if fields is not None and "*" not in fields:
        response = {k: v for k, v in response.items() if k in fields}
    return response


def _predicates(index: Index, params: dict[str, Any]) -> list[Predicate]:
    """The query's filters (``filters``, ``facetFilters``, ``numericFilters``, ``tagFilters``), each a
    predicate on a record."""
    evaluator = FilterEvaluator(index)
    predicates: list[Predicate] = []
    tree = parse_filters(params.get("filters") or "")
    if tree is not None:
        predicates.append(functools.partial(evaluator.evaluate, tree))
    for name, predicate in (
        ("facetFilters", _facet_filter_predicate),
        ("numericFilters", _numeric_filter_predicate),
        ("tagFilters", _tag_filter_predicate),
    ):
        groups = _list_filter_groups(params.get(name), name)
        if groups:
            predicates.append(predicate(groups, evaluator))
    return predicates


def _matches(
    index: Index,
    words: list[QueryWord],
    restrict: set[str] | None,
    predicates: list[Predicate],
    geo: GeoQuery | None,
) -> list[_Match]:
    """The records that pass the filters, lie within the geo radius (if any) and match the words."""
    matches: list[_Match] = []
    for record, token_table in zip(index.records, index._tokens, strict=True):
        if not all(p(record) for p in predicates):
            continue
        distance = None
        point = None
        if geo is not None:
            points = geo_points(record)
            if not points:
                continue  # geo queries only return records that have a _geoloc
            distance, point = min((haversine_m(geo.lat, geo.lng, la, ln), (la, ln)) for la, ln in points)
            if geo.radius is not None and distance > geo.radius:
                continue
        m = _match_record(token_table, words, restrict)
        if m is None:
            continue
        m.record = record
        if geo is not None and distance is not None:
            m.distance, m.geo_point, m.geo_bucket = distance, point, geo.bucket(distance)
        matches.append(m)
    return matches


def _ranking(index: Index) -> Callable[[_Match, _Match], int]:
    """Algolia's default formula: typo, geo, words, filters, proximity, attribute, exact, custom."""

    def compare(a: _Match, b: _Match) -> int:
        for x, y in (
            (a.geo_bucket, b.geo_bucket),
            (-a.words, -b.words),
            (a.proximity, b.proximity),
            (a.first_matched_word, b.first_matched_word),
            (-a.exact_words, -b.exact_words),
        ):
            if x != y:
                return -1 if x < y else 1
        for path, desc in index.custom_ranking:
            va, vb = _custom_value(a.record, path), _custom_value(b.record, path)
            if va is None or vb is None:
                if va is None and vb is None:
                    continue
                return 1 if va is None else -1  # records missing the attribute come last
            c = _compare_values(va, vb)
            if c:
                return -c if desc else c
        oa, ob = str(a.record.get("objectID")), str(b.record.get("objectID"))
        return (oa > ob) - (oa < ob)

    return compare


@dataclass(frozen=True)
class _Page:
    """Which hits a query asked for: a page (``page``, ``hitsPerPage``) or ``offset`` and ``length``."""

    number: int
    hits_per_page: int
    pages: int
    first: int  # the rank of the first hit shown
    size: int
    by_offset: bool

    @classmethod
    def of(cls, params: dict[str, Any], total: int) -> _Page:
        hits_per_page = params.get("hitsPerPage", DEFAULT_HITS_PER_PAGE)
        if not 0 <= hits_per_page <= MAX_HITS_PER_PAGE:
            raise _bad(f"hitsPerPage must be between 0 and {MAX_HITS_PER_PAGE}")
        page = params.get("page", 0)
        if page < 0:
            raise _bad("page must be >= 0")
        reachable = min(total, PAGINATION_LIMITED_TO)
        pages = math.ceil(reachable / hits_per_page) if hits_per_page else 0
        if "offset" in params or "length" in params:
            first = params.get("offset", 0)
            return cls(page, hits_per_page, pages, first, params.get("length", hits_per_page), True)
        return cls(page, hits_per_page, pages, page * hits_per_page, hits_per_page, False)


def _hit(
    index: Index,
    m: _Match,
    params: dict[str, Any],
    words: list[QueryWord],
    geo: GeoQuery | None,
    *,
    userscore: int,
) -> dict[str, Any]:
    """One hit: the retrieved attributes with their highlights, snippets and ranking info as asked."""
    record = m.record
    hit = _project(record, params.get("attributesToRetrieve") or ["*"])
    hit["objectID"] = record["objectID"]
    pre = params.get("highlightPreTag") or "<em>"
    post = params.get("highlightPostTag") or "</em>"
    to_highlight = params.get("attributesToHighlight")
    highlight_paths = (
        [a.path for a in index.searchable_for(record)] if to_highlight is None else list(to_highlight)
    )
    if "*" in highlight_paths:
        highlight_paths = [k for k in record if k != "objectID" and not k.startswith("_")]
    if highlight_paths:
        tree: Any = None
        for path in highlight_paths:
            sub = _tree_for_path(record, path.split("."), lambda s: _highlight_option(s, words, pre, post))
            tree = _merge_trees(tree, sub)
        hit["_highlightResult"] = tree or {}
    to_snippet = params.get("attributesToSnippet") or []
    if to_snippet:
        hit["_snippetResult"] = _snippets(record, to_snippet, params, words, pre, post)
    if params.get("getRankingInfo"):
        hit["_rankingInfo"] = _ranking_info(m, geo, userscore)
    return hit


def _snippets(
    record: dict[str, Any],
    specs: list[str],
    params: dict[str, Any],
    words: list[QueryWord],
    pre: str,
    post: str,
) -> Any:
    snip_tree: Any = None
    ellipsis = params.get("snippetEllipsisText", "…")
    for spec in specs:
        path, _, size_text = spec.partition(":")
        size = int(size_text) if size_text.strip().isdigit() else DEFAULT_SNIPPET_WORDS
        paths = [k for k in record if k != "objectID" and not k.startswith("_")] if path == "*" else [path]
        for p in paths:
            sub = _tree_for_path(
                record,
                p.split("."),
                lambda s, n=size, e=ellipsis: _snippet_option(s, words, n, pre, post, e),
            )
            snip_tree = _merge_trees(snip_tree, sub)
    return snip_tree or {}


def _ranking_info(m: _Match, geo: GeoQuery | None, userscore: int) -> dict[str, Any]:
    info: dict[str, Any] = {
        "nbTypos": 0,
        "firstMatchedWord": m.first_matched_word,
        "proximityDistance": m.proximity,
        # Internal to Algolia; higher ranks better. Unique per hit within this result set.
        "userScore": userscore,
        "geoDistance": 0,
        "geoPrecision": 1,
        "nbExactWords": m.exact_words,
        "words": m.words,
        "filters": 0,
    }
    if geo is not None and m.distance is not None and m.geo_point is not None:
        # Algolia reports geoPrecision 1 (geoDistance in metres) unless aroundPrecision is set.
        precision = geo.reported_precision
        info["geoPrecision"] = precision
        info["geoDistance"] = round(m.distance) // precision
        info["matchedGeoLocation"] = {
            "lat": m.geo_point[0],
            "lng": m.geo_point[1],
            "distance": round(m.distance),
        }
    return info


def _highlight_option(text: str, words: list[QueryWord], pre: str, post: str) -> dict[str, Any]:
    value, level, matched, fully = _highlight_text(text, words, pre, post)
    option: dict[str, Any] = {"value": value, "matchLevel": level, "matchedWords": matched}
    if level != "none":
        option["fullyHighlighted"] = fully
    return option


def _snippet_option(
    text: str, words: list[QueryWord], size: int, pre: str, post: str, ellipsis: str
) -> dict[str, Any]:
    value, level = _snippet_text(text, words, size, pre, post, ellipsis)
    return {"value": value, "matchLevel": level}


def _geo_query(params: dict[str, Any], automatic_radius: int | None) -> GeoQuery | None:
    around = params.get("aroundLatLng")
    if not around:
        return None  # Algolia ignores aroundRadius without a centre
    m = _LATLNG_RE.match(around)
    if not m:
        raise _bad(f"Invalid value for aroundLatLng: {around!r} (expected 'lat,lng')")
    lat, lng = float(m.group(1)), float(m.group(2))
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise _bad(f"Invalid value for aroundLatLng: {around!r} (out of range)")
    radius_param = params.get("aroundRadius")
    radius: float | None
    if radius_param is None:
        if automatic_radius is not None:
            radius = float(max(automatic_radius, params.get("minimumAroundRadius") or 0))
        else:
            radius = None
    elif radius_param == "all":
        radius = None
    elif isinstance(radius_param, int) and not isinstance(radius_param, bool) and radius_param >= 1:
        radius = float(radius_param)
    else:
        raise _bad(f"Invalid value for aroundRadius: {radius_param!r} (expected an integer >= 1 or 'all')")
    precision_param = params.get("aroundPrecision")
    precision: int | list[dict[str, int]]
    if precision_param is None:
        precision = DEFAULT_AROUND_PRECISION
    elif (isinstance(precision_param, int) and not isinstance(precision_param, bool)) or (
        isinstance(precision_param, list) and all(isinstance(b, dict) for b in precision_param)
    ):
        precision = precision_param
    else:
        raise _bad(f"Invalid value for aroundPrecision: {precision_param!r}")
    reported = max(DEFAULT_AROUND_PRECISION, precision) if isinstance(precision_param, int) else 1
    return GeoQuery(lat, lng, radius, precision, reported)


def _facet_counts(
    index: Index, records: list[dict[str, Any]], names: list[str], params: dict[str, Any]
) -> tuple[dict[str, dict[str, int]], dict[str, dict[str, float]]]:
    wanted = [n for n, countable in index.facets.items() if countable] if "*" in names else names
    limit = params.get("maxValuesPerFacet", DEFAULT_MAX_VALUES_PER_FACET)
    by = params.get("sortFacetValuesBy") or "count"
    facets: dict[str, dict[str, int]] = {}
    stats: dict[str, dict[str, float]] = {}
    for name in wanted:
        if not index.facets.get(name):
            continue  # undeclared or filterOnly facets have no counts
        counts: dict[str, int] = {}
        display: dict[str, str] = {}
        numbers: list[float] = []
        for record in records:
            seen: set[str] = set()
            for leaf in path_values(record, name):
                text = _facet_string(leaf)
                if text is None:
                    continue
                if _is_number(leaf):
                    numbers.append(float(leaf))
                key = text.casefold()
                if key in seen:
                    continue
                seen.add(key)
                display.setdefault(key, text)
                counts[key] = counts.get(key, 0) + 1
        if not counts:
            continue
        if by == "alpha":
            ordered = sorted(counts, key=lambda k: display[k])
        else:
            ordered = sorted(counts, key=lambda k: (-counts[k], display[k]))
        facets[name] = {display[k]: counts[k] for k in ordered[:limit]}
        if numbers:
            stats[name] = {
                "min": min(numbers),
                "max": max(numbers),
                "avg": sum(numbers) / len(numbers),
                "sum": sum(numbers),
            }
    return facets, stats


# --------------------------------------------------------------------------------------------------------
# The HTTP server
# --------------------------------------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    method: str
    path: str  # without the query string
    query: dict[str, str]  # query-string parameters (api key value redacted)
    headers: dict[str, str]  # lower-cased names; the api key's value is redacted
    key_matched: bool
    app_id_matched: bool
    body: Any  # parsed JSON body (or raw text when it is not JSON)
    status: int = 0
    # Normalised (indexName, params) per search in the request, once it was understood.
    queries: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def index_names(self) -> list[str]:
        return [name for name, _ in self.queries]


@dataclass
class _Failure:
    status: int
    remaining: int
    retry_after: int | str | None


_FAILURE_MESSAGES = {
    400: "Bad request",
    403: INVALID_KEY_MESSAGE,
    404: "Not Found",
    429: "Too many requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class AlgoliaDouble:
    """An Algolia search endpoint on 127.0.0.1 that the real ``algoliasearch`` client can talk to.

    Use as a context manager (``with AlgoliaDouble() as algolia: ...``) or call ``start()``/``stop()``.
    """

    def __init__(
        self,
        app_id: str = "TESTAPPID",
        api_keys: Iterable[str] = ("test-algolia-key",),
        *,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.app_id = app_id
        self.api_keys: set[str] = set(api_keys)
        self.host = host
        self.port = port
        self.requests: list[RecordedRequest] = []
        self.indexes: dict[str, Index] = {}
        # Seconds to wait before answering (to exercise client timeouts).
        self.latency: float = 0.0
        # Emulates Algolia's density-based radius when aroundLatLng comes without aroundRadius;
        # None means "rank by distance only" (what the Onderwijsloket docs describe).
        self.automatic_radius: int | None = None
        self._initial_keys = set(self.api_keys)
        self._baseline: dict[str, Index] | None = None
        self._failures: list[_Failure] = []
        self._down_mode: str | None = None
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------------

    def start(self) -> AlgoliaDouble:
        if self._server is not None:
            return self
        double = self

        class Handler(_Handler):
            owner = double

        server = ThreadingHTTPServer((self.host, self.port), Handler)
        server.daemon_threads = True
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, name="algolia-double", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> AlgoliaDouble:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- test controls ---------------------------------------------------------------------------------

    def load_index(
        self,
        name: str,
        records: Iterable[dict[str, Any]],
        *,
        searchable_attributes: Iterable[str] | None,
        attributes_for_faceting: Iterable[str],
        custom_ranking: Iterable[str] | None = None,
    ) -> None:
        """Replace index ``name``. ``searchable_attributes`` empty/None means every attribute (Algolia's default)."""
        copied = json.loads(json.dumps(list(records)))
        for record in copied:
            if not isinstance(record, dict) or not isinstance(record.get("objectID"), str | int):
                raise ValueError(f"every record of {name!r} needs an objectID: {record!r}")
            record["objectID"] = str(record["objectID"])
        index = Index(
            name=name,
            records=copied,
            searchable=_parse_searchable(searchable_attributes),
            facets=_parse_facets(attributes_for_faceting),
            custom_ranking=_parse_custom_ranking(custom_ranking),
        )
        with self._lock:
            self.indexes[name] = index

    def delete_index(self, name: str) -> None:
        with self._lock:
            self.indexes.pop(name, None)

    def rotate_key(self, new: str, *, old: str | None = None) -> None:
        """Accept ``new``; invalidate ``old`` (or every current key when ``old`` is not given)."""
        with self._lock:
            if old is None:
                self.api_keys.clear()
            else:
                self.api_keys.discard(old)
            self.api_keys.add(new)

    def fail_next(self, status: int, times: int = 1, retry_after: int | str | None = None) -> None:
        """Answer the next ``times`` requests with ``status`` (queued after earlier injected failures)."""
        with self._lock:
            self._failures.append(_Failure(status, times, retry_after))

    def set_down(self, down: bool = True, *, mode: str = "refuse") -> None:
        """``mode="refuse"`` closes the listening socket (connection refused; reopened on the same port by
        ``set_down(False)``); ``mode="503"`` keeps listening but answers every request with 503."""
        if mode not in {"refuse", "503"}:
            raise ValueError("mode is 'refuse' or '503'")
        with self._lock:
            if down:
                self._down_mode = mode
            else:
                self._down_mode = None
        if down and mode == "refuse":
            self.stop()
        elif not down and self._server is None:
            self.start()

    @property
    def is_down(self) -> bool:
        return self._down_mode is not None

    def clear_requests(self) -> None:
        with self._lock:
            self.requests.clear()

    def mark_baseline(self) -> None:
        """Remember the current indexes; ``reset()`` restores them (drops indexes loaded by a test)."""
        with self._lock:
            self._baseline = dict(self.indexes)

    def reset(self) -> None:
        """Back to a healthy state: initial keys, no injected failures or latency, an empty request log and
        (after ``mark_baseline()``) the baseline indexes."""
        with self._lock:
            if self._baseline is not None:
                self.indexes = dict(self._baseline)
            self.api_keys = set(self._initial_keys)
            self._failures.clear()
            self.requests.clear()
            self.latency = 0.0
            self.automatic_radius = None
        if self._down_mode is not None:
            self.set_down(False, mode=self._down_mode)

    def search(self, index_name: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run a query in-process, bypassing HTTP (handy for checking the double itself)."""
        with self._lock:
            index = self.indexes.get(index_name)
        if index is None:
            raise AlgoliaError(404, UNKNOWN_INDEX_MESSAGE)
        return search_index(index, normalize_params(params or {}), automatic_radius=self.automatic_radius)

    # -- clients -----------------------------------------------------------------------------------------

    def search_config(self, api_key: str | None = None, *, app_id: str | None = None) -> Any:
        from algoliasearch.http.hosts import Host, HostsCollection
        from algoliasearch.search.config import SearchConfig

        key = api_key if api_key is not None else sorted(self.api_keys)[0]
        cfg = SearchConfig(app_id or self.app_id, key)
        cfg.hosts = HostsCollection([Host(url=self.host, port=self.port, scheme="http")])
        # An HTTP(S)_PROXY in the environment would otherwise be applied to 127.0.0.1 too.
        cfg.proxies = {}
        return cfg

    def make_client(self, api_key: str | None = None, *, app_id: str | None = None) -> Any:
        """A real async ``SearchClient`` pointed at this double (close it with ``await client.close()``)."""
        from algoliasearch.search.client import SearchClient

        return SearchClient.create_with_config(config=self.search_config(api_key, app_id=app_id))

    # -- request handling (called from server threads) -------------------------------------------------

    def handle(
        self, method: str, raw_path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        split = urlsplit(raw_path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        key = headers.get("x-algolia-api-key") or query.get("x-algolia-api-key")
        app_id = headers.get("x-algolia-application-id") or query.get("x-algolia-application-id")
        shown_headers = {k: ("<redacted>" if k == "x-algolia-api-key" else v) for k, v in headers.items()}
        shown_query = {k: ("<redacted>" if k == "x-algolia-api-key" else v) for k, v in query.items()}
        if headers.get("content-encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        text = body.decode("utf-8", errors="replace")
        parsed_body: Any
        try:
            parsed_body = json.loads(text) if text else None
        except json.JSONDecodeError:
            parsed_body = text
        with self._lock:
            key_ok = key is not None and key in self.api_keys
            record = RecordedRequest(
                method=method,
                path=split.path,
                query=shown_query,
                headers=shown_headers,
                key_matched=key_ok,
                app_id_matched=app_id == self.app_id,
                body=parsed_body,
            )
            self.requests.append(record)
            failure = None
            if self._down_mode == "503":
                failure = _Failure(503, 1, None)
            elif self._failures:
                failure = self._failures[0]
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.pop(0)
        if self.latency:
            time.sleep(self.latency)
        if failure is not None:
            extra = {"Retry-After": str(failure.retry_after)} if failure.retry_after is not None else {}
            message = _FAILURE_MESSAGES.get(failure.status, "Injected failure")
            return self._reply(record, failure.status, {"message": message, "status": failure.status}, extra)
        if not key_ok or app_id != self.app_id:
            return self._reply(record, 403, {"message": INVALID_KEY_MESSAGE, "status": 403})
        try:
            status, payload = self._route(method, split.path, query, parsed_body, record)
        except AlgoliaError as exc:
            status, payload = exc.status, {"message": exc.message, "status": exc.status}
        return self._reply(record, status, payload)

    def _reply(
        self, record: RecordedRequest, status: int, payload: Any, extra: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        record.status = status
        headers = {"Content-Type": "application/json; charset=UTF-8", **(extra or {})}
        return status, headers, json.dumps(payload, ensure_ascii=False).encode("utf-8")

    def _index(self, name: str) -> Index:
        with self._lock:
            index = self.indexes.get(name)
        if index is None:
            raise AlgoliaError(404, UNKNOWN_INDEX_MESSAGE)
        return index

    def _route(
        self, method: str, path: str, query: dict[str, str], body: Any, record: RecordedRequest
    ) -> tuple[int, Any]:
        parts = [unquote(p) for p in path.split("/")]
        # ['', '1', 'indexes', name, action]
        if (
            method == "POST"
            and len(parts) == 5
            and parts[1:3] == ["1", "indexes"]
            and parts[3] == "*"
            and parts[4] == "queries"
        ):
            return 200, self._multi_query(body, record)
        if method == "POST" and len(parts) == 5 and parts[1:3] == ["1", "indexes"] and parts[4] == "query":
            if body is not None and not isinstance(body, dict):
                raise _bad("Invalid JSON body")
            params = normalize_params(body or {})
            record.queries.append((parts[3], params))
            index = self._index(parts[3])
            return 200, search_index(index, params, automatic_radius=self.automatic_radius)
        if method == "GET" and len(parts) == 5 and parts[1:3] == ["1", "indexes"] and parts[3] != "*":
            index = self._index(parts[3])
            for item in index.records:
                if item["objectID"] == parts[4]:
                    wanted = query.get("attributesToRetrieve")
                    attrs = _coerce("attributesToRetrieve", wanted) if wanted else ["*"]
                    result = _project(item, attrs)
                    result["objectID"] = item["objectID"]
                    return 200, result
            raise AlgoliaError(404, "ObjectID does not exist")
        raise _bad(f"AlgoliaDouble does not implement {method} {path}")

    def _multi_query(self, body: Any, record: RecordedRequest) -> dict[str, Any]:
        if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
            raise _bad('Invalid body: expected {"requests": [...]}')
        strategy = body.get("strategy", "none")
        if strategy not in {"none", "stopIfEnoughMatches"}:
            raise _bad(f"Invalid value for strategy: {strategy!r}")
        planned = []
        for entry in body["requests"]:
            if not isinstance(entry, dict) or not isinstance(entry.get("indexName"), str):
                raise _bad("Every request needs an indexName")
            if entry.get("type", "default") != "default":
                raise _bad(f"AlgoliaDouble does not implement multi-query type={entry.get('type')!r}")
            params = normalize_params(entry)
            record.queries.append((entry["indexName"], params))
            planned.append((entry["indexName"], params))
        results = []
        for name, params in planned:
            result = search_index(self._index(name), params, automatic_radius=self.automatic_radius)
            result["index"] = name
            results.append(result)
            if strategy == "stopIfEnoughMatches" and result["nbHits"] >= params.get(
                "hitsPerPage", DEFAULT_HITS_PER_PAGE
            ):
                break
        return {"results": results}


class _Handler(BaseHTTPRequestHandler):
    owner: AlgoliaDouble
    protocol_version = "HTTP/1.0"  # one request per connection, so set_down() takes effect at once

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, reply_headers, payload = self.owner.handle(self.command, self.path, headers, body)
        self.send_response(status)
        for name, value in reply_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        # The client may have given up waiting (timeout tests): then there is nobody to answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(payload)

    # http.server dispatches on these names (do_<METHOD>), so they cannot be snake_case.
    do_GET = _serve  # noqa: N815
    do_POST = _serve  # noqa: N815
    do_PUT = _serve  # noqa: N815
    do_DELETE = _serve  # noqa: N815

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean; every request is in AlgoliaDouble.requests
