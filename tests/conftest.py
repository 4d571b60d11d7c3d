from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stack.fixture import StackInfo, running_stack

# The Algolia double's fixtures (algolia_records, algolia_double, algolia), available to every test module.
pytest_plugins = ["tests.algolia.fixtures"]


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def stack(pytestconfig: pytest.Config) -> Iterator[StackInfo]:
    """The real Directus test stack (reused via OLMCP_STACK_URL, else started for this session)."""
    with running_stack(pytestconfig) as info:
        yield info
