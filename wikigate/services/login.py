"""Logins, account creation, bot passwords and two-factor enrolment over the auth manager.

The API modules (clientlogin, login, createaccount, authmanagerinfo) and the
CLI (`wikigate botpassword …`, `wikigate user 2fa …`) both go through here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from wikigate.auth import totp
from wikigate.auth.hashing import PasswordFactory
from wikigate.auth.manager import AuthManager, Creator, NewAccount, StateStore
from wikigate.auth.providers import AuthEnvironment, LoginAccount
from wikigate.auth.providers.botpassword import (
    BotLogin,
    BotPasswordPrimary,
    ip_allowed,
    new_password,
    valid_app_id,
)
from wikigate.auth.providers.totp import accept_code, over_code_limit
from wikigate.clock import Clock
from wikigate.config import Settings
from wikigate.metrics import Metrics
from wikigate.randomness import Randomness
from wikigate.services.accounts import AccountError, Accounts, Actor
from wikigate.services.blocking import active_block
from wikigate.services.blocks import Blocks
from wikigate.services.users import User, effective_groups, rights_for_groups
from wikigate.store import botpasswords, oath, users
from wikigate.store.botpasswords import BotPasswordRecord
from wikigate.store.database import Database, Tx
from wikigate.store.kv import KeyValueStore
from wikigate.store.users import GroupMembership, UserRecord
from wikigate.titles import Namespaces

__all__ = ["BotPasswordRecord", "Enrolment", "Login"]


@dataclass(frozen=True, slots=True)
class Enrolment:
    secret: str
    uri: str
    recovery_codes: list[str]


class Login:
    def __init__(self, settings: Settings, database: Database, accounts: Accounts, kv: KeyValueStore,
                 hasher: PasswordFactory, namespaces: Namespaces, clock: Clock, random: Randomness,
                 metrics: Metrics, blocks: Blocks) -> None:
        self._settings = settings
        self._database = database
        self._accounts = accounts
        self._kv = kv
        self._hasher = hasher
        self._namespaces = namespaces
        self._clock = clock
        self._random = random
        self._metrics = metrics
        self._blocks = blocks

    # -- what the authentication providers need (auth.providers.AccountDirectory) --------

    async def login_account(self, name: str) -> LoginAccount | None:
        found = await users.find_for_login(self._database, name, self._clock.now())
        if found is None:
            return None
        record, memberships, autoblocking = found
        return LoginAccount(record, effective_groups(record, memberships, self._settings, self._clock.now()),
                            autoblocking)

    async def autoblock_login(self, account: LoginAccount, ip: str, now: float) -> None:
        if account.autoblocking:
            await self._blocks.autoblock_address(account.record.id, ip, now)

    async def login_account_by_id(self, user_id: int) -> LoginAccount | None:
        return self._login_account(await users.find_with_groups(self._database, user_id))

    def _login_account(self, found: tuple[UserRecord, list[GroupMembership]] | None) -> LoginAccount | None:
        if found is None:
            return None
        record, memberships = found
        return LoginAccount(record, effective_groups(record, memberships, self._settings, self._clock.now()))

    async def change_password(self, record: UserRecord, password: str) -> str:
        return await self._accounts.change_password(record, password)

    async def upgrade_hash(self, record: UserRecord, password: str) -> None:
        await self._accounts.upgrade_hash(record, password)

    async def is_blocked(self, account: LoginAccount, ip: str, now: float) -> bool:
        rights = rights_for_groups(account.groups, self._settings)
        user = User(id=account.record.id, name=account.record.name, record=account.record, groups=account.groups,
                    rights=frozenset(rights), rights_order=rights, ip=ip)
        return await self._database.read(lambda tx: active_block(tx, user, now)) is not None

    # -- flows ---------------------------------------------------------------------------

    def environment(self, *, ip: str, now: float) -> AuthEnvironment:
        return AuthEnvironment(settings=self._settings, accounts=self, database=self._database, kv=self._kv,
                               hasher=self._hasher, namespaces=self._namespaces, metrics=self._metrics,
                               ip=ip, now=now)

    def manager(self, state: StateStore, *, ip: str, now: float) -> AuthManager:
        return AuthManager(self.environment(ip=ip, now=now), state)

    async def create_user(self, account: NewAccount, creator: Creator) -> UserRecord | None:
        """Create the account with its `newusers` log entry; None when the name is taken."""
        try:
            return await self._accounts.create(
                account.name, account.password, email=account.email, real_name=account.real_name,
                creator=Actor(creator.id, creator.name), reason=account.reason)
        except AccountError:
            return None

    async def bot_password_login(self, full_name: str, password: str, *, ip: str, now: float) -> BotLogin:
        return await BotPasswordPrimary().login(self.environment(ip=ip, now=now), full_name, password)

    # -- administration (CLI) --------------------------------------------------------------

    async def create_bot_password(self, user_name: str, app_id: str, *, grants: Sequence[str],
                                  restrictions: Sequence[str] = (),
                                  password: str | None = None) -> tuple[BotPasswordRecord, str]:
        """A new bot password (generated unless given); the plain password is returned once and
        stored only as a hash."""
        record = await self._accounts.require(user_name)
        if not valid_app_id(app_id) or "@" in app_id:
            raise AccountError("botpasswords-bad-appid", app_id)
        self._check_bot_grants(grants, restrictions)
        plain = password or new_password(self._random)
        bot = BotPasswordRecord(user_id=record.id, app_id=app_id, password=await self._accounts.hash(plain),
                                grants=tuple(dict.fromkeys(grants)), restrictions=tuple(restrictions),
                                created=self._clock.seconds())

        def create(tx: Tx) -> None:
            if botpasswords.get(tx, record.id, app_id) is not None:
                raise AccountError("botpasswords-exists", app_id)
            botpasswords.insert(tx, bot)

        await self._database.write(create)
        return bot, plain

    async def update_bot_password(self, user_id: int, app_id: str, *, grants: Sequence[str],
                                  restrictions: Sequence[str], reset: bool) -> str | None:
        """Change a bot password's grants and address ranges and, with `reset`, give it a new password
        (returned once). Raises AccountError `botpasswords-not-exist` for an unknown one."""
        self._check_bot_grants(grants, restrictions)
        plain = new_password(self._random) if reset else None
        hashed = await self._accounts.hash(plain) if plain else None

        def save(tx: Tx) -> None:
            if not botpasswords.change(tx, user_id, app_id, grants=tuple(dict.fromkeys(grants)),
                                       restrictions=tuple(restrictions), password=hashed):
                raise AccountError("botpasswords-not-exist", app_id)

        await self._database.write(save)
        return plain

    def _check_bot_grants(self, grants: Sequence[str], restrictions: Sequence[str]) -> None:
        """Raises AccountError for an unknown grant, ValueError for a malformed address range."""
        unknown = [grant for grant in grants if grant not in self._settings.grant_permissions]
        if unknown:
            raise AccountError("botpasswords-bad-grants", ", ".join(unknown))
        for cidr in restrictions:
            ip_allowed("0.0.0.0", (cidr,))

    async def list_bot_passwords(self, user_name: str) -> list[BotPasswordRecord]:
        record = await self._accounts.require(user_name)
        return await self._database.read(lambda tx: botpasswords.for_user(tx, record.id))

    async def delete_bot_password(self, user_name: str, app_id: str) -> bool:
        record = await self._accounts.require(user_name)
        return await self._database.write(lambda tx: botpasswords.remove(tx, record.id, app_id))

    async def enable_two_factor(self, user_name: str, *, secret: str | None = None,
                                recovery_codes: Sequence[str] | None = None,
                                spent_step: int | None = None) -> Enrolment:
        """Enrol (or re-enrol) a user in TOTP; the secret and codes (generated unless given, as a
        test fixture gives them) are shown once. `spent_step`, the step of the code that confirmed
        the enrolment, is spent in the same unit: that code cannot also log in."""
        record = await self._accounts.require(user_name)
        secret = secret or totp.new_secret(self._random)
        codes = list(recovery_codes) if recovery_codes else totp.new_recovery_codes(self._random)
        hashes = [totp.hash_recovery_code(code) for code in codes]

        def enable(tx: Tx) -> None:
            oath.enable(tx, record.id, secret, hashes)
            if spent_step is not None:
                oath.accept_step(tx, record.id, spent_step)

        await self._database.write(enable)
        uri = totp.provisioning_uri(secret, account=record.name, issuer=self._settings.sitename)
        return Enrolment(secret=secret, uri=uri, recovery_codes=codes)

    def pending_two_factor(self, user_name: str, secret: str | None = None) -> Enrolment:
        """A secret (new unless given) to enrol with once a code from it is confirmed
        (`confirm_two_factor`); nothing is stored yet, and recovery codes come with the confirmation."""
        secret = secret or totp.new_secret(self._random)
        return Enrolment(secret=secret, recovery_codes=[],
                         uri=totp.provisioning_uri(secret, account=user_name, issuer=self._settings.sitename))

    async def confirm_two_factor(self, user_name: str, secret: str, code: str, now: float) -> Enrolment | None:
        """Enrol with `secret` if `code` is its current code (the step is spent, so the same code
        cannot log in); the enrolment with fresh recovery codes, or None for a wrong code."""
        record = await self._accounts.require(user_name)
        if await over_code_limit(self._kv, self._settings, record.id):
            return None
        step = totp.verify_code(secret, code, now=now, last_step=None)
        if step is None:
            return None
        return await self.enable_two_factor(user_name, secret=secret, spent_step=step)

    async def check_two_factor(self, user_id: int, code: str, now: float) -> bool:
        """Whether an enrolled user's code (or recovery code) holds, before a change to their
        two-factor settings; counted against the same limit as codes at login."""
        enrolment = await self._database.read(lambda tx: oath.get(tx, user_id))
        if enrolment is None or await over_code_limit(self._kv, self._settings, user_id):
            return False
        return await accept_code(self._database, enrolment, code, now)

    async def is_two_factor_enrolled(self, user_id: int) -> bool:
        return await oath.is_enrolled(self._database, user_id)

    async def disable_two_factor(self, user_name: str) -> bool:
        record = await self._accounts.require(user_name)
        return await self._database.write(lambda tx: oath.disable(tx, record.id))

    async def new_recovery_codes(self, user_name: str) -> list[str]:
        """Replace the recovery codes of an enrolled user; the old ones stop working."""
        record = await self._accounts.require(user_name)
        codes = totp.new_recovery_codes(self._random)
        hashes = [totp.hash_recovery_code(code) for code in codes]

        def replace(tx: Tx) -> None:
            if oath.get(tx, record.id) is None:
                raise AccountError("oathauth-not-enabled", record.name)
            oath.set_recovery_codes(tx, record.id, hashes)

        await self._database.write(replace)
        return codes
