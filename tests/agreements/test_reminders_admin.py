"""Staff and the follow-up engine: the reminder log and its actions, the policy page, the
`send_reminders` command, and what the command sends on the demo data."""

import datetime
from email.utils import parseaddr
from io import StringIO

import pytest
from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import CommandError, call_command
from django.urls import reverse

from agreements.followup.delivery import reminders_send_due
from agreements.followup.policy import reminder_policy_get
from agreements.models import CooperationProject, Reminder, ReminderPolicy, StaleAfter
from config.portal.demo.loader import demo_load, demo_logins_ensure
from tests.agreements.test_reminders import D, at, days, idle_project, scan
from tests.factories import (
    CooperationProjectFactory,
    MinistryFactory,
    MinistryStaffFactory,
    PersonFactory,
    PlanItemFactory,
    ProjectPartyFactory,
    ReminderFactory,
    UserFactory,
)
from tests.helpers import html_of, query_count
from tests.test_admin import _form_errors, _submit

pytestmark = pytest.mark.django_db

State, Kind = Reminder.State, Reminder.Kind
CHANGELIST = "admin:agreements_reminder_changelist"
POLICY_URL = "/admin/agreements/reminderpolicy/1/change/"


def run_action(client, action: str, reminders):
    return client.post(
        reverse(CHANGELIST), {"action": action, ACTION_CHECKBOX_NAME: [r.pk for r in reminders]}, follow=True
    )


def messages_of(response) -> list[tuple[int, str]]:
    return [(message.level, message.message) for message in response.context["messages"]]


def states() -> dict[int, tuple[str, int]]:
    return {pk: (state, attempts) for pk, state, attempts in Reminder.objects.values_list("pk", "state", "attempts")}


# --- The reminder log: retry and cancel ------------------------------------------------------------


def test_admin_retry_puts_a_failed_reminder_back_and_it_is_sent(
    staff_en, mailoutbox, django_capture_on_commit_callbacks
):
    failed = ReminderFactory(failed=True, recipient_email="anna@midaus.example")
    sent = ReminderFactory(sent=True)

    with django_capture_on_commit_callbacks() as published:
        response = run_action(staff_en, "retry_selected", [failed, sent])
    failed.refresh_from_db()
    after_retry = (failed.state, failed.attempts, failed.last_error)
    for publish in published:
        publish()  # the commit: the eager Celery task sends it

    assert messages_of(response) == [(messages.SUCCESS, "1 reminder will be sent again.")]
    assert after_retry == (State.PENDING, 0, "")
    assert states() == {failed.pk: (State.SENT, 1), sent.pk: (State.SENT, 1)}
    assert [parseaddr(m.to[0])[1] for m in mailoutbox] == ["anna@midaus.example"]


def test_admin_retry_sends_on_commit(staff_client, mailoutbox, django_capture_on_commit_callbacks):
    failed = ReminderFactory(failed=True)

    with django_capture_on_commit_callbacks(execute=True):
        run_action(staff_client, "retry_selected", [failed])

    assert states() == {failed.pk: (State.SENT, 1)}
    assert len(mailoutbox) == 1


def test_admin_cancel_stops_pending_and_failed_reminders_only(staff_en, mailoutbox):
    pending, failed, sent = ReminderFactory(), ReminderFactory(failed=True), ReminderFactory(sent=True)

    response = run_action(staff_en, "cancel_selected", [pending, failed, sent])
    counts = reminders_send_due()

    assert messages_of(response) == [(messages.SUCCESS, "2 reminders were cancelled.")]
    assert states() == {pending.pk: (State.CANCELLED, 0), failed.pk: (State.CANCELLED, 6), sent.pk: (State.SENT, 1)}
    assert set(Reminder.objects.filter(state=State.CANCELLED).values_list("last_error", flat=True)) == {
        "Cancelled by staff."
    }
    assert "sent" not in counts
    assert mailoutbox == []


