"""Module documentation from the declarations: the data behind help and paraminfo."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from wikigate.api.params import MULTI_HIGHLIMIT, MULTI_LIMIT, Param
from wikigate.api.registry import QUERY_GROUPS, ModuleSpec

if TYPE_CHECKING:
    from wikigate.api.registry import Registry


def submodule_map(param: Param, registry: Registry) -> dict[str, str]:
    if param.submodules == "action":
        return {name: spec.path for name, spec in registry.actions.items()}
    if param.submodules in QUERY_GROUPS:
        return {name: spec.path for name, spec in registry.query[param.submodules].items()}
    return {}


def default_value(default: Any) -> Any:
    """Multi-value defaults are shown joined with "|"; scalars (e.g. integers) as they are."""
    if isinstance(default, (tuple, list, frozenset, set)):
        return "|".join(map(str, default))
    return default


def param_info(param: Param, index: int, prefix: str, registry: Registry, *, with_help: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {"index": index, "name": prefix + param.name}
    if with_help:
        entry["description"] = param.help
    # Choices come sorted, as MediaWiki's paraminfo gives them.
    entry["type"] = sorted(param.type) if isinstance(param.type, tuple) else param.type
    if param.type == "boolean":
        entry["default"] = False
    elif param.default is not None:
        entry["default"] = default_value(param.default)
    entry["multi"] = param.multi
    if param.multi:
        entry["limit"] = MULTI_LIMIT
        entry["lowlimit"] = MULTI_LIMIT
        entry["highlimit"] = MULTI_HIGHLIMIT
        if param.allow_all:
            entry["allspecifier"] = "*"
    entry["required"] = param.required
    # Like MediaWiki, these flags appear only when set.
    if param.sensitive:
        entry["sensitive"] = True
    if param.deprecated:
        entry["deprecated"] = True
    if param.type == "limit":
        entry["min"] = 1
        entry["max"] = param.max
        entry["highmax"] = param.highmax or param.max
    if param.token_type:
        entry["tokentype"] = param.token_type
    if param.submodules:
        # Present even when the group is empty: pywikibot reads it for every query group.
        entry["submodules"] = submodule_map(param, registry)
        if param.submodules in ("prop", "list"):
            entry["submoduleparamprefix"] = "g"
    entry["__bc_bools__"] = ["default"] if param.type == "boolean" else []
    return entry


def all_params(spec: ModuleSpec) -> list[Param]:
    """The declared parameters plus the token parameter of token-taking modules."""
    params = list(spec.params)
    if spec.token:
        params.append(Param("token", "string", required=True, sensitive=True, token_type=spec.token,
                            help=f"A \"{spec.token}\" token retrieved from action=query&meta=tokens."))
    return params


def module_info(spec: ModuleSpec, registry: Registry, *, with_help: bool) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": spec.name,
        "classname": "Wikigate" + "".join(part.capitalize() for part in spec.path.split("+")),
        "path": spec.path,
    }
    group = spec.group or ("action" if spec.path != "main" else None)
    if group:
        entry["group"] = group
    entry.update({"prefix": spec.prefix, "source": "wikigate", "sourcename": "wikigate",
                  "licensetag": "MIT", "licenselink": ""})
    # Flags are present only when true: pywikibot tests `mustbeposted` by presence.
    for flag, value in (("readrights", spec.read), ("writerights", spec.write),
                        ("mustbeposted", spec.must_post), ("generator", spec.generator)):
        if value:
            entry[flag] = True
    if with_help:
        entry["description"] = spec.description
        entry["examples"] = [{"query": query, "description": text} for query, text in spec.examples]
    entry["helpurls"] = []
    entry["parameters"] = [
        param_info(param, index, spec.prefix, registry, with_help=with_help)
        for index, param in enumerate(all_params(spec), start=1)
    ]
    entry["templatedparameters"] = []
    return entry


def help_html(spec: ModuleSpec, registry: Registry) -> str:
    """A plain HTML page describing one module and its parameters."""
    parts = [f"<h2>{html.escape(spec.path)}</h2>", f"<p>{html.escape(spec.description)}</p>"]
    flags = [label for flag, label in ((spec.must_post, "This module requires a POST request."),
                                       (spec.write, "This module requires write rights."),
                                       (not spec.read, "This module does not need read rights.")) if flag]
    parts.extend(f"<p><em>{label}</em></p>" for label in flags)
    parts.append("<dl>")
    for param in all_params(spec):
        info = param_info(param, 0, spec.prefix, registry, with_help=True)
        kind = ", ".join(info["type"]) if isinstance(info["type"], list) else info["type"]
        details = [f"Type: {html.escape(kind)}"]
        if param.multi:
            details.append("Separate values with | or U+001F.")
        if param.required:
            details.append("This parameter is required.")
        if "default" in info and param.type != "boolean":
            details.append(f"Default: {html.escape(str(info['default']))}")
        parts.append(f"<dt>{html.escape(info['name'])}</dt><dd>{html.escape(param.help)}<br>"
                     + "<br>".join(details) + "</dd>")
    parts.append("</dl>")
    if spec.examples:
        parts.append("<h3>Examples</h3><ul>")
        parts.extend(f"<li><code>api.php?{html.escape(q)}</code>: {html.escape(t)}</li>" for q, t in spec.examples)
        parts.append("</ul>")
    return "\n".join(parts)
