"""Property-based fuzzing of every tool against the real stack, with arguments generated from the input
schemas that tools/list publishes (a new tool is fuzzed without touching this file).

Values mix schema-valid data with hostile data: unicode and emoji, 100 KB strings, NaN, infinities, negative
and huge numbers, strings that look like Directus filters, ``../``, SQL, very long lists and wrong types.

For every call:
- no crash: never the SDK's bare "Error executing tool X" (an unexpected exception) or a protocol error;
- no stack trace in what the model sees;
- every request sent upstream is well-formed: ``filter`` and ``deep`` parse as JSON whose keys are our
  field names and operators (user text only ever inside JSON string values), ``fields``/``sort`` match the
  strict patterns and never carry user text, and the path is a fixed route plus at most one strictly
  validated id segment.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import anyio
import anyio.from_thread
import httpx
import mcp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.server import create_server
from tests.algolia.double import AlgoliaDouble, RecordedRequest, parse_filters
from tests.stack.fixture import StackInfo
from tests.support.client import stack_settings, text_of
from tests.support.recording import recording_requests

pytestmark = pytest.mark.stack

MARKER_KEY = "fuzzmarkerfield"
FILTER_LOOKING = [
    json.dumps({"_or": [{"id": {"_nnull": True}}, {MARKER_KEY: {"_eq": 1}}]}),
    '{"_and":[{"status":{"_neq":"published"}}],"' + MARKER_KEY + '":{"_null":true}}',
    '"},{"' + MARKER_KEY + '":{"_nnull":true}},{"x":"',
    "[{" + MARKER_KEY + "}]",
    "$CURRENT_USER",
    "{{ $now }}",
]
PATHS = ["../", "../../etc/passwd", "..%2F..%2Fserver%2Finfo", "/items/directus_users", "programs/../users"]
SQL = ["'; DROP TABLE faqs; --", "1 OR 1=1", "salaris' OR ''='", "%", "_", "*", "\\", "%00", "\x00"]
UNICODE = [
    "Zij-instroom 👩‍🏫📚",
    "Ωμέγα",
    "ﷺ",
    "\u202e\u0661\u0662",
    "e\u0301cole",
    "日本語の先生",
    "\ud7ff\ufeff\u200b",
]
BIG = [
    "a" * 100_000,
    "😀" * 25_000,
    FILTER_LOOKING[0] * (100_000 // len(FILTER_LOOKING[0])),
    ("salaris leraar " * 7000)[:100_000],
]
NASTY_STRINGS = [*FILTER_LOOKING, *PATHS, *SQL, *UNICODE, "", " ", "\n\t", "null", "NaN", "-1"]
NASTY_NUMBERS: list[Any] = [
    math.nan,
    math.inf,
    -math.inf,
    -1,
    0,
    -(2**63),
    2**63,
    10**30,
    1e308,
    -1e-308,
    0.5,
]
# Values the tools accept, so that generated data also gets past validation to the upstream requests.
PLAUSIBLE = [
    "salaris",
    "pabo",
    "zij-instroom",
    "Utrecht",
    "3511",
    "3511 AB",
    "52.09,5.12",
    "primair onderwijs",
    "vo",
    "mbo",
    "Salaris",
    "Tweedegraads",
    "Leraar basisonderwijs",
    "Zij-instromers",
    "wat-is-het-vavo",
    "Regio Zwolle",
    "905ac156-11f1-5f05-b8b2-5d89459b76c2",
]

ID_SEGMENT = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
FIELD = re.compile(r"^[A-Za-z_*][A-Za-z0-9_*]*(?:[.:][A-Za-z_*][A-Za-z0-9_*]*)*$")
SORT = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
JSON_KEY = re.compile(r"^_?[a-z][a-z0-9_]*$")
PATH = re.compile(
    r"^/(items/[a-z_]+(/(?P<id>[^/]+))?|users/me|collections|fields|relations|server/specs/oas)$"
)
SAFE_PARAMS = {"limit", "offset", "meta"}


def _tool_schemas() -> dict[str, dict[str, Any]]:
    async def listing() -> dict[str, dict[str, Any]]:
        async with mcp.Client(create_server(Settings())) as client:
            return {t.name: t.input_schema for t in (await client.list_tools()).tools}

    return anyio.run(listing)


TOOL_SCHEMAS = _tool_schemas()


# -- strategies from JSON schema --------------------------------------------------------------------------

# Known-good values per argument name, so that generated calls get past filter resolution to the main query;
# a new tool's arguments fall back to PLAUSIBLE.
GOOD_BY_NAME: dict[str, list[Any]] = {
    "query": ["salaris", "pabo", "zij-instroom", "leraar basisonderwijs", "bevoegdheid"],
    "near": ["Utrecht", "3511", "3511 AB", "52.09,5.12", "Den Bosch", "Zwolle"],
    "region": ["Regio Zwolle", "Amersfoort", "Utrecht"],
    "sector": ["primair onderwijs", "vo", "mbo"],
    "topic": ["Salaris", "Zij-instroom"],
    "audience": ["Zij-instromers", "Studiekiezers"],
    "phase": ["Oriëntatie"],
    "role": ["Leraar basisonderwijs"],
    "qualification": ["Tweedegraads"],
    "track": ["Zij-instroom"],
    "id": ["905ac156-11f1-5f05-b8b2-5d89459b76c2"],
    "id_or_slug": ["wat-is-het-vavo", "https://onderwijsloket.com/kennisbank/artikelen/wat-is-het-vavo"],
}


def _valid_strings(name: str, schema: dict[str, Any]) -> st.SearchStrategy[str]:
    """Strings the schema accepts: good values, hostile-but-valid text, and both combined."""
    max_length = int(schema.get("maxLength", 100_000))
    min_length = int(schema.get("minLength", 0))
    good = GOOD_BY_NAME.get(name, PLAUSIBLE)
    hostile = [t for t in NASTY_STRINGS + UNICODE if min_length <= len(t) <= max_length]
    return st.one_of(
        st.sampled_from(good),
        st.sampled_from(hostile),
        st.text(min_size=min_length, max_size=min(max_length, 300)),
        st.builds(lambda a, b: f"{a} {b}", st.sampled_from(good), st.sampled_from(hostile)),
        st.sampled_from([b for b in BIG if len(b) <= max_length]) if max_length >= 100_000 else st.nothing(),
    ).filter(lambda t: min_length <= len(t) <= max_length)


def valid_value(name: str, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "anyOf" in schema:
        return st.one_of([valid_value(name, option) for option in schema["anyOf"]])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([valid_value(name, {**schema, "type": k}) for k in kind])
    low, high = schema.get("minimum"), schema.get("maximum")
    if kind == "string":
        return _valid_strings(name, schema)
    if kind == "integer":
        return st.integers(min_value=low, max_value=high)
    if kind == "number":
        return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    if kind == "array":
        items = schema.get("items", {"type": "string"})
        return st.lists(valid_value(name, items), max_size=int(schema.get("maxItems", 10)))
    if kind == "object":
        return st.dictionaries(
            st.sampled_from(["id", "_or", "name"]), st.sampled_from(NASTY_STRINGS), max_size=3
        )
    return st.none()  # a schema shape this generator does not know yet: at least call the tool


def hostile_value() -> st.SearchStrategy[Any]:
    """Values that should be refused: too long, out of range, NaN/infinite, wrong type, very long lists."""
    return st.one_of(
        st.sampled_from(BIG),
        st.sampled_from(NASTY_NUMBERS),
        st.integers(),
        st.floats(),
        st.none(),
        st.booleans(),
        st.just({"_or": [{"id": {"_nnull": True}}]}),
        st.lists(st.sampled_from([*PLAUSIBLE, *NASTY_STRINGS]), min_size=500, max_size=2000),
        st.lists(st.sampled_from(NASTY_STRINGS), max_size=5),
    )


def arguments_for(schema: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Mostly schema-valid calls (so they reach the upstream), with now and then one or two refused values."""
    properties: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    optional = [n for n in properties if n not in required]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = [*sorted(required), *(n for n in optional if draw(st.integers(0, 2)) == 0)]
        spoiled = (
            set(draw(st.lists(st.sampled_from(chosen), max_size=2)))
            if chosen and draw(st.integers(0, 3)) == 0
            else set()
        )
        arguments = {
            name: draw(hostile_value() if name in spoiled else valid_value(name, properties[name]))
            for name in chosen
        }
        if draw(st.integers(0, 19)) == 0:
            arguments["unexpected_argument"] = draw(st.sampled_from(NASTY_STRINGS))
        return arguments

    return build()


