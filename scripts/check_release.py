"""Check that a release agrees on one version: the tag, pyproject.toml (the source), server.json and the artifacts.

    uv run python scripts/check_release.py --tag v0.1.0 dist/* bundle/*.mcpb

Artifacts: wheels (*.whl), sdists (*.tar.gz) and MCP Bundles (*.mcpb, whose manifest and bundled wheel are read).
Prints every disagreement and exits 1 when there is one; the release workflow runs it before publishing anything.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from build_server_json import SERVER_JSON, project, render  # noqa: E402


def _wheel_version(name: str) -> str:
    return name.split("-")[1]


def _artifact_problems(path: Path, version: str) -> list[str]:
    name = path.name
    if name.endswith(".whl"):
        found = _wheel_version(name)
        return [] if found == version else [f"{name}: wheel version {found}"]
    if name.endswith(".tar.gz"):
        found = name.removesuffix(".tar.gz").rsplit("-", 1)[-1]
        return [] if found == version else [f"{name}: sdist version {found}"]
    if name.endswith(".mcpb"):
        with zipfile.ZipFile(path) as bundle:
            manifest = json.loads(bundle.read("manifest.json"))
            wheels = [n for n in bundle.namelist() if re.fullmatch(r"wheels/[^/]+\.whl", n)]
        problems = (
            [] if manifest["version"] == version else [f"{name}: manifest version {manifest['version']}"]
        )
        problems += [f"{name}: bundles {w}" for w in wheels if _wheel_version(Path(w).name) != version]
        if not wheels:
            problems.append(f"{name}: carries no wheel")
        return problems
    return [f"{name}: not a release artifact (.whl, .tar.gz, .mcpb)"]


def problems(tag: str | None, artifacts: list[Path]) -> list[str]:
    """Every place that disagrees with pyproject.toml's version (empty when the release is consistent)."""
    version: str = project()["version"]
    found: list[str] = []
    if tag is not None and tag != f"v{version}":
        found.append(f"tag {tag} does not match pyproject.toml's version {version} (expected v{version})")
    server = json.loads(SERVER_JSON.read_text(encoding="utf-8"))
    versions = {server["version"], *(package["version"] for package in server["packages"])}
    if versions != {version}:
        found.append(f"server.json carries {sorted(versions)}, not {version}")
    if SERVER_JSON.read_text(encoding="utf-8") != render():
        found.append("server.json is stale: run `uv run python scripts/build_server_json.py` and commit it")
    for artifact in artifacts:
        found += _artifact_problems(artifact, version)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tag", help="the release tag, e.g. v0.1.0 (GITHUB_REF_NAME)")
    parser.add_argument("artifacts", nargs="*", type=Path, help="built wheels, sdists and bundles")
    args = parser.parse_args()
    found = problems(args.tag, args.artifacts)
    for problem in found:
        print(f"check_release: {problem}", file=sys.stderr)
    if not found:
        print(f"check_release: {project()['version']} everywhere ({len(args.artifacts)} artifacts)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
