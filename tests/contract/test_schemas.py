"""Schemas as published. Output: $defs inlined, generated titles dropped, validation verdicts unchanged.
Input: optional parameters as plain types with their defaults in the description, and the server reading what
those schemas lead a model to send for "not given" ("", null, 'any') as not given."""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest
from jsonschema import Draft202012Validator
from mcp.server.mcpserver import MCPServer
from pydantic import BaseModel, Field, TypeAdapter

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server
from onderwijsloket_mcp.tools.input_schema import (
    NO_FILTER,
    normalise_arguments,
    optional_parameters,
    portable_input_schema,
)
from onderwijsloket_mcp.tools.output_schema import compact_output_schema


class Place(BaseModel):
    """A place."""

    name: str
    lat: float | None = None


class Node(BaseModel):
    title: str = Field(title="Heading")  # a property called "title", with a title of its own
    children: list[Node] = Field(default_factory=list)


class Result(BaseModel):
    near: Place = Field(description="Where the search was centred.")
    kind: Literal["place", "postcode"] | None = None
    note: str | None = Field(default=None, max_length=5)
    other: Place | None = None
    places: list[Place] = Field(default_factory=list)
    tree: Node | None = None
    distance_km: float


def schema_of(model: type[BaseModel]) -> dict[str, Any]:
    return TypeAdapter(model).json_schema()


INSTANCES: list[Any] = [
    {"near": {"name": "Utrecht"}, "distance_km": 1.0},
    {
        "near": {"name": "Utrecht", "lat": 52.1},
        "other": None,
        "places": [{"name": "Zeist"}],
        "distance_km": 2,
    },
    {"near": {"name": "Utrecht"}, "tree": {"title": "a", "children": [{"title": "b"}]}, "distance_km": 0},
    {"near": {"lat": 1.0}, "distance_km": 1.0},  # name missing
    {"near": {"name": "Utrecht"}, "places": [{"name": 3}], "distance_km": 1.0},
    {"near": {"name": "Utrecht"}, "tree": {"title": "a", "children": [{"children": []}]}, "distance_km": 1},
    {"near": {"name": "Utrecht"}, "distance_km": "far"},
    {"near": None, "distance_km": 1.0},
    {"near": {"name": "Ede"}, "kind": None, "note": None, "other": None, "tree": None, "distance_km": 1},
    {"near": {"name": "Ede"}, "kind": "postcode", "note": "kort", "distance_km": 1},
    {"near": {"name": "Ede"}, "kind": "city", "distance_km": 1},  # not one of the choices
    {"near": {"name": "Ede"}, "note": "te lang", "distance_km": 1},
    {"near": {"name": "Ede"}, "other": {"lat": 1}, "distance_km": 1},  # a nullable object still checked
    {"near": {"name": "Ede"}, "other": "Ede", "distance_km": 1},
]


@pytest.mark.parametrize("instance", INSTANCES)
def test_same_verdict_as_the_generated_schema(instance: Any) -> None:
    original = schema_of(Result)
    compact = compact_output_schema(original)
    Draft202012Validator.check_schema(compact)
    assert Draft202012Validator(compact).is_valid(instance) == Draft202012Validator(original).is_valid(
        instance
    )


def test_definitions_inlined_recursive_ones_kept() -> None:
    compact = compact_output_schema(schema_of(Result))
    text = json.dumps(compact)
    assert "#/$defs/Place" not in text
    assert set(compact["$defs"]) == {"Node"}  # the only recursive definition
    near = compact["properties"]["near"]
    assert near["description"] == "Where the search was centred."  # the field's own, beside its $ref
    assert near["required"] == ["name"]


def test_nullable_scalars_and_objects_become_type_lists() -> None:
    compact = compact_output_schema(schema_of(Result))
    note = compact["properties"]["note"]
    assert note["type"] == ["string", "null"] and note["maxLength"] == 5 and "anyOf" not in note
    other = compact["properties"]["other"]
    assert other["type"] == ["object", "null"] and other["required"] == ["name"]
    assert "anyOf" in compact["properties"]["kind"]  # an enum applies to null too: left as it was


def test_generated_titles_dropped_given_ones_kept() -> None:
    compact = compact_output_schema(schema_of(Result))
    assert "title" not in compact["properties"]["distance_km"]
    assert "title" not in compact["properties"]["near"]
    node = compact["$defs"]["Node"]
    assert node["properties"]["title"]["title"] == "Heading"
    assert "title" in node["properties"]  # the property itself is never mistaken for the keyword
    assert compact["title"] == "Result"


