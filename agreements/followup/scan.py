"""The follow-up scan: what is due today, written as Reminder rows, once per (object, kind, period, recipient).

The scan only writes rows; `agreements.followup.delivery` sends them. Running the scan twice, or on
two workers at once, writes nothing twice: the unique key of Reminder refuses the second row.
"""

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from companies.models import Organization, Person

from ..models import CooperationProject, PlanItem, ProjectParty, Reminder
from .digest import followup_digest_for
from .policy import (
    ACTIVE_AGREEMENT_STATUSES,
    ACTIVE_PLAN_STATUSES,
    Policy,
    activity_date,
    project_idle_days,
    project_is_stale,
    reminder_policy_get,
)
from .recipients import Recipient, organization_staff_recipients, project_recipients, recipient_of_person

logger = logging.getLogger(__name__)


# --- What is due ------------------------------------------------------------------------------


def project_stale_period(project: CooperationProject, policy: Policy, today: datetime.date) -> str | None:
    """'<date of last activity>#<k>' once the project has been idle k whole stale periods, else None."""
    if not project_is_stale(project, policy, today):
        return None
    idle = project_idle_days(project, today)
    return f"{activity_date(project).isoformat()}#{idle // policy.stale_days[project.stage]}"


def project_checkin_offset(project: CooperationProject, policy: Policy, today: datetime.date) -> int | None:
    """The latest check-in offset reached since the end of the project's mission (a missed day is
    caught up by the next scan; an earlier missed offset is not sent late)."""
    mission = project.origin_mission
    end = mission and (mission.end_date or mission.start_date)
    if not end:
        return None
    since = (today - end).days
    reached = [offset for offset in policy.checkin_offsets if offset <= since]
    return reached[-1] if reached else None


def project_next_step_kind(project: CooperationProject, today: datetime.date) -> str | None:
    due = project.next_step_due
    if not due or today < due:
        return None
    return Reminder.Kind.NEXT_STEP_DUE if today == due else Reminder.Kind.NEXT_STEP_OVERDUE


def plan_item_kind(item: PlanItem, policy: Policy, today: datetime.date) -> str | None:
    due = item.due_date
    if not due or item.status not in ACTIVE_PLAN_STATUSES:
        return None
    if today > due:
        return Reminder.Kind.PLAN_ITEM_OVERDUE
    if today >= due - datetime.timedelta(days=policy.plan_item_notice_days):
        return Reminder.Kind.PLAN_ITEM_UPCOMING
    return None


def projects_followed() -> QuerySet[CooperationProject]:
    """Projects the engine follows (not completed, not dropped), with what the scan reads."""
    people_with_login = Person.objects.filter(user__isnull=False).select_related("user")
    return (
        CooperationProject.objects.exclude(stage__in=CooperationProject.CLOSED_STAGES)
        .select_related("curator__person__organization", "origin_mission")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=ProjectParty.objects.select_related("organization", "contact__user").prefetch_related(
                    Prefetch("organization__people", queryset=people_with_login)
                ),
            )
        )
        .order_by("pk")
    )


def plan_items_followed():
    return (
        PlanItem.objects.filter(
            agreement__status__in=ACTIVE_AGREEMENT_STATUSES, status__in=ACTIVE_PLAN_STATUSES, due_date__isnull=False
        )
        .select_related("agreement", "responsible_person__user", "responsible_organization")
        .order_by("pk")
    )


# --- Rows -------------------------------------------------------------------------------------


def _row(kind, subject, period, recipient: Recipient, today, **about) -> Reminder:
    return Reminder(
        kind=kind,
        subject=subject,
        period=period,
        due_on=today,
        recipient_email=recipient.email,
        recipient_name=recipient.name[:300],
        recipient_person=recipient.person,
        recipient_user=recipient.user,
        language=recipient.language,
        **about,
    )


def _project_rows(projects, policy: Policy, today) -> list[Reminder]:
    rows = []
    for project in projects:
        due = []
        if period := project_stale_period(project, policy, today):
            due.append((Reminder.Kind.PROJECT_STALE, period))
        if kind := project_next_step_kind(project, today):
            due.append((kind, project.next_step_due.isoformat()))
        if (offset := project_checkin_offset(project, policy, today)) is not None:
            due.append((Reminder.Kind.PROJECT_CHECKIN, f"+{offset}"))
        if not due:
            continue
        recipients = project_recipients(project)
        if not recipients:
            logger.warning("Project %s is due a reminder but has nobody to write to.", project.pk)
        for kind, period in due:
            rows.extend(_row(kind, f"project:{project.pk}", period, r, today, project=project) for r in recipients)
    return rows


