"""Integration tests run against real PostgreSQL, Redis and Celery worker processes."""

import asyncio
import email
import email.policy
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import require_service

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_services(transactional_db, django_db_serialized_rollback):
    """PostgreSQL as the test database and Redis as the broker, or skip (fail under REQUIRE_SERVICES).

    Committed rows (worker processes see them) are flushed after each test; the serialized rollback
    puts back what the migrations load (the regions directory, the reminder policy) for the next.
    """
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


# --- Helpers shared by the reminder delivery tests -------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on right now (the kernel's choice, released at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, interval: float = 0.2, describe=lambda: ""):
    """Poll `predicate` until it returns something truthy; fail with `describe()` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"Timed out after {timeout}s waiting for {predicate.__name__}.\n{describe()}", pytrace=False)
        time.sleep(interval)


# --- A real SMTP server in the test process ---------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    message_id: str
    to: str
    subject: str
    at: float


class SinkHandler:
    """aiosmtpd handler that records what it accepts and can refuse or stall on demand.

    mode: "accept"; "refuse_rcpt" (550 to every recipient); "refuse_data" (554 after the data).
    block_next_mail(): the next MAIL FROM waits until release() — the sender sits in the middle of
    its SMTP conversation, before any data, so killing it there delivers nothing.
    """

    def __init__(self):
        self.mode = "accept"
        self._lock = threading.Lock()
        self._accepted: list[Delivered] = []
        self._refused: list[tuple[str, float]] = []
        self._block_next = False
        self.blocked = threading.Event()  # set while a sender is held in MAIL FROM
        self._release = threading.Event()

    # Controls, called from the test thread.
    def block_next_mail(self) -> None:
        self._release.clear()
        self.blocked.clear()
        self._block_next = True

    def release(self) -> None:
        self._release.set()

    @property
    def accepted(self) -> list[Delivered]:
        with self._lock:
            return list(self._accepted)

    @property
    def refused(self) -> list[tuple[str, float]]:
        """(recipient, time) of every refusal."""
        with self._lock:
            return list(self._refused)

    def message_ids(self) -> Counter:
        return Counter(d.message_id for d in self.accepted)

    # aiosmtpd hooks, run in the server's event loop thread.
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self._block_next:
            self._block_next = False
            self.blocked.set()
            while not self._release.is_set():  # poll: the event loop keeps serving other sessions
                await asyncio.sleep(0.05)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.mode == "refuse_rcpt":
            with self._lock:
                self._refused.append((address.lower(), time.time()))
            return "550 5.1.1 Mailbox unavailable (refused by the test sink)"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.mode == "refuse_data":
            with self._lock:
                self._refused.extend((rcpt.lower(), time.time()) for rcpt in envelope.rcpt_tos)
            return "554 5.7.1 Message rejected (refused by the test sink)"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        delivered = Delivered(
            message_id=str(message["Message-ID"]).strip(),
            to=", ".join(envelope.rcpt_tos).lower(),
            subject=str(message["Subject"]),
            at=time.time(),
        )
        with self._lock:
            self._accepted.append(delivered)
        return "250 Message accepted for delivery"


@dataclass
class SmtpSink:
    handler: SinkHandler
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@pytest.fixture
def smtp_sink():
    """An SMTP server on a free port of this process, seen by worker processes at `sink.url`."""
    from aiosmtpd.controller import Controller

    mail_log = logging.getLogger("mail.log")  # aiosmtpd logs every command at INFO
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    handler = SinkHandler()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(), server_hostname="sink.test", ready_timeout=10
    )
    controller.start()
    try:
        yield SmtpSink(handler=handler, port=controller.port)
    finally:
        handler.release()
        controller.stop()
        mail_log.setLevel(level)


# --- Worker, beat and redis-server processes --------------------------------------------------


@dataclass
class Service:
    name: str
    process: subprocess.Popen
    log: Path
    url: str = ""  # a redis-server's address

    def text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


def _stop(process: subprocess.Popen, timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


class Services:
    """Starts celery workers, celery beat and redis-server for one test; stops them all at the end."""

    def __init__(self, directory: Path, redis_url: str):
        self.directory = directory
        self.redis_url = redis_url
        self.started: list[Service] = []
        self.queues: set[str] = set()

    def env(self, queue: str, *, redis_url: str | None = None, **overrides) -> dict:
        """Production settings against the test database, the given Redis as cache, broker and results."""
        url = redis_url or self.redis_url
        env = worker_env(url)
        env.update(CELERY_BROKER_URL=url, CELERY_RESULT_BACKEND=url, CELERY_QUEUE=queue, LOG_LEVEL="INFO")
        env.update({key: str(value) for key, value in overrides.items()})
        return env

    def _spawn(self, name: str, command: list[str], env: dict | None) -> Service:
        log = self.directory / f"{name}.log"
        with log.open("w") as out:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        service = Service(name=name, process=process, log=log)
        self.started.append(service)
        return service

    def _wait_log(self, service: Service, marker: str, timeout: float = 60) -> None:
        def started():
            if not service.alive:
                pytest.fail(
                    f"{service.name} exited with {service.process.returncode}:\n{service.text()}", pytrace=False
                )
            return marker in service.text()

        wait_for(started, timeout=timeout, describe=service.text)

    def worker(self, queue: str, *, name: str | None = None, wait: bool = True, **env) -> Service:
        """A `celery worker --pool solo` consuming `queue` (where its own dispatches publish too)."""
        name = name or f"worker{len(self.started) + 1}"
        self.queues.add(queue)
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--queues", queue,
            "--hostname", f"{name}-{queue}@%h", "--loglevel", "INFO",
            "--without-heartbeat", "--without-mingle", "--without-gossip",
        ]  # fmt: skip
        service = self._spawn(name, command, self.env(queue, **env))
        if wait:
            self._wait_log(service, " ready.")
        return service

    def beat(self, queue: str, *, dispatch_seconds: int = 2, name: str = "beat", **env) -> Service:
        """`celery beat` publishing agreements.dispatch_reminders to `queue` every `dispatch_seconds`."""
        self.queues.add(queue)
        command = [
            sys.executable, "-m", "celery", "-A", "config", "beat", "--loglevel", "INFO",
            "--schedule", str(self.directory / f"{name}-schedule"), "--pidfile", str(self.directory / f"{name}.pid"),
        ]  # fmt: skip
        service = self._spawn(name, command, self.env(queue, REMINDER_DISPATCH_SECONDS=dispatch_seconds, **env))
        self._wait_log(service, "beat: Starting...")
        return service

    def redis_server(self, port: int, *, name: str = "redis") -> Service:
        """A private redis-server without persistence on `port`, answering PING before this returns."""
        binary = shutil.which("redis-server")
        require_service(binary is not None, "redis-server is not installed")
        command = [
            binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--daemonize", "no", "--dir", str(self.directory),
        ]  # fmt: skip
        service = self._spawn(name, command, None)
        service.url = f"redis://127.0.0.1:{port}/0"
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=1)

        def answers():
            if not service.alive:
                pytest.fail(f"redis-server exited:\n{service.text()}", pytrace=False)
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False

        try:
            wait_for(answers, timeout=20, interval=0.1, describe=service.text)
        finally:
            client.close()
        return service

    def stop(self, service: Service, timeout: float = 20) -> None:
        _stop(service.process, timeout)

    def kill(self, service: Service) -> None:
        """SIGKILL: the process gets no chance to finish, ack or reject anything."""
        os.kill(service.process.pid, signal.SIGKILL)
        service.process.wait(timeout=10)

    def logs(self) -> str:
        """Every log, for assertion messages."""
        return "\n".join(f"----- {s.name} (pid {s.process.pid}) -----\n{s.text()[-6000:]}" for s in self.started)

    def close(self) -> None:
        # Beat first (it publishes), then workers, redis-server last (the others talk to it).
        for service in sorted(self.started, key=lambda s: (s.name.startswith("redis"), s.name != "beat")):
            _stop(service.process)
        self._forget_queues()

    def _forget_queues(self) -> None:
        """Drop the test queues' keys from the shared Redis (a private redis-server is gone anyway)."""
        import redis

        client = redis.Redis.from_url(self.redis_url, socket_connect_timeout=2)
        try:
            for queue in self.queues:
                for key in client.scan_iter(match=f"*{queue}*"):
                    client.delete(key)
        except redis.exceptions.ConnectionError:
            pass
        finally:
            client.close()


