"""The letters (in the recipient's language, text and HTML, with the one-click link) and the link
itself: the service behind it and the /follow-up/<token>/ page a company contact opens without
signing in. Pages are served in Russian unless the client asks otherwise."""

import datetime
import re

import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.test import Client
from django.urls import reverse

from agreements.followup.delivery import reminders_send_due
from agreements.followup.links import (
    LINK_SALT,
    project_record_progress_by_link,
    reminder_from_link,
    reminder_link_token,
)
from agreements.models import CooperationProject, ProjectUpdate, Reminder
from agreements.services.projects import project_record_progress
from companies.exceptions import PortalError
from tests.agreements.test_reminders import D, at, days, idle_project, noon, plan_item, scan
from tests.factories import (
    AgreementFactory,
    MinistryStaffFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectPartyFactory,
    UserFactory,
)
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

Kind, Stage = Reminder.Kind, CooperationProject.Stage
TITLE = "Поставка эталонных сенсоров давления"
LINK = re.compile(re.escape(settings.PORTAL_BASE_URL) + r"/follow-up/([^/\s\"'<>]+)/")


def project_with_contact(language: str = "ru", stage: str = Stage.NEGOTIATION, **contact) -> CooperationProject:
    """An idle project whose company party names its contact (no login, by default)."""
    project = idle_project(stage, title=TITLE)
    company = OrganizationFactory(name="Мидаус")
    contact.setdefault("email", "anna@midaus.example")
    person = PersonFactory(organization=company, first_name="Анна", last_name="Петрова", language=language, **contact)
    ProjectPartyFactory(project=project, organization=company, contact=person)
    return project


def contact_reminder(**kwargs) -> Reminder:
    """The stale reminder written for the company contact on D + 30 (its project is in negotiation)."""
    project_with_contact(**kwargs)
    scan(D + days(30))
    return Reminder.objects.get(recipient_email="anna@midaus.example")


def send_all(day: datetime.date) -> dict:
    with at(day):
        return reminders_send_due(today=day)


def mail_to(mailoutbox, email: str):
    found = [m for m in mailoutbox if m.to[0].endswith(f"<{email}>") or m.to[0] == email]
    assert len(found) == 1, [m.to for m in mailoutbox]
    return found[0]


def html_part(message) -> str:
    (content, mimetype), *_rest = message.alternatives
    assert mimetype == "text/html"
    return content


def url_of(reminder: Reminder) -> str:
    return reverse("followup:update", kwargs={"token": reminder_link_token(reminder)})


# --- The letter ------------------------------------------------------------------------------------


def test_letter_is_in_the_recipients_language_with_text_html_and_the_link(mailoutbox):
    project = project_with_contact(language="en")
    scan(D + days(30))
    send_all(D + days(30))

    english = mail_to(mailoutbox, "anna@midaus.example")
    russian = mail_to(mailoutbox, project.curator.email)
    assert english.subject == f"“{TITLE}”: no news for 30 days"
    assert russian.subject == f"«{TITLE}»: нет новостей 30 дней"
    assert english.to == ['"Анна Петрова" <anna@midaus.example>']
    assert f"The cooperation project “{TITLE}” has had no news for 30 days." in english.body
    assert "Hello, Анна Петрова!" in english.body
    assert f"По проекту «{TITLE}» нет новостей 30 дней." in russian.body
    assert '<html lang="en">' in html_part(english) and '<html lang="ru">' in html_part(russian)
    for message in (english, russian):
        reminder = Reminder.objects.get(recipient_email=message.to[0].split("<")[-1].rstrip(">"))
        (token,) = set(LINK.findall(message.body))
        assert LINK.findall(html_part(message)) == [token]
        with at(D + days(31)):
            assert reminder_from_link(token) == reminder
    assert len(mailoutbox) == 2


