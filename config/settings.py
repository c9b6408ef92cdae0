"""Settings for the missions portal: one module, driven by the environment.

Without any variable set the portal runs embedded: SQLite under var/, Celery eager, local-memory
cache, console e-mail. DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS and DEBUG
switch it to production; .env.example documents every variable.
"""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is not set. Set SECRET_KEY (or DEBUG=1 for local development only).")
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The portal's own apps, bottom layer first (the import contracts in pyproject.toml): role groups,
# ownership declarations and the admin's grammar cover every model of these.
PORTAL_APPS = ("companies", "missions", "agreements", "releases", "partners")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    *PORTAL_APPS,
    "config.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "config.middleware.AdminNulCharacterMiddleware",
    # Last, as django-axes requires: it turns a lockout signalled during authentication into a response.
    "axes.middleware.AxesMiddleware",
]

# The benchmark's server (tests/bench/run_bench.py) only: a query-count header, the floor view and the
# stock admin (config/bench.py). Never set on a deployment.
BENCH = env_bool("PORTAL_BENCH", False)
if BENCH:
    MIDDLEWARE.insert(0, "config.bench.QueryCountMiddleware")

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
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "companies.context_processors.portal_role",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite under var/. Production: DATABASE_URL (PostgreSQL), persistent
# connections with a health check before reuse.
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "60"))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # Concurrent requests on the embedded database: a writer waits up to 20 s for another's lock
    # (rather than failing at once with "database is locked"), readers do not block the writer
    # (WAL), and a transaction takes the write lock when it begins, so one that read first never
    # finds its snapshot stale when it comes to write (SQLite then refuses without waiting).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery ----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Seconds the dashboard's and the front page's figures stay cached (config/portal/figures_cache.py). A
# write through the models replaces them at once; this bounds only what a write past the models'
# signals (raw SQL, QuerySet.update) could leave stale. The local-memory cache is one per process:
# with several web processes and no REDIS_URL, another process's write shows within this time.
PORTAL_FIGURES_CACHE_SECONDS = int(os.environ.get("PORTAL_FIGURES_CACHE_SECONDS", "600"))

# Without a broker, tasks run in-process (embedded default); with one, in a worker.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL or None)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Moscow"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# Publishing gives up quickly when the broker is down: the database keeps what is due, and the
# next dispatch (or `manage.py send_reminders`) sends it.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
# Periodic jobs are defined here, in code; `celery beat` reads them.
CELERY_BEAT_SCHEDULE = {
    "refresh-agreement-statuses-daily": {
        "task": "agreements.refresh_statuses",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every hour of the working day: a scan that missed a day (beat down) catches up at the next.
    "scan-reminders-hourly": {
        "task": "agreements.scan_reminders",
        "schedule": crontab(hour="7-20", minute=5),
    },
    "dispatch-reminders": {
        "task": "agreements.dispatch_reminders",
        "schedule": int(os.environ.get("REMINDER_DISPATCH_SECONDS", "60")),
    },
    # Partner suggestions marked stale by a change elsewhere in the directory (partners.suggestions).
    "refresh-stale-suggestions": {
        "task": "partners.refresh_stale_suggestions",
        "schedule": int(os.environ.get("SUGGESTIONS_REFRESH_SECONDS", "600")),
    },
}

# --- REST API (/api/v1/) ---------------------------------------------------------------------
REST_FRAMEWORK = {
    # A key for integrations; the browser's session (with CSRF) for the documentation pages.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "companies.api_tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],  # reads: the selectors decide
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.api_pagination.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["config.parsers.PortalJSONParser"],  # limits the body's size and nesting
    "DEFAULT_SCHEMA_CLASS": "config.api.PortalAutoSchema",
    "EXCEPTION_HANDLER": "config.api.api_exception_handler",
    "ORDERING_PARAM": "ordering",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Missions portal API",
    "DESCRIPTION": (
        "Business missions, delegations, B2B meetings, agreements and cooperation projects of the regional "
        "ministries of industry. Reads are open (what is published; more for signed-in staff and officials); "
        "send `Authorization: Token <key>` with a key made in the personal area (/account/keys/) or by staff "
        "in the admin. Lists are paged (`page`, `page_size` up to 100). Every error has one shape: "
        "`{status, errors: [{field, code, message}]}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProjectStageEnum": "agreements.models.CooperationProject.Stage",
        "DatePrecisionEnum": "companies.dates.DatePrecision",
    },
}

# --- Follow-up reminders ----------------------------------------------------------------------
# Links in letters point here (scheme and host the recipients reach the portal at).
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
REMINDER_MAX_ATTEMPTS = int(os.environ.get("REMINDER_MAX_ATTEMPTS", "6"))
# A failed letter waits RETRY × 2^(attempts − 1) seconds, at most six hours, before the next try.
REMINDER_RETRY_SECONDS = int(os.environ.get("REMINDER_RETRY_SECONDS", "300"))
# A letter claimed this long ago and not finished (its worker died) goes back to the queue.
REMINDER_SENDING_TIMEOUT_SECONDS = int(os.environ.get("REMINDER_SENDING_TIMEOUT_SECONDS", "900"))
REMINDER_LINK_DAYS = int(os.environ.get("REMINDER_LINK_DAYS", "14"))
# At most this many pending meeting requests of one company in one mission (partners).
MEETING_REQUESTS_PENDING_MAX = int(os.environ.get("MEETING_REQUESTS_PENDING_MAX", "10"))

# --- E-mail --------------------------------------------------------------------------------


def email_settings(url: str) -> dict:
    """Translate EMAIL_URL (smtp://user:password@host:587/?tls=1, console:, locmem:) to settings."""
    if not url or url.startswith("console:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if url.startswith("locmem:"):
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    parts = urlsplit(url)
    if parts.scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": parts.path,
        }
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {parts.scheme!r} is not supported.")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "localhost",
        "EMAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 25),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": query.get("tls", ["0"])[0] in {"1", "true"},
    }


