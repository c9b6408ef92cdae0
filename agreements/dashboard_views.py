"""The front page and the officials' dashboard. Figures come from `agreements.dashboard`."""

from django import forms
from django.contrib import messages
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from . import charts, dashboard


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            figures=dashboard.home_figures(user),
            upcoming_missions=dashboard.missions_upcoming(user),
            recent_agreements=dashboard.agreements_recently_signed(user),
            shows_unpublished=dashboard.shows_unpublished(user),
            **kwargs,
        )


class StaleDaysForm(forms.Form):
    days = forms.IntegerField(
        label=gettext_lazy("No activity for more than (days)"),
        min_value=1,
        max_value=3650,
        required=False,
    )


class DashboardView(TemplateView):
    template_name = "portal/dashboard.html"

    def stale_days(self) -> int:
        """The ?days= threshold; anything but a whole number of days from 1 to 3650 gives the default."""
        form = StaleDaysForm(self.request.GET)
        if form.is_valid():
            return form.cleaned_data["days"] or dashboard.STALE_DAYS_DEFAULT
        messages.warning(
            self.request,
            _("“%(value)s” is not a number of days from 1 to 3650; showing projects idle for more than %(days)s days.")
            % {"value": self.request.GET.get("days", ""), "days": dashboard.STALE_DAYS_DEFAULT},
        )
        return dashboard.STALE_DAYS_DEFAULT

    def get_context_data(self, **kwargs):
        user = self.request.user
        today, now = timezone.localdate(), timezone.now()
        days = self.stale_days()

        by_year = dashboard.funnel_by_year(user)
        stages = dashboard.projects_by_stage(user)
        overdue = dashboard.plan_items_overdue_for(user, today=today)
        stale = dashboard.projects_stale(user, days=days, now=now)
        overdue_items = list(overdue[: dashboard.LIST_LIMIT])
        for item in overdue_items:
            item.days_overdue = (today - item.due_date).days
        stale_projects = list(stale[: dashboard.LIST_LIMIT])
        for project in stale_projects:
            project.days_idle = (now - project.last_activity_at).days

        total = dashboard.funnel_total(user)
        return super().get_context_data(
            total=total,
            funnel_max=max(total.organizations, total.meetings, total.projects, total.contracts),
            by_year=by_year,
            by_region_pair=dashboard.funnel_by_region_pair(user),
            by_sector=dashboard.funnel_by_sector(user),
            year_chart=self.year_chart(by_year),
            stages=stages,
            stages_total=sum(count for _stage, _label, count in stages),
            stage_chart=self.stage_chart(stages),
            overdue_items=overdue_items,
            overdue_count=overdue.count(),
            stale_projects=stale_projects,
            stale_count=stale.count(),
            stale_days=days,
            stale_form=StaleDaysForm(initial={"days": days}),
            list_limit=dashboard.LIST_LIMIT,
            shows_unpublished=dashboard.shows_unpublished(user),
            today=today,
            **kwargs,
        )

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
