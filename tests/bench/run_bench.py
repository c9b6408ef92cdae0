"""`make bench`: the key pages and API lists against the floor, over HTTP, on PostgreSQL with DEBUG off.

    .venv/bin/python tests/bench/run_bench.py [--scale 0.05] [--requests 30] [--concurrency 4]

It makes (or reuses) the database BENCH_DATABASE_URL, generates data into it at --scale when it holds
none (`manage.py generate_data`), collects static files, starts gunicorn on a free port of 127.0.0.1
with the production settings (DEBUG off, a throwaway SECRET_KEY, Redis as the cache when REDIS_URL is
set) and PORTAL_BENCH=1 (config/bench.py: a query-count header, the floor view and the stock admin),
signs in one login per role through sessions written into the database, and measures every URL: the
median and 95th percentile of --requests sequential requests, the requests per second of
--concurrency clients in parallel, and the SQL queries of one request. It prints a table with each
page's ratio to the floor's p95 and writes it to docs/performance.md (between the BENCH markers).
"""

import argparse
import concurrent.futures
import datetime
import http.client
import json
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "performance.md"
BEGIN, END = "<!-- BENCH:BEGIN -->", "<!-- BENCH:END -->"
DEFAULT_DB = "postgres://postgres:postgres@127.0.0.1:5432/missions_portal_bench"
QUERIES_HEADER = "X-Bench-Queries"
TIMEOUT = 120  # seconds: gunicorn's worker timeout in the bench, and the client's


# --- measuring -----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `share` of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


class Client:
    """One keep-alive HTTP connection to the server, as a browser behind the TLS proxy would send."""

    def __init__(self, port: int, cookie: str = ""):
        self.port, self.cookie = port, cookie
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)

    def get(self, url: str) -> tuple[int, float, int | None, int]:
        headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Accept-Language": "ru"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        started = time.perf_counter()
        try:
            self.connection.request("GET", url, headers=headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):  # a closed keep-alive connection: once more
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            try:
                self.connection.request("GET", url, headers=headers)
                response = self.connection.getresponse()
            except (http.client.HTTPException, OSError):  # the worker was killed at gunicorn's timeout
                self.connection.close()
                return 0, time.perf_counter() - started, None, 0
        body = response.read()
        elapsed = time.perf_counter() - started
        queries = response.getheader(QUERIES_HEADER)
        return response.status, elapsed, int(queries) if queries else None, len(body)


