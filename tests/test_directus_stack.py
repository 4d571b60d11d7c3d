"""Optional fields against the real Directus: a relation a deployment lacks is dropped, not fatal."""

from __future__ import annotations

import pytest

from onderwijsloket_mcp.directus import DirectusClient, Query
from onderwijsloket_mcp.errors import PermissionDeniedError
from tests.stack.fixture import StackInfo
from tests.support import stack_settings

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
