"""A session's slots: consecutive periods of its slot length from its start, none crossing a break
or the session's end. Pure Python: times are clock times on the session's day in the venue's zone."""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class SlotTime:
    index: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def label(self) -> str:
        return f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


def session_slots(
    *,
    day: datetime.date,
    zone: datetime.tzinfo,
    starts: datetime.time,
    ends: datetime.time,
    minutes: int,
    breaks: list[tuple[datetime.time, datetime.time]] = (),
) -> list[SlotTime]:
    """The slots of a session; a slot that would overlap a break starts again when the break ends."""
    if minutes <= 0:
        return []
    length = datetime.timedelta(minutes=minutes)
    end = datetime.datetime.combine(day, ends, tzinfo=zone)
    pauses = sorted(
        (datetime.datetime.combine(day, a, tzinfo=zone), datetime.datetime.combine(day, b, tzinfo=zone))
        for a, b in breaks
    )
    slots: list[SlotTime] = []
    moment = datetime.datetime.combine(day, starts, tzinfo=zone)
    while moment + length <= end:
        pause = next((p for p in pauses if p[0] < moment + length and p[1] > moment), None)
        if pause is not None:
            moment = pause[1]
            continue
        slots.append(SlotTime(index=len(slots), starts_at=moment, ends_at=moment + length))
        moment += length
    return slots


def slots_overlapping(slots: list[SlotTime], start: datetime.datetime, end: datetime.datetime) -> set[int]:
    return {slot.index for slot in slots if slot.starts_at < end and slot.ends_at > start}
