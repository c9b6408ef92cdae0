"""Figures for the front page and the officials' dashboard: aggregates across missions and agreements.

Every figure is computed in the database with a fixed number of queries, and only over what the user
may see: a mission hidden from a visitor takes its delegation, meetings and projects with it.

Contracts are counted once: a cooperation project at a signed stage counts; a commercial contract
registered as an agreement counts unless a counted project already stands behind it (the project's
`resulting_agreement`). Values are summed per currency and never converted.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.followup.policy import policy_with_stale_days, projects_stale, reminder_policy_get
from agreements.models import Agreement, CooperationProject, PlanItem, ProjectParty
from agreements.selectors import (
    PROJECT_CONTRACT_STAGES,
    agreements_counted_as_contracts,
    agreements_visible_to,
    plan_items_overdue,
    projects_born_at,
    projects_visible_to,
)
from companies.models import Currency, Organization, Region, Sector
from companies.selectors import can_see_unpublished, organizations_visible_to
from missions.models import DelegationMember, Meeting, Mission
from missions.selectors import meetings_held, missions_visible_to

from .figures_cache import figures_cached

LIST_LIMIT = 50


@dataclass
class Funnel:
    """One row of the outcome funnel: a year, a region pair, a sector, or everything."""

    key: tuple = ()
    label: str = ""
    # A stable name for the row in the page (an HTML attribute): "2025", "undated", "samara/tula".
    ref: str = ""
    # Organizations of every kind in the delegations, and of those the companies (Organization.Kind.COMPANY).
    organizations: int = 0
    companies: int = 0
    meetings: int = 0
    projects: int = 0
    projects_open: int = 0
    contracts: int = 0
    value_rub: Decimal = Decimal(0)
    values_other: dict[str, Decimal] = field(default_factory=dict)
    # What the key points at (regions of a pair, a sector), for links and names.
    objects: tuple = ()

    def add_value(self, currency: str, amount: Decimal | None) -> None:
        if not amount:
            return
        if currency == Currency.RUB:
            self.value_rub += amount
        else:
            self.values_other[currency] = self.values_other.get(currency, Decimal(0)) + amount

    @property
    def other_values(self) -> list[tuple[str, Decimal]]:
        """Non-rouble sums as (currency, amount), in a stable order."""
        return sorted(self.values_other.items())


def _ids(qs: QuerySet) -> QuerySet:
    return qs.order_by().values("pk")


def missions_counted(user) -> QuerySet[Mission]:
    """Missions whose delegations and outcomes count: visible to the user and not cancelled."""
    return missions_visible_to(user).exclude(status=Mission.Status.CANCELLED)


def _grouped(qs: QuerySet, keys: dict, extra: Iterable[str] = (), **aggregates) -> list[dict]:
    """One dict per group of `keys` (+ `extra` fields), or a single total when there are no keys."""
    qs = qs.order_by()
    if not keys and not extra:
        return [qs.aggregate(**aggregates)]
    return list(qs.values(*extra, **keys).annotate(**aggregates))


def _funnel(
    user,
    *,
    delegation_keys: dict | None,
    meeting_keys: dict,
    project_keys: dict,
    agreement_keys: dict | None,
    projects_need_mission: bool,
    missions: QuerySet[Mission] | None = None,
) -> dict[tuple, Funnel]:
    """The funnel of `missions` (by default every mission that counts) grouped by keys (key name →
    expression, per source; None skips a source). The rules are the apps' own: a held meeting
    (`missions.selectors.meetings_held`), projects born at a mission (`agreements.selectors.projects_born_at`),
    a signed contract and its value (`agreements.selectors` contracts).

    Four queries: delegations, meetings, projects, contracts registered as agreements.
    """
    missions = _ids(missions if missions is not None else missions_counted(user))
    rows: dict[tuple, Funnel] = {}

    def row(values: dict, names: Iterable[str]) -> Funnel:
        key = tuple(values[name] for name in names)
        return rows.setdefault(key, Funnel(key=key))

    if delegation_keys is not None:
        members = DelegationMember.objects.filter(
            mission__in=missions, organization__in=_ids(organizations_visible_to(user))
        )
        for values in _grouped(
            members,
            delegation_keys,
            n=Count("organization", distinct=True),
            n_companies=Count("organization", filter=Q(organization__kind=Organization.Kind.COMPANY), distinct=True),
        ):
            funnel = row(values, delegation_keys)
            funnel.organizations, funnel.companies = values["n"], values["n_companies"]

    meetings = meetings_held(Meeting.objects.filter(mission__in=missions), user)
    for values in _grouped(meetings, meeting_keys, n=Count("pk", distinct=True)):
        row(values, meeting_keys).meetings = values["n"]

    projects = projects_visible_to(user)
    if projects_need_mission:
        projects = projects_born_at(projects, missions)
    signed = Q(stage__in=PROJECT_CONTRACT_STAGES)  # projects_contract_signed, as a filter of the aggregate
    for values in _grouped(
        projects,
        project_keys,
        extra=["currency"],
        n=Count("pk", distinct=True),
        n_open=Count("pk", filter=Q(stage__in=CooperationProject.OPEN_STAGES), distinct=True),
        n_signed=Count("pk", filter=signed, distinct=True),
        value=Sum("expected_value", filter=signed),
    ):
        funnel = row(values, project_keys)
        funnel.projects += values["n"]
        funnel.projects_open += values["n_open"]
        funnel.contracts += values["n_signed"]
        funnel.add_value(values["currency"], values["value"])

    if agreement_keys is not None:
        contracts = agreements_visible_to(user)
        if projects_need_mission:
            contracts = contracts.filter(signed_at_mission__in=missions)
        contracts = agreements_counted_as_contracts(contracts, projects)
        for values in _grouped(
            contracts, agreement_keys, extra=["currency"], n=Count("pk", distinct=True), value=Sum("value")
        ):
            funnel = row(values, agreement_keys)
            funnel.contracts += values["n"]
            funnel.add_value(values["currency"], values["value"])
    return rows


def funnel_total(user, *, organizations: bool = True, missions: QuerySet[Mission] | None = None) -> Funnel:
    """The whole funnel: of every mission that counts, with projects and contracts that have no mission
    behind them; or, given `missions`, of those missions only (what was born at them)."""
    rows = _funnel(
        user,
        delegation_keys={} if organizations else None,
        meeting_keys={},
        project_keys={},
        agreement_keys={},
        projects_need_mission=missions is not None,
        missions=missions,
    )
    total = Funnel()
    for funnel in rows.values():
        total.organizations += funnel.organizations
        total.companies += funnel.companies
        total.meetings += funnel.meetings
        total.projects += funnel.projects
        total.projects_open += funnel.projects_open
        total.contracts += funnel.contracts
        total.add_value(Currency.RUB, funnel.value_rub)
        for currency, amount in funnel.values_other.items():
            total.add_value(currency, amount)
    return total


def funnel_by_year(user) -> list[Funnel]:
    """The funnel by the year its mission started; newest first, missions without a date last."""
    rows = _funnel(
        user,
        delegation_keys={"k0": ExtractYear("mission__start_date")},
        meeting_keys={"k0": ExtractYear("mission__start_date")},
        project_keys={"k0": ExtractYear("origin_mission__start_date")},
        agreement_keys={"k0": ExtractYear("signed_at_mission__start_date")},
        projects_need_mission=True,
    )
    for funnel in rows.values():
        funnel.label = str(funnel.key[0]) if funnel.key[0] is not None else _("undated")
        funnel.ref = str(funnel.key[0]) if funnel.key[0] is not None else "undated"
    return sorted(rows.values(), key=lambda f: (f.key[0] is None, -(f.key[0] or 0)))


def funnel_by_region_pair(user) -> list[Funnel]:
    """The funnel by origin region → destination region of the mission (one row per destination)."""
    rows = _funnel(
        user,
        delegation_keys={"k0": F("mission__origin_region"), "k1": F("mission__destination_regions")},
        meeting_keys={"k0": F("mission__origin_region"), "k1": F("mission__destination_regions")},
        project_keys={"k0": F("origin_mission__origin_region"), "k1": F("origin_mission__destination_regions")},
        agreement_keys={
            "k0": F("signed_at_mission__origin_region"),
            "k1": F("signed_at_mission__destination_regions"),
        },
        projects_need_mission=True,
    )
    regions = Region.objects.in_bulk({pk for funnel in rows.values() for pk in funnel.key if pk is not None})
    for funnel in rows.values():
        funnel.objects = tuple(regions.get(pk) for pk in funnel.key)
        funnel.label = " → ".join(str(region) if region else _("not set") for region in funnel.objects)
        funnel.ref = "/".join(region.slug if region else "-" for region in funnel.objects)
    return sorted(rows.values(), key=lambda f: tuple(str(r) if r else "\uffff" for r in f.objects))


def funnel_by_sector(user) -> list[Funnel]:
    """The funnel by sector: organizations by their sectors, meetings and projects by theirs.

    Commercial contracts registered only as agreements have no sector and are not in this table; a
    project in several sectors counts in each.
    """
    rows = _funnel(
        user,
        delegation_keys={"k0": F("organization__sectors")},
        meeting_keys={"k0": F("sectors")},
        project_keys={"k0": F("sectors")},
        agreement_keys=None,
        projects_need_mission=False,
    )
    sectors = Sector.objects.select_related("parent").in_bulk({f.key[0] for f in rows.values() if f.key[0]})
    for funnel in rows.values():
        sector = sectors.get(funnel.key[0])
        funnel.objects = (sector,)
        funnel.ref = sector.slug if sector else "-"
        if sector is None:
            funnel.label = _("sector not given")
        elif sector.parent_id:
            funnel.label = f"{sector.parent} › {sector}"
        else:
            funnel.label = str(sector)
    return sorted(rows.values(), key=lambda f: (f.objects[0] is None, f.label.casefold()))


@dataclass
class MissionsReach:
    missions: int
    regions: int


def missions_reach(missions: QuerySet[Mission]) -> MissionsReach:
    """How many missions, and how many destination regions they reached between them: one query."""
    counts = missions.order_by().aggregate(
        missions=Count("pk", distinct=True), regions=Count("destination_regions", distinct=True)
    )
    return MissionsReach(missions=counts["missions"], regions=counts["regions"])


@dataclass
class HomeFigures:
    missions: int
    regions: int
    organizations: int
    companies: int
    meetings: int
    projects_open: int
    contracts: int
    value_rub: Decimal
    values_other: list[tuple[str, Decimal]]


def home_figures(user) -> HomeFigures:
    """The headline figures of the front page: five queries. The delegations' organizations and companies
    are the funnel's (`funnel_total`), so the front page and the dashboard give the same numbers."""
    reach = missions_reach(missions_counted(user))
    total = funnel_total(user)
    return HomeFigures(
        missions=reach.missions,
        regions=reach.regions,
        organizations=total.organizations,
        companies=total.companies,
        meetings=total.meetings,
        projects_open=total.projects_open,
        contracts=total.contracts,
        value_rub=total.value_rub,
        values_other=total.other_values,
    )


