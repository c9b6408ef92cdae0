"""Reads of missions that are more than one line, and who may see which mission.

The public pages show the public part of a record: an anonymous visitor sees public missions, and on
them only public organizations, projects and agreements. Counts and sums on a page are made from the
same rows the page lists, so every number can be traced to the rows behind it.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from agreements.models import Agreement, CooperationProject, ProjectParty
from agreements.selectors import (
    PROJECT_CONTRACT_STAGES,
    PROJECT_PRE_CONTRACT_STAGES,
    agreements_visible_to,
    projects_visible_to,
)
from companies.models import Organization, Region
from companies.selectors import can_see_unpublished

from .models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure


def missions_visible_to(user) -> QuerySet[Mission]:
    qs = Mission.objects.select_related("origin_region", "organizer", "head_of_delegation")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)


def organization_visible(organization: Organization | None, user) -> Organization | None:
    """The organization when the user may see it, else None (for a row already loaded)."""
    if organization is None:
        return None
    return organization if (organization.is_public or can_see_unpublished(user)) else None


def _public_organizations(prefix: str, user) -> Q:
    """A filter on `<prefix>is_public` that keeps everything for staff."""
    return Q() if can_see_unpublished(user) else Q(**{f"{prefix}is_public": True})


def missions_with_list_details(missions: QuerySet[Mission], user) -> QuerySet[Mission]:
    """Missions for a list row: destinations prefetched, delegation size counted in the same query."""
    return (
        missions.select_related("head_of_delegation__organization")
        .annotate(
            delegation_size=Count(
                "delegation__organization",
                filter=_public_organizations("delegation__organization__", user),
                distinct=True,
            )
        )
        # An aggregate drops Meta.ordering: a page needs an explicit, total order.
        .order_by(F("start_date").desc(nulls_last=True), "title", "pk")
        .prefetch_related(Prefetch("destination_regions", queryset=Region.objects.order_by("name")))
    )


def mission_years(missions: QuerySet[Mission]) -> list[int]:
    return [d.year for d in missions.order_by().dates("start_date", "year", order="DESC")]


# --- Calendar --------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    is_today: bool
    missions: list[Mission] = field(default_factory=list)


def missions_in_month(missions: QuerySet[Mission], *, year: int, month: int) -> list[Mission]:
    """Missions with at least one day in the month (a mission without an end date lasts one day)."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return list(
        missions.filter(start_date__lte=last)
        .filter(Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
        .order_by("start_date", "title")
        .prefetch_related(Prefetch("destination_regions", queryset=Region.objects.order_by("name")))
    )


