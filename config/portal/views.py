"""Pages that read across the apps: the front page, the officials' dashboard, a mission's outcomes,
region and company pages. Figures come from `config.portal.dashboard` and `config.portal.selectors`."""

import datetime
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from agreements.followup.policy import project_idle_days
from agreements.models import CooperationProject
from agreements.selectors import contracts_signed
from companies import selectors as directory
from companies.exports import Column, ListExportMixin, model_columns, names
from companies.filters import RegionFilter
from companies.models import Need, Offer, Region
from companies.paging import section_page
from companies.selectors import visible_or_none
from companies.views import FilteredListView
from missions.selectors import (
    local_times_note,
    meetings_for_page,
    mission_delegation,
    mission_for_page,
    mission_meeting_summary,
    mission_meetings_held,
    mission_meetings_off_the_mission,
    mission_program,
    mission_years,
    times_zone_shown,
)
from missions.views import MeetingTableFilter, mark_visible_people, meeting_table_filter
from partners.scheduling.selectors import mission_public_schedule
from partners.selectors import mission_requests_panel

from . import charts, dashboard, selectors
from .figures_cache import figures_cached
from .selectors import mission_agreements, mission_figures, mission_funnel, mission_projects

REGION_PAGE_ORGANIZATIONS = 25
REGION_PAGE_ITEMS = 30
REGION_PAGE_ROWS = 20  # a page of a region's missions (each way), agreements or projects
PAIR_PAGE_PROJECTS = 30


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        rows = dashboard.home_rows_cached(user, today=today)
        return super().get_context_data(
            figures=dashboard.home_figures_cached(user),
            upcoming_missions=dashboard.missions_upcoming(user, today=today, among=rows.missions),
            recent_agreements=dashboard.agreements_recently_signed(user, among=rows.agreements),
            shows_unpublished=dashboard.shows_unpublished(user),
            **kwargs,
        )


class StaleDaysForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("No activity for at least (days; empty: the follow-up policy)"),
        min_value=1,
        max_value=3650,
        required=False,
    )


