"""Counting the upstream requests made on behalf of one tool call (for the per-call log line and benchmarks).

Every upstream client (Directus, Algolia, PDOK) counts each HTTP request it sends, retries included.
"""

from __future__ import annotations

import contextvars

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