# -- the server under test, with every upstream request recorded ------------------------------------------


@dataclass
class Fuzzer:
    portal: anyio.from_thread.BlockingPortal
    client: mcp.Client
    sent: list[httpx.Request] = field(default_factory=list)
    logs: list[logging.LogRecord] = field(default_factory=list)
    algolia: AlgoliaDouble | None = None

    def call(self, tool: str, arguments: dict[str, Any]) -> CallToolResult:
        self.sent.clear()
        self.logs.clear()
        if self.algolia is not None:
            self.algolia.clear_requests()
        result = self.portal.call(self.client.call_tool, tool, arguments)
        assert isinstance(result, CallToolResult)
        return result


class _Collect(logging.Handler):
    def __init__(self, into: list[logging.LogRecord]) -> None:
        super().__init__(logging.INFO)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record)


@contextmanager
def _fuzzer(settings_: Settings) -> Iterator[Fuzzer]:
    logs: list[logging.LogRecord] = []
    handler = _Collect(logs)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        with recording_requests() as sent, anyio.from_thread.start_blocking_portal() as portal:
            client = mcp.Client(create_server(settings_))
            with portal.wrap_async_context_manager(client):
                yield Fuzzer(portal, client, sent=sent.sent, logs=logs)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


@pytest.fixture(scope="module", params=["directus", "algolia"])
def fuzzer(stack: StackInfo, request: pytest.FixtureRequest) -> Iterator[Fuzzer]:
    """The server on each search backend: Directus only, or Algolia (the double) where it answers."""
    if request.param == "directus":
        with _fuzzer(stack_settings(stack, max_retries=0)) as f:
            yield f
        return
    double: AlgoliaDouble = request.getfixturevalue("algolia_double")
    double.reset()
    settings_ = stack_settings(stack, max_retries=0, search_backend="auto", algolia_host=double.url)
    with _fuzzer(settings_) as f:
        f.algolia = double
        yield f


