"""Fixtures: the accounts, credentials and pages a test needs, from one document.

Read by `wikigate seed FILE`, `wikigate serve --fixtures FILE` and a test
server's POST /testing/fixtures.

A fixtures file (TOML, or JSON by its suffix) lists `users`, `bot_passwords`,
`two_factor` enrolments, `pages` (with their protections) and `oauth`
credentials. Every value that would otherwise be generated can be given; what
is generated is printed, with everything else a client needs, as one JSON
object. The whole file is checked before anything is made: a bad file gives
one line naming the entry and the problem, and creates nothing.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import ipaddress
import json
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wikigate import titles, usernames
from wikigate.auth.providers.botpassword import valid_bot_password
from wikigate.config import IMPLICIT_GROUPS, Settings
from wikigate.services.blocks import BlockRequest
from wikigate.services.pages import EditRequest, PageError, WatchMode
from wikigate.services.suite import Services
from wikigate.services.users import User, build_user
from wikigate.timeutil import InvalidExpiry, parse_expiry

SECTIONS = ("users", "bot_passwords", "two_factor", "pages", "protected_titles", "blocks", "oauth")


class FixtureError(Exception):
    """One problem, named by its entry ("users[2]: …")."""


@dataclass
class Plan:
    """A checked fixtures file: what to make, in order."""

    users: list[dict[str, Any]] = field(default_factory=list)
    bot_passwords: list[dict[str, Any]] = field(default_factory=list)
    two_factor: list[dict[str, Any]] = field(default_factory=list)
    pages: list[dict[str, Any]] = field(default_factory=list)
    protected_titles: list[dict[str, Any]] = field(default_factory=list)
    blocks: list[dict[str, Any]] = field(default_factory=list)
    oauth: list[dict[str, Any]] = field(default_factory=list)


def read_fixtures(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text()
        document = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except OSError as error:
        raise FixtureError(f"{path}: {error.strerror or error}") from None
    except (ValueError, tomllib.TOMLDecodeError) as error:
        raise FixtureError(f"{path}: not valid {'JSON' if path.suffix == '.json' else 'TOML'} ({error})") from None
    if not isinstance(document, dict):
        raise FixtureError(f"{path}: the top level must be a table of sections")
    return document


def _entries(document: dict[str, Any], section: str) -> list[tuple[str, dict[str, Any]]]:
    entries = document.get(section, [])
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        raise FixtureError(f"{section}: must be a list of tables")
    return [(f"{section}[{index}]", entry) for index, entry in enumerate(entries)]


def _text(where: str, entry: dict[str, Any], key: str, *, required: bool = True, default: str = "") -> str:
    value = entry.get(key, None if required else default)
    if value is None:
        raise FixtureError(f"{where}: '{key}' is missing")
    if not isinstance(value, str):
        raise FixtureError(f"{where}: '{key}' must be a string")
    return value


def _strings(where: str, entry: dict[str, Any], key: str) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise FixtureError(f"{where}: '{key}' must be a list of strings")
    return value


def _expiry(where: str, entry: dict[str, Any], key: str, now: float) -> str:
    """An expiry as action=protect and action=block read it, checked now so that a bad one makes nothing."""
    value = _text(where, entry, key, required=False, default="infinite")
    try:
        when = parse_expiry(value, now=now)
    except InvalidExpiry:
        raise FixtureError(f"{where}: {key} {value!r} is not an expiry (e.g. \"infinite\", \"1 week\", "
                           "\"2030-01-01T00:00:00Z\")") from None
    if when is not None and when <= now:
        raise FixtureError(f"{where}: {key} {value!r} is in the past")
    return value


def _flag(where: str, entry: dict[str, Any], key: str) -> bool:
    value = entry.get(key, False)
    if not isinstance(value, bool):
        raise FixtureError(f"{where}: '{key}' must be true or false")
    return value


def _title(where: str, entry: dict[str, Any], namespaces: titles.Namespaces) -> titles.Title:
    raw = _text(where, entry, "title")
    try:
        return titles.parse_title(raw, namespaces)
    except titles.InvalidTitle:
        raise FixtureError(f"{where}: {raw!r} is not a valid title") from None


def check(document: dict[str, Any], settings: Settings, namespaces: titles.Namespaces,
          existing: Callable[[str], bool], now: float) -> Plan:
    """Check every entry; the plan, or the first problem. `existing` tells whether an account exists."""
    unknown = sorted(set(document) - set(SECTIONS))
    if unknown:
        raise FixtureError(f"{unknown[0]}: unknown section (the sections are {', '.join(SECTIONS)})")
    plan = Plan()
    names: set[str] = set()
    for where, entry in _entries(document, "users"):
        raw = _text(where, entry, "name")
        name = usernames.canonical_name(raw, namespaces, rigor="creatable")
        if name is None:
            raise FixtureError(f"{where}: {raw!r} is not a name an account can have")
        if name in names or existing(name):
            raise FixtureError(f"{where}: the user {name!r} exists already")
        groups = _strings(where, entry, "groups")
        for group in groups:
            if group not in settings.group_permissions or group in IMPLICIT_GROUPS:
                raise FixtureError(f"{where}: {group!r} is not a group that can be given")
        expiries = entry.get("group_expiry", {})
        if not isinstance(expiries, dict) or not set(expiries) <= set(groups):
            raise FixtureError(f"{where}: 'group_expiry' maps some of the user's groups to expiries")
        names.add(name)
        plan.users.append({"name": name, "password": _text(where, entry, "password", required=False) or None,
                           "groups": groups, "group_expiry": {
                               group: _expiry(where, expiries, group, now) for group in expiries}, "email": _text(where, entry, "email", required=False),
                           "realname": _text(where, entry, "realname", required=False)})

    def known_user(where: str, entry: dict[str, Any], key: str = "user") -> str:
        raw = _text(where, entry, key)
        name = usernames.canonical_name(raw, namespaces) or raw
        if name not in names and not existing(name):
            raise FixtureError(f"{where}: {key} {raw!r} is neither in the file nor on the wiki")
        return name

    for where, entry in _entries(document, "bot_passwords"):
        grants = _strings(where, entry, "grants") or ["basic"]
        bad = [grant for grant in grants if grant not in settings.grant_permissions]
        if bad:
            raise FixtureError(f"{where}: unknown grant {bad[0]!r}")
        password = _text(where, entry, "password", required=False) or None
        if password is not None and not valid_bot_password(password):
            # Clients tell a bot password from a main one by its shape: another would not log in.
            raise FixtureError(f"{where}: 'password' must be 32 or more of the characters 0-9 and a-w")
        plan.bot_passwords.append({"user": known_user(where, entry), "app": _text(where, entry, "app"),
                                   "password": password,
                                   "grants": grants, "restrictions": _strings(where, entry, "restrictions")})
    for where, entry in _entries(document, "two_factor"):
        secret = _text(where, entry, "secret", required=False) or None
        if secret is not None:
            try:
                base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
            except binascii.Error:
                raise FixtureError(f"{where}: 'secret' is not base32") from None
        plan.two_factor.append({"user": known_user(where, entry), "secret": secret,
                                "recovery_codes": _strings(where, entry, "recovery_codes") or None})
    for where, entry in _entries(document, "pages"):
        title = _title(where, entry, namespaces)
        protect = entry.get("protect", {})
        if not isinstance(protect, dict) or not all(isinstance(level, str) for level in protect.values()):
            raise FixtureError(f"{where}: 'protect' must map actions to levels, e.g. {{edit = \"sysop\"}}")
        for action, level in protect.items():
            if action not in settings.restriction_types or level not in settings.restriction_levels:
                raise FixtureError(f"{where}: cannot protect {action!r} at level {level!r}")
        plan.pages.append({"title": title, "text": _text(where, entry, "text"), "protect": protect,
                           "by": known_user(where, entry, "by"),
                           "expiry": _expiry(where, entry, "expiry", now)})
    for where, entry in _entries(document, "protected_titles"):
        level = _text(where, entry, "level", required=False, default="sysop")
        if level not in settings.restriction_levels or not level:
            raise FixtureError(f"{where}: {level!r} is not a protection level")
        plan.protected_titles.append({"title": _title(where, entry, namespaces), "level": level,
                                      "by": known_user(where, entry, "by"), "expiry": _expiry(where, entry, "expiry", now),
                                      "reason": _text(where, entry, "reason", required=False)})
    for where, entry in _entries(document, "blocks"):
        pages = _strings(where, entry, "pages")
        namespaces_blocked = entry.get("namespaces", [])
        if not isinstance(namespaces_blocked, list) or not all(
                isinstance(number, int) and not isinstance(number, bool) for number in namespaces_blocked):
            raise FixtureError(f"{where}: 'namespaces' must be a list of namespace numbers")
        target = _text(where, entry, "target")
        try:
            ipaddress.ip_network(target, strict=False)
        except ValueError:  # not an address or a range: an account
            target = known_user(where, entry, "target")
        plan.blocks.append({"by": known_user(where, entry, "by"), "request": BlockRequest(
            target=target, expiry=_expiry(where, entry, "expiry", now),
            reason=_text(where, entry, "reason", required=False), anon_only=_flag(where, entry, "anononly"),
            no_create=_flag(where, entry, "nocreate"), autoblock=_flag(where, entry, "autoblock"),
            no_email=_flag(where, entry, "noemail"), allow_usertalk=_flag(where, entry, "allowusertalk"),
            partial=bool(pages or namespaces_blocked), pages=tuple(pages), namespaces=tuple(namespaces_blocked))})
    for where, entry in _entries(document, "oauth"):
        version = entry.get("version", 2)
        if version not in (1, 2):
            raise FixtureError(f"{where}: 'version' is 1 or 2")
        grants = _strings(where, entry, "grants") or ["basic", "highvolume", "editpage", "createeditmovepage"]
        bad = [grant for grant in grants if grant not in settings.grant_permissions]
        if bad:
            raise FixtureError(f"{where}: unknown grant {bad[0]!r}")
        plan.oauth.append({"user": known_user(where, entry), "version": version, "grants": grants,
                           "consumer": _text(where, entry, "consumer", required=False, default="fixtures")})
    return plan


async def _acting(services: Services, name: str, now: float) -> User:
    record = await services.accounts.find(name)
    assert record is not None  # checked by `check`, made before anything that acts
    return build_user(record, await services.accounts.memberships(record.id), services.settings, now,
                      ip="127.0.0.1")


async def _protect(services: Services, author: User, title: titles.Title, levels: list[str], expiry: str,
                   reason: str, now: float) -> None:
    await services.protections.protect(author, title, levels, [expiry], cascade=False, reason=reason,
                                       watchlist=WatchMode.NOCHANGE, watchlist_expiry=None, now=now)


@contextlib.contextmanager
def _refused_as(what: str) -> Iterator[None]:
    """The wiki's refusal (a protection it will not set, a block it will not place) as one line naming
    the entry and the reason."""
    try:
        yield
    except PageError as error:
        raise FixtureError(f"{what} ({error.denials[0].key})") from None


async def carry_out(services: Services, plan: Plan) -> dict[str, Any]:
    """Make what the plan lists; what a client needs (generated values included), as JSON."""
    now = services.clock.now()
    made: dict[str, Any] = {"users": {}, "bot_passwords": {}, "two_factor": {}, "pages": [], "protected_titles": [],
                            "blocks": [], "oauth": {}}
    for user in plan.users:
        password = user["password"] or services.random.token_hex(12)
        lasting = [group for group in user["groups"] if group not in user["group_expiry"]]
        record = await services.accounts.create(user["name"], password, email=user["email"],
                                                real_name=user["realname"], groups=lasting)
        if user["group_expiry"]:
            expiring = {group: parse_expiry(expiry, now=now) for group, expiry in user["group_expiry"].items()}
            await services.accounts.change_groups(record, None, add=expiring, remove=[], addable=list(expiring),
                                                  removable=[], now=now)
        made["users"][user["name"]] = {"password": password, "groups": user["groups"]}
    for bot in plan.bot_passwords:
        _, password = await services.login.create_bot_password(
            bot["user"], bot["app"], grants=bot["grants"], restrictions=bot["restrictions"], password=bot["password"])
        made["bot_passwords"][f"{bot['user']}@{bot['app']}"] = {"password": password, "grants": bot["grants"]}
    for enrolment in plan.two_factor:
        done = await services.login.enable_two_factor(enrolment["user"], secret=enrolment["secret"],
                                                      recovery_codes=enrolment["recovery_codes"])
        made["two_factor"][enrolment["user"]] = {"secret": done.secret, "recovery_codes": done.recovery_codes}
    for page in plan.pages:
        author = await _acting(services, page["by"], now)
        with _refused_as(f"{page['title'].prefixed_text}: could not be saved or protected"):
            await services.pages.edit(author, page["title"], EditRequest(text=page["text"],
                                                                         watchlist=WatchMode.NOCHANGE),
                                      now=now, ip="127.0.0.1")
            if page["protect"]:
                await _protect(services, author, page["title"],
                               [f"{action}={level}" for action, level in page["protect"].items()], page["expiry"],
                               "", now)
        made["pages"].append(page["title"].prefixed_text)
    for protected in plan.protected_titles:
        with _refused_as(f"{protected['title'].prefixed_text}: could not be protected from creation"):
            await _protect(services, await _acting(services, protected["by"], now), protected["title"],
                           [f"create={protected['level']}"], protected["expiry"], protected["reason"], now)
        made["protected_titles"].append(protected["title"].prefixed_text)
    for block in plan.blocks:
        with _refused_as(f"{block['request'].target}: could not be blocked"):
            placed = await services.blocks.place(await _acting(services, block["by"], now), block["request"], now)
        made["blocks"].append({"target": placed.target.name, "id": placed.block.id})
    for grant in plan.oauth:
        registration = await services.oauth.register(
            grant["user"], name=grant["consumer"], grants=grant["grants"], now=now, owner_only=True,
            oauth_version=grant["version"], app_version=f"{grant['version']}.0")
        credentials = ({"access_token": registration.access_token} if grant["version"] == 2 else {
            "consumer_token": registration.consumer.key, "consumer_secret": registration.secret,
            "access_token": registration.access_key, "access_secret": registration.access_secret})
        made["oauth"][grant["user"]] = {"client_id": registration.consumer.key, **credentials}
    return made


async def seed(services: Services, document: dict[str, Any]) -> dict[str, Any]:
    """Check then make a fixtures document's contents."""
    on_wiki = {record.name for record in await services.accounts.listing(limit=100_000)}
    plan = check(document, services.settings, services.namespaces, lambda name: name in on_wiki,
                 services.clock.now())
    return await carry_out(services, plan)
