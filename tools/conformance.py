"""Differential conformance checks between wikigate and MediaWiki 1.39.

A scenario is a named sequence of api.php requests made by one or more
clients (each with its own cookie jar). Values picked from one answer
(tokens, say) can be reused in later requests as "{name}". Answers are
normalised before they are compared: tokens, timestamps, ids, session
cookies, request ids and generated names differ on every run and say nothing
about conformance.

    python tools/conformance.py record --base http://127.0.0.1:8081/w/api.php
    python tools/conformance.py compare BASE_A BASE_B [--module protect]
    python tools/conformance.py report [--module protect] [--verbose]

Both wikis must hold the reference state (users Admin, Alice, Mindy with their
passwords and groups, the bot password Admin@oracle, the page "Main Page").
Against the local MediaWiki, throttles, rate limits and pending temporary
passwords are cleared before each scenario (this needs root).
`record` writes MediaWiki's normalised answers to tests/conformance/fixtures/;
`report` replays every scenario against an in-process wikigate and compares
with those fixtures, so it needs neither PHP nor a running MediaWiki.
Differences listed in tests/conformance/deliberate.json (with a reason) are
reported as deliberate; any other difference makes `report` exit with 1.

Scenario files (tests/conformance/scenarios/<module>.json):

    {"module": "protect", "scenarios": [
      {"name": "protect-edit-sysop", "pages": ["Conformance {unique} A"],
       "steps": [
         {"login": "Mindy"},                       # clientlogin (token + request)
         {"token": "csrf"},                        # captures {csrf} ({logintoken} for "login")
         {"method": "POST", "params": {"action": "protect", "title": "Conformance {unique} A",
          "protections": "edit=sysop", "token": "{csrf}"},
          "capture": {"x": "protect.title"}}]}]}

`{"botlogin": "Admin@oracle"}` logs in with action=login instead. `{"md5": "{uid}:{name}::0", "as": "sc"}`
sends nothing: it stores the MD5 of the expanded text as {sc} (CentralAuth's statecheck).
A step may name its `client` (default "main"), put POST parameters in the
query string with `query`, and be marked `"setup": true`; `"walk": true`
repeats it with each answer's `continue` values until an answer has none. `pages` are created
before the steps, outside the comparison. `{unique}` is a fresh string per run.
"""

from __future__ import annotations

import argparse
import asyncio
import fnmatch
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
CONFORMANCE_DIR = ROOT / "tests" / "conformance"
SCENARIO_DIR = CONFORMANCE_DIR / "scenarios"
FIXTURE_DIR = CONFORMANCE_DIR / "fixtures"
DELIBERATE_FILE = CONFORMANCE_DIR / "deliberate.json"

# The reference wiki's accounts; the in-process wikigate gets the same ones.
PASSWORDS = {
    "Admin": "AdminPassword-1234",
    "Alice": "AlicePassword-1234",
    "Mindy": "MindyPassword-1234",
    "Admin@oracle": "oraclebotpassword0123456789abcde",
}
USERS = (
    ("Admin", ("sysop", "bureaucrat", "interface-admin"), ""),
    ("Alice", (), "alice@example.org"),
    ("Mindy", ("sysop",), "mindy@example.org"),
)
SYSTEM_USER = "MediaWiki default"  # who the installer's Main Page is by
BOT_GRANTS = ("basic", "protect", "editpage", "editprotected")
SEED_PAGES = {"Main Page": "Main page of the conformance wiki."}
PAGE_TEXT = "A page made for a conformance scenario."
RETURN_URL = "http://127.0.0.1:8081/"

# CONFORMANCE_MEDIAWIKI_DATA names another MediaWiki's SQLite directory (the CentralAuth wiki in
# /tmp/mw-ca/data on :8083, say): its throttles are then cleared before each scenario, whatever --base is.
MEDIAWIKI_DATA_OVERRIDE = os.environ.get("CONFORMANCE_MEDIAWIKI_DATA", "")
MEDIAWIKI_DATA = Path(MEDIAWIKI_DATA_OVERRIDE or "/var/lib/mediawiki-oracle/data")
MEDIAWIKI_CODE = Path("/usr/share/mediawiki")
MEDIAWIKI_MAIL = Path("/tmp/oracle-mail")  # where the reference wiki's SMTP sink writes

# Keys whose values identify rows or moments rather than behaviour.
ID_KEYS = frozenset({"id", "userid", "lguserid", "pageid", "lastrevid", "revid", "oldrevid", "newrevid",
                     "logid", "talkid", "subjectid", "parentid", "centralid", "local", "editcount",
                     "old_revid", "last_revid", "rcid", "curid", "previd", "blockid"})
