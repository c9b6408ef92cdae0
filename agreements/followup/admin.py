"""Staff administration of the follow-up engine: the reminder policy and the reminder log.

The log is written by the scan and the sender (agreements.followup.scan/delivery); staff read
it, retry what failed and cancel what should not go out. Nothing here sends mail itself.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from companies.admin_base import RoleScopedAdmin, RoleScopedInline

from ..models import Reminder, ReminderPolicy, StaleAfter
from .delivery import reminders_cancel, reminders_retry
from .policy import reminder_policy_get

REMINDER_FIELDS = [
    "kind",
    "state",
    "subject",
    "period",
    "due_on",
    "project",
    "plan_item",
    "organization",
    "recipient_email",
    "recipient_name",
    "recipient_person",
    "recipient_user",
    "language",
    "attempts",
    "next_attempt_at",
    "claimed_at",
    "sent_at",
    "last_error",
    "link_used_at",
    "created_at",
]


class StaleAfterInline(RoleScopedInline, admin.TabularInline):
    model = StaleAfter
    fields = ["stage", "days"]
    extra = 0


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(RoleScopedAdmin, SimpleHistoryAdmin):
    """One policy for the portal: the list shows its one row."""

    fieldsets = [
        (_("Projects"), {"fields": ["checkin_offsets", "escalate_after", "escalation_grace_days"]}),
        (_("Implementation plans"), {"fields": ["plan_item_notice_days"]}),
        (_("Digest"), {"fields": ["digest_weekday"]}),
    ]
    inlines = [StaleAfterInline]

    list_display = ["__str__", "checkin_offsets", "escalate_after", "plan_item_notice_days", "digest_weekday"]

    def changelist_view(self, request, extra_context=None):
        reminder_policy_get()  # written with its defaults if a fresh database lacks it
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Send the selected reminders again"), permissions=["change"])
def retry_selected(modeladmin, request, queryset):
    count = reminders_retry(queryset=queryset, by=request.user)
    text = ngettext("%(count)d reminder will be sent again.", "%(count)d reminders will be sent again.", count) % {
        "count": count
    }
    modeladmin.message_user(request, text, messages.SUCCESS if count else messages.WARNING)


@admin.action(description=_("Cancel the selected reminders"), permissions=["change"])
def cancel_selected(modeladmin, request, queryset):
    count = reminders_cancel(queryset=queryset, by=request.user)
    text = ngettext("%(count)d reminder was cancelled.", "%(count)d reminders were cancelled.", count) % {
        "count": count
    }
    modeladmin.message_user(request, text, messages.SUCCESS if count else messages.WARNING)


@admin.register(Reminder)
class ReminderAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "state", "recipient_email", "about", "due_on", "attempts", "sent_at"]
    list_filter = ["state", "kind", "language", "due_on"]
    search_fields = ["recipient_email", "recipient_name", "project__title", "plan_item__action", "last_error"]
    list_select_related = ["project", "plan_item", "organization"]
    date_hierarchy = "created_at"
    readonly_fields = REMINDER_FIELDS
    fields = REMINDER_FIELDS
    actions = [retry_selected, cancel_selected]

    @admin.display(description=_("about"))
    def about(self, obj):
        return obj.project or obj.plan_item or obj.organization or obj.subject

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReminderInline(admin.TabularInline):
    """On a project: the reminders it produced (read only; retry and cancel on the reminders list)."""

    model = Reminder
    fk_name = "project"
    fields = ["due_on", "kind", "recipient_email", "state", "attempts", "sent_at", "last_error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("reminders sent about this project")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
