"""The WSGI entry point freezes the worker's long-lived objects after its first request."""

from __future__ import annotations

import gc
from typing import Any


def test_the_first_request_freezes_what_the_worker_has_loaded(monkeypatch: Any) -> None:
    import config.wsgi

    def served(environ: dict, start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        return [b"ok"]

    monkeypatch.setattr(config.wsgi, "django_application", served)
    monkeypatch.setattr(config.wsgi, "_frozen", False)
    gc.unfreeze()
    try:
        assert config.wsgi.application({}, lambda status, headers: None) == [b"ok"]
        frozen = gc.get_freeze_count()
        assert frozen > 0
        config.wsgi.application({}, lambda status, headers: None)
        assert gc.get_freeze_count() <= frozen  # once per worker, not at every request
    finally:
        gc.unfreeze()
