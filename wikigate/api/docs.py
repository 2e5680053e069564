"""Module documentation from the declarations: the data behind help and paraminfo."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from wikigate.api.params import MULTI_HIGHLIMIT, MULTI_LIMIT, Param
from wikigate.api.registry import QUERY_GROUPS, ModuleSpec
from wikigate.messages import Message, help_text, render

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


def help_key(spec: ModuleSpec) -> str:
    """The start of a module's help keys: `apihelp-query+tokens`, every format module's `apihelp-json`."""
    return "apihelp-" + ("json" if spec.group == "format" else spec.path)


def param_help(spec: ModuleSpec, param: Param, lang: str) -> str:
    if param.token_type and param.name == "token" and spec.token:
        return render(Message("api-help-param-token", (param.token_type,)), "plaintext", lang)
    return help_text(f"{help_key(spec)}-param-{param.name}", param.help, lang)


def param_info(spec: ModuleSpec, param: Param, index: int, registry: Registry, *,
               lang: str | None) -> dict[str, Any]:
    """One parameter as paraminfo shows it; with its description in `lang` unless that is None."""
    prefix = spec.prefix
    entry: dict[str, Any] = {"index": index, "name": prefix + param.name}
    if lang is not None:
        entry["description"] = param_help(spec, param, lang)
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


def module_info(spec: ModuleSpec, registry: Registry, *, lang: str | None) -> dict[str, Any]:
    """One module as paraminfo shows it; with its descriptions in `lang` unless that is None."""
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
    if lang is not None:
        key = help_key(spec)
        entry["description"] = help_text(f"{key}-summary", spec.description, lang)
        entry["examples"] = [{"query": query, "description": help_text(f"{key}-example-{number}", text, lang)}
                             for number, (query, text) in enumerate(spec.examples, start=1)]
    entry["helpurls"] = []
    entry["parameters"] = [
        param_info(spec, param, index, registry, lang=lang)
        for index, param in enumerate(all_params(spec), start=1)
    ]
    entry["templatedparameters"] = []
    return entry


def help_html(spec: ModuleSpec, registry: Registry, lang: str) -> str:
    """One module's help, laid out as MediaWiki's (title, flags, summary, parameters, examples), in `lang`."""
    def say(key: str, *params: Any) -> str:
        return html.escape(render(Message(key, params), "plaintext", lang))

    key = help_key(spec)
    group = spec.group or "action"
    title = f"{group}={spec.name}" + (f" ({spec.prefix})" if spec.prefix else "")
    flags = [say(flag) for flag, on in (("api-help-flag-writerights", spec.write),
                                        ("api-help-flag-mustbeposted", spec.must_post),
                                        ("api-help-flag-noreadrights", not spec.read)) if on]
    flags += [say("api-help-source", "wikigate"), say("api-help-license", "MIT")]
    parts = [f"<h2>{html.escape(title)}</h2>", "<ul>" + "".join(f"<li>{flag}</li>" for flag in flags) + "</ul>",
             f"<p>{html.escape(help_text(f'{key}-summary', spec.description, lang))}</p>",
             f"<h3>{say('api-help-parameters')}</h3>", "<dl>"]
    for param in all_params(spec):
        info = param_info(spec, param, 0, registry, lang=None)
        details = []
        if param.type == "boolean":
            details.append(say("api-help-param-type-boolean"))
        elif isinstance(info["type"], list):
            details.append(say("api-help-param-oneof", ", ".join(info["type"])))
        else:
            details.append(say("api-help-param-type", info["type"]))
        if param.multi:
            details += [say("api-help-param-multi-separate"),
                        say("api-help-param-multi-max", MULTI_LIMIT, MULTI_HIGHLIMIT)]
        if param.required:
            details.append(say("api-help-param-required"))
        if "default" in info and param.type != "boolean":
            details.append(say("api-help-param-default", info["default"]))
        parts.append(f"<dt>{html.escape(info['name'])}</dt><dd><p>{html.escape(param_help(spec, param, lang))}</p>"
                     + "".join(f"<p>{detail}</p>" for detail in details) + "</dd>")
    parts.append("</dl>")
    if spec.examples:
        parts.append(f"<h3>{say('api-help-examples')}</h3><dl>")
        parts.extend(f"<dt>{html.escape(help_text(f'{key}-example-{number}', text, lang))}</dt>"
                     f"<dd><code>api.php?{html.escape(query)}</code></dd>"
                     for number, (query, text) in enumerate(spec.examples, start=1))
        parts.append("</dl>")
    return "\n".join(parts)
