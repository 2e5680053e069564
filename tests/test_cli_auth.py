"""`wikigate botpassword …` and `wikigate user 2fa …` against a real (SQLite) database."""

from __future__ import annotations

import re

import pyotp
import pytest


@pytest.fixture
def run(cli):  # type: ignore[no-untyped-def]
    cli("user", "create", "Admin", "--password-stdin", stdin="AdminPassword-1234\n")
    return cli


def test_bot_password_create_list_delete(run) -> None:  # type: ignore[no-untyped-def]
    created = run("botpassword", "create", "Admin", "oracle", "--grants", "editpage,protect",
                  "--restrictions", "10.0.0.0/8")
    assert created.exit_code == 0, created.output
    password = re.search(r"shown once\): ([0-9a-w]{32})$", created.output.strip())
    assert password is not None
    listed = run("botpassword", "list", "Admin").output
    assert "oracle: grants editpage, protect; from 10.0.0.0/8" in listed and password.group(1) not in listed
    again = run("botpassword", "create", "Admin", "oracle")
    assert again.exit_code == 1 and "botpasswords-exists" in again.output
    assert run("botpassword", "delete", "Admin", "oracle").exit_code == 0
    assert run("botpassword", "delete", "Admin", "oracle").exit_code == 1
    assert "(no bot passwords)" in run("botpassword", "list", "Admin").output


def test_bot_password_refuses_unknown_grants_and_users(run) -> None:  # type: ignore[no-untyped-def]
    assert "botpasswords-bad-grants" in run("botpassword", "create", "Admin", "x", "--grants", "userrights").output
    assert run("botpassword", "create", "Nobody", "x").exit_code == 1
    assert "bad IP range" in run("botpassword", "create", "Admin", "x", "--restrictions", "nonsense").output


def test_two_factor_enable_recovery_codes_disable(run) -> None:  # type: ignore[no-untyped-def]
    enabled = run("user", "2fa", "enable", "Admin")
    assert enabled.exit_code == 0
    secret = re.search(r"^secret: ([A-Z2-7]+)$", enabled.output, re.M)
    assert secret is not None and len(pyotp.TOTP(secret.group(1)).now()) == 6
    assert re.search(r"^uri: otpauth://totp/.*secret=" + secret.group(1), enabled.output, re.M)
    old_codes = re.findall(r"^  ([A-Z2-7]{16})$", enabled.output, re.M)
    assert len(old_codes) == 10
    renewed = run("user", "2fa", "recovery-codes", "Admin")
    new_codes = re.findall(r"^  ([A-Z2-7]{16})$", renewed.output, re.M)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert run("user", "2fa", "disable", "Admin").exit_code == 0
    assert run("user", "2fa", "disable", "Admin").exit_code == 1
    assert run("user", "2fa", "recovery-codes", "Admin").exit_code == 1
