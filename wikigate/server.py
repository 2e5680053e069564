"""How `wikigate serve` holds connections and stops: uvicorn, with the waits it lacks bounded.

uvicorn closes an idle keep-alive connection, but a connection that opens and
then sends its request line and headers (or its body) slowly, or nothing at
all, is kept for ever; enough of them exhaust a worker's file descriptors.
This protocol gives the headers and the body each a deadline, counted from
the moment the server starts waiting for them.

Stopping, every request a client has sent is answered: see DrainingServer
and run_workers.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import multiprocessing.process
import os
import select
import signal
import socket
import sys
import threading
import time
from functools import cache
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from wikigate.config import Settings, load_settings
from wikigate.logsetup import configure_logging
from wikigate.metrics import forget_process

log = logging.getLogger("wikigate")


@cache
def _settings() -> Settings:
    # uvicorn builds this protocol in each worker process from its name alone.
    return load_settings()


class BoundedHttpProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = _settings()
        self._header_timeout = settings.header_timeout
        self._body_timeout = settings.body_timeout
        self._deadline: asyncio.TimerHandle | None = None
        self._last_request = False

    def _arm(self, seconds: float) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(seconds, self._too_slow)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _too_slow(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self._header_timeout)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        # The next request on a kept-alive connection: its headers are awaited afresh.
        self._arm(self._header_timeout)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(self._body_timeout)
        if self._last_request and self.cycle is not None:
            self.cycle.keep_alive = False

    def shutdown(self) -> None:
        # uvicorn closes a connection with no request under way, but one just taken from the
        # queue has its first request on the way: that one is answered, then the connection
        # closes (a client that sends nothing is still cut off by the header timeout).
        if self.cycle is None:
            self._last_request = True
            return
        super().shutdown()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


class DrainingServer(uvicorn.Server):
    """uvicorn's server, which takes every connection already waiting for it before it stops listening.

    The kernel completes handshakes and queues the connections until the server accepts
    them; clients have sent their requests by then. Closing the listening socket on that
    queue resets them all, so at shutdown the queue is emptied first, and those requests
    are answered like the ones already in progress.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await _take_queued_connections(self.servers, limit=float(self.config.timeout_graceful_shutdown or 5))
        await super().shutdown(sockets)


async def _take_queued_connections(servers: list[asyncio.base_events.Server], *, limit: float) -> None:
    listeners = [listener for server in servers for listener in server.sockets]
    for listener in listeners:
        # A backlog of 0 keeps the queue but lets no more in: a client that connects from now on
        # sees its handshake go unanswered, retries, and is refused once the socket is closed,
        # with nothing sent. Without it, steady traffic would keep the queue from ever emptying.
        with socket.socket(fileno=os.dup(listener.fileno())) as shared:
            shared.listen(0)
    deadline = time.monotonic() + limit
    quiet = 0
    # Handshakes under way when the backlog shrank may still land in the queue a moment
    # later: it must stay empty a few milliseconds running, and the socket is closed right
    # after the last look (by the caller, with no wait in between).
    while listeners and time.monotonic() < deadline:
        waiting, _, _ = select.select(listeners, [], [], 0)
        quiet = 0 if waiting else quiet + 1
        if quiet == 5:
            return
        await asyncio.sleep(0 if waiting else 0.002)  # the event loop's accept handler takes them


def run_workers(config: uvicorn.Config, workers: int, *, log_format: str, log_level: str,
                metrics_dir: Path | None, listener: socket.socket | None = None) -> int:
    """Serve with `workers` processes sharing one listening socket; the exit status.

    A small supervisor rather than uvicorn's: this one lets go of the listening socket
    before it asks the workers to stop, so the last worker to close it is the last to
    hold it and empties its queue first (see DrainingServer); uvicorn's holds it until
    every worker has stopped, and the connections that arrive meanwhile are reset.
    A worker that dies is replaced; one that cannot start stops the server.
    """
    listener = listener or config.bind_socket()
    spawn = multiprocessing.get_context("spawn")
    stopping = threading.Event()
    processes: list[multiprocessing.process.BaseProcess] = []

    def start() -> multiprocessing.process.BaseProcess:
        process = spawn.Process(target=_worker, args=(config, listener, log_format, log_level))
        process.start()
        return process

    def stop(signum: int, frame: object) -> None:
        if stopping.is_set():  # asked again: the workers stop without waiting for requests
            for process in processes:
                if process.pid is not None and process.is_alive():
                    os.kill(process.pid, signal.SIGINT)
        stopping.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, stop)
    status = 0
    processes.extend(start() for _ in range(workers))
    log.info("supervisor %d started %d workers", os.getpid(), workers)
    while not stopping.wait(0.5):
        for index, process in enumerate(processes):
            if process.is_alive():
                continue
            if process.exitcode == STARTUP_FAILURE:
                log.error("worker %s could not start: stopping", process.pid)
                status = STARTUP_FAILURE
                stopping.set()
                break
            log.warning("worker %s died (exit status %s): starting another", process.pid, process.exitcode)
            if metrics_dir is not None and process.pid is not None:
                forget_process(process.pid, metrics_dir)
            processes[index] = start()
    listener.close()
    for process in processes:
        if process.pid is not None and process.is_alive():
            os.kill(process.pid, signal.SIGTERM)
    for process in processes:
        process.join()
    log.info("supervisor %d stopped", os.getpid())
    return status


def run_one(config: uvicorn.Config, listener: socket.socket | None = None) -> int:
    """Serve in this process alone (on `listener` if one is bound already); the exit status."""
    server = DrainingServer(config)
    server.run(sockets=[listener] if listener is not None else None)
    return 0 if server.started else STARTUP_FAILURE


def _worker(config: uvicorn.Config, listener: socket.socket, log_format: str, log_level: str) -> None:
    # A spawned process starts with nothing configured: its lines take the server's shape from the first.
    configure_logging(log_format, log_level)
    server = DrainingServer(config)
    server.run(sockets=[listener])
    if not server.started:
        sys.exit(STARTUP_FAILURE)
