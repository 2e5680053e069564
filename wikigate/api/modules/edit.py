"""action=edit: create and edit pages, obeying their protection."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.pagerefusals import WATCHLIST, api_error
from wikigate.api.params import (
    Param,
    check_change_tags,
    require_at_least_one_of,
    require_one_of,
)
from wikigate.messages import Message, render
from wikigate.services.pages import EditRequest, PageError
from wikigate.timeutil import to_iso

NAME = "edit"
WRITE = True
TOKEN = "csrf"
DESCRIPTION = "Create and edit pages."
CONTENT_MODEL = "wikitext"
PARAMS = (
    Param("title", "string", help="Title of the page to edit. Cannot be used together with pageid."),
    Param("pageid", "integer", help="Page ID of the page to edit. Cannot be used together with title."),
    Param("section", "string",
          help="Section identifier: 0 for the top section, new for a new section, or a section number."),
    Param("sectiontitle", "string", help="The title for a new section when using section=new."),
    Param("text", "text", help="Page content."),
    Param("summary", "string", help="Edit summary."),
    Param("tags", "string", multi=True, help="Change tags to apply to the revision."),
    Param("minor", "boolean", help="Mark this edit as a minor edit."),
    Param("notminor", "boolean", help="Do not mark this edit as a minor edit."),
    Param("bot", "boolean", help="Mark this edit as a bot edit (needs the bot right)."),
    Param("baserevid", "integer", help="ID of the base revision, used to detect edit conflicts."),
    Param("basetimestamp", "timestamp", help="Timestamp of the base revision, used to detect edit conflicts."),
    Param("starttimestamp", "timestamp", help="Timestamp when the editing process began."),
    Param("recreate", "boolean", help="Override any errors about the page having been deleted."),
    Param("createonly", "boolean", help="Don't edit the page if it exists already."),
    Param("nocreate", "boolean", help="Throw an error if the page doesn't exist."),
    Param("watch", "boolean", deprecated=True, help="Add the page to the watchlist."),
    Param("unwatch", "boolean", deprecated=True, help="Remove the page from the watchlist."),
    Param("watchlist", WATCHLIST, default="preferences",
          help="Add or remove the page from the watchlist, or follow the preferences."),
    Param("md5", "string", help="MD5 hash of the text (or of prependtext and appendtext concatenated)."),
    Param("prependtext", "text", help="Add this text to the beginning of the page."),
    Param("appendtext", "text", help="Add this text to the end of the page."),
    Param("undo", "integer", min=0, help="Undo this revision. Overrides text, prependtext and appendtext."),
    Param("undoafter", "integer", min=0, help="Undo all revisions from undo to this one. If not set, just undo one revision."),
    Param("redirect", "boolean", help="Automatically resolve redirects."),
    Param("contentformat", ("text/x-wiki",), help="Content serialization format used for the input text."),
    Param("contentmodel", (CONTENT_MODEL,), help="Content model of the new content."),
)
EXAMPLES = (
    ("action=edit&title=Test&summary=test%20summary&text=article%20content&baserevid=1234567&token=123ABC",
     "Edit a page."),
    ("action=edit&title=Test&summary=NOTOC&minor=&prependtext=__NOTOC__%0A&basetimestamp=2007-08-24T12:34:54Z&token=123ABC",
     "Prepend __NOTOC__ to a page."),
)


def _watchlist(params: dict[str, Any]) -> str:
    if params["watch"]:
        return "watch"
    if params["unwatch"]:
        return "unwatch"
    return str(params["watchlist"])


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    # undo=0 names no revision: MediaWiki would then save an empty page; that drops text, so it is refused.
    require_at_least_one_of({**params, "undo": params["undo"] or None}, "text", "appendtext", "prependtext", "undo")
    require_one_of(params, "title", "pageid")
    check_change_tags(params["tags"])
    if params["redirect"] and params["text"] is not None and params["section"] != "new":
        # Following a redirect is for adding to the target, never for replacing it.
        raise ApiError("redirect-appendonly")
    summary, heading = params["summary"], None
    text = params["text"]
    if params["undo"]:  # 0 undoes nothing, as in MediaWiki
        try:
            title = await ctx.services.pages.resolve_title(params["title"], params["pageid"])
            undo = await ctx.services.pages.undo(title, params["undo"], params["undoafter"])
        except PageError as error:
            raise api_error(error, ctx.uselang) from None
        text = undo.text
        # Only when no summary was sent at all (an empty one stays empty), as in MediaWiki.
        if ctx.request.peek("summary") is None and undo.single is not None:
            summary = render(Message("undo-summary", (undo.single.id, undo.single.user_text)), "wikitext")
    if params["section"] == "new":
        # A new section is headed by its title or, failing that, by the summary, which then
        # becomes a link to the new section.
        heading = params["sectiontitle"] or summary or None
        if heading and not (params["sectiontitle"] and summary):
            summary = render(Message("newsectionsummary", (heading,)), "wikitext")
    request = EditRequest(
        text=text, appendtext=params["appendtext"], prependtext=params["prependtext"],
        summary=summary or "", minor=params["minor"], notminor=params["notminor"],
        createonly=params["createonly"], nocreate=params["nocreate"],
        # MediaWiki ignores an empty or zero base timestamp, as PHP reads both as false.
        basetimestamp=params["basetimestamp"] if ctx.request.peek("basetimestamp") not in ("", "0") else None,
        md5=params["md5"], watchlist=_watchlist(params), section=params["section"], heading=heading,
        bot=params["bot"])
    try:
        title = await ctx.services.pages.resolve_title(params["title"], params["pageid"])
        outcome = await ctx.services.pages.edit(ctx.user, title, request, now=ctx.now, ip=ctx.ip)
    except PageError as error:
        await ctx.services.blocks.follow_refused_user(ctx.user, error, ctx.now)
        raise api_error(error, ctx.uselang) from None
    # Like MediaWiki, a saved edit keeps the editor's session (anonymous ones included).
    ctx.session.persist()
    result: dict[str, Any] = {}
    if outcome.created:
        result["new"] = True
    result.update({"result": "Success", "pageid": outcome.page_id, "title": outcome.title.prefixed_text,
                   "contentmodel": CONTENT_MODEL})
    if outcome.revision is None:
        result["nochange"] = True
    else:
        result.update({"oldrevid": outcome.old_rev_id, "newrevid": outcome.revision.id,
                       "newtimestamp": to_iso(outcome.revision.timestamp)})
    # The deprecated `watch` reports the page watched even for an anonymous editor, as in MediaWiki.
    if outcome.watched or params["watch"]:
        result["watched"] = True
    return {"edit": result}
