"""The data-model resources as a client sees them: listing, reading every resource live and from the snapshot.

Live against the test stack in both situations the issue names: the admin token reads Directus's schema
endpoints; the reader and content tokens get 403 there and the server falls back to the OpenAPI document.
Offline: the bundled snapshot (no token, API unreachable, token rejected) and the OpenAPI reconstruction on a
small hand-written document.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import mcp
import pytest
import respx
from mcp.shared.exceptions import MCPError
from mcp_types import TextResourceContents
from pydantic import SecretStr

from onderwijsloket_mcp.config import Settings
from onderwijsloket_mcp.datamodel.catalogue import DOCUMENTED, FAMILIES
from onderwijsloket_mcp.datamodel.load import SNAPSHOT_FILE, bundled_snapshot
from onderwijsloket_mcp.datamodel.model import SchemaModel, data_list, from_directus, from_openapi
from onderwijsloket_mcp.datamodel.render import render_collection
from onderwijsloket_mcp.render.markdown import MAX_ANSWER_TOKENS, approx_tokens
from onderwijsloket_mcp.taxonomy import TAXONOMIES
from onderwijsloket_mcp.upstream.directus import DirectusClient
from tests.stack import seed_data as sd
from tests.stack.fixture import StackInfo
from tests.support.client import MODES, Mode, connect, stack_settings

pytestmark = pytest.mark.anyio

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT_PATH = ROOT / "src" / "onderwijsloket_mcp" / "data" / SNAPSHOT_FILE
BASE = "http://directus.test"
TOKEN = "tok-resources-1234567890"
STATIC = ("onderwijsloket://schema", "onderwijsloket://glossary", "onderwijsloket://permissions")
TEMPLATES = ("onderwijsloket://schema/{collection}", "onderwijsloket://taxonomy/{name}")


def offline_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "token": SecretStr(TOKEN),
        "api_url": BASE,
        "timeout": 1.0,
        "max_retries": 0,
        "max_retry_wait": 1.0,
    }
    values.update(overrides)
    return Settings(**values)


async def read(client: mcp.Client, uri: str) -> str:
    result = await client.read_resource(uri)
    assert len(result.contents) == 1
    content = result.contents[0]
    assert isinstance(content, TextResourceContents)
    assert content.mime_type == "text/markdown"
    assert approx_tokens(content.text) <= MAX_ANSWER_TOKENS, uri
    return content.text


async def read_error(client: mcp.Client, uri: str) -> MCPError:
    with pytest.raises(MCPError) as caught:
        await client.read_resource(uri)
    return caught.value


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_schema_snapshot", ROOT / "scripts" / "build_schema_snapshot.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- listing --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_resources_and_templates_are_listed_with_descriptions(mode: Mode) -> None:
    async with connect(Settings(), mode) as client:
        resources = (await client.list_resources()).resources
        templates = (await client.list_resource_templates()).resource_templates
    by_uri = {str(r.uri): r for r in resources}
    assert set(STATIC) <= set(by_uri)
    for uri in STATIC:
        assert by_uri[uri].mime_type == "text/markdown"
        assert by_uri[uri].description and len(by_uri[uri].description) > 60
    by_template = {t.uri_template: t for t in templates}
    assert set(TEMPLATES) <= set(by_template)
    for template in TEMPLATES:
        assert by_template[template].mime_type == "text/markdown"
        assert by_template[template].description
    assert all(name in by_template[TEMPLATES[1]].description or "" for name in TAXONOMIES)


# -- without a token: the bundled snapshot ---------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_schema_without_token_shows_the_snapshot_and_says_so(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        text = await read(client, "onderwijsloket://schema")
    assert "bundled snapshot" in text and "not live" in text
    assert "no API token is configured" in text and "ONDERWIJSLOKET_TOKEN" in text
    for family in FAMILIES:
        assert f"## {family.title}" in text
    assert "`programs` [Navigator]" in text
    assert "`schools` [Scholen op de kaart]" in text and "(not in the snapshot)" in text
    assert "`applicants` [Read stats]" in text
    assert "## Junctions" in text and "articles_topics" in text
    assert "✓" not in text and "✗" not in text  # no claim about a token's access


@pytest.mark.parametrize("mode", MODES)
async def test_collection_without_token_resolves_every_relation_kind(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        programs = await read(client, "onderwijsloket://schema/programs")
        articles = await read(client, "onderwijsloket://schema/articles")
        junction = await read(client, "onderwijsloket://schema/articles_editor_nodes")
    assert "bundled snapshot" in programs
    assert "needs the Navigator policy" in programs
    assert "- `id` uuid, primary key" in programs
    assert "choices: mbo | bachelor | master | phd | post-graduate | preparatory | associate" in programs
    assert "`logo` uuid, file → `directus_files`" in programs
    assert "`program_forms` alias, o2m ← `program_forms.program`" in programs
    assert (
        "`educational_institutions` alias, m2m → `educational_institutions` via "
        "`educational_institutions_programs` (programs_id ↔ educational_institutions_id)"
    ) in programs
    assert "`location_geopoint`" not in programs
    assert "Referenced by:" in programs and "`program_forms.program` (m2o)" in programs
    assert (
        "`editor_nodes` alias, m2a → buttons, callouts, content_lists, images, mediaplayers, mentions, "
        "related_content_lists via `articles_editor_nodes` (articles_id, collection, item)"
    ) in articles
    assert "fields=editor_nodes.collection,editor_nodes.item:buttons.*" in articles
    assert "`faqs` alias, m2m → `faqs` via `articles_faqs`" in articles
    assert "junction (helper) collection" in junction
    assert "`item` string, m2a item → buttons" in junction


async def test_unknown_collection_is_a_not_found_error_with_suggestions() -> None:
    async with connect(Settings(token=None)) as client:
        error = await read_error(client, "onderwijsloket://schema/progams")
    assert error.error.code == -32602
    assert "Unknown collection 'progams'" in error.error.message
    assert "Did you mean: programs" in error.error.message
    assert "onderwijsloket://schema" in error.error.message


async def test_documented_collection_outside_the_snapshot_shows_its_purpose() -> None:
    async with connect(Settings(token=None)) as client:
        text = await read(client, "onderwijsloket://schema/schools")
    assert "Scholen op de kaart" in text
    assert "not in the bundled snapshot either" in text


async def test_glossary_is_a_dutch_english_table() -> None:
    async with connect(Settings(token=None)) as client:
        text = await read(client, "onderwijsloket://glossary")
    assert "| Dutch | English | meaning |" in text
    assert "| zij-instroom | lateral entry |" in text
    assert "| regioloket | regional education desk |" in text
    assert "`regional_education_desks`" in text


@pytest.mark.parametrize("mode", MODES)
async def test_permissions_without_token_explain_policies_and_how_to_request(mode: Mode) -> None:
    async with connect(Settings(token=None), mode) as client:
        text = await read(client, "onderwijsloket://permissions")
    for policy in (
        "Content read",
        "Navigator",
        "HOVI",
        "KiesMBO",
        "Scholen op de kaart",
        "Read stats",
        "Algolia token",
    ):
        assert f"| {policy} |" in text
    assert "https://onderwijsloket.com/access-request" in text
    assert 'remi@onderwijsin.nl (subject "Requesting Additional Access")' in text
    assert "## This token\nNot checked: no API token is configured" in text


async def test_taxonomy_without_token_is_a_resource_error_that_says_how_to_get_one() -> None:
    async with connect(Settings(token=None)) as client:
        error = await read_error(client, "onderwijsloket://taxonomy/topics")
    assert error.error.code == -32603
    assert "ONDERWIJSLOKET_TOKEN" in error.error.message
    assert "https://onderwijsloket.com/access-request" in error.error.message


async def test_unknown_taxonomy_lists_the_valid_names() -> None:
    async with connect(Settings(token=None)) as client:
        error = await read_error(client, "onderwijsloket://taxonomy/colours")
    assert error.error.code == -32602
    for name in TAXONOMIES:
        assert name in error.error.message


def test_every_snapshot_collection_renders_within_budget() -> None:
    snapshot = bundled_snapshot()
    assert len(snapshot.collections) > 50
    for name in snapshot.collections:
        text = render_collection(snapshot.with_reason("test"), name, 600)
        assert f"# Collection `{name}`" in text
        assert approx_tokens(text) < 3000, name


def test_snapshot_relations_point_at_collections_it_has() -> None:
    snapshot = bundled_snapshot()
    known = set(snapshot.collections) | {"directus_files", "directus_users"}
    for info in snapshot.collections.values():
        for field in info.fields:
            rel = field.relation
            if rel is None:
                continue
            assert rel.target is None or rel.target in known, (info.name, field.name)
            assert set(rel.targets) <= known, (info.name, field.name)
            assert rel.junction is None or snapshot.collections[rel.junction].junction, (
                info.name,
                field.name,
            )
    # Every documented collection of the stack's families is in the snapshot (media, schools, stats are not).
    absent = {name for name in DOCUMENTED if name not in snapshot.collections}
    assert absent == {
        "schools",
        "videos",
        "testimonials",
        "podcast_shows",
        "podcast_episodes",
        "seasons",
        "podcast_hosts",
        "profiles",
        "applicants",
        "applicant_activity",
        "scheduled_events",
        "scheduling_links",
    }


def test_snapshot_file_round_trips() -> None:
    from onderwijsloket_mcp.datamodel.model import dump_snapshot, to_snapshot

    script = load_script()
    snapshot = bundled_snapshot()
    assert dump_snapshot(to_snapshot(snapshot, generator=script.GENERATOR)) == SNAPSHOT_PATH.read_text(
        encoding="utf-8"
    )


# -- offline live paths: OpenAPI reconstruction, unreachable API, rejected token -------------------------


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _m2o(name: str, note: str = "") -> dict[str, Any]:
    return {
        "nullable": True,
        "description": note,
        "oneOf": [{"type": "string", "format": "uuid"}, _ref(name)],
    }


def _array(*names: str) -> dict[str, Any]:
    return {
        "nullable": True,
        "type": "array",
        "items": {"oneOf": [{"type": "integer"}, *(_ref(n) for n in names)]},
    }


UUID_PK = {"nullable": False, "type": "string", "format": "uuid", "description": "Primary key."}
INT_PK = {"nullable": False, "type": "integer", "description": "Primary key."}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.1",
    "info": {"version": "hash"},
    "tags": [
        {"name": "ItemsArticles", "x-collection": "articles", "description": "Long-form articles."},
        {"name": "ItemsTopics", "x-collection": "topics", "description": "Subjects."},
    ],
    "paths": {},
    "components": {
        "schemas": {
            "ItemsArticles": {
                "type": "object",
                "x-collection": "articles",
                "required": ["id"],
                "properties": {
                    "id": UUID_PK,
                    "status": {"type": "string", "description": "Publication state."},
                    "body": {"description": "Tiptap JSON."},
                    "date_created": {"type": "string", "format": "timestamp"},
                    "english": {"type": "boolean"},
                    "author": _m2o("ItemsAuthors", "Writer."),
                    "image": _m2o("Files", "Picture."),
                    "topics": {**_array("ItemsArticlesTopics"), "description": "Topics."},
                    "editor_nodes": _array("ItemsArticlesEditorNodes"),
                    "comments": _array("ItemsComments"),
                    "secret": _array("ItemsHidden"),
                },
            },
            "ItemsTopics": {
                "type": "object",
                "x-collection": "topics",
                "properties": {"id": UUID_PK, "name": {"type": "string"}},
            },
            "ItemsAuthors": {
                "type": "object",
                "x-collection": "authors",
                "properties": {"id": UUID_PK, "name": {"type": "string"}},
            },
            "ItemsArticlesTopics": {
                "type": "object",
                "x-collection": "articles_topics",
                "properties": {
                    "id": INT_PK,
                    "articles_id": _m2o("ItemsArticles"),
                    "topics_id": _m2o("ItemsTopics"),
                },
            },
            "ItemsArticlesEditorNodes": {
                "type": "object",
                "x-collection": "articles_editor_nodes",
                "properties": {
                    "id": UUID_PK,
                    "articles_id": _m2o("ItemsArticles"),
                    "collection": {"type": "string"},
                    "item": {
                        "type": "array",
                        "items": {"oneOf": [{"type": "string"}, _ref("ItemsCallouts")]},
                    },
                },
            },
            "ItemsCallouts": {
                "type": "object",
                "x-collection": "callouts",
                "properties": {"id": UUID_PK, "title": {"type": "string"}},
            },
            "ItemsComments": {
                "type": "object",
                "x-collection": "comments",
                "properties": {"id": INT_PK, "text": {"type": "string"}, "article": _m2o("ItemsArticles")},
            },
            "Files": {
                "type": "object",
                "x-collection": "directus_files",
                "properties": {"id": {"type": "string"}},
            },
        }
    },
}


@pytest.fixture
def api() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


def test_openapi_reconstructs_relations() -> None:
    model = from_openapi(OPENAPI)
    assert model.source == "openapi"
    articles = model.collections["articles"]
    kinds = {f.name: (f.type, f.relation) for f in articles.fields}
    assert kinds["status"][0] == "string" and kinds["body"][0] == "json"
    assert kinds["date_created"][0] == "timestamp" and kinds["english"][0] == "boolean"
    author = kinds["author"][1]
    assert author is not None and (author.kind, author.target) == ("m2o", "authors")
    image = kinds["image"][1]
    assert image is not None and (image.kind, image.target) == ("file", "directus_files")
    topics = kinds["topics"][1]
    assert topics is not None
    assert (topics.kind, topics.target, topics.junction, topics.back_field, topics.junction_field) == (
        "m2m",
        "topics",
        "articles_topics",
        "articles_id",
        "topics_id",
    )
    nodes = kinds["editor_nodes"][1]
    assert nodes is not None
    assert (nodes.kind, nodes.targets, nodes.junction, nodes.junction_field) == (
        "m2a",
        ("callouts",),
        "articles_editor_nodes",
        "item",
    )
    comments = kinds["comments"][1]
    assert comments is not None and (comments.kind, comments.target, comments.back_field) == (
        "o2m",
        "comments",
        "article",
    )
    hidden = kinds["secret"][1]
    assert hidden is not None and (hidden.kind, hidden.target) == ("o2m", None)
    assert model.collections["articles_topics"].junction
    assert model.collections["articles_editor_nodes"].junction
    assert not model.collections["comments"].junction
    assert model.collections["articles"].note == "Long-form articles."
    assert "directus_files" not in model.collections


@pytest.mark.parametrize("mode", MODES)
async def test_forbidden_schema_endpoints_fall_back_to_openapi_once_per_ttl(
    api: respx.MockRouter, mode: Mode
) -> None:
    forbidden = api.get("/collections").respond(403, json={"errors": [{"extensions": {"code": "FORBIDDEN"}}]})
    oas = api.get("/server/specs/oas").respond(200, json=OPENAPI)
    async with connect(offline_settings(), mode) as client:
        overview = await read(client, "onderwijsloket://schema")
        articles = await read(client, "onderwijsloket://schema/articles")
        hidden = await read(client, "onderwijsloket://schema/programs")
    assert forbidden.call_count == 1 and oas.call_count == 1  # cached per token
    assert "from the OpenAPI document for this token" in overview
    assert "✓ `articles`" in overview and "✗ `programs` [Navigator]" in overview
    assert "## Other collections" in overview and "`comments`" in overview
    assert "m2m → `topics` via `articles_topics` (articles_id ↔ topics_id)" in articles
    # The OpenAPI document has no choices: they come from the snapshot, which says so.
    assert "choices: published | draft | archived" in articles
    assert "Field choices come from the bundled snapshot" in articles
    assert "Not readable with this token" in hidden and "from the bundled snapshot" in hidden
    assert "`level` string; choices: mbo" in hidden


async def test_schema_endpoints_are_used_when_readable(api: respx.MockRouter) -> None:
    snapshot_like = {
        "collections": [
            {"collection": "topics", "meta": {"note": "Subjects."}, "schema": {"name": "topics"}}
        ],
        "fields": [
            {
                "collection": "topics",
                "field": "id",
                "type": "uuid",
                "schema": {"is_primary_key": True},
                "meta": {"sort": 1},
            },
            {
                "collection": "topics",
                "field": "kind",
                "type": "string",
                "meta": {"sort": 2, "note": "Kind.", "options": {"choices": [{"text": "A", "value": "a"}]}},
                "schema": {},
            },
            {"collection": "topics", "field": "divider", "type": "alias", "meta": {"special": ["no-data"]}},
        ],
        "relations": [],
    }
    for key, rows in snapshot_like.items():
        api.get(f"/{key}").respond(200, json={"data": rows})
    oas = api.get("/server/specs/oas").respond(200, json=OPENAPI)
    async with connect(offline_settings()) as client:
        overview = await read(client, "onderwijsloket://schema")
        topics = await read(client, "onderwijsloket://schema/topics")
    assert oas.call_count == 0
    assert "from Directus's schema endpoints" in overview
    assert "✓ `topics`" in overview and "✗ `articles`" in overview
    assert "- `kind` string; choices: a — Kind." in topics
    assert "divider" not in topics


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.ConnectError("refused"), "the API could not be reached"),
        (httpx.Response(503), "the API could not be reached"),
        (
            httpx.Response(401, json={"errors": [{"extensions": {"code": "INVALID_CREDENTIALS"}}]}),
            "the API rejected the token",
        ),
    ],
)
async def test_unreachable_api_or_rejected_token_falls_back_to_the_snapshot(
    api: respx.MockRouter, response: Any, expected: str
) -> None:
    route = api.get("/collections")
    if isinstance(response, Exception):
        route.mock(side_effect=response)
    else:
        route.mock(return_value=response)
    async with connect(offline_settings()) as client:
        text = await read(client, "onderwijsloket://schema")
        programs = await read(client, "onderwijsloket://schema/programs")
        permissions = await read(client, "onderwijsloket://permissions")
    assert "Source: the bundled snapshot" in text and expected in text
    assert TOKEN not in text
    assert "bundled snapshot" in programs and "m2m → `qualifications`" in programs
    assert f"Not checked: {expected}" in permissions


async def test_taxonomy_api_failure_is_a_resource_error(api: respx.MockRouter) -> None:
    api.get("/items/topics").respond(403, json={"errors": [{"extensions": {"code": "FORBIDDEN"}}]})
    async with connect(offline_settings()) as client:
        error = await read_error(client, "onderwijsloket://taxonomy/topics")
    assert error.error.code == -32603
    assert "not permitted to read collection 'topics'" in error.error.message


# -- against the test stack -----------------------------------------------------------------------------


def _seeded(stack: StackInfo) -> bool:
    response = httpx.get(
        f"{stack.url}/items/sectors",
        params={"limit": "1", "fields": "id"},
        headers={"Authorization": f"Bearer {stack.admin_token}"},
    )
    return response.status_code == 200 and bool(response.json()["data"])


@pytest.fixture(scope="module")
def seeded(stack: StackInfo) -> StackInfo:
    if not _seeded(stack):
        pytest.skip("the stack has no seeded taxonomy (tests/stack/seed.py did not run)")
    return stack


@pytest.mark.stack
def test_stack_snapshot_is_what_the_script_builds(stack: StackInfo) -> None:
    """The bundled snapshot cannot drift: regenerate with scripts/build_schema_snapshot.py when this fails."""
    generated = load_script().build(stack.url, stack.admin_token)
    assert generated == SNAPSHOT_PATH.read_text(encoding="utf-8"), (
        "src/onderwijsloket_mcp/data/schema_snapshot.json is stale: run "
        "`uv run python scripts/build_schema_snapshot.py` against the test stack and commit the result"
    )


@pytest.mark.stack
def test_stack_schema_endpoints_are_forbidden_for_api_tokens_but_openapi_is_not(stack: StackInfo) -> None:
    for token in (stack.reader_token, stack.content_token):
        headers = {"Authorization": f"Bearer {token}"}
        for path in ("/collections", "/fields", "/relations"):
            assert httpx.get(stack.url + path, headers=headers).status_code == 403, path
        assert httpx.get(stack.url + "/server/specs/oas", headers=headers).status_code == 200
    admin = {"Authorization": f"Bearer {stack.admin_token}"}
    assert httpx.get(stack.url + "/fields", headers=admin).status_code == 200


@pytest.mark.stack
async def test_stack_openapi_and_schema_endpoints_give_the_same_model(stack: StackInfo) -> None:
    """The OpenAPI reconstruction matches Directus's own relation metadata (types aside)."""
    admin = {"Authorization": f"Bearer {stack.admin_token}"}
    async with httpx.AsyncClient(base_url=stack.url, headers=admin) as http:
        bodies = [(await http.get(p)).json() for p in ("/collections", "/fields", "/relations")]
        document = (await http.get("/server/specs/oas")).json()
    direct = from_directus(*(data_list(b) for b in bodies))
    via_openapi = from_openapi(document)
    assert set(direct.collections) == set(via_openapi.collections)
    for name, info in direct.collections.items():
        other = via_openapi.collections[name]
        assert info.junction == other.junction, name
        assert [f.name for f in info.fields] == [f.name for f in other.fields] or {
            f.name for f in info.fields
        } == {f.name for f in other.fields}, name
        for field in info.fields:
            twin = other.field(field.name)
            assert twin is not None and twin.relation == field.relation, (name, field.name)


