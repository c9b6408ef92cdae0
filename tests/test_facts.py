"""Every page says what is true, with the awkward data rendered (issue 13, "facts that contradict each
other"): an agreement with an unknown signing date, with no term, with an open-ended term, with a
year-only date, on every page that shows agreements and in the API; a company with projects and no
delegation membership; meetings with an organization outside the delegation and the host side; who
is signed in; curators and authors by name and position. Pages are read in Russian, the default; a
hidden organization's name never shows."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agreements.models import Agreement, CooperationProject
from companies.dates import DatePrecision
from companies.roles import user_display, user_name
from missions.models import Meeting
from tests import factories as f
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    CooperationProjectFactory,
    DelegationMemberFactory,
    MeetingFactory,
    MinistryFactory,
    MinistryStaffFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectPartyFactory,
    ProjectUpdateFactory,
    UserFactory,
    directory_region,
)
from tests.helpers import html_of, section_of
from tests.test_admin import _submit

pytestmark = pytest.mark.django_db

HIDDEN = "Скрытый завод «Тайна»"


def text(html: str) -> str:
    """The visible text, tags dropped and whitespace folded."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def row_of(html: str, title: str) -> str:
    """The text of the table row or list item naming `title`."""
    for row in re.findall(r"<(?:tr|li)[^>]*>(.*?)</(?:tr|li)>", html, re.S):
        if title in row:
            return text(row)
    raise AssertionError(f"{title} is not on the page")


# --- agreements with unknown dates and terms ---------------------------------------------------


@pytest.fixture
def awkward():
    """A public mission from Ulyanovsk to Chelyabinsk at which three agreements were signed between the
    Ulyanovsk ministry and a Chelyabinsk plant: one signed on an unknown day with no term given, one
    open-ended, one known to its year only. A hidden plant is party to the first."""
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    ministry = MinistryFactory(region=ulyanovsk, name="Министерство промышленности Ульяновской области")
    plant = OrganizationFactory(region=chelyabinsk, slug="plant", name="Челябинский станкозавод")
    hidden = OrganizationFactory(region=chelyabinsk, slug="hidden", name=HIDDEN, is_public=False)
    mission = MissionFactory(
        slug="visit", title="Визит в Челябинск", origin_region=ulyanovsk, destination_regions=[chelyabinsk],
        organizer=ministry, start_date=datetime.date(2024, 5, 12), end_date=datetime.date(2024, 5, 13),
    )  # fmt: skip
    DelegationMemberFactory(mission=mission, organization=ministry)

    def agreement(slug, title, *parties, **fields):
        row = AgreementFactory(slug=slug, title=title, signed_at_mission=mission, **fields)
        for organization in (ministry, plant, *parties):
            AgreementPartyFactory(agreement=row, organization=organization)
        return row

    agreement("unknown", "Соглашение без даты", hidden, status=Agreement.Status.SIGNED, signed_on=None,
              valid_from=None, valid_until=None, is_open_ended=False)  # fmt: skip
    may_12 = datetime.date(2024, 5, 12)
    agreement("open", "Бессрочное соглашение", status=Agreement.Status.IN_FORCE,
              signed_on=may_12, valid_from=may_12, is_open_ended=True)  # fmt: skip
    agreement("year", "Соглашение 2015 года", status=Agreement.Status.IN_FORCE, signed_on=datetime.date(2015, 1, 1),
              signed_on_precision=DatePrecision.YEAR, valid_from=None)  # fmt: skip
    return mission


AGREEMENT_PAGES = [
    "/agreements/",
    "/regions/ulyanovsk-oblast/",
    "/regions/chelyabinsk-oblast/ulyanovsk-oblast/",
    "/companies/plant/",
    "/missions/visit/",
]


@pytest.mark.parametrize("url", AGREEMENT_PAGES)
def test_every_page_with_agreements_says_an_unknown_date_is_unknown(client, awkward, url):
    html = html_of(client.get(url))

    unknown = row_of(html, "Соглашение без даты")
    assert "дата не указана" in unknown
    assert "ещё не подписано" not in html  # all three are signed
    assert "2015" in row_of(html, "Соглашение 2015 года")
    assert "1 января 2015" not in html and "01.01.2015" not in html  # a year-only date never gains a day
    assert HIDDEN not in html


