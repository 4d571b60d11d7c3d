"""Input schemas as published: in the form every vendor keeps intact, and the arguments they lead models to
send.

pydantic writes an optional parameter as ``anyOf: [T, {"type": "null"}]`` with ``default: null``. Gemini's
conversion (google-genai) drops the description of such a parameter, OpenAI's strict mode (as the agent
frameworks convert it) keeps non-null ``default`` values some endpoints reject, and strict mode makes every
parameter required, so a model fills each one: with ``""`` for a text filter it does not want. So the
published schema states an optional parameter as its plain type, left out of ``required``, with its default
in the description (which every conversion keeps); an optional choice gets a ``NO_FILTER`` value, since a
model in strict mode must pick one of the listed values. Before validation, ``normalise_arguments`` reads
``""``, whitespace, null and ``NO_FILTER`` in an optional parameter as "not given", so what the schema lets
a model send is what the server accepts.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .output_schema import generated_title

NO_FILTER = "any"


def portable_input_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """``schema`` with optional parameters as plain types, defaults in descriptions, generated titles gone."""
    required = set(schema.get("required") or ())
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return dict(schema)
    return {
        **schema,
        "properties": {
            name: _portable_parameter(name, spec, optional=name not in required)
            for name, spec in properties.items()
        },
    }


def _portable_parameter(name: str, spec: Mapping[str, Any], *, optional: bool) -> dict[str, Any]:
    out = {key: value for key, value in spec.items() if key not in ("anyOf", "default")}
    branches = spec.get("anyOf")
    if isinstance(branches, list):
        kept = [branch for branch in branches if branch != {"type": "null"}]
        if len(kept) == 1 and isinstance(kept[0], Mapping):
            out = {**kept[0], **out}
        else:
            out["anyOf"] = branches
    if out.get("title") == generated_title(name):
        del out["title"]
    if not optional:
        return out
    description = str(out.get("description", "")).strip()
    default = spec.get("default")
    if isinstance(out.get("enum"), list) and NO_FILTER not in out["enum"]:
        out["enum"] = [NO_FILTER, *out["enum"]]
        description += f" Default: '{NO_FILTER}' (no filter)."
    elif default is not None:
        shown = f"'{default}'" if isinstance(default, str) else json.dumps(default)
        description += f" Default: {shown}."
    if description:
        out["description"] = description.strip()
    return out


def optional_parameters(schema: Mapping[str, Any]) -> dict[str, bool]:
    """Optional parameter name -> whether it is a choice (an enum) that ``NO_FILTER`` stands in for."""
    required = set(schema.get("required") or ())
    properties = schema.get("properties")
    if not isinstance(properties, Mapping):
        return {}
    return {
        name: any(isinstance(branch.get("enum"), list) for branch in _branches(spec))
        for name, spec in properties.items()
        if name not in required and isinstance(spec, Mapping)
    }


def _branches(spec: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    branches = spec.get("anyOf")
    listed = [b for b in branches if isinstance(b, Mapping)] if isinstance(branches, list) else []
    return [spec, *listed]


def normalise_arguments(optional: Mapping[str, bool], arguments: Mapping[str, Any]) -> dict[str, Any]:
    """``arguments`` without the optional ones a model left "not given": null, blank text, ``NO_FILTER``."""
    return {
        name: value
        for name, value in arguments.items()
        if name not in optional or not _not_given(value, choice=optional[name])
    }


def _not_given(value: Any, *, choice: bool) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    return not text or (choice and text.casefold() == NO_FILTER)
