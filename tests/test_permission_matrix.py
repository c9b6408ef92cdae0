"""Who gets what at every URL: a matrix generated from the URL resolver and the admin registry.

Every named URL pattern must have an expectation here (EXPECTATIONS, or for a model's admin pages
its row of STAFF_ADMIN_PAGES); a new URL or model admin without one fails
`test_every_url_has_an_expectation`, so nobody has to remember to add it to this file. The
expectations are written out: none is computed by asking companies.roles or the permissions.
"""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from agreements.models import ProjectUpdate, Reminder, ReminderPolicy
from companies import roles
from companies.api_tokens import api_token_create
from companies.models import ExportJob, ImportJob, Person, Place, ProfileChange, SearchSynonym
from missions.models import DelegationApplication, Mission
from partners.models import B2BSession, HostParticipant, MeetingRequest
from tests import factories as f

ROLES = ["anonymous", "company_a", "company_b", "staff_x", "staff_y", "official", "superuser"]
STAFF = {"staff_x", "staff_y"}
NOT_STAFF = {"anonymous", "company_a", "company_b", "official"}
SEES_UNPUBLISHED = {"staff_x", "staff_y", "official", "superuser"}
ADMIN_LOGIN = "admin-login"  # expected: a redirect to the admin's login page
SITE_LOGIN = "site-login"  # expected: a redirect to the site's login page
NOT_SIGNED_IN = 401  # the API's answer to a request that must be signed in (never a redirect)
POLITE = {200, 302, 403, 404}  # anything but a server error
ADMIN_VIEW = re.compile(
    r"^admin:(?P<app>[a-z_]+?)_(?P<model>[a-z0-9]+)_"
    r"(?P<kind>changelist|add|history|delete|change|simple_history|export_csv|export_xlsx)$"
)


# --- The URL resolver, walked ------------------------------------------------------------------


@dataclass
class Route:
    name: str | None
    route: str
    pattern: URLPattern = field(repr=False)

    @property
    def arguments(self) -> list[str]:
        regex = self.pattern.pattern.regex
        return list(regex.groupindex) or [f"_{i}" for i in range(regex.groups)]


def all_routes() -> list[Route]:
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = ":".join(filter(None, [namespace, entry.namespace])) or None
                walk(entry, prefix + str(entry.pattern), inner)
            else:
                name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
                found.append(Route(name, prefix + str(entry.pattern), entry))

    walk(get_resolver(), "", None)
    return found


# Django's admin adds two unnamed patterns: "<object_id>/" (redirects to the change page) and the
# catch-all. Any other unnamed pattern cannot be reversed, so it cannot be in this matrix: name it.
UNNAMED_ALLOWED = re.compile(r"^admin/([a-z_]+/[a-z0-9]+/<path:object_id>/|\(\?P<url>\.\*\)\$)$")


def admin_models() -> dict[str, type]:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin.site._registry}


def admin_model_view(name: str | None) -> tuple[str, str] | None:
    """("app_model", kind) for the pages ModelAdmin.get_urls() makes for a registered model."""
    match = ADMIN_VIEW.match(name or "")
    if match and f"{match['app']}_{match['model']}" in admin_models():
        return f"{match['app']}_{match['model']}", match["kind"]
    return None


# --- The data that could leak ----------------------------------------------------------------


@dataclass(repr=False)
class World:
    users: dict
    ulyanovsk: object
    chelyabinsk: object
    org_a: object
    org_b: object
    public: dict  # kind → a public object of region X
    hidden: dict  # kind → a non-public object of region X
    hidden_y: dict
    objects: dict = field(default_factory=dict)  # "app_model" → the object the admin pages open


