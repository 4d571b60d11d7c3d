"""Caches for what rarely changes: an identical repeated call within the TTL makes no upstream request for
the cached data (taxonomies, schema, route questions/answers, the desk list, the Navigator field probes,
the Algolia key, online geocoding), sizes are bounded, entries expire, and nothing crosses tokens.
"""

from __future__ import annotations

from typing import Any

import anyio
import pytest

from onderwijsloket_mcp.datamodel.load import load_schema
from onderwijsloket_mcp.errors import PermissionDeniedError
from onderwijsloket_mcp.upstream.cache import TTLCache, token_fingerprint
from onderwijsloket_mcp.upstream.directus import DirectusClient
from onderwijsloket_mcp.upstream.query import Query
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import call, connect, stack_settings, text_of
from tests.support.faulty_upstream import faulty_upstream, respond
from tests.support.recording import Requests, recording_requests

pytestmark = pytest.mark.anyio

TAXONOMY_PATHS = ("/items/sectors", "/items/topics", "/items/audiences", "/items/phases")
SCHEMA_PATHS = ("/collections", "/fields", "/relations", "/server/specs/oas")


def taxonomy_requests(log: Requests) -> list[str]:
    return [p for p in log.paths if p.startswith(TAXONOMY_PATHS)]


# -- the cache itself ------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_entries_expire_after_the_ttl_and_the_size_is_bounded() -> None:
    clock = Clock()
    cache: TTLCache[int] = TTLCache(ttl=60, maxsize=3, clock=clock)
    fetched: list[str] = []

    def fetch(key: str) -> Any:
        async def run() -> int:
            fetched.append(key)
            return len(fetched)

        return run

    assert await cache.get_or_fetch("a", fetch("a")) == 1
    assert await cache.get_or_fetch("a", fetch("a")) == 1
    assert fetched == ["a"]
    clock.now += 61
    assert await cache.get_or_fetch("a", fetch("a")) == 2
    for key in "bcde":
        await cache.get_or_fetch(key, fetch(key))
    assert len(cache) == 3  # least recently used entries went first
    assert cache.get("a") is None and cache.get("e") is not None
    assert not cache._locks  # no per-key bookkeeping outlives a fetch


def test_an_entry_may_live_shorter_or_longer_than_the_cache_default() -> None:
    clock = Clock()
    cache: TTLCache[int] = TTLCache(ttl=60, clock=clock)
    cache.set("short", 1, ttl=10)
    cache.set("long", 2, ttl=600)
    cache.set("never", 3, ttl=0)
    clock.now += 11
    assert cache.get("short") is None and cache.get("never") is None
    clock.now += 300
    assert cache.get("long") == 2


async def test_concurrent_callers_share_one_fetch() -> None:
    cache: TTLCache[int] = TTLCache(ttl=60)
    calls = 0
    started = anyio.Event()
    release = anyio.Event()

    async def fetch() -> int:
        nonlocal calls
        calls += 1
        started.set()
        await release.wait()
        return 7

    results: list[int] = []

    async def ask() -> None:
        results.append(await cache.get_or_fetch("k", fetch))

    async with anyio.create_task_group() as group:
        for _ in range(5):
            group.start_soon(ask)
        await started.wait()
        release.set()
    assert results == [7] * 5 and calls == 1
    assert not cache._locks


async def test_a_failed_fetch_is_not_cached() -> None:
    cache: TTLCache[int] = TTLCache(ttl=60)

    async def failing() -> int:
        raise RuntimeError("upstream down")

    async def working() -> int:
        return 1

    with pytest.raises(RuntimeError):
        await cache.get_or_fetch("k", failing)
    assert await cache.get_or_fetch("k", working) == 1
    assert not cache._locks


async def test_a_zero_ttl_disables_caching() -> None:
    cache: TTLCache[int] = TTLCache(ttl=0)
    calls = 0

    async def fetch() -> int:
        nonlocal calls
        calls += 1
        return calls

    await cache.get_or_fetch("k", fetch)
    await cache.get_or_fetch("k", fetch)
    assert calls == 2 and len(cache) == 0


def test_token_fingerprints_differ_per_token_and_hide_it() -> None:
    reader, content = token_fingerprint("test-reader-token"), token_fingerprint("test-content-token")
    assert reader != content
    assert "test-reader-token" not in reader
    assert token_fingerprint(None) == token_fingerprint("") == "anonymous"


