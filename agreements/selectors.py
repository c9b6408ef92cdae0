"""Reads of agreements and projects that are more than one line."""

import datetime

from django.utils import timezone

from .models import PlanItem


def plan_items_overdue(*, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return PlanItem.objects.filter(
        status__in=[PlanItem.Status.PLANNED, PlanItem.Status.IN_PROGRESS], due_date__lt=today
    ).select_related("agreement", "responsible_organization", "responsible_person")
