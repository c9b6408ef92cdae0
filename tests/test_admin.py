"""The staff admin: every page opens, every changelist runs a constant number of queries, and the
services' refusals reach the user as form errors or messages while nothing is saved past them."""

import datetime
import io
import itertools
from html.parser import HTMLParser

import factory
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from agreements.followup.policy import reminder_policy_get
from agreements.models import Agreement, CooperationProject, PlanItem, ProjectParty, ProjectUpdate
from companies.api_tokens import api_token_create
from companies.exceptions import PortalError
from companies.models import Organization, ProfileChange, Region, SearchSynonym
from missions.models import Meeting, Mission
from partners.models import B2BSession, HostParticipant, MeetingRequest
from tests import factories as f
from tests.missions.test_transitions import MISSION_MOVES
from tests.missions.test_transitions import PAIRS as MISSION_PAIRS

# django-axes' own admin (sign-in attempts and lockouts) is its authors' to test; the rest is ours.
REGISTERED = sorted(model._meta.label for model in admin.site._registry if model._meta.app_label != "axes")


# --- Rows of every registered model -----------------------------------------------------------
# Optional relations are filled, so a column that follows one without a join shows up as extra
# queries; related rows are shared where the model allows it, to keep the 50-row builds quick.

_group_numbers = itertools.count()


def _groups(n):
    Group.objects.bulk_create([Group(name=f"Группа {next(_group_numbers)}") for _ in range(n)])


def _regions(n):
    f.RegionFactory.create_batch(n, kind=Region.Kind.FOREIGN_REGION, country=f.RegionFactory())


def _sectors(n):
    f.SectorFactory.create_batch(n, parent=f.SectorFactory())


