"""list=logevents: entries of the protection and rights logs (and any other log written here)."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.logparams import api_log_params
from wikigate.api.params import Param, require_max_one_of
from wikigate.services.queries import LogEntry
from wikigate.timeutil import parse_timestamp, to_iso, to_mw
from wikigate.titles import InvalidTitle, parse_title

NAME = "logevents"
GROUP = "list"
PREFIX = "le"
DESCRIPTION = "Get events from logs."
PROPS = ("comment", "details", "ids", "parsedcomment", "tags", "timestamp", "title", "type", "user", "userid")
# In MediaWiki's order (a bad value's error lists them so; paraminfo sorts them).
LOG_TYPES = ("oath", "", "block", "protect", "rights", "delete", "upload", "move", "import", "patrol", "merge",
             "suppress", "tag", "managetags", "contentmodel", "newusers", "create", "globalauth")
LOG_ACTIONS = (
    "block/block", "block/reblock", "block/unblock", "contentmodel/change", "contentmodel/new", "create/create",
    "delete/delete", "delete/delete_redir", "delete/delete_redir2", "delete/event", "delete/restore",
    "delete/revision", "globalauth/delete", "globalauth/setstatus", "import/interwiki", "import/upload", "managetags/activate", "managetags/create",
    "managetags/deactivate", "managetags/delete", "merge/merge", "move/move", "move/move_redir",
    "newusers/autocreate", "newusers/byemail", "newusers/create", "newusers/create2", "newusers/newusers",
    "oath/*", "patrol/autopatrol", "patrol/patrol", "protect/modify", "protect/move_prot", "protect/protect",
    "protect/unprotect", "rights/autopromote", "rights/rights", "suppress/block", "suppress/cadelete", "suppress/delete",
    "suppress/event", "suppress/reblock", "suppress/revision", "suppress/setstatus", "tag/update", "upload/overwrite",
    "upload/revert", "upload/upload",
)
PARAMS = (
    Param("prop", PROPS, multi=True, default="ids|title|type|user|timestamp|comment|details", help="Which properties to get."),
    Param("type", LOG_TYPES, help="Filter log entries to only this type."),
    Param("action", LOG_ACTIONS, unknown_code="unknown_leaction",
          help="Filter log actions to only this action (overrides type)."),
    Param("start", "timestamp", help="The timestamp to start enumerating from."),
    Param("end", "timestamp", help="The timestamp to end enumerating."),
    Param("dir", ("newer", "older"), default="older", help="In which direction to enumerate."),
    Param("user", "user", help="Filter entries to those made by the given user."),
    Param("title", "string", help="Filter entries to those related to a page."),
    Param("namespace", "namespace", help="Filter entries to those in the given namespace."),
    Param("prefix", "string", help="Filter entries that start with this prefix."),
    Param("tag", "string", help="Only list event entries tagged with this tag."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="How many total event entries to return."),
    Param("continue", "string", help="When more results are available, use this to continue."),
)
EXAMPLES = (("action=query&list=logevents", "List recent log events."),)


def _parse_continue(value: str) -> tuple[float, int]:
    stamp, _, log_id = value.partition("|")
    try:
        return parse_timestamp(stamp), int(log_id)
    except ValueError:
        raise ApiError("badcontinue") from None


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    require_max_one_of(params, "title", "prefix", "namespace", prefix=PREFIX)
    # An empty letype is a type like any other (no entry has it), not the absence of a filter.
    log_type, action = params["type"], None
    if params["action"] is not None:
        log_type, _, action = params["action"].partition("/")
        action = None if action == "*" else action
    target = None
    if params["title"] is not None:
        try:
            title = parse_title(params["title"], ctx.services.namespaces)
        except InvalidTitle:
            raise ApiError("invalidtitle", params["title"]) from None
        target = (title.namespace, title.dbkey)
    after = _parse_continue(params["continue"]) if params["continue"] is not None else None
    limit = params["limit"]
    if params["tag"] is not None or params["prefix"] is not None:
        entries: list[LogEntry] = []  # no change tags, and prefix search is off (as in miser mode)
        current_ids: dict[tuple[int, str], int] = {}
        suppressed: set[int] = set()
    else:
        # The suppression log is for those with suppressionlog ($wgLogRestrictions); suppressed
        # names only for those who may see them (centralauth-suppress, hideuser).
        entries, current_ids, suppressed = await ctx.services.queries.log_entries(
            types=[log_type] if log_type is not None else [], action=action, user_text=params["user"], target=target,
            namespace=params["namespace"], newest_first=params["dir"] == "older", limit=limit + 1,
            start=params["start"], end=params["end"], after=after,
            excluded_types=() if ctx.has_right("suppressionlog") else ("suppress",),
            shown=ctx.services.accounts.hidden_names_for(ctx.user), now=ctx.now)
    if len(entries) > limit:
        following = entries[limit]
        query.set_continue("lecontinue", f"{to_mw(following.timestamp)}|{following.id}")
        entries = entries[:limit]
    props = set(params["prop"])
    query.data["logevents"] = [_item(ctx, entry, props, current_ids, entry.user_id in suppressed)
                               for entry in entries]


def _item(ctx: ApiContext, entry: LogEntry, props: set[str], current_ids: dict[tuple[int, str], int],
          user_hidden: bool) -> dict[str, Any]:
    item: dict[str, Any] = {}
    if "ids" in props:
        item["logid"] = entry.id
    if "title" in props:
        title = ctx.services.namespaces.title(entry.namespace, entry.title)
        item.update({"ns": entry.namespace, "title": title.prefixed_text})
    if "ids" in props:
        item.update({"pageid": current_ids.get((entry.namespace, entry.title), 0), "logpage": entry.page_id or 0})
    if "details" in props:
        item["params"] = api_log_params(entry.type, entry.params)
    if "type" in props:
        item.update({"type": entry.type, "action": entry.action})
    if user_hidden and props & {"user", "userid"}:
        item["userhidden"] = True  # as MediaWiki shows a performer whose name is suppressed
    elif "user" in props:
        item["user"] = entry.user_text
        if not entry.user_id:
            item["anon"] = True
    if "userid" in props and not user_hidden:
        item["userid"] = entry.user_id
    if "timestamp" in props:
        item["timestamp"] = to_iso(entry.timestamp)
    if "comment" in props:
        item["comment"] = entry.comment
    if "parsedcomment" in props:
        item["parsedcomment"] = entry.comment
    if "tags" in props:
        item["tags"] = []
    return item
