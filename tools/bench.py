"""Side-by-side benchmark: wikigate against MediaWiki 1.39 (nginx + php-fpm).

    .venv/bin/python tools/bench.py [--duration 10] [--connections 16] [--workloads 0,1,2,3]
                                    [--backend sqlite|postgresql] [--redis] [--no-mediawiki]
                                    [--markdown] [--profile DIR] [--soak N]

wikigate runs as in production (`wikigate serve --workers 2`, a fresh data
directory, accounts made with `wikigate user create`); MediaWiki is the
reference install from ../shared/reference/mediawiki on :8082, started when it
is installed but not running. wrk (tools/bench.lua) drives both with the same
load from its own process, one server at a time, so each server gets both
cores. Every workload has a short warm-up before it is measured.

Printed per workload and server: requests/s, p50 and p99 latency, errors
(non-2xx responses and API errors), peak RSS per worker, and the ratio
wikigate / MediaWiki of that same run, then what recording a request in
/metrics costs (in one process and with several workers' files) beside the
CPU a whole request takes. Results also go to
bench-results/<date>.json. `--soak N` sends N requests to wikigate alone and
samples the workers' RSS to show whether memory stays flat.

Workload 0 is the framework's own ceiling: tools/ceiling_app.py, a bare
Starlette app answering a constant JSON body, started like wikigate (own
uvicorn process, `wikigate serve`'s uvicorn options, the same 2 workers) and
sent workload 2's request. It runs whenever workload 2 does, right before it;
`--workloads 0` measures it alone (no wikigate, no MediaWiki). The output then
says what share of the ceiling's requests/s siteinfo reaches, and the JSON
keeps both (meta, and the extra of wikigate's workload 2 row).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LUA = ROOT / "tools" / "bench.lua"
CEILING_APP = ROOT / "tools" / "ceiling_app.py"
RESULTS_DIR = ROOT / "bench-results"
MEDIAWIKI_CODE = Path("/usr/share/mediawiki")
MEDIAWIKI_REFERENCE = ROOT.parent / "shared" / "reference" / "mediawiki"
MEDIAWIKI_URL = "http://127.0.0.1:8082/w/api.php"
FPM_PID_FILE = Path("/tmp/oracle-php-fpm.pid")
NGINX_PID_FILE = Path("/tmp/oracle-nginx.pid")
PG_ADMIN_URL = os.environ.get("WIKIGATE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS_URL = "redis://127.0.0.1:6379/0"
WORKERS = 2  # the default; --workers changes it
WRK_THREADS = 2

# The reference wiki's accounts; wikigate gets the same ones.
ACCOUNTS = {
    "Admin": ("AdminPassword-1234", "sysop,bureaucrat"),
    "Alice": ("AlicePassword-1234", ""),
    "Mindy": ("MindyPassword-1234", "sysop"),
}
READER = "Alice"  # workload 3
WRITER = "Admin"  # workload 6 (a sysop: never rate-limited)
# Workload 5 logs these in by turns. Mindy is left out: the reference wiki may
# have enrolled her in two-factor authentication, which turns PASS into UI.
LOGIN_USERS = ("Alice", "Admin")
# Both servers count login attempts per user and address until one succeeds,
# as MediaWiki's throttle does. MediaWiki's 4 workers never have more than 4
# logins in flight; wikigate's event loops can have every connection's login in
# flight at once, so wikigate spreads them over more accounts (same hash type).
EXTRA_LOGIN_USERS = tuple(f"Bench{number}" for number in range(1, 7))
EXTRA_LOGIN_PASSWORD = "BenchPassword-1234"


@dataclass(frozen=True, slots=True)
class Workload:
    number: int
    script: str  # BENCH_WORKLOAD in bench.lua
    title: str
    modules: tuple[str, ...] = ()  # actions the server must have


CEILING = 0  # the bare-Starlette workload; served by Ceiling only
SITEINFO = 2  # the workload compared with the ceiling

# The ceiling comes right before siteinfo: measured next to each other, both see
# the machine in the same state, and its row sits by the one it is compared with.
WORKLOADS = (
    Workload(1, "tokens", "anonymous meta=tokens&type=login (GET)"),
    Workload(CEILING, "siteinfo", "bare-Starlette ceiling, constant JSON (GET)"),
    Workload(SITEINFO, "siteinfo", "meta=siteinfo (GET)"),
    Workload(3, "userinfo", "logged-in meta=tokens+userinfo (GET)"),
    Workload(4, "validatepassword", "action=validatepassword (POST, mixed passwords)", ("validatepassword",)),
    Workload(5, "login", "action=clientlogin end to end (logins/s)", ("clientlogin",)),
    Workload(6, "write", "action=edit + action=protect by a sysop (POST)", ("edit", "protect")),
)


@dataclass(slots=True)
class Measurement:
    server: str
    workload: int
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    errors: int = 0
    socket_errors: int = 0
    requests: int = 0
    peak_rss_mb: float = 0.0  # the largest worker
    cpu_us: float = 0.0  # CPU time of all serving processes per request, whatever the machine's load
    skipped: str = ""  # why it did not run
    extra: dict[str, Any] = field(default_factory=dict)


# -- servers -------------------------------------------------------------------


@dataclass
class Server:
    name: str
    api_url: str
    worker_pids: Callable[[], list[int]]
    serving_pids: Callable[[], list[int]]  # every process that spends CPU on a request
    actions: frozenset[str] = frozenset()
    sessions: dict[str, tuple[str, str]] = field(default_factory=dict)  # user -> (cookie, csrf)
    stop: Callable[[], None] = lambda: None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(part) for part in task.read_text().split()]
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time used so far by these processes."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def wait_until_up(api_url: str, timeout: float = 30.0, expect: str = "query") -> None:
    """Wait for a siteinfo answer holding the key `expect` (the ceiling's constant body has no "query")."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = httpx.get(api_url, params={"action": "query", "meta": "siteinfo", "format": "json"},
                                 timeout=5)
            if response.status_code == 200 and expect in response.json():
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"bench: {api_url} did not come up")


