"""Mail: builders, real SMTP delivery through an in-process server, the file
outbox, and background delivery with retries."""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from prometheus_client.parser import text_string_to_metric_families

from wikigate.clock import FixedClock
from wikigate.mail import (
    Mailer,
    OutboxTransport,
    SmtpTransport,
    mailer_from_settings,
    password_reset_mail,
)
from wikigate.metrics import Metrics


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Collector:
    def __init__(self) -> None:
        self.envelopes: list[Envelope] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[tuple[Collector, int]]:
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield collector, port
    finally:
        controller.stop()


def parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def reset_mail(**overrides: object) -> EmailMessage:
    options: dict[str, object] = {
        "sitename": "Test Wiki",
        "server_url": "http://wiki.test/w/index.php/Special:UserLogin",
        "to": "Zoë <zoe@example.org>",
        "requester_ip": "192.0.2.7",
        "accounts": [("Zoë", "k3y-one-9x"), ("Zoë Bot", "k3y-two-7y")],
        "expiry_days": 7,
        "sender": "Test Wiki <wiki@wiki.test>",
    }
    options.update(overrides)
    return password_reset_mail(**options)  # type: ignore[arg-type]


async def test_reset_mail_arrives_at_a_real_smtp_server(smtp_server: tuple[Collector, int]) -> None:
    collector, port = smtp_server
    mailer = Mailer(SmtpTransport("127.0.0.1", port), clock=FixedClock(1_800_000_000))

    mailer.send_later(reset_mail())
    await mailer.drain()

    [envelope] = collector.envelopes
    assert envelope.mail_from == "wiki@wiki.test"
    assert envelope.rcpt_tos == ["zoe@example.org"]
    delivered = parse(envelope.original_content or b"")
    assert delivered["Subject"] == "Account details on Test Wiki"
    assert delivered["To"].addresses[0].display_name == "Zoë"
    assert delivered["Date"].datetime.timestamp() == 1_800_000_000
    assert delivered["Message-ID"].endswith("@wiki.test>")
    assert delivered.get_content_type() == "text/plain"
    assert delivered.get_content_charset() == "utf-8"
    # SMTP carries lines ending in CRLF.
    body = delivered.get_content().replace("\r\n", "\n")
    assert "192.0.2.7" in body
    assert "User name: Zoë\nTemporary password: k3y-one-9x" in body
    assert "User name: Zoë Bot\nTemporary password: k3y-two-7y" in body
    assert "7 days" in body
    assert "http://wiki.test/w/index.php/Special:UserLogin" in body


def test_reset_mail_for_one_account_with_one_day_expiry() -> None:
    message = reset_mail(accounts=[("Alice", "tmp-pass-1")], expiry_days=1)
    body = message.get_content()
    assert "Several accounts" not in body
    assert "User name: Alice\nTemporary password: tmp-pass-1" in body
    assert "after 1 day." in body


def test_reset_mail_without_accounts_is_refused() -> None:
    with pytest.raises(ValueError):
        reset_mail(accounts=[])


async def test_outbox_writes_each_mail_as_a_whole_eml_file(tmp_path: Path) -> None:
    clock = FixedClock(1_800_000_000)
    outbox = tmp_path / "outbox"
    transport = OutboxTransport(outbox, clock=clock)

    await transport.send(reset_mail(accounts=[("First", "pw-first")]))
    await transport.send(reset_mail(accounts=[("Second", "pw-second")]))  # same instant
    clock.advance(1)
    await transport.send(reset_mail(accounts=[("Third", "pw-third")]))

    assert [path.name for path in outbox.iterdir() if not path.name.endswith(".eml")] == []
    files = sorted(outbox.glob("*.eml"))
    assert files[0].name.startswith("20270115T080000.000000Z-")
    bodies = [parse(path.read_bytes()).get_content() for path in files]
    for body, password in zip(bodies, ["pw-first", "pw-second", "pw-third"], strict=True):
        assert password in body
    assert parse(files[0].read_bytes())["Subject"] == "Account details on Test Wiki"


