"""Who a signed-in user is, and what they may edit. Pages, admin, API and services all ask here.

Roles:
- superuser: sees and edits everything;
- ministry staff (is_staff, a Person of an organizing organization — a ministry, government or
  development institution): sees everything; edits what their organization organizes, is party
  to or curates, the directory (organizations, people, offers, needs, places) of their organization's
  region, and the directory rows their organization recorded anywhere (foreign countries and their
  regions, places, organizations, people) (`can_edit`). Which rows those are, each model declares
  once (companies.ownership); a model that declares nothing is changed by superusers only;
- official (member of the "Officials" group, which holds `companies.view_unpublished`): reads
  everything, including records not marked public, and changes nothing;
- company representative (a Person with a login, not staff): edits their own organization's public
  profile and their organization's projects through the personal area;
- the public: reads what is marked public.
"""

from django.contrib.auth import get_user_model
from django.db.models import Model, Q
from django.urls import reverse

from .models import Organization, Person
from .ownership import ownership_of

OFFICIALS_GROUP = "Officials"
STAFF_GROUP = "Ministry staff"
VIEW_UNPUBLISHED = "companies.view_unpublished"


def user_organization(user):
    """The organization a signed-in user belongs to through their Person, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    person = getattr(user, "person", None)
    return person.organization if person is not None else None


def user_name(user) -> str:
    """What a user is called: their Person's name (or position, for a person known by it), else the
    account's full name, else the login; "" for no user."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None:
        return person.full_name
    return user.get_full_name() or user.get_username()


def user_display(user) -> str:
    """How curators, authors and applicants are shown on every page and admin list: the person's name and
    position ("Анна Смирнова, начальник отдела"), never the login when a name is known. Reads
    `user.person`: select_related("<field>__person") serves a list."""
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None and person.is_named and person.position:
        return f"{person.full_name}, {person.position}"
    return user_name(user)


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


def visibility_scope(user) -> str:
    """Which rows the user sees in every `*_visible_to` selector, as one word: "all" for those who may
    see records not marked public (`can_see_unpublished`: staff, officials, superusers), "public" for
    everyone else. Every selector decides visibility through `companies.selectors.visible_q`, which
    reads nothing of the user but this; two users with one scope see the same rows, so figures
    computed for one may be served to the other (config.portal.figures_cache). A rule that comes to
    depend on the user's organization or region must be added here too."""
    return "all" if can_see_unpublished(user) else "public"


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
    if is_another_staff_login(user, obj):
        return False
    ownership = ownership_of(obj)
    return ownership is not None and ownership.allows(user_organization(user), obj)


def is_another_staff_login(user, obj: Model) -> bool:
    """Is `obj` the Person of another staff member's (or a superuser's) login? Its row names whom
    the portal trusts as that login: no one but a superuser changes or deletes it."""
    if not isinstance(obj, Person) or obj.user_id is None or obj.user_id == getattr(user, "pk", None):
        return False
    return bool(obj.user.is_staff or obj.user.is_superuser)


def binds_a_login(obj: Model | None) -> bool:
    """Does `obj` decide a login's role and scope: a Person with a login (its organization), or an
    organization that people with logins belong to (its region and kind)?"""
    if obj is None or obj.pk is None:
        return False
    if isinstance(obj, Person):
        return obj.user_id is not None
    if isinstance(obj, Organization):
        return obj.people.filter(user__isnull=False).exists()
    return False


# What of such a row decides the login's scope; only a superuser changes it (the change is in the
# row's history). Staff who could would edit another ministry's missions from then on.
LOGIN_BINDING_FIELDS = {"person": ("organization", "user"), "organization": ("region", "kind")}


def login_binding_fields(user, obj: Model | None) -> tuple[str, ...]:
    """The fields of `obj` that `user` may not change because they decide a login's rights."""
    if obj is None or (user is not None and user.is_active and user.is_superuser) or not binds_a_login(obj):
        return ()
    return LOGIN_BINDING_FIELDS[obj._meta.model_name]


def api_key_holders(by):
    """The logins `by` may make API keys for. A key acts with all of its user's rights, so only logins
    whose rights do not exceed theirs: a superuser's for anyone; anyone's for themselves; staff's also
    for the logins of their own organization that are neither staff nor superusers (an integration
    account, say)."""
    users = get_user_model().objects
    if not (by and by.is_authenticated and by.is_active):
        return users.none()
    if by.is_superuser:
        return users.all()
    allowed = Q(pk=by.pk)
    organization = user_organization(by)
    if by.is_staff and organization is not None:
        allowed |= Q(person__organization=organization, is_staff=False, is_superuser=False)
    return users.filter(allowed)


def may_issue_api_key(by, user) -> bool:
    return user is not None and user.pk is not None and api_key_holders(by).filter(pk=user.pk).exists()


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
    role = role_of(user)
    if role in ("superuser", "staff"):
        return reverse("admin:index")
    if role == "company":
        return reverse("account:home")
    return reverse("portal:dashboard")
