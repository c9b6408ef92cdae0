"""Edges of the follow-up engine the other tests pass by: the sender's compare-and-swap when its claim
was taken over, the one-click link's second look under the row lock, the stale bound shared by the
digest, the scan and the dashboard."""

import datetime

import pytest

from agreements.followup import links
from agreements.followup.delivery import _finish, reminder_claim
from agreements.followup.digest import followup_digest_for
from agreements.followup.links import project_record_progress_by_link, reminder_link_token
from agreements.followup.policy import project_is_stale, projects_stale, reminder_policy_get
from agreements.models import CooperationProject, ProjectUpdate, Reminder
from companies.exceptions import PortalError
from tests.agreements.test_reminders import D, at, days, idle_project, noon
from tests.factories import MinistryStaffFactory, ReminderFactory

pytestmark = pytest.mark.django_db

Stage = CooperationProject.Stage


def test_finish_leaves_a_row_alone_once_another_worker_holds_its_claim():
    reminder = ReminderFactory(next_attempt_at=noon(D))
    with at(D):
        claimed = reminder_claim(reminder.pk)
    # The claim was released as stuck and another worker took the row again, an hour later.
    Reminder.objects.filter(pk=reminder.pk).update(claimed_at=noon(D) + datetime.timedelta(hours=1))

    assert _finish(claimed, state=Reminder.State.SENT, sent_at=noon(D)) is False
    row = Reminder.objects.get(pk=reminder.pk)
    assert (row.state, row.claimed_at) == (Reminder.State.SENDING, noon(D) + datetime.timedelta(hours=1))


def test_finish_moves_the_row_on_for_the_worker_that_holds_the_claim():
    reminder = ReminderFactory(next_attempt_at=noon(D))
    with at(D):
        claimed = reminder_claim(reminder.pk)

    assert _finish(claimed, state=Reminder.State.SENT, sent_at=noon(D)) is True
    row = Reminder.objects.get(pk=reminder.pk)
    assert (row.state, row.claimed_at) == (Reminder.State.SENT, None)


def test_a_link_used_by_another_request_while_this_one_waited_for_the_lock_records_nothing(monkeypatch):
    reminder = ReminderFactory(project=idle_project(), kind=Reminder.Kind.PROJECT_STALE)
    token = reminder_link_token(reminder)
    first_look = links.reminder_from_link

    def concurrent_use(value):
        found = first_look(value)
        # Between this request's first look and its lock, another one records and marks the link used.
        Reminder.objects.filter(pk=found.pk, link_used_at__isnull=True).update(link_used_at=noon(D))
        return found

    monkeypatch.setattr(links, "reminder_from_link", concurrent_use)
    updates_before = ProjectUpdate.objects.count()

    with pytest.raises(PortalError) as refused:
        project_record_progress_by_link(token=token, note="Договорились о поставке")

    assert refused.value.code == "link_used"
    assert ProjectUpdate.objects.count() == updates_before


@pytest.mark.parametrize(("idle_days", "stale"), [(29, False), (30, True)])
def test_the_digest_scan_and_dashboard_share_the_stale_bound(idle_days, stale):
    """Negotiation is stale after 30 idle days (the default policy): on day 30, not on day 29."""
    staff = MinistryStaffFactory()
    project = idle_project(Stage.NEGOTIATION, since=D, curator=staff)
    today = D + days(idle_days)
    policy = reminder_policy_get()

    with at(today):
        digest = followup_digest_for(staff.person.organization, today=today, policy=policy)
        filtered = list(projects_stale(CooperationProject.objects.all(), policy=policy, today=today))

    assert [(p.pk, idle) for p, idle in digest.stale] == ([(project.pk, idle_days)] if stale else [])
    assert project_is_stale(project, policy, today) is stale
    assert filtered == ([project] if stale else [])
