"""Command line: ``onderwijsloket-mcp`` starts the server (stdio by default)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .config import ENV_VARS, Settings
from .errors import ConfigurationError


def build_parser() -> argparse.ArgumentParser:
    env_lines = "\n".join(
        f"  {var.name:<34} {var.description}" + (f" (default: {var.default})" if var.default else "")
        for var in ENV_VARS
    )
    parser = argparse.ArgumentParser(
        prog="onderwijsloket-mcp",
        description="MCP server with live, read-only access to the Onderwijsloket API "
        "(careers in Dutch education). Speaks MCP over stdio by default.",
        epilog=f"Configuration comes from the environment only:\n{env_lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--transport",
        choices=("stdio", "http"),
        default="stdio",
        help="stdio (default; for Claude Desktop, Claude Code, Cursor) or http (streamable HTTP at /mcp).",
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="HTTP bind address (default 127.0.0.1, loopback)."
    )
    parser.add_argument("--port", type=int, default=8000, help="HTTP port (default 8000).")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except ConfigurationError as exc:
        print(f"onderwijsloket-mcp: {exc}", file=sys.stderr)
        return 2

    from .logs import configure_logging
    from .server import create_server

    configure_logging(settings.log_level, settings.secrets())
    server = create_server(settings)
    if args.transport == "stdio":
        server.run("stdio")
        return 0
    from .http import run_http

    return run_http(server, settings, host=args.host, port=args.port)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