# Moments written out for people ("21:17, 1 December 2026"): the shape is compared, not the moment.
FORMATTED_TIME_KEYS = frozenset({"blockedtimestampformatted", "blockexpiryformatted", "blockexpiryrelative"})
FORMATTED_TIME_RE = re.compile(r"\d{2}:\d{2}, \d{1,2} [A-Z][a-z]+ \d{4}")
UNDO_SUMMARY_RE = re.compile(r"^(Undo revision )\d+")
VOLATILE_KEYS = frozenset({"servedby", "requestid", "curtimestamp", "touched", "starttimestamp",
                           "newtimestamp", "registrationdate", "emailauthenticated", "length",
                           "preferencestoken", "latestcontrib", "generator"})
# Human-readable texts: we write our own wording, and clients do not parse these.
TEXT_KEYS = frozenset({"info", "text", "html", "warnings", "invalidreason"})
# Texts only under these keys: elsewhere "reason" echoes the request and "message" is a key.
TEXT_KEYS_UNDER = {"message": ("clientlogin", "createaccount"), "reason": ("login",),
                   "*": ("error", "errors", "warnings", "actions"), "label": ("fields",), "help": ("fields",)}
TOKEN_RE = re.compile(r"^[0-9a-f]{32,40}\+\\$")
TIMESTAMP_RE = re.compile(r"(?:19|20[0-8])\d-\d\d-\d\dT\d\d:\d\d:\d\dZ")
SERVER_RE = re.compile(r"https?://(?:127\.0\.0\.1:\d+|wiki\.test|localhost:\d+)")
TEMP_PASSWORD_RE = re.compile(r"Temporary password:\s*(\S+)")
MISSING_MESSAGE_RE = re.compile(r"⧼([^⧽]+)⧽")
PLACEHOLDER_RE = re.compile(r"\{(\w+)\}")
DIGITS_RE = re.compile(r"\d+")
MAX_WALK = 30  # answers of one walked step, at most
COOKIE_PREFIX_RE = re.compile(r"^(?:oraclewiki|wikigate)")
# MediaWiki's ChronologyProtector cookies steer its database replicas; nothing comparable here.
IGNORED_COOKIES = frozenset({"cpPosIndex", "UseDC", "UseCDNCache"})


# ---------------------------------------------------------------- scenarios

@dataclass(frozen=True, slots=True)
class Step:
    client: str
    method: str
    params: dict[str, str]
    query: dict[str, str]
    capture: dict[str, str]
    setup: bool
    walk: bool = False  # repeat with each answer's `continue` until there is none


@dataclass(frozen=True, slots=True)
class Scenario:
    module: str
    name: str
    steps: tuple[Step, ...]
    pages: tuple[str, ...] = ()
    restore_passwords: tuple[str, ...] = ()
    doc: str = ""


def expand_step(raw: dict[str, Any]) -> list[Step]:
    """Turn one step of a scenario file (a request or a shorthand) into requests."""
    client = raw.get("client", "main")
    if "login" in raw:
        name = raw["login"]
        return [
            Step(client, "GET", {"action": "query", "meta": "tokens", "type": "login"}, {},
                 {"_logintoken": "query.tokens.logintoken"}, True),
            Step(client, "POST", {"action": "clientlogin", "username": name, "password": PASSWORDS[name],
                                  "loginreturnurl": RETURN_URL, "logintoken": "{_logintoken}"}, {}, {}, True),
        ]
    if "botlogin" in raw:
        name = raw["botlogin"]
        return [
            Step(client, "GET", {"action": "query", "meta": "tokens", "type": "login"}, {},
                 {"_logintoken": "query.tokens.logintoken"}, True),
            Step(client, "POST", {"action": "login", "lgname": name, "lgpassword": PASSWORDS[name],
                                  "lgtoken": "{_logintoken}"}, {}, {}, True),
        ]
    if "md5" in raw:
        # Not a request: the MD5 (hex) of a text with placeholders, e.g. CentralAuth's statecheck
        # "{userid}:{name}::0", stored as "as" (default "md5").
        return [Step(client, "MD5", {"text": str(raw["md5"])}, {}, {raw.get("as", "md5"): ""}, True)]
    if "mail" in raw:
        # Not a request: reads the temporary password from the newest password-reset mail.
        return [Step(client, "MAIL", {}, {}, {raw.get("as", "temppassword"): ""}, True)]
    if "token" in raw:
        kind = raw["token"]
        name = raw.get("as", "csrf" if kind == "csrf" else f"{kind}token")
        return [Step(client, "GET", {"action": "query", "meta": "tokens", "type": kind}, {},
                     {name: f"query.tokens.{kind}token"}, True)]
    params = {key: str(value) for key, value in raw["params"].items()}
    return [Step(client, raw.get("method", "POST"), params,
                 {key: str(value) for key, value in raw.get("query", {}).items()},
                 dict(raw.get("capture", {})), bool(raw.get("setup", False)), bool(raw.get("walk", False)))]


