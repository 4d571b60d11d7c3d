from __future__ import annotations

import pytest

from onderwijsloket_mcp.config import ENV_VARS, Settings
from onderwijsloket_mcp.errors import ConfigurationError


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings.token is None
    assert not settings.has_token
    assert settings.api_url == "https://content.onderwijsloket.com"
    assert settings.search_backend == "auto"
    assert settings.algolia_app_id == "WSV9PQ4NXW"
    assert settings.geocoder_online is False


def test_values_are_read_and_trimmed() -> None:
    settings = Settings.from_env(
        {
            "ONDERWIJSLOKET_TOKEN": "  abc123  ",
            "ONDERWIJSLOKET_API_URL": "http://127.0.0.1:8055/",
            "ONDERWIJSLOKET_TIMEOUT": "3.5",
            "ONDERWIJSLOKET_MAX_RETRIES": "0",
            "ONDERWIJSLOKET_SEARCH_BACKEND": "Directus",
            "ONDERWIJSLOKET_GEOCODER_ONLINE": "true",
            "ONDERWIJSLOKET_LOG_LEVEL": "debug",
        }
    )
    assert settings.token is not None and settings.token.get_secret_value() == "abc123"
    assert settings.api_url == "http://127.0.0.1:8055"
    assert settings.timeout == 3.5
    assert settings.max_retries == 0
    assert settings.search_backend == "directus"
    assert settings.geocoder_online is True
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("ONDERWIJSLOKET_API_URL", "content.onderwijsloket.com", "http(s) URL"),
        ("ONDERWIJSLOKET_API_URL", "ftp://x", "http(s) URL"),
        ("ONDERWIJSLOKET_API_URL", "https://user:pw@host", "credentials"),
        ("ONDERWIJSLOKET_TIMEOUT", "soon", "number"),
        ("ONDERWIJSLOKET_TIMEOUT", "0", "between"),
        ("ONDERWIJSLOKET_TIMEOUT", "nan", "between"),
        ("ONDERWIJSLOKET_MAX_RETRIES", "2.5", "whole number"),
        ("ONDERWIJSLOKET_MAX_RETRIES", "99", "between"),
        ("ONDERWIJSLOKET_SEARCH_BACKEND", "google", "one of"),
        ("ONDERWIJSLOKET_GEOCODER_ONLINE", "maybe", "1 or 0"),
        ("ONDERWIJSLOKET_LOG_LEVEL", "loud", "one of"),
        ("ONDERWIJSLOKET_ALGOLIA_APP_ID", "bad id!", "alphanumeric"),
    ],
)
def test_invalid_values_fail_with_one_line(name: str, value: str, fragment: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({name: value})
    message = str(info.value)
    assert name in message
    assert fragment in message
    assert "\n" not in message


def test_secrets_are_hidden_in_repr() -> None:
    settings = Settings.from_env({"ONDERWIJSLOKET_TOKEN": "super-secret-token-value"})
    assert "super-secret-token-value" not in repr(settings)
    assert "super-secret-token-value" in settings.secrets()


def test_every_env_var_is_documented_once() -> None:
    names = [v.name for v in ENV_VARS]
    assert len(names) == len(set(names))
    assert all(n.startswith("ONDERWIJSLOKET_") for n in names)