class FlakyTransport:
    """Fails a set number of times, then accepts; records what it accepted."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionRefusedError("mail server down")
        self.sent.append(message)


class RecordingSleep:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


async def test_unreachable_smtp_server_is_retried_then_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sleep = RecordingSleep()
    # Nothing listens on a port that was free a moment ago: connection refused.
    mailer = Mailer(
        SmtpTransport("127.0.0.1", free_port(), timeout=2),
        retries=3,
        retry_delay=0.5,
        sleep=sleep,
    )

    with caplog.at_level(logging.INFO, logger="wikigate.mail"):
        mailer.send_later(reset_mail())  # must not raise
        await mailer.drain()

    assert sleep.delays == [0.5, 1.0, 2.0]
    levels = [record.levelname for record in caplog.records]
    assert levels == ["WARNING", "WARNING", "WARNING", "ERROR", "ERROR"]
    assert "not delivered after 4 attempts" in caplog.records[-2].getMessage()
    assert "lost" in caplog.records[-1].getMessage()  # no outbox to keep it in
    assert all("k3y-one-9x" not in record.getMessage() for record in caplog.records)


async def test_undeliverable_mail_is_kept_in_the_outbox(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    mailer = Mailer(SmtpTransport("127.0.0.1", free_port(), timeout=2), retries=1, retry_delay=0.01,
                    sleep=RecordingSleep(), fallback=OutboxTransport(outbox))
    mailer.send_later(reset_mail())
    await mailer.drain()
    kept = list(outbox.glob("*.eml"))
    assert len(kept) == 1 and "k3y-one-9x" in kept[0].read_text()


def mail_metrics(metrics: Metrics) -> dict[str, float]:
    return {sample.name + "".join(f"[{v}]" for v in sample.labels.values()): sample.value
            for family in text_string_to_metric_families(metrics.render().decode()) for sample in family.samples}


async def test_failed_attempts_and_mail_kept_in_the_outbox_are_counted(tmp_path: Path) -> None:
    metrics = Metrics()
    mailer = Mailer(SmtpTransport("127.0.0.1", free_port(), timeout=2), retries=1, retry_delay=0.01,
                    sleep=RecordingSleep(), fallback=OutboxTransport(tmp_path / "outbox"), metrics=metrics)
    mailer.send_later(reset_mail())
    assert mail_metrics(metrics)["wikigate_mail_queue_length"] == 1
    await mailer.drain()
    counted = mail_metrics(metrics)
    assert counted["wikigate_mail_queue_length"] == 0
    assert counted["wikigate_mail_failures_total"] == 2
    assert counted["wikigate_mail_undelivered_total[outbox]"] == 1
    assert counted["wikigate_mail_sent_total"] == 0


async def test_mail_still_queued_when_the_server_stops_is_kept_in_the_outbox(tmp_path: Path) -> None:
    outbox = tmp_path / "outbox"
    never = asyncio.Event()

    class Hanging:
        async def send(self, message: EmailMessage) -> None:
            await never.wait()  # an SMTP server that never answers

    mailer = Mailer(Hanging(), fallback=OutboxTransport(outbox))  # type: ignore[arg-type]
    mailer.send_later(reset_mail())
    await mailer.drain(timeout=0.2)
    assert len(list(outbox.glob("*.eml"))) == 1


async def test_transient_failure_is_retried_until_delivered(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = FlakyTransport(failures=1)
    mailer = Mailer(transport, retries=3, retry_delay=2.0, sleep=RecordingSleep())

    with caplog.at_level(logging.INFO, logger="wikigate.mail"):
        mailer.send_later(reset_mail())
        await mailer.drain()

    assert len(transport.sent) == 1
    assert [record.levelname for record in caplog.records] == ["WARNING", "INFO"]


async def test_send_later_does_not_wait_for_delivery() -> None:
    release = asyncio.Event()
    delivered: list[EmailMessage] = []

    class SlowTransport:
        async def send(self, message: EmailMessage) -> None:
            await release.wait()
            delivered.append(message)

    mailer = Mailer(SlowTransport())
    mailer.send_later(reset_mail())
    await asyncio.sleep(0)
    assert delivered == []

    release.set()
    await mailer.drain()
    assert len(delivered) == 1


def test_settings_with_a_host_choose_smtp(tmp_path: Path) -> None:
    mailer = mailer_from_settings(
        smtp_host="smtp.example.org",
        smtp_port=465,
        smtp_tls="tls",
        smtp_user="wiki",
        smtp_password="secret",
        outbox_dir=tmp_path,
    )
    transport = mailer.transport
    assert isinstance(transport, SmtpTransport)
    assert (transport.host, transport.port, transport.use_tls, transport.starttls) == (
        "smtp.example.org", 465, True, False,
    )


def test_settings_without_a_host_choose_the_outbox(tmp_path: Path) -> None:
    mailer = mailer_from_settings(
        smtp_host=None,
        smtp_port=25,
        smtp_tls="none",
        smtp_user=None,
        smtp_password=None,
        outbox_dir=tmp_path,
    )
    assert isinstance(mailer.transport, OutboxTransport)
    assert mailer.transport.directory == tmp_path


def test_unknown_tls_setting_fails_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        mailer_from_settings(
            smtp_host="smtp.example.org",
            smtp_port=25,
            smtp_tls="ssl",
            smtp_user=None,
            smtp_password=None,
            outbox_dir=tmp_path,
        )