def measure(port: int, url: str, cookie: str, *, requests: int, concurrency: int, budget: float) -> dict:
    """Sequential requests (at least 3, at most `requests`, within `budget` seconds), then `concurrency`
    clients in parallel for about a third of the budget (each at least one request)."""
    client = Client(port, cookie)
    status, warm_up, queries, size = client.get(url)  # warm-up: caches, connections, imports
    least = 3 if warm_up < budget / 2 else 1  # a page slower than half the budget: one request more
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < requests and (len(times) < least or time.perf_counter() - started < budget):
        status, elapsed, queries, size = client.get(url)
        times.append(elapsed)
    clients = [Client(port, cookie) for _ in range(concurrency)]
    deadline = time.perf_counter() + budget / 3

    def load(c: Client) -> int:
        done = 0
        while done < max(1, requests // concurrency) and (done == 0 or time.perf_counter() < deadline):
            c.get(url)
            done += 1
        return done

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(concurrency) as pool:
        done = sum(pool.map(load, clients))
    rps = done / (time.perf_counter() - started)
    return {
        "status": status,
        "median": statistics.median(times) * 1000,
        "p95": percentile(times, 0.95) * 1000,
        "n": len(times),
        "rps": rps,
        "queries": queries,
        "kb": size / 1024,
    }


# --- the table ------------------------------------------------------------------------------------


def table_markdown(rows: list[dict], floor_p95: float, stock_p95: dict[str, float] | None = None) -> str:
    """The results as a Markdown table: each row's ratio to the floor's p95 (and to the stock admin's
    p95 where a row names one to compare with)."""
    lines = [
        "| page | URL | status | queries | KB | median ms | p95 ms | requests | × floor (p95) | req/s at 4 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        ratio = row["p95"] / floor_p95 if floor_p95 else float("nan")
        queries = "—" if row["queries"] is None else str(row["queries"])
        versus = ""
        if stock_p95 and row.get("versus") in stock_p95:
            versus = f" ({stock_p95[row['versus']] / row['p95']:.1f} × faster than the stock admin)"
        lines.append(
            f"| {row['name']}{versus} | `{row['url']}` | {row['status']} | {queries} | {row['kb']:.0f} | "
            f"{row['median']:.1f} | {row['p95']:.1f} | {row.get('n', '')} | {ratio:.1f} | {row['rps']:.1f} |"
        )
    return "\n".join(lines)


def doc_write(text: str, path: Path = DOC) -> None:
    """Put `text` between the BENCH markers of the document (appended with them when they are missing)."""
    block = f"{BEGIN}\n{text}\n{END}"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    if BEGIN in old and END in old:
        new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _m: block, old, flags=re.S)
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(new, encoding="utf-8")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except (OSError, StopIteration):
        memory = 0
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0
    return f"{cpu}, {os.cpu_count()} cores, {memory:,} MB RAM, load average {load:.1f} at the start"


# --- the background jobs --------------------------------------------------------------------------

# (what, the job of tests/bench/jobs.py and its N, the target)
JOBS = [
    ("follow-up scan", ["scan"], "a due batch selected in ≤ 50 ms; peak ≤ 200 MB"),
    ("send 10,000 reminders", ["send", "10000"], "≤ 60 s; peak ≤ 200 MB"),
    ("export 5,000 meetings (XLSX)", ["export", "5000"], "—"),
    ("export 50,000 meetings (XLSX)", ["export", "50000"], "peak ≤ 1.5 × that of 5,000 rows"),
    ("import a delegation of 10,000 rows", ["import", "10000"], "≤ 30 s"),
]


def jobs_run(env: dict) -> list[dict]:
    """Each job in a process of its own (its peak memory is its own), rolled back by the job itself."""
    results = []
    for name, job, target in JOBS:
        print(f"job: {name} …", flush=True)
        done = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "bench" / "jobs.py"), *job],
            cwd=ROOT, env=env, capture_output=True, text=True,
        )  # fmt: skip
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        result = json.loads(lines[-1]) if done.returncode == 0 and lines else {"error": done.stderr[-300:]}
        print(f"  {result}", flush=True)
        results.append({"name": name, "target": target, **result})
    return results


def jobs_markdown(results: list[dict]) -> str:
    lines = ["| job | rows | measured | peak MB (after start-up) | target |", "| --- | ---: | --- | ---: | --- |"]
    for r in results:
        if "error" in r:
            lines.append(
                f"| {r['name']} | — | failed: {r['error'].splitlines()[-1] if r['error'] else ''} | — | {r['target']} |"
            )
            continue
        steps = ", ".join(
            f"{key[:-2].replace('_', ' ')} {value:.2f} s" for key, value in r.items() if key.endswith("_s")
        )
        counts = ", ".join(
            f"{key.replace('_', ' ')} {value:,}"
            for key, value in r.items()
            if key in ("batch_rows", "written", "written_again", "to_send", "sent", "received", "errors", "members")
        )
        rows = f"{r.get('rows') or r['n']:,}" if r.get("rows") or r.get("n") else "—"
        memory = f"{r['peak_mb']:.0f} ({r['peak_mb'] - r['baseline_mb']:.0f})"
        measured = "; ".join(part for part in (steps, counts) if part)
        lines.append(f"| {r['name']} | {rows} | {measured} | {memory} | {r['target']} |")
    return "\n".join(lines)


