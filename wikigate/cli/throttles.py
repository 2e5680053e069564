"""`wikigate throttle reset`: forget counted login attempts and rate-limited actions."""

from __future__ import annotations

import click

from wikigate.cli.common import fail, json_option, main, run, say, settings_of
from wikigate.services.ratelimit import forget_attempts
from wikigate.services.suite import Services


@main.group("throttle")
def throttle() -> None:
    """Login, account-creation and rate-limit counters."""


@throttle.command("reset")
@click.option("--user", "name", default=None, help="The account whose attempts are forgotten.")
@click.option("--ip", default=None, help="The address whose attempts are forgotten.")
@json_option
@click.pass_context
def throttle_reset(ctx: click.Context, name: str | None, ip: str | None) -> None:
    """Forget the attempts counted for a user, an address, or (with neither) everyone: failed logins,
    account creations and rate-limited actions. Counters live in the shared store, so every
    process of the server forgets them at once."""

    async def work(services: Services) -> None:
        try:
            cleared = await forget_attempts(services.rate_limiter, services.accounts, name=name, ip=ip)
        except ValueError:
            fail(f"not an IP address: {ip}")
        whose = " and ".join(part for part in (name and f"user {name}", ip and f"address {ip}") if part)
        say({"user": name, "ip": ip, "cleared": cleared}, f"forgot {cleared} counter(s) of {whose or 'everyone'}")

    run(settings_of(ctx), work)
