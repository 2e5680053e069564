"""Background delivery of mail, so an API request never waits on a mail server.

`Mailer.send_later` returns at once; delivery runs as an asyncio task that
retries with growing delays and logs what it could not do. A failed mail
must not turn into an API error: `resetpassword` answers "success" whether
or not the mail went out, so that its answer reveals nothing about accounts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from enum import StrEnum
from pathlib import Path
from typing import Any

from wikigate.clock import Clock
from wikigate.mail.transports import OutboxTransport, SmtpTransport, Transport
from wikigate.metrics import Metrics

Sleep = Callable[[float], Awaitable[None]]

_default_logger = logging.getLogger("wikigate.mail")


class Mailer:
    """Sends messages through `transport` in background tasks.

    A message gets one attempt plus up to `retries` more; the n-th retry
    waits `retry_delay * 2**(n-1)` seconds. `sleep` and `clock` are there so
    tests can run the schedule without waiting.
    """

    def __init__(
        self,
        transport: Transport,
        *,
        retries: int = 3,
        retry_delay: float = 2.0,
        logger: logging.Logger = _default_logger,
        clock: Clock | None = None,
        sleep: Sleep = asyncio.sleep,
        fallback: Transport | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.transport = transport
        # Where a mail that could not be delivered is kept (the outbox), rather than lost.
        self.fallback = fallback
        self.retries = retries
        self.retry_delay = retry_delay
        self._logger = logger
        self._clock = clock or Clock()
        self._sleep = sleep
        self._metrics = metrics or Metrics()
        # The event loop holds tasks only weakly; without this set a pending
        # delivery could be garbage-collected halfway.
        self._pending: set[asyncio.Task[None]] = set()
        self._unsent: dict[asyncio.Task[None], EmailMessage] = {}

    def send_later(self, message: EmailMessage) -> None:
        """Queue `message` for delivery and return at once. Needs a running loop."""
        self._stamp(message)
        task = asyncio.get_running_loop().create_task(self._deliver(message))
        self._pending.add(task)
        self._unsent[task] = message
        self._metrics.mail_queued()
        task.add_done_callback(self._pending.discard)
        task.add_done_callback(lambda done: self._unsent.pop(done, None))

    def run_later(self, work: Coroutine[Any, Any, None], *, label: str) -> None:
        """Run `work`, which prepares and queues mail, in the background.

        The caller's answer then cannot depend on how long the work takes
        (password resets must not reveal which accounts exist), and `drain`
        waits for it as for any queued mail. A failure is logged under `label`.
        """
        task = asyncio.get_running_loop().create_task(self._run_logged(work, label))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _run_logged(self, work: Coroutine[Any, Any, None], label: str) -> None:
        try:
            await work
        except Exception:
            self._logger.exception("background mail work %s failed", label)

    async def drain(self, timeout: float | None = None) -> None:
        """Wait until every queued message is delivered or given up on.

        With a `timeout` (a server stopping), what is still unsent when it runs
        out is kept in the outbox instead of being lost.
        """
        deadline = None if timeout is None else asyncio.get_running_loop().time() + timeout
        while self._pending:
            left = None if deadline is None else deadline - asyncio.get_running_loop().time()
            if left is not None and left <= 0:
                break
            await asyncio.wait(set(self._pending), timeout=left)
        unsent = list(self._unsent.items())
        for task, _ in unsent:
            task.cancel()
        await asyncio.gather(*self._pending, return_exceptions=True)
        for _, message in unsent:
            await self._keep(message, "the server stopped before it was sent")

    async def _keep(self, message: EmailMessage, why: str) -> None:
        label = f"to {message['To']!s} ({message['Subject']!s})"
        self._metrics.mail_done(delivered=False)
        if self.fallback is None:
            self._logger.error("mail %s lost: %s", label, why)
            self._metrics.mail_undelivered("lost")
            return
        try:
            await self.fallback.send(message)
        except Exception as error:
            self._logger.error("mail %s lost: %s, and the outbox failed: %s", label, why, error)
            self._metrics.mail_undelivered("lost")
        else:
            self._logger.warning("mail %s kept in the outbox: %s", label, why)
            self._metrics.mail_undelivered("outbox")

    def _stamp(self, message: EmailMessage) -> None:
        # Stamped at queueing time, so retries resend the very same message
        # and a receiver can tell duplicates apart by Message-ID.
        if "Date" not in message:
            moment = datetime.fromtimestamp(self._clock.now(), tz=UTC)
            message["Date"] = format_datetime(moment)
        if "Message-ID" not in message:
            domain = parseaddr(str(message.get("From", "")))[1].rpartition("@")[2]
            message["Message-ID"] = make_msgid(domain=domain or None)

    async def _deliver(self, message: EmailMessage) -> None:
        # The log names the mail by recipient and subject only: the body may
        # hold a temporary password, which has no place in a log file.
        label = f"to {message['To']!s} ({message['Subject']!s})"
        for attempt in range(self.retries + 1):
            if attempt:
                await self._sleep(self.retry_delay * 2 ** (attempt - 1))
            try:
                await self.transport.send(message)
            except Exception as error:
                self._metrics.mail_attempt_failed()
                if attempt < self.retries:
                    self._logger.warning(
                        "mail %s failed (attempt %d of %d), retrying: %s",
                        label, attempt + 1, self.retries + 1, error,
                    )
                else:
                    self._logger.error(
                        "mail %s not delivered after %d attempts: %s",
                        label, attempt + 1, error,
                    )
                    # Out of the unsent set first: a stopping server waits for this outbox write
                    # instead of cancelling it and keeping the message a second time.
                    self._unsent.pop(asyncio.current_task(), None)  # type: ignore[arg-type]
                    await self._keep(message, f"not delivered after {attempt + 1} attempts")
            else:
                self._logger.info("mail %s delivered", label)
                self._metrics.mail_done(delivered=True)
                return


class SmtpSecurity(StrEnum):
    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"


def mailer_from_settings(
    *,
    smtp_host: str | None,
    smtp_port: int,
    smtp_tls: str,
    smtp_user: str | None,
    smtp_password: str | None,
    outbox_dir: Path,
    smtp_timeout: float = 10.0,
    retries: int = 3,
    retry_delay: float = 2.0,
    clock: Clock | None = None,
    metrics: Metrics | None = None,
) -> Mailer:
    """SMTP when a host is configured, otherwise the file outbox.

    A wrong `smtp_tls` value raises ValueError here, at start-up, instead of
    at the first mail.
    """
    transport: Transport
    if smtp_host:
        security = SmtpSecurity(smtp_tls)
        transport = SmtpTransport(
            smtp_host,
            smtp_port,
            use_tls=security is SmtpSecurity.TLS,
            starttls=security is SmtpSecurity.STARTTLS,
            username=smtp_user,
            password=smtp_password,
            timeout=smtp_timeout,
        )
        return Mailer(transport, retries=retries, retry_delay=retry_delay, clock=clock, metrics=metrics,
                      fallback=OutboxTransport(outbox_dir, clock=clock))
    return Mailer(OutboxTransport(outbox_dir, clock=clock), retries=retries, retry_delay=retry_delay, clock=clock,
                  metrics=metrics)
