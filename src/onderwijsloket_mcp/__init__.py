"""MCP server for the Onderwijsloket API."""

from importlib.metadata import version

# pyproject.toml is the one source of the version; the installed metadata carries it here.
__version__ = version("onderwijsloket-mcp")
