"""A ministry's staff member, with no superuser, enters a real inbound visit through the admin.

The visit is the kind the portal's first users could not enter: a delegation of a foreign country's
region comes to the ministry's region. Everything on the partner side (the foreign region, its cities,
its regional executive committee, two companies, a head known only by position) is created on the way;
the programme has days without times; two sources disagree on the delegation; an agreement replaces one
signed "in 2016"; a meeting becomes a project. Every submission is counted and none may fail. Then the
public pages are read as an anonymous visitor and as an official.

The organizations are invented; the regions and the country are the directory's (shipped with the portal).
"""

import datetime

import pytest
from django.contrib.auth.models import Group

from agreements.models import Agreement, CooperationProject
from companies.models import Organization, Person, Place, Region
from companies.roles import OFFICIALS_GROUP
from missions.models import Meeting, Mission, ProgramItem, Source
from tests.factories import MinistryStaffFactory, OrganizationFactory, UserFactory, directory_region

from .test_browser import screenshot

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"
MISSION = "Визит делегации Могилёвской области в Пензенскую область"
OBLISPOLKOM = "Могилёвский областной исполнительный комитет"
HEAD_POSITION = "Заместитель председателя облисполкома"
PLANT = "ОАО «Бобруйский завод тестовых машин»"
POLYMERS = "ЗАО «Могилёвские полимеры-тест»"
SENSORS = "ООО «Пензенские датчики-тест»"
TOPIC = "Поставки датчиков давления для испытательных стендов"
OLD_AGREEMENT = "Соглашение о сотрудничестве между Пензенской областью и Могилёвской областью (2016)"
NEW_AGREEMENT = "Соглашение о торгово-экономическом сотрудничестве между Пензенской и Могилёвской областями"


class Submissions:
    """Every form the staff member sends, and whether it was taken: a failed save comes back as the
    same form with an error note, a taken one leaves the form."""

    def __init__(self):
        self.sent: list[str] = []
        self.failed: list[str] = []

    def submit(self, page, what: str, button: str = "input[name=_save]") -> None:
        form_url = page.url
        with page.expect_navigation():
            page.locator(button).first.click()
        self._record(page, what, form_url)

    def _record(self, page, what: str, form_url: str) -> None:
        self.sent.append(what)
        errors = page.locator(".errornote, .errorlist")
        if errors.count() or page.url == form_url:
            detail = " | ".join(t.strip() for t in errors.all_inner_texts())
            self.failed.append(f"{what}: {detail or 'the form came back'}")
            screenshot(page, f"staff-visit-failed-{len(self.sent)}")


def choose(page, field_id: str, text: str, pick: str | None = None) -> None:
    """Pick a row in an autocomplete (Select2) field by typing part of its name."""
    page.locator(f"#{field_id} ~ .select2").first.click()
    page.locator(".select2-container--open .select2-search__field").last.fill(text)
    option = page.locator(
        ".select2-container--open .select2-results__option:not(.loading-results)", has_text=pick or text
    ).first
    option.click()


@pytest.fixture
def penza(transactional_db, django_db_serialized_rollback):
    """The ministry's own side: its ministry, a staff login, a local company; an official."""
    region = directory_region("58")
    ministry = OrganizationFactory(
        name="Министерство промышленности и торговли Пензенской области (тест)",
        kind=Organization.Kind.GOVERNMENT,
        region=region,
        is_public=True,
    )
    staff = MinistryStaffFactory(username="staff-penza", organization=ministry)
    sensors = OrganizationFactory(name=SENSORS, region=region, is_public=True)
    official = UserFactory(username="official-test")
    official.groups.add(Group.objects.get(name=OFFICIALS_GROUP))
    return {"region": region, "ministry": ministry, "staff": staff, "sensors": sensors, "official": official}


