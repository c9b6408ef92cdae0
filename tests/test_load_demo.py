"""`manage.py load_demo`: the five press releases as rows, loaded once, whatever the number of runs."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.utils import timezone

from agreements.models import Agreement, CooperationProject, PlanItem, ProjectUpdate
from companies.models import Organization, Region
from config.portal.demo import data
from config.portal.management.commands.load_demo import DEMO_PASSWORD
from missions.models import Meeting, Mission, ReportedFigure, Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug(settings):
    # The published demo password is accepted only on a developer's machine.
    settings.DEBUG = True
    return settings


def load_demo(**options) -> str:
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(debug):
    return load_demo()


def _can_log_in(username: str, password: str) -> bool:
    """Whether the authentication backends (django-axes among them, which needs a request) accept it."""
    return authenticate(RequestFactory().post("/admin/login/"), username=username, password=password) is not None


def row_counts() -> dict[str, int]:
    """Rows of every model of the portal's apps, their history tables included, and of users."""
    models = [model for label in settings.PORTAL_APPS for model in apps.get_app_config(label).get_models()]
    models.append(get_user_model())
    return {model._meta.label: model.objects.count() for model in models}


def test_load_demo_twice_changes_no_row_count(debug):
    load_demo()
    first = row_counts()
    second_output = load_demo()

    assert row_counts() == first
    assert "(0 new)" in second_output and "new)" in second_output
    assert all(f"({n} new)" not in second_output for n in range(1, 100))
    # The history tables are among the counted ones, and they hold rows from the first load.
    assert first["missions.HistoricalMission"] >= 7
    assert first["agreements.HistoricalAgreement"] >= 5
    assert first["companies.HistoricalOrganization"] == first["companies.Organization"] == len(data.ORGANIZATIONS)
    assert first["agreements.ProjectUpdate"] == first["agreements.CooperationProject"] == 4


def test_load_demo_prints_summary_and_login(demo):
    assert "missions: 8 (8 new)" in demo
    assert "Demo login: http://127.0.0.1:8000/admin/  user: demo  password: demo-portal-2026" in demo


def test_load_demo_samara_mission_goes_to_five_new_regions_with_diakon(demo):
    mission = Mission.objects.get(slug="samara-new-territories-2025")

    assert mission.origin_region.code == "63"
    assert sorted(mission.destination_regions.values_list("code", flat=True)) == ["80", "81", "82", "84", "85"]
    assert mission.organizer.name == "Министерство промышленности и торговли Самарской области"
    assert (mission.start_date, mission.end_date) == (None, None)
    assert mission.status == Mission.Status.COMPLETED
    diakon = mission.delegation.get(organization__slug="diakon")
    assert (diakon.organization.short_name, diakon.organization.legal_form) == ("АО «ДИАКОН»", "ao")
    assert diakon.person.last_name == "Руднев"
    assert "анализаторы" in diakon.organization.products.lower()
    assert Organization.objects.get(slug="zavod-zhbi-8").legal_form == Organization.LegalForm.ZAO
    assert Organization.objects.get(slug="zavod-prodmash").legal_form == Organization.LegalForm.OAO
    assert Organization.objects.get(slug="tk-universal").legal_form == ""
    assert mission.delegation.filter(role="participant").count() == 8
    source = mission.sources.get()
    assert source.published_on == datetime.date(2025, 9, 17)
    meeting = mission.meetings.get()
    assert {meeting.organization_a.region.code, meeting.organization_b.region.code} == {"63", "84"}
    assert meeting.people.get().last_name == "Лысенко"


def test_load_demo_ulyanovsk_tula_agreement_between_both_governments(demo):
    agreement = Agreement.objects.get(slug="ulyanovsk-tula-cooperation")

    assert set(agreement.parties.values_list("organization__name", flat=True)) == {
        "Правительство Ульяновской области",
        "Правительство Тульской области",
    }
    assert set(agreement.spheres.values_list("slug", flat=True)) == {
        "ekonomika",
        "kultura",
        "obrazovanie",
        "investitsii",
    }
    assert set(agreement.signatories.values_list("person__last_name", flat=True)) == {"Русских", "Миляев"}
    assert agreement.signed_at_mission.slug == "ulyanovsk-tula"
    # Signed by both governors, says the text, without a date: signed, date unknown, hence in force.
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.IN_FORCE, None)
    assert Region.objects.get(code="73").profile.startswith("Сильный индустриальный регион ПФО")
    assert Region.objects.get(code="71").profile == "Сильный регион Центрального федерального округа."


