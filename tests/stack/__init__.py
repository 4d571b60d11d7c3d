"""The real Directus test stack: start script, schema, access policies, seed data and the pytest fixture."""
