"""Watching skills, the watchlist, and notifications with their unread count."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.context_processors import notifications as unread_processor
from accounts.models import Notification, NotificationVerb, Watch
from accounts.services import notification_notify, watch_create
from proposals.services import comment_create
from skills.models import Expectation
from skills.services import skill_record_change
from tests.factories import ExpectationFactory, SkillFactory, UserFactory


@pytest.fixture
def skill(db):
    skill = SkillFactory(slug="docker", name="Docker")
    skill_record_change(skill=skill, summary="Created")
    return skill


class TestWatching:
    def test_watch_and_unwatch_with_plain_forms(self, client, skill, user):
        """Without JavaScript: POST, then back to the skill page's community block."""
        client.force_login(user)
        response = client.post("/skills/docker/watch/")
        assert response["Location"] == "/skills/docker/#community"
        html = client.get("/skills/docker/").content.decode()
        assert 'action="/skills/docker/unwatch/"' in html and ">Unwatch</button>" in html
        assert '<span class="watch-count-number">1</span> watcher' in html
        client.post("/skills/docker/unwatch/")
        assert not Watch.objects.exists()

    def test_watching_twice_is_one_watch(self, client, skill, user):
        client.force_login(user)
        client.post("/skills/docker/watch/")
        client.post("/skills/docker/watch/")
        assert Watch.objects.filter(user=user, skill=skill).count() == 1
        assert watch_create(user=user, skill=skill) == Watch.objects.get()

    def test_json_answer_for_the_script(self, client, skill, user):
        client.force_login(user)
        response = client.post("/skills/docker/watch/", HTTP_ACCEPT="application/json")
        assert response.json() == {"watching": True, "watchers": 1, "watchers_text": "1 watcher"}
        response = client.post("/skills/docker/unwatch/", HTTP_ACCEPT="application/json")
        assert response.json()["watching"] is False

    def test_anonymous_json_watch_is_a_403(self, client, skill):
        response = client.post("/skills/docker/watch/", HTTP_ACCEPT="application/json")
        assert response.status_code == 403 and "Log in" in response.json()["detail"]

    def test_unknown_skill_is_404_and_get_is_405(self, client, user):
        client.force_login(user)
        assert client.post("/skills/nope/watch/").status_code == 404
        assert client.get("/skills/nope/watch/").status_code == 405

    def test_an_offsite_next_is_ignored(self, client, skill, user):
        client.force_login(user)
        response = client.post("/skills/docker/watch/", {"next": "https://evil.example/"})
        assert response["Location"] == "/skills/docker/#community"


class TestWatchlist:
    def test_shows_what_changed_since_last_seen_then_mark_seen(self, client, skill, user):
        client.force_login(user)
        client.post("/skills/docker/watch/")
        html = client.get("/watchlist/").content.decode()
        assert "Docker" in html and "No changes since you last looked." in html
        ExpectationFactory(skill=skill)
        skill_record_change(skill=skill, summary="Added a row")
        html = client.get("/watchlist/").content.decode()
        assert "1 change since you last looked" in html and "Added a row" in html
        assert "1 expectation changed" in html
        client.post("/watchlist/seen/", {"skill": "docker"})
        assert "No changes since you last looked." in client.get("/watchlist/").content.decode()

    def test_empty_watchlist_invites_to_browse(self, client, user):
        client.force_login(user)
        assert "You are not watching any skill yet" in client.get("/watchlist/").content.decode()

    def test_watchlist_queries_do_not_grow_with_skills(
        self, client, user, django_assert_max_num_queries
    ):
        client.force_login(user)
        for i in range(12):
            skill = SkillFactory()
            skill_record_change(skill=skill, summary="v1")
            watch_create(user=user, skill=skill)
            Expectation.objects.create(
                skill=skill, role=ExpectationFactory().role, level=ExpectationFactory().level,
                description=f"row {i}",
            )  # fmt: skip
            skill_record_change(skill=skill, summary="v2")
        with django_assert_max_num_queries(8):
            html = client.get("/watchlist/").content.decode()
        assert html.count("1 change since you last looked") == 12

    def test_needs_a_login(self, client, db):
        assert client.get("/watchlist/")["Location"].startswith("/accounts/login/?next=/watchlist/")


class TestNotifications:
    def test_one_notification_per_user_and_event_and_never_to_the_actor(self, skill):
        actor, reader = UserFactory(), UserFactory()
        kwargs = {
            "event": "comment:1", "verb": NotificationVerb.COMMENTED, "target_title": "Docker",
            "url": "/skills/docker/", "actor": actor,
        }  # fmt: skip
        created = notification_notify(recipients=[reader, reader, actor], **kwargs)
        again = notification_notify(recipients=[reader], **kwargs)
        assert [n.recipient for n in created] == [reader] and again == []
        assert Notification.objects.count() == 1

    def test_inactive_users_are_not_notified(self, skill):
        sleeper = UserFactory(is_active=False)
        created = notification_notify(
            event="e", verb="commented", actor=None, recipients=[sleeper],
            target_title="Docker", url="/",
        )  # fmt: skip
        assert created == []

    def test_header_count_list_mark_one_and_mark_all(self, client, skill, user):
        Watch.objects.create(user=user, skill=skill)
        writer = UserFactory(username="writer")
        first = comment_create(author=writer, skill=skill, body="One")
        comment_create(author=writer, skill=skill, body="Two")
        client.force_login(user)
        html = client.get("/").content.decode()
        assert '<span class="count-badge"' in html and ">2</span>" in html
        html = client.get("/notifications/").content.decode()
        assert html.count('class="notification unread"') == 2
        assert "writer commented on Docker" in html
        one = Notification.objects.get(event=f"comment:{first.pk}")
        response = client.post(f"/notifications/{one.pk}/read/", {"next": one.url})
        assert response["Location"] == one.url
        assert Notification.objects.unread().count() == 1
        client.post("/notifications/read/")
        assert Notification.objects.unread().count() == 0
        assert 'class="count-badge"' not in client.get("/").content.decode()

    def test_mark_read_refuses_an_offsite_next(self, client, skill, user):
        Watch.objects.create(user=user, skill=skill)
        comment_create(author=UserFactory(), skill=skill, body="x")
        client.force_login(user)
        pk = Notification.objects.get().pk
        response = client.post(f"/notifications/{pk}/read/", {"next": "//evil.example/"})
        assert response["Location"] == "/notifications/"

    def test_unread_count_costs_one_query_and_none_for_visitors(self, rf: RequestFactory, user):
        request = rf.get("/")
        request.user = AnonymousUser()
        with CaptureQueriesContext(connection) as anonymous:
            assert unread_processor(request) == {}
        request.user = user
        with CaptureQueriesContext(connection) as member:
            assert unread_processor(request) == {"unread_notification_count": 0}
        assert (len(anonymous), len(member)) == (0, 1)
