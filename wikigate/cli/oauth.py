"""OAuth consumers and tokens from the command line: what a CI needs to mint credentials in one step."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import click

from wikigate.cli.common import fail, json_option, main, run, say, say_rows, settings_of
from wikigate.services.oauth import Registration
from wikigate.services.suite import Services
from wikigate.store.oauth import APPROVED, DISABLED, REJECTED, STAGES, Consumer


@main.group("oauth")
def oauth() -> None:
    """OAuth consumers and tokens."""


@oauth.group("consumer")
def consumer() -> None:
    """OAuth consumers (applications)."""


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _described(found: Consumer) -> dict[str, object]:
    return {"client_id": found.key, "name": found.name, "oauth_version": found.oauth_version,
            "owner_only": found.owner_only, "stage": STAGES[found.stage], "grants": list(found.grants),
            "grant_types": list(found.oauth2_grant_types), "callback_url": found.callback_url,
            "confidential": found.confidential, "restrictions": list(found.restrictions)}


def _shown(registration: Registration) -> dict[str, object]:
    shown: dict[str, object] = {**_described(registration.consumer), "client_secret": registration.secret}
    if registration.access_token is not None:
        shown["access_token"] = registration.access_token
    if registration.access_key is not None:
        # OAuth 1.0a's four values, named as pywikibot's and mwclient's settings name them.
        shown.update(consumer_token=registration.consumer.key, consumer_secret=registration.secret,
                     access_token=registration.access_key, access_secret=registration.access_secret)
    return shown


def _show(registration: Registration) -> None:
    shown = _shown(registration)
    say(shown, *(f"{key}: {value}" for key, value in shown.items()))


@consumer.command("create")
@click.argument("name")
@click.option("--owner", required=True, help="The user who owns the consumer.")
@click.option("--oauth-version", type=click.Choice(["1", "2"]), default="2", help="The protocol: 1 (1.0a) or 2.")
@click.option("--grants", default="basic", help="Comma-separated grants, e.g. basic,editpage,protect.")
@click.option("--owner-only", is_flag=True, help="Only the owner uses it: approved at once, with a token.")
@click.option("--callback", default="", help="The redirect URI (needed unless --owner-only).")
@click.option("--callback-is-prefix", is_flag=True,
              help="OAuth 1.0a: clients may ask for callbacks under the registered one.")
@click.option("--public", is_flag=True, help="A client that cannot keep a secret (PKCE required).")
@click.option("--grant-types", default="", help="Comma-separated: authorization_code,refresh_token,client_credentials.")
@click.option("--restrictions", default="", help="Comma-separated IP ranges the consumer may be used from.")
@click.option("--rsa-key", "rsa_key_file", type=click.File(), default=None,
              help="OAuth 1.0a: a PEM public key, to sign with RSA-SHA1 instead of the secret.")
@json_option
@click.pass_context
def consumer_create(ctx: click.Context, name: str, owner: str, oauth_version: str, grants: str, owner_only: bool,
                    callback: str, callback_is_prefix: bool, public: bool, grant_types: str, restrictions: str,
                    rsa_key_file: Any) -> None:
    """Register a consumer; prints its client id and secret (once) and, owner-only, a token."""

    async def work(services: Services) -> None:
        try:
            registration = await services.oauth.register(
                owner, name=name, grants=_split(grants), now=services.clock.now(), oauth_version=int(oauth_version),
                owner_only=owner_only, callback_url=callback, confidential=not public,
                grant_types=_split(grant_types) or None, restrictions=_split(restrictions),
                rsa_key=rsa_key_file.read() if rsa_key_file else "", callback_is_prefix=callback_is_prefix)
        except ValueError as error:
            fail(f"cannot create consumer {name!r}: {error}")
        _show(registration)

    run(settings_of(ctx), work)


@consumer.command("list")
@json_option
@click.pass_context
def consumer_list(ctx: click.Context) -> None:
    """List the consumers."""

    def lines(rows: list[Mapping[str, Any]]) -> None:
        for row in rows:
            click.echo(f"{row['client_id']}  {row['name']}  OAuth {row['oauth_version']}  {row['stage']}"
                       f"{'  owner-only' if row['owner_only'] else ''}  {','.join(row['grants'])}")

    async def work(services: Services) -> None:
        say_rows((_described(found) for found in await services.oauth.consumers()), lines)

    run(settings_of(ctx), work)


def _stage_command(command: str, stage: int, description: str) -> None:
    @consumer.command(command, help=description)
    @click.argument("client_id")
    @json_option
    @click.pass_context
    def change(ctx: click.Context, client_id: str) -> None:
        async def work(services: Services) -> None:
            try:
                found = await services.oauth.set_stage(client_id, stage)
            except ValueError as error:
                fail(str(error))
            say({"client_id": found.key, "name": found.name, "stage": STAGES[found.stage]},
                f"{found.key} ({found.name}): {STAGES[found.stage]}")

        run(settings_of(ctx), work)


_stage_command("approve", APPROVED, "Approve a proposed consumer: its users may then accept it.")
_stage_command("reject", REJECTED, "Reject a proposed consumer.")
_stage_command("disable", DISABLED, "Disable a consumer: its tokens stop working at once.")


@consumer.command("reset-secret")
@click.argument("client_id")
@json_option
@click.pass_context
def consumer_reset_secret(ctx: click.Context, client_id: str) -> None:
    """Give a consumer a new secret (and an owner-only one a new token; its old tokens end)."""

    async def work(services: Services) -> None:
        try:
            registration = await services.oauth.reset_secret(client_id, services.clock.now())
        except ValueError as error:
            fail(str(error))
        _show(registration)

    run(settings_of(ctx), work)


@oauth.command("revoke")
@click.argument("client_id")
@click.argument("user")
@json_option
@click.pass_context
def revoke(ctx: click.Context, client_id: str, user: str) -> None:
    """Withdraw USER's acceptance of a consumer: its tokens for USER stop working at once."""

    async def work(services: Services) -> None:
        try:
            done = await services.oauth.revoke(client_id, user)
        except ValueError as error:
            fail(str(error))
        say({"client_id": client_id, "user": user, "revoked": done},
            f"revoked {client_id} for {user}" if done else f"{user} had not accepted {client_id}")

    run(settings_of(ctx), work)