def load_scenarios(directory: Path = SCENARIO_DIR, module: str | None = None) -> list[Scenario]:
    scenarios: list[Scenario] = []
    seen: set[str] = set()
    for path in sorted(directory.glob("*.json")):
        data = json.loads(path.read_text())
        if module and data["module"] != module:
            continue
        for raw in data["scenarios"]:
            if raw["name"] in seen:
                raise ValueError(f"{path.name}: scenario {raw['name']!r} appears twice")
            seen.add(raw["name"])
            steps = tuple(step for item in raw["steps"] for step in expand_step(item))
            scenarios.append(Scenario(data["module"], raw["name"], steps, tuple(raw.get("pages", ())),
                                      tuple(raw.get("restore_passwords", ())), raw.get("doc", "")))
    return scenarios


# ---------------------------------------------------------------- normalising

def normalise_string(text: str, unique: str) -> str:
    if TOKEN_RE.match(text):
        return "<token>"
    text = text.replace(unique, "{unique}")
    text = SERVER_RE.sub("<server>", text)
    text = UNDO_SUMMARY_RE.sub(r"\1<id>", text)  # an undo's summary names the revision by its id
    return TIMESTAMP_RE.sub("<timestamp>", text)


def normalise(value: Any, unique: str, path: tuple[str, ...] = ()) -> Any:
    key = path[-1] if path else ""
    if isinstance(value, dict):
        return {page_key(k, key, value): normalise(v, unique, path + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, unique, path + (key,)) for v in value]
    # Where to continue: the shape counts, not the ids and timestamps that differ between wikis.
    if isinstance(value, str) and path[-2:-1] == ("continue",) and key != "continue":
        return DIGITS_RE.sub("<n>", normalise_string(value, unique))
    # The pointer to the docs: under "error", or beside "errors" with the newer errorformats
    # (in a jsonfm page's JSON too).
    within = path[1:] if path[:1] == ("<jsonfm>",) else path
    if key == "docref" or (key == "*" and within[:-1] in (("error",), ())):
        return "<docref>"
    if key in ID_KEYS and isinstance(value, int) and not isinstance(value, bool):
        return "<id>"
    if key == "logpage" and isinstance(value, int) and value:  # 0 says "no page": that is behaviour
        return "<id>"
    if key in VOLATILE_KEYS:
        return "<volatile>"
    if key in FORMATTED_TIME_KEYS and isinstance(value, str):
        return FORMATTED_TIME_RE.sub("<formatted time>", value)
    if isinstance(value, str):
        if key in TEXT_KEYS:
            return normalise_text(value)
        if key in TEXT_KEYS_UNDER and any(part in path for part in TEXT_KEYS_UNDER[key]):
            return normalise_text(value)
        return normalise_string(value, unique)
    return value


def normalise_text(text: str) -> str:
    # A message key in ⧼...⧽ is what a catalogue without that message renders: a bug worth seeing.
    missing = MISSING_MESSAGE_RE.search(text)
    return f"<missing message {missing.group(1)}>" if missing else "<text>"


def page_key(key: str, parent: str, siblings: dict[str, Any]) -> str:
    """formatversion 1 keys existing pages by their id: number them in order instead."""
    if parent != "pages" or not key.isdigit():
        return key
    ids = [k for k in siblings if k.isdigit()]
    return f"<pageid {ids.index(key) + 1}>"


def cookie_summary(set_cookies: list[str]) -> list[str]:
    """Cookie names with what matters to a client: deleted or not, and their lifetime."""
    summary = []
    for header in set_cookies:
        first, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = first.partition("=")
        if name in IGNORED_COOKIES:
            continue
        options = {part.split("=", 1)[0].lower(): part.partition("=")[2] for part in attributes}
        label = COOKIE_PREFIX_RE.sub("<prefix>", name)
        if value == "deleted" or options.get("max-age") == "0":
            label += " (deleted)"
        elif "max-age" in options:
            label += f" (max-age {options['max-age']})"
        summary.append(label)
    return sorted(set(summary))


