"""meta=tokens and token validation, as seed 002 specifies."""

from __future__ import annotations

import re

from tests.conftest import Api

TOKEN = re.compile(r"^[0-9a-f]{40}\+\\$")
ALL = {"createaccount", "csrf", "deleteglobalaccount", "login", "patrol", "rollback",
       "setglobalaccountstatus", "userrights", "watch"}  # the nine of seed 002


async def test_default_type_is_csrf(api: Api) -> None:
    body = (await api.get(action="query", meta="tokens")).json()
    assert body == {"batchcomplete": "", "query": {"tokens": {"csrftoken": "+\\"}}}


async def test_all_types_for_an_anonymous_user(api: Api) -> None:
    tokens = (await api.get(action="query", meta="tokens", type="*")).json()["query"]["tokens"]
    assert set(tokens) == {f"{kind}token" for kind in ALL}
    for kind in ALL - {"login", "createaccount"}:
        assert tokens[f"{kind}token"] == "+\\"
    assert TOKEN.match(tokens["logintoken"]) and TOKEN.match(tokens["createaccounttoken"])


async def test_login_token_sets_a_session_cookie(api: Api) -> None:
    response = await api.get(action="query", meta="tokens", type="login")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("wikigate_session=") and "HttpOnly" in cookie and "Path=/" in cookie


async def test_csrf_alone_does_not_start_a_session(api: Api) -> None:
    response = await api.get(action="query", meta="tokens")
    assert "set-cookie" not in response.headers


async def test_login_token_is_bound_to_the_session(api: Api, new_api) -> None:  # type: ignore[no-untyped-def]
    token = await api.token("login")
    other = new_api()
    await other.token("login")
    wrong = await other.post(action="clientlogin", username="X", password="y",
                             loginreturnurl="http://wiki.test/", logintoken=token)
    assert wrong.json()["error"]["code"] == "badtoken"


async def test_unknown_type_warns(api: Api) -> None:
    body = (await api.get(action="query", meta="tokens", type="bogus")).json()
    assert body["query"]["tokens"] == {}
    assert body["warnings"]["tokens"]["*"] == 'Unrecognized value for parameter "type": bogus'


async def test_logged_in_tokens_are_real(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    assert (await api.login("Alice", "AlicePassword-1234"))["clientlogin"]["status"] == "PASS"
    tokens = (await api.get(action="query", meta="tokens", type="*")).json()["query"]["tokens"]
    for kind in ALL:
        assert TOKEN.match(tokens[f"{kind}token"]), kind
    # One secret, salted per type: nine types, seven different edit-class tokens plus login and createaccount.
    assert len({tokens[f"{kind}token"][:32] for kind in ALL}) == 9


async def test_token_in_query_string_of_a_post_is_refused(api: Api) -> None:
    response = await api.post(query={"token": "+\\"}, action="logout")
    assert response.json()["error"]["code"] == "mustpostparams"
    assert response.json()["error"]["info"] == (
        "The following parameter was found in the query string, but must be in the POST body: token.")


async def test_missing_token(api: Api) -> None:
    error = (await api.post(action="logout")).json()["error"]
    assert error["code"] == "missingparam" and error["info"] == 'The "token" parameter must be set.'


async def test_bad_token(api: Api) -> None:
    login = await api.token("login")
    error = (await api.post(action="clientlogin", username="A", password="b", loginreturnurl="http://x/",
                            logintoken=("0" if login[0] != "0" else "1") + login[1:])).json()["error"]
    assert error == {**error, "code": "badtoken", "info": "Invalid CSRF token."}


async def test_anonymous_csrf_token_is_not_a_login_token(api: Api) -> None:
    await api.token("login")
    error = (await api.post(action="clientlogin", username="A", password="b", loginreturnurl="http://x/",
                            logintoken="+\\")).json()["error"]
    assert error["code"] == "badtoken"
