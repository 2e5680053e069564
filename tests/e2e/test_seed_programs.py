"""The sample programs of the seed pages, run unmodified but for the URL and the credentials.

See seed_programs/README.md for where they come from and what is filled in.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from e2e_support import PYTHON, WikiServer, fail, node_env, run_program
from seed_outputs import normalised

pytestmark = pytest.mark.e2e

PROGRAMS = Path(__file__).resolve().parent / "seed_programs"
LANGUAGES = ("py", "php", "js")
TOKEN = re.compile(r"^[0-9a-f]{40}\+\\$")
# Who the programs that log in (action=login with lgname/lgpassword) log in as: a main account,
# or a bot password as the protect programs' comments recommend (Mindy is a sysop).
CREDENTIALS = {"reset_password": "Alice", "protect": "Mindy@e2e"}
PROTECT_PAGES = {"py": "User:SSethi (WMF)/common.js", "php": "Sandbox", "js": "Sandbox"}


def _run(wiki: WikiServer, program: str, language: str, workdir: Path, request: pytest.FixtureRequest) -> str:
    user = CREDENTIALS.get(program, "Alice")
    source = (PROGRAMS / f"{program}.{language}").read_text()
    source = (source.replace("{{API_URL}}", wiki.api_url)
              .replace("{{LOGIN_NAME}}", user).replace("{{LOGIN_PASSWORD}}", wiki.password_of(user)))
    path = workdir / f"{program}.{language}"
    path.write_text(source)
    client = f"seed program {program}.{language}"
    if language == "py":
        return run_program(client, [PYTHON, str(path)], cwd=workdir, server=wiki)
    if language == "php":
        php = request.getfixturevalue("php")
        return run_program(client, [php, str(path)], cwd=workdir, server=wiki)
    modules = request.getfixturevalue("node_modules")
    return run_program(client, ["node", str(path)], cwd=workdir, env=node_env(wiki, modules), server=wiki)


def _json(client: str, output: str) -> object:
    try:
        return json.loads(output)
    except ValueError:
        fail(client, "printed something that is not JSON", output[:2000])
        raise


@pytest.mark.parametrize("language", LANGUAGES)
def test_tokens(wiki: WikiServer, workdir: Path, language: str, request: pytest.FixtureRequest) -> None:
    output = _run(wiki, "tokens", language, workdir, request)
    if not TOKEN.match(output.strip()):
        fail(f"seed program tokens.{language}", "GET action=query meta=tokens type=login: no login token printed",
             output)


def test_validatepassword_py_sends_an_empty_password(wiki: WikiServer, workdir: Path,
                                                     request: pytest.FixtureRequest) -> None:
    # The program posts password="" and prints the decoded answer: MediaWiki says missingparam.
    output = _run(wiki, "validatepassword", "py", workdir, request)
    expected = "{'error': {'code': 'missingparam', 'info': 'The \"password\" parameter must be set.'"
    if not output.startswith(expected):
        fail("seed program validatepassword.py", "POST action=validatepassword password=", output)


@pytest.mark.parametrize("language", ("php", "js"))
def test_validatepassword_programs_that_print_nothing(wiki: WikiServer, workdir: Path, language: str,
                                                      request: pytest.FixtureRequest) -> None:
    # validatepassword.php posts and discards the answer; validatepassword.js never calls its
    # function. Both must simply run to completion.
    assert _run(wiki, "validatepassword", language, workdir, request) == ""


def _outbox_mails(wiki: WikiServer) -> list[str]:
    outbox = wiki.data_dir / "outbox"
    return [path.read_text(errors="replace") for path in outbox.glob("*.eml")] if outbox.exists() else []


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.mark.parametrize("language", LANGUAGES)
def test_reset_password(wiki: WikiServer, workdir: Path, language: str, request: pytest.FixtureRequest) -> None:
    output = _run(wiki, "reset_password", language, workdir, request)
    client = f"seed program reset_password.{language}"
    if _json(client, output) != {"resetpassword": {"status": "success"}}:
        fail(client, "POST action=resetpassword email=user@mediawiki.org", output)
    # Resetme has that address: a temporary password goes out (once a day, so only the first run mails).
    if not _wait_for(lambda: any("user@mediawiki.org" in mail for mail in _outbox_mails(wiki)), 5):
        fail(client, "POST action=resetpassword email=user@mediawiki.org: no mail reached the outbox",
             wiki.log_tail())


@pytest.fixture(scope="module")
def protect_pages(wiki: WikiServer) -> None:
    # The programs protect pages of Wikipedia; give them existing pages to protect here.
    for title in sorted(set(PROTECT_PAGES.values())):
        wiki.ensure_page(title, "// page for the protect seed program" if title.endswith(".js") else "Sandbox.")


@pytest.mark.parametrize("language", LANGUAGES)
def test_protect(wiki: WikiServer, workdir: Path, language: str, request: pytest.FixtureRequest,
                 protect_pages: None) -> None:
    output = _run(wiki, "protect", language, workdir, request)
    client = f"seed program protect.{language}"
    title = PROTECT_PAGES[language]
    expected = {"protect": {"title": title, "reason": "", "protections": [
        {"edit": "autoconfirmed", "expiry": "infinite"}, {"move": "sysop", "expiry": "infinite"}]}}
    what = f"POST action=protect title={title} protections=edit=autoconfirmed|move=sysop expiry=infinite"
    if language == "py":
        # This one sends no format and prints the HTML page (jsonfm), whose <pre> reads as the JSON.
        shown = re.search(r'<pre class="api-pretty-content">(.*?)</pre>', output, re.S)
        if shown is None or "&quot;" in shown.group(1):
            fail(client, what + ": not the JSON as text in an HTML page", output[:3000])
        output = html.unescape(shown.group(1))
    if _json(client, output) != expected:
        fail(client, what, output)


RECORDED = json.loads((PROGRAMS / "recorded.json").read_text())["outputs"]


@pytest.mark.parametrize("program", ["tokens", "validatepassword", "reset_password", "protect"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_program_prints_what_it_prints_against_mediawiki(wiki: WikiServer, workdir: Path, language: str,
                                                           program: str, request: pytest.FixtureRequest) -> None:
    # Recorded from MediaWiki 1.39 with the same accounts, rights and pages (tools/record_seed_outputs.py).
    if program == "protect":
        request.getfixturevalue("protect_pages")
    output = _run(wiki, program, language, workdir, request)
    assert normalised(output) == RECORDED[f"{program}.{language}"], output[:3000]
