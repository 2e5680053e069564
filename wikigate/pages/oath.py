"""Special:OATHManage: two-factor authentication (TOTP, as OATHAuth), turned on, kept and turned off
by its owner, each change after a recent login.

Enrolling shows a QR code (segno, as an inline image) with the secret beside it
as text, for an app that cannot scan; nothing is stored until a code from that
secret is confirmed, and the recovery codes are shown once, then. Turning it
off or making new recovery codes asks for a current code (or a recovery code).
"""

from __future__ import annotations

import segno
from starlette.responses import Response

from wikigate.pages.base import Page

# The secret being enrolled, kept in the session until a code from it is confirmed.
_PENDING = "oath_pending_secret"


def _qr(uri: str) -> str:
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


async def oath_manage(page: Page) -> Response:
    elsewhere = await page.login_first(recent=True)
    if elsewhere is not None:
        return elsewhere
    ctx = page.ctx
    login = ctx.services.login
    user = ctx.user
    heading = page.text("oathmanage")
    enrolled = await login.is_two_factor_enrolled(user.id)
    action = page.form("wpAction") if page.posted else ""
    if page.posted and not page.form_token_ok():
        page.notices.append(page.text("sessionfailure"))
        action = ""
    elif action == "enable" and not enrolled:
        secret = ctx.session.get(_PENDING, "")
        enrolment = await login.confirm_two_factor(user.name, secret, page.form("wpCode"), ctx.now) if secret else None
        if enrolment is not None:
            ctx.session.pop(_PENDING)
            return await page.show("oath.html", heading=heading, stage="codes", codes=enrolment.recovery_codes,
                                   done=page.text("oathauth-enabled"))
        return await _enrol(page, heading, error=page.text("oathauth-failedtovalidateoath"))
    elif action in ("disable", "recovery") and enrolled:
        if not await login.check_two_factor(user.id, page.form("wpCode"), ctx.now):
            return await page.show("oath.html", heading=heading, stage="enrolled", status=400,
                                   error=page.text("oathauth-failedtovalidateoath"))
        if action == "disable":
            await login.disable_two_factor(user.name)
            page.notices.append(page.text("oathauth-disabled"))
            return await _enrol(page, heading)
        codes = await login.new_recovery_codes(user.name)
        return await page.show("oath.html", heading=heading, stage="codes", codes=codes,
                               done=page.text("wikigate-page-newcodes"))
    if enrolled:
        return await page.show("oath.html", heading=heading, stage="enrolled")
    return await _enrol(page, heading)


async def _enrol(page: Page, heading: str, *, error: str = "") -> Response:
    """The enrolment form: a secret of this session's (the same one until it is confirmed)."""
    ctx = page.ctx
    pending = ctx.services.login.pending_two_factor(ctx.user.name, ctx.session.get(_PENDING))
    ctx.session.set(_PENDING, pending.secret)
    ctx.session.persist()
    secret = pending.secret
    # Groups of four are easier to type into an app that cannot scan.
    spaced = " ".join(secret[index:index + 4] for index in range(0, len(secret), 4))
    return await page.show("oath.html", heading=heading, stage="enrol", qr=_qr(pending.uri), secret=spaced,
                           error=error, status=400 if error else 200)