def test_published_tools_have_no_references_left() -> None:
    server = create_server(Settings(api_url="http://127.0.0.1:9"))

    async def both() -> tuple[list[Any], list[Any]]:
        return await MCPServer.list_tools(server), await server.list_tools()

    import anyio

    generated, published = anyio.run(both)
    assert [t.name for t in generated] == [t.name for t in published]
    for before, after in zip(generated, published, strict=True):
        assert after.input_schema == portable_input_schema(before.input_schema)
        if before.output_schema is None:
            continue
        Draft202012Validator.check_schema(after.output_schema)
        assert "$ref" not in json.dumps(after.output_schema), after.name
        assert len(json.dumps(after.output_schema)) < len(json.dumps(before.output_schema))


def test_a_root_reference_is_resolved() -> None:
    schema = {"$ref": "#/$defs/Place", "$defs": {"Place": schema_of(Place)}}
    compact = compact_output_schema(schema)
    assert "$ref" not in json.dumps(compact)
    assert compact["required"] == ["name"]
    assert Draft202012Validator(compact).is_valid({"name": "Ede"})
    assert not Draft202012Validator(compact).is_valid({"lat": 1})


# --- input schemas ------------------------------------------------------------------------------------


class Arguments(BaseModel):
    query: str = Field(description="Words.", max_length=50)
    sector: str | None = Field(default=None, description="A sector.")
    level: Literal["mbo", "hbo"] | None = Field(default=None, description="A level.")
    limit: int = Field(default=5, ge=1, le=20, description="How many.")
    answers: list[str] = Field(default_factory=list, description="Answers so far.")


def published_tools() -> list[Any]:
    import anyio

    server = create_server(Settings(api_url="http://127.0.0.1:9"))
    return anyio.run(server.list_tools)


def test_optional_parameters_become_plain_types_with_their_default_described() -> None:
    schema = portable_input_schema(schema_of(Arguments))
    Draft202012Validator.check_schema(schema)
    properties = schema["properties"]
    assert properties["sector"] == {"type": "string", "description": "A sector."}
    assert properties["level"] == {
        "type": "string",
        "enum": [NO_FILTER, "mbo", "hbo"],
        "description": f"A level. Default: '{NO_FILTER}' (no filter).",
    }
    assert (
        properties["limit"]["description"] == "How many. Default: 5." and "default" not in properties["limit"]
    )
    assert properties["limit"]["minimum"] == 1 and properties["limit"]["type"] == "integer"
    assert properties["answers"]["description"] == "Answers so far."  # a factory default is not stated
    assert properties["query"] == {"type": "string", "maxLength": 50, "description": "Words."}
    assert schema["required"] == ["query"]


def test_published_input_schemas_have_no_null_branches_or_defaults() -> None:
    for tool in published_tools():
        schema = tool.input_schema
        Draft202012Validator.check_schema(schema)
        for name, spec in schema["properties"].items():
            assert "default" not in spec, (tool.name, name)
            assert "anyOf" not in spec and isinstance(spec.get("type"), str), (tool.name, name)
            assert spec.get("description"), (tool.name, name)


def test_not_given_is_read_the_same_way_the_schema_offers_it() -> None:
    optional = optional_parameters(schema_of(Arguments))
    assert optional == {"sector": False, "level": True, "limit": False, "answers": False}
    sent = {"query": "", "sector": " ", "level": "Any", "limit": None, "answers": [], "other": ""}
    # Required and unknown arguments are left to validation, which says what is wrong with them.
    assert normalise_arguments(optional, sent) == {"query": "", "answers": [], "other": ""}
    assert normalise_arguments(optional, {"sector": "any", "level": "mbo"}) == {
        "sector": "any",
        "level": "mbo",
    }


def test_every_tool_accepts_not_given_in_each_optional_parameter() -> None:
    """What a model in strict mode sends for a parameter it does not want passes validation (these calls
    then stop at the missing token, after validation)."""
    import anyio
    import mcp

    async def calls() -> dict[str, str]:
        texts: dict[str, str] = {}
        async with mcp.Client(create_server(Settings(api_url="http://127.0.0.1:9"))) as client:
            for tool in (await client.list_tools()).tools:
                schema = tool.input_schema
                arguments: dict[str, Any] = dict.fromkeys(schema.get("required", []), "x")
                for name, spec in schema["properties"].items():
                    if name in arguments:
                        continue
                    if "enum" in spec:
                        arguments[name] = NO_FILTER
                    elif spec["type"] == "string":
                        arguments[name] = ""
                    else:
                        arguments[name] = None
                result = await client.call_tool(tool.name, arguments)
                texts[tool.name] = " ".join(getattr(block, "text", "") for block in result.content)
        return texts

    for name, text in anyio.run(calls).items():
        assert "ONDERWIJSLOKET_TOKEN" in text and "validation error" not in text, (name, text)
