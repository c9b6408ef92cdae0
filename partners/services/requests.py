"""Meeting requests between a mission's participants: made, answered, withdrawn by the companies;
scheduled, moved and cancelled by the staff of the mission's ministry. Every change notifies the
other side (partners.notifications) through the follow-up engine's exactly-once outbox.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.exceptions import PortalError
from companies.models import Organization
from companies.roles import can_edit, is_company_representative, user_organization
from missions.models import Meeting, Mission, ProgramItem
from missions.services.schedule import local_times_apply, meeting_record_result, meeting_save, meeting_schedule

from ..models import HostParticipant, MeetingRequest
from ..notifications import meeting_request_notify
from ..selectors import (
    host_side_eligible,
    is_mission_participant,
    meeting_requests_pending_count,
    missions_open_for_requests,
)

Status = MeetingRequest.Status


# --- Who may act -------------------------------------------------------------------------------


def _company_of(by) -> Organization:
    """The organization a company login acts for; anyone else is refused."""
    if not is_company_representative(by):
        raise PortalError(
            _("Only a company representative signed in to the portal may do this."), code="not_representative"
        )
    return user_organization(by)


def _check_registration_open(mission: Mission) -> None:
    if not missions_open_for_requests().filter(pk=mission.pk).exists():
        raise PortalError(
            _("Registration for this mission is closed: meeting requests are no longer taken."),
            code="registration_closed",
        )


def _check_staff(request: MeetingRequest, by) -> None:
    if not can_edit(by, request):
        raise PortalError(
            _("Only the staff of the ministry keeping the mission manage its meeting requests."), code="not_staff"
        )


def _locked(request: MeetingRequest) -> MeetingRequest:
    return (
        MeetingRequest.objects.select_for_update(of=("self",))
        .select_related("mission", "requester", "invitee", "meeting")
        .get(pk=request.pk)
    )


def _check_status(request: MeetingRequest, *allowed: str) -> None:
    if request.status not in allowed:
        raise PortalError(
            _("The request is already “%(status)s”: this can no longer be done.")
            % {"status": request.get_status_display()},
            code="bad_status",
        )


# --- The host side -----------------------------------------------------------------------------


@transaction.atomic
def host_participant_join(*, mission: Mission, by) -> HostParticipant:
    """A company of the mission's destination registers for its B2B meetings (from the mission's page)."""
    organization = _company_of(by)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    _check_registration_open(mission)
    return _host_participant_add(mission=mission, organization=organization, by=by)


@transaction.atomic
def host_participant_add(*, mission: Mission, organization: Organization, by) -> HostParticipant:
    """Staff of the mission's ministry register a destination company on the host side (the admin)."""
    if not can_edit(by, mission):
        raise PortalError(
            _("Only the staff of the ministry keeping the mission manage its participants."), code="not_staff"
        )
    if mission.status in (Mission.Status.CANCELLED, Mission.Status.COMPLETED):
        raise PortalError(
            _("The mission is “%(status)s”: its participants no longer change.")
            % {"status": mission.get_status_display()},
            code="mission_closed",
        )
    return _host_participant_add(mission=mission, organization=organization, by=by)


def _host_participant_add(*, mission: Mission, organization: Organization, by) -> HostParticipant:
    if HostParticipant.objects.filter(mission=mission, organization=organization).exists():
        raise PortalError(
            _("%(org)s is already registered on the host side.") % {"org": organization}, code="already_host"
        )
    if not host_side_eligible(mission, organization):
        raise PortalError(
            _("Only a company of the mission's destination that is not in the delegation takes part on the host side."),
            code="not_host_region",
        )
    participant = HostParticipant(mission=mission, organization=organization, joined_by=by)
    participant.full_clean()
    participant.save()
    return participant


# --- The companies' actions --------------------------------------------------------------------


