"""Reads of published B2B schedules: an organization's agenda, and a mission's public schedule."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from companies.models import Organization
from companies.selectors import visible_or_none
from missions.models import Meeting, Mission
from missions.selectors import meetings_of_organization

from ..models import B2BSession


def agenda_meetings(organization: Organization) -> QuerySet[Meeting]:
    """The organization's active meetings in published B2B sessions, by time (its own only)."""
    return (
        meetings_of_organization(organization)
        .filter(status__in=Meeting.ACTIVE_STATUSES, program_item__b2b_session__published_at__isnull=False)
        .select_related("program_item__b2b_session")
        .order_by("starts_at", "table", "pk")
    )


@dataclass
class AgendaSession:
    session: B2BSession
    meetings: list[Meeting] = field(default_factory=list)


def agenda_of(organization: Organization, *, session_pk: int | None = None) -> list[AgendaSession]:
    """The agenda grouped by session, each meeting with `partner` (the other side)."""
    meetings = agenda_meetings(organization)
    if session_pk is not None:
        meetings = meetings.filter(program_item__b2b_session=session_pk)
    groups: dict[int, AgendaSession] = {}
    for meeting in meetings:
        session = meeting.program_item.b2b_session
        meeting.partner = (
            meeting.organization_b if meeting.organization_a_id == organization.pk else meeting.organization_a
        )
        groups.setdefault(session.pk, AgendaSession(session)).meetings.append(meeting)
    return sorted(groups.values(), key=lambda g: (g.meetings[0].starts_at, g.session.pk))


@dataclass
class PublicSession:
    session: B2BSession
    meetings: list[Meeting]


def mission_public_schedule(mission: Mission, user) -> list[PublicSession]:
    """The mission's published B2B sessions and their meetings by time; an organization the viewer
    may not see is shown as None (the template writes a dash)."""
    meetings = (
        Meeting.objects.filter(
            mission=mission,
            status__in=Meeting.ACTIVE_STATUSES,
            starts_at__isnull=False,
            program_item__b2b_session__published_at__isnull=False,
        )
        .select_related("organization_a", "organization_b", "program_item__b2b_session", "program_item__place__region")
        .order_by("program_item__date", "starts_at", "table", "pk")
    )
    groups: dict[int, PublicSession] = {}
    for meeting in meetings:
        meeting.program_item.mission = mission
        meeting.mission = mission
        meeting.shown_a = visible_or_none(meeting.organization_a, user)
        meeting.shown_b = visible_or_none(meeting.organization_b, user)
        session = meeting.program_item.b2b_session
        groups.setdefault(session.pk, PublicSession(session, [])).meetings.append(meeting)
    return list(groups.values())