@pytest.fixture
def services(real_services):
    """Factory of worker, beat and redis-server processes (see Services), all stopped after the test."""
    directory = Path(tempfile.mkdtemp(prefix="reminders-it-"))
    started = Services(directory, real_services)
    try:
        yield started
    finally:
        try:
            started.close()
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def unique_queue() -> str:
    return f"it-{uuid.uuid4().hex[:12]}"


class Publisher:
    """A Celery client of its own (never the current app: the test settings run tasks eagerly), over a
    broker connection of its own.

    Not over the app's pool: kombu keeps one pool per broker address for every app of the process, so
    closing "its" pool closed the project's app's too, and every eager task the process ran after
    this test failed with "Acquire on closed pool" (a task runs eagerly only after taking a producer).
    """

    def __init__(self, broker_url: str, queue: str):
        from celery import Celery

        self.queue = queue
        self.app = Celery("integration-publisher", broker=broker_url, set_as_current=False)
        self.connection = self.app.connection_for_write()

    def send(self, name: str, *args) -> None:
        self.app.send_task(name, args=list(args), queue=self.queue, ignore_result=True, connection=self.connection)

    def close(self) -> None:
        self.connection.release()


@pytest.fixture
def publisher():
    """publisher(broker_url, queue) → Publisher; connections closed after the test."""
    made: list[Publisher] = []

    def make(broker_url: str, queue: str) -> Publisher:
        made.append(Publisher(broker_url, queue))
        return made[-1]

    try:
        yield make
    finally:
        for client in made:
            client.close()
