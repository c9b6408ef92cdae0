"""The agreement page's signatories: everyone sees those of public organizations signing on behalf of a
public one (or on their own organization's behalf); officials and staff see them all. (It once showed
them to visitors and hid the ones signing on behalf of someone from officials, staff and superusers.)"""

import pytest
from django.contrib.auth.models import Group

from companies.roles import OFFICIALS_GROUP
from tests.factories import (
    AgreementFactory,
    MinistryFactory,
    OrganizationFactory,
    PersonFactory,
    SignatoryFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    agreement = AgreementFactory(slug="signed-one")
    governor = PersonFactory(last_name="Губернаторов", organization=MinistryFactory())
    director = PersonFactory(last_name="Директоров", organization=OrganizationFactory())
    deputy = PersonFactory(last_name="Заместителев", organization=OrganizationFactory())
    hidden = PersonFactory(last_name="Скрытов", organization=OrganizationFactory(is_public=False))
    SignatoryFactory(agreement=agreement, person=governor)
    SignatoryFactory(agreement=agreement, person=director, on_behalf_of=MinistryFactory())
    SignatoryFactory(agreement=agreement, person=deputy, on_behalf_of=OrganizationFactory(is_public=False))
    SignatoryFactory(agreement=agreement, person=hidden)
    return agreement


def signatories(client) -> list[str]:
    response = client.get("/agreements/signed-one/")
    assert response.status_code == 200
    return sorted(s.person.last_name for s in response.context["agreement"].visible_signatories)


def official():
    user = UserFactory(username="official")
    user.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
    return user


def test_a_visitor_sees_the_signatories_of_public_organizations_for_public_ones(client, agreement):
    assert signatories(client) == ["Губернаторов", "Директоров"]


@pytest.mark.parametrize("make_user", [official, lambda: StaffUserFactory(username="root")], ids=["official", "staff"])
def test_officials_and_staff_see_every_signatory(client, agreement, make_user):
    client.force_login(make_user())

    assert signatories(client) == ["Губернаторов", "Директоров", "Заместителев", "Скрытов"]
