"""Reads of the directory, and who may see what. Pages, API, exports and admin all use these."""

from django.db.models import Q, QuerySet

from .models import Need, Offer, Organization, Region
from .names import name_normal_form, names_look_alike
from .roles import can_see_unpublished

__all__ = ["can_see_unpublished", "organizations_visible_to", "visible_or_none", "visible_q"]


# --- Visibility: the one rule, used by every selector of every app ----------------------------
# A visitor sees the records marked public; staff and officials (`can_see_unpublished`) see all.


def visible_q(user, prefix: str = "") -> Q:
    """A filter keeping the rows whose `<prefix>is_public` is set, or every row for a user who may see
    unpublished records. It is a real condition either way, so it can be combined with | as well as &."""
    if can_see_unpublished(user):
        return Q(pk__isnull=False)
    return Q(**{f"{prefix}is_public": True})


def visible_or_none(record, user):
    """A row already loaded (an organization, mission, agreement…), or None where the user may not see it."""
    if record is None:
        return None
    return record if (record.is_public or can_see_unpublished(user)) else None


def organizations_visible_to(user) -> QuerySet[Organization]:
    return Organization.objects.select_related("region").filter(visible_q(user))


def region_organizations(region: Region, user) -> QuerySet[Organization]:
    """The region's organizations (a country's include those of its regions) the user may see."""
    return organizations_visible_to(user).filter(Region.within_q("region", region)).prefetch_related("sectors")


def region_cooperation_items(model: type[Offer] | type[Need], region: Region, user) -> QuerySet:
    """Active offers (or needs) of the organizations of a region the user may see."""
    return model.objects.filter(
        is_active=True, organization__in=organizations_visible_to(user).filter(Region.within_q("region", region))
    ).select_related("organization", "sector")


def organization_cooperation_items(model: type[Offer] | type[Need], organization: Organization) -> QuerySet:
    return model.objects.filter(organization=organization, is_active=True).select_related("sector")


def organizations_named_like(
    names: list[str], *, exclude_pk: int | None = None, region: Region | None = None
) -> list[tuple[str, Organization, str]]:
    """Other organizations (of `region`, or of any) one of whose names (full, short or original) a
    reader would take for one of `names` (companies.names.names_look_alike), as (the name of `names`,
    the organization, its name it looks like). Every organization of any kind is compared: reading
    the names is one query, their skeletons are cached by companies.names; the matches, a second."""
    wanted = [name for name in names if name_normal_form(name)]
    if not wanted:
        return []
    rows = Organization.objects.exclude(pk=exclude_pk) if exclude_pk else Organization.objects.all()
    if region is not None:
        rows = rows.filter(region=region)
    matches = []
    for pk, *theirs in rows.order_by("pk").values_list("pk", "name", "short_name", "name_original"):
        for name in wanted:
            other = next((their for their in theirs if names_look_alike(name, their)), None)
            if other is not None:
                matches.append((name, pk, other))
                break
    by_pk = Organization.objects.select_related("region").in_bulk([pk for _name, pk, _other in matches])
    return [(name, by_pk[pk], other) for name, pk, other in matches]
