"""Async client for the Onderwijsloket Directus REST API.

One instance (and one ``httpx.AsyncClient``) per process. Queries are built from typed arguments: field
names and sort keys come from our code and are checked against a strict pattern; every value a user typed
reaches Directus only inside JSON (``filter``, ``deep``) or as the plain ``search`` parameter.
"""

from __future__ import annotations

import contextvars
import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import anyio
import httpx

from .cache import TTLCache, token_fingerprint
from .config import ACCESS_REQUEST_URL, EXTRA_ACCESS_CONTACT, Settings
from .errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    OnderwijsloketError,
    PermissionDeniedError,
    QueryRejectedError,
    RateLimitedError,
    UpstreamError,
)

logger = logging.getLogger(__name__)

USER_AGENT = "onderwijsloket-mcp"

# Field paths and sort keys: identifiers, dots, M2A "item:collection" selectors and "*" wildcards only.
_FIELD_RE = re.compile(r"^[A-Za-z_*][A-Za-z0-9_*]*(?:[.:][A-Za-z_*][A-Za-z0-9_*]*)*$")
_SORT_RE = re.compile(r"^-?[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
_COLLECTION_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# 'You don't have permission to access field "audiences" in collection "faqs" or it does not exist.'
_FIELD_IN_MESSAGE = re.compile(r'field "([A-Za-z0-9_]+)" in collection "([A-Za-z0-9_]+)"')

# Which additional policy (reference §2.8) usually grants a collection. Others come with "Content read".
NAVIGATOR_COLLECTIONS = frozenset(
    {
        "programs",
        "program_forms",
        "educational_institutions",
        "locations",
        "regional_education_desks",
        "areas",
        "educational_institutions_programs",
        "programs_qualifications",
        "programs_locations",
        "educational_institutions_locations",
    }
)
POLICY_FOR_COLLECTION: dict[str, str] = dict.fromkeys(NAVIGATOR_COLLECTIONS, "Navigator")
POLICY_FOR_COLLECTION.update(
    {
        "schools": "Scholen op de kaart",
        "applicants": "Read stats",
        "applicant_activity": "Read stats",
        "scheduled_events": "Read stats",
        "scheduling_links": "Read stats",
        "directus_users.algolia_token": "Algolia token",
    }
)

RETRY_STATUSES = frozenset({500, 502, 503, 504})

# Counts upstream requests made on behalf of the current tool call (for logs and benchmarks).
_request_counter: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar(
    "onderwijsloket_request_counter", default=None
)


def start_request_count() -> list[int]:
    """Begin counting upstream requests in this context; returns the mutable counter."""
    counter = [0]
    _request_counter.set(counter)
    return counter


def count_upstream_request() -> None:
    counter = _request_counter.get()
    if counter is not None:
        counter[0] += 1


def policy_for(collection: str | None) -> str | None:
    if collection is None:
        return None
    return POLICY_FOR_COLLECTION.get(collection)


def missing_token_error() -> ConfigurationError:
    return ConfigurationError(
        "No API token configured: set the environment variable ONDERWIJSLOKET_TOKEN to your Onderwijsloket "
        f"static token and restart the server. No token yet? Request access at {ACCESS_REQUEST_URL}."
    )


def all_but_root(fields: Sequence[str]) -> frozenset[str]:
    """Every field path except the root wildcard: for ``optional=`` when only ``*`` is sure to exist."""
    return frozenset(f for f in fields if f != "*")


def check_field(name: str) -> str:
    if not _FIELD_RE.match(name):
        raise ValueError(f"invalid field path {name!r}")
    return name


def check_sort(name: str) -> str:
    if not _SORT_RE.match(name):
        raise ValueError(f"invalid sort key {name!r}")
    return name


@dataclass(frozen=True)
class Query:
    """A Directus item query. Only ``filter``/``deep`` (JSON) and ``search`` may carry user text."""

    fields: Sequence[str] = ("*",)
    filter: Mapping[str, Any] | None = None
    search: str | None = None
    sort: Sequence[str] = ()
    limit: int | None = None
    offset: int | None = None
    page: int | None = None
    meta: Sequence[str] = ()
    deep: Mapping[str, Any] | None = None
    aggregate: Mapping[str, str] | None = None
    group_by: Sequence[str] = ()

    def to_params(self) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if self.fields:
            params.append(("fields", ",".join(check_field(f) for f in self.fields)))
        if self.filter:
            params.append(("filter", _json(self.filter)))
        if self.search is not None and self.search.strip():
            params.append(("search", self.search))
        if self.sort:
            params.append(("sort", ",".join(check_sort(s) for s in self.sort)))
        if self.limit is not None:
            params.append(("limit", str(int(self.limit))))
        if self.offset is not None:
            params.append(("offset", str(max(0, int(self.offset)))))
        if self.page is not None:
            params.append(("page", str(max(1, int(self.page)))))
        if self.meta:
            params.append(
                ("meta", ",".join(m for m in self.meta if m in ("total_count", "filter_count", "*")))
            )
        if self.deep:
            params.append(("deep", _json(self.deep)))
        if self.aggregate:
            for function, target in self.aggregate.items():
                if function not in ("count", "countDistinct", "sum", "avg", "min", "max"):
                    raise ValueError(f"invalid aggregate {function!r}")
                params.append((f"aggregate[{function}]", check_field(target)))
        for group in self.group_by:
            params.append(("groupBy[]", check_field(group)))
        return params


def _json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass
class ItemsResponse:
    data: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int | None:
        """``filter_count`` (matches for this filter) or ``total_count``; Postgres returns strings."""
        for key in ("filter_count", "total_count"):
            value = self.meta.get(key)
            if value is not None:
                try:
                    return int(value)
                except (TypeError, ValueError):
                    continue
        return None


class Redactor:
    """Removes secrets from any text before it is shown or logged."""

    def __init__(self, secrets: Sequence[str]) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


class DirectusClient:
    """Reads from Directus with retries, typed errors and secret-safe messages."""

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        http_factory: Callable[[], httpx.AsyncClient] | None = None,
    ) -> None:
        self.settings = settings
        self.base_url = settings.api_url
        self._token = settings.token.get_secret_value() if settings.token else None
        self.redact = Redactor(settings.secrets())
        self._owns_http = http is None
        self._http = http
        self._http_factory = http_factory or (lambda: create_http_client(settings))
        self.request_count = 0
        self.cache: TTLCache[Any] = TTLCache(settings.cache_ttl, maxsize=512)
        self.token_tag = token_fingerprint(self._token)
        # Optional fields Directus refused, per (token, root collection): not asked for again.
        self._absent_fields: dict[tuple[str, str], set[tuple[str, str]]] = {}

    @property
    def has_token(self) -> bool:
        return bool(self._token)

    @property
    def http(self) -> httpx.AsyncClient:
        """The HTTP client, made on first use: building it (TLS set-up) would delay tools/list at start."""
        if self._http is None:
            self._http = self._http_factory()
        return self._http

    async def aclose(self) -> None:
        if self._owns_http:
            await self.close_http()

    async def close_http(self) -> None:
        """Close the HTTP client if one was made (whoever made it)."""
        client, self._http = self._http, None
        if client is not None:
            await client.aclose()

    # -- public reads -----------------------------------------------------------------------------------

    async def items(
        self, collection: str, query: Query | None = None, *, optional: Collection[str] = ()
    ) -> ItemsResponse:
        """``GET /items/{collection}``.

        ``optional`` names field paths of ``query.fields`` this deployment may lack (relations the public
        docs list only for search, fields we chose in the test stack): when Directus refuses one of them, the
        query is repeated without it, and that is remembered for this token.
        """
        body = await self._get_fields(
            f"/items/{_collection(collection)}", query or Query(), collection, optional
        )
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, list):
            raise self._malformed(f"/items/{collection}")
        items = [item for item in data if isinstance(item, dict)]
        meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
        return ItemsResponse(data=items, meta=meta or {})

    async def item(
        self, collection: str, item_id: str, query: Query | None = None, *, optional: Collection[str] = ()
    ) -> dict[str, Any]:
        """``GET /items/{collection}/{id}``; a 403 here usually means "no such item" (Directus hides which)."""
        if not _ID_RE.match(item_id):
            raise NotFoundError(
                f"{item_id!r} is not a valid id for {collection}: ids are UUIDs or numbers. "
                "Use an id exactly as a search result shows it."
            )
        try:
            body = await self._get_fields(
                f"/items/{_collection(collection)}/{item_id}", query or Query(), collection, optional
            )
        except PermissionDeniedError as exc:
            policy = policy_for(collection)
            hint = f" If you expected it to exist, the token may lack the {policy} policy." if policy else ""
            raise NotFoundError(
                f"No {collection} item with id {item_id} was found, or this token may not read it "
                f"(Directus does not say which).{hint} Search first and use an id from the results."
            ) from exc
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise self._malformed(f"/items/{collection}/{{id}}")
        return data

    async def _get_fields(self, path: str, query: Query, collection: str, optional: Collection[str]) -> Any:
        absent = self._absent_fields.setdefault((self.token_tag, collection), set())
        while True:
            fields = tuple(
                f for f in query.fields if f not in optional or not _touches(f, collection, absent)
            )
            try:
                return await self.get_json(path, replace(query, fields=fields), collection=collection)
            except PermissionDeniedError as exc:
                missing = exc.missing_field
                if missing is None or missing in absent:
                    raise
                if not any(_touches(f, collection, {missing}) for f in fields if f in optional):
                    raise
                absent.add(missing)
                logger.info("%s.%s is not readable here; asking again without it", *missing)

    async def items_cached(
        self, collection: str, query: Query, *, optional: Collection[str] = ()
    ) -> ItemsResponse:
        """Like :meth:`items`, cached per token for rarely-changing collections (taxonomies, routes)."""
        key = (self.token_tag, "items", collection, tuple(query.to_params()))
        result: ItemsResponse = await self.cache.get_or_fetch(
            key, lambda: self.items(collection, query, optional=optional)
        )
        return result

    async def get_json(
        self,
        path: str,
        query: Query | None = None,
        *,
        params: Sequence[tuple[str, str]] = (),
        collection: str | None = None,
        authenticated: bool = True,
    ) -> Any:
        """GET a JSON document with retries and error mapping."""
        if authenticated and not self._token:
            raise missing_token_error()
        all_params: list[tuple[str, str | int | float | bool | None]] = [
            *(query.to_params() if query else []),
            *params,
        ]
        response = await self._send(path, all_params, authenticated=authenticated)
        if response.status_code >= 400:
            raise self._error(response, path, collection)
        try:
            return response.json()
        except ValueError:
            raise self._malformed(path) from None

    # -- transport --------------------------------------------------------------------------------------

    async def _send(
        self, path: str, params: list[tuple[str, str | int | float | bool | None]], *, authenticated: bool
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token}"} if authenticated and self._token else {}
        attempts = self.settings.max_retries + 1
        last_problem = "no answer"
        for attempt in range(attempts):
            final = attempt == attempts - 1
            self.request_count += 1
            count_upstream_request()
            started = time.perf_counter()
            try:
                response = await self.http.get(self.base_url + path, params=params, headers=headers)
                # Read the whole body inside the retry loop so a connection reset mid-body is retried.
                await response.aread()
            except httpx.TimeoutException as exc:
                last_problem = f"timed out after {self.settings.timeout:g} s ({type(exc).__name__})"
            except httpx.TransportError as exc:
                last_problem = f"could not be reached ({type(exc).__name__})"
            else:
                logger.debug(
                    "GET %s -> %s in %.0f ms",
                    path,
                    response.status_code,
                    (time.perf_counter() - started) * 1000,
                )
                if response.status_code == 429:
                    wait = _retry_after(response)
                    if final or (wait is not None and wait > self.settings.max_retry_wait):
                        raise RateLimitedError(_rate_limit_message(wait), retry_after=wait)
                    await anyio.sleep(wait if wait is not None else _backoff(attempt))
                    continue
                if response.status_code in RETRY_STATUSES and not final:
                    last_problem = f"answered HTTP {response.status_code}"
                    await anyio.sleep(_backoff(attempt))
                    continue
                return response
            logger.info("GET %s %s (attempt %d of %d)", path, last_problem, attempt + 1, attempts)
            if not final:
                await anyio.sleep(_backoff(attempt))
        raise UpstreamError(
            f"The Onderwijsloket API {last_problem}, also after {attempts} attempts. "
            "It may be temporarily unavailable: try again in a minute."
        )

    # -- errors -----------------------------------------------------------------------------------------

    def _malformed(self, path: str) -> UpstreamError:
        return UpstreamError(
            f"The Onderwijsloket API answered {path} with something that is not the expected JSON. "
            "Try again later; if it persists, check ONDERWIJSLOKET_API_URL points at the Directus API."
        )

    def _error(self, response: httpx.Response, path: str, collection: str | None) -> OnderwijsloketError:
        code, message = _error_envelope(response)
        status = response.status_code
        if status == 401:
            reason = "has expired" if code == "TOKEN_EXPIRED" else "is not valid"
            return AuthenticationError(
                f"The Onderwijsloket API says the token in ONDERWIJSLOKET_TOKEN {reason} ({code or 'HTTP 401'}). "
                f"Check the value (no quotes or spaces), or request a new token at {ACCESS_REQUEST_URL}."
            )
        if status == 403:
            policy = policy_for(collection)
            what = f"collection '{collection}'" if collection else path
            if policy:
                hint = (
                    f" Reading {collection} usually needs the '{policy}' policy; ask for it via "
                    f"{EXTRA_ACCESS_CONTACT}."
                )
            else:
                hint = f" If this should be readable, ask Onderwijsloket to check your token's policies ({ACCESS_REQUEST_URL})."
            field_match = _FIELD_IN_MESSAGE.search(message or "")
            return PermissionDeniedError(
                f"This token is not permitted to read {what}, or it does not exist "
                f"(Directus answers FORBIDDEN for both).{hint}",
                collection=collection,
                policy=policy,
                missing_field=(field_match.group(2), field_match.group(1)) if field_match else None,
            )
        if status == 404:
            return UpstreamError(
                f"The API has no route {path} ({code or 'HTTP 404'}). Check ONDERWIJSLOKET_API_URL "
                "points at the Directus API root (https://content.onderwijsloket.com)."
            )
        if status == 400:
            detail = self.redact(message)[:300] if message else "no details"
            return QueryRejectedError(
                f"The Onderwijsloket API rejected a query ({code or 'HTTP 400'}: {detail}). "
                "This usually means its data model differs from what this server expects; please report it.",
                code=code,
            )
        if status == 429:
            wait = _retry_after(response)
            return RateLimitedError(_rate_limit_message(wait), retry_after=wait)
        return UpstreamError(
            f"The Onderwijsloket API failed with HTTP {status} ({code or 'no error code'}), also after retries. "
            "Try again later."
        )


