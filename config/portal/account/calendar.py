"""The personal area's meetings as an iCalendar feed, built by `missions.ical` like a mission's programme."""

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from companies.models import Organization
from missions.ical import calendar_build, meeting_event
from missions.models import Meeting
from missions.selectors import meetings_of_organization


def meetings_ical(*, organization: Organization, host: str, now: datetime.datetime | None = None) -> str:
    """The organization's active meetings with a day, as an iCalendar document: a meeting with a time in
    its venue's time zone, one known only by its date as an all-day event."""
    meetings = (
        meetings_of_organization(organization)
        .filter(Q(starts_at__isnull=False, ends_at__isnull=False) | Q(starts_at__isnull=True, date__isnull=False))
        .filter(status__in=Meeting.ACTIVE_STATUSES)
        .order_by("date", "starts_at", "pk")
    )
    events = [
        meeting_event(
            meeting,
            other=meeting.organization_b if meeting.organization_a_id == organization.pk else meeting.organization_a,
            host=host,
        )
        for meeting in meetings
    ]
    name = _("Meetings of %(org)s") % {"org": organization}
    return calendar_build(events, name=name, now=now, product="Meetings").decode()
