"""Forms of the personal area. None of them has a field naming an organization, a project or a meeting:
those come from the signed-in user and the URL, so a crafted hidden field has nothing to land in."""

from django import forms
from django.utils.translation import gettext_lazy as _

from companies.account_services import COOPERATION_ITEM_FIELDS, PROFILE_FIELDS
from companies.models import Need, Offer, Organization, Sector


def sectors_grouped() -> list[tuple[str, list[tuple[int, str]]]]:
    """Sector choices grouped by their top-level sector: the top level first in its group, then its
    subsectors (a deeper one named with its path), each group and its rows in alphabetical order."""
    sectors = list(Sector.objects.order_by("name"))
    by_pk = {sector.pk: sector for sector in sectors}

    def path(sector) -> list:
        chain = [sector]
        while chain[-1].parent_id is not None and chain[-1].parent_id in by_pk and len(chain) < 10:
            chain.append(by_pk[chain[-1].parent_id])
        return chain[::-1]

    groups: dict[int, list[tuple[int, str]]] = {}
    for sector in sectors:
        chain = path(sector)
        label = (
            _("%(sector)s (as a whole)") % {"sector": sector.name}
            if len(chain) == 1
            else " — ".join(s.name for s in chain[1:])
        )
        groups.setdefault(chain[0].pk, []).append((len(chain) > 1, label, sector.pk))
    return [
        (by_pk[root].name, [(pk, label) for _is_sub, label, pk in sorted(rows)])
        for root, rows in sorted(groups.items(), key=lambda item: by_pk[item[0]].name)
    ]


class ProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organization
        fields = PROFILE_FIELDS
        widgets = {"sectors": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sectors"].choices = sectors_grouped()

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
