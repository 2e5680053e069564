"""The services one process offers its entry points, as one typed record.

Built once by the composition root (`wikigate.app.build_runtime`), which
hands each service what it needs through its constructor; the API and the
CLI reach the services only through this record. It holds no engine, no
registry and nothing untyped.
"""

from __future__ import annotations

from dataclasses import dataclass

from wikigate.clock import Clock
from wikigate.config import Settings
from wikigate.metrics import Metrics
from wikigate.randomness import Randomness
from wikigate.services.accounts import Accounts
from wikigate.services.accountstatus import AccountStatuses
from wikigate.services.blocks import Blocks
from wikigate.services.deletion import Deletions
from wikigate.services.identity import Identity
from wikigate.services.login import Login
from wikigate.services.moves import Moves
from wikigate.services.oauth import OAuth
from wikigate.services.oauth1 import OAuth1
from wikigate.services.pages import Pages
from wikigate.services.passwords import Passwords
from wikigate.services.patrol import Patrols
from wikigate.services.protection import Protections
from wikigate.services.queries import Queries
from wikigate.services.ratelimit import RateLimiter
from wikigate.services.rollback import Rollbacks
from wikigate.services.sessions import SessionStore
from wikigate.services.testcontrols import TestControls
from wikigate.titles import Namespaces


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    clock: Clock
    random: Randomness
    metrics: Metrics
    namespaces: Namespaces
    sessions: SessionStore
    identity: Identity
    accounts: Accounts
    passwords: Passwords
    login: Login
    pages: Pages
    protections: Protections
    deletions: Deletions
    moves: Moves
    rollbacks: Rollbacks
    patrols: Patrols
    oauth: OAuth
    oauth1: OAuth1
    blocks: Blocks
    account_statuses: AccountStatuses
    queries: Queries
    rate_limiter: RateLimiter
    # Only on a test server (`testing = true`): see wikigate.services.testcontrols.
    testing: TestControls | None = None