# ---------------------------------------------------------------- running

@dataclass
class Target:
    """A wiki to send scenarios to: a base URL, or an ASGI app in this process."""

    base: str
    transport: httpx.AsyncBaseTransport | None = None
    reset: Callable[[], Awaitable[None]] | None = None
    make_page: Callable[[str, str], Awaitable[None]] | None = None
    read_mail: Callable[[float], Awaitable[str]] | None = None
    restore_password: Callable[[str], Awaitable[None]] | None = None
    _admin: httpx.AsyncClient | None = field(default=None, repr=False)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=self.transport, timeout=60, follow_redirects=False)

    async def create_page(self, title: str, text: str = PAGE_TEXT) -> None:
        if self.make_page is not None:
            await self.make_page(title, text)
            return
        # Over HTTP: edit as Admin (the bot password lacks the createpage grant).
        if self._admin is None:
            self._admin = self.client()
            token = await self._token(self._admin, "login")
            answer = await self._post(self._admin, {"action": "clientlogin", "username": "Admin",
                                                    "password": PASSWORDS["Admin"], "loginreturnurl": RETURN_URL,
                                                    "logintoken": token})
            if answer.get("clientlogin", {}).get("status") != "PASS":
                raise RuntimeError(f"cannot log in as Admin to create pages: {answer}")
        token = await self._token(self._admin, "csrf")
        answer = await self._post(self._admin, {"action": "edit", "title": title, "text": text,
                                                "summary": "conformance fixture", "token": token})
        if answer.get("edit", {}).get("result") != "Success":
            raise RuntimeError(f"cannot create page {title!r}: {answer}")

    async def _token(self, http: httpx.AsyncClient, kind: str) -> str:
        response = await http.get(self.base, params={"action": "query", "meta": "tokens", "type": kind,
                                                     "format": "json"})
        return str(response.json()["query"]["tokens"][f"{kind}token"])

    async def _post(self, http: httpx.AsyncClient, params: dict[str, str]) -> dict[str, Any]:
        response = await http.post(self.base, data={**params, "format": "json"})
        return dict(response.json())

    async def close(self) -> None:
        if self._admin is not None:
            await self._admin.aclose()
            self._admin = None


