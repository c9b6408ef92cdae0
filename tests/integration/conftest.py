"""Integration tests run against real PostgreSQL, Redis and Celery worker processes."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_services(transactional_db):
    """PostgreSQL as the test database and Redis as the broker, or skip (fail under REQUIRE_SERVICES)."""
    require_service(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    redis_url = os.environ.get("REDIS_URL", "")
    require_service(bool(redis_url), "REDIS_URL is not set")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as exc:
        require_service(False, f"Redis at {redis_url} does not answer: {exc}")
    return redis_url


def worker_env(redis_url: str) -> dict:
    """The environment of a worker process: production settings, the test database, real Redis."""
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY="integration-test-secret-key",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_TASK_ALWAYS_EAGER="0",
        PYTHONPATH=str(ROOT),
    )
    return env


@pytest.fixture
def celery_worker_process(real_services):
    """A real `celery worker` process on its own queue, stopped after the test."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log = ROOT / "var" / f"worker-{queue}.log"
    log.parent.mkdir(exist_ok=True)
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--queues", queue,
             "--loglevel", "INFO", "--without-heartbeat", "--without-mingle", "--without-gossip"],
            cwd=ROOT, env=worker_env(real_services), stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        yield queue, process, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
