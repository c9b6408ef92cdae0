"""The B2B schedule builder's data: a session's configuration and its draft plan.

A `B2BSession` configures one B2B programme item: its clock window and slot length (times in the
programme item's venue zone, `ProgramItem.venue_zone`), breaks, numbered tables, organizations'
unavailability and staff's own pairings. The builder (`partners.scheduling`) writes the draft plan
as `PlannedMeeting` rows, one per pair: placed (a slot and a table) or not (a reason); publishing
turns the placed ones into `missions.Meeting` rows through the meeting service.

Table capacity is the number of people a table seats. Each pair needs `seats` of them (two by
default: one person a side); a table holds one meeting at a time.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from companies.models import Organization
from companies.ownership import Ownership
from missions.models import Meeting, ProgramItem

from .requests import MeetingRequest

DEFAULT_SEATS = 2


class B2BSession(models.Model):
    """The configuration of one B2B programme item's schedule, and the state of its plan."""

    ownership = Ownership("program_item__mission__recorded_by")

    program_item = models.OneToOneField(
        ProgramItem,
        verbose_name=_("B2B programme item"),
        on_delete=models.CASCADE,
        related_name="b2b_session",
        limit_choices_to={"kind": ProgramItem.Kind.B2B},
    )
    starts = models.TimeField(_("first slot starts"), help_text=_("Local time at the venue."))
    ends = models.TimeField(_("last slot ends by"), help_text=_("Local time at the venue."))
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length, minutes"), default=20, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    request_priority = models.PositiveSmallIntegerField(
        _("priority of accepted requests"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("From 1 (low) to 5 (high); staff's own pairings carry their own priority."),
    )
    built_at = models.DateTimeField(_("plan built at"), null=True, blank=True)
    changed_at = models.DateTimeField(_("plan changed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["program_item__date", "program_item__starts_at", "pk"]
        verbose_name = _("B2B session")
        verbose_name_plural = _("B2B sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="b2b_session_ends_after_start",
                violation_error_message=_("The session must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.program_item)

    def clean(self):
        if self.program_item_id and self.program_item.kind != ProgramItem.Kind.B2B:
            raise ValidationError({"program_item": _("Choose a programme item of the kind “B2B session”.")})

    @property
    def mission(self):
        return self.program_item.mission

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def has_unpublished_changes(self) -> bool:
        return self.changed_at is not None and (self.published_at is None or self.changed_at > self.published_at)


class SessionBreak(models.Model):
    ownership = Ownership("session__program_item__mission__recorded_by")

    session = models.ForeignKey(
        B2BSession, verbose_name=_("B2B session"), on_delete=models.CASCADE, related_name="breaks"
    )
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))

    class Meta:
        ordering = ["starts", "pk"]
        verbose_name = _("break")
        verbose_name_plural = _("breaks")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="session_break_ends_after_start",
                violation_error_message=_("A break must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts:%H:%M}–{self.ends:%H:%M}"


class SessionTable(models.Model):
    ownership = Ownership("session__program_item__mission__recorded_by")

    session = models.ForeignKey(
        B2BSession, verbose_name=_("B2B session"), on_delete=models.CASCADE, related_name="tables"
    )
    number = models.PositiveSmallIntegerField(_("table number"), validators=[MinValueValidator(1)])
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        default=DEFAULT_SEATS,
        validators=[MinValueValidator(2), MaxValueValidator(50)],
        help_text=_("How many people the table seats."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("table")
        verbose_name_plural = _("tables")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                name="session_table_unique_number",
                violation_error_message=_("This session already has a table with this number."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.number)


class SessionUnavailability(models.Model):
    ownership = Ownership("session__program_item__mission__recorded_by")

    session = models.ForeignKey(
        B2BSession, verbose_name=_("B2B session"), on_delete=models.CASCADE, related_name="unavailability"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.CASCADE, related_name="b2b_unavailability"
    )
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["organization__name", "starts", "pk"]
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailability")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="session_unavailability_ends_after_start",
                violation_error_message=_("Unavailability must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.starts:%H:%M}–{self.ends:%H:%M}"


class SessionPairing(models.Model):
    """A meeting staff want in the session, beside the accepted requests."""

    ownership = Ownership("session__program_item__mission__recorded_by")

    session = models.ForeignKey(
        B2BSession, verbose_name=_("B2B session"), on_delete=models.CASCADE, related_name="pairings"
    )
    organization_a = models.ForeignKey(
        Organization, verbose_name=_("first organization"), on_delete=models.CASCADE, related_name="+"
    )
    organization_b = models.ForeignKey(
        Organization, verbose_name=_("second organization"), on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 to 5")
    )
    must_meet = models.BooleanField(
        _("must meet"), default=False, help_text=_("Placed before every other meeting of the session.")
    )
    seats = models.PositiveSmallIntegerField(
        _("seats needed"), default=DEFAULT_SEATS, validators=[MinValueValidator(2), MaxValueValidator(50)]
    )

    class Meta:
        ordering = ["-must_meet", "-priority", "pk"]
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(organization_a=F("organization_b")),
                name="session_pairing_two_different_organizations",
                violation_error_message=_("A meeting is between two different organizations."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_a} — {self.organization_b}"


class PlannedMeeting(models.Model):
    """One pair of the draft plan: placed in a slot at a table, or unplaced with the reason."""

    ownership = Ownership("session__program_item__mission__recorded_by")

    session = models.ForeignKey(
        B2BSession, verbose_name=_("B2B session"), on_delete=models.CASCADE, related_name="planned_meetings"
    )
    organization_a = models.ForeignKey(
        Organization, verbose_name=_("first organization"), on_delete=models.CASCADE, related_name="+"
    )
    organization_b = models.ForeignKey(
        Organization, verbose_name=_("second organization"), on_delete=models.CASCADE, related_name="+"
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=3)
    must_meet = models.BooleanField(_("must meet"), default=False)
    seats = models.PositiveSmallIntegerField(_("seats needed"), default=DEFAULT_SEATS)
    slot = models.PositiveSmallIntegerField(_("slot"), null=True, blank=True)
    table = models.ForeignKey(
        SessionTable, verbose_name=_("table"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    request = models.ForeignKey(
        MeetingRequest,
        verbose_name=_("meeting request"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_meetings",
    )
    pairing = models.ForeignKey(
        SessionPairing, verbose_name=_("pairing"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The meeting an earlier publication made of this pair: publishing again updates it.
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason_code = models.CharField(_("reason"), max_length=40, blank=True)
    reason_params = models.JSONField(_("reason details"), default=dict, blank=True)

    class Meta:
        ordering = ["slot", "table__number", "pk"]
        verbose_name = _("planned meeting")
        verbose_name_plural = _("planned meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(slot__isnull=True, table__isnull=True) | Q(slot__isnull=False, table__isnull=False),
                name="planned_meeting_slot_with_table",
                violation_error_message=_("A placed meeting has both a slot and a table."),
            ),
            models.UniqueConstraint(
                fields=["session", "slot", "table"],
                name="planned_meeting_one_per_table_and_slot",
                violation_error_message=_("This table is already taken in this slot."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_a} — {self.organization_b}"

    @property
    def is_placed(self) -> bool:
        return self.slot is not None
