"""The follow-up policy: how long a project may stay idle at each stage, the check-ins, notices,
escalation and digest settings; and the one definition of a stale project that the scan, the digest
and the dashboard all read."""

import datetime
from dataclasses import dataclass, replace

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Agreement, CooperationProject, PlanItem, ReminderPolicy, StaleAfter

# The periods a new portal starts with (the data migration writes the same); staff change them.
DEFAULT_STALE_DAYS = {
    CooperationProject.Stage.LEAD: 30,
    CooperationProject.Stage.NEGOTIATION: 30,
    CooperationProject.Stage.PROPOSAL: 21,
    CooperationProject.Stage.CONTRACT_SIGNED: 45,
    CooperationProject.Stage.IN_IMPLEMENTATION: 60,
    CooperationProject.Stage.SUSPENDED: 90,
}
# Plan items are chased only while their agreement binds the parties.
ACTIVE_AGREEMENT_STATUSES = (Agreement.Status.SIGNED, Agreement.Status.IN_FORCE)
ACTIVE_PLAN_STATUSES = PlanItem.OPEN_STATUSES


# --- The policy --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    stale_days: dict[str, int]
    checkin_offsets: tuple[int, ...]
    plan_item_notice_days: int
    escalate_after: int
    escalation_grace_days: int
    digest_weekday: int


def reminder_policy_get() -> Policy:
    """The portal's reminder policy; the defaults are written if the row is missing."""
    row, created = ReminderPolicy.objects.get_or_create(pk=1)
    if created:
        StaleAfter.objects.bulk_create(
            StaleAfter(policy=row, stage=stage, days=days) for stage, days in DEFAULT_STALE_DAYS.items()
        )
    return Policy(
        stale_days={s.stage: s.days for s in row.stale_after.all()},
        checkin_offsets=tuple(sorted(row.checkin_offsets)),
        plan_item_notice_days=row.plan_item_notice_days,
        escalate_after=row.escalate_after,
        escalation_grace_days=row.escalation_grace_days,
        digest_weekday=row.digest_weekday,
    )


def activity_date(project: CooperationProject) -> datetime.date:
    return timezone.localtime(project.last_activity_at).date()


def week_of(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = today - datetime.timedelta(days=today.weekday())
    return start, start + datetime.timedelta(days=6)


def followed_stages() -> list[str]:
    """The stages the engine follows: every stage but the closed ones (completed, dropped)."""
    return [stage for stage in CooperationProject.Stage.values if stage not in CooperationProject.CLOSED_STAGES]


def policy_with_stale_days(policy: Policy, days: int) -> Policy:
    """The policy with one stale period for every followed stage (the dashboard's "idle for N days")."""
    return replace(policy, stale_days=dict.fromkeys(followed_stages(), days))


# --- A stale project: the one definition ------------------------------------------------------
# A project is stale when it is followed (not closed) and has been idle — no recorded progress since
# `last_activity_at` — for at least its stage's stale period, counted in whole local days. The
# per-row test and the queryset filter below are the same rule, side by side.


def project_idle_days(project: CooperationProject, today: datetime.date) -> int:
    return (today - activity_date(project)).days


def project_is_stale(project: CooperationProject, policy: Policy, today: datetime.date) -> bool:
    days = policy.stale_days.get(project.stage)
    return bool(days) and project.stage in followed_stages() and project_idle_days(project, today) >= days


def stale_q(*, policy: Policy, today: datetime.date) -> Q:
    """The condition of `project_is_stale` on a project's row."""
    condition = Q(pk__in=[])
    for stage, days in policy.stale_days.items():
        if days and stage in followed_stages():
            # idle >= days  <=>  the last activity came before the start of day (today - days + 1)
            since = datetime.datetime.combine(today - datetime.timedelta(days=days - 1), datetime.time.min)
            condition |= Q(stage=stage, last_activity_at__lt=timezone.make_aware(since))
    return condition


def projects_stale(projects: QuerySet[CooperationProject], *, policy: Policy, today: datetime.date) -> QuerySet:
    """`projects` narrowed to the stale ones (as `project_is_stale`), the longest idle first."""
    return projects.filter(stale_q(policy=policy, today=today)).order_by("last_activity_at", "pk")
