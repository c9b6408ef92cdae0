"""Public agreement pages: the registry and the status page officials open and print."""

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.views.generic import DetailView, ListView

from companies.selectors import can_see_unpublished
from missions.models import ReportedFigure
from missions.selectors import figures_beside_counts
from missions.views import ForgivingPaginationMixin

from .filters import AgreementFilter
from .selectors import (
    PROJECT_CONTRACT_STAGES,
    PROJECT_PRE_CONTRACT_STAGES,
    agreement_for_page,
    agreement_plan,
    agreement_projects,
    agreements_visible_to,
    agreements_with_list_details,
)


def _mark_days_ago(agreements) -> None:
    """`days_ago`: how long ago an expired agreement ended (templates have no abs())."""
    for agreement in agreements:
        days_left = agreement.days_left
        agreement.days_ago = -days_left if days_left is not None and days_left < 0 else None


class AgreementListView(ForgivingPaginationMixin, ListView):
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"
    paginate_by = 20

    def get_queryset(self):
        self.filterset = AgreementFilter(
            self.request.GET, queryset=agreements_visible_to(self.request.user), request=self.request
        )
        return agreements_with_list_details(self.filterset.qs, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        _mark_days_ago(context["agreements"])
        context["filterset"] = self.filterset
        return context


class AgreementDetailView(DetailView):
    template_name = "agreements/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return agreement_for_page(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agreement = self.request.user, self.object
        see_all = can_see_unpublished(user)
        today = timezone.localdate()
        projects = agreement_projects(agreement, user)
        _mark_days_ago([agreement])
        mission, supersedes = agreement.signed_at_mission, agreement.supersedes
        context.update(
            today=today,
            mission=mission if mission and (see_all or mission.is_public) else None,
            supersedes=supersedes if supersedes and (see_all or supersedes.is_public) else None,
            successors=agreement.visible_successors,
            plan=agreement_plan(agreement, user, today=today),
            projects=projects,
            figures=self._figures(agreement, projects),
        )
        return context

    @staticmethod
    def _figures(agreement, projects):
        signed = [p for p in projects if p.stage in PROJECT_CONTRACT_STAGES]
        values: dict[str, Decimal] = defaultdict(Decimal)
        for project in signed:
            if project.expected_value is not None:
                values[project.currency] += project.expected_value
        counts = {
            ReportedFigure.Metric.CONTRACTS: len(signed),
            ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION: sum(
                1 for p in projects if p.stage in PROJECT_PRE_CONTRACT_STAGES
            ),
        }
        figures = ReportedFigure.objects.filter(agreement=agreement).select_related("source").order_by("source", "pk")
        return figures_beside_counts(figures, counts, values)
