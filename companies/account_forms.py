"""Forms of the personal area. None of them has a field naming an organization, a project or a meeting:
those come from the signed-in user and the URL, so a crafted hidden field has nothing to land in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from agreements.models import CooperationProject

from .account_services import COOPERATION_ITEM_FIELDS, PROFILE_FIELDS
from .models import Need, Offer, Organization


class ProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = PROFILE_FIELDS
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def _post_clean(self):
        # The service validates the whole row; the form only checks the shape of what was typed.
        pass


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = COOPERATION_ITEM_FIELDS

    def _post_clean(self):
        pass


class NeedForm(OfferForm):
    class Meta(OfferForm.Meta):
        model = Need


class ApplicationForm(forms.Form):
    note = forms.CharField(
        label=_("Note for the organizers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who will travel and what your company hopes to find."),
    )


class ProjectUpdateForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"))
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_due = forms.DateField(
        label=_("Next step due"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, project: CooperationProject, **kwargs):
        kwargs.setdefault(
            "initial",
            {"stage": project.stage, "next_step": project.next_step, "next_step_due": project.next_step_due},
        )
        super().__init__(*args, **kwargs)
        self.project = project
        allowed = {project.stage} | set(project.TRANSITIONS.get(project.stage, set()))
        self.fields["stage"].choices = [
            (value, label) for value, label in CooperationProject.Stage.choices if value in allowed
        ]
