"""Whose row is this: each model declares it once, as `ownership = Ownership(...)` in its class body.

The declaration names lookup paths from the row to the organization that owns it, the way a
queryset filter spells them ("mission__organizer"). From that one declaration come both answers
the portal needs: for one row, which organizations own it (`organization_ids`, `allows`), and for
a queryset, the rows an organization owns (`q`, `filter`). `companies.roles.can_edit` reads the
first, the admin's foreign-key choices read the second, so the two cannot drift apart.

This module is the bottom layer: it imports only Django, and knows no model of any app.
"""

import operator
from functools import reduce

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet


class Ownership:
    """Which organizations' staff may change a model's rows.

    `paths`: lookup paths to the owning `companies.Organization` ("pk" for an organization itself).
    When there are several, the first whose first step is set decides: a reminder about a project
    belongs to the project's curators, else one about a plan item to the agreement's parties, else
    to the organization it is addressed to. Every path but the last must begin with a nullable
    foreign key, so "is set" is read from the row itself.

    `region`: a lookup path to a `companies.Region`: staff of any organization of that region may
    also change the row (the directory rule: staff keep their own region's organizations, people,
    offers and needs).

    `kept_by`: a foreign key to the organization whose staff recorded the row (a partner's
    government, a foreign company, a city entered by a ministry's staff): that organization's
    staff also keep changing it, wherever the row is.

    `portal_wide`: the row belongs to the whole portal (the reminder policy): staff of any
    organization keep it.
    """

    __slots__ = ("paths", "region", "kept_by", "portal_wide")

    def __init__(self, *paths: str, region: str | None = None, kept_by: str | None = None, portal_wide: bool = False):
        if bool(paths or region or kept_by) == portal_wide:
            raise ValueError("An ownership names lookup paths (or a region, or kept_by) or is portal_wide.")
        self.paths, self.region, self.kept_by, self.portal_wide = paths, region, kept_by, portal_wide

    def __repr__(self) -> str:
        args = [repr(p) for p in self.paths]
        if self.kept_by:
            args.append(f"kept_by={self.kept_by!r}")
        if self.region:
            args.append(f"region={self.region!r}")
        if self.portal_wide:
            args.append("portal_wide=True")
        return f"Ownership({', '.join(args)})"

    # --- One row ---------------------------------------------------------------------------------

    def organization_ids(self, obj: Model) -> set[int]:
        """The organizations that own `obj` (none for a portal-wide row: it is everyone's)."""
        owners = set()
        for i, path in enumerate(self.paths):
            first = path.split("__")[0]
            if i == len(self.paths) - 1 or first == "pk" or getattr(obj, _attname(obj, first)) is not None:
                owners = _ids_along(obj, path.split("__"))
                break
        if self.kept_by:
            owners |= _ids_along(obj, self.kept_by.split("__"))
        return owners

    def region_ids(self, obj: Model) -> set[int]:
        """The regions whose organizations' staff may also change `obj`."""
        return _ids_along(obj, self.region.split("__")) if self.region else set()

    def allows(self, organization: Model | None, obj: Model) -> bool:
        """May the staff of `organization` change `obj`?"""
        if organization is None:
            return False
        if self.portal_wide or organization.pk in self.organization_ids(obj):
            return True
        return self.region is not None and organization.region_id in self.region_ids(obj)

    # --- Many rows -------------------------------------------------------------------------------

    def q(self, organization: Model) -> Q:
        """The rows the staff of `organization` may change, as a filter (the same rule as `allows`)."""
        if self.portal_wide:
            return Q()
        alternatives, unset_before = [], Q()
        for path in self.paths:
            alternatives.append(unset_before & Q(**{path: organization.pk}))
            unset_before &= Q(**{f"{path.split('__')[0]}__isnull": True})
        if self.kept_by:
            alternatives.append(Q(**{self.kept_by: organization.pk}))
        if self.region:
            alternatives.append(Q(**{self.region: organization.region_id}))
        return reduce(operator.or_, alternatives)

    def filter(self, queryset: QuerySet, organization: Model | None) -> QuerySet:
        """`queryset` narrowed to the rows the staff of `organization` may change (none without one)."""
        if organization is None:
            return queryset.none()
        rows = queryset.filter(self.q(organization))
        many = any(_crosses_many(queryset.model, p) for p in (*self.paths, self.region, self.kept_by) if p)
        return rows.distinct() if many else rows


def ownership_of(model_or_obj) -> Ownership | None:
    """The model's declaration, or None: rows of a model that declares none only a superuser changes."""
    ownership = getattr(model_or_obj, "ownership", None)
    return ownership if isinstance(ownership, Ownership) else None


def _attname(obj: Model, name: str) -> str:
    return obj._meta.get_field(name).attname


def _ids_along(obj: Model | None, steps: list[str]) -> set[int]:
    """The primary keys at the end of a lookup path from `obj`, reading what is in memory while the
    path goes through foreign keys and asking the database once it reaches a one-to-many relation."""
    if obj is None:
        return set()
    name, rest = steps[0], steps[1:]
    if name == "pk":
        return {obj.pk} if obj.pk is not None else set()
    field = obj._meta.get_field(name)
    if field.concrete and (field.many_to_one or field.one_to_one):  # a foreign key: the id is on the row
        value = getattr(obj, field.attname)
        if value is None:
            return set()
        return _ids_along(getattr(obj, name), rest) if rest else {value}
    if field.one_to_one:  # the far side of a one-to-one (a login's person)
        try:
            related = getattr(obj, field.get_accessor_name())
        except ObjectDoesNotExist:
            return set()
        return _ids_along(related, rest) if rest else {related.pk}
    if obj.pk is None:
        return set()
    manager = getattr(obj, name if field.concrete else field.get_accessor_name())
    return set(manager.values_list("__".join(rest) or "pk", flat=True)) - {None}


def _crosses_many(model: type[Model], path: str) -> bool:
    """Does a filter along `path` join a relation with many rows per row (and so repeat rows)?"""
    for name in path.split("__"):
        if name == "pk":
            return False
        field = model._meta.get_field(name)
        if field.one_to_many or field.many_to_many:
            return True
        if field.related_model is None:
            return False
        model = field.related_model
    return False
