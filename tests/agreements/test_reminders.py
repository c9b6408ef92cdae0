"""The follow-up scan: which reminders each rule writes on which day, to whom, and only once.

Each rule is checked on the day it fires and the day before, with the clock travelled to that day
(`reminders_scan` is also given `today=`, as the command passes it). The rows are the outcome:
the scan writes rows. Escalation and the digest: test_reminders_escalation.py; sending:
test_reminders_delivery.py; letters and the one-click link: test_reminders_links.py; the admin, the
command and the demo data: test_reminders_admin.py.
"""

import datetime
import zoneinfo

import pytest
import time_machine

from agreements.followup.scan import reminders_scan
from agreements.models import Agreement, CooperationProject, PlanItem, Reminder, ReminderPolicy
from agreements.services.projects import project_record_progress
from tests.factories import (
    AgreementFactory,
    CooperationProjectFactory,
    MinistryStaffFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    PlanItemFactory,
    ProjectPartyFactory,
    StaffUserFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MOSCOW = zoneinfo.ZoneInfo("Europe/Moscow")
# The day the projects below last had news: a Monday (ISO week 2026-W10).
D = datetime.date(2026, 3, 2)
Stage = CooperationProject.Stage
Kind = Reminder.Kind


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def noon(day: datetime.date) -> datetime.datetime:
    """Noon in Moscow, the portal's time zone, on `day`."""
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=MOSCOW)


def at(day: datetime.date, **after):
    """The clock stopped at noon in Moscow on `day` (plus `after`, a timedelta's arguments)."""
    return time_machine.travel(noon(day) + datetime.timedelta(**after), tick=False)


def scan(day: datetime.date) -> int:
    """The scan as the hourly task runs it on `day`: the clock there, and the day passed too."""
    with at(day):
        return reminders_scan(today=day)


def rows(kind: str | None = None) -> set[tuple[str, str, str]]:
    """(kind, period, recipient) of every reminder row, or of one kind."""
    found = Reminder.objects.filter(kind=kind) if kind else Reminder.objects.all()
    return set(found.values_list("kind", "period", "recipient_email"))


def idle_project(stage: str = Stage.NEGOTIATION, since: datetime.date = D, **kwargs) -> CooperationProject:
    """A project whose last news was at noon on `since`, with a curator (a superuser without a
    Person, so no ministry digest gets involved) and no parties."""
    return CooperationProjectFactory(stage=stage, last_activity_at=noon(since), **kwargs)


def policy_set(**fields) -> None:
    ReminderPolicy.objects.filter(pk=1).update(**fields)


# --- Projects without activity ------------------------------------------------------------------


@pytest.mark.parametrize(
    "stage,stale_days",
    [
        (Stage.LEAD, 30),
        (Stage.NEGOTIATION, 30),
        (Stage.PROPOSAL, 21),
        (Stage.CONTRACT_SIGNED, 45),
        (Stage.IN_IMPLEMENTATION, 60),
        (Stage.SUSPENDED, 90),
    ],
)
def test_stale_project_reminded_on_the_nth_idle_day_not_the_day_before(stage, stale_days):
    project = idle_project(stage)
    curator = project.curator.email

    before = scan(D + days(stale_days - 1))
    on_the_day = scan(D + days(stale_days))

    assert (before, on_the_day) == (0, 1)
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.period, reminder.recipient_email) == (Kind.PROJECT_STALE, f"{D}#1", curator)
    assert (reminder.project, reminder.subject, reminder.due_on) == (
        project,
        f"project:{project.pk}",
        D + days(stale_days),
    )
    assert reminder.state == Reminder.State.PENDING
    assert reminder.recipient_user == project.curator


def test_stale_scan_follows_the_clock_when_no_day_is_given():
    project = idle_project(Stage.NEGOTIATION)

    with at(D + days(29), hours=11):  # 23:00 in Moscow: still the 29th idle day
        before = reminders_scan()
    with at(D + days(30), hours=-11):  # 01:00 in Moscow of the 30th day
        on_the_day = reminders_scan()

    assert (before, on_the_day) == (0, 1)
    assert rows() == {(Kind.PROJECT_STALE, f"{D}#1", project.curator.email)}


def test_stale_project_reminded_again_after_two_periods_as_a_new_period():
    project = idle_project(Stage.NEGOTIATION)

    found = [scan(D + days(n)) for n in (30, 45, 59, 60, 61, 89, 90)]

    assert found == [1, 0, 0, 1, 0, 0, 1]
    curator = project.curator.email
    assert rows() == {(Kind.PROJECT_STALE, f"{D}#{k}", curator) for k in (1, 2, 3)}


