"""Writes that matter for missions: creation, status changes, delegation and meetings."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.dates import DatePrecision
from companies.exceptions import PortalError
from companies.models import Organization, Person, Place, Region
from companies.services import unique_slug

from .models import DelegationApplication, DelegationMember, Meeting, Mission, ProgramItem


def mission_check_destinations(*, origin: Region | None, destinations) -> None:
    """A mission goes to at least one region, and not to the region it starts from."""
    destinations = list(destinations)
    if not destinations:
        raise PortalError(_("Choose at least one destination region."), code="no_destination")
    if origin is not None and any(region.pk == origin.pk for region in destinations):
        raise PortalError(
            _("%(region)s is the origin of the mission and cannot also be its destination.") % {"region": origin},
            code="origin_is_destination",
        )


def _within(region: Region, regions) -> bool:
    """Is `region` one of `regions`, or a region of one of those that is a country (Region.covers)?"""
    return any(other.covers(region) for other in regions if other is not None)


def mission_check_recording(*, recorded_by: Organization | None, origin: Region | None, destinations) -> None:
    """The ministry keeping a mission's record is of a region the delegation leaves from or goes to
    (for an inbound visit: the host), so a staff member cannot record a mission between two others."""
    if recorded_by is None or origin is None:
        return
    if not _within(recorded_by.region, [origin, *destinations]):
        raise PortalError(
            _(
                "%(org)s cannot keep the record of this mission: its region, %(region)s, is neither the origin "
                "nor a destination of the mission. The record is kept by a ministry of the region the delegation "
                "leaves from or of a region it visits."
            )
            % {"org": recorded_by, "region": recorded_by.region},
            code="recorder_not_party",
        )


def place_check(*, place: Place, origin: Region | None, destinations) -> None:
    """A place of a trip lies in its origin or a destination region, or in a region of a destination country."""
    if origin is None and not destinations:
        return
    if not _within(place.region, [origin, *destinations]):
        raise PortalError(
            _(
                "%(place)s is in “%(region)s”, which is neither the origin nor a destination of the mission: add "
                "that region or its country to the destinations, or choose another place."
            )
            % {"place": place, "region": place.region},
            code="place_outside_route",
        )


def mission_check_places(*, origin: Region | None, destinations, places) -> None:
    destinations = list(destinations)
    for place in places:
        place_check(place=place, origin=origin, destinations=destinations)


def mission_check_status_change(*, mission: Mission, status: str, start_date: datetime.date | None) -> None:
    """Refuse a status the mission may not move to (Mission.TRANSITIONS), so a form can say so before saving."""
    if status == mission.status:
        return
    if not mission.can_move_to(status):
        raise PortalError(
            _("A mission cannot go from “%(a)s” to “%(b)s”.")
            % {"a": mission.get_status_display(), "b": dict(Mission.Status.choices).get(status, status)},
            code="bad_transition",
        )
    if status == Mission.Status.COMPLETED and start_date is None:
        raise PortalError(_("Enter the mission's dates before marking it completed."), code="no_dates")


@transaction.atomic
def mission_create(
    *,
    title: str,
    origin_region: Region,
    destination_regions,
    organizer: Organization,
    recorded_by: Organization | None = None,
    places=(),
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    dates_precision: str = DatePrecision.DAY,
    head_of_delegation: Person | None = None,
    status: str = Mission.Status.PLANNED,
    purpose: str = "",
    results_summary: str = "",
    framework_event: str = "",
    reciprocal_of: Mission | None = None,
    is_public: bool = False,
    slug: str = "",
    by=None,
) -> Mission:
    """Record a mission; the ministry keeping the record is the organizer unless another is named."""
    destination_regions, places = list(destination_regions), list(places)
    recorded_by = recorded_by or organizer
    mission_check_destinations(origin=origin_region, destinations=destination_regions)
    mission_check_recording(recorded_by=recorded_by, origin=origin_region, destinations=destination_regions)
    mission_check_places(origin=origin_region, destinations=destination_regions, places=places)
    mission = Mission(
        title=title,
        slug=slug or unique_slug(Mission, title),
        origin_region=origin_region,
        organizer=organizer,
        recorded_by=recorded_by,
        start_date=start_date,
        end_date=end_date,
        dates_precision=dates_precision,
        head_of_delegation=head_of_delegation,
        status=status,
        purpose=purpose,
        results_summary=results_summary,
        framework_event=framework_event,
        reciprocal_of=reciprocal_of,
        is_public=is_public,
    )
    mission.full_clean()
    mission.save()
    mission.destination_regions.set(destination_regions)
    mission.places.set(places)
    return mission


# The fields of a mission that mission_update changes; its destinations are passed on their own.
MISSION_FIELDS = (
    "title",
    "slug",
    "status",
    "origin_region",
    "organizer",
    "recorded_by",
    "head_of_delegation",
    "start_date",
    "end_date",
    "dates_precision",
    "purpose",
    "results_summary",
    "framework_event",
    "reciprocal_of",
    "is_public",
)


@transaction.atomic
def mission_update(*, mission: Mission, destination_regions=None, places=None, by=None, **changes) -> Mission:
    """Change a mission in one save: new values for any of MISSION_FIELDS, its destinations and places.

    A new status goes through the workflow (Mission.TRANSITIONS) from the status the row has now, with
    the other new values (a completed mission needs its dates). Nothing changes, nothing is saved.
    """
    unknown = set(changes) - set(MISSION_FIELDS)
    if unknown:
        raise TypeError(f"mission_update() got fields it does not change: {', '.join(sorted(unknown))}")
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    changes = {name: value for name, value in changes.items() if getattr(mission, name) != value}
    if destination_regions is not None:
        destination_regions = list(destination_regions)
        if {region.pk for region in destination_regions} == set(
            mission.destination_regions.values_list("pk", flat=True)
        ):
            destination_regions = None
    if places is not None:
        places = list(places)
        if {place.pk for place in places} == set(mission.places.values_list("pk", flat=True)):
            places = None
    if not changes and destination_regions is None and places is None:
        return mission
    status = changes.pop("status", mission.status)
    for name, value in changes.items():
        setattr(mission, name, value)
    mission_check_status_change(mission=mission, status=status, start_date=mission.start_date)
    destinations = list(mission.destination_regions.all()) if destination_regions is None else destination_regions
    route_changed = destination_regions is not None or "origin_region" in changes
    if route_changed:
        mission_check_destinations(origin=mission.origin_region, destinations=destinations)
    if route_changed or "recorded_by" in changes:
        mission_check_recording(
            recorded_by=mission.recorded_by, origin=mission.origin_region, destinations=destinations
        )
    if route_changed or places is not None:
        mission_check_places(
            origin=mission.origin_region,
            destinations=destinations,
            places=mission.places.select_related("region") if places is None else places,
        )
    mission.status = status
    mission.full_clean()
    mission.save()
    if destination_regions is not None:
        mission.destination_regions.set(destination_regions)
    if places is not None:
        mission.places.set(places)
    return mission


def mission_change_status(*, mission: Mission, status: str, by=None) -> Mission:
    """Move a mission along planned → confirmed → under way → completed (or cancelled)."""
    return mission_update(mission=mission, status=status, by=by)


@transaction.atomic
def delegation_add_member(
    *, mission: Mission, organization: Organization, person: Person | None = None, role: str = "participant", by=None
) -> DelegationMember:
    member = DelegationMember(mission=mission, organization=organization, person=person, role=role)
    delegation_check(member)
    member.save()
    return member


def delegation_check(member: DelegationMember) -> None:
    """Every rule a delegation membership must satisfy before it is saved (its mission exists)."""
    if member.mission.status == Mission.Status.CANCELLED:
        raise PortalError(_("The mission is cancelled: its delegation cannot change."), code="mission_cancelled")
    member.full_clean()


def delegation_member_save(member: DelegationMember, *, by=None) -> DelegationMember:
    """Check and save a new or changed membership (the admin's delegation rows)."""
    delegation_check(member)
    member.save()
    return member


# --- Days and times of programme items and meetings ------------------------------------------


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


# --- Applications of companies to join a delegation (the personal area and the staff admin) ---


def missions_open_for_applications():
    """Public missions not yet under way whose start is not in the past: a company may apply to these."""
    today = timezone.localdate()
    return Mission.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__gte=today),
        is_public=True,
        status__in=(Mission.Status.PLANNED, Mission.Status.CONFIRMED),
    )