def substitute(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data


JSONFM_RE = re.compile(r'<pre class="api-pretty-content">(.*?)</pre>', re.S)


def answer_body(response: httpx.Response) -> Any:
    """The answer's JSON; for an HTML page (jsonfm), the JSON its <pre> shows, marked as such."""
    try:
        return response.json()
    except ValueError:
        shown = JSONFM_RE.search(response.text)
        if shown is None:
            return {"<not json>": response.text[:300]}
        text = shown.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        return {"<jsonfm>": json.loads(text)}


def describe(step: Step) -> dict[str, Any]:
    """The request as written in the scenario, for readable fixtures and reports."""
    request: dict[str, Any] = {"client": step.client, "method": step.method, "params": step.params}
    if step.query:
        request["query"] = step.query
    return request


async def run_scenario(target: Target, scenario: Scenario) -> list[dict[str, Any]]:
    unique = "x" + secrets.token_hex(4)
    values = {"unique": unique}
    if target.reset is not None:
        await target.reset()
    for title in scenario.pages:
        await target.create_page(substitute(title, values))
    clients: dict[str, httpx.AsyncClient] = {}
    results = []
    started = time.time()
    try:
        for step in scenario.steps:
            if step.method == "MAIL":
                values.update(await temporary_password(target, step, started))
                continue
            if step.method == "MD5":  # computed here, sends nothing (see expand_step)
                digest = hashlib.md5(substitute(step.params["text"], values).encode()).hexdigest()
                values.update({name: digest for name in step.capture})
                continue
            http = clients.get(step.client) or clients.setdefault(step.client, target.client())
            params = {key: substitute(value, values) for key, value in step.params.items()}
            query = {key: substitute(value, values) for key, value in step.query.items()}
            params.setdefault("format", "json")
            continued: dict[str, str] = {}
            for _ in range(MAX_WALK):
                sent = {**params, **continued}
                if step.method == "GET":
                    response = await http.get(target.base, params={**sent, **query})
                else:
                    response = await http.post(target.base, params=query, data=sent)
                body = answer_body(response)
                for name, path in step.capture.items():
                    found = dig(body, path)
                    if found is not None:
                        values[name] = str(found)
                results.append({
                    "request": describe(step),
                    "status": response.status_code,
                    "api_error": response.headers.get("mediawiki-api-error"),
                    "cookies": cookie_summary(response.headers.get_list("set-cookie")),
                    "body": normalise(body, unique),
                })
                if not step.walk or not isinstance(body.get("continue"), dict):
                    break
                continued = {key: str(value) for key, value in body["continue"].items()}
    finally:
        for http in clients.values():
            await http.aclose()
        for name in scenario.restore_passwords:
            if target.restore_password is None:
                raise RuntimeError(f"{scenario.name} changes {name}'s password and this target cannot restore it")
            await target.restore_password(name)
    return results


async def temporary_password(target: Target, step: Step, since: float) -> dict[str, str]:
    if target.read_mail is None:
        raise RuntimeError("this target cannot read its password-reset mails")
    found = TEMP_PASSWORD_RE.search(await target.read_mail(since))
    if found is None:
        raise RuntimeError("no temporary password in the newest mail")
    return {name: found.group(1) for name in step.capture}


async def run_all(target: Target, scenarios: list[Scenario],
                  progress: bool = False) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Answers per module, then per scenario name."""
    answers: dict[str, dict[str, list[dict[str, Any]]]] = {}
    try:
        for scenario in scenarios:
            if progress:
                print(f"  {scenario.module}: {scenario.name}", file=sys.stderr)
            answers.setdefault(scenario.module, {})[scenario.name] = await run_scenario(target, scenario)
    finally:
        await target.close()
        if target.reset is not None:
            await target.reset()  # leave no throttle or pending temporary password behind
    return answers


# ---------------------------------------------------------------- comparing

@dataclass(frozen=True, slots=True)
class Difference:
    path: str
    expected: Any
    actual: Any
    reason: str | None = None  # set when deliberate.json explains it


def differences(expected: Any, actual: Any, path: str = "") -> Iterator[Difference]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in list(expected) + [k for k in actual if k not in expected]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in actual:
                yield Difference(sub, expected[key], "<absent>")
            elif key not in expected:
                yield Difference(sub, "<absent>", actual[key])
            else:
                yield from differences(expected[key], actual[key], sub)
    elif isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (a, b) in enumerate(zip(expected, actual)):
            yield from differences(a, b, f"{path}.{index}")
    elif expected != actual:
        yield Difference(path, expected, actual)


def compare_steps(expected: list[dict[str, Any]], actual: list[dict[str, Any]]) -> list[Difference]:
    found: list[Difference] = []
    for index, (a, b) in enumerate(zip(expected, actual)):
        for part in ("status", "api_error", "cookies", "body"):
            found.extend(differences(a[part], b[part], f"step{index + 1}.{part}"))
    if len(expected) != len(actual):
        found.append(Difference("steps", len(expected), len(actual)))
    return found


def load_deliberate(path: Path = DELIBERATE_FILE) -> list[dict[str, str]]:
    if not path.exists():
        return []
    entries = json.loads(path.read_text())["differences"]
    for entry in entries:
        if not entry.get("reason"):
            raise ValueError(f"deliberate.json: entry without a reason: {entry}")
    return list(entries)


def explain(module: str, scenario: str, difference: Difference, deliberate: list[dict[str, str]]) -> Difference:
    for entry in deliberate:
        if (fnmatch.fnmatchcase(module, entry.get("module", "*"))
                and fnmatch.fnmatchcase(scenario, entry.get("scenario", "*"))
                and fnmatch.fnmatchcase(difference.path, entry.get("path", "*"))):
            return Difference(difference.path, difference.expected, difference.actual, entry["reason"])
    return difference


@dataclass(frozen=True, slots=True)
class Outcome:
    module: str
    scenario: str
    differences: tuple[Difference, ...]

    @property
    def exact(self) -> bool:
        return not self.differences

    @property
    def unexplained(self) -> tuple[Difference, ...]:
        return tuple(d for d in self.differences if d.reason is None)


def judge(expected: dict[str, dict[str, list[dict[str, Any]]]],
          actual: dict[str, dict[str, list[dict[str, Any]]]],
          deliberate: list[dict[str, str]]) -> list[Outcome]:
    outcomes = []
    for module, scenarios in expected.items():
        for name, steps in scenarios.items():
            if name not in actual.get(module, {}):
                continue
            found = compare_steps(steps, actual[module][name])
            outcomes.append(Outcome(module, name, tuple(explain(module, name, d, deliberate) for d in found)))
    return outcomes


def short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "..."


def print_outcomes(outcomes: list[Outcome], *, verbose: bool, labels: tuple[str, str]) -> None:
    modules = sorted({o.module for o in outcomes})
    print(f"{'module':<18}{'scenarios':>10}{'exact':>8}{'deliberate':>12}{'differ':>8}")
    for module in modules:
        mine = [o for o in outcomes if o.module == module]
        exact = sum(o.exact for o in mine)
        bad = sum(bool(o.unexplained) for o in mine)
        print(f"{module:<18}{len(mine):>10}{exact:>8}{len(mine) - exact - bad:>12}{bad:>8}")
    total = len(outcomes)
    bad_total = sum(bool(o.unexplained) for o in outcomes)
    exact_total = sum(o.exact for o in outcomes)
    print(f"{'total':<18}{total:>10}{exact_total:>8}{total - exact_total - bad_total:>12}{bad_total:>8}")
    for module in modules:
        mine = [o for o in outcomes if o.module == module and not o.exact]
        if not mine:
            continue
        print(f"\n== {module}")
        for outcome in mine:
            state = "DIFFERS" if outcome.unexplained else "deliberate"
            print(f"  [{state}] {outcome.scenario}")
            for d in outcome.differences:
                if d.reason is not None and not verbose:
                    continue
                note = f"  (deliberate: {d.reason})" if d.reason else ""
                print(f"      {d.path}: {labels[0]}={short(d.expected)} {labels[1]}={short(d.actual)}{note}")


# ---------------------------------------------------------------- MediaWiki state

def _as_www_data(argv: list[str]) -> None:
    # The owner of the wiki's files, so no root-owned journal or cache file is left behind.
    subprocess.run(["setpriv", "--reuid=www-data", "--regid=www-data", "--init-groups", *argv],
                   check=True, capture_output=True, cwd=MEDIAWIKI_CODE)


def _mediawiki_sqlite(database: str, sql: str) -> None:
    _as_www_data(["sqlite3", "-cmd", ".timeout 10000", str(MEDIAWIKI_DATA / database), sql])


async def restore_mediawiki_password(name: str) -> None:
    await asyncio.to_thread(_as_www_data, ["php", "maintenance/changePassword.php", "--user", name,
                                           "--password", PASSWORDS[name]])


async def read_mediawiki_mail(since: float, timeout: float = 15.0) -> str:
    """The newest mail the SMTP sink received after `since`; it arrives shortly after the answer."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        mails = sorted((path.stat().st_mtime, path) for path in MEDIAWIKI_MAIL.glob("*.eml")
                       if path.stat().st_mtime >= since)
        if mails:
            return mail_text(mails[-1][1].read_bytes())
        await asyncio.sleep(0.2)
    raise RuntimeError(f"no mail arrived in {MEDIAWIKI_MAIL}")


