"""Public pages of the directory: regions, a region's profile, a pair of regions, organizations."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.views.generic import ListView

from . import selectors
from .exports import Column, ListExportMixin, model_columns, names
from .filters import OrganizationFilter
from .models import Organization, Region, Sector
from .search import MAX_QUERY_LENGTH, match_highlight, normalize_query


class FilteredListView(ListView):
    """A list narrowed by a FilterSet and paginated with `Paginator.get_page`.

    Filters that do not validate are left out and reported, and a page number that does not exist
    shows the nearest page with a note: bad input in the address never becomes an error page.
    """

    filterset_class = None
    paginate_by = 30

    def get_filterset(self):
        return self.filterset_class(self.request.GET or None, queryset=self.get_base_queryset(), request=self.request)

    def get_queryset(self):
        self.filterset = self.get_filterset()
        return self.filterset.qs

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        requested = self.request.GET.get(self.page_kwarg, "")
        page = paginator.get_page(requested)
        self.page_notice = None
        if requested and requested.strip() != str(page.number):
            self.page_notice = _("There is no page “%(requested)s”; page %(number)s is shown.") % {
                "requested": requested[:20],
                "number": page.number,
            }
        return paginator, page, page.object_list, page.has_other_pages()

    def get_notices(self) -> list[str]:
        notices = []
        form = self.filterset.form
        if form.is_bound:
            for name, errors in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                notices.append(
                    _("The filter “%(label)s” was not applied: %(errors)s")
                    % {"label": label, "errors": " ".join(str(e) for e in errors)}
                )
        if getattr(self, "page_notice", None):
            notices.append(self.page_notice)
        return notices

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["form"] = self.filterset.form
        context["is_filtered"] = any(
            value not in ("", None, False) for value in getattr(self.filterset.form, "cleaned_data", {}).values()
        )
        context["notices"] = self.get_notices()
        return context


class CompanyListView(ListExportMixin, FilteredListView):
    template_name = "companies/organization_list.html"
    context_object_name = "organizations"
    filterset_class = OrganizationFilter
    export_stem = "companies"

    def get_base_queryset(self):
        return selectors.organizations_visible_to(self.request.user).prefetch_related("sectors")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.search_query:
            queryset = queryset.order_by("-search_rank", "name", "pk")
        return queryset

    def get_export_columns(self) -> list[Column]:
        return [
            *model_columns(Organization, ["name", "name_original", "inn", "region", "kind", "size"]),
            Column(_("Sectors"), lambda organization: names(organization.sectors.all())),
        ]

    @property
    def search_query(self) -> str:
        return getattr(self.filterset.form, "cleaned_data", {}).get("q") or ""

    def get_notices(self) -> list[str]:
        notices = super().get_notices()
        if len(normalize_query(self.request.GET.get("q", ""))) > MAX_QUERY_LENGTH:
            notices.insert(
                0,
                _("The search text was longer than %(max)s characters: only the first %(max)s were searched.")
                % {"max": MAX_QUERY_LENGTH},
            )
        return notices

    def paginate_queryset(self, queryset, page_size):
        # The facets count the list too: their total spares the paginator's COUNT (a second search).
        self.facet_counts = self.filterset.facet_counts()
        return super().paginate_queryset(queryset, page_size)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        paginator.count = self.facet_counts["total"]  # a cached_property: the known number, no COUNT query
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search_query"] = self.search_query
        context["max_query_length"] = MAX_QUERY_LENGTH
        if self.search_query:
            for organization in context["organizations"]:
                organization.search_match = match_highlight(organization, self.filterset.search)
        context["facets"] = self.get_facets()
        return context

    def get_facets(self) -> list["Facet"]:
        """Region, top-level sector, kind and size, each value with its number of results given
        the other filters: the two grouped counts (made once, with the page's total), the regions and
        the sectors (four queries)."""
        counts = self.facet_counts
        chosen = getattr(self.filterset.form, "cleaned_data", {})
        regions = Region.objects.filter(pk__in=counts["region"]).order_by("name")
        sectors = Sector.objects.filter(pk__in=counts["sector"]).order_by("name")
        values = {
            "region": [(r.slug, r.display_name, counts["region"][r.pk], r == chosen.get("region")) for r in regions],
            "sector": [(s.slug, s.display_name, counts["sector"][s.pk], s == chosen.get("sector")) for s in sectors],
        }
        for facet, field in (("kind", Organization.kind), ("size", Organization.size)):
            labels = dict(field.field.choices)
            values[facet] = [
                (value, labels[value], counts[facet][value], value == chosen.get(facet))
                for value in labels
                if value in counts[facet]
            ]
        titles = {"region": _("Region"), "sector": _("Sector"), "kind": _("Kind"), "size": _("Size")}
        return [
            Facet(
                name=facet,
                title=titles[facet],
                values=[
                    FacetValue(label=label, count=count, selected=selected, url=self._url_with(facet, value))
                    for value, label, count, selected in values[facet]
                ],
                reset_url=self._url_with(facet, None) if chosen.get(facet) else "",
            )
            for facet in OrganizationFilter.FACETS
            if values[facet]
        ]

    def _url_with(self, name: str, value: str | None) -> str:
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        params.pop(name, None)
        if value is not None:
            params[name] = value
        return "?" + params.urlencode() if params else self.request.path


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    selected: bool
    url: str


@dataclass(frozen=True)
class Facet:
    name: str
    title: str
    values: list[FacetValue]
    reset_url: str
