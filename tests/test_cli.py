"""The wikigate command: account administration against a real database."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tests.helpers import HASHER, stored_account, table_rows
from wikigate.app import build_runtime, create_app
from wikigate.cli import main
from wikigate.config import load_settings
from wikigate.store.schema import bot_passwords


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


async def _api(client: httpx.AsyncClient, method: str = "GET", **params: Any) -> dict[str, Any]:
    params = {"format": "json", **params}
    if method == "GET":
        response = await client.get("/w/api.php", params=params)
    else:
        response = await client.post("/w/api.php", data=params)
    return dict(response.json())


async def _token(client: httpx.AsyncClient, kind: str) -> str:
    body = await _api(client, action="query", meta="tokens", type=kind)
    return str(body["query"]["tokens"][f"{kind}token"])


async def _bot_login(client: httpx.AsyncClient, name: str, password: str) -> dict[str, Any]:
    token = await _token(client, "login")
    return dict((await _api(client, "POST", action="login", lgname=name, lgpassword=password,
                            lgtoken=token))["login"])


async def _user_name(client: httpx.AsyncClient) -> str | None:
    info = (await _api(client, action="query", meta="userinfo"))["query"]["userinfo"]
    return None if "anon" in info else str(info["name"])


async def test_set_password_voids_bot_passwords_and_ends_sessions(run) -> None:  # type: ignore[no-untyped-def]
    async def command(*args: str, stdin: str | None = None) -> Any:
        """The CLI runs its own event loop, so here it runs on a thread of its own."""
        return await asyncio.to_thread(run, *args, stdin=stdin)

    await command("user", "create", "Erin", "--password-stdin", stdin="ErinPassword-1234\n")
    created = await command("botpassword", "create", "Erin", "tool", "--grants", "editpage")
    found = re.search(r"shown once\): ([0-9a-w]{32})$", created.output.strip())
    assert created.exit_code == 0 and found is not None, created.output
    bot_password = found.group(1)

    # A server on the CLI's database, running while the CLI changes the password.
    settings = load_settings()
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50000 + n)),
                                 base_url="http://wiki.test") for n in range(3)]
    browser, bot, later = clients
    try:
        async with app.router.lifespan_context(app):
            login_token = await _token(browser, "login")
            signed_in = await _api(browser, "POST", action="clientlogin", username="Erin",
                                   password="ErinPassword-1234", loginreturnurl="http://wiki.test/",
                                   logintoken=login_token)
            assert signed_in["clientlogin"]["status"] == "PASS", signed_in
            assert (await _bot_login(bot, "Erin@tool", bot_password))["result"] == "Success"
            assert await _user_name(browser) == await _user_name(bot) == "Erin"
            before = await stored_account(runtime, "Erin")

            changed = await command("user", "set-password", "Erin", "--password-stdin",
                                    stdin="ErinNewPassword-5678\n")
            assert changed.exit_code == 0 and "password set for Erin" in changed.output
            assert "ErinNewPassword" not in changed.output

            # Every session of the account has ended: the account token changed.
            after = await stored_account(runtime, "Erin")
            assert after.token != before.token
            assert HASHER.verify("ErinNewPassword-5678", after.password, user_id=after.id)
            assert await _user_name(browser) is None
            assert await _user_name(bot) is None
            # The bot password is still listed but no longer logs in.
            assert "tool: grants editpage" in (await command("botpassword", "list", "Erin")).output
            (row,) = await table_rows(runtime, bot_passwords, bot_passwords.c.user_id == after.id)
            assert not HASHER.verify(bot_password, row.password)
            refused = await _bot_login(later, "Erin@tool", bot_password)
            assert refused["result"] == "Failed", refused
            assert await _user_name(later) is None
    finally:
        for client in clients:
            await client.aclose()
        await runtime.close()


def test_db_upgrade(run) -> None:  # type: ignore[no-untyped-def]
    assert run("db", "upgrade").output.strip() == "database is up to date"


def test_bad_configuration_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "wikigate.toml"
    config.write_text("no_such_key = 1\n")
    result = CliRunner().invoke(main, ["--config", str(config), "db", "upgrade"])
    assert result.exit_code == 1 and "unknown setting" in result.output


def test_commands_that_print_credentials_print_json_when_asked(run) -> None:  # type: ignore[no-untyped-def]
    made = json.loads(run("user", "create", "Jay", "--groups", "sysop", "--json").output)
    assert (made["name"], made["groups"], len(made["password"])) == ("Jay", ["sysop"], 32)
    chosen = json.loads(run("user", "create", "Kim", "--json", "--password-stdin", stdin="KimPassword-12345\n").output)
    assert "password" not in chosen  # a password the caller chose is never echoed
    bot = json.loads(run("botpassword", "create", "Jay", "ci", "--grants", "editpage", "--json").output)
    assert (bot["lgname"], bot["grants"], len(bot["password"])) == ("Jay@ci", ["editpage"], 32)
    enrolled = json.loads(run("user", "2fa", "enable", "Jay", "--json").output)
    assert enrolled["uri"].startswith("otpauth://totp/") and len(enrolled["recovery_codes"]) == 10
