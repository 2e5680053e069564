"""OAuth in a browser, as Extension:OAuth's special pages serve it: proposing and listing one's own
consumers (Special:OAuthConsumerRegistration) and seeing and withdrawing the access one has given
applications (Special:OAuthManageMyGrants). The consent step itself lives with the OAuth endpoints
(wikigate.rest) and wears these pages' template.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response

from wikigate.pages.base import Page
from wikigate.store.oauth import STAGES


@dataclass
class _Proposal:
    """What the registration form holds (shown again when it is refused)."""

    name: str
    version: str
    description: str
    callback: str
    oauth: str
    owner_only: bool
    chosen: list[str]


async def consumer_registration(page: Page) -> Response:
    """`/propose` registers a consumer (approved by an administrator later, unless only its owner uses
    it); `/list` (and the bare page) lists the user's own."""
    elsewhere = await page.login_first(recent=page.subpage == "propose")
    if elsewhere is not None:
        return elsewhere
    ctx = page.ctx
    heading = page.text("mwoauthconsumerregistration")
    grants = sorted(ctx.settings.grant_permissions)
    if page.subpage != "propose":
        mine = await ctx.services.oauth.consumers_of(ctx.user.id)
        rows = [(consumer.name, consumer.app_version, consumer.oauth_version, consumer.key, STAGES[consumer.stage])
                for consumer in mine]
        return await page.show("oauthconsumers.html", heading=heading, stage="list", rows=rows)
    values = _Proposal(name=page.form("wpName").strip(), version=page.form("wpVersion").strip() or "1.0",
                       description=page.form("wpDescription").strip(), callback=page.form("wpCallbackUrl").strip(),
                       oauth=page.form("wpOAuthVersion") or "2", owner_only=bool(page.form("wpOwnerOnly")),
                       chosen=[grant for grant in grants if page.form(f"wpGrant-{grant}")])
    error = ""
    if page.posted:
        if not page.form_token_ok():
            error = page.text("sessionfailure")
        elif not values.name or (not values.owner_only and not values.callback):
            error = page.text("wikigate-page-oauth-missing")
        else:
            try:
                registration = await ctx.services.oauth.register(
                    ctx.user.name, name=values.name, grants=["basic", *values.chosen], now=ctx.now,
                    oauth_version=1 if values.oauth == "1" else 2, owner_only=values.owner_only,
                    callback_url=values.callback, description=values.description, app_version=values.version)
            except ValueError as refused:
                error = page.text("mwoauth-invalid-field-generic", str(refused))
            else:
                return await page.show("oauthconsumers.html", heading=heading, stage="created",
                                       registration=registration, stage_name=STAGES[registration.consumer.stage])
    return await page.show("oauthconsumers.html", heading=heading, stage="propose", grants=grants, values=values,
                           error=error, status=400 if error else 200)


async def manage_my_grants(page: Page) -> Response:
    """The applications the user has allowed to act for them; withdrawing one ends its tokens at once."""
    elsewhere = await page.login_first()
    if elsewhere is not None:
        return elsewhere
    ctx = page.ctx
    heading = page.text("mwoauthmanagemygrants")
    if page.posted:
        key = page.form("wpConsumer")
        if not page.form_token_ok():
            page.notices.append(page.text("sessionfailure"))
        elif key and await ctx.services.oauth.revoke(key, ctx.user.name):
            page.notices.append(page.text("wikigate-page-oauth-revoked"))
    accepted = await ctx.services.oauth.accepted_by(ctx.user.id)
    rows = [(consumer.name, consumer.key, ", ".join(acceptance.grants)) for consumer, acceptance in accepted]
    return await page.show("oauthgrants.html", heading=heading, rows=rows)