def _people(n):
    # Half of them known only by position: they are named with their organization.
    named = f.PersonFactory.create_batch(n - n // 2, user=factory.SubFactory(f.UserFactory))
    unnamed = f.PersonFactory.create_batch(n // 2, last_name="", first_name="", position=factory.Sequence(str))
    return named + unnamed


def _places(n):
    return f.PlaceFactory.create_batch(n)


def _offers(n):
    f.OfferFactory.create_batch(n, sector=f.SectorFactory())


def _needs(n):
    f.NeedFactory.create_batch(n, sector=f.SectorFactory())


def _figures(n):
    f.ReportedFigureFactory.create_batch(n, source=f.SourceFactory(), mission=f.MissionFactory())


# People known only by position are named with their organization (Person.__str__): a list of them must
# load the organizations with the people, not one query a row.
UNNAMED = {
    "last_name": "",
    "first_name": "",
    "patronymic": "",
    "position": factory.Sequence(lambda n: f"Заместитель {n}"),
}


def _delegation(n):
    f.DelegationMemberFactory.create_batch(
        n, mission=f.MissionFactory(), person=factory.SubFactory(f.PersonFactory, **UNNAMED)
    )


def _programme(n):
    f.ProgramItemFactory.create_batch(n, mission=f.MissionFactory(), host=f.OrganizationFactory())


def _meetings(n):
    item = f.ProgramItemFactory()
    f.MeetingFactory.create_batch(n, mission=item.mission, program_item=item)


def _agreements(n):
    f.AgreementPartyFactory.create_batch(n)  # each with its own agreement, so the parties column has data


def _signatories(n):
    f.SignatoryFactory.create_batch(
        n,
        agreement=f.AgreementFactory(),
        on_behalf_of=f.MinistryFactory(),
        person=factory.SubFactory(f.PersonFactory, **UNNAMED),
    )


def _plan_items(n):
    f.PlanItemFactory.create_batch(
        n, agreement=f.AgreementFactory(), responsible_person=factory.SubFactory(f.PersonFactory, **UNNAMED)
    )


def _projects(n):
    f.ProjectPartyFactory.create_batch(n)  # each with its own project and curator


def _project_updates(n):
    f.ProjectUpdateFactory.create_batch(n, project=f.CooperationProjectFactory(), author=f.StaffUserFactory())


def _b2b_sessions(n):
    return [
        B2BSession.objects.create(
            program_item=f.ProgramItemFactory(kind="b2b", date=datetime.date(2026, 5, 20)),
            starts=datetime.time(10),
            ends=datetime.time(12),
        )
        for _ in range(n)
    ]


ROW_BUILDERS = {
    "auth.Group": _groups,
    "auth.User": f.UserFactory.create_batch,
    "companies.FederalDistrict": f.FederalDistrictFactory.create_batch,
    "companies.Region": _regions,
    "companies.Place": _places,
    "companies.Sector": _sectors,
    "companies.Organization": f.OrganizationFactory.create_batch,
    "companies.Person": _people,
    "companies.Offer": _offers,
    "companies.Need": _needs,
    "companies.SearchSynonym": lambda n: SearchSynonym.objects.bulk_create(
        SearchSynonym(terms=f"гидроцилиндр {i}, силовой цилиндр {i}") for i in range(n)
    ),
    "missions.Mission": f.MissionFactory.create_batch,
    "missions.Source": f.SourceFactory.create_batch,
    "missions.ReportedFigure": _figures,
    "missions.DelegationMember": _delegation,
    "missions.ProgramItem": _programme,
    "missions.Meeting": _meetings,
    "partners.B2BSession": _b2b_sessions,
    "missions.DelegationApplication": lambda n: [
        f.MissionFactory().delegation_applications.create(organization=f.OrganizationFactory()) for _ in range(n)
    ],
    "agreements.Sphere": f.SphereFactory.create_batch,
    "agreements.Agreement": _agreements,
    "agreements.AgreementParty": lambda n: f.AgreementPartyFactory.create_batch(n, agreement=f.AgreementFactory()),
    "agreements.Signatory": _signatories,
    "agreements.PlanItem": _plan_items,
    "agreements.CooperationProject": _projects,
    "agreements.ProjectParty": lambda n: f.ProjectPartyFactory.create_batch(n, project=f.CooperationProjectFactory()),
    "agreements.ProjectUpdate": _project_updates,
    "agreements.Reminder": lambda n: f.ReminderFactory.create_batch(n),
    "companies.ApiToken": lambda n: [
        api_token_create(user=f.UserFactory(), name=f"Интеграция {i}")[0] for i in range(n)
    ],
    "companies.ProfileChange": lambda n: [
        ProfileChange.objects.create(
            organization=person.organization, name=f"Новое название {i}", requested_by=person.user
        )
        for i, person in enumerate(f.PersonFactory.create_batch(n, user=factory.SubFactory(f.UserFactory)))
    ],
    "partners.MeetingRequest": lambda n: [
        MeetingRequest.objects.create(
            mission=member.mission, requester=member.organization, invitee=f.OrganizationFactory(), topic=f"Тема {i}"
        )
        for i, member in enumerate(f.DelegationMemberFactory.create_batch(n))
    ],
    "partners.HostParticipant": lambda n: [
        HostParticipant.objects.create(mission=f.MissionFactory(), organization=f.OrganizationFactory())
        for _ in range(n)
    ],
    # One policy for the portal: building "n" of it is getting the one row.
    "agreements.ReminderPolicy": lambda n: [reminder_policy_get()],
}
SINGLETONS = {"agreements.ReminderPolicy"}


@pytest.fixture
def one_row_of_every_model(db):
    for build in ROW_BUILDERS.values():
        build(1)


def test_every_registered_model_has_a_row_builder():
    assert set(REGISTERED) - set(ROW_BUILDERS) == set(), "add a builder to ROW_BUILDERS for the new model"


# --- Helpers ----------------------------------------------------------------------------------


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _assert_admin_pages_work(client, model) -> None:
    """The changelist lists a row, the add page shows its form, the row's change page shows the row."""
    label = model._meta.label
    changelist = client.get(_url(model, "changelist"))
    assert changelist.status_code == 200, label
    rows = list(changelist.context["cl"].result_list)
    assert rows, f"{label}: the changelist lists no rows"
    obj = rows[0]
    change_url = _url(model, "change", obj.pk)
    assert change_url in changelist.content.decode(), f"{label}: no link to the row"

    add = client.get(_url(model, "add"))
    if admin.site._registry[model].has_add_permission(add.wsgi_request):
        assert add.status_code == 200, label
        first_field = next(iter(add.context["adminform"].form.fields))
        assert f'name="{first_field}"' in add.content.decode(), f"{label}: the add form lacks {first_field}"
    else:
        assert add.status_code == 403, label

    change = client.get(change_url)
    assert change.status_code == 200, label
    with translation.override(settings.LANGUAGE_CODE):  # the language the pages were served in
        name = str(obj)
    assert escape(name) in change.content.decode(), f"{label}: the change page does not name {name!r}"


class _SubmittedFields(HTMLParser):
    """The fields a browser would submit from the admin's change form on a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self._in_form = False
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = (attrs.get("id") or "").endswith("_form")
        if not self._in_form:
            return
        name, kind = attrs.get("name"), attrs.get("type", "text")
        if tag == "input" and name and kind not in {"submit", "button", "file", "image", "reset"}:
            if kind not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append((name, attrs.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "first": None, "selected": []}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["selected"].append(value)
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "select" and self._select is not None:
            chosen = self._select["selected"]
            if not chosen and not self._select["multiple"] and self._select["first"] is not None:
                chosen = [self._select["first"]]
            self.fields += [(self._select["name"], value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self.fields.append((name, text.removeprefix("\n")))
            self._textarea = None


def _submit(client, url: str, changes: dict):
    """Open an admin form, change some fields as a user would, and submit it."""
    parser = _SubmittedFields()
    parser.feed(client.get(url).content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    data.update({name: value if isinstance(value, list) else [value] for name, value in changes.items()})
    return client.post(url, data)


def _form_errors(response) -> dict[str, set[str]]:
    """Error codes of the main form of an admin page, by field."""
    form = response.context["adminform"].form
    return {field: {error.code for error in errors} for field, errors in form.errors.as_data().items()}


def _inline_error_codes(response, model) -> set[str]:
    """Error codes of an inline formset: its own and those of its forms."""
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        if formset.model is model:
            codes = {error.code for error in formset.non_form_errors().as_data()}
            for form in formset.forms:
                codes |= {error.code for errors in form.errors.as_data().values() for error in errors}
            return codes
    raise AssertionError(f"no inline of {model.__name__} on the page")


def _row_error_codes(response, model) -> dict[str, dict[str, set[str]]]:
    """Error codes of an inline's rows that have errors, by row prefix and field."""
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return {
                form.prefix: {
                    field: {error.code for error in errors} for field, errors in form.errors.as_data().items()
                }
                for form in inline.formset.forms
                if form.errors
            }
    raise AssertionError(f"no inline of {model.__name__} on the page")


def _message_levels(response) -> list[int]:
    return [message.level for message in response.context["messages"]]


def _split(moment: datetime.datetime, zone=None) -> tuple[str, str]:
    """A moment as the admin's date and time inputs take it: in `zone`, the venue's (Moscow time by default)."""
    local = moment.astimezone(zone) if zone else timezone.localtime(moment)
    return local.date().isoformat(), local.strftime("%H:%M")


# --- 1. Every page opens and shows real content --------------------------------------------


@pytest.mark.parametrize("label", REGISTERED)
def test_admin_pages_open_over_factory_data(label, one_row_of_every_model, staff_client):
    _assert_admin_pages_work(staff_client, apps.get_model(label))


def test_admin_pages_open_over_the_demo_data(staff_client):
    """Demo data set: needs agreements/management/commands/load_demo.py."""
    call_command("load_demo", no_login=True, stdout=io.StringIO())
    for label in REGISTERED:
        model = apps.get_model(label)
        if model._default_manager.exists():
            _assert_admin_pages_work(staff_client, model)
        else:
            assert staff_client.get(_url(model, "changelist")).status_code == 200, label


# --- 2. Changelists run a constant number of queries ---------------------------------------


@pytest.mark.parametrize("label", [label for label in REGISTERED if label not in SINGLETONS])
def test_changelist_query_count_is_the_same_for_2_and_50_rows(label, staff_client):
    model = apps.get_model(label)
    build, url = ROW_BUILDERS[label], _url(model, "changelist")
    build(2)
    staff_client.get(url)  # warms the caches (content types, session) both measured requests share
    with CaptureQueriesContext(connection) as few:
        few_rows = staff_client.get(url).context["cl"].result_count
    build(48)
    with CaptureQueriesContext(connection) as many:
        many_rows = staff_client.get(url).context["cl"].result_count
    assert many_rows >= few_rows + 48
    extra = [query["sql"] for query in many.captured_queries[len(few.captured_queries) :]]
    assert len(many.captured_queries) == len(few.captured_queries), extra[:5]


# --- 3. The admin goes through the services --------------------------------------------------


def test_mission_to_its_own_origin_is_refused_and_not_created(staff_client):
    ulyanovsk, organizer = f.directory_region("73"), f.MinistryFactory()
    changes = {
        "title": "Бизнес-миссия в саму себя",
        "origin_region": ulyanovsk.pk,
        "destination_regions": [ulyanovsk.pk],
        "organizer": organizer.pk,
        "recorded_by": organizer.pk,
    }

    response = _submit(staff_client, _url(Mission, "add"), changes)

    assert response.status_code == 200
    assert _form_errors(response) == {"destination_regions": {"origin_is_destination"}}
    assert not Mission.objects.exists()


def test_mission_added_with_a_slug_made_from_its_title(staff_client):
    changes = {
        "title": "Бизнес-миссия в Казахстан",
        "origin_region": f.directory_region("73").pk,
        "destination_regions": [f.directory_region("74").pk],
        "organizer": f.MinistryFactory().pk,
        "recorded_by": f.MinistryFactory().pk,
    }

    response = _submit(staff_client, _url(Mission, "add"), changes)

    assert response.status_code == 302
    mission = Mission.objects.get()
    assert mission.slug == "biznes-missiya-v-kazakhstan"
    assert list(mission.destination_regions.values_list("code", flat=True)) == ["74"]


def test_mission_status_change_goes_through_the_workflow(staff_client, staff_user):
    mission = f.MissionFactory(status=Mission.Status.PLANNED, title="Миссия в Челябинск")
    records = mission.history.count()

    response = _submit(staff_client, _url(Mission, "change", mission.pk), {"status": "confirmed", "title": "Новое"})

    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.status, mission.title) == (Mission.Status.CONFIRMED, "Новое")
    # One save by mission_update: one history record holds the whole change.
    assert mission.history.count() == records + 1
    latest = mission.history.latest()
    assert (latest.status, latest.title, latest.history_user) == ("confirmed", "Новое", staff_user)


@pytest.mark.parametrize(("current", "target"), MISSION_PAIRS)
def test_mission_status_through_the_admin_follows_the_table(current, target, staff_client):
    mission = f.MissionFactory(status=current)
    records = mission.history.count()

    response = _submit(staff_client, _url(Mission, "change", mission.pk), {"status": target})

    mission.refresh_from_db()
    if (current, target) in MISSION_MOVES:
        assert response.status_code == 302
        assert (mission.status, mission.history.count()) == (target, records + 1)
    else:
        assert response.status_code == 200
        assert _form_errors(response) == {"status": {"bad_transition"}}
        assert (mission.status, mission.history.count()) == (current, records)


def test_mission_completed_with_its_dates_entered_in_the_same_submission(staff_client):
    mission = f.MissionFactory(status=Mission.Status.UNDER_WAY, start_date=None, end_date=None)

    response = _submit(
        staff_client, _url(Mission, "change", mission.pk), {"status": "completed", "start_date": "12.05.2025"}
    )

    assert response.status_code == 302
    mission.refresh_from_db()
    assert (mission.status, mission.start_date) == (Mission.Status.COMPLETED, datetime.date(2025, 5, 12))


def test_mission_completed_without_dates_is_refused(staff_client):
    mission = f.MissionFactory(status=Mission.Status.UNDER_WAY, start_date=None, end_date=None)

    response = _submit(staff_client, _url(Mission, "change", mission.pk), {"status": "completed"})

    assert response.status_code == 200
    assert _form_errors(response) == {"status": {"no_dates"}}
    assert Mission.objects.get(pk=mission.pk).status == Mission.Status.UNDER_WAY


def test_mission_status_change_the_workflow_forbids_is_refused(staff_client):
    mission = f.MissionFactory(status=Mission.Status.COMPLETED, title="Миссия в Челябинск")
    records = mission.history.count()

    response = _submit(staff_client, _url(Mission, "change", mission.pk), {"status": "planned", "title": "Новое"})

    assert response.status_code == 200
    assert _form_errors(response) == {"status": {"bad_transition"}}
    mission.refresh_from_db()
    assert (mission.status, mission.title) == (Mission.Status.COMPLETED, "Миссия в Челябинск")
    assert mission.history.count() == records


def test_overlapping_meeting_is_refused_on_the_meeting_page(staff_client):
    existing = f.MeetingFactory()
    date, start = _split(existing.starts_at + datetime.timedelta(minutes=15), existing.venue_zone)
    _date, end = _split(existing.starts_at + datetime.timedelta(minutes=45), existing.venue_zone)
    changes = {
        "mission": existing.mission.pk,
        "organization_a": existing.organization_a.pk,
        "organization_b": f.OrganizationFactory().pk,
        "date": date,
        "start_time": start,
        "end_time": end,
        "status": Meeting.Status.SCHEDULED,
    }

    response = _submit(staff_client, _url(Meeting, "add"), changes)

    assert response.status_code == 200
    assert _form_errors(response) == {"__all__": {"slot_taken"}}
    assert list(Meeting.objects.all()) == [existing]


def test_meeting_at_a_free_time_is_added_on_the_meeting_page(staff_client):
    # A morning slot: the factory's hourly slots reach 23:00, and the half hour after that one ends
    # the next day, which the single date below cannot say (the test failed whenever it drew it).
    existing = f.MeetingFactory(starts_at=timezone.make_aware(datetime.datetime(2025, 2, 3, 10, 0)))
    date, start = _split(existing.ends_at, existing.venue_zone)
    _date, end = _split(existing.ends_at + datetime.timedelta(minutes=30), existing.venue_zone)
    changes = {
        "mission": existing.mission.pk,
        "organization_a": existing.organization_a.pk,
        "organization_b": f.OrganizationFactory().pk,
        "date": date,
        "start_time": start,
        "end_time": end,
    }

    response = _submit(staff_client, _url(Meeting, "add"), changes)

    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_overlapping_meeting_is_refused_in_the_mission_inline(staff_client):
    existing = f.MeetingFactory()
    mission = existing.mission
    date, start = _split(existing.starts_at, existing.venue_zone)
    _date, end = _split(existing.ends_at, existing.venue_zone)
    row = f"meetings-{Meeting.objects.filter(mission=mission).count()}"
    changes = {
        f"{row}-organization_a": f.OrganizationFactory().pk,
        f"{row}-organization_b": existing.organization_b.pk,
        f"{row}-date": date,
        f"{row}-start_time": start,
        f"{row}-end_time": end,
        f"{row}-status": Meeting.Status.SCHEDULED,
    }

    response = _submit(staff_client, _url(Mission, "change", mission.pk), changes)

    assert response.status_code == 200
    assert _inline_error_codes(response, Meeting) == {"slot_taken"}
    assert list(Meeting.objects.all()) == [existing]


def test_two_new_meetings_that_clash_undo_the_whole_submission(staff_client):
    """The forms check each meeting against the saved ones; the service sees the two clash."""
    mission = f.MissionFactory(title="Миссия в Челябинск")
    records, busy = mission.history.count(), f.OrganizationFactory()
    date, start = _split(timezone.make_aware(datetime.datetime(2025, 2, 3, 10, 0)))
    _date, end = _split(timezone.make_aware(datetime.datetime(2025, 2, 3, 10, 30)))
    changes = {"title": "Новое", "meetings-TOTAL_FORMS": "2"}
    for row in ("meetings-0", "meetings-1"):
        changes |= {
            f"{row}-organization_a": busy.pk,
            f"{row}-organization_b": f.OrganizationFactory().pk,
            f"{row}-date": date,
            f"{row}-start_time": start,
            f"{row}-end_time": end,
            f"{row}-status": Meeting.Status.SCHEDULED,
        }

    response = _submit(staff_client, _url(Mission, "change", mission.pk), changes)

    assert response.status_code == 200
    # The refusal shows on the second row, the one that clashes with the first.
    assert _form_errors(response) == {}
    assert _row_error_codes(response, Meeting) == {"meetings-1": {"__all__": {"slot_taken"}}}
    assert response.context["adminform"].form["title"].value() == "Новое"  # the input comes back
    mission.refresh_from_db()
    assert (mission.title, mission.meetings.count(), mission.history.count()) == ("Миссия в Челябинск", 0, records)


def test_meeting_with_the_programme_item_of_another_mission_is_refused(staff_client):
    meeting = f.MeetingFactory()
    foreign_item = f.ProgramItemFactory()

    response = _submit(staff_client, _url(Meeting, "change", meeting.pk), {"program_item": foreign_item.pk})

    assert response.status_code == 200
    assert _form_errors(response) == {"__all__": {"foreign_program_item"}}
    meeting.refresh_from_db()
    assert meeting.program_item is None


def _project_with_parties(stage: str) -> CooperationProject:
    project = f.CooperationProjectFactory(stage=stage)
    f.ProjectPartyFactory.create_batch(2, project=project)
    return project


def test_project_stage_change_is_recorded_as_an_update(staff_client, staff_user):
    project = _project_with_parties(CooperationProject.Stage.NEGOTIATION)
    records, activity = project.history.count(), project.last_activity_at

    response = _submit(
        staff_client,
        _url(CooperationProject, "change", project.pk),
        {"stage": "proposal", "progress_note": "Отправлено коммерческое предложение", "title": "Поставка станков"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.title) == (CooperationProject.Stage.PROPOSAL, "Поставка станков")
    assert project.last_activity_at > activity
    # One save by project_update: one history record, one entry of the project's log.
    assert project.history.count() == records + 1
    assert project.history.latest().history_user == staff_user
    update = project.updates.get()
    assert (update.stage_from, update.stage_to, update.text, update.author) == (
        "negotiation",
        "proposal",
        "Отправлено коммерческое предложение",
        staff_user,
    )


def test_project_change_without_progress_logs_nothing_and_keeps_the_clock(staff_client):
    project = _project_with_parties(CooperationProject.Stage.NEGOTIATION)
    activity = project.last_activity_at

    response = _submit(staff_client, _url(CooperationProject, "change", project.pk), {"title": "Поставка станков"})

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.last_activity_at, project.updates.count()) == ("Поставка станков", activity, 0)


@pytest.mark.parametrize(
    ("stage", "move", "code"),
    [("completed", "lead", "closed"), ("contract_signed", "lead", "bad_transition")],
)
def test_project_stage_move_the_workflow_forbids_is_refused(stage, move, code, staff_client):
    project = _project_with_parties(stage)

    response = _submit(staff_client, _url(CooperationProject, "change", project.pk), {"stage": move, "title": "Новое"})

    assert response.status_code == 200
    assert _form_errors(response) == {"stage": {code}}
    project.refresh_from_db()
    assert project.stage == stage
    assert project.title != "Новое"
    assert not project.updates.exists()


def test_project_added_with_one_party_is_refused(staff_client):
    changes = {"title": "Поставка станков", "parties-0-organization": f.OrganizationFactory().pk}

    response = _submit(staff_client, _url(CooperationProject, "add"), changes)

    assert response.status_code == 200
    assert _inline_error_codes(response, ProjectParty) == {"few_parties"}
    assert not CooperationProject.objects.exists()


def test_project_added_with_two_parties_logs_its_opening(staff_client, staff_user):
    changes = {
        "title": "Поставка станков",
        "stage": "negotiation",
        "parties-0-organization": f.OrganizationFactory().pk,
        "parties-1-organization": f.OrganizationFactory().pk,
    }

    response = _submit(staff_client, _url(CooperationProject, "add"), changes)

    assert response.status_code == 302
    project = CooperationProject.objects.get()
    assert project.parties.count() == 2
    update = project.updates.get()
    assert (update.stage_to, update.author) == ("negotiation", staff_user)
    assert [record.history_type for record in project.history.all()] == ["+"]


def test_project_added_in_admin_follows_project_create(staff_client):
    """The parties' contacts are kept, and the origin mission comes from the origin meeting."""
    meeting, contact = f.MeetingFactory(), f.PersonFactory()
    changes = {
        "title": "Поставка станков",
        "origin_meeting": meeting.pk,
        "parties-0-organization": contact.organization.pk,
        "parties-0-contact": contact.pk,
        "parties-1-organization": meeting.organization_b.pk,
    }

    response = _submit(staff_client, _url(CooperationProject, "add"), changes)

    assert response.status_code == 302, _form_errors(response)
    project = CooperationProject.objects.get()
    assert (project.origin_meeting, project.origin_mission) == (meeting, meeting.mission)
    assert project.parties.get(organization=contact.organization).contact == contact


def test_project_added_with_a_meeting_of_another_mission_is_refused(staff_client):
    changes = {
        "title": "Поставка станков",
        "origin_mission": f.MissionFactory().pk,
        "origin_meeting": f.MeetingFactory().pk,
        "parties-0-organization": f.OrganizationFactory().pk,
        "parties-1-organization": f.OrganizationFactory().pk,
    }

    response = _submit(staff_client, _url(CooperationProject, "add"), changes)

    assert response.status_code == 200
    assert _form_errors(response) == {"origin_meeting": {"meeting_mission_mismatch"}}
    assert not CooperationProject.objects.exists()


def test_project_update_page_records_progress_through_the_service(staff_client, staff_user):
    project = _project_with_parties(CooperationProject.Stage.LEAD)

    response = _submit(
        staff_client,
        _url(ProjectUpdate, "add"),
        {"project": project.pk, "text": "Созвонились", "stage_to": "negotiation"},
    )

    assert response.status_code == 302
    project.refresh_from_db()
    update = project.updates.get()
    assert (project.stage, update.stage_from, update.stage_to, update.author) == (
        "negotiation",
        "lead",
        "negotiation",
        staff_user,
    )


def test_plan_item_marked_done_gets_todays_completion_date(staff_client):
    item = f.PlanItemFactory(status=PlanItem.Status.PLANNED)

    response = _submit(staff_client, _url(PlanItem, "change", item.pk), {"status": "done"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.completed_on) == (PlanItem.Status.DONE, timezone.localdate())
    assert item.history.count() == 2  # created, then changed once by plan_item_update


def test_plan_item_changed_in_the_agreement_inline_is_saved_once(staff_client, staff_user):
    item = f.PlanItemFactory(status=PlanItem.Status.PLANNED, action="Провести форум")

    response = _submit(
        staff_client,
        _url(Agreement, "change", item.agreement.pk),
        {"plan_items-0-status": "done", "plan_items-0-action": "Провести бизнес-форум"},
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.completed_on, item.action) == ("done", timezone.localdate(), "Провести бизнес-форум")
    latest = item.history.latest()
    assert (item.history.count(), latest.status, latest.history_user) == (2, "done", staff_user)


def test_plan_item_added_on_the_agreement_add_page_is_created_by_the_service(staff_client):
    """The row is checked before its agreement exists, and saved after it does."""
    ministries = f.MinistryFactory.create_batch(2)
    changes = {
        "title": "Соглашение о сотрудничестве",
        "kind": "interagency",
        "parties-0-organization": str(ministries[0].pk),
        "parties-1-organization": str(ministries[1].pk),
        "plan_items-0-action": "Провести бизнес-форум",
        "plan_items-0-status": "done",
    }

    response = _submit(staff_client, _url(Agreement, "add"), changes)

    assert response.status_code == 302, _form_errors(response)
    item = PlanItem.objects.get()
    assert (item.agreement.title, item.status, item.completed_on) == (
        "Соглашение о сотрудничестве",
        "done",
        timezone.localdate(),
    )


def test_plan_item_done_in_the_future_is_refused_in_the_agreement_inline(staff_client):
    item = f.PlanItemFactory(status=PlanItem.Status.PLANNED)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = _submit(
        staff_client,
        _url(Agreement, "change", item.agreement.pk),
        {"plan_items-0-status": "done", "plan_items-0-completed_on": tomorrow},
    )

    assert response.status_code == 200
    assert _inline_error_codes(response, PlanItem) == {"future_completion"}
    item.refresh_from_db()
    assert item.status == PlanItem.Status.PLANNED


@pytest.mark.parametrize("model", [Organization, Mission, Agreement, CooperationProject], ids=lambda m: m.__name__)
def test_publish_action_publishes_and_records_who_did_it(model, staff_client, staff_user):
    ROW_BUILDERS[model._meta.label](2)
    model.objects.update(is_public=False)
    hidden = list(model.objects.all())

    response = staff_client.post(
        _url(model, "changelist"),
        {"action": "publish_selected", "_selected_action": [row.pk for row in hidden]},
        follow=True,
    )

    assert _message_levels(response) == [messages.SUCCESS]
    for row in hidden:
        row.refresh_from_db()
        assert row.is_public
        latest = row.history.first()
        assert (latest.history_type, latest.is_public, latest.history_user) == ("~", True, staff_user)


def test_hide_action_hides_only_the_selected_rows(staff_client):
    shown, selected = f.OrganizationFactory.create_batch(2, is_public=True)

    staff_client.post(_url(Organization, "changelist"), {"action": "hide_selected", "_selected_action": [selected.pk]})

    assert list(Organization.objects.filter(is_public=False)) == [selected]


def test_action_refused_by_the_service_shows_an_error_and_changes_nothing(staff_client, monkeypatch):
    alpha = f.OrganizationFactory(name="Альфа", is_public=False)
    beta = f.OrganizationFactory(name="Бета", is_public=False)
    save = Organization.save

    def save_refusing_beta(self, *args, **kwargs):
        if self.pk == beta.pk:
            raise PortalError("Реестр недоступен")
        return save(self, *args, **kwargs)

    monkeypatch.setattr(Organization, "save", save_refusing_beta)

    response = staff_client.post(
        _url(Organization, "changelist"),
        {"action": "publish_selected", "_selected_action": [alpha.pk, beta.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert _message_levels(response) == [messages.ERROR]
    assert list(Organization.objects.filter(is_public=True)) == []
    assert alpha.history.count() == 1  # only its creation


def test_refresh_statuses_action_brings_selected_agreements_into_force(staff_client):
    signed = f.AgreementFactory(status=Agreement.Status.SIGNED, valid_from=datetime.date(2025, 1, 1))
    untouched = f.AgreementFactory(status=Agreement.Status.SIGNED, valid_from=datetime.date(2025, 1, 1))

    response = staff_client.post(
        _url(Agreement, "changelist"), {"action": "refresh_statuses", "_selected_action": [signed.pk]}, follow=True
    )

    assert _message_levels(response) == [messages.SUCCESS]
    assert [str(message) for message in response.context["messages"]] == ["1 соглашение сменило статус."]
    assert Agreement.objects.get(pk=signed.pk).status == Agreement.Status.IN_FORCE
    assert Agreement.objects.get(pk=untouched.pk).status == Agreement.Status.SIGNED


def test_refresh_statuses_action_over_a_searched_changelist(staff_client):
    """The changelist's search joins the parties; the rows the service locks are the bare agreements."""
    found = f.AgreementFactory(status=Agreement.Status.SIGNED, valid_from=datetime.date(2025, 1, 1))
    f.AgreementPartyFactory(agreement=found, organization=f.MinistryFactory(name="Министерство промышленности"))
    other = f.AgreementFactory(status=Agreement.Status.SIGNED, valid_from=datetime.date(2025, 1, 1))

    response = staff_client.post(
        _url(Agreement, "changelist") + "?q=промышленности",
        {"action": "refresh_statuses", "select_across": "1", "_selected_action": [found.pk]},
        follow=True,
    )

    assert _message_levels(response) == [messages.SUCCESS]
    assert dict(Agreement.objects.values_list("pk", "status")) == {found.pk: "in_force", other.pk: "signed"}


# --- 4. Autocomplete ----------------------------------------------------------------------------


def _autocomplete(client, term: str) -> list[str]:
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "missions", "model_name": "mission", "field_name": "organizer", "term": term},
    )
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_autocomplete_finds_an_organization_by_a_cyrillic_term(staff_client):
    f.OrganizationFactory(name="Уральский завод металлоконструкций")
    f.OrganizationFactory(name="Ульяновский автомобильный завод")

    assert _autocomplete(staff_client, "Уральский") == ["Уральский завод металлоконструкций"]
    assert _autocomplete(staff_client, "металлоконструкций") == ["Уральский завод металлоконструкций"]


def test_autocomplete_ignores_the_case_of_cyrillic_letters(staff_client):
    f.OrganizationFactory(name="Уральский завод металлоконструкций")

    assert _autocomplete(staff_client, "уральский") == ["Уральский завод металлоконструкций"]
    assert _autocomplete(staff_client, "ЗАВОД_МЕТАЛЛ") == []  # "_" and "%" are literal in a search term


def test_changelist_search_ignores_the_case_of_cyrillic_letters(staff_client):
    f.OrganizationFactory(name="Мидаус", short_name="")
    f.OrganizationFactory(name="АльфаПаскаль", short_name="")

    response = staff_client.get(_url(Organization, "changelist"), {"q": "мидаус"})

    assert [str(org) for org in response.context["cl"].result_list] == ["Мидаус"]


# --- Agreement status: signing and termination go through the services ------------------------


def _draft_with_parties() -> Agreement:
    agreement = f.AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None, valid_from=None)
    f.AgreementPartyFactory.create_batch(2, agreement=agreement)
    return agreement


def test_agreement_signed_in_admin_goes_through_signing_service(staff_client, staff_user):
    agreement = _draft_with_parties()
    records = agreement.history.count()

    response = _submit(
        staff_client,
        _url(Agreement, "change", agreement.pk),
        {"status": "signed", "signed_on": "03.02.2025", "title": "Соглашение о сотрудничестве"},
    )

    assert response.status_code == 302
    agreement.refresh_from_db()
    # Signing puts an agreement without a later start date in force at once.
    assert (agreement.status, agreement.signed_on) == (Agreement.Status.IN_FORCE, datetime.date(2025, 2, 3))
    # One save by agreement_update: the title and the signing are one record of the history.
    assert agreement.history.count() == records + 1
    latest = agreement.history.latest()
    assert (latest.title, latest.status, latest.history_user) == ("Соглашение о сотрудничестве", "in_force", staff_user)


def test_agreement_signed_with_its_second_party_added_in_the_same_submission(staff_client):
    agreement = f.AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None, valid_from=None)
    f.AgreementPartyFactory(agreement=agreement)

    response = _submit(
        staff_client,
        _url(Agreement, "change", agreement.pk),
        {"status": "signed", "signed_on": "03.02.2025", "parties-1-organization": f.MinistryFactory().pk},
    )

    assert response.status_code == 302, _form_errors(response)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.parties.count()) == (Agreement.Status.IN_FORCE, 2)


