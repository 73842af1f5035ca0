"""Settings shared by every environment.

Everything that differs between machines is read from the environment by parsers that fail
loudly (django-environ). See README.md for the table of variables.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # core first: its management commands (demo_data, db_setup) and templates win.
    "core",
    "organizations",
    "housing",
    "cases",
    "allocations",
    "quotas",
    "arrears",
    "reporting",
    "operations",
    "privacy",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.IdleSessionTimeoutMiddleware",
    # Opens the request transaction and sets the organisation (app scope + PostgreSQL RLS).
    "core.middleware.OrganizationMiddleware",
    # Deny by default: a view without a declared access rule is refused.
    "core.middleware.AccessRuleMiddleware",
    # Second factor: verification for users with a device, enrolment where the organisation
    # requires it (organizations/two_factor.py).
    "core.middleware_2fa.SecondFactorMiddleware",
    # Last: django-axes must see the authentication attempts of the views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.organization",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
# DATABASE_URL is the application's connection: on PostgreSQL, a role that is neither superuser,
# nor table owner, nor BYPASSRLS (see docs/operations.md). Migrations run with the owner's URL:
# `make migrate` passes DATABASE_OWNER_URL as DATABASE_URL to `manage.py migrate`.
# Without DATABASE_URL, the embedded demo default: SQLite in var/.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'parcours.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
IS_POSTGRESQL = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
# The role the application connects as; RLS policies and grants name it.
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="parcours_app")
# A NOLOGIN role the application switches to (SET LOCAL ROLE) only while acting for an
# organisation that holds partner grants: the partner-access policies apply to it alone
# (privacy/rls.py, docs/decisions.md 9). Created by `manage.py db_setup`.
DATABASE_PARTNER_ROLE = env.str("DATABASE_PARTNER_ROLE", default=f"{DATABASE_APP_ROLE}_partner")
DATABASE_APP_ROLE_EXTRA_GRANTS: list[str] = []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication ---------------------------------------------------------------------------
AUTH_USER_MODEL = "organizations.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses locked-out credentials before any other backend runs.
    "axes.backends.AxesStandaloneBackend",
    "organizations.backends.EmailBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# CNIL deliberation 2022-100: 12 characters with complexity when no lockout, or 8 characters
# with a lockout mechanism. We lock out (django-axes) AND ask for 12 characters, and we do not
# force periodic renewal.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# django-axes: 5 failures lock the (username, IP) pair for 15 minutes. Deliberate: long enough
# to stop online guessing (CNIL asks for a temporisation), short enough not to need an admin.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "organizations.views.locked_out"
AXES_VERBOSE = False
# Failed attempts are counted in a cache (Redis in production), not in the database: every
# request runs in one transaction that an error response rolls back (core.middleware), and the
# 400 of a failed API login or the 429 of a lockout would roll the count back with it
# (docs/decisions.md).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_CACHE = "axes"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
# Idle expiry: a session unused for this many seconds is ended (shared office computers).
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Never a public URL: documents are served by scoped views only.
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security headers ---------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# No inline script anywhere; styles only from our own files (SVG charts carry style attributes).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'self'; object-src 'none'"
)

# --- Cache, Celery ------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
        "axes": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "axes",
        },
    }
else:
    # The embedded demo (one process): login failures are counted in memory.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "axes": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "axes"},
    }
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_RESULT_EXPIRES = 3600
# Without Redis (the embedded demo), tasks run in-process, right after the transaction commits.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="parcours")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A broker that does not answer must not hang a web request: the job row stays "queued" and
# the periodic re-dispatcher sends it later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BEAT_SCHEDULE: dict = {}
# reporting — re-dispatch of report jobs left queued (broker down), never sent, or running past
# their lease (worker lost); see docs/reporting.md
CELERY_BEAT_SCHEDULE["reporting-redispatch-jobs"] = {
    "task": "reporting.redispatch_jobs",
    "schedule": 60.0,
    "options": {"expires": 55},
}
# reporting — the dashboards' indicators of the current and previous year computed again every
# night (IndicatorSnapshot; docs/reporting.md, "Snapshots")
CELERY_BEAT_SCHEDULE["reporting-refresh-indicators"] = {
    "task": "reporting.refresh_indicator_snapshots",
    "schedule": crontab(hour=2, minute=30),
    "options": {"expires": 6 * 3600},
}
# end reporting
# allocations — renewal reminders, silence → refusal of offers, occupancy reviews (daily)
CELERY_BEAT_SCHEDULE["allocations-daily"] = {
    "task": "allocations.tasks.daily",
    "schedule": 24 * 3600,
    "options": {"expires": 6 * 3600},
}
# end allocations
# privacy — purge of the access/audit logs, then the retention rules (every night)
CELERY_BEAT_SCHEDULE["privacy-logs-purge"] = {
    "task": "privacy.tasks.logs_purge_all",
    "schedule": 24 * 3600,
    "options": {"expires": 6 * 3600},
}
CELERY_BEAT_SCHEDULE["privacy-retention"] = {
    "task": "privacy.tasks.retention_all",
    "schedule": 24 * 3600,
    "options": {"expires": 6 * 3600},
}
# end privacy
# arrears — detection of arrears, closing proposals, matching of repayment plans (daily)
CELERY_BEAT_SCHEDULE["arrears-daily"] = {
    "task": "arrears.tasks.arrears_daily",
    "schedule": 24 * 3600,
    "options": {"expires": 6 * 3600},
}
# end arrears
# cases — recurring outreach calls due again, campaigns past their end closed (daily)
CELERY_BEAT_SCHEDULE["cases-campaign-calls"] = {
    "task": "cases.tasks.campaign_calls_dispatch",
    "schedule": 24 * 3600,
    "options": {"expires": 6 * 3600},
}
# end cases

# --- Django REST Framework ------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.drf.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.drf.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API Parcours",
    "DESCRIPTION": (
        "API de Parcours. Authentification par session ou par jeton "
        "(`Authorization: Token …`, obtenu sur /api/v1/auth/token/). "
        "L'organisation courante se choisit avec l'en-tête `X-Organization` (identifiant court)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

# --- E-mail -----------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Parcours <ne-pas-repondre@parcours.local>"
)

# --- Logging ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