def test_load_demo_chelyabinsk_return_mission_answers_the_2023_visit(demo):
    earlier = Mission.objects.get(slug="ulyanovsk-chelyabinsk-2023")
    mission = Mission.objects.get(slug="chelyabinsk-ulyanovsk-return")

    assert mission.reciprocal_of == earlier
    assert mission.head_of_delegation.full_name == "Алексей Леонидович Текслер"
    contracts = ReportedFigure.objects.get(mission=earlier, metric=ReportedFigure.Metric.CONTRACTS)
    assert (contracts.qualifier, contracts.number) == (ReportedFigure.Qualifier.MORE_THAN, Decimal(50))
    assert "более 50 новых контрактов" in contracts.quote
    assert set(contracts.source.missions.all()) == {earlier, mission}
    companies = mission.figures.get(metric=ReportedFigure.Metric.DELEGATION_COMPANIES)
    assert (companies.qualifier, companies.number) == (ReportedFigure.Qualifier.MORE_THAN, Decimal(20))
    signed_here = {a.slug: a for a in mission.agreements.all()}
    assert set(signed_here) == {"soyuzmash-ulyanovsk-chelyabinsk", "chelyabinsk-frp-ulyanovsk-ffpp"}
    assert all(a.kind == Agreement.Kind.INSTITUTIONAL and a.signed_on for a in signed_here.values())
    fund = Organization.objects.get(slug="ulyanovsk-industry-finance-fund")
    assert fund.legal_form == Organization.LegalForm.MKK
    meeting = mission.meetings.get()
    assert {meeting.organization_a.slug, meeting.organization_b.slug} == {
        "ulyanovsk-industry-competence-centre",
        "metran-management",
    }
    assert (meeting.status, meeting.outcome) == (Meeting.Status.HELD, Meeting.Outcome.NEGOTIATION_STARTED)


def test_load_demo_chelyabinsk_projects_have_parties_stages_and_history(demo):
    stages = dict(CooperationProject.objects.values_list("slug", "stage"))
    assert stages == {
        "midaus-alfapascal-pressure-sensors": "in_implementation",
        "alfapascal-midaus-deadweight-testers": "in_implementation",
        "avtokomponent-ural-drive-shafts": "proposal",
        "competence-centre-metran-measuring-instruments": "negotiation",
    }
    sensors = CooperationProject.objects.get(slug="midaus-alfapascal-pressure-sensors")
    assert dict(sensors.parties.values_list("organization__slug", "role")) == {
        "midaus": "supplier",
        "alfapascal": "customer",
    }
    assert sensors.resulting_agreement.kind == Agreement.Kind.CONTRACT
    # The demo staff login of the Ulyanovsk competence centre curates them; the follow-up clock starts
    # at the last news the texts give (the return mission), not when the data was loaded.
    assert sensors.curator.username == "staff-ulyanovsk"
    assert timezone.localtime(sensors.last_activity_at).date() == datetime.date(2024, 2, 3)
    shafts = CooperationProject.objects.get(slug="avtokomponent-ural-drive-shafts")
    assert dict(shafts.parties.values_list("organization__slug", "role")) == {
        "avtokomponent": "supplier",
        "avtozavod-ural": "customer",
    }
    metran = CooperationProject.objects.get(slug="competence-centre-metran-measuring-instruments")
    assert metran.origin_meeting.mission.slug == "chelyabinsk-ulyanovsk-return"
    assert metran.origin_mission == metran.origin_meeting.mission
    assert ProjectUpdate.objects.filter(stage_to__gt="").count() == 4
    ural = Organization.objects.get(slug="avtozavod-ural")
    assert ural.region.code == "74"
    assert Organization.objects.get(slug="midaus").region.code == "73"
    assert Organization.objects.get(slug="alfapascal").region.code == "74"


def test_load_demo_mordovia_round_table_figures_and_companies(demo):
    round_table = Mission.objects.get(slug="ulyanovsk-mordovia-round-table")

    assert round_table.reciprocal_of.slug == "ulyanovsk-mordovia-saransk"
    projects = round_table.figures.get(metric=ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION)
    assert (projects.qualifier, projects.number) == (ReportedFigure.Qualifier.EXACTLY, Decimal(25))
    presented = round_table.figures.get(metric=ReportedFigure.Metric.COMPANIES_PRESENTED)
    assert (presented.qualifier, presented.number) == (ReportedFigure.Qualifier.MORE_THAN, Decimal(30))
    assert projects.source.outlet == "Новости Ульяновска 73"
    rezinotekhnika = Organization.objects.get(short_name="АО «Резинотехника»")
    assert (rezinotekhnika.region.code, rezinotekhnika.legal_form) == ("13", "ao")
    assert round_table.delegation.filter(organization=rezinotekhnika).exists()
    drobzhev = round_table.delegation.get(organization__slug="rm-rail").person
    assert drobzhev.position == "Директор по техническому развитию УК «РМ Рейл»"
    assert "9 ноября" in round_table.purpose and round_table.start_date is None


