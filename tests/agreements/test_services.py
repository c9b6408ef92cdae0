"""Agreement, plan and project services: the state each leaves behind and what each refuses."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from agreements.models import Agreement, CooperationProject, PlanItem, ProjectParty, ProjectUpdate
from agreements.selectors import plan_items_overdue
from agreements.services.agreements import (
    agreement_create,
    agreement_sign,
    agreement_terminate,
    agreement_update,
    agreements_refresh_statuses,
    plan_item_create,
    plan_item_set_status,
    plan_item_update,
)
from agreements.services.projects import project_create, project_record_progress, project_update
from companies.exceptions import PortalError
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    CooperationProjectFactory,
    MeetingFactory,
    MinistryFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    PlanItemFactory,
    SectorFactory,
    SphereFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db

# Noon in Moscow on 15 January 2026: timezone.localdate() is 2026-01-15.
TODAY = datetime.date(2026, 1, 15)
NOON = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)


def _moscow_noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 9, 0, tzinfo=datetime.UTC)


def _draft(parties: int = 2, **kwargs) -> Agreement:
    agreement = AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None, valid_from=None, **kwargs)
    for _ in range(parties):
        AgreementPartyFactory(agreement=agreement)
    return agreement


# --- agreement_sign ------------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_agreement_sign_without_start_date_comes_into_force():
    agreement, mission = _draft(), MissionFactory()
    agreement_sign(agreement=agreement, signed_on=TODAY, mission=mission, place="Екатеринбург")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.IN_FORCE, TODAY)
    assert (agreement.signed_at_mission, agreement.signing_place) == (mission, "Екатеринбург")


@time_machine.travel(NOON, tick=False)
def test_agreement_sign_with_past_start_date_comes_into_force():
    agreement = _draft()
    Agreement.objects.filter(pk=agreement.pk).update(valid_from=datetime.date(2026, 1, 1))
    agreement_sign(agreement=agreement, signed_on=datetime.date(2026, 1, 10))
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.IN_FORCE


@time_machine.travel(NOON, tick=False)
def test_agreement_sign_with_future_start_date_stays_signed():
    agreement = _draft()
    Agreement.objects.filter(pk=agreement.pk).update(valid_from=datetime.date(2026, 2, 1))
    agreement_sign(agreement=agreement, signed_on=TODAY)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.SIGNED, TODAY)


@time_machine.travel(NOON, tick=False)
def test_agreement_sign_non_draft_refused():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE, signed_on=datetime.date(2025, 2, 3))
    AgreementPartyFactory(agreement=agreement), AgreementPartyFactory(agreement=agreement)
    with pytest.raises(PortalError) as excinfo:
        agreement_sign(agreement=agreement, signed_on=TODAY)
    assert excinfo.value.code == "not_draft"
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.IN_FORCE, datetime.date(2025, 2, 3))


@time_machine.travel(NOON, tick=False)
def test_agreement_sign_future_date_refused():
    agreement = _draft()
    with pytest.raises(PortalError) as excinfo:
        agreement_sign(agreement=agreement, signed_on=TODAY + datetime.timedelta(days=1))
    assert excinfo.value.code == "future_signing"
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.DRAFT, None)


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize("parties", [0, 1])
def test_agreement_sign_fewer_than_two_parties_refused(parties):
    agreement = _draft(parties=parties)
    with pytest.raises(PortalError) as excinfo:
        agreement_sign(agreement=agreement, signed_on=TODAY)
    assert excinfo.value.code == "few_parties"
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.DRAFT, None)


@time_machine.travel(NOON, tick=False)
def test_agreement_sign_is_one_save_in_the_history():
    agreement = _draft()
    records = agreement.history.count()

    agreement_sign(agreement=agreement, signed_on=TODAY)

    assert agreement.history.count() == records + 1
    assert agreement.history.latest().status == Agreement.Status.IN_FORCE


# --- agreement_create and agreement_update ---------------------------------------------------


def test_agreement_create_draft_with_parties_and_spheres():
    ministries, sphere = MinistryFactory.create_batch(2), SphereFactory()

    agreement = agreement_create(
        title="Соглашение о торгово-экономическом сотрудничестве",
        kind=Agreement.Kind.INTERGOVERNMENTAL,
        parties=[(ministries[0], "party"), (ministries[1], "coordinator")],
        spheres=[sphere],
    )

    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on, agreement.slug) == (
        Agreement.Status.DRAFT,
        None,
        "soglashenie-o-torgovo-ekonomicheskom-sotrudnichestve",
    )
    assert set(agreement.parties.values_list("organization", "role")) == {
        (ministries[0].pk, "party"),
        (ministries[1].pk, "coordinator"),
    }
    assert list(agreement.spheres.all()) == [sphere]


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("status", "valid_from", "expected"),
    [
        ("signed", None, "in_force"),
        ("in_force", None, "in_force"),
        ("signed", datetime.date(2026, 3, 1), "signed"),
        ("in_force", datetime.date(2026, 3, 1), "signed"),
    ],
)
def test_agreement_create_signed_is_signed_in_the_same_save(status, valid_from, expected):
    ministries = MinistryFactory.create_batch(2)

    agreement = agreement_create(
        title="Соглашение",
        kind=Agreement.Kind.INTERAGENCY,
        parties=[(ministry, "party") for ministry in ministries],
        status=status,
        signed_on=datetime.date(2026, 1, 14),
        valid_from=valid_from,
    )

    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (expected, datetime.date(2026, 1, 14))
    assert [record.history_type for record in agreement.history.all()] == ["+"]


@pytest.mark.parametrize(
    ("status", "parties", "code"),
    [("signed", 1, "few_parties"), ("expired", 2, "bad_transition"), ("terminated", 2, "bad_transition")],
)
def test_agreement_create_refused_and_nothing_created(status, parties, code):
    ministries = MinistryFactory.create_batch(parties)
    with pytest.raises(PortalError) as excinfo:
        agreement_create(
            title="Соглашение",
            kind=Agreement.Kind.INTERAGENCY,
            parties=[(ministry, "party") for ministry in ministries],
            status=status,
        )
    assert excinfo.value.code == code
    assert not Agreement.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_agreement_update_signs_with_the_other_changes_in_one_save():
    agreement, mission = _draft(title="Проект соглашения"), MissionFactory()
    records = agreement.history.count()

    agreement_update(
        agreement=agreement,
        title="Соглашение о сотрудничестве",
        status=Agreement.Status.SIGNED,
        signed_on=TODAY,
        signed_at_mission=mission,
    )

    agreement.refresh_from_db()
    assert (agreement.title, agreement.status, agreement.signed_on, agreement.signed_at_mission) == (
        "Соглашение о сотрудничестве",
        Agreement.Status.IN_FORCE,
        TODAY,
        mission,
    )
    assert agreement.history.count() == records + 1


@time_machine.travel(NOON, tick=False)
def test_agreement_update_terminates_from_today_with_the_reason():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE, summary="Об экономическом сотрудничестве.")

    with translation.override("ru"):
        agreement_update(agreement=agreement, status=Agreement.Status.TERMINATED, termination_reason="Решение сторон")

    agreement.refresh_from_db()
    assert (agreement.status, agreement.valid_until) == (Agreement.Status.TERMINATED, TODAY)
    assert agreement.summary == "Об экономическом сотрудничестве.\n\nРасторгнуто: Решение сторон"


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("parties", "changes", "code"),
    [
        (1, {"status": "signed"}, "few_parties"),
        (2, {"status": "signed", "signed_on": TODAY + datetime.timedelta(days=1)}, "future_signing"),
        (2, {"status": "expired"}, "bad_transition"),
    ],
)
def test_agreement_update_refused_signing_changes_nothing(parties, changes, code):
    agreement = _draft(parties=parties, title="Проект соглашения")

    with pytest.raises(PortalError) as excinfo:
        agreement_update(agreement=agreement, title="Соглашение", **changes)

    assert excinfo.value.code == code
    agreement.refresh_from_db()
    assert (agreement.title, agreement.status, agreement.signed_on) == ("Проект соглашения", "draft", None)


@time_machine.travel(NOON, tick=False)
def test_agreement_update_termination_without_reason_changes_nothing():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE, title="Соглашение")

    with pytest.raises(PortalError) as excinfo:
        agreement_update(agreement=agreement, title="Новое", status=Agreement.Status.TERMINATED)

    assert excinfo.value.code == "no_reason"
    agreement.refresh_from_db()
    assert (agreement.title, agreement.status, agreement.valid_until) == ("Соглашение", "in_force", None)


def test_agreement_update_refuses_a_field_it_does_not_change():
    with pytest.raises(TypeError):
        agreement_update(agreement=AgreementFactory(), created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))


# --- agreements_refresh_statuses -------------------------------------------------------------


def test_agreements_refresh_statuses_expires_past_term_once():
    with time_machine.travel(NOON, tick=False):
        agreement = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2026, 3, 31))
    with time_machine.travel(_moscow_noon(datetime.date(2026, 3, 31)), tick=False):
        assert agreements_refresh_statuses() == 0
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.IN_FORCE

    with time_machine.travel(_moscow_noon(datetime.date(2026, 4, 1)), tick=False):
        first, second = agreements_refresh_statuses(), agreements_refresh_statuses()

    assert (first, second) == (1, 0)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EXPIRED
    assert agreement.history.latest().status == Agreement.Status.EXPIRED


def test_agreements_refresh_statuses_brings_into_force_on_valid_from():
    agreement = AgreementFactory(status=Agreement.Status.SIGNED, valid_from=datetime.date(2026, 5, 1))
    with time_machine.travel(_moscow_noon(datetime.date(2026, 4, 30)), tick=False):
        assert agreements_refresh_statuses() == 0
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.SIGNED

    with time_machine.travel(_moscow_noon(datetime.date(2026, 5, 1)), tick=False):
        first, second = agreements_refresh_statuses(), agreements_refresh_statuses()

    assert (first, second) == (1, 0)
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.IN_FORCE


def test_agreements_refresh_statuses_leaves_drafts_and_terminated_alone():
    draft = AgreementFactory(
        status=Agreement.Status.DRAFT,
        signed_on=None,
        valid_from=datetime.date(2025, 1, 1),
        valid_until=datetime.date(2025, 12, 31),
    )
    terminated = AgreementFactory(status=Agreement.Status.TERMINATED, valid_until=datetime.date(2025, 6, 1))
    expiring = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2025, 12, 31))

    with time_machine.travel(NOON, tick=False):
        assert agreements_refresh_statuses() == 1

    statuses = dict(Agreement.objects.values_list("pk", "status"))
    assert statuses == {
        draft.pk: Agreement.Status.DRAFT,
        terminated.pk: Agreement.Status.TERMINATED,
        expiring.pk: Agreement.Status.EXPIRED,
    }


@time_machine.travel(NOON, tick=False)
def test_agreements_refresh_statuses_moves_every_dated_agreement_once_with_its_history():
    comes_into_force = AgreementFactory(status=Agreement.Status.SIGNED, valid_from=datetime.date(2026, 1, 15))
    starts_later = AgreementFactory(status=Agreement.Status.SIGNED, valid_from=datetime.date(2026, 2, 1))
    expires = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2026, 1, 14))
    extended = AgreementFactory(status=Agreement.Status.EXPIRED, valid_until=datetime.date(2026, 12, 31))
    stays = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2026, 1, 15))

    first, second = agreements_refresh_statuses(), agreements_refresh_statuses()

    assert (first, second) == (3, 0)
    expected = {
        comes_into_force.pk: ("in_force", 2),
        starts_later.pk: ("signed", 1),
        expires.pk: ("expired", 2),
        extended.pk: ("in_force", 2),
        stays.pk: ("in_force", 1),
    }
    assert {a.pk: (a.status, a.history.count()) for a in Agreement.objects.all()} == expected


@time_machine.travel(NOON, tick=False)
def test_agreements_refresh_statuses_of_a_selection_leaves_the_others():
    selected = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2026, 1, 14))
    other = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2026, 1, 14))

    changed = agreements_refresh_statuses(agreements=Agreement.objects.filter(pk=selected.pk))

    assert changed == 1
    assert dict(Agreement.objects.values_list("pk", "status")) == {selected.pk: "expired", other.pk: "in_force"}


@time_machine.travel(NOON, tick=False)
def test_agreements_refresh_statuses_changes_all_or_nothing(monkeypatch):
    first = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2026, 1, 14))
    second = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_until=datetime.date(2026, 1, 14))
    save = Agreement.save

    def save_failing_the_second(self, *args, **kwargs):
        if self.pk == second.pk:
            raise RuntimeError("the database went away")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Agreement, "save", save_failing_the_second)
    with pytest.raises(RuntimeError):
        agreements_refresh_statuses()

    assert dict(Agreement.objects.values_list("pk", "status")) == {first.pk: "in_force", second.pk: "in_force"}


# --- agreement_terminate ---------------------------------------------------------------------


def test_agreement_terminate_in_force_agreement():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE, summary="Об экономическом сотрудничестве.")
    agreement_terminate(agreement=agreement, on=datetime.date(2025, 9, 1), reason="Решение сторон")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.valid_until) == (Agreement.Status.TERMINATED, datetime.date(2025, 9, 1))
    assert agreement.summary.startswith("Об экономическом сотрудничестве.\n\n")
    assert agreement.summary.endswith("Решение сторон")


def test_agreement_terminate_draft_refused():
    agreement = _draft()
    with pytest.raises(PortalError) as excinfo:
        agreement_terminate(agreement=agreement, on=datetime.date(2025, 9, 1), reason="Решение сторон")
    assert excinfo.value.code == "not_in_force"
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.DRAFT


def test_agreement_terminate_without_reason_refused():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE)
    with pytest.raises(PortalError) as excinfo:
        agreement_terminate(agreement=agreement, on=datetime.date(2025, 9, 1), reason="  ")
    assert excinfo.value.code == "no_reason"
    agreement.refresh_from_db()
    assert (agreement.status, agreement.valid_until, agreement.summary) == (Agreement.Status.IN_FORCE, None, "")


def test_agreement_terminate_before_coming_into_force_refused():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE, valid_from=datetime.date(2025, 2, 3))
    with pytest.raises(ValidationError):
        agreement_terminate(agreement=agreement, on=datetime.date(2025, 1, 1), reason="Ошибка")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.valid_until) == (Agreement.Status.IN_FORCE, None)


# --- plan_item_set_status and plan_items_overdue ---------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_plan_item_set_status_done_defaults_to_today():
    item = PlanItemFactory()
    plan_item_set_status(item=item, status=PlanItem.Status.DONE, evidence="Протокол №5")
    item.refresh_from_db()
    assert (item.status, item.completed_on, item.evidence) == (PlanItem.Status.DONE, TODAY, "Протокол №5")


@time_machine.travel(NOON, tick=False)
def test_plan_item_set_status_done_on_a_past_date():
    item = PlanItemFactory()
    plan_item_set_status(item=item, status=PlanItem.Status.DONE, completed_on=datetime.date(2025, 12, 20))
    assert PlanItem.objects.get(pk=item.pk).completed_on == datetime.date(2025, 12, 20)


@time_machine.travel(NOON, tick=False)
def test_plan_item_set_status_future_completion_refused():
    item = PlanItemFactory(status=PlanItem.Status.IN_PROGRESS)
    with pytest.raises(PortalError) as excinfo:
        plan_item_set_status(item=item, status=PlanItem.Status.DONE, completed_on=TODAY + datetime.timedelta(days=1))
    assert excinfo.value.code == "future_completion"
    item.refresh_from_db()
    assert (item.status, item.completed_on) == (PlanItem.Status.IN_PROGRESS, None)


@time_machine.travel(NOON, tick=False)
def test_plan_item_set_status_back_to_in_progress_clears_completed_on():
    item = PlanItemFactory(status=PlanItem.Status.DONE, completed_on=datetime.date(2025, 12, 20))
    plan_item_set_status(item=item, status=PlanItem.Status.IN_PROGRESS)
    item.refresh_from_db()
    assert (item.status, item.completed_on) == (PlanItem.Status.IN_PROGRESS, None)


@time_machine.travel(NOON, tick=False)
def test_plan_item_set_status_done_again_keeps_completion_date():
    item = PlanItemFactory(status=PlanItem.Status.DONE, completed_on=datetime.date(2025, 12, 20))
    plan_item_set_status(item=item, status=PlanItem.Status.DONE, evidence="Акт приёмки")
    item.refresh_from_db()
    assert (item.completed_on, item.evidence) == (datetime.date(2025, 12, 20), "Акт приёмки")


@time_machine.travel(NOON, tick=False)
def test_plan_item_create_done_without_a_date_is_done_today():
    agreement, person = AgreementFactory(), PersonFactory()
    project = CooperationProjectFactory()

    item = plan_item_create(
        agreement=agreement,
        number="3.1",
        action="Провести бизнес-форум",
        responsible_organization=person.organization,
        responsible_person=person,
        status=PlanItem.Status.DONE,
        projects=[project],
    )

    item.refresh_from_db()
    assert (item.agreement, item.number, item.status, item.completed_on) == (agreement, "3.1", "done", TODAY)
    assert (item.responsible_person, list(item.projects.all())) == (person, [project])


@time_machine.travel(NOON, tick=False)
def test_plan_item_create_done_in_the_future_refused_and_nothing_created():
    with pytest.raises(PortalError) as excinfo:
        plan_item_create(
            agreement=AgreementFactory(),
            action="Провести бизнес-форум",
            status=PlanItem.Status.DONE,
            completed_on=TODAY + datetime.timedelta(days=1),
        )
    assert excinfo.value.code == "future_completion"
    assert not PlanItem.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_plan_item_update_changes_fields_and_status_in_one_save():
    item = PlanItemFactory(status=PlanItem.Status.IN_PROGRESS)
    records = item.history.count()

    plan_item_update(item=item, action="Провести форум в Екатеринбурге", status=PlanItem.Status.DONE, evidence="Отчёт")

    item.refresh_from_db()
    assert (item.action, item.status, item.completed_on, item.evidence) == (
        "Провести форум в Екатеринбурге",
        PlanItem.Status.DONE,
        TODAY,
        "Отчёт",
    )
    assert item.history.count() == records + 1


@time_machine.travel(NOON, tick=False)
def test_plan_item_update_other_fields_of_a_done_item_keep_its_date():
    item = PlanItemFactory(status=PlanItem.Status.DONE, completed_on=datetime.date(2025, 12, 20))

    plan_item_update(item=item, due_date=datetime.date(2025, 12, 25))

    item.refresh_from_db()
    assert (item.status, item.completed_on, item.due_date) == (
        "done",
        datetime.date(2025, 12, 20),
        datetime.date(2025, 12, 25),
    )


def test_plan_item_update_refuses_a_field_it_does_not_change():
    with pytest.raises(TypeError):
        plan_item_update(item=PlanItemFactory(), pk=7)


def test_plan_items_overdue_only_unfinished_past_due():
    past = datetime.date(2026, 1, 14)
    planned = PlanItemFactory(status=PlanItem.Status.PLANNED, due_date=past)
    in_progress = PlanItemFactory(status=PlanItem.Status.IN_PROGRESS, due_date=datetime.date(2025, 6, 30))
    PlanItemFactory(status=PlanItem.Status.DONE, completed_on=past, due_date=past)
    PlanItemFactory(status=PlanItem.Status.CANCELLED, due_date=past)
    PlanItemFactory(status=PlanItem.Status.PLANNED, due_date=TODAY)
    PlanItemFactory(status=PlanItem.Status.PLANNED, due_date=datetime.date(2026, 6, 1))
    PlanItemFactory(status=PlanItem.Status.PLANNED, due_date=None)

    assert set(plan_items_overdue(today=TODAY)) == {planned, in_progress}
    with time_machine.travel(NOON, tick=False):
        assert set(plan_items_overdue()) == {planned, in_progress}


# --- project_create --------------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_project_create_saves_parties_and_opening_update():
    curator, org_a, org_b, sector = StaffUserFactory(), OrganizationFactory(), OrganizationFactory(), SectorFactory()

    project = project_create(
        title="Поставка станков с ЧПУ",
        parties=[(org_a, ProjectParty.Role.SUPPLIER), (org_b, ProjectParty.Role.CUSTOMER)],
        sectors=[sector],
        curator=curator,
        next_step="Отправить коммерческое предложение",
        next_step_due=datetime.date(2026, 2, 1),
        by=curator,
    )

    project.refresh_from_db()
    assert project.slug == "postavka-stankov-s-chpu"
    assert (project.stage, project.last_activity_at) == (CooperationProject.Stage.LEAD, NOON)
    assert set(project.parties.values_list("organization", "role")) == {
        (org_a.pk, ProjectParty.Role.SUPPLIER),
        (org_b.pk, ProjectParty.Role.CUSTOMER),
    }
    assert list(project.sectors.all()) == [sector]
    update = project.updates.get()
    assert (update.author, update.stage_from, update.stage_to) == (curator, "", CooperationProject.Stage.LEAD)
    assert (update.next_step, update.next_step_due) == ("Отправить коммерческое предложение", datetime.date(2026, 2, 1))


def test_project_create_origin_mission_taken_from_meeting():
    meeting = MeetingFactory()
    project = project_create(
        title="Проект со встречи",
        parties=[(meeting.organization_a, "initiator"), (meeting.organization_b, "partner")],
        origin_meeting=meeting,
    )
    project.refresh_from_db()
    assert (project.origin_meeting, project.origin_mission) == (meeting, meeting.mission)


def _nothing_created():
    return (CooperationProject.objects.count(), ProjectParty.objects.count(), ProjectUpdate.objects.count()) == (
        0,
        0,
        0,
    )


def test_project_create_one_party_refused():
    with pytest.raises(PortalError) as excinfo:
        project_create(title="Один в поле", parties=[(OrganizationFactory(), "initiator")])
    assert excinfo.value.code == "few_parties"
    assert _nothing_created()


def test_project_create_duplicate_party_refused():
    org_a, org_b = OrganizationFactory(), OrganizationFactory()
    with pytest.raises(PortalError) as excinfo:
        project_create(title="Двойник", parties=[(org_a, "supplier"), (org_b, "customer"), (org_a, "investor")])
    assert excinfo.value.code == "duplicate_party"
    assert _nothing_created()


def test_project_create_same_organization_twice_refused():
    organization = OrganizationFactory()
    with pytest.raises(PortalError):
        project_create(title="Сам с собой", parties=[(organization, "supplier"), (organization, "customer")])
    assert _nothing_created()


def test_project_create_origin_meeting_of_another_mission_refused():
    meeting = MeetingFactory()
    with pytest.raises(PortalError) as excinfo:
        project_create(
            title="Чужая встреча",
            parties=[(meeting.organization_a, "initiator"), (meeting.organization_b, "partner")],
            origin_mission=MissionFactory(),
            origin_meeting=meeting,
        )
    assert excinfo.value.code == "meeting_mission_mismatch"
    assert _nothing_created()


def test_project_create_parties_with_their_contacts():
    contact = PersonFactory()
    partner = OrganizationFactory()

    project = project_create(
        title="Поставка станков",
        parties=[(contact.organization, "supplier", contact), (partner, "customer")],
    )

    assert set(project.parties.values_list("organization", "contact")) == {
        (contact.organization.pk, contact.pk),
        (partner.pk, None),
    }


# --- project_record_progress -----------------------------------------------------------------


def _project(**kwargs) -> CooperationProject:
    with time_machine.travel(datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC), tick=False):
        return CooperationProjectFactory(**kwargs)


@time_machine.travel(NOON, tick=False)
def test_project_record_progress_logs_stage_move_and_resets_clock():
    project, author = _project(stage=CooperationProject.Stage.NEGOTIATION), StaffUserFactory()
    assert project.last_activity_at < NOON

    project_record_progress(project=project, by=author, note="Получили ТЗ", stage=CooperationProject.Stage.PROPOSAL)

    project.refresh_from_db()
    assert (project.stage, project.last_activity_at) == (CooperationProject.Stage.PROPOSAL, NOON)
    update = project.updates.get()
    assert (update.author, update.text, update.stage_from, update.stage_to, update.created_at) == (
        author,
        "Получили ТЗ",
        CooperationProject.Stage.NEGOTIATION,
        CooperationProject.Stage.PROPOSAL,
        NOON,
    )


@time_machine.travel(NOON, tick=False)
def test_project_record_progress_note_only_resets_clock_without_stage():
    project = _project()
    project_record_progress(project=project, by=StaffUserFactory(), note="Созвонились")
    project.refresh_from_db()
    assert (project.stage, project.last_activity_at) == (CooperationProject.Stage.NEGOTIATION, NOON)
    assert list(project.updates.values_list("stage_from", "stage_to", "text")) == [("", "", "Созвонились")]


@time_machine.travel(NOON, tick=False)
def test_project_record_progress_sets_next_step():
    project = _project()
    project_record_progress(
        project=project, by=StaffUserFactory(), next_step="Визит на завод", next_step_due=datetime.date(2026, 2, 10)
    )
    project.refresh_from_db()
    assert (project.next_step, project.next_step_due) == ("Визит на завод", datetime.date(2026, 2, 10))
    assert list(project.updates.values_list("next_step", "next_step_due")) == [
        ("Визит на завод", datetime.date(2026, 2, 10))
    ]


@pytest.mark.parametrize("stage", [CooperationProject.Stage.LEAD, "nonsense"])
def test_project_record_progress_illegal_move_refused(stage):
    project = _project(stage=CooperationProject.Stage.NEGOTIATION)
    activity = project.last_activity_at
    with pytest.raises(PortalError) as excinfo:
        project_record_progress(project=project, by=StaffUserFactory(), note="Назад", stage=stage)
    assert excinfo.value.code == "bad_transition"
    project.refresh_from_db()
    assert (project.stage, project.last_activity_at) == (CooperationProject.Stage.NEGOTIATION, activity)
    assert not project.updates.exists()


@pytest.mark.parametrize("note", ["", "   "])
def test_project_record_progress_empty_update_refused(note):
    project = _project(next_step="Звонок", next_step_due=datetime.date(2026, 2, 1))
    activity = project.last_activity_at
    with pytest.raises(PortalError) as excinfo:
        project_record_progress(
            project=project, by=StaffUserFactory(), note=note, stage=project.stage, next_step="Звонок"
        )
    assert excinfo.value.code == "empty_update"
    assert CooperationProject.objects.get(pk=project.pk).last_activity_at == activity
    assert not project.updates.exists()


@time_machine.travel(NOON, tick=False)
def test_project_record_progress_past_due_date_refused():
    project = _project(next_step="Звонок", next_step_due=datetime.date(2026, 2, 1))
    with pytest.raises(PortalError) as excinfo:
        project_record_progress(project=project, by=StaffUserFactory(), next_step_due=datetime.date(2026, 1, 14))
    assert excinfo.value.code == "due_in_past"
    assert CooperationProject.objects.get(pk=project.pk).next_step_due == datetime.date(2026, 2, 1)
    assert not project.updates.exists()


@pytest.mark.parametrize("stage", [CooperationProject.Stage.COMPLETED, CooperationProject.Stage.DROPPED])
def test_project_record_progress_closed_project_refused(stage):
    project = _project(stage=stage)
    with pytest.raises(PortalError) as excinfo:
        project_record_progress(project=project, by=StaffUserFactory(), note="Ещё новость")
    assert excinfo.value.code == "closed"
    assert not project.updates.exists()


@time_machine.travel(NOON, tick=False)
def test_project_record_progress_completed_clears_next_step():
    project = _project(
        stage=CooperationProject.Stage.IN_IMPLEMENTATION, next_step="Приёмка", next_step_due=datetime.date(2026, 2, 1)
    )
    project_record_progress(project=project, by=StaffUserFactory(), stage=CooperationProject.Stage.COMPLETED)
    project.refresh_from_db()
    assert (project.stage, project.next_step, project.next_step_due) == (CooperationProject.Stage.COMPLETED, "", None)
    assert list(project.updates.values_list("stage_from", "stage_to")) == [
        (CooperationProject.Stage.IN_IMPLEMENTATION, CooperationProject.Stage.COMPLETED)
    ]


@time_machine.travel(NOON, tick=False)
def test_agreement_sign_with_unknown_date_is_in_force_without_date():
    agreement = _draft()
    agreement_sign(agreement=agreement, signed_on=None)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.IN_FORCE, None)


# --- project_update --------------------------------------------------------------------------


@time_machine.travel(NOON, tick=False)
def test_project_update_without_progress_changes_fields_only():
    project = _project(title="Проект")
    activity, records = project.last_activity_at, project.history.count()

    project_update(project=project, by=StaffUserFactory(), title="Поставка станков", expected_value=1000)

    project.refresh_from_db()
    assert (project.title, project.expected_value, project.last_activity_at) == ("Поставка станков", 1000, activity)
    assert (project.history.count(), project.updates.count()) == (records + 1, 0)


@time_machine.travel(NOON, tick=False)
def test_project_update_with_progress_is_one_save_and_one_update():
    project, author = _project(title="Проект", stage=CooperationProject.Stage.NEGOTIATION), StaffUserFactory()
    records = project.history.count()

    project_update(
        project=project,
        by=author,
        note="Отправили коммерческое предложение",
        title="Поставка станков",
        stage=CooperationProject.Stage.PROPOSAL,
        next_step="Получить ответ",
        next_step_due=datetime.date(2026, 2, 1),
    )

    project.refresh_from_db()
    assert (project.title, project.stage, project.last_activity_at) == ("Поставка станков", "proposal", NOON)
    assert project.history.count() == records + 1
    update = project.updates.get()
    assert (update.author, update.text, update.stage_from, update.stage_to, update.next_step, update.next_step_due) == (
        author,
        "Отправили коммерческое предложение",
        "negotiation",
        "proposal",
        "Получить ответ",
        datetime.date(2026, 2, 1),
    )


@pytest.mark.parametrize(
    ("stage", "move", "code"),
    [("negotiation", "lead", "bad_transition"), ("completed", "lead", "closed"), ("dropped", "negotiation", "closed")],
)
def test_project_update_refused_move_changes_nothing(stage, move, code):
    project = _project(title="Проект", stage=stage)
    activity, records = project.last_activity_at, project.history.count()

    with pytest.raises(PortalError) as excinfo:
        project_update(project=project, by=StaffUserFactory(), title="Новое", stage=move)

    assert excinfo.value.code == code
    project.refresh_from_db()
    assert (project.title, project.stage, project.last_activity_at, project.history.count()) == (
        "Проект",
        stage,
        activity,
        records,
    )
    assert not project.updates.exists()


def test_project_update_closed_project_still_takes_a_new_title():
    project = _project(title="Проект", stage=CooperationProject.Stage.COMPLETED)

    project_update(project=project, by=StaffUserFactory(), title="Поставка станков")

    assert CooperationProject.objects.get(pk=project.pk).title == "Поставка станков"
    assert not project.updates.exists()


def test_project_update_origin_meeting_of_another_mission_refused():
    project = _project(origin_mission=MissionFactory())

    with pytest.raises(PortalError) as excinfo:
        project_update(project=project, by=StaffUserFactory(), origin_meeting=MeetingFactory())

    assert excinfo.value.code == "meeting_mission_mismatch"
    assert CooperationProject.objects.get(pk=project.pk).origin_meeting is None


def test_project_update_origin_meeting_brings_its_mission():
    project, meeting = _project(), MeetingFactory()

    project_update(project=project, by=StaffUserFactory(), origin_meeting=meeting)

    project.refresh_from_db()
    assert (project.origin_meeting, project.origin_mission) == (meeting, meeting.mission)


def test_project_update_replaces_sectors():
    project, sectors = _project(), SectorFactory.create_batch(2)
    project.sectors.set([SectorFactory()])

    project_update(project=project, by=StaffUserFactory(), sectors=sectors)

    assert set(project.sectors.all()) == set(sectors)


def test_project_update_refuses_a_field_it_does_not_change():
    with pytest.raises(TypeError):
        project_update(project=_project(), by=None, last_activity_at=NOON)
