"""Entering a mission through the admin as a ministry's staff member: the mission with its delegation,
programme and meetings in one submission, the ministry keeping the record, places, days without times
in the venue's zone, and every refusal shown on the field or row it concerns."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils.html import escape

from companies.models import Organization, Person
from companies.roles import can_edit
from missions.models import DelegationMember, Meeting, Mission, ProgramItem
from tests import factories as f
from tests.missions.conftest import make_place
from tests.test_admin import _form_errors, _submit, _url

pytestmark = pytest.mark.django_db

TASHKENT = ZoneInfo("Asia/Tashkent")


def _row_errors(response, model) -> dict[str, dict[str, list[str]]]:
    """The messages on an inline's rows that have errors, by row prefix and field."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return {
                form.prefix: {field: [str(m) for m in errors] for field, errors in form.errors.items()}
                for form in inline.formset.forms
                if form.errors
            }
    raise AssertionError(f"no inline of {model.__name__} on the page")


def _mission_fields(partner, ministry, **changes) -> dict:
    return {
        "title": "Визит делегации Ульяновской области в Дальстан",
        "origin_region": f.directory_region("73").pk,
        "destination_regions": [partner.country.pk],
        "organizer": ministry.pk,
        "recorded_by": ministry.pk,
        "start_date": "2025-05-12",
        "end_date": "2025-05-14",
        **changes,
    }


def _rows(prefix: str, rows: list[dict]) -> dict:
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows))}
    for i, row in enumerate(rows):
        data |= {f"{prefix}-{i}-{name}": value for name, value in row.items()}
    return data


@pytest.fixture
def head_by_position(partner):
    return Person.objects.create(
        organization=partner.government,
        position="заместитель председателя правительства — министр промышленности",
    )


# --- One submission --------------------------------------------------------------------------


