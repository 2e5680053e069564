"""Support for the end-to-end tier: the real server in a subprocess, driven by real clients.

One server serves the whole session: `wikigate bootstrap` and `wikigate user
create` prepare a fresh data directory, then `wikigate serve` listens on a free
port. Clients run as separate programs (pywikibot, the seed programs, Node
clients) or in this process over real HTTP (mwclient, mwapi). Every failure
names the client and the request that failed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
E2E = Path(__file__).resolve().parent
NODE_DIR = E2E / "node"
BIN = Path(sys.executable).parent
PYTHON = sys.executable

# Kept small so that the many logins of the tier stay fast; the hash format is unchanged.
PBKDF2_COST = "1000"
IN_CI = os.environ.get("CI") == "true"

# name -> (password, groups, email)
USERS: dict[str, tuple[str, str, str]] = {
    "Alice": ("AlicePassword-1234", "", ""),
    # An interface admin too: the Python protect program protects another user's common.js.
    "Mindy": ("MindyPassword-1234", "sysop,interface-admin", ""),
    "Resetme": ("ResetmePassword-1234", "", "user@mediawiki.org"),  # the seed programs' reset address
    # Two-factor users, one per client: a TOTP code is accepted only once.
    "Otto": ("OttoPassword-1234", "", ""),
    "Tina": ("TinaPassword-1234", "", ""),
    "Kurt": ("KurtPassword-1234", "", ""),
    # Blocked and unblocked by the block scenarios, one per client; nobody else logs in with them,
    # so a block left behind by a failed run cannot spill into other tests.
    "Blockbot": ("BlockbotPassword-1234", "bot", ""),
    "Blockee": ("BlockeePassword-1234", "", ""),
}
TWO_FACTOR_USERS = ("Otto", "Tina", "Kurt")
# (user, application id, grants) of the bot passwords the clients log in with.
BOT_PASSWORDS = (("Mindy", "e2e", "basic,editpage,createeditmovepage,protect,editprotected,editsiteconfig"),
                 ("Blockbot", "e2e", "basic,highvolume,editpage,createeditmovepage"))
ADMIN_PASSWORD = "AdminPassword-1234"


class ClientFailure(AssertionError):
    """A client flow failed; the message names the client and the request."""


def fail(client: str, what: str, detail: str = "") -> None:
    raise ClientFailure(f"[{client}] {what}" + (f"\n{detail}" if detail else ""))


@dataclass
class WikiServer:
    port: int
    root: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    users: dict[str, str] = field(default_factory=dict)  # name -> password
    totp_secrets: dict[str, str] = field(default_factory=dict)  # name -> base32 secret
    bot_passwords: dict[str, str] = field(default_factory=dict)  # "User@app" -> password

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/w/api.php"

    @property
    def log_path(self) -> Path:
        return self.root / "server.log"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def password_of(self, login_name: str) -> str:
        """The password of an account, or of a bot password named "User@app"."""
        return self.bot_passwords[login_name] if "@" in login_name else self.users[login_name]

    def cli(self, *args: str, stdin: str = "") -> str:
        """Run the `wikigate` command against this server's data directory."""
        result = subprocess.run([str(BIN / "wikigate"), *args], input=stdin, capture_output=True, text=True,
                                cwd=self.root, env=self.env, timeout=60)
        if result.returncode != 0:
            fail("wikigate CLI", f"`wikigate {' '.join(args)}` exited {result.returncode}",
                 result.stdout + result.stderr)
        return result.stdout

    def call(self, session: Any, method: str, **params: Any) -> dict[str, Any]:
        """One api.php request through a requests.Session, for setting up scenarios."""
        params = {"format": "json", **params}
        if method == "GET":
            response = session.get(self.api_url, params=params, timeout=30)
        else:
            response = session.post(self.api_url, data=params, timeout=30)
        if response.status_code != 200:
            fail("setup", f"{method} {describe_params(params)} answered HTTP {response.status_code}",
                 response.text[:2000])
        return response.json()  # type: ignore[no-any-return]

    def logged_in_session(self, name: str) -> Any:
        """A requests.Session logged in as `name` through action=login (as api-testing does)."""
        import requests

        session = requests.Session()
        token = self.call(session, "GET", action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        body = self.call(session, "POST", action="login", lgname=name, lgpassword=self.users[name], lgtoken=token)
        if body.get("login", {}).get("result") != "Success":
            fail("setup", f"POST action=login lgname={name}", json.dumps(body))
        return session

    def block(self, target: str, *, reason: str, as_user: str = "Mindy") -> dict[str, Any]:
        """Block `target` indefinitely through action=block, as a sysop would (no autoblock: the
        tests all come from 127.0.0.1, and an autoblock of it would stop every other client)."""
        session = self.logged_in_session(as_user)
        token = self.call(session, "GET", action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        body = self.call(session, "POST", action="block", user=target, reason=reason, expiry="infinite",
                         token=token)
        if "block" not in body:
            fail("setup", f"POST action=block user={target} (as {as_user})", json.dumps(body))
        return body["block"]  # type: ignore[no-any-return]

    def unblock(self, target: str, *, as_user: str = "Mindy") -> None:
        """Lift `target`'s block through action=unblock."""
        session = self.logged_in_session(as_user)
        token = self.call(session, "GET", action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        body = self.call(session, "POST", action="unblock", user=target, reason="e2e unblock", token=token)
        if "unblock" not in body:
            fail("setup", f"POST action=unblock user={target} (as {as_user})", json.dumps(body))

    def ensure_page(self, title: str, text: str, *, as_user: str = "Admin") -> None:
        """Create or overwrite a page, so that scenarios find it existing."""
        session = self.logged_in_session(as_user)
        token = self.call(session, "GET", action="query", meta="tokens")["query"]["tokens"]["csrftoken"]
        body = self.call(session, "POST", action="edit", title=title, text=text, summary="e2e setup", token=token)
        if body.get("edit", {}).get("result") != "Success":
            fail("setup", f"POST action=edit title={title} (as {as_user})", json.dumps(body))


def describe_params(params: Any) -> str:
    """`action=edit title=X ...` with secrets elided, for failure messages."""
    items = params.items() if isinstance(params, dict) else params
    shown = []
    for key, value in items:
        if any(word in str(key).lower() for word in ("password", "token", "oathtoken")):
            value = "***"
        text = str(value)
        shown.append(f"{key}={text if len(text) <= 80 else text[:77] + '...'}")
    return " ".join(shown)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(server: WikiServer, deadline: float) -> None:
    url = f"{server.api_url}?action=query&meta=siteinfo&format=json"
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            fail("server", f"`wikigate serve` exited with {server.process.returncode}", server.log_tail())
        with contextlib.suppress(OSError, urllib.error.URLError):
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        time.sleep(0.1)
    fail("server", f"no answer on {url} within the start-up time", server.log_tail())


def stop_group(process: subprocess.Popen[Any], grace: float = 10) -> int:
    """Stop a process started in a group of its own (the server, a proxy): SIGTERM to the group, and
    SIGKILL if it has not ended within `grace` seconds; its exit status."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    return process.returncode


def _create_user(server: WikiServer, name: str) -> None:
    password, groups, email = USERS[name]
    args = ["user", "create", name, "--password-stdin"]
    if groups:
        args += ["--groups", groups]
    if email:
        args += ["--email", email]
    server.cli(*args, stdin=password + "\n")
    if name in TWO_FACTOR_USERS:
        output = server.cli("user", "2fa", "enable", name)
        secret = re.search(r"^secret: (\S+)$", output, re.MULTILINE)
        if secret is None:
            fail("wikigate CLI", f"`wikigate user 2fa enable {name}` printed no secret", output)
        server.totp_secrets[name] = secret.group(1)


def _create_bot_password(server: WikiServer, user: str, app: str, grants: str) -> None:
    output = server.cli("botpassword", "create", user, app, "--grants", grants)
    password = re.search(r"\(shown once\): (\S+)$", output, re.MULTILINE)
    if password is None:
        fail("wikigate CLI", f"`wikigate botpassword create {user} {app}` printed no password", output)
    server.bot_passwords[f"{user}@{app}"] = password.group(1)


def _create_accounts(server: WikiServer) -> None:
    # In parallel: each CLI run spends most of its time starting Python.
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(_create_user, server, name) for name in USERS]:
            future.result()
    server.users.update({name: password for name, (password, _, _) in USERS.items()})
    for user, app, grants in BOT_PASSWORDS:
        _create_bot_password(server, user, app, grants)


@pytest.fixture(scope="session")
def wiki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WikiServer]:
    root = tmp_path_factory.mktemp("wikigate-e2e")
    port = free_port()
    # A clean configuration: nothing inherited from the developer's WIKIGATE_* variables.
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIKIGATE_")}
    env.update({
        "WIKIGATE_DATA_DIR": str(root / "data"),
        "WIKIGATE_HOST": "127.0.0.1",
        "WIKIGATE_PORT": str(port),
        "WIKIGATE_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "WIKIGATE_SECRET_KEY": "e2e-" + os.urandom(16).hex(),
        "WIKIGATE_PBKDF2_COST": PBKDF2_COST,
        "WIKIGATE_CONFIG": str(root / "wikigate.toml"),  # empty: defaults and the environment
    })
    (root / "wikigate.toml").touch()
    server = WikiServer(port=port, root=root, env=env)
    server.cli("bootstrap")
    server.users["Admin"] = ADMIN_PASSWORD
    _create_accounts(server)
    with server.log_path.open("wb") as log:
        server.process = subprocess.Popen(
            [str(BIN / "wikigate"), "serve", "--port", str(port)], cwd=root, env=env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait_until_up(server, time.monotonic() + 30)
        yield server
    finally:
        stop_group(server.process)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A fresh working directory per client run (pywikibot and the PHP programs write into it)."""
    return tmp_path


# --- running client programs ----------------------------------------------------------------------

def run_program(client: str, argv: list[str], *, cwd: Path, env: dict[str, str] | None = None,
                timeout: float = 120, server: WikiServer | None = None, check: bool = True) -> str:
    """Run one client program; a non-zero exit fails with its output and the server log
    (unless `check` is off: a test runner that reports its failures on stdout, say)."""
    full_env = {**os.environ, **(env or {})}
    try:
        result = subprocess.run(argv, cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        fail(client, f"`{' '.join(argv)}` did not finish within {timeout}s", str(error.stdout or ""))
    if check and result.returncode != 0:
        detail = f"--- stdout\n{result.stdout[-6000:]}\n--- stderr\n{result.stderr[-6000:]}"
        if server is not None:
            detail += f"\n--- server log (tail)\n{server.log_tail()}"
        fail(client, f"`{' '.join(argv)}` exited {result.returncode}", detail)
    return result.stdout


def _registry_unreachable(output: str) -> bool:
    markers = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "network", "Temporary failure resolving",
               "Could not resolve", "Failed to fetch", "Unable to connect")
    return any(marker in output for marker in markers)


def skip_or_fail(tool: str, output: str) -> None:
    """Without the package registry a tool cannot be installed: skip loudly, except in CI."""
    if _registry_unreachable(output) and not IN_CI:
        message = f"!!! E2E SKIPPED: cannot install {tool}: the package registry is unreachable !!!"
        print(f"\n{message}\n{output[-2000:]}", file=sys.stderr)
        pytest.skip(message)
    fail(tool, "installation failed", output[-4000:])


def _lock_digest() -> str:
    return hashlib.sha256((NODE_DIR / "package-lock.json").read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """tests/e2e/node/node_modules from the lock file; reinstalled only when the lock changed."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        fail("node", "node and npm are needed for the Node clients (Debian: apt-get install nodejs npm)")
    modules = NODE_DIR / "node_modules"
    stamp = modules / ".wikigate-lock-sha256"
    digest = _lock_digest()
    if not (stamp.exists() and stamp.read_text().strip() == digest):
        result = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR,
                                capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            skip_or_fail("npm packages (npm ci)", result.stdout + result.stderr)
        stamp.write_text(digest + "\n")
    return modules


def _php_ready() -> bool:
    if shutil.which("php") is None:
        return False
    probe = subprocess.run(["php", "-r", "exit(function_exists('curl_init') ? 0 : 1);"], capture_output=True)
    return probe.returncode == 0


def apt_install(tool: str, *packages: str) -> None:
    """Install Debian packages the tier needs (as root); skip loudly without a registry, except in CI."""
    if os.geteuid() != 0:
        fail(tool, f"{' '.join(packages)} missing and this run is not root: apt-get install {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    output = ""
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", *packages]):
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        output += result.stdout + result.stderr
        if result.returncode != 0:
            skip_or_fail(f"{' '.join(packages)} (apt-get)", output)


@pytest.fixture(scope="session")
def php() -> str:
    """php-cli with the curl extension, installed from Debian's packages when missing."""
    if not _php_ready():
        apt_install("php", "php-cli", "php-curl")
        if not _php_ready():
            fail("php", "php-cli/php-curl installed but php has no curl")
    return shutil.which("php") or "php"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium for the browser tests (Playwright drives it; it downloads no browser)."""
    if shutil.which("chromium") is None:
        apt_install("chromium", "chromium")
    path = shutil.which("chromium")
    if path is None:
        fail("chromium", "chromium was installed but is not on PATH")
    return str(path)


# --- tracing in-process requests clients --------------------------------------------------------

@dataclass
class RequestTrace:
    """Remembers the requests a requests.Session sent, to name the one that failed."""

    client: str
    sent: list[str] = field(default_factory=list)

    def attach(self, session: Any) -> Any:
        session.hooks["response"].append(self._record)
        return session

    def _record(self, response: Any, *args: Any, **kwargs: Any) -> None:
        request = response.request
        parts = urlsplit(request.url)
        params = parse_qsl(parts.query, keep_blank_values=True)
        body = request.body
        if isinstance(body, bytes):
            body = body.decode(errors="replace")
        content_type = request.headers.get("Content-Type", "")
        if isinstance(content_type, bytes):  # requests_oauthlib's OAuth1 sets its headers as bytes
            content_type = content_type.decode(errors="replace")
        if body and "form-urlencoded" in content_type:
            params += parse_qsl(body, keep_blank_values=True)
        self.sent.append(f"{request.method} {parts.path} {describe_params(params)} -> HTTP {response.status_code}")

    @contextlib.contextmanager
    def step(self, what: str) -> Iterator[None]:
        """Run one client call; any failure is re-raised naming the client, the step and the last request."""
        before = len(self.sent)
        try:
            yield
        except ClientFailure:
            raise
        except BaseException as error:  # the client's own exception types are all worth reporting
            if isinstance(error, (KeyboardInterrupt, SystemExit)):
                raise
            last = self.sent[-1] if len(self.sent) > before else "(no request was sent)"
            raise ClientFailure(f"[{self.client}] {what} failed: {type(error).__name__}: {error}\n"
                                f"  last request: {last}") from error


# --- a browser on OAuth consent pages --------------------------------------------------------------

class ConsentForm(HTMLParser):
    """An OAuth consent page's form: where it posts and its hidden fields (consent token included)."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.hidden: dict[str, str] = {}
        self.decisions: list[str] = []
        self.location = ""  # where accepting sent the browser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.action = values.get("action")
        elif tag == "input" and values.get("type") == "hidden":
            self.hidden[values["name"]] = values.get("value", "")
        elif tag == "button" and values.get("name") == "decision":
            self.decisions.append(values.get("value", ""))


def accept_consent(browser: Any, trace: RequestTrace, url: str, user: str, callback: str) -> ConsentForm:
    """Show an OAuth consent page to a logged-in browser and accept; the form it showed, with the
    302's Location (not followed: it points at the consumer's callback) as `form.location`."""
    with trace.step(f"GET {url} (the consent page)"):
        page = browser.get(url, allow_redirects=False, timeout=30)
        assert page.status_code == 200 and "text/html" in page.headers["content-type"], \
            (page.status_code, page.text[:2000])
    form = ConsentForm()
    form.feed(page.text)
    if form.action is None or "wpConsentToken" not in form.hidden:
        raise ClientFailure(f"[requests] the consent page has no form with a consent token:\n{page.text[:2000]}")
    assert user in page.text and sorted(form.decisions) == ["accept", "cancel"], page.text[:2000]
    form.action = urljoin(page.url, form.action)
    with trace.step(f"POST {form.action} decision=accept"):
        answer = browser.post(form.action, data={**form.hidden, "decision": "accept"}, allow_redirects=False,
                              timeout=30)
        assert answer.status_code == 302, (answer.status_code, answer.text[:2000])
    form.location = answer.headers["location"]
    assert form.location.startswith(callback + "?"), form.location
    return form


def browser_session(wiki: WikiServer, trace: RequestTrace, name: str) -> Any:
    """A requests.Session holding the api.php session cookies of `name` (clientlogin), as a
    logged-in browser would."""
    import requests

    browser = trace.attach(requests.Session())
    with trace.step(f"clientlogin username={name}"):
        token = wiki.call(browser, "GET", action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        body = wiki.call(browser, "POST", action="clientlogin", username=name, password=wiki.users[name],
                         logintoken=token, loginreturnurl=f"{wiki.base}/")
        assert body["clientlogin"]["status"] == "PASS", body
    return browser


@pytest.fixture(scope="session")
def api_testing_config(wiki: WikiServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The configuration file of Wikimedia's api-testing library, for the running server."""
    path = tmp_path_factory.mktemp("api-testing") / ".api-testing.config.json"
    path.write_text(json.dumps({
        "base_uri": f"{wiki.base}/w/",
        "main_page": "Main_Page",
        "root_user": {"name": "Admin", "password": ADMIN_PASSWORD},
        "secret_key": wiki.env["WIKIGATE_SECRET_KEY"],
    }))
    return path


def node_env(server: WikiServer, modules: Path, **extra: str) -> dict[str, str]:
    return {"NODE_PATH": str(modules), "WIKI_API_URL": server.api_url, **extra}
