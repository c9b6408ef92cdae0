"""No one widens their own rights (issue 14, findings 1, 2 and 6).

- A staff member cannot move their own Person, another staff member's or a company login's to another
  organization, nor move their ministry to another region: only a superuser does, and the move is in
  the row's history.
- Staff make API keys only for logins whose rights do not exceed theirs.
- A password change (by the user, a reset link, an admin) stops the user's sessions and API keys; the
  keys are listed as revoked, with the reason.
"""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from agreements.models import CooperationProject, ProjectUpdate
from companies.api_tokens import api_token_create, api_token_revoke, api_token_user
from companies.exceptions import PortalError
from companies.models import ApiToken, Organization, Person, RevokedReason
from companies.roles import can_edit
from tests import factories as f
from tests.test_admin import _inline_error_codes, _submit, _url

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # the factories' password


@pytest.fixture
def own_ministry():
    return f.MinistryFactory(name="Министерство промышленности Ульяновской области", region=f.directory_region("73"))


@pytest.fixture
def other_ministry():
    return f.MinistryFactory(name="Министерство промышленности Челябинской области", region=f.directory_region("74"))


@pytest.fixture
def staff(own_ministry):
    return f.MinistryStaffFactory(username="staff-73", organization=own_ministry)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def other_mission(other_ministry):
    return f.MissionFactory(organizer=other_ministry, title="Миссия Челябинской области", is_public=False)


def _person(user) -> Person:
    return Person.objects.select_related("organization").get(user=user)


# --- Finding 1: moving a login to another organization --------------------------------------------


def test_staff_cannot_move_their_own_person_to_another_ministry(
    staff_client, staff, own_ministry, other_ministry, other_mission
):
    person = _person(staff)
    assert not can_edit(staff, other_mission)

    response = _submit(staff_client, _url(Person, "change", person.pk), {"organization": str(other_ministry.pk)})

    assert response.status_code == 302  # the rest of the row saves; the organization is not a field for them
    assert _person(staff).organization == own_ministry
    staff.refresh_from_db()
    assert not can_edit(staff, other_mission)
    page = staff_client.get(_url(Person, "change", person.pk)).content.decode()
    assert 'name="organization"' not in page
    assert "Министерство промышленности Ульяновской области" in page


def test_staff_cannot_rehome_a_company_login(staff_client, own_ministry):
    company = f.OrganizationFactory(name="Авиастар", region=own_ministry.region)
    rival = f.OrganizationFactory(name="Продмаш", region=own_ministry.region)
    login = f.UserFactory(username="rep-aviastar")
    person = f.PersonFactory(organization=company, user=login, last_name="Петров")

    _submit(
        staff_client, _url(Person, "change", person.pk), {"organization": str(rival.pk), "position": "Главный инженер"}
    )

    person.refresh_from_db()
    assert person.organization == company
    assert person.position == "Главный инженер"  # the contact fields stay theirs to keep


def test_staff_still_move_a_person_without_a_login(staff_client, own_ministry):
    company = f.OrganizationFactory(name="Авиастар", region=own_ministry.region)
    other = f.OrganizationFactory(name="Продмаш", region=own_ministry.region)
    person = f.PersonFactory(organization=company, last_name="Сидоров")

    _submit(staff_client, _url(Person, "change", person.pk), {"organization": str(other.pk)})

    person.refresh_from_db()
    assert person.organization == other


def test_staff_cannot_change_or_delete_another_staff_members_person(staff_client, own_ministry):
    colleague = f.MinistryStaffFactory(username="colleague-73", organization=own_ministry)
    person = _person(colleague)
    url = _url(Person, "change", person.pk)

    response = staff_client.post(url, {"organization": own_ministry.pk, "last_name": "Самозванец", "position": "x"})
    deleted = staff_client.post(_url(Person, "delete", person.pk), {"post": "yes"})

    assert response.status_code == 403
    assert deleted.status_code == 403
    person.refresh_from_db()
    assert person.last_name == "Сотрудник-colleague-73"
    assert person.user == colleague


def test_staff_cannot_change_another_staff_members_person_through_the_organization_page(staff_client, own_ministry):
    colleague = f.MinistryStaffFactory(username="colleague-73", organization=own_ministry)
    person = _person(colleague)
    page = staff_client.get(_url(Organization, "change", own_ministry.pk)).content.decode()
    prefix = "people" if 'name="people-TOTAL_FORMS"' in page else None
    assert prefix, "the organization page has no people inline"
    rows = {value: i for i, value in enumerate(_inline_ids(page, prefix))}

    response = _submit(
        staff_client,
        _url(Organization, "change", own_ministry.pk),
        {f"{prefix}-{rows[str(person.pk)]}-last_name": "Самозванец"},
    )

    assert response.status_code == 200
    assert _inline_error_codes(response, Person) == {"another_staff_login"}
    person.refresh_from_db()
    assert person.last_name == "Сотрудник-colleague-73"


