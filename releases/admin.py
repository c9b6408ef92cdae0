"""The admin page «Новая миссия из пресс-релиза»: paste or upload a release, review what the portal
found, confirm once.

The missions' admin is the missions app's (missions.admin.MissionAdmin); this app, above it, adds the
page to it by registering a subclass with one more URL and a link on the changelist. The page writes
nothing until the staff member confirms; the confirmation is one call of releases.services.draft_confirm.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from companies.exceptions import PortalError
from companies.roles import user_organization
from missions import admin as missions_admin
from missions.models import Mission

from .extraction.pipeline import analyse
from .forms import ReleaseForm, draft_sign, draft_unsign
from .proposals import draft_fill_guesses
from .review import Review
from .services import draft_confirm

RELEASE_URL_NAME = "missions_mission_from_release"

# What a confirmation wrote, for the success message (counts in releases.services.Confirmed).
COUNTED = {
    "organizations": lambda n: ngettext("%(n)d new organization", "%(n)d new organizations", n),
    "people": lambda n: ngettext("%(n)d new person", "%(n)d new people", n),
    "places": lambda n: ngettext("%(n)d new city", "%(n)d new cities", n),
    "delegation": lambda n: ngettext("%(n)d delegation member", "%(n)d delegation members", n),
    "programme": lambda n: ngettext("%(n)d programme item", "%(n)d programme items", n),
    "agreements": lambda n: ngettext("%(n)d agreement", "%(n)d agreements", n),
    "figures": lambda n: ngettext("%(n)d figure", "%(n)d figures", n),
}


class MissionAdmin(missions_admin.MissionAdmin):
    def get_urls(self):
        view = self.admin_site.admin_view(self.release_view)
        return [path("from-release/", view, name=RELEASE_URL_NAME), *super().get_urls()]

    def may_read_releases(self, request) -> bool:
        """Ministry staff who may add missions (their login belongs to their ministry)."""
        return self.has_add_permission(request) and user_organization(request.user) is not None

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.may_read_releases(request):
            extra_context["release_url"] = reverse(f"admin:{RELEASE_URL_NAME}")
        return super().changelist_view(request, extra_context)

    def _release_context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("New mission from a press release"),
            **extra,
        }

    def release_view(self, request):
        if not self.may_read_releases(request):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("step") == "confirm":
            return self._confirm(request)
        form = ReleaseForm(request.POST, request.FILES) if request.method == "POST" else ReleaseForm()
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            draft = analyse(data["text"], published=data.get("published"))
            if data.get("title"):
                draft.title = data["title"].strip()
            draft_fill_guesses(draft)
            source = {"title": data.get("title"), "url": data.get("url"), "outlet": data.get("outlet")}
            return self._review(request, Review(draft, user=request.user, source=source), draft_sign(draft))
        return self._upload(request, form)

    def _upload(self, request, form):
        context = self._release_context(request, form=form, media=self.media + form.media)
        return TemplateResponse(request, "admin/releases/upload.html", context)

    def _review(self, request, review: Review, signed: str):
        return TemplateResponse(
            request,
            "admin/releases/review.html",
            self._release_context(request, review=review, signed=signed, media=self.media + _review_media(review)),
        )

    def _confirm(self, request):
        signed = request.POST.get("draft", "")
        draft = draft_unsign(signed)
        if draft is None:
            messages.error(request, _("The review has expired or was altered: paste the release again."))
            return self._upload(request, ReleaseForm())
        review = Review(draft, user=request.user, data=request.POST)
        if not review.is_valid():
            return self._review(request, review, signed)
        reviewed, decisions, mission_id, keys = review.reviewed()
        mission = Mission.objects.filter(pk=mission_id).first() if mission_id else None
        if mission_id and mission is None:
            review.mission_form.add_error("target", _("The chosen mission no longer exists."))
            return self._review(request, review, signed)
        try:
            confirmed = draft_confirm(
                draft=reviewed, decisions=decisions, mission=mission, by=request.user, row_keys=keys
            )
        except PortalError as refusal:
            review.add_refusal(refusal)
            messages.error(request, _("Nothing was saved: correct the rows marked below."))
            return self._review(request, review, signed)
        written = ", ".join(COUNTED[name](n) % {"n": n} for name, n in confirmed.counts.items() if name in COUNTED)
        if confirmed.created:
            text = _("The mission “%(mission)s” was created from the release.") % {"mission": confirmed.mission}
        else:
            text = _("The release was added to the mission “%(mission)s”.") % {"mission": confirmed.mission}
        if written:
            text = " ".join((text, _("Recorded: %(rows)s.") % {"rows": written}))
        messages.success(request, text)
        for note in confirmed.notes:
            messages.warning(request, note)
        return redirect(reverse("admin:missions_mission_change", args=[confirmed.mission.pk]))


def _review_media(review: Review):
    """The autocomplete widgets' scripts and styles (once for the page)."""
    media = review.mission_form.media
    for section in review.sections:
        media += section.formset.media
    return media


admin.site.unregister(Mission)
admin.site.register(Mission, MissionAdmin)
