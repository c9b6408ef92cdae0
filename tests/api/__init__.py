"""Shared by the REST API tests: a small world (public and hidden rows in two regions, a user of
every role with an API key), a client that sends the key, and the one error shape."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from agreements.models import CooperationProject
from companies import roles
from companies.api_tokens import api_token_create
from tests import factories as f

ROLES = ["anonymous", "company_a", "company_b", "staff_x", "staff_y", "official", "superuser"]
SEES_UNPUBLISHED = {"staff_x", "staff_y", "official", "superuser"}
API = "/api/v1/"


@dataclass(repr=False)
class ApiWorld:
    users: dict  # role → user (None for anonymous)
    keys: dict  # role → API key (None for anonymous)
    region_x: object
    region_y: object
    orgs: dict  # ministry_x, ministry_y, org_a, org_b, hidden_x, hidden_y
    people: dict  # "public" (of company A), "hidden_x", "hidden_y"
    missions: dict  # slug → mission
    agreements: dict  # slug → agreement
    projects: dict  # slug → project
    meetings: dict = field(default_factory=dict)  # "public", "hidden_partner", "hidden_mission"

    def headers(self, role: str) -> dict:
        key = self.keys[role]
        return {"Authorization": f"Token {key}"} if key else {}


def _person_user(username, organization, **user_fields):
    user = f.UserFactory(username=username, **user_fields)
    f.PersonFactory(organization=organization, user=user, phone="+7 8422 00-00-01")
    return user


def build_world() -> ApiWorld:
    x, y = f.directory_region("73"), f.directory_region("74")
    ministry_x = f.MinistryFactory(region=x, slug="ministry-x", name="Министерство промышленности X")
    ministry_y = f.MinistryFactory(region=y, slug="ministry-y", name="Министерство промышленности Y")
    org_a = f.OrganizationFactory(region=x, slug="company-a", name="Завод Альфа", inn="7300000001")
    org_b = f.OrganizationFactory(region=y, slug="company-b", name="Завод Бета", inn="7400000001")
    hidden_x = f.OrganizationFactory(region=x, slug="hidden-org-x", name="Скрытый завод X", is_public=False)
    hidden_y = f.OrganizationFactory(region=y, slug="hidden-org-y", name="Скрытый завод Y", is_public=False)
    orgs = {"ministry_x": ministry_x, "ministry_y": ministry_y, "org_a": org_a, "org_b": org_b,
            "hidden_x": hidden_x, "hidden_y": hidden_y}  # fmt: skip

    staff_group = Group.objects.get(name=roles.STAFF_GROUP)
    officials = Group.objects.get(name=roles.OFFICIALS_GROUP)
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
    keys = {role: user and api_token_create(user=user, name="tests")[1] for role, user in users.items()}

    sector = f.SectorFactory(slug="machinery", name="Машиностроение")
    org_a.sectors.add(sector)
    f.OfferFactory(organization=org_a, title="Литьё под давлением", sector=sector)
    f.NeedFactory(organization=org_a, title="Поставщик алюминия")
    f.OfferFactory(organization=hidden_x, title="Скрытое предложение")
    people = {
        "public": users["company_a"].person,
        "hidden_x": f.PersonFactory(organization=hidden_x, phone="+7 8422 00-00-02"),
        "hidden_y": f.PersonFactory(organization=hidden_y, phone="+7 351 00-00-03"),
    }

    def mission(slug, origin, destination, organizer, public):
        m = f.MissionFactory(
            slug=slug, origin_region=origin, destination_regions=[destination], organizer=organizer, is_public=public
        )
        f.DelegationMemberFactory(mission=m, organization=org_a if origin == x else org_b)
        f.DelegationMemberFactory(mission=m, organization=hidden_x if origin == x else hidden_y)
        f.ProgramItemFactory(mission=m)
        return m

    missions = {
        m.slug: m
        for m in [
            mission("public-mission-x", x, y, ministry_x, True),
            mission("hidden-mission-x", x, y, ministry_x, False),
            mission("public-mission-y", y, x, ministry_y, True),
            mission("hidden-mission-y", y, x, ministry_y, False),
        ]
    }
    meetings = {
        "public": f.MeetingFactory(mission=missions["public-mission-x"], organization_a=org_a, organization_b=org_b),
        "hidden_partner": f.MeetingFactory(
            mission=missions["public-mission-x"], organization_a=org_a, organization_b=hidden_y
        ),
        "hidden_mission": f.MeetingFactory(
            mission=missions["hidden-mission-x"], organization_a=org_a, organization_b=org_b
        ),
    }

    def agreement(slug, public, parties):
        a = f.AgreementFactory(slug=slug, is_public=public)
        for organization in parties:
            f.AgreementPartyFactory(agreement=a, organization=organization)
        signer = f.PersonFactory(organization=parties[0])
        f.SignatoryFactory(agreement=a, person=signer, on_behalf_of=parties[0])
        f.PlanItemFactory(agreement=a, responsible_organization=parties[-1])
        return a

    agreements = {
        a.slug: a
        for a in [
            agreement("public-agreement-x", True, [ministry_x, ministry_y, hidden_x]),
            agreement("hidden-agreement-x", False, [ministry_x, org_a]),
            agreement("hidden-agreement-y", False, [ministry_y, hidden_y]),
        ]
    }

    def project(slug, curator, parties, public, stage=CooperationProject.Stage.NEGOTIATION):
        p = f.CooperationProjectFactory(
            slug=slug, curator=users[curator], is_public=public, stage=stage, next_step="Созвониться"
        )
        p.sectors.add(sector)
        for organization in parties:
            f.ProjectPartyFactory(project=p, organization=organization)
        f.ProjectUpdateFactory(project=p, author=users[curator])
        return p

    Stage = CooperationProject.Stage
    projects = {
        p.slug: p
        for p in [
            project("public-project-x", "staff_x", [org_a, org_b], True),
            project("hidden-project-x", "staff_x", [org_a, hidden_x], False),
            project("hidden-project-y", "staff_y", [org_b, hidden_y], False),
            project("private-lead-a", "staff_x", [org_a, ministry_x], False, Stage.LEAD),
            project("public-lead-b", "staff_y", [org_b, ministry_y], True, Stage.LEAD),
        ]
    }
    return ApiWorld(users, keys, x, y, orgs, people, missions, agreements, projects, meetings)


class Api:
    """GET and POST to the API as a role of the world, or with a given key; answers are JSON."""

    def __init__(self, world: ApiWorld | None = None):
        self.world = world
        self.client = Client()

    def _headers(self, role, key):
        if key is not None:
            return {"Authorization": f"Token {key}"}
        return self.world.headers(role) if role else {}

    def get(self, path: str, params=None, *, role: str | None = None, key: str | None = None, **extra):
        url = path if path.startswith(("/", "http")) else API + path
        return self.client.get(url, params or {}, headers=self._headers(role, key), **extra)

    def post(self, path: str, data=None, *, role: str | None = None, key: str | None = None, **extra):
        url = path if path.startswith("/") else API + path
        return self.client.post(
            url, data or {}, content_type="application/json", headers=self._headers(role, key), **extra
        )


def assert_error_shape(response, status: int) -> list[dict]:
    """The one error shape: {status, errors: [{field, code, message}]}; returns the errors."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"status", "errors"}
    assert body["status"] == status
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}, error
        assert error["field"] is None or isinstance(error["field"], str)
        assert isinstance(error["code"], str) and error["code"]
        assert isinstance(error["message"], str) and error["message"]
    return body["errors"]


def days_ahead(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()
