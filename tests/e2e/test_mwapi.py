"""mwapi against the real server: session login (clientlogin), two-factor continuation, tokens
and action=protect."""

from __future__ import annotations

from typing import Any

import mwapi
import mwapi.errors
import pyotp
import pytest
import requests
from e2e_support import RequestTrace, WikiServer

pytestmark = pytest.mark.e2e


def _session(wiki: WikiServer, trace: RequestTrace, *, formatversion: int | None = None) -> Any:
    return mwapi.Session(wiki.base, api_path="/w/api.php", user_agent="wikigate-e2e mwapi",
                         formatversion=formatversion, session=trace.attach(requests.Session()))


def test_login_tokens_and_protect(wiki: WikiServer) -> None:
    trace = RequestTrace("mwapi")
    session = _session(wiki, trace, formatversion=2)
    with trace.step("session.login('Mindy')"):
        session.login("Mindy", wiki.users["Mindy"])
    with trace.step("meta=userinfo"):
        assert session.get(action="query", meta="userinfo")["query"]["userinfo"]["name"] == "Mindy"
    with trace.step("meta=tokens type=csrf|watch|patrol|userrights"):
        tokens = session.get(action="query", meta="tokens", type="csrf|watch|patrol|userrights")["query"]["tokens"]
    assert all(token.endswith("+\\") and len(token) == 42 for token in tokens.values()), tokens
    title = "E2E mwapi protect"
    with trace.step("action=edit"):
        edit = session.post(action="edit", title=title, text="A page to protect.", token=tokens["csrftoken"])
    assert edit["edit"]["result"] == "Success", edit
    with trace.step("action=protect protections=edit=autoconfirmed expiry=1 day"):
        result = session.post(action="protect", title=title, protections="edit=autoconfirmed", expiry="1 day",
                              token=tokens["csrftoken"])
    protection = result["protect"]["protections"]
    assert [list(entry) for entry in protection] == [["edit", "expiry"]] and protection[0]["edit"] == "autoconfirmed"
    assert protection[0]["expiry"].endswith("Z")  # an ISO 8601 timestamp, a day ahead
    with trace.step("prop=info inprop=protection"):
        info = session.get(action="query", prop="info", inprop="protection", titles=title)
    assert info["query"]["pages"][0]["protection"] == [
        {"type": "edit", "level": "autoconfirmed", "expiry": protection[0]["expiry"]}]


def test_wrong_password_is_a_login_error(wiki: WikiServer) -> None:
    trace = RequestTrace("mwapi")
    with pytest.raises(mwapi.errors.LoginError) as raised:
        _session(wiki, trace).login("Alice", "not-the-password")
    assert str(raised.value).startswith("FAIL -- "), raised.value


def test_two_factor_login(wiki: WikiServer) -> None:
    trace = RequestTrace("mwapi")
    session = _session(wiki, trace)
    with pytest.raises(mwapi.errors.ClientInteractionRequest) as raised:
        session.login("Tina", wiki.users["Tina"])
    interaction = raised.value
    with trace.step("session.continue_login(OATHToken=...)"):
        session.continue_login(interaction.login_token, OATHToken=pyotp.TOTP(wiki.totp_secrets["Tina"]).now())
    with trace.step("meta=userinfo"):
        assert session.get(action="query", meta="userinfo")["query"]["userinfo"]["name"] == "Tina"


def test_logout_without_a_token_is_refused_as_by_mediawiki(wiki: WikiServer) -> None:
    # mwapi's logout() sends no token; MediaWiki 1.39 answers missingparam, and so must we.
    trace = RequestTrace("mwapi")
    session = _session(wiki, trace)
    with trace.step("session.login('Alice')"):
        session.login("Alice", wiki.users["Alice"])
    with pytest.raises(mwapi.errors.APIError) as raised:
        session.logout()
    assert raised.value.code == "missingparam"
