"""Error types whose messages are safe to show to a user or model.

Every failure a person can act on is raised as an :class:`OnderwijsloketError`; the tool layer turns it into
an MCP error result with the same text. Messages must never contain the API token.
"""

from __future__ import annotations


class OnderwijsloketError(Exception):
    """A failure with a message that says what happened and what to do next."""

    def __init__(self, message: str) -> None:
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