def _person_user(username, organization, **user_fields):
    user = f.UserFactory(username=username, **user_fields)
    f.PersonFactory(organization=organization, user=user)
    return user


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the agreements' documents
    x, y = f.directory_region("73"), f.directory_region("74")
    ministry_x = f.MinistryFactory(region=x, slug="ministry-x")
    ministry_y = f.MinistryFactory(region=y, slug="ministry-y")
    org_a = f.OrganizationFactory(region=x, slug="company-a")
    org_b = f.OrganizationFactory(region=y, slug="company-b")

    staff_group, officials = Group.objects.get(name=roles.STAFF_GROUP), Group.objects.get(name=roles.OFFICIALS_GROUP)
    users = {
        "anonymous": None,
        "company_a": _person_user("rep-a", org_a),
        "company_b": _person_user("rep-b", org_b),
        "staff_x": _person_user("staff-x", ministry_x, is_staff=True),
        "staff_y": _person_user("staff-y", ministry_y, is_staff=True),
        "official": f.UserFactory(username="official"),
        "superuser": f.UserFactory(username="root", is_staff=True, is_superuser=True),
    }
    users["staff_x"].groups.add(staff_group)
    users["staff_y"].groups.add(staff_group)
    users["official"].groups.add(officials)

    def mission(region, organizer, public, slug):
        return f.MissionFactory(origin_region=region, organizer=organizer, is_public=public, slug=slug)

    def agreement(organizer, public, slug):
        return f.AgreementPartyFactory(
            agreement__is_public=public, agreement__slug=slug, organization=organizer
        ).agreement

    def project(curator, party, public, slug):
        p = f.CooperationProjectFactory(curator=curator, is_public=public, slug=slug)
        f.ProjectPartyFactory(project=p, organization=party)
        return p

    public = {
        "mission": mission(x, ministry_x, True, "public-mission-x"),
        "agreement": agreement(ministry_x, True, "public-agreement-x"),
        "organization": org_a,
        "project": project(users["staff_x"], org_a, True, "public-project-x"),
    }
    hidden = {
        "mission": mission(x, ministry_x, False, "hidden-mission-x"),
        "agreement": agreement(ministry_x, False, "hidden-agreement-x"),
        "organization": f.OrganizationFactory(region=x, slug="hidden-org-x", is_public=False),
        "project": project(users["staff_x"], org_a, False, "hidden-project-x"),
    }
    hidden_y = {
        "mission": mission(y, ministry_y, False, "hidden-mission-y"),
        "agreement": agreement(ministry_y, False, "hidden-agreement-y"),
        "organization": f.OrganizationFactory(region=y, slug="hidden-org-y", is_public=False),
        "project": project(users["staff_y"], org_b, False, "hidden-project-y"),
    }
    mission(y, ministry_y, True, "public-mission-y")
    for documented in (public, hidden, hidden_y):
        documented["agreement"].document.save("text.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    public["person"] = Person.objects.get(user=users["company_a"])
    hidden["person"] = f.PersonFactory(organization=hidden["organization"])
    hidden_y["person"] = f.PersonFactory(organization=hidden_y["organization"])
    hidden["meeting"] = f.MeetingFactory(mission=hidden["mission"], organization_a=org_a, organization_b=org_b)
    hidden_y["meeting"] = f.MeetingFactory(mission=hidden_y["mission"], organization_a=org_b, organization_b=org_a)

    # One object of region X for every model the admin shows.
    m = public["mission"]
    objects = {
        "missions_mission": m,
        "agreements_agreement": public["agreement"],
        "agreements_cooperationproject": public["project"],
        "companies_organization": org_a,
        "companies_person": Person.objects.get(user=users["company_a"]),
        "companies_offer": f.OfferFactory(organization=org_a),
        "companies_need": f.NeedFactory(organization=org_a),
        "companies_region": x,
        "companies_place": Place.objects.create(name="Димитровград", slug="dimitrovgrad", region=x),
        "companies_federaldistrict": x.federal_district,
        "companies_sector": f.SectorFactory(),
        "companies_searchsynonym": SearchSynonym.objects.create(terms="гидроцилиндр, гидравлический цилиндр"),
        "missions_meeting": f.MeetingFactory(mission=m, organization_a=org_a, organization_b=org_b),
        "companies_apitoken": api_token_create(user=users["company_a"], name="1C")[0],
        "missions_programitem": f.ProgramItemFactory(mission=m),
        "missions_reportedfigure": f.ReportedFigureFactory(mission=m),
        "missions_delegationmember": f.DelegationMemberFactory(mission=m, organization=org_a),
        "agreements_sphere": f.SphereFactory(),
        "agreements_agreementparty": public["agreement"].parties.first(),
        "agreements_signatory": f.SignatoryFactory(agreement=public["agreement"], person__organization=ministry_x),
        "agreements_planitem": f.PlanItemFactory(agreement=public["agreement"]),
        "agreements_projectparty": public["project"].parties.first(),
        "agreements_projectupdate": f.ProjectUpdateFactory(project=public["project"]),
        "auth_user": users["company_a"],
        "auth_group": staff_group,
    }
    objects["missions_source"] = objects["missions_reportedfigure"].source
    # A B2B session of staff_x's mission, configured and not yet built (no company has an agenda in it).
    objects["partners_b2bsession"] = B2BSession.objects.create(
        program_item=f.ProgramItemFactory(mission=m, kind="b2b", date=datetime.date(2026, 5, 20)),
        starts=datetime.time(10),
        ends=datetime.time(12),
    )
    # Company A's rename waiting for region X's staff: staff of region Y must not even see it.
    objects["companies_profilechange"] = ProfileChange.objects.create(
        organization=org_a, name="Альфа Инжиниринг", requested_by=users["company_a"]
    )
    # Uploads of staff_x's, read and not yet checked: one for each admin's job pages.
    objects["import_jobs"] = {
        kind: ImportJob.objects.create(kind=kind, created_by=users["staff_x"], filename="list.xlsx")
        for kind in ("organizations", "delegation", "plan", "projects")
    }
    public["meeting"] = objects["missions_meeting"]
    objects["agreements_reminder"] = Reminder.objects.create(
        kind=Reminder.Kind.PROJECT_STALE,
        subject=f"project:{public['project'].pk}",
        period="2026-01-01#1",
        due_on=datetime.date(2026, 2, 1),
        project=public["project"],
        recipient_email="rep-a@example.org",
    )
    policy, _created = ReminderPolicy.objects.get_or_create(pk=1)
    policy.save()  # an entry for its history pages
    objects["agreements_reminderpolicy"] = policy
    objects["missions_delegationapplication"] = DelegationApplication.objects.create(mission=m, organization=org_a)
    objects["partners_meetingrequest"] = MeetingRequest.objects.create(
        mission=m, requester=org_a, invitee=org_b, topic="Поставка манометров"
    )
    objects["partners_hostparticipant"] = HostParticipant.objects.create(mission=m, organization=org_b)
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    attempt = {"user_agent": "test", "ip_address": "192.0.2.1", "username": "rep-a", "path_info": "/account/login/"}
    objects["axes_accessattempt"] = AccessAttempt.objects.create(
        **attempt, get_data="", post_data="", http_accept="*/*", failures_since_start=1
    )
    objects["axes_accesslog"] = AccessLog.objects.create(**attempt, http_accept="*/*")
    objects["axes_accessfailurelog"] = AccessFailureLog.objects.create(**attempt, http_accept="*/*")
    # staff_x's export of a large changelist, not yet written (its download: not found until it is)
    objects["export_job"] = ExportJob.objects.create(user=users["staff_x"], app_label="missions", model_name="mission")
    return World(users, x, y, org_a, org_b, public, hidden, hidden_y, objects)


# --- Filling the arguments -------------------------------------------------------------------

NOWHERE = "no-such-slug-anywhere"
NO_SUCH_PK = 987654321

# The API's detail URLs: the kind of object they show, looked up by slug or by pk.
API_DETAIL = {
    "api:mission-detail": "mission",
    "api:mission-outcomes": "mission",
    "api:agreement-detail": "agreement",
    "api:organization-detail": "organization",
    "api:project-detail": "project",
    "api:project-updates": "project",
    "api:person-detail": "person",
    "api:meeting-detail": "meeting",
}


def urls_for(route: Route, w: World) -> list[tuple[str, str]]:
    """(variant, URL) pairs for one pattern: one per kind of object that could leak."""
    name, args = route.name, route.arguments
    if not args:
        return [("", reverse(name))]
    if view := admin_model_view(name):
        obj = w.objects[view[0]]
        if view[1] == "simple_history":
            return [("", reverse(name, args=[obj.pk, obj.history.first().history_id]))]
        return [("", reverse(name, kwargs={"object_id": obj.pk}))]
    detail = {
        "missions:detail": "mission",
        "agreements:detail": "agreement",
        "agreements:document": "agreement",
        "companies:company-detail": "organization",
        "reports:mission": "mission",
        "reports:mission-calendar": "mission",
        "reports:agreement": "agreement",
        "suggestions:mission": "mission",
    }
    if name in detail:
        kind = detail[name]
        return [
            ("public", reverse(name, kwargs={"slug": w.public[kind].slug})),
            ("hidden", reverse(name, kwargs={"slug": w.hidden[kind].slug})),
            ("hidden_y", reverse(name, kwargs={"slug": w.hidden_y[kind].slug})),
            ("missing", reverse(name, kwargs={"slug": NOWHERE})),
        ]
    if name in API_DETAIL:  # by slug, or by pk for people and meetings
        kind, key = API_DETAIL[name], args[0]
        return [
            ("public", reverse(name, kwargs={key: getattr(w.public[kind], key)})),
            ("hidden", reverse(name, kwargs={key: getattr(w.hidden[kind], key)})),
            ("hidden_y", reverse(name, kwargs={key: getattr(w.hidden_y[kind], key)})),
            ("missing", reverse(name, kwargs={key: NO_SUCH_PK if key == "pk" else NOWHERE})),
        ]
    if import_view := IMPORT_VIEW.match(name):
        return _import_urls(name, import_view["app_model"], import_view["page"], w)
    fixed = {
        "companies:region-detail": {"slug": w.ulyanovsk.slug},
        "companies:region-pair": {"slug": w.ulyanovsk.slug, "other_slug": w.chelyabinsk.slug},
        "suggestions:region-pair": {"slug": w.ulyanovsk.slug, "other_slug": w.chelyabinsk.slug},
        "reports:region-year": {"slug": w.ulyanovsk.slug, "year": 2025},
        "admin:view_on_site": {
            "content_type_id": ContentType.objects.get_for_model(Mission).pk,
            "object_id": w.public["mission"].pk,
        },
        "account:calendar-feed": {"token": "not-a-real-token"},
        "followup:update": {"token": "not-a-real-token"},
        "account:password-reset-confirm": {"uidb64": "MQ", "token": "not-a-real-token"},
        "admin:auth_user_password_change": {"id": w.users["company_a"].pk},
        "account:apply": {"slug": w.public["mission"].slug},
        "api:region-detail": {"slug": w.ulyanovsk.slug},
        "admin:agreements_cooperationproject_from_meeting": {"meeting_id": w.objects["missions_meeting"].pk},
        "api:sector-detail": {"slug": w.objects["companies_sector"].slug},
        "exports:job": {"job_id": w.objects["export_job"].pk},
        "exports:job-status": {"job_id": w.objects["export_job"].pk},
        "exports:job-download": {"job_id": w.objects["export_job"].pk},
        "b2b:agenda-pdf": {"session_pk": w.objects["partners_b2bsession"].pk},
        **{
            f"admin:partners_b2bsession_{page}": {"pk": w.objects["partners_b2bsession"].pk}
            for page in ("plan", "build", "move", "publish")
        },
        "partners:answer": {"token": "not-a-real-token"},
        "partners:accept": {"pk": w.objects["partners_meetingrequest"].pk},
        "partners:decline": {"pk": w.objects["partners_meetingrequest"].pk},
        "partners:withdraw": {"pk": w.objects["partners_meetingrequest"].pk},
        "partners:create": {"slug": w.public["mission"].slug},
        "partners:join": {"slug": w.public["mission"].slug},
        "admin:partners_meetingrequest_schedule": {"pk": w.objects["partners_meetingrequest"].pk},
        "admin:partners_meetingrequest_move": {"pk": w.objects["partners_meetingrequest"].pk},
    }
    if name in fixed:
        return [("", reverse(name, kwargs=fixed[name]))]
    if name == "admin:app_list":
        return [
            (label, reverse(name, kwargs={"app_label": label})) for label in ("companies", "missions", "auth", "axes")
        ]
    if name == "account:project-update":  # a project company A is party to
        return [("own_a", reverse(name, kwargs={"slug": w.public["project"].slug}))]
    if name == "account:api-key-revoke":  # a key of company A's representative
        return [("own_a", reverse(name, kwargs={"pk": w.objects["companies_apitoken"].pk}))]
    if name in {"account:offer-edit", "account:offer-delete", "account:need-edit", "account:need-delete"}:
        key = "companies_offer" if "offer" in name else "companies_need"
        return [("own_a", reverse(name, kwargs={"pk": w.objects[key].pk}))]
    raise LookupError(f"{name} ({route.route}): no way to fill {args}; add it to urls_for()")


# The imports from Excel (companies.imports): each admin's upload page (into a record of region X or
# of region Y for a mission or an agreement), its template, and a job of staff_x's with its status.
IMPORT_VIEW = re.compile(r"^admin:(?P<app_model>[a-z]+_[a-z]+)_import(?:_(?P<page>template|job|status|rows))?$")
IMPORT_KINDS = {
    "companies_organization": ("organizations",),
    "missions_mission": ("delegation", "schedule"),
    "agreements_agreement": ("plan",),
    "agreements_cooperationproject": ("projects",),
}


def _import_urls(name: str, app_model: str, page: str | None, w: World) -> list[tuple[str, str]]:
    kinds = IMPORT_KINDS[app_model]
    if page == "template":
        return [("", reverse(name, kwargs={"kind": kind})) for kind in kinds]
    if page in ("job", "status"):
        return [("job_x", reverse(name, kwargs={"job_id": w.objects["import_jobs"][kinds[0]].pk}))]
    if page == "rows":  # a mission's delegation and schedule in the import's layout
        urls = []
        for variant, obj in (("rows", w.public["mission"]), ("rows", w.hidden_y["mission"])):
            urls += [(variant, reverse(name, kwargs={"object_id": obj.pk, "kind": k})) for k in kinds]
        return urls
    if app_model in ("missions_mission", "agreements_agreement"):
        kind = app_model.split("_")[1]
        urls = []
        for variant, obj in (("x", w.public[kind]), ("y", w.hidden_y[kind])):
            urls += [(variant, reverse(name, kwargs={"object_id": obj.pk, "kind": k})) for k in kinds]
        return urls
    return [("", reverse(name, kwargs={"kind": kinds[0]}))]


def _import_page(role, variant, w):
    """Staff import into what their ministry keeps (a mission or agreement of their region's
    ministry; another is refused with a message, 403); a job is its author's (another's is a 404)."""
    if role in NOT_STAFF:
        return ADMIN_LOGIN
    if role == "superuser" or variant in ("", "rows"):  # staff view every mission in the admin
        return 200
    if variant == "job_x":
        return 200 if role == "staff_x" else 404
    return 200 if role == f"staff_{variant}" else 403


# --- Expectations ----------------------------------------------------------------------------


def _admin_only(ok):
    """Admin pages behind admin_view: non-staff are sent to the admin login."""
    return lambda role, variant, w: ADMIN_LOGIN if role in NOT_STAFF else ok


def _detail(role, variant, w):
    if variant == "public":
        return 200
    if variant == "missing":
        return 404
    return 200 if role in SEES_UNPUBLISHED else 404


def _account_page(role, variant, w):
    if role == "anonymous":
        return SITE_LOGIN
    if role in {"company_a", "company_b"}:
        return 200 if variant == "" or role == "company_a" else 404  # B asks for A's object
    return POLITE  # staff and officials have no company: a polite page, never a 500


def _app_list(role, variant, w):
    if role in NOT_STAFF:
        return ADMIN_LOGIN
    if role == "superuser" or variant in {"companies", "missions"}:
        return 200
    return 404  # staff hold no permission in auth or axes: the app does not exist for them


EVERYONE_200 = lambda role, variant, w: 200  # noqa: E731
SIGNED_IN_200 = lambda role, variant, w: NOT_SIGNED_IN if role == "anonymous" else 200  # noqa: E731

EXPECTATIONS = {
    # infrastructure
    "healthz": EVERYONE_200,
    "set_language": lambda role, variant, w: 302,  # a GET changes nothing and goes back home
    # public pages
    "portal:home": EVERYONE_200,
    "portal:dashboard": EVERYONE_200,
    "missions:list": EVERYONE_200,
    "missions:calendar": EVERYONE_200,
    "missions:detail": _detail,
    "agreements:list": EVERYONE_200,
    "agreements:detail": _detail,
    "agreements:document": _detail,  # the document: whoever sees the agreement
    "companies:region-list": EVERYONE_200,
    "companies:region-detail": EVERYONE_200,
    "companies:region-pair": EVERYONE_200,
    "companies:company-list": EVERYONE_200,
    "companies:company-detail": _detail,
    # reports: those of a mission or an agreement follow its page; a region's year shows what each may see
    "reports:mission": _detail,
    "reports:mission-calendar": _detail,
    "reports:agreement": _detail,
    "reports:region-year": EVERYONE_200,
    # admin, beyond the model pages
    "admin:index": _admin_only(200),
    "admin:login": lambda role, variant, w: 302 if role in STAFF | {"superuser"} else 200,
    "admin:logout": lambda role, variant, w: 302 if role in NOT_STAFF else 405,  # logout is POST only
    "admin:password_change": _admin_only(200),
    "admin:password_change_done": _admin_only(200),
    "admin:autocomplete": _admin_only(403),  # without its parameters; see the test with them below
    "admin:jsi18n": _admin_only(200),
    # a meeting opens its cooperation project: POST only, tested with a POST in tests/agreements
    "admin:agreements_cooperationproject_from_meeting": _admin_only(405),
    "admin:view_on_site": _admin_only(302),
    # a large export's page, state and file: its user's own (staff_x's), anyone else's is not found;
    # the changelists' export links are the model pages' "export_csv" and "export_xlsx" (as the changelist)
    "exports:job": lambda role, variant, w: ADMIN_LOGIN if role in NOT_STAFF else 200 if role == "staff_x" else 404,
    "exports:job-status": lambda role, variant, w: (
        ADMIN_LOGIN if role in NOT_STAFF else 200 if role == "staff_x" else 404
    ),
    "exports:job-download": _admin_only(404),  # not written yet
    # imports from Excel (tests/imports): upload pages, templates, a job's page and status
    **{
        f"admin:{app_model}_import{page}": _import_page
        for app_model in (
            "companies_organization",
            "missions_mission",
            "agreements_agreement",
            "agreements_cooperationproject",
        )
        for page in ("", "_template", "_job", "_status")
    },
    "admin:missions_mission_import_rows": _import_page,  # a mission's rows in the import's layout
    # a press release read into a new mission (releases.admin): ministry staff; a superuser with no
    # ministry would keep the mission for no one
    "admin:missions_mission_from_release": lambda role, variant, w: (
        ADMIN_LOGIN if role in NOT_STAFF else 200 if role in STAFF else 403
    ),
    "admin:app_list": _app_list,
    "admin:auth_user_password_change": lambda role, variant, w: (
        ADMIN_LOGIN if role in NOT_STAFF else 200 if role == "superuser" else 403
    ),
    # the personal area of company representatives
    "account:login": lambda role, variant, w: 200 if role == "anonymous" else 302,  # signed in: to /account/
    "account:logout": lambda role, variant, w: 405,  # POST only
    "account:start": lambda role, variant, w: 302,  # to the user's home by role
    "account:password-reset": EVERYONE_200,
    "account:password-reset-done": EVERYONE_200,
    "account:password-reset-complete": EVERYONE_200,
    "account:password-reset-confirm": EVERYONE_200,  # a wrong link: the page says so
    "account:calendar-feed": lambda role, variant, w: 404,  # a wrong token, whoever asks
    "account:home": _account_page,
    "account:profile": _account_page,
    "account:offer-add": _account_page,
    "account:offer-edit": _account_page,
    "account:offer-delete": _account_page,
    "account:need-add": _account_page,
    "account:need-edit": _account_page,
    "account:need-delete": _account_page,
    "account:meetings": _account_page,
    "account:projects": _account_page,
    "account:project-update": _account_page,
    "account:missions": _account_page,
    "account:apply": lambda role, variant, w: (  # POST only; not a representative: refused politely
        SITE_LOGIN if role == "anonymous" else 405 if role in {"company_a", "company_b"} else POLITE | {405}
    ),
    "account:calendar-reset": lambda role, variant, w: SITE_LOGIN if role == "anonymous" else POLITE | {405},
    # partner suggestions (partners.suggestions): a company's own page, its feedback (POST only, tested
    # with POSTs in tests/partners), a region pair's (visibility inside the page), a mission's for staff
    # and officials (anyone else: the mission's suggestions do not exist for them)
    "suggestions:company": lambda role, variant, w: (
        SITE_LOGIN if role == "anonymous" else 200 if role in {"company_a", "company_b"} else 403
    ),
    "suggestions:feedback": lambda role, variant, w: 405,
    "suggestions:region-pair": EVERYONE_200,
    "suggestions:mission": lambda role, variant, w: (
        SITE_LOGIN
        if role == "anonymous"
        else 404
        if role in {"company_a", "company_b"} or variant == "missing"
        else 200
    ),
    # a company's B2B agenda: its own meetings only; a session it has no meeting in does not exist for it
    "b2b:agenda": _account_page,
    "b2b:agenda-ics": _account_page,
    "b2b:agenda-pdf": lambda role, variant, w: (
        SITE_LOGIN if role == "anonymous" else 404 if role in {"company_a", "company_b"} else POLITE
    ),
    # the B2B plan in the admin: every staff member reads it; building, moving and publishing are POST
    # only (and then for the mission's ministry alone: tests/partners/test_schedule_permissions.py)
    "admin:partners_b2bsession_plan": _admin_only(200),
    "admin:partners_b2bsession_build": _admin_only(405),
    "admin:partners_b2bsession_move": _admin_only(405),
    "admin:partners_b2bsession_publish": _admin_only(405),
    # meeting requests in the personal area (tests/partners): the list; POST-only actions; the form
    # of a mission whose registration is closed (the world's missions are completed) is not found
    "partners:list": _account_page,
    "partners:accept": lambda role, variant, w: _company_post(role),
    "partners:decline": lambda role, variant, w: _company_post(role),
    "partners:withdraw": lambda role, variant, w: _company_post(role),
    "partners:join": lambda role, variant, w: _company_post(role),
    "partners:create": lambda role, variant, w: (
        SITE_LOGIN if role == "anonymous" else 404 if role in {"company_a", "company_b"} else POLITE
    ),
    "partners:answer": lambda role, variant, w: 404,  # a forged token, whoever asks
    # the staff's schedule and move pages of a request of staff_x's mission; another ministry's staff
    # are sent back to the request with a message
    "admin:partners_meetingrequest_schedule": lambda role, variant, w: _request_time_page(role),
    "admin:partners_meetingrequest_move": lambda role, variant, w: _request_time_page(role),
    # a reminder's one-click link: a forged token opens nothing, whoever asks
    "followup:update": lambda role, variant, w: 404,
    # API keys in the personal area: any signed-in user keeps their own
    "account:api-keys": lambda role, variant, w: SITE_LOGIN if role == "anonymous" else 200,
    "account:api-key-revoke": lambda role, variant, w: SITE_LOGIN if role == "anonymous" else 405,  # POST only
    # the REST API: reads are open (the selectors decide what is in them), "me" needs a user
    "api:region-list": EVERYONE_200,
    "api:region-detail": EVERYONE_200,
    "api:sector-list": EVERYONE_200,
    "api:sector-detail": EVERYONE_200,
    "api:organization-list": EVERYONE_200,
    "api:organization-detail": _detail,
    "api:person-list": EVERYONE_200,
    "api:person-detail": _detail,
    "api:mission-list": EVERYONE_200,
    "api:mission-detail": _detail,
    "api:mission-outcomes": _detail,
    "api:meeting-list": EVERYONE_200,
    "api:meeting-detail": _detail,
    "api:agreement-list": EVERYONE_200,
    "api:agreement-detail": _detail,
    "api:project-list": EVERYONE_200,
    "api:project-detail": _detail,
    # POST only: who is asking comes first (401), then the method (405), before any object is looked up
    "api:project-updates": lambda role, variant, w: NOT_SIGNED_IN if role == "anonymous" else 405,
    "api:me": SIGNED_IN_200,
    # a release read into a draft (POST only): staff only, who is asking first, then the method
    "api:drafts": lambda role, variant, w: (
        NOT_SIGNED_IN if role == "anonymous" else 405 if role in STAFF | {"superuser"} else 403
    ),
    "api:my-meeting-list": SIGNED_IN_200,
    "api:my-project-list": SIGNED_IN_200,
    "api:schema": EVERYONE_200,
    "api:docs": EVERYONE_200,
    "api:redoc": EVERYONE_200,
    "api:not-found": lambda role, variant, w: 404,  # any other address under /api/v1/, in the error shape
    # The queue of companies' profile changes: a request of region X's company is region X's staff's;
    # for staff of region Y it does not exist (the change page sends a missing row back to the index).
    "admin:companies_profilechange_change": lambda role, variant, w: _profile_change_page(role, 302),
    "admin:companies_profilechange_history": lambda role, variant, w: _profile_change_page(role, 404),
    "admin:companies_profilechange_simple_history": lambda role, variant, w: _profile_change_page(role, 404),
}


def _company_post(role):
    if role == "anonymous":
        return SITE_LOGIN
    return 405 if role in {"company_a", "company_b"} else POLITE


def _request_time_page(role):
    if role in NOT_STAFF:
        return ADMIN_LOGIN
    return 302 if role == "staff_y" else 200


def _profile_change_page(role, missing):
    if role in NOT_STAFF:
        return ADMIN_LOGIN
    return missing if role == "staff_y" else 200


# The admin's pages of every registered model, as ministry staff get them, for the object `world`
# opens there: one of region X, which staff_x's ministry organizes, is party to or curates (company A
# with its person, offer and need: region X's directory; company A's API key: company A's).
# "V": the changelist, change and history pages open (read only where they may not change the row);
# "A": the add page opens; "D": the delete page opens. Anything else is a 403. Staff hold no
# permission in auth or axes, and only view the fixed directory (districts, sectors, spheres).
STAFF_ADMIN_PAGES = {
    # app_model: (staff_x, staff_y)
    "companies_organization": ("VAD", "VA"),  # region X's directory: staff_x by region
    "companies_person": ("VAD", "VA"),
    "companies_offer": ("VAD", "VA"),
    "companies_need": ("VAD", "VA"),
    "companies_apitoken": ("VA", "VA"),  # company A's key: neither ministry's; revoked, never deleted
    "companies_federaldistrict": ("V", "V"),
    # A federal subject ships with the portal: staff add foreign regions, and change only those they
    # recorded; a place of region X is region X's directory.
    "companies_region": ("VA", "VA"),
    "companies_place": ("VAD", "VA"),
    "companies_sector": ("V", "V"),
    "companies_searchsynonym": ("VAD", "VAD"),  # one dictionary for the portal: any ministry's staff keep it
    # Requests come from the personal area and stay as a log: staff decide them on the list. Its
    # object pages for staff_y (another region's request): EXPECTATIONS.
    "companies_profilechange": ("V", "V"),
    "missions_mission": ("VAD", "VA"),  # organized by staff_x's ministry
    "missions_delegationmember": ("VAD", "VA"),
    "missions_programitem": ("VAD", "VA"),
    "missions_meeting": ("VAD", "VA"),
    "missions_reportedfigure": ("VAD", "VA"),
    "missions_source": ("VA", "VA"),  # recorded by no ministry (before sources were kept): a superuser's
    "missions_delegationapplication": ("V", "V"),  # applications come from the personal area
    "partners_b2bsession": ("VAD", "VA"),  # a session of staff_x's mission
    "agreements_agreement": ("VAD", "VA"),  # staff_x's ministry is a party
    "agreements_agreementparty": ("VAD", "VA"),
    "agreements_signatory": ("VAD", "VA"),
    "agreements_planitem": ("VAD", "VA"),
    "agreements_sphere": ("V", "V"),
    "agreements_cooperationproject": ("VAD", "VA"),  # curated by staff_x
    "agreements_projectparty": ("VAD", "VA"),
    "agreements_projectupdate": ("VA", "VA"),  # an append-only log
    "agreements_reminder": ("V", "V"),  # written by the scan, kept as a log
    "agreements_reminderpolicy": ("V", "V"),  # one row for the portal, never added or deleted
    "partners_meetingrequest": ("V", "V"),  # companies make requests; staff act on them by actions
    "partners_hostparticipant": ("VAD", "VA"),  # on staff_x's ministry's mission
    "auth_user": ("", ""),
    "auth_group": ("", ""),
    "axes_accessattempt": ("", ""),
    "axes_accesslog": ("", ""),
    "axes_accessfailurelog": ("", ""),
}
STAFF_PAGE = {"add": "A", "delete": "D"}  # every other kind of page is "V"

# What the admin refuses even a superuser. Third-party admins with their own rules: axes' logs are
# read-only. The portal's own: applications come from the personal area, project updates are an
# append-only log, reminders are written by the scan and kept as a log, the policy is one row,
# never added or deleted, and API keys are revoked, never deleted (a revoked key stays listed with
# the time it stopped working).
READ_ONLY_ADMINS = {
    "axes_accessattempt": {"add"},
    "axes_accesslog": {"add"},
    "axes_accessfailurelog": {"add"},
    "missions_delegationapplication": {"add"},
    "agreements_projectupdate": {"delete"},
    "agreements_reminder": {"add", "delete"},
    "agreements_reminderpolicy": {"add", "delete"},
    "companies_apitoken": {"delete"},
    "companies_profilechange": {"add", "delete"},
    "partners_meetingrequest": {"add"},
}


def _admin_model_expectation(role, w, app_model, kind):
    if role in NOT_STAFF:
        return ADMIN_LOGIN
    if role == "superuser":
        return 403 if kind in READ_ONLY_ADMINS.get(app_model, ()) else 200
    pages = STAFF_ADMIN_PAGES[app_model][0 if role == "staff_x" else 1]
    return 200 if STAFF_PAGE.get(kind, "V") in pages else 403


def expectation(route: Route, role: str, variant: str, w: World):
    if route.name in EXPECTATIONS:
        return EXPECTATIONS[route.name](role, variant, w)
    if view := admin_model_view(route.name):
        return _admin_model_expectation(role, w, *view)
    return None


def _covered(route: Route) -> bool:
    if route.name in EXPECTATIONS:
        return True
    view = admin_model_view(route.name)
    return view is not None and view[0] in STAFF_ADMIN_PAGES


# --- The tests -------------------------------------------------------------------------------


def test_every_url_has_an_expectation():
    routes = all_routes()
    unnamed = [r.route for r in routes if r.name is None and not UNNAMED_ALLOWED.match(r.route)]
    missing = sorted(r.name for r in routes if r.name and not _covered(r))
    stale = sorted(set(EXPECTATIONS) - {r.name for r in routes})
    stale += sorted((set(STAFF_ADMIN_PAGES) | set(READ_ONLY_ADMINS)) - set(admin_models()))
    assert (unnamed, missing, stale) == ([], [], []), (
        "add them to EXPECTATIONS or STAFF_ADMIN_PAGES (or remove the stale ones)"
    )


def test_staff_get_no_admin_page_a_superuser_is_refused():
    refused = {
        (app_model, kind)
        for app_model, kinds in READ_ONLY_ADMINS.items()
        for kind in kinds
        if any(STAFF_PAGE[kind] in pages for pages in STAFF_ADMIN_PAGES[app_model])
    }
    assert refused == set()


def test_every_model_admin_has_an_object_to_open(world):
    assert set(admin_models()) - set(world.objects) == set(), "add an object of the new model to `world`"


def _client_for(role, w):
    client = Client()
    if w.users[role] is not None:
        client.force_login(w.users[role])
    return client


def _matches(response, expected) -> bool:
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    if expected == SITE_LOGIN:
        return response.status_code == 302 and response.url.startswith(reverse("account:login"))
    if isinstance(expected, set):
        return response.status_code in expected
    return response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(world, role):
    client = _client_for(role, world)
    wrong = []
    for route in all_routes():
        if route.name is None:
            continue
        for variant, url in urls_for(route, world):
            expected = expectation(route, role, variant, world)
            response = client.get(url)
            if not _matches(response, expected):
                got = response.status_code, getattr(response, "url", "")
                wrong.append(f"{route.name}[{variant}] {url}: expected {expected}, got {got}")
    assert not wrong, "\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "name",
    [
        "missions:detail",
        "agreements:detail",
        "companies:company-detail",
        "reports:mission",
        "reports:mission-calendar",
        "reports:agreement",
    ],
)
@pytest.mark.parametrize("role", ["anonymous", "company_a", "company_b"])
def test_a_hidden_object_is_indistinguishable_from_a_missing_one(world, role, name):
    client = _client_for(role, world)
    kinds = {
        "missions:": "mission",
        "agreements:": "agreement",
        "reports:mission": "mission",
        "reports:agreement": "agreement",
    }
    kind = next((kind for prefix, kind in kinds.items() if name.startswith(prefix)), "organization")
    hidden_slug = world.hidden[kind].slug
    hidden = client.get(reverse(name, kwargs={"slug": hidden_slug}))
    missing = client.get(reverse(name, kwargs={"slug": NOWHERE}))

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.decode().replace(hidden_slug, "SLUG") == missing.content.decode().replace(NOWHERE, "SLUG")