def test_staff_member_enters_an_inbound_visit_with_no_failed_submission(page, watch, penza):
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code="BY")
    sent = Submissions()
    page.goto("/admin/login/")
    page.fill("#id_username", "staff-penza")
    page.fill("#id_password", PASSWORD)
    sent.submit(page, "sign in", button="[type=submit]")

    # The foreign region and two of its cities.
    page.goto("/admin/companies/region/add/")
    page.fill("#id_name", "Могилёвская область")
    page.fill("#id_name_en", "Mogilev Region")
    page.select_option("#id_kind", "foreign_region")
    choose(page, "id_country", "Белар", belarus.name)
    page.fill("#id_time_zone", "Europe/Minsk")
    sent.submit(page, "region")
    for city in ("Могилёв", "Бобруйск"):
        page.goto("/admin/companies/place/add/")
        page.fill("#id_name", city)
        choose(page, "id_region", "Могилёв", "Могилёвская область")
        sent.submit(page, f"place {city}")

    # The regional executive committee with its deputy chairman, known by position only.
    page.goto("/admin/companies/organization/add/")
    page.fill("#id_name", OBLISPOLKOM)
    page.fill("#id_name_original", "Магілёўскі абласны выканаўчы камітэт")
    page.select_option("#id_kind", "government")
    choose(page, "id_region", "Могилёв", "Могилёвская область")
    page.check("#id_is_public")
    page.fill("#id_people-0-position", HEAD_POSITION)
    sent.submit(page, "regional executive committee")

    # Two companies of the delegation.
    for name, original in ((PLANT, "ААТ «Бабруйскі завод тэставых машын»"), (POLYMERS, "ЗАТ «Магілёўскія палімеры»")):
        page.goto("/admin/companies/organization/add/")
        page.fill("#id_name", name)
        page.fill("#id_name_original", original)
        choose(page, "id_region", "Могилёв", "Могилёвская область")
        page.check("#id_is_public")
        sent.submit(page, f"company {name}")

    # The mission, with its delegation, a programme of days without times and a meeting: one submission.
    page.goto("/admin/missions/mission/add/")
    page.fill("#id_title", MISSION)
    choose(page, "id_origin_region", "Могилёв", "Могилёвская область")
    choose(page, "id_destination_regions", "Пенз", "Пензенская область")
    choose(page, "id_organizer", "Могилёвский", OBLISPOLKOM)
    choose(page, "id_head_of_delegation", "председателя", HEAD_POSITION)
    choose(page, "id_places", "Могилёв", "Могилёв")
    choose(page, "id_places", "Бобруйск", "Бобруйск")
    page.fill("#id_start_date", "12.05.2026")
    page.fill("#id_end_date", "13.05.2026")
    page.check("#id_is_public")
    for row, (org, role) in enumerate(((OBLISPOLKOM, "head"), (PLANT, "participant"), (POLYMERS, "participant"))):
        if row:
            page.locator("#delegation-group .add-row a").click()
        choose(page, f"id_delegation-{row}-organization", org[:12], org)
        page.select_option(f"#id_delegation-{row}-role", role)
    choose(page, "id_delegation-0-person", "председателя", HEAD_POSITION)
    programme = (
        ("official_talks", "Переговоры в Правительстве Пензенской области", "12.05.2026"),
        ("forum", "Бизнес-форум «Пенза — Могилёв»", "13.05.2026"),
    )
    for row, (kind, title, day) in enumerate(programme):
        if row:
            page.locator("#program-group .add-row a").click()
        page.select_option(f"#id_program-{row}-kind", kind)
        page.fill(f"#id_program-{row}-title", title)
        page.fill(f"#id_program-{row}-date", day)
    choose(page, "id_meetings-0-organization_a", "Бобруйский", PLANT)
    choose(page, "id_meetings-0-organization_b", "Пензенские", SENSORS)
    page.fill("#id_meetings-0-date", "13.05.2026")
    page.fill("#id_meetings-0-table", "A1")
    page.fill("#id_meetings-0-topic", TOPIC)
    sent.submit(page, "mission")
    mission = Mission.objects.get(title=MISSION)

    # Two sources that disagree on the size of the delegation.
    for title, outlet, companies in (
        ("Могилёвская делегация посетила Пензенскую область", "Могилёвский облисполком", 3),
        ("В Пензе прошёл бизнес-форум с белорусскими предприятиями", "Минпромторг Пензенской области", 5),
    ):
        page.goto("/admin/missions/source/add/")
        page.fill("#id_title", title)
        page.fill("#id_outlet", outlet)
        choose(page, "id_missions", "Могилёвской", MISSION)
        choose(page, "id_figures-0-mission", "Могилёвской", MISSION)
        page.select_option("#id_figures-0-metric", "delegation_companies")
        page.fill("#id_figures-0-number", str(companies))
        sent.submit(page, f"source {outlet}")

    # The 2016 agreement, then the one that replaces it, signed at the visit.
    for title, signed, precision, replaces in (
        (OLD_AGREEMENT, "01.01.2016", "year", None),
        (NEW_AGREEMENT, "13.05.2026", "day", OLD_AGREEMENT),
    ):
        page.goto("/admin/agreements/agreement/add/")
        page.fill("#id_title", title)
        page.select_option("#id_kind", "interagency")
        page.select_option("#id_status", "signed")
        page.fill("#id_signed_on", signed)
        page.select_option("#id_signed_on_precision", precision)
        page.check("#id_is_public")
        if replaces:
            choose(page, "id_supersedes", "2016", replaces)
            choose(page, "id_signed_at_mission", "Могилёвской", MISSION)
        choose(page, "id_parties-0-organization", "Министерство промышленности", penza["ministry"].name)
        page.locator("#parties-group .add-row a").click()
        choose(page, "id_parties-1-organization", "Могилёвский", OBLISPOLKOM)
        sent.submit(page, f"agreement {title[:30]}")

    # The meeting becomes a project in one action.
    meeting = Meeting.objects.get(mission=mission)
    page.goto(f"/admin/missions/meeting/{meeting.pk}/change/")
    sent.submit(page, "project from meeting", button=".object-tools button[type=submit]")

    assert sent.failed == []
    assert len(sent.sent) == 13
    # Select2 cancels the search it no longer needs when the user types on: not a failure.
    watch.problems = [p for p in watch.problems if not ("/admin/autocomplete/" in p and "ERR_ABORTED" in p)]
    watch.check("staff entry")

    # What was entered, as entered.
    head = Person.objects.get(position=HEAD_POSITION)
    assert (head.last_name, head.organization.name) == ("", OBLISPOLKOM)
    assert mission.recorded_by == penza["ministry"] and mission.organizer.name == OBLISPOLKOM
    assert sorted(mission.places.values_list("name", flat=True)) == ["Бобруйск", "Могилёв"]
    assert sorted(mission.delegation.values_list("organization__name", flat=True)) == sorted(
        [OBLISPOLKOM, PLANT, POLYMERS]
    )
    assert list(ProgramItem.objects.filter(mission=mission).values_list("date", "starts_at")) == [
        (datetime.date(2026, 5, 12), None),
        (datetime.date(2026, 5, 13), None),
    ]
    assert Source.objects.filter(missions=mission).count() == 2
    old, new = Agreement.objects.get(title=OLD_AGREEMENT), Agreement.objects.get(title=NEW_AGREEMENT)
    assert (old.status, new.supersedes_id) == (Agreement.Status.SUPERSEDED, old.pk)
    project = CooperationProject.objects.get(origin_meeting=meeting)
    assert project.origin_mission == mission
    assert sorted(project.parties.values_list("organization__name", flat=True)) == sorted([PLANT, SENSORS])
    assert Place.objects.filter(recorded_by=penza["ministry"]).count() == 2

    # The public pages, as an anonymous visitor and as an official (who also sees what is not public).
    page.context.clear_cookies()
    pages = {
        "mission": mission.get_absolute_url(),
        "country": belarus.get_absolute_url(),
        "pair": f"/regions/{penza['region'].slug}/{belarus.slug}/",
        "new agreement": new.get_absolute_url(),
        "old agreement": old.get_absolute_url(),
    }
    anonymous = read_pages(page, pages, "anonymous")
    mission_page = anonymous["mission"]
    assert "Бобруйск (Могилёвская область), Могилёв (Могилёвская область)" in mission_page
    assert f"{HEAD_POSITION}, {OBLISPOLKOM}" in mission_page
    assert "12 мая время не указано\tПереговоры в Правительстве Пензенской области" in mission_page
    assert "00:00" not in mission_page
    assert "3 организации" in mission_page
    assert NEW_AGREEMENT in mission_page
    # Two sources, two claims, one count of the delegation's companies (the committee is no company).
    counted = "компаний в делегации: 2 (всего в делегации 3 организации)"
    assert f"ровно 5\t{counted} на 3 записи меньше, чем заявлено" in mission_page
    assert f"ровно 3\t{counted} на 1 запись меньше, чем заявлено" in mission_page
    # The country rolls up its region: the mission from Mogilev, its organizations, its agreements.
    assert MISSION in anonymous["country"]
    assert "3\nорганизации" in anonymous["country"]
    assert NEW_AGREEMENT in anonymous["country"] and OLD_AGREEMENT in anonymous["country"]
    assert "заменено\nдействие прекращено 13 мая 2026 г." in anonymous["country"]  # not "valid until"
    assert MISSION in anonymous["pair"] and NEW_AGREEMENT in anonymous["pair"]
    assert "Дата подписания\n2016" in anonymous["old agreement"]
    assert "Заменено документом" in anonymous["old agreement"] and NEW_AGREEMENT in anonymous["old agreement"]
    assert f"Подписано на миссии\n{MISSION}" in anonymous["new agreement"]
    assert TOPIC not in mission_page  # the project is not public

    page.goto("/account/login/")
    page.fill("#id_username", "official-test")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main [type=submit]").first.click()
    official = read_pages(page, pages, "official")
    assert TOPIC in official["mission"]
    assert TOPIC in official["pair"] and TOPIC in official["country"]
    for name in ("mission", "country", "pair", "new agreement", "old agreement"):
        assert MISSION in official[name] or NEW_AGREEMENT in official[name], name
    watch.check("public pages")


WIDTHS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def read_pages(page, pages: dict[str, str], who: str) -> dict[str, str]:
    """The text of each page's main part, as the browser renders it at a laptop's width; each page is
    also looked at on a phone, where it must not scroll sideways. Screenshots of both widths."""
    texts, too_wide = {}, []
    for width, viewport in WIDTHS.items():
        page.set_viewport_size(viewport)
        for name, url in pages.items():
            page.goto(url)
            if width == "laptop":
                texts[name] = page.locator("main").inner_text()
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > viewport["width"]:
                too_wide.append(f"{name} at {viewport['width']} px: {scroll} px wide")
            screenshot(page, f"staff-visit-{who}-{width}-{name.replace(' ', '-')}")
    assert too_wide == []
    return texts
