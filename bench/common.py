"""Shared helpers of the benchmark scripts: figures, percentiles, the server, sessions."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
WORK_DIR = BASE_DIR / "var" / "bench"

MISSING = "missing"
LAST: dict[str, float] = {}  # the last response's database time (X-Bench-Db-Ms)


class Figures:
    """Collects `bench.<group>.<name>.<metric> value` lines; prints them as they come."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def put(self, key: str, value: Any) -> None:
        if isinstance(value, float):
            value = round(value, 2)
        self.values[key] = value
        print(f"bench.{key} {value}", flush=True)

    def missing(self, key: str, why: str = "") -> None:
        self.values[key] = MISSING
        print(f"bench.{key} {MISSING}" + (f"  # {why}" if why else ""), flush=True)


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn on a loopback port, as the application role, bench settings."""

    def __init__(self, *, workers: int = 2) -> None:
        self.port = int(os.environ.get("BENCH_PORT") or free_port())
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        WORK_DIR.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.bench")
        self._log = open(WORK_DIR / "gunicorn.log", "ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.close()
                raise RuntimeError(f"gunicorn exited: see {WORK_DIR / 'gunicorn.log'}")
            try:
                urllib.request.urlopen(self.base + "/health/", timeout=5).read()  # noqa: S310 - loopback
                return self
            except urllib.error.HTTPError:
                return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()  # never leave it behind
        raise RuntimeError("gunicorn did not answer within 180 s")

    def __exit__(self, *exc: Any) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._log.close()


def get(
    url: str, cookie: str, headers: dict[str, str] | None = None
) -> tuple[int, float, int, bytes]:
    """GET url with the session cookie: (status, seconds, queries, body)."""
    request = urllib.request.Request(  # noqa: S310 - loopback
        url, headers={"Cookie": cookie, **(headers or {})}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 - loopback
            body = response.read()
            status = response.status
            queries = int(response.headers.get("X-Bench-Queries", "-1"))
            db_ms = float(response.headers.get("X-Bench-Db-Ms", "0"))
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
        queries = int(error.headers.get("X-Bench-Queries", "-1"))
        db_ms = float(error.headers.get("X-Bench-Db-Ms", "0"))
    LAST["db_ms"] = db_ms
    return status, time.perf_counter() - started, queries, body


def session_cookie(user: Any, organization: Any) -> str:
    """A logged-in session for user, working for organization (no password round trip)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session["organization_id"] = organization.pk
    session["last_activity"] = int(time.time()) + 24 * 3600  # never idle during the run
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def write_results(figures: Figures, meta: dict[str, Any], *, merge: bool = False) -> Path:
    """Write bench/results/latest.json. With merge (a partial run, BENCH_ONLY), the figures
    of the previous run are kept and only those measured now replaced."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "latest.json"
    values = dict(figures.values)
    if merge and path.exists():
        try:
            previous = json.loads(path.read_text())
            # Replace what was measured now: whole groups (load.*), or single pages when
            # only some were (BENCH_PAGES).
            depth = 2 if os.environ.get("BENCH_PAGES") else 1
            measured = {".".join(k.split(".")[:depth]) for k in values}
            kept = {
                k: v
                for k, v in previous.get("figures", {}).items()
                if ".".join(k.split(".")[:depth]) not in measured
            }
            values = {**kept, **values}
            meta = {
                **previous.get("meta", {}),
                **meta,
                "partial_runs": [
                    *previous.get("meta", {}).get("partial_runs", []),
                    meta.get("started"),
                ],
            }
        except ValueError:
            pass
    path.write_text(json.dumps({"meta": meta, "figures": values}, indent=2, default=str))
    return path
