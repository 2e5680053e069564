"""How `wikigate serve` holds connections: uvicorn, with the waits it lacks bounded.

uvicorn closes an idle keep-alive connection, but a connection that opens and
then sends its request line and headers (or its body) slowly, or nothing at
all, is kept for ever; enough of them exhaust a worker's file descriptors.
This protocol gives the headers and the body each a deadline, counted from
the moment the server starts waiting for them.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from wikigate.config import Settings, load_settings


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

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)
