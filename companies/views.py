"""Public pages of the directory: regions, a region's profile, a pair of regions, organizations."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from . import selectors
from .filters import OrganizationFilter, RegionFilter
from .models import Need, Offer, Region
from .search import MAX_QUERY_LENGTH, normalize_query

REGION_PAGE_ORGANIZATIONS = 25
REGION_PAGE_ITEMS = 30


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


class RegionListView(FilteredListView):
    template_name = "companies/region_list.html"
    context_object_name = "regions"
    filterset_class = RegionFilter

    def get_base_queryset(self):
        # Alphabetical in the language shown, like the names in the table.
        english = (get_language() or "").startswith("en")
        return selectors.regions_with_counts(self.request.user, english_names=english)

    def get_filterset(self):
        return self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request, user=self.request.user
        )


class CompanyListView(FilteredListView):
    template_name = "companies/organization_list.html"
    context_object_name = "organizations"
    filterset_class = OrganizationFilter

    def get_base_queryset(self):
        return selectors.organizations_visible_to(self.request.user).prefetch_related("sectors")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.search_query:
            queryset = queryset.order_by("-search_rank", "name", "pk")
        return queryset

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["search_query"] = self.search_query
        context["max_query_length"] = MAX_QUERY_LENGTH
        return context


class RegionDetailView(DetailView):
    template_name = "companies/region_detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return Region.objects.select_related("federal_district", "country").prefetch_related("key_sectors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, user = self.object, self.request.user
        organizations = selectors.region_organizations(region, user)
        offers = selectors.region_cooperation_items(Offer, region, user)
        needs = selectors.region_cooperation_items(Need, region, user)
        missions = list(selectors.region_missions(region, user))
        agreements = list(selectors.region_agreements(region, user))
        projects = list(selectors.region_projects(region, user))
        context.update(
            organization_count=organizations.count(),
            organizations=organizations[:REGION_PAGE_ORGANIZATIONS],
            offer_count=offers.count(),
            offers=offers[:REGION_PAGE_ITEMS],
            need_count=needs.count(),
            needs=needs[:REGION_PAGE_ITEMS],
            missions_out=[m for m in missions if m.origin_region_id == region.pk],
            missions_in=[m for m in missions if m.origin_region_id != region.pk],
            agreements=agreements,
            projects=projects,
            partners=selectors.region_partners(region, missions=missions, agreements=agreements, projects=projects),
        )
        return context


class RegionPairView(TemplateView):
    template_name = "companies/region_pair.html"

    def get(self, request, *args, **kwargs):
        if kwargs["slug"] == kwargs["other_slug"]:
            return redirect("companies:region-detail", slug=kwargs["slug"])
        regions = {
            r.slug: r
            for r in Region.objects.select_related("federal_district", "country").filter(
                slug__in=[kwargs["slug"], kwargs["other_slug"]]
            )
        }
        if len(regions) != 2:
            raise Http404(_("No such region."))
        self.region, self.other = regions[kwargs["slug"]], regions[kwargs["other_slug"]]
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        a, b, user = self.region, self.other, self.request.user
        missions = list(selectors.missions_between(a, b, user))
        agreements = list(selectors.agreements_between(a, b, user))
        projects = list(selectors.projects_between(a, b, user))
        contracts = [x for x in agreements if x.kind == x.Kind.CONTRACT]
        agreements = [x for x in agreements if x.kind != x.Kind.CONTRACT]
        context.update(
            region=a,
            other=b,
            missions=missions,
            missions_a_to_b=sum(1 for m in missions if m.origin_region_id == a.pk),
            missions_b_to_a=sum(1 for m in missions if m.origin_region_id == b.pk),
            agreements=agreements,
            signed_agreement_count=sum(1 for x in agreements if x.status != x.Status.DRAFT),
            contracts=contracts,
            contract_totals=_totals(contracts, "value"),
            projects=projects,
            open_project_count=sum(1 for p in projects if p.is_open),
            projects_by_stage=_projects_by_stage(projects),
            timeline=_timeline(missions, agreements + contracts),
        )
        return context


class CompanyDetailView(DetailView):
    template_name = "companies/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset=None):
        # A record the user may not see is "not found" like a missing one: same 404, same body.
        return get_object_or_404(
            selectors.organizations_visible_to(self.request.user)
            .select_related("region__federal_district")
            .prefetch_related("sectors"),
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization, user = self.object, self.request.user
        context.update(
            offers=selectors.organization_cooperation_items(Offer, organization),
            needs=selectors.organization_cooperation_items(Need, organization),
            missions=selectors.organization_missions(organization, user),
            agreements=selectors.organization_agreements(organization, user),
            projects=selectors.organization_projects(organization, user),
        )
        return context


def _totals(items, field: str) -> list[tuple[str, Decimal]]:
    """Sums of a money field per currency: [('RUB', Decimal('12500000')), ...]."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        value = getattr(item, field)
        if value is not None:
            totals[item.currency or "RUB"] += value
    return sorted(totals.items())


def _projects_by_stage(projects) -> list[tuple[str, list]]:
    from agreements.models import CooperationProject

    grouped = defaultdict(list)
    for project in projects:
        grouped[project.stage].append(project)
    return [(label, grouped[value]) for value, label in CooperationProject.Stage.choices if grouped[value]]


def _timeline(missions, agreements) -> list[dict]:
    """Missions and agreements in date order, undated ones last.

    Many missions are known only by the agreements signed during them: an undated mission is placed
    at its earliest such signing, just before it, and an undated mission that was returned just
    before its return mission.
    """
    signed_during: dict[int, datetime.date] = {}
    for agreement in agreements:
        if agreement.signed_at_mission_id and agreement.signed_on:
            known = signed_during.get(agreement.signed_at_mission_id)
            signed_during[agreement.signed_at_mission_id] = min(filter(None, (known, agreement.signed_on)))
    events = [
        {"date": m.start_date, "sort": m.start_date or signed_during.get(m.pk), "kind": "mission", "item": m}
        for m in missions
    ]
    by_mission = {event["item"].pk: event for event in events}
    for event in events:
        returned = by_mission.get(event["item"].reciprocal_of_id)
        if returned and returned["sort"] is None:
            returned["sort"] = event["sort"]
    events += [{"date": x.signed_on, "sort": x.signed_on, "kind": "agreement", "item": x} for x in agreements]

    def key(event):
        item = event["item"]
        is_return = event["kind"] == "mission" and item.reciprocal_of_id is not None
        return (event["sort"] is None, event["sort"] or datetime.date.min, event["kind"] != "mission", is_return)

    return sorted(events, key=key)
