"""Error types whose messages are safe to show to a user or model.

Every failure a person can act on is raised as an :class:`OnderwijsloketError`; a tool that raises one
answers ``isError`` with the same text. Messages never contain a secret: every message is redacted here, once,
when the error is made, whatever text from upstream it quotes. The tree (tests check it against the classes)::

    ToolError (mcp)                  the SDK shows its text to the model
    └── OnderwijsloketError          says what happened and what to do next
        ├── ConfigurationError       the environment is missing or invalid (no token, a bad variable)
        ├── InvalidInputError        an argument cannot be used
        │   └── GeocodingError       a place the geocoder cannot resolve (geo.geocoder)
        ├── NotFoundError            no such item, or this token may not read it
        ├── AuthenticationError      the API rejected the token (401)
        ├── PermissionDeniedError    the token may not read this, or it does not exist (403)
        ├── RateLimitedError         the API kept answering 429
        └── UpstreamError            the API failed, timed out or answered something unreadable
            ├── QueryRejectedError   Directus refused a query as invalid (400)
            └── RouteSchemaError     the route data lacks a field the route tool relies on
                                     (tools.pathways.route_model)

Never shown, caught where they arise: upstream.fetch's ResponseTooLargeError, UnreadableAnswerError and
NestingTooDeepError (turned into an UpstreamError or a GeocodingError), and upstream.algolia's
SearchUnavailableError (the search then answers from Directus).
"""

from __future__ import annotations

from collections.abc import Iterable

from mcp.server.mcpserver.exceptions import ToolError


class Redactor:
    """Removes secrets from any text before it is shown or logged."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self._secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "[redacted]")
        return text


# Every secret this process holds: the settings' token and keys, and keys read at run time (algolia_token).
_secrets: set[str] = set()
_redactor = Redactor(())


def register_secrets(*secrets: str | None) -> None:
    """Make :func:`redact` (every error message, every log line) remove these values from now on."""
    global _redactor
    new = {s for s in secrets if s and len(s) >= 4} - _secrets
    if new:
        _secrets.update(new)
        _redactor = Redactor(_secrets)


def redact(text: str) -> str:
    """``text`` without any registered secret."""
    return _redactor(text)


class OnderwijsloketError(ToolError):
    """A failure with a message that says what happened and what to do next.

    It is a ``ToolError`` so that the SDK shows its text to the model (any other exception is reduced to
    "Error executing tool X").
    """

    def __init__(self, message: str) -> None:
        message = redact(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigurationError(OnderwijsloketError):
    """The server's environment is missing or invalid."""


class InvalidInputError(OnderwijsloketError):
    """An argument from the caller cannot be used (unknown value, impossible range, ...)."""


class NotFoundError(OnderwijsloketError):
    """The requested item does not exist or may not be read with this token."""


class AuthenticationError(OnderwijsloketError):
    """The API rejected the token (401)."""


class PermissionDeniedError(OnderwijsloketError):
    """The token may not read this, or it does not exist (Directus answers 403 for both)."""

    def __init__(
        self,
        message: str,
        *,
        collection: str | None = None,
        policy: str | None = None,
        missing_field: tuple[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.collection = collection
        self.policy = policy
        # (collection, field) when Directus named a field it will not show: absent, or not permitted.
        self.missing_field = missing_field


class RateLimitedError(OnderwijsloketError):
    """The API kept answering 429."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class UpstreamError(OnderwijsloketError):
    """The API failed, timed out or answered something unreadable."""


class QueryRejectedError(UpstreamError):
    """Directus refused a query as invalid (HTTP 400), e.g. a filter operator the field's type lacks."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        # Directus's error code (INVALID_QUERY, INVALID_PAYLOAD, ...), for callers that can work around it.
        self.code = code


def nested_too_deeply() -> UpstreamError:
    """For an answer whose JSON nests deeper than Python can follow (a RecursionError while reading it)."""
    return UpstreamError(
        "The Onderwijsloket API answered with data nested too deeply to read. Try again later; if it keeps happening, "
        "please report it."
    )
