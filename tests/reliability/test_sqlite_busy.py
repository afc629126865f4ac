"""SQLite under concurrent writes: a clear retry message, never "database is locked" as a 500."""

import pytest
from django.db import OperationalError
from django.urls import include, path


def locked_view(request):
    raise OperationalError("database is locked")


def broken_view(request):
    raise OperationalError("no such table: nowhere")


urlpatterns = [
    path("locked/", locked_view),
    path("api/locked/", locked_view),
    path("broken/", broken_view),
    path("", include("skillmatrix.urls")),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
class TestBusyAnswer:
    def test_html_visitors_get_a_503_page_with_a_retry_message(self, client):
        response = client.get("/locked/")
        assert response.status_code == 503
        assert response["Retry-After"] == "2"
        assert "The database is busy. Please try again in a moment." in response.content.decode()

    def test_api_callers_get_json(self, client):
        response = client.get("/api/locked/")
        assert response.status_code == 503
        assert response.json()["code"] == "database_busy"

    def test_other_database_errors_are_not_disguised(self, client):
        client.raise_request_exception = False
        assert client.get("/broken/").status_code == 500
