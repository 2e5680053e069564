"""OAuth in the browser through HTTP: a developer registers an application on
Special:OAuthConsumerRegistration and sees its credentials once; a user who allowed an application
finds it on Special:OAuthManageMyGrants and withdraws it, and its token stops working; the consent
step wears the site's template and keeps its protections."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tests.api.test_pages_account import form_token, log_in, shown_error

REGISTER = "/w/index.php/Special:OAuthConsumerRegistration/propose"


async def test_an_owner_only_application_is_registered_and_its_token_works(
        client: httpx.AsyncClient, make_user: Any, new_api: Any) -> None:
    await make_user("Dev", "Dev-password-1")
    await log_in(client, "Dev", "Dev-password-1")
    form = await client.get(REGISTER)
    assert 'name="wpGrant-editpage"' in form.text
    made = await client.post(REGISTER, data={
        "wpEditToken": form_token(form), "wpName": "My script", "wpOwnerOnly": "1", "wpOAuthVersion": "2",
        "wpGrant-editpage": "1"})
    assert "The application My script was registered; its state is: approved." in made.text
    token = re.search(r"<dt>Access token</dt><dd><code>([^<]+)</code></dd>", made.text).group(1)  # type: ignore[union-attr]
    bearer = new_api()
    bearer.client.headers["Authorization"] = f"Bearer {token}"
    assert (await bearer.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["name"] == "Dev"
    listed = await client.get("/w/index.php/Special:OAuthConsumerRegistration/list")
    assert "My script" in listed.text and "approved" in listed.text


async def test_a_proposal_without_a_callback_is_refused_in_words(client: httpx.AsyncClient, make_user: Any) -> None:
    await make_user("Dev", "Dev-password-1")
    await log_in(client, "Dev", "Dev-password-1")
    form = await client.get(REGISTER)
    refused = await client.post(REGISTER, data={"wpEditToken": form_token(form), "wpName": "Web tool"})
    assert refused.status_code == 400 and "callback address" in shown_error(refused)


async def test_a_user_withdraws_an_application_they_allowed_and_its_token_ends(
        client: httpx.AsyncClient, make_user: Any, new_api: Any, services: Any) -> None:
    await make_user("Alice", "Alice-password-1")
    registration = await services.oauth.register("Alice", name="Helper app", grants=["editpage"],
                                                  now=services.clock.now(), owner_only=True)
    await log_in(client, "Alice", "Alice-password-1")
    page = await client.get("/w/index.php/Special:OAuthManageMyGrants")
    assert "Helper app" in page.text and "editpage" in page.text
    bearer = new_api()
    bearer.client.headers["Authorization"] = f"Bearer {registration.access_token}"
    assert (await bearer.get(action="query", meta="userinfo")).json()["query"]["userinfo"]["name"] == "Alice"
    withdrawn = await client.post("/w/index.php/Special:OAuthManageMyGrants", data={
        "wpEditToken": form_token(page), "wpConsumer": registration.consumer.key})
    assert "access was withdrawn" in withdrawn.text and "Helper app" not in withdrawn.text.split("</h1>")[1]
    refused = (await bearer.get(action="query", meta="userinfo")).json()
    assert refused["error"]["code"] == "mwoauth-invalid-authorization"


async def test_the_consent_step_wears_the_sites_template(client: httpx.AsyncClient, make_user: Any,
                                                         services: Any) -> None:
    await make_user("Alice", "Alice-password-1")
    registration = await services.oauth.register("Alice", name="Web tool", grants=["editpage"],
                                                  now=services.clock.now(), callback_url="https://tool.example/cb")
    await services.oauth.set_stage(registration.consumer.key, 1)
    await log_in(client, "Alice", "Alice-password-1")
    page = await client.get("/w/rest.php/oauth2/authorize", params={
        "response_type": "code", "client_id": registration.consumer.key, "redirect_uri": "https://tool.example/cb"})
    assert '<link rel="stylesheet" href="/w/wikigate.css">' in page.text and "Logged in as Alice" in page.text
    assert "style-src 'self'" in page.headers["content-security-policy"] and "<style" not in page.text
