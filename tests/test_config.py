"""Settings: TOML file, environment overrides, 1.39 defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from wikigate.config import Settings, load_settings


def test_defaults_are_mediawiki_1_39() -> None:
    settings = Settings()
    assert settings.port == 8080 and settings.host == "127.0.0.1"
    assert settings.autoconfirm_age == 0 and settings.autoconfirm_count == 0
    assert settings.restriction_levels == ("", "autoconfirmed", "sysop")
    assert settings.new_password_expiry == 7 * 86400
    assert settings.password_attempt_throttle[0] == {"count": 5, "seconds": 300}
    assert settings.api_url == "http://127.0.0.1:8080/w/api.php"


def test_toml_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "wikigate.toml"
    path.write_text('port = 9000\nsitename = "Test Wiki"\ncors_allowed_origins = ["https://a.example"]\n'
                    '[rate_limits.edit]\nuser = [1, 60]\n')
    settings = load_settings(path, env={"WIKIGATE_PORT": "9100", "WIKIGATE_REDIS_URL": "redis://x",
                                        "WIKIGATE_ENABLE_EMAIL": "false", "WIKIGATE_DATA_DIR": "/tmp/d"})
    assert settings.port == 9100 and settings.sitename == "Test Wiki"
    assert settings.redis_url == "redis://x" and settings.enable_email is False
    assert settings.data_dir == Path("/tmp/d")
    assert settings.cors_allowed_origins == ("https://a.example",)
    assert settings.rate_limits == {"edit": {"user": [1, 60]}}


def test_structured_settings_from_environment_are_json(tmp_path: Path) -> None:
    (tmp_path / "empty.toml").touch()
    settings = load_settings(tmp_path / "empty.toml",
                             env={"WIKIGATE_GROUP_PERMISSIONS": '{"*": ["read"]}',
                                  "WIKIGATE_CORS_ALLOWED_ORIGINS": "https://a, https://b"})
    assert settings.group_permissions == {"*": ["read"]}
    assert settings.cors_allowed_origins == ("https://a", "https://b")


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "wikigate.toml"
    path.write_text("colour = 'blue'\n")
    with pytest.raises(ValueError, match="colour"):
        load_settings(path, env={})
