"""Benchmark 3 - tokens to the model: our answer versus the raw Directus JSON for the same items with
``fields=*.*`` (what a generic "read items" server would hand the model). Goal: <= 0.35x.

And structuredContent versus our markdown for the same call: clients such as pydantic-ai and openai-agents
(``use_structured_content``) show the model the structured form instead of the text, so it must hold the same
answer at a similar size. Goal: <= 1.5x the markdown's tokens, as compact JSON (how pydantic-ai serializes a
tool return); the ``json.dumps`` form openai-agents sends (spaces, non-ASCII escaped) is shown beside it.

Tokens are estimated the same way for both sides (no tokenizer ships with the project): characters / 4,
and, as a cross-check that punishes JSON punctuation less kindly, the count of word and punctuation pieces
(``\\w+|[^\\w\\s]``). The answer measured is the text block the model reads; structuredContent is shown
separately. Dropped fields are the raw top-level fields with a value in some item of which no value appears
in our answer: bookkeeping fields are listed apart from content fields so the reader can check that no
fact a user needs is lost.

    uv run python benchmarks/tokens.py [--url http://127.0.0.1:8055]
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import anyio
import httpx
import mcp
from _common import (
    CASES,
    Case,
    Recorder,
    Report,
    Table,
    command_for,
    fmt_ratio,
    parser,
    recording,
    replayable,
    sd,
    settings_for,
)
from mcp_types import CallToolResult, TextContent

from onderwijsloket_mcp.server import create_server

GOAL = 0.35
STRUCTURED_GOAL = 1.5
PIECES = re.compile(r"\w+|[^\w\s]")
# Fields about the record rather than the subject: who/when edited it, ordering, publication state, SEO.
BOOKKEEPING = {
    "user_created",
    "user_updated",
    "date_created",
    "date_updated",
    "sort",
    "status",
    "seo",
    "meta_title",
    "meta_description",
    "og_image",
    "translations",
    "editor_nodes",
    "search_index",
    "vendor",
    "vendor_id",
    "external_id",
    "embedding",
}


# Answers without items of their own to compare with raw JSON, measured for structuredContent only: route
# questions (the first, and one after a changed answer was dropped) and the list of all desks.
STRUCTURED_CASES = [
    Case("get_pathways (first question)", "get_pathways", {"answers": []}),
    Case(
        "get_pathways (question 4, an answer dropped)",
        "get_pathways",
        {"answers": [sd.SCHOOL_PO, sd.LERAAR, "Wo-master", "Leraar hoger onderwijs" + sd.GEEN_DIPLOMA]},
    ),
    Case("list_regional_desks (all)", "list_regional_desks", {}),
]


def chars_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def piece_tokens(text: str) -> int:
    return len(PIECES.findall(text))


def leaves(value: Any) -> list[str]:
    """Scalar values worth looking for in the answer (short or numeric-looking strings are too common)."""
    if isinstance(value, dict):
        return [leaf for k, v in value.items() if k not in ("id", "type", "collection") for leaf in leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in leaves(v)]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, int | float):
        return [str(value)] if abs(value) >= 10 else []
    text = str(value).strip()
    return [text] if len(text) >= 4 else []


def meaningful(value: Any) -> bool:
    return value not in (None, "", [], {}, False)


def shown(value: Any, answer: str) -> bool:
    folded = answer.casefold()
    for leaf in leaves(value):
        probe = leaf.casefold()
        if probe in folded or probe[:60] in folded:
            return True
    return False


def not_shown_fields(items: list[dict[str, Any]], answer: str) -> list[str]:
    """Top-level fields with a value in some item of which no value appears in ``answer``."""
    fields = sorted({k for item in items for k, v in item.items() if meaningful(v)})
    return [f for f in fields if f != "id" and not any(shown(i.get(f), answer) for i in items)]


async def raw_items(http: httpx.AsyncClient, collection: str, ids: list[str]) -> str:
    """The raw JSON body Directus sends for these items with fields=*.*."""
    response = await http.get(
        f"/items/{collection}",
        params={"fields": "*.*", "filter": json.dumps({"id": {"_in": ids}}), "limit": "-1"},
    )
    response.raise_for_status()
    return response.text


async def measure(
    client: mcp.Client,
    http: httpx.AsyncClient,
    recorder: Recorder,
    table: Table,
    dropped_table: Table,
    structured_table: Table,
    missed: list[str],
) -> None:
    for case in CASES:
        if case.collection is None or case.ids is None:
            continue
        await client.call_tool(case.tool, case.arguments)
        first = recorder.take()
        result = await client.call_tool(case.tool, case.arguments)
        if not isinstance(result, CallToolResult) or result.is_error:
            raise RuntimeError(f"{case.label} failed: {result}")
        # The warm call's requests; when it is served from cache, the requests that filled the cache.
        own = recorder.take() or first
        own_chars = 0
        for target, headers in (replayable(r) for r in own):
            own_chars += chars_tokens((await http.get(target, headers=headers)).text)
        text = "\n".join(b.text for b in result.content if isinstance(b, TextContent))
        structured = json.dumps(result.structured_content or {}, ensure_ascii=False)
        structured_table.rows.append(
            structured_row(case.label, text, result.structured_content or {}, missed)
        )
        ids = case.ids(result.structured_content or {})
        raw = await raw_items(http, case.collection, ids)
        items = json.loads(raw).get("data") or []
        # Items the shown ones consist of that *.* does not reach (a route's steps), with their own *.* JSON.
        bodies, parts, counted = [raw], [], [str(len(ids))]
        for collection, part_ids in case.parts(items) if case.parts is not None else []:
            body = await raw_items(http, collection, part_ids)
            bodies.append(body)
            parts.append((collection, json.loads(body).get("data") or []))
            counted.append(f"{len(part_ids)} {collection}")
        raw_chars = sum(chars_tokens(body) for body in bodies)
        raw_pieces = sum(piece_tokens(body) for body in bodies)
        ours_chars, ours_pieces = chars_tokens(text), piece_tokens(text)
        r_chars, r_pieces = ours_chars / raw_chars, ours_pieces / raw_pieces
        r_both = (ours_chars + chars_tokens(structured)) / raw_chars
        ok = r_chars <= GOAL
        if not ok:
            missed.append(f"{case.label}: {r_chars:.3f}x of the raw JSON (chars/4)")
        table.rows.append(
            [
                case.label,
                " + ".join(counted),
                f"{raw_chars:,} / {raw_pieces:,}",
                f"{ours_chars:,} / {ours_pieces:,}",
                f"{fmt_ratio(r_chars)} / {fmt_ratio(r_pieces)}",
                fmt_ratio(r_both),
                "met" if ok else "**missed**",
                f"{fmt_ratio(ours_chars / own_chars) if own_chars else 'n/a'} ({own_chars:,} tokens)",
            ]
        )
        not_shown = not_shown_fields(items, text)
        for collection, part_items in parts:
            not_shown += [f"{collection}.{f}" for f in not_shown_fields(part_items, text)]
        content = [f for f in not_shown if f.rsplit(".", 1)[-1] not in BOOKKEEPING]
        bookkeeping = [f for f in not_shown if f.rsplit(".", 1)[-1] in BOOKKEEPING]
        dropped_table.rows.append([case.label, ", ".join(content) or "-", ", ".join(bookkeeping) or "-"])
    for case in STRUCTURED_CASES:
        result = await client.call_tool(case.tool, case.arguments)
        if not isinstance(result, CallToolResult) or result.is_error:
            raise RuntimeError(f"{case.label} failed: {result}")
        text = "\n".join(b.text for b in result.content if isinstance(b, TextContent))
        structured_table.rows.append(
            structured_row(case.label, text, result.structured_content or {}, missed)
        )


def structured_row(label: str, text: str, data: dict[str, Any], missed: list[str]) -> list[str]:
    """structuredContent against the markdown of the same call: compact JSON and openai-agents' json.dumps."""
    compact = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    dumped = json.dumps(data)  # what openai-agents hands the model with use_structured_content
    text_chars, text_pieces = chars_tokens(text), piece_tokens(text)
    ratio_chars = chars_tokens(compact) / text_chars
    ok = ratio_chars <= STRUCTURED_GOAL
    if not ok:
        missed.append(f"{label}: structuredContent {ratio_chars:.2f}x the markdown (chars/4)")
    return [
        label,
        f"{text_chars:,} / {text_pieces:,}",
        f"{chars_tokens(compact):,} / {piece_tokens(compact):,}",
        f"{fmt_ratio(ratio_chars)} / {fmt_ratio(piece_tokens(compact) / text_pieces)}",
        fmt_ratio(chars_tokens(dumped) / text_chars),
        "met" if ok else "**missed**",
    ]


