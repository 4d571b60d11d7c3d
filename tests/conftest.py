from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.distribution import SIZES, Dist, build
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


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The sdist and wheel from `uv build`, built once per session outside the source tree."""
    return build(tmp_path_factory.mktemp("dist") / "out")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SIZES:
        sizes = ", ".join(f"{name} {size / 1024:.0f} KiB ({size:,} bytes)" for name, size in SIZES.items())
        terminalreporter.write_line(f"built distributions: {sizes}")
