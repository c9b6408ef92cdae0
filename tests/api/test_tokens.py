"""API keys: a revoked, expired or deactivated user's key opens nothing; the key is never stored."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import ProjectUpdate
from companies.api_tokens import api_token_create, api_token_revoke
from companies.models import ApiToken
from tests.api import assert_error_shape

# Everything a key could open: reads open to everyone, the user's own lists, and a write.
READS = ["missions/", "projects/", "people/", "projects/hidden-project-x/", "me/", "me/projects/", "me/meetings/"]


def _nothing_works_with(api, key):
    for path in READS:
        errors = assert_error_shape(api.get(path, key=key), 401)
        assert errors[0]["code"] == "authentication_failed", path
    before = ProjectUpdate.objects.count()
    assert_error_shape(api.post("projects/public-project-x/updates/", {"note": "Кто здесь?"}, key=key), 401)
    assert ProjectUpdate.objects.count() == before


def test_a_key_opens_what_its_user_sees(api):
    key = api.world.keys["staff_x"]

    assert api.get("projects/hidden-project-x/", key=key).status_code == 200
    assert api.get("me/", key=key).json()["username"] == "staff-x"


def test_a_revoked_key_opens_nothing(api):
    user = api.world.users["staff_x"]
    token, key = api_token_create(user=user, name="1C")
    assert api.get("me/", key=key).status_code == 200

    api_token_revoke(token=token)

    _nothing_works_with(api, key)
    assert api.get("me/", role="staff_x").status_code == 200  # the user's other key still works


def test_an_expired_key_opens_nothing(api):
    token, key = api_token_create(
        user=api.world.users["company_a"], name="CRM", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    assert api.get("me/", key=key).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    _nothing_works_with(api, key)


def test_the_key_of_a_deactivated_user_opens_nothing(api):
    user = api.world.users["company_a"]
    user.is_active = False
    user.save()

    _nothing_works_with(api, api.world.keys["company_a"])


@pytest.mark.parametrize(
    "header",
    ["Token", "Token mp_x mp_y", "Token not-our-prefix", "Token mp_" + "x" * 200, "Bearer mp_nope", "token mp_nope"],
)
def test_a_malformed_or_unknown_key_is_a_401_not_an_anonymous_read(api, header):
    response = api.client.get("/api/v1/missions/", headers={"Authorization": header})

    assert_error_shape(response, 401)


def test_bearer_works_like_token(api):
    key = api.world.keys["official"]

    response = api.client.get("/api/v1/me/", headers={"Authorization": f"Bearer {key}"})

    assert response.json()["role"] == "official"


def test_another_scheme_is_left_to_the_other_authentications(api):
    response = api.client.get("/api/v1/missions/", headers={"Authorization": "Basic cm9vdDpyb290"})

    assert response.status_code == 200  # read as anonymous: Basic is not ours to refuse


def test_only_a_digest_of_the_key_is_stored(api):
    user = api.world.users["company_b"]

    token, key = api_token_create(user=user, name="ERP")

    assert key.startswith("mp_") and len(key) == 46
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in {str(value) for value in stored.values()}
    assert stored["prefix"] == key[:10]


def test_using_a_key_records_when_at_most_once_a_minute(api):
    token = ApiToken.objects.get(user=api.world.users["company_b"])
    assert token.last_used_at is None

    api.get("me/", role="company_b")
    token.refresh_from_db()
    first = token.last_used_at
    api.get("me/", role="company_b")
    token.refresh_from_db()

    assert first is not None
    assert token.last_used_at == first
