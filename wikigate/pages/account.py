"""The account pages: log in, create an account, log out, reset and change a password.

Logging in and creating an account run the same authentication manager as
`action=clientlogin` and `action=createaccount`, step by step: the form shows
the fields of the requests the manager asks for (a password, then a two-factor
code, then a new password when the old one must change), so a page and an API
client can never disagree about what a login takes. Resetting a password runs
the same checks, block and rate limit as `action=resetpassword`.
"""

from __future__ import annotations

from starlette.responses import Response

from wikigate import usernames
from wikigate.api.authmanager import creator_of
from wikigate.auth.manager import Action, AuthManager
from wikigate.auth.responses import AuthRequest, AuthResponse, AuthStatus, Field
from wikigate.messages import Message
from wikigate.pages.base import Page
from wikigate.services import passwords

# Set on a form that continues an unfinished login or creation.
_CONTINUE = "wpContinue"


def _fields(requests: list[AuthRequest] | tuple[AuthRequest, ...]) -> list[Field]:
    """The fields of the requests, each once, buttons last (they submit the form)."""
    seen: dict[str, Field] = {}
    for request in requests:
        for field in request.fields:
            seen.setdefault(field.name, field)
    return sorted(seen.values(), key=lambda field: field.type == "button")


def _submission(page: Page, fields: list[Field]) -> dict[str, str]:
    return {field.name: page.form(field.name) for field in fields if page.form(field.name, "\0") != "\0"}


async def _auth_form(page: Page, *, heading: str, fields: list[Field], submit: str, continuing: bool,
                     message: Message | None = None, error: bool = False, status: int = 200,
                     extra: str = "") -> Response:
    shown = [(field, page.message(field.label), page.message(field.help)) for field in fields]
    return await page.show("authform.html", heading=heading, fields=shown, submit=submit, continuing=continuing,
                           message=page.message(message) if message else "",
                           error=error, status=status, returnto=page.returnto(), extra=extra,
                           username=page.form("username"))


async def user_login(page: Page) -> Response:
    """Special:UserLogin: the login form, and each step the authentication manager asks for."""
    ctx = page.ctx
    heading = page.text("login")
    if not ctx.user.is_anon and not page.posted and not page.query("force"):
        page.notices.append(page.text("wikigate-page-loggedin", ctx.user.name))
        return await page.show("message.html", heading=heading)
    manager = ctx.services.login.manager(ctx.session, ip=ctx.ip, now=ctx.now)
    continuing = page.posted and page.form(_CONTINUE) == "1"
    requests = await manager.requests_for(Action.LOGIN_CONTINUE if continuing else Action.LOGIN)
    if not page.posted:
        return await _auth_form(page, heading=heading, fields=_fields(requests), submit=page.text("pt-login-button"),
                                continuing=False, extra="login")
    if not page.form_token_ok():
        return await _auth_form(page, heading=heading, fields=_fields(await manager.requests_for(Action.LOGIN)),
                                submit=page.text("pt-login-button"), continuing=False,
                                message=Message("sessionfailure"), error=True, status=400, extra="login")
    submission = _submission(page, _fields(requests))
    response = await (manager.continue_authentication(submission) if continuing else
                      manager.begin_authentication(submission, return_url=page.returnto_url()))
    ctx.services.metrics.login("page", response.status.value)
    return await _after_login_step(page, manager, response, heading)


async def _after_login_step(page: Page, manager: AuthManager, response: AuthResponse, heading: str) -> Response:
    ctx = page.ctx
    if response.status is AuthStatus.PASS and response.account is not None:
        record = response.account
        ctx.log_in(record.id, record.name, record.token, remember=response.remember)
        return await page.redirect(page.returnto_url())
    if response.status is AuthStatus.UI:
        return await _auth_form(page, heading=heading, fields=_fields(response.requests),
                                submit=page.text("pt-login-continue-button"), continuing=True,
                                message=response.message)
    return await _auth_form(page, heading=heading, fields=_fields(await manager.requests_for(Action.LOGIN)),
                            submit=page.text("pt-login-button"), continuing=False, message=response.message,
                            error=True, extra="login")


