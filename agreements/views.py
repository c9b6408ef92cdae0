"""Public agreement pages: the registry, the status page officials open and print, and its document."""

from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from companies.exports import Column, ListExportMixin, date_as_known, model_columns, names
from companies.paging import section_page
from companies.selectors import visible_or_none
from missions.models import ReportedFigure
from missions.selectors import figures_beside_counts, missions_visible_to
from missions.views import ForgivingPaginationMixin

from .documents import download_disposition, stored_kind
from .filters import AgreementFilter
from .models import Agreement
from .selectors import (
    PROJECT_PRE_CONTRACT_STAGES,
    agreement_for_page,
    agreement_plan_items,
    agreement_plan_progress,
    agreement_projects,
    agreements_visible_to,
    agreements_with_list_details,
    contracts_signed,
    plan_items_mark,
    projects_of_agreement,
)

# Plan items on an agreement's status page: the progress counts them all, the table shows a page at a time.
STATUS_PAGE_PLAN_ITEMS = 50


def _mark_days_ago(agreements) -> None:
    """`days_ago`: how long ago an expired agreement ended (templates have no abs())."""
    for agreement in agreements:
        days_left = agreement.days_left
        agreement.days_ago = -days_left if days_left is not None and days_left < 0 else None


class AgreementListView(ListExportMixin, ForgivingPaginationMixin, ListView):
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"
    paginate_by = 20
    export_stem = "agreements"

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

    def get_export_columns(self) -> list[Column]:
        field = Agreement._meta.get_field
        return [
            *model_columns(Agreement, ["title", "kind", "number", "status"]),
            Column(_("Parties"), lambda a: names(party.organization for party in a.visible_parties)),
            Column(
                capfirst(field("signed_on").verbose_name), lambda a: date_as_known(a.signed_on, a.signed_on_precision)
            ),
            *model_columns(Agreement, ["valid_until"]),
        ]


class AgreementDetailView(DetailView):
    template_name = "agreements/agreement_detail.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return agreement_for_page(self.request.user)

    def prints_whole_record(self) -> bool:
        """The printed report (`config.portal.reports`: this view with its own template) is a document
        and lists the whole plan; the page shows it a page at a time."""
        return self.template_name != AgreementDetailView.template_name

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, agreement = self.request.user, self.object
        today = timezone.localdate()
        projects = agreement_projects(agreement, user)
        plan = agreement_plan_progress(agreement, today=today)
        plan.items = section_page(
            self.request,
            agreement_plan_items(agreement, user, today=today),
            param="plan",
            per_page=max(plan.items_total, 1) if self.prints_whole_record() else STATUS_PAGE_PLAN_ITEMS,
            anchor="plan-table",
            count=plan.items_total,
        )
        plan_items_mark(plan.items, user, today=today)
        _mark_days_ago([agreement])
        mission, supersedes = agreement.signed_at_mission, agreement.supersedes
        context.update(
            today=today,
            mission=visible_or_none(mission, user),
            supersedes=visible_or_none(supersedes, user),
            successors=agreement.visible_successors,
            followed_up_at=list(
                missions_visible_to(user).filter(followed_up_agreements=agreement).order_by("start_date", "title")
            ),
            sources=list(agreement.sources.order_by("-published_on", "title")),
            plan=plan,
            projects=projects,
            figures=self._figures(agreement, projects, user),
        )
        return context

    @staticmethod
    def _figures(agreement, projects, user):
        """What the sources claimed for the agreement beside what the portal counts: contracts by the one
        rule (its projects at a contract stage, or the agreement itself when it is a signed contract)."""
        signed = contracts_signed(projects_of_agreement(agreement, user), Agreement.objects.filter(pk=agreement.pk))
        values = signed.values
        counts = {
            ReportedFigure.Metric.CONTRACTS: signed.count,
            ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION: sum(
                1 for p in projects if p.stage in PROJECT_PRE_CONTRACT_STAGES
            ),
        }
        figures = ReportedFigure.objects.filter(agreement=agreement).select_related("source").order_by("source", "pk")
        return figures_beside_counts(figures, counts, values)


# A document is never shown as a page of the portal: it is downloaded, its type is the one the upload
# check found, and were a browser to render it anyway, it would run nothing and load nothing.
DOCUMENT_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private",
}


@require_safe
def agreement_document(request, slug):
    """The agreement's document, for whoever may see the agreement (the status page's rule); 404 otherwise.

    With DOCUMENTS_X_ACCEL_REDIRECT set, nginx sends the file from its internal location.
    """
    agreement = get_object_or_404(agreements_visible_to(request.user), slug=slug)
    if not agreement.document:
        raise Http404
    kind = stored_kind(agreement.document.name)
    content_type = kind.content_type if kind else "application/octet-stream"
    if settings.DOCUMENTS_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        location = settings.DOCUMENTS_X_ACCEL_REDIRECT.rstrip("/") + "/" + agreement.document.name
        response["X-Accel-Redirect"] = quote(location)
    else:
        try:
            file = agreement.document.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(file, content_type=content_type)
    extension = kind.extensions[0] if kind else ""
    response["Content-Disposition"] = download_disposition(agreement.title, agreement.slug, extension)
    for header, value in DOCUMENT_HEADERS.items():
        response[header] = value
    return response
