"""The personal area of company representatives: thin views over the services and selectors of the apps.

The organization always comes from the signed-in user (`roles.user_organization`), never from the
request; an object of another organization is looked up inside the user's own rows, so it is the
same 404 as one that does not exist.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView

from agreements.forms import ProjectUpdateForm
from agreements.selectors import projects_of_organization
from agreements.services.projects import project_record_progress
from companies import account_services as services
from companies.forms import add_service_error
from companies.models import CalendarFeed, Need, Offer, Organization, ProfileChange
from companies.roles import home_url_for, is_company_representative, user_organization
from companies.selectors import visible_or_none
from missions.selectors import (
    applications_of_organization,
    local_times_note,
    meetings_of_organization,
    times_zone_shown,
)
from missions.services.delegation import delegation_apply, missions_open_for_applications

from .calendar import meetings_ical
from .forms import ApplicationForm, NeedForm, OfferForm, ProfileForm
from .overview import account_overview


class RepresentativeMixin(LoginRequiredMixin):
    """Signed-in company representatives only; others signed in get a polite page, not an error."""

    login_url = reverse_lazy("account:login")

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_company_representative(request.user):
            return render(request, "accounts/not_representative.html", status=403)
        self.organization = user_organization(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.organization, **kwargs)


class HomeView(RepresentativeMixin, TemplateView):
    template_name = "accounts/home.html"

    def get_context_data(self, **kwargs):
        org = self.organization
        return super().get_context_data(
            offers=Offer.objects.filter(organization=org).select_related("sector"),
            needs=Need.objects.filter(organization=org).select_related("sector"),
            applications=applications_of_organization(org)[:5],
            overview=account_overview(org, today=timezone.localdate()),
            pending_change=ProfileChange.objects.filter(organization=org, status=ProfileChange.Status.PENDING).first(),
            **kwargs,
        )


class ProfileView(RepresentativeMixin, TemplateView):
    """The company's public profile. The name, registry numbers and legal form it changes wait for the
    ministry staff (the page shows the latest request and its status); the rest applies at once."""

    template_name = "accounts/profile_form.html"

    def get_context_data(self, **kwargs):
        latest = services.profile_changes_of(self.organization).first()
        rows = []
        if latest is not None:
            approved = Organization.objects.get(pk=self.organization.pk)  # the form may hold the values typed
            for field in ProfileChange.FIELDS:
                label = Organization._meta.get_field(field).verbose_name
                display = f"get_{field}_display" if field == "legal_form" else None
                old = getattr(approved, display)() if display else getattr(approved, field)
                new = getattr(latest, display)() if display else getattr(latest, field)
                rows.append((label, old, new, old != new))
        return super().get_context_data(latest_change=latest, change_rows=rows, **kwargs)

    def get(self, request, *args, **kwargs):
        pending = ProfileChange.objects.filter(
            organization=self.organization, status=ProfileChange.Status.PENDING
        ).first()
        initial = pending.proposed() if pending else None
        return self.render_to_response(
            self.get_context_data(form=ProfileForm(instance=self.organization, initial=initial))
        )

    def post(self, request, *args, **kwargs):
        form = ProfileForm(request.POST, instance=self.organization)
        if form.is_valid():
            try:
                services.organization_profile_update(
                    organization=self.organization, data=form.cleaned_data, by=request.user
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                pending = ProfileChange.objects.filter(
                    organization=self.organization, status=ProfileChange.Status.PENDING
                ).exists()
                if pending:
                    messages.success(
                        request,
                        _(
                            "The profile is saved. The new name, registry numbers and legal form wait for review "
                            "by the ministry staff: until then the portal shows the approved ones."
                        ),
                    )
                else:
                    messages.success(request, _("The profile is saved."))
                return HttpResponseRedirect(reverse("account:profile"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


class CooperationItemView(RepresentativeMixin, TemplateView):
    """Add (no pk) or change (pk) an offer or a need of the user's organization."""

    model = Offer
    template_name = "accounts/cooperation_item_form.html"

    def get_item(self):
        if "pk" not in self.kwargs:
            return self.model(organization=self.organization)
        return get_object_or_404(self.model, pk=self.kwargs["pk"], organization=self.organization)

    def form_class(self, *args, **kwargs):
        return (OfferForm if self.model is Offer else NeedForm)(*args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(model_name=self.model._meta.verbose_name, **kwargs)

    def get(self, request, *args, **kwargs):
        item = self.get_item()
        return self.render_to_response(self.get_context_data(form=self.form_class(instance=item), item=item))

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        form = self.form_class(request.POST, instance=item)
        if form.is_valid():
            try:
                services.cooperation_item_save(
                    item=item, organization=self.organization, data=form.cleaned_data, by=request.user
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("Saved: %(title)s.") % {"title": item.title})
                return HttpResponseRedirect(reverse("account:home"))
        return self.render_to_response(self.get_context_data(form=form, item=item), status=400)


class CooperationItemDeleteView(RepresentativeMixin, TemplateView):
    model = Offer
    template_name = "accounts/cooperation_item_confirm_delete.html"

    def get_item(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"], organization=self.organization)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(item=self.get_item()))

    def post(self, request, *args, **kwargs):
        item = self.get_item()
        services.cooperation_item_delete(item=item, organization=self.organization, by=request.user)
        messages.success(request, _("Deleted: %(title)s.") % {"title": item.title})
        return HttpResponseRedirect(reverse("account:home"))


class MeetingsView(RepresentativeMixin, ListView):
    template_name = "accounts/meetings.html"
    context_object_name = "meetings"
    paginate_by = 100

    def get_queryset(self):
        return meetings_of_organization(self.organization)

    def get_context_data(self, **kwargs):
        feed = services.calendar_feed_get_or_create(user=self.request.user)
        feed_url = self.request.build_absolute_uri(reverse("account:calendar-feed", args=[feed.token]))
        context = super().get_context_data(feed_url=feed_url, **kwargs)
        for meeting in context["meetings"]:  # its own meetings; the mission's page only where it is public
            meeting.visible_mission = visible_or_none(meeting.mission, self.request.user)
        context.update(
            times_note=local_times_note(context["meetings"]), zone_per_row=times_zone_shown(context["meetings"])
        )
        return context


def calendar_feed(request, token: str):
    """The user's meetings as iCal. No sign-in: the secret address is the key, and a reset retires it."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not is_company_representative(feed.user):
        raise Http404
    body = meetings_ical(organization=user_organization(feed.user), host=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


class CalendarResetView(RepresentativeMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.calendar_feed_reset(user=request.user)
        messages.success(request, _("The calendar address is new; the old one no longer works."))
        return HttpResponseRedirect(reverse("account:meetings"))


class ProjectsView(RepresentativeMixin, ListView):
    template_name = "accounts/projects.html"
    context_object_name = "projects"
    paginate_by = 100

    def get_queryset(self):
        return projects_of_organization(self.organization)


class ProjectUpdateView(RepresentativeMixin, TemplateView):
    template_name = "accounts/project_update.html"

    def get_project(self):
        return get_object_or_404(projects_of_organization(self.organization), slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs):
        project = kwargs["project"]
        updates = project.updates.select_related("author__person").order_by("-pk")[:10]
        return super().get_context_data(updates=updates, **kwargs)

    def get(self, request, *args, **kwargs):
        project = self.get_project()
        form = ProjectUpdateForm(project=project)
        return self.render_to_response(self.get_context_data(form=form, project=project))

    def post(self, request, *args, **kwargs):
        project = self.get_project()
        form = ProjectUpdateForm(request.POST, project=project)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project_record_progress(
                    project=project,
                    by=request.user,
                    note=data["note"],
                    stage=data["stage"],
                    next_step=data["next_step"],
                    next_step_due=data["next_step_due"],
                )
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                messages.success(request, _("The update is recorded."))
                return HttpResponseRedirect(reverse("account:projects"))
        return self.render_to_response(self.get_context_data(form=form, project=project), status=400)


class MissionsView(RepresentativeMixin, TemplateView):
    template_name = "accounts/missions.html"

    def get_context_data(self, **kwargs):
        applications = list(applications_of_organization(self.organization))
        pending = {a.mission_id for a in applications if a.status == a.Status.PENDING}
        member_of = set(self.organization.delegation_memberships.values_list("mission_id", flat=True))
        missions = (
            missions_open_for_applications()
            .select_related("origin_region")
            .prefetch_related("destination_regions")
            .order_by("start_date", "title")
        )
        return super().get_context_data(
            missions=missions,
            applications=applications,
            pending=pending,
            member_of=member_of,
            form=ApplicationForm(),
            **kwargs,
        )


class ApplyView(RepresentativeMixin, View):
    http_method_names = ["post"]

    def post(self, request, slug):
        mission = get_object_or_404(missions_open_for_applications(), slug=slug)
        form = ApplicationForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
            return HttpResponseRedirect(reverse("account:missions"))
        try:
            delegation_apply(
                mission=mission,
                organization=self.organization,
                person=request.user.person,
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("Your application to “%(mission)s” is sent to the organizers.") % {"mission": mission}
            )
        return HttpResponseRedirect(reverse("account:missions"))


class LoginView(auth_views.LoginView):
    """Sign-in; `next` is followed only when it stays on this site, otherwise the personal area."""

    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_url_for(self.request.user)


def start(request):
    """LOGIN_REDIRECT_URL: where a login view without a safe `next` (the admin's, with one to another
    site) sends the user, who lands on their home by role."""
    return HttpResponseRedirect(home_url_for(request.user))
