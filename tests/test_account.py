"""The personal area of company representatives: pages, isolation between companies, CSRF, iCal."""

import datetime
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import missions.admin_applications  # noqa: F401 - registers the admin until missions/admin.py imports it
from agreements.models import CooperationProject, ProjectUpdate
from companies.models import CalendarFeed, Need, Offer, Organization, ProfileChange
from missions.models import DelegationApplication, DelegationMember, Meeting, Mission
from tests.factories import (
    CooperationProjectFactory,
    MeetingFactory,
    MissionFactory,
    OfferFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramItemFactory,
    ProjectPartyFactory,
    StaffUserFactory,
    UserFactory,
    directory_region,
)
from tests.helpers import query_count

PASSWORD = "correct-horse-battery"


def representative(organization=None, username=None):
    organization = organization or OrganizationFactory()
    user = UserFactory(username=username) if username else UserFactory()
    PersonFactory(organization=organization, user=user)
    return user


@pytest.fixture
def org_a(db):
    return OrganizationFactory(name="Альфа", short_name="Альфа", is_public=True)


@pytest.fixture
def org_b(db):
    return OrganizationFactory(name="Бета", short_name="Бета", is_public=False, region=directory_region("74"))


@pytest.fixture
def rep_a(org_a):
    return representative(org_a, "rep_a")


@pytest.fixture
def rep_b(org_b):
    return representative(org_b, "rep_b")


@pytest.fixture
def client_a(client, rep_a):
    client.force_login(rep_a)
    return client


def project_of(*organizations, **kwargs):
    project = CooperationProjectFactory(**kwargs)
    for organization in organizations:
        ProjectPartyFactory(project=project, organization=organization)
    return project


def future_mission(**kwargs):
    kwargs.setdefault("start_date", timezone.localdate() + datetime.timedelta(days=30))
    kwargs.setdefault("end_date", kwargs["start_date"] + datetime.timedelta(days=2))
    kwargs.setdefault("status", Mission.Status.PLANNED)
    return MissionFactory(**kwargs)


def not_found_body(response, slug):
    return response.content.decode().replace(slug, "SLUG")


# --- Who may enter --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,args",
    [
        ("home", []),
        ("profile", []),
        ("offer-add", []),
        ("meetings", []),
        ("projects", []),
        ("missions", []),
        ("project-update", ["any"]),
    ],
)
def test_account_page_redirects_anonymous_to_account_login_with_next(client, db, name, args):
    url = reverse(f"account:{name}", args=args)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account:login')}?next={url}"


def test_staff_without_person_gets_polite_page(client, db):
    client.force_login(StaffUserFactory())
    response = client.get(reverse("account:home"))
    assert response.status_code == 403
    assert "accounts/not_representative.html" in [t.name for t in response.templates]


def test_home_shows_own_offers_not_another_companys(client_a, org_a, org_b):
    OfferFactory(organization=org_a, title="Наше литьё")
    OfferFactory(organization=org_b, title="Чужое литьё")
    response = client_a.get(reverse("account:home"))
    assert response.status_code == 200
    assert "Наше литьё" in response.content.decode()
    assert "Чужое литьё" not in response.content.decode()


# --- Profile ------------------------------------------------------------------------------


def profile_data(**overrides):
    data = {"name": "Альфа новая", "short_name": "Альфа", "legal_form": "ooo", "website": "https://alpha.example"}
    data.update(overrides)
    return data


def test_profile_edit_saves_own_organization(client_a, org_a):
    response = client_a.post(reverse("account:profile"), profile_data(products="Станки"))
    assert response.status_code == 302
    org_a.refresh_from_db()
    # The new name waits for the ministry staff (tests/companies/test_profile_changes.py); the rest is saved.
    assert (org_a.name, org_a.products, org_a.website) == ("Альфа", "Станки", "https://alpha.example")
    assert list(ProfileChange.objects.values_list("organization", "status", "name")) == [
        (org_a.pk, "pending", "Альфа новая")
    ]


def test_profile_post_cannot_raise_privileged_fields(client_a, org_a):
    org_a.is_public = False
    org_a.save()
    before = Organization.objects.values("is_public", "kind", "region_id", "slug").get(pk=org_a.pk)
    response = client_a.post(
        reverse("account:profile"),
        profile_data(is_public="on", kind="government", region=directory_region("74").pk, slug="hijacked"),
    )
    assert response.status_code == 302
    assert Organization.objects.values("is_public", "kind", "region_id", "slug").get(pk=org_a.pk) == before


