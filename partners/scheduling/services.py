"""Build, adjust and publish a B2B session's plan. Only the staff of the mission's ministry (those who
may change the mission, `companies.roles.can_edit`) do any of it.

- `schedule_build` reads the session (its slots, tables, breaks, unavailability, staff's pairings and
  the mission's accepted requests), runs the solver and stores the draft as `PlannedMeeting` rows;
- `planned_meeting_move` moves one meeting of the draft to another slot and table (swapping with the
  meeting there), checked by the same `plan_clashes` as the solver's plan;
- `schedule_publish` writes the placed meetings as `missions.Meeting` rows through the meeting service
  (status scheduled, the table's number, the slot's times in the venue zone), marks their requests
  scheduled with their meeting through the requests' services (`meeting_request_place`, which writes the
  "scheduled" or "moved" letters to both companies), and cancels what an earlier publication placed and
  this one does not (`meeting_request_unplace`: the request goes back to accepted, both sides get the
  "cancelled" letter); publishing again updates the same meetings and writes no letter for a meeting
  left where it was.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Organization
from companies.roles import can_edit
from missions.models import Meeting
from missions.services.schedule import meeting_save, meeting_schedule

from ..models import B2BSession, MeetingRequest, PlannedMeeting, SessionTable
from ..services.requests import meeting_request_place, meeting_request_unplace
from .slots import SlotTime, session_slots, slots_overlapping
from .solver import DEFAULT_TIME_LIMIT, Pair, Placement, Plan, Problem, Table, plan_clashes, solve


def session_may_schedule(user, session: B2BSession) -> bool:
    return can_edit(user, session.program_item.mission)


def _refuse_unless_allowed(user, session: B2BSession) -> None:
    if not session_may_schedule(user, session):
        raise PortalError(
            _("Only the staff of the mission's ministry build and publish its schedule."), code="forbidden"
        )


def session_slot_times(session: B2BSession) -> list[SlotTime]:
    item = session.program_item
    if item.date is None:
        return []
    return session_slots(
        day=item.date,
        zone=item.venue_zone,
        starts=session.starts,
        ends=session.ends,
        minutes=session.slot_minutes,
        breaks=[(b.starts, b.ends) for b in session.breaks.all()],
    )


@dataclass
class Candidate:
    """One pair of organizations to meet, from an accepted request or staff's pairing (or both)."""

    organization_a_id: int
    organization_b_id: int
    topic: str
    priority: int
    must_meet: bool
    seats: int
    request: MeetingRequest | None = None
    pairing_id: int | None = None

    @property
    def key(self) -> tuple[int, int]:
        return tuple(sorted((self.organization_a_id, self.organization_b_id)))


def session_candidates(session: B2BSession) -> list[Candidate]:
    """The pairs of the session, one per two organizations: staff's pairings first, then the accepted
    requests of the mission (and those already scheduled into this session)."""
    found: dict[tuple[int, int], Candidate] = {}
    for pairing in session.pairings.all():
        candidate = Candidate(
            pairing.organization_a_id,
            pairing.organization_b_id,
            pairing.topic,
            pairing.priority,
            pairing.must_meet,
            pairing.seats,
            pairing_id=pairing.pk,
        )
        known = found.get(candidate.key)
        if known is None:
            found[candidate.key] = candidate
        else:
            known.priority, known.must_meet = (
                max(known.priority, pairing.priority),
                known.must_meet or pairing.must_meet,
            )
            known.seats = max(known.seats, pairing.seats)
    requests = MeetingRequest.objects.filter(mission=session.program_item.mission_id).filter(
        Q(status=MeetingRequest.Status.ACCEPTED)
        | Q(status=MeetingRequest.Status.SCHEDULED, meeting__program_item=session.program_item_id)
    )
    for request in requests.order_by("created_at", "pk"):
        candidate = Candidate(
            request.requester_id, request.invitee_id, request.topic, session.request_priority, False, 2, request=request
        )
        known = found.get(candidate.key)
        if known is None:
            found[candidate.key] = candidate
        elif known.request is None:
            known.request = request
            known.topic = known.topic or request.topic
            known.priority = max(known.priority, session.request_priority)
    return list(found.values())


