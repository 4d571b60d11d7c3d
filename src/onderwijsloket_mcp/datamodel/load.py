"""Where the schema model comes from for this token: live first, the bundled snapshot as fallback.

Live: Directus's schema endpoints where the token may read them (users with app access), otherwise the
OpenAPI document, which Directus filters to what the token may read. Cached per token with the configured
TTL. The bundled snapshot is used when there is no token or the API cannot be reached, with the reason.
"""

from __future__ import annotations

import functools
import json
import logging
from importlib import resources

from ..config import ACCESS_REQUEST_URL
from ..errors import AuthenticationError, PermissionDeniedError, RateLimitedError, UpstreamError
from ..upstream.directus import DirectusClient
from .model import SchemaModel, data_list, from_directus, from_openapi, from_snapshot, with_snapshot_choices

logger = logging.getLogger(__name__)

SNAPSHOT_FILE = "schema_snapshot.json"


@functools.cache
def bundled_snapshot() -> SchemaModel:
    text = resources.files("onderwijsloket_mcp").joinpath("data", SNAPSHOT_FILE).read_text(encoding="utf-8")
    return from_snapshot(json.loads(text))


async def load_schema(client: DirectusClient) -> SchemaModel:
    """The schema this token can read; the bundled snapshot (with the reason) when live is impossible."""
    if not client.has_token:
        return bundled_snapshot().with_reason(
            f"no API token is configured (set ONDERWIJSLOKET_TOKEN; request one at {ACCESS_REQUEST_URL})"
        )
    try:
        model: SchemaModel = await client.cache.get_or_fetch(
            (client.token_tag, "schema-model"), lambda: _fetch_live(client)
        )
        return model
    except (UpstreamError, RateLimitedError) as exc:
        reason = f"the API could not be reached ({exc.message})"
    except AuthenticationError as exc:
        reason = f"the API rejected the token ({exc.message})"
    except PermissionDeniedError:
        reason = "this token may read neither the schema endpoints nor the OpenAPI document"
    logger.info("schema: showing the bundled snapshot because %s", reason)
    return bundled_snapshot().with_reason(reason)


async def _fetch_live(client: DirectusClient) -> SchemaModel:
    try:
        collections = await client.get_json("/collections")
        fields = await client.get_json("/fields")
        relations = await client.get_json("/relations")
    except PermissionDeniedError:
        # API tokens usually lack app access: Directus then refuses the schema endpoints, but still serves
        # the OpenAPI document, filtered to what the token may read.
        document = await client.get_json("/server/specs/oas")
        if not isinstance(document, dict):
            raise UpstreamError(
                "The Onderwijsloket API answered /server/specs/oas with something that is not JSON."
            ) from None
        return with_snapshot_choices(from_openapi(document), bundled_snapshot())
    return from_directus(data_list(collections), data_list(fields), data_list(relations))
