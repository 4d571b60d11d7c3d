"""Configuration, read once from the environment at start-up.

Only environment variables configure the server (never the model). Invalid values stop the server at start
with a one-line message; a missing token does not, so a client can still list the tools.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from .errors import ConfigurationError

DEFAULT_API_URL = "https://content.onderwijsloket.com"
DEFAULT_SITE_URL = "https://onderwijsloket.com"
DEFAULT_ALGOLIA_APP_ID = "WSV9PQ4NXW"
DEFAULT_PDOK_URL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
# HTTP transport: open connections at most (--max-connections). Past it the connection idle longest is closed;
# while all of them are busy with requests, a new request is answered 503.
DEFAULT_MAX_CONNECTIONS = 100
ACCESS_REQUEST_URL = "https://onderwijsloket.com/access-request"
# Pages of the public site (under ONDERWIJSLOKET_SITE_URL) that answers link to where an item has no page of
# its own.
FAQ_OVERVIEW_PATH = "/kennisbank/veelgestelde-vragen"
ARTICLES_PATH = "/kennisbank/artikelen"
ROUTES_PATH = "/routes"
PROGRAMS_PATH = "/navigator/opleidingen"
DESKS_PATH = "/navigator/regioloketten"
# The national advice call (reference §8.1): with an advisor of Onderwijsloket itself, not of a regional desk.
ADVICE_CALL_URL = "https://savvycal.com/onderwijsloket/plan-een-adviesgesprek"
# Files (documents, images) are served by Cloudinary under this account and folder.
CLOUDINARY_URL = "https://res.cloudinary.com/onderwijsin"
CLOUDINARY_FOLDER = "onderwijsloket-directus/production"
EXTRA_ACCESS_CONTACT = 'remi@onderwijsin.nl (subject "Requesting Additional Access")'

SearchBackend = Literal["auto", "algolia", "directus"]
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class EnvVar(BaseModel):
    """One documented environment variable (the README table and server.json are checked against these)."""

    model_config = ConfigDict(frozen=True)

    name: str
    description: str
    default: str | None = None
    secret: bool = False


ENV_VARS: tuple[EnvVar, ...] = (
    EnvVar(
        name="ONDERWIJSLOKET_TOKEN",
        description="Static Directus API token (request one at https://onderwijsloket.com/access-request).",
        secret=True,
    ),
    EnvVar(
        name="ONDERWIJSLOKET_API_URL", description="Base URL of the Directus API.", default=DEFAULT_API_URL
    ),
    EnvVar(
        name="ONDERWIJSLOKET_TIMEOUT",
        description="Seconds one upstream request may take in full, connect to last byte (1-120); a whole "
        "tool call stops after (retries + 1) times this plus the longest Retry-After wait.",
        default="15",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_MAX_RETRIES",
        description="Retries for a failed read (429, 5xx, timeouts), 0-5.",
        default="2",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_MAX_RETRY_WAIT",
        description="Longest Retry-After (seconds) the server waits out before giving up with a message (0-60).",
        default="10",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_MAX_RESPONSE_MB",
        description="Largest upstream answer read, in MiB after decompression (1-1024); larger ones are "
        "refused with a message.",
        default="16",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_SEARCH_BACKEND",
        description="auto (Algolia when a key is available, else Directus), algolia, or directus.",
        default="auto",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_ALGOLIA_API_KEY",
        description="Algolia search key; when unset the server reads your algolia_token from /users/me.",
        secret=True,
    ),
    EnvVar(
        name="ONDERWIJSLOKET_ALGOLIA_APP_ID",
        description="Algolia application id.",
        default=DEFAULT_ALGOLIA_APP_ID,
    ),
    EnvVar(
        name="ONDERWIJSLOKET_ALGOLIA_HOST",
        description="Override the Algolia host (http(s)://host:port), for tests and proxies.",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_GEOCODER_ONLINE",
        description="1 to ask PDOK Locatieserver for places the offline gazetteer cannot resolve (addresses).",
        default="0",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_PDOK_URL",
        description="PDOK Locatieserver free-search URL.",
        default=DEFAULT_PDOK_URL,
    ),
    EnvVar(
        name="ONDERWIJSLOKET_SITE_URL",
        description="Public site that item paths are relative to (used for links).",
        default=DEFAULT_SITE_URL,
    ),
    EnvVar(
        name="ONDERWIJSLOKET_CACHE_TTL",
        description="Seconds to cache rarely-changing data (taxonomies, schema, route questions), 0 disables.",
        default="600",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_LOG_LEVEL",
        description="Log level on stderr: DEBUG, INFO, WARNING, ERROR.",
        default="INFO",
    ),
    EnvVar(
        name="ONDERWIJSLOKET_MCP_BEARER",
        description="Bearer token HTTP clients must send; required when --host is not loopback.",
        secret=True,
    ),
)


class Settings(BaseModel):
    """Validated server settings."""

    model_config = ConfigDict(frozen=True)

    token: SecretStr | None = None
    api_url: str = DEFAULT_API_URL
    timeout: float = 15.0
    max_retries: int = 2
    max_retry_wait: float = 10.0
    max_response_mb: float = 16.0
    search_backend: SearchBackend = "auto"
    algolia_api_key: SecretStr | None = None
    algolia_app_id: str = DEFAULT_ALGOLIA_APP_ID
    algolia_host: str | None = None
    geocoder_online: bool = False
    pdok_url: str = DEFAULT_PDOK_URL
    site_url: str = DEFAULT_SITE_URL
    cache_ttl: float = 600.0
    log_level: LogLevel = "INFO"
    mcp_bearer: SecretStr | None = None

    @property
    def has_token(self) -> bool:
        return self.token is not None and bool(self.token.get_secret_value())

    @property
    def max_response_bytes(self) -> int:
        """The size cap on one upstream answer (decoded), in bytes."""
        return int(self.max_response_mb * 1024 * 1024)

    @property
    def call_deadline(self) -> float:
        """Seconds a whole tool call may take: one upstream request with all its attempts and the longest
        Retry-After wait (55 s with the defaults, under the 60 s most clients wait)."""
        return self.timeout * (self.max_retries + 1) + self.max_retry_wait

    def secrets(self) -> list[str]:
        """Every secret value, for redaction of logs and messages."""
        values = [s.get_secret_value() for s in (self.token, self.algolia_api_key, self.mcp_bearer) if s]
        return [v for v in values if v]

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read and validate settings; raise ConfigurationError with a one-line message on bad values."""

        def get(name: str) -> str | None:
            value = environ.get(name)
            if value is None:
                return None
            value = value.strip()
            return value or None

        token = get("ONDERWIJSLOKET_TOKEN")
        algolia_key = get("ONDERWIJSLOKET_ALGOLIA_API_KEY")
        bearer = get("ONDERWIJSLOKET_MCP_BEARER")
        return cls(
            token=SecretStr(token) if token else None,
            api_url=_url("ONDERWIJSLOKET_API_URL", get("ONDERWIJSLOKET_API_URL") or DEFAULT_API_URL),
            timeout=_number("ONDERWIJSLOKET_TIMEOUT", get("ONDERWIJSLOKET_TIMEOUT"), 15.0, 1.0, 120.0),
            max_retries=int(
                _number("ONDERWIJSLOKET_MAX_RETRIES", get("ONDERWIJSLOKET_MAX_RETRIES"), 2, 0, 5, True)
            ),
            max_retry_wait=_number(
                "ONDERWIJSLOKET_MAX_RETRY_WAIT", get("ONDERWIJSLOKET_MAX_RETRY_WAIT"), 10.0, 0.0, 60.0
            ),
            max_response_mb=_number(
                "ONDERWIJSLOKET_MAX_RESPONSE_MB", get("ONDERWIJSLOKET_MAX_RESPONSE_MB"), 16.0, 1.0, 1024.0
            ),
            search_backend=_choice(
                "ONDERWIJSLOKET_SEARCH_BACKEND",
                get("ONDERWIJSLOKET_SEARCH_BACKEND"),
                ("auto", "algolia", "directus"),
                "auto",
            ),  # type: ignore[arg-type]
            algolia_api_key=SecretStr(algolia_key) if algolia_key else None,
            algolia_app_id=_app_id(get("ONDERWIJSLOKET_ALGOLIA_APP_ID") or DEFAULT_ALGOLIA_APP_ID),
            algolia_host=_optional_url("ONDERWIJSLOKET_ALGOLIA_HOST", get("ONDERWIJSLOKET_ALGOLIA_HOST")),
            geocoder_online=_flag("ONDERWIJSLOKET_GEOCODER_ONLINE", get("ONDERWIJSLOKET_GEOCODER_ONLINE")),
            pdok_url=_url("ONDERWIJSLOKET_PDOK_URL", get("ONDERWIJSLOKET_PDOK_URL") or DEFAULT_PDOK_URL),
            site_url=_url("ONDERWIJSLOKET_SITE_URL", get("ONDERWIJSLOKET_SITE_URL") or DEFAULT_SITE_URL),
            cache_ttl=_number(
                "ONDERWIJSLOKET_CACHE_TTL", get("ONDERWIJSLOKET_CACHE_TTL"), 600.0, 0.0, 86400.0
            ),
            log_level=_choice(
                "ONDERWIJSLOKET_LOG_LEVEL",
                (get("ONDERWIJSLOKET_LOG_LEVEL") or "INFO").upper(),
                ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"),
                "INFO",
            ),  # type: ignore[arg-type]
            mcp_bearer=SecretStr(bearer) if bearer else None,
        )


