"""The solver never produces a clash, places as many pairs as an exhaustive search, and says why it
left a pair out."""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partners.scheduling.reasons import reason_text
from partners.scheduling.slots import session_slots
from partners.scheduling.solver import Pair, Placement, Plan, Problem, Table, plan_clashes, solve


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


@st.composite
def problems(draw, max_orgs=8, max_pairs=10, max_slots=4, max_tables=3):
    orgs = list(range(draw(st.integers(2, max_orgs))))
    slot_count = draw(st.integers(0, max_slots))
    tables = [
        Table(key=f"t{i}", label=str(i + 1), seats=draw(st.sampled_from([2, 2, 4])))
        for i in range(draw(st.integers(0, max_tables)))
    ]
    candidates = list(itertools.combinations(orgs, 2))
    chosen = draw(st.lists(st.sampled_from(candidates), max_size=max_pairs, unique=True))
    pairs = [
        Pair(
            key=i,
            a=a,
            b=b,
            priority=draw(st.integers(1, 5)),
            must_meet=draw(st.booleans()),
            seats=draw(st.sampled_from([2, 2, 3, 4])),
        )
        for i, (a, b) in enumerate(chosen)
    ]
    unavailable = {
        org: frozenset(draw(st.sets(st.integers(0, max(slot_count - 1, 0)), max_size=slot_count))) for org in orgs
    }
    return Problem(slot_count=slot_count, tables=tables, pairs=pairs, unavailable=unavailable)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_solver_never_produces_a_clash_and_accounts_for_every_pair(problem):
    plan = solve(problem, time_limit=5, workers=1)
    assert plan_clashes(plan) == []
    pairs = {p.key: p for p in problem.pairs}
    tables = {t.key: t for t in problem.tables}
    for placement in plan.placements:
        pair = pairs[placement.pair]
        assert 0 <= placement.slot < problem.slot_count
        assert placement.slot not in problem.unavailable[pair.a]
        assert placement.slot not in problem.unavailable[pair.b]
        assert tables[placement.table].seats >= pair.seats
    placed = {p.pair for p in plan.placements}
    unplaced = [u.pair for u in plan.unplaced]
    assert sorted(placed | set(unplaced)) == sorted(pairs)
    assert placed.isdisjoint(unplaced)
    assert all(reason_text(u.code, u.params) != u.code for u in plan.unplaced)


def brute_force_max(problem: Problem) -> int:
    """The most pairs any clash-free plan places, by trying every slot (or none) for every pair."""
    best = 0
    options = [[None, *sorted(problem.common_slots(p))] for p in problem.pairs]
    seats_desc = sorted((t.seats for t in problem.tables), reverse=True)
    for choice in itertools.product(*options):
        ok = True
        for slot in range(problem.slot_count):
            here = [p for p, s in zip(problem.pairs, choice, strict=True) if s == slot]
            orgs = [o for p in here for o in (p.a, p.b)]
            needs = sorted((p.seats for p in here), reverse=True)
            if len(orgs) != len(set(orgs)) or len(needs) > len(seats_desc):
                ok = False
                break
            if any(need > seats for need, seats in zip(needs, seats_desc, strict=False)):
                ok = False
                break
        if ok:
            best = max(best, sum(s is not None for s in choice))
    return best


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_orgs=5, max_pairs=6, max_slots=3, max_tables=2))
def test_solver_places_as_many_pairs_as_brute_force_on_small_instances(problem):
    equal = Problem(
        slot_count=problem.slot_count,
        tables=problem.tables,
        pairs=[Pair(key=p.key, a=p.a, b=p.b, seats=p.seats) for p in problem.pairs],
        unavailable=problem.unavailable,
    )
    plan = solve(equal, time_limit=5, workers=1)
    best = brute_force_max(equal)
    assert len(plan.placements) == best
    if best == len(equal.pairs):
        assert plan.unplaced == []


def test_solver_places_every_request_when_a_clash_free_plan_exists():
    # Four companies, each meeting the three others: a round robin in three slots at two tables.
    pairs = [Pair(key=f"{a}{b}", a=a, b=b) for a, b in itertools.combinations("ABCD", 2)]
    problem = Problem(slot_count=3, tables=[Table("t1", "1"), Table("t2", "2")], pairs=pairs)
    plan = solve(problem, time_limit=5)
    assert len(plan.placements) == 6
    assert plan.unplaced == []
    assert plan_clashes(plan) == []
    assert plan.optimal is True


