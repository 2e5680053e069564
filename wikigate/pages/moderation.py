"""Protection and the logs in a browser: a page's protection form (`action=protect`), the lists of
protected pages and titles, and Special:Log.

The form changes protection through the same service as `action=protect`, so it
is refused for the same reasons (rights, levels, blocks, cascading), which it
shows in the reader's language. Lists hide the names a reader may not see, as
the API's lists do.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable

from starlette.responses import Response

from wikigate import timeutil, titles
from wikigate.api.blockinfo import block_message
from wikigate.api.pagerefusals import denial_message
from wikigate.config import IMPLICIT_GROUPS
from wikigate.pages.base import Page
from wikigate.services.accounts import Actor
from wikigate.services.blocks import BlockFilter, BlockRequest
from wikigate.services.pages import PageError, WatchMode
from wikigate.services.permissions import applicable_types, usable_levels
from wikigate.services.rights import changeable_for
from wikigate.services.users import UserRecord
from wikigate.timeutil import format_expiry, to_iso

LIST_LIMIT = 100
# The log types the log page offers as filters (MediaWiki's, as this server writes them).
LOG_TYPES = ("block", "create", "delete", "globalauth", "move", "newusers", "patrol", "protect", "rights",
             "suppress")


def refusals(page: Page, error: PageError) -> str:
    """Every reason for a refusal, in the reader's language (a block with its reason and expiry)."""
    return " ".join(page.message(denial_message(denial, page.ctx.uselang).message) for denial in error.denials)


async def protect(page: Page) -> Response:
    """`index.php?title=X&action=protect`: the current protection and, for those who may, the form."""
    ctx = page.ctx
    heading = page.text("wikigate-page-protect", page.title.prefixed_text)
    info = await ctx.services.queries.page_info(ctx.user.id, [page.title], now=ctx.now, states=True,
                                                 watched=False, related=False)
    state = info.states.get(page.title)
    if state is None:
        page.notices.append(page.text("wikigate-page-badtitle"))
        return await page.show("message.html", heading=heading, status=400)
    types = applicable_types(page.title, state.exists, ctx.settings)
    current = {kind: (state.levels(kind)[0] if state.levels(kind) else "") for kind in types}
    error = ""
    if page.posted:
        if not page.form_token_ok():
            error = page.text("sessionfailure")
        else:
            values = [f"{kind}={page.form(f'wpLevel-{kind}') or 'all'}" for kind in types]
            asked = [page.form(f"wpExpiry-{kind}").strip() or "infinite" for kind in types]
            try:
                await ctx.services.protections.protect(
                    ctx.user, page.title, values, asked, cascade=bool(page.form("wpCascade")),
                    reason=page.form("wpReason"), watchlist=WatchMode.NOCHANGE, watchlist_expiry=None,
                    now=ctx.now)
            except PageError as refused:
                error = refusals(page, refused)
            else:
                return await page.redirect(page.url(page.title.prefixed_text))
    levels = usable_levels(ctx.user, ctx.settings)
    expiries = {r.type: format_expiry(r.expiry) for r in state.restrictions}
    if not state.exists and state.title_protection is not None:
        expiries["create"] = format_expiry(state.title_protection.expiry)
    return await page.show("protect.html", heading=heading, types=types, current=current, levels=levels,
                           expiries=expiries, can_protect=ctx.user.has_right("protect"), error=error,
                           exists=state.exists, cascading=state.cascading, status=400 if error else 200)


async def protected_pages(page: Page) -> Response:
    found = await page.services.queries.protected_pages(now=page.ctx.now, limit=LIST_LIMIT)
    rows = [(page.services.namespaces.title(record.namespace, record.title).prefixed_text, restriction.type,
             restriction.level, format_expiry(restriction.expiry), restriction.cascade)
            for record, restriction in found]
    return await page.show("protectedpages.html", heading=page.text("protectedpages"), rows=rows, kind="pages")


async def protected_titles(page: Page) -> Response:
    found = await page.services.queries.protected_titles(now=page.ctx.now, namespaces=[], levels=[],
                                                         newest_first=True, limit=LIST_LIMIT, start=None, end=None,
                                                         after=None)
    rows = [(page.services.namespaces.title(entry.namespace, entry.title).prefixed_text, "create", entry.level,
             format_expiry(entry.expiry), False) for entry in found]
    return await page.show("protectedpages.html", heading=page.text("protectedtitles"), rows=rows, kind="titles")


