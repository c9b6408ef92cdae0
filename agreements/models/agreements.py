"""Agreements between regions, funds and companies: their parties, signatories, spheres and implementation plans."""

import datetime
import os

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from companies.dates import DatePrecision, date_as_given, date_truncated
from companies.models import BilingualNameMixin, Currency, Organization, Person
from companies.ownership import Ownership
from missions.models import Mission, Source

from ..documents import DocumentField, document_path, validate_document


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
        # Russian agrees with "соглашение": "заменено".
        SUPERSEDED = "superseded", pgettext_lazy("agreement status", "superseded")

    # Where staff move an agreement by hand (can_move_to): they sign a draft, or terminate an agreement.
    # Once signed, the dates decide between signed, in force and expired (status_on). An agreement
    # becomes superseded only when a new one names it as the one it replaces (agreement_replace).
    TRANSITIONS = {
        Status.DRAFT: {Status.SIGNED, Status.IN_FORCE},
        Status.SIGNED: {Status.TERMINATED},
        Status.IN_FORCE: {Status.TERMINATED},
        Status.EXPIRED: set(),
        Status.TERMINATED: set(),
        Status.SUPERSEDED: set(),
    }
    DATED_STATUSES = (Status.SIGNED, Status.IN_FORCE, Status.EXPIRED)

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("number"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=500)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_on_precision = models.CharField(
        _("precision of the signing date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("A source that says “signed in 2015” gives the year only: the date is shown as written."),
    )
    signed_at_mission = models.ForeignKey(
        Mission,
        verbose_name=_("signed at mission"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    followed_up_at = models.ManyToManyField(
        Mission,
        verbose_name=_("followed up at missions"),
        blank=True,
        related_name="followed_up_agreements",
        help_text=_("Later missions that worked on the agreement."),
    )
    sources = models.ManyToManyField(
        Source,
        verbose_name=_("sources"),
        blank=True,
        related_name="agreements",
        help_text=_("Reports on the agreement."),
    )
    signing_place = models.CharField(_("place of signing"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("For a terminated or superseded agreement: the day it stopped."),
    )
    is_open_ended = models.BooleanField(
        _("open-ended"),
        default=False,
        help_text=_("The agreement says it has no end date. Leave unticked when the source gives no term."),
    )
    spheres = models.ManyToManyField(Sphere, verbose_name=_("spheres"), blank=True, related_name="agreements")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("renews or replaces"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text=_(
            "The earlier agreement this one renews or replaces: once this one is signed, the earlier one "
            "is superseded as of its signing date."
        ),
    )
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    document = DocumentField(
        _("document"), upload_to=document_path, max_length=200, blank=True, validators=[validate_document]
    )
    # The name the file had on the uploader's computer: shown beside the link, never used as a path.
    document_name = models.CharField(_("original file name"), max_length=255, blank=True, editable=False)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public pages."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(
        m2m_fields=[spheres],
        verbose_name=_("version of an agreement"),
        verbose_name_plural=_("versions of agreements"),
    )

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
            # An open-ended agreement has no end date, until it is terminated or replaced.
            models.CheckConstraint(
                condition=Q(is_open_ended=False)
                | Q(valid_until__isnull=True)
                | Q(status__in=["terminated", "superseded"]),
                name="agreement_open_ended_has_no_end",
                violation_error_message=_("An open-ended agreement has no end date."),
            ),
            models.UniqueConstraint(
                fields=["kind", "number"], condition=~Q(number=""), name="agreement_unique_number_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/agreements/{self.slug}/"

    def clean(self):
        # A date known to its month or year is stored as the first day of it (companies.dates).
        self.signed_on = date_truncated(self.signed_on, self.signed_on_precision)
        if not self.document:
            self.document_name = ""
        elif not self.document._committed:  # a new upload: keep the name it came with, for display
            self.document_name = os.path.basename(self.document.name.replace("\\", "/"))[-255:]

    @property
    def signed_on_as_given(self) -> str:
        """The signing date as the source gives it ("12.05.2024", "май 2024", "2015"), "" when unknown."""
        return date_as_given(self.signed_on, self.signed_on_precision)

    @property
    def ended_early(self) -> bool:
        """Terminated or replaced: its end date is when it stopped, not a term it runs to."""
        return self.status in (self.Status.TERMINATED, self.Status.SUPERSEDED)

    @property
    def is_signed(self) -> bool:
        """Signed, whether or not its date is known: every status but draft."""
        return self.status != self.Status.DRAFT

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
        "agreements.CooperationProject", verbose_name=_("cooperation projects"), blank=True, related_name="plan_items"
    )
    history = HistoricalRecords(
        verbose_name=_("version of a plan item"), verbose_name_plural=_("versions of plan items")
    )

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
