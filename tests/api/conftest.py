"""Fixtures for API tests: a real SMTP server in this process, and direct sessions.

`smtp_server` runs aiosmtpd on a free local port and keeps every message it receives; a
test module sends the application's mail there by overriding `settings` with
`smtp_server.route(settings)`. `session_for` logs a client
in by writing its session straight into the store, for tests of modules that need a
logged-in user without going through a login module.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from wikigate.config import Settings


@dataclass
class Inbox:
    """What the in-process SMTP server accepted, in arrival order."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(parsed)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def route(self, settings: Settings) -> Settings:
        """`settings` with the application's mail going here (for a `settings` override)."""
        return replace(settings, smtp_host=self.host, smtp_port=self.port, smtp_tls="none")

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message, rcpts in zip(self.messages, self.recipients) if address in rcpts]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox(port=_free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def session_for(services: Any) -> Any:
    """Log a client in as an account by storing a session for it and setting its cookie."""
    from tests.helpers import sign_in

    async def log_in(api: Any, record: Any, *, auth_time: float | None) -> None:
        await sign_in(services, api, record, auth_time=auth_time)

    return log_in