async def log(page: Page) -> Response:
    """Special:Log, filtered by type (`type` or the subpage), performer (`user`) and page (`page`)."""
    ctx = page.ctx
    log_type = page.query("type") or page.subpage
    performer = page.query("user").strip().replace("_", " ")
    target_text = page.query("page").strip()
    target = None
    if target_text:
        try:
            parsed = titles.parse_title(target_text, ctx.services.namespaces)
            target = (parsed.namespace, parsed.dbkey)
        except titles.InvalidTitle:
            target = (0, "\0")  # a title that cannot exist finds nothing
    entries, _, suppressed = await ctx.services.queries.log_entries(
        types=[log_type] if log_type in LOG_TYPES else [], action=None, user_text=performer or None, target=target,
        namespace=None, newest_first=True, limit=LIST_LIMIT, start=None, end=None, after=None,
        excluded_types=() if ctx.has_right("suppressionlog") else ("suppress",),
        shown=ctx.services.accounts.hidden_names_for(ctx.user), now=ctx.now)
    hidden = page.text("wikigate-page-hiddenuser")
    rows = [(to_iso(entry.timestamp), hidden if entry.user_id in suppressed else entry.user_text,
             f"{entry.type}/{entry.action}",
             ctx.services.namespaces.title(entry.namespace, entry.title).prefixed_text, entry.comment,
             _details(entry.params)) for entry in entries]
    return await page.show("log.html", heading=page.text("log"), rows=rows, types=LOG_TYPES,
                           chosen=log_type, performer=performer, target=target_text)


def _details(params: dict[str, object]) -> str:
    """A protection's or block's particulars, briefly ("[edit=sysop] (expires infinite)")."""
    description = params.get("description")
    if isinstance(description, str):
        return description
    duration = params.get("duration")
    flags = params.get("flags")
    shown = [f"({duration})"] if isinstance(duration, str) else []
    if isinstance(flags, str) and flags:
        shown.append(f"[{flags}]")
    return " ".join(shown)


async def block(page: Page) -> Response:
    """Special:Block/<target>: block an account, an address or a range, as action=block does."""

    async def place(target: str) -> str:
        pages = tuple(line.strip() for line in page.form("wpPages").splitlines() if line.strip())
        request = BlockRequest(
            target=target, expiry=page.form("wpExpiry").strip() or "infinite", reason=page.form("wpReason"),
            # An address's block leaves its logged-in users alone unless it is a hard block.
            anon_only=_is_address(target) and not page.form("wpHardBlock"),
            no_create=bool(page.form("wpCreateAccount")), autoblock=bool(page.form("wpAutoBlock")),
            no_email=bool(page.form("wpEmailBan")), allow_usertalk=not page.form("wpDisableUTEdit"),
            partial=bool(pages), pages=pages, reblock=bool(page.form("wpReblock")))
        placed = await page.services.blocks.place(page.ctx.user, request, page.ctx.now)
        return page.text("wikigate-page-blocked", placed.target.name, format_expiry(placed.block.expiry))

    return await _block_form(page, "block", "block.html", place)


async def unblock(page: Page) -> Response:
    """Special:Unblock/<target>: lift a block (of a target, or `#id`), as action=unblock does."""

    async def lift(target: str) -> str:
        block_id = int(target[1:]) if target.startswith("#") and target[1:].isdigit() else None
        lifted = await page.services.blocks.lift(page.ctx.user, target=None if block_id else target,
                                                 block_id=block_id, reason=page.form("wpReason"), now=page.ctx.now)
        return page.text("wikigate-page-unblocked", lifted.target or f"#{lifted.id}")

    return await _block_form(page, "unblock", "unblock.html", lift)


async def _block_form(page: Page, heading_key: str, template: str,
                      act: Callable[[str], Awaitable[str]]) -> Response:
    """What Special:Block and Special:Unblock share: the right they need, the target, the form's token,
    and a refusal shown with its reasons; `act` does the change and says what was done."""
    heading = page.text(heading_key)
    if not page.ctx.user.has_right("block"):
        page.notices.append(page.text("badaccess-group0"))
        return await page.show("message.html", heading=heading, status=403)
    target = (page.form("wpTarget") or page.subpage).strip().replace("_", " ")
    error = ""
    if page.posted:
        if not page.form_token_ok():
            error = page.text("sessionfailure")
        else:
            try:
                page.notices.append(await act(target))
            except PageError as refused:
                error = refusals(page, refused)
            else:
                return await page.show("message.html", heading=heading)
    return await page.show(template, heading=heading, target=target, error=error, status=400 if error else 200)


