"""search_faq end to end: MCP client -> server -> real Directus stack, and the Algolia double built from it.

Every search test runs on both backends; ``structuredContent.backend`` proves which one answered.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from onderwijsloket_mcp.config import ACCESS_REQUEST_URL
from onderwijsloket_mcp.render.markdown import approx_tokens
from onderwijsloket_mcp.tools.knowledge._search import RANK_WINDOW
from tests.algolia.double import AlgoliaDouble
from tests.stack import seed_data as seed
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, Sample, call, text_of
from tests.support.recording import recording_requests
from tests.tools.knowledge.support import (
    BACKENDS,
    DEFAULT_BUDGET_TOKENS,
    Backend,
    algolia_queries,
    ids,
    kb_client,
    ok,
    set_algolia_token,
    temporary_reader,
)

pytestmark = [pytest.mark.anyio, pytest.mark.stack]

# The call of this tool every client and framework test makes (tests/support/inventory.py).
SAMPLE = Sample({"query": "salaris leraar", "limit": 3})


SITE = "https://onderwijsloket.com"
FAQ_BY_ID = {faq["id"]: faq for faq in seed.FAQS}
TOPIC_NAMES = [t["name"] for t in seed.TOPICS]


def question(faq_id: str) -> str:
    return str(FAQ_BY_ID[faq_id]["question"])


def answer_texts(faq_id: str) -> list[str]:
    """The answer's text runs, whitespace collapsed: what either backend must show of it."""
    runs = (node["text"] for node in seed.walk(FAQ_BY_ID[faq_id]["answer"]) if node.get("type") == "text")
    return [" ".join(run.split()) for run in runs if run.strip()]


def links_in(faq_id: str) -> list[str]:
    """The answer's link targets, made absolute the way the server must show them."""
    hrefs = [
        mark["attrs"]["href"]
        for node in seed.walk(FAQ_BY_ID[faq_id]["answer"])
        for mark in node.get("marks", [])
        if mark.get("type") == "link"
    ]
    return [SITE + h if h.startswith("/") else h for h in hrefs]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    return request.param  # type: ignore[no-any-return]


# --------------------------------------------------------------------------------------------------------
# Answers
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_non_adjacent_words_find_the_faq_with_its_dutch_answer_and_links(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, mode: Mode
) -> None:
    async with kb_client(stack, algolia, backend, mode) as client:
        result = await ok(client, "search_faq", backend, query="opleiding naast baan")
    text = text_of(result)
    assert ids(result)[0] == seed.FAQ_NAAST_BAAN
    assert question(seed.FAQ_NAAST_BAAN) in text
    assert links_in(seed.FAQ_NAAST_BAAN), "seed FAQ should contain a link"
    for words in answer_texts(seed.FAQ_NAAST_BAAN):
        assert words in " ".join(text.split())
    for link in links_in(seed.FAQ_NAAST_BAAN):
        if backend == "directus":
            assert f"]({link})" in text  # the answer's own links, absolute
        else:
            assert link not in text  # the index's plain text has none: the FAQ's link leads to them
    assert ("plain text from the search index" in text) == (backend == "algolia")
    assert f"ID: {seed.FAQ_NAAST_BAAN}" in text
    # No seeded FAQ has a page of its own: the overview link is given once, at the end, not under each hit.
    overview = f"{SITE}/kennisbank/veelgestelde-vragen"
    assert text.count(overview) == 1 and text.rstrip().endswith(overview)
    assert "Link: " not in text
    # structuredContent alone says the same: the answer, and the overview link once for all hits.
    data: dict[str, Any] = result.structured_content  # type: ignore[assignment]
    hit = data["hits"][0]
    assert "link" not in hit and data["link"] == overview and hit["topics"] and hit["sectors"]
    for words in answer_texts(seed.FAQ_NAAST_BAAN):
        assert words in " ".join(hit["answer_markdown"].split())


