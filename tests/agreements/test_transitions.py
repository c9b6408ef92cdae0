"""The workflows of agreements, plan items and cooperation projects: every (from, to) pair of each
table, on the model and through the services. The expected tables are written out here, not read
from the models' TRANSITIONS."""

import datetime

import pytest
import time_machine

from agreements.models import Agreement, CooperationProject, PlanItem
from agreements.services.agreements import agreement_update, plan_item_update
from agreements.services.projects import project_update
from companies.exceptions import PortalError
from tests.factories import AgreementFactory, AgreementPartyFactory, CooperationProjectFactory, PlanItemFactory

# --- Agreements: staff sign a draft or terminate an agreement; the dates do the rest ------------

# "superseded" is reached only by a replacement (agreement_replace), never by hand.
AGREEMENT_STATUSES = ["draft", "signed", "in_force", "expired", "terminated", "superseded"]
AGREEMENT_MOVES = {
    ("draft", "signed"),
    ("draft", "in_force"),
    ("signed", "terminated"),
    ("in_force", "terminated"),
}
AGREEMENT_PAIRS = [(a, b) for a in AGREEMENT_STATUSES for b in AGREEMENT_STATUSES if a != b]

# --- Plan items: any move, as staff keep the plan true to events ----------------------------------

PLAN_ITEM_STATUSES = ["planned", "in_progress", "done", "cancelled"]
PLAN_ITEM_MOVES = {
    ("planned", "in_progress"),
    ("planned", "done"),
    ("planned", "cancelled"),
    ("in_progress", "planned"),
    ("in_progress", "done"),
    ("in_progress", "cancelled"),
    ("done", "planned"),
    ("done", "in_progress"),
    ("done", "cancelled"),
    ("cancelled", "planned"),
    ("cancelled", "in_progress"),
    ("cancelled", "done"),
}
PLAN_ITEM_PAIRS = [(a, b) for a in PLAN_ITEM_STATUSES for b in PLAN_ITEM_STATUSES if a != b]

# --- Cooperation projects: forward steps may be skipped; suspended resumes; closed is final -------

STAGES = [
    "lead",
    "negotiation",
    "proposal",
    "contract_signed",
    "in_implementation",
    "completed",
    "suspended",
    "dropped",
]
PROJECT_MOVES = {
    ("lead", "negotiation"),
    ("lead", "proposal"),
    ("lead", "contract_signed"),
    ("lead", "suspended"),
    ("lead", "dropped"),
    ("negotiation", "proposal"),
    ("negotiation", "contract_signed"),
    ("negotiation", "suspended"),
    ("negotiation", "dropped"),
    ("proposal", "negotiation"),
    ("proposal", "contract_signed"),
    ("proposal", "suspended"),
    ("proposal", "dropped"),
    ("contract_signed", "in_implementation"),
    ("contract_signed", "completed"),
    ("contract_signed", "suspended"),
    ("contract_signed", "dropped"),
    ("in_implementation", "completed"),
    ("in_implementation", "suspended"),
    ("in_implementation", "dropped"),
    ("suspended", "lead"),
    ("suspended", "negotiation"),
    ("suspended", "proposal"),
    ("suspended", "contract_signed"),
    ("suspended", "in_implementation"),
    ("suspended", "dropped"),
}
PROJECT_PAIRS = [(a, b) for a in STAGES for b in STAGES if a != b]
CLOSED = {"completed", "dropped"}


def test_the_tables_name_every_status():
    assert sorted(AGREEMENT_STATUSES) == sorted(Agreement.Status.values) == sorted(Agreement.TRANSITIONS)
    assert sorted(PLAN_ITEM_STATUSES) == sorted(PlanItem.Status.values) == sorted(PlanItem.TRANSITIONS)
    assert sorted(STAGES) == sorted(CooperationProject.Stage.values) == sorted(CooperationProject.TRANSITIONS)


@pytest.mark.parametrize(("current", "target"), AGREEMENT_PAIRS)
def test_agreement_can_move_to_follows_the_table(current, target):
    assert Agreement(status=current).can_move_to(target) is ((current, target) in AGREEMENT_MOVES)


@pytest.mark.parametrize(("current", "target"), PLAN_ITEM_PAIRS)
def test_plan_item_can_move_to_follows_the_table(current, target):
    assert PlanItem(status=current).can_move_to(target) is ((current, target) in PLAN_ITEM_MOVES)


@pytest.mark.parametrize(("current", "target"), PROJECT_PAIRS)
def test_project_can_move_to_follows_the_table(current, target):
    assert CooperationProject(stage=current).can_move_to(target) is ((current, target) in PROJECT_MOVES)


