"""Parameter declarations and their validation.

A module lists its parameters as `Param` data. The same list drives validation
(`extract_params`), `action=help` and `action=paraminfo`, so the three cannot
disagree. Types and error codes follow MediaWiki's ParamValidator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wikigate import timeutil, titles, usernames
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.messages import Message, Num, Plaintext, TextList

if TYPE_CHECKING:
    from wikigate.api.context import ApiContext

# Value-count limits for multi-value parameters (ApiBase::LIMIT_SML1 / LIMIT_SML2).
MULTI_LIMIT = 50
MULTI_HIGHLIMIT = 500
_INTEGER = re.compile(r"[+-]?[0-9]+")


@dataclass(frozen=True, slots=True)
class Param:
    """One declared parameter. `type` is a type name or a tuple of allowed values."""

    name: str
    type: str | tuple[str, ...] = "string"
    default: Any = None
    required: bool = False
    multi: bool = False
    allow_all: bool = False  # a multi-value enum that takes "*" for every value
    sensitive: bool = False  # never logged; must arrive in the POST body
    deprecated: bool = False
    min: int | None = None  # an integer's least value (below it: outofrange)
    max: int | None = None  # a `limit`'s maximum, and `highmax` with apihighlimits
    highmax: int | None = None
    help: str = ""
    submodules: str | None = None  # names another module group (action, prop, list, meta)
    token_type: str | None = None
    # A `user` parameter that takes IP addresses too (userrights' does not).
    user_ips: bool = True
    # A `user` parameter that takes CIDR ranges too (block, unblock, list=blocks).
    user_ranges: bool = False
    # A multi-value parameter that takes fewer values than the usual 50/500 (the same with apihighlimits).
    multi_limit: int | None = None
    # A value outside the choices fails with this code and the older apierror-unrecognizedvalue
    # message (modules that check their own values, such as list=logevents' leaction).
    unknown_code: str | None = None
    # The value when the request does not mention the parameter, computed once.
    absent: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.type == "boolean":
            absent: Any = False
        elif self.multi:
            default = self.default
            absent = [] if default is None else (
                _dedupe(split_multi(default)) if isinstance(default, str) else list(default))
        else:
            absent = self.default
        object.__setattr__(self, "absent", absent)


def split_multi(value: str) -> list[str]:
    """MediaWiki's multi-value syntax: `a|b|c`, or U+001F-separated when it starts with U+001F."""
    if value == "":
        return []
    if value.startswith("\x1f"):
        return value[1:].split("\x1f")
    return value.split("|")


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def validate_value(param: Param, full_name: str, raw: str | None, ctx: ApiContext) -> Any:
    """Turn the raw text of one parameter into its typed value (or raise ApiError)."""
    if param.type == "boolean":
        # Presence means true, whatever the value (`0`, `false` and `` included).
        return raw is not None
    if raw is None:
        if param.required:
            raise ApiError(missing(full_name))
        if param.multi:
            if param.default is None:
                return []
            raw = param.default if isinstance(param.default, str) else "|".join(param.default)
        else:
            return param.default
    if raw == "" and param.required and not param.multi and param.type in ("string", "text"):
        # A required text given empty counts as not given, its value named (MediaWiki's StringDef).
        raise ApiError(missing(full_name, given=""))
    if not param.multi and raw.startswith("\x1f"):
        # The multi-value form for a single value; the separators are shown replaced, as MediaWiki shows them.
        raise ApiError(_invalid("notmulti", "badvalue", Plaintext(full_name), Plaintext(raw.replace("\x1f", "\ufffd"))))
    if param.multi:
        values = split_multi(raw)
        high = ctx.has_right("apihighlimits")
        limit = param.multi_limit or (MULTI_HIGHLIMIT if high else MULTI_LIMIT)
        # Counted as given, before duplicates go, as MediaWiki counts them: modules that
        # keep duplicates (one expiry per protection) read no more than this many.
        if len(values) > limit:
            raise ApiError(_invalid("toomanyvalues", "toomanyvalues", Plaintext(full_name), Num(limit),
                                    data={"limit": limit, "lowlimit": param.multi_limit or MULTI_LIMIT,
                                          "highlimit": param.multi_limit or MULTI_HIGHLIMIT}))
        values = _dedupe(values)
        if param.type == "namespace":
            # A list of namespaces is a list of choices: the unknown ones are dropped with a warning.
            known = {str(namespace.id): namespace.id for namespace in ctx.services.namespaces}
            unknown = [value for value in values if value not in known]
            if unknown:
                ctx.warn_module(unrecognized_values(full_name, raw, unknown))
            return [known[value] for value in values if value in known]
        if isinstance(param.type, tuple):
            if param.allow_all and values == ["*"]:
                return list(param.type)
            unknown = [value for value in values if value not in param.type]
            if unknown:
                ctx.warn_module(unrecognized_values(full_name, raw, unknown))
            return [value for value in values if value in param.type]
        return [_single(param, full_name, value, ctx) for value in values]
    return _single(param, full_name, raw, ctx)


