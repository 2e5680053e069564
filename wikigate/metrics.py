"""What the server counts for Prometheus: requests, logins, throttles, mail.

One `Metrics` per process, built by the composition root and handed to
whatever records through its constructor. Each instance keeps its own
registry, so the many runtimes a test process builds never collide.

Several worker processes answer as one server: prometheus-client then keeps
each process's values in files under PROMETHEUS_MULTIPROC_DIR (it reads that
variable once, at import, which is why `wikigate serve` sets it before the
workers start) and `render` adds them up. Recording a request is a dictionary
lookup and one histogram observation: the label children are looked up once
and kept, since prometheus-client's `labels()` takes a lock and builds a key.
"""

from __future__ import annotations

import os
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

# An API request mostly takes well under 5 ms; logins take a key stretch (tens of ms).
LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4


class Metrics:
    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        self._multiprocess_dir = multiprocess_dir
        self._registry = CollectorRegistry(auto_describe=True)
        registry = self._registry
        # Its _count is the number of requests by module and status: no counter of its own, which
        # would cost every request one more write.
        self._requests = Histogram("wikigate_api_request_duration_seconds",
                                   "API requests answered, by module and HTTP status: the time from arrival "
                                   "to answer.", ("module", "status"), buckets=LATENCY_BUCKETS, registry=registry)
        self._logins = Counter("wikigate_logins", "Login attempts by module and result (PASS, FAIL, UI, "
                               "Success, Failed, Aborted, …).", ("module", "result"), registry=registry)
        self._throttled = Counter("wikigate_throttle_hits", "Attempts refused by a login or account-creation "
                                  "throttle.", ("throttle",), registry=registry)
        self._rate_limited = Counter("wikigate_rate_limit_hits", "Actions refused by $wgRateLimits.",
                                     ("action",), registry=registry)
        self._mail_queue = Gauge("wikigate_mail_queue_length", "Mails queued and not yet delivered or given up.",
                                 registry=registry, multiprocess_mode="livesum")
        self._mail_sent = Counter("wikigate_mail_sent", "Mails delivered.", registry=registry)
        self._mail_failures = Counter("wikigate_mail_failures", "Mail delivery attempts that failed.",
                                      registry=registry)
        self._mail_undelivered = Counter("wikigate_mail_undelivered", "Mails given up on, by where they went "
                                         "(outbox or lost).", ("fate",), registry=registry)
        self._request_children: dict[tuple[str, int], Histogram] = {}

    def request(self, module: str, status: int, seconds: float) -> None:
        child = self._request_children.get((module, status))
        if child is None:
            child = self._request_children[(module, status)] = self._requests.labels(module, str(status))
        child.observe(seconds)

    def login(self, module: str, result: str) -> None:
        self._logins.labels(module, result).inc()

    def throttled(self, throttle: str) -> None:
        self._throttled.labels(throttle).inc()

    def rate_limited(self, action: str) -> None:
        self._rate_limited.labels(action).inc()

    def mail_queued(self) -> None:
        self._mail_queue.inc()

    def mail_done(self, *, delivered: bool) -> None:
        """A queued mail left the queue, delivered or not."""
        self._mail_queue.dec()
        if delivered:
            self._mail_sent.inc()

    def mail_attempt_failed(self) -> None:
        self._mail_failures.inc()

    def mail_undelivered(self, fate: str) -> None:
        self._mail_undelivered.labels(fate).inc()

    def render(self) -> bytes:
        """Every metric in Prometheus' text format; with several workers, all of theirs added up."""
        if self._multiprocess_dir is None:
            return generate_latest(self._registry)
        collecting = CollectorRegistry()
        MultiProcessCollector(collecting, path=str(self._multiprocess_dir))  # type: ignore[no-untyped-call]
        return generate_latest(collecting)

    def close(self) -> None:
        if self._multiprocess_dir is not None:
            forget_process(os.getpid(), self._multiprocess_dir)


def forget_process(pid: int, multiprocess_dir: Path) -> None:
    """A worker that stopped or died: its live values (the mail queue) no longer count."""
    mark_process_dead(pid, str(multiprocess_dir))  # type: ignore[no-untyped-call]
