"""The forms of the review page: the release to read, then each item of its draft, editable.

Between the two steps the draft travels signed (django.core.signing) in a hidden field: what the
page proposed comes back unchanged or not at all. What the staff member chooses (a region, an
existing organization, person, place or mission) is checked again by the form fields and the
confirm service, never trusted because the page offered it.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminDateWidget, AutocompleteSelect
from django.core import signing
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement
from companies.dates import DatePrecision
from companies.models import Currency, Organization, Person, Place
from missions.models import DelegationMember, Mission, ProgramItem, ReportedFigure

from .draft import (
    AgreementItem,
    CityItem,
    DateItem,
    Draft,
    FigureItem,
    OrganizationItem,
    PersonItem,
    ProgrammeItem,
    RegionItem,
    Span,
)
from .upload import RELEASE_MAX_CHARS, release_text_check, release_text_from_upload

SIGNING_SALT = "releases.review.draft"
SIGNED_MAX_AGE = 24 * 3600  # a review left open overnight is read again


# --- The draft, signed between the steps ------------------------------------------------------------

ITEM_TYPES = {
    "origin_regions": RegionItem,
    "destination_regions": RegionItem,
    "cities": CityItem,
    "organizations": OrganizationItem,
    "people": PersonItem,
    "dates": DateItem,
    "figures": FigureItem,
    "agreements": AgreementItem,
    "programme": ProgrammeItem,
}


def draft_from_dict(data: dict) -> Draft:
    """A Draft from its `as_dict()` (the signed hidden field, or an API client's JSON)."""
    values = {}
    for name, item_type in ITEM_TYPES.items():
        items = []
        for item in data.get(name, []):
            item = dict(item)
            item["spans"] = [Span(**span) for span in item.get("spans", [])]
            if item_type is FigureItem:
                item["number"] = Decimal(item["number"])
            items.append(item_type(**item))
        values[name] = items
    published = data.get("published")
    return Draft(
        text=data["text"],
        published=datetime.date.fromisoformat(published) if published else None,
        title=data.get("title", ""),
        head_of_delegation=data.get("head_of_delegation"),
        mission_id=data.get("mission_id"),
        **values,
    )


def draft_sign(draft: Draft) -> str:
    return signing.dumps(draft.as_dict(), salt=SIGNING_SALT, compress=True)


def draft_unsign(value: str) -> Draft | None:
    """The signed draft, or None when the value was altered or is older than a day."""
    try:
        return draft_from_dict(signing.loads(value, salt=SIGNING_SALT, max_age=SIGNED_MAX_AGE))
    except (signing.BadSignature, KeyError, TypeError, ValueError, InvalidOperation, json.JSONDecodeError):
        return None


# --- Step 1: the release ---------------------------------------------------------------------------


class ReleaseForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the release"),
        required=False,
        max_length=RELEASE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "class": "release-text-input"}),
        help_text=_("Paste the release as it was published, or upload its file below."),
    )
    file = forms.FileField(
        label=_("or a file"),
        required=False,
        help_text=_("A text file (.txt, UTF-8 or Windows-1251) or a Word document (.docx)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.docx"}),
    )
    published = forms.DateField(
        label=_("Published on"),
        required=False,
        widget=AdminDateWidget,
        help_text=_("Gives the year to dates the release names without one."),
    )
    title = forms.CharField(label=_("Headline"), required=False, max_length=500)
    url = forms.URLField(label=_("Address of the release"), required=False, max_length=500, assume_scheme="https")
    outlet = forms.CharField(label=_("Outlet"), required=False, max_length=200)

    def clean(self):
        cleaned = super().clean()
        upload, text = cleaned.get("file"), cleaned.get("text") or ""
        try:
            cleaned["text"] = release_text_from_upload(upload) if upload else release_text_check(text)
        except forms.ValidationError as refusal:
            self.add_error("file" if upload else "text", refusal)
        return cleaned


