"""Who sees what through the API: the selectors of the pages, nested rows included."""

import pytest

from tests.api import ROLES, SEES_UNPUBLISHED

HIDDEN_PROJECTS = {"hidden-project-x", "hidden-project-y", "private-lead-a"}
HIDDEN_ORGS = {"hidden-org-x", "hidden-org-y"}


def _slugs(response, key="slug") -> list:
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def _all_pages(api, path, params=None, role=None) -> list[dict]:
    rows, url = [], path
    params = {"page_size": 100, **(params or {})}
    while url:
        body = api.get(url, params, role=role).json()
        rows += body["results"]
        url, params = body["next"], None
    return rows


# --- A company never lists another's private rows, whatever it asks ---------------------------

PROJECT_FILTERS = [
    {},
    {"stage": "lead"},
    {"stage": "negotiation"},
    {"stage": ["lead", "negotiation"]},
    {"region": "ulyanovsk-oblast"},
    {"sector": "machinery"},
    {"next_step_due_before": "2100-01-01"},
    {"ordering": "title"},
    {"page_size": 100},
]


@pytest.mark.parametrize("role", ["anonymous", "company_a", "company_b"])
@pytest.mark.parametrize("params", PROJECT_FILTERS, ids=str)
def test_no_private_project_is_listed_outside_staff_whatever_the_filter(api, role, params):
    if "region" in params:
        params = {**params, "region": api.world.region_x.slug}

    slugs = _slugs(api.get("projects/", params, role=role))

    assert not HIDDEN_PROJECTS & set(slugs)


def test_company_b_sees_public_leads_but_not_company_a_private_one(api):
    assert _slugs(api.get("projects/", {"stage": "lead"}, role="company_b")) == ["public-lead-b"]
    assert set(_slugs(api.get("projects/", {"stage": "lead"}, role="staff_y"))) == {"public-lead-b", "private-lead-a"}


@pytest.mark.parametrize("slug", sorted(HIDDEN_PROJECTS))
def test_a_private_project_is_not_found_by_its_slug_outside_staff(api, slug):
    for role in ("anonymous", "company_a", "company_b"):
        assert api.get(f"projects/{slug}/", role=role).status_code == 404


def test_my_projects_are_the_organizations_own_published_or_not(api):
    own_a = set(_slugs(api.get("me/projects/", role="company_a")))
    own_b = set(_slugs(api.get("me/projects/", role="company_b")))

    assert own_a == {"public-project-x", "hidden-project-x", "private-lead-a"}
    assert own_b == {"public-project-x", "hidden-project-y", "public-lead-b"}


def test_my_projects_name_every_party_and_show_the_updates(api):
    rows = {p["slug"]: p for p in api.get("me/projects/", role="company_a").json()["results"]}

    hidden = rows["hidden-project-x"]
    assert {p["organization"]["slug"] for p in hidden["parties"]} == {"company-a", "hidden-org-x"}
    assert len(hidden["updates"]) == 1


def test_staff_see_the_projects_their_ministry_curates_as_theirs(api):
    assert set(_slugs(api.get("me/projects/", role="staff_x"))) == {
        "public-project-x",
        "hidden-project-x",
        "private-lead-a",
    }
    assert _slugs(api.get("me/projects/", role="official")) == []  # no organization, no projects of its own


@pytest.mark.parametrize("role", ["anonymous", "company_a", "company_b"])
@pytest.mark.parametrize(
    ("path", "hidden"),
    [
        ("missions/", {"hidden-mission-x", "hidden-mission-y"}),
        ("agreements/", {"hidden-agreement-x", "hidden-agreement-y"}),
        ("organizations/", HIDDEN_ORGS),
    ],
)
def test_no_hidden_row_in_any_list_outside_staff(api, role, path, hidden):
    for params in ({}, {"region": api.world.region_x.slug}, {"region": api.world.region_y.slug}, {"ordering": "-name"}):
        rows = _all_pages(api, path, params, role)
        assert not hidden & {r["slug"] for r in rows}, params


@pytest.mark.parametrize("role", ROLES)
def test_every_list_shows_hidden_rows_only_to_those_who_see_unpublished(api, role):
    missions = {r["slug"] for r in _all_pages(api, "missions/", role=role)}
    organizations = {r["slug"] for r in _all_pages(api, "organizations/", role=role)}
    projects = {r["slug"] for r in _all_pages(api, "projects/", role=role)}

    sees = role in SEES_UNPUBLISHED
    assert ("hidden-mission-y" in missions) is sees
    assert ("hidden-org-y" in organizations) is sees
    assert ("hidden-project-y" in projects) is sees


# --- Nested rows -----------------------------------------------------------------------------


