"""`wikigate serve` bounds the waits uvicorn leaves open: slow headers, slow bodies, idle connections."""

from __future__ import annotations

import json
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


def test_serve_logs_json_lines_with_an_access_line_per_request_and_the_shutdown(tmp_path: Path) -> None:
    port = free_port()
    (tmp_path / "none.toml").touch()
    env = {**os.environ, "WIKIGATE_DATA_DIR": str(tmp_path), "WIKIGATE_CONFIG": str(tmp_path / "none.toml"),
           "WIKIGATE_LOG_FORMAT": "json"}
    env.pop("WIKIGATE_DATABASE_URL", None)
    process = subprocess.Popen([str(WIKIGATE), "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                    connection.sendall(b"GET /w/api.php?action=query&meta=siteinfo&format=json HTTP/1.1\r\n"
                                       b"Host: x\r\nX-Request-Id: not-trusted\r\nConnection: close\r\n\r\n")
                    assert connection.recv(100).startswith(b"HTTP/1.1 200")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    entries = [json.loads(line) for line in stderr.splitlines()]  # every line is JSON, uvicorn's too
    assert all(entry["time"].endswith("Z") and entry["level"] for entry in entries)
    access = [entry for entry in entries if entry["logger"] == "wikigate.access"]
    assert [entry["message"] for entry in access] == ["GET query+siteinfo 200"]
    assert not [entry for entry in entries if entry["logger"] == "uvicorn.access"]  # one line per request
    assert not [entry for entry in entries if "color_message" in entry]
    assert access[0]["ip"] == "127.0.0.1" and access[0]["request_id"] != "not-trusted"
    messages = [entry["message"] for entry in entries]
    assert any(message.endswith("ready") for message in messages)
    assert any(message.endswith("stopped") for message in messages)