def _names(ids) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))


def session_problem(session: B2BSession, pairs: list[Pair], slots: list[SlotTime]) -> Problem:
    """The solver's view of the session: its tables and slots, the pairs, and the slots each
    organization cannot meet in — its unavailability windows and its other active meetings at that
    time (elsewhere in the mission or another mission), but not the meetings this session published."""
    organizations = {p.a for p in pairs} | {p.b for p in pairs}
    unavailable: dict[int, set[int]] = {org: set() for org in organizations}
    day, zone = session.program_item.date, session.program_item.venue_zone
    for window in session.unavailability.all():
        if window.organization_id in unavailable and day is not None:
            start = datetime.datetime.combine(day, window.starts, tzinfo=zone)
            end = datetime.datetime.combine(day, window.ends, tzinfo=zone)
            unavailable[window.organization_id] |= slots_overlapping(slots, start, end)
    if slots and organizations:
        own = PlannedMeeting.objects.filter(session=session, meeting__isnull=False).values("meeting")
        elsewhere = (
            Meeting.objects.filter(
                status__in=Meeting.ACTIVE_STATUSES, starts_at__lt=slots[-1].ends_at, ends_at__gt=slots[0].starts_at
            )
            .filter(Q(organization_a__in=organizations) | Q(organization_b__in=organizations))
            .exclude(pk__in=own)
        )
        for meeting in elsewhere:
            taken = slots_overlapping(slots, meeting.starts_at, meeting.ends_at)
            for org in (meeting.organization_a_id, meeting.organization_b_id):
                if org in unavailable:
                    unavailable[org] |= taken
    tables = [Table(key=t.pk, label=str(t.number), seats=t.seats) for t in session.tables.all()]
    return Problem(
        slot_count=len(slots),
        tables=tables,
        pairs=pairs,
        unavailable={org: frozenset(s) for org, s in unavailable.items()},
        names=_names(organizations),
        slot_labels=[s.label for s in slots],
    )


@transaction.atomic
def schedule_build(*, session: B2BSession, by, time_limit: float = DEFAULT_TIME_LIMIT) -> Plan:
    """Solve the session and store the draft plan (replacing the previous draft)."""
    _refuse_unless_allowed(by, session)
    session = (
        B2BSession.objects.select_for_update(of=("self",)).select_related("program_item__mission").get(pk=session.pk)
    )
    if session.program_item.date is None:
        raise PortalError(_("The B2B programme item needs its date before the schedule is built."), code="no_date")
    slots = session_slot_times(session)
    candidates = session_candidates(session)
    pairs = [
        Pair(
            key=c.key,
            a=c.organization_a_id,
            b=c.organization_b_id,
            priority=c.priority,
            must_meet=c.must_meet,
            seats=c.seats,
        )
        for c in candidates
    ]
    plan = solve(session_problem(session, pairs, slots), time_limit=time_limit)
    old = {}
    for row in PlannedMeeting.objects.filter(session=session, meeting__isnull=False):
        old[tuple(sorted((row.organization_a_id, row.organization_b_id)))] = row
    placed = {p.pair: p for p in plan.placements}
    reasons = {u.pair: u for u in plan.unplaced}
    rows = []
    for c in candidates:
        previous = old.pop(c.key, None)
        meeting_id = c.request.meeting_id if c.request is not None and c.request.meeting_id else None
        row = PlannedMeeting(
            session=session,
            organization_a_id=c.organization_a_id,
            organization_b_id=c.organization_b_id,
            topic=c.topic,
            priority=c.priority,
            must_meet=c.must_meet,
            seats=c.seats,
            request=c.request,
            pairing_id=c.pairing_id,
            meeting_id=meeting_id or (previous.meeting_id if previous else None),
        )
        if c.key in placed:
            row.slot, row.table_id = placed[c.key].slot, placed[c.key].table
        else:
            row.reason_code, row.reason_params = reasons[c.key].code, reasons[c.key].params
        rows.append(row)
    # A pair an earlier publication placed and nobody asks for now: kept unplaced so publishing cancels it.
    for previous in old.values():
        rows.append(
            PlannedMeeting(
                session=session,
                organization_a_id=previous.organization_a_id,
                organization_b_id=previous.organization_b_id,
                topic=previous.topic,
                meeting_id=previous.meeting_id,
                reason_code="withdrawn",
            )
        )
    PlannedMeeting.objects.filter(session=session).delete()
    PlannedMeeting.objects.bulk_create(rows)
    session.built_at = session.changed_at = timezone.now()
    session.save(update_fields=["built_at", "changed_at"])
    return plan


