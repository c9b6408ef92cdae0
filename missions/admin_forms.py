"""Forms of the staff admin for missions: the services' rules shown as form errors.

On the add page a mission's rows (delegation, programme, meetings) are validated before the mission
exists: their forms check only what they can without it, and the rules that need the mission run in
the services when the admin saves the rows; a refusal then comes back on its row
(companies.admin_base.ServiceSaveMixin).
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from companies.admin_forms import SlugFromTitleForm, add_error_to_form
from companies.exceptions import PortalError

from .models import ProgramItem
from .services.delegation import delegation_check
from .services.missions import (
    mission_check_destinations,
    mission_check_places,
    mission_check_recording,
    mission_check_status_change,
)
from .services.schedule import local_times_apply, meeting_check, program_item_check


class MissionAdminForm(SlugFromTitleForm):
    """Destinations, places, the recording ministry and status changes checked by the services' rules
    before anything is saved."""

    # The field each refusal of the services belongs to; the others go to the top of the form.
    error_fields = {
        "no_destination": "destination_regions",
        "origin_is_destination": "destination_regions",
        "recorder_not_party": "recorded_by",
        "place_outside_route": "places",
        "bad_transition": "status",
        "no_dates": "status",
    }

    def _check(self, rule, **kwargs) -> None:
        try:
            rule(**kwargs)
        except PortalError as exc:
            add_error_to_form(self, exc, self.error_fields.get(exc.code))

    def clean(self):
        cleaned_data = super().clean()
        origin, destinations = cleaned_data.get("origin_region"), cleaned_data.get("destination_regions")
        # As the service does: the rules of the route are checked when the route or what they read changes.
        changed = set(self.changed_data) if self.instance.pk else None
        route_changed = changed is None or bool({"origin_region", "destination_regions"} & changed)
        if destinations is not None:
            self._check(mission_check_destinations, origin=origin, destinations=destinations)
            if route_changed or "recorded_by" in changed:
                self._check(
                    mission_check_recording,
                    recorded_by=cleaned_data.get("recorded_by"),
                    origin=origin,
                    destinations=destinations,
                )
            if cleaned_data.get("places") is not None and (route_changed or "places" in changed):
                self._check(
                    mission_check_places,
                    origin=origin,
                    destinations=destinations,
                    places=cleaned_data["places"].select_related("region"),
                )
        status = cleaned_data.get("status")
        if self.instance.pk and status and "status" in self.changed_data:
            # The instance still holds the saved mission: the ModelForm applies the form after clean().
            self._check(
                mission_check_status_change,
                mission=self.instance,
                status=status,
                start_date=cleaned_data.get("start_date"),
            )
        return cleaned_data


def _mission_saved(row) -> bool:
    """Does the row's mission exist yet (a change page, not the add page of the mission)?"""
    return bool(row.mission_id) or bool(getattr(row, "mission", None) and row.mission.pk)


class DelegationMemberAdminForm(forms.ModelForm):
    """A new or changed membership is checked by the service's rule (no changes to a cancelled
    mission) once its mission exists; on the mission's add page, when the admin saves it."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors or not self.has_changed() or not _mission_saved(self.instance):
            return
        try:
            delegation_check(self.instance)
        except ValidationError as exc:
            add_error_to_form(self, exc)


class LocalTimesForm(forms.ModelForm):
    """A day and, if known, clock times, read in the row's venue time zone (`venue_zone`).

    The model's starts_at and ends_at are not on the form: they are made from `date`, `start_time`
    and `end_time` (services.local_times_apply), for a new mission's rows once it is saved.
    """

    start_time = forms.TimeField(
        label=_("start time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"size": 5, "placeholder": _("HH:MM")}),
        help_text=_("Local time at the venue: its city's time zone, else the mission's first destination's."),
    )
    end_time = forms.TimeField(
        label=_("end time"),
        required=False,
        widget=forms.TimeInput(format="%H:%M", attrs={"size": 5, "placeholder": _("HH:MM")}),
    )

    # Where a rule's refusal about the start or end shows (the model fields are not on the form).
    error_fields = {"starts_at": "start_time", "ends_at": "end_time"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "table" in self.fields:
            self.fields["table"].widget.attrs["size"] = 6
        row = self.instance
        if row.pk and (row.starts_at or row.ends_at):
            zone = row.venue_zone
            if row.starts_at:
                self.initial.setdefault("start_time", row.starts_at.astimezone(zone).time())
            if row.ends_at:
                self.initial.setdefault("end_time", row.ends_at.astimezone(zone).time())

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("start_time"), cleaned_data.get("end_time")
        if (start or end) and not cleaned_data.get("date") and "date" not in self.errors:
            self.add_error("date", _("Enter the date of the time given."))
        if end and not start and "start_time" not in self.errors:
            self.add_error("start_time", _("Enter the start time too, or leave both times empty."))
        return cleaned_data

    @property
    def times(self) -> dict:
        return {"start_time": self.cleaned_data.get("start_time"), "end_time": self.cleaned_data.get("end_time")}

    def add_error(self, field, error):
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = {self.error_fields.get(name, name): errors for name, errors in error.error_dict.items()}
            error = {name if name in self.fields else None: errors for name, errors in error.items()}
            if None in error:
                super().add_error(None, error.pop(None))
            if not error:
                return
        elif field in self.error_fields:
            field = self.error_fields[field]
        super().add_error(field, error)

    def _post_clean(self):
        # The model's row rules (an end after the start, a date with a time) read the times: they are
        # set here in UTC, then in the venue's zone once the mission exists (the order of two times
        # of one day does not depend on the zone).
        day, times = self.cleaned_data.get("date"), self.times
        self.instance.starts_at = self.instance.ends_at = None
        if day and times["start_time"]:
            self.instance.starts_at = datetime.datetime.combine(day, times["start_time"], tzinfo=datetime.UTC)
        if day and times["end_time"]:
            self.instance.ends_at = datetime.datetime.combine(day, times["end_time"], tzinfo=datetime.UTC)
        super()._post_clean()
        if self.errors or (self.instance.pk and not self.has_changed()) or not _mission_saved(self.instance):
            return
        local_times_apply(self.instance, **times)
        try:
            self.check_row(self.instance)
        except ValidationError as exc:
            self.add_error(None, exc)

    def check_row(self, row) -> None:
        raise NotImplementedError


class ProgramItemAdminForm(LocalTimesForm):
    def check_row(self, row) -> None:
        program_item_check(row)


class MeetingAdminForm(LocalTimesForm):
    """One form for the meeting page and the meetings inline of a mission."""

    # Done in _post_clean rather than clean() so the row rules are not reported twice: the
    # ModelForm builds the unsaved meeting from cleaned_data and checks the row rules of its own
    # fields; then the service checks the rest (programme, time slot, table, fields not shown).
    def check_row(self, row) -> None:
        meeting_check(row)


class MeetingInlineFormSet(BaseInlineFormSet):
    """Offers only the programme items of the mission being edited."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "program_item" in form.fields:
            form.fields["program_item"].queryset = ProgramItem.objects.filter(mission=self.instance.pk)
