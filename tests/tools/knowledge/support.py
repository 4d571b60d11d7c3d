"""Shared by the knowledge-base tool tests: both search backends against the same seeded data.

``backend="directus"`` runs the server with ONDERWIJSLOKET_SEARCH_BACKEND=directus; ``backend="algolia"``
runs it in ``auto`` mode against the Algolia double (loaded from the same stack), with the key read from
``/users/me`` like in production. Tests assert ``structuredContent.backend`` so a silent fallback fails.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, Literal

import httpx
import mcp
from mcp_types import CallToolResult

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.render.markdown import approx_tokens
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as seed
from tests.stack.fixture import StackInfo
from tests.support.client import Mode, call, connect, stack_settings, text_of

Backend = Literal["directus", "algolia"]
BACKENDS: list[Backend] = ["directus", "algolia"]

# The seeded articles, by id, and which of them the API shows (published) or hides.
ARTICLE = {a["id"]: a for a in seed.ARTICLES}
PUBLISHED = [a for a in seed.ARTICLES if a["status"] == "published"]
HIDDEN = [a["id"] for a in seed.ARTICLES if a["status"] != "published"]
DEFAULT_BUDGET_TOKENS = 1500
MAX_BUDGET_TOKENS = 8000


def kb_settings(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, token: str | None = "reader", **overrides: Any
) -> Settings:
    values: dict[str, Any] = {
        "search_backend": "directus" if backend == "directus" else "auto",
        "algolia_host": algolia.url,
    }
    values.update(overrides)
    return stack_settings(stack, token, **values)


@asynccontextmanager
async def kb_client(
    stack: StackInfo,
    algolia: AlgoliaDouble,
    backend: Backend,
    mode: Mode = "auto",
    token: str | None = "reader",
    **overrides: Any,
) -> AsyncIterator[mcp.Client]:
    async with connect(kb_settings(stack, algolia, backend, token, **overrides), mode) as client:
        yield client


async def ok(
    client: mcp.Client, tool: str, backend: Backend | None = None, **arguments: Any
) -> CallToolResult:
    """Call a tool that must succeed (and, when given, be answered by ``backend``)."""
    result = await call(client, tool, **arguments)
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    if backend is not None:
        assert result.structured_content["backend"] == backend, result.structured_content
    assert_model_safe(text_of(result))
    return result


def assert_model_safe(text: str) -> None:
    """What every answer promises: no nulls, no raw JSON, no empty headings, within the hard budget."""
    assert approx_tokens(text) <= MAX_BUDGET_TOKENS, approx_tokens(text)
    for pattern in (r"\bNone\b", r"\bnull\b", r"\bundefined\b", r'\{"', r"\[\]", r"\{\}", r"</?em>"):
        assert not re.search(pattern, text), (pattern, text[:2000])
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("#"):
            assert line.lstrip("#").strip(), f"empty heading at line {index}"
    assert "](/" not in text, "relative markdown link"


def ids(result: CallToolResult) -> list[str]:
    assert result.structured_content is not None
    return [hit["id"] for hit in result.structured_content["hits"]]


def algolia_queries(algolia: AlgoliaDouble) -> list[tuple[str, dict[str, Any]]]:
    return [query for request in algolia.requests for query in request.queries]


@contextmanager
def temporary_reader(stack: StackInfo, algolia_token: str) -> Iterator[tuple[str, str]]:
    """A throwaway API user with the reader's policies and its own algolia_token: (user id, static token).

    Rotation tests change a user's key; doing that on a dedicated user keeps the shared stack's reader intact
    for whoever else is using it.
    """
    admin = {"Authorization": f"Bearer {stack.admin_token}"}
    with httpx.Client(base_url=stack.url, headers=admin, timeout=30) as http:
        roles = http.get("/roles", params={"filter": json.dumps({"name": {"_eq": "API reader"}})})
        roles.raise_for_status()
        role = roles.json()["data"][0]["id"]
        token = f"test-rotation-{uuid.uuid4().hex}"
        created = http.post(
            "/users",
            json={
                "email": f"rotation-{uuid.uuid4().hex[:12]}@example.com",
                "role": role,
                "status": "active",
                "token": token,
                "algolia_token": algolia_token,
            },
        )
        created.raise_for_status()
        user = created.json()["data"]["id"]
        try:
            yield user, token
        finally:
            http.delete(f"/users/{user}")


def set_algolia_token(stack: StackInfo, user: str, value: str) -> None:
    response = httpx.patch(
        f"{stack.url}/users/{user}",
        json={"algolia_token": value},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
        timeout=30,
    )
    response.raise_for_status()
