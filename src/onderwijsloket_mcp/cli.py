"""Command line: ``onderwijsloket-mcp`` starts the server (stdio by default)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .config import DEFAULT_MAX_CONNECTIONS, ENV_VARS, Settings
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
        "--host",
        default="127.0.0.1",
        help="HTTP bind address (default 127.0.0.1, loopback). Any other address needs "
        "ONDERWIJSLOKET_MCP_BEARER.",
    )
    parser.add_argument("--port", type=_port, default=8000, help="HTTP port (default 8000).")
    parser.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="HTTP: a public host name clients reach the server by (e.g. behind a reverse proxy); "
        "repeatable. Requests with any other Host header are refused (DNS-rebinding protection).",
    )
    parser.add_argument(
        "--max-connections",
        type=_positive,
        default=DEFAULT_MAX_CONNECTIONS,
        metavar="N",
        help=f"HTTP: open connections at most (default {DEFAULT_MAX_CONNECTIONS}); past it the longest idle one is closed, and "
        "while all are busy a new request gets 503.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 1-65535, got {port}")
    return port


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= 100_000:
        raise argparse.ArgumentTypeError(f"must be 1-100000, got {number}")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env(os.environ)
    except ConfigurationError as exc:
        print(f"onderwijsloket-mcp: {exc}", file=sys.stderr)
        return 2
    if args.transport == "http":
        from .http_server import check_exposure

        try:
            check_exposure(args.host, settings)
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
    from .http_server import run_http

    return run_http(
        server,
        settings,
        host=args.host,
        port=args.port,
        allowed_hosts=args.allowed_host,
        max_connections=args.max_connections,
    )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
