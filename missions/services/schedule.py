"""Days and times of programme items and meetings, in their venue's zone, and the meetings' slots and tables."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Organization

from ..models import Meeting, Mission, ProgramItem
from .missions import place_check


def local_times_apply(row: ProgramItem | Meeting, *, start_time, end_time) -> None:
    """Set a programme item's or meeting's start and end from clock times on its `date`, read in
    its venue's time zone (`venue_zone`). No time: the row has a date only."""
    zone = row.venue_zone
    row.starts_at = datetime.datetime.combine(row.date, start_time, tzinfo=zone) if start_time and row.date else None
    row.ends_at = datetime.datetime.combine(row.date, end_time, tzinfo=zone) if end_time and row.date else None


def local_time(moment: datetime.datetime, zone) -> str:
    return moment.astimezone(zone).strftime("%d.%m.%Y %H:%M")


def schedule_check(row: ProgramItem | Meeting) -> None:
    """A row with a start has a date, the day of that start in the venue's zone: filled in when
    missing, refused when another day was given."""
    if row.starts_at is None:
        return
    day = row.starts_at.astimezone(row.venue_zone).date()
    if row.date is None:
        row.date = day
    elif row.date != day:
        raise PortalError(
            {
                "date": _("The date %(date)s is not the day of the start time, %(start)s (%(zone)s).")
                % {
                    "date": row.date.strftime("%d.%m.%Y"),
                    "start": local_time(row.starts_at, row.venue_zone),
                    "zone": row.venue_zone.key,
                }
            },
            code="date_not_start_day",
        )


def program_item_check(item: ProgramItem) -> None:
    """Every rule a programme item must satisfy before it is saved (its mission exists)."""
    schedule_check(item)
    item.full_clean()
    if item.place_id:
        mission = item.mission
        try:
            place_check(place=item.place, origin=mission.origin_region, destinations=mission.destination_regions.all())
        except PortalError as exc:
            raise PortalError({"place": exc.messages}, code="place_outside_route") from exc


def program_item_save(item: ProgramItem, *, by=None) -> ProgramItem:
    program_item_check(item)
    item.save()
    return item


def meeting_check_slot(meeting: Meeting) -> None:
    """Refuse a meeting that overlaps another active meeting of either organization, or another
    active meeting at the same table of the same mission.

    On PostgreSQL the exclusion constraints are the backstop for races; this check gives the clear
    message and is the rule itself on SQLite. Times are given in the meeting's venue zone.
    """
    if not meeting.holds_slot or not meeting.organization_a_id or not meeting.organization_b_id:
        return
    overlapping = Meeting.objects.filter(
        status__in=Meeting.ACTIVE_STATUSES, starts_at__lt=meeting.ends_at, ends_at__gt=meeting.starts_at
    ).exclude(pk=meeting.pk)
    zone = meeting.venue_zone
    orgs = (meeting.organization_a_id, meeting.organization_b_id)
    clash = (
        overlapping.filter(Q(organization_a__in=orgs) | Q(organization_b__in=orgs))
        .select_related("organization_a", "organization_b")
        .first()
    )
    if clash:
        busy = clash.organization_a if clash.organization_a_id in orgs else clash.organization_b
        raise PortalError(
            _("%(org)s already has a meeting from %(start)s to %(end)s.")
            % {
                "org": busy,
                "start": local_time(clash.starts_at, zone),
                "end": clash.ends_at.astimezone(zone).strftime("%H:%M"),
            },
            code="slot_taken",
        )
    if meeting.table:
        clash = (
            overlapping.filter(mission=meeting.mission_id, table=meeting.table)
            .select_related("organization_a", "organization_b")
            .first()
        )
        if clash:
            raise PortalError(
                {
                    "table": _(
                        "Table %(table)s is already booked from %(start)s to %(end)s, for the meeting %(meeting)s."
                    )
                    % {
                        "table": meeting.table,
                        "start": local_time(clash.starts_at, zone),
                        "end": clash.ends_at.astimezone(zone).strftime("%H:%M"),
                        "meeting": clash,
                    }
                },
                code="table_taken",
            )


def meeting_check(meeting: Meeting) -> None:
    """Every rule a meeting must satisfy before it is saved (its mission exists): row rules, its day,
    programme, time slot and table."""
    schedule_check(meeting)
    meeting.full_clean(exclude=["people", "sectors"])
    if meeting.status == Meeting.Status.HELD and meeting.starts_at and meeting.starts_at > timezone.now():
        raise PortalError(_("A meeting cannot be recorded as held before it starts."), code="held_in_future")
    if meeting.program_item_id and meeting.program_item.mission_id != meeting.mission_id:
        raise PortalError(_("The programme item belongs to another mission."), code="foreign_program_item")
    meeting_check_slot(meeting)


def meeting_save(meeting: Meeting, *, people=None, sectors=None, by=None) -> Meeting:
    """Check and save a meeting; a race lost to the database constraint becomes a clear error."""
    meeting_check(meeting)
    try:
        with transaction.atomic():
            meeting.save()
    except IntegrityError as exc:
        if "meeting_no_overlap_per_organization" in str(exc):
            message = _("One of the organizations already has a meeting at this time.")
            raise PortalError(message, code="slot_taken") from exc
        if "meeting_no_overlap_per_table" in str(exc):
            message = _("This table is already booked at this time.")
            raise PortalError({"table": message}, code="table_taken") from exc
        raise
    if people is not None:
        meeting.people.set(people)
    if sectors is not None:
        meeting.sectors.set(sectors)
    return meeting


@transaction.atomic
def meeting_schedule(
    *,
    mission: Mission,
    organization_a: Organization,
    organization_b: Organization,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    date: datetime.date | None = None,
    program_item: ProgramItem | None = None,
    table: str = "",
    topic: str = "",
    people=(),
    sectors=(),
    status: str = Meeting.Status.SCHEDULED,
    by=None,
) -> Meeting:
    meeting = Meeting(
        mission=mission,
        organization_a=organization_a,
        organization_b=organization_b,
        starts_at=starts_at,
        ends_at=ends_at,
        date=date,
        program_item=program_item,
        table=table,
        topic=topic,
        status=status,
    )
    return meeting_save(meeting, people=people, sectors=sectors, by=by)


@transaction.atomic
def meeting_record_result(*, meeting: Meeting, status: str, outcome: str = "", notes: str = "", by=None) -> Meeting:
    """Record whether a meeting was held and, if it was, what came of it."""
    if status not in (Meeting.Status.HELD, Meeting.Status.NO_SHOW, Meeting.Status.CANCELLED):
        raise PortalError(_("A result is held, no-show or cancelled."), code="bad_result")
    if outcome and status != Meeting.Status.HELD:
        raise PortalError(_("Only a meeting that was held has an outcome."), code="outcome_not_held")
    meeting.status, meeting.outcome = status, outcome
    if notes:
        meeting.notes = notes
    return meeting_save(meeting, by=by)