def mail_text(raw: bytes) -> str:
    import email
    import email.message
    import email.policy

    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    body = message.get_body(preferencelist=("plain",)) or message
    return str(body.get_content())


async def reset_mediawiki() -> None:
    """Forget login throttles, rate limits and pending temporary passwords."""
    _mediawiki_sqlite("wikicache.sqlite",
                      "DELETE FROM objectcache WHERE keyname LIKE '%throttler%' OR keyname LIKE '%limiter%' "
                      "OR keyname LIKE '%ratelimit%';")
    _mediawiki_sqlite("oraclewiki.sqlite",
                      "UPDATE user SET user_newpassword='', user_newpass_time=NULL "
                      "WHERE user_name IN ('Admin','Alice','Mindy');")


def mediawiki_target(base: str) -> Target:
    local = base.startswith(("http://127.0.0.1:8081", "http://127.0.0.1:8082")) or bool(MEDIAWIKI_DATA_OVERRIDE)
    if not (local and MEDIAWIKI_DATA.exists()):
        return Target(base)
    return Target(base, reset=reset_mediawiki, read_mail=read_mediawiki_mail,
                  restore_password=restore_mediawiki_password)


# ---------------------------------------------------------------- wikigate in process

def wikigate_settings(data_dir: Path, database_url: str = "") -> Any:
    from wikigate.config import Settings

    # Names and addresses as on the reference wiki; a low hashing cost keeps the replay quick.
    return Settings(data_dir=data_dir, database_url=database_url, secret_key="conformance-secret",
                    pbkdf2_cost=1000, sitename="Oracle Wiki", server="http://127.0.0.1:8081",
                    cookie_prefix="oraclewiki")  # the wiki id too


