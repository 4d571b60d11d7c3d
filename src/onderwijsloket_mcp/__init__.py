"""MCP server for the Onderwijsloket API."""

__version__ = "0.1.0"
