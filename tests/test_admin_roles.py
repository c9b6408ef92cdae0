"""Roles in the admin: staff see everything and change only what their organization organizes,
is party to or curates, and the directory (organizations, people, offers, needs) of their region;
a superuser changes everything; officials and company representatives do not get into the admin.
Every refusal is checked on the rows afterwards."""

import pytest
from django.contrib import messages
from django.contrib.auth.models import Group

from agreements.models import Agreement, AgreementParty, CooperationProject
from companies.models import Offer, Organization, Person
from companies.roles import OFFICIALS_GROUP, STAFF_GROUP
from missions.models import DelegationMember, Meeting, Mission
from tests import factories as f
from tests.test_admin import _form_errors, _inline_error_codes, _message_levels, _submit, _url

pytestmark = pytest.mark.django_db


def _staff_of(organization, username):
    user = f.UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    f.PersonFactory(organization=organization, user=user, last_name="Демо", first_name="Сотрудник")
    return user


@pytest.fixture
def ulyanovsk_ministry():
    return f.MinistryFactory(region=f.directory_region("73"))


@pytest.fixture
def chelyabinsk_ministry():
    return f.MinistryFactory(region=f.directory_region("74"))


@pytest.fixture
def chelyabinsk_client(client, chelyabinsk_ministry):
    client.force_login(_staff_of(chelyabinsk_ministry, "staff-chelyabinsk"))
    return client


@pytest.fixture
def ulyanovsk_mission(ulyanovsk_ministry):
    return f.MissionFactory(organizer=ulyanovsk_ministry, title="Миссия Ульяновска", is_public=False)


@pytest.fixture
def chelyabinsk_mission(chelyabinsk_ministry):
    return f.MissionFactory(
        organizer=chelyabinsk_ministry,
        title="Миссия Челябинска",
        origin_region=f.directory_region("74"),
        destination_regions=[f.directory_region("73")],
        is_public=False,
    )


# --- Missions ------------------------------------------------------------------------------------


