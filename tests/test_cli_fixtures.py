"""`wikigate seed FILE`: a fixtures file makes users, bot passwords, two-factor users, protected pages
and OAuth credentials with the values it gives, and a bad file makes nothing."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import pyotp
from click.testing import CliRunner

from wikigate.app import build_runtime, create_app
from wikigate.cli import main
from wikigate.config import load_settings

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
FIXTURES = f'''
[[users]]
name = "Alice"
password = "AlicePassword-1234"
email = "alice@example.org"

[[users]]
name = "Mindy"
groups = ["sysop"]

[[bot_passwords]]
user = "Alice"
app = "ci"
password = "abcdefghijklmnopqrstuvw012345678"
grants = ["basic", "editpage"]

[[two_factor]]
user = "Mindy"
secret = "{SECRET}"
recovery_codes = ["aaaa1111bbbb2222"]

[[pages]]
title = "Fixture page"
text = "Made by the fixtures."
by = "Mindy"
protect = {{ edit = "sysop" }}

[[oauth]]
user = "Alice"
'''


async def _api(client: httpx.AsyncClient, method: str = "GET", **params: Any) -> dict[str, Any]:
    params = {"format": "json", **params}
    response = await (client.get("/w/api.php", params=params) if method == "GET"
                      else client.post("/w/api.php", data=params))
    return dict(response.json())


async def test_a_fixtures_file_makes_what_it_lists_with_its_values(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "fixtures.toml"
    path.write_text(FIXTURES)
    seeded = await asyncio.to_thread(cli, "seed", str(path))
    assert seeded.exit_code == 0, seeded.output
    made = json.loads(seeded.output)
    assert made["users"]["Alice"]["password"] == "AlicePassword-1234"
    assert len(made["users"]["Mindy"]["password"]) == 24  # generated, and reported
    assert made["bot_passwords"]["Alice@ci"]["password"] == "abcdefghijklmnopqrstuvw012345678"
    assert made["two_factor"]["Mindy"] == {"secret": SECRET, "recovery_codes": ["aaaa1111bbbb2222"]}
    assert made["pages"] == ["Fixture page"]
    settings = load_settings()
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wiki.test") as http:
            token = (await _api(http, action="query", meta="tokens", type="login"))["query"]["tokens"]["logintoken"]
            bot = await _api(http, "POST", action="login", lgname="Alice@ci",
                             lgpassword="abcdefghijklmnopqrstuvw012345678", lgtoken=token)
            assert bot["login"]["result"] == "Success", bot
            info = await _api(http, action="query", prop="info", inprop="protection", titles="Fixture page",
                              formatversion="2")
            assert info["query"]["pages"][0]["protection"][0]["level"] == "sysop"
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wiki.test",
                                     headers={"Authorization": f"Bearer {made['oauth']['Alice']['access_token']}"}
                                     ) as bearer:
            assert (await _api(bearer, action="query", meta="userinfo"))["query"]["userinfo"]["name"] == "Alice"
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://wiki.test") as http:
            token = (await _api(http, action="query", meta="tokens", type="login"))["query"]["tokens"]["logintoken"]
            first = await _api(http, "POST", action="clientlogin", username="Mindy",
                               password=made["users"]["Mindy"]["password"], loginreturnurl="http://wiki.test/",
                               logintoken=token)
            assert first["clientlogin"]["status"] == "UI"
            done = await _api(http, "POST", action="clientlogin", logincontinue="1",
                              OATHToken=pyotp.TOTP(SECRET).at(runtime.services.clock.now()),
                              logintoken=token)
            assert done["clientlogin"]["status"] == "PASS", done
    await runtime.close()


def test_a_bad_fixtures_file_names_the_entry_and_makes_nothing(cli: Any, tmp_path: Path) -> None:
    cases = {
        '[[users]]\nname = "Alice"\n[[users]]\nname = "a|b"\n': "users[1]: 'a|b' is not a name an account can have",
        '[[users]]\nname = "Alice"\ngroups = ["wizard"]\n': "users[0]: 'wizard' is not a group that can be given",
        '[[bot_passwords]]\nuser = "Nobody"\napp = "x"\n':
            "bot_passwords[0]: user 'Nobody' is neither in the file nor on the wiki",
        '[[users]]\nname = "Alice"\n[[pages]]\ntitle = "P"\ntext = "t"\nby = "Alice"\nprotect = { edit = "god" }\n':
            "pages[0]: cannot protect 'edit' at level 'god'",
        '[[users]]\nname = "Alice"\n[[bot_passwords]]\nuser = "Alice"\napp = "x"\npassword = "short"\n':
            "bot_passwords[0]: 'password' must be 32 or more of the characters 0-9 and a-w",
        '[[widgets]]\n': "widgets: unknown section (the sections are users, bot_passwords, two_factor, pages, protected_titles, blocks, oauth)",
        '[[users]]\nname = "Alice"\ngroups = ["sysop"]\ngroup_expiry = { sysop = "yesterday" }\n':
            "users[0]: sysop 'yesterday' is in the past",
        '[[users]]\nname = "Alice"\n[[protected_titles]]\ntitle = "X"\nby = "Alice"\nexpiry = "whenever"\n':
            "protected_titles[0]: expiry 'whenever' is not an expiry",
        '[[users]]\nname = "Alice"\n[[blocks]]\ntarget = "Nobody"\nby = "Alice"\n':
            "blocks[0]: target 'Nobody' is neither in the file nor on the wiki",
        'users = 3\n': "users: must be a list of tables",
        '[[users]\n': "not valid TOML",
    }
    path = tmp_path / "bad.toml"
    for text, expected in cases.items():
        path.write_text(text)
        result = CliRunner().invoke(main, ["seed", str(path)])
        assert result.exit_code == 1 and expected in result.output and result.output.count("\n") == 1, result.output
    listed = CliRunner().invoke(main, ["user", "list"]).output
    assert "Alice" not in listed  # nothing was made by the refused files


def test_an_ephemeral_server_reports_where_it_is_and_what_it_made_then_leaves_nothing(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    fixtures = tmp_path / "fixtures.toml"
    fixtures.write_text(FIXTURES)
    env = {key: value for key, value in os.environ.items() if not key.startswith("WIKIGATE_")}
    env.update(WIKIGATE_PBKDF2_COST="1000", WIKIGATE_CONFIG=str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").touch()
    server = subprocess.Popen([str(Path(sys.executable).parent / "wikigate"), "serve", "--ephemeral", "--port", "0",
                               "--fixtures", str(fixtures)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              env=env, cwd=tmp_path, text=True)
    try:
        assert server.stdout is not None
        announced = json.loads(server.stdout.readline())
        assert announced["fixtures"]["users"]["Alice"]["password"] == "AlicePassword-1234"
        data_dir = Path(announced["data_dir"])
        assert data_dir.is_dir() and announced["api_url"].startswith("http://127.0.0.1:")
        deadline = time.monotonic() + 30
        while True:
            try:
                answer = httpx.get(announced["api_url"], params={"action": "query", "meta": "siteinfo",
                                                                 "format": "json"}, timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)
        assert answer.json()["query"]["general"]["sitename"], answer.text
        bearer = httpx.get(announced["api_url"], params={"action": "query", "meta": "userinfo", "format": "json"},
                           headers={"Authorization": f"Bearer {announced['fixtures']['oauth']['Alice']['access_token']}"})
        assert bearer.json()["query"]["userinfo"]["name"] == "Alice"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert server.returncode == 0, (server.returncode, server.stderr.read()[-3000:] if server.stderr else "")
    assert not data_dir.exists()


def test_a_lasting_server_announces_itself_as_json_when_asked_and_keeps_its_data(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if not key.startswith("WIKIGATE_")}
    (tmp_path / "none.toml").touch()
    env.update(WIKIGATE_CONFIG=str(tmp_path / "none.toml"), WIKIGATE_DATA_DIR=str(tmp_path / "data"))
    server = subprocess.Popen([str(Path(sys.executable).parent / "wikigate"), "serve", "--json", "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path, text=True)
    try:
        assert server.stdout is not None
        announced = json.loads(server.stdout.readline())
        # The port it really got, in the URLs and in what siteinfo says of the wiki.
        port = announced["api_url"].split(":")[2].split("/")[0]
        general = httpx.get(announced["api_url"], params={"action": "query", "meta": "siteinfo", "format": "json"},
                            timeout=30).json()["query"]["general"]
        assert port != "8080" and general["server"].endswith(f":{port}")
        assert announced["fixtures"] == {} and "testing_url" not in announced
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    assert (tmp_path / "data" / "wikigate.sqlite").exists()  # not a throwaway wiki
