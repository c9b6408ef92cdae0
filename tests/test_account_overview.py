"""The personal area's overview: what needs the company — its upcoming meetings, its projects waiting
for an update (the follow-up policy's stale rule) and its open applications — and nothing of another
company. Also the sub-navigation's "you are here" and the profile's sectors grouped by parent."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.portal.account.forms import ProfileForm, sectors_grouped
from config.portal.account.overview import account_overview
from missions.models import DelegationApplication, Meeting
from tests.factories import (
    CooperationProjectFactory,
    MeetingFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectPartyFactory,
    SectorFactory,
    UserFactory,
    directory_region,
)
from tests.helpers import query_count

TODAY = datetime.date(2026, 3, 2)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def scene(db):
    """Company A with two upcoming meetings, one held and one cancelled; projects idle 45 and 5 days and a
    dropped one; one pending and one approved application. Company B has its own of each."""
    a = OrganizationFactory(name="Альфа")
    b = OrganizationFactory(name="Бета", region=directory_region("74"))
    host = OrganizationFactory(name="Гамма", region=directory_region("74"))
    mission = MissionFactory(
        title="Миссия в Челябинск", start_date=datetime.date(2026, 3, 10), end_date=datetime.date(2026, 3, 12)
    )
    other = MissionFactory(
        title="Миссия в Тулу", start_date=datetime.date(2026, 5, 4), end_date=datetime.date(2026, 5, 5)
    )

    def meeting(org, with_org, day, status=Meeting.Status.SCHEDULED, topic="", hour=10):
        return MeetingFactory(
            mission=mission,
            organization_a=org,
            organization_b=with_org,
            starts_at=at(day, hour),
            ends_at=at(day, hour + 1),
            status=status,
            topic=topic,
        )

    meeting(a, host, datetime.date(2026, 3, 11), topic="Датчики давления")
    meeting(host, a, datetime.date(2026, 3, 10), status=Meeting.Status.REQUESTED, topic="Манометры")
    meeting(a, host, datetime.date(2026, 2, 20), status=Meeting.Status.HELD, topic="Уже прошла")
    meeting(a, host, datetime.date(2026, 3, 12), status=Meeting.Status.CANCELLED, topic="Отменена")
    meeting(b, host, datetime.date(2026, 3, 11), topic="Встреча Беты", hour=14)  # the host is busy at 10

    def project(org, title, idle_days, stage="negotiation"):
        p = CooperationProjectFactory(title=title, stage=stage)
        ProjectPartyFactory(project=p, organization=org)
        type(p).objects.filter(pk=p.pk).update(last_activity_at=at(TODAY - datetime.timedelta(days=idle_days)))
        return p

    project(a, "Поставка сенсоров", 45)
    project(a, "Поставка валов", 60, stage="proposal")
    project(a, "Свежий проект", 5)
    project(a, "Брошенный проект", 400, stage="dropped")
    project(b, "Проект Беты", 90)

    DelegationApplication.objects.create(mission=other, organization=a)
    DelegationApplication.objects.create(
        mission=mission, organization=a, status=DelegationApplication.Status.APPROVED, decided_at=at(TODAY)
    )
    DelegationApplication.objects.create(mission=other, organization=b)
    return a, b


def test_the_overview_lists_what_needs_the_company_and_nothing_of_another(scene):
    a, _b = scene

    overview = account_overview(a, today=TODAY)

    assert [(m.date, m.topic, m.status) for m in overview.upcoming_meetings] == [
        (datetime.date(2026, 3, 10), "Манометры", "requested"),
        (datetime.date(2026, 3, 11), "Датчики давления", "scheduled"),
    ]
    assert overview.upcoming_meetings_count == 2
    # negotiation and proposal are stale after 30 days in the default policy; a dropped project is closed
    assert [p.title for p in overview.projects_awaiting_update] == ["Поставка валов", "Поставка сенсоров"]
    assert [(x.mission.title, x.status) for x in overview.open_applications] == [("Миссия в Тулу", "pending")]


def test_the_overview_of_a_company_with_nothing_pending_is_empty(db):
    overview = account_overview(OrganizationFactory(), today=TODAY)

    assert (overview.upcoming_meetings, overview.projects_awaiting_update, overview.open_applications) == ([], [], [])


def test_the_overview_page_shows_the_three_lists(scene, settings):
    a, _b = scene
    user = UserFactory()
    PersonFactory(organization=a, user=user)
    client = Client()
    client.force_login(user)

    with time_machine.travel(at(TODAY), tick=False):
        html = client.get(reverse("account:home"), headers={"accept-language": "ru"}).content.decode()

    def items(css_class):
        rows = re.findall(rf'<li class="{css_class}"><span class="title">([^<]+)</span>', html)
        return rows

    assert items("upcoming-meeting") == ["Гамма", "Гамма"]
    assert items("project-awaiting") == ["Поставка валов", "Поставка сенсоров"]
    assert items("open-application") == ["Миссия в Тулу"]
    assert "Проект Беты" not in html and "Встреча Беты" not in html and "Бета" not in html


@pytest.mark.parametrize(
    ("url_name", "current"),
    [("account:home", "Обзор"), ("account:meetings", "Встречи"), ("account:projects", "Проекты")],
)
def test_the_sub_navigation_marks_where_you_are(db, url_name, current):
    user = UserFactory()
    PersonFactory(organization=OrganizationFactory(), user=user)
    client = Client()
    client.force_login(user)

    html = client.get(reverse(url_name), headers={"accept-language": "ru"}).content.decode()

    assert re.findall(r'<a href="[^"]+" aria-current="page">([^<]+)</a>', html) == [current]


def test_the_profile_groups_sectors_by_their_parent(db):
    machinery = SectorFactory(name="Машиностроение")
    SectorFactory(name="Станкостроение", parent=machinery)
    aviation = SectorFactory(name="Авиация", parent=machinery)
    SectorFactory(name="Двигатели", parent=aviation)
    chemistry = SectorFactory(name="Химия")

    groups = [(label, [name for _pk, name in rows]) for label, rows in sectors_grouped()]

    assert groups == [
        ("Машиностроение", ["Машиностроение (as a whole)", "Авиация", "Авиация — Двигатели", "Станкостроение"]),
        ("Химия", ["Химия (as a whole)"]),
    ]
    form = ProfileForm(instance=OrganizationFactory())
    assert chemistry.pk in [pk for _label, rows in form.fields["sectors"].choices for pk, _name in rows]


def test_the_overview_query_count_does_not_grow_with_rows(db):
    org, host = OrganizationFactory(), OrganizationFactory(region=directory_region("74"))
    user = UserFactory()
    PersonFactory(organization=org, user=user)
    client = Client()
    client.force_login(user)
    mission = MissionFactory(start_date=datetime.date(2026, 3, 10), end_date=datetime.date(2026, 3, 12))

    def add(n: int) -> None:
        for i in range(Meeting.objects.count(), Meeting.objects.count() + n):  # one slot each: the two are busy
            MeetingFactory(
                mission=mission,
                organization_a=org,
                organization_b=host,
                starts_at=at(TODAY, 0) + datetime.timedelta(days=8, minutes=31 * i),
            )
            project = CooperationProjectFactory(stage="negotiation")
            ProjectPartyFactory(project=project, organization=org)
            ProjectPartyFactory(project=project, organization=host)
            type(project).objects.filter(pk=project.pk).update(last_activity_at=at(TODAY - datetime.timedelta(days=40)))
            DelegationApplication.objects.create(mission=MissionFactory(), organization=org)

    url = reverse("account:home")
    with time_machine.travel(at(TODAY), tick=False):
        add(2)
        few = query_count(client, url)
        add(30)
        many = query_count(client, url)

    assert few == many
