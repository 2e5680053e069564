"""prop=templates: the pages each page transcludes (`{{Name}}` in its current text)."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError
from wikigate.api.params import Param
from wikigate.services.pages import transclusions
from wikigate.titles import InvalidTitle, Title, parse_title

NAME = "templates"
GROUP = "prop"
PREFIX = "tl"
GENERATOR = True
DESCRIPTION = "Returns all pages transcluded on the given pages."
PARAMS = (
    Param("namespace", "namespace", multi=True, help="Show templates in these namespaces only."),
    Param("limit", "limit", default=10, max=500, highmax=5000, help="How many templates to return."),
    Param("continue", "string", help="When more results are available, use this to continue."),
    Param("templates", "string", multi=True, help="Only list these templates."),
    Param("dir", ("ascending", "descending"), default="ascending", help="The direction in which to list."),
)
EXAMPLES = (
    ("action=query&prop=templates&titles=Main%20Page", "Get the templates used on the page Main Page."),
    ("action=query&generator=templates&titles=Main%20Page&prop=info", "Get information about the template pages used on Main Page."),
)


def _wanted(ctx: ApiContext, names: list[str]) -> set[Title] | None:
    if not names:
        return None
    wanted = set()
    for name in names:
        try:
            wanted.add(parse_title(name, ctx.services.namespaces))
        except InvalidTitle:
            continue
    return wanted


async def execute(ctx: ApiContext, params: dict[str, Any], query: Any) -> None:
    pageset = query.pageset
    if pageset is None:
        return
    good = pageset.good
    revisions = await ctx.services.queries.revisions([entry.row.latest for entry in good if entry.row])
    texts = {rev.page_id: rev.text for rev in revisions}
    wanted = _wanted(ctx, params["templates"])
    links: list[tuple[int, Title]] = []
    for entry in good:
        for title in transclusions(texts.get(entry.page_id, ""), ctx.services.namespaces):
            if params["namespace"] and title.namespace not in params["namespace"]:
                continue
            if wanted is not None and title not in wanted:
                continue
            links.append((entry.page_id, title))
    descending = params["dir"] == "descending"
    links.sort(key=lambda link: (link[0], link[1].namespace, link[1].dbkey), reverse=descending)
    links = _after(links, params["continue"], descending)
    limit = params["limit"]
    if len(links) > limit:
        page_id, title = links[limit]
        query.set_continue(query.continue_key(PREFIX), f"{page_id}|{title.namespace}|{title.dbkey}")
        links = links[:limit]
    if query.generating:
        query.generated.extend(dict.fromkeys(title for _, title in links))
        return
    for page_id, title in links:
        query.page_info.setdefault(page_id, {}).setdefault("templates", []).append(
            {"ns": title.namespace, "title": title.prefixed_text})


def _after(links: list[tuple[int, Title]], value: str | None, descending: bool) -> list[tuple[int, Title]]:
    if value is None:
        return links
    parts = value.split("|", 2)
    try:
        key = (int(parts[0]), int(parts[1]), parts[2])
    except (ValueError, IndexError):
        raise ApiError("badcontinue") from None
    if descending:
        return [link for link in links if (link[0], link[1].namespace, link[1].dbkey) <= key]
    return [link for link in links if (link[0], link[1].namespace, link[1].dbkey) >= key]
