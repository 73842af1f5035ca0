"""Benchmarks only (`make bench`, bin/bench): production behaviour, plus

- `bench.middleware.QueryCountMiddleware`, which reports each request's SQL query count and
  database time in `X-Bench-Queries` / `X-Bench-Db-Ms` response headers;
- `bench.urls`: the project's URLs plus one bare login-required view doing one query
  (`/__bench__/ping/`), the framework's ceiling for the load test.

Never used outside bin/bench: neither header nor view exists in any other settings module.
"""

from .base import *

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="parcours-bench-not-a-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
BENCH = True

# As in production: persistent connections (gunicorn sync workers).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
# Static files straight from the apps (no collectstatic step in the benchmark).
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_USE_FINDERS = True
# The load test logs in a few users from one address many times over.
AXES_ENABLED = False
LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="ERROR")
