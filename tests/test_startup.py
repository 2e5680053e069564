"""Start-up fails with one clear line naming what is wrong; configuration is checked at start."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wikigate.config import load_settings
from wikigate.store.database import PostgresDatabase, SqliteDatabase, open_database


def _one_line(result: Any) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output  # never a traceback
    return str(lines[0])


def test_an_unknown_database_scheme_is_one_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKIGATE_DATABASE_URL", "mysql://wiki@db/wiki")
    line = _one_line(cli("db", "upgrade"))
    assert line.startswith("wikigate: database_url:") and "mysql" in line


def test_an_unreachable_database_is_one_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKIGATE_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert _one_line(cli("db", "upgrade")).startswith("wikigate: database_url: the database cannot be used")


def test_an_unreachable_redis_is_one_line(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKIGATE_REDIS_URL", "redis://127.0.0.1:1/0")
    assert _one_line(cli("db", "upgrade")).startswith("wikigate: redis_url: Redis does not answer")


def test_a_data_directory_that_cannot_be_written_is_one_line(cli: Any, monkeypatch: pytest.MonkeyPatch,
                                                              tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-directory"
    blocked.write_text("")
    monkeypatch.setenv("WIKIGATE_DATA_DIR", str(blocked / "data"))
    assert _one_line(cli("db", "upgrade")).startswith("wikigate: data_dir:")


def test_a_wrong_value_names_its_variable(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKIGATE_PORT", "eighty")
    line = _one_line(cli("db", "upgrade"))
    assert "WIKIGATE_PORT" in line and "eighty" in line


def test_a_word_outside_a_settings_choices_names_the_choices(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIKIGATE_LOG_FORMAT", "xml")
    line = _one_line(cli("db", "upgrade"))
    assert "WIKIGATE_LOG_FORMAT" in line and "'xml' is not one of text, json" in line


@pytest.mark.parametrize("variable", ["WIKIGATE_TRUSTED_PROXIES", "WIKIGATE_METRICS_ALLOW"])
def test_an_address_range_that_is_not_one_is_named(cli: Any, monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    monkeypatch.setenv(variable, "10.0.0.0/8, proxy.example")
    line = _one_line(cli("db", "upgrade"))
    assert variable in line and "'proxy.example' is not an IP address or CIDR range" in line


def test_a_named_configuration_file_must_exist(cli: Any, tmp_path: Path) -> None:
    line = _one_line(cli("--config", str(tmp_path / "missing.toml"), "db", "upgrade"))
    assert "missing.toml does not exist" in line


def test_a_wrong_type_in_the_file_names_the_key(tmp_path: Path) -> None:
    config = tmp_path / "wikigate.toml"
    config.write_text('port = "eighty"\n')
    with pytest.raises(ValueError, match=r"port \(in .*wikigate.toml or WIKIGATE_PORT\)"):
        load_settings(config, env={})


@pytest.mark.parametrize("url", ["postgres://wiki@db/wiki", "postgresql://wiki@db/wiki",
                                 "postgresql+asyncpg://wiki@db/wiki"])
def test_postgresql_urls_as_people_write_them(url: str) -> None:
    assert isinstance(open_database(url), PostgresDatabase)


def test_sqlite_urls_as_people_write_them(tmp_path: Path) -> None:
    assert isinstance(open_database(f"sqlite:///{tmp_path}/w.sqlite"), SqliteDatabase)
    with pytest.raises(ValueError):
        open_database("sqlite://")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite+aiosqlite:///:memory:",
                                 "sqlite:///file:wiki?mode=memory&cache=shared"])
def test_an_in_memory_database_is_refused_with_the_throwaway_alternative_named(url: str) -> None:
    with pytest.raises(ValueError, match="in-memory .* serve --ephemeral"):
        open_database(url)
