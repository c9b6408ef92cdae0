"""Forms of the staff admin for agreements and projects: the services' rules shown as form errors."""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from companies.admin_forms import SlugFromTitleForm, add_error_to_form
from companies.exceptions import PortalError

from .documents import ACCEPT, ALLOWED, max_bytes
from .models import Agreement, ProjectUpdate
from .services.agreements import (
    agreement_check_replacement,
    agreement_check_status_change,
    plan_item_check_status_change,
    plan_item_completion_date,
)
from .services.projects import project_check_origin, project_check_progress

# Each form's `error_fields` names the field a refusal of the services belongs to, by its code; the
# others go to the top of the form. The admin reads them too, for a refusal while saving.


class PlanItemAdminForm(forms.ModelForm):
    """One form for the plan item page and the plan inline of an agreement.

    Only the item's own fields are checked here: an inline row of a new agreement has no agreement yet.
    """

    error_fields = {"bad_transition": "status", "future_completion": "completed_on"}

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        if status and "status" in self.changed_data:
            try:
                plan_item_check_status_change(item=self.instance, status=status)
            except PortalError as exc:
                add_error_to_form(self, exc, self.error_fields.get(exc.code))
        if status and (not self.instance.pk or {"status", "completed_on"} & set(self.changed_data)):
            # Show now the completion date plan_item_update will store, or its refusal.
            try:
                cleaned_data["completed_on"] = plan_item_completion_date(
                    status=status, completed_on=cleaned_data.get("completed_on")
                )
            except PortalError as exc:
                add_error_to_form(self, exc, self.error_fields.get(exc.code))
        return cleaned_data


@dataclass
class _StoredDocument:
    """What the file widget shows for a stored document: its original name, linked to the document view."""

    url: str
    name: str

    def __str__(self) -> str:
        return self.name


class DocumentWidget(AdminFileWidget):
    """The admin's file input, showing a stored document by the name it was uploaded with."""

    display_name = ""

    def format_value(self, value):
        if value and getattr(value, "_committed", False) and self.display_name:
            return _StoredDocument(value.url, self.display_name)
        return super().format_value(value)


