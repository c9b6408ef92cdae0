"""The report pages: each is its page's view (the same selectors, the same visibility: a mission or an
agreement the user may not see is a 404) with a printable template, and the same context as a workbook
(`?format=xlsx`) or as a PDF of the printed page (`?format=pdf`)."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from agreements.views import AgreementDetailView
from companies.models import Region
from missions.ical import CONTENT_TYPE as ICAL_CONTENT_TYPE
from missions.ical import calendar_build, mission_program_events
from missions.selectors import mission_for_page

from ..views import MissionDetailView
from . import sheets
from .render import XLSX_TYPE, attachment, pdf_bytes, workbook_bytes
from .yearly import FIRST_YEAR, LAST_YEAR, region_year

FORMATS = ("html", "xlsx", "pdf")


class ReportMixin:
    """Renders the page's context as the printable page, a workbook or a PDF."""

    stamp = "status"

    def report_region(self, context) -> str:
        raise NotImplementedError

    def report_filename(self, context) -> str:
        raise NotImplementedError

    def report_sheets(self, context) -> list:
        raise NotImplementedError

    def render_to_response(self, context, **response_kwargs):
        fmt = self.request.GET.get("format", "html") or "html"
        if fmt not in FORMATS:
            return HttpResponseBadRequest(
                _("Unknown report format “%(format)s”: choose html, xlsx or pdf.") % {"format": fmt[:20]},
                content_type="text/plain; charset=utf-8",
            )
        context.update(
            report_region=self.report_region(context), as_of=timezone.localdate(), stamp=self.stamp, as_pdf=fmt == "pdf"
        )
        name = self.report_filename(context)
        if fmt == "xlsx":
            return attachment(
                workbook_bytes(self.report_sheets(context)), content_type=XLSX_TYPE, filename=f"{name}.xlsx"
            )
        if fmt == "pdf":
            html = render_to_string(self.get_template_names(), context, request=self.request)
            body = pdf_bytes(html, base_url=self.request.build_absolute_uri("/"))
            return attachment(body, content_type="application/pdf", filename=f"{name}.pdf")
        return super().render_to_response(context, **response_kwargs)


class MissionReportView(ReportMixin, MissionDetailView):
    template_name = "reports/mission_report.html"
    stamp = "mission"

    def report_region(self, context) -> str:
        return str(self.object.origin_region)

    def report_filename(self, context) -> str:
        return f"mission-{self.object.slug}"

    def report_sheets(self, context) -> list:
        return sheets.mission_sheets(context)


class AgreementReportView(ReportMixin, AgreementDetailView):
    template_name = "reports/agreement_report.html"

    def report_region(self, context) -> str:
        regions = {str(party.organization.region): None for party in self.object.visible_parties}
        return ", ".join(regions)

    def report_filename(self, context) -> str:
        return f"agreement-{self.object.slug}"

    def report_sheets(self, context) -> list:
        return sheets.agreement_sheets(context)


class RegionYearReportView(ReportMixin, TemplateView):
    template_name = "reports/region_year_report.html"

    def get_context_data(self, **kwargs):
        year, slug = kwargs.pop("year"), kwargs.pop("slug")
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise Http404(_("No such year."))
        region = get_object_or_404(Region.objects.select_related("country", "federal_district"), slug=slug)
        report = region_year(region, year, self.request.user)
        return super().get_context_data(
            region=region,
            year=year,
            report=report,
            previous_year=year - 1 if year > FIRST_YEAR else None,
            next_year=year + 1 if year < LAST_YEAR else None,
            **kwargs,
        )

    def report_region(self, context) -> str:
        return str(context["region"])

    def report_filename(self, context) -> str:
        return f"region-{context['region'].slug}-{context['year']}"

    def report_sheets(self, context) -> list:
        return sheets.region_year_sheets(context["report"])


def mission_calendar(request, slug: str):
    """The mission's programme as an iCalendar file, for those who may see the mission."""
    mission = get_object_or_404(mission_for_page(request.user), slug=slug)
    body = calendar_build(
        mission_program_events(mission, host=request.get_host()), name=mission.title, product="Mission programme"
    )
    response = HttpResponse(body, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{mission.slug}.ics"'
    return response