@transaction.atomic
def meeting_request_create(
    *, mission: Mission, invitee: Organization, topic: str, message: str = "", by
) -> MeetingRequest:
    """A participant's company login asks another participant of the same mission for a meeting."""
    requester = _company_of(by)
    # The mission row serializes one company's requests, so the limit holds under concurrent posts.
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    _check_registration_open(mission)
    if not is_mission_participant(mission, requester):
        raise PortalError(
            _("Your organization does not take part in this mission: register first."), code="not_participant"
        )
    if invitee.pk == requester.pk:
        raise PortalError(_("A meeting is requested with another organization."), code="self_request")
    if not is_mission_participant(mission, invitee):
        raise PortalError(
            _("%(org)s does not take part in this mission.") % {"org": invitee}, code="invitee_not_participant"
        )
    if not invitee.accepts_meeting_requests:
        raise PortalError(_("%(org)s does not take meeting requests.") % {"org": invitee}, code="invitee_opted_out")
    open_pair = MeetingRequest.objects.filter(
        mission=mission, status__in=MeetingRequest.OPEN_STATUSES, requester=requester, invitee=invitee
    ) | MeetingRequest.objects.filter(
        mission=mission, status__in=MeetingRequest.OPEN_STATUSES, requester=invitee, invitee=requester
    )
    if open_pair.exists():
        raise PortalError(
            _("There is already an open meeting request between your organization and %(org)s.") % {"org": invitee},
            code="duplicate",
        )
    limit = settings.MEETING_REQUESTS_PENDING_MAX
    if meeting_requests_pending_count(mission=mission, requester=requester) >= limit:
        raise PortalError(
            ngettext(
                "Your organization already has %(n)d request waiting for an answer in this mission, the most "
                "allowed: wait for an answer or withdraw one.",
                "Your organization already has %(n)d requests waiting for an answer in this mission, the most "
                "allowed: wait for an answer or withdraw one.",
                limit,
            )
            % {"n": limit},
            code="pending_limit",
        )
    request = MeetingRequest(
        mission=mission,
        requester=requester,
        invitee=invitee,
        requested_by=by,
        topic=(topic or "").strip(),
        message=(message or "").strip(),
    )
    request.full_clean()
    request.save()
    meeting_request_notify(request, "new")
    return request


@transaction.atomic
def meeting_request_accept(*, request: MeetingRequest, by) -> MeetingRequest:
    """The invitee accepts: from now on both sides see each other's contacts; staff schedule it."""
    return _answer(request=request, by=by, status=Status.ACCEPTED, reason="")


@transaction.atomic
def meeting_request_decline(*, request: MeetingRequest, reason: str = "", by) -> MeetingRequest:
    return _answer(request=request, by=by, status=Status.DECLINED, reason=(reason or "").strip())


def _answer(*, request: MeetingRequest, by, status: str, reason: str) -> MeetingRequest:
    organization = _company_of(by)
    request = _locked(request)
    if organization.pk != request.invitee_id:
        raise PortalError(_("Only the invited organization answers a meeting request."), code="not_invitee")
    _check_status(request, Status.PENDING)
    if status == Status.ACCEPTED:
        _check_registration_open(request.mission)
    request.status, request.decided_by, request.decided_at = status, by, timezone.now()
    request.decline_reason = reason
    request.full_clean()
    request.save()
    meeting_request_notify(request, status)
    return request


@transaction.atomic
def meeting_request_withdraw(*, request: MeetingRequest, by) -> MeetingRequest:
    """The requester takes back a request not yet answered."""
    organization = _company_of(by)
    request = _locked(request)
    if organization.pk != request.requester_id:
        raise PortalError(_("Only the requesting organization withdraws its request."), code="not_requester")
    _check_status(request, Status.PENDING)
    request.status, request.decided_by, request.decided_at = Status.WITHDRAWN, by, timezone.now()
    request.full_clean()
    request.save()
    meeting_request_notify(request, Status.WITHDRAWN)
    return request


# --- The staff's actions -----------------------------------------------------------------------


def _times(
    *, mission: Mission, program_item: ProgramItem | None, date: datetime.date, start_time, end_time
) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of a meeting on `date` between clock times read in the venue's zone."""
    if not (date and start_time and end_time):
        raise PortalError(_("Give the day, the start and the end of the meeting."), code="no_time")
    probe = Meeting(mission=mission, program_item=program_item, date=date)
    local_times_apply(probe, start_time=start_time, end_time=end_time)
    if probe.ends_at <= probe.starts_at:
        raise PortalError(_("The meeting ends after it starts."), code="end_before_start")
    window = program_item is not None and program_item.starts_at and program_item.ends_at
    if window and (probe.starts_at < program_item.starts_at or probe.ends_at > program_item.ends_at):
        zone = probe.venue_zone
        raise PortalError(
            _("The meeting must fall within “%(item)s”, %(start)s–%(end)s.")
            % {
                "item": program_item.title,
                "start": program_item.starts_at.astimezone(zone).strftime("%d.%m.%Y %H:%M"),
                "end": program_item.ends_at.astimezone(zone).strftime("%H:%M"),
            },
            code="outside_session",
        )
    return probe.starts_at, probe.ends_at


def _check_program_item(mission: Mission, program_item: ProgramItem | None) -> None:
    if program_item is not None and program_item.mission_id != mission.pk:
        raise PortalError(_("The programme item belongs to another mission."), code="foreign_program_item")


