"""Session tokens in MediaWiki's shape: 32 hex of HMAC, the issue time in hex, then `+\\`.

The HMAC covers the issue time and a per-type salt, keyed by a secret kept in
the session, so a token is valid only in the session that issued it. As in
MediaWiki's API, tokens carry no expiry of their own: they live as long as the
session's secret.
"""

from __future__ import annotations

import hashlib
import hmac
import re

SUFFIX = "+\\"
# Anonymous users' edit-class tokens are this constant (LoggedOutEditToken).
ANONYMOUS_TOKEN = SUFFIX
# The issue time has at most 16 hex digits (64 bits); a longer one is no token of ours.
_SHAPE = re.compile(r"^[0-9a-f]{32}([0-9a-f]{1,16})\+\\$")


def make_token(secret: str, salt: str, timestamp: int) -> str:
    stamp = format(timestamp, "x")
    digest = hmac.new(secret.encode(), f"{timestamp}{salt}".encode(), hashlib.sha256).hexdigest()
    return f"{digest[:32]}{stamp}{SUFFIX}"


def token_matches(token: str, secret: str, salt: str) -> bool:
    """Recompute the token at its own timestamp and compare in constant time."""
    match = _SHAPE.match(token)
    if match is None:
        return False
    timestamp = int(match.group(1), 16)
    return hmac.compare_digest(token, make_token(secret, salt, timestamp))
