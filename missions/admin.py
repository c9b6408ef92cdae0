"""Staff administration of missions: delegation, programme, B2B meetings and the sources on them."""

import datetime
from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import Max, Min, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from companies.admin_base import (
    HTTPS_URLS,
    RoleScopedAdmin,
    RoleScopedInline,
    ServiceSaveMixin,
    WordSearchMixin,
    hide_selected,
    organizations_named,
    publish_selected,
    visible_rows,
)
from companies.imports.admin import ImportAdminMixin
from companies.roles import user_organization

from .admin_forms import (
    DelegationMemberAdminForm,
    MeetingAdminForm,
    MeetingInlineFormSet,
    MissionAdminForm,
    ProgramItemAdminForm,
)
from .imports import delegation_import, schedule_import
from .models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure, Source
from .selectors import local_time_range, meetings_mark_off_the_mission, missions_visible_to
from .services.delegation import delegation_member_save
from .services.missions import mission_create, mission_update
from .services.schedule import local_times_apply, meeting_save, program_item_save


class DelegationMemberInline(RoleScopedInline, admin.TabularInline):
    model = DelegationMember
    form = DelegationMemberAdminForm
    fields = ["organization", "person", "role"]
    autocomplete_fields = ["organization", "person"]
    extra = 1


class ProgramItemInline(RoleScopedInline, admin.StackedInline):
    model = ProgramItem
    form = ProgramItemAdminForm
    fields = ["kind", "title", "date", "start_time", "end_time", "place", "venue", "host"]
    autocomplete_fields = ["place", "host"]
    extra = 1
    show_change_link = True

    def get_queryset(self, request):
        # The rows' times are shown in their venue zone: their city's, else the mission's.
        return (
            super()
            .get_queryset(request)
            .select_related("place__region")
            .prefetch_related("mission__destination_regions")
        )


class MeetingInline(RoleScopedInline, admin.StackedInline):
    """Meetings of the mission; on its add page the slot and table checks run when they are saved."""

    model = Meeting
    form = MeetingAdminForm
    formset = MeetingInlineFormSet
    fields = [
        "organization_a",
        "organization_b",
        "date",
        "start_time",
        "end_time",
        "table",
        "program_item",
        "status",
        "topic",
    ]
    autocomplete_fields = ["organization_a", "organization_b"]
    extra = 1
    show_change_link = True

    def get_queryset(self, request):
        # The rows' times are shown in their venue zone, read from the mission's destinations.
        return (
            super()
            .get_queryset(request)
            .select_related("organization_a", "organization_b", "program_item__place__region")
            .prefetch_related("mission__destination_regions")
        )


class ReportedFigureAdminForm(forms.ModelForm):
    """A count is shown as the whole number it is ("16", not "16.00"); a value keeps its cents, if any."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        number = self.instance.number
        if number is not None and number == number.to_integral_value():
            self.initial["number"] = number.quantize(Decimal(1))
        # The keeper of a source edits its figures (ReportedFigure.ownership) about someone else's
        # mission too: the mission or agreement a figure is about stays a valid choice, while new
        # choices are only the user's own (scoped_fields).
        for name in ("mission", "agreement"):
            field, current = self.fields.get(name), getattr(self.instance, f"{name}_id", None)
            if field is not None and current is not None:
                model = field.queryset.model
                field.queryset = model.objects.filter(Q(pk__in=field.queryset.values("pk")) | Q(pk=current))


class MissionFigureInline(RoleScopedInline, admin.TabularInline):
    model = ReportedFigure
    form = ReportedFigureAdminForm
    fk_name = "mission"
    fields = ["source", "metric", "qualifier", "number", "currency", "period", "quote"]
    autocomplete_fields = ["source"]
    extra = 0


@admin.register(Mission)
class MissionAdmin(ImportAdminMixin, RoleScopedAdmin, ServiceSaveMixin, SimpleHistoryAdmin):
    form = MissionAdminForm
    imports = (delegation_import, schedule_import)
    # Staff keep the records of their own organization only; a crafted POST naming another fails.
    # The organizer may be anyone (the partner's government organized an inbound visit).
    own_organization_fields = ("recorded_by",)
    list_display = [
        "title",
        "status",
        "start_date",
        "end_date",
        "origin_region",
        "destinations",
        "organizer",
        "is_public",
    ]
    list_filter = ["status", "is_public", ("origin_region", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "purpose", "framework_event", "organizer__name", "organizer__short_name"]
    date_hierarchy = "start_date"
    list_select_related = ["origin_region", "organizer"]
    autocomplete_fields = [
        "origin_region",
        "destination_regions",
        "places",
        "organizer",
        "head_of_delegation",
        "reciprocal_of",
    ]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "status",
                    "origin_region",
                    "destination_regions",
                    "places",
                    "organizer",
                    "recorded_by",
                    "head_of_delegation",
                    ("start_date", "end_date", "dates_precision"),
                    "is_public",
                ]
            },
        ),
        (_("Content"), {"fields": ["purpose", "framework_event", "reciprocal_of", "results_summary"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [DelegationMemberInline, ProgramItemInline, MeetingInline, MissionFigureInline]
    actions = [publish_selected, hide_selected]

    def get_queryset(self, request):
        missions = visible_rows(self, request, missions_visible_to(request.user))
        return missions.prefetch_related("destination_regions")

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        organization = user_organization(request.user)
        if organization is not None:
            initial.setdefault("recorded_by", organization.pk)
        return initial

    @admin.display(description=_("destinations"))
    def destinations(self, obj):
        return ", ".join(str(region) for region in obj.destination_regions.all())

    def save_model(self, request, obj, form, change):
        """The mission's whole change, its status and destinations with it, goes to one service."""
        if change:
            mission = mission_update(mission=obj, by=request.user, **self.form_values(form, changed_only=True))
        else:
            mission = mission_create(by=request.user, **self.form_values(form, changed_only=False))
        self.adopt(obj, mission)

    def save_related(self, request, form, formsets, change):
        # The service saved the destinations with the mission; the inlines are rows of their own.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        # Each row through its service, now that the mission exists: the rules that need it (a
        # cancelled mission, a place off the route, two new meetings at one table) refuse here,
        # and the refusal comes back on its row.
        if formset.model is DelegationMember:
            self.save_rows(formset, lambda row_form, member: delegation_member_save(member, by=request.user))
        elif formset.model is ProgramItem:
            self.save_rows(formset, lambda row_form, item: self.save_timed(row_form, item, program_item_save, request))
        elif formset.model is Meeting:
            self.save_rows(formset, lambda row_form, meeting: self.save_timed(row_form, meeting, meeting_save, request))
            warn_meetings_off_the_mission(request, form.instance, [row.instance for row in formset.saved_forms])
        else:
            super().save_formset(request, form, formset, change)

    @staticmethod
    def save_timed(row_form, row, save, request):
        local_times_apply(row, **row_form.times)
        return save(row, by=request.user)