@pytest.mark.parametrize(
    ("model", "field", "values"),
    [
        (Agreement, "status", AGREEMENT_STATUSES),
        (PlanItem, "status", PLAN_ITEM_STATUSES),
        (CooperationProject, "stage", STAGES),
    ],
    ids=["agreement", "plan item", "project"],
)
def test_staying_put_or_going_nowhere_known_is_no_move(model, field, values):
    for value in values:
        row = model(**{field: value})
        assert (row.can_move_to(value), row.can_move_to("archived")) == (False, False), value


# --- The status the dates give an agreement ------------------------------------------------------

TODAY = datetime.date(2026, 1, 15)
DAY = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("status", "valid_from", "valid_until", "expected"),
    [
        ("signed", None, None, "in_force"),
        ("signed", TODAY, None, "in_force"),
        ("signed", TODAY + DAY, None, "signed"),
        ("signed", None, TODAY - DAY, "expired"),
        ("in_force", None, TODAY, "in_force"),
        ("in_force", None, TODAY - DAY, "expired"),
        ("in_force", TODAY + DAY, None, "signed"),
        ("expired", None, TODAY + DAY, "in_force"),
        ("expired", None, TODAY - DAY, "expired"),
        ("draft", None, TODAY - DAY, "draft"),
        ("terminated", None, TODAY + DAY, "terminated"),
    ],
)
def test_agreement_status_on_follows_the_dates(status, valid_from, valid_until, expected):
    agreement = Agreement(status=status, valid_from=valid_from, valid_until=valid_until)
    assert agreement.status_on(TODAY) == expected


# --- The services apply the tables -----------------------------------------------------------------

NOON = datetime.datetime(2026, 1, 15, 9, 0, tzinfo=datetime.UTC)  # 15 January 2026 in Moscow


@pytest.mark.django_db
@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(("current", "target"), PLAN_ITEM_PAIRS)
def test_plan_item_update_applies_the_table(current, target):
    done_on = datetime.date(2026, 1, 10) if current == "done" else None
    item = PlanItemFactory(status=current, completed_on=done_on)

    if (current, target) in PLAN_ITEM_MOVES:
        plan_item_update(item=item, status=target)
        item.refresh_from_db()
        assert (item.status, item.completed_on) == (target, TODAY if target == "done" else None)
    else:
        with pytest.raises(PortalError) as excinfo:
            plan_item_update(item=item, status=target)
        assert excinfo.value.code == "bad_transition"
        item.refresh_from_db()
        assert (item.status, item.completed_on) == (current, done_on)


# Where each allowed move by hand leaves an agreement without a later start date.
AGREEMENT_OUTCOMES = {
    ("draft", "signed"): "in_force",
    ("draft", "in_force"): "in_force",
    ("signed", "terminated"): "terminated",
    ("in_force", "terminated"): "terminated",
}


def _agreement(status: str) -> Agreement:
    dates = {"signed_on": None, "valid_from": None} if status == "draft" else {"valid_from": datetime.date(2025, 2, 3)}
    if status == "expired":
        dates["valid_until"] = datetime.date(2025, 12, 31)
    agreement = AgreementFactory(status=status, **dates)
    AgreementPartyFactory.create_batch(2, agreement=agreement)
    return agreement


def test_every_allowed_agreement_move_has_an_outcome():
    assert set(AGREEMENT_OUTCOMES) == AGREEMENT_MOVES


@pytest.mark.django_db
@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(("current", "target"), AGREEMENT_PAIRS)
def test_agreement_update_applies_the_table(current, target):
    agreement = _agreement(current)

    if (current, target) in AGREEMENT_MOVES:
        agreement_update(agreement=agreement, status=target, termination_reason="Решение сторон")
        assert Agreement.objects.get(pk=agreement.pk).status == AGREEMENT_OUTCOMES[(current, target)]
    else:
        with pytest.raises(PortalError) as excinfo:
            agreement_update(agreement=agreement, status=target, termination_reason="Решение сторон")
        assert excinfo.value.code == "bad_transition"
        assert Agreement.objects.get(pk=agreement.pk).status == current


@pytest.mark.django_db
@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(("current", "target"), PROJECT_PAIRS)
def test_project_update_applies_the_table(current, target):
    project = CooperationProjectFactory(stage=current)

    if (current, target) in PROJECT_MOVES:
        project_update(project=project, by=None, stage=target)
        assert CooperationProject.objects.get(pk=project.pk).stage == target
        assert list(project.updates.values_list("stage_from", "stage_to")) == [(current, target)]
    else:
        with pytest.raises(PortalError) as excinfo:
            project_update(project=project, by=None, stage=target)
        assert excinfo.value.code == ("closed" if current in CLOSED else "bad_transition")
        assert CooperationProject.objects.get(pk=project.pk).stage == current
        assert not project.updates.exists()
