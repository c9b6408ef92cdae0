"""The generated data set's sizes, its random source and its bulk writer."""

import dataclasses
import datetime
import io
import math
import random
import time
from collections.abc import Callable, Iterable
from zoneinfo import ZoneInfo

from django.db import connection

SLUG_PREFIX = "gen-"  # every generated row with a slug carries it: the command refuses a second run
BATCH_SIZE = 5000
FALLBACK_ZONE = "Europe/Moscow"


@dataclasses.dataclass(frozen=True)
class Sizes:
    """Rows of each kind at a scale; scale 1 is a federal rollout (the numbers of issue 18)."""

    companies: int
    missions: int
    meetings: int
    projects: int
    agreements: int
    plan_items: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        def n(full: int, least: int) -> int:
            return max(least, round(full * scale))

        return cls(
            companies=n(100_000, 60),
            missions=n(10_000, 6),
            meetings=n(1_000_000, 60),
            projects=n(200_000, 12),
            agreements=n(20_000, 4),
            plan_items=n(200_000, 8),
        )


class Writer:
    """bulk_create in batches with progress lines: `add` queues a row, `flush` writes what is queued."""

    def __init__(self, out: Callable[[str], None]):
        self.out = out
        self.pending: dict[type, list] = {}
        self.written: dict[type, int] = {}
        self.started = time.monotonic()

    def add(self, obj) -> None:
        rows = self.pending.setdefault(type(obj), [])
        rows.append(obj)
        if len(rows) >= BATCH_SIZE:
            self.flush(type(obj))

    def add_all(self, objs: Iterable) -> None:
        for obj in objs:
            self.add(obj)

    def flush(self, model: type | None = None) -> None:
        for kind in [model] if model else list(self.pending):
            rows = self.pending.pop(kind, [])
            if rows:
                if is_postgresql():
                    _copy(kind, rows)
                else:
                    kind.objects.bulk_create(rows, batch_size=BATCH_SIZE)
                self.written[kind] = self.written.get(kind, 0) + len(rows)

    def create(self, rows: list) -> list:
        """Write rows now and return them with their primary keys (other rows point at them)."""
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=BATCH_SIZE)
            self.written[type(rows[0])] = self.written.get(type(rows[0]), 0) + len(rows)
        return rows

    def progress(self, step: str) -> None:
        self.flush()
        elapsed = time.monotonic() - self.started
        total = sum(self.written.values())
        self.out(f"[{elapsed:7.1f} s] {step}: {total:,} rows so far ({total / max(elapsed, 0.001):,.0f} rows/s)")


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy(model, rows: list) -> None:
    """PostgreSQL's COPY for rows nothing points at yet (no primary keys wanted back): several times
    faster than INSERT. Values go through the fields as bulk_create sends them (auto_now included)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    for obj in rows:
        values = (f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields)
        buffer.write("\t".join(_copy_text(v) for v in values) + "\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buffer
        )


class Dice(random.Random):
    """The one random source of a run: the same seed gives the same data set."""

    def weighted(self, items: list, weights: list[float]):
        return self.choices(items, weights=weights)[0]

    def chance(self, p: float) -> bool:
        return self.random() < p

    def heavy_tail(self, count: int, total: int, *, alpha: float = 1.3, cap: float = 0.0065) -> list[int]:
        """`count` non-negative integers summing to `total`, most small and a few large (Pareto), none
        above `cap` of the total (the busiest mission of a rollout holds about 0.65 % of its meetings)."""
        if count == 0:
            return []
        raw = [min(self.paretovariate(alpha), 1e6) for _ in range(count)]
        scale = total / sum(raw)
        limit = max(1, math.ceil(total * cap), math.ceil(total / count))
        shares = [min(limit, int(r * scale)) for r in raw]
        missing = total - sum(shares)
        order = sorted(range(count), key=lambda k: -raw[k])
        while missing > 0:
            grew = False
            for k in order:
                if missing and shares[k] < limit:
                    shares[k], missing, grew = shares[k] + 1, missing - 1, True
            if not grew:  # every share at the limit: lift it
                limit += 1
        return shares


def zone_of(region) -> ZoneInfo:
    return ZoneInfo(region.time_zone or FALLBACK_ZONE)


def local_datetime(day: datetime.date, hour: int, minute: int, zone: ZoneInfo) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(datetime.UTC)


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"
