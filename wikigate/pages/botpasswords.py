"""Special:BotPasswords: a user's bot passwords, made, changed, reset and deleted by their owner.

`Special:BotPasswords` lists them and takes the name of a new one;
`Special:BotPasswords/<name>` creates it (grants and address ranges) or, if it
exists, changes its grants and ranges, gives it a new password or deletes it.
A password is shown once, when it is made. Every change asks for a recent login.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from wikigate.auth.providers.botpassword import valid_app_id
from wikigate.pages.base import Page
from wikigate.services.accounts import AccountError

# Always granted; not offered as a choice (as in MediaWiki).
_IMPLIED = "basic"


async def bot_passwords(page: Page) -> Response:
    elsewhere = await page.login_first(recent=True)
    if elsewhere is not None:
        return elsewhere
    ctx = page.ctx
    heading = page.text("botpasswords")
    app_id = page.subpage or page.form("wpAppId").strip()
    if page.posted and not page.subpage and app_id:
        return await page.redirect(page.url(f"Special:BotPasswords/{app_id}"))
    if not app_id:
        listed = await ctx.services.login.list_bot_passwords(ctx.user.name)
        return await page.show("botpasswords.html", heading=heading, stage="list", listed=listed)
    return await _one(page, app_id, heading)


async def _one(page: Page, app_id: str, heading: str) -> Response:
    ctx = page.ctx
    login = ctx.services.login
    user = ctx.user
    existing = {bot.app_id: bot for bot in await login.list_bot_passwords(user.name)}.get(app_id)
    grants = sorted(grant for grant in ctx.settings.grant_permissions if grant != _IMPLIED)
    if not valid_app_id(app_id) or "@" in app_id:
        return await page.show("botpasswords.html", heading=heading, stage="list", status=400,
                               listed=await login.list_bot_passwords(user.name),
                               error=page.text("botpasswords-bad-appid", app_id))
    chosen = [grant for grant in grants if page.form(f"wpGrant-{grant}")] if page.posted else (
        list(existing.grants) if existing else [])
    ranges = page.form("wpRestrictions") if page.posted else "\n".join(existing.restrictions if existing else ())
    values: dict[str, Any] = {"app_id": app_id, "grants": grants, "chosen": chosen, "ranges": ranges,
                              "existing": existing is not None}
    if not page.posted:
        return await page.show("botpasswords.html", heading=heading, stage="edit", **values)
    if not page.form_token_ok():
        return await page.show("botpasswords.html", heading=heading, stage="edit", status=400,
                               error=page.text("sessionfailure"), **values)
    restrictions = [line.strip() for line in ranges.splitlines() if line.strip()]
    action = page.form("wpAction")
    try:
        if action == "delete" and existing is not None:
            await login.delete_bot_password(user.name, app_id)
            page.notices.append(page.text("botpasswords-deleted-text", app_id))
            return await page.show("botpasswords.html", heading=heading, stage="list",
                                   listed=await login.list_bot_passwords(user.name))
        if existing is None:
            _, password = await login.create_bot_password(user.name, app_id, grants=[_IMPLIED, *chosen],
                                                          restrictions=restrictions)
            done = page.text("botpasswords-created-text", app_id)
        else:
            new = await login.update_bot_password(user.id, app_id, grants=[_IMPLIED, *chosen],
                                                  restrictions=restrictions, reset=action == "reset")
            password = new or ""
            done = page.text("botpasswords-updated-text", app_id)
    except AccountError as refused:
        return await page.show("botpasswords.html", heading=heading, stage="edit", status=400,
                               error=page.text(refused.code, *refused.params), **values)
    except ValueError:
        return await page.show("botpasswords.html", heading=heading, stage="edit", status=400,
                               error=page.text("botpasswords-bad-restrictions"), **values)
    page.notices.append(done)
    return await page.show("botpasswords.html", heading=heading, stage="done", password=password,
                           lgname=f"{user.name}@{app_id}")