def month_grid(missions: list[Mission], *, year: int, month: int, today: datetime.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day holding the missions that run on it."""
    weeks = [
        [CalendarDay(date=d, in_month=d.month == month, is_today=d == today) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    by_date = {day.date: day for week in weeks for day in week}
    for mission in missions:
        day, end = mission.start_date, mission.end_date or mission.start_date
        while day <= end:
            if day in by_date:
                by_date[day].missions.append(mission)
            day += datetime.timedelta(days=1)
    return weeks


# --- Mission page ----------------------------------------------------------------------------


def mission_for_page(user) -> QuerySet[Mission]:
    """The mission with everything its header shows, in one query plus prefetches."""
    return (
        missions_visible_to(user)
        .select_related("head_of_delegation__organization", "reciprocal_of")
        .prefetch_related(
            Prefetch("destination_regions", queryset=Region.objects.order_by("name")),
            Prefetch(
                "reciprocal_missions",
                queryset=missions_visible_to(user).order_by("start_date", "title"),
                to_attr="visible_return_missions",
            ),
        )
    )


def mission_program(mission: Mission) -> list[ProgramItem]:
    return list(mission.program.select_related("host").order_by("starts_at", "pk"))


@dataclass
class DelegationGroup:
    organization: Organization
    members: list[DelegationMember]

    @property
    def people(self) -> list[DelegationMember]:
        return [m for m in self.members if m.person_id]

    @property
    def roles(self) -> list[str]:
        return sorted({m.get_role_display() for m in self.members if not m.person_id}, key=str)


def mission_delegation(mission: Mission, user) -> list[DelegationGroup]:
    """The delegation grouped by organization, with its people and their roles."""
    members = (
        DelegationMember.objects.filter(mission=mission)
        .filter(_public_organizations("organization__", user))
        .select_related("organization__region", "person")
        .order_by("organization__name", "organization_id", "person__last_name", "pk")
    )
    groups: dict[int, DelegationGroup] = {}
    for member in members:
        group = groups.setdefault(member.organization_id, DelegationGroup(member.organization, []))
        group.members.append(member)
    return list(groups.values())


@dataclass
class MeetingSummary:
    total: int
    by_status: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    held: list[Meeting]


def mission_meetings(mission: Mission, user) -> MeetingSummary:
    """Meetings counted by status and outcome, and the held ones listed. A meeting shows when both
    of its organizations may be seen."""
    meetings = list(
        Meeting.objects.filter(mission=mission)
        .filter(_public_organizations("organization_a__", user), _public_organizations("organization_b__", user))
        .select_related("organization_a", "organization_b")
        .order_by("starts_at", "pk")
    )
    status_counts = defaultdict(int)
    outcome_counts = defaultdict(int)
    for meeting in meetings:
        status_counts[meeting.status] += 1
        if meeting.outcome:
            outcome_counts[meeting.outcome] += 1
    return MeetingSummary(
        total=len(meetings),
        by_status=[(label, status_counts[value]) for value, label in Meeting.Status.choices if status_counts[value]],
        by_outcome=[
            (label, outcome_counts[value]) for value, label in Meeting.Outcome.choices if outcome_counts[value]
        ],
        held=[m for m in meetings if m.status == Meeting.Status.HELD],
    )


def mission_agreements(mission: Mission, user) -> list[Agreement]:
    return list(agreements_visible_to(user).filter(signed_at_mission=mission).order_by("signed_on", "title"))


def mission_projects(mission: Mission, user) -> list[CooperationProject]:
    """Projects born at the mission (at it, or at one of its meetings), with their visible parties."""
    return list(
        projects_visible_to(user)
        .filter(Q(origin_mission=mission) | Q(origin_meeting__mission=mission))
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=ProjectParty.objects.filter(_public_organizations("organization__", user)).select_related(
                    "organization"
                ),
                to_attr="visible_parties",
            )
        )
        .order_by("title", "pk")
    )


# --- The outcome funnel ----------------------------------------------------------------------


@dataclass
class FunnelStep:
    label: str
    value: int
    width: int


@dataclass
class Funnel:
    steps: list[FunnelStep]
    contracts: int
    roubles: Decimal
    other_currencies: list[tuple[str, Decimal]]

    @property
    def money_width(self) -> int:
        """The value bar is as wide as the contracts bar: it is those contracts' value."""
        return self.steps[-1].width if self.roubles else 0


def _percent(part: int, whole: int) -> int:
    return min(100, round(100 * part / whole)) if whole else 0


def mission_funnel(
    *, delegation: list[DelegationGroup], meetings: MeetingSummary, projects: list, agreements: list
) -> Funnel:
    """Delegation → meetings held → projects opened → contracts signed → roubles, from loaded rows.

    Contracts are projects at a contract stage plus commercial contracts signed at the mission; their
    roubles are summed, other currencies are listed apart and never converted.
    """
    signed_projects = [p for p in projects if p.stage in PROJECT_CONTRACT_STAGES]
    contracts = [a for a in agreements if a.kind == Agreement.Kind.CONTRACT]
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for project in signed_projects:
        if project.expected_value is not None:
            sums[project.currency] += project.expected_value
    for contract in contracts:
        if contract.value is not None:
            sums[contract.currency] += contract.value
    roubles = sums.pop("RUB", Decimal(0))
    counts = [
        (_("Delegation (organizations)"), len(delegation)),
        (_("Meetings held"), len(meetings.held)),
        (_("Projects opened"), len(projects)),
        (_("Contracts signed"), len(signed_projects) + len(contracts)),
    ]
    first = counts[0][1] or max(value for _label, value in counts)
    steps = [FunnelStep(label, value, _percent(value, first)) for label, value in counts]
    return Funnel(
        steps=steps,
        contracts=counts[-1][1],
        roubles=roubles,
        other_currencies=sorted(sums.items()),
    )


# --- Reported figures beside the counted rows -------------------------------------------------


@dataclass
class FigureRow:
    figure: ReportedFigure
    recorded: int | Decimal | None
    currency: str = ""

    @property
    def falls_short(self) -> bool:
        return self.recorded is not None and self.recorded < self.figure.number


def figures_beside_counts(figures, counts: dict, values: dict[str, Decimal]) -> list[FigureRow]:
    """Each reported figure with what the portal counts for the same metric (None: nothing to count).

    `counts` maps a metric to a number of rows; `values` maps a currency to a summed value.
    """
    rows = []
    for figure in figures:
        if figure.metric == ReportedFigure.Metric.VALUE:
            rows.append(FigureRow(figure, values.get(figure.currency, Decimal(0)), figure.currency))
        else:
            rows.append(FigureRow(figure, counts.get(figure.metric)))
    return rows


def mission_figures(mission: Mission, *, delegation, meetings, projects, agreements, funnel) -> list[FigureRow]:
    figures = ReportedFigure.objects.filter(mission=mission).select_related("source").order_by("source", "pk")
    counts = {
        ReportedFigure.Metric.DELEGATION_COMPANIES: sum(
            1 for g in delegation if g.organization.kind == Organization.Kind.COMPANY
        ),
        ReportedFigure.Metric.MEETINGS: len(meetings.held),
        ReportedFigure.Metric.CONTRACTS: funnel.contracts,
        ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION: sum(
            1 for p in projects if p.stage in PROJECT_PRE_CONTRACT_STAGES
        ),
        ReportedFigure.Metric.AGREEMENTS: sum(1 for a in agreements if a.kind != Agreement.Kind.CONTRACT),
        ReportedFigure.Metric.REGIONS_VISITED: len(mission.destination_regions.all()),
    }
    values = {"RUB": funnel.roubles, **dict(funnel.other_currencies)}
    return figures_beside_counts(figures, counts, values)
