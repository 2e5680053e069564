"""prop=revisions: the latest revision of each page, or the history of one page."""

from __future__ import annotations

import re
from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.params import Param
from wikigate.messages import Message
from wikigate.services.queries import RevisionRecord
from wikigate.timeutil import parse_timestamp, to_iso, to_mw
from wikigate.wikitext import sections

NAME = "revisions"
GROUP = "prop"
PREFIX = "rv"
GENERATOR = True
DESCRIPTION = "Get revision information."
PROPS = ("comment", "content", "contentmodel", "flags", "ids", "parsedcomment", "roles", "sha1", "size",
         "slotsha1", "slotsize", "tags", "timestamp", "user", "userid")
PARAMS = (
    Param("prop", PROPS, multi=True, default="ids|timestamp|flags|comment|user", help="Which properties to get for each revision."),
    Param("slots", ("main",), multi=True, allow_all=True, help="Which revision slots to return data for."),
    Param("limit", "limit", max=500, highmax=5000, help="Limit how many revisions will be returned."),
    Param("section", "string", help="Only retrieve the content of the section with this identifier."),
    Param("startid", "integer", help="Start enumeration from this revision's timestamp."),
    Param("endid", "integer", help="Stop enumeration at this revision's timestamp."),
    Param("start", "timestamp", help="From which revision timestamp to start enumeration."),
    Param("end", "timestamp", help="Enumerate up to this timestamp."),
    Param("dir", ("newer", "older"), default="older", help="In which direction to enumerate."),
    Param("user", "user", help="Only include revisions made by user."),
    Param("excludeuser", "user", help="Exclude revisions made by user."),
    Param("tag", "string", help="Only list revisions tagged with this tag."),
    Param("continue", "string", help="When more results are available, use this to continue."),
)
EXAMPLES = (
    ("action=query&prop=revisions&titles=API|Main%20Page&rvslots=*&rvprop=timestamp|user|comment|content",
     "Get data with content for the last revision of titles API and Main Page."),
)
# Any of these asks for the history of a single page rather than each page's latest revision.
_ENUMERATION = ("limit", "startid", "endid", "start", "end", "user", "excludeuser", "continue")


def _enumerating(ctx: ApiContext, params: dict[str, Any]) -> bool:
    return any(params[name] is not None for name in _ENUMERATION) or params["dir"] == "newer"


def _shown(ctx: ApiContext, rev: RevisionRecord, props: set[str], slots: list[str] | None,
           section: str | None) -> dict[str, Any] | list[Any]:
    # A revision with no properties asked for is PHP's empty array: [] in JSON.
    return _revision(ctx, rev, props, slots, section) or []