@pytest.mark.parametrize(
    ("slug", "signed", "term"),
    [
        ("unknown", "дата не указана", "срок не указан"),
        ("open", "12 мая 2024", "бессрочно"),
        ("year", "2015", "срок не указан"),
    ],
)
def test_the_agreement_page_gives_the_signing_date_and_term_as_known(client, awkward, slug, signed, term):
    html = html_of(client.get(f"/agreements/{slug}/"))
    facts = text(html)

    assert f"Дата подписания {signed}" in facts
    assert term in facts
    other = {"срок не указан", "бессрочно"} - {term}
    assert not any(word in facts for word in other)
    assert "ещё не подписано" not in facts
    assert HIDDEN not in html


def test_the_registry_list_gives_each_term_as_known(client, awkward):
    html = html_of(client.get("/agreements/"))

    assert "срок не указан" in row_of(html, "Соглашение без даты")
    assert "бессрочно" in row_of(html, "Бессрочное соглашение")
    assert "бессрочно" not in row_of(html, "Соглашение без даты")


def test_the_mission_page_says_signed_with_the_date_unknown(client, awkward):
    html = section_of(html_of(client.get("/missions/visit/")), "agreements-heading")

    assert "подписано: дата не указана" in row_of(html, "Соглашение без даты")
    assert "подписано: 2015" in row_of(html, "Соглашение 2015 года")


def test_home_and_dashboard_never_call_a_signed_agreement_unsigned(client, awkward):
    home = html_of(client.get("/"))
    dashboard = html_of(client.get("/dashboard/"))

    assert "ещё не подписано" not in home and "ещё не подписано" not in dashboard
    assert "подписано 12 мая 2024" in text(home)  # the open-ended one, the latest dated signing
    assert HIDDEN not in home and HIDDEN not in dashboard


def test_the_api_gives_the_dates_as_known_and_invents_none(client, awkward):
    rows = {row["slug"]: row for row in client.get("/api/v1/agreements/").json()["results"]}

    assert (rows["unknown"]["status"], rows["unknown"]["signed_on"], rows["unknown"]["is_open_ended"]) == (
        "signed",
        None,
        False,
    )
    assert rows["unknown"]["valid_until"] is None
    assert (rows["open"]["signed_on"], rows["open"]["is_open_ended"]) == ("2024-05-12", True)
    assert (rows["year"]["signed_on"], rows["year"]["signed_on_precision"]) == ("2015-01-01", "year")


# --- a company page says what is true ------------------------------------------------------------


@pytest.fixture
def host_plant():
    """A Chelyabinsk plant in no delegation: it met the Ulyanovsk delegation twice (once with a hidden
    company), two projects were born at the mission, and an agreement was signed there."""
    ulyanovsk, chelyabinsk = directory_region("73"), directory_region("74")
    guest = OrganizationFactory(region=ulyanovsk, name="Ульяновский моторный завод", slug="guest")
    hidden_guest = OrganizationFactory(region=ulyanovsk, name=HIDDEN, slug="hidden", is_public=False)
    plant = OrganizationFactory(region=chelyabinsk, name="Челябинский станкозавод", slug="plant")
    mission = MissionFactory(slug="visit", title="Визит в Челябинск", origin_region=ulyanovsk,
                             destination_regions=[chelyabinsk])  # fmt: skip
    DelegationMemberFactory(mission=mission, organization=guest)
    DelegationMemberFactory(mission=mission, organization=hidden_guest)
    MeetingFactory(mission=mission, organization_a=guest, organization_b=plant, status=Meeting.Status.HELD,
                   date=datetime.date(2025, 2, 3), topic="Поставка валов")  # fmt: skip
    MeetingFactory(mission=mission, organization_a=hidden_guest, organization_b=plant, date=datetime.date(2025, 2, 3))
    for title in ("Поставка валов", "Совместный цех"):
        project = CooperationProjectFactory(title=title, origin_mission=mission)
        ProjectPartyFactory(project=project, organization=plant)
        ProjectPartyFactory(project=project, organization=guest)
    agreement = AgreementFactory(title="Договор о поставке", signed_at_mission=mission)
    AgreementPartyFactory(agreement=agreement, organization=plant)
    return plant


