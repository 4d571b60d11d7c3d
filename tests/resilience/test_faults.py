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
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
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
    Behaviour,
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
from tests.support.inventory import TOOL_SAMPLES

pytestmark = pytest.mark.anyio

TOKEN = "fault-injection-secret-token-7f3a9c"
MAX_RETRIES = 2
ATTEMPTS = MAX_RETRIES + 1
TIMEOUT = 0.5
# Worst case per upstream request: every attempt times out, plus jittered backoff (0.25 s, 0.5 s, x1.25).
BUDGET_S = ATTEMPTS * TIMEOUT + 1.0 + 2.0
MIB = 1 << 20

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
# A FAQ list answer, short enough to drip byte by byte.
SHORT_BODY = {"data": [FAQ], "meta": {"filter_count": 1}}

# One call per tool: the sample call its test module declares (tests/support/inventory.py), so a new tool gets
# its fault tests without being listed here.
TOOL_CALLS: list[tuple[str, dict[str, Any]]] = list(TOOL_SAMPLES.items())


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


def assert_reported(result: CallToolResult, tool: str, *expected: str) -> str:
    """A failed call with a clear error message that says each of ``expected``; returns the message."""
    text = text_of(result)
    assert result.is_error, text
    assert_clear_error(text, tool)
    for part in expected:
        assert part in text, (part, text[:500])
    return text


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


def envelope(code: str, message: str) -> dict[str, Any]:
    """Directus's error body."""
    return {"errors": [{"message": message, "extensions": {"code": code}}]}


# -- a fault on every attempt: one table, the same checks for every case -------------------------------------


@dataclass(frozen=True)
class Fault:
    """What the upstream does on every attempt, and what search_faq must make of it."""

    behaviour: Behaviour
    expected: tuple[str, ...]  # in the error message
    attempts: int  # requests made, every one of them for the FAQ list
    overrides: Mapping[str, Any] = field(default_factory=dict)  # settings
    within: tuple[float, float] = (0.0, BUDGET_S)  # bounds of the call's duration in seconds
    absent: tuple[str, ...] = ()  # never in the error message


def always(
    name: str,
    behaviour: Behaviour,
    expected: Sequence[str],
    attempts: int,
    *,
    modes: Sequence[Mode] = ("auto",),
    **options: Any,
) -> list[Any]:
    """One case of the table, in each of ``modes`` (the id names the mode when there is more than one)."""
    case = Fault(behaviour, tuple(expected), attempts, **options)
    return [pytest.param(case, mode, id=name if len(modes) == 1 else f"{name}-{mode}") for mode in modes]


