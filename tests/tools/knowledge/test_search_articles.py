"""search_articles end to end against the real Directus stack and the Algolia double.

Every search test runs on both backends; expectations come from tests/stack/seed_data.py (ids and the
seeded structures), not from copied text.
"""

from __future__ import annotations

from typing import Any

import pytest

from onderwijsloket_mcp.config import ACCESS_REQUEST_URL
from onderwijsloket_mcp.render.markdown import approx_tokens
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as seed
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, Sample, call, structured, text_of
from tests.tools.knowledge.support import (
    ARTICLE,
    BACKENDS,
    DEFAULT_BUDGET_TOKENS,
    HIDDEN,
    MAX_BUDGET_TOKENS,
    PUBLISHED,
    Backend,
    algolia_queries,
    ids,
    kb_client,
    ok,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

# The call of this tool every client and framework test makes (tests/support/inventory.py).
SAMPLE = Sample({"query": "zij-instroom", "limit": 3})


SITE = "https://onderwijsloket.com"
UNDATED = [a["id"] for a in PUBLISHED if not a.get("date_updated")]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    return request.param  # type: ignore[no-any-return]


@pytest.mark.parametrize("mode", MODES)
async def test_search_finds_articles_with_summary_taxonomy_date_and_link(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, mode: Mode
) -> None:
    async with kb_client(stack, algolia, backend, mode) as client:
        result = await ok(client, "search_articles", backend, query="leerplicht")
    assert ids(result)[0] == seed.ARTICLE_LEERPLICHT
    article = ARTICLE[seed.ARTICLE_LEERPLICHT]
    hit = structured(result)["hits"][0]
    assert hit["title"] == article["title"]
    assert hit["link"] == SITE + article["path"]
    assert hit["updated"] == article["date_updated"][:10]
    assert hit["summary"] and hit["topics"] and hit["sectors"]
    text = text_of(result)
    assert f"Updated: {article['date_updated'][:10]}" in text
    assert f"ID: {seed.ARTICLE_LEERPLICHT}" in text and f"Link: {SITE}{article['path']}" in text
    assert "get_article" in text
    assert structured(result)["order"] == "relevance"


async def test_without_query_lists_most_recently_updated_first(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        seen: list[dict[str, Any]] = []
        offset = 0
        while True:
            page = await ok(client, "search_articles", "directus", limit=4, offset=offset)
            assert structured(page)["order"] == "recently_updated"
            seen += structured(page)["hits"]
            offset += 4
            if offset >= structured(page)["total"]:
                break
    assert sorted(h["id"] for h in seen) == sorted(a["id"] for a in PUBLISHED)
    dated = [h["updated"] for h in seen if h["id"] not in UNDATED]
    assert dated == sorted(dated, reverse=True)
    assert UNDATED, "the seed has an article that was never updated"
    assert {h["id"] for h in seen[-len(UNDATED) :]} == set(UNDATED)  # never updated: listed last
    assert algolia_queries(algolia) == []  # listing by date is Directus' job


@pytest.mark.parametrize(
    ("argument", "value", "field", "label"),
    [
        ("topic", "Salaris", "topics", "Salaris"),
        ("sector", "mbo", "sectors", "middelbaar beroepsonderwijs"),
        ("role", "leraar basisonderwijs", "roles", "Leraar basisonderwijs"),
        ("qualification", "tweedegraads", "qualifications", "Tweedegraads bevoegdheid"),
        ("track", "Zij-instroom", "tracks", "Zij-instroom"),
        ("audience", "studiekiezers", "audiences", "Studiekiezers"),
    ],
)
async def test_filters_narrow_every_hit(
    stack: StackInfo,
    algolia: AlgoliaDouble,
    backend: Backend,
    argument: str,
    value: str,
    field: str,
    label: str,
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        searched = await ok(
            client, "search_articles", backend, query="onderwijs", limit=20, **{argument: value}
        )
        listed = await ok(client, "search_articles", "directus", limit=20, **{argument: value})
    for result in (searched, listed):
        assert structured(result)["filters"] == {argument: label}
        assert structured(result)["hits"]
        for hit in structured(result)["hits"]:
            assert label in hit[field], (hit["title"], field)
    expected = {a["id"] for a in PUBLISHED if any(row[f"{field}_id"] for row in a.get(field, []))}
    assert set(ids(listed)) <= expected


async def test_unknown_role_lists_the_valid_ones(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await call(client, "search_articles", query="salaris", role="astronaut")
    assert result.is_error
    text = text_of(result)
    assert "Unknown role 'astronaut'" in text
    for role in seed.ROLES:
        assert role["name"] in text


async def test_drafts_and_archived_articles_never_appear(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        for query in ("concept", "cao", "lerarenbeurs", "onderwijs"):
            result = await ok(client, "search_articles", backend, query=query, limit=20)
            assert not set(ids(result)) & set(HIDDEN), query
        listing = await ok(client, "search_articles", "directus", limit=20)
    assert not set(ids(listing)) & set(HIDDEN)


async def test_english_articles_are_marked(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_articles", backend, query="teacher Netherlands")
    assert ids(result)[0] == seed.ARTICLE_ENGLISH
    assert structured(result)["hits"][0]["english"] is True
    assert "(English)" in text_of(result)


async def test_articles_that_do_not_answer_the_question_say_so(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        doubtful = await ok(
            client, "search_articles", backend, query="Hoe vraag ik een parkeervergunning aan bij school?"
        )
        answered = await ok(client, "search_articles", backend, query="Hoe werkt de leerplicht?")
    assert structured(doubtful)["confidence"] == "low" and structured(doubtful)["missing"] == [
        "parkeervergunning"
    ]
    assert "none seems to answer the question: the best match lacks 'parkeervergunning'" in text_of(doubtful)
    assert "confidence" not in structured(answered) and "seems to answer" not in text_of(answered)


@pytest.mark.parametrize("query", ["kwantumfysica", "kwantumfysica sterrenkunde"])
async def test_no_results_say_what_was_searched(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, query: str
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_articles", backend, query=query)
    assert structured(result)["hits"] == []
    assert f"'{query}'" in text_of(result) and "search_faq" in text_of(result)


async def test_bad_queries(stack: StackInfo, algolia: AlgoliaDouble, backend: Backend) -> None:
    async with kb_client(stack, algolia, backend) as client:
        too_long = await call(client, "search_articles", query="pabo " * 2000)
        blank = await ok(client, "search_articles", "directus", query="  \t ")
        dirty = await ok(client, "search_articles", backend, query="\x00leerplicht\x1b")
        past = await ok(client, "search_articles", backend, query="onderwijs", offset=900)
    assert too_long.is_error and "limit is 200" in text_of(too_long)
    assert structured(blank)["order"] == "recently_updated"  # an empty query lists instead of failing
    assert ids(dirty)[0] == seed.ARTICLE_LEERPLICHT
    assert structured(past)["hits"] == [] and "offset=900" in text_of(past)


async def test_budgets(stack: StackInfo, algolia: AlgoliaDouble, backend: Backend) -> None:
    async with kb_client(stack, algolia, backend) as client:
        default = await ok(client, "search_articles", backend, query="onderwijs")
        listing = await ok(client, "search_articles", "directus")
        widest = await ok(client, "search_articles", backend, query="onderwijs", limit=20)
    assert approx_tokens(text_of(default)) <= DEFAULT_BUDGET_TOKENS
    assert approx_tokens(text_of(listing)) <= DEFAULT_BUDGET_TOKENS
    assert approx_tokens(text_of(widest)) <= MAX_BUDGET_TOKENS


async def test_both_backends_agree_on_the_top_article(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    questions = {
        "leerplicht": seed.ARTICLE_LEERPLICHT,
        "vavo": seed.ARTICLE_VAVO,
        "teacher Netherlands": seed.ARTICLE_ENGLISH,
        "werkdruk": None,
        "wetten": seed.ARTICLE_LONG,
        "afkortingen": None,
        "salaris": seed.ARTICLE_SALARIS,
    }
    tops: dict[Backend, dict[str, str]] = {}
    for backend in BACKENDS:
        async with kb_client(stack, algolia, backend) as client:
            tops[backend] = {
                q: ids(await ok(client, "search_articles", backend, query=q))[0] for q in questions
            }
    assert tops["directus"] == tops["algolia"]
    for q, expected in questions.items():
        if expected is not None:
            assert tops["directus"][q] == expected, q


async def test_algolia_article_request(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "algolia") as client:
        await ok(client, "search_articles", "algolia", query="bevoegdheid", sector="vo", role="Docent mbo")
    [(index, params)] = algolia_queries(algolia)
    assert index == "articles"
    assert params["filters"] == 'sectors.title:"voortgezet onderwijs" AND roles.name:"Docent mbo"'
    assert params["attributesToSnippet"] == ["bodyString:30"]
    assert "body" not in params["attributesToRetrieve"] and "seo" not in params["attributesToRetrieve"]
    assert params["queryLanguages"] == ["nl"]


async def test_algolia_down_falls_back(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        expected = await ok(client, "search_articles", "directus", query="leerplicht")
    algolia.set_down(True)
    async with kb_client(stack, algolia, "algolia") as client:
        result = await ok(client, "search_articles", "directus", query="leerplicht")
    assert text_of(result) == text_of(expected)


@pytest.mark.parametrize("mode", MODES)
async def test_tools_list_entries(stack: StackInfo, algolia: AlgoliaDouble, mode: Mode) -> None:
    async with kb_client(stack, algolia, "directus", mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    search, get = tools["search_articles"], tools["get_article"]
    for tool in (search, get):
        annotations = tool.annotations
        assert annotations is not None
        assert annotations.read_only_hint is True and annotations.destructive_hint is False
        assert annotations.idempotent_hint is True and annotations.open_world_hint is True
        assert tool.output_schema is not None
    assert search.description and "search_faq" in search.description and "get_article" in search.description
    assert (
        "search in Dutch" in search.description
    )  # the content is Dutch; the search understands English a little
    assert get.description and "search_articles" in get.description
    props = search.input_schema["properties"]
    assert {
        "query",
        "topic",
        "sector",
        "role",
        "qualification",
        "track",
        "audience",
        "limit",
        "offset",
    } <= set(props)
    assert props["limit"]["maximum"] == 20 and "Default: 5." in props["limit"]["description"]
    assert {"id_or_slug", "section", "offset"} <= set(get.input_schema["properties"])
    assert get.input_schema["required"] == ["id_or_slug"]


@pytest.mark.parametrize("tool", ["search_articles", "get_article"])
async def test_without_token(stack: StackInfo, algolia: AlgoliaDouble, tool: str) -> None:
    arguments = {"query": "pabo"} if tool == "search_articles" else {"id_or_slug": seed.ARTICLE_VAVO}
    async with kb_client(stack, algolia, "algolia", token=None) as client:
        result = await call(client, tool, **arguments)
    assert result.is_error
    assert "ONDERWIJSLOKET_TOKEN" in text_of(result) and ACCESS_REQUEST_URL in text_of(result)
