"""The built package, not the source tree: what `uv build` produces, installed where a user would install it.

The rest of the suite imports the package from src/, so a file missing from the wheel (the gazetteer, the schema
snapshot) would go unnoticed there. Here the wheel's contents are compared with the source tree, and a copy
installed into a fresh virtual environment outside the checkout serves a real MCP client over stdio.
"""

from __future__ import annotations

import tarfile
import tomllib
import zipfile
from email.parser import HeaderParser
from pathlib import Path

import mcp
import pytest
from mcp.client.stdio import StdioServerParameters

from tests.stack.fixture import StackInfo
from tests.support.client import call, text_of
from tests.support.distribution import ROOT, Dist, clean_env, install, run
from tests.support.serving import server_env

PACKAGE = "onderwijsloket_mcp"
PACKAGE_DATA = ("data/gazetteer.tsv.gz", "data/schema_snapshot.json", "py.typed")
# Generous: the wheel is ~270 KB today; a budget catches a stray data file, not a grown module.
WHEEL_BUDGET = 1024 * 1024
TOOLS = {
    "search_faq",
    "search_articles",
    "get_article",
    "get_pathways",
    "find_programs_near",
    "get_program",
    "list_regional_desks",
}


def _project() -> dict[str, object]:
    table: dict[str, object] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return table


def _source_files() -> set[str]:
    """Every file of the package in the source tree, as a path below src/ (bytecode caches aside)."""
    base = ROOT / "src"
    return {
        path.relative_to(base).as_posix()
        for path in (base / PACKAGE).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def test_the_wheel_holds_exactly_the_package_with_its_data(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = set(wheel.namelist())
    dist_info = {n for n in names if n.split("/", 1)[0].endswith(".dist-info")}
    for data in PACKAGE_DATA:
        assert f"{PACKAGE}/{data}" in names, f"{data} is missing from the wheel"
    assert names - dist_info == _source_files()
    assert not [
        n for n in names if n.startswith(("tests/", "benchmarks/", "scripts/")) or "node_modules" in n
    ]
    assert dist.wheel.stat().st_size < WHEEL_BUDGET, f"the wheel grew to {dist.wheel.stat().st_size:,} bytes"


def test_the_wheel_metadata_comes_from_pyproject(dist: Dist) -> None:
    project = _project()
    with zipfile.ZipFile(dist.wheel) as wheel:
        info = f"{PACKAGE}-{project['version']}.dist-info"
        metadata = HeaderParser().parsestr(wheel.read(f"{info}/METADATA").decode())
        entry_points = wheel.read(f"{info}/entry_points.txt").decode()
        license_text = wheel.read(f"{info}/licenses/LICENSE").decode()
    assert metadata["Name"] == project["name"]
    assert metadata["Version"] == project["version"]
    assert metadata["License-Expression"] == project["license"]
    assert metadata["Requires-Python"] == project["requires-python"]
    assert "mcp-name: io.github.onderwijsin/onderwijsloket-mcp" in metadata.get_payload()
    assert "onderwijsloket-mcp = onderwijsloket_mcp.cli:main" in entry_points
    assert license_text == (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_the_sdist_holds_the_package_source_and_nothing_of_the_test_setup(dist: Dist) -> None:
    root = dist.sdist.name.removesuffix(".tar.gz")
    with tarfile.open(dist.sdist) as sdist:
        names = {m.name.removeprefix(f"{root}/") for m in sdist.getmembers() if m.isfile()}
    sources = {n.removeprefix("src/") for n in names if n.startswith("src/")}
    assert sources == _source_files()
    assert names - {f"src/{s}" for s in sources} <= {
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "PKG-INFO",
        ".gitignore",
    }


@pytest.fixture(scope="module")
def installed(dist: Dist, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a fresh virtual environment in a temporary directory; its bin dir."""
    return install(dist.wheel, tmp_path_factory.mktemp("wheel-install") / "venv")


def test_the_installed_package_is_the_wheel_not_the_checkout(installed: Path) -> None:
    out = run(
        [
            str(installed / "python"),
            "-c",
            "import onderwijsloket_mcp as m; print(m.__file__); print(m.__version__)",
        ],
        cwd=installed,
    )
    location, version = out.split()
    assert Path(location).is_relative_to(installed.parent), location
    assert not Path(location).resolve().is_relative_to(ROOT)
    assert version == _project()["version"]


def _stdio(installed: Path, env: dict[str, str]) -> StdioServerParameters:
    # The server runs from the temporary directory with PATH stripped of the checkout, as a user's would.
    path = clean_env()["PATH"]
    return StdioServerParameters(
        command=str(installed / "onderwijsloket-mcp"), env={**env, "PATH": path}, cwd=installed.parent
    )


@pytest.mark.anyio
async def test_the_installed_console_script_serves_the_stack_over_stdio(
    installed: Path, stack: StackInfo
) -> None:
    env = {
        k: v
        for k, v in server_env(stack, ONDERWIJSLOKET_LOG_LEVEL="WARNING").items()
        if k.startswith("ONDERWIJSLOKET_")
    }
    async with mcp.Client(_stdio(installed, env)) as client:
        assert {tool.name for tool in (await client.list_tools()).tools} == TOOLS
        faq = await call(client, "search_faq", query="lerarenopleiding naast baan")
        # Geocoded with the gazetteer from the wheel's package data.
        programmes = await call(client, "find_programs_near", near="Utrecht", radius_km=40)
        desks = await call(client, "list_regional_desks", near="Zwolle")
    for result in (faq, programmes, desks):
        assert not result.is_error, text_of(result)
        assert stack.reader_token not in text_of(result)
    assert "Kan ik een lerarenopleiding volgen naast mijn baan?" in text_of(faq)
    assert "Hogeschool Utrecht" in text_of(programmes)
    assert "Onderwijsregio Zwolle" in text_of(desks)


@pytest.mark.anyio
async def test_the_installed_package_falls_back_to_its_bundled_schema_snapshot(installed: Path) -> None:
    # Without a token the schema resource can only come from the snapshot shipped in the wheel.
    async with mcp.Client(_stdio(installed, {"ONDERWIJSLOKET_LOG_LEVEL": "WARNING"})) as client:
        result = await client.read_resource("onderwijsloket://schema/programs")
    text = "\n".join(getattr(content, "text", "") for content in result.contents)
    assert "Source: the bundled snapshot" in text
    assert "## Fields (" in text
