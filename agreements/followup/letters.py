"""The reminder letters: their context, subject and bodies in the recipient's language, and the Message-ID."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from ..models import Reminder
from .digest import followup_digest_for
from .links import reminder_link_url
from .policy import activity_date, reminder_policy_get, week_of

TEMPLATES = {
    Reminder.Kind.PROJECT_STALE: "project_reminder",
    Reminder.Kind.NEXT_STEP_DUE: "project_reminder",
    Reminder.Kind.NEXT_STEP_OVERDUE: "project_reminder",
    Reminder.Kind.PROJECT_CHECKIN: "project_reminder",
    Reminder.Kind.PLAN_ITEM_UPCOMING: "plan_item_reminder",
    Reminder.Kind.PLAN_ITEM_OVERDUE: "plan_item_reminder",
    Reminder.Kind.ESCALATION: "escalation",
    Reminder.Kind.DIGEST: "digest",
}


@dataclass(frozen=True)
class LetterKind:
    """A kind of letter an app above this one writes as `Reminder` rows and this delivery sends:
    its templates' name, the context it adds, and why a letter waiting to go out no longer applies
    ('' when it still does)."""

    template: str
    context: Callable[[Reminder], dict]
    obsolete: Callable[[Reminder], str] | None = None


# Filled by the apps above agreements in their AppConfig.ready() (the partners app's meeting
# requests), so this engine sends their letters without importing their models.
REGISTERED_LETTERS: dict[str, LetterKind] = {}


def letter_kind_register(kind: str, *, template: str, context, obsolete=None) -> None:
    """Let the delivery send `Reminder` rows of `kind` with these templates and context."""
    if kind not in Reminder.Kind.values:
        raise ValueError(f"{kind!r} is not a Reminder.Kind")
    if kind in TEMPLATES:
        raise ValueError(f"{kind!r} already has the follow-up engine's own letter")
    REGISTERED_LETTERS[kind] = LetterKind(template=template, context=context, obsolete=obsolete)


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL + path


def reminder_context(reminder: Reminder) -> dict:
    today = reminder.due_on
    context = {"reminder": reminder, "today": today, "portal_url": _absolute("/"), "kind": reminder.kind}
    if reminder.project_id:
        project = reminder.project
        context.update(
            project=project,
            idle_days=(today - activity_date(project)).days,
            project_url=_absolute(reverse("admin:agreements_cooperationproject_change", args=[project.pk]))
            if reminder.recipient_user and reminder.recipient_user.is_staff
            else _absolute(reverse("account:projects")),
        )
        if reminder.kind in Reminder.PROJECT_KINDS:
            context.update(
                link=reminder_link_url(reminder),
                link_expires_on=timezone.localdate() + datetime.timedelta(days=settings.REMINDER_LINK_DAYS),
            )
        if reminder.kind == Reminder.Kind.PROJECT_CHECKIN:
            context["offset"] = int(reminder.period.lstrip("+"))
        if reminder.kind == Reminder.Kind.ESCALATION:
            context["unanswered"] = (
                Reminder.objects.filter(
                    project=project,
                    kind__in=Reminder.PROJECT_KINDS,
                    state=Reminder.State.SENT,
                    due_on__gte=activity_date(project),
                )
                .values("kind", "period")
                .distinct()
                .count()
            )
    if reminder.plan_item_id:
        item = reminder.plan_item
        context.update(
            item=item,
            agreement=item.agreement,
            agreement_url=_absolute(reverse("agreements:detail", kwargs={"slug": item.agreement.slug})),
            days_late=(today - item.due_date).days,
        )
    registered = REGISTERED_LETTERS.get(reminder.kind)
    if registered is not None:
        context.update(registered.context(reminder))
    if reminder.kind == Reminder.Kind.DIGEST:
        context["digest"] = followup_digest_for(reminder.organization, today=today, policy=reminder_policy_get())
        context["admin_url"] = _absolute(reverse("admin:index"))
        context["week_start"], context["week_end"] = week_of(today)
    return context


def message_id(reminder: Reminder) -> str:
    """The same Message-ID on every attempt, so a mail system can drop a copy a retry might make."""
    host = urlsplit(settings.PORTAL_BASE_URL).hostname or "localhost"
    return f"<reminder.{reminder.pk}.{reminder.kind}@{host}>"


def reminder_message(reminder: Reminder) -> EmailMultiAlternatives:
    """The letter in the recipient's language, plain text with an HTML alternative."""
    name = TEMPLATES[reminder.kind] if reminder.kind in TEMPLATES else REGISTERED_LETTERS[reminder.kind].template
    with translation.override(reminder.language or settings.LANGUAGE_CODE):
        context = reminder_context(reminder)
        subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
        body = render_to_string(f"emails/{name}_body.txt", context)
        html = render_to_string(f"emails/{name}_body.html", context)
    to = f'"{reminder.recipient_name}" <{reminder.recipient_email}>' if reminder.recipient_name else None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[to or reminder.recipient_email],
        headers={"Message-ID": message_id(reminder), "Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return message
