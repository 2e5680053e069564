"""What every page for people shares: its context, its form token, its safe return address and the
way it is answered.

A page runs on the same request reading, session and user as api.php (see
`Pipeline.open`): logging in on a page logs that browser's API client in, and
back. Every form carries a token bound to the session, every answer forbids
framing and loads nothing from elsewhere, and texts come in the `uselang`
language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from wikigate import titles
from wikigate.api.context import ApiContext
from wikigate.api.main import Pipeline
from wikigate.api.tokens import token_for, token_is_valid
from wikigate.messages import Message, render
from wikigate.services.passwords import AUTH_TIME_KEY, recently_authenticated
from wikigate.services.suite import Services

_WIKI_LINK = re.compile(r"\[\[([^|\]]+)(?:\|([^\]]*))?\]\]")
# An address rather than a title: never followed.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")
TEMPLATES = Environment(loader=PackageLoader("wikigate", "templates/pages"), autoescape=select_autoescape(),
                         trim_blocks=True, lstrip_blocks=True)
# No script runs, nothing is framed, and nothing is fetched or sent anywhere but here.
HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "private, no-store",
}


@dataclass
class Page:
    """One request for a page: the API's context, and what the page needs besides."""

    ctx: ApiContext
    pipeline: Pipeline
    title: titles.Title
    subpage: str = ""
    notices: list[str] = field(default_factory=list)

    @property
    def services(self) -> Services:
        return self.ctx.services

    @property
    def script(self) -> str:
        return self.ctx.settings.script_path.rstrip("/")

    @property
    def posted(self) -> bool:
        return self.ctx.request.method == "POST"

    def form(self, name: str, default: str = "") -> str:
        """A field of the submitted form (the body of a POST, the query string otherwise)."""
        source = self.ctx.request.body if self.posted else self.ctx.request.query
        return source.get(name, default)

    def query(self, name: str, default: str = "") -> str:
        return self.ctx.request.query.get(name, self.ctx.request.body.get(name, default))

    def text(self, key: str, *params: Any) -> str:
        return self.message(Message(key, params))

    def message(self, message: Message) -> str:
        return readable(message, self.ctx.uselang)

    # -- form tokens ------------------------------------------------------------------------------

    def form_token(self) -> str:
        """The token a form carries: the session's edit token once logged in, its login token before
        (an anonymous user's edit token is the same for everyone, so it could not tell a forged form)."""
        return token_for(self.ctx, "login" if self.ctx.user.is_anon else "csrf")

    def form_token_ok(self) -> bool:
        given = self.form("wpEditToken")
        return bool(given) and token_is_valid(self.ctx, "login" if self.ctx.user.is_anon else "csrf", given)

    # -- addresses --------------------------------------------------------------------------------

    def url(self, title: str, **query: str) -> str:
        return page_url(self.script, title, **query)

    def returnto(self) -> str:
        """Where to go after the form, as a title of this wiki: never another site (an open redirect)."""
        wanted = self.query("returnto")
        if not wanted or _URL.match(wanted) or wanted.startswith(("/", "\\")):
            return ""
        try:
            return titles.parse_title(wanted, self.services.namespaces).prefixed_text
        except titles.InvalidTitle:
            return ""

    def returnto_url(self) -> str:
        return self.url(self.returnto() or "Main Page")

    async def login_first(self, *, recent: bool = False) -> Response | None:
        """The way to the login page (which returns here) unless someone is logged in, in a browser
        session; with `recent`, unless they entered their password lately (a security-sensitive
        change, as MediaWiki asks)."""
        user = self.ctx.user
        logged_in = user.record is not None and user.bot_app_id is None and user.oauth_consumer is None
        if logged_in and not (recent and not recently_authenticated(
                self.ctx.settings, self.ctx.session.get(AUTH_TIME_KEY), self.ctx.now)):
            return None
        back = self.title.prefixed_text
        return await self.redirect(self.url("Special:UserLogin", returnto=back, **({"force": "1"} if logged_in else {})))

    # -- answers ----------------------------------------------------------------------------------

    async def show(self, template: str, *, heading: str, status: int = 200, **values: Any) -> Response:
        user = self.ctx.user
        html = render_html(template, lang=self.ctx.uselang, sitename=self.ctx.settings.sitename, script=self.script,
                           user_name=None if user.is_anon else user.name, heading=heading, notices=self.notices,
                           page=self, token=self.form_token(), **values)
        return await self.pipeline.close(self.ctx, HTMLResponse(html, status_code=status, headers=HEADERS))

    async def redirect(self, target: str) -> Response:
        return await self.pipeline.close(self.ctx, RedirectResponse(target, status_code=303, headers=HEADERS))


def readable(message: Message, lang: str) -> str:
    """A message as a person reads it: plain text in their language, a wiki link shown as its label."""
    return _WIKI_LINK.sub(lambda found: found.group(2) or found.group(1), render(message, "plaintext", lang))


def page_url(script: str, title: str, **query: str) -> str:
    """The address of a page, as siteinfo's article path spells it."""
    path = f"{script}/index.php/{quote(title.replace(' ', '_'), safe='/:')}"
    return f"{path}?{urlencode(query)}" if query else path


def render_html(template: str, *, lang: str, sitename: str, script: str, user_name: str | None, heading: str,
                notices: list[str], **values: Any) -> str:
    """A page of the site's template, in `lang`: for the pages here and the OAuth consent step."""

    def text(key: str, *params: Any) -> str:
        return readable(Message(key, params), lang)

    def url(title: str, **query: str) -> str:
        return page_url(script, title, **query)

    return TEMPLATES.get_template(template).render(heading=heading, lang=lang, sitename=sitename, user=user_name,
                                                   t=text, url=url, script=script, notices=notices, **values)


def stylesheet() -> str:
    return TEMPLATES.loader.get_source(TEMPLATES, "wikigate.css")[0]  # type: ignore[union-attr]
