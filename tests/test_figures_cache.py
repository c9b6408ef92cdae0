"""The dashboard's and front page's figures served from the cache per visibility scope
(config/portal/figures_cache.py): the same as the live computation for every role, and never stale
after a write."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, Group
from django.test import Client
from django.utils import timezone

from agreements.models import Agreement, CooperationProject, PlanItem, ReminderPolicy, StaleAfter
from agreements.selectors import agreements_visible_to, projects_visible_to
from companies.roles import OFFICIALS_GROUP, visibility_scope
from companies.selectors import organizations_visible_to
from config.portal import dashboard, figures_cache
from config.portal.figures_cache import figures_version
from config.portal.views import DashboardView
from missions.api import meetings_visible_to
from missions.models import Meeting, Mission
from missions.selectors import missions_visible_to
from tests import factories as f

pytestmark = pytest.mark.django_db

HELD = Meeting.Status.HELD
TODAY = datetime.date(2026, 6, 1)


def _official():
    user = f.UserFactory(username="official")
    user.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
    return user


def _company_representative(name: str):
    user = f.UserFactory(username=name)
    f.PersonFactory(organization=f.OrganizationFactory(), user=user)
    return user


ROLES = {
    "anonymous": AnonymousUser,
    "company": lambda: _company_representative("rep-a"),
    "other company": lambda: _company_representative("rep-b"),
    "plain login": lambda: f.UserFactory(username="plain"),
    "inactive staff": lambda: f.MinistryStaffFactory(username="gone", is_active=False),
    "official": _official,
    "staff": lambda: f.MinistryStaffFactory(username="staff-a"),
    "other ministry's staff": lambda: f.MinistryStaffFactory(username="staff-b"),
    "superuser": lambda: f.StaffUserFactory(username="root"),
}
SCOPES = {
    "anonymous": "public",
    "company": "public",
    "other company": "public",
    "plain login": "public",
    "inactive staff": "public",
    "official": "all",
    "staff": "all",
    "other ministry's staff": "all",
    "superuser": "all",
}


@pytest.fixture
def data():
    """Public and hidden missions, organizations, meetings, projects, contracts and overdue plan items."""
    sectors = [f.SectorFactory(), f.SectorFactory()]
    public = f.MissionFactory(title="Открытая миссия", destination_regions=[f.RegionFactory()])
    hidden = f.MissionFactory(title="Закрытая миссия", is_public=False, destination_regions=[f.RegionFactory()])
    shown, secret = f.OrganizationFactory(), f.OrganizationFactory(is_public=False)
    shown.sectors.set(sectors[:1])
    secret.sectors.set(sectors)
    for mission in (public, hidden):
        f.DelegationMemberFactory(mission=mission, organization=shown)
        f.DelegationMemberFactory(mission=mission, organization=secret)
        f.MeetingFactory(mission=mission, status=HELD, organization_a=shown)
        f.MeetingFactory(mission=mission, status=HELD, organization_a=secret)
    for is_public, stage in [(True, "contract_signed"), (False, "in_implementation"), (True, "negotiation")]:
        project = f.CooperationProjectFactory(
            origin_mission=public,
            stage=stage,
            is_public=is_public,
            expected_value=Decimal(1000),
            last_activity_at=timezone.make_aware(datetime.datetime(2025, 1, 1)),
        )
        project.sectors.set(sectors[1:])
    for is_public in (True, False):
        agreement = f.AgreementFactory(
            kind=Agreement.Kind.CONTRACT, value=Decimal(10), currency="RUB", is_public=is_public
        )
        f.PlanItemFactory(agreement=agreement, due_date=datetime.date(2026, 1, 1))
    return {"public": public, "hidden": hidden}


@pytest.mark.parametrize("role", list(ROLES))
def test_visibility_scope_of_each_role(role):
    assert visibility_scope(ROLES[role]()) == SCOPES[role]


def test_users_of_one_scope_see_the_same_rows_in_every_selector(data):
    selectors = [
        organizations_visible_to,
        missions_visible_to,
        meetings_visible_to,
        agreements_visible_to,
        projects_visible_to,
    ]
    users = {role: make() for role, make in ROLES.items()}
    seen = {
        role: [sorted(selector(user).values_list("pk", flat=True)) for selector in selectors]
        for role, user in users.items()
    }
    everything = [sorted(selector(f.StaffUserFactory()).values_list("pk", flat=True)) for selector in selectors]

    for role, rows in seen.items():
        same_scope = [other for other in ROLES if SCOPES[other] == SCOPES[role]]
        assert all(seen[other] == rows for other in same_scope), role
    assert seen["official"] == everything
    # The scopes differ in every selector (so one cache entry shared between them would leak).
    public_missions, all_missions = seen["anonymous"][1], everything[1]
    assert data["hidden"].pk in all_missions
    assert data["hidden"].pk not in public_missions
    assert all(len(public) < len(every) for public, every in zip(seen["anonymous"], everything, strict=True))


@pytest.mark.parametrize("role", list(ROLES))
def test_cached_figures_equal_the_live_ones_for_every_role(role, data, django_assert_num_queries):
    user = ROLES[role]()

    cached_dashboard = DashboardView.figures_cached(user)[0]
    cached_home = dashboard.home_figures_cached(user)
    cached_rows = dashboard.follow_up_rows_cached(user, today=TODAY)
    cached_home_rows = dashboard.home_rows_cached(user, today=TODAY)
    with django_assert_num_queries(0):  # the second time, every figure comes from the cache
        again = (
            DashboardView.figures_cached(user)[0],
            dashboard.home_figures_cached(user),
            dashboard.follow_up_rows_cached(user, today=TODAY),
            dashboard.home_rows_cached(user, today=TODAY),
        )

    assert again == (cached_dashboard, cached_home, cached_rows, cached_home_rows)
    assert cached_home_rows.missions == [m.pk for m in dashboard.missions_upcoming(user, today=TODAY)]
    assert cached_home_rows.agreements == [a.pk for a in dashboard.agreements_recently_signed(user)]
    assert cached_dashboard == dashboard.dashboard_figures(user)
    assert cached_home == dashboard.home_figures(user)
    assert cached_rows == dashboard.follow_up_rows(user, today=TODAY)
    # Delegations' companies, held meetings with both sides visible, contracts (signed projects and a
    # contract agreement), projects, overdue plan items.
    expected = {"public": (1, 1, 2, 2, 1), "all": (2, 4, 4, 3, 2)}[SCOPES[role]]
    total = cached_dashboard.total
    assert (total.companies, total.meetings, total.contracts, total.projects, cached_rows.overdue_count) == expected


def test_the_scopes_do_not_share_figures(data):
    anonymous = DashboardView.figures_cached(AnonymousUser())[0]
    official = DashboardView.figures_cached(_official())[0]

    assert (anonymous.total.meetings, official.total.meetings) == (1, 4)


def _funnel_bar(response, stage: str) -> str:
    match = re.search(rf'data-stage="{stage}">.*?<b>(.*?)</b>', response.content.decode(), re.S)
    assert match, stage
    return match.group(1)


def test_a_write_changes_the_next_requests_figures(client, data):
    client.get("/dashboard/")
    client.get("/")
    assert client.get("/dashboard/").context["total"].meetings == 1

    f.MeetingFactory(mission=data["public"], status=HELD)

    response = client.get("/dashboard/")
    assert response.context["total"].meetings == 2
    assert _funnel_bar(response, "meetings") == "2"  # the cached HTML is of the new figures too
    assert client.get("/").context["figures"].meetings == 2
    Mission.objects.get(pk=data["public"].pk).delete()
    assert client.get("/").context["figures"].meetings == 0


def test_a_write_changes_the_front_pages_lists_of_the_next_request(client, data):
    assert [m.title for m in client.get("/").context["upcoming_missions"]] == []

    soon = timezone.localdate() + datetime.timedelta(days=10)
    f.MissionFactory(title="Миссия в Казань", start_date=soon, end_date=None, status=Mission.Status.PLANNED)
    f.MissionFactory(title="Скрытая", start_date=soon, end_date=None, status=Mission.Status.PLANNED, is_public=False)

    assert [m.title for m in client.get("/").context["upcoming_missions"]] == ["Миссия в Казань"]


def test_a_write_changes_the_follow_up_lists_of_the_next_request(client, data):
    item = PlanItem.objects.get(agreement__is_public=True)
    response = client.get("/dashboard/")
    assert ([row.pk for row in response.context["overdue_items"]], response.context["overdue_count"]) == ([item.pk], 1)

    item.status = PlanItem.Status.DONE
    item.completed_on = datetime.date(2026, 1, 2)
    item.save()
    response = client.get("/dashboard/")

    assert (response.context["overdue_items"], response.context["overdue_count"]) == ([], 0)


def _writes(data):
    """One write per model (and many-to-many table) the figures read."""
    mission, organization = data["public"], f.OrganizationFactory()
    project = CooperationProject.objects.filter(origin_mission=mission).first()
    meeting = Meeting.objects.filter(mission=mission).first()
    policy = ReminderPolicy.objects.first() or ReminderPolicy.objects.create()
    return {
        "mission": lambda: Mission.objects.get(pk=mission.pk).save(),
        "mission destinations": lambda: mission.destination_regions.add(f.RegionFactory()),
        "delegation member": lambda: f.DelegationMemberFactory(mission=mission),
        "meeting": lambda: f.MeetingFactory(mission=mission, status=HELD),
        "meeting deleted": lambda: meeting.delete(),
        "meeting sectors": lambda: meeting.sectors.add(f.SectorFactory()),
        "organization": lambda: organization.save(),
        "organization sectors": lambda: organization.sectors.add(f.SectorFactory()),
        "project": lambda: f.CooperationProjectFactory(),
        "project sectors": lambda: project.sectors.clear(),
        "agreement": lambda: f.AgreementFactory(),
        "plan item": lambda: f.PlanItemFactory(due_date=datetime.date(2026, 1, 1)),
        "reminder policy": lambda: policy.save(),
        "stale after": lambda: StaleAfter.objects.filter(policy=policy).first().save(),
        "region": lambda: mission.destination_regions.first().save(),
        "sector": lambda: f.SectorFactory(),
    }


@pytest.mark.parametrize(
    "write",
    [
        "mission",
        "mission destinations",
        "delegation member",
        "meeting",
        "meeting deleted",
        "meeting sectors",
        "organization",
        "organization sectors",
        "project",
        "project sectors",
        "agreement",
        "plan item",
        "reminder policy",
        "stale after",
        "region",
        "sector",
    ],
)
def test_every_write_the_figures_read_bumps_the_version(data, write):
    writes = _writes(data)
    dashboard.follow_up_rows_cached(AnonymousUser(), today=TODAY)  # the policy and its periods exist
    before = figures_version()

    writes[write]()

    assert figures_version() != before


def test_a_write_elsewhere_keeps_the_version(data):
    before = figures_version()

    f.SourceFactory()

    assert figures_version() == before


def test_figures_computed_before_the_commit_are_not_served_after_it(django_capture_on_commit_callbacks):
    """Another request computes the figures between the write and its commit, from the rows before
    the write, and caches them under the version the write set: the commit sets another."""
    with django_capture_on_commit_callbacks(execute=True):
        f.MeetingFactory(status=HELD)
        during = figures_version()
        DashboardView.figures_cached(AnonymousUser())
    assert figures_version() != during


def test_a_transaction_of_many_writes_replaces_the_version_once_at_its_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        mission = f.MissionFactory()
        for _ in range(3):
            f.MeetingFactory(mission=mission, status=HELD)

    new_version = figures_cache._new_version
    assert [callback for callback in callbacks if callback is new_version] == [new_version]


def test_figures_expire_after_the_setting_even_without_a_signal(data, settings):
    """A write past the signals (QuerySet.update) shows within PORTAL_FIGURES_CACHE_SECONDS."""
    settings.PORTAL_FIGURES_CACHE_SECONDS = 60
    # The local-memory cache reads the (travelled) clock; Redis (CI) expires entries by its own.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ttl"}}
    user = AnonymousUser()
    with time_machine.travel("2026-06-01 09:00", tick=False) as traveller:
        assert DashboardView.figures_cached(user)[0].total.meetings == 1
        Meeting.objects.filter(mission=data["public"]).update(status=Meeting.Status.CANCELLED)
        assert DashboardView.figures_cached(user)[0].total.meetings == 1
        traveller.shift(61)
        assert DashboardView.figures_cached(user)[0].total.meetings == 0


def test_a_threshold_and_a_day_each_have_their_own_follow_up_rows(data):
    user = AnonymousUser()

    assert dashboard.follow_up_rows_cached(user, today=TODAY).overdue_count == 1
    assert dashboard.follow_up_rows_cached(user, today=datetime.date(2025, 12, 31)).overdue_count == 0
    assert dashboard.follow_up_rows_cached(user, today=TODAY, days=400).stale_count == 2
    assert dashboard.follow_up_rows_cached(user, today=TODAY, days=600).stale_count == 0


def test_with_the_cache_unreachable_the_pages_answer_and_writes_succeed(data, settings):
    """Redis down: the figures are computed on every request, and saving a row still works."""
    live = DashboardView.figures_cached(AnonymousUser())[0].total.meetings
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    client = Client()

    assert [client.get(path).status_code for path in ("/", "/dashboard/")] == [200, 200]
    assert DashboardView.figures_cached(AnonymousUser())[0].total.meetings == live
    Meeting.objects.filter(mission=data["public"]).first().save()  # the signal's new version is lost, quietly
    Meeting.objects.filter(mission=data["public"]).update(status=Meeting.Status.CANCELLED)
    assert DashboardView.figures_cached(AnonymousUser())[0].total.meetings == live - 1  # never cached meanwhile