class DashboardView(TemplateView):
    template_name = "portal/dashboard.html"

    def stale_days(self) -> int | None:
        """The ?days= threshold, or None for the follow-up policy's period of each stage; anything but a
        whole number of days from 1 to 3650 gives the policy's periods, with a message."""
        form = StaleDaysForm(self.request.GET)
        if form.is_valid():
            return form.cleaned_data["days"]
        messages.warning(
            self.request,
            _(
                "“%(value)s” is not a number of days from 1 to 3650; showing the projects idle for longer than the "
                "follow-up policy allows at their stage."
            )
            % {"value": self.request.GET.get("days", "")},
        )
        return None

    def get_context_data(self, **kwargs):
        user = self.request.user
        today = timezone.localdate()
        days = self.stale_days()

        figures, figures_html = self.figures_cached(user)
        # Which rows the lists show and how many there are come from the cache; the rows themselves,
        # at most LIST_LIMIT each, are read now by their keys.
        rows = dashboard.follow_up_rows_cached(user, today=today, days=days)
        overdue_items = list(dashboard.plan_items_overdue_for(user, today=today).filter(pk__in=rows.overdue))
        for item in overdue_items:
            item.days_overdue = (today - item.due_date).days
            item.visible_organization = visible_or_none(item.responsible_organization, user)
            person = item.responsible_person
            item.visible_person = person if person and visible_or_none(person.organization, user) else None
        stale_projects = list(dashboard.projects_stale_for(user, today=today, days=days).filter(pk__in=rows.stale))
        for project in stale_projects:
            project.days_idle = project_idle_days(project, today)

        return super().get_context_data(
            # The figures themselves too, for what reads the page's context (the charts are in the HTML).
            total=figures.total,
            by_year=figures.by_year,
            by_region_pair=figures.by_region_pair,
            by_sector=figures.by_sector,
            stages=figures.stages,
            figures_html=figures_html,
            overdue_items=overdue_items,
            overdue_count=rows.overdue_count,
            stale_projects=stale_projects,
            stale_count=rows.stale_count,
            stale_days=days,
            stale_form=StaleDaysForm(initial={"days": days}),
            list_limit=dashboard.LIST_LIMIT,
            shows_unpublished=dashboard.shows_unpublished(user),
            today=today,
            **kwargs,
        )

    @classmethod
    def figures_cached(cls, user) -> tuple[dashboard.DashboardFigures, str]:
        """The aggregates and their HTML (hundreds of region pairs cost more to render than to read),
        one cache entry per visibility scope, language and data version (figures_cache): the HTML is
        always that of the figures beside it."""

        def compute():
            figures = dashboard.dashboard_figures(user)
            return figures, render_to_string("portal/_dashboard_figures.html", cls.figures_context(figures))

        return figures_cached("dashboard", user, compute)

    @classmethod
    def figures_context(cls, figures: dashboard.DashboardFigures) -> dict:
        """What the aggregates' part of the page (portal/_dashboard_figures.html) shows."""
        total, by_year, stages = figures.total, figures.by_year, figures.stages
        return {
            "total": total,
            "funnel_max": max(total.organizations, total.meetings, total.projects, total.contracts),
            "by_year": by_year,
            "by_region_pair": figures.by_region_pair,
            "by_sector": figures.by_sector,
            "year_chart": cls.year_chart(by_year),
            "stages": stages,
            "stages_total": sum(count for _stage, _label, count in stages),
            "stage_chart": cls.stage_chart(stages),
        }

    @staticmethod
    def year_chart(rows):
        if not rows:
            return None
        return charts.grouped_bar_chart(
            chart_id="chart-funnel-year",
            title=_("Outcome funnel by year"),
            desc=_(
                "For each year of the missions' start: organizations in delegations, meetings held, "
                "projects opened and contracts signed. The table next to the chart gives the same numbers."
            ),
            categories=[row.label for row in rows],
            series=[
                (_("organizations in delegations"), [row.organizations for row in rows]),
                (_("meetings held"), [row.meetings for row in rows]),
                (_("projects opened"), [row.projects for row in rows]),
                (_("contracts signed"), [row.contracts for row in rows]),
            ],
        )

    @staticmethod
    def stage_chart(stages):
        total = sum(count for _stage, _label, count in stages)
        if not total:
            return None
        return charts.stacked_bar_chart(
            chart_id="chart-project-stages",
            title=_("Cooperation projects by stage"),
            desc=_("%(total)s projects split by their current stage; the table next to the chart lists the counts.")
            % {"total": total},
            segments=[(str(label), count) for _stage, label, count in stages],
        )


# --- Regions and companies ------------------------------------------------------------------


class RegionListView(FilteredListView):
    template_name = "companies/region_list.html"
    context_object_name = "regions"
    filterset_class = RegionFilter

    def get_base_queryset(self):
        # Alphabetical in the language shown, like the names in the table.
        english = (get_language() or "").startswith("en")
        return selectors.regions_listed(english_names=english)

    def get_filterset(self):
        return self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request, user=self.request.user
        )

    def get_queryset(self):
        # The district and sector narrow the regions in SQL; what rests on the counts (only the active,
        # the most active first) is done on the counted rows, a few hundred at most.
        self.filterset = self.get_filterset()
        return self.filterset.arrange(selectors.regions_with_counts(self.request.user, self.filterset.qs))


