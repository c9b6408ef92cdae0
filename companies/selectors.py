"""Reads of the directory, and who may see what. Pages, API, exports and admin all use these."""

from django.db.models import QuerySet

from .models import Organization


def can_see_unpublished(user) -> bool:
    """Staff see records not marked public; everyone else sees only public ones."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def organizations_visible_to(user) -> QuerySet[Organization]:
    qs = Organization.objects.select_related("region")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)