def _inline_ids(page: str, prefix: str) -> list[str]:
    import re

    return [
        m.group(2)
        for m in sorted(re.finditer(rf'name="{prefix}-(\d+)-id" value="(\d+)"', page), key=lambda m: int(m.group(1)))
    ]


def test_staff_cannot_move_their_ministry_to_another_region(staff_client, staff, own_ministry, other_mission):
    chelyabinsk = f.directory_region("74")

    _submit(
        staff_client, _url(Organization, "change", own_ministry.pk), {"region": str(chelyabinsk.pk), "kind": "company"}
    )

    own_ministry.refresh_from_db()
    assert own_ministry.region == f.directory_region("73")
    assert own_ministry.kind == Organization.Kind.GOVERNMENT


def test_staff_still_move_a_company_without_logins(staff_client, own_ministry):
    company = f.OrganizationFactory(name="Авиастар", region=own_ministry.region)

    _submit(staff_client, _url(Organization, "change", company.pk), {"region": str(f.directory_region("74").pk)})

    company.refresh_from_db()
    assert company.region == f.directory_region("74")


def test_a_superuser_moves_a_login_and_the_move_is_in_the_history(client, staff, own_ministry, other_ministry):
    chief = f.StaffUserFactory(username="chief")
    client.force_login(chief)
    person = _person(staff)

    response = _submit(client, _url(Person, "change", person.pk), {"organization": str(other_ministry.pk)})

    assert response.status_code == 302
    assert _person(staff).organization == other_ministry
    latest = person.history.first()
    assert latest.organization_id == other_ministry.pk
    assert latest.history_user == chief
    assert latest.prev_record is None or latest.prev_record.organization_id == own_ministry.pk
    history = client.get(_url(Person, "history", person.pk)).content.decode()
    assert "Министерство промышленности Челябинской области" in history


# --- Finding 2: API keys only for logins whose rights do not exceed the maker's -----------------


@pytest.fixture
def hidden_project(other_ministry):
    curator = f.MinistryStaffFactory(username="curator-74", organization=other_ministry)
    return f.CooperationProjectFactory(curator=curator, title="Скрытый проект", is_public=False)


def test_staff_cannot_make_a_key_for_a_superuser_of_their_organization(staff_client, own_ministry):
    chief = f.StaffUserFactory(username="chief-73")
    f.PersonFactory(organization=own_ministry, user=chief, last_name="Начальник")
    url = _url(ApiToken, "add")

    response = staff_client.post(url, {"user": chief.pk, "name": "Интеграция"})

    assert response.status_code == 200
    assert not ApiToken.objects.exists()
    assert chief.pk not in {u.pk for u in response.context["adminform"].form.fields["user"].queryset}


def test_the_service_refuses_a_key_that_would_outrank_its_maker(staff, own_ministry, hidden_project):
    chief = f.StaffUserFactory(username="chief-73")
    f.PersonFactory(organization=own_ministry, user=chief, last_name="Начальник")
    colleague = f.MinistryStaffFactory(username="colleague-73", organization=own_ministry)

    for target in (chief, colleague):
        with pytest.raises(PortalError) as refused:
            api_token_create(user=target, name="Интеграция", by=staff)
        assert [e.code for e in refused.value.error_dict["user"]] == ["rights_exceed"]
    assert not ApiToken.objects.exists()
    assert not ProjectUpdate.objects.filter(project=hidden_project).exists()


def test_staff_make_keys_for_themselves_and_their_organizations_integration_login(staff_client, staff, own_ministry):
    integration = f.UserFactory(username="1c-73")
    f.PersonFactory(organization=own_ministry, user=integration, last_name="", first_name="", position="Интеграция 1С")
    outsider = f.UserFactory(username="1c-74")
    f.PersonFactory(organization=f.MinistryFactory(region=f.directory_region("74")), user=outsider, last_name="Чужой")

    form = staff_client.get(_url(ApiToken, "add")).context["adminform"].form
    assert {u.username for u in form.fields["user"].queryset} == {"staff-73", "1c-73"}
    for user in (staff, integration):
        response = staff_client.post(_url(ApiToken, "add"), {"user": user.pk, "name": f"Ключ {user.username}"})
        assert response.status_code == 302
    assert sorted(ApiToken.objects.values_list("user__username", flat=True)) == ["1c-73", "staff-73"]
    with pytest.raises(PortalError):
        api_token_create(user=outsider, name="Чужой ключ", by=staff)


