"""Async client for the Onderwijsloket Directus REST API.

One instance (and one ``httpx.AsyncClient``) per process. It sends the queries of :mod:`.query`, retries
what a retry can cure, and turns every failure into a typed error whose message says what to do next and
never holds a secret.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import anyio
import httpx

from ..config import ACCESS_REQUEST_URL, EXTRA_ACCESS_CONTACT, Settings
from ..errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    OnderwijsloketError,
    PermissionDeniedError,
    QueryRejectedError,
    RateLimitedError,
    UpstreamError,
    nested_too_deeply,
    register_secrets,
)
from ..text import clean_text
from .cache import TTLCache, token_fingerprint
from .fetch import (
    Answer,
    NestingTooDeepError,
    ResponseTooLargeError,
    UnreadableAnswerError,
    create_http_client,
    describe_size,
    fetch,
)
from .query import Query
from .usage import count_upstream_request

logger = logging.getLogger(__name__)

_COLLECTION_RE = re.compile(r"^[a-z_][a-z0-9_]*$")
_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
# What a Directus error code looks like ("FORBIDDEN", "TOKEN_EXPIRED"); anything else in that slot is not one.
_CODE_RE = re.compile(r"^[A-Z0-9_]{1,64}$")
_ITEM_PATH = re.compile(r"^(/items/[a-z0-9_]+)/.+$")
# 'You don't have permission to access field "audiences" in collection "faqs" or it does not exist.'
_FIELD_IN_MESSAGE = re.compile(r'field "([A-Za-z0-9_]+)" in collection "([A-Za-z0-9_]+)"')

RETRY_STATUSES = frozenset({500, 502, 503, 504})


def missing_token_error() -> ConfigurationError:
    return ConfigurationError(
        "No API token configured: set the environment variable ONDERWIJSLOKET_TOKEN to your Onderwijsloket "
        f"static token and restart the server. No token yet? Request access at {ACCESS_REQUEST_URL}."
    )


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


def names(items: object, key: str, junction: str | None = None) -> list[str]:
    """Display names from a relation list as Directus returns it (M2M junction rows or plain objects).

    Items the token may not read come back as ``null``: they are skipped.
    """
    out: list[str] = []
    if not isinstance(items, list):
        return out
    for row in items:
        target: Any = row
        if junction is not None and isinstance(row, Mapping):
            target = row.get(junction)
        if isinstance(target, Mapping):
            value = clean_text(target.get(key))
            if value and value not in out:
                out.append(value)
    return out


def related(items: object, junction: str) -> list[Mapping[str, Any]]:
    """Readable target objects from an M2M relation list (junction rows), skipping nulls."""
    out: list[Mapping[str, Any]] = []
    if isinstance(items, list):
        for row in items:
            target = row.get(junction) if isinstance(row, Mapping) else None
            if isinstance(target, Mapping):
                out.append(target)
    return out


class DirectusClient:
    """Reads from Directus with retries, typed errors and secret-safe messages."""

    def __init__(
        self,
        settings: Settings,
        *,
        http: httpx.AsyncClient | None = None,
        http_factory: Callable[[], httpx.AsyncClient] | None = None,
        policies: Mapping[str, str] | None = None,
    ) -> None:
        self.settings = settings
        # collection -> the additional policy that usually grants it, named when Directus refuses it (the
        # catalogue's table, handed in by Services: the data model's documentation sits above this layer).
        self._policies: Mapping[str, str] = policies or {}
        self.base_url = settings.api_url
        self._token = settings.token.get_secret_value() if settings.token else None
        register_secrets(*settings.secrets())
        self._owns_http = http is None
        self._http = http
        self._http_factory = http_factory or (lambda: create_http_client(settings))
        self.cache: TTLCache[Any] = TTLCache(settings.cache_ttl, maxsize=512)
        self.token_tag = token_fingerprint(self._token)
        # Optional fields Directus refused, per (token, root collection): not asked for again.
        self._absent_fields: dict[tuple[str, str], set[tuple[str, str]]] = {}

    @property
    def has_token(self) -> bool:
        return bool(self._token)

    def _policy_for(self, collection: str | None) -> str | None:
        return self._policies.get(collection) if collection is not None else None

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
            policy = self._policy_for(collection)
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
        answer = await self._send(path, all_params, authenticated=authenticated)
        if answer.status_code >= 400:
            raise self._error(answer, path, collection)
        try:
            return answer.json()
        except NestingTooDeepError:
            raise nested_too_deeply() from None
        except ValueError:
            raise self._malformed(path) from None

    # -- transport --------------------------------------------------------------------------------------

    async def _send(
        self, path: str, params: list[tuple[str, str | int | float | bool | None]], *, authenticated: bool
    ) -> Answer:
        headers = {"Authorization": f"Bearer {self._token}"} if authenticated and self._token else {}
        attempts = self.settings.max_retries + 1
        timeout = self.settings.timeout
        last_problem = "no answer"
        shown_path = _ITEM_PATH.sub(r"\1/{id}", path)  # ids are arguments: they stay out of the INFO log
        for attempt in range(attempts):
            final = attempt == attempts - 1
            count_upstream_request()
            started = time.perf_counter()
            try:
                # The whole attempt, connect to last byte, within the timeout: a per-read timeout alone lets
                # an answer that drips one byte at a time run forever. The body is read inside the retry
                # loop so that a connection reset mid-body is retried.
                answer = await fetch(
                    self.http,
                    self.base_url + path,
                    params=params,
                    headers=headers,
                    deadline=timeout,
                    limit=self.settings.max_response_bytes,
                )
            except TimeoutError:
                last_problem = f"timed out after {timeout:g} s (the answer was not complete in time)"
            except httpx.TimeoutException as exc:
                last_problem = f"timed out after {timeout:g} s ({type(exc).__name__})"
            except httpx.TransportError as exc:
                last_problem = f"could not be reached ({type(exc).__name__})"
            except ResponseTooLargeError as exc:
                # The same request would be as large again: no retry.
                raise self._too_large(path, exc.limit) from None
            except UnreadableAnswerError:
                raise self._malformed(path) from None
            else:
                logger.debug(
                    "GET %s -> %s in %.0f ms",
                    path,
                    answer.status_code,
                    (time.perf_counter() - started) * 1000,
                )
                if answer.status_code == 429:
                    wait = _retry_after(answer)
                    if final or (wait is not None and wait > self.settings.max_retry_wait):
                        raise RateLimitedError(_rate_limit_message(wait), retry_after=wait)
                    await anyio.sleep(wait if wait is not None else _backoff(attempt))
                    continue
                if answer.status_code in RETRY_STATUSES and not final and not _failed_in_directus(answer):
                    last_problem = f"answered HTTP {answer.status_code}"
                    await anyio.sleep(_backoff(attempt))
                    continue
                return answer
            logger.info("GET %s %s (attempt %d of %d)", shown_path, last_problem, attempt + 1, attempts)
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

    def _too_large(self, path: str, limit: int) -> UpstreamError:
        return UpstreamError(
            f"The Onderwijsloket API's answer to {path} is larger than {describe_size(limit)} "
            "(ONDERWIJSLOKET_MAX_RESPONSE_MB), so it was not read. Ask for fewer or narrower results; if data "
            "this large is expected, raise ONDERWIJSLOKET_MAX_RESPONSE_MB."
        )

    def _error(self, answer: Answer, path: str, collection: str | None) -> OnderwijsloketError:
        envelope = _error_envelope(answer)
        code, message = envelope if envelope else (None, None)
        status = answer.status_code
        if status == 401:
            reason = "has expired" if code == "TOKEN_EXPIRED" else "is not valid"
            return AuthenticationError(
                f"The Onderwijsloket API says the token in ONDERWIJSLOKET_TOKEN {reason} ({code or 'HTTP 401'}). "
                f"Check the value (no quotes or spaces), or request a new token at {ACCESS_REQUEST_URL}."
            )
        if status == 403:
            policy = self._policy_for(collection)
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
            detail = message[:300] if message else "no details"
            return QueryRejectedError(
                f"The Onderwijsloket API rejected a query ({code or 'HTTP 400'}: {detail}). "
                "This usually means its data model differs from what this server expects; please report it.",
                code=code,
            )
        if status == 429:
            wait = _retry_after(answer)
            return RateLimitedError(_rate_limit_message(wait), retry_after=wait)
        if _failed_in_directus(answer):
            return UpstreamError(
                f"The Onderwijsloket API failed on this request (HTTP {status}, {code or 'no error code'}). "
                "Directus reports an error of its own this way, so asking the same again would fail the same "
                "way: try other words or filters, or try again later. If it keeps happening, please report it."
            )
        return UpstreamError(
            f"The Onderwijsloket API failed with HTTP {status} ({code or 'no error code'}), also after retries. "
            "Try again later."
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


def _error_envelope(answer: Answer) -> tuple[str | None, str | None] | None:
    """(code, message) of a Directus error answer ``{"errors": [{"message", "extensions": {"code"}}]}``, or
    None when the body is not one. Only a code-shaped value counts as a code: whatever else an upstream puts
    there (an echoed header, say) is never repeated."""
    try:
        body = answer.json()
        first = body["errors"][0]
        if not isinstance(first, dict):
            return None
        extensions = first.get("extensions")
        code = extensions.get("code") if isinstance(extensions, dict) else None
        message = first.get("message")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return (
        code if isinstance(code, str) and _CODE_RE.match(code) else None,
        message[:2000] if isinstance(message, str) and message else None,
    )


def _failed_in_directus(answer: Answer) -> bool:
    """A 500 in Directus's own error format: an exception while it ran this very request (a query it cannot
    handle), not an outage, which shows as 502-504, a timeout or a refused connection."""
    return answer.status_code == 500 and _error_envelope(answer) is not None


def _retry_after(answer: Answer) -> float | None:
    value = answer.headers.get("Retry-After")
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
