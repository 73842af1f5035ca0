"""Production: everything sensitive comes from the environment, and `check --deploy` is clean
(tests/core/test_deploy.py). See docs/operations.md."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Redis carries the Celery broker and results and the login-failure counts (django-axes): a
# production without it would run tasks in the web process and count failures per process.
if not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL doit être défini en production (Celery, verrouillage).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# The load balancer's and the container's health probes speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# E-mail (invitations, password resets): EMAIL_URL, e.g. smtp+tls://user:pass@smtp.example.fr:587
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))

LOGGING["root"]["level"] = env.str("LOG_LEVEL", default="INFO")
