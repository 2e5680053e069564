"""API errors and warnings as message keys, never prose.

A module raises `ApiError("pastexpiry", value)`; the key's catalogue entry
(`apierror-pastexpiry`) gives the text and the key gives the error code, as in
MediaWiki where the code is the message key without its `apierror-` prefix.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wikigate.messages import CATALOGUE, Message

# Message keys whose API code is not simply the key (MediaWiki's ApiMessage mapping).
CODE_FOR_KEY: dict[str, str] = {
    "protectedpagetext": "protectedpage",
    "protect-cantedit": "cantedit",
    "titleprotected": "protectedtitle",
    "cascadeprotected": "cascadeprotected",
    "namespaceprotected": "protectednamespace",
    "badaccess-group0": "permissiondenied",
    "badaccess-groups": "permissiondenied",
    "blockedtext": "blocked",
    "autoblockedtext": "autoblocked",
    "actionthrottledtext": "ratelimited",
    "nocreatetext": "cantcreate-anon",
    "nocreate-loggedin": "cantcreate",
    "sessionfailure": "badtoken",
    "readonlytext": "readonly",
    "movenologintext": "cantmove-anon",
    "movenotallowed": "cantmove",
    "movenotallowedfile": "cantmovefile",
    "cantmove-titleprotected": "protectedtitle",
    "undo-failure": "undofailure",
    "cantrollback": "onlyauthor",
    "markedaspatrollederror-noautopatrol": "noautopatrol",
    "blockedtext-composite": "blocked",
    "blockedtext-partial": "blocked",
    "systemblockedtext": "blocked",
    "badipaddress": "invalidip",
    "ipb_already_blocked": "alreadyblocked",
    "ipb_blocked_as_range": "blockedasrange",
    "ipb_cant_unblock": "cantunblock",
    "ipb_expiry_invalid": "invalidexpiry",
    "ip_range_invalid": "invalidrange",
    "nosuchusershort": "nosuchuser",
    "range_block_disabled": "rangedisabled",
}


def code_for(key: str) -> str:
    if key in CODE_FOR_KEY:
        return CODE_FOR_KEY[key]
    for prefix in ("apierror-", "apiwarn-"):
        if key.startswith(prefix):
            return key[len(prefix):]
    return key


def message_key(name: str, kind: str = "apierror") -> str:
    """Accept a bare code (`pastexpiry`) or a full key (`apierror-pastexpiry`, `protectedpagetext`)."""
    if name in CATALOGUE:
        return name
    prefixed = f"{kind}-{name}"
    return prefixed if prefixed in CATALOGUE else name


@dataclass(frozen=True, slots=True)
class ApiMessage:
    """One error or warning: a message plus its API code and extra data."""

    message: Message
    code: str
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, name: str, *params: Any, code: str | None = None, kind: str = "apierror",
           data: dict[str, Any] | None = None) -> ApiMessage:
        key = message_key(name, kind)
        return cls(Message(key, params), code or code_for(key), data or {})


class ApiError(Exception):
    """Stops the request with one or more errors (the first is the one bc format shows)."""

    def __init__(self, name: str | ApiMessage, *params: Any, code: str | None = None,
                 data: dict[str, Any] | None = None, more: list[ApiMessage] | None = None,
                 headers: dict[str, str] | None = None, http_status: int = 200) -> None:
        first = name if isinstance(name, ApiMessage) else ApiMessage.of(name, *params, code=code, data=data)
        self.messages: list[ApiMessage] = [first, *(more or [])]
        self.headers = headers or {}
        # MediaWiki answers API errors with 200; only transport-level problems differ.
        self.http_status = http_status
        super().__init__(first.code)

    @property
    def code(self) -> str:
        return self.messages[0].code
