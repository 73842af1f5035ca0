"""The test suite: always the real PostgreSQL and Redis (never SQLite, never an in-memory broker).

The suite connects as the database owner to create the test database and run migrations, then
switches every connection to the application role (tests/conftest.py), so that every test runs
under row-level security exactly as production does.
"""

import os

from .base import *

DEBUG = False
SECRET_KEY = "parcours-tests"  # noqa: S105
ALLOWED_HOSTS = ["*"]

_owner_url = os.environ.get(
    "DATABASE_OWNER_URL", "postgres://parcours_owner@127.0.0.1:5432/parcours"
)
DATABASES = {"default": env.db_url_config(_owner_url)}
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TEST_DATABASE_NAME", "test_parcours")}
# The Celery worker started by the tests connects to the test database as the application role.
if os.environ.get("TEST_WORKER_DATABASE_URL"):
    DATABASES = {"default": env.db_url_config(os.environ["TEST_WORKER_DATABASE_URL"])}
IS_POSTGRESQL = True
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "parcours_app")
DATABASE_PARTNER_ROLE = os.environ.get("DATABASE_PARTNER_ROLE", f"{DATABASE_APP_ROLE}_partner")
# Test databases are flushed between transactional tests: TRUNCATE is granted to the
# application role in the test database only (never in production).
DATABASE_APP_ROLE_EXTRA_GRANTS = ["TRUNCATE"]

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    # Login failures: in memory, emptied after every test (tests/conftest.py), so that parallel
    # runs sharing the Redis database never lock each other's (identical) test accounts out.
    "axes": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "axes"},
}
SILENCED_SYSTEM_CHECKS = ["axes.W001"]
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
# Each test run has its own queue so that parallel runs on one machine never steal each
# other's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", f"parcours-test-{os.getpid()}")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
# Django's live server (browser tests) wraps the application in a media handler that needs a
# URL prefix; nothing links to it (documents are served by scoped views only).
MEDIA_URL = "/media-non-publie/"
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", str(VAR_DIR / "test-media")))
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_FAILURE_LIMIT = 5

# Serve static files from the apps and static/ directly (no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
