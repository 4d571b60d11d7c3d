"""get_article end to end against the real Directus stack (expectations from tests/stack/seed_data.py); its
paging helpers on their own are in tests/unit/tools/knowledge/test_get_article.py."""

from __future__ import annotations

import pytest

from onderwijsloket_mcp.render.links import cloudinary_url
from onderwijsloket_mcp.render.markdown import approx_tokens
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as seed
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, Sample, call, structured, text_of
from tests.tools.knowledge.support import (
    ARTICLE,
    HIDDEN,
    MAX_BUDGET_TOKENS,
    PUBLISHED,
    kb_client,
    ok,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

# The call of this tool every client and framework test makes (tests/support/inventory.py).
SAMPLE = Sample({"id_or_slug": "wat-is-het-vavo"})


SITE = "https://onderwijsloket.com"
SOURCES = {s["id"]: s for s in seed.SOURCES}
DOCUMENTS = {d["id"]: d for d in seed.DOCUMENTS}
AUTHORS = {a["id"]: a for a in seed.AUTHORS}
FAQS = {f["id"]: f for f in seed.FAQS}


def related_ids(article_id: str, field: str) -> list[str]:
    return [row[f"{field}_id"] for row in ARTICLE[article_id].get(field, [])]


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
        result = await ok(client, "get_article", id_or_slug=article_id)  # ok() checks it is safe for a model
    assert structured(result)["title"] == ARTICLE[article_id]["title"]
