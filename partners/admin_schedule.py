"""The staff admin of the B2B schedule builder: a session's configuration (tables, breaks,
unavailability, staff's pairings) and its plan page (grid of slots × tables, the unplaced pairs and
their reasons, build, move, publish). Each action calls one service of `partners.scheduling`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from companies.admin_base import RoleScopedAdmin, RoleScopedInline
from companies.exceptions import PortalError

from .models import B2BSession, PlannedMeeting, SessionBreak, SessionPairing, SessionTable, SessionUnavailability
from .scheduling.reasons import reason_text
from .scheduling.services import (
    planned_meeting_move,
    schedule_build,
    schedule_publish,
    session_may_schedule,
    session_slot_times,
    session_tables_add,
)


class SessionTableInline(RoleScopedInline, admin.TabularInline):
    model = SessionTable
    extra = 0


class SessionBreakInline(RoleScopedInline, admin.TabularInline):
    model = SessionBreak
    extra = 0


class SessionUnavailabilityInline(RoleScopedInline, admin.TabularInline):
    model = SessionUnavailability
    extra = 0
    autocomplete_fields = ["organization"]


class SessionPairingInline(RoleScopedInline, admin.TabularInline):
    model = SessionPairing
    extra = 0
    autocomplete_fields = ["organization_a", "organization_b"]


class B2BSessionForm(forms.ModelForm):
    add_tables = forms.IntegerField(
        label=_("add tables"),
        required=False,
        min_value=1,
        max_value=200,
        help_text=_("Numbered after the last table, each seating the number below."),
    )
    add_tables_seats = forms.IntegerField(
        label=_("seats at each added table"), required=False, min_value=2, max_value=50
    )

    class Meta:
        model = B2BSession
        fields = ["program_item", "starts", "ends", "slot_minutes", "request_priority"]


@admin.register(B2BSession)
class B2BSessionAdmin(RoleScopedAdmin, admin.ModelAdmin):
    form = B2BSessionForm
    scoped_fields = ("program_item",)
    list_display = ["__str__", "mission_title", "day", "starts", "ends", "slot_minutes", "plan_state"]
    list_select_related = ["program_item__mission"]
    search_fields = ["program_item__title", "program_item__mission__title"]
    autocomplete_fields = ["program_item"]
    inlines = [SessionTableInline, SessionBreakInline, SessionUnavailabilityInline, SessionPairingInline]
    readonly_fields = ["plan_link"]
    fieldsets = [
        (None, {"fields": ["program_item", ("starts", "ends"), "slot_minutes", "request_priority", "plan_link"]}),
        (_("Tables"), {"fields": [("add_tables", "add_tables_seats")]}),
    ]

    @admin.display(description=_("mission"), ordering="program_item__mission__title")
    def mission_title(self, obj):
        return obj.program_item.mission.title

    @admin.display(description=_("date"), ordering="program_item__date")
    def day(self, obj):
        return obj.program_item.date.strftime("%d.%m.%Y") if obj.program_item.date else "—"

    @admin.display(description=_("plan"))
    def plan_state(self, obj):
        if obj.published_at:
            return gettext("published %(when)s") % {"when": obj.published_at.strftime("%d.%m.%Y %H:%M")}
        return gettext("built, not published") if obj.built_at else gettext("not built")

    @admin.display(description=_("plan"))
    def plan_link(self, obj):
        if obj is None or obj.pk is None:
            return gettext("Save the session first, then build its plan.")
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:partners_b2bsession_plan", args=[obj.pk]),
            gettext("Open the plan"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        count = form.cleaned_data.get("add_tables")
        if count:
            session_tables_add(
                session=form.instance,
                count=count,
                seats=form.cleaned_data.get("add_tables_seats") or 2,
                by=request.user,
            )

    # --- The plan page ---------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/plan/", view(self.plan_view), name="partners_b2bsession_plan"),
            path("<int:pk>/plan/build/", view(self.build_view), name="partners_b2bsession_build"),
            path("<int:pk>/plan/move/", view(self.move_view), name="partners_b2bsession_move"),
            path("<int:pk>/plan/publish/", view(self.publish_view), name="partners_b2bsession_publish"),
            *super().get_urls(),
        ]

    def _session(self, request, pk) -> B2BSession:
        session = get_object_or_404(
            B2BSession.objects.select_related("program_item__mission", "program_item__place__region").prefetch_related(
                "breaks", Prefetch("tables", queryset=SessionTable.objects.order_by("number"))
            ),
            pk=pk,
        )
        if not self.has_view_permission(request, session):
            raise PermissionDenied
        return session

    def _post_only(self, request, pk):
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        session = self._session(request, pk)
        if not session_may_schedule(request.user, session):
            raise PermissionDenied
        return session, None

    def plan_view(self, request, pk, move_form=None):
        session = self._session(request, pk)
        slots = session_slot_times(session)
        tables = list(session.tables.all())
        rows = list(
            PlannedMeeting.objects.filter(session=session)
            .select_related("organization_a", "organization_b", "table")
            .order_by("slot", "table__number", "pk")
        )
        cells = {(r.slot, r.table_id): r for r in rows if r.is_placed}
        grid = [(slot, [(table, cells.get((slot.index, table.pk))) for table in tables]) for slot in slots]
        unplaced = [(r, reason_text(r.reason_code, r.reason_params)) for r in rows if not r.is_placed]
        may_change = session_may_schedule(request.user, session)
        if move_form is None:
            move_form = PlanMoveForm(rows=rows, slots=slots, tables=tables)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Plan of %(session)s") % {"session": session},
            "opts": self.model._meta,
            "session": session,
            "mission": session.program_item.mission,
            "zone": session.program_item.venue_zone.key,
            "slots": slots,
            "tables": tables,
            "grid": grid,
            "placed_count": len(cells),
            "unplaced": unplaced,
            "may_change": may_change,
            "move_form": move_form,
        }
        return TemplateResponse(request, "admin/partners/b2bsession/plan.html", context)

    def build_view(self, request, pk):
        session, refusal = self._post_only(request, pk)
        if refusal:
            return refusal
        try:
            plan = schedule_build(session=session, by=request.user)
        except PortalError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            placed, unplaced = len(plan.placements), len(plan.unplaced)
            text = ngettext(
                "The plan is built: %(placed)d meeting placed, %(unplaced)d not placed.",
                "The plan is built: %(placed)d meetings placed, %(unplaced)d not placed.",
                placed,
            ) % {"placed": placed, "unplaced": unplaced}
            if not plan.optimal:
                text += " " + gettext(
                    "The solver stopped at its time limit: this is the best plan it found, not one proven the best."
                )
            self.message_user(request, text, messages.SUCCESS if not unplaced else messages.WARNING)
        return redirect("admin:partners_b2bsession_plan", session.pk)

    def move_view(self, request, pk):
        session, refusal = self._post_only(request, pk)
        if refusal:
            return refusal
        slots = session_slot_times(session)
        tables = list(session.tables.all())
        rows = list(PlannedMeeting.objects.filter(session=session).select_related("organization_a", "organization_b"))
        form = PlanMoveForm(request.POST, rows=rows, slots=slots, tables=tables)
        if form.is_valid():
            try:
                planned_meeting_move(
                    planned=form.cleaned_data["meeting"],
                    slot=form.cleaned_data["slot"],
                    table=form.cleaned_data["table"],
                    by=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                self.message_user(request, gettext("The meeting is moved."), messages.SUCCESS)
                return redirect("admin:partners_b2bsession_plan", session.pk)
        response = self.plan_view(request, pk, move_form=form)
        response.status_code = 400
        return response

    def publish_view(self, request, pk):
        session, refusal = self._post_only(request, pk)
        if refusal:
            return refusal
        try:
            result = schedule_publish(session=session, by=request.user)
        except PortalError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("Published: %(created)d new meetings, %(updated)d updated, %(cancelled)d cancelled.")
                % {"created": result.created, "updated": result.updated, "cancelled": result.cancelled},
                messages.SUCCESS,
            )
        return redirect("admin:partners_b2bsession_plan", session.pk)


class PlanMoveForm(forms.Form):
    """Move one meeting of the draft to a slot and a table (the grid's drag posts the same form)."""

    meeting = forms.TypedChoiceField(label=_("meeting"), coerce=int)
    slot = forms.TypedChoiceField(label=_("slot"), coerce=int)
    table = forms.TypedChoiceField(label=_("table"), coerce=int)

    def __init__(self, *args, rows, slots, tables, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = {r.pk: r for r in rows if r.reason_code != "withdrawn"}
        self.tables = {t.pk: t for t in tables}
        self.fields["meeting"].choices = [(pk, str(r)) for pk, r in self.rows.items()]
        self.fields["slot"].choices = [(s.index, s.label) for s in slots]
        self.fields["table"].choices = [(t.pk, str(t.number)) for t in tables]

    def clean_meeting(self):
        return self.rows[self.cleaned_data["meeting"]]

    def clean_table(self):
        return self.tables[self.cleaned_data["table"]]
