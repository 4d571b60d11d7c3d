"""search_articles and get_article end to end against the real Directus stack and the Algolia double.

Every search test runs on both backends; expectations come from tests/stack/seed_data.py (ids and the
seeded structures), not from copied text.
"""

from __future__ import annotations

from typing import Any

import pytest

from onderwijsloket_mcp.config import ACCESS_REQUEST_URL
from onderwijsloket_mcp.render.links import cloudinary_url
from onderwijsloket_mcp.render.markdown import approx_tokens
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as seed
from tests.stack.fixture import StackInfo
from tests.support import Mode, call, text_of
from tests.tools.knowledge import (
    BACKENDS,
    DEFAULT_BUDGET_TOKENS,
    MAX_BUDGET_TOKENS,
    MODES,
    Backend,
    algolia_queries,
    assert_model_safe,
    ids,
    kb_client,
    ok,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]


SITE = "https://onderwijsloket.com"
ARTICLE = {a["id"]: a for a in seed.ARTICLES}
PUBLISHED = [a for a in seed.ARTICLES if a["status"] == "published"]
HIDDEN = [a["id"] for a in seed.ARTICLES if a["status"] != "published"]
UNDATED = [a["id"] for a in PUBLISHED if not a.get("date_updated")]
SOURCES = {s["id"]: s for s in seed.SOURCES}
DOCUMENTS = {d["id"]: d for d in seed.DOCUMENTS}
FILES = {f["id"]: f for f in seed.FILES}
AUTHORS = {a["id"]: a for a in seed.AUTHORS}
FAQS = {f["id"]: f for f in seed.FAQS}


def related_ids(article_id: str, field: str) -> list[str]:
    return [row[f"{field}_id"] for row in ARTICLE[article_id].get(field, [])]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    return request.param  # type: ignore[no-any-return]


def structured(result: Any) -> dict[str, Any]:
    assert result.structured_content is not None
    return result.structured_content  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------------------
# search_articles
# --------------------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------------------
# get_article
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_get_article_is_complete(stack: StackInfo, algolia: AlgoliaDouble, mode: Mode) -> None:
    article = ARTICLE[seed.ARTICLE_RICH]
    async with kb_client(stack, algolia, "directus", mode) as client:
        result = await ok(client, "get_article", id_or_slug=seed.ARTICLE_RICH)
    text = text_of(result)
    data = structured(result)
    assert text.startswith(f"# {article['title']}")
    assert f"Updated: {article['date_updated'][:10]}" in text
    assert data["updated"] == article["date_updated"][:10]
    assert data["link"] == SITE + article["path"] and f"Link: {SITE}{article['path']}" in text
    for author_id in related_ids(seed.ARTICLE_RICH, "authors"):
        author = AUTHORS[author_id]
        assert f"{author['first_name']} {author['name']}" in text
    for source_id in related_ids(seed.ARTICLE_RICH, "sources"):
        assert f"]({SOURCES[source_id]['url']})" in text
    for document_id in related_ids(seed.ARTICLE_RICH, "documents"):
        document = DOCUMENTS[document_id]
        url = cloudinary_url(document["asset"], "raw")
        assert f"[{document['title']}]({url})" in text
        assert any(
            (d["title"], d["url"], d["type"]) == (document["title"], url, "PDF") for d in data["documents"]
        )
    for faq_id in related_ids(seed.ARTICLE_RICH, "faqs"):
        assert f"- {FAQS[faq_id]['question']}\n" in text  # the question; its id is in structuredContent only
        assert (
            faq_id not in text
            and {"id": faq_id, "question": FAQS[faq_id]["question"]} in data["related_faqs"]
        )
    assert "call search_faq with the question" in text
    # The slug is part of the link, so it is not said again (in neither form).
    assert data["link"].endswith(article["slug"]) and "slug" not in data
    assert f"Slug: {article['slug']}" not in text
    assert data["taxonomy"]["topics"] and data["taxonomy"]["sectors"]
    # The body with its editor nodes: the callout's nested mention becomes an absolute link.
    assert "> **" in text and f"]({SITE}/kennisbank/artikelen/" in text
    assert "next_offset" not in data and "start" not in data and data["end"] == data["body_characters"]
    assert data["body_markdown"] and data["body_markdown"] in text  # the whole body, in both forms
    assert "## Sources" in text and "## Documents" in text and "## Related FAQs" in text


