"""OAuth 2 access tokens as Extension:OAuth issues them: JWTs signed with RS256.

The key pair is the wiki's (`$wgOAuth2PrivateKey`): every process and machine
serving the wiki must hold the same one. A token says who it was issued to
(`aud`, the client id), for whom (`sub`, the user id), with which grants
(`scopes`), until when (`exp`), and which row it is (`jti`), so that a revoked
token stops working on its next use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from joserfc.jwt import JWTClaimsRegistry

_HEADER = {"alg": "RS256", "typ": "JWT"}


class BadToken(Exception):
    """Not a token this wiki issued, or one past its expiry."""


def new_private_key() -> bytes:
    """A fresh RSA key, as PEM, for a wiki that has none configured."""
    return bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))


class TokenSigner:
    """Signs and checks tokens with the key `private_pem` returns when first needed.

    Loading an RSA key checks it, which costs a twentieth of a second: a server that
    never sees OAuth 2 does not pay it, and a throwaway one starts sooner.
    """

    def __init__(self, private_pem: Callable[[], bytes], issuer: str) -> None:
        self._private_pem = private_pem
        self._loaded: RSAKey | None = None
        self._issuer = issuer

    @property
    def _key(self) -> RSAKey:
        if self._loaded is None:
            self._loaded = RSAKey.import_key(self._private_pem())
        return self._loaded

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(_HEADER, {"iss": self._issuer, **claims}, self._key)

    def verify(self, token: str, now: float) -> dict[str, Any]:
        """The claims of a token this wiki signed that is valid at `now`."""
        try:
            decoded = jwt.decode(token, self._key, algorithms=["RS256"])
            JWTClaimsRegistry(now=int(now), leeway=0, exp={"essential": True}, jti={"essential": True},
                              aud={"essential": True}).validate(decoded.claims)
        except (JoseError, ValueError) as error:
            raise BadToken(str(error)) from None
        return dict(decoded.claims)
