"""Benchmark (`make bench`): the B2B schedule builder at 300 requests over 40 tables and 12 slots.

Two measurements: the solver alone on the dataclasses (CP-SAT for the slots, the per-slot table
matching), and the whole build a staff member starts from the plan page (reading the session,
solving, writing the draft plan).
"""

import datetime
import random

import pytest

from missions.models import ProgramItem
from partners.models import B2BSession, MeetingRequest, SessionTable, SessionUnavailability
from partners.scheduling.services import schedule_build
from partners.scheduling.solver import Pair, Problem, Table, plan_clashes, solve
from tests import factories as f

REQUESTS, TABLES, SLOTS, ORGANIZATIONS = 300, 40, 12, 120


def _pairs(rng: random.Random) -> list[tuple[int, int]]:
    seen: set[frozenset] = set()
    pairs = []
    while len(pairs) < REQUESTS:
        a, b = rng.sample(range(ORGANIZATIONS), 2)
        if frozenset((a, b)) not in seen:
            seen.add(frozenset((a, b)))
            pairs.append((a, b))
    return pairs


def test_bench_solver_300_requests_40_tables_12_slots(benchmark):
    rng = random.Random(2026)
    pairs = [
        Pair(key=i, a=a, b=b, priority=rng.randint(1, 5), must_meet=rng.random() < 0.1, seats=rng.choice([2, 2, 2, 4]))
        for i, (a, b) in enumerate(_pairs(rng))
    ]
    tables = [Table(key=i, label=str(i + 1), seats=4 if i < 10 else 2) for i in range(TABLES)]
    unavailable = {org: frozenset(rng.sample(range(SLOTS), rng.randint(0, 3))) for org in range(ORGANIZATIONS)}
    problem = Problem(slot_count=SLOTS, tables=tables, pairs=pairs, unavailable=unavailable)
    plan = benchmark.pedantic(solve, args=(problem,), rounds=3, iterations=1)
    assert plan_clashes(plan) == []
    assert len(plan.placements) + len(plan.unplaced) == REQUESTS


@pytest.mark.django_db
def test_bench_schedule_build_300_requests(benchmark):
    rng = random.Random(2026)
    ministry = f.MinistryFactory()
    staff = f.MinistryStaffFactory(username="bench-staff", organization=ministry)
    mission = f.MissionFactory(organizer=ministry)
    item = f.ProgramItemFactory(mission=mission, kind=ProgramItem.Kind.B2B, date=datetime.date(2026, 5, 20))
    session = B2BSession.objects.create(
        program_item=item, starts=datetime.time(10), ends=datetime.time(14), slot_minutes=20
    )
    SessionTable.objects.bulk_create([SessionTable(session=session, number=n) for n in range(1, TABLES + 1)])
    organizations = f.OrganizationFactory.create_batch(ORGANIZATIONS)
    MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(
                mission=mission,
                requester=organizations[a],
                invitee=organizations[b],
                topic="поставки",
                status="accepted",
            )
            for a, b in _pairs(rng)
        ]
    )
    SessionUnavailability.objects.bulk_create(
        [
            SessionUnavailability(
                session=session, organization=org, starts=datetime.time(12), ends=datetime.time(12, 40)
            )
            for org in organizations[::4]
        ]
    )
    plan = benchmark.pedantic(schedule_build, kwargs={"session": session, "by": staff}, rounds=3, iterations=1)
    assert plan_clashes(plan) == []
    assert session.planned_meetings.count() == REQUESTS
