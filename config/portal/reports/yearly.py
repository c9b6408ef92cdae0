"""A region's year: what the missions it organized that year achieved — the numbers a governor quotes.

The missions are those the region sent (its origin, a country's regions included, as on the region
page) that started in the year and count (`dashboard.missions_counted`: visible to the user, not
cancelled). Every figure is a definition the dashboard and the home page already use, over these
missions: the funnel (`dashboard.funnel_total`), the regions reached (`dashboard.missions_reach`) and
the projects by stage (`dashboard.projects_by_stage`).
"""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from companies.models import Region
from missions.models import Mission
from missions.selectors import missions_with_list_details

from .. import dashboard

FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass
class DestinationRow:
    region: Region | None
    missions: int


@dataclass
class RegionYear:
    region: Region
    year: int
    missions: list[Mission]
    reach: dashboard.MissionsReach
    by_destination: list[DestinationRow]
    funnel: dashboard.Funnel
    stages: list[tuple[str, str, int]]

    @property
    def projects(self) -> int:
        return sum(count for _stage, _label, count in self.stages)


def region_year_missions(region: Region, year: int, user) -> QuerySet[Mission]:
    """The missions the region sent that started in `year` and count for the user."""
    return dashboard.missions_counted(user).filter(Region.within_q("origin_region", region), start_date__year=year)


def missions_by_destination(missions: QuerySet[Mission]) -> list[DestinationRow]:
    """Missions per destination region (a trip to two regions counts for each), most visited first: two queries."""
    counts = list(
        missions.order_by()
        .values("destination_regions")
        .annotate(n=Count("pk", distinct=True))
        .values_list("destination_regions", "n")
    )
    regions = Region.objects.select_related("country").in_bulk([pk for pk, _n in counts if pk is not None])
    rows = [DestinationRow(regions.get(pk), n) for pk, n in counts]
    return sorted(rows, key=lambda row: (-row.missions, row.region is None, str(row.region or "")))


def region_year(region: Region, year: int, user) -> RegionYear:
    missions = region_year_missions(region, year, user)
    return RegionYear(
        region=region,
        year=year,
        missions=list(
            missions_with_list_details(missions, user)
            .select_related("origin_region")
            .order_by("start_date", "title", "pk")
        ),
        reach=dashboard.missions_reach(missions),
        by_destination=missions_by_destination(missions),
        funnel=dashboard.funnel_total(user, missions=missions),
        stages=dashboard.projects_by_stage(user, missions=missions),
    )
