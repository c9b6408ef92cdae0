"""The queue of the changes companies ask for in their personal area (companies.ProfileChange):
staff who keep the organization approve or reject them here. Registered from companies.admin."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from .account_services import profile_change_approve, profile_change_reject
from .admin_base import RoleScopedAdmin
from .models import Organization, ProfileChange
from .roles import can_edit, user_display, user_organization


class ProfileChangeActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (for a rejection)"),
        required=False,
        max_length=2000,
        help_text=_("The company sees it in its personal area."),
    )


@admin.register(ProfileChange)
class ProfileChangeAdmin(RoleScopedAdmin, SimpleHistoryAdmin):
    """The queue of the names, registry numbers and legal forms companies asked for. Staff who keep the
    organization (its region's, or those who entered it: ProfileChange.ownership, the organization's
    own rule) see its requests and approve or reject them on the list; others see none of them. The
    requests themselves are read only: they come from the personal area and stay as a log."""

    list_display = [
        "organization",
        "organization_region",
        "name",
        "short_name",
        "legal_form",
        "inn",
        "ogrn",
        "status",
        "requester",
        "requested_at",
        "decided_at",
    ]
    list_filter = ["status"]
    list_select_related = ["organization__region", "requested_by__person", "decided_by__person"]
    search_fields = ["organization__name", "organization__short_name", "name", "short_name", "inn", "ogrn"]
    fields = [
        "organization",
        "status",
        "comparison",
        "requester",
        "requested_at",
        "decider",
        "decided_at",
        "reason",
    ]
    readonly_fields = fields
    action_form = ProfileChangeActionForm
    actions = ["approve_selected", "reject_selected"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related(*self.list_select_related)
        user = request.user
        if user.is_superuser:
            return queryset
        if not user.is_staff:
            return queryset.none()
        return ProfileChange.ownership.filter(queryset, user_organization(user))

    def _hide_foreign(self, request, object_id) -> None:
        # The history pages look a row up beyond get_queryset: another region's request is a 404 there,
        # as on the change page (which sends a row it cannot find back to the index).
        if not self.get_queryset(request).filter(pk=object_id).exists():
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._hide_foreign(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._hide_foreign(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return self.has_view_permission(request) and can_edit(request.user)

    @admin.display(description=_("region"), ordering="organization__region__name")
    def organization_region(self, obj):
        return obj.organization.region

    @admin.display(description=_("requested by"))
    def requester(self, obj):
        return user_display(obj.requested_by)

    @admin.display(description=_("decided by"))
    def decider(self, obj):
        return user_display(obj.decided_by)

    @admin.display(description=_("Changes"))
    def comparison(self, obj):
        organization = obj.organization
        rows = []
        for field in ProfileChange.FIELDS:
            label = capfirst(Organization._meta.get_field(field).verbose_name)
            if field == "legal_form":
                old, new = organization.get_legal_form_display(), obj.get_legal_form_display()
            else:
                old, new = getattr(organization, field), getattr(obj, field)
            rows.append((label, old or "—", new or "—"))
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("On the portal now"),
            _("Requested"),
            format_html_join("", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows),
        )

    def _decide(self, request, queryset, decide, done_message) -> None:
        done, refused = 0, []
        for change in queryset.order_by("pk"):
            try:
                decide(change)
            except ValidationError as exc:
                refused.append(f"{change}: {' '.join(exc.messages)}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for text in refused:
            self.message_user(request, text, messages.ERROR)

    @admin.action(description=_("Approve the selected changes"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        self._decide(
            request,
            queryset,
            lambda change: profile_change_approve(change=change, by=request.user),
            lambda n: (
                ngettext(
                    "%(count)d change is approved: the portal shows it.",
                    "%(count)d changes are approved: the portal shows them.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Reject the selected changes (give the reason)"), permissions=["decide"])
    def reject_selected(self, request, queryset):
        reason = request.POST.get("reason", "")
        if not reason.strip():
            self.message_user(
                request,
                _("Nothing was done: give the reason for the rejection, the company will see it."),
                messages.ERROR,
            )
            return
        self._decide(
            request,
            queryset,
            lambda change: profile_change_reject(change=change, reason=reason, by=request.user),
            lambda n: ngettext("%(count)d change is rejected.", "%(count)d changes are rejected.", n) % {"count": n},
        )
