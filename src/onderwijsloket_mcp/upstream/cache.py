"""A small bounded TTL cache for data that rarely changes (taxonomies, schema, route questions, keys).

Keys always include a fingerprint of the token that fetched the value, so answers never cross tokens.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

import anyio

V = TypeVar("V")


def token_fingerprint(token: str | None) -> str:
    """A short, non-reversible tag for a token, safe to keep in memory as part of a cache key."""
    if not token:
        return "anonymous"
    return hashlib.sha256(token.encode()).hexdigest()[:16]


class TTLCache(Generic[V]):
    """An LRU cache whose entries also expire after ``ttl`` seconds. ``ttl <= 0`` disables caching."""

    def __init__(self, ttl: float, maxsize: int = 256, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self._clock = clock
        self._data: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._locks: dict[Hashable, anyio.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> V | None:
        entry = self._data.get(key)
        if entry is None:
            return None
        expires, value = entry
        if expires < self._clock():
            del self._data[key]
            return None
        self._data.move_to_end(key)
        return value

    def set(self, key: Hashable, value: V, ttl: float | None = None) -> None:
        """Store ``value``; ``ttl`` overrides the cache's lifetime for this entry (ttl <= 0: not stored)."""
        lifetime = self.ttl if ttl is None else ttl
        if lifetime <= 0:
            return
        self._data[key] = (self._clock() + lifetime, value)
        self._data.move_to_end(key)
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)

    def invalidate(self, key: Hashable | None = None) -> None:
        if key is None:
            self._data.clear()
        else:
            self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)

    async def get_or_fetch(self, key: Hashable, fetch: Callable[[], Awaitable[V]]) -> V:
        """Return the cached value or fetch it once, even when several callers ask at the same time."""
        value = self.get(key)
        if value is not None:
            self.hits += 1
            return value
        lock = self._locks.setdefault(key, anyio.Lock())
        try:
            async with lock:
                value = self.get(key)
                if value is not None:
                    self.hits += 1
                    return value
                self.misses += 1
                value = await fetch()
                self.set(key, value)
                return value
        finally:
            # Locks exist only while a fetch is in flight, so the cache stays bounded by ``maxsize``.
            if self._locks.get(key) is lock and not lock.locked() and not lock.statistics().tasks_waiting:
                del self._locks[key]
