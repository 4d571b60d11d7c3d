"""The MCP conformance suite (@modelcontextprotocol/conformance 0.1.13) against the HTTP transport.

Generic server scenarios must pass. Scenarios that need the SDK's fixture tools, resources and prompts
(test_image_content, test://static-text, ...) or capabilities a read-only data server does not declare are
listed in tests/conformance/expected-failures.txt with one line of reason each. Any other failure fails the
test, and so does a listed scenario that starts passing (the baseline only shrinks on purpose).
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.clients.runner import Clients, Run, ensure_clients, run
from tests.support.serving import HttpServer, http_server, server_env

BASELINE = Path(__file__).resolve().parent.parent / "conformance" / "expected-failures.txt"
# Scenarios that apply to any product server; they may never be baselined.
GENERIC = (
    "server-initialize",
    "ping",
    "tools-list",
    "resources-list",
    "prompts-list",
    "completion-complete",
    "dns-rebinding-protection",
)
FAILED = {"FAILURE", "ERROR"}
RESULT_DIR = re.compile(r"^server-(?P<scenario>.+)-\d{4}-\d{2}-\d{2}T[\d-]+Z$")


@dataclass
class Scenario:
    name: str
    statuses: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(status in FAILED for status in self.statuses)

    @property
    def passed_checks(self) -> int:
        return self.statuses.count("SUCCESS")


@dataclass
class Conformance:
    run: Run
    listed: list[str]
    scenarios: dict[str, Scenario]


def load_baseline() -> dict[str, str]:
    baseline: dict[str, str] = {}
    for number, line in enumerate(BASELINE.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        name, sep, reason = line.partition(":")
        assert sep and reason.strip(), f"{BASELINE.name}:{number}: write '<scenario>: <reason>'"
        assert name.strip() not in baseline, f"{BASELINE.name}:{number}: {name} listed twice"
        baseline[name.strip()] = reason.strip()
    return baseline


def _results(directory: Path) -> dict[str, Scenario]:
    scenarios: dict[str, Scenario] = {}
    for checks_file in sorted(directory.glob("*/checks.json")):
        match = RESULT_DIR.match(checks_file.parent.name)
        assert match, checks_file
        scenario = scenarios.setdefault(match["scenario"], Scenario(match["scenario"]))
        checks: list[dict[str, Any]] = json.loads(checks_file.read_text(encoding="utf-8"))
        for check in checks:
            scenario.statuses.append(check["status"])
            if check["status"] in FAILED:
                scenario.failures.append(
                    f"{check.get('name')}: {check.get('errorMessage') or check.get('description')}"
                )
    return scenarios


@pytest.fixture(scope="module")
def clients() -> Clients:
    return ensure_clients()


@pytest.fixture(scope="module")
def served(stack: Any) -> Iterator[HttpServer]:
    with http_server(server_env(stack, ONDERWIJSLOKET_LOG_LEVEL="WARNING")) as server:
        yield server


@pytest.fixture(scope="module")
def conformance(clients: Clients, served: HttpServer) -> Conformance:
    listing = run([str(clients.conformance), "list", "--server"], timeout=60)
    assert listing.returncode == 0, listing.describe()
    listed = re.findall(r"^\s+- (\S+)$", listing.stdout, flags=re.MULTILINE)
    assert len(listed) > 20, listing.describe()
    with tempfile.TemporaryDirectory(prefix="olmcp-conformance-") as output:
        outcome = run(
            [str(clients.conformance), "server", "--url", served.url, "--suite", "all", "-o", output],
            timeout=600,
        )
        # Exit 1 only means "some scenario failed"; the per-check files say which.
        assert outcome.returncode in (0, 1), outcome.describe()
        scenarios = _results(Path(output))
    return Conformance(outcome, listed, scenarios)


def test_every_scenario_ran(conformance: Conformance) -> None:
    missing = sorted(set(conformance.listed) - set(conformance.scenarios))
    assert not missing, f"no results for {missing}\n{conformance.run.describe()}"


def test_generic_scenarios_pass(conformance: Conformance) -> None:
    for name in GENERIC:
        scenario = conformance.scenarios[name]
        assert not scenario.failed and scenario.passed_checks >= 1, (name, scenario.failures)


def test_no_failure_beyond_the_baseline(conformance: Conformance) -> None:
    baseline = load_baseline()
    new = {s.name: s.failures for s in conformance.scenarios.values() if s.failed and s.name not in baseline}
    assert not new, f"new conformance failures (fix them, or add '<scenario>: <reason>' to {BASELINE}): {new}"


def test_baseline_is_current(conformance: Conformance) -> None:
    baseline = load_baseline()
    assert not set(baseline) & set(GENERIC), "generic scenarios may not be baselined"
    unknown = sorted(set(baseline) - set(conformance.listed))
    assert not unknown, f"{BASELINE.name} lists scenarios the suite does not have: {unknown}"
    fixed = sorted(name for name in baseline if not conformance.scenarios[name].failed)
    assert not fixed, f"these scenarios pass now: delete their lines from {BASELINE}: {fixed}"
