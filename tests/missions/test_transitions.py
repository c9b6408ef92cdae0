"""The mission status workflow: every (from, to) pair of the table, on the model and through the services.

The expected table is written out here, not read from Mission.TRANSITIONS.
"""

import pytest

from companies.exceptions import PortalError
from missions.models import Mission
from missions.services.missions import mission_update
from tests.factories import MissionFactory

STATUSES = ["planned", "confirmed", "under_way", "completed", "cancelled"]

# (from, to) pairs a mission may move along; every other pair of different statuses is refused.
MISSION_MOVES = {
    ("planned", "confirmed"),
    ("planned", "under_way"),
    ("planned", "cancelled"),
    ("confirmed", "planned"),
    ("confirmed", "under_way"),
    ("confirmed", "cancelled"),
    ("under_way", "completed"),
    ("under_way", "cancelled"),
    ("cancelled", "planned"),
}
PAIRS = [(a, b) for a in STATUSES for b in STATUSES if a != b]


def test_the_table_names_every_status():
    assert sorted(STATUSES) == sorted(Mission.Status.values)
    assert sorted(Mission.TRANSITIONS) == sorted(STATUSES)


@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_mission_can_move_to_follows_the_table(current, target):
    assert Mission(status=current).can_move_to(target) is ((current, target) in MISSION_MOVES)


@pytest.mark.parametrize("status", STATUSES)
def test_mission_staying_put_or_going_nowhere_known_is_no_move(status):
    assert Mission(status=status).can_move_to(status) is False
    assert Mission(status=status).can_move_to("archived") is False


@pytest.mark.django_db
@pytest.mark.parametrize(("current", "target"), PAIRS)
def test_mission_update_applies_the_table(current, target):
    mission = MissionFactory(status=current)

    if (current, target) in MISSION_MOVES:
        mission_update(mission=mission, status=target)
        assert Mission.objects.get(pk=mission.pk).status == target
    else:
        with pytest.raises(PortalError) as excinfo:
            mission_update(mission=mission, status=target)
        assert excinfo.value.code == "bad_transition"
        assert Mission.objects.get(pk=mission.pk).status == current
