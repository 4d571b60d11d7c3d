from __future__ import annotations

import os
import subprocess
import sys

import pytest

from onderwijsloket_mcp.cli import build_parser, main
from onderwijsloket_mcp.config import ENV_VARS


def test_help_documents_every_option_and_variable() -> None:
    text = build_parser().format_help()
    for option in ("--transport", "--host", "--port", "--version"):
        assert option in text
    for var in ENV_VARS:
        assert var.name in text


def test_invalid_environment_fails_at_start_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    old = os.environ.get("ONDERWIJSLOKET_API_URL")
    os.environ["ONDERWIJSLOKET_API_URL"] = "not a url"
    try:
        assert main([]) == 2
    finally:
        if old is None:
            del os.environ["ONDERWIJSLOKET_API_URL"]
        else:
            os.environ["ONDERWIJSLOKET_API_URL"] = old
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "ONDERWIJSLOKET_API_URL" in err


def test_console_script_help_runs() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "onderwijsloket_mcp", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "ONDERWIJSLOKET_TOKEN" in out.stdout


@pytest.mark.parametrize(
    "name", ["ONDERWIJSLOKET_API_URL", "ONDERWIJSLOKET_PDOK_URL", "ONDERWIJSLOKET_ALGOLIA_HOST"]
)
@pytest.mark.parametrize(
    "value", ["http://[x]/", "http://[::1/", "https://[secret-looking-value]:8055", "http://host:99999"]
)
def test_a_malformed_url_stops_start_up_with_one_line_and_exit_2(name: str, value: str) -> None:
    # The real console script: a traceback (exit 1) that echoes the value is the failure this guards against.
    env = {k: v for k, v in os.environ.items() if not k.startswith("ONDERWIJSLOKET_")}
    result = subprocess.run(
        [sys.executable, "-m", "onderwijsloket_mcp"],
        env={**env, name: value},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    message = result.stderr.strip()
    assert result.returncode == 2, message
    assert message.count("\n") == 0, message
    assert name in message and "Traceback" not in message
    assert value not in message
    assert result.stdout == ""
