"""action=parse, for what needs no rendering: a page's, a revision's or a text's wikitext, sections,
revision id and display title. Rendering HTML is not a goal of this server (see the README): the
other properties are refused with an error naming them."""

from __future__ import annotations

import html
from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.pagerefusals import api_error
from wikigate.api.params import Param, require_max_one_of
from wikigate.messages import Message
from wikigate.services.pages import PageError
from wikigate.titles import InvalidTitle, Title, parse_title
from wikigate.wikitext import sections as section_rules
from wikigate.wikitext.pst import pre_save_transform
from wikigate.wikitext.toc import table_of_contents

NAME = "parse"
DESCRIPTION = "Parses content and returns parser output (only what needs no rendering is offered here)."
OFFERED = ("wikitext", "sections", "revid", "displaytitle")
# MediaWiki 1.39's content models and formats, in its order (any text reads back as given).
CONTENT_FORMATS = ("text/x-wiki", "text/javascript", "application/json", "text/css", "text/plain",
                   "application/octet-stream", "application/unknown", "application/x-binary", "text/unknown",
                   "unknown/unknown")
CONTENT_MODELS = ("wikitext", "javascript", "json", "css", "text", "unknown")
PROPS = ("text", "langlinks", "categories", "categorieshtml", "links", "templates", "images", "externallinks",
         "sections", "revid", "displaytitle", "subtitle", "headhtml", "modules", "jsconfigvars",
         "encodedjsconfigvars", "indicators", "iwlinks", "wikitext", "properties", "limitreportdata",
         "limitreporthtml", "parsetree", "parsewarnings", "parsewarningshtml", "headitems")
PARAMS = (
    Param("title", "string", help="Title of the page the text belongs to. If omitted, API is used."),
    Param("text", "text", help="Text to parse. Use title or contentmodel to control the content model."),
    Param("revid", "integer", help="Revision ID, for {{REVISIONID}} and similar variables."),
    Param("summary", "string", help="Summary to parse."),
    Param("page", "string", help="Parse the content of this page. Cannot be used together with text and title."),
    Param("pageid", "integer", help="Parse the content of this page. Overrides page."),
    Param("oldid", "integer", help="Parse the content of this revision. Overrides page and pageid."),
    Param("prop", PROPS, multi=True,
          default="text|langlinks|categories|links|templates|images|externallinks|sections|revid|displaytitle|"
                  "iwlinks|properties|parsewarnings",
          help="Which pieces of information to get; only wikitext, sections, revid and displaytitle are offered."),
    Param("pst", "boolean", help="Do a pre-save transform on the input before parsing it."),
    Param("onlypst", "boolean", help="Do a pre-save transform on the input, but don't parse it."),
    Param("section", "string", help="Only parse the content of the section with this identifier."),
    Param("disabletoc", "boolean", help="Omit table of contents in output."),
    Param("contentformat", CONTENT_FORMATS, help="Content serialization format used for the input text."),
    Param("contentmodel", CONTENT_MODELS, help="Content model of the input text."),
)
EXAMPLES = (
    ("action=parse&page=Project:Sandbox&prop=wikitext|sections", "Get the wikitext and sections of a page."),
    ("action=parse&text={{Project:Sandbox}}&contenttype=wikitext&prop=sections", "Get the sections of wikitext."),
)


