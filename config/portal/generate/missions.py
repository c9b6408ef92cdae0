"""Generated missions, delegations, programmes and B2B meetings on a clash-free grid.

The grid: a mission's B2B session runs SLOTS half-hour slots a day on T tables. At slot s table t
seats delegation company (t + s) mod k with host company (t + 2s) mod h; with T ≤ k and T ≤ h no
company sits at two tables of one slot and no table is booked twice. Missions are laid out in date
order and a company joins a mission only once the previous one it joined has ended, so no company
is in two overlapping meetings of different missions either: the exclusion constraints of
missions/migrations/0010 and 0005 hold by construction (PostgreSQL checks them again when they are
restored after the bulk load).
"""

import dataclasses
import datetime
import importlib
import math

from django.db import connection

from missions.models import DelegationMember, Meeting, Mission, ProgramItem

from . import vocabulary as words
from .base import SLUG_PREFIX, Dice, Writer, is_postgresql, local_datetime, zone_of
from .directory import Directory

SLOTS = 16  # 10:00–18:00 local time
MAX_DAYS = 5
SLOT = datetime.timedelta(minutes=30)
HISTORY_YEARS = 6
AHEAD_DAYS = 180
Status, Outcome = Meeting.Status, Meeting.Outcome

# The rules the bulk load lifts and restores: (migration module, its SQL to add, its SQL to drop).
EXCLUSIONS = (
    ("missions.migrations.0010_meeting_overlap_index_time_first", "CREATE", "DROP"),
    ("missions.migrations.0005_mission_places_recorded_by_item_dates", "TABLE_CREATE", "TABLE_DROP"),
)


@dataclasses.dataclass
class MissionFacts:
    """What the outcomes (agreements, projects, reminders) read of a generated mission."""

    pk: int
    origin_id: int
    destination_ids: list[int]
    organizer_id: int
    start: datetime.date
    end: datetime.date
    status: str
    delegation: list[int]
    hosts: list[int]


def exclusions_lift() -> None:
    """Drop the meetings' exclusion constraints for the bulk load: GiST checks per row cost more as the table grows."""
    if is_postgresql():
        with connection.cursor() as cursor:
            # Rows written before in this transaction may have foreign-key checks pending: ALTER TABLE
            # wants none on the table.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for module, _create, drop in EXCLUSIONS:
                cursor.execute(getattr(importlib.import_module(module), drop))


def exclusions_restore() -> None:
    """Add them back: PostgreSQL checks every generated meeting against them."""
    if is_postgresql():
        with connection.cursor() as cursor:
            # The foreign keys are checked at commit; ALTER TABLE wants no check pending on the table.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for module, create, _drop in EXCLUSIONS:
                cursor.execute(getattr(importlib.import_module(module), create))


def _pick_free(dice: Dice, pool: list[int], count: int, busy: dict[int, datetime.date], start, exclude=()) -> list[int]:
    """Up to `count` companies of `pool` free on `start` (their last mission ended before)."""
    if not pool:
        return []
    picked: list[int] = []
    seen = set(exclude)
    for _ in range(count * 4):
        org = pool[dice.randrange(len(pool))]
        if org not in seen and busy.get(org, datetime.date.min) < start:
            seen.add(org)
            picked.append(org)
            if len(picked) == count:
                break
    return picked


def _route(dice: Dice, d: Directory):
    """(origin, destinations): 75 % between federal subjects, 17 % abroad, 8 % a visit from abroad."""
    roll = dice.random()
    if roll < 0.08 and d.countries:
        return dice.weighted(d.countries, d.country_weights), [dice.weighted(d.regions, d.weights)]
    origin = dice.weighted(d.regions, d.weights)
    if roll < 0.25 and d.countries:
        return origin, [dice.weighted(d.countries, d.country_weights)]
    destinations = []
    for _ in range(1 if dice.chance(0.8) else dice.randint(2, 3)):
        region = dice.weighted(d.regions, d.weights)
        if region.pk != origin.pk and region not in destinations:
            destinations.append(region)
    return origin, destinations or [next(r for r in d.regions if r.pk != origin.pk)]


