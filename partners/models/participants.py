"""The host side of a mission: organizations of the destination that take part in its B2B meetings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from companies.models import Organization
from companies.ownership import Ownership
from missions.models import Mission


class HostParticipant(models.Model):
    """An organization of a mission's destination registered for the mission's B2B meetings.

    The delegation is the visiting side (missions.DelegationMember); this is the side that receives
    it. A company of a destination region joins from the mission's page while registration is open
    (partners.services.requests.host_participant_join); staff of the mission's ministry add or
    remove organizations in the admin. `partners.selectors.mission_participants` reads both sides.
    """

    ownership = Ownership("mission__recorded_by")

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="host_participants"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="host_participations",
    )
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="host_participations_made",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["mission", "organization__name"]
        verbose_name = _("host-side participant")
        verbose_name_plural = _("host-side participants")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "organization"],
                name="host_participant_once_per_mission",
                violation_error_message=_("This organization is already registered on the host side."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)
