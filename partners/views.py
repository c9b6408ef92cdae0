"""The meeting requests' pages in the personal area (/account/meeting-requests/) and the page a new
request's letter links to. Thin views over partners.services.requests: the organization always comes
from the signed-in user, and a request of another organization is looked up among the user's own,
so it is the same 404 as one that does not exist."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView, TemplateView

from companies.exceptions import PortalError
from companies.forms import add_service_error
from companies.roles import is_company_representative, user_organization
from missions.models import Mission

from .forms import DeclineForm, MeetingRequestForm
from .links import answer_link_open, meeting_request_answer_by_link
from .models import MeetingRequest
from .selectors import (
    meeting_requests_of_organization,
    mission_participants,
    missions_of_participant,
    missions_open_for_requests,
)
from .services.requests import (
    host_participant_join,
    meeting_request_accept,
    meeting_request_create,
    meeting_request_decline,
    meeting_request_withdraw,
)


class CompanyMixin:
    """Signed-in company representatives only; others signed in get the personal area's polite page."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account:login"))
        if not is_company_representative(request.user):
            return render(request, "accounts/not_representative.html", status=403)
        self.organization = user_organization(request.user)
        return super().dispatch(request, *args, **kwargs)


def _when(request: MeetingRequest) -> str:
    """The scheduled meeting's day and times in its venue's zone ('' before it is scheduled)."""
    meeting = request.meeting
    if meeting is None or meeting.starts_at is None:
        return ""
    item = meeting.program_item
    zone = item.place.region.tzinfo if item is not None and item.place_id else request.mission.venue_zone
    return f"{meeting.starts_at.astimezone(zone):%d.%m.%Y %H:%M}–{meeting.ends_at.astimezone(zone):%H:%M}"


class RequestListView(CompanyMixin, ListView):
    template_name = "partners/meeting_requests.html"
    context_object_name = "requests"
    paginate_by = 100

    def get_queryset(self):
        requests = meeting_requests_of_organization(self.organization)
        self.mission = None
        slug = self.request.GET.get("mission")
        if slug:
            self.mission = Mission.objects.filter(slug=slug).first()
            requests = requests.filter(mission=self.mission) if self.mission else requests.none()
        return requests

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.organization
        incoming, outgoing = [], []
        for request in context["requests"]:
            request.other = request.other_side(org.pk)
            request.when = _when(request)
            # The other side's people, e-mails and phones: only once the request is accepted.
            request.contacts = request.other.contact_people if request.discloses_contacts else []
            (incoming if request.invitee_id == org.pk else outgoing).append(request)
        context.update(
            organization=org,
            incoming=incoming,
            outgoing=outgoing,
            open_missions=missions_of_participant(org),
            mission=self.mission,
            decline_form=DeclineForm(),
        )
        return context


def _back(request, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        target = default
    return HttpResponseRedirect(target or default)


class RequestCreateView(CompanyMixin, TemplateView):
    template_name = "partners/meeting_request_form.html"

    def setup_mission(self):
        self.mission = get_object_or_404(missions_open_for_requests(), slug=self.kwargs["slug"])
        self.participants = (
            mission_participants(self.mission)
            .exclude(pk=self.organization.pk)
            .filter(accepts_meeting_requests=True)
            .select_related("region")
            .order_by("name")
        )

    def render_form(self, form, status=200):
        return self.render_to_response(
            self.get_context_data(form=form, mission=self.mission, organization=self.organization), status=status
        )

    def get(self, request, *args, **kwargs):
        self.setup_mission()
        initial = {}
        if request.GET.get("invitee", "").isdigit():
            initial["invitee"] = int(request.GET["invitee"])
        return self.render_form(MeetingRequestForm(participants=self.participants, initial=initial))

    def post(self, request, *args, **kwargs):
        self.setup_mission()
        form = MeetingRequestForm(request.POST, participants=self.participants)
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting_request_create(
                    mission=self.mission, invitee=data["invitee"], topic=data["topic"], message=data["message"],
                    by=request.user,
                )  # fmt: skip
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(
                    request, _("The request is sent to %(org)s. You will get a letter when they answer.")
                    % {"org": data["invitee"]},
                )  # fmt: skip
                return HttpResponseRedirect(f"{reverse('partners:list')}?mission={self.mission.slug}")
        return self.render_form(form, status=400)


class RequestActionView(CompanyMixin, View):
    """POST only: accept, decline (with an optional reason) or withdraw one of the user's requests."""

    http_method_names = ["post"]
    action = ""

    def post(self, request, pk):
        own = meeting_requests_of_organization(self.organization)
        meeting_request = get_object_or_404(own, pk=pk)
        try:
            if self.action == "accept":
                meeting_request_accept(request=meeting_request, by=request.user)
                done = _("You accepted the meeting with %(org)s. Their contacts are shown below.")
            elif self.action == "decline":
                form = DeclineForm(request.POST)
                reason = form.cleaned_data["reason"] if form.is_valid() else ""
                if not form.is_valid():
                    raise PortalError(" ".join(e for errors in form.errors.values() for e in errors))
                meeting_request_decline(request=meeting_request, reason=reason, by=request.user)
                done = _("You declined the meeting with %(org)s.")
            else:
                meeting_request_withdraw(request=meeting_request, by=request.user)
                done = _("You withdrew the request to %(org)s.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, done % {"org": meeting_request.other_side(self.organization.pk)})
        return _back(request, reverse("partners:list"))


class HostJoinView(CompanyMixin, View):
    """POST only: the user's company registers on the mission's host side (the mission's page)."""

    http_method_names = ["post"]

    def post(self, request, slug):
        mission = get_object_or_404(missions_open_for_requests(), slug=slug)
        try:
            host_participant_join(mission=mission, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Your organization takes part in the B2B meetings of “%(mission)s”: request meetings below.")
                % {"mission": mission},
            )
        return HttpResponseRedirect(f"{reverse('partners:list')}?mission={mission.slug}")


ANSWER_TEMPLATE = "partners/meeting_request_answer.html"


@never_cache
@require_http_methods(["GET", "POST"])
def answer_by_link(request, token: str):
    """The page of a new request's letter: GET shows the request and the two answers, POST gives one."""
    try:
        reminder, meeting_request = answer_link_open(token)
    except PortalError as exc:
        status = 404 if exc.code == "link_invalid" else 410
        return render(request, ANSWER_TEMPLATE, {"refusal": " ".join(exc.messages)}, status=status)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(reminder.language)  # the letter's language, unless the visitor chose one
        request.LANGUAGE_CODE = reminder.language
    form = DeclineForm(request.POST or None)
    context = {"meeting_request": meeting_request, "form": form, "answer": request.GET.get("answer", "")}
    if request.method == "POST":
        accept = request.POST.get("answer") == "accept"
        if request.POST.get("answer") not in ("accept", "decline") or not form.is_valid():
            context["error"] = _("Choose to accept or to decline the meeting.")
            return render(request, ANSWER_TEMPLATE, context, status=400)
        try:
            meeting_request = meeting_request_answer_by_link(
                token=token, accept=accept, reason=form.cleaned_data["reason"]
            )
        except PortalError as exc:
            if exc.code and exc.code.startswith("link_"):
                return render(request, ANSWER_TEMPLATE, {"refusal": " ".join(exc.messages)}, status=410)
            context["error"] = " ".join(exc.messages)
            return render(request, ANSWER_TEMPLATE, context, status=400)
        return render(request, ANSWER_TEMPLATE, {"done": True, "meeting_request": meeting_request})
    return render(request, ANSWER_TEMPLATE, context)