@transaction.atomic
def delegation_apply(
    *, mission: Mission, organization: Organization, person: Person | None = None, note: str = "", by=None
) -> DelegationApplication:
    """Record a company's request to join a mission's delegation; staff decide on it later."""
    # The mission row is the lock that serializes two applications of one organization.
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if not missions_open_for_applications().filter(pk=mission.pk).exists():
        raise PortalError(_("This mission no longer takes applications."), code="mission_closed")
    if person is not None and person.organization_id != organization.pk:
        raise PortalError(_("The person must belong to the applying organization."), code="foreign_person")
    if DelegationMember.objects.filter(mission=mission, organization=organization).exists():
        raise PortalError(_("Your organization is already in this delegation."), code="already_member")
    if DelegationApplication.objects.filter(
        mission=mission, organization=organization, status=DelegationApplication.Status.PENDING
    ).exists():
        raise PortalError(
            _("Your organization has already applied to join this delegation; the organizers will reply."),
            code="already_applied",
        )
    application = DelegationApplication(
        mission=mission, organization=organization, person=person, applied_by=by, note=note.strip()
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def delegation_application_decide(
    *, application: DelegationApplication, approve: bool, by=None
) -> DelegationApplication:
    """Approve (the organization joins the delegation) or decline a pending application."""
    application = (
        DelegationApplication.objects.select_for_update(of=("self",))
        .select_related("mission", "organization", "person")
        .get(pk=application.pk)
    )
    if application.status != DelegationApplication.Status.PENDING:
        raise PortalError(
            _("The application of %(org)s has already been decided.") % {"org": application.organization},
            code="already_decided",
        )
    if approve:
        delegation_add_member(
            mission=application.mission, organization=application.organization, person=application.person, by=by
        )
    application.status = DelegationApplication.Status.APPROVED if approve else DelegationApplication.Status.DECLINED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    return application
