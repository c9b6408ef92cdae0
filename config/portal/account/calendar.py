"""The personal area's meetings as an iCalendar (RFC 5545) feed, written by hand: a handful of fields."""

import datetime

from django.db.models import Q
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


def _ical_offset(offset: datetime.timedelta) -> str:
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _zone_offsets(meetings) -> dict[str, datetime.timedelta]:
    """The venue zones whose meetings all fall at one UTC offset (no daylight saving between them):
    their times are written as local times of the zone; the times of other zones in UTC."""
    offsets: dict[str, set] = {}
    for meeting in meetings:
        zone = meeting.venue_zone
        for moment in (meeting.starts_at, meeting.ends_at):
            offsets.setdefault(zone.key, set()).add(moment.astimezone(zone).utcoffset())
    return {key: next(iter(found)) for key, found in offsets.items() if len(found) == 1}


def _vtimezone(key: str, offset: datetime.timedelta) -> list[str]:
    return [
        "BEGIN:VTIMEZONE",
        f"TZID:{key}",
        "BEGIN:STANDARD",
        "DTSTART:19700101T000000",
        f"TZOFFSETFROM:{_ical_offset(offset)}",
        f"TZOFFSETTO:{_ical_offset(offset)}",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]


def _ical_moment(name: str, value: datetime.datetime, zone, zones: dict) -> str:
    """A start or end in the venue's zone (TZID), as the portal shows it; UTC where the zone is not declared."""
    if zone.key in zones:
        return f"{name};TZID={zone.key}:{value.astimezone(zone):%Y%m%dT%H%M%S}"
    return f"{name}:{_ical_time(value)}"


def meetings_ical(*, organization: Organization, host: str, now: datetime.datetime | None = None) -> str:
    """The organization's active meetings with a day, as an iCalendar document: a meeting with a time in
    its venue's time zone, one known only by its date as an all-day event."""
    stamp = _ical_time(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Missions portal//Meetings//RU",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + _ical_escape(_("Meetings of %(org)s") % {"org": organization}),
    ]
    meetings = list(
        meetings_of_organization(organization)
        .filter(Q(starts_at__isnull=False, ends_at__isnull=False) | Q(starts_at__isnull=True, date__isnull=False))
        .filter(status__in=Meeting.ACTIVE_STATUSES)
    )
    timed = [meeting for meeting in meetings if meeting.starts_at]
    zones = _zone_offsets(timed)
    for key, offset in sorted(zones.items()):
        lines += _vtimezone(key, offset)
    for meeting in meetings:
        other = meeting.organization_b if meeting.organization_a_id == organization.pk else meeting.organization_a
        summary = f"{other}: {meeting.topic}" if meeting.topic else str(other)
        item = meeting.program_item
        location = " / ".join(
            part
            for part in (meeting.table, item.venue if item else "", str(item.place) if item and item.place else "")
            if part
        )
        lines += ["BEGIN:VEVENT", f"UID:meeting-{meeting.pk}@{host}", f"DTSTAMP:{stamp}"]
        if meeting.starts_at:
            zone = meeting.venue_zone
            lines += [
                _ical_moment("DTSTART", meeting.starts_at, zone, zones),
                _ical_moment("DTEND", meeting.ends_at, zone, zones),
            ]
        else:
            lines += [
                f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{meeting.date + datetime.timedelta(days=1):%Y%m%d}",
            ]
        lines += [
            "SUMMARY:" + _ical_escape(summary),
            "DESCRIPTION:" + _ical_escape(meeting.mission.title),
            "STATUS:" + ("TENTATIVE" if meeting.status == Meeting.Status.REQUESTED else "CONFIRMED"),
        ]
        if location:
            lines.append("LOCATION:" + _ical_escape(location))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_ical_fold(line) + "\r\n" for line in lines)
