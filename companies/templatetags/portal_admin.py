"""Template helpers of the portal's admin templates (templates/admin/)."""

from django import forms, template

register = template.Library()

DATE_WIDGETS = (forms.DateInput, forms.DateTimeInput, forms.TimeInput, forms.SplitDateTimeWidget)


def _has_date_widget(form) -> bool:
    # The admin wraps a foreign key's widget in RelatedFieldWidgetWrapper; a date's is its own.
    widgets = (getattr(field.widget, "widget", field.widget) for field in form.fields.values())
    return any(isinstance(widget, DATE_WIDGETS) for widget in widgets)


@register.simple_tag
def form_has_dates(adminform, inline_admin_formsets) -> bool:
    """Whether the change form or one of its inlines lets the user type a date or a time."""
    if adminform is not None and _has_date_widget(adminform.form):
        return True
    return any(_has_date_widget(inline.formset.empty_form) for inline in inline_admin_formsets or ())
