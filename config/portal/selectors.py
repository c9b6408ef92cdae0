"""Reads that join the directory, missions and agreements: what the region, company and mission
pages show. Every related row shown with them (return missions, signing missions, parties) is filtered
to what the user may see as well."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements.models import Agreement, AgreementParty, CooperationProject, ProjectParty
from agreements.selectors import (
    PROJECT_PRE_CONTRACT_STAGES,
    agreements_visible_to,
    project_parties_visible_to,
    projects_born_at,
    projects_visible_to,
)
from companies.models import Organization, Region
from companies.selectors import SubqueryCount, organizations_visible_to, visible_q
from config.portal.dashboard import funnel_total
from missions.models import DelegationMember, Meeting, Mission, ReportedFigure
from missions.selectors import FigureRow, figures_beside_counts, missions_visible_to


def regions_with_counts(user, *, english_names: bool = False) -> QuerySet[Region]:
    """All regions, Russian ones first, with the numbers of organizations, missions and agreements
    (with a party of the region) the user may see.

    Sorted by name, the English one (where there is one) with `english_names`.
    """
    organizations = (
        organizations_visible_to(user).filter(Region.within_q("region", OuterRef("pk"))).order_by().values("pk")
    )
    missions = missions_visible_to(user).order_by()
    return (
        Region.objects.select_related("federal_district", "country")
        .prefetch_related("key_sectors")
        .annotate(
            organization_count=SubqueryCount(organizations),
            missions_out_count=SubqueryCount(missions.filter(_missions_from(OuterRef("pk"))).values("pk")),
            missions_in_count=SubqueryCount(missions.filter(_into(OuterRef("pk"))).values("pk").distinct()),
            agreement_count=SubqueryCount(
                _parties_in(AgreementParty, OuterRef("pk"), user)
                .filter(agreement__in=agreements_visible_to(user).order_by().values("pk"))
                .order_by()
                .values("agreement_id")
                .distinct()
            ),
        )
        .order_by(
            Case(When(kind=Region.Kind.FEDERAL_SUBJECT, then=Value(0)), default=Value(1)),
            Coalesce(NullIf("name_en", Value("")), "name") if english_names else "name",
        )
    )


# Missions, agreements and projects seen from the directory. Every related row shown with them
# (return missions, signing missions, parties) is filtered to what the user may see as well.


def _missions(user):
    return missions_visible_to(user).prefetch_related(
        "destination_regions",
        "places",
        Prefetch("reciprocal_of", queryset=missions_visible_to(user)),
        Prefetch("reciprocal_missions", queryset=missions_visible_to(user)),
    )


# A region's missions roll up the regions within it: a foreign country's page counts a mission to
# one of its oblasts, or one that visits one of its cities.


def _missions_from(region) -> Q:
    return Region.within_q("origin_region", region)


def _into(region) -> Q:
    """A destination is in the region, or a place the trip visits (a join: may repeat a mission)."""
    return Region.within_q("destination_regions", region) | Region.within_q("places__region", region)


def _missions_into(region: Region) -> Q:
    return Q(pk__in=Mission.objects.filter(_into(region)).values("pk"))


def region_missions(region: Region, user):
    """Missions from the region and to it (its own regions and cities included)."""
    return _missions(user).filter(_missions_from(region) | _missions_into(region))


def missions_between(a: Region, b: Region, user):
    """Missions from a to b and from b to a (a trip to several regions counts for each of them; a
    country stands for its regions and cities)."""
    return _missions(user).filter((_missions_from(a) & _missions_into(b)) | (_missions_from(b) & _missions_into(a)))


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


def region_agreements(region: Region, user):
    """Agreements an organization of the region is party to."""
    return _agreements(user).filter(pk__in=_parties_in(AgreementParty, region, user).values("agreement_id"))


def agreements_between(a: Region, b: Region, user):
    """Agreements with a party from each of the two regions."""
    return (
        _agreements(user)
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


def region_projects(region: Region, user):
    """Cooperation projects an organization of the region is party to."""
    return _projects(user).filter(pk__in=_parties_in(ProjectParty, region, user).values("project_id"))


def projects_between(a: Region, b: Region, user):
    """Cooperation projects between organizations of the two regions."""
    return (
        _projects(user)
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


def region_partners(region: Region, *, missions, agreements, projects) -> list[dict]:
    """Regions related to `region` by the missions, agreements and projects already loaded, most related first."""
    partners: dict[int, dict] = {}

    def add(other: Region, key: str, item) -> None:
        if region.covers(other):
            return
        entry = partners.setdefault(
            other.pk, {"region": other, "missions": set(), "agreements": set(), "projects": set()}
        )
        entry[key].add(item.pk)

    for mission in missions:
        destinations = list(mission.destination_regions.all())
        if region.covers(mission.origin_region):
            for destination in destinations:
                add(destination, "missions", mission)
        else:
            add(mission.origin_region, "missions", mission)
    for key, items in (("agreements", agreements), ("projects", projects)):
        for item in items:
            for party in item.parties.all():
                add(party.organization.region, key, item)
    result = [
        {**entry, **{k: len(entry[k]) for k in ("missions", "agreements", "projects")}} for entry in partners.values()
    ]
    return sorted(result, key=lambda e: (-(e["missions"] + e["agreements"] + e["projects"]), e["region"].name))


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