def warn_meetings_off_the_mission(request, mission: Mission, meetings: list[Meeting]) -> None:
    """A saved meeting with an organization neither in the delegation nor on the host side is kept, and
    staff are told (missions.selectors.meetings_mark_off_the_mission)."""
    for meeting in meetings_mark_off_the_mission(mission, meetings):
        names = ", ".join(f"«{organization}»" for organization in meeting.off_the_mission)
        messages.warning(
            request,
            ngettext(
                "The meeting %(meeting)s is saved, but %(names)s is neither in the delegation of the mission nor "
                "from a region it visits. Add the organization to the delegation if it took part; the mission "
                "page marks the meeting as outside the delegation.",
                "The meeting %(meeting)s is saved, but %(names)s are neither in the delegation of the mission nor "
                "from a region it visits. Add the organizations to the delegation if they took part; the mission "
                "page marks the meeting as outside the delegation.",
                len(meeting.off_the_mission),
            )
            % {"meeting": meeting, "names": names},
        )


class MeetingYearFilter(admin.SimpleListFilter):
    """The meetings of a year, in place of a date hierarchy (a MIN/MAX and a DISTINCT of years over the
    changelist's whole join on every page): the years run from the first meeting's date to the last
    one's, two probes of the (date, start, id) index, and a year is a date range that index serves."""

    title = _("year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        span = Meeting.objects.aggregate(first=Min("date"), last=Max("date"))
        if span["first"] is None:
            return []
        return [(str(year), str(year)) for year in range(span["last"].year, span["first"].year - 1, -1)]

    def queryset(self, request, queryset):
        if not (self.value() or "").isdigit() or not 1900 < int(self.value()) < 2200:
            return queryset
        year = int(self.value())
        return queryset.filter(date__gte=datetime.date(year, 1, 1), date__lt=datetime.date(year + 1, 1, 1))


@admin.register(Meeting)
class MeetingAdmin(WordSearchMixin, RoleScopedAdmin, ServiceSaveMixin, admin.ModelAdmin):
    form = MeetingAdminForm
    scoped_fields = ("mission",)
    list_display = ["__str__", "mission", "date", "local_time", "table", "status", "outcome"]
    list_filter = ["status", "outcome", MeetingYearFilter]
    # Searched by get_search_results below: an organization's name or short name, a mission's title.
    search_fields = ["organization_a__name", "organization_b__name", "mission__title"]
    search_help_text = _("An organization's name or short name, or a mission's title.")
    # The page's count is the paginator's; the second count over the whole table is not worth its cost.
    show_full_result_count = False
    autocomplete_fields = ["mission", "program_item", "organization_a", "organization_b", "people", "sectors"]
    fieldsets = [
        (None, {"fields": ["mission", "program_item", ("date", "start_time", "end_time"), "table"]}),
        (_("Participants"), {"fields": ["organization_a", "organization_b", "people", "topic", "sectors"]}),
        (_("Result"), {"fields": ["status", "outcome", "notes"]}),
    ]

    def get_queryset(self, request):
        # A meeting is named by its two organizations, in the changelist and in autocomplete answers;
        # its time is shown in its venue's zone, read from the mission's destinations.
        return (
            super()
            .get_queryset(request)
            .select_related("mission", "organization_a", "organization_b", "program_item__place__region")
            .prefetch_related("mission__destination_regions")
        )

    @admin.display(description=_("time (local)"), ordering="starts_at")
    def local_time(self, obj):
        return local_time_range(obj)

    def search_word_q(self, word):
        """A word in an organization's name or short name (either side) or the mission's title.

        The words are matched in the organizations and missions first (trigram indexes on PostgreSQL,
        companies/0020) and the meetings are then found by their indexed foreign keys, instead of six
        ORed LIKEs over a join of every meeting with both organizations and its mission.
        """
        organizations = organizations_named(word)
        return (
            Q(organization_a__in=organizations)
            | Q(organization_b__in=organizations)
            | Q(mission__in=Mission.objects.filter(title__icontains=word).values("pk"))
        )

    def save_model(self, request, obj, form, change):
        local_times_apply(obj, **form.times)
        meeting = meeting_save(obj, by=request.user)
        warn_meetings_off_the_mission(request, meeting.mission, [meeting])


@admin.register(ProgramItem)
class ProgramItemAdmin(WordSearchMixin, RoleScopedAdmin, ServiceSaveMixin, admin.ModelAdmin):
    form = ProgramItemAdminForm
    list_display = ["title", "mission", "kind", "date", "local_time", "place", "venue", "host"]
    list_filter = ["kind"]
    search_fields = ["title", "venue", "mission__title"]
    date_hierarchy = "date"
    list_select_related = ["mission", "host", "place__region"]
    scoped_fields = ("mission",)
    autocomplete_fields = ["mission", "place", "host"]
    fields = ["mission", "kind", "title", ("date", "start_time", "end_time"), "place", "venue", "host", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("mission__destination_regions")

    @admin.display(description=_("time (local)"), ordering="starts_at")
    def local_time(self, obj):
        return local_time_range(obj)

    def search_word_q(self, word):
        """A word in the item's title or venue, or the mission's title (found among the missions first)."""
        return (
            Q(title__icontains=word)
            | Q(venue__icontains=word)
            | Q(mission__in=Mission.objects.filter(title__icontains=word).values("pk"))
        )

    def save_model(self, request, obj, form, change):
        local_times_apply(obj, **form.times)
        program_item_save(obj, by=request.user)


class SourceFigureInline(RoleScopedInline, admin.TabularInline):
    model = ReportedFigure
    form = ReportedFigureAdminForm
    fields = ["mission", "agreement", "metric", "qualifier", "number", "currency", "period", "quote"]
    autocomplete_fields = ["mission", "agreement"]
    scoped_fields = ("mission", "agreement")
    extra = 1


@admin.register(Source)
class SourceAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["title", "outlet", "published_on", "url"]
    search_fields = ["title", "outlet", "url"]
    date_hierarchy = "published_on"
    autocomplete_fields = ["missions"]
    fields = ["title", "outlet", "url", "published_on", "missions"]
    inlines = [SourceFigureInline]
    formfield_overrides = HTTPS_URLS

    def save_model(self, request, obj, form, change):
        if not change:  # the ministry whose staff entered the source keeps editing it (Source.ownership)
            obj.recorded_by = user_organization(request.user)
        super().save_model(request, obj, form, change)


@admin.register(ReportedFigure)
class ReportedFigureAdmin(RoleScopedAdmin, admin.ModelAdmin):
    form = ReportedFigureAdminForm
    list_display = ["__str__", "source", "mission", "agreement"]
    list_filter = ["metric", "qualifier"]
    search_fields = ["quote", "source__title", "mission__title", "agreement__title"]
    list_select_related = ["source", "mission", "agreement"]
    scoped_fields = ("mission", "agreement")
    autocomplete_fields = ["source", "mission", "agreement"]
    fields = ["source", "mission", "agreement", "metric", "qualifier", "number", "currency", "period", "quote"]


@admin.register(DelegationMember)
class DelegationMemberAdmin(RoleScopedAdmin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ["__str__", "mission", "role"]
    list_filter = ["role"]
    search_fields = [
        "mission__title",
        "organization__name",
        "organization__short_name",
        "person__last_name",
        "person__first_name",
        "person__position",
    ]
    list_select_related = ["mission", "organization", "person__organization"]
    scoped_fields = ("mission",)
    autocomplete_fields = ["mission", "organization", "person"]
    fields = ["mission", "organization", "person", "role"]
    form = DelegationMemberAdminForm

    def save_model(self, request, obj, form, change):
        delegation_member_save(obj, by=request.user)


# Delegation applications of companies (personal area), decided by staff.
from . import admin_applications  # noqa: E402,F401
