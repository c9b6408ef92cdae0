"""iCalendar (RFC 5545) documents, built with the `icalendar` library: a mission's programme and an
organization's meetings (the personal area's feed) share this one builder.

An event with a time is written in its venue's time zone (`venue_zone` of the programme item or the
meeting) with a TZID and the zone's VTIMEZONE; an event known only by its day is an all-day event.
"""

import datetime
from dataclasses import dataclass

import icalendar
from django.utils import timezone

from .models import Meeting, Mission, ProgramItem
from .selectors import mission_program

CONTENT_TYPE = "text/calendar; charset=utf-8"


@dataclass
class CalendarEvent:
    uid: str
    summary: str
    # A day alone (an all-day event), or a start in the venue's zone with an optional end.
    date: datetime.date | None = None
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    zone: datetime.tzinfo | None = None
    description: str = ""
    location: str = ""
    status: str = "CONFIRMED"


def calendar_build(
    events: list[CalendarEvent], *, name: str, now: datetime.datetime | None = None, product: str = "Missions"
) -> bytes:
    """The events as an iCalendar document. An event without a day is left out."""
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", f"-//Missions portal//{product}//RU")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = (now or timezone.now()).astimezone(datetime.UTC)
    for item in events:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        if item.starts_at is not None:
            zone = item.zone or datetime.UTC
            event.add("dtstart", item.starts_at.astimezone(zone))
            if item.ends_at is not None:
                event.add("dtend", item.ends_at.astimezone(zone))
        elif item.date is not None:
            event.add("dtstart", item.date)
            event.add("dtend", item.date + datetime.timedelta(days=1))
        else:
            continue
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        event.add("status", item.status)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _program_location(item: ProgramItem) -> str:
    return ", ".join(part for part in (item.venue, str(item.place) if item.place else "") if part)


def mission_program_events(mission: Mission, *, host: str) -> list[CalendarEvent]:
    """The mission's programme items with a day: timed ones in their venue's zone, the others all-day."""
    return [
        CalendarEvent(
            uid=f"program-item-{item.pk}@{host}",
            summary=item.title,
            date=item.date,
            starts_at=item.starts_at,
            ends_at=item.ends_at,
            zone=item.venue_zone,
            description="\n".join(filter(None, [item.get_kind_display(), item.description, mission.title])),
            location=_program_location(item),
        )
        for item in mission_program(mission)
        if item.date is not None
    ]


def meeting_event(meeting: Meeting, *, other, host: str) -> CalendarEvent:
    """A B2B meeting as seen by one of its organizations (`other` is the partner)."""
    item = meeting.program_item
    location = " / ".join(
        part
        for part in (meeting.table, item.venue if item else "", str(item.place) if item and item.place else "")
        if part
    )
    return CalendarEvent(
        uid=f"meeting-{meeting.pk}@{host}",
        summary=f"{other}: {meeting.topic}" if meeting.topic else str(other),
        date=meeting.date,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        zone=meeting.venue_zone,
        description=meeting.mission.title,
        location=location,
        status="TENTATIVE" if meeting.status == Meeting.Status.REQUESTED else "CONFIRMED",
    )