def test_load_demo_yugra_mission_delegation_forum_and_plan(demo):
    mission = Mission.objects.get(slug="chelyabinsk-yugra-utro")

    assert mission.framework_event == "Форум «Утро»"
    assert list(mission.destination_regions.values_list("code", flat=True)) == ["86"]
    companies = mission.delegation.filter(role="participant").select_related("organization__region")
    assert companies.count() == 12
    assert {member.organization.region.code for member in companies} == {"74"}
    assert companies.filter(organization__slug="avtozavod-ural").exists()
    plan = mission.agreements.get()
    assert "2022–2024" in plan.title
    assert (plan.valid_from, plan.valid_until) == (datetime.date(2022, 1, 1), datetime.date(2024, 12, 31))
    assert set(plan.signatories.values_list("person__last_name", flat=True)) == {"Текслер", "Комарова"}
    items = plan.plan_items.all()
    assert items.count() == 5
    assert {item.due_date for item in items} == {datetime.date(2024, 12, 31)}
    assert {item.status for item in items} == {PlanItem.Status.PLANNED}
    assert any("авиасообщения" in item.action for item in items)


def test_load_demo_invents_no_registry_numbers_and_publishes_everything(demo):
    orgs = Organization.objects.filter(slug__in=[row["slug"] for row in data.ORGANIZATIONS])

    assert orgs.count() == len(data.ORGANIZATIONS)
    assert not orgs.exclude(inn="").exists() and not orgs.exclude(ogrn="").exists()
    assert not orgs.filter(is_public=False).exists()
    assert not Mission.objects.filter(is_public=False).exists()
    assert not Agreement.objects.filter(is_public=False).exists()
    assert not CooperationProject.objects.filter(is_public=False).exists()
    assert Source.objects.filter(url="").count() == Source.objects.count() == 5


def test_load_demo_login_works(demo):
    user = get_user_model().objects.get(username="demo")

    assert user.is_staff and user.is_superuser
    assert _can_log_in("demo", DEMO_PASSWORD)


