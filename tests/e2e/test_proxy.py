"""Behind a real nginx (Debian's package), wikigate sees each client as itself.

nginx listens on a free port with a configuration of its own and passes
`/w/` to a wikigate that trusts it (`trusted_proxies = 127.0.0.1`). The
clients connect from different loopback addresses (127.0.0.2, 127.0.0.3),
which nginx puts in X-Forwarded-For; nginx also says the client came over
https, as a proxy that ends TLS does.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import fail, free_port, skip_or_fail, stop_group

pytestmark = pytest.mark.e2e

NGINX_CONFIG = """
daemon off;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location /w/ {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
        }}
    }}
}}
"""


def _nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    if os.geteuid() != 0:
        fail("nginx", "nginx is missing and this run is not root: apt-get install nginx-light")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    output = ""
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "nginx-light"]):
        result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900)
        output += result.stdout + result.stderr
        if result.returncode != 0:
            skip_or_fail("nginx-light (apt-get)", output)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def _wait_for(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            fail(what, f"exited with {process.returncode}", log.read_text(errors="replace")[-3000:])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/w/api.php?action=query&meta=siteinfo&format=json")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    fail(what, "did not answer within 30 s", log.read_text(errors="replace")[-3000:])


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A wikigate behind nginx; yields nginx's port and the bot password made for Alice."""
    nginx = _nginx_binary()
    root = tmp_path_factory.mktemp("proxy")
    (root / "wikigate.toml").write_text('trusted_proxies = ["127.0.0.1"]\n')
    upstream, port = free_port(), free_port()
    env = {**os.environ, "WIKIGATE_CONFIG": str(root / "wikigate.toml"), "WIKIGATE_DATA_DIR": str(root / "data"),
           "WIKIGATE_PBKDF2_COST": "1000"}
    env.pop("WIKIGATE_DATABASE_URL", None)
    wikigate = str(Path(sys.executable).parent / "wikigate")

    def cli(*args: str, stdin: str = "") -> str:
        result = subprocess.run([wikigate, *args], input=stdin, capture_output=True, text=True, env=env, timeout=60)
        if result.returncode != 0:
            fail("wikigate CLI", " ".join(args), result.stdout + result.stderr)
        return result.stdout

    cli("user", "create", "Alice", "--password-stdin", stdin="AlicePassword-1234\n")
    made = cli("botpassword", "create", "Alice", "tool", "--grants", "basic", "--restrictions", "127.0.0.3/32")
    bot_password = made.rsplit(":", 1)[1].strip()
    server_log = root / "server.log"
    with server_log.open("wb") as log:
        server = subprocess.Popen([wikigate, "serve", "--port", str(upstream)], env=env, stdout=log, stderr=log,
                                  start_new_session=True)
    (root / "nginx.conf").write_text(NGINX_CONFIG.format(root=root, port=port, upstream=upstream))
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (root / name).mkdir()
    with (root / "nginx.log").open("wb") as log:
        proxy = subprocess.Popen([nginx, "-c", str(root / "nginx.conf"), "-p", str(root)], stdout=log, stderr=log,
                                 start_new_session=True)
    try:
        _wait_for(upstream, server, "wikigate serve", server_log)
        _wait_for(port, proxy, "nginx", root / "nginx-error.log")
        yield {"port": port, "bot_password": bot_password}
    finally:
        stop_group(proxy)
        stop_group(server)


class Client:
    """An HTTP client that connects from a chosen loopback address and keeps its cookies."""

    def __init__(self, port: int, source: str) -> None:
        self.port = port
        self.source = source
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def call(self, method: str, **params: str) -> dict[str, Any]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10, source_address=(self.source, 0))
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        params["format"] = "json"
        body = urllib.parse.urlencode(params)
        if method == "GET":
            connection.request("GET", f"/w/api.php?{body}", headers=headers)
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", "/w/api.php", body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return dict(json.loads(response.read()))

    def clientlogin(self, name: str, password: str) -> dict[str, Any]:
        token = self.call("GET", action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        answer = self.call("POST", action="clientlogin", username=name, password=password,
                           loginreturnurl="https://wiki.example/", logintoken=token)
        return dict(answer["clientlogin"])

    def botlogin(self, name: str, password: str) -> dict[str, Any]:
        token = self.call("GET", action="query", meta="tokens", type="login")["query"]["tokens"]["logintoken"]
        return dict(self.call("POST", action="login", lgname=name, lgpassword=password, lgtoken=token)["login"])


def test_each_client_is_seen_as_itself(proxied: dict[str, Any]) -> None:
    for source in ("127.0.0.2", "127.0.0.3"):
        name = Client(proxied["port"], source).call("GET", action="query", meta="userinfo")["query"]["userinfo"]
        assert name["name"] == source


def test_wrong_passwords_through_the_proxy_lock_only_their_client(proxied: dict[str, Any]) -> None:
    attacker = Client(proxied["port"], "127.0.0.2")
    for _ in range(6):
        attacker.clientlogin("Alice", "wrong-password")
    assert attacker.clientlogin("Alice", "AlicePassword-1234")["messagecode"] == "login-throttled"
    assert Client(proxied["port"], "127.0.0.4").clientlogin("Alice", "AlicePassword-1234")["status"] == "PASS"


def test_bot_password_ranges_hold_through_the_proxy(proxied: dict[str, Any]) -> None:
    assert Client(proxied["port"], "127.0.0.3").botlogin("Alice@tool", proxied["bot_password"])["result"] == "Success"
    refused = Client(proxied["port"], "127.0.0.5").botlogin("Alice@tool", proxied["bot_password"])
    assert refused["result"] == "Failed"


def test_cookies_are_secure_when_the_proxy_ends_tls(proxied: dict[str, Any]) -> None:
    client = Client(proxied["port"], "127.0.0.6")
    client.call("GET", action="query", meta="tokens", type="login")
    assert client.set_cookie_headers and all("secure" in header.lower() for header in client.set_cookie_headers)