def _plan_item_rows(policy: Policy, today) -> list[Reminder]:
    rows = []
    for item in plan_items_followed():
        kind = plan_item_kind(item, policy, today)
        recipient = recipient_of_person(item.responsible_person) if item.responsible_person_id else None
        if kind and recipient:
            rows.append(_row(kind, f"plan_item:{item.pk}", item.due_date.isoformat(), recipient, today, plan_item=item))
    return rows


def escalation_organization(project: CooperationProject) -> Organization | None:
    """The curator's organization; for a project without a curator, the ministry keeping its mission's record."""
    curator_person = getattr(project.curator, "person", None) if project.curator_id else None
    if curator_person is not None:
        return curator_person.organization
    return project.origin_mission.recorded_by if project.origin_mission_id else None


def unanswered_reminders(projects, today) -> dict[int, tuple[int, datetime.date]]:
    """Per project: how many reminders (distinct kind and period) were sent since its last activity,
    and the day of the latest."""
    activity = {p.pk: activity_date(p) for p in projects}
    sent = (
        Reminder.objects.filter(
            project_id__in=list(activity), kind__in=Reminder.PROJECT_KINDS, state=Reminder.State.SENT, due_on__lte=today
        )
        .values_list("project_id", "kind", "period", "due_on")
        .distinct()
    )
    found = defaultdict(set)
    for project_id, kind, period, due_on in sent:
        if due_on >= activity[project_id]:
            found[project_id].add((kind, period, due_on))
    return {pk: (len({(k, p) for k, p, _d in rows}), max(d for _k, _p, d in rows)) for pk, rows in found.items()}


def _escalation_rows(projects, policy: Policy, today) -> list[Reminder]:
    unanswered = unanswered_reminders(projects, today)
    grace = datetime.timedelta(days=policy.escalation_grace_days)
    due = [
        p
        for p in projects
        if p.pk in unanswered and unanswered[p.pk][0] >= policy.escalate_after and unanswered[p.pk][1] + grace <= today
    ]
    organizations = {p.pk: escalation_organization(p) for p in due}
    staff = organization_staff_recipients({org.pk for org in organizations.values() if org})
    rows = []
    for project in due:
        organization = organizations[project.pk]
        if organization is None:
            continue
        for recipient in staff.get(organization.pk, []):
            if recipient.user is None or recipient.user.pk != project.curator_id:
                rows.append(
                    _row(
                        Reminder.Kind.ESCALATION,
                        f"project:{project.pk}",
                        activity_date(project).isoformat(),
                        recipient,
                        today,
                        project=project,
                        organization=organization,
                    )
                )
    return rows


def _digest_rows(policy: Policy, today) -> list[Reminder]:
    if today.weekday() < policy.digest_weekday:
        return []
    year, week, _day = today.isocalendar()
    period = f"{year}-W{week:02d}"
    staff = organization_staff_recipients(
        Person.objects.filter(user__is_active=True, user__is_staff=True).values("organization_id")
    )
    rows = []
    for organization in Organization.objects.filter(pk__in=list(staff)).order_by("pk"):
        if followup_digest_for(organization, today=today, policy=policy).is_empty:
            continue
        rows.extend(
            _row(Reminder.Kind.DIGEST, f"organization:{organization.pk}", period, r, today, organization=organization)
            for r in staff[organization.pk]
        )
    return rows


@transaction.atomic
def reminders_scan(*, today: datetime.date | None = None) -> int:
    """Write a Reminder row for everything due on `today` that has no row yet; returns how many.

    Safe to run at any time, as often as wanted, on several workers at once.
    """
    today = today or timezone.localdate()
    policy = reminder_policy_get()
    projects = list(projects_followed())
    candidates = (
        _project_rows(projects, policy, today)
        + _plan_item_rows(policy, today)
        + _escalation_rows(projects, policy, today)
        + _digest_rows(policy, today)
    )
    if not candidates:
        return 0
    key = lambda r: (r.kind, r.subject, r.period, r.recipient_email)  # noqa: E731
    existing = set(
        Reminder.objects.filter(
            subject__in={r.subject for r in candidates}, period__in={r.period for r in candidates}
        ).values_list("kind", "subject", "period", "recipient_email")
    )
    new = list({key(r): r for r in candidates if key(r) not in existing}.values())
    # A scan running at the same moment may insert the same keys: the unique constraint keeps one.
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)
