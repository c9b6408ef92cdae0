"""The issue's "done when": a ministry's integration reads its region's missions page by page with a
key, and records progress on a project; a move the workflow forbids is refused and writes nothing."""

from django.db.models import Q

from agreements.models import CooperationProject, ProjectUpdate
from missions.models import Mission
from tests import factories as f
from tests.api import API, Api, assert_error_shape, days_ahead


def _fill_missions_of_region_x(world):
    """Seven more missions from or to region X (published or not), every mission of the world with a
    delegation, a programme and a meeting."""
    x, y = world.region_x, world.region_y
    org_a, org_b = world.orgs["org_a"], world.orgs["org_b"]
    for i in range(7):
        outgoing = i % 2 == 0
        f.MissionFactory(
            slug=f"more-x-{i}",
            origin_region=x if outgoing else y,
            destination_regions=[y if outgoing else x],
            organizer=world.orgs["ministry_x" if outgoing else "ministry_y"],
            is_public=i % 3 == 0,
        )
    for mission in Mission.objects.all():
        if not mission.delegation.exists():
            f.DelegationMemberFactory(mission=mission, organization=org_a)
        if not mission.program.exists():
            f.ProgramItemFactory(mission=mission)
        if not mission.meetings.exists():
            f.MeetingFactory(mission=mission, organization_a=org_a, organization_b=org_b)


def test_a_ministry_reads_its_region_and_records_progress_with_a_key(api_world):
    world = api_world
    _fill_missions_of_region_x(world)
    f.MissionFactory(slug="elsewhere", origin_region=world.region_y, destination_regions=[f.RegionFactory()])
    api = Api(world)
    key = world.keys["staff_x"]
    x = world.region_x
    expected = set(Mission.objects.filter(Q(origin_region=x) | Q(destination_regions=x)).values_list("slug", flat=True))
    assert len(expected) == 11 and Mission.objects.filter(slug__in=expected, is_public=False).count() >= 4

    # Every mission of region X, published or not, page by page, with its delegation, programme and meetings.
    missions, pages, url = [], 0, f"{API}missions/?region={x.slug}&page_size=4"
    while url:
        response = api.get(url, key=key)
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["count"] == len(expected)
        missions += body["results"]
        pages += 1
        url = body["next"]

    assert pages == 3
    assert [m["slug"] for m in missions if m["slug"] in expected] == [m["slug"] for m in missions]
    assert sorted(m["slug"] for m in missions) == sorted(expected)
    for mission in missions:
        assert mission["delegation"] and mission["programme"] and mission["meetings"], mission["slug"]
        assert all(d["organization"] for d in mission["delegation"])

    # Progress on a project the ministry curates (not published): a note, a stage, a next step.
    project = world.projects["hidden-project-x"]
    before = list(ProjectUpdate.objects.filter(project=project).values_list("pk", flat=True))
    due = days_ahead(14)

    response = api.post(
        f"projects/{project.slug}/updates/",
        {"note": "Получено коммерческое предложение", "stage": "proposal", "next_step": "Согласовать цену",
         "next_step_due": due},
        key=key,
    )  # fmt: skip

    assert response.status_code == 201, response.content
    assert response.json()["stage"] == "proposal"
    assert response.json()["next_step"] == "Согласовать цену"
    assert response.json()["updates"][0]["text"] == "Получено коммерческое предложение"
    update = ProjectUpdate.objects.exclude(pk__in=before).get(project=project)
    assert update.author == world.users["staff_x"]
    assert (update.stage_from, update.stage_to) == ("negotiation", "proposal")
    assert (update.next_step, update.next_step_due.isoformat()) == ("Согласовать цену", due)
    project.refresh_from_db()
    assert project.stage == CooperationProject.Stage.PROPOSAL
    assert (project.next_step, project.next_step_due.isoformat()) == ("Согласовать цену", due)

    # A move the workflow does not allow: a 400 in the one error shape, and nothing written.
    activity, rows = project.last_activity_at, ProjectUpdate.objects.count()

    response = api.post(
        f"projects/{project.slug}/updates/", {"note": "Назад в лиды", "stage": "lead", "next_step": "Забыть"}, key=key
    )

    errors = assert_error_shape(response, 400)
    assert [(e["field"], e["code"]) for e in errors] == [(None, "bad_transition")]
    assert ProjectUpdate.objects.count() == rows
    project.refresh_from_db()
    assert (project.stage, project.next_step, project.last_activity_at) == ("proposal", "Согласовать цену", activity)