# -- repeated identical calls against the stack ----------------------------------------------------------


@pytest.mark.stack
async def test_taxonomies_are_read_once(stack: StackInfo) -> None:
    with recording_requests() as log:
        async with connect(stack_settings(stack)) as client:
            first = await call(
                client, "search_faq", query="salaris", sector="primair onderwijs", topic="Salaris"
            )
            assert not first.is_error, text_of(first)
            assert sorted(taxonomy_requests(log)) == ["/items/sectors", "/items/topics"]
            log.clear()
            second = await call(
                client, "search_faq", query="salaris", sector="primair onderwijs", topic="Salaris"
            )
            assert text_of(second) == text_of(first)
            assert taxonomy_requests(log) == []
            assert log.paths == []  # the FAQ list is searched where it is cached, like the taxonomies
            log.clear()
            # Other tools resolve against the same cached lists.
            await call(client, "search_articles", query="salaris", sector="vo")
            assert taxonomy_requests(log) == []


@pytest.mark.stack
async def test_route_questions_and_answers_are_read_once(stack: StackInfo) -> None:
    with recording_requests() as log:
        async with connect(stack_settings(stack)) as client:
            first = await call(client, "get_pathways", answers=[])
            assert log.paths == ["/items/route_questions"]  # with their answers and prerequisites
            log.clear()
            second = await call(client, "get_pathways", answers=[])
            assert log.paths == []
            assert text_of(second) == text_of(first)
            await call(client, "get_pathways", answers=sd.EXAMPLE_ANSWERS)
            assert log.paths == ["/items/routes"]  # the routes themselves are live


@pytest.mark.stack
async def test_the_schema_is_read_once_per_token(stack: StackInfo) -> None:
    with recording_requests() as log:
        async with connect(stack_settings(stack)) as client:
            first = await client.read_resource("onderwijsloket://schema")
            assert any(p.startswith(SCHEMA_PATHS) for p in log.paths)
            log.clear()
            second = await client.read_resource("onderwijsloket://schema")
            await client.read_resource("onderwijsloket://schema/articles")
            assert not any(p.startswith(SCHEMA_PATHS) for p in log.paths)
    assert first.contents == second.contents


@pytest.mark.stack
async def test_the_desk_list_and_navigator_field_probes_are_read_once(stack: StackInfo) -> None:
    with recording_requests() as log:
        async with connect(stack_settings(stack)) as client:
            await call(client, "list_regional_desks", region="Regio Zwolle")
            assert log.paths == ["/items/regional_education_desks"]
            log.clear()
            await call(client, "list_regional_desks", region="Regio Zwolle")
            assert log.paths == []

            first = await call(client, "find_programs_near", near="Utrecht", radius_km=20)
            probes = [r for r in log.sent if r.url.params.get("limit") == "1"]
            assert probes, "find_programs_near no longer probes the readable fields: update this test"
            log.clear()
            second = await call(client, "find_programs_near", near="Utrecht", radius_km=20)
            assert text_of(second) == text_of(first)
            assert log.paths == ["/items/locations"]  # the search itself, in one request


@pytest.mark.stack
async def test_without_a_cache_every_call_reads_again(stack: StackInfo) -> None:
    """The same calls with ONDERWIJSLOKET_CACHE_TTL=0: the caches above are what saves the requests."""
    with recording_requests() as log:
        async with connect(stack_settings(stack, cache_ttl=0)) as client:
            for _ in range(2):
                await call(client, "get_pathways", answers=[])
                await call(client, "search_faq", query="salaris", sector="vo")
    assert log.paths.count("/items/route_questions") == 2
    # Each search reads the sectors twice: to resolve sector="vo" and for the search vocabulary.
    assert log.paths.count("/items/sectors") == 4
    assert log.paths.count("/items/faqs") == 2


