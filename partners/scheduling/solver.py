"""The B2B schedule solver: pure Python over dataclasses, no database.

Input (`Problem`): the session's slots (numbered 0…n-1), its tables (each seats some people), the
pairs to meet (two organizations, a priority, a must-meet flag, the seats the meeting needs) and
the slots each organization is unavailable in. Output (`Plan`): a placement (slot, table) per
pair it could place, and for every other pair the reason (`Unplaced`: a code and its details,
turned into words by `partners.scheduling.reasons`).

The model is compact. CP-SAT decides only the slots: one boolean per (pair, slot) where both
sides are free and some table seats the meeting; at most one slot a pair; at most one meeting an
organization per slot; and per slot, for every seat count k the pairs need, no more meetings
needing at least k seats than there are tables seating at least k. Tables are interchangeable up
to their seats, so that last family of constraints is exactly Hall's condition for matching the
slot's meetings to its tables (the sets of tables a meeting may use are nested), and the tables
are then given per slot by sorting both sides by seats, largest first — meeting i gets table i —
which always succeeds when the condition holds. Dropping the table index from the variables keeps
a session of 300 pairs, 40 tables and 12 slots at about 3,600 booleans instead of 144,000.

The objective is lexicographic by weights: each placed must-meet pair is worth more than all
other placements together, then each placed pair is worth its priority. A time limit bounds the
search; the greedy plan (must-meet first, then by priority) is CP-SAT's hint and its fallback,
and after solving every still-unplaced pair is tried once more in any slot where it fits, so an
unplaced pair never has a slot where both sides and a table were free — which is what its reason
says. `plan_clashes` checks any plan (the solver's or one staff edited) independently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from ortools.sat.python import cp_model

# On 300 pairs × 40 tables × 12 slots CP-SAT finds its best plan within about a second; proving that no
# plan places more can take far longer (an edge-colouring-like argument), so the search stops here and
# `Plan.optimal` says whether the plan was proven the best.
DEFAULT_TIME_LIMIT = 5.0


@dataclass(frozen=True)
class Table:
    key: Hashable
    label: str
    seats: int = 2


@dataclass(frozen=True)
class Pair:
    key: Hashable
    a: Hashable
    b: Hashable
    priority: int = 1
    must_meet: bool = False
    seats: int = 2


@dataclass
class Problem:
    slot_count: int
    tables: list[Table]
    pairs: list[Pair]
    # Organization → slots it cannot meet in (unavailability, meetings elsewhere).
    unavailable: dict[Hashable, frozenset[int]] = field(default_factory=dict)
    names: dict[Hashable, str] = field(default_factory=dict)
    slot_labels: list[str] = field(default_factory=list)

    def name(self, organization) -> str:
        return self.names.get(organization, str(organization))

    def slot_label(self, slot: int) -> str:
        return self.slot_labels[slot] if slot < len(self.slot_labels) else f"#{slot + 1}"

    def free_slots(self, organization) -> set[int]:
        return set(range(self.slot_count)) - set(self.unavailable.get(organization, ()))

    def common_slots(self, pair: Pair) -> set[int]:
        return self.free_slots(pair.a) & self.free_slots(pair.b)


@dataclass(frozen=True)
class Placement:
    pair: Hashable
    slot: int
    table: Hashable


@dataclass
class Unplaced:
    pair: Hashable
    code: str
    params: dict = field(default_factory=dict)


@dataclass
class Plan:
    problem: Problem
    placements: list[Placement]
    unplaced: list[Unplaced] = field(default_factory=list)
    optimal: bool = False


def _order(pairs: list[Pair]) -> list[Pair]:
    """Must-meet pairs first, then by priority; the input order breaks ties (stable)."""
    return sorted(pairs, key=lambda p: (not p.must_meet, -p.priority))


def _seats_fit(needs: list[int], seats_desc: list[int]) -> bool:
    """Can meetings needing `needs` seats all sit at once at tables seating `seats_desc` (descending)?"""
    if len(needs) > len(seats_desc):
        return False
    return all(need <= seats for need, seats in zip(sorted(needs, reverse=True), seats_desc, strict=False))


class _Occupancy:
    """Who and what is taken in each slot, for the greedy passes and the reasons."""

    def __init__(self, problem: Problem):
        self.busy: dict[int, set] = defaultdict(set)
        self.needs: dict[int, list[int]] = defaultdict(list)
        self.seats_desc = sorted((t.seats for t in problem.tables), reverse=True)

    def fits(self, pair: Pair, slot: int) -> bool:
        return (
            pair.a not in self.busy[slot]
            and pair.b not in self.busy[slot]
            and _seats_fit([*self.needs[slot], pair.seats], self.seats_desc)
        )

    def take(self, pair: Pair, slot: int) -> None:
        self.busy[slot].update((pair.a, pair.b))
        self.needs[slot].append(pair.seats)


def _greedy(problem: Problem, pairs: list[Pair], occupancy: _Occupancy, chosen: dict) -> None:
    for pair in _order(pairs):
        if pair.key in chosen:
            continue
        for slot in sorted(problem.common_slots(pair)):
            if occupancy.fits(pair, slot):
                occupancy.take(pair, slot)
                chosen[pair.key] = slot
                break


def _cp_sat(problem: Problem, hint: dict, *, time_limit: float, workers: int) -> tuple[dict, bool] | None:
    largest = max((t.seats for t in problem.tables), default=0)
    model = cp_model.CpModel()
    x: dict[tuple[Hashable, int], cp_model.IntVar] = {}
    by_pair: dict[Hashable, list] = defaultdict(list)
    by_org_slot: dict[tuple[Hashable, int], list] = defaultdict(list)
    by_slot: dict[int, list[tuple[Pair, cp_model.IntVar]]] = defaultdict(list)
    for i, pair in enumerate(problem.pairs):
        if pair.seats > largest:
            continue
        for slot in sorted(problem.common_slots(pair)):
            var = model.NewBoolVar(f"p{i}s{slot}")
            x[pair.key, slot] = var
            by_pair[pair.key].append(var)
            by_org_slot[pair.a, slot].append(var)
            by_org_slot[pair.b, slot].append(var)
            by_slot[slot].append((pair, var))
    if not x:
        return {}, True
    for variables in by_pair.values():
        if len(variables) > 1:
            model.AddAtMostOne(variables)
    by_org: dict[Hashable, list] = defaultdict(list)
    for (org, _slot), variables in by_org_slot.items():
        if len(variables) > 1:
            model.AddAtMostOne(variables)
        by_org[org].extend(variables)
    # Redundant, for a tighter bound: an organization meets at most once in each of its free slots.
    for org, variables in by_org.items():
        free = len(problem.free_slots(org))
        if len(variables) > free:
            model.Add(sum(variables) <= free)
    table_seats = [t.seats for t in problem.tables]
    for entries in by_slot.values():
        for k in sorted({pair.seats for pair, _var in entries}):
            tables = sum(1 for seats in table_seats if seats >= k)
            wanting = [var for pair, var in entries if pair.seats >= k]
            if len(wanting) > tables:
                model.Add(sum(wanting) <= tables)
    must_weight = sum(p.priority for p in problem.pairs) + 1
    weights = {p.key: (must_weight if p.must_meet else 0) + p.priority for p in problem.pairs}
    model.Maximize(sum(weights[key] * var for (key, _slot), var in x.items()))
    for (key, slot), var in x.items():
        model.AddHint(var, hint.get(key) == slot)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = 1
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = {key: slot for (key, slot), var in x.items() if solver.BooleanValue(var)}
    return chosen, status == cp_model.OPTIMAL


def _tables_per_slot(problem: Problem, pairs_by_key: dict, chosen: dict) -> list[Placement]:
    """Per slot, its meetings by seats needed and its tables by seats, both largest first, matched in
    order (exact under the per-slot seat constraints, see the module's docstring)."""
    tables = sorted(problem.tables, key=lambda t: -t.seats)
    by_slot: dict[int, list[Pair]] = defaultdict(list)
    for key, slot in chosen.items():
        by_slot[slot].append(pairs_by_key[key])
    placements = []
    for slot in sorted(by_slot):
        meetings = sorted(by_slot[slot], key=lambda p: -p.seats)
        for pair, table in zip(meetings, tables, strict=False):
            placements.append(Placement(pair=pair.key, slot=slot, table=table.key))
    order = {p.key: i for i, p in enumerate(problem.pairs)}
    return sorted(placements, key=lambda pl: (pl.slot, order[pl.pair]))


def _reason(problem: Problem, pair: Pair, occupancy: _Occupancy) -> Unplaced:
    largest = max((t.seats for t in problem.tables), default=0)
    if problem.slot_count == 0:
        return Unplaced(pair.key, "no_slots")
    if not problem.tables:
        return Unplaced(pair.key, "no_tables")
    if pair.seats > largest:
        return Unplaced(pair.key, "no_table_large_enough", {"seats": pair.seats, "largest": largest})
    for org in (pair.a, pair.b):
        if not problem.free_slots(org):
            return Unplaced(pair.key, "unavailable", {"org": problem.name(org), "count": problem.slot_count})
    common = problem.common_slots(pair)
    if not common:
        return Unplaced(pair.key, "no_common_time")
    a_busy = {s for s in common if pair.a in occupancy.busy[s]}
    b_busy = {s for s in common if pair.b in occupancy.busy[s]}
    for org, busy in ((pair.a, a_busy), (pair.b, b_busy)):
        if busy == common:
            return Unplaced(pair.key, "busy", {"org": problem.name(org), "count": len(common)})
    if a_busy | b_busy == common:
        return Unplaced(pair.key, "both_busy", {"count": len(common)})
    return Unplaced(pair.key, "no_table_free", {"count": len(common - a_busy - b_busy), "seats": pair.seats})


def solve(
    problem: Problem, *, time_limit: float = DEFAULT_TIME_LIMIT, workers: int = 2, use_solver: bool = True
) -> Plan:
    """The best plan CP-SAT finds within `time_limit` seconds (see the module's docstring)."""
    pairs_by_key = {p.key: p for p in problem.pairs}
    if len(pairs_by_key) != len(problem.pairs):
        raise ValueError("pair keys must be unique")
    greedy: dict = {}
    _greedy(problem, problem.pairs, _Occupancy(problem), greedy)
    chosen, optimal = dict(greedy), False
    if use_solver and problem.pairs and problem.tables and problem.slot_count:
        result = _cp_sat(problem, greedy, time_limit=time_limit, workers=workers)
        if result is not None:
            chosen, optimal = result
    occupancy = _Occupancy(problem)
    for key, slot in chosen.items():
        occupancy.take(pairs_by_key[key], slot)
    _greedy(problem, problem.pairs, occupancy, chosen)
    unplaced = [_reason(problem, pair, occupancy) for pair in _order(problem.pairs) if pair.key not in chosen]
    return Plan(
        problem=problem, placements=_tables_per_slot(problem, pairs_by_key, chosen), unplaced=unplaced, optimal=optimal
    )


def plan_clashes(plan: Plan) -> list[str]:
    """Everything wrong with a plan, in words; an empty list proves it: no organization or table in
    two meetings of one slot, every table seats its meeting, every meeting in a slot of the session
    where both sides are available, every pair placed at most once."""
    problem = plan.problem
    pairs = {p.key: p for p in problem.pairs}
    tables = {t.key: t for t in problem.tables}
    clashes: list[str] = []
    seen_pairs: set = set()
    org_at: dict[tuple[Hashable, int], Hashable] = {}
    table_at: dict[tuple[Hashable, int], Hashable] = {}
    for placement in plan.placements:
        pair, table = pairs.get(placement.pair), tables.get(placement.table)
        if pair is None or table is None:
            clashes.append(_("A placed meeting is not one of the session's pairs or tables."))
            continue
        who = f"«{problem.name(pair.a)}» — «{problem.name(pair.b)}»"
        if placement.pair in seen_pairs:
            clashes.append(_("The meeting %(who)s is placed twice.") % {"who": who})
        seen_pairs.add(placement.pair)
        if not 0 <= placement.slot < problem.slot_count:
            clashes.append(_("The meeting %(who)s is outside the session's slots.") % {"who": who})
            continue
        label = problem.slot_label(placement.slot)
        for org in (pair.a, pair.b):
            if placement.slot in problem.unavailable.get(org, ()):
                clashes.append(_("«%(org)s» is not available at %(slot)s.") % {"org": problem.name(org), "slot": label})
            other = org_at.get((org, placement.slot))
            if other is not None:
                clashes.append(_("«%(org)s» has two meetings at %(slot)s.") % {"org": problem.name(org), "slot": label})
            org_at[org, placement.slot] = placement.pair
        if (placement.table, placement.slot) in table_at:
            clashes.append(_("Table %(table)s has two meetings at %(slot)s.") % {"table": table.label, "slot": label})
        table_at[placement.table, placement.slot] = placement.pair
        if table.seats < pair.seats:
            clashes.append(
                _("Table %(table)s seats %(seats)d, the meeting %(who)s needs %(need)d.")
                % {"table": table.label, "seats": table.seats, "who": who, "need": pair.seats}
            )
    return clashes
