"""Reads of missions that are more than one line, and who may see which mission."""

from django.db.models import QuerySet

from companies.selectors import can_see_unpublished

from .models import Mission


def missions_visible_to(user) -> QuerySet[Mission]:
    qs = Mission.objects.select_related("origin_region", "organizer", "head_of_delegation")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)
