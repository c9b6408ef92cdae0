"""The personal area's meetings as an iCalendar (RFC 5545) feed, written by hand: a handful of fields."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Organization
from missions.models import Meeting
from missions.selectors import meetings_of_organization


def _ical_escape(text: str) -> str:
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _ical_fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a UTF-8 character (RFC 5545, 3.1)."""
    parts, current, size, limit = [], [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n".join(parts)


def _ical_time(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def meetings_ical(*, organization: Organization, host: str, now: datetime.datetime | None = None) -> str:
    """The organization's active meetings with a time, as an iCalendar document."""
    stamp = _ical_time(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Missions portal//Meetings//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _ical_escape(_("Meetings of %(org)s") % {"org": organization}),
    ]
    meetings = meetings_of_organization(organization).filter(
        status__in=Meeting.ACTIVE_STATUSES, starts_at__isnull=False, ends_at__isnull=False
    )
    for meeting in meetings:
        other = meeting.organization_b if meeting.organization_a_id == organization.pk else meeting.organization_a
        summary = f"{other}: {meeting.topic}" if meeting.topic else str(other)
        location = " / ".join(
            part for part in (meeting.table, meeting.program_item.venue if meeting.program_item else "") if part
        )
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{meeting.pk}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_ical_time(meeting.starts_at)}",
            f"DTEND:{_ical_time(meeting.ends_at)}",
            "SUMMARY:" + _ical_escape(summary),
            "DESCRIPTION:" + _ical_escape(meeting.mission.title),
            "STATUS:" + ("TENTATIVE" if meeting.status == Meeting.Status.REQUESTED else "CONFIRMED"),
        ]
        if location:
            lines.append("LOCATION:" + _ical_escape(location))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_ical_fold(line) + "\r\n" for line in lines)
