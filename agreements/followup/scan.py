"""The follow-up scan: what is due today, written as Reminder rows, once per (object, kind, period, recipient).

The scan only writes rows; `agreements.followup.delivery` sends them. Running the scan twice, or on
two workers at once, writes nothing twice: the unique key of Reminder refuses the second row.
"""

import datetime
import logging
from collections import defaultdict

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
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
    stale_q,
)
from .recipients import (
    Recipient,
    organization_staff_recipients,
    people_with_login,
    project_recipients,
    recipient_of_person,
)

logger = logging.getLogger(__name__)

# The scan reads the followed projects and plan items in batches of this many, by primary key: its
# memory stays that of one batch whatever the number of projects, and each batch is one transaction.
SCAN_BATCH = 500


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
    """Projects the engine follows (not completed, not dropped), with what the scan reads (the logins
    of parties without a named contact come per batch: `people_with_login`)."""
    return (
        CooperationProject.objects.exclude(stage__in=CooperationProject.CLOSED_STAGES)
        .select_related("curator__person__organization", "origin_mission")
        .prefetch_related(
            Prefetch("parties", queryset=ProjectParty.objects.select_related("organization", "contact__user"))
        )
        .order_by("pk")
    )


def projects_maybe_due(projects: QuerySet[CooperationProject], policy: Policy, today: datetime.date) -> QuerySet:
    """`projects` narrowed in SQL to those any reminder may be due for today: stale (the policy's rule,
    `stale_q`), a next step due, a check-in offset reached since the mission's end, or reminders sent since
    the last activity (an escalation). A superset of what the rows below find due; never fewer."""
    maybe = stale_q(policy=policy, today=today) | Q(next_step_due__lte=today)
    if policy.checkin_offsets:
        reached = today - datetime.timedelta(days=min(policy.checkin_offsets))
        maybe |= Q(origin_mission__end_date__lte=reached) | Q(
            origin_mission__end_date__isnull=True, origin_mission__start_date__lte=reached
        )
    sent_since_activity = Reminder.objects.filter(
        project=OuterRef("pk"),
        kind__in=Reminder.PROJECT_KINDS,
        state=Reminder.State.SENT,
        due_on__gte=OuterRef("activity_day"),
    )
    return projects.annotate(activity_day=TruncDate("last_activity_at", tzinfo=timezone.get_current_timezone())).filter(
        maybe | Exists(sent_since_activity)
    )


def _batches(queryset: QuerySet):
    """The rows of `queryset` (ordered by pk) in lists of SCAN_BATCH: the keys of each batch first, by
    keyset (pk > the last; an index scan that stops at the batch's end), then those rows with their
    joins and prefetches (a join over every row, sorted, would be read for each batch)."""
    last = 0
    while ids := list(queryset.filter(pk__gt=last).values_list("pk", flat=True)[:SCAN_BATCH]):
        yield list(queryset.filter(pk__in=ids))
        last = ids[-1]


def plan_items_followed():
    return (
        PlanItem.objects.filter(
            agreement__status__in=ACTIVE_AGREEMENT_STATUSES, status__in=ACTIVE_PLAN_STATUSES, due_date__isnull=False
        )
        .select_related("agreement", "responsible_person__user", "responsible_organization")
        .order_by("pk")
    )


# --- Rows -------------------------------------------------------------------------------------


def _row(kind, subject, period, recipient: Recipient, today, **about) -> dict:
    """A candidate row: the fields of a Reminder, made a model instance only when it is new (`_written`)."""
    return dict(
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


def _project_rows(projects, policy: Policy, today) -> list[dict]:
    due_of = {}
    for project in projects:
        due = []
        if period := project_stale_period(project, policy, today):
            due.append((Reminder.Kind.PROJECT_STALE, period))
        if kind := project_next_step_kind(project, today):
            due.append((kind, project.next_step_due.isoformat()))
        if (offset := project_checkin_offset(project, policy, today)) is not None:
            due.append((Reminder.Kind.PROJECT_CHECKIN, f"+{offset}"))
        if due:
            due_of[project] = due
    logins = people_with_login(
        {party.organization_id for project in due_of for party in project.parties.all() if not party.contact_id}
    )
    rows = []
    for project, due in due_of.items():
        recipients = project_recipients(project, logins)
        if not recipients:
            logger.warning("Project %s is due a reminder but has nobody to write to.", project.pk)
        for kind, period in due:
            rows.extend(_row(kind, f"project:{project.pk}", period, r, today, project=project) for r in recipients)
    return rows


def _plan_item_rows(items, policy: Policy, today) -> list[dict]:
    rows = []
    for item in items:
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


def _escalation_rows(projects, policy: Policy, today) -> list[dict]:
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


def _digest_rows(policy: Policy, today) -> list[dict]:
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


def _written(candidates: list[dict], existing: QuerySet[Reminder]) -> int:
    """Insert the candidates that `existing` (the rows already written about the same objects) lacks."""
    if not candidates:
        return 0
    key = lambda r: (r["kind"], r["subject"], r["period"], r["recipient_email"])  # noqa: E731
    written = set(existing.values_list("kind", "subject", "period", "recipient_email"))
    new = [Reminder(**fields) for fields in {key(r): r for r in candidates if key(r) not in written}.values()]
    # A scan running at the same moment may insert the same keys: the unique constraint keeps one.
    Reminder.objects.bulk_create(new, ignore_conflicts=True, batch_size=500)
    return len(new)


def reminders_scan(*, today: datetime.date | None = None) -> int:
    """Write a Reminder row for everything due on `today` that has no row yet; returns how many.

    Safe to run at any time, as often as wanted, on several workers at once. It reads the projects that
    may be due and the followed plan items in keyset batches (SCAN_BATCH), one transaction each: an
    interrupted scan keeps what it wrote, and the next one writes the rest.
    """
    today = today or timezone.localdate()
    policy = reminder_policy_get()
    total = 0
    for projects in _batches(projects_maybe_due(projects_followed(), policy, today)):
        with transaction.atomic():
            candidates = _project_rows(projects, policy, today) + _escalation_rows(projects, policy, today)
            total += _written(candidates, Reminder.objects.filter(project__in=[p.pk for p in projects]))
    for items in _batches(plan_items_followed()):
        with transaction.atomic():
            total += _written(
                _plan_item_rows(items, policy, today), Reminder.objects.filter(plan_item__in=[i.pk for i in items])
            )
    with transaction.atomic():
        digests = _digest_rows(policy, today)
        total += _written(
            digests, Reminder.objects.filter(kind=Reminder.Kind.DIGEST, subject__in={r["subject"] for r in digests})
        )
    return total
