"""Form fields of the directory pages: the search box and the two-level sector picker."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, F, IntegerField, When
from django.db.models.functions import Coalesce

from .models import Sector
from .search import MAX_QUERY_LENGTH, normalize_query


class SearchQueryField(forms.CharField):
    """Accepts any text: cleans it (no NUL, control characters, surrogates) and cuts it to the cap.

    A longer query is shortened rather than refused so the page still answers; the view says so.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_query(value)[:MAX_QUERY_LENGTH]

    def bound_data(self, data, initial):
        # Show what was searched, not the raw text (which may hold NULs or 10,000 characters).
        return normalize_query(data)[:MAX_QUERY_LENGTH] if isinstance(data, str) else data


class SectorChoiceField(forms.ModelChoiceField):
    """Top-level sectors with their subsectors indented under them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Sector) -> str:
        return f"— {obj.display_name}" if obj.parent_id else obj.display_name


def sector_choices_queryset():
    """Sectors in tree order: each top-level sector followed by its subsectors."""
    return Sector.objects.order_by(
        Coalesce("parent__name", "name"),
        Case(When(parent__isnull=True, then=0), default=1, output_field=IntegerField()),
        F("name"),
    )


def add_service_error(form, exc: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has one, above the form otherwise."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
