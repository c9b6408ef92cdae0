"""Reads that join the directory, missions and agreements: what the region, company and mission
pages show. Every related row shown with them (return missions, signing missions, parties) is filtered
to what the user may see as well."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import Agreement, AgreementParty, CooperationProject, ProjectParty
from agreements.selectors import (
    PROJECT_PRE_CONTRACT_STAGES,
    ContractTotals,
    agreements_visible_to,
    contracts_signed,
    project_parties_visible_to,
    projects_born_at,
    projects_visible_to,
)
from companies.models import Organization, Region
from companies.selectors import organizations_visible_to, visible_or_none, visible_q
from config.portal.dashboard import funnel_total
from missions.models import DelegationMember, Meeting, Mission, ReportedFigure
from missions.selectors import FigureRow, figures_beside_counts, missions_visible_to


def regions_listed(*, english_names: bool = False) -> QuerySet[Region]:
    """All regions, Russian ones first, sorted by name, the English one (where there is one) with `english_names`."""
    return (
        Region.objects.select_related("federal_district", "country")
        .prefetch_related("key_sectors")
        .order_by(
            Case(When(kind=Region.Kind.FEDERAL_SUBJECT, then=Value(0)), default=Value(1)),
            Coalesce(NullIf("name_en", Value("")), "name") if english_names else "name",
        )
    )


def regions_with_counts(user, regions: QuerySet[Region] | None = None) -> list[Region]:
    """`regions` (by default `regions_listed()`), each with the numbers of organizations, missions from and to
    it and agreements (with a party of the region) the user may see: `organization_count`,
    `missions_out_count`, `missions_in_count`, `agreement_count`. A country's numbers include its regions'.

    The same queries for 3 regions or 300: one GROUP BY per figure over the visible rows, rolled up to the
    countries here (`Region.covering_pks`, the rule of `Region.within_q`).
    """
    counts = _region_counts(user)
    rows = list(regions_listed() if regions is None else regions)
    for region in rows:
        for name, per_region in counts.items():
            setattr(region, name, per_region[region.pk])
    return rows


def _region_counts(user) -> dict[str, Counter]:
    organizations = (
        organizations_visible_to(user).order_by().values_list("region_id", "region__country_id").annotate(n=Count("pk"))
    )
    missions = missions_visible_to(user).order_by()
    missions_out = missions.values_list("origin_region_id", "origin_region__country_id").annotate(n=Count("pk"))
    # A mission goes to a region when one of its destinations or of the places it visits is there (`_into`):
    # one row per mission and region, the union dropping repeats.
    to_destinations = Mission.destination_regions.through.objects.filter(mission__in=missions.values("pk"))
    to_places = Mission.places.through.objects.filter(mission__in=missions.values("pk"))
    missions_in = to_destinations.values_list("mission_id", "region_id", "region__country_id").union(
        to_places.values_list("mission_id", "place__region_id", "place__region__country_id")
    )
    agreement_parties = (
        _visible_parties(AgreementParty, user)
        .filter(agreement__in=agreements_visible_to(user).order_by().values("pk"))
        .order_by()
        .values_list("agreement_id", "organization__region_id", "organization__region__country_id")
        .distinct()
    )
    return {
        "organization_count": _summed_per_region(organizations),
        "missions_out_count": _summed_per_region(missions_out),
        "missions_in_count": _distinct_per_region(missions_in),
        "agreement_count": _distinct_per_region(agreement_parties),
    }


def _summed_per_region(rows) -> Counter:
    """(region, its country, number) rows → the number each region counts (a country: its regions' too)."""
    counts = Counter()
    for region_id, country_id, number in rows:
        for pk in Region.covering_pks(region_id, country_id):
            counts[pk] += number
    return counts


def _distinct_per_region(rows) -> Counter:
    """(item, region, its country) rows → how many different items each region counts: a country counts once
    an item found in two of its regions."""
    items = defaultdict(set)
    for item, region_id, country_id in rows:
        for pk in Region.covering_pks(region_id, country_id):
            items[pk].add(item)
    return Counter({pk: len(found) for pk, found in items.items()})


# Missions, agreements and projects seen from the directory. Every related row shown with them
# (return missions, signing missions, parties) is filtered to what the user may see as well.


def _mission_prefetches(user) -> list:
    return ["destination_regions", "places", Prefetch("reciprocal_missions", queryset=missions_visible_to(user))]


def _missions(user):
    return missions_visible_to(user).prefetch_related(
        *_mission_prefetches(user), Prefetch("reciprocal_of", queryset=missions_visible_to(user))
    )


# The region pages' tables: the same rows, with each link to one other row (the mission returned, the
# signing mission, a project's origin and resulting agreement) joined in the row's own query and
# hidden by `rows_shown` where the user may not see it. A prefetch of such a link runs no query when no
# row of the page has one, so the page's query count would depend on the data.
_LINKS = {
    Mission: ("reciprocal_of",),
    Agreement: ("signed_at_mission",),
    CooperationProject: ("origin_mission", "resulting_agreement"),
}
MISSION_ORDER = (F("start_date").desc(nulls_last=True), "title", "pk")
AGREEMENT_ORDER = (F("signed_on").desc(nulls_last=True), "title", "pk")
PROJECT_ORDER = ("-last_activity_at", "pk")


def _mission_rows(user) -> QuerySet[Mission]:
    return (
        missions_visible_to(user)
        .select_related(*_LINKS[Mission])
        .prefetch_related(*_mission_prefetches(user))
        .order_by(*MISSION_ORDER)
    )


def _agreement_rows(user) -> QuerySet[Agreement]:
    return (
        agreements_visible_to(user)
        .select_related(*_LINKS[Agreement])
        .prefetch_related(Prefetch("parties", queryset=_visible_parties(AgreementParty, user)))
        .order_by(*AGREEMENT_ORDER)
    )


def _project_rows(user) -> QuerySet[CooperationProject]:
    return (
        projects_visible_to(user)
        .select_related(*_LINKS[CooperationProject])
        .prefetch_related("sectors", Prefetch("parties", queryset=_visible_parties(ProjectParty, user)))
        .order_by(*PROJECT_ORDER)
    )


def rows_shown(rows, user) -> list:
    """The rows of a region page's table (from the `region_*` and `*_between` selectors), each link to a row
    the user may not see read as None, as the other pages' filtered prefetches leave it."""
    rows = list(rows)
    for row in rows:
        for name in _LINKS[type(row)]:
            field = row._meta.get_field(name)
            field.set_cached_value(row, visible_or_none(getattr(row, name), user))
    return rows


# A region's missions roll up the regions within it: a foreign country's page counts a mission to
# one of its oblasts, or one that visits one of its cities.


def _missions_from(region) -> Q:
    return Region.within_q("origin_region", region)


def _into(region) -> Q:
    """A destination is in the region, or a place the trip visits (a join: may repeat a mission)."""
    return Region.within_q("destination_regions", region) | Region.within_q("places__region", region)


def _missions_into(region: Region) -> Q:
    return Q(pk__in=Mission.objects.filter(_into(region)).values("pk"))


def region_missions_from(region: Region, user) -> QuerySet[Mission]:
    """Missions from the region (a country: from one of its regions too), latest first."""
    return _mission_rows(user).filter(_missions_from(region))


def region_missions_to(region: Region, user) -> QuerySet[Mission]:
    """Missions from elsewhere to the region (its own regions and cities included), latest first."""
    return _mission_rows(user).filter(_missions_into(region)).exclude(_missions_from(region))


def missions_between(a: Region, b: Region, user) -> QuerySet[Mission]:
    """Missions from a to b and from b to a (a trip to several regions counts for each of them; a
    country stands for its regions and cities)."""
    return _mission_rows(user).filter((_missions_from(a) & _missions_into(b)) | (_missions_from(b) & _missions_into(a)))


def organization_missions(organization: Organization, user):
    """Missions the organization took part in (its delegation roles in `organization_roles`) or organized."""
    memberships = DelegationMember.objects.filter(organization=organization)
    return (
        _missions(user)
        .filter(Q(pk__in=memberships.values("mission_id")) | Q(organizer=organization))
        .prefetch_related(Prefetch("delegation", queryset=memberships, to_attr="organization_roles"))
    )


def organization_meetings(organization: Organization, user) -> list[Meeting]:
    """The organization's B2B meetings at missions the user may see, with the other organization
    (`partner`) when the user may see it: a meeting with a hidden party is not shown at all, as on the
    mission page (missions.selectors.mission_meetings)."""
    meetings = (
        Meeting.objects.filter(Q(organization_a=organization) | Q(organization_b=organization))
        .filter(mission__in=missions_visible_to(user).order_by().values("pk"))
        .filter(visible_q(user, "organization_a__"), visible_q(user, "organization_b__"))
        .select_related("mission", "organization_a", "organization_b")
        .order_by(F("date").desc(nulls_last=True), "mission__title", "pk")
    )
    result = []
    for meeting in meetings:
        mine = meeting.organization_a_id == organization.pk
        meeting.partner = meeting.organization_b if mine else meeting.organization_a
        result.append(meeting)
    return result


def _visible_parties(model, user):
    return model.objects.filter(organization__in=organizations_visible_to(user)).select_related("organization__region")


def _parties_in(model, region: Region, user):
    """Visible parties from the region (a country's include those of its regions)."""
    return _visible_parties(model, user).filter(Region.within_q("organization__region", region))


def _agreements(user):
    return (
        agreements_visible_to(user)
        .select_related(None)
        .prefetch_related(
            Prefetch("parties", queryset=_visible_parties(AgreementParty, user)),
            Prefetch("signed_at_mission", queryset=missions_visible_to(user)),
        )
    )


def region_agreements(region: Region, user) -> QuerySet[Agreement]:
    """Agreements an organization of the region is party to, latest first."""
    return _agreement_rows(user).filter(pk__in=_parties_in(AgreementParty, region, user).values("agreement_id"))


def agreements_between(a: Region, b: Region, user) -> QuerySet[Agreement]:
    """Agreements with a party from each of the two regions."""
    return (
        _agreement_rows(user)
        .filter(pk__in=_parties_in(AgreementParty, a, user).values("agreement_id"))
        .filter(pk__in=_parties_in(AgreementParty, b, user).values("agreement_id"))
    )


def organization_agreements(organization: Organization, user):
    parties = AgreementParty.objects.filter(organization=organization)
    return (
        _agreements(user)
        .filter(pk__in=parties.values("agreement_id"))
        .prefetch_related(Prefetch("parties", queryset=parties, to_attr="organization_roles"))
    )


def _projects(user):
    return (
        projects_visible_to(user)
        .select_related(None)
        .prefetch_related(
            "sectors",
            Prefetch("parties", queryset=_visible_parties(ProjectParty, user)),
            Prefetch("origin_mission", queryset=missions_visible_to(user)),
            Prefetch("resulting_agreement", queryset=agreements_visible_to(user).select_related(None)),
        )
    )


def region_projects(region: Region, user) -> QuerySet[CooperationProject]:
    """Cooperation projects an organization of the region is party to, the latest active first."""
    return _project_rows(user).filter(pk__in=_parties_in(ProjectParty, region, user).values("project_id"))


def projects_between(a: Region, b: Region, user) -> QuerySet[CooperationProject]:
    """Cooperation projects between organizations of the two regions."""
    return (
        _project_rows(user)
        .filter(pk__in=_parties_in(ProjectParty, a, user).values("project_id"))
        .filter(pk__in=_parties_in(ProjectParty, b, user).values("project_id"))
    )


def organization_projects(organization: Organization, user):
    parties = ProjectParty.objects.filter(organization=organization)
    return (
        _projects(user)
        .filter(pk__in=parties.values("project_id"))
        .prefetch_related(Prefetch("parties", queryset=parties, to_attr="organization_roles"))
    )


def projects_per_stage(projects: QuerySet[CooperationProject]) -> list[tuple[str, str, int]]:
    """(stage, label, number of projects) for each stage `projects` have, in the stages' order: one GROUP BY."""
    counts = dict(projects.order_by().values_list("stage").annotate(n=Count("pk")))
    return [(stage, label, counts[stage]) for stage, label in CooperationProject.Stage.choices if counts.get(stage)]


def projects_in_stage_order(projects: QuerySet[CooperationProject]) -> QuerySet[CooperationProject]:
    stages = [When(stage=stage, then=Value(i)) for i, (stage, _label) in enumerate(CooperationProject.Stage.choices)]
    return projects.order_by(Case(*stages), *PROJECT_ORDER)


@dataclass
class RegionFigures:
    """The figures at the top of a region's page, each one COUNT over the rows its table pages through."""

    missions_out: int
    missions_in: int
    agreements: int  # the table's rows: every agreement, contracts included
    agreements_other_than_contracts: int  # the figure: contracts are counted by `contracts_signed`
    projects: int
    contracts_signed: ContractTotals


def region_figures(region: Region, user) -> RegionFigures:
    missions = (
        missions_visible_to(user)
        .filter(_missions_from(region) | _missions_into(region))
        .aggregate(total=Count("pk"), out=Count("pk", filter=_missions_from(region)))
    )
    agreements, projects = region_agreements(region, user), region_projects(region, user)
    agreement_counts = agreements.order_by().aggregate(
        total=Count("pk"), other=Count("pk", filter=~Q(kind=Agreement.Kind.CONTRACT))
    )
    return RegionFigures(
        missions_out=missions["out"],
        missions_in=missions["total"] - missions["out"],
        agreements=agreement_counts["total"],
        agreements_other_than_contracts=agreement_counts["other"],
        projects=projects.order_by().count(),
        contracts_signed=contracts_signed(projects, agreements),
    )


def region_partners(region: Region, user) -> list[dict]:
    """Regions related to `region` by the missions, agreements and projects the user may see, most related
    first: {"region", "missions", "agreements", "projects"}, the numbers of each.

    A mission from the region relates it to each destination outside it, a mission to it to its origin;
    an agreement or project to the region of each of its (visible) parties outside it. Counted in SQL:
    four GROUP BY queries and the regions found.
    """
    outside = ~Region.within_q("region", region)
    to_destinations = (
        Mission.destination_regions.through.objects.filter(outside)
        .filter(mission__in=region_missions_from(region, user).order_by().values("pk"))
        .values_list("region_id")
        .annotate(n=Count("mission_id", distinct=True))
    )
    from_origins = region_missions_to(region, user).order_by().values_list("origin_region_id").annotate(n=Count("pk"))
    counts = {"missions": Counter(dict(to_destinations)) + Counter(dict(from_origins))}
    for key, model, item, items in (
        ("agreements", AgreementParty, "agreement_id", region_agreements(region, user)),
        ("projects", ProjectParty, "project_id", region_projects(region, user)),
    ):
        parties = (
            _visible_parties(model, user)
            .filter(~Region.within_q("organization__region", region))
            .filter(**{f"{item}__in": items.order_by().values("pk")})
            .values_list("organization__region_id")
            .annotate(n=Count(item, distinct=True))
        )
        counts[key] = Counter(dict(parties))
    partners = [
        {"region": other, **{key: per_region[other.pk] for key, per_region in counts.items()}}
        for other in Region.objects.filter(pk__in=set().union(*counts.values()))
    ]
    return sorted(partners, key=lambda e: (-(e["missions"] + e["agreements"] + e["projects"]), e["region"].name))


# --- A mission's page ---------------------------------------------------------------------


def mission_agreements(mission: Mission, user) -> list[Agreement]:
    """Agreements signed at the mission, then those it followed up (each marked `followed_up`)."""
    agreements = agreements_visible_to(user).filter(Q(signed_at_mission=mission) | Q(followed_up_at=mission))
    rows = list(agreements.distinct().order_by("signed_on", "title", "pk"))
    for agreement in rows:
        agreement.followed_up = agreement.signed_at_mission_id != mission.pk
    return [a for a in rows if not a.followed_up] + [a for a in rows if a.followed_up]


def mission_projects(mission: Mission, user) -> list[CooperationProject]:
    """Projects born at the mission (at it, or at one of its meetings), with their visible parties."""
    born_here = projects_born_at(projects_visible_to(user), Mission.objects.filter(pk=mission.pk))
    return list(born_here.prefetch_related(project_parties_visible_to(user)).order_by("title", "pk"))


# --- The outcome funnel ----------------------------------------------------------------------


@dataclass
class FunnelStep:
    label: str
    value: int
    width: int


@dataclass
class Funnel:
    """Counts are bars measured against the delegation; the contracts' value is a figure beside them,
    never a bar (roubles are not on the scale of a number of organizations)."""

    steps: list[FunnelStep]
    organizations: int
    companies: int
    meetings: int
    contracts: int
    roubles: Decimal
    other_currencies: list[tuple[str, Decimal]]


def _percent(part: int, whole: int) -> int:
    return min(100, round(100 * part / whole)) if whole else 0


def mission_funnel(mission: Mission, user) -> Funnel:
    """Delegation → meetings held → projects opened → contracts signed → their value, for one mission.

    The same figures the dashboard and the home page give for the same scope: they are computed by
    `dashboard.funnel_total` over this one mission. Roubles are shown on their bar; other currencies
    are listed apart and never converted.
    """
    total = funnel_total(user, missions=Mission.objects.filter(pk=mission.pk))
    counts = [
        (_("Delegation (organizations)"), total.organizations),
        (_("Meetings held"), total.meetings),
        (_("Projects opened"), total.projects),
        (_("Contracts signed"), total.contracts),
    ]
    first = counts[0][1] or max(value for _label, value in counts)
    steps = [FunnelStep(label, value, _percent(value, first)) for label, value in counts]
    return Funnel(
        steps=steps,
        organizations=total.organizations,
        companies=total.companies,
        meetings=total.meetings,
        contracts=total.contracts,
        roubles=total.value_rub,
        other_currencies=total.other_values,
    )


def mission_figures(mission: Mission, *, projects, agreements, funnel) -> list[FigureRow]:
    figures = ReportedFigure.objects.filter(mission=mission).select_related("source").order_by("source", "pk")
    counts = {
        ReportedFigure.Metric.DELEGATION_COMPANIES: funnel.companies,
        ReportedFigure.Metric.MEETINGS: funnel.meetings,
        ReportedFigure.Metric.CONTRACTS: funnel.contracts,
        ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION: sum(
            1 for p in projects if p.stage in PROJECT_PRE_CONTRACT_STAGES
        ),
        ReportedFigure.Metric.AGREEMENTS: sum(
            1 for a in agreements if a.kind != Agreement.Kind.CONTRACT and not a.followed_up
        ),
        ReportedFigure.Metric.REGIONS_VISITED: len(mission.destination_regions.all()),
    }
    values = {"RUB": funnel.roubles, **dict(funnel.other_currencies)}
    notes = {
        ReportedFigure.Metric.DELEGATION_COMPANIES: ngettext(
            "%(count)d organization in the delegation in all",
            "%(count)d organizations in the delegation in all",
            funnel.organizations,
        )
        % {"count": funnel.organizations}
    }
    return figures_beside_counts(figures, counts, values, notes)
