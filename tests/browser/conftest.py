"""Playwright in Debian's Chromium (/usr/bin/chromium): `playwright install` cannot download
browsers here (see ../shared/ENVIRONMENT.md); bin/ensure-services installs the package."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

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