@pytest.mark.parametrize("role", ["staff_x", "staff_y", "superuser"])
def test_admin_autocomplete_answers_staff(world, role):
    client = _client_for(role, world)
    query = {"app_label": "missions", "model_name": "mission", "field_name": "organizer", "term": ""}

    response = client.get(reverse("admin:autocomplete"), query)

    assert response.status_code == 200
    assert "results" in response.json()


def test_staff_of_another_region_may_view_but_not_change_a_foreign_mission(world):
    mission = world.public["mission"]  # organized by the ministry of region X
    client = _client_for("staff_y", world)
    url = reverse("admin:missions_mission_change", args=[mission.pk])

    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Захвачено", "slug": mission.slug})

    assert response.status_code == 403
    mission.refresh_from_db()
    assert mission.title != "Захвачено"


def _row_counts() -> dict[str, int]:
    skip = {"sessions", "axes"}  # sign-ins and their log are not the portal's data
    return {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label not in skip}


def test_an_official_changes_nothing_anywhere(world):
    official = world.users["official"]
    before = _row_counts()
    answers = []
    for route in all_routes():
        if route.name is None:
            continue
        for _variant, url in urls_for(route, world):
            for method in ("post", "put", "delete"):
                client = Client()
                client.force_login(official)
                data = {"title": "x", "language": "en", "text": "x", "name": "x", "_save": "1"}
                response = getattr(client, method)(url, data) if method == "post" else getattr(client, method)(url)
                answers.append((route.name, method, response.status_code))
    assert _row_counts() == before
    assert [a for a in answers if a[2] >= 500] == []


