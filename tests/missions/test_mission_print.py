"""The mission page prints like the agreement page: a print button and an as-of stamp, from one include."""

import datetime
import re

import pytest
import time_machine

from tests.factories import AgreementFactory, MissionFactory
from tests.helpers import html_of

pytestmark = pytest.mark.django_db

STAMP = r'<p class="print-only as-of">{} as of 2 March 2026 · http://testserver{}</p>'
BUTTON = (
    r'<p class="page-actions no-print">\s*'
    r'<button type="button" class="button secondary" data-print hidden>Print</button>'
)


def page(client, url: str) -> str:
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC), tick=False):
        return html_of(client.get(url))


def test_the_mission_page_has_a_print_button_and_an_as_of_stamp(en):
    mission = MissionFactory(slug="tula-2026")

    html = page(en, mission.get_absolute_url())

    assert re.search(STAMP.format("Mission record", re.escape("/missions/tula-2026/")), html)
    assert re.search(BUTTON, html)
    assert re.search(r'<script src="/static/js/print(\.[0-9a-f]+)?\.js" defer></script>', html)


def test_the_agreement_page_keeps_its_stamp_from_the_same_include(en):
    agreement = AgreementFactory(slug="plan-2026", is_public=True)

    html = page(en, agreement.get_absolute_url())

    assert re.search(STAMP.format("Status", re.escape("/agreements/plan-2026/")), html)
    assert re.search(BUTTON, html)
