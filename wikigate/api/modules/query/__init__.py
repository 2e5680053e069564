"""action=query: runs the prop, list and meta submodules over one page set."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wikigate import specialpages
from wikigate.api.context import ApiContext
from wikigate.api.params import Param, extract_params
from wikigate.api.query import PageSet, QueryResult, build_pageset
from wikigate.messages import Message, render
from wikigate.titles import NS

if TYPE_CHECKING:
    from wikigate.api.registry import Registry

NAME = "query"
DESCRIPTION = "Fetch data from and about MediaWiki."
EXAMPLES = (
    ("action=query&meta=siteinfo|tokens", "Fetch site info and tokens."),
    ("action=query&prop=info&inprop=protection&titles=Main%20Page", "Fetch a page's protection."),
)


def PARAMS(registry: Registry) -> tuple[Param, ...]:
    generators = tuple(
        spec.name for group in ("prop", "list") for spec in registry.query[group].values() if spec.generator
    )
    return (
        Param("prop", tuple(registry.query["prop"]), multi=True, submodules="prop", help="Which properties to get for the queried pages."),
        Param("list", tuple(registry.query["list"]), multi=True, submodules="list", help="Which lists to get."),
        Param("meta", tuple(registry.query["meta"]), multi=True, submodules="meta", help="Which metadata to get."),
        Param("indexpageids", "boolean", help="Include an additional pageids section listing all returned page IDs."),
        Param("export", "boolean", help="Export the current revisions of all given or generated pages."),
        Param("exportnowrap", "boolean", help="Return the export XML without wrapping it in an XML result."),
        Param("iwurl", "boolean", help="Whether to get the full URL if the title is an interwiki link."),
        Param("continue", "string", help="When more results are available, use this to continue."),
        Param("rawcontinue", "boolean", help="Return raw query-continue data for continuation."),
        Param("titles", "string", multi=True, help="A list of titles to work on."),
        Param("pageids", "integer", multi=True, help="A list of page IDs to work on."),
        Param("revids", "integer", multi=True, help="A list of revision IDs to work on."),
        Param("generator", generators, help="Get the list of pages to work on by executing the specified query module."),
        Param("redirects", "boolean", help="Automatically resolve redirects."),
        Param("converttitles", "boolean", help="Convert titles to other variants if necessary."),
    )


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    registry = ctx.registry
    query = QueryResult()
    if params["titles"] or params["pageids"]:
        query.pageset = await build_pageset(ctx, titles_given=params["titles"], page_ids=params["pageids"],
                                            resolve_redirects=params["redirects"])
    if params["generator"]:
        query.pageset = await _generate(ctx, params["generator"], query, params["redirects"])
    generator_key = next(iter(query.continuation), None)  # the generator's, when it must go on
    modes = {"private" if query.pageset is not None else "public"}
    going_on: set[tuple[str, str]] = set()  # (group, name) of the modules that set a continuation
    for group in ("prop", "list", "meta"):
        for name in params[group]:
            spec = registry.query[group][name]
            modes.add(spec.cache_mode)
            if spec.read and not ctx.has_right("read"):
                continue
            ctx.module_path = spec.path
            sub_params = extract_params(ctx, spec.params, spec.prefix)
            before = len(query.continuation)
            await spec.execute(ctx, sub_params, query)
            if len(query.continuation) > before:
                going_on.add((group, name))
            ctx.module_path = "query"
    # The answer is as private as its most private part.
    ctx.cache_mode = "public" if modes == {"public"} else "private"
    if query.pageset is not None and (query.pageset.entries or query.pageset.bad_page_ids or query.pageset.redirects):
        _add_pages(ctx, query, params)
    # The batch (the properties of this set of pages) is complete unless a prop module must go on;
    # list and meta modules going on do not count, as in MediaWiki.
    props_go_on = any(group == "prop" for group, _ in going_on)
    result: dict[str, Any] = {}
    if not props_go_on:
        result["batchcomplete"] = True
    if query.continuation:
        result["continue"] = {**query.continuation, "continue": _continue_value(params, going_on, generator_key)}
    if ctx.limits_used:
        result["limits"] = dict(ctx.limits_used)
    # A top-level list comes before `query` unless the page set had already started it.
    if query.pageset is None:
        result.update(query.toplevel)
    if query.data:
        result["query"] = query.data
    result.update(query.toplevel)
    return result


def _continue_value(params: dict[str, Any], going_on: set[tuple[str, str]], generator_key: str | None) -> str:
    """MediaWiki's `continue` value: what to do with the page set, then the modules that are done.

    The page set comes from a generator that goes on (its continuation parameter), is sent
    again as it was (nothing) while a prop module goes on, or is done (`-`). Done modules are
    not asked again; with a generator going on, prop modules never are, as its next pages
    need them.
    """
    props_go_on = any(group == "prop" for group, _ in going_on)
    head = generator_key or ("" if props_go_on else "-")
    done = [name for group in ("prop", "list", "meta") for name in params[group]
            if (group, name) not in going_on and not (generator_key and group == "prop")]
    return f"{head}||{'|'.join(done)}"


async def _generate(ctx: ApiContext, name: str, query: QueryResult, resolve_redirects: bool) -> PageSet:
    """Run a prop or list module as a generator: the titles it lists become the page set."""
    registry = ctx.registry
    spec = registry.query["prop"].get(name) or registry.query["list"][name]
    source = QueryResult()
    source.pageset = query.pageset
    source.generating = True
    ctx.module_path = spec.path
    sub_params = extract_params(ctx, spec.params, "g" + spec.prefix)
    await spec.execute(ctx, sub_params, source)
    ctx.module_path = "query"
    query.continuation.update(source.continuation)
    titles = [title.prefixed_text for title in source.generated]
    return await build_pageset(ctx, titles_given=titles, page_ids=[], resolve_redirects=resolve_redirects)


def _add_pages(ctx: ApiContext, query: QueryResult, params: dict[str, Any]) -> None:
    pageset = query.pageset
    assert pageset is not None
    data = query.data
    ordered: dict[str, Any] = {}
    if pageset.normalized:
        ordered["normalized"] = [
            item if ctx.formatversion == 2 else {k: v for k, v in item.items() if k != "fromencoded"}
            for item in pageset.normalized
        ]
    if pageset.redirects:
        ordered["redirects"] = pageset.redirects
    pages: list[tuple[int, dict[str, Any]]] = []
    for entry in pageset.entries:
        info = query.page_info.get(entry.page_id)
        base: dict[str, Any]
        if entry.invalid_reason is not None or entry.title is None:
            assert entry.invalid_reason is not None
            reason = render(Message(entry.invalid_reason, entry.invalid_params), "plaintext", ctx.errorlang)
            base = {"title": entry.text, "invalidreason": reason, "invalid": True}
        elif entry.row is None:
            base = {"ns": entry.title.namespace, "title": entry.title.prefixed_text}
            if entry.title.namespace == NS.SPECIAL:
                base["special"] = True
                if specialpages.canonical(entry.title.dbkey) is None:
                    base["missing"] = True
            else:
                base["missing"] = True
        else:
            base = {"pageid": entry.page_id, "ns": entry.title.namespace, "title": entry.title.prefixed_text}
        if info:
            base.update(info)
        pages.append((entry.page_id, base))
    for pid in pageset.bad_page_ids:
        pages.append((pid, {"pageid": pid, "missing": True}))
    if params["indexpageids"]:
        ordered["pageids"] = [str(pid) for pid, _ in pages]
    if ctx.formatversion == 2:
        # A list, in page id order (the negative numbers of missing pages first), as MediaWiki sorts it.
        ordered["pages"] = [page for _, page in sorted(pages, key=lambda item: item[0])]
    else:
        ordered["pages"] = {str(pid): page for pid, page in pages}
    query.data = {**ordered, **data}
