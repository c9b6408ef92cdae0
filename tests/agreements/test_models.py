"""Agreement and project constraints: refused by the database, and by full_clean where Django validates them."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from agreements.models import (
    Agreement,
    AgreementParty,
    CooperationProject,
    PlanItem,
    ProjectParty,
    ProjectUpdate,
    Signatory,
)
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    CooperationProjectFactory,
    PlanItemFactory,
    ProjectPartyFactory,
    SignatoryFactory,
)
from tests.helpers import non_field_messages

pytestmark = pytest.mark.django_db


# --- Agreement -----------------------------------------------------------------------------


def test_agreement_valid_until_before_valid_from_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(valid_from=datetime.date(2025, 2, 3), valid_until=datetime.date(2025, 2, 2))
    assert not Agreement.objects.exists()


def test_agreement_valid_until_before_valid_from_refused_by_full_clean():
    agreement = AgreementFactory()
    agreement.valid_until = agreement.valid_from - datetime.timedelta(days=1)
    assert non_field_messages(agreement) == ["An agreement cannot end before it comes into force."]
    agreement.refresh_from_db()
    assert agreement.valid_until is None


def test_agreement_same_day_term_accepted():
    agreement = AgreementFactory(valid_from=datetime.date(2025, 2, 3), valid_until=datetime.date(2025, 2, 3))
    agreement.full_clean()
    assert Agreement.objects.get(pk=agreement.pk).valid_until == datetime.date(2025, 2, 3)


def test_agreement_value_without_currency_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(kind=Agreement.Kind.CONTRACT, value=Decimal("1000000"), currency="")
    assert not Agreement.objects.exists()


def test_agreement_currency_without_value_refused_by_update():
    agreement = AgreementFactory(kind=Agreement.Kind.CONTRACT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(currency="RUB")
    agreement.refresh_from_db()
    assert agreement.currency == ""


def test_agreement_negative_value_refused_by_database():
    agreement = AgreementFactory(kind=Agreement.Kind.CONTRACT, value=Decimal("10"), currency="RUB")
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(value=Decimal("-10"))
    agreement.refresh_from_db()
    assert agreement.value == Decimal("10")


def test_agreement_value_without_currency_refused_by_full_clean():
    agreement = AgreementFactory(kind=Agreement.Kind.CONTRACT)
    agreement.value = Decimal("500000")
    assert non_field_messages(agreement) == ["A value needs a currency, and a currency needs a value."]


def test_agreement_value_on_non_contract_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(kind=Agreement.Kind.MEMORANDUM, value=Decimal("1000"), currency="RUB")
    assert not Agreement.objects.exists()


def test_agreement_value_on_non_contract_refused_by_full_clean():
    agreement = AgreementFactory(kind=Agreement.Kind.INTERGOVERNMENTAL)
    agreement.value, agreement.currency = Decimal("1000"), "CNY"
    assert non_field_messages(agreement) == ["Only a commercial contract has a value."]


def test_agreement_contract_with_value_and_currency_accepted():
    agreement = AgreementFactory(kind=Agreement.Kind.CONTRACT, value=Decimal("2500000.00"), currency="CNY")
    agreement.full_clean()
    assert Agreement.objects.get(pk=agreement.pk).value == Decimal("2500000.00")


def test_agreement_draft_with_signing_date_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(status=Agreement.Status.DRAFT, signed_on=datetime.date(2025, 2, 3))
    assert not Agreement.objects.exists()


def test_agreement_back_to_draft_keeping_date_refused_by_update():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE)
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(status=Agreement.Status.DRAFT)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.IN_FORCE


def test_agreement_draft_with_signing_date_refused_by_full_clean():
    agreement = AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None)
    agreement.signed_on = datetime.date(2025, 2, 3)
    assert non_field_messages(agreement) == ["A draft has no signing date: sign it to record the date."]
    assert Agreement.objects.get(pk=agreement.pk).signed_on is None


def test_agreement_signed_with_unknown_date_accepted():
    agreement = AgreementFactory(status=Agreement.Status.IN_FORCE, signed_on=None)
    agreement.full_clean()
    assert Agreement.objects.get(pk=agreement.pk).signed_on is None


def test_agreement_draft_without_signed_on_accepted():
    agreement = AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None, valid_from=None)
    agreement.full_clean()
    assert Agreement.objects.filter(status=Agreement.Status.DRAFT, signed_on__isnull=True).count() == 1


def test_agreement_duplicate_number_per_kind_refused_by_database():
    AgreementFactory(number="12-МС", kind=Agreement.Kind.MEMORANDUM)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementFactory(number="12-МС", kind=Agreement.Kind.MEMORANDUM)
    AgreementFactory(number="12-МС", kind=Agreement.Kind.CONTRACT)
    AgreementFactory(number=""), AgreementFactory(number="")
    assert Agreement.objects.filter(number="12-МС").count() == 2


def test_agreement_superseding_itself_refused_by_database():
    agreement = AgreementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(supersedes=agreement)
    agreement.refresh_from_db()
    assert agreement.supersedes_id is None


# --- Parties and signatories ------------------------------------------------------------------


def test_agreement_party_duplicate_refused_by_database():
    party = AgreementPartyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        AgreementParty.objects.bulk_create([AgreementParty(agreement=party.agreement, organization=party.organization)])
    assert party.agreement.parties.count() == 1


def test_agreement_party_duplicate_refused_by_full_clean():
    party = AgreementPartyFactory()
    twin = AgreementParty(agreement=party.agreement, organization=party.organization)
    assert non_field_messages(twin) == ["This organization is already a party to the agreement."]


def test_project_party_duplicate_refused_by_database():
    party = ProjectPartyFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectParty.objects.create(project=party.project, organization=party.organization)
    assert party.project.parties.count() == 1


def test_project_party_duplicate_refused_by_full_clean():
    party = ProjectPartyFactory()
    twin = ProjectParty(project=party.project, organization=party.organization)
    assert non_field_messages(twin) == ["This organization is already a party to the project."]


def test_signatory_duplicate_refused_by_database():
    signatory = SignatoryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Signatory.objects.create(agreement=signatory.agreement, person=signatory.person)
    assert signatory.agreement.signatories.count() == 1


def test_signatory_duplicate_refused_by_full_clean():
    signatory = SignatoryFactory()
    twin = Signatory(agreement=signatory.agreement, person=signatory.person)
    assert non_field_messages(twin) == ["This person already signs the agreement."]


# --- Plan items ----------------------------------------------------------------------------


def test_plan_item_done_without_completed_on_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItemFactory(status=PlanItem.Status.DONE, completed_on=None)
    assert not PlanItem.objects.exists()


def test_plan_item_completed_on_without_done_refused_by_database():
    item = PlanItemFactory(status=PlanItem.Status.IN_PROGRESS)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItem.objects.filter(pk=item.pk).update(completed_on=datetime.date(2025, 6, 1))
    item.refresh_from_db()
    assert item.completed_on is None


@pytest.mark.parametrize(
    ("status", "completed_on"),
    [(PlanItem.Status.DONE, None), (PlanItem.Status.PLANNED, datetime.date(2025, 6, 1))],
)
def test_plan_item_completed_on_iff_done_refused_by_full_clean(status, completed_on):
    item = PlanItemFactory()
    item.status, item.completed_on = status, completed_on
    assert non_field_messages(item) == ["A done item has a completion date; an unfinished one has none."]
    item.refresh_from_db()
    assert (item.status, item.completed_on) == (PlanItem.Status.PLANNED, None)


def test_plan_item_duplicate_number_refused_by_database():
    item = PlanItemFactory(number="3.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanItemFactory(agreement=item.agreement, number="3.1")
    assert item.agreement.plan_items.count() == 1


def test_plan_item_duplicate_number_refused_by_full_clean():
    item = PlanItemFactory(number="3.1")
    twin = PlanItem(agreement=item.agreement, number="3.1", action="Повтор")
    assert non_field_messages(twin) == ["The plan already has an item with this number."]


def test_plan_item_unnumbered_items_and_same_number_in_other_plan_allowed():
    item = PlanItemFactory(number="1")
    PlanItemFactory(number="1")
    PlanItemFactory(agreement=item.agreement, number=""), PlanItemFactory(agreement=item.agreement, number="")
    assert item.agreement.plan_items.count() == 3
    assert PlanItem.objects.filter(number="1").count() == 2


def test_plan_item_is_overdue_only_when_unfinished_and_past_due():
    today = datetime.date(2026, 1, 15)
    overdue = PlanItemFactory(status=PlanItem.Status.IN_PROGRESS, due_date=datetime.date(2026, 1, 14))
    due_today = PlanItemFactory(due_date=today)
    done = PlanItemFactory(status=PlanItem.Status.DONE, completed_on=today, due_date=datetime.date(2026, 1, 1))
    undated = PlanItemFactory(due_date=None)
    assert [i.is_overdue(today) for i in (overdue, due_today, done, undated)] == [True, False, False, False]


# --- Cooperation projects ------------------------------------------------------------------


def test_project_due_date_without_next_step_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CooperationProjectFactory(next_step="", next_step_due=datetime.date(2026, 3, 1))
    assert not CooperationProject.objects.exists()


def test_project_due_date_without_next_step_refused_by_full_clean():
    project = CooperationProjectFactory(next_step="Отправить КП", next_step_due=datetime.date(2026, 3, 1))
    project.next_step = ""
    assert non_field_messages(project) == ["A due date belongs to a next step: describe the step."]
    project.refresh_from_db()
    assert project.next_step == "Отправить КП"


def test_project_negative_value_refused_by_database():
    project = CooperationProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        CooperationProject.objects.filter(pk=project.pk).update(expected_value=Decimal("-1"))
    project.refresh_from_db()
    assert project.expected_value is None


def test_project_update_same_stage_before_and_after_refused_by_database():
    project = CooperationProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProjectUpdate.objects.create(project=project, stage_from="lead", stage_to="lead")
    assert not project.updates.exists()


def test_project_can_move_to_follows_transitions():
    project = CooperationProjectFactory(stage=CooperationProject.Stage.NEGOTIATION)
    assert project.can_move_to(CooperationProject.Stage.PROPOSAL) is True
    assert project.can_move_to(CooperationProject.Stage.LEAD) is False
    assert project.can_move_to("nonsense") is False
    assert project.is_open is True
