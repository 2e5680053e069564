"""The wikigate command: account administration against a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from wikigate.cli import main


@pytest.fixture
def run(cli):  # type: ignore[no-untyped-def]
    return cli


def test_bootstrap_creates_admin_once_and_prints_the_password(run) -> None:  # type: ignore[no-untyped-def]
    first = run("bootstrap")
    assert first.exit_code == 0 and "Admin password (shown once):" in first.output
    second = run("bootstrap")
    assert second.exit_code == 0 and "password" not in second.output
    assert "sysop" in run("user", "groups", "Admin").output


def test_admin_password_from_the_environment(run, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WIKIGATE_ADMIN_PASSWORD", "Chosen-Password-1")
    result = run("bootstrap")
    assert "Chosen-Password-1" not in result.output and "created Admin" in result.output


def test_user_create_with_groups_and_stdin_password(run) -> None:  # type: ignore[no-untyped-def]
    result = run("user", "create", "alice_smith", "--groups", "sysop", "--email", "a@example.org",
                 "--password-stdin", stdin="Secret-Password-1\n")
    assert result.exit_code == 0 and "created user Alice smith" in result.output
    assert "Secret" not in result.output
    listing = run("user", "list").output
    assert "Alice smith" in listing and "a@example.org" in listing


def test_duplicate_user_fails_with_one_line(run) -> None:  # type: ignore[no-untyped-def]
    run("user", "create", "Bob")
    result = CliRunner().invoke(main, ["user", "create", "Bob"])
    assert result.exit_code == 1
    assert result.output.strip() == "wikigate: cannot create 'Bob': userexists"


def test_invalid_name_and_unknown_user(run) -> None:  # type: ignore[no-untyped-def]
    bad = CliRunner().invoke(main, ["user", "create", "a|b"])
    assert bad.exit_code == 1 and "noname" in bad.output
    missing = CliRunner().invoke(main, ["user", "set-password", "Nobody"])
    assert missing.exit_code == 1 and "no such user: Nobody" in missing.output


def test_groups_add_and_remove(run) -> None:  # type: ignore[no-untyped-def]
    run("user", "create", "Carol")
    assert "bureaucrat, sysop" in run("user", "groups", "Carol", "--add", "sysop,bureaucrat").output
    assert run("user", "groups", "Carol", "--remove", "sysop").output.strip() == "Carol: bureaucrat"
    implicit = CliRunner().invoke(main, ["user", "groups", "Carol", "--add", "user"])
    assert implicit.exit_code == 1


def test_set_password_prints_a_generated_one(run) -> None:  # type: ignore[no-untyped-def]
    run("user", "create", "Dave")
    result = run("user", "set-password", "Dave")
    assert result.exit_code == 0 and "password: " in result.output


def test_db_upgrade(run) -> None:  # type: ignore[no-untyped-def]
    assert run("db", "upgrade").output.strip() == "database is up to date"


def test_bad_configuration_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "wikigate.toml"
    config.write_text("no_such_key = 1\n")
    result = CliRunner().invoke(main, ["--config", str(config), "db", "upgrade"])
    assert result.exit_code == 1 and "unknown setting" in result.output
