"""Forms of the staff admin for missions: the services' rules shown as form errors."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from companies.admin_forms import SlugFromTitleForm, add_error_to_form
from companies.exceptions import PortalError

from .models import ProgramItem
from .services import delegation_check, meeting_check, mission_check_destinations, mission_check_status_change


class MissionAdminForm(SlugFromTitleForm):
    """Destinations and status changes checked by the services' rules before anything is saved."""

    # The field each refusal of the services belongs to; the others go to the top of the form.
    error_fields = {
        "no_destination": "destination_regions",
        "origin_is_destination": "destination_regions",
        "bad_transition": "status",
        "no_dates": "status",
    }

    def clean(self):
        cleaned_data = super().clean()
        destinations = cleaned_data.get("destination_regions")
        if destinations is not None:
            try:
                mission_check_destinations(origin=cleaned_data.get("origin_region"), destinations=destinations)
            except PortalError as exc:
                add_error_to_form(self, exc, self.error_fields.get(exc.code))
        status = cleaned_data.get("status")
        if self.instance.pk and status and "status" in self.changed_data:
            try:
                # The instance still holds the saved mission: the ModelForm applies the form after clean().
                mission_check_status_change(
                    mission=self.instance, status=status, start_date=cleaned_data.get("start_date")
                )
            except PortalError as exc:
                add_error_to_form(self, exc, self.error_fields.get(exc.code))
        return cleaned_data


class DelegationMemberAdminForm(forms.ModelForm):
    """A new or changed membership is checked by the service's rule (no changes to a cancelled mission)."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.has_changed():
            return
        try:
            delegation_check(self.instance)
        except ValidationError as exc:
            add_error_to_form(self, exc)


class MeetingAdminForm(forms.ModelForm):
    """One form for the meeting page and the meetings inline of a mission."""

    def _post_clean(self):
        # The ModelForm builds the unsaved meeting from cleaned_data and checks the row rules of its
        # own fields; then the service checks the rest (programme, time slot, fields not shown) on it.
        # Done here rather than in clean() so the row rules are not reported twice.
        super()._post_clean()
        if self.errors or (self.instance.pk and not self.has_changed()):
            return
        try:
            meeting_check(self.instance)
        except ValidationError as exc:
            add_error_to_form(self, exc)


class MeetingInlineFormSet(BaseInlineFormSet):
    """Offers only the programme items of the mission being edited."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "program_item" in form.fields:
            form.fields["program_item"].queryset = ProgramItem.objects.filter(mission=self.instance.pk)
