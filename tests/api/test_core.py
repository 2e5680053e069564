"""The main module through HTTP: formats, errors, warnings, asserts and headers."""

from __future__ import annotations

import html
import json
import re
from dataclasses import replace
from typing import Any

import pytest

from tests.conftest import Api


async def test_unknown_action_is_badvalue_with_error_header(api: Api) -> None:
    response = await api.get(action="nosuchmodule")
    assert response.status_code == 200
    assert response.headers["MediaWiki-API-Error"] == "badvalue"
    error = response.json()["error"]
    assert error["code"] == "badvalue"
    assert error["info"] == 'Unrecognized value for parameter "action": nosuchmodule.'
    assert "*" in error


async def test_headers_match_mediawiki(api: Api) -> None:
    response = await api.get(action="query", meta="tokens")
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "private, must-revalidate, max-age=0"
    assert response.headers["content-disposition"] == "inline; filename=api-result.json"
    assert len(response.headers["x-request-id"]) == 24


async def test_formatversion_1_and_2_booleans(api: Api) -> None:
    v1 = (await api.get(action="query", meta="userinfo")).json()
    v2 = (await api.get(action="query", meta="userinfo", formatversion="2")).json()
    assert v1["batchcomplete"] == "" and v1["query"]["userinfo"]["anon"] == ""
    assert v2["batchcomplete"] is True and v2["query"]["userinfo"]["anon"] is True


async def test_formatversion_latest_is_2(api: Api) -> None:
    body = (await api.get(action="query", meta="userinfo", formatversion="latest")).json()
    assert body["batchcomplete"] is True


async def test_bad_formatversion_is_badvalue(api: Api) -> None:
    response = await api.get(action="query", formatversion="3")
    assert response.json()["error"]["code"] == "badvalue"


async def test_unrecognized_parameters_warn(api: Api) -> None:
    body = (await api.get(action="query", meta="tokens", foo="1", bar="2")).json()
    assert body["warnings"]["main"]["*"] == "Unrecognized parameters: foo, bar."


async def test_errorformat_plaintext_v2(api: Api) -> None:
    body = (await api.get(action="query", meta="tokens", errorformat="plaintext", formatversion="2",
                          **{"assert": "user"})).json()
    assert body["errors"] == [{"code": "assertuserfailed",
                               "text": "You are no longer logged in, so the action could not be completed.",
                               "module": "main"}]
    assert "docref" in body


async def test_errorformat_raw_and_none_and_html(api: Api) -> None:
    raw = (await api.get(action="query", errorformat="raw", formatversion="2", **{"assert": "bot"})).json()
    assert raw["errors"][0] == {"code": "assertbotfailed", "key": "apierror-assertbotfailed", "params": [],
                                "module": "main"}
    none = (await api.get(action="query", errorformat="none", **{"assert": "bot"})).json()
    assert none["errors"] == [{"code": "assertbotfailed", "module": "main"}]
    html = (await api.get(action="query", errorformat="html", formatversion="2", **{"assert": "bot"})).json()
    assert html["errors"][0]["html"] == "You do not have the <code>bot</code> right, so the action could not be completed."


async def test_errorformat_wikitext_v1_uses_star(api: Api) -> None:
    body = (await api.get(action="query", errorformat="wikitext", **{"assert": "bot"})).json()
    assert body["errors"][0]["*"].startswith("You do not have the <code>bot</code> right")


async def test_warnings_in_plaintext_errorformat_are_a_list(api: Api) -> None:
    body = (await api.get(action="query", meta="tokens", type="bogus", foo="1", errorformat="plaintext")).json()
    codes = {(w["code"], w["module"]) for w in body["warnings"]}
    assert codes == {("unrecognizedvalues", "query+tokens"), ("unrecognizedparams", "main")}


async def test_assertuser_names_the_user(api: Api) -> None:
    error = (await api.get(action="query", assertuser="Foo")).json()["error"]
    assert error == {**error, "code": "assertnameduserfailed",
                     "info": 'You are no longer logged in as "Foo", so the action could not be completed.'}