def test_progress_recorded_resets_the_stale_clock():
    project = idle_project(Stage.NEGOTIATION)
    with at(D + days(20)):
        project_record_progress(project=project, by=project.curator, note="Созвонились с заказчиком")
    project.refresh_from_db()
    assert project.last_activity_at == noon(D + days(20))

    found = [scan(D + days(n)) for n in (30, 49, 50)]

    assert found == [0, 0, 1]
    assert rows() == {(Kind.PROJECT_STALE, f"{D + days(20)}#1", project.curator.email)}


@pytest.mark.parametrize("stage", [Stage.COMPLETED, Stage.DROPPED])
def test_closed_project_gets_no_reminder_of_any_kind(stage):
    mission = MissionFactory(start_date=D, end_date=D)
    idle_project(
        stage, since=D - days(400), origin_mission=mission, next_step="Подписать акт", next_step_due=D + days(30)
    )

    found = [scan(D + days(n)) for n in (30, 31, 90, 180, 365)]

    assert found == [0, 0, 0, 0, 0]
    assert not Reminder.objects.exists()


def test_project_without_anyone_to_write_to_gets_no_row(caplog):
    idle_project(curator=None)

    assert scan(D + days(30)) == 0
    assert not Reminder.objects.exists()
    assert "has nobody to write to" in caplog.text


# --- The next step ------------------------------------------------------------------------------


def test_next_step_due_on_the_day_then_overdue_after_nothing_before():
    due = D + days(10)
    project = idle_project(Stage.IN_IMPLEMENTATION, next_step="Отгрузить первую партию", next_step_due=due)
    curator = project.curator.email

    found = {n: scan(due + days(n)) for n in (-1, 0, 1, 2, 20)}

    assert found == {-1: 0, 0: 1, 1: 1, 2: 0, 20: 0}
    assert rows() == {
        (Kind.NEXT_STEP_DUE, due.isoformat(), curator),
        (Kind.NEXT_STEP_OVERDUE, due.isoformat(), curator),
    }
    assert dict(Reminder.objects.values_list("kind", "due_on")) == {
        Kind.NEXT_STEP_DUE: due,
        Kind.NEXT_STEP_OVERDUE: due + days(1),
    }


def test_next_step_moved_gets_reminders_for_the_new_date():
    due = D + days(10)
    project = idle_project(Stage.IN_IMPLEMENTATION, next_step="Отгрузить партию", next_step_due=due)
    scan(due)
    later = due + days(7)
    with at(due):
        project_record_progress(project=project, by=project.curator, next_step_due=later)

    found = {n: scan(due + days(n)) for n in (1, 6, 7)}

    assert found == {1: 0, 6: 0, 7: 1}
    assert {period for _kind, period, _to in rows(Kind.NEXT_STEP_DUE)} == {due.isoformat(), later.isoformat()}
    assert not rows(Kind.NEXT_STEP_OVERDUE)


# --- Check-ins after the mission ------------------------------------------------------------------


def test_checkin_at_30_90_and_180_days_after_the_mission_end():
    end = D
    mission = MissionFactory(start_date=end - days(2), end_date=end)
    project = idle_project(Stage.IN_IMPLEMENTATION, since=end, origin_mission=mission)

    checkins = {}
    for n in (29, 30, 31, 89, 90, 91, 179, 180, 181, 400):
        scan(end + days(n))
        checkins[n] = sorted(period for _kind, period, _to in rows(Kind.PROJECT_CHECKIN))

    assert checkins == {
        29: [],
        30: ["+30"],
        31: ["+30"],
        89: ["+30"],
        90: ["+30", "+90"],
        91: ["+30", "+90"],
        179: ["+30", "+90"],
        180: ["+180", "+30", "+90"],
        181: ["+180", "+30", "+90"],
        400: ["+180", "+30", "+90"],
    }
    assert {to for _kind, _period, to in rows(Kind.PROJECT_CHECKIN)} == {project.curator.email}


def test_checkin_scanning_late_sends_only_the_latest_offset_reached():
    mission = MissionFactory(start_date=D, end_date=D)
    idle_project(Stage.IN_IMPLEMENTATION, since=D + days(199), origin_mission=mission)

    found = [scan(D + days(200)), scan(D + days(201))]

    assert found == [1, 0]
    assert {period for _kind, period, _to in rows(Kind.PROJECT_CHECKIN)} == {"+180"}


