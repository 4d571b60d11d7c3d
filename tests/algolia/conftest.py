"""Until tests/conftest.py lists ``tests.algolia.fixtures`` in ``pytest_plugins``, expose them here."""

from tests.algolia.fixtures import algolia, algolia_double, algolia_records

__all__ = ["algolia", "algolia_double", "algolia_records"]