@oauth.command("token")
@click.argument("user")
@click.option("--consumer", "name", default="wikigate-ci", help="The owner-only consumer's name (made if missing).")
@click.option("--grants", default="basic,highvolume,editpage,createeditmovepage,protect,editprotected",
              help="Comma-separated grants of a consumer made now.")
@click.option("--oauth1", is_flag=True, help="OAuth 1.0a: consumer and access key/secret pairs instead.")
@click.pass_context
def token(ctx: click.Context, user: str, name: str, grants: str, oauth1: bool) -> None:
    """Print, as JSON, credentials for USER that never expire: an OAuth 2 access token (and its
    consumer's client id and secret) or, with --oauth1, OAuth 1.0a's four keys; from an owner-only
    consumer made for it, or renewed if it exists."""

    async def work(services: Services) -> None:
        now = services.clock.now()
        version = 1 if oauth1 else 2
        existing = [found for found in await services.oauth.consumers()
                    if found.name == name and found.owner_only and found.oauth_version == version]
        try:
            owner = await services.accounts.find(user)
            if owner is None:
                raise ValueError(f"no such user: {user}")
            mine = [found for found in existing if found.owner_id == owner.id]
            registration = (await services.oauth.reset_secret(mine[0].key, now) if mine else
                            await services.oauth.register(user, name=name, grants=_split(grants), now=now,
                                                          owner_only=True, oauth_version=version,
                                                          app_version=f"{version}.0"))
        except ValueError as error:
            fail(f"cannot make a token for {user!r}: {error}")
        click.echo(json.dumps(_shown(registration)))  # always JSON: this command exists for scripts

    run(settings_of(ctx), work)
