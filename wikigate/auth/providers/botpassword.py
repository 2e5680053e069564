"""Bot passwords: `User@appid` with a generated password, for action=login only.

A bot password logs in to a session whose rights are cut down to the grants
chosen for it, from the IP ranges allowed for it. It never asks for a second
factor or a password change: it is meant for programs.
"""

from __future__ import annotations

import ipaddress
import re
import string
from dataclasses import dataclass

from wikigate import usernames
from wikigate.auth.providers import AuthEnvironment
from wikigate.auth.throttle import duration, password_attempt_throttle
from wikigate.messages import Message, RawText
from wikigate.randomness import Randomness
from wikigate.store import botpasswords
from wikigate.store.botpasswords import BotPasswordRecord
from wikigate.store.users import UserRecord

SEPARATOR = "@"
PASSWORD_LENGTH = 32
MAX_APP_ID_LENGTH = 32
# Generated bot passwords use these characters; anything else cannot be one.
_PASSWORD_SHAPE = re.compile(rf"[0-9a-w]{{{PASSWORD_LENGTH},}}")
_ALPHABET = "0123456789abcdefghijklmnopqrstuvw"


def new_password(random: Randomness) -> str:
    return random.string(_ALPHABET, PASSWORD_LENGTH)


def valid_app_id(app_id: str) -> bool:
    return 0 < len(app_id) <= MAX_APP_ID_LENGTH and all(c in string.printable and c not in " \t\r\n" for c in app_id)


def valid_bot_password(password: str) -> bool:
    """Whether a chosen bot password has the shape logins recognise a bot password by."""
    return _PASSWORD_SHAPE.fullmatch(password) is not None


def split_login(name: str, password: str) -> tuple[str, str] | None:
    """(`User@appid`, password) when the pair looks like a bot-password login, else None.

    Either the name carries the app id, or the password is given as
    `appid@password` (an old convention). Checking the length first keeps
    timing from telling much about the password.
    """
    if len(password) >= PASSWORD_LENGTH and SEPARATOR in name:
        return (name, password) if _PASSWORD_SHAPE.fullmatch(password) else None
    if len(password) > PASSWORD_LENGTH and SEPARATOR in password:
        app_id, _, secret = password.rpartition(SEPARATOR)
        if _PASSWORD_SHAPE.fullmatch(secret):
            return f"{name}{SEPARATOR}{app_id}", secret
    return None


def ip_allowed(ip: str, ranges: tuple[str, ...]) -> bool:
    if not ranges:
        return True
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    for cidr in ranges:
        network = ipaddress.ip_network(cidr, strict=False)
        if address.version == network.version and address in network:
            return True
    return False


@dataclass(frozen=True, slots=True)
class BotLogin:
    """The outcome: `bot` on success; otherwise `message`, and whether it is final.

    A failure that is not final lets action=login try the name and password as
    a main-account login instead, as MediaWiki does.
    """

    bot: BotPasswordRecord | None = None
    account: UserRecord | None = None
    message: Message | None = None
    final: bool = False


class BotPasswordPrimary:
    name = "bot-password"

    async def login(self, env: AuthEnvironment, full_name: str, password: str) -> BotLogin:
        if not env.settings.enable_bot_passwords:
            return BotLogin(message=Message("botpasswords-disabled"))
        user_part, _, app_id = full_name.partition(SEPARATOR)
        name = usernames.canonical_name(user_part, env.namespaces, rigor="usable")
        account = await env.accounts.login_account(name) if name else None
        if account is None:
            return BotLogin(message=Message("nosuchuser", (RawText(user_part),)))
        record = account.record
        throttle = password_attempt_throttle(env.kv, env.settings.password_attempt_throttle, env.metrics,
                                             kind="botpassword")
        hit = await throttle.hit(record.name, env.ip)
        if hit is not None:
            return BotLogin(message=Message("login-throttled", (duration(hit.seconds),)), final=True)
        bot = await env.database.read(lambda tx: botpasswords.get(tx, record.id, app_id))
        if bot is None:
            return BotLogin(message=Message("botpasswords-not-exist", (RawText(record.name), RawText(app_id))))
        if not ip_allowed(env.ip, bot.restrictions):
            return BotLogin(message=Message("botpasswords-restriction-failed"))
        if not bot.password:
            return BotLogin(message=Message("botpasswords-needs-reset", (RawText(record.name), RawText(app_id))),
                            final=True)
        if not await env.verify(password, bot.password):
            return BotLogin(message=Message("wrongpassword"))
        await throttle.clear(record.name, env.ip)
        if record.locked:
            # Told only to who knows the password, unlike MediaWiki, which tells anyone.
            return BotLogin(message=Message("botpasswords-locked"), final=True)
        await env.accounts.autoblock_login(account, env.ip, env.now)
        return BotLogin(bot=bot, account=record)