# --- Step 2: the review ----------------------------------------------------------------------------


class KnownAutocompleteSelect(AutocompleteSelect):
    """The admin's autocomplete widget whose chosen row's label comes from `labels`, read for all
    rows of the page at once, instead of one query for each row's widget."""

    def __init__(self, field, admin_site, labels: dict, **kwargs):
        super().__init__(field, admin_site, **kwargs)
        self.labels = labels

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if str(v) not in ("", "None")]
        if not all(v in self.labels for v in chosen):
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for v in chosen:
            options.append(self.create_option(name, v, self.labels[v], True, len(options)))
        return [(None, options, 0)]


def _autocomplete(model_field, labels):
    return KnownAutocompleteSelect(model_field, admin.site, labels, attrs={"data-width": "100%"})


class ItemForm(forms.Form):
    """One item of the draft: kept (accepted or changed) or dropped."""

    keep = forms.BooleanField(label=_("keep"), required=False, initial=True)

    def __init__(self, *args, choices=None, labels=None, **kwargs):
        self.choices = choices or {}
        self.labels = labels or {}
        super().__init__(*args, **kwargs)


def _region_field(choices, label, required=False):
    return forms.TypedChoiceField(label=label, choices=choices, coerce=int, required=required, empty_value=None)


class RegionForm(ItemForm):
    name = forms.CharField(
        label=_("name of a new region"),
        max_length=200,
        required=False,
        help_text=_("For a region of a foreign country the directory does not have yet."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(self.choices["regions"], _("region of the directory"))
        self.fields["country"] = _region_field(self.choices["countries"], _("its country"))

    def clean(self):
        cleaned = super().clean()
        new_region = cleaned.get("country") and (cleaned.get("name") or "").strip()
        if cleaned.get("keep") and not cleaned.get("region") and not new_region:
            self.add_error(
                "region",
                _(
                    "Choose the region from the directory, or name a new region of a foreign country and "
                    "its country, or drop the row."
                ),
            )
        return cleaned


class CityForm(ItemForm):
    name = forms.CharField(label=_("city"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(self.choices["regions"], _("region"))
        self.fields["place"] = forms.ModelChoiceField(
            label=_("city of the directory"),
            queryset=Place.objects.all(),
            required=False,
            widget=_autocomplete(ProgramItem._meta.get_field("place"), self.labels.get("places", {})),
            help_text=_("Empty: a new city."),
        )


class OrganizationForm(ItemForm):
    name = forms.CharField(label=_("name"), max_length=300)
    kind = forms.ChoiceField(label=_("kind"), choices=Organization.Kind.choices)
    legal_form = forms.ChoiceField(
        label=_("legal form"), choices=[("", "—"), *Organization.LegalForm.choices], required=False
    )
    in_delegation = forms.BooleanField(label=_("in the delegation"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = _region_field(self.choices["regions"], _("region"))
        self.fields["organization"] = forms.ModelChoiceField(
            label=_("organization of the directory"),
            queryset=Organization.objects.all(),
            required=False,
            widget=_autocomplete(
                DelegationMember._meta.get_field("organization"), self.labels.get("organizations", {})
            ),
            help_text=_("Empty: a new organization."),
        )


class PersonForm(ItemForm):
    name = forms.CharField(label=_("name"), max_length=300)
    position = forms.CharField(label=_("position"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = forms.ChoiceField(
            label=_("organization"), choices=[("", "—"), *self.choices["organizations"]], required=False
        )
        self.fields["person"] = forms.ModelChoiceField(
            label=_("person of the directory"),
            queryset=Person.objects.all(),
            required=False,
            widget=_autocomplete(DelegationMember._meta.get_field("person"), self.labels.get("people", {})),
            help_text=_("Empty: a new person."),
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and not cleaned.get("person") and not cleaned.get("organization"):
            self.add_error("organization", _("Choose the person's organization, or a person of the directory."))
        return cleaned


class FigureForm(ItemForm):
    text = forms.CharField(widget=forms.HiddenInput, required=False)
    metric = forms.ChoiceField(
        label=_("metric"),
        choices=[("", _("— not recorded —")), *ReportedFigure.Metric.choices],
        required=False,
        help_text=_("A figure without a metric is not recorded."),
    )
    qualifier = forms.ChoiceField(label=_("qualifier"), choices=ReportedFigure.Qualifier.choices)
    number = forms.DecimalField(label=_("figure"), min_value=0, max_digits=18, decimal_places=2)
    currency = forms.ChoiceField(label=_("currency"), choices=[("", "—"), *Currency.choices], required=False)


class AgreementForm(ItemForm):
    title = forms.CharField(label=_("title"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *Agreement.Kind.choices], required=False)
    signed = forms.BooleanField(label=_("signed"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"] = forms.MultipleChoiceField(
            label=_("parties"),
            choices=self.choices["parties"],
            required=False,
            widget=forms.CheckboxSelectMultiple,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and not cleaned.get("kind"):
            self.add_error("kind", _("Choose the kind of the agreement."))
        if cleaned.get("keep") and len(cleaned.get("parties") or []) < 2:
            self.add_error("parties", _("An agreement has at least two parties: choose them."))
        return cleaned


class ProgrammeForm(ItemForm):
    kind = forms.ChoiceField(label=_("kind"), choices=ProgramItem.Kind.choices)
    title = forms.CharField(label=_("title"), max_length=300)
    date = forms.DateField(label=_("date"), required=False, widget=AdminDateWidget)


class MissionForm(forms.Form):
    """The mission: a new one, or an existing one the release adds to; its title and dates."""

    NEW = "new"
    target = forms.ChoiceField(label=_("The release is about"), widget=forms.RadioSelect)
    other_mission = forms.ModelChoiceField(
        label=_("another existing mission"),
        queryset=Mission.objects.all(),
        required=False,
        help_text=_("Only missions your ministry keeps can be chosen."),
    )
    title = forms.CharField(label=_("title of the mission"), max_length=300)
    start_date = forms.DateField(label=_("start date"), required=False, widget=AdminDateWidget)
    end_date = forms.DateField(label=_("end date"), required=False, widget=AdminDateWidget)
    dates_precision = forms.ChoiceField(label=_("dates known to"), choices=DatePrecision.choices)
    head_of_delegation = forms.ChoiceField(label=_("head of delegation"), required=False)
    source_title = forms.CharField(label=_("headline of the release"), max_length=500)
    source_outlet = forms.CharField(label=_("outlet"), max_length=200, required=False)
    source_url = forms.URLField(
        label=_("address of the release"), max_length=500, required=False, assume_scheme="https"
    )

    def __init__(self, *args, missions=(), people=(), other_widget=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (self.NEW, _("a new mission")),
            *[(str(m.pk), m.title + (f" ({m.start_date_as_given})" if m.start_date else "")) for m in missions],
            ("other", _("another existing mission, chosen below")),
        ]
        self.fields["head_of_delegation"].choices = [("", "—"), *[(name, name) for name in people]]
        if other_widget is not None:
            self.fields["other_mission"].widget = other_widget

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == "other" and not cleaned.get("other_mission"):
            self.add_error("other_mission", _("Choose the mission the release adds to."))
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned

    def mission_id(self) -> int | None:
        target = self.cleaned_data["target"]
        if target == self.NEW:
            return None
        if target == "other":
            return self.cleaned_data["other_mission"].pk
        return int(target)


FORMS = {
    "origin_regions": RegionForm,
    "destination_regions": RegionForm,
    "cities": CityForm,
    "organizations": OrganizationForm,
    "people": PersonForm,
    "agreements": AgreementForm,
    "programme": ProgrammeForm,
    "figures": FigureForm,
}
