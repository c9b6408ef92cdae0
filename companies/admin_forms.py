"""Forms of the staff admin for the directory, and the helpers the other apps' admin forms share."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

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
    slug_sources = ("short_name", "name")


class ServiceSaveMixin:
    """For a ModelAdmin whose save calls the services: a refusal while saving shows on the form.

    The forms check the services' rules first; what they cannot see (two rows of one submission that
    clash, a row another user changed meanwhile) the service refuses while saving. The admin saves in
    one transaction, so the refusal undoes the whole submission; the page comes back with the user's
    input and the refusal on the form, on the field `refusal_fields` names for its code.
    """

    refusal_fields: dict[str, str] = {}

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as refusal:
            if request.method != "POST" or hasattr(request, "_save_refused"):
                raise
            request._save_refused = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_save_refused", None)
        if refusal is None:
            return form
        field = self.refusal_fields.get(getattr(refusal, "code", None))

        class RefusedForm(form):
            def clean(self):
                cleaned_data = super().clean()
                add_error_to_form(self, refusal, field)
                return cleaned_data

        return RefusedForm

    @staticmethod
    def form_values(form, *, changed_only: bool) -> dict:
        """The cleaned values of the form's model fields: all of them, or those the user changed."""
        fields = {
            field.name: field
            for field in form._meta.model._meta.get_fields()
            if (field.concrete or field.many_to_many) and not field.auto_created
        }
        names = form.changed_data if changed_only else list(form.cleaned_data)
        values = {name: form.cleaned_data[name] for name in names if name in fields}
        for name, value in values.items():
            if value is False and isinstance(fields[name], models.FileField):
                values[name] = ""  # the "clear" box of a file input
        return values

    @staticmethod
    def adopt(obj, saved) -> None:
        """Make the admin's object the row a service saved, so the inlines, the log and the redirect use it."""
        obj.__dict__.update(saved.__dict__)
