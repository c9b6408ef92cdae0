"""Cooperation projects born at missions, their parties and their update history."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from companies.models import Currency, Organization, Person, Sector
from companies.ownership import Ownership
from missions.models import Meeting, Mission

from .agreements import Agreement


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
    history = HistoricalRecords(
        m2m_fields=[sectors],
        verbose_name=_("version of a cooperation project"),
        verbose_name_plural=_("versions of cooperation projects"),
    )

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
