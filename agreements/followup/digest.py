"""What a ministry's weekly digest lists: its stale projects, next steps and plan items due."""

import datetime
from dataclasses import dataclass

from ..models import CooperationProject, PlanItem
from .policy import ACTIVE_AGREEMENT_STATUSES, ACTIVE_PLAN_STATUSES, project_idle_days, project_is_stale, week_of


@dataclass
class FollowupDigest:
    stale: list  # [(project, days idle)]
    next_steps_overdue: list
    next_steps_this_week: list
    plan_items_overdue: list
    plan_items_this_week: list

    @property
    def is_empty(self) -> bool:
        return not (
            self.stale
            or self.next_steps_overdue
            or self.next_steps_this_week
            or self.plan_items_overdue
            or self.plan_items_this_week
        )


def followup_digest_for(organization, *, today: datetime.date, policy) -> FollowupDigest:
    """What is stale, overdue or due this week among the projects the organization's staff curate
    and the plans of the agreements it is party to."""
    _start, week_end = week_of(today)
    projects = list(
        CooperationProject.objects.filter(curator__person__organization=organization)
        .exclude(stage__in=CooperationProject.CLOSED_STAGES)
        .select_related("curator")
        .order_by("next_step_due", "title")
    )
    stale = [
        (project, project_idle_days(project, today)) for project in projects if project_is_stale(project, policy, today)
    ]
    stale.sort(key=lambda pair: -pair[1])
    items = list(
        PlanItem.objects.filter(
            agreement__parties__organization=organization,
            agreement__status__in=ACTIVE_AGREEMENT_STATUSES,
            status__in=ACTIVE_PLAN_STATUSES,
            due_date__lte=week_end,
        )
        .select_related("agreement", "responsible_organization")
        .distinct()
        .order_by("due_date", "number", "pk")
    )
    with_step = [p for p in projects if p.next_step_due]
    return FollowupDigest(
        stale=stale,
        next_steps_overdue=[p for p in with_step if p.next_step_due < today],
        next_steps_this_week=[p for p in with_step if today <= p.next_step_due <= week_end],
        plan_items_overdue=[i for i in items if i.due_date < today],
        plan_items_this_week=[i for i in items if i.due_date >= today],
    )
