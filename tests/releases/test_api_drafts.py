"""POST /api/v1/drafts/: a release read into its draft, as JSON, for staff; nothing is written."""

import json

import pytest
from django.contrib.auth.models import Group

from companies import roles
from companies.api_tokens import api_token_create
from missions.models import Mission, Source
from releases.upload import RELEASE_MAX_CHARS
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/api/v1/drafts/"
TEXT = "Делегация Челябинской области 3 февраля 2025 года посетила Ульяновскую область."
DRAFT_KEYS = {
    "text", "published", "title", "origin_regions", "destination_regions", "cities", "organizations", "people",
    "dates", "figures", "agreements", "programme", "head_of_delegation", "mission_id", "gold",
}  # fmt: skip
GOLD_KEYS = {
    "origin_regions", "destination_regions", "cities", "organizations", "people", "dates", "figures", "agreements",
}  # fmt: skip


def _post(client, body, **headers):
    return client.post(URL, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def staff():
    return f.MinistryStaffFactory(username="staff-74", organization=f.MinistryFactory(region=f.directory_region("74")))


def test_staff_get_the_draft_and_nothing_is_written(client, staff):
    client.force_login(staff)

    response = _post(client, {"text": TEXT, "published": "2025-02-04"})

    assert response.status_code == 200
    data = response.json()
    assert set(data) == DRAFT_KEYS and set(data["gold"]) == GOLD_KEYS
    assert (data["text"], data["published"]) == (TEXT, "2025-02-04")
    assert all(isinstance(data[name], list) for name in ("organizations", "people", "figures", "agreements"))
    assert (Mission.objects.count(), Source.objects.count()) == (0, 0)


def test_characters_unicode_does_not_name_are_read_as_spaces(client, staff):
    """A corrupted paste (private-use and unassigned code points) is read around, never a 500."""
    client.force_login(staff)
    text = "\U0010f97c\U00017025 " + TEXT + " \U000e0fff"

    response = _post(client, {"text": text})

    assert response.status_code == 200
    assert response.json()["text"] == text
    assert [r["name"] for r in response.json()["origin_regions"]] == ["Челябинская область"]


def test_a_staff_key_works_too(client, staff):
    key = api_token_create(user=staff, name="интеграция", by=staff)[1]
    response = _post(client, {"text": TEXT}, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["published"] is None


def test_anonymous_is_401(client):
    response = _post(client, {"text": TEXT})
    assert response.status_code == 401
    assert response.json()["status"] == 401


@pytest.mark.parametrize("who", ["company", "official"])
def test_others_are_403(client, who):
    user = f.UserFactory(username=who)
    if who == "company":
        f.PersonFactory(organization=f.OrganizationFactory(), user=user)
    else:
        user.groups.add(Group.objects.get(name=roles.OFFICIALS_GROUP))
    client.force_login(user)

    response = _post(client, {"text": TEXT})

    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] is None
    assert "organizations" not in response.json()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "text", "required"),
        ({"text": "   "}, "text", "empty"),
        ({"text": "\x1e \x1f\x1c"}, "text", "empty"),  # separators (control characters) alone
        ({"text": "a" * (RELEASE_MAX_CHARS + 1)}, "text", "max_length"),
        ({"text": TEXT, "published": "04.02.2025"}, "published", "invalid"),
        ({"text": ["список"]}, "text", "invalid"),
        ({"text": -1.5e94}, "text", "invalid"),
        ({"text": True}, "text", "invalid"),
        ({"text": "\ud800 непарный суррогат"}, "text", "surrogate_characters_not_allowed"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, staff, body, field, code):
    client.force_login(staff)
    response = (
        _post(client, body)
        if "\ud800" not in str(body.get("text"))
        else client.post(URL, '{"text": "\\ud800 непарный суррогат"}', content_type="application/json")
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, code)]
    assert Mission.objects.count() == 0


def test_the_error_message_is_russian_by_default(client, staff):
    client.force_login(staff)
    response = _post(client, {"text": "a" * (RELEASE_MAX_CHARS + 1)})
    assert response.json()["errors"][0]["message"] == "Убедитесь, что это значение содержит не более 100000 символов."
