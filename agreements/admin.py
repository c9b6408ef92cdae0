"""Staff administration of agreements, implementation plans and cooperation projects."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Prefetch, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from companies.admin_base import (
    RoleScopedAdmin,
    RoleScopedInline,
    ServiceSaveMixin,
    WordSearchMixin,
    hide_selected,
    organizations_named,
    publish_selected,
    visible_rows,
)
from companies.admin_forms import NamedAdminForm
from companies.exceptions import PortalError
from companies.imports.admin import ImportAdminMixin
from companies.roles import user_display, user_organization
from missions.admin import MeetingAdmin  # noqa: F401 - registered first: this module adds an action to it
from missions.models import Meeting

from .admin_forms import (
    AgreementAdminForm,
    AgreementPartyFormSet,
    CooperationProjectAdminForm,
    PlanItemAdminForm,
    ProjectPartyFormSet,
    ProjectUpdateAdminForm,
)
from .followup.admin import ReminderInline
from .imports import plan_import, projects_import
from .models import (
    Agreement,
    AgreementParty,
    CooperationProject,
    PlanItem,
    ProjectParty,
    ProjectUpdate,
    Signatory,
    Sphere,
)
from .selectors import agreements_visible_to, projects_visible_to
from .services.agreements import (
    agreement_create,
    agreement_update,
    agreements_refresh_statuses,
    plan_item_create,
    plan_item_update,
)
from .services.projects import project_create, project_from_meeting, project_record_progress, project_update

_SHORT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 40})}}


def _save_plan_item(form, *, by) -> PlanItem:
    """Save a plan item's form through its service: the whole change of an item, or a new one."""
    item = form.instance
    if item.pk:
        saved = plan_item_update(item=item, by=by, **ServiceSaveMixin.form_values(form, changed_only=True))
    else:
        saved = plan_item_create(by=by, **ServiceSaveMixin.form_values(form, changed_only=False))
    ServiceSaveMixin.adopt(item, saved)
    return saved


def _parties_with_organizations(model):
    return Prefetch("parties", queryset=model.objects.select_related("organization"))


@admin.register(Sphere)
class SphereAdmin(RoleScopedAdmin, admin.ModelAdmin):
    form = NamedAdminForm
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en", "slug"]


class AgreementPartyInline(RoleScopedInline, admin.TabularInline):
    model = AgreementParty
    formset = AgreementPartyFormSet
    fields = ["organization", "role"]
    autocomplete_fields = ["organization"]
    extra = 2

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not request.user.is_superuser:
            # Staff keep their organization among the parties, or the agreement would leave their hands.
            formset.required_organization = user_organization(request.user)
        return formset


class SignatoryInline(RoleScopedInline, admin.TabularInline):
    model = Signatory
    fields = ["person", "on_behalf_of", "position_at_signing"]
    autocomplete_fields = ["person", "on_behalf_of"]
    extra = 1


class PlanItemInline(RoleScopedInline, admin.TabularInline):
    model = PlanItem
    form = PlanItemAdminForm
    fields = [
        "number",
        "action",
        "responsible_organization",
        "responsible_person",
        "due_date",
        "status",
        "completed_on",
    ]
    autocomplete_fields = ["responsible_organization", "responsible_person"]
    formfield_overrides = _SHORT_TEXT
    extra = 1
    show_change_link = True