class RegionDetailView(ListExportMixin, DetailView):
    """A region's profile; `?format=csv` or `?format=xlsx` exports its cooperation projects."""

    template_name = "companies/region_detail.html"
    context_object_name = "region"

    def get_queryset(self):
        return Region.objects.select_related("federal_district", "country").prefetch_related("key_sectors")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region, user, request = self.object, self.request.user, self.request
        organizations = directory.region_organizations(region, user)
        offers = directory.region_cooperation_items(Offer, region, user)
        needs = directory.region_cooperation_items(Need, region, user)
        missions_out = selectors.region_missions_from(region, user)
        figures = selectors.region_figures(region, user)
        sections = {
            name: section_page(request, rows, param=name, per_page=REGION_PAGE_ROWS, anchor=name, count=count)
            for name, rows, count in (
                ("missions-out", missions_out, figures.missions_out),
                ("missions-in", selectors.region_missions_to(region, user), figures.missions_in),
                ("agreements", selectors.region_agreements(region, user), figures.agreements),
                ("projects", selectors.region_projects(region, user), figures.projects),
            )
        }
        for section in sections.values():
            section.page.object_list = selectors.rows_shown(section.rows, user)
        context.update(
            figures=figures,
            contracts_signed=figures.contracts_signed,  # as on the pair page, under the same name
            organization_count=organizations.count(),
            organizations=organizations[:REGION_PAGE_ORGANIZATIONS],
            offer_count=offers.count(),
            offers=offers[:REGION_PAGE_ITEMS],
            need_count=needs.count(),
            needs=needs[:REGION_PAGE_ITEMS],
            report_years=mission_years(missions_out.prefetch_related(None)),
            missions_out=sections["missions-out"],
            missions_in=sections["missions-in"],
            agreements=sections["agreements"],
            projects=sections["projects"],
            partners=selectors.region_partners(region, user),
        )
        return context

    def get_export_rows(self):
        self.object = self.get_object()
        self.export_stem = f"projects-{self.object.slug}"
        return selectors.region_projects(self.object, self.request.user).order_by("title", "pk")

    def get_export_columns(self) -> list[Column]:
        return [
            *model_columns(CooperationProject, ["title"]),
            Column(_("Parties"), lambda project: names(party.organization for party in project.parties.all())),
            *model_columns(CooperationProject, ["stage", "expected_value", "currency", "origin_mission"]),
        ]


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
        agreements_between, projects_between = (
            selectors.agreements_between(a, b, user),
            selectors.projects_between(a, b, user),
        )
        missions, agreements = (
            selectors.rows_shown(rows, user) for rows in (selectors.missions_between(a, b, user), agreements_between)
        )
        # Projects can run to thousands between two big regions: counted by stage in SQL, paged in stage order.
        per_stage = selectors.projects_per_stage(projects_between)
        projects = section_page(
            self.request,
            selectors.projects_in_stage_order(projects_between),
            param="projects",
            per_page=PAIR_PAGE_PROJECTS,
            anchor="projects",
            count=sum(n for _stage, _label, n in per_stage),
        )
        projects.page.object_list = selectors.rows_shown(projects.rows, user)
        signed = contracts_signed(projects_between, agreements_between)
        contracts = [x for x in agreements if x.kind == x.Kind.CONTRACT]
        agreements = [x for x in agreements if x.kind != x.Kind.CONTRACT]
        context.update(
            region=a,
            other=b,
            missions=missions,
            missions_a_to_b=sum(1 for m in missions if a.covers(m.origin_region)),
            missions_b_to_a=sum(1 for m in missions if b.covers(m.origin_region)),
            agreements=agreements,
            signed_agreement_count=sum(1 for x in agreements if x.status != x.Status.DRAFT),
            contracts=contracts,
            contracts_signed=signed,
            contract_totals=sorted(signed.values.items()),
            projects=projects,
            open_project_count=sum(n for stage, _label, n in per_stage if stage in CooperationProject.OPEN_STAGES),
            projects_by_stage=per_stage,
            projects_on_page=_projects_by_stage(projects.rows, per_stage),
            timeline=_timeline(missions, agreements + contracts),
        )
        return context