def stored_plan(session: B2BSession, rows: list[PlannedMeeting], slots: list[SlotTime]) -> Plan:
    """The stored draft as the solver's `Plan` (pair keys are the rows' ids), for `plan_clashes`."""
    pairs = [
        Pair(
            key=r.pk,
            a=r.organization_a_id,
            b=r.organization_b_id,
            priority=r.priority,
            must_meet=r.must_meet,
            seats=r.seats,
        )
        for r in rows
        if r.reason_code != "withdrawn"
    ]
    placements = [Placement(pair=r.pk, slot=r.slot, table=r.table_id) for r in rows if r.is_placed]
    return Plan(problem=session_problem(session, pairs, slots), placements=placements)


@transaction.atomic
def planned_meeting_move(*, planned: PlannedMeeting, slot: int, table: SessionTable, by) -> PlannedMeeting:
    """Put one meeting of the draft in `slot` at `table`; the meeting there (if any) takes its place.
    Refused, changing nothing, when the result has a clash."""
    session = (
        B2BSession.objects.select_for_update(of=("self",))
        .select_related("program_item__mission")
        .get(pk=planned.session_id)
    )
    _refuse_unless_allowed(by, session)
    if table.session_id != session.pk:
        raise PortalError({"table": _("The table belongs to another session.")}, code="foreign_table")
    if planned.reason_code == "withdrawn":
        raise PortalError(_("This meeting is no longer requested."), code="withdrawn")
    slots = session_slot_times(session)
    if not 0 <= slot < len(slots):
        raise PortalError({"slot": _("The session has no such slot.")}, code="bad_slot")
    rows = list(PlannedMeeting.objects.filter(session=session).order_by("pk").select_for_update(of=("self",)))
    moving = next(r for r in rows if r.pk == planned.pk)
    other = next((r for r in rows if r.slot == slot and r.table_id == table.pk and r.pk != moving.pk), None)
    if other is not None:
        if not moving.is_placed:
            raise PortalError(
                _("Table %(table)s is taken in this slot: move that meeting first.") % {"table": table.number},
                code="cell_taken",
            )
        other.slot, other.table_id = moving.slot, moving.table_id
    moving.slot, moving.table_id, moving.reason_code, moving.reason_params = slot, table.pk, "", {}
    clashes = plan_clashes(stored_plan(session, rows, slots))
    if clashes:
        raise PortalError(" ".join(clashes), code="clash")
    changed = [moving] if other is None else [moving, other]
    # Free the cells first: the unique (slot, table) index would see a swap half done.
    PlannedMeeting.objects.filter(pk__in=[r.pk for r in changed]).update(slot=None, table=None)
    for row in changed:
        row.full_clean(exclude=["session", "organization_a", "organization_b"])
        row.save()
    session.changed_at = timezone.now()
    session.save(update_fields=["changed_at"])
    return moving


# A published meeting in these states has happened (or not): publishing again leaves it alone.
DONE = (Meeting.Status.HELD, Meeting.Status.NO_SHOW)


@dataclass
class Publication:
    created: int = 0
    updated: int = 0
    cancelled: int = 0