ALWAYS_FAILING: list[Any] = [
    # -- error statuses
    *always(
        "500-html",  # a proxy's page, not Directus's
        respond(500, "<html><body>500 Internal Server Error</body></html>", content_type="text/html"),
        ("HTTP 500", "Try again later"),
        ATTEMPTS,
        modes=MODES,
    ),
    *always(
        "502",
        respond(502, envelope("INTERNAL", "boom")),
        ("HTTP 502", "Try again later"),
        ATTEMPTS,
        modes=MODES,
    ),
    *always(
        "503",
        respond(503, envelope("SERVICE_UNAVAILABLE", "boom")),
        ("HTTP 503", "Try again later"),
        ATTEMPTS,
        modes=MODES,
    ),
    # Directus answers 500 with its own envelope for an exception while running this query: asking the same
    # again fails the same way, so retries only cost time.
    *always(
        "directus-500-at-once",
        respond(500, envelope("INTERNAL_SERVER_ERROR", "An unexpected error occurred.")),
        ("HTTP 500", "INTERNAL_SERVER_ERROR"),
        1,
    ),
    *always(
        "429-without-retry-after-backs-off",
        respond(429, envelope("REQUESTS_EXCEEDED", "Too many")),
        ("rate limiting", "try again"),
        ATTEMPTS,
    ),
    # Waiting two minutes inside one tool call helps nobody: one attempt, then the message.
    *always(
        "429-with-a-long-retry-after-answers-at-once",
        respond(429, b"", headers={"Retry-After": "120"}),
        ("in about 120 s",),
        1,
        within=(0.0, 2.0),
    ),
    *always(
        "400-echoing-the-token-is-redacted",  # a 400 is not retried
        respond(400, envelope("INVALID_QUERY", f"Invalid query near 'Bearer {TOKEN}'")),
        ("INVALID_QUERY", "[redacted]"),
        1,
    ),
    *always(
        "401-rejected-token",
        respond(401, envelope("INVALID_CREDENTIALS", "Invalid user credentials.")),
        ("ONDERWIJSLOKET_TOKEN", "is not valid"),
        1,
    ),
    # The upstream copies the request's Authorization header into errors[0].extensions.code and the message.
    # Only 502 and 503 are retried (a 4xx, a Retry-After of 120 s and a 500 in Directus's envelope are not).
    *[
        case
        for status, attempts in [
            (400, 1),
            (401, 1),
            (403, 1),
            (404, 1),
            (429, 1),
            (500, 1),
            (502, ATTEMPTS),
            (503, ATTEMPTS),
        ]
        for case in always(
            f"{status}-echoing-the-authorization-header",
            echo_headers(status, "Authorization"),
            (),
            attempts,
            absent=("(Bearer",),  # the echoed header, shown where the error code goes
        )
    ],
    # -- socket faults
    *always(
        "read-timeout",
        stall(30),
        ("timed out after 0.5 s",),
        ATTEMPTS,
        within=(ATTEMPTS * TIMEOUT, BUDGET_S),
        modes=MODES,
    ),
    *always("reset-mid-body", partial_body(reset=True), ("could not be reached", "try again"), ATTEMPTS),
    *always("truncated-body", partial_body(reset=False), ("could not be reached", "try again"), ATTEMPTS),
    # One byte every 50 ms: each read is well within the 0.5 s timeout, the whole answer would take minutes.
    *always(
        "slow-drip-cut-off-by-the-attempt-deadline",
        drip(json.dumps(SHORT_BODY).encode() * 4),
        ("timed out after 0.5 s",),
        ATTEMPTS,
        modes=MODES,
    ),
    # -- unreadable bodies: a complete answer that cannot be read is not asked for again
    *[
        case
        for name, body, content_type in [
            ("truncated-json", '{"data":[{"id":"1","question":"Wat verd', "application/json"),
            ("html", "<html><body>502 Bad Gateway</body></html>", "text/html"),
            ("empty", "", "application/json"),
            ("no-data", '{"errors": "not a list"}', "application/json"),
            ("json-list", "[1, 2, 3]", "application/json"),
            ("data-not-a-list", '{"data": {"id": 1}}', "application/json"),
        ]
        for case in always(
            f"unreadable-{name}",
            respond(200, body, content_type=content_type),
            ("not the expected JSON", "ONDERWIJSLOKET_API_URL"),
            1,
        )
    ],
    # The same answer would be as large again: no retry.
    *always(
        "gzip-bomb-64-MiB-from-64-KiB",
        gzip_bomb(64 * MIB),
        ("larger than 1 MiB", "ONDERWIJSLOKET_MAX_RESPONSE_MB"),
        1,
        overrides={"max_response_mb": 1},
    ),
    *always(
        "plain-3-MiB",
        oversized(3 * MIB),
        ("larger than 1 MiB", "ONDERWIJSLOKET_MAX_RESPONSE_MB"),
        1,
        overrides={"max_response_mb": 1},
    ),
    *always("json-1000-deep", nested(1_000), ("nested too deeply",), 1),
    *always("json-100000-deep", nested(100_000), ("nested too deeply",), 1),
]


@pytest.mark.parametrize(("case", "mode"), ALWAYS_FAILING)
async def test_a_fault_on_every_attempt_is_reported_clearly_within_budget(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, case: Fault, mode: Mode
) -> None:
    upstream.fail_always(case.behaviour)
    async with mcp.Client(create_server(settings_for(upstream.url, **case.overrides)), mode=mode) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
        text = assert_reported(result, "search_faq", *case.expected)
        for part in case.absent:
            assert part not in text, text
        assert_retry_budget(upstream)
        assert searches(upstream) == len(upstream.requests) == case.attempts, upstream.requests
        low, high = case.within
        assert low <= elapsed < high
        await healthy_call_works(client, upstream)
    assert "Traceback" not in caplog.text
    assert_no_token(result, caplog)