def test_a_key_made_by_a_superuser_for_anyone_still_works(own_ministry):
    chief = f.StaffUserFactory(username="chief")
    staff = f.MinistryStaffFactory(username="staff-73", organization=own_ministry)

    token, key = api_token_create(user=staff, name="Интеграция", by=chief)

    assert api_token_user(key) == (staff, token)


# --- Finding 6: a password change stops sessions and keys ----------------------------------------


def _me(client, key):
    return client.get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {key}")


def _revoked(token) -> tuple[bool, str]:
    token.refresh_from_db()
    return token.revoked_at is not None, token.revoked_reason


def test_a_password_changed_by_an_admin_stops_the_users_sessions_and_keys(client, staff):
    token, key = api_token_create(user=staff, name="Интеграция")
    other_key_token, _ = api_token_revoke(token=api_token_create(user=staff, name="Отчёты")[0]), None
    session = client.__class__()
    session.force_login(staff)
    assert session.get(reverse("admin:index")).status_code == 200
    assert _me(client, key).status_code == 200
    chief = f.StaffUserFactory(username="chief")
    admin = client.__class__()
    admin.force_login(chief)

    response = admin.post(
        reverse("admin:auth_user_password_change", args=[staff.pk]),
        {"password1": "Новый-пароль-2026", "password2": "Новый-пароль-2026", "usable_password": "true"},
    )

    assert response.status_code == 302
    assert _revoked(token) == (True, RevokedReason.PASSWORD_CHANGED)
    assert _revoked(other_key_token) == (True, RevokedReason.BY_HAND)  # revoked before, reason kept
    assert api_token_user(key) is None
    assert _me(client, key).status_code in (401, 403)
    assert session.get(reverse("admin:index")).status_code == 302  # signed out


def test_a_password_changed_by_its_user_stops_their_keys_and_other_sessions(client, staff):
    token, key = api_token_create(user=staff, name="Интеграция")
    elsewhere = client.__class__()
    elsewhere.force_login(staff)
    client.force_login(staff)

    response = client.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": "Новый-пароль-2026", "new_password2": "Новый-пароль-2026"},
    )

    assert response.status_code == 302
    assert _revoked(token) == (True, RevokedReason.PASSWORD_CHANGED)
    assert client.get(reverse("admin:index")).status_code == 200  # the session that changed it stays
    assert elsewhere.get(reverse("admin:index")).status_code == 302


def test_a_password_reset_by_link_stops_the_keys(client):
    company = f.OrganizationFactory(name="Авиастар")
    rep = f.UserFactory(username="rep-aviastar")
    f.PersonFactory(organization=company, user=rep, last_name="Петров")
    token, key = api_token_create(user=rep, name="1С")
    uid = urlsafe_base64_encode(force_bytes(rep.pk))
    link = reverse("account:password-reset-confirm", args=[uid, default_token_generator.make_token(rep)])

    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Новый-пароль-2026", "new_password2": "Новый-пароль-2026"}
    )

    assert response.status_code == 302
    assert _revoked(token) == (True, RevokedReason.PASSWORD_CHANGED)
    assert api_token_user(key) is None


def test_signing_in_does_not_revoke_keys(client, staff):
    token, key = api_token_create(user=staff, name="Интеграция")

    assert client.post(reverse("admin:login"), {"username": "staff-73", "password": PASSWORD}).status_code == 302

    assert _revoked(token) == (False, "")
    assert api_token_user(key) == (staff, token)


def test_the_personal_area_lists_a_key_revoked_by_a_password_change(client):
    company = f.OrganizationFactory(name="Авиастар")
    rep = f.UserFactory(username="rep-aviastar")
    f.PersonFactory(organization=company, user=rep, last_name="Петров")
    api_token_create(user=rep, name="Выгрузка в 1С")
    rep.set_password("Новый-пароль-2026")
    rep.save()
    client.force_login(rep)

    page = client.get(reverse("account:api-keys"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()

    assert "Выгрузка в 1С" in page
    assert "пароль учётной записи изменён" in page


def test_the_project_stays_unchanged_by_a_revoked_key(client, own_ministry, hidden_project):
    chief = f.StaffUserFactory(username="chief-73")
    token, key = api_token_create(user=chief, name="Интеграция")
    chief.set_password("Новый-пароль-2026")
    chief.save()

    response = client.post(
        reverse("api:project-updates", args=[hidden_project.slug]),
        {"note": "Отгружена первая партия"},
        HTTP_AUTHORIZATION=f"Token {key}",
    )

    assert response.status_code in (401, 403)
    assert not ProjectUpdate.objects.filter(project=hidden_project).exists()
    assert CooperationProject.objects.get(pk=hidden_project.pk).title == "Скрытый проект"