# -- the properties --------------------------------------------------------------------------------------


def user_strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for v in value for s in user_strings(v)]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [str(k), *user_strings(v)]]
    return []


def distinctive(text: str) -> bool:
    """User text long and odd enough that finding it somewhere means it was copied there."""
    stripped = text.strip()
    known = {*PLAUSIBLE, *(v for values in GOOD_BY_NAME.values() for v in values)}
    return len(stripped) >= 6 and stripped not in known and not re.fullmatch(r"[a-z_.,*-]+", stripped)


def json_keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield key
            yield from json_keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from json_keys(inner)


def check_request(request: httpx.Request, texts: list[str]) -> None:
    path = request.url.path
    match = PATH.match(path)
    assert match, f"unexpected upstream path {path!r}"
    segment = match.group("id")
    if segment is not None:
        # The only user text a path may hold: one item id, strictly validated.
        assert ID_SEGMENT.match(segment), path
    assert "%" not in request.url.raw_path.decode("ascii").split("?")[0]
    for name, value in parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True):
        if name in ("filter", "deep"):
            parsed = json.loads(value)
            assert isinstance(parsed, dict), (name, value)
            for key in json_keys(parsed):
                assert JSON_KEY.match(key), f"{name} key {key!r} is not a field name or operator"
                assert key != MARKER_KEY
        elif name == "fields":
            assert all(FIELD.match(f) for f in value.split(",")), value
        elif name == "sort":
            assert all(SORT.match(s) for s in value.split(",")), value
        elif name in SAFE_PARAMS:
            assert re.fullmatch(r"-?\d+|[a-z_,*]+", value), (name, value)
        else:
            raise AssertionError(f"unexpected query parameter {name}={value[:80]!r}")
        if name not in ("filter", "deep"):
            for text in texts:
                if distinctive(text):
                    assert text.strip() not in value, f"user text reached {name}"


def check_call(fuzzer: Fuzzer, tool: str, arguments: dict[str, Any]) -> None:
    try:
        result = fuzzer.call(tool, arguments)
    except MCPError as exc:  # pragma: no cover - the assertion message is the point
        raise AssertionError(f"{tool} raised a protocol error for {arguments!r:.300}: {exc}") from exc
    text = text_of(result)
    assert "Traceback" not in text and 'File "/' not in text, text[:500]
    unexpected = [
        r for r in fuzzer.logs if r.levelno >= logging.ERROR or "unexpected exception" in r.getMessage()
    ]
    assert not unexpected, [r.getMessage() for r in unexpected]
    if result.is_error:
        bare = f"Error executing tool {tool}"
        assert text.strip() != bare, f"{tool} crashed on {arguments!r:.300}"
        assert len(text) > len(bare) + 10
    else:
        assert text.strip(), f"{tool} answered nothing"
    texts = user_strings(arguments)
    for request in fuzzer.sent:
        check_request(request, texts)
    if fuzzer.algolia is not None:
        for recorded in fuzzer.algolia.requests:
            check_algolia_request(recorded, texts)


