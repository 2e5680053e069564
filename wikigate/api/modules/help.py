"""action=help: HTML help generated from the module declarations."""

from __future__ import annotations

import html
from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.docs import help_html
from wikigate.api.errors import ApiError
from wikigate.api.params import Param
from wikigate.messages import Message, help_text, render

NAME = "help"
READ = False
DESCRIPTION = "Display help for the specified modules."
PARAMS = (
    Param("modules", "string", default="main", multi=True, help="Modules to display help for (values of action, or query+name)."),
    Param("submodules", "boolean", help="Include help for submodules of the named module."),
    Param("recursivesubmodules", "boolean", help="Include help for submodules recursively."),
    Param("wrap", "boolean", help="Wrap the output in a standard API response structure."),
    Param("toc", "boolean", help="Include a table of contents in the HTML output."),
)
EXAMPLES = (("action=help&modules=protect", "Help for the protect module."),)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    registry = ctx.registry
    lang = ctx.uselang
    sections: list[str] = []
    for path in params["modules"]:
        if path == "main":
            actions = "".join(
                f"<li><b>{name}</b>: {html.escape(help_text(f'apihelp-{name}-summary', spec.description, lang))}</li>"
                for name, spec in registry.actions.items())
            sections.append(f"<h2>action=</h2><ul>{actions}</ul>")
            continue
        spec = registry.by_path(path)
        if spec is None:
            raise ApiError("badmodule-badsubmodule", "main", path, code="badmodule")
        sections.append(help_html(spec, registry, lang))
        if params["submodules"] or params["recursivesubmodules"]:
            if path == "query":
                for group in ("prop", "list", "meta"):
                    sections.extend(help_html(sub, registry, lang) for sub in registry.query[group].values())
    title = html.escape(render(Message("api-help-title"), "plaintext", lang))
    lead = html.escape(render(Message("api-help-lead"), "plaintext", lang))
    page = (f"<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title}</title></head>"
            f"<body><h1>{title}</h1><p>{lead}</p>" + "\n".join(sections) + "</body></html>")
    if not params["wrap"]:
        # As MediaWiki's help printer: the page itself, whatever format was asked for.
        ctx.raw = (page, "text/html; charset=utf-8")
        ctx.headers["Content-Disposition"] = "inline; filename=api-help.html"
        return {}
    return {"help": {"mime": "text/html", "filename": "api-help.html", "help": page}}
