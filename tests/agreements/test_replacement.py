"""Agreements that replace agreements (agreement_replace), signing dates as sources give them, open-ended
terms, and the missions and sources an agreement is linked to: the service, the admin and the pages."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement
from agreements.services.agreements import agreement_create, agreement_replace, agreement_update
from companies.dates import DatePrecision
from companies.exceptions import PortalError
from tests import factories as f
from tests.helpers import html_of, section_of
from tests.test_admin import _form_errors, _submit, _url

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministries():
    return f.MinistryFactory(name="Министерство экономики Республики Н"), f.MinistryFactory(name="Минпром У")


def _signed(title, ministries, *, on, precision=DatePrecision.DAY, **fields):
    return agreement_create(
        title=title,
        kind=Agreement.Kind.INTERGOVERNMENTAL,
        parties=[(organization, "party") for organization in ministries],
        status=Agreement.Status.SIGNED,
        signed_on=on,
        signed_on_precision=precision,
        **fields,
    )


def _state(agreement):
    agreement.refresh_from_db()
    return agreement.status, agreement.valid_until


# --- The service ------------------------------------------------------------------------------


def test_a_new_agreement_replacing_one_signed_in_2015_supersedes_it_as_of_its_signing_date(ministries):
    old = _signed("Соглашение 2015 года", ministries, on=datetime.date(2015, 7, 1), precision=DatePrecision.YEAR)
    new = _signed("Соглашение 2024 года", ministries, on=datetime.date(2024, 5, 14))

    agreement_replace(agreement=new, replaced=old)

    assert _state(old) == ("superseded", datetime.date(2024, 5, 14))
    assert (old.signed_on, old.signed_on_as_given) == (datetime.date(2015, 1, 1), "2015")
    new.refresh_from_db()
    assert (new.supersedes, new.status) == (old, "in_force")


def test_a_replaced_agreement_that_ended_earlier_keeps_its_own_end(ministries):
    old = _signed("Старое", ministries, on=datetime.date(2015, 3, 1), valid_until=datetime.date(2020, 3, 1))

    new = _signed("Новое", ministries, on=datetime.date(2024, 5, 14), supersedes=old)

    assert _state(old) == ("superseded", datetime.date(2020, 3, 1))
    assert new.supersedes == old


def test_an_open_ended_agreement_is_replaced_and_then_has_its_end(ministries):
    old = _signed("Бессрочное", ministries, on=datetime.date(2016, 1, 1), is_open_ended=True)

    _signed("Новое", ministries, on=datetime.date(2024, 5, 14), supersedes=old)

    assert _state(old) == ("superseded", datetime.date(2024, 5, 14))


def test_a_draft_names_the_agreement_it_replaces_and_supersedes_it_when_signed(ministries):
    old = _signed("Старое", ministries, on=datetime.date(2016, 4, 1))
    draft = agreement_create(
        title="Проект нового",
        kind=Agreement.Kind.INTERGOVERNMENTAL,
        parties=[(organization, "party") for organization in ministries],
        supersedes=old,
    )
    assert _state(old) == ("in_force", None)

    agreement_update(agreement=draft, status=Agreement.Status.SIGNED, signed_on=datetime.date(2024, 5, 14))

    assert _state(old) == ("superseded", datetime.date(2024, 5, 14))


def test_a_replacement_signed_with_no_date_supersedes_with_no_end(ministries):
    old = _signed("Старое", ministries, on=datetime.date(2016, 4, 1))

    _signed("Новое", ministries, on=None, supersedes=old)

    assert _state(old) == ("superseded", None)


def test_replacing_by_hand_through_the_status_is_refused(ministries):
    old = _signed("Старое", ministries, on=datetime.date(2016, 4, 1))

    with pytest.raises(PortalError) as refusal:
        agreement_update(agreement=old, status=Agreement.Status.SUPERSEDED)

    assert "names it as the one it replaces" in refusal.value.messages[0]
    assert _state(old) == ("in_force", None)


@pytest.mark.parametrize(
    ("case", "code", "message"),
    [
        ("itself", "replaces_itself", "An agreement cannot replace itself."),
        ("draft", "replaces_draft", "“Проект” is a draft: a draft that was never signed is not replaced"),
        ("terminated", "replaces_terminated", "“Расторгнутое” was terminated"),
        ("already replaced", "already_replaced", "“Старое” is already replaced by “Первая замена”."),
        ("loop", "replacement_loop", "“Преемник” itself follows from this agreement"),
        ("signed later", "replacement_earlier", "“Позднее” was signed on 2025, after this agreement"),
    ],
)
def test_a_replacement_is_refused_with_its_reason_and_nothing_changes(ministries, case, code, message):
    new = _signed("Новое", ministries, on=datetime.date(2024, 5, 14))
    old = _signed("Старое", ministries, on=datetime.date(2016, 4, 1))
    replaced = {
        "itself": lambda: new,
        "draft": lambda: f.AgreementFactory(title="Проект", status="draft", signed_on=None, valid_from=None),
        "terminated": lambda: f.AgreementFactory(title="Расторгнутое", status="terminated"),
        "already replaced": lambda: (
            _signed("Первая замена", ministries, on=datetime.date(2020, 1, 1), supersedes=old),
            old,
        )[1],
        "loop": lambda: _signed("Преемник", ministries, on=datetime.date(2024, 6, 1), supersedes=new),
        "signed later": lambda: _signed("Позднее", ministries, on=datetime.date(2025, 3, 1), precision="year"),
    }[case]()
    before = _state(replaced)

    with pytest.raises(PortalError) as refusal:
        agreement_replace(agreement=new, replaced=replaced)

    assert refusal.value.code == code
    assert message in refusal.value.messages[0]
    new.refresh_from_db()
    assert new.supersedes is None
    assert _state(replaced) == before


def test_a_replacement_signed_in_the_same_year_as_a_year_only_date_is_not_earlier(ministries):
    old = _signed("Старое", ministries, on=datetime.date(2016, 9, 20))
    new = _signed("Новое", ministries, on=datetime.date(2016, 1, 1), precision=DatePrecision.YEAR)

    agreement_replace(agreement=new, replaced=old)

    assert _state(old) == ("superseded", datetime.date(2016, 1, 1))


def test_a_replacement_once_made_is_not_moved_to_another_agreement(ministries):
    old = _signed("Старое", ministries, on=datetime.date(2016, 4, 1))
    other = _signed("Другое", ministries, on=datetime.date(2017, 4, 1))
    new = _signed("Новое", ministries, on=datetime.date(2024, 5, 14), supersedes=old)

    with pytest.raises(PortalError) as refusal:
        agreement_replace(agreement=new, replaced=other)

    assert refusal.value.code == "replacement_changed"
    assert (_state(old), _state(other)) == (("superseded", datetime.date(2024, 5, 14)), ("in_force", None))


def test_staff_cannot_supersede_an_agreement_of_other_parties(ministries):
    staff = f.MinistryStaffFactory(organization=ministries[0])
    foreign = _signed("Чужое", [f.MinistryFactory(), f.MinistryFactory()], on=datetime.date(2016, 4, 1))
    new = _signed("Новое", ministries, on=datetime.date(2024, 5, 14))

    with pytest.raises(PortalError) as refusal:
        agreement_replace(agreement=new, replaced=foreign, by=staff)

    assert refusal.value.code == "replaced_not_yours"
    assert _state(foreign) == ("in_force", None)


def test_a_signing_date_known_to_its_month_is_stored_as_its_first_day(ministries):
    agreement = _signed("Майское", ministries, on=datetime.date(2024, 5, 14), precision=DatePrecision.MONTH)

    assert agreement.signed_on == datetime.date(2024, 5, 1)
    with translation.override("ru"):
        assert agreement.signed_on_as_given == "май 2024"


def test_an_open_ended_agreement_with_an_end_date_is_refused(ministries):
    with pytest.raises(ValidationError) as refusal:
        _signed(
            "Бессрочное",
            ministries,
            on=datetime.date(2016, 1, 1),
            is_open_ended=True,
            valid_until=datetime.date(2030, 1, 1),
        )

    assert "An open-ended agreement has no end date." in refusal.value.messages
    assert not Agreement.objects.exists()


# --- The admin ---------------------------------------------------------------------------------


def test_choosing_the_replaced_agreement_on_a_signed_one_in_the_admin_supersedes_it(ministries):
    staff = f.MinistryStaffFactory(organization=ministries[0])
    old = _signed("Соглашение 2016 года", ministries, on=datetime.date(2016, 1, 1), precision="year")
    new = _signed("Соглашение 2024 года", ministries, on=datetime.date(2024, 5, 14))
    client = Client()
    client.force_login(staff)

    response = _submit(client, _url(Agreement, "change", new.pk), {"supersedes": str(old.pk)})

    assert response.status_code == 302, _form_errors(response)
    assert _state(old) == ("superseded", datetime.date(2024, 5, 14))
    assert old.history.latest().status == "superseded"


def test_choosing_a_terminated_agreement_as_the_replaced_one_shows_the_reason_on_the_field(staff_client, ministries):
    terminated = f.AgreementFactory(title="Расторгнутое", status="terminated")
    new = _signed("Новое", ministries, on=datetime.date(2024, 5, 14))

    response = _submit(staff_client, _url(Agreement, "change", new.pk), {"supersedes": str(terminated.pk)})

    assert response.status_code == 200
    assert _form_errors(response) == {"supersedes": {"replaces_terminated"}}
    new.refresh_from_db()
    assert new.supersedes is None


def test_a_new_agreement_added_signed_with_a_year_only_date_in_the_admin(staff_client, ministries):
    response = _submit(
        staff_client,
        _url(Agreement, "add"),
        {
            "title": "Соглашение 2016 года",
            "kind": "intergovernmental",
            "status": "signed",
            "signed_on": "01.01.2016",
            "signed_on_precision": "year",
            "parties-0-organization": str(ministries[0].pk),
            "parties-0-role": "party",
            "parties-1-organization": str(ministries[1].pk),
            "parties-1-role": "party",
        },
    )

    assert response.status_code == 302, _form_errors(response)
    agreement = Agreement.objects.get(title="Соглашение 2016 года")
    assert (agreement.signed_on, agreement.signed_on_precision) == (datetime.date(2016, 1, 1), "year")


# --- The pages ---------------------------------------------------------------------------------


def _page(client, agreement) -> str:
    return html_of(client.get(reverse("agreements:detail", kwargs={"slug": agreement.slug})))


def _fact(html: str, label: str) -> str:
    return re.search(rf"<dt>{label}</dt><dd>(.*?)</dd>", section_of(html, "facts-heading"), re.S)[1]


def test_a_signed_agreement_with_no_date_says_the_date_is_not_given(client, ministries):
    agreement = _signed("Без даты", ministries, on=None, is_public=True)

    html = _page(client, agreement)

    assert _fact(html, "Дата подписания") == "дата не указана"
    assert "ещё не подписано" not in html
    assert _fact(html, "Действует до") == "срок не указан"


def test_the_status_page_shows_the_replacement_both_ways_and_the_year_only_date(client, ministries):
    old = _signed("Соглашение 2016 года", ministries, on=datetime.date(2016, 1, 1), precision="year", is_public=True)
    new = _signed("Соглашение 2024 года", ministries, on=datetime.date(2024, 5, 14), supersedes=old, is_public=True)

    old_page, new_page = _page(client, old), _page(client, new)

    assert "2016" in _fact(old_page, "Дата подписания") and "1 января" not in _fact(old_page, "Дата подписания")
    assert re.search(r'<span class="badge">заменено</span>', old_page)
    assert _fact(old_page, "Действие прекращено") == "14 мая 2024"
    assert "Соглашение 2024 года" in _fact(old_page, "Заменено документом")
    assert "Соглашение 2016 года (2016)" in re.sub(r"<[^>]+>", "", _fact(new_page, "Продлевает или заменяет"))


def test_the_status_page_shows_the_signing_mission_follow_up_missions_and_sources(client, ministries):
    signed_at = f.MissionFactory(title="Рабочий визит делегации в Республику Н", is_public=True)
    later = f.MissionFactory(title="Ответный визит", slug="answer", is_public=True)
    hidden = f.MissionFactory(title="Закрытая встреча", is_public=False)
    source = f.SourceFactory(title="Подписано одиннадцать соглашений", url="https://example.org/n/11")
    agreement = _signed(
        "Соглашение о торговле",
        ministries,
        on=datetime.date(2024, 5, 14),
        is_public=True,
        signed_at_mission=signed_at,
        followed_up_at=[later, hidden],
        sources=[source],
    )

    html = _page(client, agreement)

    assert "Рабочий визит делегации в Республику Н" in _fact(html, "Подписано на миссии")
    follow_up = _fact(html, "Продолжено на миссиях")
    assert "Ответный визит" in follow_up and "Закрытая встреча" not in follow_up
    assert 'href="https://example.org/n/11"' in section_of(html, "figures-heading")
    assert list(source.agreements.all()) == [agreement]


def test_the_mission_page_lists_agreements_signed_and_followed_up_there(client, ministries):
    mission = f.MissionFactory(title="Ответный визит", slug="answer", is_public=True)
    signed_here = _signed("Подписано здесь", ministries, on=None, is_public=True, signed_at_mission=mission)
    _signed("Продолжено здесь", ministries, on=datetime.date(2016, 1, 1), precision="year", is_public=True,
            followed_up_at=[mission])  # fmt: skip

    html = section_of(
        html_of(client.get(reverse("missions:detail", kwargs={"slug": mission.slug}))), "agreements-heading"
    )

    items = re.findall(r"<li>(.*?)</li>", html, re.S)
    assert [re.search(r'class="title"[^>]*>(.*?)</a>', item)[1] for item in items] == [
        "Подписано здесь",
        "Продолжено здесь",
    ]
    assert "подписано: дата не указана" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", items[0]))
    assert "продолжено на этой миссии" in items[1] and "подписано: 2016" in re.sub(r"<[^>]+>", "", items[1])
    assert signed_here.followed_up_at.count() == 0


def test_two_drafts_may_name_the_same_agreement_and_the_first_signed_replaces_it(ministries):
    old = _signed("Старое", ministries, on=datetime.date(2016, 4, 1))
    drafts = [
        agreement_create(
            title=title,
            kind=Agreement.Kind.INTERGOVERNMENTAL,
            parties=[(organization, "party") for organization in ministries],
            supersedes=old,
        )
        for title in ("Вариант А", "Вариант Б")
    ]

    agreement_update(agreement=drafts[1], status=Agreement.Status.SIGNED, signed_on=datetime.date(2024, 5, 14))
    with pytest.raises(PortalError) as refusal:
        agreement_update(agreement=drafts[0], status=Agreement.Status.SIGNED, signed_on=datetime.date(2024, 6, 1))

    assert refusal.value.messages == ["“Старое” is already replaced by “Вариант Б”."]
    assert _state(old) == ("superseded", datetime.date(2024, 5, 14))
    assert Agreement.objects.get(pk=drafts[0].pk).status == "draft"


def test_a_link_recorded_before_replacements_took_effect_may_be_corrected(ministries):
    wrong = _signed("Не то соглашение", ministries, on=datetime.date(2015, 4, 1))
    right = _signed("Соглашение 2016 года", ministries, on=datetime.date(2016, 4, 1))
    new = _signed("Новое", ministries, on=datetime.date(2024, 5, 14))
    Agreement.objects.filter(pk=new.pk).update(supersedes=wrong)  # as the data were before this rule

    agreement_replace(agreement=new, replaced=right)

    assert (_state(wrong), _state(right)) == (("in_force", None), ("superseded", datetime.date(2024, 5, 14)))
