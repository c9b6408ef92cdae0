"""Filters of the agreement registry. A value that does not validate is ignored, never a 500."""

import django_filters
from django.utils.translation import gettext_lazy as _

from companies.filters import SlugFilter, YearFilter, set_choices
from companies.models import Region
from companies.selectors import can_see_unpublished

from .models import Agreement, AgreementParty
from .selectors import agreement_years


class AgreementFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agreement.Kind.choices, empty_label=_("Any kind"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Agreement.Status.choices, empty_label=_("Any status")
    )
    region = SlugFilter(
        label=_("Region of a party"),
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All regions"),
        method="filter_region",
    )
    year = YearFilter(label=_("Year signed"), choices=[], empty_label=_("Any year"), method="filter_year")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        set_choices(self.filters["year"], [(str(y), str(y)) for y in agreement_years(self.queryset)])

    def filter_region(self, queryset, name, region):
        """Agreements with a party from the region (only parties the visitor may see count)."""
        parties = AgreementParty.objects.filter(organization__region=region)
        if not can_see_unpublished(getattr(self.request, "user", None)):
            parties = parties.filter(organization__is_public=True)
        return queryset.filter(pk__in=parties.values("agreement_id"))

    def filter_year(self, queryset, name, value):
        return queryset.filter(signed_on__year=int(value))
