"""The follow-up engine's rows: the reminder policy, its stale periods per stage, and the reminder log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from companies.models import Organization, Person
from companies.ownership import Ownership

from .agreements import PlanItem
from .projects import CooperationProject


def default_checkin_offsets() -> list[int]:
    return [30, 90, 180]


class ReminderPolicy(models.Model):
    """When the follow-up engine writes to people: one policy for the whole portal, kept by staff."""

    ownership = Ownership(portal_wide=True)

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    checkin_offsets = models.JSONField(
        _("check-ins after the mission, days"),
        default=default_checkin_offsets,
        help_text=_("Days after the end of the mission a project was born at, e.g. 30, 90, 180."),
    )
    plan_item_notice_days = models.PositiveSmallIntegerField(
        _("plan items: notice before the due date, days"), default=14
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("escalate after this many reminders without a response"), default=3
    )
    escalation_grace_days = models.PositiveSmallIntegerField(
        _("days to answer the last reminder before escalating"), default=7
    )
    digest_weekday = models.PositiveSmallIntegerField(
        _("weekly digest on"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        verbose_name=_("version of the reminder policy"), verbose_name_plural=_("versions of the reminder policy")
    )

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policy")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="reminder_policy_single_row"),
            models.CheckConstraint(condition=Q(escalate_after__gte=1), name="reminder_policy_escalate_after_one"),
        ]

    def __str__(self) -> str:
        return str(_("Reminder policy"))

    def clean(self):
        from django.core.exceptions import ValidationError

        offsets = self.checkin_offsets
        if not isinstance(offsets, list) or not all(isinstance(d, int) and not isinstance(d, bool) for d in offsets):
            raise ValidationError({"checkin_offsets": _("Give whole numbers of days, e.g. 30, 90, 180.")})
        if any(d < 1 or d > 3650 for d in offsets) or len(set(offsets)) != len(offsets):
            raise ValidationError(
                {"checkin_offsets": _("Each offset is a different number of days between 1 and 3650.")}
            )
        self.checkin_offsets = sorted(offsets)


class StaleAfter(models.Model):
    """After how many days without activity a project at this stage is stale."""

    ownership = Ownership(portal_wide=True)

    policy = models.ForeignKey(
        ReminderPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="stale_after"
    )
    stage = models.CharField(
        _("stage"),
        max_length=20,
        choices=[
            (v, label) for v, label in CooperationProject.Stage.choices if v not in CooperationProject.CLOSED_STAGES
        ],
    )
    days = models.PositiveSmallIntegerField(_("days without activity"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("stale after")
        verbose_name_plural = _("stale after, by stage")
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "stage"],
                name="stale_after_one_per_stage",
                violation_error_message=_("This stage already has a period."),
            ),
            models.CheckConstraint(
                condition=Q(days__gte=1),
                name="stale_after_at_least_a_day",
                violation_error_message=_("A project is stale after at least one day."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.days}"


class Reminder(models.Model):
    """One letter to one recipient about one thing in one period: the engine's state, kept here.

    The unique key (kind, subject, period, recipient) makes a second scan a no-op; a sender claims
    the row (pending → sending) before it sends, so two workers never send it twice.
    """

    ownership = Ownership(
        "project__curator__person__organization", "plan_item__agreement__parties__organization", "organization"
    )

    class Kind(models.TextChoices):
        PROJECT_STALE = "project_stale", _("project without activity")
        NEXT_STEP_DUE = "next_step_due", _("next step due today")
        NEXT_STEP_OVERDUE = "next_step_overdue", _("next step overdue")
        PROJECT_CHECKIN = "project_checkin", _("check-in after the mission")
        PLAN_ITEM_UPCOMING = "plan_item_upcoming", _("plan item due soon")
        PLAN_ITEM_OVERDUE = "plan_item_overdue", _("plan item overdue")
        ESCALATION = "escalation", _("escalation")
        DIGEST = "digest", _("weekly digest")
        # Letters about a mission's meeting requests: written by the partners app when a request
        # changes, one row per event and recipient, sent by the same delivery.
        MEETING_NEW = "meeting_new", _("new meeting request")
        MEETING_ACCEPTED = "meeting_accepted", _("meeting request accepted")
        MEETING_DECLINED = "meeting_declined", _("meeting request declined")
        MEETING_WITHDRAWN = "meeting_withdrawn", _("meeting request withdrawn")
        MEETING_SCHEDULED = "meeting_scheduled", _("requested meeting scheduled")
        MEETING_MOVED = "meeting_moved", _("requested meeting moved")
        MEETING_CANCELLED = "meeting_cancelled", _("requested meeting cancelled")

    PROJECT_KINDS = (Kind.PROJECT_STALE, Kind.NEXT_STEP_DUE, Kind.NEXT_STEP_OVERDUE, Kind.PROJECT_CHECKIN)

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("reminder state", "pending")
        SENDING = "sending", pgettext_lazy("reminder state", "sending")
        SENT = "sent", pgettext_lazy("reminder state", "sent")
        FAILED = "failed", pgettext_lazy("reminder state", "failed")
        CANCELLED = "cancelled", pgettext_lazy("reminder state", "cancelled")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    subject = models.CharField(_("about"), max_length=40, help_text=_("The object the reminder is about."))
    period = models.CharField(_("period"), max_length=40)
    due_on = models.DateField(_("due on"), help_text=_("The day the scan found it due."))
    project = models.ForeignKey(
        CooperationProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
    )
    plan_item = models.ForeignKey(
        PlanItem, verbose_name=_("plan item"), on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reminders",
        help_text=_("The ministry a digest or an escalation goes to."),
    )
    recipient_email = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient's name"), max_length=300, blank=True)
    recipient_person = models.ForeignKey(
        Person,
        verbose_name=_("recipient person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reminders",
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    link_used_at = models.DateTimeField(_("link used at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject", "period", "recipient_email"], name="reminder_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(state="sent", sent_at__isnull=False) | Q(~Q(state="sent"), sent_at__isnull=True),
                name="reminder_sent_at_iff_sent",
            ),
            models.CheckConstraint(
                condition=Q(state="sending", claimed_at__isnull=False)
                | Q(~Q(state="sending"), claimed_at__isnull=True),
                name="reminder_claimed_at_iff_sending",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["state", "claimed_at"]),
            models.Index(fields=["project", "kind", "due_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient_email} ({self.period})"