def test_agreement_signed_with_one_party_is_refused_and_nothing_saved(staff_client):
    """The forms cannot count the parties; the service refuses while saving and the submission is undone."""
    agreement = f.AgreementFactory(status=Agreement.Status.DRAFT, signed_on=None, valid_from=None, title="Проект")
    f.AgreementPartyFactory(agreement=agreement)
    records = agreement.history.count()

    response = _submit(
        staff_client,
        _url(Agreement, "change", agreement.pk),
        {
            "status": "signed",
            "title": "Соглашение",
            "parties-0-role": "coordinator",  # saved before the refusal, undone with it
            "plan_items-0-action": "Провести форум",
        },
    )

    assert response.status_code == 200
    assert _form_errors(response) == {"status": {"few_parties"}}
    agreement.refresh_from_db()
    assert (agreement.status, agreement.title, agreement.history.count()) == ("draft", "Проект", records)
    assert list(agreement.parties.values_list("role", flat=True)) == ["party"]
    assert not agreement.plan_items.exists()


def test_agreement_new_signed_with_parties_in_one_submission_is_in_force(staff_client):
    ministries = f.MinistryFactory.create_batch(2)
    url = _url(Agreement, "add")
    response = _submit(
        staff_client,
        url,
        {
            "title": "Соглашение о сотрудничестве",
            "kind": "interagency",
            "status": "signed",
            "signed_on": "01.03.2025",
            "parties-0-organization": str(ministries[0].pk),
            "parties-0-role": "party",
            "parties-1-organization": str(ministries[1].pk),
            "parties-1-role": "party",
        },
    )

    assert response.status_code == 302, _form_errors(response)
    agreement = Agreement.objects.get(title="Соглашение о сотрудничестве")
    assert agreement.status == Agreement.Status.IN_FORCE
    assert agreement.parties.count() == 2
    assert [record.history_type for record in agreement.history.all()] == ["+"]  # created signed, in one save


