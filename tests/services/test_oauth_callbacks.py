"""Which callbacks an OAuth 1.0a consumer registered with a callback prefix may ask for."""

from __future__ import annotations

import pytest

from wikigate.services.oauth1 import callback_allowed

REGISTERED = "http://tool.example/oauth"


@pytest.mark.parametrize(("given", "allowed"), [
    ("http://tool.example/oauth", True),
    ("http://tool.example/oauth/done?x=1", True),
    ("https://tool.example/oauth/done", True),  # http may only ever be upgraded
    ("http://tool.example/other", False),
    ("http://evil.example/oauth", False),
    ("http://tool.example.evil.example/oauth", False),
    ("http://tool.example:8080/oauth", False),
    ("javascript:alert(1)", False),
    ("//tool.example/oauth", False),
])
def test_a_prefix_allows_only_the_same_host_port_and_a_longer_path(given: str, allowed: bool) -> None:
    assert callback_allowed(REGISTERED, given) is allowed


def test_https_is_never_downgraded_and_port_one_takes_any_port() -> None:
    assert not callback_allowed("https://tool.example/cb", "http://tool.example/cb")
    assert callback_allowed("http://tool.example:1/cb", "http://tool.example:8080/cb/x")


def test_with_a_registered_query_the_path_must_match_and_the_query_extend_it() -> None:
    assert callback_allowed("http://tool.example/cb?app=1", "http://tool.example/cb?app=1&user=2")
    assert not callback_allowed("http://tool.example/cb?app=1", "http://tool.example/cb/more?app=1")