@admin.register(Agreement)
class AgreementAdmin(ImportAdminMixin, RoleScopedAdmin, ServiceSaveMixin, SimpleHistoryAdmin):
    form = AgreementAdminForm
    imports = (plan_import,)
    list_display = ["title", "kind", "number", "status", "signed_on", "valid_until", "party_list", "is_public"]
    list_filter = ["status", "kind", "is_public", "spheres"]
    search_fields = [
        "title",
        "number",
        "summary",
        "parties__organization__name",
        "parties__organization__short_name",
    ]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["signed_at_mission", "followed_up_at", "supersedes", "spheres", "sources"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "number", "status", "termination_reason", "spheres", "is_public"]}),
        (
            _("Signing"),
            {"fields": [("signed_on", "signed_on_precision"), "signed_at_mission", "signing_place", "followed_up_at"]},
        ),
        (
            _("Term and value"),
            {"fields": [("valid_from", "valid_until"), "is_open_ended", ("value", "currency"), "supersedes"]},
        ),
        (_("Text"), {"fields": ["summary", "document", "sources"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]
    inlines = [AgreementPartyInline, SignatoryInline, PlanItemInline]
    actions = [publish_selected, hide_selected, "refresh_statuses"]

    def get_queryset(self, request):
        agreements = visible_rows(self, request, agreements_visible_to(request.user))
        return agreements.prefetch_related(_parties_with_organizations(AgreementParty))

    @admin.display(description=_("parties"))
    def party_list(self, obj):
        return ", ".join(str(party.organization) for party in obj.parties.all())

    @admin.action(description=_("Refresh the statuses of selected agreements by their dates"), permissions=["change"])
    def refresh_statuses(self, request, queryset):
        changed = agreements_refresh_statuses(agreements=queryset, by=request.user)
        text = ngettext("%(count)d agreement changed status.", "%(count)d agreements changed status.", changed)
        self.message_user(request, text % {"count": changed}, messages.SUCCESS)

    def save_model(self, request, obj, form, change):
        pass  # saved in save_related, with its parties: signing needs them

    def save_related(self, request, form, formsets, change):
        """One service call for the agreement's change, status included, once its parties are known.

        On the add page agreement_create saves the agreement with the parties of the inline; on the
        change page the party rows are saved first and agreement_update counts them if it signs.
        """
        parties = next(formset for formset in formsets if formset.model is AgreementParty)
        values = self.form_values(form, changed_only=change)
        if change:
            self.save_formset(request, form, parties, change)
            agreement = agreement_update(
                agreement=form.instance,
                termination_reason=form.cleaned_data.get("termination_reason") or "",
                by=request.user,
                **values,
            )
        else:
            rows = parties.save(commit=False)  # unsaved: agreement_create saves them
            agreement = agreement_create(
                parties=[(row.organization, row.role) for row in rows], by=request.user, **values
            )
            parties.new_objects = list(agreement.parties.all())
        self.adopt(form.instance, agreement)
        for formset in formsets:
            if formset is not parties:
                self.save_formset(request, form, formset, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not PlanItem:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)  # sorts the rows into new, changed and deleted ones for the change log
        for item in formset.deleted_objects:
            item.delete()
        for item_form in formset.saved_forms:
            _save_plan_item(item_form, by=request.user)


@admin.register(AgreementParty)
class AgreementPartyAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["organization", "role", "agreement"]
    list_filter = ["role"]
    search_fields = ["organization__name", "organization__short_name", "agreement__title"]
    list_select_related = ["organization", "agreement"]
    scoped_fields = ("agreement",)
    autocomplete_fields = ["agreement", "organization"]


@admin.register(Signatory)
class SignatoryAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["person", "position_at_signing", "on_behalf_of", "agreement"]
    search_fields = [
        "person__last_name",
        "person__first_name",
        "person__position",
        "agreement__title",
        "on_behalf_of__name",
    ]
    list_select_related = ["person__organization", "on_behalf_of", "agreement"]
    scoped_fields = ("agreement",)
    autocomplete_fields = ["agreement", "person", "on_behalf_of"]


@admin.register(PlanItem)
class PlanItemAdmin(RoleScopedAdmin, ServiceSaveMixin, SimpleHistoryAdmin):
    form = PlanItemAdminForm
    list_display = [
        "__str__",
        "agreement",
        "responsible_organization",
        "responsible_person",
        "due_date",
        "status",
        "overdue",
        "completed_on",
    ]
    list_filter = ["status", "agreement__kind"]
    search_fields = ["number", "action", "agreement__title", "responsible_organization__name"]
    date_hierarchy = "due_date"
    list_select_related = ["agreement", "responsible_organization", "responsible_person__organization"]
    scoped_fields = ("agreement",)
    autocomplete_fields = ["agreement", "responsible_organization", "responsible_person", "projects"]
    fields = [
        "agreement",
        "number",
        "action",
        ("responsible_organization", "responsible_person"),
        "due_date",
        ("status", "completed_on"),
        "evidence",
        "projects",
    ]

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj):
        return obj.is_overdue()

    def save_model(self, request, obj, form, change):
        _save_plan_item(form, by=request.user)

    def save_related(self, request, form, formsets, change):
        pass  # the service saved the item's projects with it; a plan item has no inlines


class ProjectPartyInline(RoleScopedInline, admin.TabularInline):
    model = ProjectParty
    formset = ProjectPartyFormSet
    fields = ["organization", "role", "contact"]
    autocomplete_fields = ["organization", "contact"]

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj is None else 1


class CuratorListFilter(admin.RelatedOnlyFieldListFilter):
    """The curators of the listed projects by name and position (companies.roles.user_display), not by login."""

    def field_choices(self, field, request, model_admin):
        shown = model_admin.get_queryset(request).order_by().values(f"{self.field_path}__pk")
        users = field.related_model.objects.filter(pk__in=shown).select_related("person")
        return sorted(((user.pk, user_display(user)) for user in users), key=lambda choice: choice[1])


class ProjectUpdateInline(RoleScopedInline, admin.TabularInline):
    """The project's log, read only: updates are written by project_record_progress."""

    model = ProjectUpdate
    fields = [
        "created_at",
        "author_name",
        "reported_by",
        "stage_from",
        "stage_to",
        "next_step",
        "next_step_due",
        "text",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author__person", "reported_by")

    @admin.display(description=_("author"))
    def author_name(self, obj) -> str:
        return user_display(obj.author) or "—"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CooperationProject)
class CooperationProjectAdmin(WordSearchMixin, ImportAdminMixin, RoleScopedAdmin, ServiceSaveMixin, SimpleHistoryAdmin):
    form = CooperationProjectAdminForm
    imports = (projects_import,)
    list_display = [
        "title",
        "stage",
        "party_list",
        "next_step",
        "next_step_due",
        "curator_name",
        "last_activity_at",
        "is_public",
    ]
    list_filter = ["stage", "is_public", ("curator", CuratorListFilter)]
    # Searched by search_word_q below: these columns, or a party's name or short name.
    search_fields = ["title", "slug", "description", "next_step"]
    search_help_text = _("A project's title, address name, description or next step, or a party's name or short name.")
    date_hierarchy = "next_step_due"
    # The page's count is the paginator's; the second count over the whole table is not worth its cost.
    show_full_result_count = False
    list_select_related = ["curator__person"]
    # Staff pick a curator among the people of their own organization (editable_choices).
    scoped_fields = ("curator",)
    autocomplete_fields = ["sectors", "origin_mission", "origin_meeting", "resulting_agreement", "curator"]
    readonly_fields = ["last_activity_at", "created_at"]
    inlines = [ProjectPartyInline, ProjectUpdateInline, ReminderInline]
    actions = [publish_selected, hide_selected]

    def search_word_q(self, word):
        """A word in the project's own columns, or in a party's name or short name.

        Two sets of keys: the projects whose columns match (an OR of the trigram indexes of
        agreements/0009, which PostgreSQL combines only in a query of its own) and those whose parties
        match (the organizations found first, companies/0020, then the parties by their indexed keys),
        instead of ORed LIKEs over a join of every project with its parties' organizations.
        """
        own = CooperationProject.objects.filter(
            Q(title__icontains=word)
            | Q(slug__icontains=word)
            | Q(description__icontains=word)
            | Q(next_step__icontains=word)
        )
        parties = ProjectParty.objects.filter(organization__in=organizations_named(word))
        return Q(pk__in=own.values("pk")) | Q(pk__in=parties.values("project"))

    def get_fieldsets(self, request, obj=None):
        follow_up = ["curator", "next_step", "next_step_due"]
        if obj is not None:
            follow_up += ["progress_note", "last_activity_at"]
        return [
            (None, {"fields": ["title", "slug", "stage", "description", "sectors", ("expected_value", "currency")]}),
            (_("Follow-up"), {"fields": follow_up}),
            (_("Origin and result"), {"fields": ["origin_mission", "origin_meeting", "resulting_agreement"]}),
            (_("Publication"), {"fields": ["is_public", "created_at"]}),
        ]

    def get_urls(self):
        opened = self.admin_site.admin_view(self.from_meeting_view)
        return [
            path("from-meeting/<int:meeting_id>/", opened, name="agreements_cooperationproject_from_meeting"),
            *super().get_urls(),
        ]

    def from_meeting_view(self, request, meeting_id):
        """POST: open the project of a meeting (project_from_meeting), then show it; a refusal goes
        back to the meeting's page with its reason."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        meeting = get_object_or_404(Meeting, pk=meeting_id)
        if not self.has_add_permission(request):
            raise PermissionDenied
        project = _open_project_from_meeting(self, request, meeting)
        if project is None:
            return redirect("admin:missions_meeting_change", meeting.pk)
        return redirect("admin:agreements_cooperationproject_change", project.pk)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "curator" and not request.user.is_superuser:
            kwargs["required"] = True  # a project without a curator would be no one's to edit
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        projects = visible_rows(self, request, projects_visible_to(request.user))
        return projects.prefetch_related(_parties_with_organizations(ProjectParty))

    @admin.display(description=_("parties"))
    def party_list(self, obj):
        return ", ".join(str(party.organization) for party in obj.parties.all())

    @admin.display(description=_("curator"), ordering="curator__person__last_name")
    def curator_name(self, obj) -> str:
        return user_display(obj.curator) or "—"

    def save_model(self, request, obj, form, change):
        """A change, progress (stage, next step, a note) with it, goes to project_update in one call."""
        if change:
            note = form.cleaned_data.get("progress_note") or ""
            project = project_update(
                project=obj, by=request.user, note=note, **self.form_values(form, changed_only=True)
            )
            self.adopt(obj, project)
        # A new project is opened in save_related, with the parties of the inline.

    def save_related(self, request, form, formsets, change):
        parties = next(formset for formset in formsets if formset.model is ProjectParty)
        if not change:
            rows = parties.save(commit=False)  # unsaved: project_create saves them
            project = project_create(
                parties=[(row.organization, row.role, row.contact) for row in rows],
                by=request.user,
                **self.form_values(form, changed_only=False),
            )
            parties.new_objects = list(project.parties.all())
            self.adopt(form.instance, project)
        # The service saved the project's sectors with it; the other inlines are rows of their own.
        for formset in formsets:
            if change or formset is not parties:
                self.save_formset(request, form, formset, change)


def _open_project_from_meeting(modeladmin, request, meeting) -> CooperationProject | None:
    """Open (or find) the meeting's project and say so; None, with the reason said, when refused."""
    try:
        project, opened = project_from_meeting(meeting=meeting, by=request.user)
    except PortalError as exc:
        modeladmin.message_user(request, " ".join(exc.messages), messages.ERROR)
        return None
    if opened:
        text = _("The cooperation project “%(project)s” was opened from the meeting %(meeting)s.")
    else:
        text = _("The meeting %(meeting)s already has its project: “%(project)s”.")
    level = messages.SUCCESS if opened else messages.INFO
    modeladmin.message_user(request, text % {"project": project, "meeting": meeting}, level)
    return project


@admin.action(description=_("Open cooperation projects from the selected meetings"), permissions=["change"])
def open_projects_from_meetings(modeladmin, request, queryset):
    """The meetings changelist's action (registered on the missions' meeting admin from here, as the
    missions app knows nothing of projects): one project per meeting, an existing one kept."""
    projects = [_open_project_from_meeting(modeladmin, request, meeting) for meeting in queryset.order_by("pk")]
    opened = [project for project in projects if project is not None]
    if len(projects) == 1 and opened:
        return redirect("admin:agreements_cooperationproject_change", opened[0].pk)
    return None


_meeting_admin = admin.site.get_model_admin(Meeting)
_meeting_admin.actions = [*_meeting_admin.actions, open_projects_from_meetings]


@admin.register(ProjectParty)
class ProjectPartyAdmin(RoleScopedAdmin, admin.ModelAdmin):
    list_display = ["organization", "role", "project"]
    list_filter = ["role"]
    search_fields = ["organization__name", "organization__short_name", "project__title"]
    list_select_related = ["organization", "project"]
    scoped_fields = ("project",)
    autocomplete_fields = ["project", "organization"]


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(RoleScopedAdmin, ServiceSaveMixin, admin.ModelAdmin):
    """The log of all projects. A new entry is recorded through project_record_progress; entries stay."""

    form = ProjectUpdateAdminForm
    list_display = ["project", "created_at", "author_name", "stage_from", "stage_to", "next_step", "next_step_due"]
    list_filter = ["stage_to"]
    search_fields = ["project__title", "text", "next_step"]
    date_hierarchy = "created_at"
    list_select_related = ["project", "author__person"]
    autocomplete_fields = ["project"]
    scoped_fields = ("project",)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["project", "text", "stage_to", "next_step", "next_step_due"]
        return ["project", "created_at", "author_name", "stage_from", "stage_to", "text", "next_step", "next_step_due"]

    def get_readonly_fields(self, request, obj=None):
        return ["author_name"] if obj is not None else []

    @admin.display(description=_("author"), ordering="author__person__last_name")
    def author_name(self, obj) -> str:
        return user_display(obj.author) or "—"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        project = project_record_progress(project=obj.project, by=request.user, **form.progress())
        # The service wrote the entry; the admin goes on (log, redirect) with that row.
        obj.pk = project.updates.values_list("pk", flat=True).first()
        obj.refresh_from_db()
        obj._state.adding = False
