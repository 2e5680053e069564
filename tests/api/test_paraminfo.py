"""action=paraminfo and action=help come from the module declarations."""

from __future__ import annotations

from tests.conftest import Api


async def test_main_action_lists_every_module_as_submodules(api: Api) -> None:
    main = (await api.get(action="paraminfo", modules="main")).json()["paraminfo"]["modules"][0]
    action = next(p for p in main["parameters"] if p["name"] == "action")
    assert set(action["type"]) == set(action["submodules"])
    assert action["submodules"]["query"] == "query"


async def test_query_groups_carry_limits_and_submodules(api: Api) -> None:
    query = (await api.get(action="paraminfo", modules="query")).json()["paraminfo"]["modules"][0]
    params = {p["name"]: p for p in query["parameters"]}
    for group in ("prop", "list", "meta"):
        assert params[group]["limit"] == 50 and params[group]["highlimit"] == 500
        assert params[group]["submodules"]
    assert params["meta"]["submodules"]["tokens"] == "query+tokens"
    assert set(params["generator"]["type"]) <= set(params["prop"]["submodules"]) | set(params["list"]["submodules"])


async def test_tokens_module_types(api: Api) -> None:
    info = (await api.get(action="paraminfo", modules="query+tokens", formatversion="2")).json()
    tokens = info["paraminfo"]["modules"][0]
    assert tokens["group"] == "meta" and tokens["prefix"] == ""
    type_param = tokens["parameters"][0]
    assert type_param["name"] == "type" and type_param["default"] == "csrf" and type_param["multi"] is True
    assert set(type_param["type"]) == {"createaccount", "csrf", "deleteglobalaccount", "login", "patrol", "rollback",
                                       "setglobalaccountstatus", "userrights", "watch"}


async def test_token_modules_declare_tokentype_and_mustbeposted(api: Api) -> None:
    logout = (await api.get(action="paraminfo", modules="logout", formatversion="2")).json()["paraminfo"]["modules"][0]
    token = next(p for p in logout["parameters"] if p["name"] == "token")
    assert token["tokentype"] == "csrf" and token["required"] is True
    assert logout["mustbeposted"] is True and logout["writerights"] is True


async def test_an_unknown_module_is_a_badmodule_warning_as_in_1_39(api: Api) -> None:
    body = (await api.get(action="paraminfo", modules="nosuch|query+nosuch|query+tokens", errorformat="raw")).json()
    assert [m["path"] for m in body["paraminfo"]["modules"]] == ["query+tokens"]
    assert [(w["code"], w["params"]) for w in body["warnings"]] == [("badmodule", ["main", "nosuch"]),
                                                                    ("badmodule", ["query", "nosuch"])]


async def test_deprecated_ways_of_asking_answer_under_their_own_keys(api: Api) -> None:
    body = (await api.get(action="paraminfo", querymodules="tokens", formatmodules="json", mainmodule="1")).json()
    info = body["paraminfo"]
    assert "modules" not in info
    assert [m["path"] for m in info["querymodules"]] == ["query+tokens"]
    assert [m["path"] for m in info["formatmodules"]] == ["json"]
    assert info["mainmodule"]["path"] == "main"


async def test_query_star_expands(api: Api) -> None:
    modules = (await api.get(action="paraminfo", modules="query+*")).json()["paraminfo"]["modules"]
    assert {"query+tokens", "query+siteinfo", "query+userinfo"} <= {m["path"] for m in modules}


async def test_helpformat_adds_descriptions(api: Api) -> None:
    module = (await api.get(action="paraminfo", modules="query+siteinfo", helpformat="wikitext")).json()
    entry = module["paraminfo"]["modules"][0]
    assert entry["description"] and entry["parameters"][0]["description"]


async def test_help_is_an_html_page_whatever_the_format_unless_wrapped(api: Api) -> None:
    for fmt in ("json", "jsonfm"):
        page = await api.client.get("/w/api.php", params={"action": "help", "modules": "logout", "format": fmt})
        assert page.headers["content-type"] == "text/html; charset=utf-8", (fmt, page.text[:200])
        assert page.headers["content-disposition"] == "inline; filename=api-help.html"
        assert page.text.startswith("<!DOCTYPE html>") and "logout" in page.text and "csrf" in page.text
    wrapped = (await api.get(action="help", modules="logout", wrap=1)).json()["help"]
    assert (wrapped["mime"], wrapped["filename"]) == ("text/html", "api-help.html")
    assert (await api.get(action="help", modules="nosuch")).json()["error"]["code"] == "badmodule"  # as in 1.39


async def test_api_php_with_no_parameters_shows_the_help_page(api: Api) -> None:
    page = await api.client.get("/w/api.php")
    assert page.headers["content-type"] == "text/html; charset=utf-8" and "action=" in page.text


async def test_clientlogin_help_in_french_has_the_layout_of_seed_004(api: Api) -> None:
    page = (await api.get(action="help", modules="clientlogin", uselang="fr")).text
    for text in ("Aide de l’API MediaWiki", "action=clientlogin (login)", "Ce module nécessite des droits d’écriture.",
                 "Ce module n’accepte que les requêtes POST.", "Se connecter au wiki par la procédure interactive.",
                 "Paramètres :", "loginrequests", "Valeurs séparées par | ou autre.",
                 "Le nombre maximal de valeurs est 50 (500 pour les clients autorisés à dépasser les limites).",
                 "loginmessageformat", "Une des valeurs suivantes : html, none, raw, wikitext", "Par défaut : wikitext",
                 "Type : booléen", "logintoken", "Un jeton « login » obtenu avec action=query&amp;meta=tokens",
                 "Ce paramètre est obligatoire.", "Exemples :",
                 "Commencer à se connecter au wiki en tant qu’utilisateur Example avec le mot de passe ExamplePassword.",
                 "api.php?action=clientlogin&amp;username=Example"):
        assert text in page, text
    # Its parts in the order seed 004 shows them.
    order = ["action=clientlogin (login)", "Ce module nécessite", "Se connecter au wiki", "Paramètres :",
             "loginrequests", "logintoken", "Exemples :"]
    assert [page.index(text) for text in order] == sorted(page.index(text) for text in order)


async def test_paraminfo_descriptions_follow_uselang(api: Api) -> None:
    body = (await api.get(action="paraminfo", modules="query+tokens", helpformat="wikitext", uselang="tr",
                          formatversion="2")).json()
    tokens = body["paraminfo"]["modules"][0]
    assert tokens["description"] == "Veri değiştiren işlemler için jetonları al."
    assert tokens["parameters"][0]["description"] == "İstenecek jeton türleri."
    assert tokens["examples"][0]["description"] == "Bir csrf jetonu al (varsayılan)."
    english = (await api.get(action="paraminfo", modules="query+tokens", helpformat="none")).json()
    assert "description" not in english["paraminfo"]["modules"][0]
