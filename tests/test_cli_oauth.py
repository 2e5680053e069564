"""The wikigate command's OAuth consumers and tokens: one command gives a CI a working token."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from wikigate.cli import main


def test_one_command_mints_a_token_that_never_expires_and_minting_again_ends_the_old_one(cli: Any) -> None:
    cli("user", "create", "Bot")
    first = json.loads(cli("oauth", "token", "Bot").output)
    assert first["owner_only"] is True and first["stage"] == "approved"
    assert first["grant_types"] == ["client_credentials"] and "editpage" in first["grants"]
    assert len(first["client_id"]) == 32 and len(first["client_secret"]) == 40
    assert first["access_token"].count(".") == 2  # a JWT
    second = json.loads(cli("oauth", "token", "Bot").output)
    assert second["client_id"] == first["client_id"] and second["access_token"] != first["access_token"]
    listed = [json.loads(line) for line in cli("oauth", "consumer", "list", "--json").output.splitlines()]
    assert [row["name"] for row in listed] == ["wikigate-ci"]


def test_consumers_are_created_approved_and_disabled(cli: Any) -> None:
    cli("user", "create", "Dev")
    made = json.loads(cli("oauth", "consumer", "create", "Tool", "--owner", "Dev", "--grants", "editpage",
                          "--callback", "https://tool.example/cb", "--public", "--json").output)
    assert (made["stage"], made["confidential"], made["grants"]) == ("proposed", False, ["basic", "editpage"])
    assert "access_token" not in made
    key = made["client_id"]
    assert cli("oauth", "consumer", "approve", key).output.strip() == f"{key} (Tool): approved"
    assert cli("oauth", "consumer", "disable", key).output.strip() == f"{key} (Tool): disabled"
    reset = json.loads(cli("oauth", "consumer", "reset-secret", key, "--json").output)
    assert reset["client_secret"] != made["client_secret"]
    refused = CliRunner().invoke(main, ["oauth", "consumer", "create", "Other", "--owner", "Dev"])
    assert refused.exit_code == 1 and "needs a callback URL" in refused.output
    unknown = CliRunner().invoke(main, ["oauth", "token", "Nobody"])
    assert unknown.exit_code == 1 and unknown.output.strip() == "wikigate: cannot make a token for 'Nobody': no such user: Nobody"


def test_one_command_gives_oauth1_clients_their_four_keys(cli: Any) -> None:
    cli("user", "create", "Bot")
    keys = json.loads(cli("oauth", "token", "Bot", "--oauth1").output)
    assert keys["oauth_version"] == 1 and keys["consumer_token"] == keys["client_id"]
    assert {len(keys[name]) for name in ("consumer_token", "access_token")} == {32}
    assert {len(keys[name]) for name in ("consumer_secret", "access_secret")} == {40}
