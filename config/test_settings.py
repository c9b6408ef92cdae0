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
from .settings import CELERY_BROKER_URL  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Unit tests run tasks in-process; tests/integration starts real workers against REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
INTEGRATION_BROKER_URL = CELERY_BROKER_URL
