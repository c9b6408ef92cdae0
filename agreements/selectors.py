"""Reads of agreements and projects that are more than one line, and who may see which."""

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from companies.selectors import can_see_unpublished

from .models import Agreement, CooperationProject, PlanItem


def plan_items_overdue(*, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    today = today or timezone.localdate()
    return PlanItem.objects.filter(
        status__in=[PlanItem.Status.PLANNED, PlanItem.Status.IN_PROGRESS], due_date__lt=today
    ).select_related("agreement", "responsible_organization", "responsible_person")


def agreements_visible_to(user) -> QuerySet[Agreement]:
    qs = Agreement.objects.select_related("signed_at_mission")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)


def projects_visible_to(user) -> QuerySet[CooperationProject]:
    qs = CooperationProject.objects.select_related("origin_mission", "resulting_agreement")
    if can_see_unpublished(user):
        return qs
    return qs.filter(is_public=True)
