"""Title rules. Expected values were checked against MediaWiki 1.39.17
(action=query&titles=..., which reports `normalized`, `invalid` and
`invalidreason`) on a wiki named "Oracle Wiki"."""

import pytest

from wikigate.titles import (
    LEGAL_TITLE_CHARS,
    NS,
    InvalidReason,
    InvalidTitle,
    Title,
    decode_char_references,
    is_ip,
    namespaces,
    parse_title,
    sanitize_ip,
)

NAMESPACES = namespaces("Oracle Wiki")


def prefixed(text: str, **options: int) -> str:
    return parse_title(text, NAMESPACES, **options).prefixed_text


def reason(text: str) -> str:
    with pytest.raises(InvalidTitle) as caught:
        parse_title(text, NAMESPACES)
    return caught.value.code


# --- namespace table ---------------------------------------------------------


def test_namespace_table_matches_siteinfo():
    rows = {entry.id: entry for entry in NAMESPACES}
    assert sorted(rows) == list(range(-2, 16))
    assert rows[4].name == "Oracle Wiki" and rows[4].canonical == "Project"
    assert rows[5].name == "Oracle Wiki talk" and rows[5].canonical == "Project talk"
    assert rows[0].name == "" and rows[0].content
    assert [entry.id for entry in NAMESPACES if entry.content] == [0]
    assert {entry.case for entry in NAMESPACES} == {"first-letter"}
    assert not any(entry.nonincludable for entry in NAMESPACES)
    assert rows[8].protection == "editinterface"


def test_subpage_namespaces_are_the_139_defaults():
    with_subpages = {entry.id for entry in NAMESPACES if entry.subpages}
    assert with_subpages == {1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 15}


def test_only_image_aliases_are_listed():
    assert dict(NAMESPACES.aliases) == {"Image": 6, "Image talk": 7}


def test_sitename_with_underscores_is_shown_with_spaces():
    assert namespaces("My_Wiki")[NS.PROJECT_TALK].name == "My Wiki talk"


@pytest.mark.parametrize(
    ("prefix", "ns_id"),
    [("user talk", 3), ("USER_TALK", 3), ("Image", 6), ("image talk", 7), ("Project", 4),
     ("project talk", 5), ("oracle_wiki", 4), ("Oracle wiki talk", 5), ("File", 6)],
)
def test_namespace_names_are_case_and_underscore_blind(prefix, ns_id):
    assert NAMESPACES.index(prefix) == ns_id


def test_unknown_namespace_name():
    assert NAMESPACES.index("Foo") is None
    assert NAMESPACES.index("") is None


def test_legal_title_chars_is_the_siteinfo_string():
    assert LEGAL_TITLE_CHARS == r""" %!"$&'()*,\-.\/0-9:;=?@A-Z\\^_`a-z~\x80-\xFF+"""


# --- normalisation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("foo bar", "Foo bar"),
        ("foo_bar", "Foo bar"),
        ("  foo   bar  ", "Foo bar"),
        ("user talk:foo", "User talk:Foo"),
        ("USER_TALK : foo", "User talk:Foo"),
        ("image:x.png", "File:X.png"),
        ("project:x", "Oracle Wiki:X"),
        ("oracle_wiki:x", "Oracle Wiki:X"),
        ("Oracle wiki talk:x", "Oracle Wiki talk:X"),
        (":user:x", "User:X"),
        (":Talk:x", "Talk:X"),
        ("foo:bar", "Foo:bar"),
        ("Talk:Foo:x", "Talk:Foo:x"),
        ("User talk:Special:x", "User talk:Special:x"),
        ("Foo#bar", "Foo"),
        ("Foo_#_bar", "Foo"),
        ("a#", "A"),
        ("a+b", "A+b"),
        ("a~~", "A~~"),
        ("a/.b", "A/.b"),
        ("a%2", "A%2"),
        ("a%zz", "A%zz"),
        ("Foo&;", "Foo&;"),
    ],
)
def test_normalisation(text, expected):
    assert prefixed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\u00a0b", "A b"),
        ("a\u3000b", "A b"),
        ("a\u180eb", "A b"),
        ("a\u2029b", "A b"),
        ("a\u202fb", "A b"),
        ("a\u200eb", "Ab"),
        ("a\u202ab", "Ab"),
        # Zero-width space is neither whitespace nor a bidi mark here.
        ("a\u200bb", "A\u200bb"),
    ],
)
def test_unicode_spaces_fold_and_bidi_marks_vanish(text, expected):
    assert prefixed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("ß", "SS"), ("ßa", "SSa"), ("ǆa", "Ǆa"), ("ǅa", "Ǆa"), ("ﬀ", "FF"), ("ŉ", "ʼN"),
     ("ı", "I"), ("µ", "Μ"), ("ÿ", "Ÿ"), ("ᾳ", "ΑΙ"), ("ǰ", "J̌"), ("ა", "Ა")],
)
def test_first_letter_is_upper_cased_like_mb_strtoupper(text, expected):
    assert prefixed(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("&eacute;t&#233;", "Été"), ("Foo&amp;", "Foo&"), ("a&nbsp;b", "A b"),
     ("&#x20;a", "A"), ("&rlm;a", "A")],
)
def test_character_references_are_decoded_first(text, expected):
    assert prefixed(text) == expected


