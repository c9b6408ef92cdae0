"""`manage.py generate_data`: the sizes asked for, the same data for the same seed, no clash, every rule."""

import datetime
import io
import itertools
from collections import defaultdict

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from agreements.models import Agreement, AgreementParty, CooperationProject, PlanItem, ProjectParty, Reminder
from companies.models import Organization, Person
from companies.roles import OFFICIALS_GROUP, STAFF_GROUP
from config.portal.generate.base import Sizes
from config.portal.generate.dataset import data_generate
from missions.models import DelegationMember, Meeting, Mission

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)
ACTIVE = (Meeting.Status.REQUESTED, Meeting.Status.SCHEDULED, Meeting.Status.HELD)


def generate(scale=0.001, seed=7) -> dict:
    return data_generate(scale=scale, seed=seed, today=TODAY, out=lambda line: None)


def wipe() -> None:
    for model in (Reminder, CooperationProject, Agreement, Meeting, Mission):
        model.objects.all().delete()
    Person.objects.filter(organization__slug__startswith="gen-").delete()
    Organization.objects.filter(slug__startswith="gen-").delete()
    get_user_model().objects.filter(username__startswith="gen-").delete()


def snapshot() -> dict:
    """The data set by natural keys (slugs, names), not by the database's ids."""
    org = dict(Organization.objects.values_list("pk", "slug"))
    return {
        "organizations": sorted(
            Organization.objects.values_list("slug", "name", "inn", "ogrn", "region__code", "is_public")
        ),
        "missions": sorted(
            Mission.objects.values_list("slug", "title", "origin_region__code", "start_date", "end_date", "status")
        ),
        "meetings": sorted(
            (
                m.mission.slug,
                org[m.organization_a_id],
                org[m.organization_b_id],
                m.starts_at,
                m.table,
                m.status,
                m.outcome,
            )
            for m in Meeting.objects.select_related("mission")
        ),
        "projects": sorted(
            CooperationProject.objects.values_list("slug", "title", "stage", "curator__username", "last_activity_at")
        ),
        "agreements": sorted(Agreement.objects.values_list("slug", "kind", "status", "signed_on", "number")),
        "plan": sorted(PlanItem.objects.values_list("agreement__slug", "number", "status", "due_date")),
    }


def test_sizes_at_scale_one_are_the_federal_rollout():
    assert Sizes.at(1) == Sizes(
        companies=100_000, missions=10_000, meetings=1_000_000, projects=200_000, agreements=20_000, plan_items=200_000
    )
    assert Sizes.at(0.05) == Sizes(
        companies=5_000, missions=500, meetings=50_000, projects=10_000, agreements=1_000, plan_items=10_000
    )


def test_generate_writes_the_sizes_asked_for():
    written = generate(scale=0.002)

    assert Organization.objects.filter(kind=Organization.Kind.COMPANY).count() == 200
    assert Mission.objects.count() == 20
    assert CooperationProject.objects.count() == 400
    assert Agreement.objects.count() == 40
    assert PlanItem.objects.count() == 400
    # Meetings: the asked number, less what the smallest regions had no free companies for at this tiny scale.
    assert 1_800 <= Meeting.objects.count() <= 2_000
    assert written["missions.Meeting"] == Meeting.objects.count()
    assert Organization.objects.filter(kind=Organization.Kind.GOVERNMENT).count() == 89  # a ministry per region
    assert Person.objects.filter(user__groups__name=STAFF_GROUP).count() == 89 + 15  # and per partner country
    assert Person.objects.filter(user__isnull=False, organization__kind=Organization.Kind.COMPANY).exists()
    assert Reminder.objects.filter(state=Reminder.State.SENT).count() == written["agreements.Reminder"] > 0


def test_generate_is_reproducible_with_the_same_seed():
    generate(seed=7)
    first = snapshot()
    wipe()

    generate(seed=7)

    assert snapshot() == first


def test_generate_another_seed_gives_other_data():
    generate(seed=7)
    first = snapshot()
    wipe()

    generate(seed=8)

    assert snapshot()["organizations"] != first["organizations"]


def test_generated_meetings_never_clash():
    """No organization in two overlapping active meetings, no table of a mission booked twice at one time
    (the rules PostgreSQL's exclusion constraints hold; on SQLite checked here row by row)."""
    generate(scale=0.002)
    by_org, by_table = defaultdict(list), defaultdict(list)
    for m in Meeting.objects.filter(status__in=ACTIVE).values(
        "organization_a_id", "organization_b_id", "mission_id", "table", "starts_at", "ends_at"
    ):
        by_org[m["organization_a_id"]].append((m["starts_at"], m["ends_at"]))
        by_org[m["organization_b_id"]].append((m["starts_at"], m["ends_at"]))
        by_table[(m["mission_id"], m["table"])].append((m["starts_at"], m["ends_at"]))
    for slots in itertools.chain(by_org.values(), by_table.values()):
        slots.sort()
        assert all(a_end <= b_start for (_, a_end), (b_start, _) in itertools.pairwise(slots))
    assert len(by_org) > 50


def test_generated_rows_satisfy_every_constraint():
    generate(scale=0.002)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA foreign_key_check")
            assert cursor.fetchall() == []
    for model in (Organization, Mission, Meeting, Agreement, PlanItem, CooperationProject, ProjectParty):
        for obj in model.objects.all()[:300]:
            obj.full_clean(validate_unique=True)
    # Every meeting's organizations sit on its mission's two sides: the delegation and the hosts.
    members = set(DelegationMember.objects.values_list("mission_id", "organization_id"))
    assert all((m, a) in members for m, a in Meeting.objects.values_list("mission_id", "organization_a_id"))
    assert (
        AgreementParty.objects.filter(agreement__kind=Agreement.Kind.CONTRACT).count()
        == 2 * Agreement.objects.filter(kind=Agreement.Kind.CONTRACT).count()
    )


def test_generate_gives_officials_and_projects_without_curator():
    generate(scale=0.002)

    assert get_user_model().objects.filter(groups__name=OFFICIALS_GROUP, is_staff=False).count() == 3
    assert CooperationProject.objects.filter(curator__isnull=True).exists()
    assert set(CooperationProject.objects.values_list("stage", flat=True)) == set(CooperationProject.Stage.values)


def test_command_refuses_a_second_run_and_a_bad_scale():
    call_command("generate_data", "--scale", "0.001", "--today", "2026-12-01", stdout=io.StringIO())

    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_data", "--scale", "0.001", stdout=io.StringIO())
    with pytest.raises(CommandError, match="above 0"):
        call_command("generate_data", "--scale", "0", stdout=io.StringIO())
