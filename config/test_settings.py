"""Settings for the test suite: the production module, with test-only speed-ups.

The environment still decides the database and the broker: with DATABASE_URL and REDIS_URL set the
suite runs on PostgreSQL and Redis, otherwise on SQLite with eager Celery.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SESSION_COOKIE_SECURE", "0")
os.environ.setdefault("CSRF_COOKIE_SECURE", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from .settings import *  # noqa: E402,F403
from .settings import CELERY_BROKER_URL, STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; tests/integration starts real workers against REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
INTEGRATION_BROKER_URL = CELERY_BROKER_URL
# Plain static storage: pages name static files by their source names, so a bare `pytest` needs no
# `collectstatic` first (the manifest storage refuses to render a page whose files are not collected).
# The tests of what the manifest adds, and the browser tests, switch to the production storage
# themselves (the `production_static` fixture, tests/e2e/conftest.py).
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# WhiteNoise looks a static file up when it is asked for, rather than listing all of STATIC_ROOT
# whenever a request handler starts: the test client starts one for every client, and with a
# collected STATIC_ROOT (thousands of hashed and compressed files) that listing took most of the
# time of the tests that make many clients (a test of the permission matrix: 96 s, now 21 s).
WHITENOISE_AUTOREFRESH = True
# pytest-xdist workers share REDIS_URL: each keeps its cache keys apart (each has its own database).
CACHES["default"]["KEY_PREFIX"] = os.environ.get("PYTEST_XDIST_WORKER", "")  # noqa: F405