async def run(url: str, token: str) -> Report:
    table = Table(
        "Tokens of our answer vs the raw Directus JSON (fields=*.*) for the same items",
        [
            "tool call",
            "items",
            "raw JSON tokens (chars/4 / pieces)",
            "our text tokens (chars/4 / pieces)",
            "ratio (chars/4 / pieces)",
            "text + structuredContent ratio",
            f"goal <= {GOAL}x",
            "vs the JSON the tool itself reads",
        ],
    )
    dropped_table = Table(
        "Raw fields with a value that our answer does not show",
        ["tool call", "content fields not shown", "bookkeeping fields not shown"],
    )
    structured_table = Table(
        "structuredContent vs our markdown for the same call",
        [
            "tool call",
            "markdown tokens (chars/4 / pieces)",
            "structuredContent tokens, compact JSON (chars/4 / pieces)",
            "ratio (chars/4 / pieces)",
            "ratio as openai-agents sends it (json.dumps, chars/4)",
            f"goal <= {STRUCTURED_GOAL}x",
        ],
    )
    missed: list[str] = []
    with recording() as recorder:
        async with (
            mcp.Client(create_server(settings_for(url, token))) as client,
            httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http,
        ):
            await measure(client, http, recorder, table, dropped_table, structured_table, missed)
    table.notes += [
        "Same items: the ids our answer lists, fetched with `GET /items/{collection}?fields=*.*&filter="
        '{"id":{"_in":[...]}}` and the same token; a page of results is compared with the same page.',
        "Items that the shown ones consist of are part of the same items: for get_pathways `*.*` stops at "
        "a route's step junction rows (ids only), so the raw side adds the `fields=*.*` JSON of the "
        "`route_steps` those rows point at (`routes.route_steps[].route_steps_id`); the items column counts "
        "them.",
        "The last column compares with the JSON of the requests the tool itself makes (its selected fields, "
        "nested relations included): the same facts, before we render them.",
        "The goal is judged on the text block (what every client shows the model); clients that also pass "
        "structuredContent to the model see the 'text + structuredContent' figure.",
    ]
    dropped_table.notes += [
        "Found by looking for each field's values in our answer text (strings of 4+ characters, numbers "
        ">= 10), so a field whose facts we reword (rich text rendered to markdown, ids turned into links) "
        "counts as shown; relation fields of `*.*` hold nested records whose useful parts (names, titles) "
        "we show. Facts we reformat still count as not shown: a desk's opening hours ('09:00:00' becomes "
        "'ma–vr 09:00–17:00'), flags said in words ('by appointment'), its comma-separated places (listed one "
        "by one, capped, and not for nationwide desks); activities and the privacy policy are shown when "
        "three desks or fewer are listed.",
        "Bookkeeping fields describe the record, not the subject (editors, timestamps, ordering, status, "
        "SEO). Content fields not shown are deliberate: ids of relations already shown by name, map "
        "geometry (area outlines), internal flags, a route step's long title where its short title is "
        "shown; the structuredContent keeps the ids and coordinates a follow-up call needs. Fields of the "
        "items a shown item consists of are prefixed with their collection (`route_steps.title`).",
    ]
    structured_table.notes += [
        "The last rows have no items to compare with raw JSON (route questions, the list of all desks), so "
        "they are measured here only.",
        "Both forms carry the same answer (tests/frameworks check every fact and hint of the markdown in the "
        "structured form); the structured one leaves out nulls, empty lists and default values, and says "
        "repeated values once.",
        "Pieces (word and punctuation tokens) count JSON's quotes, brackets and keys, which a tokenizer "
        "merges more than the pieces count suggests; the goal is judged on chars/4, like the other tables.",
    ]
    return Report(
        title="3. Tokens to the model",
        command=command_for("tokens.py", url),
        summary="Our markdown answer versus the raw Directus JSON a generic API mirror would return, and "
        "structuredContent versus the markdown.",
        tables=[table, dropped_table, structured_table],
        missed=missed,
    )


def main() -> None:
    args = parser(__doc__ or "").parse_args()
    print(anyio.run(run, args.url, args.token).markdown())


if __name__ == "__main__":
    main()
