"""Detail endpoints carry ETag and Last-Modified, and answer 304 while the copy is current."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from skills.models import Expectation, Skill
from skills.services import skill_record_change

pytestmark = pytest.mark.django_db

DETAILS = [
    "/api/v1/skills/s-skill-000/",
    "/api/v1/roles/s-role-0/",
    "/api/v1/skills/s-skill-000/revisions/2/",
    "expectation",
]


def address(url):
    if url == "expectation":
        return f"/api/v1/expectations/{Expectation.objects.order_by('pk').first().pk}/"
    return url


@pytest.mark.parametrize("url", DETAILS)
def test_detail_has_validators_and_answers_304_to_if_none_match(api, matrix, url):
    """A detail endpoint sends ETag and Last-Modified; sending the ETag back gets a 304."""
    url = address(url)
    first = api.get(url)
    assert first.status_code == 200
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"') and last_modified.endswith("GMT")
    again = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    other = api.get(url, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200


@pytest.mark.parametrize("url", DETAILS)
def test_detail_answers_304_to_if_modified_since(api, matrix, url):
    """Sending Last-Modified back as If-Modified-Since gets a 304; an older date a 200."""
    url = address(url)
    last_modified = api.get(url)["Last-Modified"]
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    older = http_date(0)
    assert api.get(url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200


def test_skill_etag_changes_with_its_version(api, matrix):
    """After an applied change (a new version), the old ETag no longer gets a 304."""
    url = "/api/v1/skills/s-skill-000/"
    etag = api.get(url)["ETag"]
    skill = Skill.objects.get(slug="s-skill-000")
    skill.summary = "A new summary."
    skill.save()
    skill_record_change(skill=skill, summary="Summary")
    response = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["version"] == 3
    assert response["ETag"] != etag


def test_skill_304_needs_one_query(api, matrix, member):
    """A current copy of a skill is confirmed with a single small query of the view's own."""
    url = "/api/v1/skills/s-skill-000/"
    api.force_authenticate(member)  # signed-in callers bypass the anonymous cache
    etag = api.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    own = [q["sql"] for q in queries]
    assert len(own) == 1 and "skills_skill" in own[0]


def test_anonymous_304_comes_from_the_cache(api, matrix):
    """For anonymous callers the answer and its ETag are cached: a 304 costs only the
    matrix generation check."""
    url = "/api/v1/skills/s-skill-000/"
    etag = api.get(url)["ETag"]
    with CaptureQueriesContext(connection) as queries:
        assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert [q["sql"] for q in queries if "skills_matrixstate" not in q["sql"]] == []
    assert len(queries) == 1


def test_role_etag_changes_when_its_matrix_does(api, matrix):
    """A role's ETag changes when one of its expectations does."""
    url = "/api/v1/roles/s-role-0/"
    etag = api.get(url)["ETag"]
    expectation = Expectation.objects.filter(role__slug="s-role-0").first()
    expectation.description = "Changed."
    expectation.save()
    assert api.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_lists_are_not_conditional(api, matrix):
    """Lists carry no ETag (they change with every filter and page)."""
    assert "ETag" not in api.get("/api/v1/skills/")
