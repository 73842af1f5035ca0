"""Playwright in Debian's Chromium (/usr/bin/chromium): `playwright install` cannot download
browsers here (see ../shared/ENVIRONMENT.md); bin/ensure-services installs the package."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import signals

# Playwright's sync API runs an event loop in the test's thread: let the ORM run there too.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PARCOURS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : `apt-get install chromium`.")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def report_worker(celery_worker: Any, settings: Any, tmp_path_factory: Any) -> Any:
    """The session's real Celery worker, writing documents where the live server reads them
    (MEDIA_ROOT is per test in this process; the worker takes it from its environment at
    start). Same arrangement as tests/reporting/test_jobs.py."""
    media = getattr(celery_worker, "reporting_media", None)
    if media is None:
        media = tmp_path_factory.mktemp("reporting-media")
        settings.MEDIA_ROOT = media
        celery_worker.stop()
        celery_worker.start()
        celery_worker.reporting_media = media
    settings.MEDIA_ROOT = media
    return celery_worker


class _InFlight:
    """Requests the live server (threads of this process) is still serving. The database is
    flushed (TRUNCATE of every table) after each browser test: a request still running then
    (a page's last asset, a navigation the test did not wait for) holds locks on some tables
    and waits for others, and PostgreSQL ends the deadlock by cancelling one of the two,
    sometimes the flush, which leaves the next test with the previous one's rows."""

    def __init__(self) -> None:
        self.count = 0
        self.lock = threading.Lock()

    def started(self, **kwargs: Any) -> None:
        with self.lock:
            self.count += 1

    def finished(self, **kwargs: Any) -> None:
        with self.lock:
            self.count -= 1


@pytest.fixture(autouse=True)
def _live_server_idle_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Torn down before the database is flushed (it asks for `transactional_db` itself): waits
    until the live server has answered every request the browser made."""
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    in_flight = _InFlight()
    signals.request_started.connect(in_flight.started, weak=False)
    signals.request_finished.connect(in_flight.finished, weak=False)
    try:
        yield
        deadline = time.monotonic() + 10
        while in_flight.count > 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert in_flight.count <= 0, "le serveur de test répond encore à des requêtes"
    finally:
        signals.request_started.disconnect(in_flight.started)
        signals.request_finished.disconnect(in_flight.finished)