def test_checkin_counts_from_the_start_when_the_mission_has_no_end_and_not_at_all_without_dates():
    dated = idle_project(Stage.IN_IMPLEMENTATION, since=D + days(29), origin_mission=MissionFactory(end_date=None))
    undated = idle_project(
        Stage.IN_IMPLEMENTATION,
        since=D + days(29),
        origin_mission=MissionFactory(start_date=None, end_date=None),
    )
    dated.origin_mission.start_date = D
    dated.origin_mission.save()

    scan(D + days(30))

    assert set(Reminder.objects.filter(kind=Kind.PROJECT_CHECKIN).values_list("project", "period")) == {
        (dated.pk, "+30")
    }
    assert not undated.reminders.exists()


def test_checkin_follows_the_offsets_staff_set():
    policy_set(checkin_offsets=[10, 45])
    mission = MissionFactory(start_date=D, end_date=D)
    idle_project(Stage.IN_IMPLEMENTATION, since=D, origin_mission=mission)

    found = [scan(D + days(n)) for n in (9, 10, 30, 44, 45)]

    assert found == [0, 1, 0, 0, 1]
    assert {period for _kind, period, _to in rows(Kind.PROJECT_CHECKIN)} == {"+10", "+45"}


# --- Implementation plans -----------------------------------------------------------------------


def plan_item(**kwargs) -> PlanItem:
    kwargs.setdefault("responsible_person", PersonFactory(email="executor@example.org"))
    return PlanItemFactory(**kwargs)


def test_plan_item_upcoming_from_the_notice_day_then_overdue_the_day_after_due():
    due = D + days(30)
    item = plan_item(due_date=due)

    found = {n: scan(due + days(n)) for n in (-15, -14, -1, 0, 1, 2, 30)}

    assert found == {-15: 0, -14: 1, -1: 0, 0: 0, 1: 1, 2: 0, 30: 0}
    assert rows() == {
        (Kind.PLAN_ITEM_UPCOMING, due.isoformat(), "executor@example.org"),
        (Kind.PLAN_ITEM_OVERDUE, due.isoformat(), "executor@example.org"),
    }
    assert set(Reminder.objects.values_list("plan_item", "subject", "due_on")) == {
        (item.pk, f"plan_item:{item.pk}", due - days(14)),
        (item.pk, f"plan_item:{item.pk}", due + days(1)),
    }


def test_plan_item_notice_follows_the_days_staff_set():
    policy_set(plan_item_notice_days=3)
    due = D + days(30)
    plan_item(due_date=due)

    assert [scan(due - days(14)), scan(due - days(4)), scan(due - days(3))] == [0, 0, 1]


@pytest.mark.parametrize(
    "agreement_status,item_status,expected",
    [
        (Agreement.Status.SIGNED, PlanItem.Status.PLANNED, 1),
        (Agreement.Status.IN_FORCE, PlanItem.Status.IN_PROGRESS, 1),
        (Agreement.Status.DRAFT, PlanItem.Status.PLANNED, 0),
        (Agreement.Status.EXPIRED, PlanItem.Status.PLANNED, 0),
        (Agreement.Status.TERMINATED, PlanItem.Status.IN_PROGRESS, 0),
        (Agreement.Status.IN_FORCE, PlanItem.Status.DONE, 0),
        (Agreement.Status.IN_FORCE, PlanItem.Status.CANCELLED, 0),
    ],
)
def test_plan_item_reminded_only_in_binding_agreements_and_while_open(agreement_status, item_status, expected):
    signed_on = None if agreement_status == Agreement.Status.DRAFT else D - days(100)
    agreement = AgreementFactory(status=agreement_status, signed_on=signed_on)
    completed_on = D if item_status == PlanItem.Status.DONE else None
    plan_item(agreement=agreement, status=item_status, completed_on=completed_on, due_date=D + days(5))

    assert scan(D + days(10)) == expected
    assert Reminder.objects.filter(kind=Kind.PLAN_ITEM_OVERDUE).count() == expected


def test_plan_item_without_a_reachable_responsible_person_gets_no_row():
    plan_item(responsible_person=None, due_date=D)
    plan_item(responsible_person=PersonFactory(email=""), due_date=D)

    assert scan(D + days(1)) == 0
    assert not Reminder.objects.exists()


# --- Recipients --------------------------------------------------------------------------------------


