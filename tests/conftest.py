"""Test harness: the real PostgreSQL (under row-level security), Redis and Celery worker.

- The test database is created and migrated as the owner role; then every connection is
  switched to the application role, so tests run exactly as production does (RLS on).
- `celery_worker` starts a real `celery worker` process against the real Redis and the test
  database (as the application role), on a queue private to this test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from core.context import organization_context

APP_ROLE = settings.DATABASE_APP_ROLE


def _switch_connections(user: str) -> None:
    for connection in connections.all():
        connection.close()
        connection.settings_dict["USER"] = user
        connection.settings_dict["PASSWORD"] = (
            os.environ.get("DATABASE_APP_PASSWORD", "")
            if user == APP_ROLE
            else connection.settings_dict.get("PASSWORD", "")
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    owner = connections["default"].settings_dict["USER"]
    owner_password = connections["default"].settings_dict.get("PASSWORD", "")
    with django_db_blocker.unblock():
        _switch_connections(APP_ROLE)
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == APP_ROLE, "tests must run as the application role"
    yield
    with django_db_blocker.unblock():
        for connection in connections.all():
            connection.close()
            connection.settings_dict["USER"] = owner
            connection.settings_dict["PASSWORD"] = owner_password


@pytest.fixture(autouse=True)
def _forget_login_failures() -> Iterator[None]:
    """django-axes counts failures in a process-local cache in tests: start each test clean."""
    from django.core.cache import caches

    caches["axes"].clear()
    yield
    caches["axes"].clear()


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Organisations and people ---------------------------------------------------------------------


@pytest.fixture
def org(db: Any) -> Any:
    from tests.organizations.factories import OrganizationFactory

    return OrganizationFactory(name="Habitat Test", slug="habitat-test")


@pytest.fixture
def other_org(db: Any) -> Any:
    from tests.organizations.factories import OrganizationFactory

    return OrganizationFactory(name="Autre Bailleur", slug="autre-bailleur")


@pytest.fixture
def member_of() -> Any:
    """member_of(org, role) -> user with that role in org."""
    from tests.organizations.factories import MembershipFactory

    def make(organization: Any, role: str = "social_worker", **kwargs: Any) -> Any:
        return MembershipFactory(organization=organization, role=role, **kwargs).user

    return make


@pytest.fixture
def client_for(client: Any) -> Any:
    """client_for(user, org) -> the test client logged in as user, working for org."""

    def make(user: Any, organization: Any = None) -> Any:
        client.force_login(user)
        if organization is not None:
            session = client.session
            session["organization_id"] = organization.pk
            session.save()
        return client

    return make


@pytest.fixture
def in_org() -> Any:
    """with in_org(org): ...  — query organisation data in a test."""
    return organization_context


# --- The real Celery worker ---------------------------------------------------------------------


def _worker_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    name = db["NAME"]
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = os.environ.get("DATABASE_APP_PASSWORD", "")
    auth = f"{APP_ROLE}:{password}" if password else APP_ROLE
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.test",
        TEST_WORKER_DATABASE_URL=f"postgres://{auth}@{host}:{port}/{name}",
        CELERY_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
        TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT),
    )
    return env


class Worker:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.process: subprocess.Popen | None = None
        self.name = f"parcours-test-{uuid.uuid4().hex[:8]}@%h"

    def start(self) -> None:
        self._log = open(self.workdir / "worker.log", "ab")  # noqa: SIM115 - closed in stop()
        log = self._log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
                "-Q",
                settings.CELERY_TASK_DEFAULT_QUEUE,
                "-n",
                self.name,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            env=_worker_env(),
            cwd=settings.BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        from config.celery import app

        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited: see {self.workdir / 'worker.log'}")
            replies = app.control.ping(
                timeout=0.5, destination=[self.name.replace("%h", os.uname().nodename)]
            )
            if replies:
                return
        raise RuntimeError("Celery worker did not answer within 30 s")

    def stop(self, *, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            self.process.wait(timeout=30)
        if getattr(self, "_log", None) is not None:
            self._log.close()
            self._log = None

    def log(self) -> str:
        return (self.workdir / "worker.log").read_text(errors="replace")


_WORKERS: list[Worker] = []


@pytest.fixture(scope="session")
def celery_worker(django_db_setup: Any, tmp_path_factory: Any) -> Iterator[Worker]:
    """A real Celery worker process for the session (tests using it need transaction=True)."""
    worker = Worker(tmp_path_factory.mktemp("celery"))
    worker.start()
    _WORKERS.append(worker)
    yield worker
    _WORKERS.remove(worker)
    worker.stop()


def _is_transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )


def _celery_idle() -> None:
    """Wait until the session's worker has run everything sent to this run's queue; without a
    running worker, drop what was sent (it would run later, against another test's rows)."""
    import redis

    from config.celery import app

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    running = [w for w in _WORKERS if w.process is not None and w.process.poll() is None]
    if not running:
        broker.delete(queue)
        return
    names = [w.name.replace("%h", os.uname().nodename) for w in running]
    inspect = app.control.inspect(destination=names, timeout=1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if not broker.llen(queue):
            replies = [inspect.active() or {}, inspect.reserved() or {}]
            if all(not tasks for reply in replies for tasks in reply.values()):
                return
        time.sleep(0.1)
    raise AssertionError("le worker Celery n'a pas fini ses tâches en 60 s")


@pytest.fixture(autouse=True)
def _background_work_done_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test ends with a flush (TRUNCATE of every table). A task still running
    then (a page sent one: the home page asks for its indicator snapshot) holds locks on some
    tables and waits for others: PostgreSQL ends the deadlock by cancelling one side, sometimes
    the flush, which leaves the next test with this one's rows. Torn down before the flush."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    _celery_idle()
