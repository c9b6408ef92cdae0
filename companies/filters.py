"""Filters of the directory pages: regions by district and sector, organizations by region, sector,
kind, size and a search query. A value that does not validate (an unknown slug) is left out of the
filtering and reported by the page."""

import django_filters
from django import forms
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .forms import SearchQueryField, SectorChoiceField, sector_choices_queryset
from .models import FederalDistrict, Organization, Region, Sector
from .search import SearchTerms, search_organizations, search_terms
from .selectors import organizations_visible_to

ABROAD = "abroad"


def set_choices(filter_, choices) -> None:
    """Give a filter of this FilterSet its choices for this request. A form field built earlier (the
    API schema generator builds one on the class's filters, which every instance copies) would keep
    the old choices, so it is dropped and built again."""
    filter_.extra["choices"] = choices
    filter_.__dict__.pop("_field", None)


class SearchFilter(django_filters.CharFilter):
    field_class = SearchQueryField


@extend_schema_field(OpenApiTypes.STR)
class SlugFilter(django_filters.ModelChoiceFilter):
    """A row chosen by its slug (the API schema says: a string)."""


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.ChoiceFilter):
    """A year among those the list has (its choices are set per request)."""


@extend_schema_field(OpenApiTypes.STR)
class SectorFilter(django_filters.ModelChoiceFilter):
    field_class = SectorChoiceField


def sector_and_subsectors(sector: Sector) -> QuerySet[Sector]:
    return Sector.objects.filter(Q(pk=sector.pk) | Q(parent=sector.pk)).values("pk")