async def test_get_article_lists_every_related_faq_and_says_how_many(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    """105 readable related FAQs (more than a list shows, more than Directus nests by default) and two drafts:
    none is dropped silently, the drafts are not counted."""
    linked = related_ids(seed.ARTICLE_MANY_FAQS, "faqs")
    readable = [faq_id for faq_id in linked if FAQS[faq_id]["status"] == "published"]
    assert len(readable) == 105 and len(linked) > len(readable)
    async with kb_client(stack, algolia, "directus") as client:
        result = await ok(client, "get_article", id_or_slug=seed.ARTICLE_MANY_FAQS)
    text = text_of(result)
    data = structured(result)
    assert [faq["id"] for faq in data["related_faqs"]] == readable
    assert "## Related FAQs (105)" in text
    assert "_25 of 105 related FAQs listed above; the other 80:_" in text
    for faq_id in readable:
        assert FAQS[faq_id]["question"] in text
    for faq_id in set(linked) - set(readable):
        assert FAQS[faq_id]["question"] not in text
    assert text.count("\n- Verlofvraag") == 25


def test_related_faqs_too_many_to_list_are_counted() -> None:
    from onderwijsloket_mcp.tools.knowledge.get_article import FaqRef, _related_faqs_section

    faqs = [
        FaqRef(id=str(n), question=f"Vraag nummer {n} over een onderwerp met een lange naam?")
        for n in range(400)
    ]
    text = _related_faqs_section(faqs)
    assert text.startswith("## Related FAQs (400)\n")
    assert "_25 of 400 related FAQs listed above; the other 375:_" in text
    listed = text.count("Vraag nummer")
    assert 25 < listed < 400
    assert (
        f"and {400 - listed} more, not listed here for length (structuredContent.related_faqs has all 400)"
        in text
    )
    few = _related_faqs_section(faqs[:3])
    assert few.startswith("## Related FAQs\n- Vraag nummer 0") and "of 3" not in few


@pytest.mark.parametrize(
    "reference",
    [
        "slug",
        "path",
        "url",
        "upper",
    ],
)
async def test_get_article_by_slug_path_or_url(
    stack: StackInfo, algolia: AlgoliaDouble, reference: str
) -> None:
    article = ARTICLE[seed.ARTICLE_VAVO]
    value = {
        "slug": article["slug"],
        "path": article["path"],
        "url": f"{SITE}{article['path']}?utm_source=test#top",
        "upper": seed.ARTICLE_VAVO.upper(),
    }[reference]
    async with kb_client(stack, algolia, "directus") as client:
        result = await ok(client, "get_article", id_or_slug=value)
    assert structured(result)["id"] == seed.ARTICLE_VAVO


@pytest.mark.parametrize(
    "value",
    [
        "00000000-0000-4000-8000-000000000000",
        "dit-artikel-bestaat-niet",
        "not a slug at all!",
        "../../users/me",
        "x" * 400,
    ],
)
async def test_unknown_articles_are_not_found_or_not_permitted(
    stack: StackInfo, algolia: AlgoliaDouble, value: str
) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        result = await call(client, "get_article", id_or_slug=value)
    assert result.is_error
    assert "not found or not permitted" in text_of(result) and "search_articles" in text_of(result)


async def test_drafts_are_not_found(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        for article_id in HIDDEN:
            result = await call(client, "get_article", id_or_slug=article_id)
            assert result.is_error and "not found or not permitted" in text_of(result)


async def test_empty_id_is_an_error(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        result = await call(client, "get_article", id_or_slug="  ")
    assert result.is_error and "'id_or_slug' is empty" in text_of(result)


async def test_long_article_comes_in_parts_with_exact_continuations(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        first = await ok(client, "get_article", id_or_slug=seed.ARTICLE_LONG)
        data = structured(first)
        assert data["next_offset"] is not None
        text = text_of(first)
        assert f'get_article(id_or_slug="{seed.ARTICLE_LONG}", offset={data["next_offset"]})' in text
        assert seed.LONG_ARTICLE_LAST_HEADING in text  # listed among the sections still to come
        assert "## Sources" in text  # references come with the first part
        parts = [text]
        offset = data["next_offset"]
        while offset is not None:
            page = await ok(client, "get_article", id_or_slug=seed.ARTICLE_LONG, offset=offset)
            page_data = structured(page)
            assert page_data["start"] == offset
            assert "(continued from character" in text_of(page)
            parts.append(text_of(page))
            offset = page_data.get("next_offset")
            assert len(parts) < 10
    assert len(parts) >= 2
    for part in parts:
        assert approx_tokens(part) <= MAX_BUDGET_TOKENS
    assert seed.LONG_ARTICLE_LAST_SENTENCE in parts[-1] and "End of the article" in parts[-1]
    assert "## Sources" not in parts[-1]


async def test_section_jumps_to_a_heading(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        exact = await ok(
            client, "get_article", id_or_slug=seed.ARTICLE_LONG, section=seed.LONG_ARTICLE_LAST_HEADING
        )
        loose = await ok(client, "get_article", id_or_slug=seed.ARTICLE_LONG, section="tot SLOT")
        unknown = await call(client, "get_article", id_or_slug=seed.ARTICLE_LONG, section="Hoofdstuk 99")
        both = await call(client, "get_article", id_or_slug=seed.ARTICLE_LONG, section="Inhoud", offset=10)
        past = await call(client, "get_article", id_or_slug=seed.ARTICLE_LONG, offset=10_000_000)
    for result in (exact, loose):
        assert seed.LONG_ARTICLE_LAST_SENTENCE in text_of(result)
        assert "next_offset" not in structured(result)
    assert unknown.is_error and seed.LONG_ARTICLE_LAST_HEADING in text_of(unknown)
    assert both.is_error and "not both" in text_of(both)
    assert past.is_error and "past the end" in text_of(past)


async def test_stale_nodes_and_navigator_items_without_policy(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    async with kb_client(stack, algolia, "directus", token="content") as client:
        stale = await ok(client, "get_article", id_or_slug=seed.ARTICLE_STALE_NODE)
        salaris = await ok(client, "get_article", id_or_slug=seed.ARTICLE_SALARIS)
    assert structured(stale)["id"] == seed.ARTICLE_STALE_NODE
    assert "| --- |" in text_of(salaris)  # the table
    assert structured(salaris)["sources"]


@pytest.mark.parametrize("article_id", [a["id"] for a in PUBLISHED])
async def test_every_published_article_renders_safely(
    stack: StackInfo, algolia: AlgoliaDouble, article_id: str
) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        result = await ok(client, "get_article", id_or_slug=article_id)
    assert_model_safe(text_of(result))
    assert structured(result)["title"] == ARTICLE[article_id]["title"]
