"""The benchmark scripts stay runnable: each parses its arguments and imports what it measures.

(The benchmarks themselves run against the stack with ``uv run python benchmarks/run_all.py``; tests
never assert timings.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
SCRIPTS = sorted(
    p.name for p in BENCHMARKS.glob("*.py") if not p.name.startswith("_") and p.name != "minimal_server.py"
)


def test_every_benchmark_is_run_by_run_all() -> None:
    run_all = (BENCHMARKS / "run_all.py").read_text()
    for script in SCRIPTS:
        if script != "run_all.py":
            assert f"import {script.removesuffix('.py')}" in run_all, script


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_scripts_start(script: str) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--url" in result.stdout
