"""Logins, account creation, bot passwords and two-factor enrolment over the auth manager.

The API modules (clientlogin, login, createaccount, authmanagerinfo) and the
CLI (`wikigate botpassword …`, `wikigate user 2fa …`) both go through here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wikigate import usernames
from wikigate.auth import totp
from wikigate.auth.manager import AuthManager, Creator, NewAccount, StateStore
from wikigate.auth.providers import AuthEnvironment
from wikigate.auth.providers.botpassword import (
    BotLogin,
    BotPasswordPrimary,
    ip_allowed,
    new_password,
    valid_app_id,
)
from wikigate.services.accounts import AccountError, create_account, set_password
from wikigate.services.users import effective_groups
from wikigate.store.botpasswords import BotPasswordRecord, BotPasswordRepository
from wikigate.store.oath import OathRepository
from wikigate.store.schema import logging as logging_table
from wikigate.store.users import UserRecord

if TYPE_CHECKING:
    from wikigate.app import Services

USER_NAMESPACE = 2


def environment(services: Services, *, ip: str, now: float) -> AuthEnvironment:
    async def groups_of(record: UserRecord) -> tuple[str, ...]:
        return effective_groups(record, await services.users.groups(record.id), services.settings, now)

    async def change(record: UserRecord, password: str) -> None:
        await change_password(services, record, password)

    return AuthEnvironment(
        settings=services.settings, users=services.users, oath=OathRepository(services.engine, services.direct),
        bot_passwords=BotPasswordRepository(services.engine, services.direct), kv=services.kv, hasher=services.hasher,
        namespaces=services.namespaces, ip=ip, now=now, groups_of=groups_of, change_password=change,
    )


def auth_manager(services: Services, state: StateStore, *, ip: str, now: float) -> AuthManager:
    return AuthManager(environment(services, ip=ip, now=now), state)


async def change_password(services: Services, record: UserRecord, password: str) -> None:
    """A new main password: other sessions end and bot passwords must be reset, as in MediaWiki."""
    await set_password(services, record, password)
    await BotPasswordRepository(services.engine).invalidate_all(record.id)


async def create_user(services: Services, account: NewAccount, creator: Creator) -> UserRecord | None:
    """Create the account and write its `newusers` log entry; None when the name is taken."""
    try:
        record = await create_account(services, account.name, account.password, email=account.email,
                                      real_name=account.real_name)
    except AccountError:
        return None
    by_self = creator.is_anon
    async with services.engine.begin() as connection:
        await connection.execute(logging_table.insert().values(
            type="newusers", action="create" if by_self else "create2", timestamp=services.clock.now(),
            user_id=record.id if by_self else creator.id, user_text=record.name if by_self else creator.name,
            namespace=USER_NAMESPACE, title=record.name.replace(" ", "_"), page_id=None,
            comment=account.reason, params={"4::userid": record.id},
        ))
    return record


async def bot_password_login(services: Services, full_name: str, password: str, *, ip: str,
                             now: float) -> BotLogin:
    return await BotPasswordPrimary().login(environment(services, ip=ip, now=now), full_name, password)


# -- administration (CLI) -------------------------------------------------------


async def _user(services: Services, name: str) -> UserRecord:
    canonical = usernames.canonical_name(name, services.namespaces, rigor="valid")
    record = await services.users.by_name(canonical) if canonical else None
    if record is None:
        raise AccountError("nosuchuser", name)
    return record


async def create_bot_password(services: Services, user_name: str, app_id: str, *, grants: Sequence[str],
                              restrictions: Sequence[str] = ()) -> tuple[BotPasswordRecord, str]:
    """A new bot password; the plain password is returned once and stored only as a hash."""
    record = await _user(services, user_name)
    if not valid_app_id(app_id) or "@" in app_id:
        raise AccountError("botpasswords-bad-appid", app_id)
    unknown = [grant for grant in grants if grant not in services.settings.grant_permissions]
    if unknown:
        raise AccountError("botpasswords-bad-grants", ", ".join(unknown))
    for cidr in restrictions:
        ip_allowed("0.0.0.0", (cidr,))  # raises ValueError for a malformed range
    repository = BotPasswordRepository(services.engine)
    if await repository.get(record.id, app_id) is not None:
        raise AccountError("botpasswords-exists", app_id)
    plain = new_password()
    stored = await asyncio.to_thread(services.hasher.hash, plain)
    bot = BotPasswordRecord(user_id=record.id, app_id=app_id, password=stored,
                            grants=tuple(dict.fromkeys(grants)), restrictions=tuple(restrictions),
                            created=services.clock.now())
    await repository.create(bot)
    return bot, plain


async def list_bot_passwords(services: Services, user_name: str) -> list[BotPasswordRecord]:
    record = await _user(services, user_name)
    return await BotPasswordRepository(services.engine).for_user(record.id)


async def delete_bot_password(services: Services, user_name: str, app_id: str) -> bool:
    record = await _user(services, user_name)
    return await BotPasswordRepository(services.engine).delete(record.id, app_id)


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    uri: str
    recovery_codes: list[str]


async def enable_two_factor(services: Services, user_name: str) -> Enrolment:
    """Enrol (or re-enrol) a user in TOTP; the secret and codes are shown once."""
    record = await _user(services, user_name)
    secret = totp.new_secret()
    codes = totp.new_recovery_codes()
    await OathRepository(services.engine).enable(record.id, secret, [totp.hash_recovery_code(c) for c in codes])
    uri = totp.provisioning_uri(secret, account=record.name, issuer=services.settings.sitename)
    return Enrolment(secret=secret, uri=uri, recovery_codes=codes)


async def disable_two_factor(services: Services, user_name: str) -> bool:
    record = await _user(services, user_name)
    return await OathRepository(services.engine).disable(record.id)


async def new_recovery_codes(services: Services, user_name: str) -> list[str]:
    """Replace the recovery codes of an enrolled user; the old ones stop working."""
    record = await _user(services, user_name)
    repository = OathRepository(services.engine)
    if await repository.get(record.id) is None:
        raise AccountError("oathauth-not-enabled", record.name)
    codes = totp.new_recovery_codes()
    await repository.set_recovery_codes(record.id, [totp.hash_recovery_code(c) for c in codes])
    return codes
