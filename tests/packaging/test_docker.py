"""Static lint of the Dockerfile and .dockerignore (no Docker engine runs here; hadolint is not available).

The checks encode what hadolint and a security review would flag for this image: multi-stage build, pinned
base images, a non-root user, no secrets baked in, exec-form entrypoint, a health check that matches the
exposed port, and a default command the real CLI accepts.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from onderwijsloket_mcp.cli import build_parser
from onderwijsloket_mcp.config import ENV_VARS
from onderwijsloket_mcp.http_server import HEALTH_PATH, is_loopback

ROOT = Path(__file__).resolve().parents[2]
SECRET_WORDS = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|BEARER|API_KEY|PRIVATE|CREDENTIAL", re.IGNORECASE)


@dataclass
class Instruction:
    keyword: str
    args: str
    line: int


@dataclass
class Stage:
    image: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


def parse(text: str) -> tuple[list[Instruction], list[Stage]]:
    """Logical instructions (continuations joined, comments dropped) and the stages they belong to."""
    instructions: list[Instruction] = []
    buffer, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        stripped = raw.strip()
        if not buffer and (not stripped or stripped.startswith("#")):
            continue
        if buffer and stripped.startswith("#"):
            continue  # comment lines inside a continuation are dropped by Docker too
        if not buffer:
            start = number
        if stripped.endswith("\\"):
            buffer += stripped[:-1] + " "
            continue
        buffer += stripped
        keyword, _, args = buffer.partition(" ")
        instructions.append(Instruction(keyword.upper(), args.strip(), start))
        buffer = ""
    assert not buffer, "Dockerfile ends inside a line continuation"
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.keyword == "FROM":
            parts = instruction.args.split()
            parts = [p for p in parts if not p.startswith("--platform")]
            name = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else None
            stages.append(Stage(parts[0], name))
        elif stages:
            stages[-1].instructions.append(instruction)
    return instructions, stages


def exec_form(instruction: Instruction) -> list[str]:
    args = instruction.args
    if instruction.keyword == "HEALTHCHECK":
        args = args[args.index("CMD") + 3 :].strip()
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(v, str) for v in value), instruction
    return value


@pytest.fixture(scope="module")
def dockerfile() -> tuple[list[Instruction], list[Stage], dict[str, str]]:
    instructions, stages = parse((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    args: dict[str, str] = {}
    for instruction in instructions:
        if (
            instruction.keyword == "ARG"
            and "=" in instruction.args
            and instructions.index(instruction)
            < 1 + next(i for i, x in enumerate(instructions) if x.keyword == "FROM")
        ):
            name, _, value = instruction.args.partition("=")
            args[name.strip()] = value.strip()
    return instructions, stages, args


def _resolve(image: str, args: dict[str, str]) -> str:
    return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), image)


def test_multi_stage_build_with_named_builder(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    _, stages, _ = dockerfile
    assert len(stages) >= 2
    names = [s.name for s in stages]
    assert "builder" in names
    runtime = stages[-1]
    assert runtime.name != "builder"
    copies = [c.args for c in runtime.all("COPY")]
    assert any("--from=builder" in c for c in copies), (
        "the runtime stage must take its files from the builder"
    )
    assert not runtime.all("RUN") or all("uv " not in r.args for r in runtime.all("RUN")), "no uv in runtime"


def test_builder_installs_with_uv_frozen_without_dev(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    _, stages, _ = dockerfile
    builder = next(s for s in stages if s.name == "builder")
    runs = [r.args for r in builder.all("RUN")]
    assert any(
        re.search(r"\buv sync\b.*--frozen.*--no-dev|\buv sync\b.*--no-dev.*--frozen", r) for r in runs
    ), runs


def test_every_base_image_is_pinned(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    _, stages, args = dockerfile
    stage_names = {s.name for s in stages if s.name}
    for stage in stages:
        image = _resolve(stage.image, args)
        if image in stage_names:
            continue
        assert "$" not in image, f"unresolved base image {stage.image}"
        if "@sha256:" in image:
            continue
        name, _, tag = image.rpartition(":")
        assert name and "/" not in tag, f"{image}: base images need an explicit tag"
        assert tag != "latest" and re.search(r"\d+\.\d+", tag), f"{image}: pin a version tag, not {tag!r}"


def test_runtime_runs_as_non_root(dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]]) -> None:
    _, stages, _ = dockerfile
    runtime = stages[-1]
    users = runtime.all("USER")
    assert users, "the runtime stage must switch to a non-root USER"
    user = users[-1].args.split(":")[0]
    assert user not in ("root", "0"), user
    last_user_line = users[-1].line
    assert all(r.line < last_user_line for r in runtime.all("RUN")), "RUN after USER would run as that user"


def test_no_secret_is_baked_into_the_image(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    instructions, _, _ = dockerfile
    secret_vars = {v.name for v in ENV_VARS if v.secret}
    for instruction in instructions:
        if instruction.keyword not in ("ENV", "ARG", "LABEL"):
            continue
        for token in shlex.split(instruction.args):
            key = token.split("=", 1)[0]
            assert key not in secret_vars, f"line {instruction.line}: {key} must be given at run time"
            assert not SECRET_WORDS.search(key), (
                f"line {instruction.line}: secret-like {key} in {instruction.keyword}"
            )
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for literal in ("test-reader-token", "test-admin-token", "test-content-token"):
        assert literal not in text


def test_entrypoint_and_cmd_serve_http_on_all_interfaces(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    _, stages, _ = dockerfile
    runtime = stages[-1]
    entrypoint = exec_form(runtime.all("ENTRYPOINT")[-1])
    cmd = exec_form(runtime.all("CMD")[-1])
    assert entrypoint == ["onderwijsloket-mcp"]
    args = build_parser().parse_args(cmd)
    assert args.transport == "http"
    assert not is_loopback(args.host), "inside a container the server must listen beyond loopback"
    exposed = {int(p.split("/")[0]) for e in runtime.all("EXPOSE") for p in e.args.split()}
    assert exposed == {args.port}


def test_healthcheck_probes_the_health_endpoint_on_the_served_port(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    _, stages, _ = dockerfile
    runtime = stages[-1]
    checks = runtime.all("HEALTHCHECK")
    assert len(checks) == 1
    probe = " ".join(exec_form(checks[0]))
    port = build_parser().parse_args(exec_form(runtime.all("CMD")[-1])).port
    assert f"127.0.0.1:{port}{HEALTH_PATH}" in probe
    assert re.search(r"--interval=\d+s", checks[0].args) and re.search(r"--timeout=\d+s", checks[0].args)


def test_dockerfile_documents_the_bearer_requirement() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "ONDERWIJSLOKET_MCP_BEARER" in text and "REQUIRED" in text


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last matching pattern wins; a pattern also covers everything below a directory."""

    def matches(pattern: str) -> bool:
        parts = path.split("/")
        if pattern.startswith("**/"):
            # Any depth: try the pattern against every suffix of the path.
            tails = ["/".join(parts[i:]) for i in range(len(parts))]
            return any(matches_at(pattern[3:], tail) for tail in tails)
        return matches_at(pattern, path)

    def matches_at(pattern: str, candidate: str) -> bool:
        parts = candidate.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        return any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes)

    ignored = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        if matches(pattern.lstrip("!").rstrip("/")):
            ignored = not negate
    return ignored


