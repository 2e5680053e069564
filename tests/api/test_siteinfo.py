"""meta=siteinfo: the fields real clients read to initialise."""

from __future__ import annotations

from tests.conftest import Api


async def test_general_parses_as_mediawiki_1_39(api: Api) -> None:
    general = (await api.get(action="query", meta="siteinfo", formatversion="2")).json()["query"]["general"]
    assert general["generator"].split(" ")[0] == "MediaWiki"
    assert general["generator"].split(" ")[1].startswith("1.39.")
    for key in ("thumblimits", "imagelimits", "magiclinks"):
        assert isinstance(general[key], dict), key
    assert general["case"] == "first-letter" and general["lang"] == "en"
    assert general["articlepath"] == "/w/index.php/$1" and general["scriptpath"] == "/w"
    assert general["server"] == "http://wiki.test" and general["wikiid"] == "wikigate"
    assert general["sitename"] == "Wikigate"
    assert general["legaltitlechars"].startswith(" %!")
    assert general["invalidusernamechars"] == "@:>"


async def test_formatversion_1_lists_and_star_names(api: Api) -> None:
    query = (await api.get(action="query", meta="siteinfo", siprop="general|namespaces|namespacealiases")).json()["query"]
    assert isinstance(query["general"]["thumblimits"], list)
    assert query["namespaces"]["4"]["*"] == "Wikigate" and query["namespaces"]["4"]["canonical"] == "Project"
    assert query["namespaces"]["0"] == {"id": 0, "case": "first-letter", "*": "", "content": ""}
    assert {"id": 6, "*": "Image"} in query["namespacealiases"]


async def test_formatversion_2_namespaces(api: Api) -> None:
    query = (await api.get(action="query", meta="siteinfo", siprop="namespaces|namespacealiases",
                           formatversion="2")).json()["query"]
    user_talk = query["namespaces"]["3"]
    assert user_talk == {"id": 3, "case": "first-letter", "name": "User talk", "subpages": True,
                         "canonical": "User talk", "content": False, "nonincludable": False}
    assert query["namespaces"]["8"]["namespaceprotection"] == "editinterface"
    assert {"id": 7, "alias": "Image talk"} in query["namespacealiases"]


async def test_restrictions_and_usergroups(api: Api) -> None:
    query = (await api.get(action="query", meta="siteinfo", siprop="restrictions|usergroups",
                           formatversion="2")).json()["query"]
    assert query["restrictions"] == {"types": ["create", "edit", "move", "upload"],
                                     "levels": ["", "autoconfirmed", "sysop"],
                                     "cascadinglevels": ["sysop"], "semiprotectedlevels": ["autoconfirmed"]}
    groups = {g["name"]: g["rights"] for g in query["usergroups"]}
    assert "protect" in groups["sysop"] and groups["bureaucrat"] == ["userrights", "noratelimit"]


async def test_statistics_count_users(api: Api, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    await make_user("Mindy", "MindyPassword-1234", groups=("sysop",))
    stats = (await api.get(action="query", meta="siteinfo", siprop="statistics")).json()["query"]["statistics"]
    assert stats["users"] == 2 and stats["admins"] == 1


async def test_unknown_siprop_warns(api: Api) -> None:
    body = (await api.get(action="query", meta="siteinfo", siprop="general|bogus")).json()
    assert body["warnings"]["siteinfo"]["*"] == 'Unrecognized value for parameter "siprop": bogus'
    assert "general" in body["query"]


async def test_every_siprop_answers(api: Api) -> None:
    body = (await api.get(action="query", meta="siteinfo", siprop="*")).json()
    # `*` is not an allowed value for siprop (MediaWiki has no allspecifier here).
    assert body["warnings"]["siteinfo"]["*"].endswith(": *")
    props = ("general|namespaces|namespacealiases|specialpagealiases|magicwords|interwikimap|dbrepllag|"
             "statistics|usergroups|libraries|extensions|fileextensions|rightsinfo|restrictions|languages|"
             "languagevariants|skins|extensiontags|functionhooks|showhooks|variables|protocols|"
             "defaultoptions|uploaddialog")
    query = (await api.get(action="query", meta="siteinfo", siprop=props)).json()["query"]
    assert set(query) == set(props.split("|"))
    assert query["extensions"][0]["name"] == "OATHAuth"