async def test_requestid_and_curtimestamp_are_echoed_and_servedby_is_not_as_by_default_in_1_39(api: Api) -> None:
    body = (await api.get(action="query", requestid="abc", curtimestamp="1", servedby="1")).json()
    assert body["requestid"] == "abc"
    assert body["curtimestamp"].endswith("Z")
    assert "servedby" not in body


async def test_an_error_answer_carries_requestid_and_curtimestamp_too(api: Api) -> None:
    body = (await api.get(action="bogus", requestid="abc", curtimestamp="1")).json()
    assert body["error"]["code"] == "badvalue"
    assert body["requestid"] == "abc" and body["curtimestamp"].endswith("Z")


async def test_maxlag_fails_only_below_the_lag_of_minus_one_that_a_lone_database_has(api: Api) -> None:
    for accepted in ("5", "0", "-1"):
        assert "error" not in (await api.get(action="query", meta="tokens", maxlag=accepted)).json()
    response = await api.get(action="query", meta="tokens", maxlag="-2")
    assert response.json()["error"]["code"] == "maxlag"
    assert response.json()["error"]["lag"] == -1
    assert response.headers["Retry-After"] == "5"
    assert response.headers["X-Database-Lag"] == "-1"


async def test_integer_validation(api: Api) -> None:
    body = (await api.get(action="query", meta="tokens", maxlag="abc")).json()
    assert body["error"] == {**body["error"], "code": "badinteger",
                             "info": 'Invalid value "abc" for integer parameter "maxlag".'}


@pytest.mark.parametrize("value", ["99999999999999999999", "9223372036854775808", "-9223372036854775809",
                                   "\u0661"])
async def test_integers_beyond_64_bits_or_in_other_scripts_digits_are_badinteger(api: Api, value: str) -> None:
    # Found by the fuzzer: such a number reached SQLite and came back as an internal error.
    for params in ({"prop": "revisions", "revids": value}, {"list": "logevents", "lelimit": value}):
        body = (await api.get(action="query", **params)).json()
        assert body["error"]["code"] == "badinteger", body


async def test_the_largest_64_bit_integer_is_still_an_integer(api: Api) -> None:
    body = (await api.get(action="query", list="logevents", lelimit="9223372036854775807",
                          formatversion="2")).json()
    assert "error" not in body
    assert "9223372036854775807" in body["warnings"]["logevents"]["warnings"]


async def test_multi_value_separators_and_duplicates(api: Api) -> None:
    pipe = (await api.get(action="query", meta="tokens", type="login|login|createaccount")).json()
    unit = (await api.get(action="query", meta="tokens", type="\x1flogin\x1fcreateaccount")).json()
    assert set(pipe["query"]["tokens"]) == {"logintoken", "createaccounttoken"}
    assert set(unit["query"]["tokens"]) == {"logintoken", "createaccounttoken"}


async def test_too_many_values(api: Api) -> None:
    body = (await api.get(action="query", meta="tokens", type="|".join(["csrf"] * 51))).json()
    # Counted as given, duplicates included, as MediaWiki 1.39 counts them.
    assert body["error"]["code"] == "toomanyvalues"
    values = "|".join(f"x{i}" for i in range(51))
    error = (await api.get(action="query", meta="siteinfo", siprop=values)).json()["error"]
    assert error["code"] == "toomanyvalues"
    assert (error["limit"], error["lowlimit"], error["highlimit"]) == (50, 50, 500)


async def test_invalid_utf8_is_cleaned_with_a_warning(api: Api) -> None:
    response = await api.client.get("/w/api.php?action=query&meta=tokens&format=json&requestid=%FF%FE")
    body = response.json()
    assert body["requestid"] == "\ufffd\ufffd"
    assert "invalid or non-normalized" in body["warnings"]["main"]["*"]


async def test_nfc_normalisation(api: Api) -> None:
    body = (await api.get(action="query", requestid="e\u0301")).json()
    assert body["requestid"] == "\u00e9"


async def test_utf8_and_ascii_output(api: Api) -> None:
    v1 = (await api.get(action="query", requestid="é")).content
    assert b"\\u00e9" in v1
    assert "é".encode() in (await api.get(action="query", requestid="é", utf8="1")).content
    assert "é".encode() in (await api.get(action="query", requestid="é", formatversion="2")).content
    assert b"\\u00e9" in (await api.get(action="query", requestid="é", formatversion="2", ascii="1")).content