def test_letter_of_each_kind_renders_in_both_languages(mailoutbox):
    ministry_staff = MinistryStaffFactory(username="curator", organization__language="en")
    colleague = MinistryStaffFactory(username="colleague", organization=ministry_staff.person.organization)
    project = idle_project(
        Stage.IN_IMPLEMENTATION, since=D - days(120), curator=ministry_staff, next_step="Отгрузка", next_step_due=D
    )
    agreement = AgreementFactory(title="Соглашение о поставках")
    agreement.parties.create(organization=ministry_staff.person.organization)
    plan_item(agreement=agreement, due_date=D - days(1), responsible_person=PersonFactory(email="x@plan.example"))
    for k, due_on in ((1, D - days(60)), (2, D - days(50)), (3, D - days(40))):
        Reminder.objects.create(
            kind=Kind.PROJECT_CHECKIN, subject=f"project:{project.pk}", period=f"+{k}", due_on=due_on,
            project=project, recipient_email=ministry_staff.email, state=Reminder.State.SENT, sent_at=noon(due_on),
        )  # fmt: skip

    counts = send_all(D)

    subjects = {(m.to[0].split("<")[-1].rstrip(">"), m.subject) for m in mailoutbox}
    assert counts == {"released": 0, "found": 6, "sent": 6}
    assert subjects == {
        (ministry_staff.email, f"“{project.title}”: no news for 120 days"),
        (ministry_staff.email, f"“{project.title}”: the next step is due today"),
        (ministry_staff.email, "Follow-up for the week of 02.03.2026: 1 stale project, 1 overdue plan item"),
        (colleague.email, "Сводка за неделю с 02.03.2026: 1 проект без новостей, 1 просроченный пункт плана"),
        (colleague.email, f"Эскалация: по проекту «{project.title}» нет ответа на напоминания"),
        ("x@plan.example", "План к соглашению «Соглашение о поставках»: пункт просрочен"),
    }
    assert all(html_part(m).strip().endswith("</html>") for m in mailoutbox)
    assert [bool(LINK.search(m.body)) for m in mailoutbox if "plan.example" in m.to[0]] == [False]


# --- The one-click link, through the service --------------------------------------------------------


def test_link_records_progress_through_the_service_once():
    reminder = contact_reminder()
    project, contact = reminder.project, reminder.recipient_person
    token = reminder_link_token(reminder)

    with at(D + days(31)):
        project_record_progress_by_link(
            token=token,
            note="Подписали протокол разногласий",
            stage=Stage.PROPOSAL,
            next_step="Отправить коммерческое предложение",
            next_step_due=D + days(40),
        )
    with at(D + days(32)), pytest.raises(PortalError) as used:
        project_record_progress_by_link(token=token, note="Ещё раз", stage=Stage.CONTRACT_SIGNED)

    project.refresh_from_db()
    assert (project.stage, project.next_step, project.next_step_due) == (
        Stage.PROPOSAL,
        "Отправить коммерческое предложение",
        D + days(40),
    )
    assert project.last_activity_at == noon(D + days(31))
    update = ProjectUpdate.objects.get(project=project)
    assert (update.reported_by, update.author, update.text, update.stage_from, update.stage_to) == (
        contact,
        None,
        "Подписали протокол разногласий",
        Stage.NEGOTIATION,
        Stage.PROPOSAL,
    )
    assert used.value.code == "link_used"
    assert f"already used on {D + days(31):%d.%m.%Y} 12:00" in used.value.messages[0]
    reminder.refresh_from_db()
    assert reminder.link_used_at == noon(D + days(31))
    # The stale clock restarted on the update: a proposal is stale after 21 days.
    new_period = Reminder.objects.filter(kind=Kind.PROJECT_STALE, period=f"{D + days(31)}#1")
    scan(D + days(31 + 20))
    assert not new_period.exists()
    scan(D + days(31 + 21))
    assert new_period.count() == 2


def test_link_of_a_contact_with_a_login_records_them_as_author_too():
    user = UserFactory(username="anna", email="anna@midaus.example")
    reminder = contact_reminder(email="", user=user)

    with at(D + days(31)):
        project_record_progress_by_link(token=reminder_link_token(reminder), note="Работаем")

    update = ProjectUpdate.objects.get()
    assert (update.author, update.reported_by) == (user, reminder.recipient_person)


def _forged_tokens(reminder: Reminder, plan_reminder: Reminder) -> dict[str, str]:
    token = reminder_link_token(reminder)
    return {
        "garbage": "not-a-token",
        "tampered": token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        "another salt": signing.dumps({"r": reminder.pk}),
        "no such reminder": signing.dumps({"r": 10**9}, salt=LINK_SALT),
        "not a mapping": signing.dumps([reminder.pk], salt=LINK_SALT),
        "not about a project": reminder_link_token(plan_reminder),
    }


