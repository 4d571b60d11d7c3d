"""The built package as users get it: sdist and wheel from `uv build`, installed outside the source tree.

Built once per session (the ``dist`` fixture in conftest.py). Installs pin every dependency to uv.lock, the
versions the rest of the suite ran with, so a new upstream release cannot make this test flaky, and need no
network beyond PyPI (uv's cache usually answers).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Sizes measured in this session, printed in the terminal summary (conftest.py).
SIZES: dict[str, int] = {}


@dataclass(frozen=True)
class Dist:
    wheel: Path
    sdist: Path


def script(name: str) -> ModuleType:
    """A module from scripts/ (they are run as files, not installed)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def uv() -> str:
    """The uv that runs this session (uv run sets $UV), else the one on PATH."""
    found = os.environ.get("UV") or shutil.which("uv")
    if not found:
        pytest.fail("uv is not on PATH: the packaging tests build and install with it (pip install uv)")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without the source checkout: no active venv, no PYTHONPATH, no repo dirs on PATH."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"} and not k.startswith("ONDERWIJSLOKET_")
    }
    env["PATH"] = os.pathsep.join(
        entry for entry in env.get("PATH", "").split(os.pathsep) if entry and not _inside_root(entry)
    )
    # Only PyPI is reachable from here: never let uv fetch a Python build.
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.update(extra)
    return env


def _inside_root(path: str) -> bool:
    return Path(path).resolve().is_relative_to(ROOT)


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None, timeout: float = 300) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env or clean_env(), capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, f"$ {' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def build(out: Path) -> Dist:
    """`uv build`: the sdist first, then the wheel built from that sdist (so both are exercised)."""
    run([uv(), "build", "--out-dir", str(out), str(ROOT)], cwd=out.parent)
    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    assert len(wheels) == 1 and len(sdists) == 1, sorted(p.name for p in out.iterdir())
    SIZES["wheel"] = wheels[0].stat().st_size
    SIZES["sdist"] = sdists[0].stat().st_size
    return Dist(wheel=wheels[0], sdist=sdists[0])


def install(wheel: Path, venv: Path) -> Path:
    """A fresh virtual environment with ``wheel`` installed (dependencies pinned to uv.lock); its bin dir."""
    constraints = venv.parent / "constraints.txt"
    constraints.write_text("\n".join(script("build_bundle").pinned_requirements()) + "\n", encoding="utf-8")
    run([uv(), "venv", "--quiet", "--python", sys.executable, str(venv)], cwd=venv.parent)
    python = venv / "bin" / "python"
    run(
        [
            uv(),
            "pip",
            "install",
            "--quiet",
            "--python",
            str(python),
            "--constraint",
            str(constraints),
            str(wheel),
        ],
        cwd=venv.parent,
    )
    return venv / "bin"
