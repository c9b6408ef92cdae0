"""Agreements, their implementation plans, and the cooperation projects that turn into contracts."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from companies.models import BilingualNameMixin, Currency, Organization, Person, Sector
from companies.ownership import Ownership
from missions.models import Meeting, Mission


class Sphere(BilingualNameMixin, models.Model):  # noqa: DJ008 - __str__ comes from the mixin
    """A sphere of cooperation an agreement covers: economy, culture, education, investment…"""

    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sphere of cooperation")
        verbose_name_plural = _("spheres of cooperation")


class Agreement(models.Model):
    ownership = Ownership("parties__organization")

    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental agreement")
        INTERAGENCY = "interagency", _("interagency agreement")
        INSTITUTIONAL = "institutional", _("institutional agreement (funds, associations)")
        MEMORANDUM = "memorandum", _("memorandum")
        CONTRACT = "contract", _("commercial contract")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("agreement status", "draft")
        SIGNED = "signed", _("signed")
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")

    # Where staff move an agreement by hand (can_move_to): they sign a draft, or terminate an agreement.
    # Once signed, the dates decide between signed, in force and expired (status_on).
    TRANSITIONS = {
        Status.DRAFT: {Status.SIGNED, Status.IN_FORCE},
        Status.SIGNED: {Status.TERMINATED},
        Status.IN_FORCE: {Status.TERMINATED},
        Status.EXPIRED: set(),
        Status.TERMINATED: set(),
    }
    DATED_STATUSES = (Status.SIGNED, Status.IN_FORCE, Status.EXPIRED)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_at_mission = models.ForeignKey(
        Mission,
        verbose_name=_("signed at mission"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    signing_place = models.CharField(_("place of signing"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    spheres = models.ManyToManyField(Sphere, verbose_name=_("spheres"), blank=True, related_name="agreements")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("renews or replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_("The earlier agreement this one renews or replaces."),
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    document = models.FileField(_("document"), upload_to="agreements/%Y/", blank=True)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public pages."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[spheres])

    class Meta:
        ordering = [F("signed_on").desc(nulls_last=True), "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="agreement_valid_until_after_from",
                violation_error_message=_("An agreement cannot end before it comes into force."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True, currency="") | Q(value__isnull=False, value__gte=0, currency__gt=""),
                name="agreement_value_with_currency",
                violation_error_message=_("A value needs a currency, and a currency needs a value."),
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(kind="contract"),
                name="agreement_value_only_for_contracts",
                violation_error_message=_("Only a commercial contract has a value."),
            ),
            # Sources often report a signing without its date, so a signed agreement may have none;
            # a draft, however, cannot carry a signing date.
            models.CheckConstraint(
                condition=~Q(status="draft") | Q(signed_on__isnull=True),
                name="agreement_draft_has_no_signing_date",
                violation_error_message=_("A draft has no signing date: sign it to record the date."),
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(supersedes=F("pk")), name="agreement_not_superseding_itself"
            ),
            models.UniqueConstraint(
                fields=["kind", "number"], condition=~Q(number=""), name="agreement_unique_number_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/agreements/{self.slug}/"

    @property
    def days_left(self) -> int | None:
        if self.valid_until is None:
            return None
        return (self.valid_until - timezone.localdate()).days

    def can_move_to(self, status: str) -> bool:
        """Whether staff may move the agreement from its status to `status` by hand."""
        return status in self.TRANSITIONS.get(self.status, set())

    def status_on(self, today: datetime.date) -> str:
        """The status the dates give a signed agreement on `today`; a draft or a terminated one keeps its own."""
        if self.status not in self.DATED_STATUSES:
            return self.status
        if self.valid_until and self.valid_until < today:
            return self.Status.EXPIRED
        if self.valid_from is None or self.valid_from <= today:
            return self.Status.IN_FORCE
        return self.Status.SIGNED


class AgreementParty(models.Model):
    ownership = Ownership("agreement__parties__organization")

    class Role(models.TextChoices):
        PARTY = "party", _("party")
        SUPPLIER = "supplier", _("supplier")
        CUSTOMER = "customer", _("customer")
        COORDINATOR = "coordinator", _("coordinator")
        GUARANTOR = "guarantor", _("guarantor")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="agreement_parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTY)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("agreement party")
        verbose_name_plural = _("agreement parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "organization"],
                name="agreement_party_unique",
                violation_error_message=_("This organization is already a party to the agreement."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


class Signatory(models.Model):
    ownership = Ownership("agreement__parties__organization")

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="signatories"
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="signatures")
    on_behalf_of = models.ForeignKey(
        Organization,
        verbose_name=_("on behalf of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
    )
    position_at_signing = models.CharField(_("position at signing"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "person"],
                name="signatory_unique",
                violation_error_message=_("This person already signs the agreement."),
            )
        ]

    def __str__(self) -> str:
        return str(self.person)


class CooperationProject(models.Model):
    ownership = Ownership("curator__person__organization")

    class Stage(models.TextChoices):
        LEAD = "lead", _("lead")
        NEGOTIATION = "negotiation", _("negotiation")
        PROPOSAL = "proposal", _("proposal")
        CONTRACT_SIGNED = "contract_signed", _("contract signed")
        IN_IMPLEMENTATION = "in_implementation", _("in implementation")
        COMPLETED = "completed", _("completed")
        SUSPENDED = "suspended", _("suspended")
        DROPPED = "dropped", _("dropped")

    OPEN_STAGES = (Stage.LEAD, Stage.NEGOTIATION, Stage.PROPOSAL, Stage.CONTRACT_SIGNED, Stage.IN_IMPLEMENTATION)
    CLOSED_STAGES = (Stage.COMPLETED, Stage.DROPPED)
    # Where a project may go from each stage. Forward steps may be skipped (a lead can end in a
    # signed contract at the mission itself); a closed project is only reopened as a new one.
    TRANSITIONS = {
        Stage.LEAD: {Stage.NEGOTIATION, Stage.PROPOSAL, Stage.CONTRACT_SIGNED, Stage.SUSPENDED, Stage.DROPPED},
        Stage.NEGOTIATION: {Stage.PROPOSAL, Stage.CONTRACT_SIGNED, Stage.SUSPENDED, Stage.DROPPED},
        Stage.PROPOSAL: {Stage.NEGOTIATION, Stage.CONTRACT_SIGNED, Stage.SUSPENDED, Stage.DROPPED},
        Stage.CONTRACT_SIGNED: {Stage.IN_IMPLEMENTATION, Stage.COMPLETED, Stage.SUSPENDED, Stage.DROPPED},
        Stage.IN_IMPLEMENTATION: {Stage.COMPLETED, Stage.SUSPENDED, Stage.DROPPED},
        Stage.SUSPENDED: {
            Stage.LEAD,
            Stage.NEGOTIATION,
            Stage.PROPOSAL,
            Stage.CONTRACT_SIGNED,
            Stage.IN_IMPLEMENTATION,
            Stage.DROPPED,
        },
        Stage.COMPLETED: set(),
        Stage.DROPPED: set(),
    }

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="projects")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    expected_value = models.DecimalField(_("expected value"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.RUB)
    origin_mission = models.ForeignKey(
        Mission,
        verbose_name=_("origin mission"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    origin_meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("origin meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    resulting_agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("resulting agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resulting_projects",
    )
    curator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("curator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="curated_projects",
        limit_choices_to={"is_staff": True},
    )
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public pages."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[sectors])

    class Meta:
        ordering = ["-last_activity_at"]
        verbose_name = _("cooperation project")
        verbose_name_plural = _("cooperation projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_value__isnull=True) | Q(expected_value__gte=0),
                name="project_value_not_negative",
                violation_error_message=_("The expected value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(next_step_due__isnull=True) | ~Q(next_step=""),
                name="project_due_date_needs_next_step",
                violation_error_message=_("A due date belongs to a next step: describe the step."),
                violation_error_code="due_needs_step",
            ),
        ]
        indexes = [models.Index(fields=["stage", "last_activity_at"]), models.Index(fields=["next_step_due"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.stage in self.OPEN_STAGES

    def can_move_to(self, stage: str) -> bool:
        """Whether the project may go from its stage to `stage`; staying put is no move."""
        return stage in self.TRANSITIONS.get(self.stage, set())


class ProjectParty(models.Model):
    ownership = Ownership("project__curator__person__organization")

    class Role(models.TextChoices):
        INITIATOR = "initiator", _("initiator")
        SUPPLIER = "supplier", _("supplier")
        CUSTOMER = "customer", _("customer")
        PARTNER = "partner", _("partner")
        INVESTOR = "investor", _("investor")

    project = models.ForeignKey(
        CooperationProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="parties"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="project_parties"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    contact = models.ForeignKey(
        Person,
        verbose_name=_("contact person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_contacts",
        help_text=_("Who receives the follow-up reminders for this party; without one, its people with a login."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("project party")
        verbose_name_plural = _("project parties")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"],
                name="project_party_unique",
                violation_error_message=_("This organization is already a party to the project."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"

    def clean(self):
        if self.contact_id and self.organization_id and self.contact.organization_id != self.organization_id:
            from django.core.exceptions import ValidationError

            raise ValidationError({"contact": _("The contact person works at another organization.")})


class ProjectUpdate(models.Model):
    ownership = Ownership("project__curator__person__organization")

    project = models.ForeignKey(
        CooperationProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_updates",
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    reported_by = models.ForeignKey(
        Person,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_updates",
        help_text=_("The contact who reported this through a reminder's link, without signing in."),
    )
    text = models.TextField(_("text"), blank=True)
    stage_from = models.CharField(
        _("stage before"), max_length=20, choices=CooperationProject.Stage.choices, blank=True
    )
    stage_to = models.CharField(_("new stage"), max_length=20, choices=CooperationProject.Stage.choices, blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_due = models.DateField(_("next step due"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = "created_at"
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        constraints = [
            models.CheckConstraint(
                condition=Q(stage_from="", stage_to="") | ~Q(stage_from=F("stage_to")),
                name="project_update_stage_changes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.created_at:%Y-%m-%d}"


class PlanItem(models.Model):
    """One action of an agreement's implementation plan."""

    ownership = Ownership("agreement__parties__organization")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    # Where a plan item's status may go (can_move_to): anywhere, as staff keep the plan true to events
    # (a done item reopened, a cancelled one taken up again). Done needs its completion date.
    TRANSITIONS = {
        Status.PLANNED: {Status.IN_PROGRESS, Status.DONE, Status.CANCELLED},
        Status.IN_PROGRESS: {Status.PLANNED, Status.DONE, Status.CANCELLED},
        Status.DONE: {Status.PLANNED, Status.IN_PROGRESS, Status.CANCELLED},
        Status.CANCELLED: {Status.PLANNED, Status.IN_PROGRESS, Status.DONE},
    }

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="plan_items"
    )
    number = models.CharField(_("number"), max_length=20, blank=True)
    action = models.TextField(_("action"))
    responsible_organization = models.ForeignKey(
        Organization,
        verbose_name=_("responsible organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    responsible_person = models.ForeignKey(
        Person,
        verbose_name=_("responsible person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.TextField(_("evidence"), blank=True, help_text=_("What shows the action was done."))
    projects = models.ManyToManyField(
        CooperationProject, verbose_name=_("cooperation projects"), blank=True, related_name="plan_items"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", F("due_date").asc(nulls_last=True), "number", "pk"]
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False)
                | Q(~Q(status="done"), completed_on__isnull=True),
                name="plan_item_completed_on_iff_done",
                violation_error_message=_("A done item has a completion date; an unfinished one has none."),
            ),
            models.UniqueConstraint(
                fields=["agreement", "number"],
                condition=~Q(number=""),
                name="plan_item_unique_number",
                violation_error_message=_("The plan already has an item with this number."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.action[:60]}".strip()

    def can_move_to(self, status: str) -> bool:
        """Whether the status may go from the current one to `status`; staying put is no move."""
        return status in self.TRANSITIONS.get(self.status, set())

    # An overdue plan item: still open (planned or in progress) and past its due date. The row test and
    # the filter are the one definition every page, the dashboard, the API and the reminders read.
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    @classmethod
    def overdue_q(cls, today: datetime.date, prefix: str = "") -> models.Q:
        return models.Q(**{f"{prefix}status__in": cls.OPEN_STATUSES, f"{prefix}due_date__lt": today})

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in self.OPEN_STATUSES and bool(self.due_date) and self.due_date < today


# --- Follow-up: the reminder policy and the reminder log --------------------------------------


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
    history = HistoricalRecords()

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
