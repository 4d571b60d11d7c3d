"""Process-wide shared objects: one HTTP client, one Directus client, and lazily the heavier services.

Created once in the server lifespan and handed to every tool through the request context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

from .config import Settings
from .datamodel.catalogue import POLICY_FOR_COLLECTION
from .upstream.directus import DirectusClient
from .upstream.fetch import create_http_client

if TYPE_CHECKING:
    from .geo.geocoder import Geocoder
    from .upstream.algolia import AlgoliaSearch


@dataclass
class Services:
    settings: Settings
    directus: DirectusClient
    # Lazily created heavy services (the Algolia client import alone costs over a second).
    _lazy: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings, http: httpx.AsyncClient | None = None) -> Services:
        # The HTTP client is made on the first request, not at start (see DirectusClient.http).
        directus = DirectusClient(
            settings,
            http=http,
            http_factory=lambda: create_http_client(settings),
            policies=POLICY_FOR_COLLECTION,
        )
        return cls(settings=settings, directus=directus)

    @property
    def http(self) -> httpx.AsyncClient:
        """The one HTTP client of the process (Directus, PDOK)."""
        return self.directus.http

    @property
    def geocoder(self) -> Geocoder:
        geocoder = self._lazy.get("geocoder")
        if geocoder is None:
            from .geo.geocoder import Geocoder

            geocoder = Geocoder(
                http=self.http,
                pdok_enabled=self.settings.geocoder_online,
                pdok_url=self.settings.pdok_url,
                timeout=min(self.settings.timeout, 5.0),
                cache_ttl=self.settings.cache_ttl,
                max_response_bytes=self.settings.max_response_bytes,
            )
            self._lazy["geocoder"] = geocoder
        return geocoder  # type: ignore[no-any-return,unused-ignore]

    @property
    def algolia(self) -> AlgoliaSearch:
        algolia = self._lazy.get("algolia")
        if algolia is None:
            from .upstream.algolia import AlgoliaSearch

            algolia = AlgoliaSearch(self.settings, self.directus)
            self._lazy["algolia"] = algolia
        return algolia  # type: ignore[no-any-return,unused-ignore]

    def lazy(self, name: str) -> Any:
        return self._lazy.get(name)

    def set_lazy(self, name: str, value: Any) -> None:
        self._lazy[name] = value

    async def aclose(self) -> None:
        for value in list(self._lazy.values()):
            closer = getattr(value, "aclose", None)
            if closer is not None:
                await closer()
        self._lazy.clear()
        await self.directus.close_http()
