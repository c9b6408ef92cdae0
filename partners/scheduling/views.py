"""A company's B2B agenda: its meetings in published sessions as a page, an .ics file and a PDF table
plan. The organization is always the signed-in representative's own (`roles.user_organization`); a
session it has no meeting in is a 404."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from companies.rendering import attachment, pdf_bytes
from companies.roles import is_company_representative, user_organization
from missions.ical import CONTENT_TYPE, calendar_build, meeting_event
from missions.selectors import local_times_note, times_zone_shown

from .selectors import agenda_of


class RepresentativeOnlyMixin(LoginRequiredMixin):
    login_url = reverse_lazy("account:login")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_company_representative(request.user):
            return render(request, "accounts/not_representative.html", status=403)
        self.organization = user_organization(request.user)
        return super().dispatch(request, *args, **kwargs)


class AgendaView(RepresentativeOnlyMixin, TemplateView):
    template_name = "partners/agenda.html"

    def get_context_data(self, **kwargs):
        sessions = agenda_of(self.organization)
        meetings = [m for group in sessions for m in group.meetings]
        return super().get_context_data(
            organization=self.organization,
            sessions=sessions,
            times_note=local_times_note(meetings),
            zone_per_row=times_zone_shown(meetings),
            **kwargs,
        )


class AgendaCalendarView(RepresentativeOnlyMixin, View):
    def get(self, request, *args, **kwargs):
        events = [
            meeting_event(meeting, other=meeting.partner, host=request.get_host())
            for group in agenda_of(self.organization)
            for meeting in group.meetings
        ]
        name = _("B2B agenda of %(org)s") % {"org": self.organization}
        response = HttpResponse(calendar_build(events, name=name, product="B2B agenda"), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="b2b-agenda.ics"'
        response["Cache-Control"] = "private, no-store"
        return response


class AgendaPdfView(RepresentativeOnlyMixin, View):
    """The table plan of one session for the organization: when, at which table, with whom."""

    def get(self, request, session_pk: int, *args, **kwargs):
        sessions = agenda_of(self.organization, session_pk=session_pk)
        if not sessions:
            raise Http404
        group = sessions[0]
        context = {
            "organization": self.organization,
            "group": group,
            "mission": group.meetings[0].mission,
            "zone": group.meetings[0].venue_zone.key,
            "as_of": timezone.localdate(),
            "as_pdf": True,
        }
        html = render_to_string("partners/agenda_pdf.html", context, request=request)
        body = pdf_bytes(html, base_url=request.build_absolute_uri("/"))
        return attachment(body, content_type="application/pdf", filename=f"b2b-plan-{group.session.pk}.pdf")
