"""A company's request to meet another participant of a mission."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from companies.models import Organization
from companies.ownership import Ownership
from missions.models import Meeting, Mission


class MeetingRequest(models.Model):
    """One organization asks another, both taking part in one mission, for a B2B meeting on a topic.

    The invitee accepts or declines; staff of the mission's ministry schedule accepted requests (by
    hand or with the schedule builder), which links the request to the meeting it became.
    """

    # The mission's ministry keeps the requests (schedules, moves, cancels them); the two sides act on
    # their own request through the partners services, which check who they are.
    ownership = Ownership("mission__recorded_by")

    class Status(models.TextChoices):
        # Contexts: Russian status words agree with the noun ("запрос принят").
        PENDING = "pending", pgettext_lazy("meeting request status", "pending")
        ACCEPTED = "accepted", pgettext_lazy("meeting request status", "accepted")
        DECLINED = "declined", pgettext_lazy("meeting request status", "declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("meeting request status", "withdrawn")
        SCHEDULED = "scheduled", pgettext_lazy("meeting request status", "scheduled")
        CANCELLED = "cancelled", pgettext_lazy("meeting request status", "cancelled")

    # Requests in these states stand between the pair: a second one for the same pair is refused.
    OPEN_STATUSES = (Status.PENDING, Status.ACCEPTED, Status.SCHEDULED)
    # Once the invitee has accepted, each side sees the other's people, e-mails and phones.
    CONTACT_STATUSES = (Status.ACCEPTED, Status.SCHEDULED)

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="meeting_requests"
    )
    requester = models.ForeignKey(
        Organization,
        verbose_name=_("requesting organization"),
        on_delete=models.CASCADE,
        related_name="meeting_requests_sent",
    )
    invitee = models.ForeignKey(
        Organization,
        verbose_name=_("invited organization"),
        on_delete=models.CASCADE,
        related_name="meeting_requests_received",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_requests_made",
    )
    topic = models.CharField(_("topic"), max_length=300)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_requests_decided",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=F("invitee")),
                name="meeting_request_two_different_organizations",
                violation_error_message=_("A meeting is requested with another organization."),
            ),
            models.UniqueConstraint(
                fields=["mission", "requester", "invitee"],
                condition=Q(status__in=["pending", "accepted", "scheduled"]),
                name="meeting_request_one_open_per_pair",
                violation_error_message=_("This organization has already asked for this meeting."),
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=True) | Q(status="scheduled"),
                name="meeting_request_meeting_only_when_scheduled",
                violation_error_message=_("Only a scheduled request has its meeting."),
            ),
        ]
        indexes = [
            models.Index(fields=["mission", "status"], name="meeting_request_mission_status"),
            models.Index(fields=["invitee", "status"], name="meeting_request_invitee_status"),
        ]

    def __str__(self) -> str:
        return f"{self.requester} → {self.invitee}: {self.topic}"

    @property
    def discloses_contacts(self) -> bool:
        return self.status in self.CONTACT_STATUSES

    def other_side(self, organization_id: int) -> Organization:
        """The organization across the request from `organization_id`."""
        return self.invitee if organization_id == self.requester_id else self.requester
