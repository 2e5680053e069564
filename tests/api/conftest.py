"""Fixtures for API tests: a real SMTP server in this process, and direct sessions.

`smtp_server` runs aiosmtpd on a free local port and keeps every message it receives; a
test module sends the application's mail there by overriding `settings` with
`smtp_server.route(settings)`. `session_for` logs a client
in by writing its session straight into the store, for tests of modules that need a
logged-in user without going through a login module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.helpers import Inbox, running_smtp


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    with running_smtp() as inbox:
        yield inbox


@pytest.fixture
def session_for(services: Any) -> Any:
    """Log a client in as an account by storing a session for it and setting its cookie."""
    from tests.helpers import sign_in

    async def log_in(api: Any, record: Any, *, auth_time: float | None) -> None:
        await sign_in(services, api, record, auth_time=auth_time)

    return log_in
