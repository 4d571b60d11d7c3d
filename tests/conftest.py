from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.clients.runner import ensure_clients
from tests.stack.fixture import StackInfo, running_stack
from tests.support.distribution import SIZES, Dist, build, script

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


@pytest.fixture(scope="session")
def bundle(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Claude Desktop bundle (.mcpb) of that wheel, built by scripts/build_bundle.py with the pinned CLI."""
    path: Path = script("build_bundle").build(
        ensure_clients().mcpb, tmp_path_factory.mktemp("bundle"), dist.wheel
    )
    SIZES["bundle"] = path.stat().st_size
    return path


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SIZES:
        sizes = ", ".join(f"{name} {size / 1024:.0f} KiB ({size:,} bytes)" for name, size in SIZES.items())
        terminalreporter.write_line(f"built distributions: {sizes}")
