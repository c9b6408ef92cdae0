"""Reads of the directory, and who may see what. Pages, API, exports and admin all use these."""

from django.db.models import Case, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf

from .models import Need, Offer, Organization, Region
from .roles import can_see_unpublished

__all__ = ["can_see_unpublished", "organizations_visible_to"]  # the pages import can_see_unpublished from here


def organizations_visible_to(user) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("region")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)


class SubqueryCount(Subquery):
    """The number of rows of a correlated subquery: a count per row without joins that multiply rows."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def regions_with_counts(user, *, english_names: bool = False) -> QuerySet[Region]:
    """All regions, Russian ones first, with the numbers of organizations and missions the user may see.

    Sorted by name, the English one (where there is one) with `english_names`.
    """
    from missions.selectors import missions_visible_to

    organizations = organizations_visible_to(user).filter(region=OuterRef("pk")).order_by().values("pk")
    missions = missions_visible_to(user).order_by()
    return (
        Region.objects.select_related("federal_district", "country")
        .prefetch_related("key_sectors")
        .annotate(
            organization_count=SubqueryCount(organizations),
            missions_out_count=SubqueryCount(missions.filter(origin_region=OuterRef("pk")).values("pk")),
            missions_in_count=SubqueryCount(missions.filter(destination_regions=OuterRef("pk")).values("pk")),
        )
        .order_by(
            Case(When(kind=Region.Kind.FEDERAL_SUBJECT, then=Value(0)), default=Value(1)),
            Coalesce(NullIf("name_en", Value("")), "name") if english_names else "name",
        )
    )


def region_organizations(region: Region, user) -> QuerySet[Organization]:
    return organizations_visible_to(user).filter(region=region).prefetch_related("sectors")


def region_cooperation_items(model: type[Offer] | type[Need], region: Region, user) -> QuerySet:
    """Active offers (or needs) of the organizations of a region the user may see."""
    return model.objects.filter(
        is_active=True, organization__in=organizations_visible_to(user).filter(region=region)
    ).select_related("organization", "sector")


def organization_cooperation_items(model: type[Offer] | type[Need], organization: Organization) -> QuerySet:
    return model.objects.filter(organization=organization, is_active=True).select_related("sector")


# Missions, agreements and projects seen from the directory. Every related row shown with them
# (return missions, signing missions, parties) is filtered to what the user may see as well.
# The imports are local: missions and agreements import this module for `can_see_unpublished`.


def _missions(user):
    from missions.selectors import missions_visible_to

    return missions_visible_to(user).prefetch_related(
        "destination_regions",
        Prefetch("reciprocal_of", queryset=missions_visible_to(user)),
        Prefetch("reciprocal_missions", queryset=missions_visible_to(user)),
    )


def _missions_into(region: Region):
    from missions.models import Mission

    return Mission.destination_regions.through.objects.filter(region=region).values("mission_id")


def region_missions(region: Region, user):
    """Missions from the region and to it."""
    return _missions(user).filter(Q(origin_region=region) | Q(pk__in=_missions_into(region)))


def missions_between(a: Region, b: Region, user):
    """Missions from a to b and from b to a (a trip to several regions counts for each of them)."""
    return _missions(user).filter(
        Q(origin_region=a, pk__in=_missions_into(b)) | Q(origin_region=b, pk__in=_missions_into(a))
    )


def organization_missions(organization: Organization, user):
    """Missions the organization took part in (its delegation roles in `organization_roles`) or organized."""
    from missions.models import DelegationMember

    memberships = DelegationMember.objects.filter(organization=organization)
    return (
        _missions(user)
        .filter(Q(pk__in=memberships.values("mission_id")) | Q(organizer=organization))
        .prefetch_related(Prefetch("delegation", queryset=memberships, to_attr="organization_roles"))
    )


def _visible_parties(model, user):
    return model.objects.filter(organization__in=organizations_visible_to(user)).select_related("organization__region")


def _parties_in(model, region: Region, user):
    return _visible_parties(model, user).filter(organization__region=region)


def _agreements(user):
    from agreements.models import AgreementParty
    from agreements.selectors import agreements_visible_to
    from missions.selectors import missions_visible_to

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
    from agreements.models import AgreementParty

    return _agreements(user).filter(pk__in=_parties_in(AgreementParty, region, user).values("agreement_id"))


def agreements_between(a: Region, b: Region, user):
    """Agreements with a party from each of the two regions."""
    from agreements.models import AgreementParty

    return (
        _agreements(user)
        .filter(pk__in=_parties_in(AgreementParty, a, user).values("agreement_id"))
        .filter(pk__in=_parties_in(AgreementParty, b, user).values("agreement_id"))
    )


def organization_agreements(organization: Organization, user):
    from agreements.models import AgreementParty

    parties = AgreementParty.objects.filter(organization=organization)
    return (
        _agreements(user)
        .filter(pk__in=parties.values("agreement_id"))
        .prefetch_related(Prefetch("parties", queryset=parties, to_attr="organization_roles"))
    )


def _projects(user):
    from agreements.models import ProjectParty
    from agreements.selectors import agreements_visible_to, projects_visible_to
    from missions.selectors import missions_visible_to

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
    from agreements.models import ProjectParty

    return _projects(user).filter(pk__in=_parties_in(ProjectParty, region, user).values("project_id"))


def projects_between(a: Region, b: Region, user):
    """Cooperation projects between organizations of the two regions."""
    from agreements.models import ProjectParty

    return (
        _projects(user)
        .filter(pk__in=_parties_in(ProjectParty, a, user).values("project_id"))
        .filter(pk__in=_parties_in(ProjectParty, b, user).values("project_id"))
    )


def organization_projects(organization: Organization, user):
    from agreements.models import ProjectParty

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
        if other.pk == region.pk:
            return
        entry = partners.setdefault(
            other.pk, {"region": other, "missions": set(), "agreements": set(), "projects": set()}
        )
        entry[key].add(item.pk)

    for mission in missions:
        destinations = list(mission.destination_regions.all())
        if mission.origin_region_id == region.pk:
            for destination in destinations:
                add(destination, "missions", mission)
        elif any(d.pk == region.pk for d in destinations):
            add(mission.origin_region, "missions", mission)
    for key, items in (("agreements", agreements), ("projects", projects)):
        for item in items:
            for party in item.parties.all():
                add(party.organization.region, key, item)
    result = [
        {**entry, **{k: len(entry[k]) for k in ("missions", "agreements", "projects")}} for entry in partners.values()
    ]
    return sorted(result, key=lambda e: (-(e["missions"] + e["agreements"] + e["projects"]), e["region"].name))
