"""action=paraminfo: machine-readable descriptions of modules, from their declarations."""

from __future__ import annotations

from typing import Any

from wikigate.api.context import ApiContext
from wikigate.api.docs import module_info
from wikigate.api.main import FORMAT_PARAMS
from wikigate.api.params import Param
from wikigate.api.registry import QUERY_GROUPS, ModuleSpec

NAME = "paraminfo"
READ = False
DESCRIPTION = "Obtain information about API modules."
PARAMS = (
    Param("modules", "string", multi=True, help="List of module names (values of action, format, or query+name; * for all submodules, e.g. query+*)."),
    Param("helpformat", ("html", "wikitext", "raw", "none"), default="none", help="Format of help strings."),
    Param("querymodules", "string", multi=True, deprecated=True, help="List of query module names."),
    Param("mainmodule", "boolean", deprecated=True, help="Get information about the main module as well."),
    Param("pagesetmodule", "boolean", deprecated=True, help="Get information about the pageset module as well."),
    Param("formatmodules", ("json", "jsonfm", "none"), multi=True, deprecated=True, help="List of format module names."),
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
    with_help = params["helpformat"] != "none"
    paths: list[str] = []
    for path in params["modules"]:
        paths.extend(_expand(path, ctx))
    paths.extend(f"query+{name}" for name in params["querymodules"])
    if params["mainmodule"]:
        paths.append("main")
    paths.extend(params["formatmodules"])
    modules: list[dict[str, Any]] = []
    for path in dict.fromkeys(paths):
        if path == "main":
            spec = _main_spec(ctx)
        elif path in ("json", "jsonfm", "none"):
            spec = _format_spec(path)
        else:
            found = registry.by_path(path)
            if found is None:
                modules.append({"name": path.rsplit("+", 1)[-1], "path": path, "missing": True})
                continue
            spec = found
        modules.append(module_info(spec, registry, with_help=with_help))
    return {"paraminfo": {"helpformat": params["helpformat"], "modules": modules}}
