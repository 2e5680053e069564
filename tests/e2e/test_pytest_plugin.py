"""The pytest plugin that ships with wikigate, seen from a client author's test suite: it loads on its
own, each test starts without the last one's faults or clock, bad fixtures fail in words, and the
server and its data are gone when the session ends."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from e2e_support import BIN, PYTHON, run_program

pytestmark = pytest.mark.e2e

SUITE = '''
import json
import urllib.request

import pytest
from wikigate.testing import WikigateError


def siteinfo(server, **extra):
    query = "&".join(f"{key}={value}" for key, value in {"action": "query", "meta": "siteinfo",
                                                         "format": "json", **extra}.items())
    with urllib.request.urlopen(f"{server.api_url}?{query}") as answer:
        return json.load(answer)


def test_a_first_test_arms_a_fault_and_moves_the_clock(wikigate):
    with open("server.json", "w") as record:
        json.dump({"data_dir": wikigate.data_dir, "base_url": wikigate.base_url}, record)
    wikigate.arm("maxlag", count=5)
    before = wikigate.now()
    assert wikigate.advance_clock(86400) >= before + 86400
    assert siteinfo(wikigate, maxlag=5)["error"]["code"] == "maxlag"


def test_the_next_test_finds_neither(wikigate):
    assert wikigate.armed() == []
    assert "error" not in siteinfo(wikigate, maxlag=5)
    assert abs(wikigate.now() - __import__("time").time()) < 60


@pytest.mark.wikigate_fixtures({"users": [{"name": "Marked", "password": "marked-password-1"}]})
def test_the_marker_makes_its_document_before_the_test(wikigate_fixtures):
    assert wikigate_fixtures()["users"]["Marked"]["password"] == "marked-password-1"


def test_fixtures_that_cannot_be_made_fail_in_words(wikigate_fixtures):
    with pytest.raises(WikigateError, match="badfixtures: users.0.: 'a|b' is not a name an account can have"):
        wikigate_fixtures({"users": [{"name": "a|b"}]})


def test_a_fault_that_cannot_be_armed_fails_in_words(wikigate):
    with pytest.raises(WikigateError, match="badfault: kind must be one of"):
        wikigate.arm("flood")


def test_throttles_can_be_forgotten(wikigate):
    assert wikigate.reset_throttles(user="Nobody", ip="192.0.2.1") == 0
'''


def test_the_plugin_serves_a_suite_and_cleans_up_after_it(tmp_path: Path) -> None:
    (tmp_path / "test_suite.py").write_text(SUITE)
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIKIGATE_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    # The suite's tests depend on running in the file's order, which pytest keeps.
    output = run_program("pytest plugin", [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_suite.py"],
                         cwd=tmp_path, env=env, timeout=180)
    assert re.search(r"\b6 passed\b", output), output
    server = json.loads((tmp_path / "server.json").read_text())
    assert not Path(server["data_dir"]).exists()  # the session's end stopped it and took its data


def test_the_plugin_is_registered_for_pytest_to_find() -> None:
    from importlib.metadata import entry_points

    assert [entry.value for entry in entry_points(group="pytest11") if entry.name == "wikigate"] == [
        "wikigate.testing"]
