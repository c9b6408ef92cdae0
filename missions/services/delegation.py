"""A mission's delegation: its members, and the applications of companies to join it."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.exceptions import PortalError
from companies.models import Organization, Person

from ..models import DelegationApplication, DelegationMember, Mission


@transaction.atomic
def delegation_add_member(
    *, mission: Mission, organization: Organization, person: Person | None = None, role: str = "participant", by=None
) -> DelegationMember:
    member = DelegationMember(mission=mission, organization=organization, person=person, role=role)
    delegation_check(member)
    member.save()
    return member


def delegation_check(member: DelegationMember) -> None:
    """Every rule a delegation membership must satisfy before it is saved (its mission exists)."""
    if member.mission.status == Mission.Status.CANCELLED:
        raise PortalError(_("The mission is cancelled: its delegation cannot change."), code="mission_cancelled")
    member.full_clean()


def delegation_member_save(member: DelegationMember, *, by=None) -> DelegationMember:
    """Check and save a new or changed membership (the admin's delegation rows)."""
    delegation_check(member)
    member.save()
    return member


# --- Applications of companies to join a delegation (the personal area and the staff admin) ---


def missions_open_for_applications():
    """Public missions not yet under way whose start is not in the past: a company may apply to these."""
    today = timezone.localdate()
    return Mission.objects.filter(
        Q(start_date__isnull=True) | Q(start_date__gte=today),
        is_public=True,
        status__in=(Mission.Status.PLANNED, Mission.Status.CONFIRMED),
    )


@transaction.atomic
def delegation_apply(
    *, mission: Mission, organization: Organization, person: Person | None = None, note: str = "", by=None
) -> DelegationApplication:
    """Record a company's request to join a mission's delegation; staff decide on it later."""
    # The mission row is the lock that serializes two applications of one organization.
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if not missions_open_for_applications().filter(pk=mission.pk).exists():
        raise PortalError(_("This mission no longer takes applications."), code="mission_closed")
    if person is not None and person.organization_id != organization.pk:
        raise PortalError(_("The person must belong to the applying organization."), code="foreign_person")
    if DelegationMember.objects.filter(mission=mission, organization=organization).exists():
        raise PortalError(_("Your organization is already in this delegation."), code="already_member")
    if DelegationApplication.objects.filter(
        mission=mission, organization=organization, status=DelegationApplication.Status.PENDING
    ).exists():
        raise PortalError(
            _("Your organization has already applied to join this delegation; the organizers will reply."),
            code="already_applied",
        )
    application = DelegationApplication(
        mission=mission, organization=organization, person=person, applied_by=by, note=note.strip()
    )
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def delegation_application_decide(
    *, application: DelegationApplication, approve: bool, by=None
) -> DelegationApplication:
    """Approve (the organization joins the delegation) or decline a pending application."""
    application = (
        DelegationApplication.objects.select_for_update(of=("self",))
        .select_related("mission", "organization", "person")
        .get(pk=application.pk)
    )
    if application.status != DelegationApplication.Status.PENDING:
        raise PortalError(
            _("The application of %(org)s has already been decided.") % {"org": application.organization},
            code="already_decided",
        )
    if approve:
        delegation_add_member(
            mission=application.mission, organization=application.organization, person=application.person, by=by
        )
    application.status = DelegationApplication.Status.APPROVED if approve else DelegationApplication.Status.DECLINED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    return application