def home_figures_cached(user) -> HomeFigures:
    """`home_figures`, from the cache of the user's visibility scope (`figures_cache`)."""
    return figures_cached("home", user, lambda: home_figures(user))


@dataclass
class DashboardFigures:
    """The dashboard's aggregates: the funnel in all and by year, region pair and sector, projects by stage."""

    total: Funnel
    by_year: list[Funnel]
    by_region_pair: list[Funnel]
    by_sector: list[Funnel]
    stages: list[tuple[str, str, int]]


def dashboard_figures(user) -> DashboardFigures:
    """Every aggregate of the dashboard, computed now: about twenty queries over the whole data set."""
    return DashboardFigures(
        total=funnel_total(user),
        by_year=funnel_by_year(user),
        by_region_pair=funnel_by_region_pair(user),
        by_sector=funnel_by_sector(user),
        stages=[(stage, str(label), count) for stage, label, count in projects_by_stage(user)],
    )


def missions_upcoming(
    user, *, today: datetime.date | None = None, limit: int = 5, among: list[int] | None = None
) -> list[Mission]:
    """Missions yet to come (from today, or planned or confirmed), soonest first; with `among`, of
    those keys only (`home_rows_cached`)."""
    today = today or timezone.localdate()
    missions = missions_visible_to(user) if among is None else missions_visible_to(user).filter(pk__in=among)
    return list(
        missions.filter(
            Q(start_date__gte=today) | Q(status__in=[Mission.Status.PLANNED, Mission.Status.CONFIRMED]),
        )
        .exclude(status=Mission.Status.CANCELLED)
        .prefetch_related("destination_regions")
        .order_by(F("start_date").asc(nulls_last=True), "title", "pk")[:limit]
    )


