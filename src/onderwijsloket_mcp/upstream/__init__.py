"""The services this server reads from: the Directus API (client, query, answers) and Algolia, with the
request count and cache they share. Nothing here knows about MCP or tools."""