def extract_params(ctx: ApiContext, params: tuple[Param, ...], prefix: str) -> dict[str, Any]:
    """Validate every declared parameter of a module, in declaration order."""
    values: dict[str, Any] = {}
    request = ctx.request
    given = request.names
    for param in params:
        full = prefix + param.name
        if full not in given:
            if param.required:
                raise ApiError(missing(full))
            absent = param.absent
            values[param.name] = list(absent) if type(absent) is list else absent
            continue
        raw = request.get(full)
        if full in request.cleaned:
            ctx.warn_module(ApiMessage.of("badutf8", full, kind="apiwarn"))
        if param.sensitive and request.was_posted and request.in_query(full):
            # Secrets in a URL end up in logs and browser history. (A GET of a
            # POST-only module is refused later, as mustbeposted.)
            raise ApiError("mustpostparams", full, 1)
        if raw is not None and param.deprecated:
            # A given switch reads as 1, whatever was sent; separators show replaced, as MediaWiki shows them.
            shown = "1" if param.type == "boolean" else raw.replace("\x1f", "\ufffd")
            ctx.deprecate(_invalid("param-deprecated", "deprecation", Plaintext(full), Plaintext(shown)),
                          ctx.feature(full))
        values[param.name] = validate_value(param, full, raw, ctx)
    return values


def _single(param: Param, full_name: str, raw: str, ctx: ApiContext) -> Any:
    kind = param.type
    if isinstance(kind, tuple):
        if raw not in kind:
            if param.unknown_code:
                raise ApiError("unrecognizedvalue", full_name, raw, code=param.unknown_code)
            raise ApiError(not_one_of(full_name, raw, kind))
        return raw
    if kind == "namespace":
        # An enumeration of the namespace numbers in MediaWiki: anything else is an unknown choice.
        numbers = [namespace.id for namespace in ctx.services.namespaces]
        if raw.strip() not in {str(number) for number in numbers}:
            raise ApiError(not_one_of(full_name, raw, numbers))
        return int(raw.strip())
    if kind == "integer":
        value = _integer(full_name, raw)
        if param.min is not None and value < param.min:
            raise ApiError(_invalid("outofrange-min", "outofrange", Plaintext(full_name), Plaintext(raw),
                                    Num(param.min), Num(""), data={"min": param.min, "curmax": None, "max": None,
                                                              "highmax": None}))
        return value
    if kind == "limit":
        high = ctx.has_right("apihighlimits")
        maximum = (param.highmax if high and param.highmax else param.max) or 0
        if raw == "max":
            # Reported under the module's name (`limits.logevents`), as MediaWiki does.
            ctx.limits_used[ctx.module_path.rsplit("+", 1)[-1]] = maximum
            return maximum
        value = _integer(full_name, raw)
        if value < 1 or value > maximum:
            ctx.warn_module(_invalid("outofrange-minmax", "outofrange", Plaintext(full_name), Plaintext(raw), Num(1),
                                     Num(maximum), data={"min": 1, "curmax": maximum, "max": param.max,
                                                         "highmax": param.highmax or param.max}))
            value = min(max(value, 1), maximum)
        return value
    if kind == "timestamp":
        if raw == "now":
            return ctx.now
        if raw in ("", "0"):
            # Old clients send these for "now"; MediaWiki accepts them with a warning.
            ctx.warn_module(_invalid("unclearnowtimestamp", "unclearnowtimestamp", Plaintext(full_name),
                                     Plaintext(raw)))
            return ctx.now
        try:
            return timeutil.parse_timestamp(raw)
        except ValueError:
            raise ApiError(_invalid("badtimestamp", "badtimestamp", Plaintext(full_name), Plaintext(raw))) from None
    if kind == "title":
        try:
            titles.parse_title(raw, ctx.services.namespaces)
        except titles.InvalidTitle:
            raise ApiError(_invalid("badtitle", "badtitle", Plaintext(full_name), Plaintext(raw))) from None
        return raw
    if kind == "user":
        name = usernames.canonical_name(raw, ctx.services.namespaces, rigor="valid")
        if name is None and param.user_ips and titles.is_ip(raw.strip()):
            name = raw.strip()
        if name is None and param.user_ranges and titles.is_ip_range(raw.strip()):
            name = titles.sanitize_range(raw.strip())
        if name is None and raw.startswith("#") and raw[1:].isdigit():
            name = raw  # `#123` names a user by id; the module resolves it
        if name is None:
            raise ApiError(bad_user(full_name, raw))
        return name
    return raw


