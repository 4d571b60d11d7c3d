"""Fault injection: every tool call against a misbehaving upstream ends in bounded time with a clear
``isError`` message, retries stay within budget, the token appears nowhere, and the next call is served.

The upstream is a real HTTP server on loopback (tests/support/faulty_upstream.py) imitating Directus, so resets,
truncations and stalls happen on real sockets; the connect timeout uses a port whose accept queue is full.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import mcp
import pytest
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult
from pydantic import SecretStr

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server
from tests.support.client import MODES, Mode, text_of
from tests.support.faulty_upstream import (
    FaultyUpstream,
    coerces_filter_literals,
    drip,
    echo_headers,
    faulty_upstream,
    gzip_bomb,
    nested,
    oversized,
    partial_body,
    respond,
    slow,
    stall,
    unanswered_port,
)

pytestmark = pytest.mark.anyio

TOKEN = "fault-injection-secret-token-7f3a9c"
MAX_RETRIES = 2
ATTEMPTS = MAX_RETRIES + 1
TIMEOUT = 0.5
# Worst case per upstream request: every attempt times out, plus jittered backoff (0.25 s, 0.5 s, x1.25).
BUDGET_S = ATTEMPTS * TIMEOUT + 1.0 + 2.0

FAQ = {
    "id": "faq-1",
    "question": "Wat verdient een leraar in het basisonderwijs?",
    "answer": {
        "type": "doc",
        "content": [{"type": "paragraph", "content": [{"type": "text", "text": "Dat staat in de cao po."}]}],
    },
    "path": "/kennisbank/veelgestelde-vragen/wat-verdient-een-leraar",
    "topics": [],
    "sectors": [],
    "audiences": [],
    "phases": [],
}
HEALTHY = {"/items/faqs": respond(200, {"data": [FAQ], "meta": {"filter_count": 1}})}

# One call per tool, with arguments that need no taxonomy lookup where possible.
TOOL_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("search_faq", {"query": "salaris"}),
    ("search_articles", {"query": "pabo"}),
    ("get_article", {"id_or_slug": "wat-is-het-vavo"}),
    ("get_pathways", {"answers": []}),
    ("find_programs_near", {"near": "Utrecht", "radius_km": 10}),
    ("get_program", {"id": "905ac156-11f1-5f05-b8b2-5d89459b76c2"}),
    ("list_regional_desks", {"region": "Utrecht"}),
]


def searches(upstream: FaultyUpstream) -> int:
    """Requests for the FAQ list (after a successful one, search_faq also reads the sector names, which this
    upstream does not serve: search then uses its built-in vocabulary)."""
    return sum(r.path == "/items/faqs" for r in upstream.requests)


def settings_for(url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": SecretStr(TOKEN),
        "api_url": url,
        "search_backend": "directus",
        "timeout": TIMEOUT,
        "max_retries": MAX_RETRIES,
        "max_retry_wait": 1.5,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def upstream() -> AsyncIterator[FaultyUpstream]:
    async with faulty_upstream(dict(HEALTHY)) as server:
        yield server


@pytest.fixture(autouse=True)
def _all_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)


def assert_no_token(result: CallToolResult | None, caplog: pytest.LogCaptureFixture) -> None:
    if result is not None:
        assert TOKEN not in text_of(result)
        assert TOKEN not in json.dumps(result.structured_content or {})
        assert TOKEN not in result.model_dump_json()
    assert TOKEN not in caplog.text
    assert "raised an unexpected exception" not in caplog.text
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in str(record.exc_text or "")


def assert_clear_error(text: str, tool: str) -> None:
    """An expected failure: our message after the SDK's prefix, never the bare prefix the SDK uses for an
    unexpected exception (whose text it hides), and never a stack trace."""
    prefix = f"Error executing tool {tool}: "
    assert text.startswith(prefix), text
    assert len(text) > len(prefix) + 20
    assert "Traceback" not in text and 'File "' not in text


def assert_retry_budget(upstream: FaultyUpstream) -> None:
    """No single upstream request is attempted more often than 1 + max_retries."""
    attempts = Counter((r.path, tuple(r.params)) for r in upstream.requests)
    assert attempts, "the tool made no upstream request"
    assert max(attempts.values()) <= ATTEMPTS, attempts


async def timed_call(client: mcp.Client, tool: str, **arguments: Any) -> tuple[CallToolResult, float]:
    started = time.monotonic()
    with anyio.fail_after(BUDGET_S * 4):
        result = await client.call_tool(tool, arguments)
    assert isinstance(result, CallToolResult)
    return result, time.monotonic() - started


async def healthy_call_works(client: mcp.Client, upstream: FaultyUpstream) -> None:
    upstream.heal()
    result, _ = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert "Wat verdient een leraar in het basisonderwijs?" in text_of(result)


# -- error statuses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (500, "<html><body>500 Internal Server Error</body></html>"),  # a proxy's page, not Directus's
        (502, {"errors": [{"message": "boom", "extensions": {"code": "INTERNAL"}}]}),
        (503, {"errors": [{"message": "boom", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}),
    ],
    ids=["500-html", "502", "503"],
)
@pytest.mark.parametrize("mode", MODES)
async def test_server_errors_are_retried_then_reported(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, status: int, body: Any, mode: Mode
) -> None:
    content_type = "text/html" if isinstance(body, str) else "application/json"
    upstream.fail_always(respond(status, body, content_type=content_type))
    async with mcp.Client(create_server(settings_for(upstream.url)), mode=mode) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        text = text_of(result)
        assert f"HTTP {status}" in text and "Try again later" in text
        assert_clear_error(text, "search_faq")
        assert searches(upstream) == ATTEMPTS
        assert elapsed < BUDGET_S
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_a_transient_503_is_invisible(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.fail_next(respond(503, "Service Unavailable", content_type="text/plain"))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert searches(upstream) == 2
    assert_no_token(result, caplog)


async def test_429_without_retry_after_backs_off_then_says_when_to_retry(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.fail_always(
        respond(429, {"errors": [{"message": "Too many", "extensions": {"code": "REQUESTS_EXCEEDED"}}]})
    )
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        assert "rate limiting" in text_of(result) and "try again" in text_of(result)
        assert searches(upstream) == ATTEMPTS
        assert elapsed < BUDGET_S
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_429_with_a_short_retry_after_is_waited_out(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.fail_next(respond(429, b"", headers={"Retry-After": "1"}))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert searches(upstream) == 2
    assert 0.9 <= elapsed < BUDGET_S
    assert_no_token(result, caplog)


async def test_429_with_a_long_retry_after_answers_at_once_with_the_wait(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.fail_always(respond(429, b"", headers={"Retry-After": "120"}))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        assert "in about 120 s" in text_of(result)
        # Waiting two minutes inside one tool call helps nobody: one attempt, then the message.
        assert searches(upstream) == 1
        assert elapsed < 2.0
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_an_error_body_that_echoes_the_token_is_redacted(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    echo = {
        "errors": [
            {"message": f"Invalid query near 'Bearer {TOKEN}'", "extensions": {"code": "INVALID_QUERY"}}
        ]
    }
    upstream.fail_always(respond(400, echo))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        assert "INVALID_QUERY" in text_of(result) and "[redacted]" in text_of(result)
        assert searches(upstream) == 1  # a 400 is not retried
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_a_rejected_token_says_so_without_showing_it(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.fail_always(
        respond(
            401,
            {
                "errors": [
                    {"message": "Invalid user credentials.", "extensions": {"code": "INVALID_CREDENTIALS"}}
                ]
            },
        )
    )
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
    assert result.is_error
    assert "ONDERWIJSLOKET_TOKEN" in text_of(result) and "is not valid" in text_of(result)
    assert searches(upstream) == 1
    assert_no_token(result, caplog)


# -- socket faults ----------------------------------------------------------------------------------------


async def test_connect_timeouts_end_in_a_clear_message(caplog: pytest.LogCaptureFixture) -> None:
    with unanswered_port() as url:
        async with mcp.Client(create_server(settings_for(url))) as client:
            result, elapsed = await timed_call(client, "search_faq", query="salaris")
    assert result.is_error
    text = text_of(result)
    assert "timed out" in text and f"after {ATTEMPTS} attempts" in text and "try again" in text
    assert elapsed < BUDGET_S
    assert_no_token(result, caplog)


async def test_connection_refused_ends_in_a_clear_message(caplog: pytest.LogCaptureFixture) -> None:
    async with faulty_upstream({}) as closed:
        url = closed.url
    async with mcp.Client(create_server(settings_for(url))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
    assert result.is_error
    assert "could not be reached" in text_of(result) and f"after {ATTEMPTS} attempts" in text_of(result)
    assert elapsed < BUDGET_S
    assert_no_token(result, caplog)


@pytest.mark.parametrize("mode", MODES)
async def test_read_timeouts_are_retried_within_budget(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, mode: Mode
) -> None:
    upstream.fail_always(stall(30))
    async with mcp.Client(create_server(settings_for(upstream.url)), mode=mode) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        assert "timed out after 0.5 s" in text_of(result)
        assert searches(upstream) == ATTEMPTS
        assert ATTEMPTS * TIMEOUT <= elapsed < BUDGET_S
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


@pytest.mark.parametrize("reset", [True, False], ids=["reset-mid-body", "truncated-body"])
async def test_a_body_cut_off_mid_stream_is_retried_then_reported(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, reset: bool
) -> None:
    upstream.fail_always(partial_body(reset=reset))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        assert "could not be reached" in text_of(result) and "try again" in text_of(result)
        assert searches(upstream) == ATTEMPTS
        assert elapsed < BUDGET_S
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


@pytest.mark.parametrize("reset", [True, False], ids=["reset-mid-body", "truncated-body"])
async def test_one_cut_off_body_is_recovered_by_the_retry(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, reset: bool
) -> None:
    upstream.fail_next(partial_body(reset=reset))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert searches(upstream) == 2
    assert_no_token(result, caplog)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('{"data":[{"id":"1","question":"Wat verd', "application/json"),
        ("<html><body>502 Bad Gateway</body></html>", "text/html"),
        ("", "application/json"),
        ('{"errors": "not a list"}', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('{"data": {"id": 1}}', "application/json"),
    ],
    ids=["truncated-json", "html", "empty", "no-data", "json-list", "data-not-a-list"],
)
async def test_unreadable_bodies_are_reported_as_such(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, body: str, content_type: str
) -> None:
    upstream.fail_always(respond(200, body, content_type=content_type))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        text = text_of(result)
        assert "not the expected JSON" in text and "ONDERWIJSLOKET_API_URL" in text
        assert_clear_error(text, "search_faq")
        assert_retry_budget(upstream)
        assert elapsed < BUDGET_S
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


# -- an upstream slower than the client's patience ----------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_client_that_gives_up_gets_a_timeout_and_the_server_goes_on(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, mode: Mode
) -> None:
    # The server would wait 10 s per attempt; the client only waits 1 s for the whole call.
    upstream.fail_next(stall(30))
    server = create_server(settings_for(upstream.url, timeout=10.0))
    async with mcp.Client(server, mode=mode) as client:
        started = time.monotonic()
        with pytest.raises(MCPError) as caught:
            await client.call_tool("search_faq", {"query": "salaris"}, read_timeout_seconds=1.0)
        assert time.monotonic() - started < 3.0
        assert "timed out" in str(caught.value).lower()
        assert TOKEN not in str(caught.value)
        await healthy_call_works(client, upstream)
    assert_no_token(None, caplog)


async def test_in_auto_mode_giving_up_cancels_the_upstream_request(upstream: FaultyUpstream) -> None:
    """The abandoned call does not linger: its upstream connection is closed, not left waiting."""
    upstream.fail_next(stall(30))
    async with mcp.Client(create_server(settings_for(upstream.url, timeout=10.0))) as client:
        with pytest.raises(MCPError):
            await client.call_tool("search_faq", {"query": "salaris"}, read_timeout_seconds=0.5)
        with anyio.fail_after(3):
            await upstream.disconnected.wait()
    assert upstream.disconnects == 1


async def test_a_slow_but_patient_enough_upstream_answers(upstream: FaultyUpstream) -> None:
    upstream.fail_next(slow(0.3, HEALTHY["/items/faqs"]))
    async with mcp.Client(create_server(settings_for(upstream.url, timeout=2.0))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert searches(upstream) == 1


# -- hostile upstream answers (issue 13) ---------------------------------------------------------------------

ALGOLIA_KEY = "algolia-key-from-users-me-5e1d0c"
MIB = 1 << 20
# A FAQ hit as Algolia would answer it (only needed so that a healthy Algolia upstream can answer).
SHORT_BODY = {"data": [FAQ], "meta": {"filter_count": 1}}
STATUS_PATHS = [400, 401, 403, 404, 429, 500, 502, 503]


def algolia_settings(directus_url: str, algolia_url: str, **overrides: Any) -> Settings:
    """Algolia at ``algolia_url`` with a configured key. The longer Retry-After wait only lengthens the call
    deadline: the first search imports algoliasearch, which takes seconds on a busy machine."""
    values: dict[str, Any] = {
        "search_backend": "algolia",
        "algolia_host": algolia_url,
        "algolia_api_key": SecretStr("k" * 32),
        "max_retry_wait": 10.0,
    }
    return settings_for(directus_url, **{**values, **overrides})


@pytest.mark.parametrize("status", STATUS_PATHS)
async def test_an_error_code_that_echoes_the_authorization_header_is_never_shown(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    # The upstream copies the request's Authorization header into errors[0].extensions.code and the message.
    upstream.fail_always(echo_headers(status, "Authorization"))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        text = text_of(result)
        assert_clear_error(text, "search_faq")
        assert "(Bearer" not in text, "the echoed header is shown where the error code goes"
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_an_algolia_error_that_echoes_the_key_read_from_users_me_is_never_logged(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    # The key is not a setting (it comes from /users/me), so redaction must learn it when it is read.
    upstream.routes["/users/me"] = respond(200, {"data": {"algolia_token": ALGOLIA_KEY}})
    async with faulty_upstream({}) as algolia:
        algolia.fail_always(echo_headers(400, "X-Algolia-API-Key"))
        settings = algolia_settings(upstream.url, algolia.url, search_backend="auto", algolia_api_key=None)
        async with mcp.Client(create_server(settings)) as client:
            result, _ = await timed_call(client, "search_faq", query="salaris")
        assert algolia.requests, "Algolia was not asked"
    assert not result.is_error, text_of(result)  # answered from Directus
    assert ALGOLIA_KEY not in result.model_dump_json()
    assert ALGOLIA_KEY not in caplog.text
    assert_no_token(result, caplog)


@pytest.mark.parametrize("mode", MODES)
async def test_a_slow_drip_answer_is_cut_off_by_the_attempt_deadline(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, mode: Mode
) -> None:
    # One byte every 50 ms: each read is well within the 0.5 s timeout, the whole answer would take minutes.
    upstream.fail_always(drip(json.dumps(SHORT_BODY).encode() * 4))
    async with mcp.Client(create_server(settings_for(upstream.url)), mode=mode) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        text = text_of(result)
        assert "timed out after 0.5 s" in text, text
        assert_clear_error(text, "search_faq")
        assert len(upstream.requests) == ATTEMPTS
        assert elapsed < BUDGET_S
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_every_tool_call_has_an_overall_deadline(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    settings = settings_for(upstream.url)
    deadline = settings.timeout * ATTEMPTS + settings.max_retry_wait
    server = create_server(settings)

    async def never_answers() -> str:
        """Stands for a tool whose upstream requests each stay within their own deadline, one after another."""
        await anyio.sleep(3600)
        return "never"

    server.add_tool(never_answers, name="never_answers")
    async with mcp.Client(server) as client:
        result, elapsed = await timed_call(client, "never_answers")
        assert result.is_error
        text = text_of(result)
        assert "timed out" in text and f"{deadline:g} s" in text, text
        assert_clear_error(text, "never_answers")
        assert deadline <= elapsed < deadline + 2
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_a_slow_drip_algolia_falls_back_to_directus_in_bounded_time(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    async with faulty_upstream({}) as algolia:
        algolia.fail_always(drip(b'{"results":[{"hits":[],"nbHits":0}]}' * 50))
        settings = algolia_settings(upstream.url, algolia.url)
        async with mcp.Client(create_server(settings)) as client:
            result, elapsed = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert "Wat verdient een leraar" in text_of(result)
    assert elapsed < BUDGET_S + 2  # the first search imports algoliasearch
    assert_no_token(result, caplog)


PDOK_ADDRESS = "Kerkstraat 12, Zwolle"


async def test_a_slow_drip_pdok_ends_in_a_clear_geocoding_error(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    async with faulty_upstream({}) as pdok:
        pdok.fail_always(drip(b'{"response":{"docs":[]}}' * 50))
        settings = settings_for(upstream.url, geocoder_online=True, pdok_url=f"{pdok.url}/free")
        async with mcp.Client(create_server(settings)) as client:
            result, elapsed = await timed_call(client, "find_programs_near", near=PDOK_ADDRESS)
        assert pdok.requests
        assert all("authorization" not in r.headers for r in pdok.requests), "PDOK never gets the token"
    assert result.is_error
    text = text_of(result)
    assert "PDOK" in text and "timed out" in text, text
    assert elapsed < BUDGET_S
    assert_no_token(result, caplog)


@pytest.mark.parametrize(
    "behaviour",
    [gzip_bomb(64 * MIB), oversized(3 * MIB)],
    ids=["gzip-bomb-64-MiB-from-64-KiB", "plain-3-MiB"],
)
async def test_an_answer_over_the_size_cap_is_refused_with_a_clear_error(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, behaviour: Any
) -> None:
    upstream.fail_always(behaviour)
    async with mcp.Client(create_server(settings_for(upstream.url, max_response_mb=1))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        text = text_of(result)
        assert "larger than 1 MiB" in text and "ONDERWIJSLOKET_MAX_RESPONSE_MB" in text, text[:300]
        assert_clear_error(text, "search_faq")
        assert len(upstream.requests) == 1, "the same answer would be as large again: no retry"
        assert elapsed < BUDGET_S
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


async def test_an_algolia_answer_over_the_size_cap_falls_back_to_directus(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    async with faulty_upstream({}) as algolia:
        algolia.fail_always(gzip_bomb(64 * MIB))
        settings = algolia_settings(upstream.url, algolia.url, max_response_mb=1)
        async with mcp.Client(create_server(settings)) as client:
            result, _ = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert "larger than 1 MiB" in caplog.text
    assert_no_token(result, caplog)


async def test_a_pdok_answer_over_the_size_cap_is_a_clear_geocoding_error(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    async with faulty_upstream({}) as pdok:
        pdok.fail_always(gzip_bomb(64 * MIB))
        settings = settings_for(
            upstream.url, geocoder_online=True, pdok_url=f"{pdok.url}/free", max_response_mb=1
        )
        async with mcp.Client(create_server(settings)) as client:
            result, _ = await timed_call(client, "find_programs_near", near=PDOK_ADDRESS)
    assert result.is_error
    assert "PDOK" in text_of(result) and "larger than 1 MiB" in text_of(result), text_of(result)
    assert_no_token(result, caplog)


@pytest.mark.parametrize(
    "query", ["true", "false", "null", "NULL", "true false null", "is het waar of false"]
)
async def test_the_words_true_false_and_null_are_searched_as_words(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, query: str
) -> None:
    upstream.routes["/items/faqs"] = coerces_filter_literals(HEALTHY["/items/faqs"])
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query=query)
    assert not result.is_error, text_of(result)
    # search_faq now ranks the FAQ list locally, so these words reach no filter here; the programme search
    # still sends them (tests/resilience/test_optional_fields.py checks that path against the real Directus).
    assert searches(upstream) == 1, "answered at the first attempt"
    assert_no_token(result, caplog)


async def test_a_directus_500_is_reported_at_once_without_retries(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    # Directus answers 500 with its own envelope for an exception while running this query: asking the same
    # again fails the same way, so retries only cost time.
    upstream.fail_always(
        respond(
            500,
            {
                "errors": [
                    {
                        "message": "An unexpected error occurred.",
                        "extensions": {"code": "INTERNAL_SERVER_ERROR"},
                    }
                ]
            },
        )
    )
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        text = text_of(result)
        assert "HTTP 500" in text and "INTERNAL_SERVER_ERROR" in text, text
        assert len(upstream.requests) == 1
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


@pytest.mark.parametrize("depth", [1_000, 100_000])
async def test_absurdly_deep_json_is_reported_as_unreadable(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, depth: int
) -> None:
    upstream.fail_always(nested(depth))
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query="salaris")
        assert result.is_error
        text = text_of(result)
        assert_clear_error(text, "search_faq")
        assert "nested too deeply" in text, text
        await healthy_call_works(client, upstream)
    assert "Traceback" not in caplog.text
    assert_no_token(result, caplog)


async def test_absurdly_deep_json_from_algolia_falls_back_to_directus(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    async with faulty_upstream({}) as algolia:
        algolia.fail_always(nested(100_000, inside="results"))
        settings = algolia_settings(upstream.url, algolia.url)
        async with mcp.Client(create_server(settings)) as client:
            result, _ = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert_no_token(result, caplog)


async def test_absurdly_deep_json_from_pdok_is_a_clear_geocoding_error(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    async with faulty_upstream({}) as pdok:
        pdok.fail_always(nested(100_000, inside="response"))
        settings = settings_for(upstream.url, geocoder_online=True, pdok_url=f"{pdok.url}/free")
        async with mcp.Client(create_server(settings)) as client:
            result, _ = await timed_call(client, "find_programs_near", near=PDOK_ADDRESS)
    assert result.is_error
    assert "PDOK" in text_of(result), text_of(result)
    assert_clear_error(text_of(result), "find_programs_near")
    assert_no_token(result, caplog)


# -- every tool ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("tool", "arguments"), TOOL_CALLS, ids=[t for t, _ in TOOL_CALLS])
@pytest.mark.parametrize(
    "fault",
    ["503", "stall", "reset", "html"],
)
async def test_every_tool_fails_clearly_and_within_budget(
    upstream: FaultyUpstream,
    caplog: pytest.LogCaptureFixture,
    tool: str,
    arguments: dict[str, Any],
    fault: str,
) -> None:
    behaviour = {
        "503": respond(503, {"errors": [{"message": "down", "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}),
        "stall": stall(30),
        "reset": partial_body(reset=True),
        "html": respond(200, "<html>maintenance</html>", content_type="text/html"),
    }[fault]
    upstream.fail_always(behaviour, times=500)
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, elapsed = await timed_call(client, tool, **arguments)
        text = text_of(result)
        assert result.is_error, text
        assert_clear_error(text, tool)
        expected = {
            "503": "HTTP 503",
            "stall": "timed out",
            "reset": "could not be reached",
            "html": "not the expected JSON",
        }[fault]
        assert expected in text
        assert_retry_budget(upstream)
        # Bounded: at most a few upstream requests, each within its own retry budget.
        assert elapsed < BUDGET_S * 2
        await healthy_call_works(client, upstream)
    assert_no_token(result, caplog)


# -- the real process over stdio -------------------------------------------------------------------------


async def test_over_stdio_faults_are_reported_and_stderr_never_shows_the_token(
    upstream: FaultyUpstream, tmp_path: Path
) -> None:
    echo = {"errors": [{"message": f"bad token {TOKEN}", "extensions": {"code": "INVALID_QUERY"}}]}
    upstream.fail_next(*[respond(503, echo)] * ATTEMPTS, respond(400, echo), partial_body(reset=True))
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "onderwijsloket_mcp"],
        env={
            "ONDERWIJSLOKET_TOKEN": TOKEN,
            "ONDERWIJSLOKET_API_URL": upstream.url,
            "ONDERWIJSLOKET_SEARCH_BACKEND": "directus",
            "ONDERWIJSLOKET_TIMEOUT": "2",
            "ONDERWIJSLOKET_MAX_RETRIES": str(MAX_RETRIES),
            "ONDERWIJSLOKET_LOG_LEVEL": "DEBUG",
        },
    )
    stderr_path = tmp_path / "stderr.log"
    with stderr_path.open("w") as errlog:
        async with mcp.Client(stdio_client(params, errlog=errlog)) as client:
            first, _ = await timed_call(client, "search_faq", query="salaris")
            second, _ = await timed_call(client, "search_faq", query="salaris")
            third, _ = await timed_call(client, "search_faq", query="salaris")
    assert first.is_error and "HTTP 503" in text_of(first)
    assert second.is_error and "[redacted]" in text_of(second)
    assert not third.is_error, text_of(third)  # the reset was retried
    for result in (first, second, third):
        assert TOKEN not in result.model_dump_json()
    stderr = stderr_path.read_text()
    assert "tool=search_faq" in stderr and "outcome=error" in stderr and "outcome=ok" in stderr
    assert TOKEN not in stderr


# -- hostile arguments ------------------------------------------------------------------------------------

HUGE = "x" * 3_900_000  # what a client can send in one 4 MiB request body

TAXONOMY_ARGUMENTS: list[tuple[str, dict[str, Any], str]] = [
    ("search_faq", {"query": "salaris"}, "sector"),
    ("search_faq", {"query": "salaris"}, "topic"),
    ("search_faq", {"query": "salaris"}, "audience"),
    ("search_faq", {"query": "salaris"}, "phase"),
    ("search_articles", {}, "role"),
    ("search_articles", {}, "qualification"),
    ("search_articles", {}, "track"),
    ("find_programs_near", {"near": "Utrecht"}, "qualification"),
    ("list_regional_desks", {"region": "Utrecht"}, "sector"),
]


@pytest.mark.parametrize(
    ("tool", "arguments", "argument"), TAXONOMY_ARGUMENTS, ids=[f"{t}-{a}" for t, _, a in TAXONOMY_ARGUMENTS]
)
async def test_an_oversized_taxonomy_value_is_refused_before_any_work(
    upstream: FaultyUpstream, tool: str, arguments: dict[str, Any], argument: str
) -> None:
    # 3.9 MB used to cost ~1.2 s of fuzzy matching on the event loop (after loading the taxonomy upstream).
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, tool, **arguments, **{argument: HUGE})
    assert result.is_error
    text = text_of(result)
    assert argument in text and "200" in text, text[:500]
    assert HUGE not in text
    assert not upstream.requests, "no upstream request for an argument that cannot be valid"


def test_fuzzy_matching_never_runs_on_an_unbounded_value(monkeypatch: pytest.MonkeyPatch) -> None:
    from onderwijsloket_mcp import taxonomy
    from onderwijsloket_mcp.errors import InvalidInputError

    def refuse(*_: Any, **__: Any) -> list[str]:
        raise AssertionError("difflib ran on an oversized value")

    monkeypatch.setattr(taxonomy.difflib, "get_close_matches", refuse)
    terms = [taxonomy.Term(id="1", label="Primair onderwijs", slug=None, path=None, keys=frozenset({"po"}))]
    with pytest.raises(InvalidInputError) as caught:
        taxonomy.match_term(terms, "sectors", HUGE, argument="sector")
    assert "200" in str(caught.value) and len(str(caught.value)) < 500


def test_fuzzy_matching_of_a_collection_name_never_runs_on_an_unbounded_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # onderwijsloket://schema/{collection}: the URI is the caller's, up to the 4 MiB request body.
    from onderwijsloket_mcp.datamodel import render
    from onderwijsloket_mcp.datamodel.load import bundled_snapshot
    from onderwijsloket_mcp.errors import InvalidInputError

    def refuse(*_: Any, **__: Any) -> list[str]:
        raise AssertionError("difflib ran on an oversized value")

    monkeypatch.setattr(render.difflib, "get_close_matches", refuse)
    with pytest.raises(InvalidInputError):
        render.resolve_collection(bundled_snapshot(), HUGE)


# -- logs never carry arguments below DEBUG (issue 13, point 8) ----------------------------------------------

MARKER = "Zzqxstraat 7 Persoonlijk"  # stands for personal data in an argument (a street address)


def assert_marker_only_at_debug(records: list[logging.LogRecord]) -> None:
    for record in records:
        if record.levelno > logging.DEBUG:
            shown = record.getMessage() + str(record.exc_text or "")
            if record.exc_info and record.exc_info[1] is not None:
                shown += str(record.exc_info[1])
            assert MARKER.lower() not in shown.lower(), (record.levelname, record.name, shown)


async def test_failed_calls_log_their_arguments_only_at_debug(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture
) -> None:
    upstream.routes["/items/sectors"] = respond(200, {"data": [{"id": 1, "title": "Primair onderwijs"}]})
    server = create_server(settings_for(upstream.url))

    async def crashes(value: str) -> str:
        """Stands for a bug that puts an argument into an exception."""
        raise KeyError(value)

    server.add_tool(crashes, name="crashes")
    async with mcp.Client(server) as client:
        calls: list[tuple[str, dict[str, Any]]] = [
            ("find_programs_near", {"near": MARKER}),  # an unknown place: the message repeats it
            ("search_faq", {"query": "salaris", "sector": MARKER}),  # an unknown sector, likewise
            ("search_faq", {"query": "salaris", "limit": MARKER}),  # rejected by the schema
            ("crashes", {"value": MARKER}),
        ]
        for tool, arguments in calls:
            result, _ = await timed_call(client, tool, **arguments)
            assert result.is_error, (tool, text_of(result))
            if tool != "crashes":
                assert MARKER in text_of(result), "the caller still sees what was wrong"
    assert_marker_only_at_debug(caplog.records)
    lines = [
        r.getMessage()
        for r in caplog.records
        if r.name == "onderwijsloket_mcp.calls" and r.levelno == logging.INFO
    ]
    assert len([line for line in lines if line.startswith("tool=")]) == len(calls), lines
    crash = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert crash and "KeyError" in crash[0].getMessage(), "a bug is still logged, with where it happened"


async def test_over_stdio_an_info_log_carries_no_arguments(upstream: FaultyUpstream, tmp_path: Path) -> None:
    upstream.routes["/items/sectors"] = respond(200, {"data": [{"id": 1, "title": "Primair onderwijs"}]})
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "onderwijsloket_mcp"],
        env={
            "ONDERWIJSLOKET_TOKEN": TOKEN,
            "ONDERWIJSLOKET_API_URL": upstream.url,
            "ONDERWIJSLOKET_SEARCH_BACKEND": "directus",
            "ONDERWIJSLOKET_LOG_LEVEL": "INFO",
        },
    )
    stderr_path = tmp_path / "stderr.log"
    with stderr_path.open("w") as errlog:
        async with mcp.Client(stdio_client(params, errlog=errlog)) as client:
            first, _ = await timed_call(client, "find_programs_near", near=MARKER)
            second, _ = await timed_call(client, "search_faq", query="salaris", sector=MARKER)
            with pytest.raises(MCPError):
                await client.read_resource(f"onderwijsloket://schema/{MARKER.replace(' ', '_').lower()}")
    assert first.is_error and second.is_error
    stderr = stderr_path.read_text()
    assert "tool=find_programs_near" in stderr and "outcome=error" in stderr
    assert MARKER.lower() not in stderr.lower(), stderr
    assert MARKER.replace(" ", "_").lower() not in stderr.lower(), stderr