def test_new_mission_with_delegation_programme_and_meetings_saves_in_one_submission(
    ulyanovsk_client, ulyanovsk_ministry, partner
):
    plant = f.OrganizationFactory(name="Завод «Волга»", region=f.directory_region("73"))
    host = f.OrganizationFactory(name="Dalstan Textile", region=partner.north)
    head = f.PersonFactory(organization=ulyanovsk_ministry, last_name="Петров", position="министр")
    changes = _mission_fields(partner, ulyanovsk_ministry, places=[partner.capital.pk, partner.north_city.pk])
    changes["head_of_delegation"] = head.pk
    changes |= _rows(
        "delegation",
        [
            {"organization": ulyanovsk_ministry.pk, "person": head.pk, "role": "head"},
            {"organization": plant.pk, "role": "participant"},
        ],
    )
    changes |= _rows(
        "program",
        [
            {"kind": "round_table", "title": "Деловой форум", "date": "2025-05-12", "place": partner.capital.pk},
            {
                "kind": "site_visit",
                "title": "Посещение текстильной фабрики",
                "date": "2025-05-13",
                "start_time": "10:00",
                "end_time": "12:30",
                "place": partner.north_city.pk,
                "host": host.pk,
            },
        ],
    )
    changes |= _rows(
        "meetings",
        [
            {
                "organization_a": plant.pk,
                "organization_b": host.pk,
                "date": "2025-05-12",
                "start_time": "15:00",
                "end_time": "15:30",
                "table": "A1",
                "status": "scheduled",
            }
        ],
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 302, _form_errors(response)
    mission = Mission.objects.get()
    assert (mission.organizer, mission.recorded_by) == (ulyanovsk_ministry, ulyanovsk_ministry)
    assert sorted(p.name for p in mission.places.all()) == ["Даль-Сити", "Северград"]
    assert sorted((m.organization.name, m.role) for m in mission.delegation.all()) == [
        ("Завод «Волга»", "participant"),
        ("Министерство промышленности Ульяновской области", "head"),
    ]
    forum, visit = mission.program.order_by("date")
    assert (forum.date, forum.starts_at, forum.ends_at) == (datetime.date(2025, 5, 12), None, None)
    # Ten o'clock in Tashkent (UTC+5) is five o'clock UTC.
    assert visit.starts_at == datetime.datetime(2025, 5, 13, 5, 0, tzinfo=datetime.UTC)
    assert visit.ends_at == datetime.datetime(2025, 5, 13, 7, 30, tzinfo=datetime.UTC)
    meeting = mission.meetings.get()
    assert (meeting.date, meeting.table) == (datetime.date(2025, 5, 12), "A1")
    assert meeting.starts_at == datetime.datetime(2025, 5, 12, 15, 0, tzinfo=TASHKENT)


def test_meeting_change_page_shows_its_times_in_the_venue_zone(ulyanovsk_client, ulyanovsk_ministry, partner):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    meeting = f.MeetingFactory(
        mission=mission,
        starts_at=datetime.datetime(2025, 5, 12, 15, 0, tzinfo=TASHKENT),
        ends_at=datetime.datetime(2025, 5, 12, 15, 30, tzinfo=TASHKENT),
    )

    form = ulyanovsk_client.get(_url(Meeting, "change", meeting.pk)).context["adminform"].form

    assert (form["date"].value(), form["start_time"].value(), form["end_time"].value()) == (
        datetime.date(2025, 5, 12),
        datetime.time(15, 0),
        datetime.time(15, 30),
    )


def test_programme_item_with_a_date_and_no_time_is_saved_on_its_page(ulyanovsk_client, ulyanovsk_ministry, partner):
    mission = f.MissionFactory(organizer=ulyanovsk_ministry, destination_regions=[partner.country])
    changes = {"mission": mission.pk, "kind": "round_table", "title": "Круглый стол", "date": "2025-05-13"}

    response = _submit(ulyanovsk_client, _url(ProgramItem, "add"), changes)

    assert response.status_code == 302, _form_errors(response)
    item = ProgramItem.objects.get()
    assert (item.date, item.starts_at) == (datetime.date(2025, 5, 13), None)


# --- Every refusal on its field or row -------------------------------------------------------


def test_delegation_rows_that_repeat_an_organization_refused_on_the_second_row(
    ulyanovsk_client, ulyanovsk_ministry, partner
):
    plant = f.OrganizationFactory(region=f.directory_region("73"))
    changes = _mission_fields(partner, ulyanovsk_ministry) | _rows(
        "delegation", [{"organization": plant.pk, "role": "participant"}, {"organization": plant.pk, "role": "expert"}]
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 200
    assert _row_errors(response, DelegationMember) == {
        "delegation-1": {"__all__": ["Эта организация уже включена в делегацию."]}
    }
    assert escape("Эта организация уже включена в делегацию.") in response.content.decode()
    assert not Mission.objects.exists()


def test_delegation_row_with_a_person_of_another_organization_refused_on_its_row(
    ulyanovsk_client, ulyanovsk_ministry, partner
):
    plant = f.OrganizationFactory(region=f.directory_region("73"))
    stranger = f.PersonFactory(organization=partner.government)
    changes = _mission_fields(partner, ulyanovsk_ministry) | _rows(
        "delegation", [{"organization": plant.pk, "person": stranger.pk, "role": "participant"}]
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert _row_errors(response, DelegationMember) == {
        "delegation-0": {"person": ["Представитель должен относиться к выбранной организации."]}
    }
    assert not Mission.objects.exists()


def test_two_new_meetings_at_one_table_refused_on_the_second_row(ulyanovsk_client, ulyanovsk_ministry, partner):
    a, b, c, d = (f.OrganizationFactory(region=f.directory_region("73")) for _ in range(4))
    meeting = {"date": "2025-05-12", "start_time": "10:00", "end_time": "10:30", "table": "A1", "status": "scheduled"}
    changes = _mission_fields(partner, ulyanovsk_ministry) | _rows(
        "meetings",
        [
            {**meeting, "organization_a": a.pk, "organization_b": b.pk},
            {**meeting, "organization_a": c.pk, "organization_b": d.pk, "start_time": "10:15", "end_time": "10:45"},
        ],
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 200
    errors = _row_errors(response, Meeting)
    assert list(errors) == ["meetings-1"]
    assert errors["meetings-1"]["table"] == [f"Стол A1 уже занят с 12.05.2025 10:00 до 10:30: встреча {a} — {b}."]
    assert not Mission.objects.exists()
    assert not Meeting.objects.exists()


def test_programme_place_outside_the_route_refused_on_its_row(ulyanovsk_client, ulyanovsk_ministry, partner):
    kazan = make_place("Казань", f.directory_region("16"), "kazan")
    changes = _mission_fields(partner, ulyanovsk_ministry) | _rows(
        "program", [{"kind": "round_table", "title": "Стол в Казани", "date": "2025-05-12", "place": kazan.pk}]
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert _row_errors(response, ProgramItem) == {
        "program-0": {
            "place": [
                "Казань находится в регионе «Республика Татарстан (Татарстан)», а он не регион отправления и не "
                "регион назначения миссии: добавьте этот регион или его страну в регионы назначения или выберите "
                "другое место."
            ]
        }
    }
    assert not Mission.objects.exists()


def test_programme_time_without_a_date_refused_on_its_row(ulyanovsk_client, ulyanovsk_ministry, partner):
    changes = _mission_fields(partner, ulyanovsk_ministry) | _rows(
        "program", [{"kind": "round_table", "title": "Круглый стол", "start_time": "10:00"}]
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert _row_errors(response, ProgramItem) == {"program-0": {"date": ["Укажите дату, к которой относится время."]}}
    assert not Mission.objects.exists()


def test_mission_place_outside_the_route_refused_on_the_places_field(ulyanovsk_client, ulyanovsk_ministry, partner):
    changes = _mission_fields(partner, ulyanovsk_ministry, destination_regions=[partner.north.pk])
    changes["places"] = [partner.east_city.pk]

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert _form_errors(response) == {"places": {"place_outside_route"}}
    assert not Mission.objects.exists()


def test_delegation_of_a_mission_entered_as_cancelled_refused_on_its_row(ulyanovsk_client, ulyanovsk_ministry, partner):
    plant = f.OrganizationFactory(region=f.directory_region("73"))
    changes = _mission_fields(partner, ulyanovsk_ministry, status="cancelled") | _rows(
        "delegation", [{"organization": plant.pk, "role": "participant"}]
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert _row_errors(response, DelegationMember) == {
        "delegation-0": {"__all__": ["Миссия отменена: состав делегации изменить нельзя."]}
    }
    assert not Mission.objects.exists()


def test_new_meeting_recorded_as_held_in_the_future_refused_on_its_row(ulyanovsk_client, ulyanovsk_ministry, partner):
    a, b = (f.OrganizationFactory(region=f.directory_region("73")) for _ in range(2))
    changes = _mission_fields(partner, ulyanovsk_ministry, start_date="2099-05-12", end_date="2099-05-13") | _rows(
        "meetings",
        [
            {
                "organization_a": a.pk,
                "organization_b": b.pk,
                "date": "2099-05-12",
                "start_time": "10:00",
                "end_time": "10:30",
                "status": "held",
            }
        ],
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert _row_errors(response, Meeting) == {
        "meetings-0": {"__all__": ["Встречу нельзя отметить как проведённую до её начала."]}
    }
    assert not Mission.objects.exists()


def test_meeting_end_before_its_start_refused_on_its_row(ulyanovsk_client, ulyanovsk_ministry, partner):
    a, b = (f.OrganizationFactory(region=f.directory_region("73")) for _ in range(2))
    changes = _mission_fields(partner, ulyanovsk_ministry) | _rows(
        "meetings",
        [
            {
                "organization_a": a.pk,
                "organization_b": b.pk,
                "date": "2025-05-12",
                "start_time": "11:00",
                "end_time": "10:00",
            }
        ],
    )

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    errors = _row_errors(response, Meeting)
    assert list(errors) == ["meetings-0"] and list(errors["meetings-0"]) == ["__all__"]
    assert len(errors["meetings-0"]["__all__"]) == 1
    assert not Mission.objects.exists()


# --- Who organized it, who keeps the record ---------------------------------------------------


def test_inbound_visit_organized_by_the_partner_is_recorded_by_the_host(
    ulyanovsk_client, ulyanovsk_ministry, ulyanovsk_staff, partner
):
    changes = {
        "title": "Визит делегации Дальстана в Ульяновскую область",
        "origin_region": partner.country.pk,
        "destination_regions": [f.directory_region("73").pk],
        "organizer": partner.government.pk,
    }

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 302, _form_errors(response)
    mission = Mission.objects.get()
    assert (mission.organizer, mission.recorded_by) == (partner.government, ulyanovsk_ministry)
    assert can_edit(ulyanovsk_staff, mission) is True


def test_mission_between_two_other_regions_refused_on_the_recording_ministry(
    ulyanovsk_client, ulyanovsk_ministry, partner
):
    changes = {
        "title": "Миссия Челябинска в Татарстан",
        "origin_region": f.directory_region("74").pk,
        "destination_regions": [f.directory_region("16").pk],
        "organizer": f.MinistryFactory(region=f.directory_region("74")).pk,
        "recorded_by": ulyanovsk_ministry.pk,
    }

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["recorded_by"] == [
        "«Министерство промышленности Ульяновской области» не может вести запись этой миссии: регион "
        "организации (Ульяновская область) — не регион отправления и не регион назначения миссии. Запись ведёт "
        "министерство региона, откуда выезжает делегация, или региона, который она посещает."
    ]
    assert not Mission.objects.exists()


def test_mission_recorded_by_another_ministry_is_read_only_even_when_organized_by_staff(
    ulyanovsk_client, ulyanovsk_ministry, ulyanovsk_staff
):
    chelyabinsk = f.MinistryFactory(region=f.directory_region("74"))
    mission = f.MissionFactory(
        organizer=ulyanovsk_ministry,
        recorded_by=chelyabinsk,
        origin_region=f.directory_region("74"),
        destination_regions=[f.directory_region("73")],
        title="Визит челябинской делегации",
    )
    url = _url(Mission, "change", mission.pk)

    page = ulyanovsk_client.get(url)
    refused = ulyanovsk_client.post(url, {"title": "Чужая правка"})

    assert page.context["has_change_permission"] is False
    assert refused.status_code == 403
    mission.refresh_from_db()
    assert mission.title == "Визит челябинской делегации"
    assert can_edit(ulyanovsk_staff, f.MeetingFactory(mission=mission)) is False


def test_recording_ministry_offered_to_staff_is_their_own_only(ulyanovsk_client, ulyanovsk_ministry, partner):
    form = ulyanovsk_client.get(_url(Mission, "add")).context["adminform"].form

    assert list(form.fields["recorded_by"].queryset) == [ulyanovsk_ministry]
    assert form.initial["recorded_by"] == ulyanovsk_ministry.pk
    assert partner.government in Organization.objects.filter(pk__in=form.fields["organizer"].queryset.values("pk"))


# --- A head known by position ------------------------------------------------------------------


def test_head_known_by_position_is_chosen_and_shown_on_the_mission_page(
    ulyanovsk_client, ulyanovsk_ministry, partner, head_by_position
):
    changes = {
        "title": "Визит делегации Дальстана",
        "origin_region": partner.country.pk,
        "destination_regions": [f.directory_region("73").pk],
        "organizer": partner.government.pk,
        "head_of_delegation": head_by_position.pk,
        "is_public": "on",
    }

    response = _submit(ulyanovsk_client, _url(Mission, "add"), changes)

    assert response.status_code == 302, _form_errors(response)
    mission = Mission.objects.get()
    change = ulyanovsk_client.get(_url(Mission, "change", mission.pk)).content.decode()
    assert escape("заместитель председателя правительства — министр промышленности") in change
    page = ulyanovsk_client.get(mission.get_absolute_url()).content.decode()
    assert (
        '<dd class="head">заместитель председателя правительства — министр промышленности, '
        "Правительство Республики Дальстан</dd>"
    ) in page


def test_mission_recorded_before_the_rule_keeps_taking_edits_that_leave_its_route_alone(
    ulyanovsk_client, ulyanovsk_ministry
):
    """A mission saved between two other regions before the rule existed: its title may still be
    corrected; a change of its route is refused until the record is in the right hands."""
    mission = f.MissionFactory(
        organizer=ulyanovsk_ministry,
        origin_region=f.directory_region("74"),
        destination_regions=[f.directory_region("16")],
        title="Старая запись",
    )
    url = _url(Mission, "change", mission.pk)

    renamed = _submit(ulyanovsk_client, url, {"title": "Старая запись, исправлено"})
    rerouted = _submit(ulyanovsk_client, url, {"destination_regions": [f.directory_region("02").pk]})

    assert renamed.status_code == 302
    assert _form_errors(rerouted) == {"recorded_by": {"recorder_not_party"}}
    mission.refresh_from_db()
    assert mission.title == "Старая запись, исправлено"
    assert list(mission.destination_regions.values_list("code", flat=True)) == ["16"]
