"""A planned mission with both sides registered, every role's login, and people whose contacts could leak."""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.utils import timezone

from companies import roles
from missions.models import Mission
from partners.models import HostParticipant
from tests import factories as f


@dataclass
class B2BWorld:
    mission: Mission
    org_a: object  # delegation: the requester
    org_b: object  # host side: the invitee
    org_c: object  # delegation: a third company of the same mission
    org_d: object  # a company of the destination that has not registered
    users: dict
    session: object  # the B2B session of the programme


def person_user(username, organization, *, phone="", **user_fields):
    user = f.UserFactory(username=username, email=f"{username}@example.org", **user_fields)
    f.PersonFactory(
        organization=organization, user=user, email=f"{username}.person@example.org", phone=phone,
        last_name=username.replace("-", "").capitalize(),
    )  # fmt: skip
    return user


@pytest.fixture
def b2b(db):
    x, y = f.directory_region("73"), f.directory_region("74")
    ministry_x = f.MinistryFactory(region=x, slug="ministry-x")
    ministry_y = f.MinistryFactory(region=y, slug="ministry-y")
    start = timezone.localdate() + datetime.timedelta(days=30)
    mission = f.MissionFactory(
        slug="b2b-mission", organizer=ministry_x, origin_region=x, destination_regions=[y],
        status=Mission.Status.PLANNED, start_date=start, end_date=start + datetime.timedelta(days=1),
    )  # fmt: skip
    org_a = f.OrganizationFactory(region=x, name="Альфа Приборы", slug="alfa")
    org_c = f.OrganizationFactory(region=x, name="Гамма Литьё", slug="gamma")
    org_b = f.OrganizationFactory(region=y, name="Бета Манометры", slug="beta")
    org_d = f.OrganizationFactory(region=y, name="Дельта Станки", slug="delta")
    f.DelegationMemberFactory(mission=mission, organization=org_a)
    f.DelegationMemberFactory(mission=mission, organization=org_c)
    HostParticipant.objects.create(mission=mission, organization=org_b)
    users = {
        "requester": person_user("rep-a", org_a, phone="+7 900 111-11-11"),
        "invitee": person_user("rep-b", org_b, phone="+7 900 222-22-22"),
        "third": person_user("rep-c", org_c),
        "outsider": person_user("rep-d", org_d),
        "official": f.UserFactory(username="official"),
        "staff_mission": person_user("staff-x", ministry_x, is_staff=True),
        "staff_other": person_user("staff-y", ministry_y, is_staff=True),
        "anonymous": AnonymousUser(),
    }
    users["official"].groups.add(Group.objects.get(name=roles.OFFICIALS_GROUP))
    for key in ("staff_mission", "staff_other"):
        users[key].groups.add(Group.objects.get(name=roles.STAFF_GROUP))
    session = f.ProgramItemFactory(mission=mission, kind="b2b", title="B2B-сессия")
    session.date = start
    session.starts_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time(10, 0)), y.tzinfo)
    session.ends_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time(13, 0)), y.tzinfo)
    session.save()
    return B2BWorld(mission, org_a, org_b, org_c, org_d, users, session)