async def test_post_multipart(api: Api) -> None:
    response = await api.client.post("/w/api.php", files={"action": (None, "query"), "meta": (None, "tokens"),
                                                           "format": (None, "json")})
    assert response.json()["query"]["tokens"]["csrftoken"] == "+\\"


async def test_wrong_content_type_is_an_api_error(api: Api) -> None:
    response = await api.client.post("/w/api.php?format=json", content=b'{"action": "query"}',
                                     headers={"content-type": "application/json"})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupportedmediatype"


async def test_oversized_body_is_refused(api: Api, services) -> None:  # type: ignore[no-untyped-def]
    size = services.settings.max_body_bytes + 10
    response = await api.client.post("/w/api.php", content=b"a" * size,
                                     headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "toolarge"


def jsonfm_json(page: str) -> Any:
    """The JSON an HTML answer shows, read as a person (or a seed program printing it) reads it."""
    shown = re.search(r'<pre class="api-pretty-content">(.*?)</pre>', page, re.S)
    assert shown is not None, page
    return json.loads(html.unescape(shown.group(1)))


async def test_format_none_gives_nothing(api: Api) -> None:
    assert (await api.client.get("/w/api.php", params={"action": "query", "format": "none"})).content == b""


async def test_jsonfm_shows_the_json_as_text_with_only_markup_escaped(api: Api) -> None:
    page = await api.client.get("/w/api.php", params={"action": "query", "meta": "tokens", "format": "jsonfm",
                                                      "requestid": 'say "<b>&</b>"'})
    assert page.headers["content-type"] == "text/html; charset=UTF-8"
    assert page.headers["content-disposition"] == "inline; filename=api-result.html"
    assert '"requestid": "say \\"&lt;b&gt;&amp;&lt;/b&gt;\\""' in page.text  # quotes stay quotes
    assert "&quot;" not in page.text.split('<pre class="api-pretty-content">')[1]
    assert jsonfm_json(page.text) == {"batchcomplete": "", "query": {"tokens": {"csrftoken": "+\\"}},
                                      "requestid": 'say "<b>&</b>"'}
    assert "format=json" in page.text and "requestid=" in page.text  # the link to the same answer as JSON


async def test_no_format_and_a_bad_format_answer_in_jsonfm(api: Api) -> None:
    default = await api.client.get("/w/api.php", params={"action": "query", "meta": "tokens"})
    assert jsonfm_json(default.text)["query"]["tokens"]["csrftoken"] == "+\\"
    bad = await api.client.get("/w/api.php", params={"action": "query", "format": "xml"})
    assert bad.headers["content-type"].startswith("text/html")
    assert jsonfm_json(bad.text)["error"]["code"] == "badvalue"
    assert bad.headers["MediaWiki-API-Error"] == "badvalue"


async def test_jsonfm_escapes_non_ascii_like_json_unless_utf8(api: Api) -> None:
    params = {"action": "query", "meta": "tokens", "format": "jsonfm", "requestid": "é"}
    assert '"\\u00e9"' in (await api.client.get("/w/api.php", params=params)).text
    assert '"é"' in (await api.client.get("/w/api.php", params={**params, "utf8": "1"})).text


async def test_api_php_at_the_root_too(api: Api) -> None:
    body = (await api.client.get("/api.php", params={"action": "query", "meta": "tokens", "format": "json"})).json()
    assert body["query"]["tokens"]["csrftoken"] == "+\\"


async def test_jsonp_callback_is_refused(api: Api) -> None:
    assert (await api.get(action="query", callback="cb")).json()["error"]["code"] == "jsonp-not-supported"


async def test_origin_star_suppresses_login(api: Api) -> None:
    response = await api.get(action="query", meta="tokens", type="login", origin="*")
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["MediaWiki-Login-Suppressed"] == "true"
    body = response.json()
    assert body["query"]["tokens"] == {}
    assert "same-origin" in json.dumps(body["warnings"])


async def test_origin_must_match_header(api: Api) -> None:
    response = await api.client.get("/w/api.php", params={"action": "query", "format": "json",
                                                          "origin": "http://a.example"},
                                     headers={"Origin": "http://b.example"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "badorigin"


async def test_runjobs_answers_json(api: Api) -> None:
    response = await api.client.post("/w/index.php", data={"title": "Special:RunJobs", "maxjobs": "10"})
    assert response.json()["reached"] == "none-ready"


async def test_timestamp_validation(api: Api) -> None:
    bad = (await api.get(action="query", list="protectedtitles", ptstart="junk")).json()["error"]
    assert bad == {**bad, "code": "badtimestamp", "info": 'Invalid value "junk" for timestamp parameter "ptstart".'}
    empty = (await api.get(action="query", list="protectedtitles", ptstart="", ptdir="newer")).json()
    assert "error" not in empty
    assert '"ptstart"' in empty["warnings"]["protectedtitles"]["*"]


async def test_user_parameter_validation(api: Api) -> None:
    error = (await api.post(action="validatepassword", password="x", user="Invalid|Name")).json()["error"]
    assert error == {**error, "code": "baduser", "info": 'Invalid value "Invalid|Name" for user parameter "user".'}


async def test_enum_parameter_validation(api: Api) -> None:
    error = (await api.get(action="paraminfo", helpformat="bogus")).json()["error"]
    assert error == {**error, "code": "badvalue", "info": 'Unrecognized value for parameter "helpformat": bogus.'}


async def test_get_of_a_post_only_module_is_mustbeposted(api: Api) -> None:
    response = await api.get(action="validatepassword", password="foobar")
    assert response.json()["error"]["code"] == "mustbeposted"
    assert response.json()["error"]["info"] == 'The "validatepassword" module requires a POST request.'


async def test_invalidparammix_and_one_of(api: Api) -> None:
    token = await api.token()
    both = (await api.post(action="protect", title="A", pageid="1", protections="edit=sysop", token=token)).json()
    assert both["error"]["code"] == "invalidparammix"
    assert both["error"]["info"] == 'The parameters "title" and "pageid" can not be used together.'
    neither = (await api.post(action="protect", protections="edit=sysop", token=token)).json()
    assert neither["error"]["info"] == 'One of the parameters "title" and "pageid" is required.'


async def test_a_permission_error_in_raw_errorformat_names_the_groups_as_text(api: Api) -> None:
    # Found by `make fuzz`: the list of group links reached the JSON encoder as message objects.
    body = (await api.post(action="protect", title="Foo", protections="edit=sysop", token="+\\",
                           errorformat="raw", formatversion="2")).json()
    assert body["errors"][0] == {"code": "permissiondenied", "key": "badaccess-groups",
                                 "params": ["[[Wikigate:Administrators|Administrators]]", 1], "module": "protect"}


async def test_an_answer_that_cannot_be_encoded_is_an_internal_api_error(api: Api,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from wikigate.api import formats
    real = formats.encode_json

    def fails_but_for_errors(result: Any, *, ascii_only: bool) -> bytes:
        if "error" not in result:
            raise TypeError("Object of type RawText is not JSON serializable")
        return real(result, ascii_only=ascii_only)

    monkeypatch.setattr(formats, "encode_json", fails_but_for_errors)
    response = await api.get(action="query", meta="siteinfo")
    assert response.status_code == 200
    assert response.json()["error"]["code"] == "internal_api_error_TypeError"
    assert response.headers["MediaWiki-API-Error"] == "internal_api_error_TypeError"


async def test_an_escaping_exception_is_an_internal_api_error(api: Api, services, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    async def broken(*_: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(services.queries, "site_counts", broken)
    response = await api.get(action="query", meta="siteinfo", siprop="statistics")
    assert response.status_code == 200
    assert response.headers["MediaWiki-API-Error"] == "internal_api_error_RuntimeError"
    error = response.json()["error"]
    assert error["code"] == "internal_api_error_RuntimeError" and error["errorclass"] == "RuntimeError"
    assert error["info"].startswith("[" + response.headers["X-Request-Id"] + "]")
    assert "disk on fire" not in response.text  # no internals leak to the client
    assert any("internal error" in record.message for record in caplog.records)


async def test_session_cookie_is_secure_over_https(app, client) -> None:  # type: ignore[no-untyped-def]
    import httpx

    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
    async with httpx.AsyncClient(transport=transport, base_url="https://wiki.test") as client:
        response = await client.get("/w/api.php", params={"action": "query", "meta": "tokens", "type": "login",
                                                          "format": "json"})
    cookie = response.headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie


@pytest.mark.configure(lambda settings: replace(settings, cookie_samesite="Strict"))
async def test_samesite_is_configurable(api: Api) -> None:
    response = await api.get(action="query", meta="tokens", type="login")
    assert "SameSite=strict" in response.headers["set-cookie"]
    assert "Secure" not in response.headers["set-cookie"]


async def test_cache_headers_follow_maxage_and_the_module(api: Api) -> None:
    public = await api.get(action="query", meta="siteinfo", maxage="60", smaxage="30")
    assert public.headers["Cache-Control"] == "s-maxage=30, max-age=60, public"
    assert public.headers["Vary"] == "Accept-Encoding, Treat-as-Untrusted, Cookie"
    private = await api.get(action="query", meta="tokens", maxage="60")
    assert private.headers["Cache-Control"] == "private, must-revalidate, max-age=60"
    mixed = await api.get(action="query", meta="siteinfo|userinfo", maxage="60")
    assert mixed.headers["Cache-Control"] == "private, must-revalidate, max-age=60"
    plain = await api.get(action="query", meta="siteinfo")
    assert plain.headers["Cache-Control"] == "private, must-revalidate, max-age=0"


async def test_responselanginfo(api: Api) -> None:
    body = (await api.get(action="query", responselanginfo="1")).json()
    assert body["uselang"] == "en" and body["errorlang"] == "en"


async def test_other_methods_are_answered_like_get(api: Api) -> None:
    put = await api.client.put("/w/api.php?action=query&meta=tokens&format=json", content=b"ignored")
    assert put.status_code == 200 and put.json()["query"]["tokens"]["csrftoken"] == "+\\"
    delete = await api.client.delete("/w/api.php?action=validatepassword&password=x&format=json")
    assert delete.json()["error"]["code"] == "mustbeposted"


async def test_errors_speak_the_users_language_except_in_bc(api: Api) -> None:
    french = (await api.get(action="bogus", uselang="fr", errorformat="plaintext", formatversion="2")).json()
    assert french["errors"][0]["text"] == 'Valeur inconnue pour le paramètre "action" : bogus.'
    assert french["docref"].startswith("Voir ")
    turkish = (await api.get(action="bogus", errorlang="tr", errorformat="plaintext", formatversion="2")).json()
    assert turkish["errors"][0]["text"] == '"action" parametresi için tanınmayan değer: bogus.'
    bc = (await api.get(action="bogus", uselang="fr")).json()
    assert bc["error"]["info"] == 'Unrecognized value for parameter "action": bogus.'  # bc is always English


@pytest.mark.parametrize(("params", "codes"), [
    ({"uselang": "fr"}, ("fr", "en")),  # bc: errors in English
    ({"uselang": "fr", "errorformat": "plaintext"}, ("fr", "fr")),
    ({"uselang": "xx-bogus", "errorformat": "plaintext"}, ("xx-bogus", "xx-bogus")),
    ({"uselang": "content", "errorlang": "FR", "errorformat": "plaintext"}, ("en", "fr")),  # codes are lower case
    ({"uselang": "tr", "errorlang": "not a code!", "errorformat": "plaintext"}, ("tr", "en")),
    ({"errorlang": "tr", "errorformat": "raw"}, ("en", "tr")),
])
async def test_responselanginfo_names_the_languages_in_force(api: Api, params: dict[str, str],
                                                             codes: tuple[str, str]) -> None:
    body = (await api.get(action="query", meta="tokens", responselanginfo="1", **params)).json()
    assert (body["uselang"], body["errorlang"]) == codes


async def test_authentication_fields_speak_uselang(api: Api) -> None:
    body = (await api.get(action="query", meta="authmanagerinfo", amirequestsfor="login", uselang="fr",
                          amimergerequestfields="1", formatversion="2")).json()
    fields = body["query"]["authmanagerinfo"]["fields"]
    assert fields["username"]["label"] == "Nom d’utilisateur"
    assert fields["password"]["label"] == "Mot de passe"
