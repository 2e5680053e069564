"""The authentication manager without HTTP: steps, state in one session key, response invariants."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from wikigate.auth.manager import STATE_KEY, Action, AuthManager
from wikigate.auth.responses import AuthResponse, AuthStatus, totp_request
from wikigate.messages import Message


class DictState:
    """A session stand-in: the manager only needs get, set and pop."""

    def __init__(self) -> None:
        self.data: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value

    def pop(self, key: str) -> Any:
        return self.data.pop(key, None)


def manager(services, state: DictState) -> AuthManager:  # type: ignore[no-untyped-def]
    return services.login.manager(state, ip="127.0.0.1", now=services.clock.now())


async def test_pass_leaves_no_state(services, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Alice", "AlicePassword-1234")
    state = DictState()
    result = await manager(services, state).begin_authentication(
        {"username": "alice", "password": "AlicePassword-1234", "rememberMe": "1"}, return_url="http://x/")
    assert (result.status, result.username, result.remember) == (AuthStatus.PASS, "Alice", True)
    assert state.data == {}


async def test_a_paused_flow_lives_under_one_key_and_resumes_in_a_new_manager(services, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Mindy", "MindyPassword-1234")
    secret = (await services.login.enable_two_factor("Mindy")).secret
    state = DictState()
    first = await manager(services, state).begin_authentication(
        {"username": "Mindy", "password": "MindyPassword-1234"}, return_url="http://x/")
    assert first.status is AuthStatus.UI and list(state.data) == [STATE_KEY]
    # Another process: a fresh manager over the same stored state.
    resumed = manager(services, state)
    assert [r.id for r in await resumed.requests_for(Action.LOGIN_CONTINUE)] == [totp_request("Mindy").id]
    done = await resumed.continue_authentication({"OATHToken": pyotp.TOTP(secret).at(services.clock.now())})
    assert (done.status, done.username) == (AuthStatus.PASS, "Mindy") and state.data == {}


async def test_continue_without_state_fails(services) -> None:  # type: ignore[no-untyped-def]
    result = await manager(services, DictState()).continue_authentication({"OATHToken": "123456"})
    assert result.status is AuthStatus.FAIL and result.message == Message("authmanager-authn-not-in-progress")


async def test_a_new_begin_drops_an_old_flow(services, make_user) -> None:  # type: ignore[no-untyped-def]
    await make_user("Mindy", "MindyPassword-1234")
    await services.login.enable_two_factor("Mindy")
    state = DictState()
    await manager(services, state).begin_authentication({"username": "Mindy", "password": "MindyPassword-1234"},
                                                        return_url="http://x/")
    failed = await manager(services, state).begin_authentication({"username": "Mindy", "password": "wrong"},
                                                                 return_url="http://x/")
    assert failed.status is AuthStatus.FAIL and state.data == {}


def test_ui_and_redirect_must_name_their_requests() -> None:
    with pytest.raises(ValueError):
        AuthResponse.ui([], Message("oathauth-auth-ui"))
    with pytest.raises(ValueError):
        AuthResponse.redirect("http://x/", [])
    assert AuthResponse.abstain().is_abstain
