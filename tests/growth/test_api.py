"""/api/v1/me/…: bulk idempotent marks, gap reports, share links, and the privacy table."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from growth import services
from growth.models import Assessment, ShareLink
from skillmatrix.api.services import api_token_create
from tests.factories import ExpectationFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/assessments/"
GAP = "/api/v1/me/gap/?from=ds:middle&to=llm:senior"
SECRET = "SECRET-EVIDENCE-42"


@pytest.fixture(autouse=True)
def fresh_throttle_counters():
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


def item(skill, role, level, mark, **extra):
    return {"skill": skill, "role": role, "level": level, "mark": mark, **extra}


def test_put_sets_marks_in_bulk_and_is_idempotent(matrix, user, api):
    api.force_authenticate(user)
    body = {
        "assessments": [
            item("python", "llm", "senior", "meets", note="**asyncio** service"),
            item("evals", "llm", "senior", "learning"),
        ]
    }
    for _ in range(2):
        response = api.put(URL, body, format="json")
        assert response.status_code == 200
        assert response.json() == {"set": 2, "removed": 0}
    assert Assessment.objects.filter(user=user).count() == 2
    listed = api.get(URL).json()
    assert listed["count"] == 2
    rows = {row["skill"]: row for row in listed["results"]}
    assert rows["python"]["mark"] == "meets"
    assert rows["python"]["note_html"] == "<p><strong>asyncio</strong> service</p>"
    assert rows["python"]["changed"] is False
    assert rows["python"]["description"] == "Builds async Python services."

    # A left-out note stays; null removes a mark.
    body = {"assessments": [item("python", "llm", "senior", "learning"),
                            item("evals", "llm", "senior", None)]}  # fmt: skip
    assert api.put(URL, body, format="json").json() == {"set": 1, "removed": 1}
    remaining = Assessment.objects.get(user=user)
    assert (remaining.mark, remaining.note) == ("learning", "**asyncio** service")


def test_a_changed_expectation_is_flagged_in_the_list(matrix, user, api):
    exp = matrix.exp("stats", "ds", "senior")
    services.assessment_set(user=user, expectation=exp, mark="meets")
    exp.description = "Designs sequential experiments."
    exp.save()
    api.force_authenticate(user)
    row = api.get(URL).json()["results"][0]
    assert row["changed"] is True
    assert row["assessed_description"] == "Designs experiments with power analysis."
    assert row["description"] == "Designs sequential experiments."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assessments": [item("ghost", "ds", "senior", "meets")]}, "assessments.0.skill"),
        ({"assessments": [item("python", "ghost", "senior", "meets")]}, "assessments.0.role"),
        ({"assessments": [item("python", "ds", "guru", "meets")]}, "assessments.0.level"),
        ({"assessments": [item("evals", "ds", "senior", "meets")]}, "assessments.0.level"),
        ({"assessments": [item("python", "ds", "senior", "great")]}, "assessments.0.mark"),
        ({"assessments": [item("python", "ds", "senior", "meets", note="x" * 5001)]},
         "assessments.0.note"),
        ({"assessments": [{"skill": "python", "role": "ds", "level": "senior"}]},
         "assessments.0.mark"),
        ({"assessments": [item("python", "ds", "senior", "meets", note=5)]}, "assessments.0.note"),
        ({"assessments": [item(1, "ds", "senior", "meets")]}, "assessments.0.skill"),
        ({}, "assessments"),
        ({"assessments": "meets"}, "assessments"),
    ],
)  # fmt: skip
def test_bad_items_are_a_400_naming_the_field_and_change_nothing(matrix, user, api, body, field):
    api.force_authenticate(user)
    good = item("stats", "ds", "senior", "meets")
    if isinstance(body.get("assessments"), list):
        body = {"assessments": [*body["assessments"], good]}
    response = api.put(URL, body, format="json")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not Assessment.objects.exists()


def test_the_gap_report(matrix, user, api):
    services.assessment_set(
        user=user, expectation=matrix.exp("python", "llm", "senior"), mark="meets", note=SECRET
    )
    api.force_authenticate(user)
    data = api.get(GAP).json()
    assert data["from"]["role"] == "ds" and data["to"]["level"] == "senior"
    assert data["progress"] == {"required_met": 1, "required_total": 2, "percent": 50}
    assert {row["skill"]: row["mark"] for row in data["expectations"]} == {
        "python": "meets",
        "prompts": None,
        "evals": None,
    }
    assert data["person"]["username"] == user.username


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "from"), ("?from=ds:middle", "to"), ("?from=ds&to=llm:senior", "from"),
     ("?from=ds:middle&to=llm:guru", "to")],
)  # fmt: skip
def test_a_bad_gap_parameter_is_a_400_naming_it(matrix, user, api, query, field):
    api.force_authenticate(user)
    response = api.get(f"/api/v1/me/gap/{query}")
    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]


def test_share_links_are_made_listed_and_revoked(matrix, user, api):
    api.force_authenticate(user)
    bad = api.post("/api/v1/me/share-links/", {"label": 0}, format="json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "label"
    created = api.post("/api/v1/me/share-links/", {"label": "mentor"}, format="json")
    assert created.status_code == 201
    link = created.json()
    assert link["url"] == f"http://testserver/share/{link['token']}/" and link["is_active"]
    assert api.get(f"/share/{link['token']}/").status_code == 200
    assert api.delete(f"/api/v1/me/share-links/{link['id']}/").status_code == 204
    assert api.get(f"/share/{link['token']}/").status_code == 404
    listed = api.get("/api/v1/me/share-links/").json()["results"]
    assert [(row["id"], row["is_active"]) for row in listed] == [(link["id"], False)]


def test_writes_need_the_csrf_token_with_a_session(matrix, user):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(user)
    body = {"assessments": [item("stats", "ds", "senior", "meets")]}
    assert api.put(URL, body, format="json").status_code == 403
    assert not Assessment.objects.exists()


def test_a_token_works(matrix, user):
    _token, key = api_token_create(user=user, name="script")
    api = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    body = {"assessments": [item("stats", "ds", "senior", "meets")]}
    assert api.put(URL, body, format="json").status_code == 200


# --- The privacy table, through the API -------------------------------------------------------


@pytest.fixture
def owned(matrix, people):
    owner = people["owner"]
    exp = matrix.exp("python", "llm", "senior")
    services.assessment_set(user=owner, expectation=exp, mark="meets", note=SECRET)
    return {"link": services.share_link_create(user=owner, label="boss")}


@pytest.mark.parametrize("viewer", ["owner", "member", "reviewer", "staff", "anonymous"])
def test_nobody_reads_or_changes_another_users_growth_through_the_api(api, people, owned, viewer):
    if viewer != "anonymous":
        api.force_authenticate(people[viewer])
    link = owned["link"]
    for url, private in [(URL, SECRET), (GAP, SECRET), ("/api/v1/me/share-links/", link.token)]:
        response = api.get(url)
        if viewer == "anonymous":
            assert response.status_code == 401, url
            continue
        assert response.status_code == 200, url
        assert (private in response.content.decode()) == (viewer == "owner"), url
    revoke = api.delete(f"/api/v1/me/share-links/{link.pk}/")
    assert revoke.status_code == {"owner": 204, "anonymous": 401}.get(viewer, 404)
    link.refresh_from_db()
    assert link.is_active == (viewer != "owner")


def test_anonymous_writes_are_refused(matrix, api):
    body = {"assessments": [item("stats", "ds", "senior", "meets")]}
    assert api.put(URL, body, format="json").status_code == 401
    assert api.post("/api/v1/me/share-links/", {}, format="json").status_code == 401
    assert not Assessment.objects.exists() and not ShareLink.objects.exists()


def test_api_queries_do_not_grow_with_marks(matrix, user, api):
    api.force_authenticate(user)

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            assert api.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.assessment_set(
        user=user, expectation=matrix.exp("evals", "llm", "senior"), mark="meets"
    )
    before = (count(URL), count(GAP))
    for level in matrix.levels.values():
        for _ in range(5):
            exp = ExpectationFactory(role=matrix.roles["llm"], level=level)
            services.assessment_set(user=user, expectation=exp, mark="meets", note="n")
    # count + page of marks; roles, levels, target rows, source rows, marks.
    assert (count(URL), count(GAP)) == before == (2, 5)
