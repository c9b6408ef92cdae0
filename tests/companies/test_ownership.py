"""Whose row is this (companies/ownership.py): for every model that declares it, an owned row and
a foreign one, with the owners written out, and the one-row answer (can_edit, the admin) agreeing
with the queryset filter (the admin's foreign-key choices).

Three organizations: "ours" and "neighbour" are in the same region (Ulyanovsk Oblast), "far" in
another (Chelyabinsk Oblast). Staff edit by organization; the directory rows (organizations,
people, offers, needs) also by region, so staff of "ours" keep the neighbour's directory entry
but not its missions, agreements or projects.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import ForeignKey

from agreements.models import Reminder, ReminderPolicy
from companies import roles
from companies.admin_base import editable_choices
from companies.api_tokens import api_token_create
from companies.models import Organization, Person, Region
from companies.ownership import Ownership, ownership_of
from tests import factories as f

pytestmark = pytest.mark.django_db

ULYANOVSK, CHELYABINSK, BELARUS = "73", "74", "BY"

# label → (the organizations that own the row, the regions whose staff also keep it,
#          may staff of "ours" change it)
EXPECTED = {
    # The directory: by organization, and by region.
    "organization ours": ({"ours"}, {ULYANOVSK}, True),
    "organization neighbour": ({"neighbour"}, {ULYANOVSK}, True),
    "organization far": ({"far"}, {CHELYABINSK}, False),
    "person of ours": ({"ours"}, {ULYANOVSK}, True),
    "person of neighbour": ({"neighbour"}, {ULYANOVSK}, True),
    "person of far": ({"far"}, {CHELYABINSK}, False),
    "offer of neighbour": ({"neighbour"}, {ULYANOVSK}, True),
    "offer of far": ({"far"}, {CHELYABINSK}, False),
    "need of neighbour": ({"neighbour"}, {ULYANOVSK}, True),
    "need of far": ({"far"}, {CHELYABINSK}, False),
    # The other side of a visit, recorded by the staff of "ours": kept by "ours" wherever it is.
    "organization abroad recorded by ours": ({"abroad", "ours"}, {BELARUS}, True),
    "person of abroad recorded by ours": ({"abroad", "ours"}, {BELARUS}, True),
    "person of far recorded by ours": ({"far", "ours"}, {CHELYABINSK}, True),
    "offer of abroad": ({"abroad", "ours"}, {BELARUS}, True),
    "region of a foreign country recorded by ours": ({"ours"}, set(), True),
    "region of a foreign country recorded by far": ({"far"}, set(), False),
    "country shipped with the portal": (set(), set(), False),
    "federal subject": (set(), set(), False),
    "place recorded by ours abroad": ({"ours"}, {BELARUS}, True),
    "place of our region": (set(), {ULYANOVSK}, True),
    "place of the far region recorded by far": ({"far"}, {CHELYABINSK}, False),
    # API keys follow their login's organization, and are no directory row.
    "api key of a login of ours": ({"ours"}, set(), True),
    "api key of a login of neighbour": ({"neighbour"}, set(), False),
    "api key of a login without a person": (set(), set(), False),
    # Missions and what hangs off them: the ministry keeping the record, whoever else takes part.
    "mission of ours": ({"ours"}, set(), True),
    "mission of neighbour": ({"neighbour"}, set(), False),
    "delegation member far in the mission of ours": ({"ours"}, set(), True),
    "delegation member ours in the mission of neighbour": ({"neighbour"}, set(), False),
    "programme item of the mission of ours": ({"ours"}, set(), True),
    "programme item of the mission of neighbour": ({"neighbour"}, set(), False),
    "meeting of neighbour and far at the mission of ours": ({"ours"}, set(), True),
    "meeting of ours at the mission of neighbour": ({"neighbour"}, set(), False),
    "figure about the mission of ours": ({"ours"}, set(), True),
    "figure about the mission of neighbour": ({"neighbour"}, set(), False),
    "figure about the agreement of ours and far": ({"ours", "far"}, set(), True),
    "figure about the agreement of neighbour": ({"neighbour"}, set(), False),
    # Sources: the ministry whose staff recorded one keeps it, and its figures, whatever they are about.
    "source recorded by ours": ({"ours"}, set(), True),
    "source recorded by neighbour": ({"neighbour"}, set(), False),
    "source recorded before anyone kept sources": (set(), set(), False),
    "figure of a source recorded by ours about the mission of neighbour": ({"neighbour", "ours"}, set(), True),
    "figure of a source recorded by neighbour about the mission of ours": ({"ours", "neighbour"}, set(), True),
    "figure of a source recorded by far about the mission of neighbour": ({"neighbour", "far"}, set(), False),
    # Agreements: every party, and nobody for an agreement without parties.
    "agreement of ours and far": ({"ours", "far"}, set(), True),
    "agreement of neighbour": ({"neighbour"}, set(), False),
    "agreement without parties": (set(), set(), False),
    "party far of the agreement of ours and far": ({"ours", "far"}, set(), True),
    "party neighbour of the agreement of neighbour": ({"neighbour"}, set(), False),
    "signatory of far on the agreement of ours and far": ({"ours", "far"}, set(), True),
    "signatory of ours on the agreement of neighbour": ({"neighbour"}, set(), False),
    "plan item of the agreement of ours and far": ({"ours", "far"}, set(), True),
    "plan item for ours of the agreement of neighbour": ({"neighbour"}, set(), False),
    # Projects: the curator's organization, not the parties'.
    "project curated by ours": ({"ours"}, set(), True),
    "project curated by neighbour with ours a party": ({"neighbour"}, set(), False),
    "project curated by a login without a person": (set(), set(), False),
    "party far of the project of ours": ({"ours"}, set(), True),
    "party ours of the project of neighbour": ({"neighbour"}, set(), False),
    "update of the project of ours": ({"ours"}, set(), True),
    "update of the project of neighbour": ({"neighbour"}, set(), False),
    # Reminders: the project, else the plan item, else the organization a letter goes to.
    "reminder about the project of ours": ({"ours"}, set(), True),
    "escalation about the project of neighbour to ours": ({"neighbour"}, set(), False),
    "reminder about a plan item of the agreement of ours and far": ({"ours", "far"}, set(), True),
    "reminder about a plan item of the agreement of neighbour": ({"neighbour"}, set(), False),
    "digest to ours": ({"ours"}, set(), True),
    "digest to neighbour": ({"neighbour"}, set(), False),
    # The reminder policy is the portal's: any ministry staff keep it, nobody owns it.
    "reminder policy": (set(), set(), True),
    "stale after": (set(), set(), True),
}


@pytest.fixture
def world():
    ulyanovsk, chelyabinsk = f.directory_region(ULYANOVSK), f.directory_region(CHELYABINSK)
    orgs = {
        "ours": f.MinistryFactory(region=ulyanovsk, name="Министерство промышленности Ульяновской области"),
        "neighbour": f.OrganizationFactory(
            region=ulyanovsk, kind=Organization.Kind.DEVELOPMENT_INSTITUTION, name="Корпорация развития"
        ),
        "far": f.MinistryFactory(region=chelyabinsk, name="Министерство промышленности Челябинской области"),
    }
    belarus = Region.objects.get(kind=Region.Kind.FOREIGN_COUNTRY, code=BELARUS)
    orgs["abroad"] = f.OrganizationFactory(region=belarus, name="Минский тракторный завод", recorded_by=orgs["ours"])
    staff = {name: f.MinistryStaffFactory(username=f"staff-{name}", organization=org) for name, org in orgs.items()}
    no_person = f.UserFactory(username="integration", is_staff=True, is_superuser=True)

    def mission(owner):
        # Organized by the far ministry, recorded by the owner: the record keeper owns it, not the organizer.
        return f.MissionFactory(organizer=orgs["far"], recorded_by=orgs[owner], origin_region=ulyanovsk)

    def agreement(*owners):
        row = f.AgreementFactory()
        for owner in owners:
            f.AgreementPartyFactory(agreement=row, organization=orgs[owner])
        return row

    def project(curator, *parties):
        row = f.CooperationProjectFactory(curator=curator)
        for party in parties:
            f.ProjectPartyFactory(project=row, organization=orgs[party])
        return row

    missions = {"ours": mission("ours"), "neighbour": mission("neighbour")}
    sources = {name: f.SourceFactory(recorded_by=orgs[name]) for name in ("ours", "neighbour")}
    agreements = {"ours_far": agreement("ours", "far"), "neighbour": agreement("neighbour")}
    projects = {
        "ours": project(staff["ours"], "far", "neighbour"),
        "neighbour": project(staff["neighbour"], "ours", "far"),
    }
    plan_items = {
        "ours_far": f.PlanItemFactory(agreement=agreements["ours_far"]),
        "neighbour": f.PlanItemFactory(agreement=agreements["neighbour"], responsible_organization=orgs["ours"]),
    }
    policy, _created = ReminderPolicy.objects.get_or_create(pk=1)
    rows = {
        "organization ours": orgs["ours"],
        "organization neighbour": orgs["neighbour"],
        "organization far": orgs["far"],
        "person of ours": Person.objects.get(user=staff["ours"]),
        "person of neighbour": f.PersonFactory(organization=orgs["neighbour"]),
        "person of far": f.PersonFactory(organization=orgs["far"]),
        "offer of neighbour": f.OfferFactory(organization=orgs["neighbour"]),
        "offer of far": f.OfferFactory(organization=orgs["far"]),
        "need of neighbour": f.NeedFactory(organization=orgs["neighbour"]),
        "need of far": f.NeedFactory(organization=orgs["far"]),
        "api key of a login of ours": api_token_create(user=staff["ours"], name="1C")[0],
        "api key of a login of neighbour": api_token_create(user=staff["neighbour"], name="1C")[0],
        "api key of a login without a person": api_token_create(user=no_person, name="1C")[0],
        "mission of ours": missions["ours"],
        "mission of neighbour": missions["neighbour"],
        "delegation member far in the mission of ours": f.DelegationMemberFactory(
            mission=missions["ours"], organization=orgs["far"]
        ),
        "delegation member ours in the mission of neighbour": f.DelegationMemberFactory(
            mission=missions["neighbour"], organization=orgs["ours"]
        ),
        "programme item of the mission of ours": f.ProgramItemFactory(mission=missions["ours"]),
        "programme item of the mission of neighbour": f.ProgramItemFactory(
            mission=missions["neighbour"], host=orgs["ours"]
        ),
        "meeting of neighbour and far at the mission of ours": f.MeetingFactory(
            mission=missions["ours"], organization_a=orgs["neighbour"], organization_b=orgs["far"]
        ),
        "meeting of ours at the mission of neighbour": f.MeetingFactory(
            mission=missions["neighbour"], organization_a=orgs["ours"], organization_b=orgs["far"]
        ),
        "figure about the mission of ours": f.ReportedFigureFactory(mission=missions["ours"]),
        "figure about the mission of neighbour": f.ReportedFigureFactory(mission=missions["neighbour"]),
        "figure about the agreement of ours and far": f.ReportedFigureFactory(
            mission=None, agreement=agreements["ours_far"]
        ),
        "figure about the agreement of neighbour": f.ReportedFigureFactory(
            mission=None, agreement=agreements["neighbour"]
        ),
        "source recorded by ours": sources["ours"],
        "source recorded by neighbour": sources["neighbour"],
        "source recorded before anyone kept sources": f.SourceFactory(),
        "figure of a source recorded by ours about the mission of neighbour": f.ReportedFigureFactory(
            source=sources["ours"], mission=missions["neighbour"]
        ),
        "figure of a source recorded by neighbour about the mission of ours": f.ReportedFigureFactory(
            source=sources["neighbour"], mission=missions["ours"]
        ),
        "figure of a source recorded by far about the mission of neighbour": f.ReportedFigureFactory(
            source=f.SourceFactory(recorded_by=orgs["far"]), mission=missions["neighbour"]
        ),
        "agreement of ours and far": agreements["ours_far"],
        "agreement of neighbour": agreements["neighbour"],
        "agreement without parties": f.AgreementFactory(),
        "party far of the agreement of ours and far": agreements["ours_far"].parties.get(organization=orgs["far"]),
        "party neighbour of the agreement of neighbour": agreements["neighbour"].parties.get(),
        "signatory of far on the agreement of ours and far": f.SignatoryFactory(
            agreement=agreements["ours_far"], person__organization=orgs["far"]
        ),
        "signatory of ours on the agreement of neighbour": f.SignatoryFactory(
            agreement=agreements["neighbour"], person=Person.objects.get(user=staff["ours"])
        ),
        "plan item of the agreement of ours and far": plan_items["ours_far"],
        "plan item for ours of the agreement of neighbour": plan_items["neighbour"],
        "project curated by ours": projects["ours"],
        "project curated by neighbour with ours a party": projects["neighbour"],
        "project curated by a login without a person": project(no_person, "ours", "far"),
        "party far of the project of ours": projects["ours"].parties.get(organization=orgs["far"]),
        "party ours of the project of neighbour": projects["neighbour"].parties.get(organization=orgs["ours"]),
        "update of the project of ours": f.ProjectUpdateFactory(project=projects["ours"]),
        "update of the project of neighbour": f.ProjectUpdateFactory(project=projects["neighbour"]),
        "reminder about the project of ours": f.ReminderFactory(project=projects["ours"]),
        "escalation about the project of neighbour to ours": f.ReminderFactory(
            kind=Reminder.Kind.ESCALATION, project=projects["neighbour"], organization=orgs["ours"]
        ),
        "reminder about a plan item of the agreement of ours and far": f.ReminderFactory(
            kind=Reminder.Kind.PLAN_ITEM_OVERDUE, project=None, plan_item=plan_items["ours_far"]
        ),
        "reminder about a plan item of the agreement of neighbour": f.ReminderFactory(
            kind=Reminder.Kind.PLAN_ITEM_OVERDUE, project=None, plan_item=plan_items["neighbour"]
        ),
        "digest to ours": f.ReminderFactory(kind=Reminder.Kind.DIGEST, project=None, organization=orgs["ours"]),
        "digest to neighbour": f.ReminderFactory(
            kind=Reminder.Kind.DIGEST, project=None, organization=orgs["neighbour"]
        ),
        "organization abroad recorded by ours": orgs["abroad"],
        "person of abroad recorded by ours": f.PersonFactory(organization=orgs["abroad"], recorded_by=orgs["ours"]),
        "person of far recorded by ours": f.PersonFactory(organization=orgs["far"], recorded_by=orgs["ours"]),
        "offer of abroad": f.OfferFactory(organization=orgs["abroad"]),
        "region of a foreign country recorded by ours": f.RegionFactory(
            kind=Region.Kind.FOREIGN_REGION, country=belarus, recorded_by=orgs["ours"]
        ),
        "region of a foreign country recorded by far": f.RegionFactory(
            kind=Region.Kind.FOREIGN_REGION, country=belarus, recorded_by=orgs["far"]
        ),
        "country shipped with the portal": belarus,
        "federal subject": ulyanovsk,
        "place recorded by ours abroad": f.PlaceFactory(region=belarus, recorded_by=orgs["ours"]),
        "place of our region": f.PlaceFactory(region=ulyanovsk),
        "place of the far region recorded by far": f.PlaceFactory(region=chelyabinsk, recorded_by=orgs["far"]),
        "reminder policy": policy,
        "stale after": policy.stale_after.first() or policy.stale_after.create(stage="negotiation", days=30),
    }
    return orgs, staff, rows


def _fresh(row):
    """The row as the admin loads it: nothing cached from building it."""
    return type(row)._default_manager.get(pk=row.pk)


def test_each_row_is_owned_by_the_organizations_its_model_declares(world):
    orgs, _staff, rows = world
    names = {org.pk: name for name, org in orgs.items()}
    codes = dict(Region.objects.values_list("pk", "code"))

    got = {}
    for label, row in rows.items():
        row, ownership = _fresh(row), ownership_of(row)
        owners = {names[pk] for pk in ownership.organization_ids(row)}
        regions = {codes[pk] for pk in ownership.region_ids(row)}
        got[label] = (owners, regions, ownership.allows(orgs["ours"], row))

    assert got == EXPECTED


def test_staff_may_change_a_row_by_can_edit_exactly_when_the_queryset_filter_holds_it(world):
    orgs, staff, rows = world

    got = {}
    for label, row in rows.items():
        model, ownership = type(row), ownership_of(row)
        by_filter = ownership.filter(model._default_manager.all(), orgs["ours"]).filter(pk=row.pk).exists()
        got[label] = (roles.can_edit(staff["ours"], _fresh(row)), by_filter)

    assert got == {label: (may, may) for label, (_owners, _regions, may) in EXPECTED.items()}


@pytest.mark.parametrize(
    ("model_label", "expected"),
    [
        ("missions.Mission", {"mission of ours"}),
        ("agreements.Agreement", {"agreement of ours and far"}),
        ("agreements.CooperationProject", {"project curated by ours"}),
        (
            "companies.Organization",
            {"organization ours", "organization neighbour", "organization abroad recorded by ours"},
        ),
        ("companies.Region", {"region of a foreign country recorded by ours"}),
        ("companies.Place", {"place recorded by ours abroad", "place of our region"}),
    ],
)
def test_admin_choices_are_the_rows_the_declaration_gives(world, model_label, expected):
    _orgs, staff, rows = world
    model = apps.get_model(model_label)
    labels = {row.pk: label for label, row in rows.items() if isinstance(row, model)}

    choices = editable_choices(model, staff["ours"])

    assert sorted(labels[pk] for pk in choices.values_list("pk", flat=True)) == sorted(expected)


def test_a_login_without_an_organization_owns_nothing(world):
    _orgs, _staff, rows = world
    stray = f.UserFactory(username="stray-staff", is_staff=True)

    assert [label for label, row in rows.items() if roles.can_edit(stray, _fresh(row))] == []
    assert [m for m in ("missions.Mission", "agreements.Agreement") if editable_choices(apps.get_model(m), stray)] == []


def test_the_queryset_filter_repeats_no_row(world):
    orgs, _staff, rows = world

    repeated = {}
    for model in {type(row) for row in rows.values()}:
        for name, organization in orgs.items():
            pks = list(
                ownership_of(model).filter(model._default_manager.all(), organization).values_list("pk", flat=True)
            )
            if len(pks) != len(set(pks)):
                repeated[f"{model.__name__} for {name}"] = pks
    assert repeated == {}


def test_one_row_is_answered_from_memory_until_a_path_reaches_many_rows(world, django_assert_num_queries):
    orgs, _staff, rows = world
    meeting = type(rows["meeting of ours at the mission of neighbour"]).objects.select_related("mission")
    meeting = meeting.get(pk=rows["meeting of ours at the mission of neighbour"].pk)
    agreement = _fresh(rows["agreement of neighbour"])

    with django_assert_num_queries(0):
        assert meeting.ownership.organization_ids(meeting) == {orgs["neighbour"].pk}
    with django_assert_num_queries(1):  # the parties
        assert agreement.ownership.organization_ids(agreement) == {orgs["neighbour"].pk}


# --- The declarations themselves ---------------------------------------------------------------

# Rows of these models are changed by a superuser only: they declare no ownership. A delegation
# application is decided by the staff keeping the mission's record, which its admin asks of the mission.
SUPERUSER_ONLY = {
    # a user's own export or import job: only its user opens it (companies.export_jobs, companies.imports)
    "companies.ExportJob",
    "companies.ImportJob",
    "companies.FederalDistrict",
    "companies.Sector",
    "companies.CalendarFeed",
    "missions.DelegationApplication",
    "agreements.Sphere",
    # derived from the directory by partners.suggestions and rebuilt from it at any time
    "partners.SuggestionTerm",
    "partners.SuggestionState",
}
DECLARED = {
    "companies.Region",
    "companies.Place",
    "companies.Organization",
    "companies.Person",
    "companies.Offer",
    "companies.Need",
    "companies.ApiToken",
    "companies.SearchSynonym",
    "companies.ProfileChange",
    "missions.Mission",
    "missions.Source",
    "missions.ReportedFigure",
    "missions.DelegationMember",
    "missions.ProgramItem",
    "missions.Meeting",
    "partners.MeetingRequest",
    "partners.PartnerSuggestion",
    "partners.SuggestionFeedback",
    "partners.B2BSession",
    "partners.SessionBreak",
    "partners.SessionTable",
    "partners.SessionUnavailability",
    "partners.SessionPairing",
    "partners.PlannedMeeting",
    "partners.HostParticipant",
    "agreements.Agreement",
    "agreements.AgreementParty",
    "agreements.Signatory",
    "agreements.PlanItem",
    "agreements.CooperationProject",
    "agreements.ProjectParty",
    "agreements.ProjectUpdate",
    "agreements.Reminder",
    "agreements.ReminderPolicy",
    "agreements.StaleAfter",
}


def _portal_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in settings.PORTAL_APPS and not model.__name__.startswith("Historical")
    ]


def test_every_portal_model_declares_its_ownership_or_is_changed_by_superusers_only():
    declared = {m._meta.label for m in _portal_models() if ownership_of(m) is not None}
    undeclared = {m._meta.label for m in _portal_models() if ownership_of(m) is None}

    assert (declared, undeclared) == (DECLARED, SUPERUSER_ONLY)


def _target(model, path):
    """The model a lookup path ends at, and whether its first step is a nullable foreign key."""
    first_nullable = None
    for step in path.split("__"):
        if step == "pk":
            return model, False
        field = model._meta.get_field(step)
        if first_nullable is None:
            first_nullable = isinstance(field, ForeignKey) and field.null
        model = field.related_model
    return model, first_nullable


@pytest.mark.parametrize("model", [apps.get_model(label) for label in sorted(DECLARED)], ids=sorted(DECLARED))
def test_every_declared_path_leads_to_an_organization(model):
    ownership = ownership_of(model)
    targets = [_target(model, path) for path in ownership.paths]

    assert {t for t, _nullable in targets} <= {Organization}
    # Only the last path may be taken unconditionally: before it, "is this one set" is read on the row.
    assert all(nullable for _t, nullable in targets[:-1])
    if ownership.region:
        assert _target(model, ownership.region)[0] is Region


def test_an_ownership_is_paths_or_portal_wide():
    with pytest.raises(ValueError):
        Ownership()
    with pytest.raises(ValueError):
        Ownership("organization", portal_wide=True)


def test_user_choices_are_the_logins_of_ones_own_organization(world):
    _orgs, staff, _rows = world

    choices = editable_choices(get_user_model(), staff["ours"])

    assert list(choices.values_list("username", flat=True)) == ["staff-ours"]