# --- the server and the data ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        PORTAL_BENCH="1",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_PROXY_SSL_HEADER="1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--timeout", str(TIMEOUT), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(120):
        try:
            status, *_ = Client(port).get("/healthz/")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.5)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz/ within a minute")


def database_prepare(database_url: str, scale: float, env: dict) -> None:
    """Create the database when missing, migrate it, and generate data when it holds none."""
    name = database_url.rsplit("/", 1)[1]
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    import psycopg2  # the driver of the settings' PostgreSQL backend

    conn = psycopg2.connect(admin_url)  # not `with conn`: that opens a transaction, and CREATE DATABASE refuses one
    try:
        conn.autocommit = True
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    manage(env, "migrate", "--noinput", "-v", "0")


def targets() -> tuple[list[dict], dict[str, str], dict]:
    """The URLs to measure (from the data in the database), a session cookie per role, and the data size."""
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from agreements.models import Agreement, CooperationProject, PlanItem
    from companies.models import Organization, Region
    from missions.models import Meeting, Mission

    User = get_user_model()

    def session_for(user) -> str:
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        return f"sessionid={store.session_key}"

    busiest = (
        Region.objects.filter(kind=Region.Kind.FEDERAL_SUBJECT)
        .annotate(n=Count("organizations"))
        .order_by("-n", "pk")
        .first()
    )
    pair = (
        Mission.destination_regions.through.objects.values("mission__origin_region__slug", "region__slug")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    mission = Mission.objects.annotate(n=Count("meetings")).order_by("-n", "pk").first()
    agreement = Agreement.objects.annotate(n=Count("plan_items")).order_by("-n", "pk").first()
    staff = User.objects.filter(username__startswith="gen-staff-", is_staff=True).order_by("pk").first()
    official = User.objects.filter(username__startswith="gen-official-").order_by("pk").first()
    company = User.objects.filter(username__startswith="gen-company-", person__isnull=False).order_by("pk").first()
    if not all([busiest, pair, mission, agreement, staff, official, company]):
        raise SystemExit("The bench database holds no generated data: run manage.py generate_data first.")
    staff.is_superuser = True  # the admin pages over everything (a superuser's scope is the whole table)
    staff.save(update_fields=["is_superuser"])
    cookies = {
        "anonymous": "",
        "official": session_for(official),
        "staff": session_for(staff),
        "company": session_for(company),
    }
    word = (
        Organization.objects.filter(slug__startswith="gen-org-")
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
        .split()[0]
    )
    a, b = pair["mission__origin_region__slug"], pair["region__slug"]
    pages = [
        ("floor", "/bench/floor/", "anonymous"),
        ("home", "/", "anonymous"),
        ("regions", "/regions/", "anonymous"),
        (f"busiest region ({busiest.name})", f"/regions/{busiest.slug}/", "anonymous"),
        (f"region pair ({pair['n']} missions)", f"/regions/{a}/{b}/", "official"),
        ("company directory", "/companies/", "anonymous"),
        ("company directory, search", f"/companies/?q={quote(word)}", "anonymous"),
        ("missions", "/missions/", "anonymous"),
        (f"mission with most meetings ({mission.n})", f"/missions/{mission.slug}/", "staff"),
        ("agreements", "/agreements/", "anonymous"),
        (f"agreement with most plan items ({agreement.n})", f"/agreements/{agreement.slug}/", "staff"),
        ("dashboard, anonymous", "/dashboard/", "anonymous"),
        ("dashboard, official", "/dashboard/", "official"),
        ("dashboard, staff", "/dashboard/", "staff"),
        ("personal area", "/account/", "company"),
        ("admin meetings", "/admin/missions/meeting/", "staff"),
        ("admin meetings, search", f"/admin/missions/meeting/?q={quote(word)}", "staff"),
        ("admin meetings, filtered", "/admin/missions/meeting/?status__exact=held", "staff"),
        ("stock admin meetings", "/bench/stock-admin/missions/meeting/", "staff"),
        ("stock admin meetings, search", f"/bench/stock-admin/missions/meeting/?q={quote(word)}", "staff"),
        ("admin projects", "/admin/agreements/cooperationproject/", "staff"),
        ("admin projects, search", f"/admin/agreements/cooperationproject/?q={quote(word)}", "staff"),
        ("admin projects, filtered", "/admin/agreements/cooperationproject/?stage__exact=negotiation", "staff"),
        ("admin organizations", "/admin/companies/organization/", "staff"),
        ("admin organizations, search", f"/admin/companies/organization/?q={quote(word)}", "staff"),
        (
            "admin organizations, filtered",
            "/admin/companies/organization/?kind__exact=company&size__exact=small",
            "staff",
        ),
        ("API meetings", "/api/v1/meetings/", "staff"),
        ("API projects", "/api/v1/projects/", "staff"),
        ("API organizations", "/api/v1/organizations/", "anonymous"),
    ]
    versus = {"admin meetings": "stock admin meetings", "admin meetings, search": "stock admin meetings, search"}
    rows = [{"name": n, "url": u, "who": w, "versus": versus.get(n)} for n, u, w in pages]
    size = {
        "companies": Organization.objects.filter(kind=Organization.Kind.COMPANY).count(),
        "missions": Mission.objects.count(),
        "meetings": Meeting.objects.count(),
        "projects": CooperationProject.objects.count(),
        "agreements": Agreement.objects.count(),
        "plan items": PlanItem.objects.count(),
    }
    return rows, cookies, size


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=0.05)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--budget", type=float, default=15, help="seconds of sequential requests per URL at most")
    parser.add_argument("--only", default="", help="measure only the pages whose name contains this")
    parser.add_argument("--no-doc", action="store_true", help="print the table without writing docs/performance.md")
    parser.add_argument("--no-jobs", action="store_true", help="measure the pages only (tests/bench/jobs.py not run)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    env = server_env(database_url)
    database_prepare(database_url, args.scale, env)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from companies.models import Organization
    from tests.helpers import collect_production_static

    collect_production_static()  # what WhiteNoise serves with DEBUG off; again only when static/ changed

    if not Organization.objects.filter(slug__startswith="gen-").exists():
        print(f"Generating data at scale {args.scale} …", flush=True)
        subprocess.run(
            [sys.executable, "manage.py", "generate_data", "--scale", str(args.scale)], cwd=ROOT, env=env, check=True
        )
    rows, cookies, size = targets()
    if args.only:
        rows = [r for r in rows if r["name"] == "floor" or args.only in r["name"]]
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        for row in rows:
            row.update(
                measure(
                    port,
                    row["url"],
                    cookies[row["who"]],
                    requests=args.requests,
                    concurrency=args.concurrency,
                    budget=args.budget,
                )
            )
            print(f"{row['name']:<50} {row['status']} q={row['queries']} p50={row['median']:.1f} ms "
                  f"p95={row['p95']:.1f} ms (n={row['n']}) {row['rps']:.1f} req/s", flush=True)  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    floor_p95 = next(r["p95"] for r in rows if r["name"] == "floor")
    stock = {r["name"]: r["p95"] for r in rows if r["name"].startswith("stock admin")}
    table = table_markdown(rows, floor_p95, stock)
    print(table)
    if not (args.no_jobs or args.only):
        table += "\n\n" + jobs_markdown(jobs_run(env))
        print(table)
    if not args.no_doc:
        sizes = ", ".join(f"{count:,} {name}" for name, count in size.items())
        doc_write(
            f"Measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `make bench` "
            f"(`tests/bench/run_bench.py --scale {args.scale} --requests {args.requests} "
            f"--concurrency {args.concurrency} --budget {args.budget:g}`) "
            f"on {machine()}; PostgreSQL, gunicorn with {args.workers} workers, DEBUG off.\n"
            f"Data (scale {args.scale}): {sizes}.\n\n{table}"
        )


if __name__ == "__main__":
    main()
