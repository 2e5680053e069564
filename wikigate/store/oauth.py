"""OAuth consumers, users' acceptances of them, and OAuth 2 tokens (Extension:OAuth's tables).

Secrets and token identifiers are stored as hashes only; a token is found by
the hash of what the client presents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update

from wikigate.store.database import Tx, inserted_id
from wikigate.store.schema import oauth2_tokens, oauth_acceptances, oauth_consumers

PROPOSED, APPROVED, REJECTED, EXPIRED, DISABLED = range(5)
STAGES = ("proposed", "approved", "rejected", "expired", "disabled")


@dataclass(frozen=True, slots=True)
class Consumer:
    id: int
    key: str
    name: str
    app_version: str
    oauth_version: int
    owner_id: int
    owner_only: bool
    description: str
    callback_url: str
    callback_is_prefix: bool
    grants: tuple[str, ...]
    restrictions: tuple[str, ...]
    secret_seed: str
    rsa_key: str
    confidential: bool
    oauth2_grant_types: tuple[str, ...]
    stage: int
    registered: float


@dataclass(frozen=True, slots=True)
class Acceptance:
    id: int
    consumer_id: int
    user_id: int
    grants: tuple[str, ...]
    accepted: float
    access_token: str | None
    access_secret_seed: str | None


@dataclass(frozen=True, slots=True)
class TokenRecord:
    id_hash: str
    kind: str
    acceptance_id: int | None
    consumer_id: int
    user_id: int
    scopes: tuple[str, ...]
    expires: float | None
    revoked: bool
    redirect_uri: str | None
    challenge: str | None
    challenge_method: str | None
    parent: str | None


def _consumer(row: Any) -> Consumer:
    values = dict(row._mapping)
    for name in ("grants", "restrictions", "oauth2_grant_types"):
        values[name] = tuple(values[name])
    for name in ("owner_only", "callback_is_prefix", "confidential"):
        values[name] = bool(values[name])
    return Consumer(**values)


def _acceptance(row: Any) -> Acceptance:
    values = dict(row._mapping)
    values["grants"] = tuple(values["grants"])
    return Acceptance(**values)


def _token(row: Any) -> TokenRecord:
    values = dict(row._mapping)
    values["scopes"] = tuple(values["scopes"])
    values["revoked"] = bool(values["revoked"])
    return TokenRecord(**values)


def insert_consumer(tx: Tx, **values: Any) -> int:
    return inserted_id(tx.execute(insert(oauth_consumers), values))


def consumer_by_key(tx: Tx, key: str) -> Consumer | None:
    row = tx.execute(select(oauth_consumers).where(oauth_consumers.c.key == key)).first()
    return None if row is None else _consumer(row)


def consumer_by_id(tx: Tx, consumer_id: int) -> Consumer | None:
    row = tx.execute(select(oauth_consumers).where(oauth_consumers.c.id == consumer_id)).first()
    return None if row is None else _consumer(row)


def consumers(tx: Tx, owner_id: int | None = None) -> list[Consumer]:
    query = select(oauth_consumers).order_by(oauth_consumers.c.id)
    if owner_id is not None:
        query = query.where(oauth_consumers.c.owner_id == owner_id)
    return [_consumer(row) for row in tx.execute(query)]


def update_consumer(tx: Tx, consumer_id: int, **values: Any) -> None:
    tx.execute(update(oauth_consumers).where(oauth_consumers.c.id == consumer_id).values(**values))


def acceptance(tx: Tx, consumer_id: int, user_id: int) -> Acceptance | None:
    row = tx.execute(select(oauth_acceptances).where(oauth_acceptances.c.consumer_id == consumer_id,
                                                     oauth_acceptances.c.user_id == user_id)).first()
    return None if row is None else _acceptance(row)


def accepted_by(tx: Tx, user_id: int) -> list[tuple[Consumer, Acceptance]]:
    """The consumers a user has accepted, with each acceptance, in the order accepted."""
    accepted = [_acceptance(row) for row in tx.execute(
        select(oauth_acceptances).where(oauth_acceptances.c.user_id == user_id)
        .order_by(oauth_acceptances.c.accepted))]
    if not accepted:
        return []
    ids = [acceptance.consumer_id for acceptance in accepted]
    found = {consumer.id: consumer for consumer in map(_consumer, tx.execute(
        select(oauth_consumers).where(oauth_consumers.c.id.in_(ids))))}
    return [(found[acceptance.consumer_id], acceptance) for acceptance in accepted]


def acceptance_by_id(tx: Tx, acceptance_id: int) -> Acceptance | None:
    row = tx.execute(select(oauth_acceptances).where(oauth_acceptances.c.id == acceptance_id)).first()
    return None if row is None else _acceptance(row)


def acceptance_by_access_token(tx: Tx, token: str) -> Acceptance | None:
    row = tx.execute(select(oauth_acceptances).where(oauth_acceptances.c.access_token == token)).first()
    return None if row is None else _acceptance(row)


def accept(tx: Tx, consumer_id: int, user_id: int, grants: list[str], now: float, *,
           access_token: str | None = None, access_secret_seed: str | None = None) -> int:
    """Record (or renew) a user's acceptance of a consumer; its id."""
    found = acceptance(tx, consumer_id, user_id)
    values = {"grants": grants, "accepted": now, "access_token": access_token,
              "access_secret_seed": access_secret_seed}
    if found is not None:
        tx.execute(update(oauth_acceptances).where(oauth_acceptances.c.id == found.id).values(**values))
        return found.id
    return inserted_id(tx.execute(insert(oauth_acceptances), {"consumer_id": consumer_id, "user_id": user_id,
                                                             **values}))


def revoke_acceptance(tx: Tx, acceptance_id: int) -> None:
    tx.execute(delete(oauth2_tokens).where(oauth2_tokens.c.acceptance_id == acceptance_id))
    tx.execute(delete(oauth_acceptances).where(oauth_acceptances.c.id == acceptance_id))


def insert_token(tx: Tx, **values: Any) -> None:
    tx.execute(insert(oauth2_tokens), {"revoked": False, "redirect_uri": None, "challenge": None,
                                       "challenge_method": None, "parent": None, **values})


def token(tx: Tx, id_hash: str, kind: str) -> TokenRecord | None:
    row = tx.execute(select(oauth2_tokens).where(oauth2_tokens.c.id_hash == id_hash,
                                                 oauth2_tokens.c.kind == kind)).first()
    return None if row is None else _token(row)


def revoke_token(tx: Tx, id_hash: str) -> None:
    tx.execute(update(oauth2_tokens).where(oauth2_tokens.c.id_hash == id_hash).values(revoked=True))


def revoke_consumer_tokens(tx: Tx, consumer_id: int) -> None:
    tx.execute(update(oauth2_tokens).where(oauth2_tokens.c.consumer_id == consumer_id).values(revoked=True))