def agreements_recently_signed(user, *, limit: int = 5, among: list[int] | None = None) -> list[Agreement]:
    """The latest signed agreements; the mission each was signed at only where the user may see it.
    With `among`, of those keys only (`home_rows_cached`)."""
    agreements = agreements_visible_to(user) if among is None else agreements_visible_to(user).filter(pk__in=among)
    return list(
        agreements.select_related(None)
        .prefetch_related(Prefetch("signed_at_mission", queryset=missions_visible_to(user)))
        .filter(signed_on__isnull=False)
        .exclude(status=Agreement.Status.DRAFT)
        .order_by("-signed_on", "-pk")[:limit]
    )


@dataclass
class HomeRows:
    """The keys of the front page's two short lists: upcoming missions and recently signed agreements."""

    missions: list[int]
    agreements: list[int]


def home_rows_cached(user, *, today: datetime.date) -> HomeRows:
    """Which missions and agreements the front page lists, from the cache of the user's visibility scope
    and the day (each list is a sort over every visible mission or agreement); the rows are read by key."""

    def compute() -> HomeRows:
        return HomeRows(
            missions=[mission.pk for mission in missions_upcoming(user, today=today)],
            agreements=[agreement.pk for agreement in agreements_recently_signed(user)],
        )

    return figures_cached(f"home-rows:{today.isoformat()}", user, compute)


