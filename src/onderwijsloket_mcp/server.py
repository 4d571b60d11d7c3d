"""The MCP server: tools, resources and prompts over the Onderwijsloket API."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import urlsplit

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp_types import CallToolResult, InputRequiredResult, TextContent
from mcp_types import Tool as MCPTool
from pydantic import ValidationError

from . import __version__
from .completions import register_completions
from .config import Settings
from .errors import nested_too_deeply, redact
from .prompts import register_prompts
from .resources import register_resources
from .services import Services
from .tools import TOOLS, register_tools
from .tools.input_schema import normalise_arguments, optional_parameters, portable_input_schema
from .tools.output_schema import compact_output_schema
from .upstream.usage import start_request_count

logger = logging.getLogger("onderwijsloket_mcp.calls")

SERVER_NAME = "onderwijsloket"

INSTRUCTIONS_HEAD = """\
Live, read-only access to Onderwijsloket, the Dutch national information platform on careers in education
(teaching and other roles in primary, secondary, vocational, special and higher education).
Content is Dutch; search in Dutch for the best results (e.g. 'salaris leraar', 'zij-instroom', 'pabo').
"""


def instructions(site_url: str) -> str:
    """The server instructions: what the server is for, one line per tool (from the inventory), how to cite."""
    tools = "".join(f"- {tool.name}: {tool.summary}\n" for tool in TOOLS)
    site = urlsplit(site_url).netloc or site_url
    return (
        INSTRUCTIONS_HEAD
        + tools
        + f"Every answer carries links to {site}; cite them. IDs in results work as input for follow-up tools.\n"
    )


class OnderwijsloketServer(MCPServer[Services]):
    """MCPServer that bounds every tool call in time and logs one line per call: name, duration, upstream
    requests, outcome.

    Failures are turned into results here rather than by the SDK, which would log their text (and with it
    what the caller sent) at INFO. Arguments are never logged below DEBUG: they can hold personal data.
    """

    def __init__(self, *args: Any, call_deadline: float | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # (tool name, "input"/"output") -> (the schema as generated, its published form)
        self._published: dict[tuple[str, str], tuple[dict[str, Any], dict[str, Any]]] = {}
        # tool name -> its optional parameters (see tools.input_schema.normalise_arguments)
        self._optional: dict[str, dict[str, bool]] = {}
        self._call_deadline = call_deadline

    async def list_tools(self) -> list[MCPTool]:
        """The tools as published: input schemas every vendor keeps intact, output schemas inlined so
        clients re-validate structuredContent quickly."""
        return [
            tool.model_copy(
                update={
                    "input_schema": self._publish(
                        tool.name, "input", tool.input_schema, portable_input_schema
                    ),
                    "output_schema": self._publish(
                        tool.name, "output", tool.output_schema, compact_output_schema
                    )
                    if tool.output_schema
                    else None,
                }
            )
            for tool in await super().list_tools()
        ]

    def _publish(
        self,
        name: str,
        kind: str,
        schema: dict[str, Any],
        rewrite: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> dict[str, Any]:
        # Rewriting all schemas costs ~1 ms; comparing with the schema rewritten last time costs microseconds
        # (the listing hands out a copy, so identity says nothing).
        cached = self._published.get((name, kind))
        if cached is None or cached[0] != schema:
            cached = self._published[(name, kind)] = (schema, rewrite(schema))
        return cached[1]

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Services, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        counter = start_request_count()
        started = time.perf_counter()
        outcome, error = "error", ""
        try:
            if name not in self._optional:
                # Once (and again for a name no tool has: that call fails validation anyway).
                self._optional = {
                    tool.name: optional_parameters(tool.input_schema) for tool in await super().list_tools()
                }
            arguments = normalise_arguments(self._optional.get(name, {}), arguments)
            # Each upstream attempt has its own deadline; this bounds the sum of them (and anything else).
            with anyio.fail_after(self._call_deadline):
                result = await super().call_tool(name, arguments, context)
            outcome = "error" if isinstance(result, CallToolResult) and result.is_error else "ok"
            return result
        except TimeoutError:
            error = "deadline"
            return _error_result(
                name,
                f"This call timed out after {self._call_deadline or 0:g} s: the Onderwijsloket API (or a service "
                "it needs) answered too slowly. Try again in a minute.",
            )
        except ToolError as exc:
            cause = exc.__cause__
            error = type(cause or exc).__name__
            if isinstance(exc, UnexpectedToolError) and isinstance(cause, RecursionError):
                # Data nested beyond what Python can follow, in an answer our code went on to read.
                return _error_result(name, nested_too_deeply().message)
            if isinstance(exc, UnexpectedToolError):
                _log_crash(name, cause or exc)
            else:
                if isinstance(cause, ValidationError):
                    error = "invalid_arguments"
                # The text may quote the caller's arguments.
                logger.debug("tool=%s failed: %s", name, exc)
            return CallToolResult(content=[TextContent(type="text", text=str(exc))], is_error=True)
        finally:
            logger.info(
                "tool=%s duration_ms=%.0f upstream_requests=%d outcome=%s%s",
                name,
                (time.perf_counter() - started) * 1000,
                counter[0],
                outcome,
                f" error={error}" if error else "",
            )


def _error_result(tool: str, message: str) -> CallToolResult:
    """An ``isError`` result worded like the SDK's for a failing tool."""
    text = f"Error executing tool {tool}: {redact(message)}"
    return CallToolResult(content=[TextContent(type="text", text=text)], is_error=True)


def _log_crash(tool: str, error: BaseException) -> None:
    """A bug: where it happened at ERROR (the message may quote an argument, so it is kept for DEBUG)."""
    where = "".join(traceback.format_tb(error.__traceback__))
    logger.error("tool=%s raised %s (message at DEBUG)\n%s", tool, type(error).__name__, where.rstrip())
    logger.debug("tool=%s raised", tool, exc_info=error)


def create_server(settings: Settings | None = None) -> OnderwijsloketServer:
    """Build the server. ``settings`` defaults to the process environment."""
    if settings is None:
        import os

        settings = Settings.from_env(os.environ)
    resolved = settings

    @asynccontextmanager
    async def lifespan(_: MCPServer[Services]) -> AsyncIterator[Services]:
        services = Services.create(resolved)
        try:
            yield services
        finally:
            await services.aclose()

    server = OnderwijsloketServer(
        name=SERVER_NAME,
        title="Onderwijsloket",
        description="Read-only access to the Onderwijsloket API: careers in Dutch education.",
        instructions=instructions(resolved.site_url),
        website_url=resolved.site_url,
        version=__version__,
        lifespan=lifespan,
        log_level=resolved.log_level,
        call_deadline=resolved.call_deadline,
    )
    register_tools(server)
    register_resources(server)
    register_prompts(server)
    register_completions(server)
    return server