def available_actions(api_url: str) -> frozenset[str]:
    response = httpx.get(api_url, params={"action": "paraminfo", "modules": "main", "format": "json"}, timeout=10)
    for parameter in response.json()["paraminfo"]["modules"][0]["parameters"]:
        if parameter["name"] == "action":
            return frozenset(parameter["type"])
    return frozenset()


def uvicorn_workers(process: subprocess.Popen[bytes] | None) -> list[int]:
    if process is None:
        return []
    # uvicorn's supervisor spawns the workers (and may spawn a resource tracker); with one
    # worker there is no supervisor and the process serves on its own.
    workers = [pid for pid in children(process.pid) if b"resource_tracker" not in _cmdline(pid)]
    return workers or [process.pid]


def stop_group(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM to the process group started here (supervisor and workers), SIGKILL if that is not enough."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


class Wikigate:
    """A throwaway wikigate: own data directory, database (and Redis prefix)."""

    def __init__(self, *, backend: str, redis: bool, workers: int = WORKERS) -> None:
        self.backend = backend
        self.redis = redis
        self.workers = workers
        self.port = free_port()
        self.data_dir = Path(tempfile.mkdtemp(prefix="wikigate-bench-"))
        self.pg_database = f"wikigate_bench_{secrets.token_hex(4)}" if backend == "postgresql" else ""
        self.redis_prefix = f"wikigate-bench-{secrets.token_hex(4)}:" if redis else ""
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {**os.environ, "WIKIGATE_DATA_DIR": str(self.data_dir), "WIKIGATE_PORT": str(self.port),
                    "WIKIGATE_WORKERS": str(workers)}
        if self.pg_database:
            base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
            self.env["WIKIGATE_DATABASE_URL"] = f"{base}/{self.pg_database}"
        if redis:
            self.env["WIKIGATE_REDIS_URL"] = REDIS_URL
            self.env["WIKIGATE_REDIS_PREFIX"] = self.redis_prefix

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/w/api.php"

    def start(self) -> Server:
        if self.pg_database:
            _pg_admin(f'CREATE DATABASE "{self.pg_database}"')
        accounts = {**ACCOUNTS, **{name: (EXTRA_LOGIN_PASSWORD, "") for name in EXTRA_LOGIN_USERS}}
        for name, (password, groups) in accounts.items():
            command = [str(VENV_BIN / "wikigate"), "user", "create", name, "--password-stdin"]
            if groups:
                command += ["--groups", groups]
            subprocess.run(command, input=password + "\n", text=True, env=self.env, check=True,
                           capture_output=True, cwd=self.data_dir)
        with open(self.data_dir / "server.log", "wb") as log:
            self.process = subprocess.Popen(
                [str(VENV_BIN / "wikigate"), "serve", "--workers", str(self.workers), "--port", str(self.port)],
                env=self.env, cwd=self.data_dir, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True,
            )
        wait_until_up(self.api_url)
        return Server("wikigate", self.api_url, self.worker_pids, self.worker_pids, available_actions(self.api_url))

    def worker_pids(self) -> list[int]:
        return uvicorn_workers(self.process)

    def stop(self) -> None:
        if not self.data_dir.exists():
            return
        log = (self.data_dir / "server.log").read_text(errors="replace") if self.process else ""
        if "Traceback" in log or (self.process is not None and self.process.poll() is not None):
            print(f"bench: wikigate's log:\n{log[-3000:]}", file=sys.stderr)
        stop_group(self.process)
        if self.pg_database:
            _pg_admin(f'DROP DATABASE IF EXISTS "{self.pg_database}" WITH (FORCE)')
        if self.redis_prefix:
            _redis_delete_prefix(self.redis_prefix)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def seed_session(self, name: str) -> str:
        """A logged-in session written straight into the store, for servers without clientlogin yet."""
        from wikigate.app import build_runtime
        from wikigate.config import load_settings
        from wikigate.services.identity import start_login_session
        from wikigate.services.sessions import Session

        env = {key: value for key, value in self.env.items() if key.startswith("WIKIGATE_")}

        async def work() -> str:
            (self.data_dir / "wikigate.toml").touch()  # an empty file: the environment decides
            settings = load_settings(self.data_dir / "wikigate.toml", env=env)
            runtime = await build_runtime(settings, migrate=False)
            services = runtime.services
            try:
                record = await services.accounts.require(name)
                session = Session(id="", random=services.random, cookie_name=services.sessions.cookie_name)
                start_login_session(session, record.id, record.token, remember=False)
                await services.sessions.save(session)
                return f"{session.cookie_name}={session.id}"
            finally:
                await runtime.close()

        return asyncio.run(work())


class Ceiling:
    """The framework's own ceiling: tools/ceiling_app.py, with the uvicorn options and workers of wikigate."""

    def __init__(self, workers: int = WORKERS) -> None:
        self.port = free_port()
        self.workers = workers
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/w/api.php"

    def start(self) -> Server:
        # Its own session, as wikigate's: stopping it signals the whole group and nothing else.
        # stderr stays the bench's, so a failed start shows its traceback.
        self.process = subprocess.Popen(
            [sys.executable, str(CEILING_APP), "--workers", str(self.workers), "--port", str(self.port)],
            stdout=subprocess.DEVNULL, start_new_session=True,
        )
        wait_until_up(self.api_url, expect="batchcomplete")
        return Server("ceiling", self.api_url, self.worker_pids, self.worker_pids)

    def worker_pids(self) -> list[int]:
        return uvicorn_workers(self.process)

    def stop(self) -> None:
        stop_group(self.process)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _pg_admin(statement: str) -> None:
    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(PG_ADMIN_URL, timeout=5)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def _redis_delete_prefix(prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(match=prefix + "*", count=1000))
    for start in range(0, len(keys), 1000):
        client.delete(*keys[start:start + 1000])
    client.close()


def mediawiki_installed() -> bool:
    return MEDIAWIKI_CODE.is_dir() and (MEDIAWIKI_REFERENCE / "start-mediawiki-fpm.sh").is_file()


def start_mediawiki() -> Server:
    started_here = False
    try:
        wait_until_up(MEDIAWIKI_URL, timeout=2)
    except SystemExit:
        subprocess.run(["bash", str(MEDIAWIKI_REFERENCE / "start-mediawiki-fpm.sh")], check=True,
                       capture_output=True)
        started_here = True
        wait_until_up(MEDIAWIKI_URL)

    def workers(pid_file: Path = FPM_PID_FILE) -> list[int]:
        try:
            return children(int(pid_file.read_text()))
        except (OSError, ValueError):
            return []

    def serving() -> list[int]:
        return workers() + workers(NGINX_PID_FILE)

    def stop() -> None:
        # Only what this run started, by the ids the start script recorded.
        if not started_here:
            return
        for pid_file in (NGINX_PID_FILE, FPM_PID_FILE):
            try:
                os.kill(int(pid_file.read_text()), signal.SIGTERM)
            except (OSError, ValueError):
                pass

    return Server("MediaWiki", MEDIAWIKI_URL, workers, serving, available_actions(MEDIAWIKI_URL), stop=stop)


# -- clients ---------------------------------------------------------------------


def client_login(api_url: str, name: str, password: str) -> tuple[httpx.Client, float]:
    """A client holding a fresh logged-in session, and the clientlogin POST's time in seconds."""
    client = httpx.Client(timeout=30)
    params = {"action": "query", "meta": "tokens", "type": "login", "format": "json"}
    token = client.get(api_url, params=params).json()["query"]["tokens"]["logintoken"]
    started = time.perf_counter()
    response = client.post(api_url, data={"action": "clientlogin", "username": name, "password": password,
                                          "loginreturnurl": "http://127.0.0.1/", "logintoken": token,
                                          "format": "json"})
    elapsed = time.perf_counter() - started
    status = response.json().get("clientlogin", {}).get("status")
    if status != "PASS":
        client.close()
        raise RuntimeError(f"login as {name} at {api_url}: {response.text[:300]}")
    return client, elapsed


def cookie_header(client: httpx.Client) -> str:
    return "; ".join(f"{name}={value}" for name, value in client.cookies.items())


def csrf_token(api_url: str, cookie: str) -> str:
    response = httpx.get(api_url, params={"action": "query", "meta": "tokens", "format": "json"},
                         headers={"Cookie": cookie}, timeout=30)
    return str(response.json()["query"]["tokens"]["csrftoken"])


def open_session(server: Server, name: str, wikigate: Wikigate | None) -> tuple[str, str]:
    """Cookie header and csrf token of a logged-in session of `name`."""
    if name not in server.sessions:
        if "clientlogin" in server.actions:
            client, _ = client_login(server.api_url, name, ACCOUNTS[name][0])
            cookie = cookie_header(client)
            client.close()
        elif wikigate is not None:
            cookie = wikigate.seed_session(name)
        else:
            raise RuntimeError(f"{server.name} cannot log in")
        server.sessions[name] = (cookie, csrf_token(server.api_url, cookie))
    return server.sessions[name]


def sequential_logins(api_url: str, count: int) -> list[float]:
    """clientlogin POST times (seconds), one login at a time on a fresh session each."""
    times = []
    for index in range(count):
        name = LOGIN_USERS[index % len(LOGIN_USERS)]
        client, elapsed = client_login(api_url, name, ACCOUNTS[name][0])
        client.close()
        times.append(elapsed)
    return times


def hash_cost_seconds(rounds: int = 10) -> tuple[str, float, float]:
    """The configured password type, and the median wall and CPU time of one hash in this process."""
    from wikigate.auth.hashing import PasswordFactory
    from wikigate.config import load_settings
    from wikigate.randomness import Randomness

    settings = load_settings(env={})  # the defaults
    factory = PasswordFactory(Randomness(), default_type=settings.password_default,
                              pbkdf2_cost=settings.pbkdf2_cost)
    walls, cpus = [], []
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.thread_time()
        factory.hash("AlicePassword-1234")
        walls.append(time.perf_counter() - wall)
        cpus.append(time.thread_time() - cpu)
    kind = f"{settings.password_default} (cost {settings.pbkdf2_cost})"
    return kind, statistics.median(walls), statistics.median(cpus)


METRICS_COST = """
import tempfile, time
from pathlib import Path
from wikigate.metrics import Metrics
metrics = Metrics(Path(__import__("os").environ["PROMETHEUS_MULTIPROC_DIR"])
                  if "PROMETHEUS_MULTIPROC_DIR" in __import__("os").environ else None)
modules = ("query", "clientlogin", "edit", "main")
for module in modules:
    metrics.request(module, 200, 0.002)
best = float("inf")
for _ in range(7):
    started = time.perf_counter()
    for index in range(20000):
        metrics.request(modules[index & 3], 200, 0.002)
    best = min(best, (time.perf_counter() - started) / 20000)
print(best * 1e6)
"""


def metrics_cost_us() -> dict[str, float]:
    """What recording one API request in /metrics costs, in µs: in one process, and with the
    per-worker files that several workers share (each measured in a fresh interpreter, since
    prometheus-client picks its storage when imported)."""
    costs = {}
    for mode in ("one process", "several workers"):
        env = {**os.environ}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        with tempfile.TemporaryDirectory(prefix="bench-metrics-") as directory:
            if mode == "several workers":
                env["PROMETHEUS_MULTIPROC_DIR"] = directory
            output = subprocess.run([sys.executable, "-c", METRICS_COST], env=env, cwd=ROOT, check=True,
                                    capture_output=True, text=True).stdout
        costs[mode] = float(output.strip())
    return costs


# -- load --------------------------------------------------------------------------


class RssSampler:
    """Samples the workers' resident memory while the load runs; keeps each worker's peak."""

    def __init__(self, pids: Callable[[], list[int]], interval: float = 0.25) -> None:
        self._pids = pids
        self._interval = interval
        self._stop = threading.Event()
        self.peaks: dict[int, float] = {}
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            for pid in self._pids():
                self.peaks[pid] = max(self.peaks.get(pid, 0.0), rss_mb(pid))
            if self._stop.wait(self._interval):
                return

    @property
    def peak(self) -> float:
        return max(self.peaks.values(), default=0.0)


def wrk(api_url: str, script: str, *, duration: float, connections: int, env: dict[str, str]) -> dict[str, Any]:
    command = ["wrk", f"-t{WRK_THREADS}", f"-c{connections}", f"-d{duration:g}s", "--latency",
               "--timeout", "10s", "-s", str(LUA), api_url]
    path = "/" + api_url.split("/", 3)[3]
    run_env = {**os.environ, "BENCH_WORKLOAD": script, "BENCH_PATH": path, **env}
    done = subprocess.run(command, env=run_env, capture_output=True, text=True, timeout=duration + 60, check=False)
    for line in done.stdout.splitlines():
        if line.startswith("BENCH-JSON "):
            return dict(json.loads(line.removeprefix("BENCH-JSON ")))
    raise RuntimeError(f"wrk gave no result: {done.stdout[-500:]} {done.stderr[-500:]}")


def wait_idle(server: Server, *, limit: float = 30.0) -> None:
    """Let the server finish what a run left queued (logins behind closed connections)."""
    deadline = time.monotonic() + limit
    used = cpu_seconds(server.serving_pids())
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now_used = cpu_seconds(server.serving_pids())
        if now_used - used < 0.05:  # under a tenth of a core
            return
        used = now_used


def workload_env(server: Server, workload: Workload, wikigate: Wikigate | None) -> dict[str, str]:
    env = {"BENCH_RUN": secrets.token_hex(3)}
    if workload.script in ("userinfo", "soak"):
        env["BENCH_COOKIE"] = open_session(server, READER, wikigate)[0]
    if workload.script == "write":
        env["BENCH_COOKIE"], env["BENCH_CSRF"] = open_session(server, WRITER, wikigate)
        # Subpages of the writer's user page keep the reference wiki's main namespace clean.
        env["BENCH_TITLES"] = f"User:{WRITER}/Bench "
    if workload.script == "login":
        users = [f"{name}:{ACCOUNTS[name][0]}" for name in LOGIN_USERS]
        if wikigate is not None:
            users += [f"{name}:{EXTRA_LOGIN_PASSWORD}" for name in EXTRA_LOGIN_USERS]
        env["BENCH_USERS"] = "\n".join(users)
    return env


def measure(server: Server, workload: Workload, args: argparse.Namespace, wikigate: Wikigate | None,
            profile_dir: Path | None) -> Measurement:
    result = Measurement(server.name, workload.number)
    missing = [name for name in workload.modules if name not in server.actions]
    if missing:
        result.skipped = f"no action={'/'.join(missing)} yet"
        return result
    env = workload_env(server, workload, wikigate)
    wait_idle(server)
    if workload.script == "login":
        # One at a time on an idle server, before the load leaves work behind.
        logins = sequential_logins(server.api_url, args.sequential_logins)
        result.extra["sequential_login_ms"] = statistics.median(logins) * 1000
    wrk(server.api_url, workload.script, duration=args.warmup, connections=args.connections, env=env)
    wait_idle(server)
    env["BENCH_RUN"] = secrets.token_hex(3)
    profilers = start_profilers(server, workload, args.duration, profile_dir) if profile_dir else []
    serving = server.serving_pids()
    cpu_before = cpu_seconds(serving)
    with RssSampler(server.worker_pids) as sampler:
        raw = wrk(server.api_url, workload.script, duration=args.duration, connections=args.connections, env=env)
    cpu_used = cpu_seconds(serving) - cpu_before
    for profiler in profilers:
        profiler.wait()
    seconds = raw["duration_us"] / 1e6
    result.requests = raw["requests"]
    result.requests_per_s = raw["requests"] / seconds
    result.p50_ms = raw["p50_us"] / 1000
    result.p99_ms = raw["p99_us"] / 1000
    result.errors = raw["errors"]
    result.socket_errors = raw["socket_errors"]
    result.peak_rss_mb = sampler.peak
    result.cpu_us = cpu_used / max(raw["requests"], 1) * 1e6
    result.extra |= {"p90_ms": raw["p90_us"] / 1000, "max_ms": raw["max_us"] / 1000, "non2xx": raw["non2xx"],
                    "api_errors": raw["api_errors"], "ops_ok": raw["ops_ok"], "ops_failed": raw["ops_failed"],
                    "workers": len(sampler.peaks), "error_samples": raw["error_samples"]}
    if workload.script == "login":
        # The row's rate is completed logins; wrk's latencies mix token GETs and login POSTs.
        result.requests_per_s = raw["ops_ok"] / seconds
        result.cpu_us = cpu_used / max(raw["ops_ok"], 1) * 1e6
    wait_idle(server)
    return result


def start_profilers(server: Server, workload: Workload, duration: float, profile_dir: Path) -> list[Any]:
    """py-spy on every wikigate worker for the measured run (raw collapsed stacks)."""
    if server.name != "wikigate":
        return []
    py_spy = VENV_BIN / "py-spy"
    if not py_spy.exists():
        raise SystemExit("bench: --profile needs py-spy (.venv/bin/pip install py-spy)")
    profile_dir.mkdir(parents=True, exist_ok=True)
    processes = []
    for pid in server.worker_pids():
        output = profile_dir / f"w{workload.number}-{workload.script}-{pid}.txt"
        processes.append(subprocess.Popen(
            [str(py_spy), "record", "--pid", str(pid), "--duration", str(int(duration)), "--rate", "250",
             "--format", "raw", "--nonblocking", "--output", str(output)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return processes


# -- output ------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = Path("/proc/meminfo").read_text().split()[1]
    return f"{model}, {os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB RAM, {platform.system()}"


def ratio(results: list[Measurement], number: int) -> float | None:
    """wikigate's requests/s over MediaWiki's, in this run."""
    rows = {m.server: m for m in results if m.workload == number and not m.skipped}
    if "wikigate" in rows and "MediaWiki" in rows and rows["MediaWiki"].requests_per_s > 0:
        return rows["wikigate"].requests_per_s / rows["MediaWiki"].requests_per_s
    return None


def cpu_ratio(results: list[Measurement], number: int) -> float | None:
    """MediaWiki's CPU per request over wikigate's: less sensitive to other load on the machine."""
    rows = {m.server: m for m in results if m.workload == number and not m.skipped}
    if "wikigate" in rows and "MediaWiki" in rows and rows["wikigate"].cpu_us > 0:
        return rows["MediaWiki"].cpu_us / rows["wikigate"].cpu_us
    return None


def ceiling_share(results: list[Measurement]) -> tuple[float, Measurement, Measurement] | None:
    """wikigate's siteinfo requests/s as a percentage of the bare-Starlette ceiling's, with both rows."""
    siteinfo = next((m for m in results if m.workload == SITEINFO and m.server == "wikigate" and not m.skipped), None)
    ceiling = next((m for m in results if m.workload == CEILING and not m.skipped), None)
    if siteinfo is None or ceiling is None or ceiling.requests_per_s <= 0:
        return None
    return siteinfo.requests_per_s / ceiling.requests_per_s * 100, siteinfo, ceiling


def ceiling_line(results: list[Measurement]) -> str | None:
    found = ceiling_share(results)
    if found is None:
        return None
    share, siteinfo, ceiling = found
    return (f"siteinfo reaches {share:.0f}% of the bare-Starlette ceiling ({siteinfo.requests_per_s:.0f} / "
            f"{ceiling.requests_per_s:.0f} req/s; CPU per request {siteinfo.cpu_us:.0f} / {ceiling.cpu_us:.0f} µs)")


def metrics_line(results: list[Measurement], cost: dict[str, float]) -> str:
    """Recording a request in /metrics, against what a whole request costs the server."""
    line = "/metrics per request: " + ", ".join(f"{us:.1f} µs ({mode})" for mode, us in cost.items())
    cheapest = min((m for m in results if m.server == "wikigate" and not m.skipped and m.cpu_us),
                   key=lambda m: m.cpu_us, default=None)
    if cheapest is not None:
        worst = max(cost.values())
        line += (f"; the cheapest workload ({cheapest.workload}) costs {cheapest.cpu_us:.0f} µs of CPU per request, "
                 f"so metrics are at most {worst / cheapest.cpu_us * 100:.1f}% of it")
    return line


def print_table(results: list[Measurement], workloads: list[Workload]) -> None:
    header = f"{'workload':<52} {'server':<10} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} " \
             f"{'CPU/req':>9} {'RSS/worker':>11} {'ratio':>7} {'CPU ratio':>9}"
    print(header)
    print("-" * len(header))
    for workload in workloads:
        label = f"{workload.number} {workload.title}"
        for m in (m for m in results if m.workload == workload.number):
            if m.skipped:
                print(f"{label:<52} {m.server:<10} skipped: {m.skipped}")
            else:
                found = ratio(results, workload.number) if m.server == "wikigate" else None
                shown = f"{found:.1f}x" if found is not None else ""
                found_cpu = cpu_ratio(results, workload.number) if m.server == "wikigate" else None
                shown_cpu = f"{found_cpu:.1f}x" if found_cpu is not None else ""
                errors = f"{m.errors}" + (f"+{m.socket_errors}s" if m.socket_errors else "")
                print(f"{label:<52} {m.server:<10} {m.requests_per_s:>9.1f} {m.p50_ms:>8.2f} {m.p99_ms:>8.2f} "
                      f"{errors:>7} {m.cpu_us:>6.0f} µs {m.peak_rss_mb:>8.1f} MB {shown:>7} {shown_cpu:>9}")
                for sample in m.extra.get("error_samples", [])[:1]:
                    print(f"{'':<52} first error: {sample[:160]}")
            label = ""
        for m in (m for m in results if m.workload == workload.number and "sequential_login_ms" in m.extra):
            line = f"   {m.server}: one login at a time, clientlogin POST median {m.extra['sequential_login_ms']:.1f} ms"
            if "hash_ms" in m.extra:
                line += (f" = {m.extra['login_to_hash']:.2f} x one hash ({m.extra['hash_ms']:.1f} ms), "
                         f"{m.extra['beyond_hash_ms']:.1f} ms beyond it; under load, server CPU per login "
                         f"(token GET + clientlogin) {m.cpu_us / 1000:.1f} ms = one hash's CPU "
                         f"({m.extra['hash_cpu_ms']:.1f} ms) + {m.extra['cpu_beyond_hash_ms']:.1f} ms")
            print(line)
    line = ceiling_line(results)
    if line:
        print(f"\n{line}")


def markdown(results: list[Measurement], workloads: list[Workload], meta: dict[str, Any]) -> str:
    lines = [
        (f"Measured {meta['date']} on {meta['machine']}; wikigate {meta['backend']}"
         f"{' + Redis' if meta['redis'] else ''}, {meta['wikigate_workers']} workers; MediaWiki 1.39 nginx + php-fpm (4 workers, "
         f"opcache); wrk -t{WRK_THREADS} -c{meta['connections']} -d{meta['duration']:g}s on the same cores."),
        "",
        ("| workload | wikigate req/s | p50 | p99 | MediaWiki req/s | p50 | p99 | ratio | errors (wg / MW) | "
         "CPU per request (wg / MW) | CPU ratio | peak RSS per worker (wg / MW) |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    # The ceiling has no MediaWiki side: it is a sentence under the table, not a row.
    for workload in (w for w in workloads if w.number != CEILING):
        rows = {m.server: m for m in results if m.workload == workload.number}
        cells = [f"{workload.number}. {workload.title}"]
        for name in ("wikigate", "MediaWiki"):
            m = rows.get(name)
            if m is None or m.skipped:
                cells += [m.skipped if m else "–", "", ""]
            else:
                cells += [f"{m.requests_per_s:.0f}", f"{m.p50_ms:.1f} ms", f"{m.p99_ms:.1f} ms"]
        found = ratio(results, workload.number)
        cells.append(f"**{found:.1f}×**" if found is not None else "–")
        cells.append(" / ".join(str(rows[n].errors) if n in rows and not rows[n].skipped else "–"
                                for n in ("wikigate", "MediaWiki")))
        cells.append(" / ".join(f"{rows[n].cpu_us / 1000:.2f} ms" if n in rows and not rows[n].skipped else "–"
                                for n in ("wikigate", "MediaWiki")))
        found_cpu = cpu_ratio(results, workload.number)
        cells.append(f"{found_cpu:.1f}×" if found_cpu is not None else "–")
        cells.append(" / ".join(f"{rows[n].peak_rss_mb:.0f} MB" if n in rows and not rows[n].skipped else "–"
                                for n in ("wikigate", "MediaWiki")))
        lines.append("| " + " | ".join(cells) + " |")
    login = [m for m in results if "sequential_login_ms" in m.extra]
    if login:
        lines.append("")
        for m in login:
            text = f"{m.server}: one login at a time, clientlogin POST median {m.extra['sequential_login_ms']:.1f} ms"
            if "hash_ms" in m.extra:
                text += (f", {m.extra['login_to_hash']:.2f}× the cost of one {meta['hash_type']} hash "
                         f"({m.extra['hash_ms']:.1f} ms), {m.extra['beyond_hash_ms']:.1f} ms beyond it; "
                         f"under load, server CPU per login (token GET + clientlogin) {m.cpu_us / 1000:.1f} ms, "
                         f"{m.extra['cpu_beyond_hash_ms']:.1f} ms beyond one hash's CPU "
                         f"({m.extra['hash_cpu_ms']:.1f} ms)")
            lines.append(f"- {text}.")
    line = ceiling_line(results)
    if line:
        lines += [f"- {line}."] if login else ["", f"- {line}."]
    return "\n".join(lines)


def save(results: list[Measurement], meta: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{meta['date'].replace(':', '-')}.json"
    path.write_text(json.dumps({"meta": meta, "results": [asdict(m) for m in results]}, indent=2) + "\n")
    return path


# -- soak --------------------------------------------------------------------------


def soak(server: Server, wikigate: Wikigate, total: int, connections: int, chunk: float) -> dict[str, Any]:
    """Send `total` requests (workloads 1-3 by turns) in chunks, sampling worker RSS after each."""
    env = {"BENCH_COOKIE": open_session(server, READER, wikigate)[0]}
    sent = 0
    samples: list[tuple[int, float]] = []
    started = time.monotonic()
    while sent < total:
        raw = wrk(server.api_url, "soak", duration=chunk, connections=connections, env=env)
        sent += raw["requests"]
        if raw["errors"] or raw["socket_errors"]:
            print(f"   errors in this chunk: {raw['errors']} (+{raw['socket_errors']} socket)")
        rss = max((rss_mb(pid) for pid in server.worker_pids()), default=0.0)
        samples.append((sent, rss))
        print(f"   {sent:>10,} requests  {raw['requests'] / (raw['duration_us'] / 1e6):8.0f} req/s  "
              f"largest worker RSS {rss:6.1f} MB", flush=True)
    # The first chunk is the warm-up: caches fill and the allocator grows once.
    baseline = samples[0][1] if len(samples) == 1 else samples[1][1]
    last = samples[-1][1]
    change = (last - baseline) / baseline * 100 if baseline else 0.0
    return {"requests": sent, "seconds": time.monotonic() - started, "samples": samples,
            "baseline_mb": baseline, "last_mb": last, "max_mb": max(s[1] for s in samples),
            "change_percent": change, "flat": abs(change) <= 10}


# -- main --------------------------------------------------------------------------


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise SystemExit("bench: wrk is missing (apt-get install -y wrk)")
    subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds measured per workload and server")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up before each measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--login-overhead", action="store_true",
                        help="measure what a login costs beyond its hash, in-process, and stop")
    parser.add_argument("--workers", type=int, default=WORKERS,
                        help="wikigate worker processes (make serve's default is 1)")
    parser.add_argument("--workloads", default="1,2,3,4,5,6",
                        help="e.g. 1,2,3; 0 is the bare-Starlette ceiling, also run whenever 2 is")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--redis", action="store_true", help="sessions and counters in Redis (127.0.0.1:6379)")
    parser.add_argument("--no-mediawiki", action="store_true", help="measure wikigate alone")
    parser.add_argument("--markdown", action="store_true", help="also print the README table")
    parser.add_argument("--sequential-logins", type=int, default=20, help="one-at-a-time logins for workload 5")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="py-spy every wikigate worker into DIR")
    parser.add_argument("--app-profile", type=int, metavar="N",
                        help="profile workloads 1-5 in-process over N requests each (no servers)")
    parser.add_argument("--soak", type=int, metavar="N", help="send N requests to wikigate and watch RSS")
    parser.add_argument("--soak-chunk", type=float, default=10, help="seconds between RSS samples in --soak")
    args = parser.parse_args(argv)
    chosen = set(args.workloads.split(","))
    if str(SITEINFO) in chosen:
        chosen.add(str(CEILING))  # siteinfo's share of the ceiling needs both
    args.workload_list = [w for w in WORKLOADS if str(w.number) in chosen]
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.app_profile:
        asyncio.run(app_profile(args.app_profile))
        return
    if args.login_overhead:
        asyncio.run(login_overhead())
        return
    ensure_wrk()
    wikigate = Wikigate(backend=args.backend, redis=args.redis, workers=args.workers)
    ceiling = Ceiling(args.workers)
    servers: list[Server] = []  # the wikis, each measured on every workload but the ceiling
    ceilings: list[Server] = []  # the ceiling alone, on workload 0 alone
    # `--workloads 0` measures the ceiling alone: no wiki to start.
    wikis_needed = bool(args.soak) or any(w.number != CEILING for w in args.workload_list)
    try:
        if wikis_needed:
            servers.append(wikigate.start())
        if args.soak:
            print(f"soak: {args.soak:,} requests to wikigate ({args.backend}{', Redis' if args.redis else ''})")
            outcome = soak(servers[0], wikigate, args.soak, args.connections, args.soak_chunk)
            verdict = "flat" if outcome["flat"] else "NOT flat"
            print(f"RSS after warm-up {outcome['baseline_mb']:.1f} MB, at the end {outcome['last_mb']:.1f} MB "
                  f"({outcome['change_percent']:+.1f}%), max {outcome['max_mb']:.1f} MB: {verdict} (±10%)")
            return
        if wikis_needed and not args.no_mediawiki and mediawiki_installed():
            servers.append(start_mediawiki())
        elif wikis_needed and not args.no_mediawiki:
            print("MediaWiki is not installed here: measuring wikigate alone")
        if any(w.number == CEILING for w in args.workload_list):
            ceilings.append(ceiling.start())
        hash_type, hash_seconds, hash_cpu_seconds = hash_cost_seconds()
        metrics_cost = metrics_cost_us()
        results: list[Measurement] = []
        for workload in args.workload_list:
            targets = ceilings if workload.number == CEILING else servers
            for server in targets:
                print(f"[{workload.number}] {server.name}: {workload.title}", file=sys.stderr, flush=True)
                results.append(measure(server, workload, args, wikigate if server.name == "wikigate" else None,
                                       args.profile))
        for m in results:
            if "sequential_login_ms" in m.extra:
                m.extra["hash_ms"] = hash_seconds * 1000
                m.extra["login_to_hash"] = m.extra["sequential_login_ms"] / (hash_seconds * 1000)
                m.extra["beyond_hash_ms"] = m.extra["sequential_login_ms"] - hash_seconds * 1000
                m.extra["hash_cpu_ms"] = hash_cpu_seconds * 1000
                m.extra["cpu_beyond_hash_ms"] = m.cpu_us / 1000 - hash_cpu_seconds * 1000
        share = ceiling_share(results)
        if share is not None:
            percent, siteinfo, ceiling_row = share
            siteinfo.extra["ceiling_requests_per_s"] = ceiling_row.requests_per_s
            siteinfo.extra["ceiling_share_percent"] = percent
        meta = {
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": machine(),
            "backend": args.backend,
            "redis": args.redis,
            "duration": args.duration,
            "connections": args.connections,
            "wikigate_workers": args.workers,
            "hash_type": hash_type,
            "hash_ms": hash_seconds * 1000,
            "hash_cpu_ms": hash_cpu_seconds * 1000,
            "metrics_us_per_request": metrics_cost,
            "git": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                  text=True, check=False).stdout.strip(),
        }
        if share is not None:
            meta["ceiling_requests_per_s"] = share[2].requests_per_s
            meta["siteinfo_ceiling_share_percent"] = share[0]
        print()
        print_table(results, args.workload_list)
        print(metrics_line(results, metrics_cost))
        print(f"\nresults: {save(results, meta).relative_to(ROOT)}")
        if args.markdown:
            print()
            print(markdown(results, args.workload_list, meta))
        if args.profile:
            summarise_profiles(args.profile)
    finally:
        for server in servers:
            server.stop()
        ceiling.stop()  # also after a failed start
        wikigate.stop()  # also after a failed start: the process, database and data directory go


# -- in-process profile ------------------------------------------------------------

VALIDATE_PASSWORDS = ("a-much-better-passw0rd!", "password", "abc", "Tr0ub4dor&3-horse-staple")


class InProcessClient:
    """Calls the ASGI app directly: the application's own cost, without network or HTTP server."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def request(self, method: str, query: str = "", *, body: bytes = b"",
                      cookie: str = "") -> tuple[dict[bytes, bytes], bytes]:
        headers = [(b"host", b"127.0.0.1")]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        if body:
            headers.append((b"content-type", b"application/x-www-form-urlencoded"))
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
                 "scheme": "http", "path": "/w/api.php", "raw_path": b"/w/api.php",
                 "query_string": query.encode(), "root_path": "", "headers": headers,
                 "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 80)}
        response_headers: dict[bytes, bytes] = {}
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    raise RuntimeError(f"status {message['status']} for {method} {query} {body[:80]!r}")
                response_headers.update(message["headers"])
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return response_headers, b"".join(chunks)

    async def login(self, name: str, password: str) -> None:
        """One login as a client makes it: a login token, then clientlogin with its session."""
        headers, body = await self.request("GET", "action=query&meta=tokens&type=login&format=json")
        token = json.loads(body)["query"]["tokens"]["logintoken"]
        cookie = headers[b"set-cookie"].decode().split(";", 1)[0]
        form = {"action": "clientlogin", "username": name, "password": password,
                "loginreturnurl": "http://127.0.0.1/", "logintoken": token, "format": "json"}
        _, body = await self.request("POST", body=urlencode(form).encode(), cookie=cookie)
        if json.loads(body)["clientlogin"]["status"] != "PASS":
            raise RuntimeError(body.decode())


async def login_overhead(rounds: int = 7, per_round: int = 300) -> None:
    """What a login costs the server beyond its hash: logins against a 1-round PBKDF2.

    Each login (login-token GET, clientlogin POST) is called on the ASGI app
    directly, so no network or HTTP server is in it; the median of `rounds`
    medians is printed, with each round's median, as they vary on a shared
    machine.
    """
    from wikigate.app import build_runtime, create_app
    from wikigate.config import load_settings

    data_dir = Path(tempfile.mkdtemp(prefix="wikigate-login-"))
    (data_dir / "wikigate.toml").touch()  # an empty file: the environment decides
    settings = load_settings(data_dir / "wikigate.toml",
                             env={"WIKIGATE_DATA_DIR": str(data_dir), "WIKIGATE_PBKDF2_COST": "1"})
    runtime = await build_runtime(settings)
    app = create_app(settings, runtime=runtime)
    client = InProcessClient(app)
    await runtime.services.accounts.create(READER, ACCOUNTS[READER][0])

    async def login() -> None:
        await client.login(READER, ACCOUNTS[READER][0])

    medians = []
    try:
        async with app.router.lifespan_context(app):
            for _ in range(per_round // 3):
                await login()
            for _ in range(rounds):
                spent = []
                for _ in range(per_round):
                    started = time.perf_counter()
                    await login()
                    spent.append(time.perf_counter() - started)
                medians.append(statistics.median(spent))
    finally:
        await runtime.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"a login beyond its hash (token GET + clientlogin, in-process, 1-round PBKDF2): "
          f"{statistics.median(medians) * 1000:.2f} ms "
          f"(round medians: {', '.join(f'{m * 1000:.2f}' for m in medians)})")


async def app_profile(count: int, top: int = 22) -> None:
    """Per-request cost of workloads 1-5 inside one process, then cProfile's heaviest functions.

    CPU includes the database driver's thread. Workload 5 is one login (token GET
    and clientlogin POST) with the configured hash, and shows the time beyond it.
    """
    import cProfile
    import pstats

    from wikigate.app import build_runtime, create_app
    from wikigate.config import load_settings
    from wikigate.services.identity import start_login_session
    from wikigate.services.sessions import Session

    data_dir = Path(tempfile.mkdtemp(prefix="wikigate-profile-"))
    (data_dir / "wikigate.toml").touch()  # an empty file: the environment decides
    (data_dir / "wikigate.toml").touch()  # an empty file: the environment decides
    settings = load_settings(data_dir / "wikigate.toml", env={"WIKIGATE_DATA_DIR": str(data_dir)})
    runtime = await build_runtime(settings)
    services = runtime.services
    app = create_app(settings, runtime=runtime)
    client = InProcessClient(app)
    record = await services.accounts.create(READER, ACCOUNTS[READER][0])
    session = Session(id="", random=services.random, cookie_name=services.sessions.cookie_name)
    start_login_session(session, record.id, record.token, remember=False)
    await services.sessions.save(session)
    reader_cookie = f"{session.cookie_name}={session.id}"
    stats = runtime.database.stats
    turn = [0]

    async def login() -> None:
        await client.login(READER, ACCOUNTS[READER][0])

    async def validate() -> None:
        turn[0] += 1
        password = VALIDATE_PASSWORDS[turn[0] % len(VALIDATE_PASSWORDS)]
        await client.request("POST", body=urlencode({"action": "validatepassword", "password": password,
                                                     "format": "json"}).encode())

    cases: dict[int, tuple[Callable[[], Any], int]] = {
        1: (lambda: client.request("GET", "action=query&meta=tokens&type=login&format=json"), count),
        2: (lambda: client.request("GET", "action=query&meta=siteinfo&format=json"), count),
        3: (lambda: client.request("GET", "action=query&meta=tokens%7Cuserinfo&format=json",
                                   cookie=reader_cookie), count),
        4: (validate, count),
        5: (login, max(20, count // 50)),
    }
    _, hash_wall, _ = hash_cost_seconds()
    try:
        async with app.router.lifespan_context(app):
            for number, (case, rounds) in cases.items():
                for _ in range(min(rounds, 200)):  # warm caches and the connection pool
                    await case()
                counted = stats.statements
                wall, cpu = time.perf_counter(), time.process_time()
                for _ in range(rounds):
                    await case()
                wall, cpu = (time.perf_counter() - wall) / rounds, (time.process_time() - cpu) / rounds
                print(f"\nworkload {number}: {wall * 1e6:.0f} µs wall, {cpu * 1e6:.0f} µs CPU, "
                      f"{(stats.statements - counted) / rounds:.2f} SQL statements each (in-process, {rounds} times)")
                if number == 5:
                    print(f"  one hash here takes {hash_wall * 1e3:.1f} ms: {(wall - hash_wall) * 1e3:.1f} ms "
                          f"of each login (token GET + clientlogin) is beyond it")
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(rounds):
                    await case()
                profiler.disable()
                print("  heaviest functions by own time (µs each, own / cumulative, calls each):")
                rows = sorted(pstats.Stats(profiler).stats.items(),  # type: ignore[attr-defined]
                              key=lambda item: -item[1][2])[:top]
                for (filename, line, function), (_, calls, own, cumulative, _) in rows:
                    where = filename.split("site-packages/")[-1].split("/lib/python3.11/")[-1]
                    print(f"    {own / rounds * 1e6:7.1f} / {cumulative / rounds * 1e6:7.1f}  "
                          f"{calls / rounds:5.1f}x  {function} ({where}:{line})")
    finally:
        await runtime.close()
        shutil.rmtree(data_dir, ignore_errors=True)


def summarise_profiles(directory: Path, top: int = 25) -> None:
    """Inclusive and self sample shares per function from py-spy's collapsed stacks."""
    for workload in sorted({path.name.split("-")[0] for path in directory.glob("w*-*.txt")}):
        inclusive: dict[str, int] = {}
        own: dict[str, int] = {}
        total = 0
        for path in directory.glob(f"{workload}-*.txt"):
            for line in path.read_text().splitlines():
                stack, _, count_text = line.rpartition(" ")
                if not count_text.isdigit():
                    continue
                count = int(count_text)
                total += count
                frames = stack.split(";")
                for frame in set(frames):
                    inclusive[frame] = inclusive.get(frame, 0) + count
                own[frames[-1]] = own.get(frames[-1], 0) + count
        if not total:
            continue
        print(f"\nprofile {workload}: {total} samples")
        print("  inclusive:")
        for frame, count in sorted(inclusive.items(), key=lambda item: -item[1])[:top]:
            print(f"    {count / total * 100:5.1f}%  {frame}")
        print("  self:")
        for frame, count in sorted(own.items(), key=lambda item: -item[1])[:top]:
            print(f"    {count / total * 100:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
