"""The MCP server: tools, resources and prompts over the Onderwijsloket API."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult, InputRequiredResult
from mcp_types import Tool as MCPTool

from . import __version__
from .completions import register_completions
from .config import Settings
from .directus import start_request_count
from .prompts import register_prompts
from .resources import register_resources
from .services import Services
from .tool_schemas import compact_output_schema
from .tools import register_tools

logger = logging.getLogger("onderwijsloket_mcp.calls")

SERVER_NAME = "onderwijsloket"

INSTRUCTIONS = """\
Live, read-only access to Onderwijsloket, the Dutch national information platform on careers in education
(teaching and other roles in primary, secondary, vocational, special and higher education).
Content is Dutch; search in Dutch for the best results (e.g. 'salaris leraar', 'zij-instroom', 'pabo').
- search_faq: short answers to common questions (salary, lateral entry, qualifications, training).
- search_articles: long-form knowledge-base articles by Dutch keywords and filters, or the latest updated.
- get_article: one article in full (body, sources, documents, related FAQs); long ones come in parts.
- get_pathways: the route tool; asks four questions one per call, then lists the routes into a role (by duration).
- find_programs_near: education programmes (opleidingen) within a radius of a Dutch place or postcode.
- get_program: one programme in full: study forms, institutions, all locations, qualifications.
- list_regional_desks: the regional desk (regioloket) for a place or region, with contacts and consultations.
Every answer carries links to onderwijsloket.com; cite them. IDs in results work as input for follow-up tools.
"""


class OnderwijsloketServer(MCPServer[Services]):
    """MCPServer that logs one line per tool call: name, duration, upstream requests, outcome.

    Arguments are never logged: they can hold personal data.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # tool name -> (the schema as generated, its compact form)
        self._compact_schemas: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}

    async def list_tools(self) -> list[MCPTool]:
        """The tools, with output schemas inlined so clients re-validate structuredContent quickly."""
        return [
            tool.model_copy(update={"output_schema": self._compact_schema(tool.name, tool.output_schema)})
            if tool.output_schema
            else tool
            for tool in await super().list_tools()
        ]

    def _compact_schema(self, name: str, schema: dict[str, Any]) -> dict[str, Any]:
        # Compacting all schemas costs ~1 ms; comparing with the schema compacted last time costs microseconds
        # (the listing hands out a copy, so identity says nothing).
        cached = self._compact_schemas.get(name)
        if cached is None or cached[0] != schema:
            cached = self._compact_schemas[name] = (schema, compact_output_schema(schema))
        return cached[1]

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[Services, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        counter = start_request_count()
        started = time.perf_counter()
        outcome = "error"
        try:
            result = await super().call_tool(name, arguments, context)
            outcome = "error" if isinstance(result, CallToolResult) and result.is_error else "ok"
            return result
        finally:
            logger.info(
                "tool=%s duration_ms=%.0f upstream_requests=%d outcome=%s",
                name,
                (time.perf_counter() - started) * 1000,
                counter[0],
                outcome,
            )


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
        instructions=INSTRUCTIONS,
        website_url="https://onderwijsloket.com",
        version=__version__,
        lifespan=lifespan,
        log_level=resolved.log_level,
    )
    register_tools(server)
    register_resources(server)
    register_prompts(server)
    register_completions(server)
    return server