class CompanyDetailView(DetailView):
    template_name = "companies/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset=None):
        # A record the user may not see is "not found" like a missing one: same 404, same body.
        return get_object_or_404(
            directory.organizations_visible_to(self.request.user)
            .select_related("region__federal_district")
            .prefetch_related("sectors"),
            slug=self.kwargs["slug"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization, user = self.object, self.request.user
        context.update(
            offers=directory.organization_cooperation_items(Offer, organization),
            needs=directory.organization_cooperation_items(Need, organization),
            missions=selectors.organization_missions(organization, user),
            meetings=selectors.organization_meetings(organization, user),
            agreements=selectors.organization_agreements(organization, user),
            projects=selectors.organization_projects(organization, user),
        )
        context["linked_to_a_mission"] = bool(
            context["missions"]
            or context["meetings"]
            or any(project.origin_mission for project in context["projects"])
            or any(agreement.signed_at_mission for agreement in context["agreements"])
        )
        return context


# --- A mission's outcomes ---------------------------------------------------------------------


# A mission's meetings on its page: the summary counts them all, the tables show a page at a time.
MISSION_PAGE_MEETINGS = 50
MISSION_PAGE_OFF_THE_MISSION = 20


class MissionDetailView(DetailView):
    template_name = "missions/mission_detail.html"
    context_object_name = "mission"

    def get_queryset(self):
        return mission_for_page(self.request.user)

    def prints_whole_record(self) -> bool:
        """The printed report (`config.portal.reports`: this view with its own template) is a document
        and lists every meeting held; the page shows them a page at a time."""
        return self.template_name != MissionDetailView.template_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, mission = self.request.user, self.object
        mark_visible_people([mission], user)
        delegation = mission_delegation(mission, user)
        meetings = mission_meeting_summary(mission, user)
        if self.prints_whole_record():
            chosen = MeetingTableFilter()
            per_page = max(meetings.held_total, 1)
        else:
            chosen, per_page = meeting_table_filter(self.request.GET, meetings), MISSION_PAGE_MEETINGS
        meetings.held = section_page(
            self.request,
            mission_meetings_held(mission, user, day=chosen.day, outcome=chosen.outcome),
            param="meetings",
            per_page=per_page,
            anchor="meetings-table",
            count=meetings.held_matching(day=chosen.day, outcome=chosen.outcome),
        )
        meetings.off_the_mission = section_page(
            self.request,
            mission_meetings_off_the_mission(mission, user),
            param="off",
            per_page=MISSION_PAGE_OFF_THE_MISSION,
            anchor="off-the-mission",
            count=meetings.off_the_mission_total,
        )
        meetings_for_page(mission, meetings.held, meetings.off_the_mission)
        projects = mission_projects(mission, user)
        agreements = mission_agreements(mission, user)
        funnel = mission_funnel(mission, user)
        reciprocal_of = mission.reciprocal_of
        program = mission_program(mission)
        timed = [*program, *meetings.held]  # the times of the rows shown
        context.update(
            return_of=visible_or_none(reciprocal_of, user),
            return_missions=mission.visible_return_missions,
            program=program,
            times_note=local_times_note(timed),
            zone_per_row=times_zone_shown(timed),
            delegation=delegation,
            delegation_people=sum(len(group.people) for group in delegation),
            meetings=meetings,
            meetings_filter=chosen,
            projects=projects,
            agreements=agreements,
            funnel=funnel,
            figures=mission_figures(
                mission,
                projects=projects,
                agreements=agreements,
                funnel=funnel,
            ),
            sources=list(mission.sources.order_by("-published_on", "title")),
            b2b_schedule=mission_public_schedule(mission, user),
            requests_panel=mission_requests_panel(mission, user),
        )
        for item in context["program"]:
            item.visible_host = visible_or_none(item.host, user)
        return context


def _projects_by_stage(projects, per_stage) -> list[tuple[str, int, list]]:
    """A page of projects in stage order under its stages: (label, the stage's projects in all, those on the page)."""
    grouped = defaultdict(list)
    for project in projects:
        grouped[project.stage].append(project)
    return [(label, n, grouped[stage]) for stage, label, n in per_stage if grouped[stage]]


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
