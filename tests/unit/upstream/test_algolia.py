"""The Algolia backend (upstream/algolia.py) against the Algolia double, with Directus' /users/me mocked by respx.

Everything the tools rely on: lazy import, key discovery and caching, 403 -> re-read -> retry -> give up,
outages (refused, 503, 429, unknown index) reported as SearchUnavailableError, cool-downs, upstream counting.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from pydantic import SecretStr

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.services import Services
from onderwijsloket_mcp.upstream.algolia import (
    KEY_TTL,
    MAX_KEYS,
    AlgoliaSearch,
    SearchUnavailableError,
    facet_filters,
    filter_value,
    snippet_of,
    strip_highlight,
)
from onderwijsloket_mcp.upstream.directus import DirectusClient
from onderwijsloket_mcp.upstream.usage import start_request_count
from tests.algolia.double import AlgoliaDouble

pytestmark = pytest.mark.anyio

APP_ID = "WSV9PQ4NXW"
KEY = "key-one"
NEW_KEY = "key-two"
BASE = "http://directus.test"
ME = f"{BASE}/users/me"

FAQS = [
    {
        "objectID": "f1",
        "id": "f1",
        "question": "Wat verdient een leraar in het basisonderwijs?",
        "bodyString": "Het salaris van een leraar hangt af van de cao en de schaal waarin je begint.",
        "topics": [{"id": "t1", "name": "Salaris"}],
        "sectors": [{"id": "s1", "title": "primair onderwijs"}],
    },
    {
        "objectID": "f2",
        "id": "f2",
        "question": 'Wat is een "LB"-schaal \\ LC-schaal?',
        "bodyString": "Schalen in het voortgezet onderwijs.",
        "topics": [{"id": "t2", "name": 'Salaris "vo" \\ cao'}],
        "sectors": [{"id": "s2", "title": "voortgezet onderwijs"}],
    },
]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def double() -> Iterator[AlgoliaDouble]:
    with AlgoliaDouble(app_id=APP_ID, api_keys=(KEY,)) as algolia:
        algolia.load_index(
            "faqs",
            FAQS,
            searchable_attributes=["question", "bodyString", "topics.name"],
            attributes_for_faceting=["topics.name", "sectors.title"],
        )
        algolia.load_index(
            "articles", [], searchable_attributes=["title"], attributes_for_faceting=["topics.name"]
        )
        yield algolia


def make_settings(double: AlgoliaDouble, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": SecretStr("directus-token"),
        "api_url": BASE,
        "algolia_host": double.url,
        "timeout": 2.0,
        "max_retries": 0,
    }
    values.update(overrides)
    return Settings(**values)


def me(key: str | None) -> httpx.Response:
    return httpx.Response(200, json={"data": {"algolia_token": key}})


QUERY = [{"indexName": "faqs", "query": "verdient"}]


def test_importing_the_server_does_not_import_algoliasearch() -> None:
    code = (
        "import sys\n"
        "import onderwijsloket_mcp.server, onderwijsloket_mcp.tools, onderwijsloket_mcp.upstream.algolia\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('algoliasearch', 'aiohttp'))\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


async def test_services_create_the_backend_lazily_and_close_it(double: AlgoliaDouble) -> None:
    services = Services.create(make_settings(double, algolia_api_key=SecretStr(KEY)))
    assert "algolia" not in vars(services)
    backend = services.algolia
    assert services.algolia is backend  # one per process
    assert (await backend.search(QUERY))[0]["nbHits"] == 1
    await services.aclose()
    assert "algolia" not in vars(services)


def test_filter_values_are_quoted_and_escaped() -> None:
    assert filter_value("primair onderwijs") == '"primair onderwijs"'
    assert filter_value('a "b" \\ c') == '"a \\"b\\" \\\\ c"'
    assert filter_value("two\nlines\ttab") == '"two lines tab"'
    assert (
        facet_filters([("topics.name", "Salaris"), ("sectors.title", "vo")])
        == 'topics.name:"Salaris" AND sectors.title:"vo"'
    )


async def test_escaped_filter_values_select_exactly_the_value(double: AlgoliaDouble) -> None:
    backend = AlgoliaSearch(make_settings(double, algolia_api_key=SecretStr(KEY)), DirectusClient(Settings()))
    try:
        tricky = facet_filters([("topics.name", 'Salaris "vo" \\ cao')])
        [result] = await backend.search([{"indexName": "faqs", "query": "", "filters": tricky}])
        assert [h["id"] for h in result["hits"]] == ["f2"]
        # An injection attempt stays one quoted value: nothing matches, nothing breaks.
        attack = facet_filters([("topics.name", 'Salaris" OR topics.name:"Salaris')])
        [result] = await backend.search([{"indexName": "faqs", "query": "", "filters": attack}])
        assert result["hits"] == []
    finally:
        await backend.aclose()


def test_snippets_lose_their_highlight_tags() -> None:
    hit = {"_snippetResult": {"bodyString": {"value": "Het <em>salaris</em> van …", "matchLevel": "full"}}}
    assert snippet_of(hit, "bodyString") == "Het salaris van …"
    assert snippet_of({}, "bodyString") == ""
    assert strip_highlight(None) == ""


async def test_configured_key_answers_plain_dicts_and_counts_each_http_call(double: AlgoliaDouble) -> None:
    backend = AlgoliaSearch(make_settings(double, algolia_api_key=SecretStr(KEY)), DirectusClient(Settings()))
    counter = start_request_count()
    try:
        assert await backend.available()
        results = await backend.search(
            [
                {"indexName": "faqs", "query": "verdient", "attributesToRetrieve": ["id", "question"]},
                {"indexName": "articles", "query": ""},
            ]
        )
    finally:
        await backend.aclose()
    assert counter[0] == 1  # two queries, one HTTP request
    assert [type(r) for r in results] == [dict, dict]
    first = results[0]
    assert first["nbHits"] == 1 and first["page"] == 0 and first["nbPages"] == 1
    assert first["hits"][0]["question"].startswith("Wat verdient")
    assert set(first["hits"][0]) == {"id", "question", "objectID", "_highlightResult"}
    [request] = double.requests
    assert request.path == "/1/indexes/*/queries" and request.key_matched


@respx.mock
async def test_key_is_read_once_from_users_me_and_cached(double: AlgoliaDouble) -> None:
    route = respx.get(ME).mock(return_value=me(KEY))
    directus = DirectusClient(make_settings(double))
    backend = AlgoliaSearch(make_settings(double), directus)
    counter = start_request_count()
    try:
        for _ in range(3):
            assert (await backend.search(QUERY))[0]["nbHits"] == 1
    finally:
        await backend.aclose()
        await directus.aclose()
    assert route.call_count == 1
    assert route.calls[0].request.url.params["fields"] == "algolia_token"
    assert route.calls[0].request.headers["Authorization"] == "Bearer directus-token"
    assert counter[0] == 4  # /users/me once, then three Algolia calls


@pytest.mark.parametrize(
    "response",
    [
        me(None),
        me(""),
        httpx.Response(403, json={"errors": [{"message": "no", "extensions": {"code": "FORBIDDEN"}}]}),
        httpx.Response(
            401, json={"errors": [{"message": "no", "extensions": {"code": "INVALID_CREDENTIALS"}}]}
        ),
    ],
    ids=["null", "empty", "403", "401"],
)
@respx.mock
async def test_no_key_means_not_available_and_is_remembered(
    double: AlgoliaDouble, response: httpx.Response
) -> None:
    route = respx.get(ME).mock(return_value=response)
    clock = Clock()
    directus = DirectusClient(make_settings(double))
    backend = AlgoliaSearch(make_settings(double), directus, clock=clock)
    try:
        assert not await backend.available()
        assert not await backend.available()
        with pytest.raises(SearchUnavailableError):
            await backend.search(QUERY)
        assert route.call_count == 1
        clock.now += 3600  # asked again later: the policy may have been granted meanwhile
        assert not await backend.available()
        assert route.call_count == 2
    finally:
        await backend.aclose()
        await directus.aclose()
    assert double.requests == []


async def test_without_a_directus_token_there_is_no_key(double: AlgoliaDouble) -> None:
    settings = make_settings(double, token=None)
    backend = AlgoliaSearch(settings, DirectusClient(settings))
    assert not await backend.available()


async def test_directus_backend_setting_disables_algolia(double: AlgoliaDouble) -> None:
    settings = make_settings(double, algolia_api_key=SecretStr(KEY), search_backend="directus")
    backend = AlgoliaSearch(settings, DirectusClient(settings))
    assert not backend.enabled
    assert not await backend.available()
    with pytest.raises(SearchUnavailableError, match="directus"):
        await backend.search(QUERY)
    assert double.requests == []


@respx.mock
async def test_rotated_key_is_re_read_once_and_the_search_retried(double: AlgoliaDouble) -> None:
    route = respx.get(ME).mock(side_effect=[me(KEY), me(NEW_KEY)])
    directus = DirectusClient(make_settings(double))
    backend = AlgoliaSearch(make_settings(double), directus)
    try:
        assert (await backend.search(QUERY))[0]["nbHits"] == 1
        double.rotate_key(NEW_KEY)
        counter = start_request_count()
        assert (await backend.search(QUERY))[0]["nbHits"] == 1
        assert counter[0] == 3  # Algolia 403, /users/me, Algolia 200
        assert (await backend.search(QUERY))[0]["nbHits"] == 1  # the new key is cached now
    finally:
        await backend.aclose()
        await directus.aclose()
    assert route.call_count == 2
    assert [r.status for r in double.requests] == [200, 403, 200, 200]


@respx.mock
async def test_403_with_an_unchanged_key_gives_up_and_leaves_the_index_alone(double: AlgoliaDouble) -> None:
    route = respx.get(ME).mock(return_value=me(KEY))
    clock = Clock()
    directus = DirectusClient(make_settings(double))
    backend = AlgoliaSearch(make_settings(double), directus, clock=clock)
    try:
        double.fail_next(403)
        with pytest.raises(SearchUnavailableError, match="403"):
            await backend.search(QUERY)
        assert route.call_count == 2  # cached read + the one re-read
        assert len(double.requests) == 1  # no pointless retry with the same key
        assert not await backend.available(["faqs"])
        assert await backend.available(["articles"])  # a key may be limited to some indexes
        with pytest.raises(SearchUnavailableError):
            await backend.search(QUERY)
        assert len(double.requests) == 1
        clock.now += 3600
        assert (await backend.search(QUERY))[0]["nbHits"] == 1
    finally:
        await backend.aclose()
        await directus.aclose()


@respx.mock
async def test_403_twice_after_a_new_key_falls_back(double: AlgoliaDouble) -> None:
    respx.get(ME).mock(side_effect=[me(KEY), me(NEW_KEY)])
    directus = DirectusClient(make_settings(double))
    backend = AlgoliaSearch(make_settings(double), directus)
    try:
        double.fail_next(403, times=2)
        with pytest.raises(SearchUnavailableError, match="after refresh"):
            await backend.search(QUERY)
    finally:
        await backend.aclose()
        await directus.aclose()
    assert [r.status for r in double.requests] == [403, 403]


@respx.mock
async def test_configured_key_rejected_is_not_replaced_by_the_users_key(double: AlgoliaDouble) -> None:
    route = respx.get(ME).mock(return_value=me(NEW_KEY))
    settings = make_settings(double, algolia_api_key=SecretStr("wrong-key"))
    directus = DirectusClient(settings)
    backend = AlgoliaSearch(settings, directus)
    try:
        with pytest.raises(SearchUnavailableError, match="rejected"):
            await backend.search(QUERY)
    finally:
        await backend.aclose()
        await directus.aclose()
    assert route.call_count == 0
    assert [r.status for r in double.requests] == [403]


async def test_connection_refused_is_caught_and_cools_down(double: AlgoliaDouble) -> None:
    clock = Clock()
    settings = make_settings(double, algolia_api_key=SecretStr(KEY))
    backend = AlgoliaSearch(settings, DirectusClient(settings), clock=clock, down_cooldown=30)
    try:
        double.set_down(True, mode="refuse")
        with pytest.raises(SearchUnavailableError, match="ClientConnectorError"):
            await backend.search(QUERY)
        assert not await backend.available()
        double.set_down(False)
        assert not await backend.available()  # still cooling down
        clock.now += 31
        assert await backend.available()
        assert (await backend.search(QUERY))[0]["nbHits"] == 1
    finally:
        await backend.aclose()


@pytest.mark.parametrize(("status", "reason"), [(503, "unreachable"), (429, "HTTP 429"), (400, "HTTP 400")])
async def test_server_errors_and_rate_limits_fall_back_without_waiting(
    double: AlgoliaDouble, status: int, reason: str
) -> None:
    settings = make_settings(double, algolia_api_key=SecretStr(KEY))
    backend = AlgoliaSearch(settings, DirectusClient(settings))
    try:
        double.fail_next(status, times=5, retry_after=30)
        with pytest.raises(SearchUnavailableError, match=reason):
            await backend.search(QUERY)
    finally:
        await backend.aclose()
    assert len(double.requests) == 1  # no Retry-After sleep, no same-host retries


async def test_unknown_index_is_unavailable(double: AlgoliaDouble) -> None:
    settings = make_settings(double, algolia_api_key=SecretStr(KEY))
    backend = AlgoliaSearch(settings, DirectusClient(settings))
    try:
        with pytest.raises(SearchUnavailableError, match="404"):
            await backend.search([{"indexName": "no_such_index", "query": ""}])
        assert not await backend.available(["no_such_index"])
        assert await backend.available(["faqs"])
    finally:
        await backend.aclose()


async def test_a_slow_algolia_times_out_into_a_fallback(double: AlgoliaDouble) -> None:
    settings = make_settings(double, algolia_api_key=SecretStr(KEY), timeout=1.0)
    backend = AlgoliaSearch(settings, DirectusClient(settings))
    double.latency = 1.5
    try:
        with pytest.raises(SearchUnavailableError):
            await backend.search(QUERY)
    finally:
        double.latency = 0
        await backend.aclose()


async def test_a_proxy_in_the_environment_does_not_capture_a_local_host(
    double: AlgoliaDouble, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    settings = make_settings(double, algolia_api_key=SecretStr(KEY))
    backend = AlgoliaSearch(settings, DirectusClient(settings))
    try:
        assert (await backend.search(QUERY))[0]["nbHits"] == 1
    finally:
        await backend.aclose()


async def test_empty_request_list_makes_no_call(double: AlgoliaDouble) -> None:
    settings = make_settings(double, algolia_api_key=SecretStr(KEY))
    backend = AlgoliaSearch(settings, DirectusClient(settings))
    assert await backend.search([]) == []
    assert double.requests == []


def test_filter_values_drop_control_characters_and_match_json_quoting() -> None:
    import json

    for value in ["primair onderwijs", 'a "b"', "back\\slash", "Oriëntatie", "x\x00y\x1b"]:
        quoted = filter_value(value)
        assert "\x00" not in quoted and "\x1b" not in quoted
        assert json.loads(quoted) == " ".join(json.loads(quoted).split())
    assert json.loads(filter_value('a "b" \\ c')) == 'a "b" \\ c'


async def test_keys_are_kept_for_a_bounded_number_of_tokens(double: AlgoliaDouble) -> None:
    directus = DirectusClient(make_settings(double))
    backend = AlgoliaSearch(make_settings(double), directus)
    reads: list[str] = []

    async def read_key() -> tuple[str | None, float]:
        reads.append(directus.token_tag)
        return f"key-{len(reads)}", KEY_TTL

    backend._read_key = read_key  # type: ignore[method-assign]
    try:
        for number in range(MAX_KEYS + 10):
            directus.token_tag = f"token-{number}"
            await backend._key()
        assert len(backend._keys) == MAX_KEYS
        directus.token_tag = f"token-{MAX_KEYS + 9}"  # the newest is still cached
        await backend._key()
        directus.token_tag = "token-0"  # the oldest was dropped: read again
        await backend._key()
    finally:
        await backend.aclose()
        await directus.aclose()
    assert len(reads) == MAX_KEYS + 11
