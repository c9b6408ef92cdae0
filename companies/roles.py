"""Who a signed-in user is, and what they may edit. Pages, admin, API and services all ask here.

Roles:
- superuser: sees and edits everything;
- ministry staff (is_staff, a Person of an organizing organization — a ministry, government or
  development institution): sees everything; edits what their organization organizes, is party
  to or curates (`can_edit`);
- official (member of the "Officials" group, which holds `companies.view_unpublished`): reads
  everything, including records not marked public, and changes nothing;
- company representative (a Person with a login, not staff): edits their own organization's public
  profile and their organization's projects through the personal area;
- the public: reads what is marked public.
"""

from django.db.models import Model

OFFICIALS_GROUP = "Officials"
STAFF_GROUP = "Ministry staff"
VIEW_UNPUBLISHED = "companies.view_unpublished"


def user_organization(user):
    """The organization a signed-in user belongs to through their Person, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    person = getattr(user, "person", None)
    return person.organization if person is not None else None


def is_official(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and not user.is_staff and user.has_perm(VIEW_UNPUBLISHED)
    )


def is_company_representative(user) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and not user.is_staff and not is_official(user)
        and user_organization(user) is not None
    )  # fmt: skip


def can_see_unpublished(user) -> bool:
    """Staff and officials see records not marked public; everyone else sees only public ones."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_staff or user.has_perm(VIEW_UNPUBLISHED))
    )


def _owner_organization_ids(obj: Model) -> set[int] | None:
    """The organizations whose staff may edit `obj`; None when only a superuser may."""
    from agreements.models import (
        Agreement,
        AgreementParty,
        CooperationProject,
        PlanItem,
        ProjectParty,
        ProjectUpdate,
        Reminder,
        Signatory,
    )
    from missions.models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure

    from .models import ApiToken, Need, Offer, Organization, Person

    if isinstance(obj, ApiToken):
        person = getattr(obj.user, "person", None) if obj.user_id else None
        return {person.organization_id} if person else set()
    if isinstance(obj, Mission):
        return {obj.organizer_id}
    if isinstance(obj, DelegationMember | ProgramItem | Meeting):
        return {obj.mission.organizer_id} if obj.mission_id else set()
    if isinstance(obj, ReportedFigure):
        if obj.mission_id:
            return {obj.mission.organizer_id}
        return _owner_organization_ids(obj.agreement) if obj.agreement_id else set()
    if isinstance(obj, Agreement):
        return set(obj.parties.values_list("organization_id", flat=True)) if obj.pk else set()
    if isinstance(obj, AgreementParty | Signatory | PlanItem):
        return _owner_organization_ids(obj.agreement) if obj.agreement_id else set()
    if isinstance(obj, CooperationProject):
        curator_person = getattr(obj.curator, "person", None) if obj.curator_id else None
        return {curator_person.organization_id} if curator_person else set()
    if isinstance(obj, ProjectParty | ProjectUpdate):
        return _owner_organization_ids(obj.project) if obj.project_id else set()
    if isinstance(obj, Reminder):
        if obj.project_id:
            return _owner_organization_ids(obj.project)
        if obj.plan_item_id:
            return _owner_organization_ids(obj.plan_item)
        return {obj.organization_id} if obj.organization_id else set()
    if isinstance(obj, Organization):
        return {obj.pk}
    if isinstance(obj, Person | Offer | Need):
        return {obj.organization_id} if obj.organization_id else set()
    return None


def _is_portal_policy(obj: Model) -> bool:
    from agreements.models import ReminderPolicy, StaleAfter

    return isinstance(obj, ReminderPolicy | StaleAfter)


def staff_may_edit_region_directory(user, obj: Model) -> bool:
    """Staff keep the directory of their own region: its organizations and their people, offers, needs."""
    from .models import Need, Offer, Organization, Person

    organization = user_organization(user)
    if organization is None:
        return False
    if isinstance(obj, Organization):
        return obj.region_id == organization.region_id
    if isinstance(obj, Person | Offer | Need) and obj.organization_id:
        return obj.organization.region_id == organization.region_id
    return False


def can_edit(user, obj: Model | None = None) -> bool:
    """May `user` change or delete `obj` (None: may they change rows of this kind at all)?"""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    if obj is None or obj.pk is None:
        return user_organization(user) is not None
    organization = user_organization(user)
    if organization is None:
        return False
    if _is_portal_policy(obj):
        return True  # one reminder policy for the portal, kept by the ministries' staff
    owners = _owner_organization_ids(obj)
    if owners is None:
        return False
    return organization.pk in owners or staff_may_edit_region_directory(user, obj)


def can_record_progress(user, project) -> bool:
    """May `user` record progress on a cooperation project: the curating organization's staff (and
    superusers), or a company representative of one of its parties."""
    if can_edit(user, project):
        return True
    return bool(
        is_company_representative(user) and project.parties.filter(organization=user_organization(user)).exists()
    )


def role_of(user) -> str:
    """One word for the user's role: anonymous, superuser, staff, official, company or user."""
    if not (user and user.is_authenticated and user.is_active):
        return "anonymous"
    if user.is_superuser:
        return "superuser"
    if user.is_staff:
        return "staff"
    if is_official(user):
        return "official"
    if user_organization(user) is not None:
        return "company"
    return "user"


def home_url_for(user) -> str:
    """Where a user lands after signing in: staff in the admin, officials on the dashboard,
    company representatives in their personal area."""
    from django.urls import reverse

    role = role_of(user)
    if role in ("superuser", "staff"):
        return reverse("admin:index")
    if role == "company":
        return reverse("account:home")
    return reverse("portal:dashboard")
