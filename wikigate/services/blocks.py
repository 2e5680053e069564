"""Placing and lifting blocks, and spreading autoblocks (MediaWiki's BlockUser, UnblockUser, DatabaseBlock).

Every refusal is a PageError whose denials carry MediaWiki's message keys,
checked in MediaWiki's order: the performer's rights, their own block (a
blocked admin may only lift their own block or block the one who blocked
them), the pages a partial block names, the target, the user-talk rule of
partial blocks, the expiry, hiding a name, and finally a block already in
place. A reblock changes that block in place (same id and timestamp).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from wikigate import titles, usernames
from wikigate.config import Settings
from wikigate.messages import Message, render
from wikigate.randomness import Randomness
from wikigate.services.accounts import MAINTENANCE_USER
from wikigate.services.blocking import AUTOBLOCK_EXPIRY, ActiveBlock, active_block
from wikigate.services.pages import PageError, apply_watch
from wikigate.services.permissions import Denial
from wikigate.services.users import User
from wikigate.store import blocks as store
from wikigate.store import logs
from wikigate.store import pages as page_store
from wikigate.store import users as user_store
from wikigate.store.blocks import NAMESPACE_RESTRICTION, PAGE_RESTRICTION, BlockFilter, BlockRecord
from wikigate.store.database import Database, Tx
from wikigate.timeutil import parse_expiry

INFINITE_WORDS = ("infinite", "indefinite", "infinity", "never")
# MediaWiki's $wgBlockCIDRLimit: no range wider than these prefix lengths.
CIDR_LIMIT = {4: 16, 6: 19}
# $wgHideUserContribLimit: names with more edits than this cannot be hidden.
HIDE_USER_EDIT_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class BlockTarget:
    """What a block names: an account, one address or a range, as MediaWiki spells it."""

    name: str
    kind: str  # "user", "ip" or "range"
    user_id: int = 0

    @property
    def range_hex(self) -> tuple[str, str]:
        return ("", "") if self.kind == "user" else titles.range_hex(self.name)


@dataclass(frozen=True, slots=True)
class BlockRequest:
    """What action=block (or the CLI) asks for, before any check."""

    target: str
    expiry: str = "infinite"
    reason: str = ""
    anon_only: bool = False
    no_create: bool = False
    autoblock: bool = False
    no_email: bool = False
    hide_name: bool = False
    allow_usertalk: bool = False
    partial: bool = False
    pages: tuple[str, ...] = ()
    namespaces: tuple[int, ...] = ()
    reblock: bool = False
    watch_user: bool = False


@dataclass(frozen=True, slots=True)
class Placed:
    block: BlockRecord
    target: BlockTarget


def parse_target(text: str, tx: Tx, namespaces: titles.Namespaces) -> BlockTarget | None:
    """MediaWiki's parseBlockTarget: an address, a range, or an account (registered or not)."""
    text = text.strip()
    if titles.is_ip(text):
        return BlockTarget(titles.sanitize_ip(text), "ip")
    if titles.ip_range(text) is not None:
        return BlockTarget(titles.sanitize_range(text), "range")
    # An old user subpage names the user behind it.
    name = usernames.canonical_name(text.split("/")[0], namespaces)
    if name is None:
        return None
    record = user_store.by_name(tx, name)
    return BlockTarget(name, "user", record.id if record else 0)


def _target_denial(target: BlockTarget | None) -> Denial | None:
    if target is None:
        return Denial("badipaddress")
    if target.kind == "user" and not target.user_id:
        return Denial("nosuchusershort", (target.name,))
    if target.kind == "range":
        found = titles.ip_range(target.name)
        assert found is not None
        version, bits = found
        if bits < CIDR_LIMIT[version]:
            return Denial("ip_range_toolarge", (CIDR_LIMIT[version],))
    return None


def performer_denial(performer: User, own: ActiveBlock | None, target: BlockTarget | None) -> Denial | None:
    """MediaWiki's checkBlockPermissions: what a blocked performer may still do."""
    if own is None or not own.sitewide:
        return None
    blocker_name, blocker_id = own.blocker
    if target is not None and target.kind == "user" and target.user_id == performer.id:
        if blocker_id == performer.id or performer.has_right("unblockself"):
            return None
        return Denial("ipbnounblockself")
    if target is not None and target.kind == "user" and blocker_id and target.user_id == blocker_id:
        return None
    return Denial("ipbblocked")