async def _model_for(stack: StackInfo, token: str) -> SchemaModel:
    from onderwijsloket_mcp.datamodel.load import load_schema

    client = DirectusClient(stack_settings(stack, token))
    try:
        return await load_schema(client)
    finally:
        await client.aclose()


@pytest.mark.stack
async def test_stack_each_token_gets_the_live_source_it_can_read(stack: StackInfo) -> None:
    admin = await _model_for(stack, "admin")
    reader = await _model_for(stack, "reader")
    content = await _model_for(stack, "content")
    assert admin.source == "schema-endpoints"
    assert reader.source == content.source == "openapi"
    assert set(reader.collections) == set(admin.collections)
    navigator = {
        "programs",
        "program_forms",
        "educational_institutions",
        "locations",
        "regional_education_desks",
        "areas",
    }
    assert navigator <= set(reader.collections)
    assert not navigator & set(content.collections)
    assert {"faqs", "articles", "topics", "routes"} <= set(content.collections)


@pytest.mark.stack
@pytest.mark.parametrize("mode", MODES)
async def test_stack_reader_token_reads_the_schema_via_openapi(stack: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(stack, "reader"), mode) as client:
        overview = await read(client, "onderwijsloket://schema")
        programs = await read(client, "onderwijsloket://schema/programs")
        locations = await read(client, "onderwijsloket://schema/locations")
        topics = await read(client, "onderwijsloket://schema/topics")
        permissions = await read(client, "onderwijsloket://permissions")
    assert "Field choices" not in topics  # no choice fields, so no note about their source
    assert "from the OpenAPI document for this token" in overview
    assert "✓ `programs` [Navigator]" in overview and "✓ `faqs`" in overview
    assert "✗ `schools` [Scholen op de kaart]" in overview and "✗ `videos`" in overview
    assert "## Junctions (31)" in overview
    assert (
        "m2m → `qualifications` via `programs_qualifications` (programs_id ↔ qualifications_id)" in programs
    )
    assert (
        "choices: mbo | bachelor" in programs and "Field choices come from the bundled snapshot" in programs
    )
    assert "`location_geopoint` object" in locations
    assert "choices: onderwijsloket | hovi | kiesmbo" in locations
    assert "m2m → `programs` via `programs_locations` (locations_id ↔ programs_id)" in locations
    assert "- Navigator collections (programs" in permissions and "): readable." in permissions
    assert "- Read stats collections" in permissions and "not readable" in permissions