@pytest.mark.stack
async def test_the_algolia_key_is_read_once(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    settings = stack_settings(stack, search_backend="auto", algolia_host=algolia.url)
    with recording_requests() as log:
        async with connect(settings) as client:
            for _ in range(3):
                result = await call(client, "search_faq", query="salaris")
                assert result.structured_content is not None
                assert result.structured_content["backend"] == "algolia"
            # search_faq answers from the index alone: warm, its one request is the Algolia query. The
            # first call also reads the key and the sector names (search vocabulary), once.
            assert sorted(log.paths) == ["/items/sectors", "/users/me"]
            await call(client, "search_articles", query="pabo")
    assert log.paths.count("/users/me") == 1
    assert len([r for r in algolia.requests if r.path.endswith("/queries")]) == 4


PDOK_ANSWER = {
    "response": {
        "numFound": 1,
        "docs": [
            {
                "type": "adres",
                "weergavenaam": "Fantasielaan 1, 3511AB Utrecht",
                "centroide_ll": "POINT(5.1214 52.0907)",
                "gemeentenaam": "Utrecht",
                "provincienaam": "Utrecht",
            }
        ],
    }
}


@pytest.mark.stack
async def test_online_geocoding_answers_are_cached(stack: StackInfo) -> None:
    async with faulty_upstream({"/pdok": respond(200, PDOK_ANSWER)}) as pdok:
        settings = stack_settings(stack, geocoder_online=True, pdok_url=f"{pdok.url}/pdok")
        async with connect(settings) as client:
            first = await call(client, "find_programs_near", near="Fantasielaan 1, Utrecht", radius_km=10)
            second = await call(client, "find_programs_near", near="Fantasielaan 1, Utrecht", radius_km=10)
    assert not first.is_error, text_of(first)
    assert text_of(second) == text_of(first)
    assert len(pdok.requests) == 1


@pytest.mark.stack
async def test_online_geocoding_follows_the_cache_ttl(stack: StackInfo) -> None:
    async with faulty_upstream({"/pdok": respond(200, PDOK_ANSWER)}) as pdok:
        settings = stack_settings(stack, geocoder_online=True, pdok_url=f"{pdok.url}/pdok", cache_ttl=0)
        async with connect(settings) as client:
            for _ in range(2):
                await call(client, "find_programs_near", near="Fantasielaan 1, Utrecht", radius_km=10)
    assert len(pdok.requests) == 2


# -- never across tokens ---------------------------------------------------------------------------------


@pytest.mark.stack
async def test_two_servers_with_different_tokens_answer_each_with_their_own_rights(stack: StackInfo) -> None:
    """The reader token may read the Navigator collections, the content token may not: a warm reader server
    in the same process changes nothing for the content server, in either order."""
    async with (
        connect(stack_settings(stack, token="reader")) as reader,
        connect(stack_settings(stack, token="content")) as content,
    ):
        for _ in range(2):
            found = await call(reader, "find_programs_near", near="Utrecht", radius_km=20)
            assert not found.is_error, text_of(found)
            refused = await call(content, "find_programs_near", near="Utrecht", radius_km=20)
            assert refused.is_error and "Navigator" in text_of(refused)
            desks = await call(content, "list_regional_desks", region="Regio Zwolle")
            assert desks.is_error and "Navigator" in text_of(desks)
            assert not (await call(reader, "list_regional_desks", region="Regio Zwolle")).is_error


@pytest.mark.stack
async def test_only_the_token_with_the_algolia_policy_searches_algolia(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    async with (
        connect(
            stack_settings(stack, token="reader", search_backend="auto", algolia_host=algolia.url)
        ) as reader,
        connect(
            stack_settings(stack, token="content", search_backend="auto", algolia_host=algolia.url)
        ) as content,
    ):
        for _ in range(2):
            by_reader = await call(reader, "search_faq", query="salaris")
            by_content = await call(content, "search_faq", query="salaris")
            assert by_reader.structured_content is not None and by_content.structured_content is not None
            assert by_reader.structured_content["backend"] == "algolia"
            assert by_content.structured_content["backend"] == "directus"


@pytest.mark.stack
async def test_a_shared_cache_still_never_serves_one_tokens_data_to_another(stack: StackInfo) -> None:
    """Keys carry the token fingerprint: even two clients handed the very same cache object stay apart."""
    reader = DirectusClient(stack_settings(stack, token="reader"))
    content = DirectusClient(stack_settings(stack, token="content"))
    content.cache = reader.cache
    query = Query(fields=("id", "title"), limit=-1, sort=("id",))
    try:
        programs = await reader.items_cached("programs", query)
        assert programs.data
        with pytest.raises(PermissionDeniedError):
            await content.items_cached("programs", query)

        reader_schema = await load_schema(reader)
        content_schema = await load_schema(content)
        assert "programs" in reader_schema.collections
        assert "programs" not in content_schema.collections
        assert len({key[0] for key in reader.cache._data if isinstance(key, tuple)}) == 2
    finally:
        await reader.aclose()
        await content.aclose()
