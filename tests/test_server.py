"""`wikigate serve` bounds the waits uvicorn leaves open: slow headers, slow bodies, idle connections."""

from __future__ import annotations

import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.e2e_support import free_port

WIKIGATE = Path(sys.executable).parent / "wikigate"


def _start(data_dir: Path, *args: str, **variables: str) -> tuple[subprocess.Popen[str], int]:
    """`wikigate serve` on a free port with a fresh data directory, once it answers.

    The socket listens before the workers start (a client that connects early waits in the
    queue), so an accepted connection alone does not mean a worker is there: /healthz does."""
    port = free_port()
    (data_dir / "none.toml").touch()
    env = {**os.environ, "WIKIGATE_DATA_DIR": str(data_dir), "WIKIGATE_CONFIG": str(data_dir / "none.toml"),
           **variables}
    env.pop("WIKIGATE_DATABASE_URL", None)
    process = subprocess.Popen([str(WIKIGATE), "serve", "--port", str(port), *args], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if probe.recv(100).startswith(b"HTTP/1.1 200"):
                    return process, port
        except OSError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the server did not start: {process.communicate()[1][-2000:]}")
        time.sleep(0.1)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    process, port = _start(tmp_path_factory.mktemp("server"), WIKIGATE_HEADER_TIMEOUT="0.5",
                           WIKIGATE_BODY_TIMEOUT="0.5", WIKIGATE_KEEP_ALIVE_TIMEOUT="1")
    try:
        yield port
    finally:
        process.terminate()
        process.communicate(timeout=10)


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
    process, port = _start(tmp_path, WIKIGATE_LOG_FORMAT="json")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"GET /w/api.php?action=query&meta=siteinfo&format=json HTTP/1.1\r\n"
                               b"Host: x\r\nX-Request-Id: not-trusted\r\nConnection: close\r\n\r\n")
            assert connection.recv(100).startswith(b"HTTP/1.1 200")
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


def test_metrics_add_up_every_workers_requests(tmp_path: Path) -> None:
    process, port = _start(tmp_path, "--workers", "2")
    try:
        workers = _workers(process.pid)
        directories = {_environment(pid).get("PROMETHEUS_MULTIPROC_DIR") for pid in workers}
        assert len(workers) == 2 and len(directories) == 1 and None not in directories
        url = f"http://127.0.0.1:{port}"
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(lambda _: httpx.get(f"{url}/w/api.php?action=query&meta=siteinfo",
                                                         timeout=60).status_code, range(60)))
        assert statuses == [200] * 60
        # Whichever worker answers the scrape, it counts the other's requests too.
        for _ in range(6):
            text = httpx.get(f"{url}/metrics", timeout=60).text
            assert 'wikigate_api_request_duration_seconds_count{module="query",status="200"} 60.0' in text
    finally:
        process.terminate()
        process.communicate(timeout=30)
    directory = directories.pop()
    assert directory is not None and not Path(directory).exists()  # the server's own, removed with it


def _workers(pid: int) -> list[int]:
    """The supervisor's worker processes (not multiprocessing's resource tracker)."""
    children = [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [child for child in children if b"spawn_main" in _command_line(child)]


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:  # it has just ended
        return b""


def _environment(pid: int) -> dict[str, str]:
    entries = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(entry.decode().split("=", 1) for entry in entries if b"=" in entry)


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_answers_every_request_already_sent(tmp_path: Path, workers: int) -> None:
    # Connections the kernel has accepted but no worker has taken yet are requests in flight too:
    # closing the listening socket on them would reset them. Stopped workers let them pile up.
    process, port = _start(tmp_path, "--workers", str(workers))
    serving = _workers(process.pid) if workers > 1 else [process.pid]
    request = b"GET /w/api.php?action=query&meta=siteinfo&format=json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    connections = []
    try:
        for pid in serving:
            os.kill(pid, signal.SIGSTOP)
        for _ in range(300):
            connection = socket.create_connection(("127.0.0.1", port), timeout=30)
            connection.sendall(request)
            connections.append(connection)
        process.send_signal(signal.SIGTERM)
        time.sleep(0.5)  # the supervisor passes it on to its workers
        for pid in serving:
            os.kill(pid, signal.SIGCONT)
        answers = []
        for connection in connections:
            answer = b""
            try:
                while chunk := connection.recv(65536):
                    answer += chunk
            except ConnectionResetError:
                pass
            answers.append(answer.split(b"\r\n", 1)[0])
            connection.close()
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=60)
    assert answers.count(b"HTTP/1.1 200 OK") == len(connections), (set(answers), stderr[-3000:])


def test_a_connection_whose_request_is_still_on_its_way_at_sigterm_is_answered(tmp_path: Path) -> None:
    process, port = _start(tmp_path)
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            time.sleep(0.2)  # taken by the server, nothing sent yet
            process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            connection.sendall(b"GET /w/api.php?action=query&meta=siteinfo&format=json HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while chunk := connection.recv(65536):  # the answer, then the close
                answer += chunk
    finally:
        process.terminate()
        process.communicate(timeout=60)
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert b"connection: close" in answer.lower()


def test_a_worker_that_dies_is_replaced(tmp_path: Path) -> None:
    process, port = _start(tmp_path, "--workers", "2")
    try:
        originals = _workers(process.pid)[:2]
        os.kill(originals[0], signal.SIGKILL)
        deadline = time.monotonic() + 30
        while originals[0] in _workers(process.pid) or len(_workers(process.pid)) < 2:
            assert time.monotonic() < deadline, "no worker took its place"
            time.sleep(0.2)
        os.kill(originals[1], signal.SIGKILL)
        # Both first workers are gone: whatever answers now is a replacement.
        while True:
            try:
                assert httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).text == "ok"
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "no replacement served"
                time.sleep(0.2)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=60)
    assert f"worker {originals[0]} died" in stderr


def test_after_sigterm_new_connections_are_refused_not_queued_and_reset(tmp_path: Path) -> None:
    process, port = _start(tmp_path, "--workers", "2")
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            # A request still arriving keeps its worker stopping for as long as it takes.
            slow.sendall(b"POST /w/api.php HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded"
                         b"\r\nContent-Length: 38\r\n\r\naction=query&")
            time.sleep(0.2)
            process.send_signal(signal.SIGTERM)
            time.sleep(1.5)
            outcomes = []
            for _ in range(5):
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=10) as late:
                        late.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                        outcomes.append(late.recv(100)[:15])
                except ConnectionRefusedError:
                    outcomes.append(b"refused")
                except ConnectionResetError:
                    outcomes.append(b"reset")
            slow.sendall(b"meta=siteinfo&format=json")
            answer = slow.recv(100)
    finally:
        process.terminate()
        process.communicate(timeout=60)
    assert answer.startswith(b"HTTP/1.1 200 OK")
    assert set(outcomes) == {b"refused"}
