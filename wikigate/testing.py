"""A pytest plugin: a real wikigate for the tests of a MediaWiki client, one per test session.

Installed with the package and loaded by pytest on its own (the `pytest11`
entry point). Its fixtures:

* `wikigate_server` (session): a throwaway test server (`wikigate serve
  --ephemeral --testing --port 0`) in a process of its own, with its URLs.
* `wikigate` (each test): the same server, with its faults disarmed and its
  clock put back after the test.
* `wikigate_fixtures` (each test): a function that makes what a fixtures
  document lists (users, bot passwords, two-factor users, pages, protected
  titles, blocks, OAuth credentials) and returns what was made, generated
  passwords and secrets included.

The server is the real one, spoken to over HTTP; this module imports nothing of
it, so loading the plugin costs a test run nothing until a fixture is used.
Its settings come from the `wikigate_config` ini setting (a wikigate.toml:
mail, password policy, rate limits …), and extra `wikigate serve` options from
`wikigate_args`.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest

START_TIMEOUT = 60.0


class WikigateError(RuntimeError):
    """The server refused a control request, or did not start."""


class WikigateServer:
    """A running test server and the controls of /testing/."""

    def __init__(self, process: subprocess.Popen[str], announced: dict[str, Any]) -> None:
        self.process = process
        self.api_url: str = announced["api_url"]
        self.rest_url: str = announced["rest_url"]
        self.testing_url: str = announced["testing_url"]
        self.data_dir: str = announced["data_dir"]
        # What the page's addresses need: http://host:port, and /w/index.php beside api.php.
        self.base_url = self.testing_url.rsplit("/testing", 1)[0]
        self.index_url = self.api_url.replace("/api.php", "/index.php")

    @classmethod
    def start(cls, *extra: str, config: str | None = None) -> WikigateServer:
        """A new test server; `extra` are options of `wikigate serve`, `config` a wikigate.toml."""
        configured = ["--config", config] if config else []
        command = [sys.executable, "-m", "wikigate", *configured, "serve", "--ephemeral", "--testing", "--port", "0",
                   *extra]
        # The server's settings are its own: variables meant for the tests' other servers stay out.
        env = {key: value for key, value in os.environ.items() if not key.startswith("WIKIGATE_")}
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            process.wait(timeout=START_TIMEOUT)
            raise WikigateError(f"wikigate did not start (exit status {process.returncode}): {shlex.join(command)}")
        server = cls(process, json.loads(line))
        server._wait_until_ready()
        return server

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=5):
                    return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise WikigateError("wikigate did not answer after it started") from None
                time.sleep(0.01)

    def stop(self) -> None:
        """Stop the server; its data directory goes with it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.testing_url}/{path}", data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.load(response)
        except urllib.error.HTTPError as refused:
            with refused:
                problem = json.load(refused).get("error", {})
            raise WikigateError(f"{problem.get('code')}: {problem.get('info')}") from None

    def seed(self, document: dict[str, Any]) -> dict[str, Any]:
        """Make what a fixtures document lists; what was made (passwords, secrets, tokens)."""
        made: dict[str, Any] = self._call("POST", "fixtures", document)
        return made

    def arm(self, kind: str, count: int = 1, **details: Any) -> dict[str, Any]:
        """Make the next `count` requests a fault applies to fail: `maxlag` (`lag=`), `readonly`
        (`reason=`), `ratelimited`, `lost-session`, `internal-error` (`exception=`, the class
        the answer names: DBQueryError unless given) or `delay` (`seconds=`); for
        everyone, or one account (`user=`) or session (`session=`, the session cookie's value)."""
        armed: dict[str, Any] = self._call("POST", "faults", {"kind": kind, "count": count, **details})["armed"]
        return armed

    def armed(self) -> list[dict[str, Any]]:
        """The armed faults, each with how many requests it still has to answer (`remaining`)."""
        listing: list[dict[str, Any]] = self._call("GET", "faults")["armed"]
        return listing

    def disarm(self) -> None:
        self._call("DELETE", "faults")

    def reset_throttles(self, user: str | None = None, ip: str | None = None) -> int:
        """Forget counted failed logins, account creations and rate-limited actions of an account, an
        address, or (with neither) everyone; how many counters went."""
        query = urllib.parse.urlencode({key: value for key, value in (("user", user), ("ip", ip)) if value})
        return int(self._call("DELETE", f"throttles?{query}")["cleared"])

    def now(self) -> float:
        """The server's time, in seconds since the epoch."""
        return float(self._call("GET", "clock")["now"])

    def advance_clock(self, seconds: float) -> float:
        """Move the server's clock forward (token, protection and block expiries, TOTP steps)."""
        return float(self._call("POST", "clock", {"advance": seconds})["now"])

    def set_clock(self, when: float) -> float:
        return float(self._call("POST", "clock", {"set": when})["now"])

    def reset_clock(self) -> float:
        return float(self._call("POST", "clock", {"reset": True})["now"])

    def totp(self, secret: str) -> str:
        """The two-factor code a device with `secret` shows at the server's time."""
        import pyotp  # wikigate's own dependency, there whenever the server is

        return str(pyotp.TOTP(secret).at(self.now()))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("wikigate_config", "A wikigate.toml for the test server's settings", default="")
    parser.addini("wikigate_args", "Extra options for `wikigate serve`", type="args", default=[])


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "wikigate_fixtures(document): what the `wikigate_fixtures` fixture makes "
                            "before the test (a fixtures document, as for `wikigate seed`)")


@pytest.fixture(scope="session")
def wikigate_server(pytestconfig: pytest.Config) -> Iterator[WikigateServer]:
    config = str(pytestconfig.getini("wikigate_config")) or None
    if config is not None:
        config = str(pytestconfig.rootpath / config)  # as written in the ini file, beside it
    server = WikigateServer.start(*pytestconfig.getini("wikigate_args"), config=config)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def wikigate(wikigate_server: WikigateServer) -> Iterator[WikigateServer]:
    yield wikigate_server
    # Each test starts on a server without faults and on the real time, whatever the last one did.
    with contextlib.suppress(WikigateError, OSError):
        wikigate_server.disarm()
        wikigate_server.reset_clock()


@pytest.fixture
def wikigate_fixtures(wikigate: WikigateServer, request: pytest.FixtureRequest) -> Callable[..., dict[str, Any]]:
    """`wikigate_fixtures(document)` makes a fixtures document's contents; called with no document it
    gives what the test's `wikigate_fixtures` marker made."""
    marker = request.node.get_closest_marker("wikigate_fixtures")
    declared = wikigate.seed(marker.args[0]) if marker is not None else {}

    def make(document: dict[str, Any] | None = None) -> dict[str, Any]:
        return declared if document is None else wikigate.seed(document)

    return make
