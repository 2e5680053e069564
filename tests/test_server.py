"""`wikigate serve` bounds the waits uvicorn leaves open: slow headers, slow bodies, idle connections."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.e2e_support import free_port

WIKIGATE = Path(sys.executable).parent / "wikigate"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = free_port()
    data_dir = tmp_path_factory.mktemp("server")
    (data_dir / "none.toml").touch()
    env = {**os.environ, "WIKIGATE_DATA_DIR": str(data_dir), "WIKIGATE_CONFIG": str(data_dir / "none.toml"),
           "WIKIGATE_HEADER_TIMEOUT": "0.5", "WIKIGATE_BODY_TIMEOUT": "0.5", "WIKIGATE_KEEP_ALIVE_TIMEOUT": "1"}
    env.pop("WIKIGATE_DATABASE_URL", None)
    process = subprocess.Popen([str(WIKIGATE), "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield port
    finally:
        process.terminate()
        process.wait(10)


def _closed_within(connection: socket.socket, seconds: float) -> bool:
    """Whether the server closes the connection (an empty read) within `seconds`."""
    connection.settimeout(seconds)
    try:
        return connection.recv(1024) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_a_connection_that_sends_nothing_is_closed(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as connection:
        assert _closed_within(connection, 3)


def test_headers_sent_too_slowly_are_cut_off(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as connection:
        connection.sendall(b"GET /w/api.php?action=query HTTP/1.1\r\nHost: x\r\n")  # never finished
        assert _closed_within(connection, 3)


def test_a_body_sent_too_slowly_is_cut_off(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as connection:
        connection.sendall(b"POST /w/api.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                           b"\r\nContent-Length: 100\r\n\r\naction=query")  # 88 bytes still owed
        answer = b""
        connection.settimeout(3)
        try:
            while chunk := connection.recv(4096):
                answer += chunk
        except TimeoutError:
            pytest.fail("the connection was left open")
        assert b"200 OK" not in answer


def test_a_prompt_request_is_answered_and_kept_alive_briefly(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server)) as connection:
        connection.sendall(b"GET /w/api.php?action=query&meta=siteinfo&format=json HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.settimeout(5)
        answer, started = b"", time.monotonic()
        try:
            while chunk := connection.recv(65536):  # the answer, then the close
                answer += chunk
        except TimeoutError:
            pytest.fail("the kept-alive connection was never closed")
        assert answer.startswith(b"HTTP/1.1 200 OK")
        assert time.monotonic() - started < 4  # the keep-alive timeout (1 s) ended it