globals().update(email_settings(os.environ.get("EMAIL_URL", "")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "missions-portal@localhost")
# A slow mail server must not hold a reminder longer than REMINDER_SENDING_TIMEOUT_SECONDS.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Auth ----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for passwords: its hook revokes the user's API keys when the password changes.
    {"NAME": "companies.api_tokens.RevokeKeysOnPasswordChange"},
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "account:start"  # the user's home by role (companies.roles.home_url_for)
# django-axes checks every authentication (site login, admin login, any token endpoint) first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# --- Languages and time --------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Moscow"
USE_I18N = True
USE_TZ = True

# --- Static and media files ----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Exports (companies.exports): an XLSX of more rows than this is written by a Celery task to EXPORT_DIR.
EXPORT_INLINE_MAX_ROWS = int(os.environ.get("EXPORT_INLINE_MAX_ROWS", "3000"))
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", VAR_DIR / "exports"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Agreement documents (agreements/documents.py): the largest upload, and, behind nginx, the internal
# location the document view hands the file to (X-Accel-Redirect) instead of sending its bytes itself.
AGREEMENT_DOCUMENT_MAX_BYTES = int(os.environ.get("AGREEMENT_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024))
DOCUMENTS_X_ACCEL_REDIRECT = os.environ.get("DOCUMENTS_X_ACCEL_REDIRECT", "")

# --- Imports from Excel and CSV (companies.imports) ---------------------------------------------
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 5 * 1024 * 1024))  # refused before it is parsed
IMPORT_MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # an .xlsx unpacking to more is refused (zip bomb)
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 5000))
IMPORT_MAX_SHEETS = 10
IMPORT_INLINE_MAX_ROWS = int(os.environ.get("IMPORT_INLINE_MAX_ROWS", 300))  # larger files run as a Celery task

# --- Security ------------------------------------------------------------------------------
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1 so request.is_secure() is right.
if env_bool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# The container health check calls /healthz/ over plain HTTP from inside the container.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12  # a working day; signing in again after that is cheap

# Content-Security-Policy on every response (django-csp; its middleware sits after WhiteNoise, so the
# static files, which are not pages, go without it): the portal's own scripts, styles, images and fonts
# only. No inline script or style, not even a style="" attribute: bars take their width from a class
# (static/css/portal.css) and scripts live in static/js. Django's admin needs no allowance: its
# templates load every script from a file and pass data in data- attributes, and its scripts change
# styles through the CSSOM, which style-src does not restrict (the browser tests open every admin page
# under this policy). Images: the SVG charts are inline markup, not data: URLs, so img-src is 'self'.
# The API docs set their own policy (config/api_urls.py). With DEBUG on, django-csp leaves 404 and
# 500 responses without the header, so that Django's debug pages work.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}


# --- Login throttling (django-axes) --------------------------------------------------------
# Five failed sign-ins for one username from one address lock that pair out for an hour (429,
# templates/registration/lockout.html); a successful sign-in resets the count.
def client_ip_address(request) -> str | None:
    """The address the login throttle counts: REMOTE_ADDR, never a header the client can set.

    Behind TRUSTED_PROXY_COUNT reverse proxies that each append the address they saw to
    X-Forwarded-For, the client is the entry that many places from the right; whatever an attacker
    puts to the left of it is ignored.
    """
    if TRUSTED_PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= TRUSTED_PROXY_COUNT:
            return forwarded[-TRUSTED_PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_ENABLED = True
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(hours=1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = client_ip_address
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]  # used only if django-ipware were installed
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429

# --- Logging -------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in check at INFO; its warnings (lockouts) are what operators need.
    "loggers": {"axes": {"level": os.environ.get("AXES_LOG_LEVEL", "WARNING")}},
}
