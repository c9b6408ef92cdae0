"""Reads for the review of a release: the existing missions it may be about."""

import datetime

from django.db.models import Q, QuerySet

from missions.models import Mission

from .draft import Draft
from .proposals import mission_dates

# A release is about a mission whose start lies this near its dates (or its publication): releases
# come out during a mission or within days after it; announcements a few weeks before.
NEAR_DAYS = 45


def _reference_date(draft: Draft) -> datetime.date | None:
    start, _end, _precision = mission_dates(draft)
    return start or draft.published


def missions_matching_draft(draft: Draft, *, limit: int = 5) -> list[Mission]:
    """Existing missions from the draft's origin to one of its destinations whose dates are near the
    release's dates (or its publication), nearest first; undated missions of the route come last.

    With no date at all, every mission of the route is a candidate, the latest first.
    """
    origins = [item.region_id for item in draft.origin_regions if item.region_id]
    destinations = [item.region_id for item in draft.destination_regions if item.region_id]
    if not origins or not destinations:
        return []
    candidates: QuerySet[Mission] = Mission.objects.filter(
        origin_region_id__in=origins, destination_regions__in=destinations
    ).exclude(status=Mission.Status.CANCELLED)
    reference = _reference_date(draft)
    if reference is not None:
        near = datetime.timedelta(days=NEAR_DAYS)
        candidates = candidates.filter(
            Q(start_date__range=(reference - near, reference + near)) | Q(start_date__isnull=True)
        )
    missions = list(candidates.distinct().select_related("origin_region").order_by("-start_date", "pk")[:50])

    def distance(mission: Mission) -> tuple[int, int]:
        if mission.start_date is None or reference is None:
            return (1 if mission.start_date is None else 0, 0)
        return (0, abs((mission.start_date - reference).days))

    return sorted(missions, key=distance)[:limit]
