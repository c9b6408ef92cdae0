"""Reads of the partners app: who takes part in a mission's B2B meetings, and whose requests are whose."""

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from companies.models import Organization, Person, Region
from companies.roles import is_company_representative, user_organization
from missions.models import DelegationMember, Mission
from missions.services.delegation import missions_open_for_applications

from .models import HostParticipant, MeetingRequest


def missions_open_for_requests() -> QuerySet[Mission]:
    """Missions whose registration is open: the rule for companies' applications to a delegation
    (public, planned or confirmed, not started). Meeting requests are made and accepted only then."""
    return missions_open_for_applications()


def mission_participants(mission: Mission) -> QuerySet[Organization]:
    """Everyone who takes part in the mission's B2B meetings: the delegation's organizations and the
    host side registered for the mission (HostParticipant)."""
    delegation = DelegationMember.objects.filter(mission=mission).values("organization_id")
    hosts = HostParticipant.objects.filter(mission=mission).values("organization_id")
    return Organization.objects.filter(Q(pk__in=delegation) | Q(pk__in=hosts))


def is_mission_participant(mission: Mission, organization: Organization | None) -> bool:
    return organization is not None and mission_participants(mission).filter(pk=organization.pk).exists()


def host_side_eligible(mission: Mission, organization: Organization | None) -> bool:
    """May this organization register on the mission's host side: a company of one of its destination
    regions (a destination country covers its regions) that is not in the delegation."""
    if organization is None or organization.kind != Organization.Kind.COMPANY:
        return False
    destinations = list(mission.destination_regions.all())
    region = organization.region
    if not any(destination.covers(region) for destination in destinations):
        return False
    return not DelegationMember.objects.filter(mission=mission, organization=organization).exists()


def host_side_candidates(mission: Mission) -> QuerySet[Organization]:
    """Companies of the mission's destinations, outside the delegation: whom staff may add to the host side."""
    within = Q(pk__in=[])
    for destination in mission.destination_regions.all():
        within |= Region.within_q("region", destination)
    delegation = DelegationMember.objects.filter(mission=mission).values("organization_id")
    return Organization.objects.filter(within, kind=Organization.Kind.COMPANY).exclude(pk__in=delegation)


def _contact_people() -> QuerySet[Person]:
    """The people a side is reached through once a request is accepted: its company logins."""
    return Person.objects.filter(user__is_active=True, user__is_staff=False).select_related("user")


def meeting_requests_of_organization(organization: Organization) -> QuerySet[MeetingRequest]:
    """The organization's requests, sent and received, with what a list row shows in a fixed number
    of queries. The other side's contact people are loaded (`contact_people` on each organization);
    pages show them only where the request discloses them (MeetingRequest.discloses_contacts)."""
    return (
        MeetingRequest.objects.filter(Q(requester=organization) | Q(invitee=organization))
        .select_related(
            "mission",
            "requester__region",
            "invitee__region",
            "meeting__program_item__place__region",
            "requested_by__person",
        )
        .prefetch_related(
            Prefetch("mission__destination_regions", queryset=Region.objects.order_by("name")),
            Prefetch("requester__people", queryset=_contact_people(), to_attr="contact_people"),
            Prefetch("invitee__people", queryset=_contact_people(), to_attr="contact_people"),
        )
        .order_by("-created_at", "-pk")
    )


def meeting_requests_pending_count(*, mission: Mission, requester: Organization) -> int:
    return MeetingRequest.objects.filter(
        mission=mission, requester=requester, status=MeetingRequest.Status.PENDING
    ).count()


def meeting_requests_for_staff(user) -> QuerySet[MeetingRequest]:
    """Every request, for the admin (staff read all; they change those of their ministry's missions)."""
    return MeetingRequest.objects.select_related("mission", "requester", "invitee", "meeting", "requested_by")


def missions_of_participant(organization: Organization) -> list[Mission]:
    """Open missions the organization takes part in, each with `side` ("delegation" or "host")."""
    delegation = set(DelegationMember.objects.filter(organization=organization).values_list("mission_id", flat=True))
    hosts = set(HostParticipant.objects.filter(organization=organization).values_list("mission_id", flat=True))
    missions = list(missions_open_for_requests().filter(pk__in=delegation | hosts).order_by("start_date", "title"))
    for mission in missions:
        mission.side = "delegation" if mission.pk in delegation else "host"
    return missions


@dataclass(frozen=True)
class MissionRequestsPanel:
    """What the mission's page offers a company login about the mission's B2B meetings."""

    is_open: bool
    side: str  # "delegation", "host" or "" (not a participant)
    can_join: bool  # may register on the host side now
    requests: int  # the organization's requests in this mission


def mission_requests_panel(mission: Mission, user) -> MissionRequestsPanel | None:
    """None for anyone but a company representative (staff manage requests in the admin)."""
    if not is_company_representative(user):
        return None
    organization = user_organization(user)
    is_open = missions_open_for_requests().filter(pk=mission.pk).exists()
    if DelegationMember.objects.filter(mission=mission, organization=organization).exists():
        side = "delegation"
    elif HostParticipant.objects.filter(mission=mission, organization=organization).exists():
        side = "host"
    else:
        side = ""
    count = (
        MeetingRequest.objects.filter(mission=mission)
        .filter(Q(requester=organization) | Q(invitee=organization))
        .count()
        if side
        else 0
    )
    return MissionRequestsPanel(
        is_open=is_open,
        side=side,
        can_join=is_open and not side and host_side_eligible(mission, organization),
        requests=count,
    )
