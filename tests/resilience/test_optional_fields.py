"""Optional fields against the real Directus: a relation a deployment lacks is dropped, not fatal."""

from __future__ import annotations

import pytest

from onderwijsloket_mcp.errors import PermissionDeniedError
from onderwijsloket_mcp.upstream.directus import DirectusClient
from onderwijsloket_mcp.upstream.query import Query
from tests.stack.fixture import StackInfo
from tests.support.client import call, connect, stack_settings, text_of

pytestmark = pytest.mark.anyio


async def test_missing_optional_relation_is_dropped_by_the_real_directus(stack: StackInfo) -> None:
    client = DirectusClient(stack_settings(stack))
    fields = ("*", "topics.topics_id.name", "no_such_relation.no_such_relation_id.title")
    response = await client.items("faqs", Query(fields=fields, limit=3), optional=fields[1:])
    assert response.data
    assert all("no_such_relation" not in item for item in response.data)
    assert any(item.get("topics") for item in response.data)
    await client.aclose()


async def test_missing_required_field_still_fails_on_the_real_directus(stack: StackInfo) -> None:
    client = DirectusClient(stack_settings(stack))
    with pytest.raises(PermissionDeniedError) as info:
        await client.items("faqs", Query(fields=("*", "no_such_field"), limit=1))
    assert info.value.missing_field == ("faqs", "no_such_field")
    await client.aclose()


@pytest.mark.parametrize(
    ("tool", "arguments"),
    [
        ("search_faq", {"query": "true"}),
        ("search_faq", {"query": "null false"}),
        ("search_articles", {"query": "NULL"}),
        ("find_programs_near", {"near": "Utrecht", "query": "false"}),
        ("list_regional_desks", {"region": "null"}),
    ],
)
async def test_the_words_true_false_and_null_are_words_to_the_real_directus(
    stack: StackInfo, tool: str, arguments: dict[str, object]
) -> None:
    # Directus coerces these filter strings to a boolean or null, and its case-insensitive operators then fail
    # with HTTP 500 (Directus 11.17.4, parseFilter + applyOperator).
    settings = stack_settings(stack)
    async with connect(settings) as client:
        result = await call(client, tool, **arguments)
    text = text_of(result)
    assert "HTTP 500" not in text and "INTERNAL_SERVER_ERROR" not in text, text


async def test_an_article_slug_null_finds_no_article_rather_than_one_without_a_slug(stack: StackInfo) -> None:
    # "_eq": "null" would mean "slug is null" to Directus.
    async with connect(stack_settings(stack)) as client:
        result = await call(client, "get_article", id_or_slug="null")
    assert result.is_error and "was not found" in text_of(result), text_of(result)