def _url(name: str, value: str) -> str:
    # The value is never echoed: a mistyped variable may hold a secret.
    problem = f"{name} must be an http(s) URL without query, e.g. {DEFAULT_API_URL}"
    try:
        parts = urlsplit(value)
        # Parsed lazily by urllib: a bad bracketed host or port raises only here.
        host, port = parts.hostname, parts.port
    except ValueError:
        raise ConfigurationError(f"{problem} (the host or port is malformed)") from None
    if parts.scheme not in ("http", "https") or not host or parts.query or parts.fragment:
        raise ConfigurationError(problem)
    if port == 0:
        raise ConfigurationError(f"{problem} (port 0 is not a port)")
    if "@" in parts.netloc:
        raise ConfigurationError(
            f"{name} must not contain credentials; put the token in ONDERWIJSLOKET_TOKEN"
        )
    return value.rstrip("/")


def _optional_url(name: str, value: str | None) -> str | None:
    return None if value is None else _url(name, value)


def _number(
    name: str, value: str | None, default: float, low: float, high: float, integer: bool = False
) -> float:
    if value is None:
        return default
    try:
        number = int(value) if integer else float(value)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ConfigurationError(
            f"{name} must be {kind} between {low:g} and {high:g}, got {value!r}"
        ) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ConfigurationError(f"{name} must be between {low:g} and {high:g}, got {value!r}")
    return float(number)


def _choice(name: str, value: str | None, allowed: tuple[str, ...], default: str) -> str:
    if value is None:
        return default
    if value.lower() in allowed:
        return value.lower()
    if value in allowed:
        return value
    raise ConfigurationError(f"{name} must be one of {', '.join(allowed)}, got {value!r}")


def _flag(name: str, value: str | None) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} must be 1 or 0 (true/false), got {value!r}")


def _app_id(value: str) -> str:
    if not value.isalnum() or len(value) > 32:
        raise ConfigurationError(f"ONDERWIJSLOKET_ALGOLIA_APP_ID must be alphanumeric, got {value!r}")
    return value
