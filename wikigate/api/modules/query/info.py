"""prop=info: basic page information, and with inprop=protection the protections in force."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from wikigate.api.context import ApiContext
from wikigate.api.formats import message_entry
from wikigate.api.pagerefusals import denial_message
from wikigate.api.params import Param
from wikigate.services.blocking import ActiveBlock
from wikigate.services.pages import subject_key
from wikigate.services.permissions import PageState, applicable_types, permission_errors
from wikigate.timeutil import format_expiry, to_iso
from wikigate.titles import Title

NAME = "info"
GROUP = "prop"
PREFIX = "in"
DESCRIPTION = "Get basic page information."
PROPS = ("associatedpage", "displaytitle", "notificationtimestamp", "preload", "protection", "subjectid",
         "talkid", "url", "watched")
PARAMS = (
    Param("prop", PROPS, multi=True, help="Which additional properties to get."),
    Param("linkcontext", "title", default="Main Page", help="The context title to use when determining extra CSS classes."),
    Param("testactions", "string", multi=True, help="Test whether the current user can perform certain actions on the page."),
    Param("testactionsdetail", ("boolean", "full", "quick"), default="boolean", help="Detail level for testactions."),
    Param("continue", "string", help="When more results are available, use this to continue."),
)
EXAMPLES = (
    ("action=query&prop=info&titles=Main%20Page", "Get information about the page Main Page."),
    ("action=query&prop=info&inprop=protection&titles=Main%20Page", "Get general and protection information about the page Main Page."),
)
LANGUAGE = {"pagelanguage": "en", "pagelanguagehtmlcode": "en", "pagelanguagedir": "ltr"}


def _protection(state: PageState) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if state.exists:
        for r in state.restrictions:
            item: dict[str, Any] = {"type": r.type, "level": r.level, "expiry": format_expiry(r.expiry)}
            if r.cascade:
                item["cascade"] = True
            items.append(item)
    elif state.title_protection is not None:
        found = state.title_protection
        items.append({"type": "create", "level": found.level, "expiry": format_expiry(found.expiry)})
    for source in state.cascade_sources:
        r = source.restriction
        items.append({"type": r.type, "level": r.level, "expiry": format_expiry(r.expiry),
                      "source": source.title.prefixed_text})
    return items


def _urls(ctx: ApiContext, title: Title) -> dict[str, str]:
    settings = ctx.settings
    script = f"{settings.public_server}{settings.script_path}/index.php"
    key = quote(title.prefixed_dbkey, safe=":/()!*,;@$'")
    return {"fullurl": f"{script}/{key}", "editurl": f"{script}?title={key}&action=edit",
            "canonicalurl": f"{script}/{key}"}


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    pageset = query.pageset
    if pageset is None:
        return
    props = set(params["prop"])
    entries = [e for e in pageset.entries if e.invalid_reason is None and e.title is not None]
    found = await ctx.services.queries.page_info(
        ctx.user.id, [e.title for e in entries if e.title is not None], now=ctx.now,
        states="protection" in props or bool(params["testactions"]),
        watched=bool(props & {"watched", "notificationtimestamp"}), related=bool(props & {"talkid", "subjectid"}))
    states, watched, talk_rows = found.states, found.watched, found.related_ids
    # Only the quick check leaves blocks out, as MediaWiki's RIGOR_QUICK does.
    block = (await ctx.services.blocks.active(ctx.user, ctx.now)
             if params["testactions"] and params["testactionsdetail"] != "quick" else None)
    for entry in entries:
        title = entry.title
        info: dict[str, Any] = {}
        if title.can_exist:
            info.update({"contentmodel": "wikitext", **LANGUAGE})
            if entry.row is not None:
                record = entry.row
                info.update({"touched": to_iso(record.touched), "lastrevid": record.latest, "length": record.len})
                if record.is_redirect:
                    info["redirect"] = True
                if record.is_new:
                    info["new"] = True
        query.page_info.setdefault(entry.page_id, {}).update(info)
        if not title.can_exist:
            continue
        _add_props(ctx, info, props, entry, states, watched, talk_rows)
        if params["testactions"]:
            actions = _test_actions(ctx, states[title], params["testactions"], params["testactionsdetail"], block)
            # Formatversion 1 drops the false ones; none left is PHP's empty array, [] in JSON.
            if ctx.formatversion == 1 and all(allowed is False for allowed in actions.values()):
                info["actions"] = []
            else:
                info["actions"] = actions
        query.page_info[entry.page_id].update(info)


def _test_actions(ctx: ApiContext, state: PageState, actions: list[str], detail: str,
                  block: ActiveBlock | None) -> dict[str, Any]:
    """Whether the user may do each action here (`boolean`), or why not (`full`, `quick`)."""
    result: dict[str, Any] = {}
    for action in actions:
        denials = permission_errors(action, ctx.user, state, ctx.settings, block=block, short=detail != "full")
        if detail == "boolean":
            result[action] = not denials
            continue
        entries = []
        for denial in denials:
            message = denial_message(denial, ctx.uselang)
            entry = message_entry(message, "", "plaintext" if ctx.errorformat == "bc" else ctx.errorformat,
                                  ctx.formatversion, ctx.errorlang)
            entry.pop("module", None)
            entries.append(entry)
        result[action] = entries
    return result


def _add_props(ctx: ApiContext, info: dict[str, Any], props: set[str], entry: Any,
               states: dict[Title, PageState], watched: set[tuple[int, str]],
               related: dict[tuple[int, str], int]) -> None:
    title: Title = entry.title
    if "protection" in props:
        state = states[title]
        info["protection"] = _protection(state)
        info["restrictiontypes"] = applicable_types(title, state.exists, ctx.settings)
    if "watched" in props:  # false for anonymous users, who watch nothing
        info["watched"] = subject_key(title) in watched
    if "notificationtimestamp" in props and not ctx.user.is_anon:
        info["notificationtimestamp"] = ""
    other = _associated(ctx, title)
    if other is not None:
        other_id = related.get((other.namespace, other.dbkey))
        if "talkid" in props and not title.is_talk and other_id:
            info["talkid"] = other_id
        if "subjectid" in props and title.is_talk and other_id:
            info["subjectid"] = other_id
        if "associatedpage" in props:
            info["associatedpage"] = other.prefixed_text
    if "url" in props:
        info.update(_urls(ctx, title))
    if "preload" in props:
        info["preload"] = "" if entry.row is not None else None
    if "displaytitle" in props:
        info["displaytitle"] = title.prefixed_text


def _associated(ctx: ApiContext, title: Title) -> Title | None:
    """The talk page of a subject page, or the subject page of a talk page."""
    namespace = title.subject_namespace if title.is_talk else title.talk_namespace
    if namespace is None or namespace not in ctx.services.namespaces:
        return None
    return ctx.services.namespaces.title(namespace, title.dbkey)
