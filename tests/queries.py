"""Counting the SQL queries a page runs, for the tests that keep those counts constant."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url) -> int:
    """The queries `client.get(url)` runs; the answer must be a 200."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)
