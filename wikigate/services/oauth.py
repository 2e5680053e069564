"""OAuth as MediaWiki's Extension:OAuth (the version for 1.39) serves it: consumers, OAuth 2 tokens,
and api.php requests made with them.

Consumers are registered by the command line (and, later, by their owners);
an owner-only one is approved and accepted for its owner at once and, for
OAuth 2, comes with an access token that never expires. The token endpoint
answers the three grants the extension allows (`authorization_code` with
PKCE, `refresh_token` with rotation, `client_credentials`) with
league/oauth2-server's error answers. A bearer token on api.php acts as its
user with the rights its grants allow and no more; a revoked token, a
disabled consumer, a locked account stop working on the next request.
Secrets, codes and token ids are kept as keyed hashes only.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from authlib.oauth2.rfc7636 import create_s256_code_challenge

from wikigate.auth.oauthtokens import BadToken, TokenSigner
from wikigate.auth.providers.botpassword import ip_allowed
from wikigate.config import Settings
from wikigate.randomness import Randomness
from wikigate.services.blocking import active_block
from wikigate.services.users import User, build_user, restrict_to_grants
from wikigate.store import oauth as store
from wikigate.store import users as user_store
from wikigate.store.database import Database, Tx
from wikigate.store.oauth import APPROVED, PROPOSED, Acceptance, Consumer
from wikigate.store.users import UserRecord
from wikigate.timeutil import to_mw

# How MediaWiki names Extension:OAuth's session provider in messages (mwn matches the wording).
SESSION_PROVIDER = "MediaWiki\\Extension\\OAuth\\SessionProvider"
GRANT_TYPES = ("authorization_code", "refresh_token", "client_credentials")
# Grants that only identify the user: they carry no right at all, not even reading through api.php.
AUTH_ONLY = ("mwoauth-authonly", "mwoauth-authonlyprivate")
ACCESS_TTL = 3600  # $wgOAuth2GrantExpirationInterval
# $wgOAuth2RefreshTokenTTL: a month, as this project's issue asks (1.39's default is one minute).
REFRESH_TTL = 30 * 86400
CODE_TTL = 600
# An owner-only consumer's own token "never" expires: 1000 years, as the extension writes it.
NEVER = 1000 * 365 * 86400
_VERIFIER = re.compile(r"[A-Za-z0-9\-._~]{43,128}")

_DESCRIPTIONS = {
    "invalid_request": "The request is missing a required parameter, includes an invalid parameter value, "
                       "includes a parameter more than once, or is otherwise malformed.",
    "invalid_client": "Client authentication failed",
    "invalid_scope": "The requested scope is invalid, unknown, or malformed",
    "invalid_grant": "The provided authorization grant (e.g., authorization code, resource owner credentials) or "
                     "refresh token is invalid, expired, revoked, does not match the redirection URI used in the "
                     "authorization request, or was issued to another client.",
    "unsupported_grant_type": "The authorization grant type is not supported by the authorization server.",
    "access_denied": "The resource owner or authorization server denied the request.",
    "unauthorized_client": "The client is not authorized to request an authorization code using this method.",
}


class OAuthError(Exception):
    """An OAuth 2 error answer, as league/oauth2-server (the extension's library) words it."""

    def __init__(self, error: str, *, status: int = 400, hint: str | None = None,
                 description: str | None = None) -> None:
        self.error, self.status, self.hint = error, status, hint
        self.description = description or _DESCRIPTIONS[error]
        super().__init__(error)

    def body(self) -> dict[str, str]:
        body = {"error": self.error, "error_description": self.description}
        if self.hint:
            body["hint"] = self.hint
        body["message"] = self.description
        return body


class InvalidAuthorization(Exception):
    """Credentials api.php cannot accept: MediaWiki's mwoauth-invalid-authorization family."""

    def __init__(self, key: str, detail: str = "") -> None:
        self.key, self.detail = key, detail
        super().__init__(key)


@dataclass(frozen=True, slots=True)
class Registration:
    """What registering a consumer gives its owner once: the secret and, for an owner-only
    consumer, the credentials to use at once."""

    consumer: Consumer
    secret: str
    access_token: str | None = None  # OAuth 2: a token that never expires
    access_key: str | None = None  # OAuth 1.0a: the owner's access token and its secret
    access_secret: str | None = None


@dataclass(frozen=True, slots=True)
class Issued:
    access_token: str
    expires_in: int
    refresh_token: str | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"token_type": "Bearer", "expires_in": self.expires_in,
                                "access_token": self.access_token}
        if self.refresh_token is not None:
            body["refresh_token"] = self.refresh_token
        return body