def projects_by_stage(user, *, missions: QuerySet[Mission] | None = None) -> list[tuple[str, str, int]]:
    """(stage, its label, number of projects) for every stage, in the order a project moves; given
    `missions`, of the projects born at them only (as the funnel counts them)."""
    projects = projects_visible_to(user)
    if missions is not None:
        projects = projects_born_at(projects, _ids(missions))
    counts = dict(projects.order_by().values_list("stage").annotate(n=Count("pk")))
    return [(stage, label, counts.get(stage, 0)) for stage, label in CooperationProject.Stage.choices]


def plan_items_overdue_for(user, *, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    """Overdue plan items of agreements the user may see, oldest due date first."""
    return (
        plan_items_overdue(today=today)
        .filter(agreement__in=_ids(agreements_visible_to(user)))
        .select_related("responsible_person__organization")
        .order_by("due_date", "pk")
    )


def projects_stale_for(user, *, today: datetime.date, days: int | None = None) -> QuerySet[CooperationProject]:
    """Stale projects the user may see (the follow-up policy's rule, `followup.policy.projects_stale`), the
    longest idle first; with `days`, idle for at least that many days whatever their stage."""
    policy = reminder_policy_get()
    if days:
        policy = policy_with_stale_days(policy, days)
    parties = ProjectParty.objects.filter(organization__in=_ids(organizations_visible_to(user))).select_related(
        "organization"
    )
    return (
        projects_stale(projects_visible_to(user), policy=policy, today=today)
        .select_related("curator__person")
        .prefetch_related(
            Prefetch("parties", queryset=parties), Prefetch("origin_mission", queryset=missions_visible_to(user))
        )
    )


@dataclass
class FollowUpRows:
    """Which rows the dashboard's two follow-up lists show (the keys of at most LIST_LIMIT each, in the
    lists' order) and how many there are in all."""

    overdue: list[int]
    overdue_count: int
    stale: list[int]
    stale_count: int


def follow_up_rows(user, *, today: datetime.date, days: int | None = None) -> FollowUpRows:
    """The overdue plan items (`plan_items_overdue_for`) and stale projects (`projects_stale_for`),
    computed now: four queries, two of them COUNTs over every open plan item and project."""
    overdue = plan_items_overdue_for(user, today=today).select_related(None)
    stale = projects_stale_for(user, today=today, days=days).select_related(None).prefetch_related(None)
    return FollowUpRows(
        overdue=list(overdue.values_list("pk", flat=True)[:LIST_LIMIT]),
        overdue_count=overdue.count(),
        stale=list(stale.values_list("pk", flat=True)[:LIST_LIMIT]),
        stale_count=stale.count(),
    )


def follow_up_rows_cached(user, *, today: datetime.date, days: int | None = None) -> FollowUpRows:
    """`follow_up_rows`, from the cache of the user's visibility scope, the day and the threshold."""
    name = f"follow-up:{today.isoformat()}:{days or 'policy'}"
    return figures_cached(name, user, lambda: follow_up_rows(user, today=today, days=days))


def shows_unpublished(user) -> bool:
    """Whether pages may name organizations and missions that are not public."""
    return can_see_unpublished(user)
