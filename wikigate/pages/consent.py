"""The OAuth consent step, for OAuth 2 (rest.php/oauth2/authorize) and 1.0a (Special:OAuth/authorize):
a page of the site's template whose form is bound to the browser's session by a token of its own."""

from __future__ import annotations

import hashlib
import hmac

from starlette.responses import HTMLResponse

from wikigate.messages import Message
from wikigate.pages.base import HEADERS, readable, render_html
from wikigate.services.sessions import Session
from wikigate.services.users import User

_PURPOSE = b"oauth-consent"


def consent_token(session: Session) -> str:
    secret, _ = session.token_secret("oauth-consent")
    session.persist()
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).hexdigest()


def consent_token_ok(session: Session, given: str) -> bool:
    secret = session.get("token_secrets", {}).get("oauth-consent")
    if not secret:
        return False
    expected = hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)


def consent_page(lang: str, sitename: str, script: str, *, status: int = 200, error: str | None = None,
                 consumer_name: str = "", user: User | None = None, scopes: list[str] | None = None,
                 fields: list[tuple[str, str]] | None = None, action: str = "") -> HTMLResponse:
    """The consent form, or (with `error`) why there is none."""
    html = render_html(
        "oauth_authorize.html", lang=lang, sitename=sitename, script=script,
        user_name=user.name if user is not None else None,
        heading=readable(Message("oauth-consent-heading", (consumer_name or "OAuth",)), lang), notices=[],
        error=error, intro=readable(Message("oauth-consent-intro", (consumer_name, user.name if user else "",
                                                                      sitename)), lang),
        grants=scopes or [], fields=fields or [], action=action)
    return HTMLResponse(html, status_code=status, headers=HEADERS)
