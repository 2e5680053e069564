"""list=users: information about a list of users."""

from __future__ import annotations

from typing import Any

from wikigate import usernames
from wikigate.api.accountinfo import account_props
from wikigate.api.blockinfo import block_details
from wikigate.api.context import ApiContext
from wikigate.api.params import Param, require_max_one_of
from wikigate.services.blocking import ActiveBlock

NAME = "users"
GROUP = "list"
PREFIX = "us"
DESCRIPTION = "Get information about a list of users."
PROPS = ("blockinfo", "cancreate", "centralids", "editcount", "emailable", "gender", "groupmemberships", "groups",
         "implicitgroups", "registration", "rights")
PARAMS = (
    Param("prop", PROPS, multi=True, help="Which pieces of information to include."),
    Param("attachedwiki", "string", help="With prop=centralids, indicate whether the user is attached with the "
                                          "wiki identified by this ID."),
    Param("users", "string", multi=True, help="A list of users to get information for."),
    Param("userids", "integer", multi=True, help="A list of user IDs to get information for."),
)
EXAMPLES = (("action=query&list=users&ususers=Example&usprop=groups|editcount|gender",
             "Return information for user Example."),)
_ORDER = ("editcount", "registration", "groups", "groupmemberships", "implicitgroups", "rights", "blockinfo",
          "emailable", "gender", "centralids")


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    # Given counts, even empty, as MediaWiki counts it.
    require_max_one_of({name: True if ctx.request.has(PREFIX + name) else None for name in ("users", "userids")},
                       "users", "userids", prefix=PREFIX)
    namespaces = ctx.services.namespaces
    invalid: list[dict[str, Any]] = []
    names: dict[str, None] = {}
    for given in params["users"]:
        name = usernames.canonical_name(given, namespaces, rigor="valid")
        if name is None:
            # IP addresses and malformed names name no account.
            invalid.append({"name": given, "invalid": True})
        else:
            names.setdefault(name)
    ids = list(dict.fromkeys(params["userids"]))
    # A hidden name is no account to those who may not see it.
    found = await ctx.services.accounts.lookup(names=list(names), ids=ids, now=ctx.now,
                                               shown=ctx.services.accounts.hidden_names_for(ctx.user))
    props = set(params["prop"])
    items = list(invalid)
    seen_names, seen_ids = set(), set()
    # In the order asked for: names first, then ids.
    rank = {name: index for index, name in enumerate(names)}
    found.sort(key=lambda item: (rank.get(item[0].name, len(rank)), ids.index(item[0].id) if item[0].id in ids else 0))
    blocks = (await ctx.services.blocks.own_blocks([record.id for record, _ in found], ctx.now)
              if "blockinfo" in props else {})
    for record, memberships in found:
        seen_names.add(record.name)
        seen_ids.add(record.id)
        item: dict[str, Any] = {"userid": record.id, "name": record.name}
        block = blocks.get(record.id)
        item.update(account_props(ctx, record, memberships, props, order=_ORDER,
                                  block=block_details(ActiveBlock((block,), "", ctx.now), ctx.uselang) if block else None))
        items.append(item)
    for name in names:
        if name not in seen_names:
            missing: dict[str, Any] = {"name": name, "missing": True}
            if "cancreate" in props:
                missing["cancreate"] = True
            items.append(missing)
    items += [{"userid": user_id, "missing": True} for user_id in ids if user_id not in seen_ids]
    query.data["users"] = items