def test_profile_post_with_another_organization_id_changes_only_own(client_a, org_a, org_b):
    response = client_a.post(
        reverse("account:profile"), profile_data(id=org_b.pk, pk=org_b.pk, organization=org_b.pk, name="Захвачено")
    )
    assert response.status_code == 302
    org_b.refresh_from_db()
    assert org_b.name == "Бета"
    assert list(ProfileChange.objects.values_list("organization", "name")) == [(org_a.pk, "Захвачено")]


def test_profile_duplicate_inn_is_a_form_error(client_a, org_a, org_b):
    org_b.inn = "7707083893"
    org_b.save()
    response = client_a.post(reverse("account:profile"), profile_data(inn="7707083893"))
    assert response.status_code == 400
    assert response.context["form"].errors
    org_a.refresh_from_db()
    assert org_a.inn == ""


# --- Offers and needs -----------------------------------------------------------------------


def test_offer_add_goes_to_own_organization_whatever_the_post_says(client_a, org_a, org_b):
    response = client_a.post(reverse("account:offer-add"), {"title": "Фрезеровка", "organization": org_b.pk})
    assert response.status_code == 302
    assert list(Offer.objects.values_list("organization_id", "title")) == [(org_a.pk, "Фрезеровка")]


def test_need_of_another_company_is_404_like_a_missing_one(client_a, org_b):
    need = Need.objects.create(organization=org_b, title="Чужая потребность")
    foreign = client_a.post(reverse("account:need-edit", args=[need.pk]), {"title": "Взлом"})
    missing = client_a.post(reverse("account:need-edit", args=[need.pk + 1000]), {"title": "Взлом"})
    deleted = client_a.post(reverse("account:need-delete", args=[need.pk]))
    assert foreign.status_code == missing.status_code == deleted.status_code == 404
    assert foreign.content == missing.content
    need.refresh_from_db()
    assert need.title == "Чужая потребность"


def test_offer_edit_and_delete_own(client_a, org_a):
    offer = OfferFactory(organization=org_a, title="Старое")
    assert client_a.post(reverse("account:offer-edit", args=[offer.pk]), {"title": "Новое"}).status_code == 302
    offer.refresh_from_db()
    assert (offer.title, offer.is_active) == ("Новое", False)  # an unticked checkbox is off
    assert client_a.post(reverse("account:offer-delete", args=[offer.pk])).status_code == 302
    assert not Offer.objects.filter(pk=offer.pk).exists()


# --- Projects -----------------------------------------------------------------------------


def test_projects_page_lists_own_projects_only(client_a, org_a, org_b):
    other = OrganizationFactory()
    project_of(org_a, org_b, title="Наш проект", is_public=False)
    project_of(org_b, other, title="Чужой проект")
    response = client_a.get(reverse("account:projects"))
    assert [p.title for p in response.context["projects"]] == ["Наш проект"]
    assert "Чужой проект" not in response.content.decode()


def test_project_update_goes_through_the_service(client_a, rep_a, org_a, org_b):
    project = project_of(org_a, org_b, stage=CooperationProject.Stage.NEGOTIATION)
    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client_a.post(
        reverse("account:project-update", args=[project.slug]),
        {"stage": "proposal", "next_step": "Отправить КП", "next_step_due": due.isoformat(), "note": "Созвонились"},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.next_step, project.next_step_due) == ("proposal", "Отправить КП", due)
    update = ProjectUpdate.objects.get(project=project)
    assert (update.author, update.text, update.stage_from, update.stage_to) == (
        rep_a,
        "Созвонились",
        "negotiation",
        "proposal",
    )


def test_project_update_refusal_is_a_form_error(client_a, org_a, org_b):
    project = project_of(org_a, org_b, stage=CooperationProject.Stage.NEGOTIATION)
    response = client_a.post(
        reverse("account:project-update", args=[project.slug]), {"stage": "negotiation", "note": ""}
    )
    assert response.status_code == 400
    assert [e.code for e in response.context["form"].errors.as_data()["__all__"]] == ["empty_update"]
    assert not ProjectUpdate.objects.filter(project=project).exists()


def test_project_of_another_company_is_404_same_body_as_missing(client_a, org_b):
    foreign = project_of(org_b, OrganizationFactory(), slug="foreign-project")
    get_foreign = client_a.get(reverse("account:project-update", args=["foreign-project"]))
    get_missing = client_a.get(reverse("account:project-update", args=["missing-project"]))
    post_foreign = client_a.post(
        reverse("account:project-update", args=["foreign-project"]), {"stage": "dropped", "note": "взлом"}
    )
    assert get_foreign.status_code == get_missing.status_code == post_foreign.status_code == 404
    assert not_found_body(get_foreign, "foreign-project") == not_found_body(get_missing, "missing-project")
    foreign.refresh_from_db()
    assert foreign.stage == CooperationProject.Stage.NEGOTIATION
    assert not ProjectUpdate.objects.exists()


