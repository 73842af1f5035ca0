"""Production settings pass `manage.py check --deploy` with zero warnings, and the security
headers are on every response."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x7Qp3-n0t-a-real-s3cret-but-long-and-random-enough-9f2Kd8sLmZ41vB",
    "DJANGO_ALLOWED_HOSTS": "parcours.exemple.fr",
    "DATABASE_URL": "postgres://parcours_app:secret@db.exemple.fr:5432/parcours",
    "REDIS_URL": "redis://redis.exemple.fr:6379/0",
    "EMAIL_URL": "smtp+tls://parcours:secret@smtp.exemple.fr:587",
}


def _manage(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **(env if env is not None else PRODUCTION_ENV)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_no_warning() -> None:
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_hardened() -> None:
    script = (
        "import json; from django.conf import settings as s; print(json.dumps({k: getattr(s, k) "
        "for k in ['DEBUG', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'X_FRAME_OPTIONS', 'SECURE_SSL_REDIRECT', 'CONTENT_SECURITY_POLICY', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'EMAIL_BACKEND', 'CELERY_TASK_ALWAYS_EAGER']}))"
    )
    result = _manage("shell", "-c", script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert "frame-ancestors 'none'" in values["CONTENT_SECURITY_POLICY"]
    assert "script-src 'self';" in values["CONTENT_SECURITY_POLICY"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["CELERY_TASK_ALWAYS_EAGER"] is False


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "REDIS_URL"])
def test_production_refuses_to_start_without_its_settings(missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client: Any) -> None:
    response = client.get("/connexion/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
