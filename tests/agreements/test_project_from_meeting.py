"""A meeting becomes a cooperation project in one action (project_from_meeting): the service, the
button on the meeting's admin page and the action on the meetings changelist."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from agreements.models import CooperationProject
from agreements.services.projects import project_from_meeting
from companies.exceptions import PortalError
from missions.models import Meeting
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry():
    return f.MinistryFactory(name="Министерство промышленности Ульяновской области")


@pytest.fixture
def staff(ministry):
    return f.MinistryStaffFactory(username="staff-u", organization=ministry)


@pytest.fixture
def meeting(ministry):
    mission = f.MissionFactory(title="Визит в Минск", organizer=ministry)
    maker = f.OrganizationFactory(name="ООО «Станкомаш»")
    buyer = f.OrganizationFactory(name="ОАО «Минский завод»", region=f.directory_region("74"))
    meeting = f.MeetingFactory(
        mission=mission, organization_a=maker, organization_b=buyer, topic="Поставка станков", status="held"
    )
    meeting.people.set([f.PersonFactory(organization=buyer, last_name="Ковалёв")])
    meeting.sectors.set([f.SectorFactory(name="Станкостроение")])
    return meeting


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_held_meeting_opens_a_project_that_carries_its_origin(meeting, staff):
    project, opened = project_from_meeting(meeting=meeting, by=staff)

    assert opened is True
    assert (project.title, project.origin_mission, project.origin_meeting, project.curator) == (
        "Поставка станков",
        meeting.mission,
        meeting,
        staff,
    )
    assert sorted((p.organization.name, p.role, str(p.contact or "")) for p in project.parties.all()) == [
        ("ОАО «Минский завод»", "partner", "Иван Ковалёв"),
        ("ООО «Станкомаш»", "partner", ""),
    ]
    assert [s.name for s in project.sectors.all()] == ["Станкостроение"]
    assert project.stage == "lead"
    assert [u.text for u in project.updates.all()] == ["Project opened."]
    meeting.refresh_from_db()
    assert meeting.outcome == Meeting.Outcome.PROJECT_OPENED


def test_a_second_project_from_the_same_meeting_leads_to_the_first(meeting, staff):
    first, _opened = project_from_meeting(meeting=meeting, by=staff)

    again, opened = project_from_meeting(meeting=meeting, by=staff)

    assert (again, opened) == (first, False)
    assert CooperationProject.objects.count() == 1


def test_a_scheduled_meeting_opens_a_project_and_keeps_no_outcome(meeting, staff):
    Meeting.objects.filter(pk=meeting.pk).update(status="scheduled")

    project, _opened = project_from_meeting(meeting=meeting, by=staff)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.outcome) == ("scheduled", "")
    assert project.origin_meeting == meeting


def test_a_meeting_with_an_agreement_reached_keeps_that_outcome(meeting, staff):
    Meeting.objects.filter(pk=meeting.pk).update(outcome=Meeting.Outcome.AGREEMENT_REACHED)

    project_from_meeting(meeting=meeting, by=staff)

    meeting.refresh_from_db()
    assert meeting.outcome == Meeting.Outcome.AGREEMENT_REACHED


def test_a_meeting_without_a_topic_is_named_by_its_organizations(meeting, staff):
    Meeting.objects.filter(pk=meeting.pk).update(topic="")

    project, _opened = project_from_meeting(meeting=meeting, by=staff)

    assert project.title == "ООО «Станкомаш» — ОАО «Минский завод»"


def test_a_cancelled_meeting_opens_no_project(meeting, staff):
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")

    with pytest.raises(PortalError) as refusal:
        project_from_meeting(meeting=meeting, by=staff)

    assert refusal.value.code == "meeting_not_held"
    assert not CooperationProject.objects.exists()


def test_staff_of_another_ministry_cannot_open_a_project_from_the_meeting(meeting):
    other = f.MinistryStaffFactory(username="staff-c", organization=f.MinistryFactory(region=f.directory_region("74")))

    with pytest.raises(PortalError) as refusal:
        project_from_meeting(meeting=meeting, by=other)

    assert refusal.value.code == "meeting_not_yours"
    assert "Визит в Минск" in refusal.value.messages[0]
    assert not CooperationProject.objects.exists()
    meeting.refresh_from_db()
    assert meeting.outcome == ""


# --- The admin ---------------------------------------------------------------------------------


def test_the_meeting_page_offers_the_button_and_it_opens_the_project(meeting, staff):
    client = _client(staff)
    page = client.get(reverse("admin:missions_meeting_change", args=[meeting.pk])).content.decode()
    url = reverse("admin:agreements_cooperationproject_from_meeting", args=[meeting.pk])
    assert f'action="{url}"' in page

    response = client.post(url)

    project = CooperationProject.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:agreements_cooperationproject_change", args=[project.pk])
    assert _messages(response) == [
        "По итогам встречи ООО «Станкомаш» — ОАО «Минский завод» открыт кооперационный проект «Поставка станков»."
    ]
    # The project opens for its curator, with the origin carried over.
    assert client.get(response.url).status_code == 200


def test_the_button_pressed_twice_leads_to_the_same_project(meeting, staff):
    client = _client(staff)
    url = reverse("admin:agreements_cooperationproject_from_meeting", args=[meeting.pk])
    client.post(url)

    response = client.post(url)

    project = CooperationProject.objects.get()
    assert response.url == reverse("admin:agreements_cooperationproject_change", args=[project.pk])
    assert (
        _messages(response)[-1]
        == "По встрече ООО «Станкомаш» — ОАО «Минский завод» проект уже открыт: «Поставка станков»."
    )


def test_staff_of_another_ministry_are_refused_by_the_button_and_nothing_is_opened(meeting):
    other = f.MinistryStaffFactory(username="staff-c", organization=f.MinistryFactory(region=f.directory_region("74")))
    client = _client(other)
    page = client.get(reverse("admin:missions_meeting_change", args=[meeting.pk])).content.decode()
    url = reverse("admin:agreements_cooperationproject_from_meeting", args=[meeting.pk])

    response = client.post(url)

    assert url not in page  # the page of a foreign meeting opens read only, without the button
    assert response.status_code == 302
    assert response.url == reverse("admin:missions_meeting_change", args=[meeting.pk])
    assert _messages(response) == [
        "Встреча относится к миссии «Визит в Минск», которую вы не можете изменять: проекты по её встречам "
        "открывают сотрудники организатора миссии."
    ]
    assert not CooperationProject.objects.exists()


def test_the_button_answers_a_get_with_405_and_a_missing_meeting_with_404(meeting, staff):
    client = _client(staff)

    assert client.get(reverse("admin:agreements_cooperationproject_from_meeting", args=[meeting.pk])).status_code == 405
    assert client.post(reverse("admin:agreements_cooperationproject_from_meeting", args=[987654])).status_code == 404
    assert not CooperationProject.objects.exists()


def test_the_meetings_changelist_action_opens_a_project_per_meeting(meeting, staff, ministry):
    second = f.MeetingFactory(mission=meeting.mission, topic="Сервис", status="held")
    client = _client(staff)

    response = client.post(
        reverse("admin:missions_meeting_changelist"),
        {"action": "open_projects_from_meetings", "_selected_action": [meeting.pk, second.pk]},
    )

    assert response.status_code == 302
    assert sorted(CooperationProject.objects.values_list("title", "origin_meeting")) == [
        ("Поставка станков", meeting.pk),
        ("Сервис", second.pk),
    ]


def test_the_changelist_action_on_a_foreign_meeting_does_nothing(meeting):
    other = f.MinistryStaffFactory(username="staff-c", organization=f.MinistryFactory(region=f.directory_region("74")))

    _client(other).post(
        reverse("admin:missions_meeting_changelist"),
        {"action": "open_projects_from_meetings", "_selected_action": [meeting.pk]},
    )

    assert not CooperationProject.objects.exists()
