"""action=paraminfo: machine-readable descriptions of modules, from their declarations."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.docs import module_info
from wikigate.api.errors import ApiMessage
from wikigate.api.main import FORMAT_PARAMS
from wikigate.api.params import Param
from wikigate.api.registry import QUERY_GROUPS, ModuleSpec, Registry

NAME = "paraminfo"
READ = False
DESCRIPTION = "Obtain information about API modules."
FORMATS = ("json", "jsonfm", "none")


def PARAMS(registry: Registry) -> tuple[Param, ...]:  # noqa: N802 (a module's PARAMS, built from the registry)
    query_names = tuple(sorted(name for group in QUERY_GROUPS for name in registry.query[group]))
    return (
        Param("modules", "string", multi=True, help="List of module names (values of action, format, or "
              "query+name; * for all submodules, e.g. query+*)."),
        Param("helpformat", ("html", "wikitext", "raw", "none"), default="none", help="Format of help strings."),
        Param("querymodules", query_names, multi=True, deprecated=True, help="List of query module names."),
        Param("mainmodule", "boolean", deprecated=True, help="Get information about the main module as well."),
        Param("pagesetmodule", "boolean", deprecated=True, help="Get information about the pageset module as well."),
        Param("formatmodules", FORMATS, multi=True, deprecated=True, help="List of format module names."),
    )


EXAMPLES = (("action=paraminfo&modules=parse|phpfm|query+allpages|query+siteinfo", "Show info for some modules."),)


def _main_spec(ctx: ApiContext) -> ModuleSpec:
    from wikigate.api import main

    pipeline_params = main.main_params(list(ctx.registry.actions))
    return ModuleSpec(name="main", path="main", group=None, prefix="", params=pipeline_params,
                      execute=_unused, must_post=False, write=False, read=False, token=None, generator=False,
                      description="The main module of the Action API.", examples=(), source=main)


def _format_spec(name: str) -> ModuleSpec:
    from wikigate.api import formats

    return ModuleSpec(name=name, path=name, group="format", prefix="", params=FORMAT_PARAMS,
                      execute=_unused, must_post=False, write=False, read=False, token=None, generator=False,
                      description=f"Output data in {name.upper()} format.", examples=(), source=formats)


async def _unused(*_: Any) -> None:
    return None


def _expand(path: str, ctx: ApiContext) -> list[str]:
    registry = ctx.registry
    if path == "query+*":
        return [spec.path for group in QUERY_GROUPS for spec in registry.query[group].values()]
    if path == "*":
        return list(registry.actions)
    return [path]


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    registry = ctx.registry
    # Descriptions only when a help format is asked for, in the user's language.
    lang = ctx.uselang if params["helpformat"] != "none" else None
    result: dict[str, Any] = {"helpformat": params["helpformat"]}
    specs: list[ModuleSpec] = []
    for path in dict.fromkeys(found for given in params["modules"] for found in _expand(given, ctx)):
        spec = _main_spec(ctx) if path == "main" else (
            _format_spec(path) if path in FORMATS else registry.by_path(path))
        if spec is None:
            # As MediaWiki: a warning naming the first part of the path that is not a module.
            parent, _, name = path.rpartition("+") if path.startswith("query+") else ("main", "", path.split("+")[0])
            ctx.warn_module(ApiMessage.of("badmodule-badsubmodule", parent, name, code="badmodule"))
            continue
        specs.append(spec)
    if specs:
        result["modules"] = [module_info(spec, registry, lang=lang) for spec in specs]
    # The deprecated ways of asking each answer under their own key.
    found = [registry.by_path(f"query+{name}") for name in params["querymodules"]]
    if found:
        result["querymodules"] = [module_info(spec, registry, lang=lang) for spec in found if spec]
    if params["mainmodule"]:
        result["mainmodule"] = module_info(_main_spec(ctx), registry, lang=lang)
    if params["formatmodules"]:
        result["formatmodules"] = [module_info(_format_spec(name), registry, lang=lang)
                                   for name in params["formatmodules"]]
    return {"paraminfo": result}