def _display_title(title: Title) -> str:
    main = f'<span class="mw-page-title-main">{title.text}</span>'
    if not title.ns_text:
        return main
    return (f'<span class="mw-page-title-namespace">{title.ns_text}</span>'
            f'<span class="mw-page-title-separator">:</span>{main}')


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    props = list(params["prop"])
    require_max_one_of(params, "text", "page", "pageid", "oldid", prefix="")
    if params["section"] is not None and params["section"] != "new":
        try:
            section_rules.parse_section_id(params["section"])
        except section_rules.InvalidSection:
            raise ApiError("invalidsection") from None
    pages = ctx.services.pages
    result: dict[str, Any] = {}
    page_id, rev_id = 0, None
    transformed_text: str | None = None
    if params["oldid"] is not None or params["page"] is not None or params["pageid"] is not None:
        try:
            if params["oldid"] is not None:
                found = await ctx.services.queries.revisions([params["oldid"]])
                if not found:
                    raise PageError("apierror-nosuchrevid", params["oldid"])
                revision = found[0]
                title = await pages.resolve_title(None, revision.page_id)
            else:
                title = await pages.resolve_title(params["page"], params["pageid"])
                latest = await pages.latest_revision(title)
                if latest is None:
                    raise PageError("apierror-missingtitle")
                revision = latest
        except PageError as error:
            raise api_error(error, ctx.uselang) from None
        text, page_id, rev_id = revision.text, revision.page_id, revision.id
    else:
        title_text = params["title"]
        if params["revid"] is not None:
            # Text for a revision is read as that revision's page.
            of_revision = await ctx.services.queries.revisions([params["revid"]])
            if not of_revision:
                raise ApiError("nosuchrevid", params["revid"])
            if title_text is None:
                title_text = (await pages.resolve_title(None, of_revision[0].page_id)).prefixed_text
        try:
            title = parse_title("API" if title_text is None else title_text, ctx.services.namespaces)
        except InvalidTitle:
            raise ApiError("invalidtitle", params["title"]) from None
        if title_text is None and params["text"] is not None and params["contentmodel"] is None:
            ctx.warn_module(ApiMessage.of("parse-nocontentmodel", "wikitext", kind="apiwarn"))
        text = params["text"] or ""
        if params["pst"] or params["onlypst"]:
            transformed_text = section_rules.rtrim(pre_save_transform(text, user_name=ctx.user.name,
                                                                      anonymous=ctx.user.is_anon, now=ctx.now))
    if params["onlypst"]:
        transformed: dict[str, Any] = {"text": _content(ctx, text if transformed_text is None else transformed_text)}
        if "wikitext" in props:
            transformed["wikitext"] = _content(ctx, text)
        if params["summary"] is not None:
            transformed["parsedsummary"] = _content(ctx, html.escape(params["summary"], quote=False))
        return {"parse": transformed}
    if params["section"] is not None:
        part = section_rules.get_section(text, params["section"]) if params["section"] != "new" else None
        if part is None:
            if page_id:
                raise ApiError("nosuchsection-what", params["section"], Message("", fallback=title.prefixed_text),
                               code="nosuchsection")
            raise ApiError("nosuchsection", params["section"])
        text = part
    # Refused where MediaWiki would start rendering: a missing page or section is told first.
    refused = [prop for prop in props if prop not in OFFERED]
    if refused:
        raise ApiError("parse-unrendered", "|".join(refused), len(refused), code="unsupportedprop")
    result.update({"title": title.prefixed_text, "pageid": page_id})
    if "revid" in props and rev_id is not None:
        result["revid"] = rev_id
    if "sections" in props:
        entries = table_of_contents(text)
        result["sections"] = [
            {"toclevel": e.toclevel, "level": str(e.level), "line": e.line, "number": e.number, "index": str(e.index),
             "fromtitle": title.prefixed_dbkey, "byteoffset": e.byteoffset, "anchor": e.anchor} for e in entries]
        # Whether the page would show its table of contents (disabletoc only drops it from rendered text).
        result["showtoc"] = (len(entries) >= 4 and "__NOTOC__" not in text) or "__FORCETOC__" in text
    if "displaytitle" in props:
        result["displaytitle"] = _display_title(title)
    if "wikitext" in props:
        result["wikitext"] = _content(ctx, text)
        if transformed_text is not None:
            result["psttext"] = _content(ctx, transformed_text)
    if params["summary"] is not None:
        result["parsedsummary"] = _content(ctx, html.escape(params["summary"], quote=False))
    return {"parse": result}


def _content(ctx: ApiContext, text: str) -> Any:
    return text if ctx.formatversion == 2 else {"*": text}
