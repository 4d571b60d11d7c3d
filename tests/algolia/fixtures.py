"""Pytest fixtures: an Algolia double loaded with records built from the Directus test stack.

Enable with ``pytest_plugins = ["tests.algolia.fixtures"]`` in ``tests/conftest.py`` (needs its ``stack``
fixture). Then:

* ``algolia_records`` (session): ``{index name: [records]}`` built once from the stack;
* ``algolia_double`` (session): a started :class:`AlgoliaDouble` with every index loaded, app id
  ``WSV9PQ4NXW`` (the documented one) and the stack's ``algolia_key`` as the only valid key.
  Point the server at it with ``ONDERWIJSLOKET_ALGOLIA_HOST=algolia_double.url``;
* ``algolia`` (function): the same double, ``reset()`` first (initial key, no injected failures or
  latency, not down, empty request log, the loaded indexes). Use it in tests that change the double.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.algolia.double import AlgoliaDouble
from tests.algolia.indexer import build_records, load_records
from tests.stack.fixture import StackInfo

ALGOLIA_APP_ID = "WSV9PQ4NXW"


def start_algolia_double(
    stack: StackInfo, records: dict[str, list[dict[str, Any]]] | None = None
) -> AlgoliaDouble:
    """A started double with the stack's records (built now unless given); the caller stops it."""
    if records is None:
        records = build_records(stack.url, stack.admin_token)
    double = AlgoliaDouble(app_id=ALGOLIA_APP_ID, api_keys={stack.algolia_key}).start()
    load_records(double, records)
    double.mark_baseline()
    return double


@pytest.fixture(scope="session")
def algolia_records(stack: StackInfo) -> dict[str, list[dict[str, Any]]]:
    return build_records(stack.url, stack.admin_token)


@pytest.fixture(scope="session")
def algolia_double(
    stack: StackInfo, algolia_records: dict[str, list[dict[str, Any]]]
) -> Iterator[AlgoliaDouble]:
    double = start_algolia_double(stack, algolia_records)
    try:
        yield double
    finally:
        double.stop()


@pytest.fixture
def algolia(algolia_double: AlgoliaDouble) -> AlgoliaDouble:
    algolia_double.reset()
    return algolia_double