def test_recipients_are_the_curator_named_contacts_and_company_logins_deduplicated():
    curator = StaffUserFactory(username="curator", email="Curator@Example.org")
    project = idle_project(curator=curator)

    named = OrganizationFactory()
    contact = PersonFactory(organization=named, email="contact@named.example", language="en")
    PersonFactory(organization=named, user=UserFactory(username="named-login"))  # the party named its contact
    ProjectPartyFactory(project=project, organization=named, contact=contact)

    unnamed = OrganizationFactory()
    rep = PersonFactory(organization=unnamed, email="", user=UserFactory(username="rep", email="rep@unnamed.example"))
    PersonFactory(organization=unnamed, user=UserFactory(username="unnamed-staff", is_staff=True))
    PersonFactory(organization=unnamed, user=UserFactory(username="gone", is_active=False))
    PersonFactory(organization=unnamed)  # no login
    PersonFactory(organization=unnamed, email="", user=UserFactory(username="mute", email=""))  # no address
    PersonFactory(organization=unnamed, email="CURATOR@example.org", user=UserFactory(username="twin"))
    ProjectPartyFactory(project=project, organization=unnamed)

    silent = OrganizationFactory()
    PersonFactory(organization=silent, user=UserFactory(username="silent-login"))  # the named contact decides
    ProjectPartyFactory(project=project, organization=silent, contact=PersonFactory(organization=silent, email=""))

    scan(D + days(30))

    by_email = {r.recipient_email: r for r in Reminder.objects.all()}
    assert set(by_email) == {"curator@example.org", "contact@named.example", "rep@unnamed.example"}
    assert (by_email["curator@example.org"].recipient_user, by_email["curator@example.org"].language) == (curator, "ru")
    assert (by_email["contact@named.example"].recipient_person, by_email["contact@named.example"].language) == (
        contact,
        "en",
    )
    assert by_email["contact@named.example"].recipient_user is None
    assert (by_email["rep@unnamed.example"].recipient_person, by_email["rep@unnamed.example"].recipient_user) == (
        rep,
        rep.user,
    )
    assert {r.recipient_name for r in by_email.values()} >= {contact.full_name, rep.full_name}


def test_recipients_of_the_contact_with_a_login_but_no_own_address():
    project = idle_project()
    company = OrganizationFactory()
    contact = PersonFactory(
        organization=company, email="", user=UserFactory(username="boss", email="Boss@Company.example")
    )
    ProjectPartyFactory(project=project, organization=company, contact=contact)

    scan(D + days(30))

    assert {to for _kind, _period, to in rows()} == {project.curator.email, "boss@company.example"}
    assert Reminder.objects.get(recipient_email="boss@company.example").recipient_user == contact.user


# --- Running the scan again ---------------------------------------------------------------------------


def test_scan_twice_writes_nothing_the_second_time():
    curator = MinistryStaffFactory(username="curator")
    MinistryStaffFactory(username="colleague", organization=curator.person.organization)
    mission = MissionFactory(start_date=D - days(30), end_date=D - days(30))
    project = idle_project(
        curator=curator, since=D - days(30), origin_mission=mission, next_step="Подписать договор", next_step_due=D
    )
    company = OrganizationFactory()
    PersonFactory(organization=company, email="", user=UserFactory(username="rep", email="rep@example.org"))
    ProjectPartyFactory(project=project, organization=company)
    plan_item(due_date=D)

    with at(D):
        first = reminders_scan(today=D)
    with at(D, hours=6):
        second = reminders_scan()
    assert scan(D) == 0

    # stale, next step due, check-in +30 to the curator and the company; the plan item; the digest to two.
    assert (first, second) == (3 * 2 + 1 + 2, 0)
    assert Reminder.objects.count() == first
    assert {kind for kind, _period, _to in rows()} == {
        Kind.PROJECT_STALE,
        Kind.NEXT_STEP_DUE,
        Kind.PROJECT_CHECKIN,
        Kind.PLAN_ITEM_UPCOMING,
        Kind.DIGEST,
    }


# --- Batches ----------------------------------------------------------------------------------


def test_the_scan_in_batches_writes_what_one_batch_would_and_skips_projects_not_due(monkeypatch):
    from agreements.followup import scan as scan_module

    stale = [idle_project(since=D - days(30 + n)) for n in range(5)]
    fresh = idle_project(since=D - days(2))  # idle two days: nothing due, never read
    plan_items = [plan_item(due_date=D + days(n)) for n in range(3)]
    monkeypatch.setattr(scan_module, "SCAN_BATCH", 2)

    first = scan(D)

    assert first == 5 + 3  # a stale reminder for each stale project (to its curator); each plan item
    assert {r.project_id for r in Reminder.objects.filter(kind=Kind.PROJECT_STALE)} == {p.pk for p in stale}
    assert not Reminder.objects.filter(project=fresh).exists()
    assert {r.plan_item_id for r in Reminder.objects.exclude(plan_item=None)} == {i.pk for i in plan_items}
    assert (
        list(
            scan_module.projects_maybe_due(
                CooperationProject.objects.order_by("pk"), scan_module.reminder_policy_get(), D
            )
        )
        == stale
    )
    assert scan(D) == 0
