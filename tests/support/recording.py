"""Record every HTTP request the server sends upstream (Directus, PDOK), without changing what is sent.

The server builds its one ``httpx.AsyncClient`` through ``services.create_http_client``; wrapping that
function adds a request event hook to the real client, so requests still go to the real stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import httpx
import pytest

import onderwijsloket_mcp.services as services_module
from onderwijsloket_mcp.config import Settings


@dataclass
class Requests:
    sent: list[httpx.Request] = field(default_factory=list)

    def clear(self) -> None:
        self.sent.clear()

    @property
    def paths(self) -> list[str]:
        return [r.url.path for r in self.sent]

    def to(self, prefix: str) -> list[httpx.Request]:
        return [r for r in self.sent if r.url.path.startswith(prefix)]


@contextmanager
def recording_requests() -> Iterator[Requests]:
    """Within the block, every server created records its upstream requests into the yielded object."""
    log = Requests()
    original = services_module.create_http_client

    def create(settings: Settings) -> httpx.AsyncClient:
        client = original(settings)

        async def record(request: httpx.Request) -> None:
            log.sent.append(request)

        client.event_hooks["request"].append(record)
        return client

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(services_module, "create_http_client", create)
        yield log
