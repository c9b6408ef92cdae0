"""A section of a detail page paged under its own parameter (companies.paging)."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from companies.models import Organization
from companies.paging import section_page
from tests import factories as f


def _request(query: str = ""):
    return RequestFactory().get(f"/missions/x/?{query}")


@pytest.mark.parametrize(
    ("query", "number", "rows"),
    [("", 1, [0, 1, 2]), ("meetings=2", 2, [3, 4, 5]), ("meetings=4", 4, [9]), ("meetings=99", 4, [9]),
     ("meetings=abc", 1, [0, 1, 2]), ("meetings=-1", 4, [9]), ("plan=3", 1, [0, 1, 2])],
)  # fmt: skip
def test_the_page_its_parameter_asks_for_or_the_nearest(query, number, rows):
    section = section_page(_request(query), list(range(10)), param="meetings", per_page=3)

    assert (section.page.number, list(section), section.count, section.paged) == (number, rows, 10, True)


def test_one_page_needs_no_pager_and_an_empty_section_is_false():
    assert section_page(_request(), [1, 2], param="plan", per_page=3).paged is False
    assert bool(section_page(_request(), [], param="plan", per_page=3)) is False


@pytest.mark.django_db
def test_a_known_count_spares_the_count_query(django_assert_num_queries):
    for n in range(4):
        f.OrganizationFactory(slug=f"o{n}")
    rows = Organization.objects.order_by("slug")

    with django_assert_num_queries(1):  # the page's rows only
        section = section_page(_request("orgs=2"), rows, param="orgs", per_page=3, count=4)
        assert [o.slug for o in section] == ["o3"]


def test_the_pager_keeps_the_other_parameters_and_points_at_the_section():
    request = _request("plan=2&meetings=2")
    section = section_page(request, list(range(10)), param="meetings", per_page=3, anchor="meetings-table")

    html = Template('{% include "includes/section_pagination.html" %}').render(
        Context({"section": section, "request": request})
    )

    assert 'href="?plan=2&amp;meetings=1#meetings-table" rel="prev"' in html
    assert 'href="?plan=2&amp;meetings=3#meetings-table" rel="next"' in html
    assert "Page 2 of 4" in html