def test_decomposed_input_is_composed():
    assert prefixed("e\u0301x") == "Éx"


def test_unknown_entity_is_left_alone():
    assert decode_char_references("a&nosuch;b&amp;") == "a&nosuch;b&"


def test_title_forms():
    title = parse_title("user talk:foo bar", NAMESPACES)
    assert title == Title(NS.USER_TALK, "Foo_bar", "User talk")
    assert title.text == "Foo bar"
    assert title.prefixed_text == "User talk:Foo bar"
    assert title.prefixed_dbkey == "User_talk:Foo_bar"
    assert title.is_talk and title.subject_namespace == NS.USER and title.talk_namespace == NS.USER_TALK


def test_subject_title_forms():
    title = parse_title("Oracle Wiki:About us", NAMESPACES)
    assert title.prefixed_dbkey == "Oracle_Wiki:About_us"
    assert not title.is_talk and title.subject_namespace == 4 and title.talk_namespace == 5


def test_main_namespace_title_has_no_prefix():
    title = parse_title("main page", NAMESPACES)
    assert (title.namespace, title.prefixed_text, title.prefixed_dbkey) == (0, "Main page", "Main_page")


def test_default_namespace_applies_without_prefix():
    assert prefixed("foo", default_namespace=NS.TEMPLATE) == "Template:Foo"
    assert prefixed("Help:foo", default_namespace=NS.TEMPLATE) == "Help:Foo"


def test_leading_colon_overrides_default_namespace():
    assert prefixed(":foo", default_namespace=NS.USER) == "Foo"


def test_built_title_equals_parsed_one():
    assert NAMESPACES.title(4, "Foo_bar") == parse_title("Project:Foo bar", NAMESPACES)
    assert NAMESPACES.title(4, "Foo_bar").prefixed_text == "Oracle Wiki:Foo bar"


def test_special_and_media_titles_parse_but_cannot_exist():
    special = parse_title("special:foo", NAMESPACES)
    media = parse_title("Media:x", NAMESPACES)
    assert special.prefixed_text == "Special:Foo" and special.is_special
    assert media.prefixed_text == "Media:X" and media.is_special
    assert not special.can_exist and not media.can_exist
    assert special.talk_namespace is None and not special.is_talk


def test_bare_fragment_gives_an_empty_title_that_cannot_exist():
    title = parse_title("#bar", NAMESPACES)
    assert (title.namespace, title.dbkey) == (0, "")
    assert not title.can_exist


# --- IP addresses in the User namespaces ---------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("User:127.0.0.1", "User:127.0.0.1"),
        ("user:001.002.003.004", "User:1.2.3.4"),
        ("User talk:001.002.003.004", "User talk:1.2.3.4"),
        ("User:1.2.3.4/24", "User:1.2.3.4/24"),
        ("User:::1", "User:0:0:0:0:0:0:0:1"),
        ("user:1::abcd", "User:1:0:0:0:0:0:0:ABCD"),
        ("User:a::", "User:A:0:0:0:0:0:0:0"),
        ("User:ABCD:EF::1/64", "User:ABCD:EF:0:0:0:0:0:1/64"),
        # Elsewhere an address is just text.
        ("Talk:1::abcd", "Talk:1::abcd"),
    ],
)
def test_user_page_ip_addresses_are_spelled_canonically(text, expected):
    assert prefixed(text) == expected


