"""Helpers shared by the page tests."""

import re

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation


def query_count(client, url: str) -> int:
    """SQL queries of one GET of `url` (which must answer 200), after a warm-up request.

    The warm-up keeps what is cached once per process (content types, translations) out of the
    count, so 2 rows and 50 rows compare only what grows with the rows.
    """
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries)


def html_of(response) -> str:
    """The body of a page that must answer 200."""
    assert response.status_code == 200
    return response.content.decode()


def section_of(html: str, heading_id: str) -> str:
    """The inner HTML of the <section> labelled by the heading with this id."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}"[^>]*>(.*?)</section>', html, re.S)
    assert match, heading_id
    return match[1]


def non_field_messages(instance) -> list[str]:
    """The row-level (constraint) messages full_clean() raises for `instance`, in English."""
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    return excinfo.value.message_dict.get(NON_FIELD_ERRORS, [])
