"""The Algolia search backend (reference §3): one async ``SearchClient`` per process, keys from the
environment or the user's own ``algolia_token``, and failures reported as :class:`SearchUnavailableError` so
callers fall back to Directus.

``algoliasearch`` (and the aiohttp it brings) costs over a second to import, so nothing here imports it
until the first search: server start-up and tools/list stay fast.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import anyio

from ..config import Settings
from ..errors import AuthenticationError, OnderwijsloketError, PermissionDeniedError, redact, register_secrets
from ..text import clean_text
from .cache import TTLCache
from .directus import DirectusClient
from .fetch import ResponseTooLargeError, describe_size, parse_json
from .query import Query
from .usage import count_upstream_request

logger = logging.getLogger(__name__)

# The reference suggests caching the key server-side for about a week and refetching on a 403.
KEY_TTL = 7 * 24 * 3600.0
# No key (no "Algolia token" policy, or a failed lookup): ask again after this long, not on every call.
NO_KEY_TTL = 600.0
# After a transport failure (refused, timeout, 5xx), skip Algolia for this long instead of paying the
# connect timeout on every call.
DOWN_COOLDOWN = 30.0
# An index that answered 403 even with a freshly read key (or 404): leave it alone for this long.
REJECTED_TTL = 600.0
# Keys kept at most, one per token (least recently used dropped first): a long-running HTTP server sees
# few tokens, but nothing a caller sends may grow memory without bound.
MAX_KEYS = 256
# Algolia answers fast (10-30 ms); a slow Algolia should not make a Directus fallback slow as well.
MAX_READ_TIMEOUT = 5.0
MAX_CONNECT_TIMEOUT = 2.0

# Algolia paginates at most this many hits per query (paginationLimitedTo default).
PAGINATION_LIMIT = 1000


class SearchUnavailableError(Exception):
    """Algolia cannot answer this request; the caller falls back to Directus.

    Not user-facing: the message is for logs only.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _ForbiddenError(Exception):
    """Algolia answered 403 (wrong or rotated key, or the key may not search this index)."""


def filter_value(value: str) -> str:
    """A facet value as a quoted Algolia filter string (the JSON string form: quotes and backslashes
    escaped), after removing control characters, so no value can end the string or add a clause."""
    text = clean_text(value)
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def facet_filters(pairs: Iterable[tuple[str, str]]) -> str:
    """``a:"x" AND b:"y"`` for (attribute, value) pairs; attributes come from our code, values are quoted."""
    return " AND ".join(f"{attribute}:{filter_value(value)}" for attribute, value in pairs)


def strip_highlight(text: object) -> str:
    """Plain text of a highlighted/snippeted value (Algolia's default ``<em>`` tags removed)."""
    if not isinstance(text, str):
        return ""
    return " ".join(text.replace("<em>", "").replace("</em>", "").split())


def snippet_of(hit: Mapping[str, Any], attribute: str) -> str:
    result = hit.get("_snippetResult")
    if isinstance(result, Mapping):
        entry = result.get(attribute)
        if isinstance(entry, Mapping):
            return strip_highlight(entry.get("value"))
    return ""


