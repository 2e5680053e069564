"""MediaWiki's permission checks for edit, create and protect, on hand-made page states."""

from __future__ import annotations

from wikigate import titles
from wikigate.config import Settings
from wikigate.services.permissions import (
    CascadeSource,
    PageState,
    applicable_types,
    level_right,
    permission_errors,
    usable_levels,
)
from wikigate.services.users import build_user
from wikigate.store.pages import PageRecord, Restriction, TitleProtection
from wikigate.store.users import GroupMembership, UserRecord

SETTINGS = Settings()
NS = titles.namespaces("Wikigate")
NOW = 1_790_000_000.0


def user(*groups: str, anon: bool = False):  # type: ignore[no-untyped-def]
    if anon:
        return build_user(None, [], SETTINGS, NOW, ip="127.0.0.1")
    record = UserRecord(id=7, name="Someone", real_name="", password="", newpassword="", newpass_time=None,
                        email="", email_authenticated=None, token="t", registration=NOW - 10, editcount=0,
                        touched=NOW)
    return build_user(record, [GroupMembership(g, None) for g in groups], SETTINGS, NOW, ip="127.0.0.1")


def state(text: str, *, levels: dict[str, str] | None = None, cascade: bool = False, exists: bool = True,
          create: str | None = None, sources: tuple[CascadeSource, ...] = ()) -> PageState:
    title = titles.parse_title(text, NS)
    page = PageRecord(1, title.namespace, title.dbkey, 1, 1, NOW, False, False) if exists else None
    restrictions = tuple(Restriction(1, kind, level, cascade and kind == "edit", None)
                         for kind, level in (levels or {}).items())
    protection = TitleProtection(title.namespace, title.dbkey, 3, "Mindy", "because", NOW, None, create) if create else None
    return PageState(title, page, restrictions, protection, sources)


def codes(action: str, who, page: PageState) -> list[str]:  # type: ignore[no-untyped-def]
    return [d.key for d in permission_errors(action, who, page, SETTINGS, block=None)]


def test_levels_name_rights() -> None:
    assert level_right("sysop") == "editprotected" and level_right("autoconfirmed") == "editsemiprotected"
    assert usable_levels(user(), SETTINGS) == ["", "autoconfirmed"]
    assert usable_levels(user("sysop"), SETTINGS) == ["", "autoconfirmed", "sysop"]


def test_applicable_types() -> None:
    assert applicable_types(titles.parse_title("A", NS), True, SETTINGS) == ["edit", "move"]
    assert applicable_types(titles.parse_title("A", NS), False, SETTINGS) == ["create"]
    assert applicable_types(titles.parse_title("File:A.png", NS), True, SETTINGS) == ["edit", "move", "upload"]
    assert applicable_types(titles.parse_title("Special:A", NS), False, SETTINGS) == []


def test_page_restrictions() -> None:
    semi = state("A", levels={"edit": "autoconfirmed"})
    full = state("A", levels={"edit": "sysop"})
    assert codes("edit", user(), semi) == []
    assert codes("edit", user(anon=True), semi) == ["protectedpagetext"]
    assert codes("edit", user(), full) == ["protectedpagetext"]
    assert codes("edit", user("sysop"), full) == []
    assert codes("edit", user(), state("A", levels={"move": "sysop"})) == []


def test_cascading_page_needs_protect_too() -> None:
    page = state("A", levels={"edit": "autoconfirmed"}, cascade=True)
    assert codes("edit", user(), page) == ["protectedpagetext"]
    [denial] = permission_errors("edit", user(), page, SETTINGS, block=None)
    assert denial.params == ("protect", "edit")


def test_cascade_sources() -> None:
    source = CascadeSource(titles.parse_title("Front", NS), Restriction(9, "edit", "sysop", True, None))
    page = state("Template:Box", sources=(source,))
    [denial] = permission_errors("edit", user(), page, SETTINGS, block=None)
    assert denial.key == "cascadeprotected" and denial.params == (1, "* [[:Front]]\n", "edit")
    assert codes("edit", user("sysop"), page) == []


def test_creation() -> None:
    missing = state("A", exists=False)
    assert codes("edit", user(anon=True), missing) == []
    protected = state("A", exists=False, create="autoconfirmed")
    assert codes("edit", user(anon=True), protected) == ["protectedpagetext"]
    assert codes("create", user(anon=True), protected) == ["protectedpagetext", "titleprotected"]
    assert codes("edit", user(), protected) == []
    no_talk = Settings(group_permissions={"*": ["edit", "createpage"], "user": ["edit", "createpage"]})
    who = build_user(None, [], no_talk, NOW, ip="1.2.3.4")
    assert [d.key for d in permission_errors("edit", who, state("Talk:A", exists=False), no_talk, block=None)] == ["nocreatetext"]


def test_protect_needs_the_right_and_editing() -> None:
    page = state("A", levels={"edit": "autoconfirmed"})
    anonymous = permission_errors("protect", user(anon=True), page, SETTINGS, block=None)
    assert [d.key for d in anonymous] == ["badaccess-groups", "protect-cantedit"]
    assert anonymous[0].params[1] == 1  # only sysops have protect
    assert codes("protect", user("sysop"), page) == []


def test_special_and_interface_namespaces() -> None:
    [special] = permission_errors("edit", user("sysop"), state("Special:A", exists=False), SETTINGS, block=None)
    assert special.code == "unsupportednamespace"
    [interface] = permission_errors("edit", user(), state("MediaWiki:Sidebar"), SETTINGS, block=None)
    assert interface.code == "protectednamespace-interface"
    assert codes("edit", user("sysop"), state("MediaWiki:Sidebar")) == []
