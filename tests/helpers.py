"""Helpers shared by the page tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


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