class AlgoliaSearch:
    """Algolia multi-index search for the tools, with key discovery, rotation and fall-back signalling."""

    def __init__(
        self,
        settings: Settings,
        directus: DirectusClient,
        *,
        clock: Callable[[], float] = time.monotonic,
        down_cooldown: float = DOWN_COOLDOWN,
    ) -> None:
        self.settings = settings
        self.directus = directus
        self._clock = clock
        self._down_cooldown = down_cooldown
        self._client: Any = None
        self._client_key: str | None = None
        self._client_lock = anyio.Lock()
        self._key_lock = anyio.Lock()
        # token fingerprint -> (key or None,); how long an entry lives depends on the answer (see _read_key)
        self._keys: TTLCache[tuple[str | None]] = TTLCache(KEY_TTL, maxsize=MAX_KEYS, clock=clock)
        self._down_until = 0.0
        self._rejected: dict[str, float] = {}  # index name -> until

    # -- public API -------------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """False when ONDERWIJSLOKET_SEARCH_BACKEND=directus."""
        return self.settings.search_backend != "directus"

    async def available(self, indexes: Sequence[str] = ()) -> bool:
        """Whether a search (on ``indexes``, if given) is worth trying now; may read the key once."""
        return await self._unavailable_reason(indexes) is None

    async def search(self, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Run ``requests`` (``{"indexName": ..., **params}``, camelCase) in one ``*/queries`` call.

        Returns one plain dict per request (``hits``, ``nbHits``, ``page``, ``nbPages``, ...), in order.
        Raises :class:`SearchUnavailableError` when Algolia cannot answer; callers then use Directus.
        """
        if not requests:
            return []
        indexes = [str(r.get("indexName")) for r in requests]
        reason = await self._unavailable_reason(indexes)
        if reason is not None:
            raise SearchUnavailableError(reason)
        key = await self._key()
        if key is None:  # pragma: no cover - _unavailable_reason checked it
            raise SearchUnavailableError("no Algolia key")
        try:
            return await self._run(key, requests)
        except _ForbiddenError:
            pass
        if self.settings.algolia_api_key is not None:
            self._reject(indexes)
            logger.warning(
                "Algolia rejected ONDERWIJSLOKET_ALGOLIA_API_KEY (HTTP 403) for %s; using Directus. "
                "Check the key (keys rotate when access is re-granted).",
                ", ".join(indexes),
            )
            raise SearchUnavailableError("key rejected (403)")
        # Keys rotate when search access is re-granted: read it again once, bypassing the cache.
        fresh = await self._key(refresh=True)
        if fresh is None or fresh == key:
            self._reject(indexes)
            logger.warning("Algolia answered 403 for %s and no new key is available; using Directus", indexes)
            raise SearchUnavailableError("key rejected (403), no new key")
        logger.info("Algolia answered 403; retrying once with the re-read algolia_token")
        try:
            return await self._run(fresh, requests)
        except _ForbiddenError:
            self._reject(indexes)
            logger.warning("Algolia answered 403 again after re-reading the key; using Directus")
            raise SearchUnavailableError("key rejected (403) after refresh") from None

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.close()

    # -- availability -----------------------------------------------------------------------------------

    async def _unavailable_reason(self, indexes: Sequence[str]) -> str | None:
        if not self.enabled:
            return "ONDERWIJSLOKET_SEARCH_BACKEND=directus"
        now = self._clock()
        if now < self._down_until:
            return "Algolia was unreachable moments ago"
        for index in indexes:
            if self._rejected.get(index, 0.0) > now:
                return f"Algolia rejected index {index} recently"
        if await self._key() is None:
            return "no Algolia key (no ONDERWIJSLOKET_ALGOLIA_API_KEY and no algolia_token)"
        return None

    def _reject(self, indexes: Iterable[str]) -> None:
        until = self._clock() + REJECTED_TTL
        for index in indexes:
            self._rejected[index] = until

    # -- keys -------------------------------------------------------------------------------------------

    async def _key(self, *, refresh: bool = False) -> str | None:
        configured = self.settings.algolia_api_key
        if configured is not None:
            return configured.get_secret_value() or None
        if not self.directus.has_token:
            return None
        tag = self.directus.token_tag
        async with self._key_lock:
            cached = None if refresh else self._keys.get(tag)
            if cached is not None:
                return cached[0]
            key, ttl = await self._read_key()
            self._keys.set(tag, (key,), ttl=ttl)
            return key

    async def _read_key(self) -> tuple[str | None, float]:
        """``GET /users/me?fields=algolia_token`` -> (key or None, how long to trust that answer)."""
        try:
            body = await self.directus.get_json(
                "/users/me", Query(fields=("algolia_token",)), collection="directus_users.algolia_token"
            )
        except PermissionDeniedError:
            logger.info("This token may not read algolia_token (no 'Algolia token' policy); using Directus")
            return None, NO_KEY_TTL
        except AuthenticationError:
            return None, NO_KEY_TTL  # the Directus path reports the bad token itself
        except OnderwijsloketError as exc:
            logger.info("Could not read algolia_token (%s); using Directus for now", type(exc).__name__)
            return None, self._down_cooldown
        data = body.get("data") if isinstance(body, dict) else None
        value = data.get("algolia_token") if isinstance(data, dict) else None
        if isinstance(value, str) and value.strip():
            register_secrets(value.strip())  # a secret like the token: never in a message or a log line
            return value.strip(), KEY_TTL
        logger.info("No algolia_token for this user (the 'Algolia token' policy is missing); using Directus")
        return None, NO_KEY_TTL

    # -- transport --------------------------------------------------------------------------------------

    async def _ensure_client(self, key: str) -> Any:
        async with self._client_lock:
            if self._client is None:
                self._client = _create_client(self.settings, key)
                self._client_key = key
            elif key != self._client_key:
                await self._client.set_client_api_key(key)
                self._client_key = key
            return self._client

    async def _run(self, key: str, requests: list[dict[str, Any]]) -> list[dict[str, Any]]:
        import aiohttp
        from algoliasearch.http.exceptions import AlgoliaUnreachableHostException, RequestException

        client = await self._ensure_client(key)
        body = {"requests": [dict(r) for r in requests]}
        started = time.perf_counter()
        try:
            # The client's timeouts bound each read; an answer dripping in must not hold the call.
            with anyio.fail_after(_deadline(self.settings)):
                response = await client.search_with_http_info(body)
        except RequestException as exc:
            status = getattr(exc, "status_code", None)
            if status == 403:
                raise _ForbiddenError from None
            if status == 404:
                self._reject(str(r.get("indexName")) for r in requests)
            elif status == 429:
                self._down_until = self._clock() + self._down_cooldown
            level = logging.WARNING if status == 400 else logging.INFO
            logger.log(level, "Algolia answered HTTP %s (%s); using Directus", status, _short(exc))
            raise SearchUnavailableError(f"HTTP {status}") from None
        except AlgoliaUnreachableHostException:
            self._mark_down("unreachable (timeouts or server errors)")
            raise SearchUnavailableError("unreachable") from None
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            # Connection refused escapes the client unwrapped (aiohttp.ClientConnectorError).
            self._mark_down(type(exc).__name__)
            raise SearchUnavailableError(type(exc).__name__) from None
        except ResponseTooLargeError as exc:
            logger.warning(
                "Algolia's answer is larger than %s (ONDERWIJSLOKET_MAX_RESPONSE_MB); using Directus",
                describe_size(exc.limit),
            )
            raise SearchUnavailableError("answer too large") from None
        except (ValueError, RecursionError):
            # The client parses error bodies itself (json.loads), unguarded.
            logger.warning("Algolia answered an error that is not readable JSON; using Directus")
            raise SearchUnavailableError("unreadable error answer") from None
        results = _parse_results(getattr(response, "raw_data", None), len(requests))
        logger.debug(
            "Algolia answered %d queries in %.0f ms", len(results), (time.perf_counter() - started) * 1000
        )
        return results

    def _mark_down(self, why: str) -> None:
        self._down_until = self._clock() + self._down_cooldown
        logger.info("Algolia is not reachable (%s); using Directus for %.0f s", why, self._down_cooldown)


def _short(exc: BaseException) -> str:
    """An Algolia error's text for the log: one line, short, and without any secret it may repeat."""
    return redact(" ".join(str(exc).split()))[:200]


def _deadline(settings: Settings) -> float:
    """Seconds one Algolia search may take in full (connect, every host tried, last byte)."""
    return min(settings.timeout, MAX_READ_TIMEOUT) + min(settings.timeout, MAX_CONNECT_TIMEOUT)


def _parse_results(raw: object, expected: int) -> list[dict[str, Any]]:
    try:
        body = parse_json(raw) if isinstance(raw, str | bytes) else None
    except ValueError:
        body = None
    results = body.get("results") if isinstance(body, dict) else None
    if not isinstance(results, list) or len(results) != expected:
        logger.warning("Algolia answered something that is not a multi-query result; using Directus")
        raise SearchUnavailableError("malformed response")
    parsed: list[dict[str, Any]] = []
    for result in results:
        if not isinstance(result, dict):
            raise SearchUnavailableError("malformed response")
        hits = result.get("hits")
        result["hits"] = [h for h in hits if isinstance(h, dict)] if isinstance(hits, list) else []
        parsed.append(result)
    return parsed


async def _on_request_start(*_: object) -> None:
    count_upstream_request()


def _create_client(settings: Settings, key: str) -> Any:
    """The one ``SearchClient`` of this process (heavy imports happen here, on first use)."""
    import aiohttp
    from algoliasearch.http.hosts import Host, HostsCollection
    from algoliasearch.http.transporter import Transporter
    from algoliasearch.search.client import SearchClient
    from algoliasearch.search.config import SearchConfig

    config = SearchConfig(settings.algolia_app_id, key)
    config.read_timeout = int(min(settings.timeout, MAX_READ_TIMEOUT) * 1000)
    config.connect_timeout = int(min(settings.timeout, MAX_CONNECT_TIMEOUT) * 1000)
    # A 429 would make the client sleep out Retry-After; answering from Directus at once is better.
    config.max_rate_limit_retries = 0
    trust_env = True
    if settings.algolia_host:
        parts = urlsplit(settings.algolia_host)
        host = parts.hostname or "127.0.0.1"
        config.hosts = HostsCollection([Host(url=host, port=parts.port, scheme=parts.scheme or "https")])
        if host in ("127.0.0.1", "localhost", "::1"):
            # A proxy from the environment must not capture a local double or sidecar.
            config.proxies = {}
            trust_env = False

    limit = settings.max_response_bytes

    class CappedResponse(aiohttp.ClientResponse):
        """Reads the body (decoded) up to the size cap; aiohttp's own read() takes whatever comes."""

        async def read(self) -> bytes:
            if self._body is None:
                chunks: list[bytes] = []
                size = 0
                async for chunk in self.content.iter_chunked(1 << 16):
                    size += len(chunk)
                    if size > limit:
                        self.close()
                        raise ResponseTooLargeError(limit)
                    chunks.append(chunk)
                self._body = b"".join(chunks)
            return await super().read()

    class CountingTransporter(Transporter):
        """Counts every Algolia HTTP request (retries included) for the per-call upstream tally."""

        async def request(self, *args: Any, **kwargs: Any) -> Any:
            if self._session is None:
                trace = aiohttp.TraceConfig()
                trace.on_request_start.append(_on_request_start)
                self._session = aiohttp.ClientSession(
                    connector=aiohttp.TCPConnector(use_dns_cache=False),
                    trust_env=trust_env,
                    trace_configs=[trace],
                    response_class=CappedResponse,
                )
            return await super().request(*args, **kwargs)

    return SearchClient.create_with_config(config=config, transporter=CountingTransporter(config))