# -- a fault once: the retry recovers -----------------------------------------------------------------------

RECOVERED: list[Any] = [
    pytest.param(
        respond(503, "Service Unavailable", content_type="text/plain"),
        2,
        (0.0, BUDGET_S),
        {},
        id="transient-503",
    ),
    # A short Retry-After is waited out.
    pytest.param(
        respond(429, b"", headers={"Retry-After": "1"}), 2, (0.9, BUDGET_S), {}, id="429-short-retry-after"
    ),
    pytest.param(partial_body(reset=True), 2, (0.0, BUDGET_S), {}, id="reset-mid-body"),
    pytest.param(partial_body(reset=False), 2, (0.0, BUDGET_S), {}, id="truncated-body"),
    # Slow, but within a patient enough timeout: answered at the first attempt.
    pytest.param(
        slow(0.3, HEALTHY["/items/faqs"]), 1, (0.3, BUDGET_S), {"timeout": 2.0}, id="slow-but-in-time"
    ),
]


@pytest.mark.parametrize(("behaviour", "attempts", "within", "overrides"), RECOVERED)
async def test_a_fault_once_is_invisible(
    upstream: FaultyUpstream,
    caplog: pytest.LogCaptureFixture,
    behaviour: Behaviour,
    attempts: int,
    within: tuple[float, float],
    overrides: dict[str, Any],
) -> None:
    upstream.fail_next(behaviour)
    async with mcp.Client(create_server(settings_for(upstream.url, **overrides))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
    assert not result.is_error, text_of(result)
    assert "Wat verdient een leraar in het basisonderwijs?" in text_of(result)
    assert searches(upstream) == attempts
    low, high = within
    assert low <= elapsed < high
    assert_no_token(result, caplog)


# -- no upstream at all -------------------------------------------------------------------------------------


async def test_connect_timeouts_end_in_a_clear_message(caplog: pytest.LogCaptureFixture) -> None:
    with unanswered_port() as url:
        async with mcp.Client(create_server(settings_for(url))) as client:
            result, elapsed = await timed_call(client, "search_faq", query="salaris")
    assert_reported(result, "search_faq", "timed out", f"after {ATTEMPTS} attempts", "try again")
    assert elapsed < BUDGET_S
    assert_no_token(result, caplog)


async def test_connection_refused_ends_in_a_clear_message(caplog: pytest.LogCaptureFixture) -> None:
    async with faulty_upstream({}) as closed:
        url = closed.url
    async with mcp.Client(create_server(settings_for(url))) as client:
        result, elapsed = await timed_call(client, "search_faq", query="salaris")
    assert_reported(result, "search_faq", "could not be reached", f"after {ATTEMPTS} attempts")
    assert elapsed < BUDGET_S
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


# -- hostile upstream answers (issue 13) ---------------------------------------------------------------------

ALGOLIA_KEY = "algolia-key-from-users-me-5e1d0c"


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
    assert_reported(result, "find_programs_near", "PDOK", "timed out")
    assert elapsed < BUDGET_S
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
    assert_reported(result, "find_programs_near", "PDOK", "larger than 1 MiB")
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
    assert_reported(result, "find_programs_near", "PDOK")
    assert_no_token(result, caplog)


# -- Directus's coercion of the filter literals true, false and null ----------------------------------------

LITERAL_QUERIES = ["true", "false", "null", "NULL", "true false null", "is het waar of false"]
# The MCP SDK pre-parses a string argument whose annotation is not plain ``str`` as JSON and keeps anything but a
# string or number (FuncMetadata.pre_parse_json): find_programs_near's ``query: str | None`` of "null" reaches the
# tool as None, so the word is dropped and the search runs unfiltered. "NULL" is not JSON and stays a word.
DROPPED_BY_THE_SDK = pytest.mark.xfail(
    strict=True, reason='the MCP SDK turns query="null" into None before the tool runs (pre_parse_json)'
)
LITERALS = {"true", "false", "null"}
# A location in Utrecht teaching one programme, as /items/locations answers (whatever the filter: this
# upstream does not filter, it only fails where Directus would).
PROGRAM_TITLE = "Pabo waar of niet"
LOCATION = {
    "id": "loc-1",
    "title": "Hogeschool Utrecht",
    "url": None,
    "address": "Padualaan 97",
    "zip": "3584 CH",
    "city": "Utrecht",
    "location_geopoint": {"type": "Point", "coordinates": [5.17, 52.085]},
    "programs": [
        {
            "programs_id": {
                "id": "prog-1",
                "title": PROGRAM_TITLE,
                "path": "/opleidingen/pabo",
                "level": "hbo",
                "program_forms": [{"id": "form-1", "form": "voltijd"}],
            }
        }
    ],
}


def icontains_values(upstream: FaultyUpstream, path: str) -> set[str]:
    """Every value compared with ``_icontains`` in the filters (and deep filters) sent to ``path``."""
    values: set[str] = set()

    def walk(node: Any, operator: str | None = None) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, key)
        elif isinstance(node, list):
            for value in node:
                walk(value, operator)
        elif operator == "_icontains" and isinstance(node, str):
            values.add(node)

    for request in upstream.requests:
        if request.path == path:
            for name, value in request.params:
                if name in ("filter", "deep"):
                    walk(json.loads(value))
    return values


