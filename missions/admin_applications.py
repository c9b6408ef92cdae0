"""Staff decide on companies' applications to join a delegation. Imported by missions/admin.py."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from companies.admin_grammar import AdminGrammarMixin
from companies.roles import can_edit, user_display

from .models import DelegationApplication
from .services.delegation import delegation_application_decide


@admin.register(DelegationApplication)
class DelegationApplicationAdmin(AdminGrammarMixin, admin.ModelAdmin):
    list_display = ["organization", "mission", "person", "status", "created_at", "decided_by_name", "decided_at"]
    list_filter = ["status", "mission"]
    list_select_related = ["organization", "mission", "person__organization", "decided_by__person"]
    search_fields = ["organization__name", "organization__short_name", "mission__title"]
    readonly_fields = [
        "mission",
        "organization",
        "person",
        "applied_by_name",
        "note",
        "status",
        "decided_by_name",
        "decided_at",
        "created_at",
    ]
    fields = readonly_fields
    actions = ["approve_selected", "decline_selected"]
    date_hierarchy = "created_at"

    @admin.display(description=_("applied by"))
    def applied_by_name(self, obj) -> str:
        return user_display(obj.applied_by) or "—"

    @admin.display(description=_("decided by"), ordering="decided_by__person__last_name")
    def decided_by_name(self, obj) -> str:
        return user_display(obj.decided_by) or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and not can_edit(request.user, obj.mission):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def _decide(self, request, queryset, *, approve: bool):
        done = 0
        applications = list(queryset.select_related("mission", "organization"))
        # Staff see every application but decide only on their own missions': a selection that
        # mixes in others' is refused whole, so nothing is half done.
        foreign = [a for a in applications if not can_edit(request.user, a.mission)]
        if foreign:
            self.message_user(
                request,
                _("You may not decide on %(app)s: nothing was changed.") % {"app": foreign[0]},
                level=messages.ERROR,
            )
            return
        for application in applications:
            try:
                delegation_application_decide(application=application, approve=approve, by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{application}: {' '.join(exc.messages)}", level=messages.ERROR)
            else:
                done += 1
        if done:
            message = _("Approved: %(n)d.") if approve else _("Declined: %(n)d.")
            self.message_user(request, message % {"n": done}, level=messages.SUCCESS)

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Decline the selected applications"), permissions=["change"])
    def decline_selected(self, request, queryset):
        self._decide(request, queryset, approve=False)