def _integer(full_name: str, raw: str) -> int:
    """A whole number that fits PHP's (and the database's) 64-bit integers, as MediaWiki requires."""
    if _INTEGER.fullmatch(raw.strip()) and -2**63 <= (value := int(raw.strip())) < 2**63:
        return value
    raise ApiError(_invalid("badinteger", "badinteger", Plaintext(full_name), Plaintext(raw)))


def _invalid(key: str, code: str, *params: Any, data: dict[str, Any] | None = None) -> ApiMessage:
    """A finding of MediaWiki's parameter validator: its `paramvalidator-` key and typed parameters."""
    return ApiMessage(Message(f"paramvalidator-{key}", params), code, data or {})


def missing(full_name: str, *, given: str | None = None) -> ApiMessage:
    """A required parameter not given (or, for some, given empty: then its value is named too)."""
    shown = (Plaintext(full_name),) if given is None else (Plaintext(full_name), Plaintext(given))
    return _invalid("missingparam", "missingparam", *shown)


def page_missing(full_name: str, raw: str) -> ApiMessage:
    """A title parameter that must name an existing page (MediaWiki's TitleDef with PARAM_MUST_EXIST)."""
    return _invalid("missingtitle", "missingtitle", Plaintext(full_name), Plaintext(raw))


def bad_user(full_name: str, raw: str) -> ApiMessage:
    return _invalid("baduser", "baduser", Plaintext(full_name), Plaintext(raw))


def not_one_of(full_name: str, raw: str, allowed: Any) -> ApiMessage:
    """A value outside a single-value parameter's list (`badvalue`)."""
    choices = TextList(tuple(Plaintext(choice) for choice in allowed), "text")
    return _invalid("badvalue-enumnotmulti", "badvalue", Plaintext(full_name), Plaintext(raw), choices,
                    Num(len(choices.items)))


def unrecognized_values(full_name: str, raw: str, unknown: list[str]) -> ApiMessage:
    """The values of a multi-value parameter that are not among its choices (a warning; they are dropped)."""
    shown = raw.replace("\x1f", "\ufffd")  # the multi-value separators, as MediaWiki shows them
    return _invalid("unrecognizedvalues", "unrecognizedvalues", Plaintext(full_name), Plaintext(shown),
                    TextList(tuple(Plaintext(value) for value in unknown)), Num(len(unknown)),
                    data={"values": unknown})


def var_list(names: list[str], prefix: str = "") -> TextList:
    """`"a", "b" and "c"` as a message parameter: each name marked as a parameter, joined as a phrase."""
    return TextList(tuple(f"<var>{prefix}{name}</var>" for name in names), "text")


def _given(params: dict[str, Any], names: tuple[str, ...]) -> list[str]:
    return [name for name in names if params.get(name) not in (None, False)]


def require_one_of(params: dict[str, Any], *names: str, prefix: str = "") -> None:
    """Exactly one of the named parameters (MediaWiki's requireOnlyOneParameter)."""
    given = _given(params, names)
    if len(given) > 1:
        raise ApiError("invalidparammix", var_list(given, prefix), len(given))
    if not given:
        raise ApiError("missingparam-one-of", var_list(list(names), prefix), len(names), code="missingparam")


def require_at_least_one_of(params: dict[str, Any], *names: str, prefix: str = "") -> None:
    if not _given(params, names):
        raise ApiError(
            "missingparam-at-least-one-of", var_list(list(names), prefix), len(names), code="missingparam"
        )


def require_max_one_of(params: dict[str, Any], *names: str, prefix: str = "") -> None:
    given = _given(params, names)
    if len(given) > 1:
        raise ApiError("invalidparammix", var_list(given, prefix), len(given))


def check_change_tags(tags: list[str]) -> None:
    """Refuse change tags: this wiki defines none that users may apply (MediaWiki's `badtags`)."""
    if tags:
        key = "tags-apply-not-allowed-one" if len(tags) == 1 else "tags-apply-not-allowed-multi"
        raise ApiError(ApiMessage(Message(key, (", ".join(tags), len(tags))), "badtags", {"disallowedtags": tags}))
