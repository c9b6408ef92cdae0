"""The API schema generator builds form fields on the page FilterSets' class-level filters; the pages'
per-request choices (years, districts) must still apply after it ran."""

import datetime

from agreements.filters import AgreementFilter
from agreements.models import Agreement
from tests.factories import AgreementFactory


def test_year_choices_of_a_request_apply_after_the_schema_was_generated(client, db):
    assert client.get("/api/v1/schema/").status_code == 200  # builds AgreementFilter.base_filters' fields
    AgreementFactory(title="2023", signed_on=datetime.date(2023, 3, 1))
    AgreementFactory(title="2025", signed_on=datetime.date(2025, 2, 3))

    filterset = AgreementFilter({"year": "2025"}, queryset=Agreement.objects.all())

    assert filterset.is_valid(), filterset.errors
    assert [a.title for a in filterset.qs] == ["2025"]
