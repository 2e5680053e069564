"""Ways to hand a finished message to the outside world.

`SmtpTransport` talks to a mail server. `OutboxTransport` writes `.eml`
files into a directory, so a wiki without a mail server still works and an
operator (or a test) can read what would have been sent.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import tempfile
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from wikigate.clock import Clock


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver one message or raise."""


class SmtpTransport:
    """Submits each message to an SMTP server over a fresh connection.

    `use_tls` speaks TLS from the first byte (port 465 style); `starttls`
    upgrades a plain connection: True demands it, None upgrades only when the
    server offers it, False never upgrades.
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        use_tls: bool = False,
        starttls: bool | None = False,
        username: str | None = None,
        password: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        if use_tls and starttls:
            raise ValueError("use_tls and starttls exclude each other")
        self.host = host
        self.port = port
        self.use_tls = use_tls
        self.starttls = starttls
        self.username = username
        self.password = password
        self.timeout = timeout

    async def send(self, message: EmailMessage) -> None:
        import aiosmtplib  # imported when mail is first sent: a server starts sooner without it

        await aiosmtplib.send(
            message,
            hostname=self.host,
            port=self.port,
            use_tls=self.use_tls,
            start_tls=self.starttls,
            username=self.username,
            password=self.password,
            timeout=self.timeout,
        )


class OutboxTransport:
    """Writes each message to `<directory>/<UTC time>-<sequence>.eml`.

    Names sort by the time of writing. A file appears whole or not at all:
    it is written under a temporary name and then renamed, so a reader
    polling the directory never sees half a message.
    """

    def __init__(self, directory: Path, *, clock: Clock | None = None) -> None:
        self.directory = directory
        self._clock = clock or Clock()
        # Keeps names unique and ordered when two mails share a timestamp.
        self._sequence = itertools.count(1)

    async def send(self, message: EmailMessage) -> None:
        name = self._next_name()
        await asyncio.to_thread(self._write, name, bytes(message))

    def _next_name(self) -> str:
        moment = datetime.fromtimestamp(self._clock.now(), tz=UTC)
        return f"{moment:%Y%m%dT%H%M%S.%fZ}-{os.getpid()}-{next(self._sequence):06d}.eml"

    def _write(self, name: str, data: bytes) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # The temporary name starts with a dot and lacks `.eml`, so globbing
        # for `*.eml` never picks up a file that is still being written.
        fd, temporary = tempfile.mkstemp(dir=self.directory, prefix=".outgoing-")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.directory / name)
        except BaseException:
            os.unlink(temporary)
            raise