async def test_external_links_in_answers_survive(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    """Directus answers carry the answer's links (Algolia's plain text has none; see the Algolia tests)."""
    async with kb_client(stack, algolia, "directus") as client:
        result = await ok(client, "search_faq", "directus", query="vavo")
    assert ids(result)[0] == seed.FAQ_VAVO
    for link in links_in(seed.FAQ_VAVO):
        assert link in text_of(result)


async def test_diacritics_match_either_way(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        with_accent = await ok(client, "search_faq", backend, query="oriëntatie carrière")
        without = await ok(client, "search_faq", backend, query="orientatie carriere")
    assert seed.FAQ_DIACRITICS in ids(with_accent)
    assert seed.FAQ_DIACRITICS_QUESTION in text_of(with_accent)
    assert seed.FAQ_DIACRITICS in ids(without)


NATURAL = [
    ("Hoeveel verdient een leerkracht op de basisschool?", "salaris-po"),  # synonyms
    ("wat verdient een docent op de middelbare school", "salaris-vo"),
    ("lerarensalaris basisonderwijs", "salaris-po"),  # a compound
    ("taken zorgcoordinator", "zorgcoordinator"),  # no diacritics
    ("lerarenbuers", "lerarenbeurs"),  # a typo
    ("What is the salary of a primary school teacher?", "salaris-po"),  # English
    (
        "Hoi, ik wil eigenlijk graag weten wie de kosten betaalt als ik via zij-instroom begin",
        "zij-instroom-kosten",
    ),
]


@pytest.mark.parametrize(("query", "key"), NATURAL)
async def test_questions_as_people_ask_them_find_the_faq(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, query: str, key: str
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_faq", backend, query=query, limit=3)
    assert ids(result)[0] == seed.FAQ_IDS[key], text_of(result)[:600]


async def test_a_question_the_faqs_do_not_answer_says_so(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_faq", backend, query="Hoeveel vakantiedagen heeft een leraar?")
    data = result.structured_content or {}
    assert data["confidence"] == "low" and data["missing"] == ["vakantiedagen"]
    assert "none seems to answer the question: the best match lacks 'vakantiedagen'" in text_of(result)
    assert "no answer to it" in text_of(result)


async def test_an_answered_question_carries_no_caveat_whatever_its_filler(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    question_text = (
        "Hoi! Ik werk nu in de ICT maar wil graag leraar worden, kan dat eigenlijk naast mijn huidige baan?"
    )
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_faq", backend, query=question_text, limit=3)
    data = result.structured_content or {}
    assert ids(result)[0] == seed.FAQ_IDS["naast-baan"]
    assert "confidence" not in data and "missing" not in data  # the defaults: high, nothing missing
    assert "seems to answer" not in text_of(result)


async def test_unpublished_faqs_never_appear(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        for query in ("concept", "salaris", "lerarenbeurs", "zij-instroom"):
            result = await ok(client, "search_faq", backend, query=query, limit=20)
            assert not set(ids(result)) & set(seed.FAQ_HIDDEN), query


async def test_unknown_node_types_and_missing_relations_render(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        tips = await ok(client, "search_faq", backend, query=question(seed.FAQ_UNKNOWN_NODE), limit=1)
        bare = await ok(client, "search_faq", backend, query=question(seed.FAQ_NO_RELATIONS), limit=1)
    assert ids(tips) == [seed.FAQ_UNKNOWN_NODE]
    assert "fancyWidget" not in text_of(tips)
    assert ids(bare) == [seed.FAQ_NO_RELATIONS]
    assert "Topics:" not in text_of(bare) and "Sectors:" not in text_of(bare)


# --------------------------------------------------------------------------------------------------------
# Filters
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "value", "field", "label"),
    [
        ("sector", "po", "sectors", "primair onderwijs"),
        ("sector", "Voortgezet Onderwijs", "sectors", "voortgezet onderwijs"),
        ("topic", "salaris", "topics", "Salaris"),
        ("audience", "zij-instromers", "audiences", "Zij-instromers"),
        ("phase", "orientatie", "phases", "Oriëntatie"),
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
        result = await ok(client, "search_faq", backend, query="leraar", limit=20, **{argument: value})
    structured: dict[str, Any] = result.structured_content  # type: ignore[assignment]
    assert structured["filters"] == {argument: label}
    assert structured["hits"], "the seed has matching FAQs"
    for hit in structured["hits"]:
        assert label in hit.get(field, []), (hit["id"], field, hit.get(field))
    if backend == "algolia":
        [(index, params)] = algolia_queries(algolia)[-1:]
        facet = {"sectors": "sectors.title", "topics": "topics.name"}.get(field, f"{field}.title")
        assert index == "faqs" and params["filters"] == f'{facet}:"{label}"'


async def test_filters_combine(stack: StackInfo, algolia: AlgoliaDouble, backend: Backend) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_faq", backend, query="salaris", sector="mbo", topic="Salaris")
    assert result.structured_content["filters"] == {  # type: ignore[index]
        "sector": "middelbaar beroepsonderwijs",
        "topic": "Salaris",
    }
    assert ids(result)
    for hit in result.structured_content["hits"]:  # type: ignore[index]
        assert "middelbaar beroepsonderwijs" in hit["sectors"] and "Salaris" in hit["topics"]


async def test_unknown_topic_lists_the_valid_ones(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await call(client, "search_faq", query="salaris", topic="Astronomie")
    assert result.is_error
    text = text_of(result)
    assert "Unknown topic 'Astronomie'" in text
    for name in TOPIC_NAMES:
        assert name in text
    assert algolia_queries(algolia) == []  # rejected before any search


async def test_close_filter_value_gets_a_suggestion(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        result = await call(client, "search_faq", query="salaris", topic="Salarsi")
    assert result.is_error
    assert "Did you mean: Salaris" in text_of(result)


# --------------------------------------------------------------------------------------------------------
# Bad input, paging, empty results
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "   ", "\t\n", "\x00\x07\x1b"])
async def test_empty_queries_are_errors_that_say_what_to_send(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, query: str
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await call(client, "search_faq", query=query)
    assert result.is_error
    assert "'query' is empty" in text_of(result) and "salaris" in text_of(result)


async def test_a_10000_character_query_is_refused_politely(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await call(client, "search_faq", query="salaris " * 1250)
    assert result.is_error
    text = text_of(result)
    assert "limit is 200" in text and "Traceback" not in text
    assert algolia_queries(algolia) == []


async def test_control_characters_are_ignored(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        clean = await ok(client, "search_faq", backend, query="lerarenbeurs")
        dirty = await ok(client, "search_faq", backend, query="\x1b[0m\x00lerarenbeurs\u200b\x07")
    assert ids(dirty) == ids(clean) != []


async def test_offset_past_the_end_is_an_honest_empty_result(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        first = await ok(client, "search_faq", backend, query="salaris")
        total = first.structured_content["total"]  # type: ignore[index]
        past = await ok(client, "search_faq", backend, query="salaris", offset=total + 50)
    assert past.structured_content["hits"] == []  # type: ignore[index]
    assert f"offset={total + 50}" in text_of(past) and f"only {total} in total" in text_of(past)


async def test_paging_walks_through_every_match_once(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        everything = await ok(client, "search_faq", backend, query="leraar", limit=20)
        total = everything.structured_content["total"]  # type: ignore[index]
        seen: list[str] = []
        offset = 0
        while offset < total:
            page = await ok(client, "search_faq", backend, query="leraar", limit=3, offset=offset)
            assert ("offset=" in text_of(page)) == (offset + 3 < total)
            seen += ids(page)
            offset += 3
    assert len(seen) == len(set(seen)) == total


async def test_no_results_say_what_was_searched_and_what_to_change(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_faq", backend, query="kwantumfysica")
        filtered = await ok(client, "search_faq", backend, query="kwantumfysica", sector="hbo")
    assert result.structured_content["hits"] == [] and result.structured_content["confidence"] == "none"  # type: ignore[index]
    assert "'kwantumfysica'" in text_of(result) and "broader" in text_of(result)
    assert "sector=hoger onderwijs" in text_of(filtered) and "drop a filter" in text_of(filtered)


async def test_a_faq_lacking_part_of_the_question_is_shown_with_what_it_lacks(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_faq", backend, query="lerarenbeurs kwantumfysica")
    data = result.structured_content or {}
    assert data["confidence"] == "low" and data["missing"] == ["kwantumfysica"]
    assert "the best match lacks 'kwantumfysica'" in text_of(result)
    assert question(FAQ_LERARENBEURS) in text_of(result)


FAQ_LERARENBEURS = seed.FAQ_IDS["lerarenbeurs"]


@pytest.mark.parametrize("mode", MODES)
async def test_without_token_the_error_says_how_to_get_one(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, mode: Mode
) -> None:
    async with kb_client(stack, algolia, backend, mode, token=None) as client:
        result = await call(client, "search_faq", query="salaris")
    assert result.is_error
    assert "ONDERWIJSLOKET_TOKEN" in text_of(result) and ACCESS_REQUEST_URL in text_of(result)
    assert algolia_queries(algolia) == []


@pytest.mark.parametrize("mode", MODES)
async def test_tools_list_declares_annotations_and_when_to_use(
    stack: StackInfo, algolia: AlgoliaDouble, mode: Mode
) -> None:
    async with kb_client(stack, algolia, "algolia", mode) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    tool = tools["search_faq"]
    annotations = tool.annotations
    assert annotations is not None
    assert annotations.read_only_hint is True and annotations.destructive_hint is False
    assert annotations.idempotent_hint is True and annotations.open_world_hint is True
    assert tool.description and "search_articles" in tool.description
    assert (
        "search in Dutch" in tool.description
    )  # the content is Dutch; the search understands English a little
    props = tool.input_schema["properties"]
    assert {"query", "sector", "topic", "audience", "phase", "limit", "offset"} <= set(props)
    assert props["limit"]["maximum"] == 20
    assert tool.output_schema is not None and "backend" in tool.output_schema["properties"]


# --------------------------------------------------------------------------------------------------------
# Budgets
# --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["salaris", "zij-instroom", "subsidies", "leraar", "bevoegdheid"])
async def test_default_answers_stay_within_the_default_budget(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend, query: str
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        result = await ok(client, "search_faq", backend, query=query)
    assert approx_tokens(text_of(result)) <= DEFAULT_BUDGET_TOKENS


async def test_largest_answers_stay_within_the_hard_budget(
    stack: StackInfo, algolia: AlgoliaDouble, backend: Backend
) -> None:
    async with kb_client(stack, algolia, backend) as client:
        widest = await ok(client, "search_faq", backend, query="onderwijs", limit=20)  # ok() checks 8,000
        longest = await ok(client, "search_faq", backend, query=question(seed.FAQ_LONG_ANSWER), limit=1)
    assert len(ids(widest)) >= 10
    assert ids(longest) == [seed.FAQ_LONG_ANSWER]
    assert question(seed.FAQ_LONG_ANSWER) in text_of(longest)


# --------------------------------------------------------------------------------------------------------
# Both backends agree; Algolia failures fall back
# --------------------------------------------------------------------------------------------------------

# The question's own words select one FAQ: both backends must put it first.
SAME_TOP = [
    "vavo",
    "salaris basisonderwijs",
    "lerarenbeurs",
    "VOG",
    "regioloket",
    "werkdruk",
    "Wat is het vavo?",
]
# Broader questions: Algolia also searches the answer text (bodyString) and ranks by its own formula, so only
# overlap is promised: Directus' best hit is among Algolia's first three, and vice versa.
OVERLAP = [
    "zij-instroom",
    "pabo",
    "bevoegdheid",
    "subsidie",
    "PDG",
    "onderwijsassistent",
    "opleiding naast baan",
]


async def test_both_backends_answer_the_same_questions_alike(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    results: dict[Backend, dict[str, list[str]]] = {}
    for backend in BACKENDS:
        async with kb_client(stack, algolia, backend) as client:
            results[backend] = {
                q: ids(await ok(client, "search_faq", backend, query=q)) for q in SAME_TOP + OVERLAP
            }
    directus, algolia_ids = results["directus"], results["algolia"]
    for q in SAME_TOP:
        assert directus[q][:1] == algolia_ids[q][:1] != [], q
    for q in OVERLAP:
        assert directus[q] and algolia_ids[q], q
        assert directus[q][0] in algolia_ids[q][:3] or algolia_ids[q][0] in directus[q][:3], q


async def test_algolia_request_retrieves_only_what_is_shown(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "algolia") as client:
        await ok(
            client, "search_faq", "algolia", query="Kan ik zij-instromen als ik al werk?", limit=3, offset=2
        )
    [(index, params)] = algolia_queries(algolia)
    assert index == "faqs"
    words = params["query"].split()  # Dutch stop words dropped; the rest sent as prefixes, all optional
    assert words[:2] == ["instromen", "werk"] and "zijinstroom" in words  # then the domain's alternatives
    assert not {"kan", "ik", "als", "al", "zij"} & set(words)
    assert params["queryType"] == "prefixAll"
    assert params["optionalWords"] == words and params["ignorePlurals"] == ["nl"]
    # The first RANK_WINDOW candidates are ranked again locally; the page is cut from them.
    assert params["hitsPerPage"] == RANK_WINDOW and params["page"] == 0 and "offset" not in params
    assert params["attributesToRetrieve"] == [
        "id",
        "question",
        "path",
        "bodyString",
        "topics",
        "sectors",
        "audiences",
        "phases",
    ]
    assert params["attributesToSnippet"] == []
    assert params["attributesToHighlight"] == []
    assert params["queryLanguages"] == ["nl"]
    assert "naturalLanguages" not in params and "filters" not in params


async def test_rotated_key_is_re_read_and_the_search_retried(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    with temporary_reader(stack, stack.algolia_key) as (user, token):
        async with kb_client(stack, algolia, "algolia", token=token) as client:
            await ok(client, "search_faq", "algolia", query="vavo")
            rotated = "rotated-" + token[-8:]
            algolia.rotate_key(rotated)
            set_algolia_token(stack, user, rotated)
            result = await ok(client, "search_faq", "algolia", query="vavo")
    assert ids(result)[0] == seed.FAQ_VAVO
    assert [r.status for r in algolia.requests] == [200, 403, 200]
    assert algolia.requests[-1].key_matched


async def test_rejected_key_without_a_new_one_falls_back_to_directus(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    async with kb_client(stack, algolia, "algolia") as client:
        algolia.rotate_key("a-key-directus-does-not-know")
        result = await ok(client, "search_faq", "directus", query="vavo")
        again = await ok(client, "search_faq", "directus", query="vavo")
    assert ids(result)[0] == ids(again)[0] == seed.FAQ_VAVO
    assert [r.status for r in algolia.requests] == [403]  # the rejected index is left alone afterwards


@pytest.mark.parametrize("how", ["refuse", "503"])
async def test_algolia_down_falls_back_to_directus(
    stack: StackInfo, algolia: AlgoliaDouble, how: str
) -> None:
    async with kb_client(stack, algolia, "directus") as client:
        expected = await ok(client, "search_faq", "directus", query="opleiding naast baan")
    algolia.set_down(True, mode=how)
    async with kb_client(stack, algolia, "algolia") as client:
        result = await ok(client, "search_faq", "directus", query="opleiding naast baan")
    assert text_of(result) == text_of(expected)


async def test_algolia_backend_setting_still_falls_back(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    algolia.set_down(True)
    async with kb_client(stack, algolia, "algolia", search_backend="algolia") as client:
        result = await ok(client, "search_faq", "directus", query="vavo")
    assert ids(result)[0] == seed.FAQ_VAVO


async def test_token_without_algolia_policy_uses_directus(stack: StackInfo, algolia: AlgoliaDouble) -> None:
    async with kb_client(stack, algolia, "algolia", token="content") as client:
        result = await ok(client, "search_faq", "directus", query="vavo")
    assert ids(result)[0] == seed.FAQ_VAVO
    assert algolia.requests == []


async def test_configured_algolia_key_skips_the_users_me_lookup(
    stack: StackInfo, algolia: AlgoliaDouble
) -> None:
    from pydantic import SecretStr

    async with kb_client(
        stack, algolia, "algolia", token="content", algolia_api_key=SecretStr(stack.algolia_key)
    ) as client:
        result = await ok(client, "search_faq", "algolia", query="vavo")
    assert ids(result)[0] == seed.FAQ_VAVO


def test_seed_links_are_what_the_tests_think() -> None:
    assert all(re.match(r"https?://", link) for link in links_in(seed.FAQ_NAAST_BAAN))


async def test_algolia_answers_from_the_index_alone_in_one_request(
    stack: StackInfo,
    algolia: AlgoliaDouble,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Warm, an Algolia answer is one upstream request: the query. Directus is not asked for the FAQs (it
    could not answer here), and the answer is the index's whole plain text, not a snippet."""
    from onderwijsloket_mcp.errors import UpstreamError
    from onderwijsloket_mcp.upstream.directus import DirectusClient

    original = DirectusClient.items

    async def flaky(self: DirectusClient, collection: str, query: Any = None, **kwargs: Any) -> Any:
        if collection == "faqs":
            raise UpstreamError("The Onderwijsloket API timed out.")
        return await original(self, collection, query, **kwargs)

    monkeypatch.setattr(DirectusClient, "items", flaky)
    caplog.set_level("INFO", logger="onderwijsloket_mcp")
    with recording_requests() as log:
        async with kb_client(stack, algolia, "algolia") as client:
            await ok(client, "search_faq", "algolia", query="opleiding naast baan")  # reads the key once
            log.clear()
            algolia.clear_requests()
            caplog.clear()
            result = await ok(client, "search_faq", "algolia", query="opleiding naast baan")
    assert log.paths == []
    assert len(algolia.requests) == 1
    [count] = [int(m.group(1)) for r in caplog.records if (m := UPSTREAM.search(r.getMessage()))]
    assert count == 1
    assert ids(result)[0] == seed.FAQ_NAAST_BAAN
    text = " ".join(text_of(result).split())
    for words in answer_texts(seed.FAQ_NAAST_BAAN):  # every word of the answer, the last one included
        assert words in text


UPSTREAM = re.compile(r"tool=search_faq .*upstream_requests=(\d+)")


async def test_the_log_says_which_backend_answered(
    stack: StackInfo, algolia: AlgoliaDouble, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="onderwijsloket_mcp")
    async with kb_client(stack, algolia, "algolia") as client:
        await ok(client, "search_faq", "algolia", query="vavo")
        algolia.set_down(True)
        await ok(client, "search_faq", "directus", query="vavo")
    messages = [r.getMessage() for r in caplog.records]
    assert "search_faq answered by algolia" in messages
    assert any(m.startswith("search_faq answered by directus (Algolia:") for m in messages)
    assert any("upstream_requests=" in m for m in messages)
    assert not any(stack.reader_token in m or stack.algolia_key in m for m in messages)


# --------------------------------------------------------------------------------------------------------
# Rendering (no upstream): links, plain-text answers
# --------------------------------------------------------------------------------------------------------


def faq_result(hits: list[Any], backend: Backend = "directus") -> Any:
    """The result as the tool shapes it (answers cut to the budget, the overview link said once)."""
    from onderwijsloket_mcp.tools.knowledge.search_faq import FaqSearchResult, shape_faq_result

    return shape_faq_result(
        FaqSearchResult(query="q", backend=backend, total=len(hits), offset=0, hits=hits), limit=5
    )


def test_a_faq_with_its_own_page_links_to_it_and_the_overview_link_is_given_once() -> None:
    from onderwijsloket_mcp.tools.knowledge.search_faq import faq_hit, format_faq_result

    own = faq_hit({"id": "a", "question": "Eigen pagina?", "path": "/kennisbank/veelgestelde-vragen/a"}, SITE)
    bare = [faq_hit({"id": i, "question": f"Vraag {i}?"}, SITE) for i in ("b", "c")]
    overview = f"{SITE}/kennisbank/veelgestelde-vragen"
    text = format_faq_result(faq_result([own, *bare]))
    assert f"ID: a · Link: {overview}/a" in text
    assert "ID: b\n" in text and "ID: c\n" in text  # no link under a FAQ without a page of its own
    assert re.findall(re.escape(overview) + r"(?!/)", text) == [overview]
    assert text.endswith(f"Link for the FAQs above without their own: {overview}")
    only_own = format_faq_result(faq_result([own]))
    assert f"Link: {overview}/a" in only_own and "Link for" not in only_own
    assert format_faq_result(faq_result(bare)).endswith(f"Link for these FAQs: {overview}")
    shaped = faq_result([own, *bare])  # the structured form says the same: each link once
    assert [hit.link for hit in shaped.hits] == [f"{overview}/a", None, None] and shaped.link == overview


def test_algolia_hits_show_the_plain_text_as_it_is() -> None:
    from onderwijsloket_mcp.tools.knowledge.search_faq import algolia_faq_hit, format_faq_result

    record = {
        "id": 7,
        "question": "Hoe?",
        "path": "/kennisbank/veelgestelde-vragen/hoe",
        "bodyString": "Eerste  regel\x07.\nTweede regel.\n\n\n\n# geen kop\r\nLaatste.",
        "topics": [{"id": 1, "name": "Salaris", "path": "/salaris"}, None],
        "sectors": [{"id": 2, "title": "mbo", "slug": "mbo"}],
    }
    hit = algolia_faq_hit(record, SITE)
    assert hit is not None
    assert hit.answer_markdown == "Eerste regel .\nTweede regel.\n\n\\# geen kop\nLaatste."
    assert hit.link == f"{SITE}/kennisbank/veelgestelde-vragen/hoe"
    assert hit.topics == ["Salaris"] and hit.sectors == ["mbo"]
    text = format_faq_result(faq_result([hit], "algolia"))
    assert "plain text from the search index" in text and "Link for" not in text
    for body in (None, "", "  \n ", 12, ["tekst"]):
        empty = algolia_faq_hit({"id": "x", "question": "Leeg?", "bodyString": body}, SITE)
        assert empty is not None and empty.answer_markdown == ""
        assert "_(No answer text.)_" in format_faq_result(faq_result([empty], "algolia"))
    assert algolia_faq_hit({"id": "x", "question": None, "bodyString": "t"}, SITE) is None
    assert algolia_faq_hit({"question": "Geen id?"}, SITE) is None


def test_long_plain_text_answers_are_shortened_like_markdown_ones() -> None:
    from onderwijsloket_mcp.tools.knowledge.search_faq import algolia_faq_hit, faq_hit, format_faq_result

    paragraph = "Een zin over het onderwijs die best lang is. " * 40
    body = "\n".join([paragraph] * 6)
    doc = {"type": "doc", "content": [seed.p(paragraph) for _ in range(6)]}
    from_index = algolia_faq_hit({"id": "x", "question": "Lang?", "bodyString": body}, SITE)
    from_directus = faq_hit({"id": "x", "question": "Lang?", "answer": doc}, SITE)
    shown = []
    for hit, backend in ((from_index, "algolia"), (from_directus, "directus")):
        shaped = faq_result([hit] * 5, backend)  # type: ignore[arg-type]
        text = format_faq_result(shaped)
        assert "Answer shortened" in text
        assert all(h.answer_shortened and h.answer_markdown in text for h in shaped.hits)
        assert any("limit=1" in step for step in shaped.next_steps)
        shown.append(text.split("### 2.")[0])
    assert abs(len(shown[0]) - len(shown[1])) < 400  # the same per-answer budget
