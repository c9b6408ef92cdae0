"""The suggestion pages: a company's own (linked from the personal area), a region pair's strongest
pairs, a mission's (for staff and officials), and the feedback form's POST. Thin: the selectors
decide what is shown, the services what is written."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from companies.exceptions import PortalError
from companies.models import Organization, Region
from companies.roles import can_see_unpublished, is_company_representative, user_organization
from companies.selectors import organizations_visible_to
from missions.selectors import missions_visible_to

from .selectors import (
    mission_suggestions,
    reason_texts,
    region_pair_suggestions,
    suggestions_are_stale,
    suggestions_for,
)
from .services import may_give_feedback, suggestion_feedback_give
from .tasks import refresh_suggestions_task

COMPANY_PAGE_LIMIT = 30


def _with_reasons(suggestions, user, *, to_the_company: bool):
    for suggestion in suggestions:
        suggestion.reason_texts = reason_texts(suggestion, to_the_company=to_the_company)
        suggestion.may_rate = may_give_feedback(user, suggestion.company)
    return suggestions


class CompanySuggestionsView(TemplateView):
    """A company representative's partners: /partners/suggestions/ (the personal area links to it)."""

    template_name = "partners/suggestions_company.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account:login"))
        if not is_company_representative(request.user):
            return render(request, "accounts/not_representative.html", status=403)
        self.organization = user_organization(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        company, user = self.organization, self.request.user
        stale = suggestions_are_stale(company)
        if stale:  # recomputed in the background (at once with the embedded eager Celery, after this page)
            transaction.on_commit(lambda: refresh_suggestions_task.delay(company.pk))
        suggestions = _with_reasons(
            list(suggestions_for(company, user)[:COMPANY_PAGE_LIMIT]), user, to_the_company=True
        )
        return super().get_context_data(organization=company, suggestions=suggestions, stale=stale, **kwargs)


class RegionPairSuggestionsView(TemplateView):
    """The strongest complementary pairs of companies of two regions (the region pair page links here)."""

    template_name = "partners/suggestions_region_pair.html"

    def get_context_data(self, **kwargs):
        slugs = [self.kwargs["slug"], self.kwargs["other_slug"]]
        regions = {r.slug: r for r in Region.objects.filter(slug__in=slugs)}
        if len(regions) != 2:
            raise Http404(_("No such region."))
        a, b, user = regions[slugs[0]], regions[slugs[1]], self.request.user
        pairs = _with_reasons(region_pair_suggestions(a, b, user), user, to_the_company=False)
        reverse_pairs = _with_reasons(region_pair_suggestions(b, a, user), user, to_the_company=False)
        return super().get_context_data(region=a, other=b, pairs=pairs, reverse_pairs=reverse_pairs, **kwargs)


class MissionSuggestionsView(TemplateView):
    """For staff and officials: whom a mission's delegation should meet, and whom to invite to it."""

    template_name = "partners/suggestions_mission.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("account:login"))
        if not can_see_unpublished(request.user):
            raise Http404(_("No such mission."))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        mission = get_object_or_404(
            missions_visible_to(user).prefetch_related("destination_regions"), slug=self.kwargs["slug"]
        )
        meet, invite = mission_suggestions(mission, user)
        for group in meet:
            _with_reasons(group.suggestions, user, to_the_company=False)
        _with_reasons(invite, user, to_the_company=False)
        return super().get_context_data(mission=mission, meet=meet, invite=invite, **kwargs)


class FeedbackForm(forms.Form):
    company = forms.IntegerField(min_value=1)
    partner = forms.IntegerField(min_value=1)
    useful = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda value: value == "1")
    next = forms.CharField(required=False, max_length=2000)


@require_POST
def feedback(request):
    """Mark a suggestion useful or not useful; back to the page it was given on."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("suggestions:company"), reverse("account:login"))
    form = FeedbackForm(request.POST)
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("suggestions:company")
    if not form.is_valid():
        messages.error(request, _("The rating was not saved: the form was incomplete."))
        return HttpResponseRedirect(back)
    company = Organization.objects.filter(pk=form.cleaned_data["company"]).first()
    if company is None or not may_give_feedback(request.user, company):
        raise Http404(_("No such organization."))
    # Only a partner the user may see: a hidden one is not found, so its suggestion cannot be probed.
    partner = organizations_visible_to(request.user).filter(pk=form.cleaned_data["partner"]).first()
    if partner is None:
        raise Http404(_("No such organization."))
    try:
        suggestion_feedback_give(company=company, partner=partner, useful=form.cleaned_data["useful"], by=request.user)
    except PortalError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if form.cleaned_data["useful"]:
            messages.success(request, _("Marked useful: %(partner)s stays on top.") % {"partner": partner})
        else:
            messages.success(
                request, _("Marked not useful: %(partner)s is no longer suggested.") % {"partner": partner}
            )
    return HttpResponseRedirect(back)