class RegionFilter(django_filters.FilterSet):
    district = django_filters.ChoiceFilter(
        label=_("Federal district"), empty_label=_("All districts"), method="filter_district"
    )
    sector = SectorFilter(
        label=_("Sector"), queryset=sector_choices_queryset(), empty_label=_("All sectors"), method="filter_sector"
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=[("activity", _("by activity: organizations, missions, agreements")), ("name", _("by name"))],
        empty_label=None,
        method="filter_sort",
    )
    active = django_filters.BooleanFilter(
        label=_("Only regions with organizations, missions or agreements"),
        method="filter_active",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Region
        fields = ["district", "sector", "sort", "active"]

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        districts = [(d.code, d.display_name) for d in FederalDistrict.objects.all()]
        set_choices(self.filters["district"], [*districts, (ABROAD, _("Foreign countries and regions"))])

    def filter_district(self, queryset, name, value):
        if value == ABROAD:
            return queryset.exclude(kind=Region.Kind.FEDERAL_SUBJECT)
        return queryset.filter(federal_district__code=value)

    def filter_sector(self, queryset, name, value):
        sectors = sector_and_subsectors(value)
        with_key_sector = Region.key_sectors.through.objects.filter(sector__in=sectors).values("region_id")
        with_organization = (
            organizations_visible_to(self.user).filter(sectors__in=sectors).order_by().values("region_id")
        )
        return queryset.filter(Q(pk__in=with_key_sector) | Q(pk__in=with_organization))

    def filter_sort(self, queryset, name, value):
        return queryset  # the order is set in `arrange`, where no choice means activity

    def filter_active(self, queryset, name, value):
        return queryset  # a matter of the counts: `arrange`

    # A region with something to show: organizations, missions or agreements the user may see (the counts
    # config.portal.selectors.regions_with_counts attaches). The directory ships every country of the world;
    # the list shows the 89 federal subjects and only those foreign countries and regions that have something,
    # the most active first: the federal subjects would otherwise open on rows of zeros A–Z.
    @staticmethod
    def activity(region: Region) -> int:
        return region.organization_count + region.missions_in_count + region.missions_out_count + region.agreement_count

    def arrange(self, regions: list[Region]) -> list[Region]:
        """The rows of `qs`, counted, that the list shows, in its order: the base queryset's (by name, Russian
        regions first) with `sort=name`, else the most active first and ties in that order."""
        data = getattr(self.form, "cleaned_data", {})
        shown = [
            region
            for region in regions
            if self.activity(region) > 0 or (region.kind == Region.Kind.FEDERAL_SUBJECT and not data.get("active"))
        ]
        if data.get("sort") == "name":
            return shown
        return sorted(shown, key=lambda region: -self.activity(region))  # stable: ties keep the order by name


class QuickSelect(forms.Select):
    """A <select> as Django's template writes it, written in Python: the directory's region list has
    hundreds of options, and a template per option took a third of the page's time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), options)


class OrganizationFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Name, INN, sector or products"), method="filter_search")
    region = SlugFilter(
        label=_("Region"),
        queryset=Region.objects.all(),
        to_field_name="slug",
        empty_label=_("All regions"),
        widget=QuickSelect,
    )
    sector = SectorFilter(
        label=_("Sector"),
        queryset=sector_choices_queryset(),
        empty_label=_("All sectors"),
        method="filter_sector",
        widget=QuickSelect,
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organization.Kind.choices, empty_label=_("All kinds"))
    size = django_filters.ChoiceFilter(label=_("Size"), choices=Organization.Size.choices, empty_label=_("All sizes"))

    class Meta:
        model = Organization
        fields = ["q", "region", "sector", "kind", "size"]

    FACETS = ("region", "sector", "kind", "size")

    @property
    def search(self) -> SearchTerms:
        """The query of `q`, read once for the list and its facets (one query for the synonyms)."""
        if not hasattr(self, "_search"):
            self._search = search_terms(getattr(self.form, "cleaned_data", {}).get("q") if self.is_bound else "")
        return self._search

    def filter_search(self, queryset, name, value):
        return search_organizations(queryset, self.search)

    # The facets whose values are columns of the organization: counted together from one grouped query.
    COLUMN_FACETS = ("region", "kind", "size")

    def _chosen(self) -> dict:
        cleaned = getattr(self.form, "cleaned_data", {})
        return {name: value for name, value in cleaned.items() if value not in (None, "")}

    def _filtered_except(self, facets) -> QuerySet:
        """The list as it would be without the facets' own filters (every other filter applied)."""
        queryset = self.queryset
        for name, value in self._chosen().items():
            if name not in facets:
                queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def facet_counts(self) -> dict[str, dict]:
        """For each facet, the number of organizations of each value given the other filters, and under
        "total" the number in the list: two grouped queries, whatever the number of results.

        Region, kind and size come from one count per (region, kind, size) of the list without those
        three filters: each facet sums the groups that pass the other two, the total those that pass
        all three (an empty size counts in the total, not in the size facet). Sectors count by
        top-level sector (an organization of a subsector counts under its parent, once)."""
        self.is_valid()  # an unbound form (the page without parameters) has no cleaned_data
        chosen = self._chosen()
        wanted = {facet: chosen[facet] for facet in self.COLUMN_FACETS if facet in chosen}
        wanted = {facet: value.pk if facet == "region" else value for facet, value in wanted.items()}
        groups = self._filtered_except(self.COLUMN_FACETS).values_list("region", "kind", "size").annotate(n=Count("pk"))
        counts = {facet: {} for facet in (*self.COLUMN_FACETS, "sector")}
        total = 0
        for region, kind, size, n in groups:
            values = {"region": region, "kind": kind, "size": size}
            failed = [facet for facet, value in wanted.items() if values[facet] != value]
            if not failed:
                total += n
            for facet in self.COLUMN_FACETS:
                if (not failed or failed == [facet]) and values[facet] != "":
                    counts[facet][values[facet]] = counts[facet].get(values[facet], 0) + n
        links = Organization.sectors.through.objects.filter(
            organization__in=self._filtered_except(("sector",)).values("pk")
        )
        rows = (
            links.annotate(top=Coalesce("sector__parent", "sector"))
            .values("top")
            .annotate(n=Count("organization", distinct=True))
            .order_by()
        )
        counts["sector"] = {row["top"]: row["n"] for row in rows}
        counts["total"] = total
        return counts

    def filter_sector(self, queryset, name, value):
        with_sector = Organization.sectors.through.objects.filter(sector__in=sector_and_subsectors(value))
        return queryset.filter(pk__in=with_sector.values("organization_id"))