@transaction.atomic
def meeting_request_schedule(
    *,
    request: MeetingRequest,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    table: str = "",
    program_item: ProgramItem | None = None,
    by,
) -> MeetingRequest:
    """Staff give an accepted request its time and table: the meeting is made by the meeting service,
    which refuses a time either organization or the table is already taken at."""
    request = _locked(request)
    _check_staff(request, by)
    _check_status(request, Status.ACCEPTED)
    _check_program_item(request.mission, program_item)
    starts_at, ends_at = _times(
        mission=request.mission, program_item=program_item, date=date, start_time=start_time, end_time=end_time
    )
    meeting = meeting_schedule(
        mission=request.mission,
        organization_a=request.requester,
        organization_b=request.invitee,
        starts_at=starts_at,
        ends_at=ends_at,
        date=date,
        program_item=program_item,
        table=(table or "").strip(),
        topic=request.topic,
        status=Meeting.Status.SCHEDULED,
        by=by,
    )
    request.status, request.meeting = Status.SCHEDULED, meeting
    request.full_clean()
    request.save()
    meeting_request_notify(request, Status.SCHEDULED)
    return request


@transaction.atomic
def meeting_request_move(
    *,
    request: MeetingRequest,
    date: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    table: str = "",
    by,
) -> MeetingRequest:
    """Staff give a scheduled meeting another time or table, checked for clashes like a new one."""
    request = _locked(request)
    _check_staff(request, by)
    _check_status(request, Status.SCHEDULED)
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("program_item__place__region")
        .get(pk=request.meeting_id)
    )
    if meeting.status != Meeting.Status.SCHEDULED:
        raise PortalError(
            _("The meeting is already “%(status)s”: it can no longer be moved.")
            % {"status": meeting.get_status_display()},
            code="meeting_not_scheduled",
        )
    starts_at, ends_at = _times(
        mission=request.mission, program_item=meeting.program_item, date=date, start_time=start_time, end_time=end_time
    )
    table = (table or "").strip()
    if (meeting.starts_at, meeting.ends_at, meeting.table) == (starts_at, ends_at, table):
        raise PortalError(_("The meeting is already at this time and table."), code="not_moved")
    meeting.date, meeting.starts_at, meeting.ends_at, meeting.table = date, starts_at, ends_at, table
    meeting_save(meeting, by=by)
    request.meeting = meeting
    request.save(update_fields=["updated_at"])
    meeting_request_notify(request, "moved")
    return request


@transaction.atomic
def meeting_request_cancel(*, request: MeetingRequest, reason: str = "", by) -> MeetingRequest:
    """Staff cancel a request that is open (pending, accepted or scheduled); a scheduled meeting is
    cancelled with it and frees its slot and table."""
    request = _locked(request)
    _check_staff(request, by)
    _check_status(request, *MeetingRequest.OPEN_STATUSES)
    meeting = request.meeting
    if meeting is not None and meeting.status == Meeting.Status.SCHEDULED:
        meeting_record_result(meeting=meeting, status=Meeting.Status.CANCELLED, by=by)
    request.status, request.meeting = Status.CANCELLED, None
    request.decided_by, request.decided_at = by, timezone.now()
    request.decline_reason = (reason or "").strip()
    request.full_clean()
    request.save()
    meeting_request_notify(request, Status.CANCELLED)
    return request


# --- A published B2B schedule (partners.scheduling.services.schedule_publish) -------------------


@transaction.atomic
def meeting_request_place(*, request: MeetingRequest, meeting: Meeting, changed: bool, by) -> str:
    """A schedule publication put `request` at `meeting` (written by the meeting service): an accepted
    request becomes scheduled with it ("scheduled" to both sides); a scheduled one whose meeting got
    another time or table, or is another meeting, is "moved"; one already there is left as it is.
    Returns the event told to the companies, or "" when nothing changed for them."""
    request = _locked(request)
    _check_staff(request, by)
    _check_status(request, Status.ACCEPTED, Status.SCHEDULED)
    if meeting.mission_id != request.mission_id:
        raise PortalError(_("The meeting belongs to another mission."), code="foreign_meeting")
    if request.status == Status.ACCEPTED:
        event = Status.SCHEDULED
    elif request.meeting_id != meeting.pk or changed:
        event = "moved"
    else:
        return ""
    request.status, request.meeting = Status.SCHEDULED, meeting
    request.full_clean()
    request.save()
    meeting_request_notify(request, event)
    return event


@transaction.atomic
def meeting_request_unplace(*, request: MeetingRequest, by) -> str:
    """A schedule publication no longer places a scheduled request: its meeting is cancelled (by the
    publication), the request goes back to accepted so it can be placed again, and both sides are told
    the meeting is cancelled. A request not scheduled is left alone. Returns the event told, or ""."""
    request = _locked(request)
    _check_staff(request, by)
    if request.status != Status.SCHEDULED:
        return ""
    request.status, request.meeting = Status.ACCEPTED, None
    request.full_clean()
    request.save()
    meeting_request_notify(request, "unscheduled")
    return "unscheduled"