def test_a_public_mission_leaves_out_hidden_organizations_for_the_public(api):
    public = api.get("missions/public-mission-x/").json()
    staff = api.get("missions/public-mission-x/", role="staff_y").json()

    assert [d["organization"]["slug"] for d in public["delegation"]] == ["company-a"]
    assert {d["organization"]["slug"] for d in staff["delegation"]} == {"company-a", "hidden-org-x"}
    assert [(m["organization_a"]["slug"], m["organization_b"]["slug"]) for m in public["meetings"]] == [
        ("company-a", "company-b")
    ]
    assert len(staff["meetings"]) == 2
    assert len(public["programme"]) == len(staff["programme"]) == 1


def test_a_public_agreement_leaves_out_hidden_parties_for_the_public(api):
    public = api.get("agreements/public-agreement-x/").json()
    official = api.get("agreements/public-agreement-x/", role="official").json()

    assert {p["organization"]["slug"] for p in public["parties"]} == {"ministry-x", "ministry-y"}
    assert {p["organization"]["slug"] for p in official["parties"]} == {"ministry-x", "ministry-y", "hidden-org-x"}


def test_meetings_with_a_hidden_side_or_of_a_hidden_mission_are_not_listed_for_the_public(api):
    world = api.world
    public_ids = set(_slugs(api.get("meetings/"), key="id"))

    assert public_ids == {world.meetings["public"].pk}
    assert api.get(f"meetings/{world.meetings['hidden_partner'].pk}/").status_code == 404
    assert api.get(f"meetings/{world.meetings['hidden_mission'].pk}/", role="company_b").status_code == 404
    assert api.get(f"meetings/{world.meetings['hidden_mission'].pk}/", role="official").status_code == 200


def test_my_meetings_name_the_hidden_counterpart(api):
    rows = api.get("me/meetings/", role="company_a").json()["results"]

    assert len(rows) == 3
    assert {m["organization_b"]["slug"] for m in rows} == {"company-b", "hidden-org-y"}
    assert api.get("me/meetings/", role="official").json()["count"] == 0


@pytest.mark.parametrize(("role", "sees_updates"), [("anonymous", False), ("company_a", True), ("staff_y", True)])
def test_project_updates_only_for_parties_and_staff(api, role, sees_updates):
    project = api.get("projects/public-project-x/", role=role).json()

    assert bool(project["updates"]) is sees_updates


def test_project_updates_not_for_a_company_that_is_not_a_party(api):
    assert api.get("projects/public-lead-b/", role="company_a").json()["updates"] == []
    assert api.get("projects/public-lead-b/", role="company_b").json()["updates"] != []


# --- People ------------------------------------------------------------------------------------


def test_people_contacts_are_hidden_from_the_public(api):
    people = _all_pages(api, "people/")

    assert people
    assert all(p["email"] is None and p["phone"] is None for p in people)
    detail = api.get(f"people/{api.world.people['public'].pk}/").json()
    assert detail["email"] is None and detail["phone"] is None


def test_people_contacts_are_shown_to_their_own_organization_only(api):
    people = {p["id"]: p for p in _all_pages(api, "people/", role="company_a")}
    own = api.world.people["public"]
    rep_b = api.world.users["company_b"].person

    assert people[own.pk]["email"] == own.email
    assert people[own.pk]["phone"] == own.phone
    assert people[rep_b.pk]["email"] is None and people[rep_b.pk]["phone"] is None


@pytest.mark.parametrize("role", sorted(SEES_UNPUBLISHED))
def test_people_contacts_are_shown_to_staff_and_officials(api, role):
    hidden = api.world.people["hidden_y"]

    person = api.get(f"people/{hidden.pk}/", role=role).json()

    assert (person["email"], person["phone"]) == (hidden.email, hidden.phone)


def test_people_of_hidden_organizations_are_not_listed_for_the_public(api):
    world = api.world
    ids = {p["id"] for p in _all_pages(api, "people/", role="company_b")}

    assert world.people["hidden_x"].pk not in ids
    assert api.get(f"people/{world.people['hidden_x'].pk}/", role="company_b").status_code == 404


# --- Me ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("company_a", ("rep-a", "company", {"slug": "company-a", "name": "Завод Альфа"})),
        ("staff_x", ("staff-x", "staff", {"slug": "ministry-x", "name": "Министерство промышленности X"})),
        ("official", ("official", "official", None)),
        ("superuser", ("root", "superuser", None)),
    ],
)
def test_me_says_who_the_key_belongs_to(api, role, expected):
    username, role_name, organization = expected

    assert api.get("me/", role=role).json() == {"username": username, "role": role_name, "organization": organization}