@pytest.mark.stack
@pytest.mark.parametrize("mode", MODES)
async def test_stack_admin_token_reads_the_schema_endpoints(stack: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(stack, "admin"), mode) as client:
        overview = await read(client, "onderwijsloket://schema")
        locations = await read(client, "onderwijsloket://schema/locations")
        programs = await read(client, "onderwijsloket://schema/programs")
    assert "from Directus's schema endpoints (/collections, /fields, /relations)" in overview
    assert "`location_geopoint` geometry.Point" in locations
    assert "choices: mbo | bachelor" in programs
    assert "from the bundled snapshot" not in programs


@pytest.mark.stack
@pytest.mark.parametrize("mode", MODES)
async def test_stack_content_token_sees_what_it_lacks(stack: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(stack, "content"), mode) as client:
        overview = await read(client, "onderwijsloket://schema")
        programs = await read(client, "onderwijsloket://schema/programs")
        faqs = await read(client, "onderwijsloket://schema/faqs")
        permissions = await read(client, "onderwijsloket://permissions")
    assert "✗ `programs` [Navigator]" in overview and "✓ `faqs`" in overview
    assert "Not readable with this token" in programs and "needs the Navigator policy" in programs
    assert "Fields below are from the bundled snapshot" in programs
    assert "m2m → `topics` via `faqs_topics` (faqs_id ↔ topics_id)" in faqs
    assert "- Navigator collections (programs, program_forms" in permissions
    assert "areas): not readable." in permissions


