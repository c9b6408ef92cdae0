"""The partner suggestion pages fit a phone (390 px) and a laptop: a company's own page (as its
representative, with long reasons) and a mission's page (as staff), with the rating buttons."""

import pytest
from django.urls import reverse

from companies.models import Need, Offer
from missions.models import Mission
from partners.suggestions.services import suggestions_refresh_all
from tests import factories as f
from tests.e2e.test_layout import SCREENSHOTS, WIDTHS, sideways, tab  # noqa: F401 - `tab` is a fixture

pytestmark = pytest.mark.e2e

LONG_NEED = "Литые заготовки из высокопрочного чугуна с шаровидным графитом для корпусов редукторов"
LONG_OFFER = "Литьё высокопрочного чугуна с шаровидным графитом, заготовки корпусов массой до 12 тонн"


def test_the_suggestion_pages_fit_a_phone_and_a_laptop(transactional_db, django_db_serialized_rollback, tab):  # noqa: F811
    ulyanovsk, chelyabinsk = f.directory_region("73"), f.directory_region("74")
    company = f.OrganizationFactory(name="Волжский завод редукторов и трансмиссий", slug="a", region=ulyanovsk)
    Need.objects.create(organization=company, title=LONG_NEED)
    for i in range(3):
        partner = f.OrganizationFactory(
            name=f"Уральский литейно-механический завод имени Героев Труда № {i}", slug=f"b-{i}", region=chelyabinsk
        )
        Offer.objects.create(organization=partner, title=LONG_OFFER)
    mission = f.MissionFactory(status=Mission.Status.PLANNED, slug="trip", destination_regions=[chelyabinsk])
    f.DelegationMemberFactory(mission=mission, organization=company)
    suggestions_refresh_all()
    rep = f.UserFactory(username="rep-a")
    f.PersonFactory(organization=company, user=rep)
    staff = f.MinistryStaffFactory(username="staff-73", organization=f.MinistryFactory(region=ulyanovsk))

    offenders = []
    for width, viewport in WIDTHS.items():
        for user, name, url in (
            (rep, "suggestions:company", reverse("suggestions:company")),
            (staff, "suggestions:mission", reverse("suggestions:mission", args=["trip"])),
        ):
            page = tab(viewport, user)
            assert page.goto(url).status == 200
            assert page.locator("li.suggestion").count() == 3
            assert page.get_by_role("button", name="Полезно").count() == 3
            if offence := sideways(page, name, url, width, SCREENSHOTS / "suggestions"):
                offenders.append(offence)
            page.context.close()
    assert not offenders, "\n".join(offenders)
