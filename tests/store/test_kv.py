"""The key-value store (sessions, throttles, rate limits) behaves alike on every backend.

The database-backed store runs on SQLite and PostgreSQL; Redis expires keys on
its own clock, so its expiry is checked with real (short) waits.
"""

from __future__ import annotations

import asyncio

import pytest

from wikigate.clock import FixedClock
from wikigate.store.database import Database
from wikigate.store.kv import DatabaseStore, GroupCommit, KeyValueStore, RedisStore, glob_literal


async def _expire(kv: KeyValueStore, clock: FixedClock, seconds: float) -> None:
    if isinstance(kv, RedisStore):
        await asyncio.sleep(seconds)
    else:
        clock.advance(seconds)


async def test_values_are_kept_until_they_expire(kv: KeyValueStore, clock: FixedClock) -> None:
    assert await kv.get("missing") is None
    await kv.set("session:a", '{"user_id": 1}', 0.5)
    assert await kv.get("session:a") == '{"user_id": 1}'
    await kv.set("session:a", '{"user_id": 2}', 0.5)
    assert await kv.get("session:a") == '{"user_id": 2}'
    await _expire(kv, clock, 0.7)
    assert await kv.get("session:a") is None


async def test_deleted_keys_are_gone(kv: KeyValueStore) -> None:
    await kv.set("a", "1", 60)
    await kv.set("b", "2", 60)
    await kv.delete("a", "b", "never-set")
    assert (await kv.get("a"), await kv.get("b")) == (None, None)


async def test_counters_count_and_start_again_after_their_period(kv: KeyValueStore, clock: FixedClock) -> None:
    assert [await kv.incr("throttle:x", 0.5) for _ in range(3)] == [1, 2, 3]
    assert await kv.incr_many([("throttle:x", 0.5), ("throttle:y", 0.5)]) == [4, 1]
    await _expire(kv, clock, 0.7)
    assert await kv.incr("throttle:x", 0.5) == 1


async def test_concurrent_increments_lose_no_count(kv: KeyValueStore) -> None:
    counts = await asyncio.gather(*(kv.incr("ratelimit:edit", 60) for _ in range(30)))
    assert sorted(counts) == list(range(1, 31))


async def test_writes_that_arrive_together_commit_together(database: Database, clock: FixedClock) -> None:
    kv = DatabaseStore(database, clock)
    before = database.stats.writes
    await asyncio.gather(*(kv.set(f"session:{n}", str(n), 60) for n in range(20)))
    assert database.stats.writes - before < 20
    assert [await kv.get(f"session:{n}") for n in range(20)] == [str(n) for n in range(20)]


async def test_every_caller_of_a_failed_batch_sees_the_failure() -> None:
    batches: list[dict[str, object]] = []

    async def failing(batch: dict[str, object]) -> None:
        batches.append(batch)
        await asyncio.sleep(0)
        raise OSError("disk full")

    commits = GroupCommit(failing)  # type: ignore[arg-type]
    results = await asyncio.gather(*(commits.submit({f"k{n}": ("v", 1.0)}) for n in range(5)),
                                   return_exceptions=True)
    assert all(isinstance(result, OSError) for result in results)
    assert sum(len(batch) for batch in batches) == 5


async def test_a_batch_commits_before_its_callers_return(database: Database, clock: FixedClock) -> None:
    kv = DatabaseStore(database, clock)
    await kv.set("k", "v", 60)
    # Read straight from the table: acknowledged means committed.
    assert await database.query_one("SELECT value FROM objectcache WHERE key = :key", {"key": "k"}) == ("v",)


@pytest.mark.parametrize("ttl", [0.001, 3600])
async def test_any_positive_lifetime_is_accepted(kv: KeyValueStore, ttl: float) -> None:
    await kv.set("short", "v", ttl)
    await kv.incr("short-counter", ttl)


async def test_the_last_write_of_a_key_wins(database: Database, clock: FixedClock) -> None:
    # The database's writes of one process keep their order, whether they run at once or wait
    # in the queue. (Redis gives no such promise across its pooled connections.)
    kv = DatabaseStore(database, clock)
    await asyncio.gather(*(kv.set("session:order", str(n), 60) for n in range(50)))
    assert await kv.get("session:order") == "49"


async def test_keys_matching_a_pattern_are_deleted_and_no_others(kv: KeyValueStore) -> None:
    keys = ["throttle:password:0:Alice:127.0.0.1", "throttle:password:1:Alice:", "throttle:password:0:Bob:127.0.0.1",
            "throttle:acctcreate:0::127.0.0.1", "ratelimit:edit:user:7", "session:abc",
            # Characters that are wildcards to LIKE or Redis stand for themselves in a pattern.
            "throttle:password:0:A_b%c[1]?:10.0.0.1", "throttle:password:0:Aabbc:10.0.0.1"]
    for key in keys:
        await kv.set(key, "1", 60)
    assert await kv.delete_matching(f"throttle:*:*:{glob_literal('A_b%c[1]?')}:*") == 1
    assert await kv.get("throttle:password:0:Aabbc:10.0.0.1") == "1"
    assert await kv.delete_matching("throttle:*:*:Alice:*") == 2
    assert await kv.delete_matching("throttle:*:*:*:127.0.0.1") == 2
    assert await kv.delete_matching("throttle:*") == 1
    assert [await kv.get(key) for key in ("ratelimit:edit:user:7", "session:abc")] == ["1", "1"]
    assert await kv.delete_matching("nothing:*") == 0
