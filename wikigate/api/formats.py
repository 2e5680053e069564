"""Turning results, errors and warnings into JSON as MediaWiki prints them.

Modules build results with real booleans; formatversion 1 then applies
MediaWiki's backwards-compatible transformation (true becomes "", false is
dropped) unless a dict lists a key in `BC_BOOLS`. Errors and warnings take the
shape the request's `errorformat` asks for.
"""

from __future__ import annotations

import html
import json
from typing import Any

from wikigate.api.errors import ApiMessage
from wikigate.messages import Message, Num, Plaintext, RawText, TextList, param_text, render

# A dict may carry this key naming booleans that stay booleans in formatversion 1.
BC_BOOLS = "__bc_bools__"
ERROR_FORMATS = ("bc", "plaintext", "wikitext", "html", "raw", "none")


class Preformatted(dict):  # type: ignore[type-arg]
    """A result part already shaped for the request's formatversion: passed through as is.

    For large, mostly constant parts (siteinfo's `general`) that a module can
    shape once per process instead of on every request.
    """


def to_formatversion(value: Any, formatversion: int) -> Any:
    """A copy of `value` shaped for the formatversion (see the module docstring)."""
    kind = type(value)
    if kind is dict:
        keep = value.get(BC_BOOLS, ())
        out: dict[str, Any] = {}
        for key, item in value.items():
            item_kind = type(item)
            if item_kind is bool:
                if formatversion == 1 and key not in keep:
                    if item:
                        out[key] = ""
                    continue
                out[key] = item
            elif item_kind is dict or item_kind is list or item_kind is tuple:
                out[key] = to_formatversion(item, formatversion)
            elif key != BC_BOOLS:
                out[key] = item
        out.pop(BC_BOOLS, None)
        return out
    if kind is list or kind is tuple:
        if all(type(item) in _SCALARS for item in value):
            return list(value)
        return [to_formatversion(item, formatversion) for item in value]
    return value


_SCALARS = frozenset({str, int, float, type(None)})


# Compact like MediaWiki; slashes stay unescaped; non-ASCII escaped unless utf8.
# Encoders are built once: json.dumps with options builds a new one per call.
_ENCODERS = {ascii_only: json.JSONEncoder(ensure_ascii=ascii_only, separators=(",", ":"))
             for ascii_only in (True, False)}


def encode_json(result: Any, *, ascii_only: bool) -> bytes:
    return _ENCODERS[ascii_only].encode(result).encode("utf-8")


def _raw_params(params: tuple[Any, ...]) -> list[Any]:
    return [raw_param(param) for param in params]


def raw_param(param: Any) -> Any:
    """A message parameter as raw errors send it: typed ones tagged with their type, as MediaWiki's are."""
    if isinstance(param, Plaintext):
        return {"plaintext": param.value}
    if isinstance(param, Num):
        return {"num": param.value}
    if isinstance(param, TextList):
        items = [raw_param(item) for item in param.items]
        keyed = param.keys is not None and list(param.keys) != list(range(len(items)))
        listed = {str(key): item for key, item in zip(param.keys or (), items)} if keyed else items
        return {"list": listed, "type": param.type}
    # A message with a key of its own goes out as one (MediaWiki serialises a message object so);
    # keyless messages, literal text and lists as the wikitext they stand for.
    if isinstance(param, Message) and param.key:
        return {"message": {"key": param.key, "params": _raw_params(param.params)}}
    if isinstance(param, (Message, RawText, list, tuple)):
        return param_text(param, "wikitext")
    return param


def message_entry(item: ApiMessage, module: str, errorformat: str, formatversion: int,
                  lang: str = "en") -> dict[str, Any]:
    """One entry of the `errors` or `warnings` list in a non-bc errorformat."""
    entry: dict[str, Any] = {"code": item.code}
    if errorformat == "raw":
        entry["key"] = item.message.key
        entry["params"] = _raw_params(item.message.params)
    if item.data:
        entry["data"] = item.data
    entry["module"] = module
    if errorformat in ("plaintext", "wikitext"):
        entry["text" if formatversion == 2 else "*"] = render(item.message, errorformat, lang)
    elif errorformat == "html":
        entry["html" if formatversion == 2 else "*"] = render(item.message, "html", lang)
    return entry


def status_entries(errors: list[ApiMessage], *, errorformat: str, formatversion: int,
                   lang: str = "en") -> list[dict[str, Any]]:
    """Errors reported inside a result, not as the answer's error (MediaWiki's arrayFromStatus).

    bc keeps the message's key and raw parameters; the other formats are the
    `errors` entries without their module.
    """
    if errorformat == "bc":
        return [{"message": e.message.key, "params": _raw_params(e.message.params), "code": e.code, "type": "error"}
                for e in errors]
    entries = [message_entry(e, "", errorformat, formatversion, lang) for e in errors]
    for entry in entries:
        del entry["module"]
    return entries


def error_body(errors: list[ApiMessage], *, errorformat: str, formatversion: int, docref: str,
               module: str, lang: str = "en") -> dict[str, Any]:
    if errorformat == "bc":
        first = errors[0]
        error: dict[str, Any] = {"code": first.code, "info": render(first.message, "plaintext")}
        error.update(first.data)
        error["docref" if formatversion == 2 else "*"] = docref
        return {"error": error}
    return {
        "errors": [message_entry(e, module, errorformat, formatversion, lang) for e in errors],
        "docref" if formatversion == 2 else "*": docref,
    }


def warnings_body(warnings: list[tuple[str, ApiMessage]], *, errorformat: str,
                  formatversion: int, lang: str = "en") -> Any:
    """The warnings; bc's are always in English, as MediaWiki's are."""
    if errorformat == "bc":
        grouped: dict[str, list[str]] = {}
        for module, item in warnings:
            # bc keys warnings by module name (`tokens`), the other formats by path.
            name = module.rsplit("+", 1)[-1]
            text = render(item.message, "plaintext")
            if text not in grouped.setdefault(name, []):
                grouped[name].append(text)
        key = "warnings" if formatversion == 2 else "*"
        return {module: {key: "\n".join(texts)} for module, texts in grouped.items()}
    return [message_entry(item, module, errorformat, formatversion, lang) for module, item in warnings]


def jsonfm_page(payload: Any, *, ascii_only: bool, sitename: str, json_url: str, help_url: str) -> bytes:
    """The answer as `format=jsonfm` shows it: an HTML page with the JSON, pretty-printed, as text.

    Only `&`, `<` and `>` are escaped in the JSON (as MediaWiki escapes it), so the text of
    the page between the `<pre>` tags reads as the JSON itself.
    """
    pretty = html.escape(json.dumps(payload, indent=4, ensure_ascii=ascii_only), quote=False)
    title = html.escape(f"API result - {sitename}")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\" dir=\"ltr\">\n<head>\n<meta charset=\"UTF-8\"/>\n"
        f"<title>{title}</title>\n<meta name=\"robots\" content=\"noindex,nofollow\"/>\n</head>\n"
        f"<body>\n<h1>API result</h1>\n<div class=\"api-pretty-header\"><p>This page shows the JSON answer "
        "as HTML, to be read by people; programs should not parse it.</p>"
        f"<p>The <var>format</var> parameter chooses the output format: "
        f"<a rel=\"nofollow\" href=\"{html.escape(json_url)}\"><kbd>format=json</kbd></a> gives the same "
        f"answer as plain JSON. The <a href=\"{html.escape(help_url)}\">API help</a> describes every "
        f"module.</p></div><pre class=\"api-pretty-content\">{pretty}</pre>\n</body>\n</html>\n"
    ).encode()