class AgreementAdminForm(SlugFromTitleForm):
    """Signing and termination are status changes: checked here, made by agreement_update with the rest."""

    error_fields = {
        "bad_transition": "status",
        "not_draft": "status",
        "few_parties": "status",
        "no_reason": "termination_reason",
        "future_signing": "signed_on",
        "replaces_itself": "supersedes",
        "replaces_draft": "supersedes",
        "replaces_terminated": "supersedes",
        "already_replaced": "supersedes",
        "replacement_loop": "supersedes",
        "replacement_earlier": "supersedes",
        "replacement_changed": "supersedes",
        "replaced_not_yours": "supersedes",
    }

    termination_reason = forms.CharField(
        label=_("reason for termination"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you set the status to “terminated”."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "document" in self.fields:
            field = self.fields["document"]
            field.widget = DocumentWidget(attrs={"accept": ACCEPT})
            field.help_text = _("%(allowed)s, up to %(limit)s; the content is checked, not only the name.") % {
                "allowed": ALLOWED,
                "limit": filesizeformat(max_bytes()),
            }
            field.widget.display_name = self.instance.document_name

    def clean(self):
        cleaned_data = super().clean()
        status = cleaned_data.get("status")
        # self.instance still holds the saved agreement (a new one is a draft): the form is applied after clean().
        if status and status != self.instance.status:
            try:
                agreement_check_status_change(
                    agreement=self.instance,
                    status=status,
                    signed_on=cleaned_data.get("signed_on"),
                    reason=cleaned_data.get("termination_reason") or "",
                )
            except ValidationError as exc:
                add_error_to_form(self, exc, self.error_fields.get(getattr(exc, "code", None)))
        replaced = cleaned_data.get("supersedes")
        if replaced is not None and "supersedes" in self.changed_data and "signed_on" not in self.errors:
            # The agreement as it will be: its new signing date set beside the one it replaces.
            after = Agreement(**{f.attname: getattr(self.instance, f.attname) for f in Agreement._meta.concrete_fields})
            after.signed_on = cleaned_data.get("signed_on")
            after.signed_on_precision = cleaned_data.get("signed_on_precision") or after.signed_on_precision
            try:
                agreement_check_replacement(agreement=after, replaced=replaced)
            except ValidationError as exc:
                add_error_to_form(self, exc, self.error_fields.get(getattr(exc, "code", None)))
        return cleaned_data


class CooperationProjectAdminForm(SlugFromTitleForm):
    PROGRESS_FIELDS = ("stage", "next_step", "next_step_due")
    error_fields = {
        "bad_transition": "stage",
        "closed": "stage",
        "due_in_past": "next_step_due",
        "meeting_mission_mismatch": "origin_meeting",
    }

    progress_note = forms.CharField(
        label=_("progress note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded as a project update, together with any change of stage or next step."),
    )

    def progress(self) -> dict:
        """The progress of an existing project project_update records: changed fields and a note."""
        if not self.instance.pk:
            return {}
        changes = {name: self.cleaned_data.get(name) for name in self.PROGRESS_FIELDS if name in self.changed_data}
        note = (self.cleaned_data.get("progress_note") or "").strip()
        return {**changes, "note": note} if changes or note else {}

    def clean(self):
        cleaned_data = super().clean()
        progress = self.progress()
        # self.instance still holds the saved project here: the ModelForm applies the form after clean().
        if progress and not any(name in self.errors for name in self.PROGRESS_FIELDS):
            try:
                project_check_progress(project=self.instance, **progress)
            except ValidationError as exc:
                add_error_to_form(self, exc, self.error_fields.get(getattr(exc, "code", None)))
        origin = ("origin_mission", "origin_meeting")
        if (not self.instance.pk or set(origin) & set(self.changed_data)) and not set(origin) & set(self.errors):
            try:
                project_check_origin(
                    origin_mission=cleaned_data.get("origin_mission"), origin_meeting=cleaned_data.get("origin_meeting")
                )
            except ValidationError as exc:
                add_error_to_form(self, exc, self.error_fields.get(getattr(exc, "code", None)))
        return cleaned_data


class ProjectUpdateAdminForm(forms.ModelForm):
    """A note on a project from the updates page; empty fields leave the project as it is."""

    error_fields = {"bad_transition": "stage_to", "closed": "stage_to", "due_in_past": "next_step_due"}

    class Meta:
        model = ProjectUpdate
        fields = ["project", "text", "stage_to", "next_step", "next_step_due"]

    def progress(self) -> dict:
        cleaned_data = self.cleaned_data
        progress = {"note": cleaned_data.get("text") or "", "stage": cleaned_data.get("stage_to") or None}
        if cleaned_data.get("next_step"):
            progress["next_step"] = cleaned_data["next_step"]
        if cleaned_data.get("next_step_due"):
            progress["next_step_due"] = cleaned_data["next_step_due"]
        return progress

    def clean(self):
        cleaned_data = super().clean()
        project = cleaned_data.get("project")
        if project is not None:
            try:
                project_check_progress(project=project, **self.progress())
            except ValidationError as exc:
                add_error_to_form(self, exc, self.error_fields.get(getattr(exc, "code", None)))
        return cleaned_data


class ProjectPartyFormSet(BaseInlineFormSet):
    """A project is between at least two different organizations (as in project_create)."""

    def clean(self):
        super().clean()
        if any(self.errors) or not (self.instance._state.adding or self.has_changed()):
            return
        organizations = {
            form.cleaned_data["organization"].pk
            for form in self.forms
            if form.cleaned_data.get("organization") and not self._should_delete_form(form)
        }
        if len(organizations) < 2:
            raise ValidationError(
                _("A cooperation project needs at least two different organizations."), code="few_parties"
            )


class AgreementPartyFormSet(BaseInlineFormSet):
    """Staff keep their own organization among the parties of an agreement they create or change.

    `required_organization` is set per request by the inline (None for a superuser).
    """

    required_organization = None

    def clean(self):
        super().clean()
        if self.required_organization is None or any(self.errors):
            return
        organizations = {
            form.cleaned_data["organization"].pk
            for form in self.forms
            if form.cleaned_data.get("organization") and not self._should_delete_form(form)
        }
        if self.required_organization.pk not in organizations:
            raise ValidationError(
                _("Your organization, %(organization)s, must be one of the parties."),
                code="own_party_missing",
                params={"organization": self.required_organization},
            )
