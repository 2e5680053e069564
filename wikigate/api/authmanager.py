"""What the modules over the authentication manager share (MediaWiki's ApiAuthManagerHelper).

clientlogin, createaccount and meta=authmanagerinfo declare the same helper
parameters and format the manager's requests and answers the same way;
changeauthenticationdata and removeauthenticationdata need a recent login.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from wikigate.api.blockinfo import block_message
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, code_for
from wikigate.api.formats import raw_param
from wikigate.api.params import Param
from wikigate.auth.manager import Creator
from wikigate.auth.responses import AuthRequest, AuthResponse, AuthStatus, Field, Required
from wikigate.messages import Message, RawText, render
from wikigate.services.passwords import AUTH_TIME_KEY, recently_authenticated
from wikigate.services.users import UserRecord

MESSAGE_FORMATS = ("html", "wikitext", "raw", "none")


def helper_params(action: str) -> tuple[Param, ...]:
    """The parameters MediaWiki's modules over AuthManager share (ApiAuthManagerHelper)."""
    return (
        Param("requests", "string", multi=True,
              help=f"Only use these authentication requests, by the id returned from meta=authmanagerinfo "
                   f"with amirequestsfor={action} or from a previous response from this module."),
        Param("messageformat", MESSAGE_FORMATS, default="wikitext", help="Format to use for returning messages."),
        Param("mergerequestfields", "boolean",
              help="Merge field information for all authentication requests into one array."),
        Param("preservestate", "boolean",
              help="Preserve state from a previous failed login attempt, if possible."),
        Param("returnurl", "string",
              help="Return URL for third-party authentication flows, must be absolute. Either this or "
                   "the continue parameter is required."),
        Param("continue", "boolean",
              help="This request is a continuation after an earlier UI or REDIRECT response. Either this "
                   "or the returnurl parameter is required."),
    )


# Message keys whose API code differs from the key (MediaWiki's ApiMessage table).
_CODES = {"noname": "invaliduser"}
_NOT_CODE = re.compile(r"[^a-zA-Z0-9_-]")


def check_return_url(params: dict[str, Any], prefix: str) -> None:
    url = params["returnurl"]
    if url is None:
        return
    parts = urlsplit(url)
    if not parts.scheme or not (parts.netloc or parts.scheme in ("mailto", "news", "urn")):
        raise ApiError("badurl", f"{prefix}returnurl", RawText(url), code=f"badurl_{prefix}returnurl")


def wanted_requests(requests: list[AuthRequest], params: dict[str, Any], *, given: bool) -> list[AuthRequest]:
    """The requests the client names; all of them when it names none (`given` empty names none at all)."""
    if not given:
        return requests
    wanted = set(params["requests"])
    return [request for request in requests if request.id in wanted]


def read_submission(ctx: ApiContext, requests: list[AuthRequest]) -> dict[str, str]:
    """The submitted values of the requests' fields; sensitive ones must be in the POST body."""
    fields: dict[str, Field] = {}
    for request in requests:
        for field in request.fields:
            fields.setdefault(field.name, field)
    submission: dict[str, str] = {}
    for name in fields:
        if ctx.request.has(name):
            submission[name] = ctx.request.get(name) or ""
    in_query = [name for name, field in fields.items()
                if field.sensitive and name in submission and ctx.request.in_query(name)]
    if in_query:
        raise ApiError("mustpostparams", ", ".join(in_query), len(in_query))
    return submission


def message_code(message: Message) -> str:
    if not message.key:
        return _NOT_CODE.sub("_", message.fallback or "")
    return _CODES.get(message.key) or code_for(message.key)


def raw_message(message: Message) -> dict[str, Any]:
    # Nested messages stay messages and a name stays as given; typed parameters are tagged.
    params = [raw_message(p) if isinstance(p, Message) else (p.value if isinstance(p, RawText) else raw_param(p))
              for p in message.params]
    return {"key": message.key or message.fallback or "", "params": params}


def format_message(out: dict[str, Any], key: str, message: Message, fmt: str, lang: str) -> None:
    if fmt == "none":
        return
    if fmt == "raw":
        out[key] = raw_message(message)
    else:
        out[key] = render(message, "html" if fmt == "html" else "wikitext", lang)