def log_flags(request: BlockRequest, target: BlockTarget, *, usertalk_blocked: bool) -> list[str]:
    """The block log's flags, in MediaWiki's order."""
    flags = []
    if target.kind != "user" and request.anon_only:
        flags.append("anononly")
    if request.no_create:
        flags.append("nocreate")
    if target.kind == "user" and not request.autoblock:
        flags.append("noautoblock")
    if request.no_email:
        flags.append("noemail")
    if usertalk_blocked:
        flags.append("nousertalk")
    if request.hide_name and target.kind == "user":
        flags.append("hiddenname")
    return flags


def maintenance_performer(settings: Settings) -> User:
    """Who acts for the command line: every right, no account, no address (MediaWiki's
    maintenance scripts act as the "Maintenance script" system user)."""
    rights = tuple(dict.fromkeys(right for granted in settings.group_permissions.values() for right in granted))
    return User(id=0, name=MAINTENANCE_USER, groups=("*",), rights=frozenset(rights), rights_order=rights)


class Blocks:
    def __init__(self, database: Database, settings: Settings, namespaces: titles.Namespaces,
                 random: Randomness) -> None:
        self._database = database
        self._settings = settings
        self._namespaces = namespaces
        self._random = random

    async def active(self, user: User, now: float) -> ActiveBlock | None:
        """The block standing in the user's way (from their address too), if any."""
        return await self._database.read(lambda tx: active_block(tx, user, now))

    async def own_blocks(self, user_ids: list[int], now: float) -> dict[int, BlockRecord]:
        """Each account's own block (not its address's), for list=users."""
        def read(tx: Tx) -> dict[int, BlockRecord]:
            found: dict[int, BlockRecord] = {}
            for record in store.account_blocks(tx, user_ids, now):
                found.setdefault(record.user_id, record)
            return found
        return await self._database.read(read)

    async def place(self, performer: User, request: BlockRequest, now: float) -> Placed:
        return await self._database.write(lambda tx: self._place(tx, performer, request, now))

    def _place(self, tx: Tx, performer: User, request: BlockRequest, now: float) -> Placed:
        target = parse_target(request.target, tx, self._namespaces)
        prior = store.blocks_of_target(tx, target.name, now) if target else []
        prior_hidden = any(record.hidden for record in prior)
        hide = request.hide_name and target is not None and target.kind == "user"
        if not performer.has_right("block") or ((hide or prior_hidden) and not performer.has_right("hideuser")):
            raise PageError("cant-see-hidden-user" if prior_hidden else "badaccess-group0")
        refusal = performer_denial(performer, active_block(tx, performer, now), target)
        if refusal:
            raise PageError([refusal])
        restrictions = self._restrictions(tx, request) if request.partial else []
        partial = request.partial
        refusal = _target_denial(target)
        if refusal:
            raise PageError([refusal])
        assert target is not None
        usertalk_blocked = self._usertalk_blocked(request, partial)
        if usertalk_blocked is None:
            raise PageError("ipb-prevent-user-talk-edit")
        expiry = self._expiry(request.expiry, now)
        if hide:
            if partial:
                raise PageError("ipb_hide_partial")
            if request.expiry.strip().lower() not in INFINITE_WORDS:
                raise PageError("ipb_expiry_temp")
            record = user_store.by_id(tx, target.user_id)
            if record is not None and record.editcount > HIDE_USER_EDIT_LIMIT:
                raise PageError("ipb_hide_invalid", HIDE_USER_EDIT_LIMIT)
        if partial and not restrictions and not request.no_email and not request.no_create and not usertalk_blocked:
            raise PageError("ipb-empty-block")
        start, end = target.range_hex
        values: dict[str, Any] = {
            "target": target.name, "user_id": target.user_id, "by_id": performer.id, "by_text": performer.name,
            "reason": request.reason, "expiry": expiry, "range_start": start, "range_end": end,
            "anon_only": request.anon_only and target.kind != "user", "create_account": request.no_create,
            "autoblock": request.autoblock and target.kind == "user", "block_email": request.no_email,
            "allow_usertalk": not usertalk_blocked, "hidden": hide, "sitewide": not partial, "parent_id": None,
        }
        current = prior[0] if prior else None
        if current is not None:
            if not request.reblock or _same(current, values, restrictions):
                raise PageError("ipb_already_blocked", target.name)
            store.update_block(tx, current.id, values, restrictions)
            block_id = current.id
            if values["autoblock"]:
                store.extend_autoblocks(tx, block_id, _inherited(values))
            else:
                store.delete_autoblocks(tx, block_id)
        else:
            store.delete_expired(tx, target.name, now)
            block_id = store.insert_block(tx, {**values, "timestamp": now}, restrictions)
        block = store.block_by_id(tx, block_id, now)
        assert block is not None
        if self._settings.block_disables_login and target.kind == "user":
            # A new account token ends every session and remember-me cookie of the account.
            user_store.update_user(tx, target.user_id, token=self._random.token_hex(16))
        if block.autoblock:
            address = store.last_address(tx, target.user_id)
            if address:
                self._autoblock(tx, block, address, now)
        params: dict[str, Any] = {
            "duration": "infinity" if expiry is None else request.expiry,
            "flags": log_flags(request, target, usertalk_blocked=usertalk_blocked), "sitewide": not partial}
        if partial:
            shown: dict[str, Any] = {}
            if request.pages:
                shown["pages"] = [{"page_ns": title.namespace, "page_title": title.prefixed_text}
                                  for title in self._page_titles(request)]
            if request.namespaces:
                shown["namespaces"] = list(dict.fromkeys(request.namespaces))
            if shown:
                params = {"duration": params["duration"], "flags": params["flags"], "restrictions": shown,
                          "sitewide": params["sitewide"]}
        if expiry is not None:
            params["expiry"] = expiry  # shown in ISO 8601 by list=logevents
        logs.add_log(tx, type="suppress" if hide else "block", action="reblock" if current else "block", now=now,
                     user_id=performer.id, user_text=performer.name, namespace=titles.NS.USER,
                     title=target.name.replace(" ", "_"), page_id=0, comment=request.reason, params=params,
                     recent=not hide)
        if request.watch_user and target.kind != "range" and not performer.is_anon:
            apply_watch(tx, performer, self._namespaces.title(titles.NS.USER, target.name.replace(" ", "_")),
                        "watch", now)
        return Placed(block, target)

    def _page_titles(self, request: BlockRequest) -> list[titles.Title]:
        return [titles.parse_title(text, self._namespaces) for text in request.pages]

    def _restrictions(self, tx: Tx, request: BlockRequest) -> list[tuple[int, int]]:
        restrictions = []
        for title in self._page_titles(request):
            page = page_store.page_by_title(tx, title.namespace, title.dbkey)
            if page is None:
                raise PageError("cant-block-nonexistent-page", title.prefixed_text)
            restrictions.append((PAGE_RESTRICTION, page.id))
        restrictions += [(NAMESPACE_RESTRICTION, namespace) for namespace in request.namespaces]
        return restrictions

    def _usertalk_blocked(self, request: BlockRequest, partial: bool) -> bool | None:
        """Whether the block stops its user editing their own talk page; None where MediaWiki
        cannot tell (a partial block that leaves the user talk namespace alone, asked to block it)."""
        if not partial or titles.NS.USER_TALK in request.namespaces:
            return not request.allow_usertalk
        return False if request.allow_usertalk else None

    @staticmethod
    def _expiry(text: str, now: float) -> float | None:
        cleaned = text.strip()
        if cleaned.lower() in INFINITE_WORDS:
            return None
        if not cleaned or len(text) > 50:
            raise PageError("ipb_expiry_invalid")
        try:
            expiry = parse_expiry(cleaned, now=now)
        except ValueError:
            raise PageError("ipb_expiry_invalid") from None
        if expiry is None:
            return None
        if expiry < 0:
            raise PageError("ipb_expiry_invalid")
        if expiry < now:
            raise PageError("ipb_expiry_old")
        return expiry

    async def lift(self, performer: User, *, target: str | None, block_id: int | None, reason: str,
                   now: float) -> BlockRecord:
        return await self._database.write(lambda tx: self._lift(tx, performer, target, block_id, reason, now))

    def _lift(self, tx: Tx, performer: User, target_text: str | None, block_id: int | None, reason: str,
              now: float) -> BlockRecord:
        if block_id is not None:
            found = store.block_by_id(tx, block_id, now)
            target: BlockTarget | None = None
            named = f"#{block_id}"
            if found is not None and not found.is_autoblock:
                target = BlockTarget(found.target, "user" if found.user_id else "ip", found.user_id)
        else:
            assert target_text is not None
            target = parse_target(target_text, tx, self._namespaces)
            named = target.name if target else target_text
            candidates = store.blocks_of_target(tx, target.name, now) if target else []
            found = candidates[0] if candidates else None
        own = active_block(tx, performer, now)
        refusal = performer_denial(performer, own, target)
        if refusal:
            raise BlockedPerformer(refusal, own)
        if found is not None and found.hidden and not performer.has_right("hideuser"):
            raise PageError("unblock-hideuser")
        if found is None:
            raise PageError("ipb_cant_unblock", named)
        store.delete_block(tx, found.id)
        title = f"#{found.id}" if found.is_autoblock else found.target
        logs.add_log(tx, type="block", action="unblock", now=now, user_id=performer.id, user_text=performer.name,
                     namespace=titles.NS.USER, title=title.replace(" ", "_"), page_id=0, comment=reason, params={})
        return found

    async def follow_refused_user(self, user: User, refusal: PageError, now: float) -> None:
        """After a refused edit or move of a blocked account, autoblock the address it came from,
        if its block autoblocks (MediaWiki's spreadAnyEditBlock)."""
        if not user.is_anon and any(denial.block is not None for denial in refusal.denials):
            await self.autoblock_address(user.id, user.ip, now)

    async def autoblock_address(self, user_id: int, ip: str, now: float) -> None:
        """Autoblock `ip` for each autoblocking block of the account."""
        if not user_id or not titles.is_ip(ip):
            return

        def spread(tx: Tx) -> None:
            for record in store.applicable(tx, user_id, [], now):
                if record.autoblock:
                    self._autoblock(tx, record, ip, now)
        await self._database.write(spread)

    def _autoblock(self, tx: Tx, parent: BlockRecord, address: str, now: float) -> None:
        address = titles.sanitize_ip(address)
        address_hex = titles.ip_hex(address)
        if any(record.id != parent.id and not record.is_autoblock
               for record in store.applicable(tx, 0, [address_hex], now) if record.target == address):
            return  # the address has a block of its own
        expiry = now + AUTOBLOCK_EXPIRY
        if parent.expiry is not None:
            expiry = min(expiry, parent.expiry)
        existing = store.autoblock_of(tx, parent.id, address_hex)
        if existing is not None:
            store.update_block(tx, existing.id, {"timestamp": now, "expiry": expiry}, existing.restrictions)
            return
        store.insert_block(tx, {
            "target": address, "user_id": 0, "by_id": parent.by_id, "by_text": parent.by_text,
            "reason": render(Message("autoblocker", (parent.target, parent.reason)), "text"), "timestamp": now, "expiry": expiry,
            "range_start": address_hex, "range_end": address_hex, "anon_only": False,
            "create_account": parent.create_account, "autoblock": False, "block_email": parent.block_email,
            "allow_usertalk": parent.allow_usertalk, "hidden": parent.hidden, "sitewide": parent.sitewide,
            "parent_id": parent.id}, parent.restrictions)

    async def listing(self, query: BlockFilter, now: float, *, newer_first: bool, start: float | None,
                      end: float | None, after: tuple[float, int] | None, limit: int,
                      see_hidden: bool) -> BlockListing:
        """Blocks for list=blocks, with the titles of the pages partial blocks among them name."""
        query = query if see_hidden else replace(query, include_hidden=False)

        def read(tx: Tx) -> BlockListing:
            found = store.listed(tx, query, now, newer_first=newer_first, start=start, end=end, after=after,
                                 limit=limit)
            pages = store.page_titles(tx, [value for record in found for kind, value in record.restrictions
                                           if kind == PAGE_RESTRICTION])
            return BlockListing(found, {page_id: self._namespaces.title(*where) for page_id, where in pages.items()})
        return await self._database.read(read)