def check_algolia_request(recorded: RecordedRequest, texts: list[str]) -> None:
    """Algolia gets user text only as the search ``query``; filters are built from resolved taxonomy labels
    and numbers, so they always parse and never contain what the user typed."""
    assert recorded.status != 400, recorded.body
    for index, params in recorded.queries:
        assert re.fullmatch(r"[a-z_]+", index), index
        for name, value in params.items():
            if name == "query":
                continue
            if name == "filters" and value:
                parse_filters(str(value))
            rendered = json.dumps(value, ensure_ascii=False)
            for text in texts:
                if distinctive(text):
                    assert text.strip() not in rendered, f"user text reached Algolia {name}"


FUZZ_SETTINGS = settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
    database=None,
)


@pytest.mark.parametrize("tool", sorted(TOOL_SCHEMAS))
@FUZZ_SETTINGS
@given(data=st.data())
def test_generated_arguments_never_crash_or_leak_into_queries(
    fuzzer: Fuzzer, tool: str, data: st.DataObject
) -> None:
    arguments = data.draw(arguments_for(TOOL_SCHEMAS[tool]), label="arguments")
    check_call(fuzzer, tool, arguments)


def hostile_cases() -> Iterator[tuple[str, dict[str, Any]]]:
    """Each string/number/array argument of each tool, set to each hostile value, the rest plausible."""
    for tool, schema in sorted(TOOL_SCHEMAS.items()):
        properties: dict[str, Any] = schema.get("properties", {})
        base = {
            name: _plausible(spec) for name, spec in properties.items() if name in schema.get("required", [])
        }
        for name, spec in properties.items():
            kinds = {spec.get("type")} | {o.get("type") for o in spec.get("anyOf", [])}
            values: list[Any] = []
            if "string" in kinds:
                values += [*FILTER_LOOKING, *PATHS, *SQL[:3], UNICODE[0], UNICODE[3], BIG[1], BIG[2]]
            if kinds & {"integer", "number"}:
                values += NASTY_NUMBERS
            if "array" in kinds:
                values += [[FILTER_LOOKING[0]] * 3, [*PATHS, *SQL], ["x"] * 5000, [BIG[0]]]
            for value in values:
                yield tool, {**base, name: value}


def _plausible(spec: dict[str, Any]) -> Any:
    kinds = {spec.get("type")} | {o.get("type") for o in spec.get("anyOf", [])}
    if "string" in kinds:
        return "Utrecht" if "near" in json.dumps(spec).lower() else "salaris"
    if "integer" in kinds or "number" in kinds:
        return spec.get("minimum", 1)
    return []


HOSTILE = list(hostile_cases())


@pytest.mark.parametrize(("tool", "arguments"), HOSTILE, ids=[f"{t}-{i}" for i, (t, _) in enumerate(HOSTILE)])
def test_hostile_values_for_every_argument(fuzzer: Fuzzer, tool: str, arguments: dict[str, Any]) -> None:
    check_call(fuzzer, tool, arguments)


def test_filter_looking_text_is_sent_as_a_json_string(fuzzer: Fuzzer) -> None:
    """The positive side: the query text does reach the search, as a JSON string value and nothing else
    (Directus: not at all, the FAQ list is searched here; Algolia: as ``query``, and search_faq then sends
    Directus nothing)."""
    probe = '{"_or":[{"' + MARKER_KEY + '":{"_nnull":true}}]} salaris'
    check_call(fuzzer, "search_faq", {"query": probe})
    filters = [json.loads(r.url.params["filter"]) for r in fuzzer.sent if "filter" in r.url.params]
    assert all(key != MARKER_KEY for f in filters for key in json_keys(f))
    if fuzzer.algolia is None:
        assert not any(MARKER_KEY in str(r.url) for r in fuzzer.sent)  # ranked locally: never sent
    else:
        assert MARKER_KEY not in json.dumps(filters)
        queries = [params.get("query", "") for r in fuzzer.algolia.requests for _, params in r.queries]
        assert any(MARKER_KEY in q for q in queries)