async def seed_wikigate(runtime: Any) -> None:
    """The reference wiki's users, bot password and pages."""
    from wikigate.store import botpasswords, users
    from wikigate.store.botpasswords import BotPasswordRecord

    services = runtime.services
    ids = {}
    now = services.clock.now()
    for name, groups, email in USERS:
        record = await services.accounts.create(name, PASSWORDS[name], groups=groups, email=email)
        ids[name] = record.id
        if name == "Admin":
            # The installer's system user comes second, as on the reference wiki. Its name is
            # reserved (no one may create it), so it goes straight into the store, without a password.
            system = await runtime.database.write(lambda tx: users.insert(
                tx, name=SYSTEM_USER, password="", email="", real_name="", token="", now=now))
            ids[SYSTEM_USER] = system.id
        if email:
            # The reference wiki set these addresses with a maintenance script, which confirms them.
            await runtime.database.write(
                lambda tx, user_id=record.id: users.update_user(tx, user_id, email_authenticated=now))
    bot = BotPasswordRecord(user_id=ids["Admin"], app_id="oracle",
                            password=await services.accounts.hash(PASSWORDS["Admin@oracle"]),
                            grants=BOT_GRANTS, restrictions=("0.0.0.0/0", "::/0"), created=now)
    await runtime.database.write(lambda tx: botpasswords.insert(tx, bot))
    for title, text in SEED_PAGES.items():
        # As the installer leaves it: by MediaWiki's own system user, with no summary.
        await insert_page(runtime, title, text, user_id=ids[SYSTEM_USER], user_text=SYSTEM_USER, comment="")


async def insert_page(runtime: Any, title_text: str, text: str, *, user_id: int, user_text: str,
                      comment: str = "conformance fixture") -> None:
    from wikigate.store import changes, logs, pages
    from wikigate.titles import parse_title

    services = runtime.services
    title = parse_title(title_text, services.namespaces)
    now = services.clock.seconds()  # as every stored time is

    def create(tx: Any) -> None:
        page_id = pages.create_page(tx, title.namespace, title.dbkey, now)
        revision = pages.add_revision(tx, page_id=page_id, parent_id=0, text=text, comment=comment,
                           user_id=user_id, user_text=user_text, now=now, minor=False, is_new=True,
                           is_redirect=False)
        # Logged and listed as the reference wiki's fixture edits are (Admin's autopatrolled).
        logs.add_log(tx, type="create", action="create", now=now, user_id=user_id, user_text=user_text,
                     namespace=title.namespace, title=title.dbkey, page_id=page_id, comment=comment, params={},
                     recent=False)
        changes.add_change(
            tx, timestamp=now, user_id=user_id, user_text=user_text, namespace=title.namespace, title=title.dbkey,
            comment=comment, minor=False, bot=False, type=changes.RC_NEW, page_id=page_id, this_oldid=revision.id,
            last_oldid=0, patrolled=changes.AUTOPATROLLED if user_text == "Admin" else changes.UNPATROLLED,
            old_len=0, new_len=revision.len, log_id=0, log_type=None, log_action=None)

    await runtime.database.write(create)


