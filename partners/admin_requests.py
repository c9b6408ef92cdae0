"""The staff's admin of meeting requests and of the host side. Requests come from the personal area;
staff of the mission's ministry schedule, move and cancel them, each through its service."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from companies.admin_base import RoleScopedAdmin, ServiceSaveMixin
from companies.forms import add_service_error
from companies.roles import can_edit, user_display

from .forms import CancelForm, MeetingTimeForm
from .models import HostParticipant, MeetingRequest
from .services.requests import (
    host_participant_add,
    meeting_request_cancel,
    meeting_request_move,
    meeting_request_schedule,
)


@admin.register(MeetingRequest)
class MeetingRequestAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["requester", "invitee", "mission", "topic", "status", "meeting_time", "created_at"]
    list_filter = ["mission", "status"]
    list_select_related = ["requester", "invitee", "mission", "meeting"]
    search_fields = ["requester__name", "requester__short_name", "invitee__name", "invitee__short_name", "topic"]
    readonly_fields = [
        "mission",
        "requester",
        "invitee",
        "requested_by_name",
        "topic",
        "message",
        "status",
        "decided_by_name",
        "decided_at",
        "decline_reason",
        "meeting",
        "created_at",
        "updated_at",
    ]
    fields = readonly_fields
    actions = ["schedule_selected", "move_selected", "cancel_selected"]
    date_hierarchy = "created_at"

    @admin.display(description=gettext_lazy("requested by"))
    def requested_by_name(self, obj) -> str:
        return user_display(obj.requested_by) or "—"

    @admin.display(description=gettext_lazy("decided by"))
    def decided_by_name(self, obj) -> str:
        return user_display(obj.decided_by) or "—"

    @admin.display(description=gettext_lazy("meeting time"), ordering="meeting__starts_at")
    def meeting_time(self, obj) -> str:
        meeting = obj.meeting
        if meeting is None or meeting.starts_at is None:
            return "—"
        zone = obj.mission.venue_zone
        table = f", {_('table')} {meeting.table}" if meeting.table else ""
        return f"{meeting.starts_at.astimezone(zone):%d.%m.%Y %H:%M}–{meeting.ends_at.astimezone(zone):%H:%M}{table}"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("mission__destination_regions")

    def has_add_permission(self, request):
        return False  # companies make requests in the personal area

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    # --- The schedule and move pages, and the actions that open them ----------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/schedule/",
                wrap(self.time_view),
                {"action": "schedule"},
                name="partners_meetingrequest_schedule",
            ),
            path("<int:pk>/move/", wrap(self.time_view), {"action": "move"}, name="partners_meetingrequest_move"),
            *super().get_urls(),
        ]

    def time_view(self, request, pk, action):
        meeting_request = (
            MeetingRequest.objects.select_related("mission", "requester", "invitee", "meeting").filter(pk=pk).first()
        )
        if meeting_request is None:
            raise Http404
        if not can_edit(request.user, meeting_request):
            self.message_user(
                request, _("Only the staff of the ministry keeping the mission manage its meeting requests."),
                messages.ERROR,
            )  # fmt: skip
            return HttpResponseRedirect(reverse("admin:partners_meetingrequest_change", args=[pk]))
        mission = meeting_request.mission
        initial = {}
        meeting = meeting_request.meeting
        if action == "move" and meeting is not None and meeting.starts_at:
            zone = mission.venue_zone
            initial = {
                "date": meeting.date,
                "start_time": meeting.starts_at.astimezone(zone).time(),
                "end_time": meeting.ends_at.astimezone(zone).time(),
                "table": meeting.table,
            }
        form = MeetingTimeForm(
            request.POST or None, mission=mission, with_program_item=action == "schedule", initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if action == "schedule":
                    meeting_request_schedule(
                        request=meeting_request, date=data["date"], start_time=data["start_time"],
                        end_time=data["end_time"], table=data["table"], program_item=data["program_item"],
                        by=request.user,
                    )  # fmt: skip
                else:
                    meeting_request_move(
                        request=meeting_request, date=data["date"], start_time=data["start_time"],
                        end_time=data["end_time"], table=data["table"], by=request.user,
                    )  # fmt: skip
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if action == "schedule":
                    done = _("The meeting is scheduled: %(r)s.")
                else:
                    done = _("The meeting is moved: %(r)s.")
                self.message_user(request, done % {"r": meeting_request}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:partners_meetingrequest_changelist"))
        title = _("Schedule the meeting") if action == "schedule" else _("Move the meeting")
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "meeting_request": meeting_request,
            "form": form,
            "zone": mission.venue_zone.key,
        }
        return render(request, "admin/partners/meeting_request_time.html", context, status=400 if request.POST else 200)

    def _one(self, request, queryset, url_name):
        if queryset.count() != 1:
            message = _("Select one request: its time and table are set on its own page.")
            self.message_user(request, message, messages.WARNING)
            return None
        return HttpResponseRedirect(reverse(url_name, args=[queryset.get().pk]))

    @admin.action(description=gettext_lazy("Schedule the selected request"), permissions=["change"])
    def schedule_selected(self, request, queryset):
        return self._one(request, queryset, "admin:partners_meetingrequest_schedule")

    @admin.action(description=gettext_lazy("Move the selected request's meeting"), permissions=["change"])
    def move_selected(self, request, queryset):
        return self._one(request, queryset, "admin:partners_meetingrequest_move")

    @admin.action(description=gettext_lazy("Cancel the selected requests"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        form = CancelForm(request.POST if "reason" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            context = {
                **self.admin_site.each_context(request),
                "title": _("Cancel meeting requests"),
                "opts": self.model._meta,
                "requests": list(queryset.select_related("requester", "invitee", "mission")),
                "form": form,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return render(request, "admin/partners/meeting_request_cancel.html", context)
        done = 0
        for meeting_request in queryset.select_related("mission"):
            try:
                meeting_request_cancel(request=meeting_request, reason=form.cleaned_data["reason"], by=request.user)
            except ValidationError as exc:
                self.message_user(request, f"{meeting_request}: {' '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, ngettext("Cancelled %(n)d request.", "Cancelled %(n)d requests.", done) % {"n": done},
                messages.SUCCESS,
            )  # fmt: skip
        return None


@admin.register(HostParticipant)
class HostParticipantAdmin(RoleScopedAdmin, ServiceSaveMixin, admin.ModelAdmin):
    """Staff add destination companies to the host side (companies also join from the mission's
    page); a registration is added or deleted, never changed into another."""

    list_display = ["organization", "mission", "joined_by_name", "created_at"]
    list_filter = ["mission"]
    list_select_related = ["organization", "mission", "joined_by__person"]
    search_fields = ["organization__name", "organization__short_name", "mission__title"]
    autocomplete_fields = ["mission", "organization"]
    scoped_fields = ("mission",)
    fields = ["mission", "organization"]

    @admin.display(description=gettext_lazy("registered by"))
    def joined_by_name(self, obj) -> str:
        return user_display(obj.joined_by) or "—"

    def get_readonly_fields(self, request, obj=None):
        return ["mission", "organization"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            return
        saved = host_participant_add(mission=obj.mission, organization=obj.organization, by=request.user)
        self.adopt(obj, saved)
