"""Forms of the personal area. None of them has a field naming an organization, a project or a meeting:
those come from the signed-in user and the URL, so a crafted hidden field has nothing to land in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.account_services import COOPERATION_ITEM_FIELDS, PROFILE_FIELDS
from companies.models import Need, Offer, Organization


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