@dataclass(frozen=True, slots=True)
class Authorized:
    """An api.php request made with a valid bearer token: its user, and the session bound to the token."""

    user: User
    session_key: str


class OAuth:
    def __init__(self, database: Database, settings: Settings, signer: TokenSigner, random: Randomness) -> None:
        self._database = database
        self._settings = settings
        self._signer = signer
        self._random = random

    def _hash(self, value: str) -> str:
        """Codes and token ids at rest: keyed, so a stolen table yields nothing to present."""
        return hmac.new(self._settings.secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()

    def secret(self, seed: str) -> str:
        """A consumer's (or OAuth 1.0a access token's) secret, derived from its stored seed with the
        wiki's key as the extension derives it: 40 hex digits."""
        return hmac.new(self._settings.secret_key.encode(), seed.encode(), hashlib.sha1).hexdigest()

    # -- consumers ------------------------------------------------------------------------

    async def register(self, owner_name: str, *, name: str, grants: list[str], now: float,
                       oauth_version: int = 2, owner_only: bool = False, callback_url: str = "",
                       confidential: bool = True, grant_types: list[str] | None = None,
                       restrictions: list[str] | None = None, description: str = "",
                       app_version: str = "1.0", rsa_key: str = "",
                       callback_is_prefix: bool = False) -> Registration:
        """Register a consumer; an owner-only one is approved and accepted at once."""
        unknown = [grant for grant in grants if grant not in self._settings.grant_permissions
                   and grant not in AUTH_ONLY]
        if unknown:
            raise ValueError(f"unknown grants: {', '.join(unknown)}")
        if grant_types is None:
            grant_types = ["client_credentials"] if owner_only else ["authorization_code", "refresh_token"]
        if any(kind not in GRANT_TYPES for kind in grant_types):
            raise ValueError(f"grant types are {', '.join(GRANT_TYPES)}")
        if owner_only and oauth_version == 2 and grant_types != ["client_credentials"]:
            raise ValueError("an owner-only OAuth 2 consumer allows client_credentials only")
        if not owner_only and not callback_url:
            raise ValueError("a consumer used by others needs a callback URL")
        for cidr in restrictions or []:
            ip_allowed("0.0.0.0", (cidr,))  # raises ValueError for a malformed range
        if rsa_key and (oauth_version != 1 or not rsa_key.lstrip().startswith("-----BEGIN PUBLIC KEY-----")):
            raise ValueError("an RSA key is an OAuth 1.0a consumer's public key, in PEM")
        if not any(grant in AUTH_ONLY for grant in grants):
            grants = ["basic", *(grant for grant in grants if grant != "basic")]
        seed = self._random.token_hex(16)

        def work(tx: Tx) -> Registration:
            owner = user_store.by_name(tx, owner_name)
            if owner is None:
                raise ValueError(f"no such user: {owner_name}")
            consumer_id = store.insert_consumer(
                tx, key=self._random.token_hex(16), name=name, app_version=app_version,
                oauth_version=oauth_version, owner_id=owner.id, owner_only=owner_only, description=description,
                callback_url=callback_url, callback_is_prefix=callback_is_prefix and oauth_version == 1,
                grants=list(dict.fromkeys(grants)),
                restrictions=list(restrictions or ()), secret_seed=seed, rsa_key=rsa_key, confidential=confidential,
                oauth2_grant_types=grant_types, stage=APPROVED if owner_only else PROPOSED, registered=now)
            consumer = store.consumer_by_id(tx, consumer_id)
            assert consumer is not None
            return self._owner_credentials(tx, consumer, owner, now) if owner_only else Registration(
                consumer, self.secret(seed))

        return await self._database.write(work)

    def _owner_credentials(self, tx: Tx, consumer: Consumer, owner: UserRecord, now: float) -> Registration:
        """An owner-only consumer's acceptance by its owner, with what the owner uses at once: an
        OAuth 2 token that never expires, or an OAuth 1.0a access token and secret."""
        if consumer.oauth_version == 2:
            acceptance_id = store.accept(tx, consumer.id, owner.id, list(consumer.grants), now)
            token, _ = self._issue_access(tx, consumer, owner.id, acceptance_id, list(consumer.grants), now, ttl=None)
            return Registration(consumer, self.secret(consumer.secret_seed), token)
        access, access_seed = self._random.token_hex(16), self._random.token_hex(16)
        store.accept(tx, consumer.id, owner.id, list(consumer.grants), now, access_token=access,
                     access_secret_seed=access_seed)
        return Registration(consumer, self.secret(consumer.secret_seed), access_key=access,
                            access_secret=self.secret(access_seed))

    async def consumers_of(self, owner_id: int) -> list[Consumer]:
        return await self._database.read(lambda tx: store.consumers(tx, owner_id))

    async def accepted_by(self, user_id: int) -> list[tuple[Consumer, Acceptance]]:
        return await self._database.read(lambda tx: store.accepted_by(tx, user_id))

    async def consumers(self) -> list[Consumer]:
        return await self._database.read(lambda tx: store.consumers(tx))

    async def set_stage(self, key: str, stage: int) -> Consumer:
        """Approve, reject or disable a consumer; tokens of a consumer no longer approved stop working."""
        def work(tx: Tx) -> Consumer:
            consumer = store.consumer_by_key(tx, key)
            if consumer is None:
                raise ValueError(f"no such consumer: {key}")
            store.update_consumer(tx, consumer.id, stage=stage)
            found = store.consumer_by_id(tx, consumer.id)
            assert found is not None
            return found
        return await self._database.write(work)

    async def reset_secret(self, key: str, now: float) -> Registration:
        """A new secret; an owner-only consumer also gets new credentials, and its old ones end."""
        seed = self._random.token_hex(16)

        def work(tx: Tx) -> Registration:
            consumer = store.consumer_by_key(tx, key)
            if consumer is None:
                raise ValueError(f"no such consumer: {key}")
            store.update_consumer(tx, consumer.id, secret_seed=seed)
            renewed = replace(consumer, secret_seed=seed)
            if not consumer.owner_only:
                return Registration(renewed, self.secret(seed))
            store.revoke_consumer_tokens(tx, consumer.id)
            owner = user_store.by_id(tx, consumer.owner_id)
            assert owner is not None
            return self._owner_credentials(tx, renewed, owner, now)
        return await self._database.write(work)

    async def revoke(self, key: str, user_name: str) -> bool:
        """A user's acceptance of a consumer withdrawn: every token it gave stops working."""
        def work(tx: Tx) -> bool:
            consumer = store.consumer_by_key(tx, key)
            user = user_store.by_name(tx, user_name)
            if consumer is None or user is None:
                raise ValueError(f"no such consumer or user: {key}, {user_name}")
            found = store.acceptance(tx, consumer.id, user.id)
            if found is None:
                return False
            store.revoke_acceptance(tx, found.id)
            return True
        return await self._database.write(work)

    # -- tokens -----------------------------------------------------------------------------

    def _issue_access(self, tx: Tx, consumer: Consumer, user_id: int, acceptance_id: int | None,
                      scopes: list[str], now: float, *, ttl: int | None = ACCESS_TTL) -> tuple[str, str]:
        """A signed access token, and the hash its row is kept under (a refresh token names it)."""
        jti = self._random.token_hex(40)
        expiry = now + (ttl if ttl is not None else NEVER)
        id_hash = self._hash(jti)
        store.insert_token(tx, id_hash=id_hash, kind="access", acceptance_id=acceptance_id,
                           consumer_id=consumer.id, user_id=user_id, scopes=scopes,
                           expires=None if ttl is None else expiry)
        return self._signer.sign({"aud": consumer.key, "jti": jti, "iat": int(now), "nbf": int(now),
                                  "exp": int(expiry), "sub": str(user_id) if user_id else "", "scopes": scopes}), id_hash

    def _issue_pair(self, tx: Tx, consumer: Consumer, user_id: int, acceptance_id: int | None,
                    scopes: list[str], now: float) -> Issued:
        access, access_hash = self._issue_access(tx, consumer, user_id, acceptance_id, scopes, now)
        refresh = self._random.token_urlsafe(48)
        store.insert_token(tx, id_hash=self._hash(refresh), kind="refresh", acceptance_id=acceptance_id,
                           consumer_id=consumer.id, user_id=user_id, scopes=scopes, expires=now + REFRESH_TTL,
                           parent=access_hash)
        return Issued(access, ACCESS_TTL, refresh)

    async def exchange(self, form: dict[str, str], basic: tuple[str, str] | None, now: float) -> Issued:
        """The token endpoint (rest.php/oauth2/access_token)."""
        grant_type = form.get("grant_type")
        if not grant_type:
            raise OAuthError("invalid_request", hint="Check the `grant_type` parameter")
        if grant_type not in GRANT_TYPES:
            raise OAuthError("unsupported_grant_type", hint="Check that all required parameters have been provided")
        client_id = form.get("client_id") or (basic[0] if basic else None)
        secret = form.get("client_secret") or (basic[1] if basic else None)
        if not client_id:
            raise OAuthError("invalid_request", hint="Check the `client_id` parameter")
        return await self._database.write(
            lambda tx: self._exchange(tx, grant_type, client_id, secret, form, now))

    def _client(self, tx: Tx, client_id: str, secret: str | None, grant_type: str, *,
                need_secret: bool) -> Consumer:
        consumer = store.consumer_by_key(tx, client_id)
        if consumer is None or consumer.oauth_version != 2:
            raise OAuthError("invalid_client", status=401)
        if need_secret or consumer.confidential:
            if not secret or not hmac.compare_digest(self.secret(consumer.secret_seed), secret):
                raise OAuthError("invalid_client", status=401)
            if grant_type not in consumer.oauth2_grant_types:
                raise OAuthError("invalid_client", status=401)
        return consumer

    def _exchange(self, tx: Tx, grant_type: str, client_id: str, secret: str | None, form: dict[str, str],
                  now: float) -> Issued:
        if grant_type == "client_credentials":
            consumer = self._client(tx, client_id, secret, grant_type, need_secret=True)
            if not consumer.confidential:
                raise OAuthError("invalid_client", status=401)
            scopes = self._scopes(consumer, form.get("scope"))
            owner = consumer.owner_id if consumer.owner_only else 0
            acceptance = store.acceptance(tx, consumer.id, owner) if owner else None
            access, _ = self._issue_access(tx, consumer, owner, acceptance.id if acceptance else None, scopes, now)
            return Issued(access, ACCESS_TTL)
        if grant_type == "authorization_code":
            consumer = self._client(tx, client_id, secret, grant_type, need_secret=False)
            return self._redeem_code(tx, consumer, form, now)
        consumer = self._client(tx, client_id, secret, grant_type, need_secret=True)
        return self._refresh(tx, consumer, form, now)

    def _scopes(self, consumer: Consumer, requested: str | None) -> list[str]:
        """Requested scopes (space-separated; none or `#default`: all the consumer's grants), each of
        them known, kept to those the consumer has."""
        if not requested or requested.strip() == "#default":
            return list(consumer.grants)
        wanted = [scope for scope in requested.split(" ") if scope]
        for scope in wanted:
            if scope != "#default" and scope not in self._settings.grant_permissions and scope not in AUTH_ONLY:
                raise OAuthError("invalid_scope", hint=f"Check the `{scope}` scope")
        expanded = list(consumer.grants) if "#default" in wanted else wanted
        return [scope for scope in dict.fromkeys(expanded) if scope in consumer.grants]

    def _redeem_code(self, tx: Tx, consumer: Consumer, form: dict[str, str], now: float) -> Issued:
        code = form.get("code")
        if not code:
            raise OAuthError("invalid_request", hint="Check the `code` parameter")
        found = store.token(tx, self._hash(code), "code")
        if found is None:
            raise OAuthError("invalid_request", hint="Cannot decrypt the authorization code")
        if found.expires is not None and found.expires <= now:
            raise OAuthError("invalid_request", hint="Authorization code has expired")
        if found.revoked:
            raise OAuthError("invalid_request", hint="Authorization code has been revoked")
        if found.consumer_id != consumer.id:
            raise OAuthError("invalid_request", hint="Authorization code was not issued to this client")
        if found.redirect_uri and form.get("redirect_uri") != found.redirect_uri:
            raise OAuthError("invalid_request", hint="Invalid redirect URI")
        if found.challenge:
            verifier = form.get("code_verifier")
            if not verifier:
                raise OAuthError("invalid_request", hint="Check the `code_verifier` parameter")
            if not _VERIFIER.fullmatch(verifier):
                raise OAuthError("invalid_request", hint="Code Verifier must follow the specifications of RFC-7636.")
            expected = create_s256_code_challenge(verifier) if found.challenge_method == "S256" else verifier
            if not hmac.compare_digest(expected, found.challenge):
                raise OAuthError("invalid_grant", hint="Failed to verify `code_verifier`.")
        # Single use: a code presented twice is refused the second time.
        store.revoke_token(tx, found.id_hash)
        acceptance = store.acceptance_by_id(tx, found.acceptance_id) if found.acceptance_id else None
        if acceptance is None:
            raise OAuthError("invalid_request", hint="Authorization code has been revoked")
        scopes = [scope for scope in found.scopes if scope in acceptance.grants]
        return self._issue_pair(tx, consumer, found.user_id, acceptance.id, scopes, now)

    def _refresh(self, tx: Tx, consumer: Consumer, form: dict[str, str], now: float) -> Issued:
        presented = form.get("refresh_token")
        if not presented:
            raise OAuthError("invalid_request", hint="Check the `refresh_token` parameter")

        def invalid(hint: str) -> OAuthError:
            return OAuthError("invalid_request", status=401, hint=hint, description="The refresh token is invalid.")

        found = store.token(tx, self._hash(presented), "refresh")
        if found is None:
            raise invalid("Cannot decrypt the refresh token")
        if found.consumer_id != consumer.id:
            raise invalid("Token is not linked to client")
        if found.expires is not None and found.expires <= now:
            raise invalid("Token has expired")
        if found.revoked or found.acceptance_id is None or store.acceptance_by_id(tx, found.acceptance_id) is None:
            raise invalid("Token has been revoked")
        scopes = list(found.scopes)
        if form.get("scope"):
            asked = [scope for scope in form["scope"].split(" ") if scope]
            for scope in asked:
                if scope not in found.scopes:
                    raise OAuthError("invalid_scope", hint=f"Check the `{scope}` scope")
            scopes = asked
        # Rotation: the old pair ends as the new one is issued.
        store.revoke_token(tx, found.id_hash)
        if found.parent:
            store.revoke_token(tx, found.parent)
        return self._issue_pair(tx, consumer, found.user_id, found.acceptance_id, scopes, now)

    # -- the consent step ------------------------------------------------------------------

    async def check_authorization_request(self, params: dict[str, str]) -> tuple[Consumer, list[str]]:
        """Validate rest.php/oauth2/authorize's parameters: the consumer and the scopes asked for."""
        if params.get("response_type") != "code":
            raise OAuthError("invalid_request", hint="Check the `response_type` parameter")
        client_id = params.get("client_id")
        if not client_id:
            raise OAuthError("invalid_request", hint="Check the `client_id` parameter")
        consumer = await self._database.read(lambda tx: store.consumer_by_key(tx, client_id))
        if consumer is None or consumer.oauth_version != 2 or "authorization_code" not in consumer.oauth2_grant_types:
            raise OAuthError("invalid_client", status=401)
        redirect = params.get("redirect_uri")
        if (redirect and redirect != consumer.callback_url) or not consumer.callback_url:
            raise OAuthError("invalid_client", status=401)
        challenge = params.get("code_challenge")
        if challenge is not None:
            if params.get("code_challenge_method", "plain") not in ("plain", "S256"):
                raise OAuthError("invalid_request", hint="Code challenge method must be one of `plain` or `S256`")
            if not _VERIFIER.fullmatch(challenge):
                raise OAuthError("invalid_request",
                                 hint="Code challenge must follow the specifications of RFC-7636.")
        elif not consumer.confidential:
            raise OAuthError("invalid_request", hint="Code challenge must be provided for public clients")
        return consumer, self._scopes(consumer, params.get("scope"))

    async def approve(self, user: User, consumer: Consumer, scopes: list[str], params: dict[str, str],
                      now: float) -> str:
        """The user accepted: record it and give the redirect (with a code) to send the browser to."""
        if not usable_by(consumer, user.id):
            raise OAuthError("access_denied", status=401)
        code = self._random.token_urlsafe(32)

        def work(tx: Tx) -> None:
            acceptance_id = store.accept(tx, consumer.id, user.id, scopes, now)
            store.insert_token(tx, id_hash=self._hash(code), kind="code", acceptance_id=acceptance_id,
                               consumer_id=consumer.id, user_id=user.id, scopes=scopes, expires=now + CODE_TTL,
                               redirect_uri=params.get("redirect_uri"), challenge=params.get("code_challenge"),
                               challenge_method=params.get("code_challenge_method", "plain")
                               if params.get("code_challenge") else None)
        await self._database.write(work)
        return _with_query(params.get("redirect_uri") or consumer.callback_url,
                           {"code": code, **({"state": params["state"]} if params.get("state") else {})})

    # -- resources -------------------------------------------------------------------------

    async def resource(self, token: str, kind: str, now: float) -> dict[str, Any]:
        """rest.php/oauth2/resource/profile (who the token's user is) or /scopes (the consumer's grants)."""
        try:
            claims = self._signer.verify(token, now)
        except BadToken:
            raise OAuthError("access_denied", status=401, hint="Access token could not be verified") from None
        if kind not in ("profile", "scopes"):
            raise OAuthError("invalid_request", status=404, hint="Check the resource type")
        return await self._database.read(lambda tx: self._resource(tx, claims, kind, now))

    def _resource(self, tx: Tx, claims: dict[str, Any], kind: str, now: float) -> dict[str, Any]:
        found = store.token(tx, self._hash(str(claims["jti"])), "access")
        if found is None or found.revoked:
            raise OAuthError("access_denied", status=401, hint="Access token has been revoked")
        consumer = store.consumer_by_id(tx, found.consumer_id)
        if consumer is None:
            raise OAuthError("access_denied", status=403, hint="Client represented by given access token is invalid")
        if kind == "scopes":
            return {"scopes": list(consumer.grants)}
        record = user_store.by_id(tx, found.user_id) if found.user_id else None
        if record is None:
            return {"sub": str(found.user_id) if found.user_id else ""}
        if record.hidden_level >= 2:
            return {"sub": str(record.id), "blocked": True}
        return profile(tx, self._settings, record, found.scopes, now)

    # -- api.php ---------------------------------------------------------------------------

    async def authenticate(self, token: str, ip: str, now: float) -> Authorized:
        """The user a bearer token acts for, with the rights its grants allow."""
        try:
            claims = self._signer.verify(token, now)
        except BadToken:
            raise InvalidAuthorization("mwoauth-invalid-authorization", "Invalid access token") from None
        return await self._database.read(lambda tx: self._authorized(tx, claims, ip, now))

    def _authorized(self, tx: Tx, claims: dict[str, Any], ip: str, now: float) -> Authorized:
        id_hash = self._hash(str(claims["jti"]))
        found = store.token(tx, id_hash, "access")
        if found is None or found.revoked or (found.expires is not None and found.expires <= now):
            raise InvalidAuthorization("mwoauth-invalid-authorization", "Invalid access token")
        consumer = store.consumer_by_id(tx, found.consumer_id)
        if consumer is None:
            raise InvalidAuthorization("mwoauth-invalid-authorization", "Invalid access token")
        if consumer.restrictions and not ip_allowed(ip, consumer.restrictions):
            raise InvalidAuthorization("mwoauth-invalid-authorization",
                                       "The request came from an invalid IP address.")
        grants = tuple(found.scopes)
        if found.user_id == 0:
            # A client acting for itself (client_credentials): anonymous, with its grants' rights.
            user = build_user(None, [], self._settings, now, ip=ip)
        else:
            if found.acceptance_id and store.acceptance_by_id(tx, found.acceptance_id) is None:
                raise InvalidAuthorization("mwoauth-invalid-authorization-invalid-user")
            user = acting_user(tx, self._settings, found.user_id, ip, now)
        if not usable_by(consumer, found.user_id):
            raise InvalidAuthorization("mwoauth-invalid-authorization-not-approved", consumer.name)
        return Authorized(user.with_oauth(consumer.id, grants, granted_rights(user, grants, self._settings)),
                          id_hash[:32])


def acting_user(tx: Tx, settings: Settings, user_id: int, ip: str, now: float) -> User:
    """The account an OAuth credential acts for, refused when it is gone, locked or, where blocks
    disable logins, blocked (both protocols, as the extension's session provider refuses them)."""
    record = user_store.by_id(tx, user_id)
    if record is None:
        raise InvalidAuthorization("mwoauth-invalid-authorization-invalid-user")
    user = build_user(record, user_store.memberships(tx, record.id), settings, now, ip=ip)
    if record.locked or (settings.block_disables_login and active_block(tx, user, now) is not None):
        raise InvalidAuthorization("mwoauth-invalid-authorization-blocked-user")
    return user


def granted_rights(user: User, grants: tuple[str, ...], settings: Settings) -> tuple[str, ...]:
    """The user's rights its grants allow; identity-only grants allow none, not even reading."""
    if all(grant in AUTH_ONLY for grant in grants):
        return ()
    return restrict_to_grants(user.rights_order, grants, settings)


def profile(tx: Tx, settings: Settings, record: UserRecord, grants: tuple[str, ...], now: float) -> dict[str, Any]:
    """Who the user is, as OAuth 2's resource/profile and OAuth 1.0a's identify tell a consumer."""
    user = build_user(record, user_store.memberships(tx, record.id), settings, now, ip="")
    rights = granted_rights(user, grants, settings)
    found: dict[str, Any] = {
        "sub": str(record.id), "username": record.name, "editcount": record.editcount,
        "confirmed_email": bool(record.email and record.email_authenticated),
        "blocked": active_block(tx, user, now) is not None,
        "registered": to_mw(record.registration) if record.registration else None,
        "groups": list(user.groups), "rights": list(rights), "grants": list(grants)}
    if "mwoauth-authonlyprivate" in grants or "viewmyprivateinfo" in rights:
        found.update(realname=record.real_name, email=record.email)
    return found


def usable_by(consumer: Consumer, user_id: int) -> bool:
    """MediaWiki's isUsableBy: approved and shared, or (proposed or approved) and the owner's own."""
    if consumer.stage == APPROVED and not consumer.owner_only:
        return True
    return consumer.stage in (PROPOSED, APPROVED) and user_id == consumer.owner_id


def _with_query(url: str, values: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(values)
