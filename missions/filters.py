"""Filters of the mission list and calendar. A value that does not validate is ignored, never a 500."""

import django_filters
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from companies.filters import SlugFilter, YearFilter, set_choices
from companies.models import Region

from .models import Mission
from .selectors import mission_years


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("outgoing: the region sends the delegation")
    INCOMING = "incoming", _("incoming: the region hosts the delegation")


class MissionFilter(django_filters.FilterSet):
    region = SlugFilter(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("All regions"),
        method="filter_region",
    )
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=Direction.choices,
        empty_label=_("Both directions"),
        method="filter_direction",
        help_text=_("Applies when a region is chosen."),
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Mission.Status.choices, empty_label=_("Any status"))
    year = YearFilter(label=_("Year"), choices=[], empty_label=_("Any year"), method="filter_year")

    def __init__(self, *args, with_year: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_year:
            set_choices(self.filters["year"], [(str(y), str(y)) for y in mission_years(self.queryset)])
        else:
            del self.filters["year"]

    def filter_region(self, queryset, name, region):
        """Missions from or to the region; with a direction, only one of the two."""
        direction = self.form.cleaned_data.get("direction")
        outgoing = Q(origin_region=region)
        incoming = Q(pk__in=Mission.destination_regions.through.objects.filter(region=region).values("mission_id"))
        if direction == Direction.OUTGOING:
            return queryset.filter(outgoing)
        if direction == Direction.INCOMING:
            return queryset.filter(incoming)
        return queryset.filter(outgoing | incoming)

    def filter_direction(self, queryset, name, value):
        return queryset  # applied together with the region in filter_region

    def filter_year(self, queryset, name, value):
        return queryset.filter(start_date__year=int(value))