def test_must_meet_pair_is_placed_before_higher_priority_ones():
    # One slot, one table: the must-meet pair wins over a priority-5 pair.
    pairs = [Pair("high", "A", "B", priority=5), Pair("must", "C", "D", priority=1, must_meet=True)]
    plan = solve(Problem(slot_count=1, tables=[Table("t1", "1")], pairs=pairs, names={"A": "Альфа", "B": "Бета"}))
    assert [p.pair for p in plan.placements] == ["must"]
    assert [(u.pair, u.code) for u in plan.unplaced] == [("high", "no_table_free")]


def test_higher_priority_wins_a_contested_organization():
    pairs = [Pair("low", "A", "B", priority=1), Pair("high", "A", "C", priority=4)]
    plan = solve(Problem(slot_count=1, tables=[Table("t1", "1"), Table("t2", "2")], pairs=pairs, names={"A": "Альфа"}))
    assert [p.pair for p in plan.placements] == ["high"]
    assert [(u.pair, u.code, u.params) for u in plan.unplaced] == [("low", "busy", {"org": "Альфа", "count": 1})]


def test_unplaceable_pairs_are_reported_with_their_reasons_in_russian():
    names = {"A": "Альфа", "B": "Бета", "C": "Гамма", "D": "Дельта", "E": "Эпсилон"}
    pairs = [
        Pair("never", "A", "B"),  # Альфа is away the whole session
        Pair("apart", "C", "D"),  # free at different times
        Pair("big", "C", "E", seats=8),  # no table seats eight
    ]
    problem = Problem(
        slot_count=12,
        tables=[Table("t1", "1", seats=4)],
        pairs=pairs,
        unavailable={"A": frozenset(range(12)), "C": frozenset(range(6)), "D": frozenset(range(6, 12))},
        names=names,
    )
    plan = solve(problem, time_limit=5)
    assert plan.placements == []
    texts = {u.pair: reason_text(u.code, u.params) for u in plan.unplaced}
    assert texts == {
        "never": "«Альфа» недоступна во всех 12 слотах",
        "apart": "у обеих сторон нет общего свободного времени",
        "big": "нет стола на 8 человек: самый большой — на 4",
    }


def test_an_organization_with_every_slot_taken_is_named():
    pairs = [Pair(f"a{i}", "A", f"X{i}") for i in range(3)] + [Pair("late", "A", "Z")]
    problem = Problem(slot_count=3, tables=[Table("t1", "1"), Table("t2", "2")], pairs=pairs, names={"A": "Альфа"})
    plan = solve(problem, time_limit=5)
    assert len(plan.placements) == 3
    assert [reason_text(u.code, u.params) for u in plan.unplaced] == ["у «Альфа» нет свободного слота: все 3 заняты"]


def test_tables_are_matched_by_seats_in_each_slot():
    pairs = [Pair("small", "A", "B", seats=2), Pair("large", "C", "D", seats=6)]
    tables = [Table("t1", "1", seats=2), Table("t2", "2", seats=6)]
    plan = solve(Problem(slot_count=1, tables=tables, pairs=pairs), time_limit=5)
    assert sorted((p.pair, p.table) for p in plan.placements) == [("large", "t2"), ("small", "t1")]


def test_plan_clashes_names_every_clash():
    problem = Problem(
        slot_count=2,
        tables=[Table("t1", "1", seats=2)],
        pairs=[Pair(1, "A", "B", seats=4), Pair(2, "A", "C")],
        unavailable={"C": frozenset({0})},
        names={"A": "Альфа", "B": "Бета", "C": "Гамма"},
        slot_labels=["10:00–10:20", "10:20–10:40"],
    )
    plan = Plan(problem, [Placement(1, 0, "t1"), Placement(2, 0, "t1"), Placement(2, 5, "t1")])
    assert plan_clashes(plan) == [
        "Стол 1 на 2 места, встрече «Альфа» — «Бета» нужно 4.",
        "У «Альфа» две встречи в 10:00–10:20.",
        "«Гамма» недоступна в 10:00–10:20.",
        "За столом 1 две встречи в 10:00–10:20.",
        "Встреча «Альфа» — «Гамма» поставлена дважды.",
        "Встреча «Альфа» — «Гамма» вне слотов сессии.",
    ]


def test_session_slots_skip_breaks_and_stop_before_the_end():
    slots = session_slots(
        day=datetime.date(2026, 5, 20),
        zone=ZoneInfo("Europe/Samara"),
        starts=datetime.time(10, 0),
        ends=datetime.time(12, 10),
        minutes=30,
        breaks=[(datetime.time(11, 0), datetime.time(11, 15))],
    )
    assert [s.label for s in slots] == ["10:00–10:30", "10:30–11:00", "11:15–11:45"]
    assert slots[0].starts_at.isoformat() == "2026-05-20T10:00:00+04:00"
