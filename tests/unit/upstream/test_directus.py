"""The Directus client: query building and error mapping (faults a real server will not produce on demand)."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from pydantic import SecretStr

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.datamodel.catalogue import POLICY_FOR_COLLECTION
from onderwijsloket_mcp.errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    UpstreamError,
)
from onderwijsloket_mcp.upstream.directus import DirectusClient
from onderwijsloket_mcp.upstream.query import Query
from onderwijsloket_mcp.upstream.usage import start_request_count

TOKEN = "tok-SECRET-1234567890-abcdef"
BASE = "http://directus.test"

pytestmark = pytest.mark.anyio


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "token": SecretStr(TOKEN),
        "api_url": BASE,
        "timeout": 1.0,
        "max_retries": 2,
        "max_retry_wait": 1.0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def envelope(code: str, message: str = "msg") -> dict[str, object]:
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    slept: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("onderwijsloket_mcp.upstream.directus.anyio.sleep", fake_sleep)
    return slept


def test_query_params_are_json_encoded_and_whitelisted() -> None:
    user_text = '"}},{"_or":[{"id":{"_nnull":true}}]} \' DROP TABLE faqs; --'
    query = Query(
        fields=("id", "question", "topics.topics_id.name", "editor_nodes.item:callouts.title"),
        filter={"question": {"_icontains": user_text}},
        search=user_text,
        sort=("-date_updated", "id"),
        limit=5,
        offset=10,
        meta=("filter_count",),
        deep={"topics": {"_limit": 3}},
    )
    params = dict(query.to_params())
    assert json.loads(params["filter"]) == {"question": {"_icontains": user_text}}
    assert params["fields"] == "id,question,topics.topics_id.name,editor_nodes.item:callouts.title"
    assert params["sort"] == "-date_updated,id"
    assert params["search"] == user_text
    assert params["limit"] == "5" and params["offset"] == "10"


@pytest.mark.parametrize("bad", ["id,question", "a b", "x;drop", "{x}", "", "-"])
def test_field_and_sort_names_are_checked(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid"):
        Query(fields=(bad,)).to_params()
    with pytest.raises(ValueError, match="invalid"):
        Query(sort=(bad,)).to_params()


def test_the_literals_directus_coerces_reach_it_as_strings() -> None:
    # Directus turns the filter strings "true", "false", "null" and "NULL" into a boolean or null before any
    # operator runs: a case-insensitive operator then fails with HTTP 500, and "_eq": "null" means "is null".
    params = Query(filter={"q": {"_icontains": "true"}, "s": {"_eq": "null"}}).to_params()
    assert params == [("fields", "*"), ("filter", '{"q":{"_icontains":"True"},"s":{"_in":["null"]}}')]


def test_the_literals_are_respelled_at_any_depth_of_filter_and_deep() -> None:
    words = {"_and": [{"t": {"_icontains": "NULL"}}, {"t": {"_nicontains": ["false", "waar"]}}]}
    query = Query(filter={**words, "s": {"_eq": "NULL"}}, deep={"p": {"_filter": {"t": {"_ieq": "false"}}}})
    params = dict(query.to_params())
    assert json.loads(params["filter"]) == {
        "_and": [{"t": {"_icontains": "Null"}}, {"t": {"_nicontains": ["False", "waar"]}}],
        "s": {"_in": ["NULL"]},
    }
    assert json.loads(params["deep"]) == {"p": {"_filter": {"t": {"_ieq": "False"}}}}


@respx.mock
async def test_token_only_in_authorization_header() -> None:
    route = respx.get(f"{BASE}/items/faqs").mock(return_value=httpx.Response(200, json={"data": []}))
    client = DirectusClient(settings())
    await client.items("faqs", Query(fields=("id",), filter={"question": {"_icontains": "x"}}))
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(request.url)
    assert parse_qs(urlsplit(str(request.url)).query)["fields"] == ["id"]
    await client.aclose()


async def test_missing_token_names_the_variable_and_the_access_form() -> None:
    client = DirectusClient(settings(token=None))
    with pytest.raises(ConfigurationError) as info:
        await client.items("faqs")
    assert "ONDERWIJSLOKET_TOKEN" in str(info.value)
    assert "https://onderwijsloket.com/access-request" in str(info.value)
    await client.aclose()


@respx.mock
@pytest.mark.parametrize("code", ["INVALID_CREDENTIALS", "TOKEN_EXPIRED"])
async def test_401_says_the_token_is_wrong_or_expired(code: str) -> None:
    respx.get(f"{BASE}/items/faqs").mock(return_value=httpx.Response(401, json=envelope(code)))
    client = DirectusClient(settings())
    with pytest.raises(AuthenticationError) as info:
        await client.items("faqs")
    text = str(info.value)
    assert "ONDERWIJSLOKET_TOKEN" in text and code in text
    assert ("expired" in text) == (code == "TOKEN_EXPIRED")
    assert TOKEN not in text


@respx.mock
async def test_403_names_the_navigator_policy_for_programs() -> None:
    respx.get(f"{BASE}/items/programs").mock(return_value=httpx.Response(403, json=envelope("FORBIDDEN")))
    client = DirectusClient(settings(), policies=POLICY_FOR_COLLECTION)
    with pytest.raises(PermissionDeniedError) as info:
        await client.items("programs")
    assert info.value.policy == "Navigator"
    assert "'Navigator' policy" in str(info.value)
    assert "or it does not exist" in str(info.value)


@respx.mock
async def test_403_on_one_item_means_not_found_or_not_permitted() -> None:
    respx.get(f"{BASE}/items/articles/abc").mock(return_value=httpx.Response(403, json=envelope("FORBIDDEN")))
    client = DirectusClient(settings())
    with pytest.raises(NotFoundError, match="not permitted|may not read"):
        await client.item("articles", "abc")


async def test_unsafe_item_id_is_rejected_before_any_request() -> None:
    client = DirectusClient(settings())
    with respx.mock(assert_all_called=False) as mock:
        with pytest.raises(NotFoundError):
            await client.item("articles", "../../users/me")
        assert not mock.calls


@respx.mock
async def test_429_honours_retry_after_then_succeeds(no_sleep: list[float]) -> None:
    route = respx.get(f"{BASE}/items/faqs").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "1"}, json=envelope("REQUESTS_EXCEEDED")),
            httpx.Response(200, json={"data": [{"id": "1"}]}),
        ]
    )
    client = DirectusClient(settings())
    counter = start_request_count()
    response = await client.items("faqs")
    assert response.data == [{"id": "1"}]
    assert route.call_count == 2 and counter[0] == 2
    assert no_sleep == [1.0]


@respx.mock
@pytest.mark.usefixtures("no_sleep")
async def test_429_with_a_long_wait_gives_up_at_once_with_the_wait() -> None:
    route = respx.get(f"{BASE}/items/faqs").mock(
        return_value=httpx.Response(429, headers={"Retry-After": "120"}, json=envelope("REQUESTS_EXCEEDED"))
    )
    client = DirectusClient(settings())
    with pytest.raises(RateLimitedError) as info:
        await client.items("faqs")
    assert route.call_count == 1
    assert "120 s" in str(info.value)
    assert info.value.retry_after == 120


@respx.mock
async def test_429_without_retry_after_is_bounded(no_sleep: list[float]) -> None:
    route = respx.get(f"{BASE}/items/faqs").mock(return_value=httpx.Response(429, json=envelope("X")))
    client = DirectusClient(settings(max_retries=2))
    with pytest.raises(RateLimitedError):
        await client.items("faqs")
    assert route.call_count == 3
    assert len(no_sleep) == 2


@respx.mock
@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, {"text": "<html>Internal Server Error</html>"}),  # a proxy's, not Directus's
        (502, {"json": envelope("INTERNAL_SERVER_ERROR")}),
        (503, {"json": envelope("SERVICE_UNAVAILABLE")}),
        (504, {"text": ""}),
    ],
)
@pytest.mark.usefixtures("no_sleep")
async def test_5xx_is_retried_then_explained(status: int, body: dict[str, object]) -> None:
    route = respx.get(f"{BASE}/items/faqs").mock(return_value=httpx.Response(status, **body))  # type: ignore[arg-type]
    client = DirectusClient(settings(max_retries=2))
    with pytest.raises(UpstreamError) as info:
        await client.items("faqs")
    assert route.call_count == 3
    assert str(status) in str(info.value) and "try again" in str(info.value).lower()


@respx.mock
async def test_a_500_in_directus_error_format_is_not_retried(no_sleep: list[float]) -> None:
    # Directus answers 500 INTERNAL_SERVER_ERROR for an exception while running this very query (e.g. the
    # literal "true" in an _icontains filter): the same request fails the same way every time.
    route = respx.get(f"{BASE}/items/faqs").mock(
        return_value=httpx.Response(
            500, json=envelope("INTERNAL_SERVER_ERROR", "An unexpected error occurred.")
        )
    )
    client = DirectusClient(settings(max_retries=2))
    with pytest.raises(UpstreamError) as info:
        await client.items("faqs")
    assert route.call_count == 1 and no_sleep == []
    assert "HTTP 500" in str(info.value) and "INTERNAL_SERVER_ERROR" in str(info.value)


@respx.mock
@pytest.mark.usefixtures("no_sleep")
async def test_5xx_then_success() -> None:
    respx.get(f"{BASE}/items/faqs").mock(
        side_effect=[
            httpx.Response(502),
            httpx.Response(200, json={"data": [], "meta": {"filter_count": "0"}}),
        ]
    )
    client = DirectusClient(settings())
    response = await client.items("faqs", Query(meta=("filter_count",)))
    assert response.total == 0


@respx.mock
@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectTimeout(f"connect timeout for Bearer {TOKEN}"),
        httpx.ReadTimeout(f"read timeout {TOKEN}"),
        httpx.ConnectError(f"connection refused Authorization: Bearer {TOKEN}"),
        httpx.RemoteProtocolError(f"peer closed connection {TOKEN}"),
    ],
)
@pytest.mark.usefixtures("no_sleep")
async def test_transport_errors_never_leak_the_token(
    error: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    respx.get(f"{BASE}/items/faqs").mock(side_effect=error)
    client = DirectusClient(settings(max_retries=1))
    with pytest.raises(UpstreamError) as info:
        await client.items("faqs")
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value)
    assert TOKEN not in caplog.text
    assert "after 2 attempts" in str(info.value)


@respx.mock
@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>proxy error</html>"),
        httpx.Response(200, json={"unexpected": True}),
        httpx.Response(200, json={"data": "nope"}),
        httpx.Response(200, content=b'{"data": [{"id": 1}'),
    ],
)
async def test_malformed_bodies_get_a_clear_message(response: httpx.Response) -> None:
    respx.get(f"{BASE}/items/faqs").mock(return_value=response)
    client = DirectusClient(settings())
    with pytest.raises(UpstreamError, match="not the expected JSON"):
        await client.items("faqs")


@respx.mock
async def test_400_message_is_redacted() -> None:
    respx.get(f"{BASE}/items/faqs").mock(
        return_value=httpx.Response(400, json=envelope("INVALID_QUERY", f"bad filter near {TOKEN}"))
    )
    client = DirectusClient(settings())
    with pytest.raises(UpstreamError) as info:
        await client.items("faqs")
    assert "INVALID_QUERY" in str(info.value)
    assert TOKEN not in str(info.value)


@respx.mock
async def test_cached_reads_make_one_request_per_token() -> None:
    route = respx.get(f"{BASE}/items/topics").mock(
        return_value=httpx.Response(200, json={"data": [{"id": "t"}]})
    )
    client = DirectusClient(settings())
    other = DirectusClient(settings(token=SecretStr("another-token-0000")))
    for _ in range(3):
        await client.items_cached("topics", Query(fields=("*",)))
    assert route.call_count == 1
    await other.items_cached("topics", Query(fields=("*",)))
    assert route.call_count == 2


def forbidden_field(field: str, collection: str) -> httpx.Response:
    message = f'You don\'t have permission to access field "{field}" in collection "{collection}" or it does not exist.'
    return httpx.Response(403, json=envelope("FORBIDDEN", message))


@respx.mock
async def test_an_absent_optional_relation_is_dropped_once_and_remembered() -> None:
    route = respx.get(f"{BASE}/items/faqs").mock(
        side_effect=[
            forbidden_field("audiences", "faqs"),
            httpx.Response(200, json={"data": [{"id": "1"}]}),
            httpx.Response(200, json={"data": [{"id": "1"}]}),
        ]
    )
    client = DirectusClient(settings())
    fields = ("*", "topics.topics_id.name", "audiences.audiences_id.title")
    for _ in range(2):
        response = await client.items("faqs", Query(fields=fields), optional=fields[1:])
        assert response.data == [{"id": "1"}]
    sent = [parse_qs(urlsplit(str(call.request.url)).query)["fields"][0] for call in route.calls]
    assert sent == [",".join(fields), "*,topics.topics_id.name", "*,topics.topics_id.name"]


@respx.mock
async def test_a_nested_absent_field_drops_only_paths_through_its_collection() -> None:
    route = respx.get(f"{BASE}/items/articles").mock(
        side_effect=[forbidden_field("job_title", "authors"), httpx.Response(200, json={"data": []})]
    )
    client = DirectusClient(settings())
    fields = ("*", "authors.authors_id.name", "authors.authors_id.job_title", "sources.sources_id.title")
    await client.items("articles", Query(fields=fields), optional=fields[1:])
    assert parse_qs(urlsplit(str(route.calls.last.request.url)).query)["fields"] == [
        "*,authors.authors_id.name,sources.sources_id.title"
    ]


@respx.mock
async def test_a_refused_required_field_is_still_an_error() -> None:
    respx.get(f"{BASE}/items/faqs").mock(return_value=forbidden_field("question", "faqs"))
    client = DirectusClient(settings())
    with pytest.raises(PermissionDeniedError):
        await client.items("faqs", Query(fields=("*", "question")), optional=("topics.topics_id.name",))
