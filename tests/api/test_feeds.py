"""Atom feeds of applied changes: the whole matrix, and one skill."""

import xml.etree.ElementTree as ET

import pytest

from skills.models import Skill
from skills.services import skill_record_change
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    return feed, feed.findall(f"{ATOM}entry")


def test_changes_feed_lists_the_newest_revisions_across_the_matrix(client, matrix):
    """/feeds/changes/ has one entry per applied change, newest first, linking to it."""
    feed, items = entries(client.get("/feeds/changes/"))
    assert feed.find(f"{ATOM}title").text == "SkillMatrix: applied changes"
    assert len(items) == 6  # three skills, two revisions each
    newest = items[0]
    assert newest.find(f"{ATOM}title").text == "Skill 002, version 2"
    link = newest.find(f"{ATOM}link").get("href")
    assert link == "http://testserver/skills/s-skill-002/history/2/"
    assert newest.find(f"{ATOM}summary").text == "<p>Clearer wording</p>"


def test_skill_feed_has_that_skills_changes_only(client, matrix):
    """/skills/<slug>/feed/ lists that skill's revisions, newest first."""
    feed, items = entries(client.get("/skills/s-skill-001/feed/"))
    assert "Skill 001" in feed.find(f"{ATOM}title").text
    assert [i.find(f"{ATOM}title").text for i in items] == [
        "Skill 001, version 2",
        "Skill 001, version 1",
    ]


def test_skill_feed_of_unknown_skill_is_404(client, matrix):
    """An unknown skill has no feed."""
    assert client.get("/skills/nope/feed/").status_code == 404


def test_feed_escapes_summaries_and_hides_emails(client, matrix):
    """A change's summary is escaped; its author is named without their email address."""
    author = UserFactory(username="ada", display_name="Ada")
    skill = Skill.objects.get(slug="s-skill-000")
    skill.summary = "Changed."
    skill.save()
    skill_record_change(skill=skill, summary="<script>alert(1)</script>", author=author)
    response = client.get("/skills/s-skill-000/feed/")
    _feed, items = entries(response)
    assert items[0].find(f"{ATOM}summary").text == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert items[0].find(f"{ATOM}author/{ATOM}name").text == "Ada"
    assert author.email not in response.content.decode()


def test_feed_query_count_is_fixed(client, matrix, django_assert_max_num_queries):
    """The matrix feed costs one query for its entries, however many there are."""
    with django_assert_max_num_queries(2):
        client.get("/feeds/changes/")