def format_fields(fields: list[Field], fmt: str, lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        entry: dict[str, Any] = {"type": field.type}
        if field.value is not None:
            entry["value"] = field.value
        format_message(entry, "label", field.label, fmt, lang)
        format_message(entry, "help", field.help, fmt, lang)
        entry["optional"] = field.optional
        entry["sensitive"] = field.sensitive
        out[field.name] = entry
    return out


def format_requests(requests: list[AuthRequest] | tuple[AuthRequest, ...], params: dict[str, Any],
                    lang: str) -> dict[str, Any]:
    """The requests in the user's language (`uselang`), as MediaWiki words them in the request's context."""
    fmt, merge = params["messageformat"], params["mergerequestfields"]
    described = []
    merged: dict[str, Field] = {}
    primaries = sum(1 for request in requests if request.required is Required.PRIMARY_REQUIRED)
    for request in requests:
        provider, account = request.describe()
        entry: dict[str, Any] = {"id": request.id, "metadata": {}, "required": str(request.required)}
        format_message(entry, "provider", provider, fmt, lang)
        format_message(entry, "account", account, fmt, lang)
        if merge:
            # Merged, a field need not be filled when its request is optional, or when it belongs
            # to one of several primary requests the user chooses between (as MediaWiki merges them).
            # A field several requests share stays required if any of them requires it.
            loose = request.required is Required.OPTIONAL or (
                request.required is Required.PRIMARY_REQUIRED and primaries > 1)
            for field in request.fields:
                optional = loose or field.optional
                if field.name in merged:
                    optional = optional and merged[field.name].optional
                merged[field.name] = replace(merged.get(field.name, field), optional=optional)
        else:
            entry["fields"] = format_fields(list(request.fields), fmt, lang)
        described.append(entry)
    out: dict[str, Any] = {"requests": described}
    if merge:
        out["fields"] = format_fields(list(merged.values()), fmt, lang)
    return out


def format_response(response: AuthResponse, params: dict[str, Any], lang: str) -> dict[str, Any]:
    """The manager's answer as the API shows it (ApiAuthManagerHelper's format)."""
    status = response.status
    out: dict[str, Any] = {"status": str(status)}
    if status is AuthStatus.PASS and response.username is not None:
        out["username"] = response.username
    if status is AuthStatus.REDIRECT:
        out["redirecttarget"] = response.redirect_target
    if status in (AuthStatus.REDIRECT, AuthStatus.UI, AuthStatus.RESTART):
        out.update(format_requests(response.requests, params, lang))
    if status in (AuthStatus.FAIL, AuthStatus.UI, AuthStatus.RESTART) and response.message is not None:
        format_message(out, "message", response.message, params["messageformat"], lang)
        out["messagecode"] = message_code(response.message)
    if status in (AuthStatus.FAIL, AuthStatus.RESTART):
        # Nothing here can turn a failed login into an account creation.
        out["canpreservestate"] = False
    return out


async def creator_of(ctx: ApiContext) -> Creator:
    """Who asks for a new account, and the block that keeps them from it, if one does."""
    user = ctx.user
    block = await ctx.services.blocks.active(user, ctx.now)
    return Creator(id=user.id, name=user.name, rights=user.rights,
                   blocked=block_message(block, ctx.uselang) if block and block.create_account else None)


def require_recent_login(ctx: ApiContext, not_logged_in: str) -> UserRecord:
    """The account of a user who logged in to this session within `reauthenticate_time`.

    A session restored from the remember-me cookie is logged in but has not just proved
    who it is. Bot-password sessions cannot authenticate again, so, as MediaWiki allows by
    default, they pass.
    """
    record = ctx.user.record
    if record is None:
        raise ApiError(not_logged_in, code="notloggedin")
    if ctx.user.bot_app_id is None:
        auth_time = ctx.session.get(AUTH_TIME_KEY)
        if not recently_authenticated(ctx.settings, auth_time, ctx.now):
            raise ApiError("reauthenticate")
    return record
