"""Test-only Algolia search double and the indexer that feeds it from the Directus test stack."""