@pytest.fixture
def chelyabinsk_staff():
    return MinistryStaffFactory(username="staff-chelyabinsk", organization=MinistryFactory(name="Минпром Челябинск"))


@pytest.fixture
def chelyabinsk_client(client, chelyabinsk_staff, settings):
    client.force_login(chelyabinsk_staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("action", ["retry_selected", "cancel_selected"])
def test_staff_cannot_act_on_another_ministrys_reminders(action, chelyabinsk_client, chelyabinsk_staff, mailoutbox):
    ulyanovsk_staff = MinistryStaffFactory(username="staff-ulyanovsk")
    own = ReminderFactory(project=CooperationProjectFactory(curator=chelyabinsk_staff), failed=True)
    foreign = ReminderFactory(project=CooperationProjectFactory(curator=ulyanovsk_staff), failed=True)
    foreign_digest = ReminderFactory(
        project=None, kind=Kind.DIGEST, organization=ulyanovsk_staff.person.organization, period="2026-W10"
    )
    before = states()

    refused = run_action(chelyabinsk_client, action, [own, foreign, foreign_digest])
    after_refusal = states()
    allowed = run_action(chelyabinsk_client, "cancel_selected", [own])

    ((level, text),) = messages_of(refused)
    assert level == messages.ERROR
    assert text.startswith("Nothing was done: 2 selected records are not yours to change (")
    assert str(foreign) in text and str(foreign_digest) in text and str(own) not in text
    assert after_refusal == before
    assert messages_of(allowed) == [(messages.SUCCESS, "1 reminder was cancelled.")]
    assert states() == {**before, own.pk: (State.CANCELLED, 6)}
    assert mailoutbox == []


def test_staff_reminder_log_offers_no_add_or_delete(staff_client):
    reminder = ReminderFactory()

    assert staff_client.get(reverse("admin:agreements_reminder_add")).status_code == 403
    delete_url = reverse("admin:agreements_reminder_delete", args=[reminder.pk])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    page = staff_client.get(reverse("admin:agreements_reminder_change", args=[reminder.pk]))
    assert page.context["adminform"].form.fields == {}  # read only: the log is the engine's
    assert Reminder.objects.filter(pk=reminder.pk).exists()


def _reminder_rows(n: int) -> None:
    """Reminders of every kind of subject, their optional relations filled."""
    for i in range(n):
        person = PersonFactory(user=UserFactory())
        about = [
            {"project": CooperationProjectFactory()},
            {"project": None, "kind": Kind.PLAN_ITEM_OVERDUE, "plan_item": PlanItemFactory()},
            {"project": None, "kind": Kind.DIGEST, "organization": MinistryFactory()},
        ][i % 3]
        ReminderFactory(recipient_person=person, recipient_user=person.user, **about)


def test_reminder_changelist_query_count_is_the_same_for_2_and_50_rows(staff_client):
    url = reverse(CHANGELIST)
    _reminder_rows(2)
    few = query_count(staff_client, url)
    _reminder_rows(48)
    many = query_count(staff_client, url)

    assert staff_client.get(url).context["cl"].result_count == 50
    assert many == few


def test_reminder_changelist_filters_by_state_and_kind(staff_client):
    failed = ReminderFactory(failed=True)
    ReminderFactory(sent=True)
    digest = ReminderFactory(project=None, kind=Kind.DIGEST, organization=MinistryFactory(), failed=True)

    failed_rows = staff_client.get(reverse(CHANGELIST), {"state__exact": "failed"}).context["cl"].result_list
    digests = staff_client.get(reverse(CHANGELIST), {"kind__exact": "digest"}).context["cl"].result_list

    assert set(failed_rows) == {failed, digest}
    assert list(digests) == [digest]


def test_project_change_page_shows_its_reminders(staff_en):
    project = CooperationProjectFactory()
    ProjectPartyFactory.create_batch(2, project=project)
    mine = ReminderFactory(project=project, recipient_email="anna@midaus.example", sent=True)
    ReminderFactory(recipient_email="someone-else@example.org")  # about another project

    response = staff_en.get(reverse("admin:agreements_cooperationproject_change", args=[project.pk]))

    html = html_of(response)
    (inline,) = [i for i in response.context["inline_admin_formsets"] if i.formset.model is Reminder]
    assert [form.instance for form in inline.formset.forms] == [mine]
    assert "Reminders sent about this project" in html
    assert "anna@midaus.example" in html and "someone-else@example.org" not in html


# --- The policy ---------------------------------------------------------------------------------------


def test_policy_changelist_lists_the_one_policy_and_offers_no_add_or_delete(staff_client):
    ReminderPolicy.objects.all().delete()  # a fresh database without the row the migration writes

    response = staff_client.get(reverse("admin:agreements_reminderpolicy_changelist"))

    assert [policy.pk for policy in response.context["cl"].result_list] == [1]
    assert POLICY_URL in html_of(response)
    assert staff_client.get(POLICY_URL).status_code == 200
    assert staff_client.get(reverse("admin:agreements_reminderpolicy_add")).status_code == 403
    delete_url = reverse("admin:agreements_reminderpolicy_delete", args=[1])
    assert staff_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert ReminderPolicy.objects.count() == 1
    assert set(StaleAfter.objects.values_list("stage", "days")) == {
        ("lead", 30),
        ("negotiation", 30),
        ("proposal", 21),
        ("contract_signed", 45),
        ("in_implementation", 60),
        ("suspended", 90),
    }


def _stale_after_index(stage: str) -> int:
    return list(StaleAfter.objects.order_by("pk").values_list("stage", flat=True)).index(stage)


def test_staff_change_the_policy_and_the_scan_follows(chelyabinsk_client):
    i = _stale_after_index(CooperationProject.Stage.NEGOTIATION)

    response = _submit(
        chelyabinsk_client,
        POLICY_URL,
        {"plan_item_notice_days": "7", "checkin_offsets": "[60, 15]", f"stale_after-{i}-days": "10"},
    )

    assert response.status_code == 302, _form_errors(response)
    policy = reminder_policy_get()
    assert (policy.plan_item_notice_days, policy.checkin_offsets) == (7, (15, 60))
    assert policy.stale_days[CooperationProject.Stage.NEGOTIATION] == 10
    assert ReminderPolicy.objects.get().checkin_offsets == [15, 60]
    idle_project(CooperationProject.Stage.NEGOTIATION)
    assert (scan(D + days(9)), scan(D + days(10))) == (0, 1)


@pytest.mark.parametrize(
    "offsets,error",
    [
        ("[0]", "Each offset is a different number of days between 1 and 3650."),
        ("[30, 30]", "Each offset is a different number of days between 1 and 3650."),
        ("[30, 4000]", "Each offset is a different number of days between 1 and 3650."),
        ('[30, "90"]', "Give whole numbers of days, e.g. 30, 90, 180."),
        ("30", "Give whole numbers of days, e.g. 30, 90, 180."),
        ("abc", "Enter a valid JSON."),
    ],
)
def test_invalid_checkin_offsets_show_a_clear_error_and_change_nothing(chelyabinsk_client, offsets, error):
    stale_before = dict(StaleAfter.objects.values_list("stage", "days"))
    i = _stale_after_index(CooperationProject.Stage.NEGOTIATION)

    response = _submit(
        chelyabinsk_client,
        POLICY_URL,
        {"checkin_offsets": offsets, "plan_item_notice_days": "7", f"stale_after-{i}-days": "10"},
    )

    assert response.status_code == 200
    assert set(_form_errors(response)) == {"checkin_offsets"}
    assert error in html_of(response)
    policy = ReminderPolicy.objects.get()
    assert (policy.checkin_offsets, policy.plan_item_notice_days) == ([30, 90, 180], 14)
    assert dict(StaleAfter.objects.values_list("stage", "days")) == stale_before


# --- The send_reminders command -----------------------------------------------------------------------


def send_reminders(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize("value", ["2024-02-30", "21.08.2024", "tomorrow"])
def test_send_reminders_refuses_a_bad_date_clearly(value):
    idle_project(since=datetime.date(2024, 1, 1))

    with pytest.raises(CommandError, match=r"Give the date as YYYY-MM-DD, e\.g\. 2026-03-02\."):
        send_reminders("--date", value)

    assert not Reminder.objects.exists()


def test_send_reminders_prints_what_it_found_and_sent(mailoutbox):
    idle_project()

    with at(D + days(30)):
        first = send_reminders("--date", str(D + days(30)))
        second = send_reminders("--date", str(D + days(30)))

    assert first == "Found 1 new reminders; sent 1, cancelled 0, to retry 0, failed 0; released 0 stuck."
    assert second == "Found 0 new reminders; sent 0, cancelled 0, to retry 0, failed 0; released 0 stuck."
    assert len(mailoutbox) == 1


def test_send_reminders_counts_letters_to_retry(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.agreements.test_reminders_delivery.RefusingBackend"
    idle_project()

    with at(D + days(30)):
        output = send_reminders(f"--date={D + days(30)}")

    assert output == "Found 1 new reminders; sent 0, cancelled 0, to retry 1, failed 0; released 0 stuck."
    assert Reminder.objects.get().state == State.PENDING
    assert mailoutbox == []


def test_send_reminders_takes_the_date_as_a_call_command_option(mailoutbox):
    idle_project()

    out = StringIO()
    call_command("send_reminders", date=str(D + days(30)), stdout=out)

    assert out.getvalue().startswith("Found 1 new reminders; sent 1")


# --- The demo data ----------------------------------------------------------------------------------------

DEMO_DAY = "2024-08-21"  # 200 days after the return mission of 2024-02-03, a Wednesday of ISO week 34
CURATOR = "staff-ulyanovsk@missions-portal.example"
MIDAUS = "company-midaus@missions-portal.example"
ALFAPASCAL = "company-alfapascal@missions-portal.example"
SENSORS = "midaus-alfapascal-pressure-sensors"
TESTERS = "alfapascal-midaus-deadweight-testers"
SHAFTS = "avtokomponent-ural-drive-shafts"
METRAN = "competence-centre-metran-measuring-instruments"  # born at the return mission


def test_send_reminders_on_the_demo_data_sends_the_expected_letters_once(mailoutbox):
    demo_load()
    demo_logins_ensure(password="a-demo-password-for-tests")

    first = send_reminders(f"--date={DEMO_DAY}")
    letters = len(mailoutbox)
    second = send_reminders(f"--date={DEMO_DAY}")

    sent = {
        (r.kind, r.project.slug if r.project else r.period, r.recipient_email)
        for r in Reminder.objects.select_related("project")
    }
    assert sent == {
        *((Kind.PROJECT_STALE, slug, to) for slug in (SENSORS, TESTERS) for to in (CURATOR, MIDAUS, ALFAPASCAL)),
        (Kind.PROJECT_STALE, SHAFTS, CURATOR),
        (Kind.PROJECT_STALE, METRAN, CURATOR),
        (Kind.PROJECT_CHECKIN, METRAN, CURATOR),
        (Kind.DIGEST, "2024-W34", CURATOR),
    }
    assert set(Reminder.objects.values_list("state", flat=True)) == {State.SENT}
    assert Reminder.objects.get(kind=Kind.PROJECT_CHECKIN).period == "+180"
    assert first == "Found 10 new reminders; sent 10, cancelled 0, to retry 0, failed 0; released 0 stuck."
    assert second == "Found 0 new reminders; sent 0, cancelled 0, to retry 0, failed 0; released 0 stuck."
    assert letters == len(mailoutbox) == 10
    assert sorted(parseaddr(m.to[0])[1] for m in mailoutbox) == sorted(to for _kind, _about, to in sent)
