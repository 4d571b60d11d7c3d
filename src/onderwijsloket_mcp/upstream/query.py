"""A Directus item query, built from typed arguments and checked before it is sent.

Field names and sort keys come from our code and must match a strict pattern; every value a user typed
reaches Directus only inside JSON (``filter``, ``deep``) or as the plain ``search`` parameter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# Field paths and sort keys: identifiers, dots, M2A "item:collection" selectors and "*" wildcards only.
_FIELD_RE = re.compile(r"^[A-Za-z_*][A-Za-z0-9_*]*(?:[.:][A-Za-z_*][A-Za-z0-9_*]*)*$")
_SORT_RE = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")


def all_but_root(fields: Sequence[str]) -> frozenset[str]:
    """Every field path except the root wildcard: for ``optional=`` when only ``*`` is sure to exist."""
    return frozenset(f for f in fields if f != "*")


def check_field(name: str) -> str:
    if not _FIELD_RE.match(name):
        raise ValueError(f"invalid field path {name!r}")
    return name


def check_sort(name: str) -> str:
    if not _SORT_RE.match(name):
        raise ValueError(f"invalid sort key {name!r}")
    return name


@dataclass(frozen=True)
class Query:
    """A Directus item query. Only ``filter``/``deep`` (JSON) and ``search`` may carry user text."""

    fields: Sequence[str] = ("*",)
    filter: Mapping[str, Any] | None = None
    search: str | None = None
    sort: Sequence[str] = ()
    limit: int | None = None
    offset: int | None = None
    meta: Sequence[str] = ()
    deep: Mapping[str, Any] | None = None

    def to_params(self) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if self.fields:
            params.append(("fields", ",".join(check_field(f) for f in self.fields)))
        if self.filter:
            params.append(("filter", _json(_literal_safe(self.filter))))
        if self.search is not None and self.search.strip():
            params.append(("search", self.search))
        if self.sort:
            params.append(("sort", ",".join(check_sort(s) for s in self.sort)))
        if self.limit is not None:
            params.append(("limit", str(int(self.limit))))
        if self.offset is not None:
            params.append(("offset", str(max(0, int(self.offset)))))
        if self.meta:
            params.append(
                ("meta", ",".join(m for m in self.meta if m in ("total_count", "filter_count", "*")))
            )
        if self.deep:
            params.append(("deep", _json(_literal_safe(self.deep))))
        return params


# Directus turns the filter strings "true", "false", "null" and "NULL" into a boolean or null before any
# operator runs (parseFilter in @directus/utils, checked on 11.17). A case-insensitive operator then calls
# toLowerCase() on it and the request fails with HTTP 500; "_eq": "null" turns into "is null". Those operators
# lower-case the value themselves, so another spelling of the same word keeps the meaning exactly.
_COERCED_LITERALS = {"true": "True", "false": "False", "null": "Null", "NULL": "Null"}
_CASE_INSENSITIVE_OPERATORS = frozenset(
    {
        "_icontains",
        "_nicontains",
        "_istarts_with",
        "_nistarts_with",
        "_iends_with",
        "_niends_with",
        "_ieq",
        "_nieq",
    }
)


def _literal_safe(node: Any, operator: str | None = None) -> Any:
    """``node`` with every user string Directus would coerce spelled so that it stays the string it is."""
    if isinstance(node, Mapping):
        safe: dict[str, Any] = {}
        for key, value in node.items():
            if key == "_eq" and isinstance(value, str) and value in ("null", "NULL"):
                # No spelling keeps "null" a string for _eq; in a list it becomes [null], which matches
                # nothing (as the literal would in practice) instead of every item where the field is empty.
                safe["_in"] = [value]
            else:
                safe[key] = _literal_safe(value, key)
        return safe
    if isinstance(node, list | tuple):
        return [_literal_safe(value, operator) for value in node]
    if isinstance(node, str) and operator in _CASE_INSENSITIVE_OPERATORS:
        return _COERCED_LITERALS.get(node, node)
    return node


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
