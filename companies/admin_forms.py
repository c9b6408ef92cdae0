"""Forms of the staff admin for the directory, and the helpers the other apps' admin forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .account_services import look_alike_errors
from .services import unique_slug


def add_error_to_form(form: forms.BaseForm, error: ValidationError, field: str | None = None) -> None:
    """Show a refusal of a service or a model on the form, on `field` or on the field it names.

    Errors about fields the form does not show go to the top of the form instead of raising.
    """
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    form.add_error(field if field in form.fields else None, error)


# The admin forms below name no model or fields: the ModelAdmin using one supplies both.


class SlugFromTitleForm(forms.ModelForm):
    """A slug left empty is made from the first filled of `slug_sources`, so fast entry can skip it."""

    slug_sources: tuple[str, ...] = ("title",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("Leave empty to make one from the name.")

    def clean(self):
        cleaned_data = super().clean()
        source = next((cleaned_data[name] for name in self.slug_sources if cleaned_data.get(name)), "")
        if "slug" in self.fields and not cleaned_data.get("slug") and source:
            max_length = self._meta.model._meta.get_field("slug").max_length
            cleaned_data["slug"] = unique_slug(
                self._meta.model, source, max_length=max_length, exclude_pk=self.instance.pk
            )
        return cleaned_data


class NamedAdminForm(SlugFromTitleForm):
    """Regions, sectors, spheres: the slug is made from the English name, else the Russian one."""

    slug_sources = ("name_en", "name")


class OrganizationAdminForm(SlugFromTitleForm):
    """Staff may not enter a second organization that looks the same as one of its region (the unique
    name in a region, extended to look-alikes: "Aвиастар" with a Latin "A" beside "Авиастар"). The
    same name in another region stays allowed: a ministry of industry in every region, a company's
    branch. Companies' own renames are checked against every region (companies.account_services)."""

    slug_sources = ("short_name", "name")

    def clean(self):
        cleaned_data = super().clean()
        region = cleaned_data.get("region")
        if region is not None:
            # A name left as it was (or a region left as it was) is not compared again.
            changed = set(self.changed_data)
            names = {
                field: cleaned_data.get(field) or ""
                for field in ("name", "short_name")
                if not self.instance.pk or field in changed or "region" in changed
            }
            for field, errors in look_alike_errors(values=names, exclude_pk=self.instance.pk, region=region).items():
                self.add_error(field, errors)
        return cleaned_data
