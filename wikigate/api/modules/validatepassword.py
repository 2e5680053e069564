"""action=validatepassword: judge a password against the wiki's password policy."""

from __future__ import annotations

from typing import Any

from wikigate import usernames
from wikigate.api import formats
from wikigate.api.context import ApiContext
from wikigate.api.errors import ApiError, ApiMessage
from wikigate.api.params import Param, bad_user, missing
from wikigate.auth.policy import PolicyIssue, validity
from wikigate.messages import Message
from wikigate.services import passwords

NAME = "validatepassword"
MUST_POST = True
DESCRIPTION = (
    "Validate a password against the wiki's password policies. Validity is Good if the password "
    "is acceptable, Change if it may be used to log in but must be changed, or Invalid if it "
    "cannot be used."
)
PARAMS = (
    Param("password", "password", required=True, sensitive=True, help="Password to validate."),
    Param("user", "user", help="User name, when testing account creation. The user must not exist."),
    Param("email", "string", help="Email address, when testing account creation."),
    Param("realname", "string", help="Real name, when testing account creation."),
)
EXAMPLES = (
    ("action=validatepassword&password=foobar", "Validate the password foobar for the current user."),
    ("action=validatepassword&password=querty&user=Example",
     "Validate the password querty for creating user Example."),
)


async def execute(ctx: ApiContext, params: dict[str, Any]) -> dict[str, Any]:
    password = params["password"]
    if password == "":
        raise ApiError(missing("password", given=password))
    if params["user"] is None:
        # The current user; an anonymous one is named by IP address and has no groups.
        username, groups = ctx.user.name, ctx.user.groups
    else:
        # A name that is not registered yet belongs to no group: the default policy.
        username, groups = await _new_account_name(ctx, params["user"]), ("*",)
    issues = passwords.password_issues(ctx.settings, password, username=username, groups=groups)
    result: dict[str, Any] = {"validity": str(validity(issues))}
    if issues:
        result["validitymessages"] = [_message(ctx, issue) for issue in issues]
    return {NAME: result}


async def _new_account_name(ctx: ApiContext, raw: str) -> str:
    """The canonical name the account would get; it must be creatable and not taken."""
    accounts = ctx.services.accounts
    if usernames.looks_like_ip(raw):
        raise ApiError(bad_user("user", raw))  # the parameter takes names and ids, not addresses
    if raw.startswith("#"):
        # `#12` names the account with id 12, so it exists unless the id is unused.
        if await accounts.by_id(int(raw[1:])) is None:
            raise _bad_name("Unknown user")
        raise ApiError("userexists")
    name = usernames.canonical_name(raw, ctx.services.namespaces, rigor="creatable")
    if name is None:
        raise _bad_name(raw)
    if await accounts.find(name) is not None:
        raise ApiError("userexists")
    return name


def _bad_name(shown: str) -> ApiError:
    # The name passed the parameter's syntax check but is not one an account may have;
    # MediaWiki gives this case its own code.
    return ApiError("baduser", "user", shown, code="baduser_user")


def _message(ctx: ApiContext, issue: PolicyIssue) -> dict[str, Any]:
    """One validity message, shaped like an error of the request's errorformat."""
    if ctx.errorformat == "bc":
        return {"message": issue.code, "params": list(issue.params), "code": issue.code, "type": "error"}
    item = ApiMessage(Message(issue.code, issue.params), issue.code)
    entry = formats.message_entry(item, NAME, ctx.errorformat, ctx.formatversion, ctx.errorlang)
    del entry["module"]  # the messages belong to the result, not to a failed module
    return entry
