"""/health/: database, Redis and worker reachability, for load balancers and monitoring."""

from __future__ import annotations

from typing import Any

import pytest

from config.celery import app as celery_app


@pytest.mark.django_db(transaction=True)
@pytest.mark.celery_worker
def test_health_is_ok_with_the_database_redis_and_a_real_worker(
    client: Any, celery_worker: Any
) -> None:
    response = client.get("/health/")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "worker": "ok"},
    }


@pytest.mark.django_db
def test_health_is_degraded_without_a_worker(client: Any, monkeypatch: Any) -> None:
    # Other test runs on this machine may have workers on the same broker: simulate none.
    monkeypatch.setattr(celery_app.control, "ping", lambda **kwargs: [])
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["checks"]["worker"] == "aucun worker ne répond"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_health_is_degraded_when_redis_does_not_answer(
    client: Any, settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(celery_app.control, "ping", lambda **kwargs: [{"w": {"ok": "pong"}}])
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"].startswith("erreur")


def test_health_needs_no_login_and_no_organization(client: Any, db: Any) -> None:
    response = client.get("/health/")
    assert response.status_code in (200, 503)
    assert response["Content-Type"] == "application/json"