# --- API writes: progress on a project -------------------------------------------------------

# POST /api/v1/projects/{slug}/updates/ with each role's key, for the projects of `world`: staff_x's
# ministry curates the public and the hidden one, with company A as a party; staff_y's ministry
# curates hidden_y, with company B as a party. 404: the role may not even know the project exists.
API_PROJECT_UPDATE = {
    "anonymous": {"public": 401, "hidden": 401, "hidden_y": 401},
    "company_a": {"public": 201, "hidden": 201, "hidden_y": 404},  # a party's representative
    "company_b": {"public": 403, "hidden": 404, "hidden_y": 201},
    "staff_x": {"public": 201, "hidden": 201, "hidden_y": 403},  # staff of the curating ministry
    "staff_y": {"public": 403, "hidden": 403, "hidden_y": 201},
    "official": {"public": 403, "hidden": 403, "hidden_y": 403},  # reads everything, writes nothing
    "superuser": {"public": 201, "hidden": 201, "hidden_y": 201},
}


@pytest.mark.parametrize("role", ROLES)
def test_api_project_update_matrix(world, role):
    user = world.users[role]
    headers = {"Authorization": f"Token {api_token_create(user=user, name='matrix')[1]}"} if user else {}
    wrong = []
    for variant, projects in (("public", world.public), ("hidden", world.hidden), ("hidden_y", world.hidden_y)):
        project = projects["project"]
        before = set(ProjectUpdate.objects.filter(project=project).values_list("pk", flat=True))
        url = reverse("api:project-updates", kwargs={"slug": project.slug})

        response = Client().post(
            url, {"note": "Созвонились", "stage": "proposal"}, content_type="application/json", headers=headers
        )

        expected = API_PROJECT_UPDATE[role][variant]
        written = ProjectUpdate.objects.filter(project=project).exclude(pk__in=before)
        project.refresh_from_db()
        if response.status_code != expected:
            wrong.append(f"{variant} {url}: expected {expected}, got {response.status_code} {response.content[:200]}")
        elif expected == 201:
            assert [(u.author, u.text, u.stage_to) for u in written] == [(user, "Созвонились", "proposal")]
            assert project.stage == "proposal"
        else:
            assert response.json()["status"] == expected
            assert not written.exists() and project.stage == "negotiation", f"{variant}: refused, yet written"
    assert not wrong, "\n" + "\n".join(wrong)