def test_a_company_with_projects_and_no_delegation_is_not_said_to_have_taken_part_in_no_mission(client, host_plant):
    html = html_of(client.get("/companies/plant/"))
    missions = text(section_of(html, "missions-heading"))

    assert "не участвовала" not in missions
    assert "В составе внесённых делегаций не значится: с миссиями организацию связывают встречи" in missions
    # its meeting, with the mission and the other organization; the one with the hidden company is not shown
    assert "3 февраля 2025 Визит в Челябинск Поставка валов Ульяновский моторный завод проведено" in missions
    assert missions.count("Визит в Челябинск") == 1
    assert HIDDEN not in html
    # its projects and agreement, each with its mission
    projects = text(section_of(html, "projects-heading"))
    assert projects.count("по итогам миссии Визит в Челябинск") == 2
    assert "Визит в Челябинск" in row_of(section_of(html, "agreements-heading"), "Договор о поставке")


def test_staff_see_the_meeting_with_the_hidden_company(client, host_plant):
    client.force_login(MinistryStaffFactory())
    missions = text(section_of(html_of(client.get("/companies/plant/")), "missions-heading"))

    assert HIDDEN in missions
    assert missions.count("Визит в Челябинск") == 2


def test_a_company_linked_to_no_mission_says_so(client):
    OrganizationFactory(slug="alone", name="Одинокий завод")

    missions = text(section_of(html_of(client.get("/companies/alone/")), "missions-heading"))

    assert "Организация пока не участвовала ни в одной из внесённых миссий." in missions
    assert "связывают встречи" not in missions and "B2B-встречи" not in missions


def test_a_delegation_member_is_listed_with_its_mission(client, host_plant):
    missions = text(section_of(html_of(client.get("/companies/guest/")), "missions-heading"))

    assert "Визит в Челябинск" in missions
    assert "не значится" not in missions


# --- meetings outside the delegation and the host side ---------------------------------------


@pytest.fixture
def outsider_mission():
    """A mission from Ulyanovsk to Chelyabinsk; a Tula company is in no delegation and not a host."""
    ulyanovsk, chelyabinsk, tula = directory_region("73"), directory_region("74"), directory_region("71")
    ministry = MinistryFactory(region=ulyanovsk)
    mission = MissionFactory(slug="visit", origin_region=ulyanovsk, destination_regions=[chelyabinsk],
                             organizer=ministry)  # fmt: skip
    guest = OrganizationFactory(region=ulyanovsk, name="Ульяновский моторный завод")
    DelegationMemberFactory(mission=mission, organization=guest)
    host = OrganizationFactory(region=chelyabinsk, name="Челябинский станкозавод")
    outsider = OrganizationFactory(region=tula, name="Тульский оружейный завод")
    staff = MinistryStaffFactory(organization=ministry)
    return mission, guest, host, outsider, staff


def _add_meeting(client, mission, a, b):
    return client.post(
        reverse("admin:missions_meeting_add"),
        {"mission": mission.pk, "organization_a": a.pk, "organization_b": b.pk, "status": "held",
         "date": "03.02.2025", "start_time": "", "end_time": "", "table": "", "topic": "", "notes": "",
         "outcome": ""},
        follow=True,
    )  # fmt: skip


def test_the_host_side_is_the_destinations(outsider_mission):
    mission = outsider_mission[0]

    assert [region.code for region in mission.host_regions] == ["74"]


def test_staff_are_warned_when_saving_a_meeting_with_an_organization_outside_the_mission(client, outsider_mission):
    mission, guest, _host, outsider, staff = outsider_mission
    client.force_login(staff)

    response = _add_meeting(client, mission, guest, outsider)

    assert response.status_code == 200
    assert Meeting.objects.filter(mission=mission, organization_b=outsider).count() == 1  # saved all the same
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "Встреча «Ульяновский моторный завод — Тульский оружейный завод» сохранена, но организации «Тульский "
        "оружейный завод» нет в составе делегации миссии, и она не из региона, который посещает миссия. Если "
        "организация участвовала, добавьте её в делегацию; на странице миссии встреча отмечена как встреча вне "
        "состава делегации."
    ]