# --- Meetings and the calendar feed --------------------------------------------------------------


def test_meetings_page_lists_meetings_of_own_organization(client_a, org_a, org_b):
    mine = MeetingFactory(organization_a=org_a, topic="Наша встреча")
    MeetingFactory(organization_b=org_a, topic="Тоже наша")
    MeetingFactory(organization_a=org_b, topic="Чужая встреча")
    response = client_a.get(reverse("account:meetings"))
    topics = {m.topic for m in response.context["meetings"]}
    assert topics == {"Наша встреча", "Тоже наша"}
    assert mine.organization_b.name in response.content.decode()
    assert "Чужая встреча" not in response.content.decode()


def ical_lines(body: str) -> list[str]:
    assert "\n" not in body.replace("\r\n", "")
    return body.replace("\r\n ", "").split("\r\n")


def test_calendar_feed_lists_active_meetings_in_the_venue_zone_with_escaping(client_a, rep_a, org_a):
    partner = OrganizationFactory(short_name="Гамма, ООО; «Литьё»\\цех")
    mission = MissionFactory()
    item = ProgramItemFactory(mission=mission, venue="Экспоцентр")
    start = timezone.make_aware(datetime.datetime(2025, 2, 3, 12, 30), datetime.UTC)
    MeetingFactory(
        mission=mission,
        organization_a=org_a,
        organization_b=partner,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        topic="Поставки\nлитья",
        table="A7",
        program_item=item,
    )
    MeetingFactory(organization_b=org_a, status=Meeting.Status.CANCELLED)
    MeetingFactory(organization_a=org_a, starts_at=None, ends_at=None)
    MeetingFactory(topic="чужая")
    client_a.get(reverse("account:meetings"))
    token = CalendarFeed.objects.get(user=rep_a).token

    response = Client().get(reverse("account:calendar-feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    lines = ical_lines(body)
    assert lines.count("BEGIN:VEVENT") == 1
    # The venue is Chelyabinsk (the directory gives it Asia/Yekaterinburg, UTC+5), declared once.
    assert "DTSTART;TZID=Asia/Yekaterinburg:20250203T173000" in lines
    assert "DTEND;TZID=Asia/Yekaterinburg:20250203T180000" in lines
    assert lines.count("BEGIN:VTIMEZONE") == 1
    assert "TZOFFSETTO:+0500" in lines
    assert "SUMMARY:Гамма\\, ООО\\; «Литьё»\\\\цех: Поставки\\nлитья" in lines
    assert "LOCATION:A7 / Экспоцентр" in lines
    assert any(re.fullmatch(r"UID:meeting-\d+@testserver", line) for line in lines)
    assert any(re.fullmatch(r"DTSTAMP:\d{8}T\d{6}Z", line) for line in lines)


def test_calendar_feed_folds_long_cyrillic_lines_within_75_octets_and_characters_whole(client_a, rep_a, org_a):
    partner = OrganizationFactory(short_name="Ж" * 100)
    MeetingFactory(
        organization_a=org_a,
        organization_b=partner,
        starts_at=None,
        ends_at=None,
        date=datetime.date(2025, 2, 3),
        topic="",
    )
    client_a.get(reverse("account:meetings"))
    token = CalendarFeed.objects.get(user=rep_a).token

    body = Client().get(reverse("account:calendar-feed", args=[token])).content.decode()

    parts = body.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert "SUMMARY:" + "Ж" * 100 in ical_lines(body)


def test_calendar_reset_makes_the_old_address_404(client_a, rep_a, org_a):
    MeetingFactory(organization_a=org_a)
    client_a.get(reverse("account:meetings"))
    old = CalendarFeed.objects.get(user=rep_a).token
    assert Client().get(reverse("account:calendar-feed", args=[old])).status_code == 200

    response = client_a.post(reverse("account:calendar-reset"))

    assert response.status_code == 302
    new = CalendarFeed.objects.get(user=rep_a).token
    assert new != old
    assert Client().get(reverse("account:calendar-feed", args=[old])).status_code == 404
    assert Client().get(reverse("account:calendar-feed", args=[new])).status_code == 200


def test_calendar_feed_of_deactivated_user_is_404(client_a, rep_a):
    client_a.get(reverse("account:meetings"))
    token = CalendarFeed.objects.get(user=rep_a).token
    rep_a.is_active = False
    rep_a.save()
    assert Client().get(reverse("account:calendar-feed", args=[token])).status_code == 404


def test_calendar_reset_is_post_only(client_a):
    assert client_a.get(reverse("account:calendar-reset")).status_code == 405


# --- Applications to delegations --------------------------------------------------------------


def test_missions_page_lists_only_public_upcoming_missions(client_a):
    future_mission(title="Будущая")
    future_mission(title="Скрытая", is_public=False)
    MissionFactory(title="Прошедшая")
    future_mission(title="Отменённая", status=Mission.Status.CANCELLED)
    response = client_a.get(reverse("account:missions"))
    assert [m.title for m in response.context["missions"]] == ["Будущая"]


def test_apply_then_admin_approval_adds_member_and_company_sees_it(client_a, rep_a, org_a, admin_client):
    mission = future_mission()
    response = client_a.post(reverse("account:apply", args=[mission.slug]), {"note": "Приедем вдвоём"})
    assert response.status_code == 302
    application = DelegationApplication.objects.get()
    assert (application.mission, application.organization, application.person, application.applied_by) == (
        mission,
        org_a,
        rep_a.person,
        rep_a,
    )
    assert application.status == DelegationApplication.Status.PENDING

    response = admin_client.post(
        reverse("admin:missions_delegationapplication_changelist"),
        {"action": "approve_selected", ACTION_CHECKBOX_NAME: [application.pk]},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == DelegationApplication.Status.APPROVED
    assert application.decided_at is not None
    assert DelegationMember.objects.filter(mission=mission, organization=org_a, person=rep_a.person).exists()
    page = client_a.get(reverse("account:missions")).content.decode()
    assert 'data-status="approved"' in page


def test_admin_decline_records_decision_without_member(client_a, org_a, admin_client):
    mission = future_mission()
    client_a.post(reverse("account:apply", args=[mission.slug]))
    application = DelegationApplication.objects.get()
    admin_client.post(
        reverse("admin:missions_delegationapplication_changelist"),
        {"action": "decline_selected", ACTION_CHECKBOX_NAME: [application.pk]},
    )
    application.refresh_from_db()
    assert application.status == DelegationApplication.Status.DECLINED
    assert not DelegationMember.objects.filter(mission=mission).exists()
    assert 'data-status="declined"' in client_a.get(reverse("account:home")).content.decode()


def test_second_pending_application_is_refused_politely(client_a, org_a):
    mission = future_mission()
    first = client_a.post(reverse("account:apply", args=[mission.slug]), follow=True)
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    response = client_a.post(reverse("account:apply", args=[mission.slug]), follow=True)
    assert DelegationApplication.objects.count() == 1
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


@pytest.mark.parametrize(
    "kwargs",
    [{"is_public": False}, {"start_date": datetime.date(2020, 1, 1), "end_date": datetime.date(2020, 1, 2)}],
    ids=["unpublished", "past"],
)
def test_apply_to_unpublished_or_past_mission_is_404(client_a, kwargs):
    mission = future_mission(slug="closed-mission", **kwargs)
    response = client_a.post(reverse("account:apply", args=[mission.slug]))
    missing = client_a.post(reverse("account:apply", args=["missing-mission"]))
    assert response.status_code == missing.status_code == 404
    assert not_found_body(response, "closed-mission") == not_found_body(missing, "missing-mission")
    assert not DelegationApplication.objects.exists()


# --- Sign-in pages -----------------------------------------------------------------------


def test_login_page_is_russian_by_default(client, db):
    response = client.get(reverse("account:login"))
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()
    assert "Пароль" in response.content.decode()


def test_login_follows_safe_next_and_ignores_another_host(client, rep_a):
    response = client.post(
        reverse("account:login"), {"username": "rep_a", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account:home")
    client.logout()
    response = client.post(
        reverse("account:login"),
        {"username": "rep_a", "password": PASSWORD, "next": reverse("account:meetings")},
    )
    assert response["Location"] == reverse("account:meetings")


def test_logout_is_post_only(client_a):
    assert client_a.get(reverse("account:logout")).status_code == 405
    response = client_a.post(reverse("account:logout"))
    assert response.status_code == 200
    assert client_a.get(reverse("account:home")).status_code == 302


def test_password_reset_sends_link_to_the_account_area(client, rep_a, mailoutbox):
    response = client.post(reverse("account:password-reset"), {"email": rep_a.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account:password-reset-done")
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    assert "/account/password-reset/" in link
    confirm = client.get(link, follow=True)
    assert confirm.context["validlink"] is True


def test_deactivated_users_session_stops_on_next_request(client_a, rep_a):
    assert client_a.get(reverse("account:home")).status_code == 200
    rep_a.is_active = False
    rep_a.save()
    response = client_a.get(reverse("account:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


# --- CSRF on every write ------------------------------------------------------------------


def test_every_write_view_refuses_a_post_without_csrf_token(rep_a, org_a, org_b):
    offer = OfferFactory(organization=org_a, title="Не трогать")
    need = Need.objects.create(organization=org_a, title="Не трогать")
    project = project_of(org_a, org_b)
    mission = future_mission()
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep_a)
    client.get(reverse("account:meetings"))
    token = CalendarFeed.objects.get(user=rep_a).token
    before = Organization.objects.values().get(pk=org_a.pk)
    posts = [
        (reverse("account:profile"), profile_data()),
        (reverse("account:offer-add"), {"title": "Новое"}),
        (reverse("account:offer-edit", args=[offer.pk]), {"title": "Изменено"}),
        (reverse("account:offer-delete", args=[offer.pk]), {}),
        (reverse("account:need-add"), {"title": "Новое"}),
        (reverse("account:need-edit", args=[need.pk]), {"title": "Изменено"}),
        (reverse("account:need-delete", args=[need.pk]), {}),
        (reverse("account:calendar-reset"), {}),
        (reverse("account:project-update", args=[project.slug]), {"stage": "dropped", "note": "x"}),
        (reverse("account:apply", args=[mission.slug]), {"note": "x"}),
        (reverse("account:logout"), {}),
        (reverse("account:login"), {"username": "rep_a", "password": PASSWORD}),
        (reverse("account:password-reset"), {"email": rep_a.email}),
    ]
    assert [client.post(url, data).status_code for url, data in posts] == [403] * len(posts)
    assert Organization.objects.values().get(pk=org_a.pk) == before
    assert list(Offer.objects.values_list("title", flat=True)) == ["Не трогать"]
    assert list(Need.objects.values_list("title", flat=True)) == ["Не трогать"]
    assert CalendarFeed.objects.get(user=rep_a).token == token
    assert not ProjectUpdate.objects.exists()
    assert not DelegationApplication.objects.exists()
    assert client.get(reverse("account:home")).status_code == 200  # still signed in


# --- Query counts -------------------------------------------------------------------------


def test_meetings_page_query_count_does_not_grow_with_rows(client_a, org_a):
    mission = MissionFactory()
    item = ProgramItemFactory(mission=mission, venue="Зал")
    for _ in range(2):
        MeetingFactory(mission=mission, organization_a=org_a, program_item=item)
    url = reverse("account:meetings")
    client_a.get(url)
    few = query_count(client_a, url)
    for _ in range(48):
        MeetingFactory(mission=mission, organization_b=org_a, program_item=item)
    assert query_count(client_a, url) == few


def test_projects_page_query_count_does_not_grow_with_rows(client_a, org_a):
    for _ in range(2):
        project_of(org_a, OrganizationFactory())
    url = reverse("account:projects")
    few = query_count(client_a, url)
    for _ in range(48):
        project_of(org_a, OrganizationFactory(), OrganizationFactory())
    assert query_count(client_a, url) == few


@pytest.mark.parametrize(
    ("role", "landing"),
    [("staff", "/admin/"), ("official", "/dashboard/")],
)
def test_login_lands_each_role_on_its_own_page(db, client, role, landing):
    from django.contrib.auth.models import Group

    from companies.roles import OFFICIALS_GROUP, STAFF_GROUP

    user = UserFactory(username=f"landing-{role}", is_staff=role == "staff")
    user.groups.add(Group.objects.get(name=STAFF_GROUP if role == "staff" else OFFICIALS_GROUP))

    response = client.post(reverse("account:login"), {"username": user.username, "password": "correct-horse-battery"})

    assert response.status_code == 302
    assert response["Location"] == landing
    header = client.get("/").content.decode()
    assert f'href="{reverse("account:home")}"' not in header  # no personal area for staff and officials
    assert f'href="{landing}"' in header  # their own area instead, beside Sign out
    assert 'action="/account/logout/"' in header


def test_the_personal_area_has_one_way_out_the_header_s(client_a):
    html = client_a.get(reverse("account:home"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert html.count('action="/account/logout/"') == 1
    assert html.count(">Выйти</button>") == 1
