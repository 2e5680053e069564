"""OAuth 1.0a as Extension:OAuth serves it: Special:OAuth/initiate, authorize, token and identify,
and api.php requests signed with an access token.

Signatures are HMAC-SHA1 over RFC 5849's base string (Authlib computes both);
the timestamp must be within five minutes of now and each nonce is accepted
once (kept in the key-value store until its timestamp is five minutes old),
checked in the extension's order: consumer, token, timestamp, nonce,
signature, address. Request tokens live ten minutes in the key-value store.
"""

from __future__ import annotations

import binascii
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlencode, urlsplit

from authlib.oauth1.rfc5849.rsa import verify_sha1
from authlib.oauth1.rfc5849.signature import construct_base_string, hmac_sha1_signature
from joserfc import jwt
from joserfc.jwk import OctKey

from wikigate.auth.providers.botpassword import ip_allowed
from wikigate.config import Settings
from wikigate.randomness import Randomness
from wikigate.services.oauth import InvalidAuthorization, OAuth, acting_user, granted_rights, profile, usable_by
from wikigate.services.users import User
from wikigate.store import oauth as store
from wikigate.store.database import Database, Tx
from wikigate.store.kv import KeyValueStore
from wikigate.store.oauth import Acceptance, Consumer

WINDOW = 300  # seconds a timestamp may be off, and a nonce is remembered past it
REQUEST_TOKEN_TTL = 600
_HEADER_PARAM = re.compile(r'(\w+)="([^"]*)"')


class OAuth1Error(Exception):
    """A refusal, with the extension's message key and the text clients read."""

    def __init__(self, key: str, text: str) -> None:
        self.key, self.text = key, text
        super().__init__(text)


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """What a signature covers: the method, the URL without its query, and every parameter (query,
    form body, and the Authorization header's oauth_* ones, still percent-encoded)."""

    method: str
    url: str
    params: list[tuple[str, str]]
    oauth: dict[str, str]

    @classmethod
    def of(cls, method: str, url: str, query: dict[str, str], form: dict[str, str],
           authorization: str) -> SignedRequest:
        header = dict(_HEADER_PARAM.findall(authorization)) if authorization[:6].lower() == "oauth " else {}
        oauth = {key: unquote(value) for key, value in header.items() if key.startswith("oauth_")}
        for source in (query, form):
            oauth.update({key: value for key, value in source.items() if key.startswith("oauth_")})
        params = [*query.items(), *form.items(), *((key, value) for key, value in header.items()
                                                   if key != "realm")]
        return cls(method, url, params, oauth)


def is_oauth1(authorization: str) -> bool:
    return authorization[:6].lower() == "oauth "