def create_http_client(settings: Settings) -> httpx.AsyncClient:
    from . import __version__

    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.timeout, connect=min(settings.timeout, 10.0)),
        headers={"User-Agent": f"{USER_AGENT}/{__version__}", "Accept": "application/json"},
        limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        follow_redirects=False,
        trust_env=True,
    )


def _touches(path: str, root: str, absent: Collection[tuple[str, str]]) -> bool:
    """Whether a field path reads one of the ``absent`` (collection, field) pairs.

    A root field matches by name; a nested one when its collection appears in the path (``audiences`` or
    the junction's ``audiences_id``) before the field.
    """
    parts = re.split(r"[.:]", path)
    for collection, field_name in absent:
        if collection == root and parts[0] == field_name:
            return True
        for index, part in enumerate(parts[:-1]):
            if part in (collection, f"{collection}_id") and field_name in parts[index + 1 :]:
                return True
    return False


def _collection(name: str) -> str:
    if not _COLLECTION_RE.match(name):
        raise ValueError(f"invalid collection name {name!r}")
    return name


def _error_envelope(response: httpx.Response) -> tuple[str | None, str | None]:
    try:
        body = response.json()
        first = body["errors"][0]
        code = first.get("extensions", {}).get("code")
        message = first.get("message")
        return (str(code) if code else None, str(message) if message else None)
    except (ValueError, KeyError, IndexError, TypeError, AttributeError):
        return None, None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - time.time()
    if seconds != seconds or seconds < 0:  # NaN or in the past
        return 0.0
    return min(seconds, 3600.0)


def _backoff(attempt: int) -> float:
    base: float = min(4.0, 0.25 * (2**attempt))
    return base * (0.75 + random.random() / 2)  # noqa: S311 - jitter, not crypto


def _rate_limit_message(wait: float | None) -> str:
    when = f"in about {wait:.0f} s" if wait else "in a minute"
    return (
        "The Onderwijsloket API is rate limiting requests (HTTP 429, REQUESTS_EXCEEDED). "
        f"Wait and try again {when}."
    )