def test_load_demo_password_from_environment_works_without_debug(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-secret-for-the-demo")

    output = load_demo()

    assert "password: another-secret-for-the-demo" in output
    assert _can_log_in("demo", "another-secret-for-the-demo")
    assert not _can_log_in("demo", DEMO_PASSWORD)


def test_load_demo_refuses_published_password_without_debug(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        load_demo()

    assert not get_user_model().objects.filter(username="demo").exists()
    assert not Mission.objects.exists()


def test_load_demo_without_login_loads_data_only(monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)

    output = load_demo(no_login=True)

    assert Mission.objects.count() == 8
    assert "Demo login" not in output
    assert not get_user_model().objects.filter(username="demo").exists()


def test_load_demo_keeps_staff_edits_to_region_profiles(debug):
    Region.objects.filter(code="74").update(profile="Текст сотрудника")

    load_demo()

    assert Region.objects.get(code="74").profile == "Текст сотрудника"
    assert Region.objects.get(code="74").key_sectors.filter(slug="avtokomponenty").exists()


def test_load_demo_is_one_transaction(debug, monkeypatch):
    broken = [{**data.PROJECTS[0], "parties": [("midaus", "supplier")]}]  # one party: the service refuses
    monkeypatch.setattr(data, "PROJECTS", broken)

    with pytest.raises(CommandError):
        load_demo()

    assert not Mission.objects.exists()
    assert not Organization.objects.filter(slug="midaus").exists()
    assert not get_user_model().objects.filter(username="demo").exists()


def test_load_demo_dates_missions_only_where_the_year_follows_from_the_text(demo):
    dated = dict(
        Mission.objects.filter(start_date__isnull=False)
        .exclude(slug=data.PLANNED_MISSION["slug"])  # the demo's planned mission: dated from the day it is loaded
        .values_list("slug", "start_date")
    )
    assert dated == {
        "chelyabinsk-ulyanovsk-return": datetime.date(2024, 2, 3),
        "chelyabinsk-yugra-utro": datetime.date(2022, 8, 9),
    }


def test_load_demo_makes_one_login_of_each_role(demo):
    from companies import roles

    users = {user.username: user for user in get_user_model().objects.filter(username__in=[
        "staff-ulyanovsk", "staff-chelyabinsk", "official", "company-midaus", "company-alfapascal",
    ])}  # fmt: skip

    assert set(users) == {"staff-ulyanovsk", "staff-chelyabinsk", "official", "company-midaus", "company-alfapascal"}
    for username, user in users.items():
        assert f"user: {username}  password: {DEMO_PASSWORD}" in demo
        assert not user.is_superuser
        assert _can_log_in(username, DEMO_PASSWORD)
    for username in ("staff-ulyanovsk", "staff-chelyabinsk"):
        assert users[username].is_staff
        assert users[username].groups.filter(name=roles.STAFF_GROUP).exists()
        assert roles.can_edit(users[username])
    assert roles.user_organization(users["staff-ulyanovsk"]).slug == "ulyanovsk-industry-competence-centre"
    assert roles.user_organization(users["staff-chelyabinsk"]).slug == "chelyabinsk-government"
    assert roles.is_official(users["official"])
    assert roles.user_organization(users["official"]) is None
    assert roles.is_company_representative(users["company-midaus"])
    assert roles.user_organization(users["company-midaus"]).slug == "midaus"
    assert roles.user_organization(users["company-alfapascal"]).slug == "alfapascal"


def test_load_demo_login_people_are_placeholders_in_no_record(demo):
    from agreements.models import Signatory
    from companies.models import Person
    from missions.models import DelegationMember

    people = Person.objects.filter(user__username__in=[row[0] for row in data.DEMO_LOGINS])

    assert people.count() == 6
    assert set(people.values_list("last_name", flat=True)) == {"Демо"}
    assert not DelegationMember.objects.filter(person__in=people).exists()
    assert not Signatory.objects.filter(person__in=people).exists()
    assert not Meeting.objects.filter(people__in=people).exists()


def test_load_demo_plans_one_mission_open_for_meeting_requests(demo):
    from partners.selectors import mission_participants, missions_open_for_requests

    mission = Mission.objects.get(slug="ulyanovsk-chelyabinsk-b2b-demo")
    session = mission.program.get()
    zone = mission.venue_zone

    assert list(missions_open_for_requests().values_list("slug", flat=True)) == ["ulyanovsk-chelyabinsk-b2b-demo"]
    assert mission.start_date == timezone.localdate() + datetime.timedelta(days=45)
    assert sorted(mission_participants(mission).values_list("slug", flat=True)) == [
        "alfapascal", "avtokomponent", "avtozavod-ural", "chkpz", "midaus", "ukbp",
    ]  # fmt: skip
    window = session.starts_at.astimezone(zone).strftime("%H:%M"), session.ends_at.astimezone(zone).strftime("%H:%M")
    assert (session.kind, *window) == ("b2b", "10:00", "13:00")
    assert f"user: company-chkpz  password: {DEMO_PASSWORD}" in demo
    assert f"user: company-ukbp  password: {DEMO_PASSWORD}" in demo


def test_load_demo_configures_the_planned_missions_b2b_session_for_the_builder(demo):
    from partners.scheduling.services import schedule_build, session_may_schedule, session_slot_times

    session = Mission.objects.get(slug="ulyanovsk-chelyabinsk-b2b-demo").program.get().b2b_session
    staff = get_user_model().objects.get(username="staff-ulyanovsk")
    slots = [slot.label for slot in session_slot_times(session)]

    assert (session.starts.isoformat(), session.ends.isoformat(), session.slot_minutes) == ("10:00:00", "13:00:00", 20)
    assert [(b.starts.isoformat(), b.ends.isoformat()) for b in session.breaks.all()] == [("11:20:00", "11:40:00")]
    assert list(session.tables.order_by("number").values_list("number", "seats")) == [(1, 2), (2, 2), (3, 2), (4, 2)]
    assert slots == [
        "10:00–10:20", "10:20–10:40", "10:40–11:00", "11:00–11:20",
        "11:40–12:00", "12:00–12:20", "12:20–12:40", "12:40–13:00",
    ]  # fmt: skip
    assert session_may_schedule(staff, session)
    assert not session_may_schedule(get_user_model().objects.get(username="staff-chelyabinsk"), session)
    plan = schedule_build(session=session, by=staff)
    assert (plan.placements, plan.unplaced) == ([], [])


def test_load_demo_staff_login_edits_its_own_mission_only(demo):
    from companies import roles

    staff = get_user_model().objects.get(username="staff-chelyabinsk")
    own = Mission.objects.filter(organizer__slug="chelyabinsk-government")
    foreign = Mission.objects.exclude(organizer__slug="chelyabinsk-government")

    assert foreign.exists()
    assert all(roles.can_edit(staff, mission) for mission in own)
    assert not any(roles.can_edit(staff, mission) for mission in foreign)


def test_demo_missions_carry_the_cities_their_sources_name(demo):
    tula = Mission.objects.get(slug="ulyanovsk-tula")
    saransk = Mission.objects.get(slug="ulyanovsk-mordovia-saransk")

    assert [(p.name, p.region.code) for p in tula.places.all()] == [("Тула", "71")]
    assert [(p.name, p.region.code) for p in saransk.places.all()] == [("Саранск", "13")]
    site_visit = tula.program.get(kind="site_visit")
    assert (site_visit.venue, site_visit.place.name) == ("Тула", "Тула")
    assert list(tula.program.exclude(kind="site_visit").values_list("place", flat=True)) == [None, None]
