"""Writes of a mission: its route, the ministry keeping its record, its places, dates and status."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from companies.dates import DatePrecision
from companies.exceptions import PortalError
from companies.models import Organization, Person, Place, Region
from companies.services import unique_slug

from ..models import Mission


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