def test_ipv6_with_dotted_quad_is_not_an_address():
    assert reason("User:::ffff:1.2.3.4") == "title-invalid-leading-colon"


@pytest.mark.parametrize(
    "text", ["1.2.3.4", "01.2.3.4", "255.255.255.255", "::1", "::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "a::B"]
)
def test_is_ip_accepts_addresses(text):
    assert is_ip(text)


@pytest.mark.parametrize(
    "text",
    ["256.1.1.1", "0001.2.3.4", "1.2.3", "1.2.3.4/24", "::1/64", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8:9",
     "1::2::3", "fe80::1%eth0", "12345::", "", "alice"],
)
def test_is_ip_rejects_other_text(text):
    assert not is_ip(text)


def test_sanitize_ip_leaves_other_text_alone():
    assert sanitize_ip("Alice") == "Alice"
    assert sanitize_ip("1.2.3.4.5") == "1.2.3.4.5"


# --- invalid titles ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "title-invalid-empty"),
        (":", "title-invalid-empty"),
        ("\u00a0", "title-invalid-empty"),
        ("User:", "title-invalid-empty"),
        ("Talk:", "title-invalid-empty"),
        ("Talk:#x", "title-invalid-empty"),
        ("::a", "title-invalid-leading-colon"),
        ("Talk::a", "title-invalid-leading-colon"),
        ("Talk: :x", "title-invalid-leading-colon"),
        ("Talk:File:x", "title-invalid-talk-namespace"),
        ("Talk:talk:x", "title-invalid-talk-namespace"),
        ("Talk:Image talk:x", "title-invalid-talk-namespace"),
        ("Talk:Special:x", "title-invalid-talk-namespace"),
        ("a~~~", "title-invalid-magic-tilde"),
        ("&#0;", "title-invalid-utf8"),
        ("&#xD800;a", "title-invalid-utf8"),
        ("a\ufffdb", "title-invalid-utf8"),
        ("a\x01b", "title-invalid-utf8"),
        ("a\ud800b", "title-invalid-utf8"),
    ],
)
def test_invalid_titles(text, code):
    assert reason(text) == code


@pytest.mark.parametrize("text", [".", "..", "./a", "../a", "a/.", "a/..", "a/./b", "a/../b", "User:Foo/../Bar"])
def test_relative_paths_are_invalid(text):
    assert reason(text) == "title-invalid-relative"


@pytest.mark.parametrize(
    ("text", "bad"),
    [("a[b", "["), ("a]b", "]"), ("a{b", "{"), ("a}b", "}"), ("a<b", "<"), ("a>b", ">"),
     ("a\tb", "\t"), ("a\nb", "\n"), ("a\x7fb", "\x7f"), ("Foo%41", "%41"), ("Foo%20bar", "%20"),
     ("a&#x5b;b", "["), ("a&#124;b", "|"), ("Foo&amp;lt;", "&lt;"), ("Foo&nosuch;", "&nosuch;")],
)
def test_illegal_characters_are_reported(text, bad):
    with pytest.raises(InvalidTitle) as caught:
        parse_title(text, NAMESPACES)
    assert caught.value.code == InvalidReason.CHARACTERS
    assert caught.value.params == (bad,)
    assert caught.value.text == text


def test_length_limit_counts_utf8_bytes():
    assert parse_title("x" * 255, NAMESPACES).dbkey == "X" + "x" * 254
    assert parse_title("é" * 127 + "x", NAMESPACES).namespace == 0
    with pytest.raises(InvalidTitle) as caught:
        parse_title("é" * 128, NAMESPACES)
    assert (caught.value.code, caught.value.params) == ("title-invalid-too-long", (255,))


def test_length_limit_is_checked_before_upper_casing():
    # "ŉ" (2 bytes) becomes "ʼN" (3 bytes) only after the check.
    assert len(parse_title("ŉ" * 127 + "x", NAMESPACES).dbkey.encode()) == 256


def test_special_pages_may_be_longer():
    assert parse_title("Special:" + "x" * 300, NAMESPACES).is_special
    with pytest.raises(InvalidTitle) as caught:
        parse_title("Special:" + "x" * 513, NAMESPACES)
    assert caught.value.params == (512,)
