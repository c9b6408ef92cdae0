"""One colour mapping for every status badge: in progress is blue, overdue red, and nothing else red."""

import pytest
from django.template import Context, Template
from django.utils import translation

from agreements.models import Agreement, CooperationProject, PlanItem
from config.portal.templatetags.badges import TONES
from missions.models import DelegationApplication, Mission


def render(source: str, **context) -> str:
    with translation.override("ru"):
        return Template("{% load badges %}" + source).render(Context(context)).strip()


@pytest.mark.parametrize(
    ("kind", "choices"),
    [
        ("project", CooperationProject.Stage),
        ("mission", Mission.Status),
        ("agreement", Agreement.Status),
        ("plan_item", PlanItem.Status),
        ("application", DelegationApplication.Status),
    ],
)
def test_every_status_has_a_colour(kind, choices):
    assert set(TONES[kind]) - {"overdue"} == set(choices.values)


def test_red_means_overdue_and_only_overdue():
    red = sorted((kind, value) for kind, tones in TONES.items() for value, tone in tones.items() if tone == "bad")
    assert red == [("plan_item", "overdue")]


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("project", "negotiation", "info"),
        ("project", "in_implementation", "ok"),
        ("project", "suspended", "warn"),
        ("project", "dropped", ""),
        ("mission", "under_way", "info"),
        ("mission", "completed", "ok"),
        ("agreement", "in_force", "ok"),
        ("agreement", "expired", "warn"),
        ("plan_item", "in_progress", "info"),
        ("plan_item", "overdue", "bad"),
        ("application", "declined", ""),
    ],
)
def test_tone_of_a_status(kind, value, expected):
    assert render("{{ value|tone:kind }}", value=value, kind=kind) == expected


def test_a_grey_badge_has_no_tone_class():
    assert render('{{ "dropped"|badge_class:"project" }}') == "badge"
    assert render('{{ "in_force"|badge_class:"agreement" }}') == "badge ok"


def test_the_stage_badge_of_a_project_in_progress_is_blue():
    project = CooperationProject(stage=CooperationProject.Stage.IN_IMPLEMENTATION)
    negotiation = CooperationProject(stage=CooperationProject.Stage.NEGOTIATION)

    assert render('{% include "agreements/_stage.html" %}', project=negotiation) == (
        '<span class="badge info">переговоры</span>'
    )
    assert 'class="badge ok"' in render('{% include "companies/_project_stage.html" %}', project=project)


def test_a_mission_under_way_is_not_shown_as_a_warning():
    mission = Mission(status=Mission.Status.UNDER_WAY)

    for template in ("missions/_status.html", "companies/_mission_status.html", "portal/_mission_status.html"):
        assert render("{% include template %}", template=template, mission=mission) == (
            '<span class="badge info">проходит</span>'
        )