async def empty_database(runtime: Any) -> None:
    """A shared PostgreSQL test database may hold other tests' rows."""
    from sqlalchemy import text

    from wikigate.store.schema import metadata

    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    await runtime.database.write(lambda tx: tx.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE")))


class InProcessWikigate:
    """A wikigate with the reference wiki's state, served through ASGI in this process.

    Its clock only moves between scenarios, by three days, which lets every
    throttle, rate limit and pending temporary password expire the way
    clearing MediaWiki's caches does.
    """

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.runtime: Any = None
        self.app: Any = None
        self._lifespan: Any = None

    async def __aenter__(self) -> Target:
        from wikigate.app import build_runtime, create_app
        from wikigate.clock import FixedClock

        self.clock = FixedClock(time.time())
        self.runtime = await build_runtime(self.settings, clock=self.clock)
        if self.runtime.database.dialect == "postgresql":
            await empty_database(self.runtime)
        await seed_wikigate(self.runtime)
        self.app = create_app(self.settings, runtime=self.runtime)
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        transport = httpx.ASGITransport(app=self.app, client=("127.0.0.1", 50000))

        async def reset() -> None:
            self.clock.advance(3 * 86400)

        async def make_page(title: str, text: str) -> None:
            # By Admin, as the reference wiki's fixture pages are (an auto-generated deletion reason names them).
            admin = await self.runtime.services.accounts.require("Admin")
            await insert_page(self.runtime, title, text, user_id=admin.id, user_text="Admin")

        async def read_mail(since: float) -> str:
            await self.runtime.mailer.drain()
            mails = sorted((Path(self.settings.data_dir) / "outbox").glob("*.eml"))
            if not mails:
                raise RuntimeError("wikigate sent no mail")
            return mail_text(mails[-1].read_bytes())

        async def restore_password(name: str) -> None:
            accounts = self.runtime.services.accounts
            await accounts.change_password(await accounts.require(name), PASSWORDS[name])

        return Target("http://127.0.0.1:8081/w/api.php", transport=transport, reset=reset, make_page=make_page,
                      read_mail=read_mail, restore_password=restore_password)

    async def __aexit__(self, *exc: object) -> None:
        await self._lifespan.__aexit__(None, None, None)
        await self.runtime.close()


# ---------------------------------------------------------------- fixtures

def fixture_path(module: str) -> Path:
    return FIXTURE_DIR / f"{module}.json"


def write_fixtures(answers: dict[str, dict[str, list[dict[str, Any]]]], base: str) -> None:
    FIXTURE_DIR.mkdir(parents=True, exist_ok=True)
    for module, scenarios in answers.items():
        path = fixture_path(module)
        old = json.loads(path.read_text())["scenarios"] if path.exists() else {}
        old.update(scenarios)
        # A scenario taken out of its file takes its recording with it.
        defined = {scenario.name for scenario in load_scenarios(module=module)}
        old = {name: steps for name, steps in old.items() if name in defined}
        document = {"module": module, "recorded_from": "MediaWiki 1.39.17 (" + SERVER_RE.sub("<server>", base) + ")",
                    "scenarios": dict(sorted(old.items()))}
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def load_fixtures(modules: set[str] | None = None) -> dict[str, dict[str, list[dict[str, Any]]]]:
    fixtures = {}
    for path in sorted(FIXTURE_DIR.glob("*.json")):
        document = json.loads(path.read_text())
        if modules is None or document["module"] in modules:
            fixtures[document["module"]] = document["scenarios"]
    return fixtures


async def replay_against_wikigate(scenarios: list[Scenario], *, settings: Any = None, progress: bool = False
                                  ) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every scenario against a fresh in-process wikigate (in a temporary directory unless `settings`)."""
    if settings is not None:
        async with InProcessWikigate(settings) as target:
            return await run_all(target, scenarios, progress=progress)
    with tempfile.TemporaryDirectory(prefix="wikigate-conformance-") as directory:
        async with InProcessWikigate(wikigate_settings(Path(directory))) as target:
            return await run_all(target, scenarios, progress=progress)


# ---------------------------------------------------------------- command line

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    record = commands.add_parser("record", help="record MediaWiki's answers into the fixtures")
    record.add_argument("--base", default="http://127.0.0.1:8081/w/api.php")
    compare = commands.add_parser("compare", help="run the scenarios against two wikis and diff them")
    compare.add_argument("base_a")
    compare.add_argument("base_b")
    report = commands.add_parser("report", help="replay against an in-process wikigate and compare with fixtures")
    report.add_argument("--verbose", action="store_true", help="also show deliberate differences")
    for command in (record, compare, report):
        command.add_argument("--module", help="only this module's scenarios")
        command.add_argument("--scenario", help="only scenarios whose name matches this pattern")
    args = parser.parse_args(argv)

    scenarios = load_scenarios(module=args.module)
    if args.scenario:
        scenarios = [s for s in scenarios if fnmatch.fnmatchcase(s.name, args.scenario)]
    if args.command == "record":
        answers = asyncio.run(run_all(mediawiki_target(args.base), scenarios, progress=True))
        write_fixtures(answers, args.base)
        print(f"recorded {len(scenarios)} scenarios into {FIXTURE_DIR}")
        return 0
    if args.command == "compare":
        first = asyncio.run(run_all(mediawiki_target(args.base_a), scenarios))
        second = asyncio.run(run_all(mediawiki_target(args.base_b), scenarios))
        outcomes = judge(first, second, load_deliberate())
        print_outcomes(outcomes, verbose=True, labels=("A", "B"))
        return 1 if any(o.unexplained for o in outcomes) else 0
    fixtures = load_fixtures({s.module for s in scenarios})
    scenarios = [s for s in scenarios if s.name in fixtures.get(s.module, {})]
    answers = asyncio.run(replay_against_wikigate(scenarios))
    outcomes = judge(fixtures, answers, load_deliberate())
    print_outcomes(outcomes, verbose=args.verbose, labels=("mediawiki", "wikigate"))
    return 1 if any(o.unexplained for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