@pytest.mark.parametrize(
    "query", [pytest.param(q, marks=DROPPED_BY_THE_SDK) if q == "null" else q for q in LITERAL_QUERIES]
)
async def test_the_words_true_false_and_null_are_searched_as_words(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, query: str
) -> None:
    # find_programs_near sends the words of `query` into an _icontains filter, where Directus would turn these
    # words into a boolean or null and fail with HTTP 500 (coerces_filter_literals does the same).
    upstream.routes["/items/locations"] = coerces_filter_literals(
        respond(200, {"data": [LOCATION], "meta": {"filter_count": 1}})
    )
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "find_programs_near", near="Utrecht", query=query)
    assert not result.is_error, text_of(result)
    assert PROGRAM_TITLE in text_of(result)
    words = {word.lower() for word in query.split()} & LITERALS
    searched = {value.lower() for value in icontains_values(upstream, "/items/locations")}
    assert words and words <= searched, ("the words reached no filter", searched)
    attempts = Counter((r.path, tuple(r.params)) for r in upstream.requests)
    assert set(attempts.values()) == {1}, ("answered at the first attempt", attempts)
    assert_no_token(result, caplog)


@pytest.mark.parametrize("query", LITERAL_QUERIES)
async def test_search_faq_answers_the_words_true_false_and_null(
    upstream: FaultyUpstream, caplog: pytest.LogCaptureFixture, query: str
) -> None:
    upstream.routes["/items/faqs"] = coerces_filter_literals(HEALTHY["/items/faqs"])
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, _ = await timed_call(client, "search_faq", query=query)
    assert not result.is_error, text_of(result)
    # search_faq ranks the FAQ list locally, so these words reach no filter here (the test above reaches one
    # through find_programs_near; tests/resilience/test_optional_fields.py against the real Directus).
    assert searches(upstream) == 1, "answered at the first attempt"
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
        "503": respond(503, envelope("SERVICE_UNAVAILABLE", "down")),
        "stall": stall(30),
        "reset": partial_body(reset=True),
        "html": respond(200, "<html>maintenance</html>", content_type="text/html"),
    }[fault]
    upstream.fail_always(behaviour, times=500)
    async with mcp.Client(create_server(settings_for(upstream.url))) as client:
        result, elapsed = await timed_call(client, tool, **arguments)
        expected = {
            "503": "HTTP 503",
            "stall": "timed out",
            "reset": "could not be reached",
            "html": "not the expected JSON",
        }[fault]
        assert_reported(result, tool, expected)
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