def test_agreement_new_signed_with_one_party_is_refused_and_not_created(staff_client):
    changes = {
        "title": "Соглашение о сотрудничестве",
        "kind": "interagency",
        "status": "signed",
        "parties-0-organization": str(f.MinistryFactory().pk),
    }

    response = _submit(staff_client, _url(Agreement, "add"), changes)

    assert response.status_code == 200
    assert _form_errors(response) == {"status": {"few_parties"}}
    assert not Agreement.objects.exists()


def test_agreement_set_in_force_by_hand_from_expired_is_refused(staff_client):
    agreement = f.AgreementFactory(status=Agreement.Status.EXPIRED, valid_until=datetime.date(2025, 12, 31))

    response = _submit(staff_client, _url(Agreement, "change", agreement.pk), {"status": "in_force"})

    assert response.status_code == 200
    assert _form_errors(response) == {"status": {"bad_transition"}}
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.EXPIRED


def test_agreement_terminated_in_admin_needs_a_reason_and_records_it(staff_client):
    agreement = f.AgreementFactory(status=Agreement.Status.IN_FORCE)
    url = _url(Agreement, "change", agreement.pk)

    refused = _submit(staff_client, url, {"status": "terminated"})
    assert _form_errors(refused) == {"termination_reason": {"no_reason"}}
    assert Agreement.objects.get(pk=agreement.pk).status == Agreement.Status.IN_FORCE

    response = _submit(staff_client, url, {"status": "terminated", "termination_reason": "Реорганизация сторон"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.TERMINATED
    assert agreement.valid_until == timezone.localdate()
    assert "Реорганизация сторон" in agreement.summary
    assert agreement.history.latest().status == Agreement.Status.TERMINATED


def test_delegation_member_added_to_cancelled_mission_is_refused(staff_client):
    mission = f.MissionFactory(status=Mission.Status.CANCELLED)
    organization = f.OrganizationFactory()
    url = reverse("admin:missions_delegationmember_add")

    response = _submit(staff_client, url, {"mission": str(mission.pk), "organization": str(organization.pk)})

    assert response.status_code == 200
    assert _form_errors(response) == {"__all__": {"mission_cancelled"}}
    assert not mission.delegation.exists()


def test_meeting_recorded_held_before_it_starts_is_refused(staff_client):
    # at 06:00 UTC three days ahead: the half hour stays within one day in every venue zone of Russia
    # (the form enters a date and two times of day)
    start = (timezone.now() + datetime.timedelta(days=3)).replace(hour=6, minute=0, second=0, microsecond=0)
    meeting = f.MeetingFactory(starts_at=start)
    meeting.ends_at = meeting.starts_at + datetime.timedelta(minutes=30)
    meeting.save()

    response = _submit(staff_client, _url(Meeting, "change", meeting.pk), {"status": "held"})

    assert response.status_code == 200
    assert "held_in_future" in {code for codes in _form_errors(response).values() for code in codes}
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.SCHEDULED
