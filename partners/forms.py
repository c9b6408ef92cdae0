"""Forms of the meeting requests' pages. The requesting organization never comes from the form: it
is the signed-in user's; the invitee is chosen among the mission's participants only."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from missions.models import ProgramItem

from .models import MeetingRequest


class ParticipantChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} — {obj.region}"


class MeetingRequestForm(forms.Form):
    invitee = ParticipantChoiceField(label=_("Whom to meet"), queryset=None, empty_label=_("— choose —"))
    topic = forms.CharField(label=_("Topic"), max_length=MeetingRequest._meta.get_field("topic").max_length, strip=True)
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you offer or look for. Your contacts are disclosed only once the request is accepted."),
    )

    def __init__(self, *args, participants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["invitee"].queryset = participants


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=MeetingRequest._meta.get_field("decline_reason").max_length,
    )


class MeetingTimeForm(forms.Form):
    """The staff's time and table of a requested meeting (the admin's schedule and move pages)."""

    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}))
    table = forms.CharField(label=_("Table"), max_length=20, required=False)
    program_item = forms.ModelChoiceField(label=_("B2B session"), queryset=ProgramItem.objects.none(), required=False)

    def __init__(self, *args, mission, with_program_item=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_program_item:
            self.fields["program_item"].queryset = ProgramItem.objects.filter(mission=mission).order_by(
                "starts_at", "pk"
            )
        else:
            del self.fields["program_item"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if (
            start
            and end
            and datetime.datetime.combine(datetime.date.min, end) <= datetime.datetime.combine(datetime.date.min, start)
        ):
            self.add_error("end_time", _("The meeting ends after it starts."))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)
