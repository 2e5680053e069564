"""Every `wikigate` command that reports something can report it as JSON, and `wikigate throttle reset`
forgets counted login attempts so that a throttled account can log in again at once."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import click
import httpx

from wikigate.app import build_runtime, create_app
from wikigate.cli import main
from wikigate.config import load_settings

# These print JSON whatever they are given, or are the server itself.
ALWAYS_JSON = {"seed", "oauth token"}


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    found: dict[str, click.Command] = {}
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found.update(_commands(command, f"{path} "))
        else:
            found[path] = command
    return found


def test_every_command_takes_json_unless_it_always_prints_json() -> None:
    lacking = [path for path, command in _commands(main).items()
               if path not in ALWAYS_JSON and not any("--json" in param.opts for param in command.params)]
    assert lacking == []


def _json(result: Any) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_commands_report_their_results_as_one_json_object(cli: Any) -> None:
    assert _json(cli("db", "upgrade", "--json")) == {"up_to_date": True}
    admin = _json(cli("bootstrap", "--json"))
    assert admin["created"] is True and len(admin["password"]) == 32
    assert _json(cli("bootstrap", "--json")) == {"user": "Admin", "created": False}
    _json(cli("user", "create", "Jay", "--json"))
    changed = _json(cli("user", "set-password", "Jay", "--json"))
    assert changed["name"] == "Jay" and len(changed["password"]) == 32
    assert _json(cli("user", "set-password", "Jay", "--password-stdin", "--json", stdin="Jay-chosen-pass-1\n")) \
        == {"name": "Jay"}  # a chosen password is never echoed
    groups = _json(cli("user", "groups", "Jay", "--add", "sysop", "--json"))
    assert groups == {"name": "Jay", "groups": [{"group": "sysop", "expiry": "infinity"}]}
    assert [row["name"] for row in map(json.loads, cli("user", "list", "--json").output.splitlines())] == [
        "Admin", "Jay"]
    _json(cli("botpassword", "create", "Jay", "ci", "--json"))
    listed = json.loads(cli("botpassword", "list", "Jay", "--json").output)
    assert listed == {"app": "ci", "grants": [], "restrictions": [], "must_be_reset": False}
    assert _json(cli("botpassword", "delete", "Jay", "ci", "--json")) == {"user": "Jay", "app": "ci", "deleted": True}
    _json(cli("user", "2fa", "enable", "Jay", "--json"))
    assert len(_json(cli("user", "2fa", "recovery-codes", "Jay", "--json"))["recovery_codes"]) == 10
    assert _json(cli("user", "2fa", "disable", "Jay", "--json")) == {"user": "Jay", "two_factor": False}
    blocked = _json(cli("block", "192.0.2.0/24", "--expiry", "1 day", "--json"))
    assert blocked["target"] == "192.0.2.0/24"
    assert _json(cli("unblock", "--id", str(blocked["id"]), "--json")) == {
        "id": blocked["id"], "target": "192.0.2.0/24", "unblocked": True}
    assert _json(cli("user", "lock", "Jay", "--json")) == {"name": "Jay", "locked": True, "hidden": None}
    assert _json(cli("user", "unlock", "Jay", "--json"))["locked"] is False
    consumer = _json(cli("oauth", "consumer", "create", "App", "--owner", "Jay", "--callback",
                         "https://app.example/cb", "--json"))
    assert _json(cli("oauth", "consumer", "approve", consumer["client_id"], "--json"))["stage"] == "approved"
    assert _json(cli("oauth", "revoke", consumer["client_id"], "Jay", "--json"))["revoked"] is False
    assert _json(cli("user", "delete", "Jay", "--json")) == {"deleted": "Jay"}


async def _login(http: httpx.AsyncClient, name: str, password: str) -> str:
    token = (await http.get("/w/api.php", params={"action": "query", "meta": "tokens", "type": "login",
                                                  "format": "json"})).json()["query"]["tokens"]["logintoken"]
    answer = await http.post("/w/api.php", data={"action": "clientlogin", "username": name, "password": password,
                                                  "loginreturnurl": "http://wiki.test/", "logintoken": token,
                                                  "format": "json"})
    result = answer.json()["clientlogin"]
    return str(result.get("messagecode") or result["status"])


async def _attempts(*passwords: str) -> list[str]:
    settings = load_settings()
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app, client=("198.51.100.7", 5000))
            async with httpx.AsyncClient(transport=transport, base_url="http://wiki.test") as http:
                return [await _login(http, "Kay", password) for password in passwords]
    finally:
        await runtime.close()


def test_a_throttled_account_logs_in_again_once_its_attempts_are_forgotten(cli: Any) -> None:
    _json(cli("user", "create", "Kay", "--password-stdin", "--json", stdin="Kay-right-password-1\n"))
    answers = asyncio.run(_attempts(*["wrong-password"] * 5, "Kay-right-password-1"))
    assert answers[-1] == "login-throttled"
    cleared = _json(cli("throttle", "reset", "--user", "Kay", "--json"))
    assert cleared["cleared"] >= 1
    assert asyncio.run(_attempts("Kay-right-password-1")) == ["PASS"]


def test_forgetting_an_address_leaves_other_counters_alone(cli: Any) -> None:
    _json(cli("user", "create", "Kay", "--password-stdin", "--json", stdin="Kay-right-password-1\n"))
    asyncio.run(_attempts(*["wrong-password"] * 5))
    # Both of 1.39's conditions count per account and address: both go with the address, and only they.
    assert _json(cli("throttle", "reset", "--ip", "198.51.100.7", "--json"))["cleared"] == 2
    assert _json(cli("throttle", "reset", "--ip", "203.0.113.9", "--json"))["cleared"] == 0
    assert _json(cli("throttle", "reset", "--json"))["cleared"] == 0


def test_a_bad_address_is_refused_in_one_line(cli: Any) -> None:
    result = cli("throttle", "reset", "--ip", "not-an-address")
    assert result.exit_code == 1 and result.output == "wikigate: not an IP address: not-an-address\n"