@pytest.mark.stack
@pytest.mark.parametrize("mode", MODES)
async def test_stack_every_resource_reads_with_the_reader_token(seeded: StackInfo, mode: Mode) -> None:
    async with connect(stack_settings(seeded, "reader"), mode) as client:
        for uri in STATIC:
            assert await read(client, uri)
        snapshot = bundled_snapshot()
        for name in snapshot.names():
            text = await read(client, f"onderwijsloket://schema/{name}")
            assert "Source: live" in text, name
        for name in TAXONOMIES:
            assert "Live from" in await read(client, f"onderwijsloket://taxonomy/{name}")


TAXONOMY_SEED = {
    "sectors": (sd.SECTORS, "title"),
    "topics": (sd.TOPICS, "name"),
    "audiences": (sd.AUDIENCES, "title"),
    "phases": (sd.PHASES, "title"),
    "roles": (sd.ROLES, "name"),
    "qualifications": (sd.QUALIFICATIONS, "name"),
    "tracks": (sd.TRACKS, "name"),
}


@pytest.mark.stack
@pytest.mark.parametrize("name", list(TAXONOMIES))
async def test_stack_taxonomy_lists_every_term_with_its_id(seeded: StackInfo, name: str) -> None:
    items, label = TAXONOMY_SEED[name]
    async with connect(stack_settings(seeded, "reader")) as client:
        text = await read(client, f"onderwijsloket://taxonomy/{name}")
    assert f"({len(items)} terms readable with this token)" in text
    for item in items:
        assert f"- {item[label]} — id `{item['id']}`" in text, item[label]
    if name == "sectors":
        assert "https://onderwijsloket.com/werken-in-het-primair-onderwijs" in text
        assert "`sector` (search_faq" in text


@pytest.mark.stack
async def test_stack_taxonomy_singular_name_is_accepted(seeded: StackInfo) -> None:
    async with connect(stack_settings(seeded, "content")) as client:
        text = await read(client, "onderwijsloket://taxonomy/topic")
    assert "# Taxonomy `topics`" in text
