"""Output schemas as published: in the form clients validate fastest (input schemas: :mod:`.input_schema`).

Clients re-validate every structuredContent against the tool's output schema (the SDK client does, with
jsonschema). Resolving ``$ref`` costs more than the checks themselves: for a page of 10 programmes, inlining
the definitions halves the validation time. The schemas pydantic generates use each definition once or a few
times, so inlining barely changes their size; the auto-generated titles ("Distance Km" for ``distance_km``,
the class name of an inlined model) say nothing a client can use and are dropped. Recursive definitions stay
as ``$ref`` so the result is always finite.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_DEFS_PREFIX = "#/$defs/"
# Keywords that describe rather than constrain: one beside a $ref may replace the definition's own.
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "examples", "deprecated", "readOnly", "writeOnly"}
)


def compact_output_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with its non-recursive ``$defs`` inlined and generated titles removed (same semantics)."""
    defs = schema.get("$defs")
    inliner = _Inliner(defs if isinstance(defs, Mapping) else {})
    result = inliner.walk(schema, (), None)
    if not isinstance(result, dict):  # pragma: no cover - a schema is always an object
        return dict(schema)
    if inliner.kept:
        result["$defs"] = inliner.kept
    collapsed: dict[str, Any] = _collapse_nullable(result)
    return collapsed


class _Inliner:
    """Walks a schema, replacing each ``$ref`` to a definition by the definition itself; recursive ones stay
    references, and their definitions are ``kept``."""

    def __init__(self, definitions: Mapping[str, Any]) -> None:
        self.definitions = definitions
        self.kept: dict[str, Any] = {}

    def walk(self, node: Any, stack: tuple[str, ...], prop: str | None) -> Any:
        """``node`` inlined; ``stack`` holds the definitions being inlined around it, ``prop`` the property
        it is the schema of (its generated title is dropped)."""
        if isinstance(node, list):
            return [self.walk(item, stack, None) for item in node]
        if not isinstance(node, Mapping):
            return node
        ref = node.get("$ref")
        if not (isinstance(ref, str) and ref.startswith(_DEFS_PREFIX)):
            return self.walk_keys(node, stack, prop, keep_ref=False)
        name = ref.removeprefix(_DEFS_PREFIX)
        target = self.definitions.get(name)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        if not isinstance(target, Mapping) or any(k in target and k not in _ANNOTATIONS for k in siblings):
            return self.walk_keys(node, stack, prop, keep_ref=True)
        if name in stack:  # recursive: keep the reference and its definition
            if name not in self.kept:
                self.kept[name] = None  # reserve first, so the walk below cannot loop
                self.kept[name] = self.walk(target, (*stack, name), None)
            return self.walk_keys(node, stack, prop, keep_ref=True)
        inlined = self.walk(target, (*stack, name), None)
        if inlined.get("title") == name:
            inlined.pop("title")
        # Keywords beside a $ref (a field's description, default) apply to the same instance.
        return {**inlined, **self.walk_keys(siblings, stack, prop, keep_ref=False)}

    def walk_keys(
        self, node: Mapping[str, Any], stack: tuple[str, ...], prop: str | None, *, keep_ref: bool
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$defs" or (key == "$ref" and not keep_ref):
                continue
            if key == "title" and prop is not None and value == generated_title(prop):
                continue
            if key in ("properties", "patternProperties") and isinstance(value, Mapping):
                out[key] = {name: self.walk(sub, stack, name) for name, sub in value.items()}
            else:
                out[key] = self.walk(value, stack, None)
        return out


# Keywords that apply to every instance type: a schema using one cannot simply admit null as well.
_ANY_TYPE_KEYWORDS = frozenset(
    {"enum", "const", "allOf", "anyOf", "oneOf", "not", "$ref", "if", "then", "else"}
)


def _collapse_nullable(node: Any) -> Any:
    """``anyOf: [S, {"type": "null"}]`` -> S with ``"type": [T, "null"]``: one branch to check, not two.

    Only when S has a single type and otherwise only type-specific keywords (properties, items, maxLength,
    ...), which an instance of another type ignores, so the result admits exactly the same instances.
    """
    if isinstance(node, list):
        return [_collapse_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {
        key: _collapse_nullable(value) if key not in ("properties", "$defs") else value
        for key, value in node.items()
    }
    for key in ("properties", "$defs"):
        if isinstance(node.get(key), dict):
            out[key] = {name: _collapse_nullable(sub) for name, sub in node[key].items()}
    branches = out.get("anyOf")
    if not (isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches):
        return out
    other = branches[0] if branches[1] == {"type": "null"} else branches[1]
    if (
        not isinstance(other, dict)
        or not isinstance(other.get("type"), str)
        or other["type"] == "null"
        or any(key in _ANY_TYPE_KEYWORDS for key in other)
        or any(key in out and key != "anyOf" for key in other)
    ):
        return out
    del out["anyOf"]
    return {**out, **other, "type": [other["type"], "null"]}


def generated_title(name: str) -> str:
    """The title pydantic generates for a field ``name`` (``distance_km`` -> ``Distance Km``)."""
    return name.replace("_", " ").title()