def test_forged_link_is_refused_and_changes_nothing():
    reminder = contact_reminder()
    plan_item(due_date=D + days(29))
    scan(D + days(30))
    plan_reminder = Reminder.objects.get(kind=Kind.PLAN_ITEM_OVERDUE)

    codes = {}
    for name, token in _forged_tokens(reminder, plan_reminder).items():
        with at(D + days(31)), pytest.raises(PortalError) as refused:
            project_record_progress_by_link(token=token, note="Взлом", stage=Stage.DROPPED)
        codes[name] = (refused.value.code, refused.value.messages)

    assert {code for code, _messages in codes.values()} == {"link_invalid"}
    assert {tuple(messages) for _code, messages in codes.values()} == {
        ("This link is not valid: check that it was copied whole.",)
    }
    assert not ProjectUpdate.objects.exists()
    reminder.project.refresh_from_db()
    assert reminder.project.stage == Stage.NEGOTIATION
    assert not Reminder.objects.filter(link_used_at__isnull=False).exists()


def test_link_expires_after_reminder_link_days():
    reminder = contact_reminder()
    with at(D + days(30)):
        token = reminder_link_token(reminder)
    expiry = noon(D + days(30)) + datetime.timedelta(days=settings.REMINDER_LINK_DAYS)

    with time_machine.travel(expiry, tick=False):
        still_valid = reminder_from_link(token)
    with time_machine.travel(expiry + datetime.timedelta(seconds=1), tick=False), pytest.raises(PortalError) as late:
        project_record_progress_by_link(token=token, note="Поздно")

    assert still_valid == reminder
    assert late.value.code == "link_expired"
    assert not ProjectUpdate.objects.exists()
    reminder.refresh_from_db()
    assert reminder.link_used_at is None


# --- The follow-up page -----------------------------------------------------------------------------


def test_followup_page_shows_the_form_in_russian_and_get_does_not_spend_the_link(client):
    reminder = contact_reminder()
    url = url_of(reminder)

    with at(D + days(31)):
        first, second = client.get(url), client.get(url)

    assert first.status_code == second.status_code == 200
    html = second.content.decode()
    assert '<html lang="ru">' in html
    assert "Внести запись о ходе проекта" in html and TITLE in html
    assert "Анна Петрова, расскажите куратору, как идёт проект." in html
    assert '<meta name="robots" content="noindex">' in html
    assert "no-cache" in second["Cache-Control"]
    stages = {value for value, _label in second.context["form"].fields["stage"].choices}
    assert stages == {Stage.NEGOTIATION} | CooperationProject.TRANSITIONS[Stage.NEGOTIATION]
    reminder.refresh_from_db()
    assert reminder.link_used_at is None
    assert not ProjectUpdate.objects.exists()


def test_followup_page_in_english_on_request(en):
    reminder = contact_reminder()

    with at(D + days(31)):
        response = en.get(url_of(reminder))

    assert response.status_code == 200
    assert "Post an update" in response.content.decode()


def test_followup_page_speaks_the_letters_language_unless_the_visitor_chose_one(client, settings):
    reminder = contact_reminder(language="en")

    with at(D + days(31)):
        letters_language = html_of(client.get(url_of(reminder)))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
        chosen = html_of(client.get(url_of(reminder)))

    assert '<html lang="en">' in letters_language and "Post an update" in letters_language
    assert '<html lang="ru">' in chosen and "Внести запись о ходе проекта" in chosen


def test_followup_post_records_the_update_and_spends_the_link(client):
    reminder = contact_reminder()
    url = url_of(reminder)
    data = {"stage": "proposal", "next_step": "Отправить КП", "next_step_due": "2026-04-20", "note": "Созвонились"}

    with at(D + days(31)):
        done = client.post(url, data)
    with at(D + days(32)):
        again = client.get(url)
        replay = client.post(url, {**data, "stage": "dropped"})

    assert done.status_code == 200 and done.context["done"] is True
    assert "Спасибо: новости записаны, куратор проекта их увидит." in done.content.decode()
    project = CooperationProject.objects.get(pk=reminder.project_id)
    assert (project.stage, project.next_step, project.next_step_due) == (
        Stage.PROPOSAL,
        "Отправить КП",
        datetime.date(2026, 4, 20),
    )
    assert project.last_activity_at == noon(D + days(31))
    update = ProjectUpdate.objects.get()
    assert (update.reported_by, update.text, update.stage_to) == (reminder.recipient_person, "Созвонились", "proposal")
    assert again.status_code == replay.status_code == 410
    assert "Эта ссылка уже использована" in again.content.decode()
    assert ProjectUpdate.objects.count() == 1