def _revision(ctx: ApiContext, rev: RevisionRecord, props: set[str], slots: list[str] | None,
              section: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "ids" in props:
        out.update({"revid": rev.id, "parentid": rev.parent_id or 0})
    if "flags" in props:
        out["minor"] = rev.minor
    if "user" in props:
        out["user"] = rev.user_text
        if not rev.user_id:
            out["anon"] = True
    if "userid" in props:
        out["userid"] = rev.user_id
    if "timestamp" in props:
        out["timestamp"] = to_iso(rev.timestamp)
    if "size" in props:
        out["size"] = rev.len
    if "sha1" in props:
        out["sha1"] = rev.sha1
    if "roles" in props:
        out["roles"] = ["main"]
    content = _content(ctx, rev, props, section, legacy=slots is None)
    if slots is None:
        out.update(content)
    elif content or props & {"slotsize", "slotsha1"}:
        main: dict[str, Any] = {}
        if "slotsize" in props:
            main["size"] = rev.len
        if "slotsha1" in props:
            main["sha1"] = rev.sha1
        main.update(content)
        out["slots"] = {"main": main}
    if "comment" in props:
        out["comment"] = rev.comment
    if "parsedcomment" in props:
        out["parsedcomment"] = rev.comment
    if "tags" in props:
        out["tags"] = []
    return out


def _content(ctx: ApiContext, rev: RevisionRecord, props: set[str], section: str | None,
             legacy: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    text: str | None = rev.text
    if "content" in props and section is not None:
        text = sections.get_section(rev.text, _lenient_section_id(section))
        if text is None:
            if legacy:
                raise ApiError("nosuchsection-what", section, Message("revid", (rev.id,)), code="nosuchsection")
            # With slots, a revision without the section says so in place of its content.
            return {"nosuchsection": True}
    if "contentmodel" in props or "content" in props:
        out["contentmodel"] = "wikitext"
    if "content" in props:
        out["contentformat"] = "text/x-wiki"
        out["content" if ctx.formatversion == 2 else "*"] = text
    return out


def _lenient_section_id(section: str) -> str:
    """rvsection as the parser reads it: the number after the last dash, as PHP's (int) reads it
    (so "x" is the lead), for inclusion when an earlier part is "T"."""
    *parts, last = section.split("-")
    digits = re.match(r"[ \t\n\r\v\f]*\+?(\d*)", last)
    number = int(digits.group(1)) if digits and digits.group(1) else 0
    return f"T-{number}" if "T" in parts else str(number)


def _parse_continue(value: str) -> tuple[float, int]:
    stamp, _, rev_id = value.partition("|")
    try:
        return parse_timestamp(stamp), int(rev_id)
    except ValueError:
        raise ApiError("badcontinue") from None


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    pageset = query.pageset
    if pageset is None:
        return
    props = set(params["prop"])
    slots = params["slots"] if ctx.request.has("rvslots") else None
    good = pageset.good
    if query.generating:
        # As a generator this lists the pages whose revisions it would show.
        query.generated.extend(entry.title for entry in good)
        return
    if slots is None and props & {"content", "contentmodel"} and good:
        # Said when there are revisions to show in the legacy form, not for missing pages.
        ctx.deprecate(ApiMessage.of("deprecation-missingparam", "rvslots", kind="apiwarn"), ctx.feature("!rvslots"))
    if params["tag"] is not None:
        return  # no revision here carries a change tag, so none is shown
    if _enumerating(ctx, params):
        if len(good) > 1:
            raise ApiError("revisions-singlepage", code="invalidparammix")
        if good:
            await _history(ctx, params, query, good[0], props, slots)
        return
    revisions = await ctx.services.queries.revisions([entry.row.latest for entry in good if entry.row])
    by_page = {rev.page_id: rev for rev in revisions}
    for entry in good:
        rev = by_page.get(entry.page_id)
        if rev is not None:
            query.page_info.setdefault(entry.page_id, {})["revisions"] = [_shown(ctx, rev, props, slots, params["section"])]


async def _history(ctx: ApiContext, params: dict[str, Any], query: Any, entry: Any, props: set[str],
                   slots: list[str] | None) -> None:
    newest_first = params["dir"] == "older"
    limit = params["limit"] or 10
    for name in ("startid", "endid"):
        if params[name] is not None and not await ctx.services.pages.revision_exists(params[name]):
            raise ApiError("revisions-badid", PREFIX + name, code=f"badid_{PREFIX}{name}")
    start, start_id = params["start"], params["startid"]
    if params["continue"] is not None:
        start, start_id = _parse_continue(params["continue"])
    rows = await ctx.services.queries.history(entry.page_id, newest_first=newest_first, limit=limit + 1,
                                              start_id=start_id, start=start, end=params["end"])
    if params["user"] is not None:
        rows = [r for r in rows if r.user_text == params["user"]]
    if params["excludeuser"] is not None:
        rows = [r for r in rows if r.user_text != params["excludeuser"]]
    if len(rows) > limit:
        following = rows[limit]
        query.set_continue(query.continue_key(PREFIX), f"{to_mw(following.timestamp)}|{following.id}")
        rows = rows[:limit]
    if rows:  # nothing found: no `revisions` at all, as in MediaWiki
        query.page_info.setdefault(entry.page_id, {})["revisions"] = [_shown(ctx, r, props, slots, params["section"]) for r in rows]