class OAuth1:
    def __init__(self, database: Database, settings: Settings, kv: KeyValueStore, random: Randomness,
                 oauth: OAuth) -> None:
        self._database = database
        self._settings = settings
        self._kv = kv
        self._random = random
        self._oauth = oauth  # for the secrets' derivation

    async def _check(self, request: SignedRequest, consumer: Consumer, token_secret: str, ip: str,
                     now: float) -> None:
        """Timestamp, nonce, signature and address, in the extension's order."""
        oauth = request.oauth
        version = oauth.get("oauth_version", "1.0")
        if version != "1.0":
            raise OAuth1Error("mwoauth-oauth-exception", f"OAuth version '{version}' not supported")
        stamp = oauth.get("oauth_timestamp", "")
        if not stamp.isdigit() or abs(int(stamp) - now) > WINDOW:
            raise OAuth1Error("mwoauth-oauth-exception", f"Expired timestamp, yours {stamp}, ours {int(now)}")
        nonce = oauth.get("oauth_nonce")
        if not nonce:
            raise OAuth1Error("mwoauth-oauth-exception", "Missing nonce parameter. The parameter is required")
        key = f"oauth1-nonce:{consumer.key}:{oauth.get('oauth_token', '')}:{nonce}"
        if await self._kv.incr(key, int(stamp) + WINDOW - now + 1) > 1:
            raise OAuth1Error("mwoauth-oauth-exception", f"Nonce already used: {nonce}")
        method = oauth.get("oauth_signature_method")
        if not method:
            raise OAuth1Error("mwoauth-oauth-exception", "No signature method parameter. This parameter is required")
        if method not in ("HMAC-SHA1", "RSA-SHA1"):
            raise OAuth1Error("mwoauth-oauth-exception",
                              f"Signature method '{method}' not supported try one of the following: HMAC-SHA1, "
                              "RSA-SHA1")
        base = construct_base_string(request.method, request.url, request.params)
        given = oauth.get("oauth_signature", "")
        if method == "RSA-SHA1":
            valid = bool(consumer.rsa_key) and _rsa_valid(given, base, consumer.rsa_key)
        else:
            valid = hmac.compare_digest(hmac_sha1_signature(base, self._oauth.secret(consumer.secret_seed),
                                                            token_secret), given)
        if not valid:
            raise OAuth1Error("mwoauth-oauth-exception", "Invalid signature")
        if consumer.restrictions and not ip_allowed(ip, consumer.restrictions):
            raise OAuth1Error("mwoauth-oauth-exception", "The request came from an invalid IP address.")

    async def _consumer(self, request: SignedRequest) -> Consumer:
        key = request.oauth.get("oauth_consumer_key")
        if not key:
            raise OAuth1Error("mwoauth-oauth-exception", "Invalid consumer key")
        consumer = await self._database.read(lambda tx: store.consumer_by_key(tx, key))
        if consumer is None or consumer.oauth_version != 1:
            raise OAuth1Error("mwoauth-oauth-exception", "Invalid consumer")
        return consumer

    # -- the handshake -------------------------------------------------------------------

    async def initiate(self, request: SignedRequest, ip: str, now: float) -> dict[str, str]:
        consumer = await self._consumer(request)
        if consumer.owner_only:
            raise OAuth1Error("mwoauthserver-consumer-owner-only",
                              "This consumer is for its owner only: use its access token.")
        callback = request.oauth.get("oauth_callback", "")
        if callback != "oob" and not consumer.callback_is_prefix:
            raise OAuth1Error("mwoauth-callback-not-oob", "oauth_callback must be set, and must be set to \"oob\"")
        if callback != "oob" and not callback_allowed(consumer.callback_url, callback):
            raise OAuth1Error("mwoauth-callback-not-oob-or-prefix",
                              "oauth_callback must be set, and must be set to \"oob\" (case-sensitive), or the "
                              "configured callback must be a prefix of the supplied callback")
        await self._check(request, consumer, "", ip, now)
        token, secret = self._random.token_hex(16), self._random.token_hex(16)
        state = {"consumer": consumer.key, "secret": secret, "callback": callback}
        await self._kv.set(f"oauth1-request:{token}", json.dumps(state), REQUEST_TOKEN_TTL)
        return {"oauth_token": token, "oauth_token_secret": secret, "oauth_callback_confirmed": "true"}

    async def pending(self, token: str) -> tuple[Consumer, dict[str, Any]]:
        """A request token awaiting the user's consent, and its consumer."""
        raw = await self._kv.get(f"oauth1-request:{token}")
        if raw is None:
            raise OAuth1Error("mwoauthdatastore-request-token-not-found", "The request token was not found.")
        state = json.loads(raw)
        consumer = await self._database.read(lambda tx: store.consumer_by_key(tx, state["consumer"]))
        if consumer is None:
            raise OAuth1Error("mwoauth-invalid-consumer-key", "No consumer has that key.")
        return consumer, state

    async def approve(self, user: User, token: str, now: float) -> str:
        """The user accepted: an access token for them, and where to send the browser (the
        consumer's callback, with the verifier)."""
        consumer, state = await self.pending(token)
        if state.get("verifier") or not usable_by(consumer, user.id):
            raise OAuth1Error("mwoauth-invalid-authorization-not-approved", "This request cannot be approved.")
        access, access_seed, verifier = (self._random.token_hex(16), self._random.token_hex(16),
                                         self._random.token_hex(16))
        await self._database.write(lambda tx: store.accept(
            tx, consumer.id, user.id, list(consumer.grants), now, access_token=access,
            access_secret_seed=access_seed))
        state.update(verifier=verifier, access=access)
        await self._kv.set(f"oauth1-request:{token}", json.dumps(state), REQUEST_TOKEN_TTL)
        target = consumer.callback_url if state["callback"] == "oob" else state["callback"]
        return target + ("&" if "?" in target else "?") + urlencode({"oauth_verifier": verifier,
                                                                     "oauth_token": token})

    async def exchange(self, request: SignedRequest, ip: str, now: float) -> dict[str, str]:
        consumer = await self._consumer(request)
        token = request.oauth.get("oauth_token", "")
        raw = await self._kv.get(f"oauth1-request:{token}")
        if raw is None:
            raise OAuth1Error("mwoauthdatastore-request-token-not-found", "The request token was not found.")
        state = json.loads(raw)
        if state["consumer"] != consumer.key:
            raise OAuth1Error("mwoauthdatastore-request-token-not-found", "The request token was not found.")
        if state.get("used"):
            raise OAuth1Error("mwoauthdatastore-request-token-already-used", "The request token was used already.")
        verifier = request.oauth.get("oauth_verifier", "")
        if not state.get("verifier") or not hmac.compare_digest(state["verifier"], verifier):
            raise OAuth1Error("mwoauthdatastore-bad-verifier", "The verification code given is not valid.")
        await self._check(request, consumer, state["secret"], ip, now)
        state["used"] = True
        await self._kv.set(f"oauth1-request:{token}", json.dumps(state), REQUEST_TOKEN_TTL)
        acceptance = await self._database.read(lambda tx: store.acceptance_by_access_token(tx, state["access"]))
        if acceptance is None or acceptance.access_secret_seed is None:
            raise OAuth1Error("mwoauthdatastore-request-token-not-found", "The request token was not found.")
        return {"oauth_token": state["access"], "oauth_token_secret": self._oauth.secret(acceptance.access_secret_seed)}

    # -- signed requests -----------------------------------------------------------------

    async def _signed(self, request: SignedRequest, ip: str, now: float) -> tuple[Consumer, Acceptance]:
        consumer = await self._consumer(request)
        token = request.oauth.get("oauth_token", "")
        acceptance = await self._database.read(lambda tx: store.acceptance_by_access_token(tx, token)) \
            if token else None
        if acceptance is None or acceptance.consumer_id != consumer.id or acceptance.access_secret_seed is None:
            raise OAuth1Error("mwoauth-oauth-exception", "No approved grant was found for that authorization token.")
        await self._check(request, consumer, self._oauth.secret(acceptance.access_secret_seed), ip, now)
        return consumer, acceptance

    async def identify(self, request: SignedRequest, ip: str, now: float) -> str:
        """Special:OAuth/identify: who the token's user is, as a JWT signed with the consumer's secret."""
        consumer, acceptance = await self._signed(request, ip, now)
        claims = await self._database.read(lambda tx: self._identity(tx, consumer, acceptance, now))
        claims.update(iss=self._settings.public_server, aud=consumer.key, exp=int(now) + 100, iat=int(now),
                      nonce=request.oauth.get("oauth_nonce", ""))
        return jwt.encode({"alg": "HS256", "typ": "JWT"}, claims,
                          OctKey.import_key(self._oauth.secret(consumer.secret_seed)))

    def _identity(self, tx: Tx, consumer: Consumer, acceptance: Acceptance, now: float) -> dict[str, Any]:
        try:
            user = acting_user(tx, self._settings, acceptance.user_id, "", now)
        except InvalidAuthorization as refused:
            raise OAuth1Error(refused.key, "The user is missing, locked or blocked.") from None
        assert user.record is not None
        return profile(tx, self._settings, user.record, acceptance.grants, now)

    async def authenticate(self, request: SignedRequest, ip: str, now: float) -> tuple[User, str]:
        """The user an api.php request signed with an access token acts for, and its session key."""
        try:
            consumer, acceptance = await self._signed(request, ip, now)
        except OAuth1Error as error:
            raise InvalidAuthorization("mwoauth-invalid-authorization", error.text) from None

        user = await self._database.read(lambda tx: acting_user(tx, self._settings, acceptance.user_id, ip, now))
        if not usable_by(consumer, user.id):
            raise InvalidAuthorization("mwoauth-invalid-authorization-not-approved", consumer.name)
        rights = granted_rights(user, acceptance.grants, self._settings)
        return user.with_oauth(consumer.id, acceptance.grants, rights), f"1{acceptance.access_token}"


def _rsa_valid(signature: str, base: str, public_pem: str) -> bool:
    """An RSA-SHA1 signature (base64) of the base string, by the consumer's registered key."""
    try:
        return bool(verify_sha1(binascii.a2b_base64(signature.encode()), base.encode(), public_pem))
    except (ValueError, binascii.Error):
        return False


def callback_allowed(registered: str, given: str) -> bool:
    """Whether a consumer registered with a callback prefix may ask for `given` (the extension's
    rules): the same host, http only ever upgraded to https, the same port (a registered port 1 takes
    any), and a path and query that begin with the registered ones (the path exactly when the
    registered URL has a query)."""
    want, got = urlsplit(registered), urlsplit(given)
    if not got.scheme or not got.hostname or want.hostname != got.hostname:
        return False
    if (want.scheme, got.scheme) not in (("http", "http"), ("https", "https"), ("http", "https")):
        return False
    if want.port != 1 and want.port != got.port:  # the ports as written: an upgrade keeps "none"
        return False
    if want.query:
        return got.path == want.path and got.query.startswith(want.query)
    return got.path.startswith(want.path)

