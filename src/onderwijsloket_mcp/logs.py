"""Logging to stderr (stdout belongs to the stdio protocol), with every secret redacted.

Below DEBUG no line carries what a caller sent (arguments can hold personal data): the SDK's per-call INFO
lines are left out, and tracebacks show where a failure happened and its type, not its message (which may
quote an argument). DEBUG adds all of that back.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Sequence

from .errors import redact, register_secrets

# The SDK logs failed resource reads at INFO with the URI (which holds the caller's arguments).
QUIET_BELOW_DEBUG = ("mcp.server.mcpserver.server",)


class RedactingFilter(logging.Filter):
    def __init__(self, secrets: Sequence[str], *, exception_messages: bool = True) -> None:
        super().__init__()
        register_secrets(*secrets)
        self.exception_messages = exception_messages

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            # Tracebacks may quote request headers or arguments; keep the type, drop the text.
            _, exc, tb = record.exc_info
            if self.exception_messages:
                text = logging.Formatter().formatException(record.exc_info)
            else:
                text = "Traceback (most recent call last):\n" + "".join(traceback.format_tb(tb))
                text += f"{type(exc).__name__} (message shown at DEBUG)"
            record.exc_text = redact(text)
            record.exc_info = None
        return True


def configure_logging(level: str, secrets: Sequence[str]) -> None:
    debug = level == "DEBUG"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter(secrets, exception_messages=debug))
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO; keep that at DEBUG only.
    logging.getLogger("httpx").setLevel(max(logging.getLevelName(level), logging.WARNING))
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    for name in QUIET_BELOW_DEBUG:
        logging.getLogger(name).setLevel(logging.NOTSET if debug else logging.WARNING)