def test_dockerignore_keeps_the_build_context_small_and_secret_free(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for excluded in (
        ".git",
        ".venv",
        ".env",
        "tests/stack/node_modules/x",
        "tests/packaging/test_docker.py",
        ".pytest_cache",
    ):
        assert _ignored(excluded, patterns), f"{excluded} must not be sent to the Docker daemon"
    instructions, _, _ = dockerfile
    for copy in (i for i in instructions if i.keyword == "COPY" and "--from" not in i.args):
        for source in shlex.split(copy.args)[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: missing"
            assert not _ignored(source, patterns), f"COPY {source} is excluded by .dockerignore"


def test_the_builder_copies_every_file_the_build_backend_reads(
    dockerfile: tuple[list[Instruction], list[Stage], dict[str, str]],
) -> None:
    # No Docker engine runs here, so a file hatchling needs (the readme, the license) missing from the build
    # context would only surface when someone builds the image.
    _, stages, _ = dockerfile
    builder = next(s for s in stages if s.name == "builder")
    copied = {
        source
        for copy in builder.all("COPY")
        if "--from" not in copy.args
        for source in shlex.split(copy.args)[:-1]
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    needed = {"pyproject.toml", "uv.lock", "src", project["readme"], *project.get("license-files", [])}
    assert needed <= copied, f"the builder stage does not COPY {sorted(needed - copied)}"
