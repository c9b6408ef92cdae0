"""Mission constraints: each refused by the database, and by full_clean where Django validates it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone, translation

from missions.models import DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure
from tests.factories import (
    AgreementFactory,
    DelegationMemberFactory,
    MeetingFactory,
    MissionFactory,
    OrganizationFactory,
    PersonFactory,
    ProgramItemFactory,
    ReportedFigureFactory,
    SourceFactory,
)
from tests.helpers import non_field_messages

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the meeting overlap exclusion constraint exists only on PostgreSQL (missions migration 0002)",
)


def _at(hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, 2, 3, hour, minute))


# --- Mission -------------------------------------------------------------------------------


def test_mission_end_before_start_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(start_date=datetime.date(2025, 3, 10), end_date=datetime.date(2025, 3, 9))
    assert not Mission.objects.exists()


def test_mission_end_without_start_refused_by_update():
    mission = MissionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mission.objects.filter(pk=mission.pk).update(start_date=None)
    mission.refresh_from_db()
    assert mission.start_date == datetime.date(2025, 2, 3)


def test_mission_end_before_start_refused_by_full_clean():
    mission = MissionFactory()
    mission.end_date = mission.start_date - datetime.timedelta(days=1)
    assert non_field_messages(mission) == ["The end date cannot be before the start date."]
    mission.refresh_from_db()
    assert mission.end_date == datetime.date(2025, 2, 4)


def test_mission_one_day_and_undated_accepted():
    one_day = MissionFactory(start_date=datetime.date(2025, 3, 1), end_date=datetime.date(2025, 3, 1))
    undated = MissionFactory(start_date=None, end_date=None, status=Mission.Status.PLANNED)
    one_day.full_clean(), undated.full_clean()
    assert Mission.objects.count() == 2


def test_mission_reciprocal_of_itself_refused_by_database():
    mission = MissionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mission.objects.filter(pk=mission.pk).update(reciprocal_of=mission)
    mission.refresh_from_db()
    assert mission.reciprocal_of_id is None


# --- Meeting -------------------------------------------------------------------------------


def test_meeting_same_organization_twice_refused_by_database():
    organization = OrganizationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(organization_a=organization, organization_b=organization)
    assert not Meeting.objects.exists()


def test_meeting_same_organization_twice_refused_by_full_clean():
    meeting = MeetingFactory()
    meeting.organization_b = meeting.organization_a
    assert non_field_messages(meeting) == ["A meeting is between two different organizations."]


def test_meeting_end_before_start_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(starts_at=_at(10), ends_at=_at(9, 30))
    assert not Meeting.objects.exists()


def test_meeting_end_equal_to_start_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(starts_at=_at(10), ends_at=_at(10))
    assert not Meeting.objects.exists()


@pytest.mark.parametrize(("starts_at", "ends_at"), [(_at(10), None), (None, _at(10))])
def test_meeting_only_one_of_start_and_end_refused_by_database(starts_at, ends_at):
    meeting = MeetingFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=starts_at, ends_at=ends_at)
    refreshed = Meeting.objects.get(pk=meeting.pk)
    assert (refreshed.starts_at, refreshed.ends_at) == (meeting.starts_at, meeting.ends_at)


@pytest.mark.parametrize(("starts_at", "ends_at"), [(_at(10), None), (_at(10), _at(9))])
def test_meeting_bad_times_refused_by_full_clean(starts_at, ends_at):
    meeting = MeetingFactory()
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    assert non_field_messages(meeting) == ["A meeting needs both a start and a later end, or neither."]


def test_meeting_without_times_accepted():
    meeting = MeetingFactory(starts_at=None, ends_at=None, status=Meeting.Status.REQUESTED)
    meeting.full_clean()
    assert Meeting.objects.get(pk=meeting.pk).starts_at is None


def test_meeting_outcome_without_held_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MeetingFactory(status=Meeting.Status.SCHEDULED, outcome=Meeting.Outcome.FOLLOW_UP_AGREED)
    assert not Meeting.objects.exists()


def test_meeting_outcome_without_held_refused_by_update():
    meeting = MeetingFactory(status=Meeting.Status.HELD, outcome=Meeting.Outcome.FOLLOW_UP_AGREED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.NO_SHOW)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_meeting_outcome_without_held_refused_by_full_clean():
    meeting = MeetingFactory(status=Meeting.Status.NO_SHOW)
    meeting.outcome = Meeting.Outcome.PROJECT_OPENED
    assert non_field_messages(meeting) == ["Only a meeting that was held has an outcome."]
    meeting.refresh_from_db()
    assert meeting.outcome == ""


def test_meeting_holds_slot_only_when_active_with_times():
    assert MeetingFactory(status=Meeting.Status.SCHEDULED).holds_slot is True
    assert MeetingFactory(status=Meeting.Status.CANCELLED).holds_slot is False
    assert MeetingFactory(status=Meeting.Status.REQUESTED, starts_at=None, ends_at=None).holds_slot is False


# --- Meeting overlap: the PostgreSQL exclusion constraint ---------------------------------------


@postgresql_only
def test_meeting_overlap_across_sides_refused_by_database():
    busy = OrganizationFactory()
    first = MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    with pytest.raises(IntegrityError, match="meeting_no_overlap_per_organization"), transaction.atomic():
        MeetingFactory(organization_b=busy, starts_at=_at(10, 30), ends_at=_at(11, 30))
    assert list(Meeting.objects.all()) == [first]


@postgresql_only
def test_meeting_overlap_refused_by_update():
    busy = OrganizationFactory()
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    later = MeetingFactory(organization_b=busy, starts_at=_at(12), ends_at=_at(13))
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.filter(pk=later.pk).update(starts_at=_at(10, 45))
    later.refresh_from_db()
    assert later.starts_at == _at(12)


@postgresql_only
def test_meeting_overlap_with_cancelled_meeting_allowed():
    busy = OrganizationFactory()
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11), status=Meeting.Status.CANCELLED)
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11), status=Meeting.Status.NO_SHOW)
    MeetingFactory(organization_b=busy, starts_at=_at(10, 30), ends_at=_at(11, 30))
    assert Meeting.objects.filter(starts_at__lt=_at(11, 30), ends_at__gt=_at(10)).count() == 3


@postgresql_only
def test_meeting_adjacent_meetings_allowed():
    busy = OrganizationFactory()
    MeetingFactory(organization_a=busy, starts_at=_at(10), ends_at=_at(11))
    MeetingFactory(organization_b=busy, starts_at=_at(11), ends_at=_at(12))
    assert Meeting.objects.filter(status=Meeting.Status.SCHEDULED).count() == 2


@postgresql_only
def test_meeting_overlap_of_other_organizations_allowed():
    MeetingFactory(starts_at=_at(10), ends_at=_at(11))
    MeetingFactory(starts_at=_at(10), ends_at=_at(11))
    assert Meeting.objects.count() == 2


# --- Programme item ------------------------------------------------------------------------


def test_program_item_end_before_start_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramItemFactory(starts_at=_at(10), ends_at=_at(9))
    assert not ProgramItem.objects.exists()


# --- Delegation ----------------------------------------------------------------------------


def test_delegation_duplicate_person_refused_by_database():
    person = PersonFactory()
    member = DelegationMemberFactory(organization=person.organization, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationMember.objects.create(mission=member.mission, organization=person.organization, person=person)
    assert member.mission.delegation.count() == 1


def test_delegation_duplicate_organization_without_person_refused_by_database():
    member = DelegationMemberFactory(person=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DelegationMember.objects.bulk_create(
            [DelegationMember(mission=member.mission, organization=member.organization)]
        )
    assert member.mission.delegation.count() == 1


def test_delegation_duplicate_person_refused_by_full_clean():
    person = PersonFactory()
    member = DelegationMemberFactory(organization=person.organization, person=person)
    twin = DelegationMember(mission=member.mission, organization=person.organization, person=person)
    assert non_field_messages(twin) == ["This person of this organization is already in the delegation."]


def test_delegation_duplicate_organization_without_person_refused_by_full_clean():
    member = DelegationMemberFactory(person=None)
    twin = DelegationMember(mission=member.mission, organization=member.organization)
    assert non_field_messages(twin) == ["This organization is already in the delegation."]


def test_delegation_organization_with_and_without_person_allowed():
    person = PersonFactory()
    member = DelegationMemberFactory(organization=person.organization, person=None)
    other_person = PersonFactory(organization=person.organization)
    for who in (person, other_person):
        row = DelegationMember(mission=member.mission, organization=person.organization, person=who)
        row.full_clean()
        row.save()
    assert member.mission.delegation.count() == 3


def test_delegation_person_of_another_organization_refused_by_clean():
    member = DelegationMemberFactory()
    member.person = PersonFactory()
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        member.full_clean()
    assert excinfo.value.message_dict["person"] == ["The person must belong to the chosen organization."]


# --- Reported figure -----------------------------------------------------------------------


def test_figure_about_neither_mission_nor_agreement_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedFigureFactory(mission=None)
    assert not ReportedFigure.objects.exists()


def test_figure_about_both_mission_and_agreement_refused_by_database():
    figure = ReportedFigureFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedFigure.objects.filter(pk=figure.pk).update(agreement=AgreementFactory())
    figure.refresh_from_db()
    assert figure.agreement_id is None


@pytest.mark.parametrize("about", ["neither", "both"])
def test_figure_about_neither_or_both_refused_by_full_clean(about):
    figure = ReportedFigureFactory()
    if about == "neither":
        figure.mission = None
    else:
        figure.agreement = AgreementFactory()
    assert non_field_messages(figure) == ["A figure is about either a mission or an agreement."]


def test_figure_about_agreement_accepted():
    figure = ReportedFigureFactory(mission=None, agreement=AgreementFactory())
    figure.full_clean()
    assert ReportedFigure.objects.filter(agreement__isnull=False).count() == 1


def test_figure_value_without_currency_refused_by_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedFigureFactory(metric=ReportedFigure.Metric.VALUE, currency="")
    assert not ReportedFigure.objects.exists()


def test_figure_count_with_currency_refused_by_database():
    mission, source = MissionFactory(), SourceFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedFigure.objects.create(
            source=source, mission=mission, metric=ReportedFigure.Metric.CONTRACTS, number=5, currency="RUB"
        )
    assert not ReportedFigure.objects.exists()


@pytest.mark.parametrize(
    ("metric", "currency"), [(ReportedFigure.Metric.VALUE, ""), (ReportedFigure.Metric.MEETINGS, "CNY")]
)
def test_figure_currency_iff_value_refused_by_full_clean(metric, currency):
    figure = ReportedFigureFactory()
    figure.metric, figure.currency = metric, currency
    assert non_field_messages(figure) == ["A value needs a currency; a count has none."]


def test_figure_value_with_currency_accepted():
    figure = ReportedFigureFactory(metric=ReportedFigure.Metric.VALUE, currency="CNY", number=1_500_000)
    figure.full_clean()
    assert ReportedFigure.objects.get(pk=figure.pk).currency == "CNY"


def test_figure_negative_number_refused_by_database():
    figure = ReportedFigureFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportedFigure.objects.filter(pk=figure.pk).update(number=-1)
    figure.refresh_from_db()
    assert figure.number == 50