async def create_account(page: Page) -> Response:
    """Special:CreateAccount: a new account through the authentication manager; an anonymous
    creator is logged in as the new account, as MediaWiki does."""
    ctx = page.ctx
    heading = page.text("createaccount")
    user = ctx.user
    manager = ctx.services.login.manager(ctx.session, ip=ctx.ip, now=ctx.now)
    fields = _fields(await manager.requests_for(Action.CREATE, creator_is_anon=user.is_anon))
    submit = page.text("createacct-submit")
    if not page.posted:
        return await _auth_form(page, heading=heading, fields=fields, submit=submit, continuing=False)
    if not page.form_token_ok():
        return await _auth_form(page, heading=heading, fields=fields, submit=submit, continuing=False,
                                message=Message("sessionfailure"), error=True, status=400)
    response = await manager.begin_account_creation(await creator_of(ctx), _submission(page, fields),
                                                    create_user=ctx.services.login.create_user)
    if response.status is AuthStatus.PASS and response.account is not None:
        record = response.account
        if user.is_anon:
            ctx.log_in(record.id, record.name, record.token, remember=False)
        page.notices.append(page.text("wikigate-page-accountcreated", record.name))
        return await page.show("message.html", heading=heading)
    return await _auth_form(page, heading=heading, fields=fields, submit=submit, continuing=False,
                            message=response.message, error=True)


async def user_logout(page: Page) -> Response:
    """Special:UserLogout: a form whose POST (with the edit token) ends the session."""
    ctx = page.ctx
    heading = page.text("logout")
    if ctx.user.is_anon:
        page.notices.append(page.text("wikigate-page-loggedout"))
        return await page.show("message.html", heading=heading)
    if page.posted and page.form_token_ok():
        ctx.log_out()
        return await page.redirect(page.returnto_url())
    return await page.show("confirm.html", heading=heading, question=page.text("wikigate-page-logout-confirm"),
                           submit=page.text("logout"), error=page.posted)


async def password_reset(page: Page) -> Response:
    """Special:PasswordReset: mail temporary passwords for a user name or an address, under the
    rules of action=resetpassword; the answer is the same whether or not an account matched."""
    ctx = page.ctx
    settings = ctx.settings
    heading = page.text("passwordreset")
    routes = {route for route, enabled in settings.password_reset_routes.items() if enabled}
    if not routes or not settings.enable_email:
        page.notices.append(page.text("passwordreset-emaildisabled"))
        return await page.show("message.html", heading=heading, status=403)
    values = {"username": page.form("wpUsername").strip(), "email": page.form("wpEmail").strip()}
    error = ""
    if page.posted:
        problem = _form_problem(page, values, routes)
        if problem is None:
            try:
                # The rules of action=resetpassword, its block and its rate limit.
                await ctx.services.passwords.request_reset(ctx.user, passwords.ResetRequest(
                    username=values["username"] or None, email=values["email"] or None, requester_ip=ctx.ip,
                    now=ctx.now))
            except passwords.ResetRefused as refused:
                problem = refused.key
            else:
                page.notices.append(page.text("passwordreset-success"))
                return await page.show("message.html", heading=heading)
        error = page.text(problem)
    return await page.show("passwordreset.html", heading=heading, routes=sorted(routes), values=values, error=error,
                           status=400 if error else 200)


def _form_problem(page: Page, values: dict[str, str], routes: set[str]) -> str | None:
    """What the form itself gets wrong, before the reset's own rules: its token, both fields filled,
    an address or id where a name belongs. A field of a route that is off counts as empty."""
    if not page.form_token_ok():
        return "sessionfailure"
    values.update({route: "" for route in ("username", "email") if route not in routes})
    if values["username"] and values["email"]:
        return "wikigate-page-reset-one"
    if values["username"] and (usernames.looks_like_ip(values["username"]) or values["username"].startswith("#")):
        return "passwordreset-nodata"
    return None


async def change_password(page: Page) -> Response:
    """Special:ChangePassword: a new password for the logged-in user, after a recent login (as
    action=changeauthenticationdata asks); otherwise the login page, which returns here."""
    ctx = page.ctx
    heading = page.text("changepassword")
    elsewhere = await page.login_first(recent=True)
    if elsewhere is not None:
        return elsewhere
    record = ctx.user.record
    assert record is not None  # login_first sends the others away
    error = ""
    if page.posted:
        new, retype = page.form("wpPassword"), page.form("wpRetype")
        if not page.form_token_ok():
            error = page.text("sessionfailure")
        else:
            try:
                token = await ctx.services.passwords.change(record, new, retype, groups=ctx.user.groups)
            except passwords.PasswordChangeError as refused:
                error = " ".join(page.text(issue.code, *issue.params) for issue in refused.issues)
            else:
                # As in MediaWiki, the session that changed the password stays logged in; the others end.
                ctx.session.set("user_token", token)
                page.notices.append(page.text("wikigate-page-passwordchanged"))
                return await page.show("message.html", heading=heading)
    return await page.show("changepassword.html", heading=heading, error=error, status=400 if error else 200)
