"""The wikigate command's blocks and account locks, against a real database."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from wikigate.cli import main


def test_block_list_and_unblock_from_the_command_line(cli: Any) -> None:
    cli("user", "create", "Vandal")
    placed = cli("block", "Vandal", "--expiry", "3 days", "--reason", "spam", "--nocreate")
    assert placed.exit_code == 0 and placed.output.startswith("blocked Vandal (block #1, expires ")
    ranged = cli("block", "192.0.2.9/24", "--anononly")
    assert ranged.exit_code == 0 and "blocked 192.0.2.0/24 (block #2, expires infinity)" in ranged.output
    listed = [json.loads(line) for line in cli("blocks", "list", "--json").output.splitlines()]
    assert [(row["id"], row["target"], row["by"], row["nocreate"], row["anononly"]) for row in listed] == [
        (2, "192.0.2.0/24", "Maintenance script", False, True), (1, "Vandal", "Maintenance script", True, False)]
    assert "Vandal" in cli("blocks", "list").output
    assert cli("unblock", "Vandal", "--reason", "served").output.strip() == "unblocked Vandal (block #1)"
    assert cli("unblock", "--id", "2").output.strip() == "unblocked 192.0.2.0/24 (block #2)"
    assert cli("blocks", "list", "--json").output == ""


def test_refusals_are_one_line(cli: Any) -> None:
    cli("user", "create", "Vandal")
    cli("block", "Vandal")
    cases = {
        ("block", "Vandal"): "wikigate: cannot block 'Vandal': ipb_already_blocked (Vandal)",
        ("block", "Nobody"): "wikigate: cannot block 'Nobody': nosuchusershort (Nobody)",
        ("block", "10.0.0.0/8"): "wikigate: cannot block '10.0.0.0/8': ip_range_toolarge (16)",
        ("unblock", "192.0.2.1"): "wikigate: cannot unblock 192.0.2.1: ipb_cant_unblock (192.0.2.1)",
        ("block", "Vandal", "--page", "X"): "wikigate: --page and --namespace need --partial",
        ("unblock",): "wikigate: give either a target or --id",
    }
    for argv, expected in cases.items():
        result = CliRunner().invoke(main, list(argv))
        assert result.exit_code == 1 and result.output.strip() == expected, argv


def test_lock_hide_and_delete_accounts_from_the_command_line(cli: Any) -> None:
    cli("user", "create", "Eve")
    assert cli("user", "lock", "Eve", "--reason", "spam").output.strip() == "Eve: locked, not hidden"
    assert cli("user", "hide", "Eve", "--level", "suppressed").output.strip() == "Eve: locked, hidden (suppressed)"
    assert cli("user", "hide", "Eve", "--level", "none").output.strip() == "Eve: locked, not hidden"
    assert cli("user", "unlock", "Eve").output.strip() == "Eve: not locked, not hidden"
    assert cli("user", "delete", "Eve").output.strip() == "deleted Eve"
    missing = CliRunner().invoke(main, ["user", "lock", "Eve"])
    assert missing.exit_code == 1 and missing.output.strip() == "wikigate: cannot change 'Eve': nosuchusershort (Eve)"