@transaction.atomic
def schedule_publish(*, session: B2BSession, by) -> Publication:
    """Write the draft's placed meetings as meetings of the mission, in one transaction."""
    _refuse_unless_allowed(by, session)
    session = (
        B2BSession.objects.select_for_update(of=("self",)).select_related("program_item__mission").get(pk=session.pk)
    )
    if session.built_at is None:
        raise PortalError(_("Build the schedule before publishing it."), code="not_built")
    slots = session_slot_times(session)
    rows = list(
        PlannedMeeting.objects.filter(session=session)
        .select_related("table", "request", "meeting", "organization_a", "organization_b")
        .order_by("slot", "table__number", "pk")
    )
    clashes = plan_clashes(stored_plan(session, rows, slots))
    if clashes:
        raise PortalError(" ".join(clashes), code="clash")
    item, mission = session.program_item, session.program_item.mission
    result = Publication()
    # A request cancelled since the build is not placed: its meeting, if published, is cancelled below.
    live = (MeetingRequest.Status.ACCEPTED, MeetingRequest.Status.SCHEDULED)
    for row in rows:
        if row.is_placed and row.request is not None and row.request.status not in live:
            row.slot = row.table = None
    # What each published meeting was, to tell its companies when it moves.
    before = {r.meeting_id: (r.meeting.starts_at, r.meeting.ends_at, r.meeting.table) for r in rows if r.meeting}
    # The session's own meetings give up their times first, so a swap never meets itself half done
    # (the exclusion constraints on PostgreSQL are checked row by row).
    own = [r.meeting_id for r in rows if r.meeting_id]
    Meeting.objects.filter(pk__in=own).exclude(status__in=DONE).update(starts_at=None, ends_at=None)
    for row in rows:
        if not row.is_placed:
            continue
        slot = slots[row.slot]
        if row.meeting is not None and row.meeting.status in DONE:
            continue  # held or missed: what happened stays recorded
        if row.meeting is not None:
            meeting = Meeting.objects.get(pk=row.meeting_id)
            meeting.starts_at, meeting.ends_at, meeting.date = slot.starts_at, slot.ends_at, item.date
            meeting.table, meeting.program_item, meeting.status = str(row.table.number), item, Meeting.Status.SCHEDULED
            meeting.topic = meeting.topic or row.topic
            meeting = meeting_save(meeting, by=by)
            result.updated += 1
        else:
            meeting = meeting_schedule(
                mission=mission,
                organization_a=row.organization_a,
                organization_b=row.organization_b,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                date=item.date,
                program_item=item,
                table=str(row.table.number),
                topic=row.topic,
                status=Meeting.Status.SCHEDULED,
                by=by,
            )
            row.meeting = meeting
            row.save(update_fields=["meeting"])
            result.created += 1
        if row.request is not None:
            changed = before.get(meeting.pk) != (meeting.starts_at, meeting.ends_at, meeting.table)
            meeting_request_place(request=row.request, meeting=meeting, changed=changed, by=by)
    for row in rows:
        if row.is_placed or row.meeting is None:
            continue
        meeting = Meeting.objects.get(pk=row.meeting_id)
        if meeting.status not in (Meeting.Status.CANCELLED, *DONE):
            meeting.status, meeting.table = Meeting.Status.CANCELLED, ""
            meeting.starts_at = meeting.ends_at = None
            meeting_save(meeting, by=by)
            result.cancelled += 1
        for request in MeetingRequest.objects.filter(meeting=meeting, status=MeetingRequest.Status.SCHEDULED):
            meeting_request_unplace(request=request, by=by)
        if row.reason_code == "withdrawn":
            row.delete()
    session.published_at = timezone.now()
    session.save(update_fields=["published_at"])
    return result


@transaction.atomic
def session_tables_add(*, session: B2BSession, count: int, seats: int, by) -> list[SessionTable]:
    """Add `count` tables seating `seats` each, numbered after the session's last table."""
    _refuse_unless_allowed(by, session)
    last = session.tables.order_by("-number").values_list("number", flat=True).first() or 0
    tables = [SessionTable(session=session, number=last + i, seats=seats) for i in range(1, count + 1)]
    for table in tables:
        table.full_clean()
    return SessionTable.objects.bulk_create(tables)