def test_staff_open_a_foreign_mission_read_only_and_cannot_post_to_it(chelyabinsk_client, ulyanovsk_mission):
    url = _url(Mission, "change", ulyanovsk_mission.pk)

    page = chelyabinsk_client.get(url)
    refused = chelyabinsk_client.post(url, {"title": "Чужая правка"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="title"' not in page.content.decode()
    assert refused.status_code == 403
    ulyanovsk_mission.refresh_from_db()
    assert ulyanovsk_mission.title == "Миссия Ульяновска"


def test_staff_change_their_own_mission(chelyabinsk_client, chelyabinsk_mission):
    url = _url(Mission, "change", chelyabinsk_mission.pk)

    response = _submit(chelyabinsk_client, url, {"title": "Миссия Челябинска, уточнено"})

    assert response.status_code == 302
    chelyabinsk_mission.refresh_from_db()
    assert chelyabinsk_mission.title == "Миссия Челябинска, уточнено"


def test_staff_cannot_delete_a_foreign_mission(chelyabinsk_client, ulyanovsk_mission):
    url = _url(Mission, "delete", ulyanovsk_mission.pk)

    assert chelyabinsk_client.get(url).status_code == 403
    assert chelyabinsk_client.post(url, {"post": "yes"}).status_code == 403
    assert Mission.objects.filter(pk=ulyanovsk_mission.pk).exists()


def test_staff_cannot_add_a_delegation_member_or_meeting_to_a_foreign_mission(
    chelyabinsk_client, chelyabinsk_ministry, ulyanovsk_mission
):
    company = f.OrganizationFactory()
    member_url, meeting_url = _url(DelegationMember, "add"), _url(Meeting, "add")

    inline = chelyabinsk_client.post(_url(Mission, "change", ulyanovsk_mission.pk), {"title": "x"})
    member = _submit(chelyabinsk_client, member_url, {"mission": ulyanovsk_mission.pk, "organization": company.pk})
    meeting = _submit(
        chelyabinsk_client,
        meeting_url,
        {
            "mission": ulyanovsk_mission.pk,
            "organization_a": company.pk,
            "organization_b": chelyabinsk_ministry.pk,
            "date": "2025-02-03",
            "start_time": "10:00",
            "end_time": "10:30",
        },
    )

    assert inline.status_code == 403
    assert _form_errors(member)["mission"] == {"invalid_choice"}
    assert _form_errors(meeting)["mission"] == {"invalid_choice"}
    assert not DelegationMember.objects.exists()
    assert not Meeting.objects.exists()


def test_staff_add_a_delegation_member_to_their_own_mission_inline(chelyabinsk_client, chelyabinsk_mission):
    company = f.OrganizationFactory(region=f.directory_region("74"))
    url = _url(Mission, "change", chelyabinsk_mission.pk)

    response = _submit(chelyabinsk_client, url, {"delegation-0-organization": company.pk})

    assert response.status_code == 302, _inline_error_codes(response, DelegationMember)
    assert list(chelyabinsk_mission.delegation.values_list("organization", flat=True)) == [company.pk]


def test_staff_creating_a_mission_recorded_by_another_ministry_is_refused(chelyabinsk_client, ulyanovsk_ministry):
    changes = {
        "title": "Миссия от чужого имени",
        "origin_region": f.directory_region("74").pk,
        "destination_regions": [f.directory_region("73").pk],
        "organizer": ulyanovsk_ministry.pk,
        "recorded_by": ulyanovsk_ministry.pk,
    }

    response = _submit(chelyabinsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 200
    assert _form_errors(response) == {"recorded_by": {"invalid_choice"}}
    assert not Mission.objects.exists()


def test_staff_create_a_mission_of_their_own_organization(chelyabinsk_client, chelyabinsk_ministry):
    changes = {
        "title": "Миссия Челябинска в Казахстан",
        "origin_region": f.directory_region("74").pk,
        "destination_regions": [f.directory_region("73").pk],
        "organizer": chelyabinsk_ministry.pk,
    }

    response = _submit(chelyabinsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 302
    assert Mission.objects.get().organizer == chelyabinsk_ministry


@pytest.mark.parametrize("action", ["publish_selected", "delete_selected"])
def test_bulk_action_over_own_and_foreign_missions_changes_nothing(
    action, chelyabinsk_client, chelyabinsk_mission, ulyanovsk_mission
):
    selected = [chelyabinsk_mission.pk, ulyanovsk_mission.pk]

    response = chelyabinsk_client.post(
        _url(Mission, "changelist"), {"action": action, "_selected_action": selected, "post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert _message_levels(response) == [messages.ERROR]
    assert set(Mission.objects.values_list("pk", "is_public")) == {(pk, False) for pk in selected}


def test_bulk_publish_of_own_missions_works(chelyabinsk_client, chelyabinsk_mission):
    chelyabinsk_client.post(
        _url(Mission, "changelist"), {"action": "publish_selected", "_selected_action": [chelyabinsk_mission.pk]}
    )

    chelyabinsk_mission.refresh_from_db()
    assert chelyabinsk_mission.is_public


# --- Agreements and projects ---------------------------------------------------------------------


def test_agreement_is_changed_by_staff_of_a_party_only(client, chelyabinsk_ministry, ulyanovsk_ministry):
    agreement = f.AgreementFactory(title="Соглашение")
    f.AgreementPartyFactory(agreement=agreement, organization=ulyanovsk_ministry)
    url = _url(Agreement, "change", agreement.pk)

    client.force_login(_staff_of(chelyabinsk_ministry, "staff-chelyabinsk"))
    refused = client.post(url, {"title": "Чужая правка"})
    client.force_login(_staff_of(ulyanovsk_ministry, "staff-ulyanovsk"))
    accepted = _submit(client, url, {"title": "Соглашение, уточнено"})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Соглашение, уточнено"


def test_staff_creating_an_agreement_without_their_organization_is_refused(chelyabinsk_client, ulyanovsk_ministry):
    changes = {
        "title": "Соглашение без нас",
        "kind": Agreement.Kind.INTERGOVERNMENTAL,
        "status": Agreement.Status.DRAFT,
        "parties-0-organization": ulyanovsk_ministry.pk,
    }

    response = _submit(chelyabinsk_client, _url(Agreement, "add"), changes)

    assert response.status_code == 200
    assert "own_party_missing" in _inline_error_codes(response, AgreementParty)
    assert not Agreement.objects.exists()


def test_project_is_changed_by_the_curators_organization_only(client, chelyabinsk_ministry, ulyanovsk_ministry):
    curator = _staff_of(ulyanovsk_ministry, "staff-ulyanovsk")
    project = f.CooperationProjectFactory(title="Проект", curator=curator)
    f.ProjectPartyFactory.create_batch(2, project=project)
    url = _url(CooperationProject, "change", project.pk)

    client.force_login(_staff_of(chelyabinsk_ministry, "staff-chelyabinsk"))
    refused = client.post(url, {"title": "Чужая правка"})
    client.force_login(curator)
    accepted = _submit(client, url, {"title": "Проект, уточнено"})

    assert refused.status_code == 403
    assert accepted.status_code == 302
    project.refresh_from_db()
    assert project.title == "Проект, уточнено"


def test_project_curator_must_be_of_the_staff_users_organization(client, chelyabinsk_ministry, ulyanovsk_ministry):
    foreign_curator = _staff_of(ulyanovsk_ministry, "staff-ulyanovsk")
    client.force_login(_staff_of(chelyabinsk_ministry, "staff-chelyabinsk"))
    first, second = f.OrganizationFactory.create_batch(2)
    changes = {
        "title": "Проект с чужим куратором",
        "stage": CooperationProject.Stage.NEGOTIATION,
        "curator": foreign_curator.pk,
        "parties-0-organization": first.pk,
        "parties-1-organization": second.pk,
    }

    response = _submit(client, _url(CooperationProject, "add"), changes)

    assert response.status_code == 200
    assert _form_errors(response) == {"curator": {"invalid_choice"}}
    assert not CooperationProject.objects.exists()


# --- Two organizations of one region: staff edit by organization, the directory by region ------------


@pytest.fixture
def ulyanovsk_neighbour(ulyanovsk_ministry):
    """Another organizing organization of Ulyanovsk Oblast, with its own staff and rows."""
    neighbour = f.OrganizationFactory(
        region=ulyanovsk_ministry.region,
        kind=Organization.Kind.DEVELOPMENT_INSTITUTION,
        name="Корпорация развития Ульяновской области",
    )
    curator = _staff_of(neighbour, "staff-neighbour")
    agreement = f.AgreementFactory(title="Соглашение корпорации")
    f.AgreementPartyFactory(agreement=agreement, organization=neighbour)
    project = f.CooperationProjectFactory(title="Проект корпорации", curator=curator)
    f.ProjectPartyFactory.create_batch(2, project=project, organization__region=f.directory_region("74"))
    return {
        "mission": f.MissionFactory(organizer=neighbour, title="Миссия корпорации"),
        "agreement": agreement,
        "project": project,
        "organization": neighbour,
        "person": Person.objects.get(user=curator),
        "offer": f.OfferFactory(organization=neighbour, title="Предложение корпорации"),
        "need": f.NeedFactory(organization=neighbour, title="Потребность корпорации"),
    }


@pytest.fixture
def ulyanovsk_client(client, ulyanovsk_ministry):
    client.force_login(_staff_of(ulyanovsk_ministry, "staff-ulyanovsk"))
    return client


# What staff of the Ulyanovsk ministry may change of the neighbour's rows in the admin.
SAME_REGION = {
    "mission": False,  # organized by the neighbour
    "agreement": False,  # the neighbour is the party
    "project": False,  # curated by the neighbour's staff
    "organization": True,  # the directory of their region (not its region or kind: it has logins)
    "person": False,  # the neighbour's staff member: only a superuser changes another staff login's person
    "offer": True,
    "need": True,
}


def test_staff_change_the_directory_of_their_region_but_not_a_neighbours_missions_agreements_projects(
    ulyanovsk_client, ulyanovsk_neighbour
):
    may_change = {}
    for kind, row in ulyanovsk_neighbour.items():
        page = ulyanovsk_client.get(_url(type(row), "change", row.pk))
        assert page.status_code == 200, kind
        may_change[kind] = page.context["has_change_permission"]

    assert may_change == SAME_REGION


def test_staff_edits_to_a_neighbours_rows_are_saved_for_the_directory_only(ulyanovsk_client, ulyanovsk_neighbour):
    offer, mission = ulyanovsk_neighbour["offer"], ulyanovsk_neighbour["mission"]

    accepted = _submit(ulyanovsk_client, _url(Offer, "change", offer.pk), {"title": "Предложение, уточнено"})
    refused = ulyanovsk_client.post(_url(Mission, "change", mission.pk), {"title": "Чужая правка"})

    assert (accepted.status_code, refused.status_code) == (302, 403)
    offer.refresh_from_db()
    mission.refresh_from_db()
    assert (offer.title, mission.title) == ("Предложение, уточнено", "Миссия корпорации")


def test_staff_attach_people_to_any_organization_the_partners_government_too(
    ulyanovsk_client, ulyanovsk_ministry, ulyanovsk_neighbour, chelyabinsk_ministry
):
    page = ulyanovsk_client.get(_url(Person, "add"))

    choices = page.context["adminform"].form.fields["organization"].queryset
    names = set(choices.values_list("name", flat=True))
    assert {ulyanovsk_ministry.name, "Корпорация развития Ульяновской области", chelyabinsk_ministry.name} <= names
    assert names == set(Organization.objects.values_list("name", flat=True))  # the project parties of region 74 too


def test_staff_cannot_record_a_mission_for_a_neighbour_of_their_region(ulyanovsk_client, ulyanovsk_neighbour):
    changes = {
        "title": "Миссия от имени соседа",
        "origin_region": f.directory_region("73").pk,
        "destination_regions": [f.directory_region("74").pk],
        "organizer": ulyanovsk_neighbour["organization"].pk,
        "recorded_by": ulyanovsk_neighbour["organization"].pk,
    }

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert _form_errors(response) == {"recorded_by": {"invalid_choice"}}
    assert not Mission.objects.filter(title="Миссия от имени соседа").exists()


# --- Superuser, officials, company representatives ----------------------------------------------


def test_superuser_changes_any_mission(staff_client, ulyanovsk_mission):
    response = _submit(staff_client, _url(Mission, "change", ulyanovsk_mission.pk), {"title": "Правка"})

    assert response.status_code == 302
    ulyanovsk_mission.refresh_from_db()
    assert ulyanovsk_mission.title == "Правка"


def _official():
    user = f.UserFactory(username="official")
    user.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
    return user


def _company_representative():
    return f.PersonFactory(user=f.UserFactory(username="company")).user


@pytest.mark.parametrize("make_user", [_official, _company_representative], ids=["official", "company"])
def test_officials_and_companies_are_sent_to_the_admin_login_and_change_nothing(make_user, client, ulyanovsk_mission):
    client.force_login(make_user())
    urls = [
        _url(Mission, "changelist"),
        _url(Mission, "add"),
        _url(Mission, "change", ulyanovsk_mission.pk),
        _url(Mission, "delete", ulyanovsk_mission.pk),
    ]

    for url in urls:
        for response in (client.get(url), client.post(url, {"title": "Правка", "post": "yes"})):
            assert response.status_code == 302, url
            assert "/login/" in response["Location"], url
    client.post(_url(Mission, "changelist"), {"action": "publish_selected", "_selected_action": [ulyanovsk_mission.pk]})

    ulyanovsk_mission.refresh_from_db()
    assert (ulyanovsk_mission.title, ulyanovsk_mission.is_public) == ("Миссия Ульяновска", False)
    assert Mission.objects.count() == 1


def test_staff_cannot_link_a_login_to_a_person(client):
    ministry = f.MinistryFactory()
    staff = f.UserFactory(username="staff-person-link", is_staff=True)
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    f.PersonFactory(organization=ministry, user=staff)
    person = f.PersonFactory(organization=f.OrganizationFactory(region=ministry.region))
    stranger = f.UserFactory(username="stranger")
    client.force_login(staff)

    url = f"/admin/companies/person/{person.pk}/change/"
    data = {
        "last_name": person.last_name,
        "first_name": person.first_name,
        "organization": person.organization_id,
        "position": "Главный инженер",
        "user": stranger.pk,
    }
    response = client.post(url, data)

    assert response.status_code == 302  # the rest of the form was saved…
    person.refresh_from_db()
    assert person.position == "Главный инженер"
    assert person.user is None  # …but not the login link
