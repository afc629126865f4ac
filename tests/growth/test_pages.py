"""Marks on the skill and role pages (one click, with and without JavaScript), positions as the
pages' starting point, the overview, and the pages' query counts with marks."""

import pytest

from growth import services
from growth.models import Assessment, Position
from tests.factories import ExpectationFactory
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def test_members_see_one_click_marks_on_the_skill_page_and_visitors_do_not(matrix, user, client):
    exp = matrix.exp("python", "ds", "senior")
    services.assessment_set(user=user, expectation=exp, mark="learning")
    anonymous = client.get("/skills/python/").content.decode()
    assert "mark-controls" not in anonymous and 'id="growth-marks"' not in anonymous
    client.force_login(user)
    page = client.get("/skills/python/").content.decode()
    assert page.count('class="mark-controls"') == 3  # one per expectation row
    assert (
        f'value="{exp.pk}:learning" class="mark-button mark-learning" aria-pressed="true"' in page
    )
    assert (
        '<form id="growth-marks" class="growth-marks-form" method="post" action="/me/marks/"'
        in page
    )
    assert "js/growth.js" in page


def test_one_click_without_javascript_sets_the_mark_and_returns_to_the_row(matrix, user, client):
    client.force_login(user)
    exp = matrix.exp("stats", "ds", "senior")
    response = client.post("/me/marks/", {"set": f"{exp.pk}:meets", "next": "/roles/ds/?page=1"})
    assert response.status_code == 302
    assert response["Location"] == f"/roles/ds/?page=1#mark-{exp.pk}"
    assert Assessment.objects.get(user=user).mark == "meets"


def test_one_click_with_javascript_answers_json(matrix, user, client):
    client.force_login(user)
    exp = matrix.exp("stats", "ds", "senior")
    response = client.post(
        "/me/marks/", {"set": f"{exp.pk}:learning"}, HTTP_ACCEPT="application/json"
    )
    assert response.json() == {
        "expectation": exp.pk,
        "mark": "learning",
        "mark_label": "Learning",
        "changed": False,
    }


@pytest.mark.parametrize("value", ["", "abc", "1:great", "999999:meets", "1:"])
def test_a_bad_click_is_a_400_naming_the_field(matrix, user, client, value):
    client.force_login(user)
    response = client.post("/me/marks/", {"set": value}, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert "set" in response.json()
    assert not Assessment.objects.exists()


def test_visitors_cannot_mark(matrix, client):
    exp = matrix.exp("stats", "ds", "senior")
    response = client.post("/me/marks/", {"set": f"{exp.pk}:meets", "next": "/skills/stats/"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    json_response = client.post(
        "/me/marks/", {"set": f"{exp.pk}:meets"}, HTTP_ACCEPT="application/json"
    )
    assert json_response.status_code == 403
    assert not Assessment.objects.exists()


def test_marking_needs_csrf(matrix, user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    exp = matrix.exp("stats", "ds", "senior")
    assert client.post("/me/marks/", {"set": f"{exp.pk}:meets"}).status_code == 403


def test_the_skill_page_starts_from_the_current_position(matrix, user, client):
    """Promotion cards for the member's role and level when the URL names none."""
    services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["middle"])
    client.force_login(user)
    page = client.get("/skills/python/").content.decode()
    assert "Data Scientist: from Middle to Senior" in page
    assert '<option value="ds" selected>' in page
    # The URL still wins, and a skill without the member's role shows no cards.
    assert (
        "LLM Engineer: from Middle to Senior"
        in client.get("/skills/python/?role=llm&level=middle").content.decode()
    )
    evals = client.get("/skills/evals/")
    assert evals.status_code == 200 and "cards-title" not in evals.content.decode()


def test_the_role_page_starts_from_the_current_position(matrix, user, client):
    client.force_login(user)
    page = client.get("/roles/ds/").content.decode()
    assert "Set your position" in page
    response = client.post(
        "/me/positions/",
        {"role": "ds", "level": "middle", "make_current": "on", "next": "/roles/ds/"},
    )
    assert response["Location"] == "/roles/ds/"
    page = client.get("/roles/ds/").content.decode()
    assert "You are Data Scientist · Middle on this track." in page
    assert 'href="/me/gap/?from=ds:middle&amp;to=ds:senior"' in page
    assert page.count('class="mark-controls mark-controls-compact"') == 5  # every ds cell
    # On another role's page, the gap across roles from the current position is offered.
    other = client.get("/roles/llm/").content.decode()
    assert 'href="/me/gap/?from=ds:middle&amp;to=llm:middle"' in other


def test_the_overview_manages_positions(matrix, user, client):
    client.force_login(user)
    client.post("/me/positions/", {"role": "ds", "level": "middle", "make_current": "on"})
    client.post("/me/positions/", {"role": "llm", "level": "senior"})
    current = Position.objects.get(user=user, is_current=True)
    assert (current.role.slug, current.level.slug) == ("ds", "middle")
    other = Position.objects.get(user=user, is_current=False)
    client.post(f"/me/positions/{other.pk}/current/")
    assert Position.objects.get(user=user, is_current=True) == other
    page = client.get("/me/").content.decode()
    assert 'href="/me/gap/?from=llm%3Asenior&amp;to=llm%3Alead"' in page
    client.post(f"/me/positions/{other.pk}/remove/")
    assert Position.objects.get(user=user).is_current


def test_a_bad_position_is_refused_with_a_message(matrix, user, client):
    client.force_login(user)
    response = client.post("/me/positions/", {"role": "ghost", "level": "middle"}, follow=True)
    assert "Select a valid choice" in response.content.decode()
    assert not Position.objects.exists()


def test_the_overview_needs_a_login(client):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


# --- Query counts with marks ------------------------------------------------------------------


def test_member_pages_with_marks_run_a_fixed_number_of_queries(matrix, user, client):
    """The skill page and the role page read the member's marks in one query, however many
    rows and marks they show."""
    services.position_set(user=user, role=matrix.roles["ds"], level=matrix.levels["middle"])
    client.force_login(user)
    before = (count_queries(client, "/skills/python/"), count_queries(client, "/roles/ds/"))
    new = []
    for level in matrix.levels.values():
        for _ in range(6):  # six more roles on the skill page, at every level
            new.append(ExpectationFactory(skill=matrix.skills["python"], level=level))
        for _ in range(6):  # six more skills in the role's matrix, at every level
            new.append(ExpectationFactory(role=matrix.roles["ds"], level=level))
    for exp in new:
        services.assessment_set(user=user, expectation=exp, mark="meets", note="Evidence.")
    after = (count_queries(client, "/skills/python/"), count_queries(client, "/roles/ds/"))
    assert before == after