@dataclass(frozen=True, slots=True)
class BlockListing:
    blocks: list[BlockRecord]
    pages: dict[int, titles.Title]


class BlockedPerformer(PageError):
    """A blocked admin asked to lift a block they may not lift: the answer names their own block."""

    def __init__(self, denial: Denial, block: ActiveBlock | None) -> None:
        super().__init__([denial])
        self.block = block


def _inherited(values: dict[str, Any]) -> dict[str, Any]:
    """What autoblocks take over from a changed parent block."""
    return {key: values[key] for key in ("create_account", "block_email", "allow_usertalk", "hidden", "sitewide")}


def _same(current: BlockRecord, values: dict[str, Any], restrictions: list[tuple[int, int]]) -> bool:
    """Whether a reblock would change nothing (MediaWiki's DatabaseBlock::equals)."""
    fields = ("reason", "expiry", "anon_only", "create_account", "autoblock", "block_email", "allow_usertalk",
              "hidden", "sitewide")
    return (all(getattr(current, name) == values[name] for name in fields)
            and set(current.restrictions) == set(restrictions))


__all__ = ["CIDR_LIMIT", "NAMESPACE_RESTRICTION", "PAGE_RESTRICTION", "BlockFilter", "BlockListing",
           "BlockRecord", "BlockRequest", "BlockedPerformer", "Blocks", "Placed", "maintenance_performer"]
