"""meta=userinfo: information about the current user."""

from __future__ import annotations

from typing import Any

from wikigate.api.blockinfo import block_details
from wikigate.api.context import ApiContext
from wikigate.api.formats import BC_BOOLS
from wikigate.api.params import Param
from wikigate.config import DEFAULT_USER_OPTIONS_BOOLEANS, IMPLICIT_GROUPS
from wikigate.services import rights as rights_service
from wikigate.services.preferences import effective_options
from wikigate.timeutil import to_iso

NAME = "userinfo"
GROUP = "meta"
PREFIX = "ui"
DESCRIPTION = "Get information about the current user."
PROPS = (
    "blockinfo", "hasmsg", "groups", "groupmemberships", "implicitgroups", "rights", "changeablegroups",
    "options", "editcount", "ratelimits", "theoreticalratelimits", "email", "realname", "acceptlang",
    "registrationdate", "unreadcount", "centralids", "latestcontrib",
)
PARAMS = (
    Param("prop", PROPS, multi=True, allow_all=True, help="Which pieces of information to include."),
    Param("attachedwiki", "string", help="With uiprop=centralids, whether the user is attached to this wiki."),
)
EXAMPLES = (("action=query&meta=userinfo&uiprop=blockinfo|groups|rights|hasmsg", "Get information about the current user."),)


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    user = ctx.user
    record = user.record
    props = set(params["prop"])
    info: dict[str, Any] = {"id": user.id, "name": user.name}
    if user.is_anon:
        info["anon"] = True
    if "blockinfo" in props:
        block = await ctx.services.blocks.active(user, ctx.now)
        if block is not None:
            info.update(block_details(block, ctx.uselang))
    if "hasmsg" in props:
        info["messages"] = await ctx.services.pages.has_new_message(user)
    if "groups" in props:
        info["groups"] = list(user.groups)
    if "groupmemberships" in props:
        info["groupmemberships"] = [
            {"group": m.group, "expiry": to_iso(m.expiry) if m.expiry else "infinity"}
            for m in sorted(user.memberships, key=lambda m: m.group)
            if m.expiry is None or m.expiry > ctx.now
        ]
    if "implicitgroups" in props:
        info["implicitgroups"] = [g for g in user.groups if g in IMPLICIT_GROUPS]
    if "rights" in props:
        info["rights"] = list(user.rights_order)
    if "changeablegroups" in props:
        info["changeablegroups"] = rights_service.changeable_groups(user, ctx.settings)
    if "options" in props:
        stored = await ctx.services.accounts.options(user.id) if not user.is_anon else {}
        info["options"] = {**effective_options(stored), BC_BOOLS: DEFAULT_USER_OPTIONS_BOOLEANS}
    if "editcount" in props:
        info["editcount"] = record.editcount if record else 0
    if "ratelimits" in props:
        info["ratelimits"] = {} if user.has_right("noratelimit") else rights_service.rate_limits_for(user, ctx.settings)
    if "theoreticalratelimits" in props:
        info["theoreticalratelimits"] = rights_service.rate_limits_for(user, ctx.settings)
    if "email" in props:
        info["email"] = record.email if record else ""
        if record and record.email_authenticated:
            info["emailauthenticated"] = to_iso(record.email_authenticated)
    if "realname" in props:
        info["realname"] = record.real_name if record else ""
    if "acceptlang" in props:
        info["acceptlang"] = _accept_language(ctx.request.headers.get("accept-language", ""), ctx.formatversion)
    if "registrationdate" in props and record is not None:
        info["registrationdate"] = to_iso(record.registration) if record.registration else None
    if "unreadcount" in props:
        info["unreadcount"] = 0
    if "centralids" in props:
        info["centralids"] = {"local": user.id}
        info["attachedlocal"] = {"local": not user.is_anon}
        if params["attachedwiki"] is not None:
            # The local lookup knows one wiki: this one.
            info["attachedwiki"] = {"local": not user.is_anon and params["attachedwiki"] == ctx.settings.wiki_id}
    if "latestcontrib" in props and not user.is_anon:
        latest = await ctx.services.queries.latest_contribution(user.id)
        if latest is not None:
            info["latestcontrib"] = to_iso(latest)
    query.data["userinfo"] = info


def _accept_language(header: str, formatversion: int) -> list[dict[str, Any]]:
    key = "code" if formatversion == 2 else "*"
    entries = []
    for part in header.split(","):
        code, _, q = part.strip().partition(";q=")
        if not code:
            continue
        try:
            quality = float(q) if q else 1.0
        except ValueError:
            continue
        entries.append({"q": quality, key: code.lower()})
    return sorted(entries, key=lambda e: -e["q"])