def missions_generate(
    dice: Dice, writer: Writer, d: Directory, *, missions: int, meetings: int, today
) -> list[MissionFacts]:
    first = today - datetime.timedelta(days=365 * HISTORY_YEARS)
    span = (today + datetime.timedelta(days=AHEAD_DAYS) - first).days
    starts = sorted(first + datetime.timedelta(days=dice.randrange(span)) for _ in range(missions))
    quotas = dice.heavy_tail(missions, meetings)
    busy: dict[int, datetime.date] = {}
    last_between: dict[tuple[int, int], int] = {}
    facts: list[MissionFacts] = []
    carry = 0
    exclusions_lift()
    for number, start in enumerate(starts, 1):
        quota = quotas[number - 1] + carry
        days = 1 if quota < 60 else min(MAX_DAYS, math.ceil(quota / (SLOTS * 40)) + 1)
        origin, destinations = _route(dice, d)
        inbound = origin.kind != origin.Kind.FEDERAL_SUBJECT
        organizer = d.ministries[destinations[0].pk if inbound else origin.pk]
        wanted = math.ceil(quota / (days * SLOTS))
        delegation = _pick_free(dice, d.companies.get(origin.pk, []), max(wanted, dice.randint(8, 30)), busy, start)
        hosts: list[int] = []
        for region in destinations:
            hosts += _pick_free(
                dice, d.companies.get(region.pk, []), max(wanted, dice.randint(8, 30)), busy, start, delegation
            )
        tables = min(wanted, len(delegation), len(hosts))
        if tables and tables < wanted:  # a small region: fewer tables over more days
            days = max(days, min(MAX_DAYS, math.ceil(quota / (tables * SLOTS))))
        end = start + datetime.timedelta(days=days - 1)
        if end < today:
            status = Mission.Status.CANCELLED if dice.chance(0.03) else Mission.Status.COMPLETED
        elif start <= today:
            status = Mission.Status.UNDER_WAY
        else:
            status = dice.choice([Mission.Status.PLANNED, Mission.Status.CONFIRMED])
        held = min(quota, tables * days * SLOTS)
        carry = quota - held
        for org in delegation + hosts:
            busy[org] = end
        pair = (origin.pk, destinations[0].pk)
        reciprocal_of = last_between.get((pair[1], pair[0])) if dice.chance(0.5) else None
        head = d.ministers.get(organizer.pk) if not inbound else None
        year = start.year
        mission = Mission(
            title=f"Бизнес-миссия {origin.name} — {', '.join(r.name for r in destinations)}, {year}",
            slug=f"{SLUG_PREFIX}mission-{number}",
            origin_region=origin,
            organizer=organizer,
            recorded_by=organizer,
            head_of_delegation=head,
            start_date=start,
            end_date=end,
            status=status,
            purpose="Развитие промышленной кооперации и поиск партнёров для предприятий региона.",
            reciprocal_of_id=reciprocal_of,
            is_public=dice.chance(0.9),
        )
        writer.create([mission])
        last_between[pair] = mission.pk
        Destination = Mission.destination_regions.through
        writer.add_all(Destination(mission_id=mission.pk, region_id=r.pk) for r in destinations)
        if head:
            writer.add(
                DelegationMember(mission=mission, organization=organizer, person=head, role=DelegationMember.Role.HEAD)
            )
        writer.add_all(DelegationMember(mission=mission, organization_id=org) for org in delegation)
        _programme_and_meetings(dice, writer, mission, destinations[0], days, tables, held, delegation, hosts, today)
        facts.append(
            MissionFacts(
                mission.pk, origin.pk, [r.pk for r in destinations], organizer.pk, start, end, status, delegation, hosts
            )
        )
        if number % max(1, missions // 10) == 0:
            writer.progress(f"missions {number:,}/{missions:,}")
    writer.flush()
    writer.progress("meetings written; restoring the exclusion constraints")
    exclusions_restore()
    short = f" ({carry:,} fewer than asked: the last missions' regions had no free companies)" if carry else ""
    writer.progress(f"missions {missions:,}, meetings {writer.written.get(Meeting, 0):,}{short}")
    return facts


def _meeting_status(dice: Dice, mission_status: str, day_past: bool) -> tuple[str, str]:
    if mission_status == Mission.Status.CANCELLED:
        return Status.CANCELLED, ""
    if not day_past:
        return (Status.SCHEDULED if dice.chance(0.85) else Status.REQUESTED), ""
    roll = dice.random()
    if roll < 0.08:
        return Status.CANCELLED, ""
    if roll < 0.14:
        return Status.NO_SHOW, ""
    outcome = dice.weighted(
        ["", Outcome.NO_FURTHER_CONTACT, Outcome.FOLLOW_UP_AGREED, Outcome.NEGOTIATION_STARTED, Outcome.PROJECT_OPENED,
         Outcome.AGREEMENT_REACHED],
        [15, 30, 25, 15, 10, 5],
    )  # fmt: skip
    return Status.HELD, outcome


def _programme_and_meetings(dice, writer, mission, venue_region, days, tables, held, delegation, hosts, today):
    zone = zone_of(venue_region)
    left = held
    for day_index in range(days):
        day = mission.start_date + datetime.timedelta(days=day_index)
        items = [("plenary", 9, 0, 10, 0)] if day_index == 0 else []
        if left:
            items.append(("b2b", 10, 0, 18, 0))
        if day_index == days - 1 and days > 1:
            items.append(("site_visit", 14, 0, 17, 0) if not left else ("round_table", 18, 0, 19, 30))
        created = {}
        for kind, h1, m1, h2, m2 in items:
            created[kind] = ProgramItem(
                mission=mission,
                kind=kind,
                title=dict(words.PROGRAM_ITEMS)[kind],
                date=day,
                starts_at=local_datetime(day, h1, m1, zone),
                ends_at=local_datetime(day, h2, m2, zone),
                venue="Конгресс-центр",
            )
        writer.create(list(created.values()))
        if not left:
            continue
        session_start = created["b2b"].starts_at
        k, h = len(delegation), len(hosts)
        for s in range(SLOTS):
            starts = session_start + s * SLOT
            for t in range(tables):
                if not left:
                    break
                meeting_status, outcome = _meeting_status(dice, mission.status, day < today)
                writer.add(
                    Meeting(
                        mission=mission,
                        program_item=created["b2b"],
                        date=day,
                        starts_at=starts,
                        ends_at=starts + SLOT,
                        table=str(t + 1),
                        organization_a_id=delegation[(t + s) % k],
                        organization_b_id=hosts[(t + 2 * s) % h],
                        topic=dice.choice(words.MEETING_TOPICS),
                        status=meeting_status,
                        outcome=outcome,
                    )
                )
                left -= 1
