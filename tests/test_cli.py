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