def _is_address(target: str) -> bool:
    try:
        ipaddress.ip_network(target, strict=False)
    except ValueError:
        return False
    return True


async def block_list(page: Page) -> Response:
    """Special:BlockList: the blocks in force, newest first; hidden names only for those who may see them."""
    ctx = page.ctx
    listing = await ctx.services.blocks.listing(BlockFilter(), ctx.now, newer_first=True, start=None, end=None,
                                                after=None, limit=LIST_LIMIT, see_hidden=ctx.user.has_right("hideuser"))
    autoblock = page.text("wikigate-page-autoblock")
    rows = [(to_iso(entry.timestamp), f"{autoblock} #{entry.id}" if entry.is_autoblock else entry.target,
             entry.by_text, format_expiry(entry.expiry), entry.reason, entry.sitewide, entry.id)
            for entry in listing.blocks]
    return await page.show("blocklist.html", heading=page.text("blocklist"), rows=rows,
                           can_unblock=ctx.user.has_right("block"))


async def user_rights(page: Page) -> Response:
    """Special:UserRights/<user>: the groups of an account, and for those who may, the form that changes
    them (with expiries), under the same rules and log as action=userrights."""
    ctx = page.ctx
    heading = page.text("userrights")
    name = (page.form("wpTarget") or page.query("user") or page.subpage).strip().replace("_", " ")
    record = await ctx.services.accounts.find(name) if name else None
    if record is None:
        if name:
            page.notices.append(page.text("nosuchusershort", name))
        return await page.show("userrights.html", heading=heading, target=name, groups=[], status=404 if name else 200)
    addable, removable = changeable_for(ctx.user, record.id, ctx.settings)
    error = ""
    if page.posted and page.form("wpSave"):
        if not page.form_token_ok():
            error = page.text("sessionfailure")
        else:
            error = await _change_groups(page, record, addable, removable)
            if not error:
                page.notices.append(page.text("wikigate-page-groups-saved", record.name))
    now = ctx.now
    held = {m.group: m.expiry for m in await ctx.services.accounts.memberships(record.id)
            if m.expiry is None or m.expiry > now}
    groups = [(group, group in held, format_expiry(held[group]) if group in held else "",
               group in (removable if group in held else addable))
              for group in sorted(set(ctx.settings.group_permissions) - set(IMPLICIT_GROUPS))]
    return await page.show("userrights.html", heading=heading, target=record.name, groups=groups, error=error,
                           can_change=bool(addable or removable), status=400 if error else 200)


async def _change_groups(page: Page, record: UserRecord, addable: set[str], removable: set[str]) -> str:
    """The change the form asks for, made; or why it was refused."""
    ctx = page.ctx
    held = {m.group for m in await ctx.services.accounts.memberships(record.id)}
    add: dict[str, float | None] = {}
    for group in sorted(addable):
        expiry = page.form(f"wpExpiry-{group}").strip() or "infinite"
        if not page.form(f"wpGroup-{group}"):
            continue
        try:
            when = timeutil.parse_expiry(expiry, now=ctx.now)
        except timeutil.InvalidExpiry:
            return page.text("userrights-invalid-expiry", group)
        if when is not None and when < ctx.now:  # as action=userrights refuses it (pastexpiry)
            return page.text("userrights-invalid-expiry", group)
        add[group] = when
    remove = [group for group in removable if group in held and not page.form(f"wpGroup-{group}")]
    if not ctx.has_right("userrights"):
        block = await ctx.services.blocks.active(ctx.user, ctx.now)
        if block is not None and block.sitewide:
            return page.message(block_message(block, ctx.uselang))
    await ctx.services.accounts.change_groups(record, Actor(ctx.user.id, ctx.user.name), add=add, remove=remove,
                                              addable=addable, removable=removable, reason=page.form("wpReason"),
                                              now=ctx.now)
    return ""