def test_no_warning_for_a_meeting_between_the_delegation_and_the_host_side(client, outsider_mission):
    mission, guest, host, _outsider, staff = outsider_mission
    client.force_login(staff)

    response = _add_meeting(client, mission, guest, host)

    assert Meeting.objects.filter(mission=mission, organization_b=host).count() == 1
    assert [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"] == []


def test_the_mission_page_marks_a_meeting_outside_the_delegation(client, outsider_mission):
    mission, guest, host, outsider, _staff = outsider_mission
    MeetingFactory(mission=mission, organization_a=guest, organization_b=outsider, status=Meeting.Status.HELD)
    MeetingFactory(mission=mission, organization_a=guest, organization_b=host, status=Meeting.Status.HELD)

    html = section_of(html_of(client.get("/missions/visit/")), "meetings-heading")

    assert "1 встреча — с организацией, которой нет в составе делегации" in text(html)
    assert "Тульский оружейный завод не в составе делегации" in row_of(html, "Тульский оружейный завод")
    with_host = [row for row in re.findall(r"<tr>(.*?)</tr>", html, re.S) if "Челябинский станкозавод" in row]
    assert with_host and "не в составе делегации" not in text(with_host[0])


def test_the_mission_page_does_not_name_a_hidden_outsider(client, outsider_mission):
    mission, guest, _host, _outsider, _staff = outsider_mission
    hidden = OrganizationFactory(region=directory_region("71"), name=HIDDEN, is_public=False)
    MeetingFactory(mission=mission, organization_a=guest, organization_b=hidden, status=Meeting.Status.HELD)

    html = html_of(client.get("/missions/visit/"))

    assert HIDDEN not in html
    assert "Встречи вне состава делегации" not in html


# --- who is signed in ------------------------------------------------------------------------


def test_a_visitor_sees_sign_in_and_the_staff_sign_in(client):
    html = html_of(client.get("/"))

    assert "Вход для сотрудников" in html
    assert re.search(r'<a href="/account/login/\?next=/">Войти</a>', html)
    assert "Выйти" not in html


def test_a_company_representative_sees_their_name_their_area_and_sign_out(client):
    person = PersonFactory(first_name="Анна", last_name="Смирнова", position="Менеджер по продажам",
                           user=UserFactory(username="anna-login"))  # fmt: skip
    client.force_login(person.user)

    html = html_of(client.get("/regions/"))
    header = re.search(r"<header.*?</header>", html, re.S)[0]

    assert "Вы вошли: Анна Смирнова" in text(header)
    assert "anna-login" not in html
    assert '<a href="/account/">Личный кабинет</a>' in header
    assert re.search(r'<form class="logout-form" action="/account/logout/" method="post">', header)
    assert 'name="csrfmiddlewaretoken"' in header and ">Выйти</button>" in header
    assert "Вход для сотрудников" not in html


def test_an_official_without_a_person_is_named_by_the_login_and_led_to_the_dashboard(client):
    from django.contrib.auth.models import Group

    from companies.roles import OFFICIALS_GROUP

    official = UserFactory(username="official-ulyanovsk")
    official.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
    client.force_login(official)

    header = re.search(r"<header.*?</header>", html_of(client.get("/")), re.S)[0]

    assert "Вы вошли: official-ulyanovsk" in text(header)
    assert re.search(r'<a href="/dashboard/">[^<]+</a>\s*<form class="logout-form"', header)
    assert "Выйти" in header


def test_staff_see_the_administration_link(client):
    staff = MinistryStaffFactory(username="staff-ulyanovsk")
    staff.person.first_name, staff.person.last_name = "Анна", "Смирнова"
    staff.person.save()
    client.force_login(staff)

    html = html_of(client.get("/"))
    header = re.search(r"<header.*?</header>", html, re.S)[0]

    assert "Вы вошли: Анна Смирнова" in text(header)
    assert '<a href="/admin/">Администрирование</a>' in header and "Выйти" in header
    assert "staff-ulyanovsk" not in header
    assert "Вход для сотрудников" not in html


def test_sign_out_signs_out(client):
    client.force_login(UserFactory(username="someone"))

    response = client.post("/account/logout/", {"next": "/"})

    assert response.status_code == 302 and response["Location"] == "/"
    assert "Вход для сотрудников" in html_of(client.get("/"))


# --- curators and authors by name and position ---------------------------------------------------


def test_user_display_names_the_person_with_the_position_else_the_full_name_else_the_login():
    named = PersonFactory(first_name="Анна", last_name="Смирнова", position="Начальник отдела",
                          user=UserFactory(username="staff-ulyanovsk")).user  # fmt: skip
    by_position = PersonFactory(first_name="", last_name="", position="Заместитель министра",
                                user=UserFactory(username="deputy")).user  # fmt: skip
    full = UserFactory(username="petrov", first_name="Пётр", last_name="Петров")
    bare = UserFactory(username="just-a-login")

    assert [user_display(u) for u in (named, by_position, full, bare, None)] == [
        "Анна Смирнова, Начальник отдела",
        "Заместитель министра",
        "Пётр Петров",
        "just-a-login",
        "",
    ]
    assert user_name(named) == "Анна Смирнова"


@pytest.fixture
def curated_project():
    ministry = MinistryFactory()
    curator = MinistryStaffFactory(username="staff-ulyanovsk", organization=ministry)
    curator.person.first_name, curator.person.last_name, curator.person.position = "Анна", "Смирнова", "Куратор"
    curator.person.save()
    company = OrganizationFactory(slug="company")
    project = CooperationProjectFactory(title="Поставка валов", slug="shafts", curator=curator,
                                        stage=CooperationProject.Stage.NEGOTIATION, is_public=False)  # fmt: skip
    ProjectPartyFactory(project=project, organization=company)
    ProjectUpdateFactory(project=project, author=curator, text="Стороны обменялись предложениями")
    return project, curator, company


def test_the_admin_lists_show_the_curator_and_the_author_by_name(client, curated_project):
    _project, curator, _company = curated_project
    client.force_login(curator)

    projects = html_of(client.get(reverse("admin:agreements_cooperationproject_changelist")))
    updates = html_of(client.get(reverse("admin:agreements_projectupdate_changelist")))

    assert "Анна Смирнова, Куратор" in projects and "Анна Смирнова, Куратор" in updates
    # nowhere the login: not in the columns, not in the greeting
    assert "staff-ulyanovsk" not in projects and "staff-ulyanovsk" not in updates
    assert "Добро пожаловать, <strong>Анна Смирнова, Куратор</strong>." in projects


def test_the_personal_area_shows_the_author_of_an_update_by_name(client, curated_project):
    _project, _curator, company = curated_project
    representative = PersonFactory(organization=company, user=UserFactory(username="rep")).user
    client.force_login(representative)

    html = html_of(client.get("/account/projects/shafts/update/"))

    assert "Стороны обменялись предложениями" in html
    assert "— Анна Смирнова, Куратор" in text(html)
    assert "staff-ulyanovsk" not in html


def test_the_admin_history_names_who_changed_a_row_by_name(client, curated_project):
    project, curator, _company = curated_project
    project.history.update(history_user=curator)
    client.force_login(curator)

    html = html_of(client.get(reverse("admin:agreements_cooperationproject_history", args=[project.pk])))

    assert "Анна Смирнова, Куратор" in html
    assert "staff-ulyanovsk" not in html


def test_staff_are_warned_of_a_meeting_outside_the_mission_entered_in_the_mission_inline(client, outsider_mission):
    mission, guest, _host, outsider, staff = outsider_mission
    client.force_login(staff)
    changes = {
        "meetings-TOTAL_FORMS": "1",
        "meetings-0-organization_a": guest.pk,
        "meetings-0-organization_b": outsider.pk,
        "meetings-0-date": "03.02.2025",
        "meetings-0-status": Meeting.Status.SCHEDULED,
    }

    response = _submit(client, reverse("admin:missions_mission_change", args=[mission.pk]), changes)

    assert response.status_code == 302
    assert Meeting.objects.filter(mission=mission, organization_b=outsider).count() == 1
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1 and "организации «Тульский оружейный завод» нет в составе делегации" in warnings[0]


def test_a_replaced_agreement_in_a_region_table_says_when_it_ended_not_until_when_it_runs(client):
    region = f.directory_region("73")
    party = f.OrganizationFactory(region=region, is_public=True)
    old = f.AgreementFactory(
        title="Старое соглашение", status="superseded", signed_on=datetime.date(2016, 1, 1),
        valid_until=datetime.date(2026, 5, 13), is_public=True,
    )  # fmt: skip
    f.AgreementPartyFactory(agreement=old, organization=party)

    html = client.get(region.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "действие прекращено 13 мая 2026 г." in html
    assert "действует до 13 мая 2026" not in html