@pytest.mark.parametrize(
    "data,field,code",
    [
        ({"stage": "in_implementation", "note": "Сразу внедряем"}, "stage", "invalid_choice"),
        ({"stage": "completed", "note": "Готово"}, "stage", "invalid_choice"),
        ({"stage": "negotiation", "next_step": "", "next_step_due": "2026-04-20"}, "__all__", None),
        ({"stage": "negotiation", "next_step": "Созвон", "next_step_due": "2026-03-01"}, "__all__", "due_in_past"),
        ({"stage": "negotiation", "note": "  "}, "__all__", "empty_update"),
    ],
)
def test_followup_invalid_post_shows_the_form_again_and_changes_nothing(client, data, field, code):
    reminder = contact_reminder()
    project = reminder.project

    with at(D + days(31)):
        response = client.post(url_of(reminder), data)

    assert response.status_code == 400
    errors = response.context["form"].errors.as_data()
    assert field in errors
    assert code is None or code in {error.code for error in errors[field]}
    assert 'class="errorlist' in response.content.decode()
    fresh = CooperationProject.objects.get(pk=project.pk)
    assert (fresh.stage, fresh.next_step, fresh.next_step_due, fresh.last_activity_at) == (
        project.stage,
        project.next_step,
        project.next_step_due,
        project.last_activity_at,
    )
    assert not ProjectUpdate.objects.exists()
    reminder.refresh_from_db()
    assert reminder.link_used_at is None


def test_followup_due_date_without_a_step_says_so_in_russian(client):
    reminder = contact_reminder()

    with at(D + days(31)):
        response = client.post(url_of(reminder), {"stage": "negotiation", "next_step_due": "2026-04-20"})

    assert response.status_code == 400
    assert "Срок относится к следующему шагу: опишите этот шаг." in response.content.decode()


def test_followup_post_without_csrf_token_is_refused_and_changes_nothing():
    reminder = contact_reminder()
    browser = Client(enforce_csrf_checks=True)

    with at(D + days(31)):
        response = browser.post(url_of(reminder), {"stage": "dropped", "note": "Подделка"})

    assert response.status_code == 403
    assert CooperationProject.objects.get(pk=reminder.project_id).stage == Stage.NEGOTIATION
    assert not ProjectUpdate.objects.exists()
    reminder.refresh_from_db()
    assert reminder.link_used_at is None


def test_followup_page_with_a_csrf_token_from_the_form_records(client):
    reminder = contact_reminder()
    browser = Client(enforce_csrf_checks=True)
    url = url_of(reminder)

    with at(D + days(31)):
        browser.get(url)
        token = browser.cookies[settings.CSRF_COOKIE_NAME].value
        response = browser.post(url, {"stage": "dropped", "note": "Отказались", "csrfmiddlewaretoken": token})

    assert response.status_code == 200
    assert CooperationProject.objects.get(pk=reminder.project_id).stage == Stage.DROPPED


def test_followup_page_refuses_forged_links_with_404_and_a_clear_message(client):
    reminder = contact_reminder()
    plan_item(due_date=D + days(29))
    scan(D + days(30))
    plan_reminder = Reminder.objects.get(kind=Kind.PLAN_ITEM_OVERDUE)

    with at(D + days(31)):
        responses = {
            name: client.post(reverse("followup:update", kwargs={"token": token}), {"stage": "dropped", "note": "x"})
            for name, token in _forged_tokens(reminder, plan_reminder).items()
        }

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    assert all(
        "Ссылка недействительна: проверьте, что она скопирована полностью." in r.content.decode()
        for r in responses.values()
    )
    assert not ProjectUpdate.objects.exists()


def test_followup_page_refuses_an_expired_link_with_410(client):
    reminder = contact_reminder()
    with at(D + days(30)):
        url = url_of(reminder)

    with at(D + days(30 + settings.REMINDER_LINK_DAYS + 1)):
        response = client.post(url, {"stage": "dropped", "note": "Поздно"})

    assert response.status_code == 410
    assert "Срок действия ссылки истёк" in response.content.decode()
    assert not ProjectUpdate.objects.exists()


def test_followup_page_of_a_closed_project_is_410_and_changes_nothing(client):
    reminder = contact_reminder()
    project = reminder.project
    with at(D + days(30), hours=1):
        project_record_progress(project=project, by=None, stage=Stage.DROPPED, note="Заказчик отказался")

    with at(D + days(31)):
        shown = client.get(url_of(reminder))
        posted = client.post(url_of(reminder), {"stage": "negotiation", "note": "Вернулись"})

    assert shown.status_code == posted.status_code == 410
    assert "новые записи о ходе работы не вносятся" in shown.content.decode()
    assert CooperationProject.objects.get(pk=project.pk).stage == Stage.DROPPED
    assert ProjectUpdate.objects.count() == 1
    reminder.refresh_from_db()
    assert reminder.link_used_at is None
