"""Who else hears of a project: the curator's colleagues when reminders go unanswered (escalation),
and every ministry's staff once a week (the digest). Rows are the outcome, as in test_reminders.py."""

import pytest

from agreements.models import Reminder, ReminderPolicy
from agreements.services.projects import project_record_progress
from tests.agreements.test_reminders import D, Kind, at, days, idle_project, plan_item, policy_set, rows, scan
from tests.factories import (
    AgreementFactory,
    MinistryFactory,
    MinistryStaffFactory,
    PersonFactory,
    ReminderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


# --- Escalation ------------------------------------------------------------------------------------


@pytest.fixture
def ministry():
    return MinistryFactory(name="Министерство промышленности Ульяновской области")


@pytest.fixture
def curator(ministry):
    return MinistryStaffFactory(username="curator", organization=ministry)


@pytest.fixture
def colleague(ministry):
    return MinistryStaffFactory(username="colleague", organization=ministry)


def sent_reminder(project, kind, period, due_on, to):
    return ReminderFactory(project=project, kind=kind, period=period, due_on=due_on, recipient_email=to, sent=True)


def escalations() -> set[tuple[str, str, str]]:
    return rows(Kind.ESCALATION)


def test_escalation_after_three_unanswered_reminders_and_the_grace_days_to_the_curators_colleagues(
    ministry, curator, colleague
):
    MinistryStaffFactory(username="elsewhere")  # staff of another ministry: not told
    PersonFactory(organization=ministry, user=UserFactory(username="ministry-guest"))  # not staff: not told
    project = idle_project(curator=curator)
    for k in (1, 2, 3):
        sent_reminder(project, Kind.PROJECT_STALE, f"{D}#{k}", D + days(30 * k), curator.email)

    scan(D + days(96))
    before = escalations()
    scan(D + days(97))
    on_the_day = escalations()
    scan(D + days(98))
    scan(D + days(200))

    assert before == set()
    assert on_the_day == escalations() == {(Kind.ESCALATION, D.isoformat(), colleague.email)}
    escalation = Reminder.objects.get(kind=Kind.ESCALATION)
    assert (escalation.project, escalation.organization, escalation.due_on) == (project, ministry, D + days(97))
    assert escalation.recipient_user == colleague


def test_escalation_counts_distinct_sent_reminders_only(curator, colleague):
    project = idle_project(curator=curator)
    company = PersonFactory(email="rep@example.org")
    # Two reminders, each sent to two people, count as two; pending, failed and cancelled ones do not count.
    for to in (curator.email, company.email):
        sent_reminder(project, Kind.PROJECT_STALE, f"{D}#1", D + days(30), to)
        sent_reminder(project, Kind.PROJECT_STALE, f"{D}#2", D + days(60), to)
    ReminderFactory(project=project, kind=Kind.NEXT_STEP_OVERDUE, period="2026-04-01", due_on=D + days(61))
    ReminderFactory(project=project, kind=Kind.PROJECT_CHECKIN, period="+90", due_on=D + days(62), failed=True)
    ReminderFactory(
        project=project, kind=Kind.PROJECT_CHECKIN, period="+30", due_on=D + days(63), state=Reminder.State.CANCELLED
    )

    scan(D + days(200))

    assert escalations() == set()


def test_escalation_follows_the_number_staff_set(curator, colleague):
    policy_set(escalate_after=2, escalation_grace_days=0)
    project = idle_project(curator=curator)
    sent_reminder(project, Kind.PROJECT_STALE, f"{D}#1", D + days(30), curator.email)
    sent_reminder(project, Kind.NEXT_STEP_OVERDUE, "2026-03-20", D + days(31), curator.email)

    scan(D + days(31))

    assert escalations() == {(Kind.ESCALATION, D.isoformat(), colleague.email)}


def test_escalation_forgets_reminders_answered_by_progress(curator, colleague):
    project = idle_project(curator=curator)
    for k in (1, 2, 3):
        sent_reminder(project, Kind.PROJECT_STALE, f"{D}#{k}", D + days(30 * k), curator.email)
    with at(D + days(95)):
        project_record_progress(project=project, by=curator, note="Договорились о встрече")

    scan(D + days(97))
    scan(D + days(120))

    assert escalations() == set()


def test_escalation_never_goes_to_the_curator_even_under_their_own_address(ministry, curator, colleague):
    """The curator's Person may carry its own address besides the login's: still not escalated to."""
    curator.person.email = "curator.personal@example.org"
    curator.person.save()
    project = idle_project(curator=curator)
    for k in (1, 2, 3):
        sent_reminder(project, Kind.PROJECT_STALE, f"{D}#{k}", D + days(30 * k), curator.email)

    scan(D + days(97))

    assert {to for _kind, _period, to in escalations()} == {colleague.email}


# --- The weekly digest -----------------------------------------------------------------------------


def digests() -> set[tuple[str, str, str]]:
    return rows(Kind.DIGEST)


def test_digest_on_the_policy_weekday_not_the_day_before_once_per_week(ministry, curator, colleague):
    policy_set(digest_weekday=ReminderPolicy.Weekday.WEDNESDAY)
    idle_project(curator=curator, since=D - days(60))
    tuesday, wednesday = D + days(1), D + days(2)

    scan(tuesday)
    on_tuesday = digests()
    for day in (wednesday, wednesday + days(1), wednesday + days(4), wednesday + days(6)):
        scan(day)  # Wednesday to the next Tuesday
    this_week = digests()
    scan(wednesday + days(7))

    assert on_tuesday == set()
    assert this_week == {(Kind.DIGEST, "2026-W10", curator.email), (Kind.DIGEST, "2026-W10", colleague.email)}
    assert digests() - this_week == {
        (Kind.DIGEST, "2026-W11", curator.email),
        (Kind.DIGEST, "2026-W11", colleague.email),
    }
    assert set(Reminder.objects.filter(kind=Kind.DIGEST).values_list("organization", "subject")) == {
        (ministry.pk, f"organization:{ministry.pk}")
    }


def test_digest_on_monday_by_default_for_the_week_it_opens(curator):
    idle_project(curator=curator, since=D - days(60))

    scan(D)

    assert digests() == {(Kind.DIGEST, "2026-W10", curator.email)}


def test_digest_skipped_when_the_ministry_has_nothing_to_report(ministry, curator, colleague):
    other = MinistryFactory()
    other_staff = MinistryStaffFactory(username="other-staff", organization=other)
    idle_project(curator=other_staff, since=D - days(60))  # only the other ministry has news
    idle_project(curator=curator, since=D - days(1))  # fresh: nothing to report

    scan(D)

    assert digests() == {(Kind.DIGEST, "2026-W10", other_staff.email)}


def test_digest_lists_plan_items_of_the_ministrys_agreements(ministry, curator):
    agreement = AgreementFactory()
    agreement.parties.create(organization=ministry)
    plan_item(agreement=agreement, due_date=D + days(3))  # due this week

    scan(D)

    assert digests() == {(Kind.DIGEST, "2026-W10", curator.email)}
