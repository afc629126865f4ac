"""The community endpoints of PRODUCT.md §5: comments on skills and proposals, one comment,
watching, notifications; all in the API's one error shape."""

import json

import pytest
from django.test import override_settings
from rest_framework.settings import api_settings

from accounts.models import Notification, Watch
from accounts.services import notification_notify
from proposals import services as proposal_services
from proposals.models import Comment
from tests.factories import UserFactory
from tests.proposals.conftest import build_matrix, cell, make_reviewer

pytestmark = pytest.mark.django_db

SKILL_COMMENTS = "/api/v1/skills/ml-deployment/comments/"
WATCH = "/api/v1/skills/ml-deployment/watch/"


@pytest.fixture
def skill(levels):
    return build_matrix(levels)


@pytest.fixture
def author(db):
    return UserFactory(username="ada")


@pytest.fixture
def other(db):
    return UserFactory(username="otto")


@pytest.fixture
def reviewer(db):
    return make_reviewer(UserFactory(username="rita"))


@pytest.fixture
def comment(skill, author):
    return proposal_services.comment_create(author=author, skill=skill, body="First *draft*.")


@pytest.fixture
def proposal(skill, author):
    return proposal_services.proposal_create(
        author=author,
        skill=skill,
        base_version=1,
        rationale="Batching matters.",
        changes=[cell("llm-engineer", "senior", "required", "Serves LLMs, batched.")],
    )


def error(response, status, field=...):
    """The response is the one error shape with `status`; with `field`, it names that field."""
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert set(body) >= {"status", "code", "detail", "errors"}
    assert body["status"] == status
    if field is not ...:
        assert field in [e["field"] for e in body["errors"]], body
    return body


# --- Comments on a skill ----------------------------------------------------------------------


def test_anyone_reads_a_skills_comments_oldest_first(api, skill, comment, other):
    """The list is public, paginated, oldest first, with Markdown rendered and sanitized."""
    proposal_services.comment_create(author=other, skill=skill, body="Second.")
    response = api.get(SKILL_COMMENTS)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and data["next"] is None
    first, second = data["results"]
    assert first["id"] == comment.pk and second["author"] == "otto"
    assert first == {
        "id": comment.pk,
        "skill": "ml-deployment",
        "proposal": None,
        "author": "ada",
        "body": "First *draft*.",
        "body_html": "<p>First <em>draft</em>.</p>",
        "requests_changes": False,
        "created_at": first["created_at"],
        "edited_at": None,
        "deleted": False,
    }


def test_a_member_comments_as_themselves(api, skill, author, other):
    """The author is the caller: an `author` in the payload is ignored."""
    api.force_authenticate(author)
    response = api.post(SKILL_COMMENTS, {"body": "Nice *work*.", "author": "otto"})
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["author"] == "ada" and data["skill"] == "ml-deployment"
    assert data["body_html"] == "<p>Nice <em>work</em>.</p>"
    assert Comment.objects.get().author == author


def test_comment_html_is_sanitized(api, skill, author):
    """Script, event handlers and javascript: links do not survive into `body_html`."""
    api.force_authenticate(author)
    body = "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3))"
    html = api.post(SKILL_COMMENTS, {"body": body}).json()["body_html"]
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "<img" not in html


def test_anonymous_callers_cannot_comment(api, skill):
    """Without credentials, a comment is a 401 and nothing is written."""
    error(api.post(SKILL_COMMENTS, {"body": "Hi"}), 401)
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [{}, {"body": ""}, {"body": "   "}, {"body": 42}, {"body": None}, {"body": "x" * 10001}],
)
def test_a_bad_comment_body_is_400_naming_body(api, skill, author, payload):
    """A missing, empty, non-string or too long body is a 400 naming `body`."""
    api.force_authenticate(author)
    error(api.post(SKILL_COMMENTS, payload), 400, "body")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["a\x00b", "\ud800"])
def test_a_body_no_database_can_store_is_400(api, skill, author, body):
    """A NUL byte or a lone surrogate in the body is a 400 naming `body`, never a 500."""
    api.force_authenticate(author)
    raw = json.dumps({"body": body})  # ensure_ascii: the surrogate travels as \\ud800
    response = api.post(SKILL_COMMENTS, raw, content_type="application/json")
    error(response, 400, "body")


def test_a_form_encoded_comment_is_415(api, skill, author):
    """The API speaks JSON: a form body is a 415 in the one error shape."""
    api.force_authenticate(author)
    response = api.post(SKILL_COMMENTS, {"body": "Hi"}, format="multipart")
    assert error(response, 415)["code"] == "unsupported_media_type"


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_unknown_skill_is_404_naming_slug(api, skill, author, method):
    """Comments of a skill that does not exist: 404 naming `slug`, for reads and writes."""
    api.force_authenticate(author)
    call = getattr(api, method)
    response = call(
        "/api/v1/skills/no-such/comments/", {"body": "Hi"} if method == "post" else None
    )
    assert error(response, 404, "slug")["code"] == "not_found"


def test_a_comment_notifies_the_skills_watchers(api, skill, author, other):
    """A comment posted through the API notifies the watchers, not the commenter."""
    Watch.objects.create(user=other, skill=skill)
    Watch.objects.create(user=author, skill=skill)
    api.force_authenticate(author)
    api.post(SKILL_COMMENTS, {"body": "Hello watchers."})
    assert list(Notification.objects.values_list("recipient__username", "verb")) == [
        ("otto", "commented")
    ]


# --- Comments on a proposal -------------------------------------------------------------------


def test_proposal_comments_share_the_shape(api, proposal, other):
    """A proposal's comments read and post like a skill's, naming the proposal."""
    url = f"/api/v1/proposals/{proposal.pk}/comments/"
    api.force_authenticate(other)
    posted = api.post(url, {"body": "Source?"})
    assert posted.status_code == 201
    assert posted.json()["proposal"] == proposal.pk and posted.json()["skill"] is None
    api.force_authenticate(None)
    listing = api.get(url).json()
    assert [c["body"] for c in listing["results"]] == ["Source?"]
    assert Notification.objects.filter(recipient=proposal.author, verb="commented").exists()


@pytest.mark.parametrize("url", ["/api/v1/proposals/999/comments/", "/api/v1/comments/999/"])
def test_unknown_ids_are_404_naming_id(api, db, url):
    """An unknown proposal or comment is a 404 naming the path parameter `id`."""
    error(api.get(url), 404, "id")


def test_a_malformed_id_is_a_json_404(api, db):
    """A non-numeric id matches no endpoint: a JSON 404, never a 500."""
    error(api.get("/api/v1/proposals/abc/comments/"), 404)
    error(api.patch("/api/v1/comments/1e3/", {"body": "x"}), 404)


# --- One comment ------------------------------------------------------------------------------


def test_its_author_edits_a_comment(api, comment, author):
    """PATCH by the author changes the body and its rendering, and records when."""
    api.force_authenticate(author)
    response = api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Second **draft**."})
    assert response.status_code == 200
    data = response.json()
    assert data["body_html"] == "<p>Second <strong>draft</strong>.</p>"
    assert data["edited_at"] is not None
    comment.refresh_from_db()
    assert comment.body == "Second **draft**." and comment.edited_at is not None


@pytest.mark.parametrize("who", ["other", "reviewer", "staff"])
def test_nobody_else_edits_a_comment(api, comment, other, reviewer, who):
    """Reviewers and staff may remove a comment, but not put words in its author's mouth."""
    caller = {"other": other, "reviewer": reviewer, "staff": UserFactory(is_staff=True)}[who]
    api.force_authenticate(caller)
    error(api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Mine now."}), 403)
    comment.refresh_from_db()
    assert comment.body == "First *draft*."


def test_a_bad_edit_is_400_naming_body(api, comment, author):
    """An empty body on edit is a 400 naming `body`; the comment keeps its text."""
    api.force_authenticate(author)
    error(api.patch(f"/api/v1/comments/{comment.pk}/", {"body": ""}), 400, "body")
    comment.refresh_from_db()
    assert comment.body == "First *draft*."


@pytest.mark.parametrize("who", ["author", "reviewer", "staff"])
def test_author_reviewers_and_staff_delete_softly(api, comment, author, reviewer, who):
    """DELETE leaves the comment in its thread as deleted, without its text."""
    caller = {"author": author, "reviewer": reviewer, "staff": UserFactory(is_staff=True)}[who]
    api.force_authenticate(caller)
    response = api.delete(f"/api/v1/comments/{comment.pk}/")
    assert response.status_code == 204
    shown = api.get(f"/api/v1/comments/{comment.pk}/").json()
    assert shown["deleted"] is True and shown["body"] == "" and shown["body_html"] == ""
    assert shown["author"] == "ada"
    comment.refresh_from_db()
    assert comment.deleted_by == caller


def test_a_member_cannot_delete_anothers_comment(api, comment, other):
    """Another member's DELETE is a 403; the comment stays."""
    api.force_authenticate(other)
    error(api.delete(f"/api/v1/comments/{comment.pk}/"), 403)
    comment.refresh_from_db()
    assert not comment.is_deleted


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_a_deleted_comment_is_a_409_with_both_sides(api, comment, author, method):
    """Editing or deleting a deleted comment is a 409 naming `id`, with both sides."""
    proposal_services.comment_delete(comment=comment, by=author)
    api.force_authenticate(author)
    call = getattr(api, method)
    response = call(f"/api/v1/comments/{comment.pk}/", {"body": "Back."})
    body = error(response, 409, "id")
    assert body["conflict"] == {"yours": {"action": body["conflict"]["yours"]["action"]},
                                "theirs": {"deleted": True}}  # fmt: skip
    assert body["conflict"]["yours"]["action"] in ("partial_update", "destroy")


def test_put_on_a_comment_is_405(api, comment, author):
    """Edits are PATCH: PUT is not offered, for anyone."""
    api.force_authenticate(author)
    assert error(api.put(f"/api/v1/comments/{comment.pk}/", {"body": "x"}), 405)


# --- Watching ---------------------------------------------------------------------------------


def test_watching_is_idempotent(api, skill, author, other):
    """PUT twice is one watch; DELETE twice is no error; each answers the state and count."""
    Watch.objects.create(user=other, skill=skill)
    api.force_authenticate(author)
    for _ in range(2):
        response = api.put(WATCH)
        assert response.status_code == 200
        assert response.json() == {"skill": "ml-deployment", "watching": True, "watchers": 2}
    assert Watch.objects.filter(user=author, skill=skill).count() == 1
    for _ in range(2):
        response = api.delete(WATCH)
        assert response.status_code == 200
        assert response.json() == {"skill": "ml-deployment", "watching": False, "watchers": 1}
    assert not Watch.objects.filter(user=author).exists()


def test_watching_needs_an_account_and_a_skill(api, skill, author):
    """Anonymous callers get 401; an unknown skill is a 404 naming `slug`."""
    error(api.put(WATCH), 401)
    api.force_authenticate(author)
    error(api.put("/api/v1/skills/no-such/watch/"), 404, "slug")
    error(api.delete("/api/v1/skills/no-such/watch/"), 404, "slug")
    error(api.get(WATCH), 405)


# --- Notifications ----------------------------------------------------------------------------


def notify(user, n, actor=None):
    return notification_notify(
        event=f"test:{user.pk}:{n}",
        verb="commented",
        actor=actor,
        recipients=[user],
        target_title=f"Thing {n}",
        url=f"/skills/ml-deployment/#comment-{n}",
        excerpt="Hello",
    )[0]


def test_notifications_are_the_callers_own(api, author, other):
    """The list holds the caller's notifications alone, newest first, with absolute links."""
    mine = [notify(author, n, actor=other) for n in range(3)]
    notify(other, 99, actor=author)
    api.force_authenticate(author)
    response = api.get("/api/v1/notifications/")
    assert response.status_code == 200
    data = response.json()
    assert [n["id"] for n in data["results"]] == [n.pk for n in reversed(mine)]
    first = data["results"][0]
    assert first["actor"] == "otto" and first["verb"] == "commented" and first["read"] is False
    assert first["url"] == "http://testserver/skills/ml-deployment/#comment-2"


def test_notifications_need_an_account(api, db):
    """Anonymous callers get 401 for the list and for marking read."""
    error(api.get("/api/v1/notifications/"), 401)
    error(api.post("/api/v1/notifications/read/", {}), 401)


def test_marking_some_or_all_read(api, author, other):
    """`ids` marks those; no `ids` marks all; the answer counts what changed and what is left."""
    first, second, third = (notify(author, n) for n in range(3))
    api.force_authenticate(author)
    response = api.post("/api/v1/notifications/read/", {"ids": [first.pk, second.pk]})
    assert response.status_code == 200 and response.json() == {"marked_read": 2, "unread": 1}
    response = api.post("/api/v1/notifications/read/", {"ids": [first.pk]})
    assert response.json() == {"marked_read": 0, "unread": 1}
    response = api.post("/api/v1/notifications/read/", {})
    assert response.json() == {"marked_read": 1, "unread": 0}
    assert not Notification.objects.unread().exists()


def test_another_users_notification_cannot_be_marked(api, author, other):
    """An id that is not the caller's is a 400 naming `ids`, and nothing at all changes."""
    mine, theirs = notify(author, 1), notify(other, 2)
    api.force_authenticate(author)
    response = api.post("/api/v1/notifications/read/", {"ids": [mine.pk, theirs.pk]})
    body = error(response, 400, "ids")
    assert str(theirs.pk) in body["detail"]
    assert Notification.objects.unread().count() == 2


@pytest.mark.parametrize(
    "payload", [{"ids": "all"}, {"ids": [0]}, {"ids": ["1"]}, {"ids": [True]}, {"ids": [10**19]}]
)
def test_malformed_ids_are_400_naming_ids(api, author, payload):
    """Ids must be a list of positive integers."""
    notify(author, 1)
    api.force_authenticate(author)
    body = error(api.post("/api/v1/notifications/read/", payload), 400)
    assert all(e["field"].startswith("ids") for e in body["errors"])
    assert Notification.objects.unread().count() == 1


def test_no_endpoint_shows_an_email_address(api, skill, proposal, author, other, reviewer):
    """Comments, proposals, watches and notifications name people by username only."""
    proposal_services.comment_create(author=other, skill=skill, body="Hi")
    proposal_services.proposal_comment_create(author=other, proposal=proposal, body="Hey")
    api.force_authenticate(author)
    urls = [
        SKILL_COMMENTS,
        f"/api/v1/proposals/{proposal.pk}/comments/",
        f"/api/v1/proposals/{proposal.pk}/",
        "/api/v1/proposals/",
        "/api/v1/notifications/",
    ]
    pages = [api.get(url) for url in urls] + [api.put(WATCH)]
    assert all(page.status_code == 200 for page in pages)
    assert Notification.objects.filter(recipient=author).exists()
    for page in pages:
        assert "@example.com" not in page.content.decode()


# --- Query counts and throttling --------------------------------------------------------------


@pytest.mark.parametrize("kind", ["skill", "proposal"])
def test_comment_lists_are_constant_in_queries(
    api, proposal, skill, kind, django_assert_max_num_queries
):
    """The target, the count and the page, for 3 comments or for 30 (some deleted)."""
    url = SKILL_COMMENTS if kind == "skill" else f"/api/v1/proposals/{proposal.pk}/comments/"

    def post(n):
        user = UserFactory()
        if kind == "skill":
            made = proposal_services.comment_create(author=user, skill=skill, body=f"c{n}")
        else:
            made = proposal_services.proposal_comment_create(
                author=user, proposal=proposal, body=f"c{n}"
            )
        if n % 5 == 0:
            proposal_services.comment_delete(comment=made, by=user)

    for n in range(3):
        post(n)
    with django_assert_max_num_queries(4) as few:
        assert api.get(url).json()["count"] == 3
    for n in range(3, 30):
        post(n)
    with django_assert_max_num_queries(len(few)) as many:
        assert len(api.get(url).json()["results"]) == 30
    assert len(many) == len(few)


def test_the_notification_list_is_constant_in_queries(api, author, django_assert_max_num_queries):
    """The count and the page (with each actor), for 2 notifications or for 30."""
    api.force_authenticate(author)
    for n in range(2):
        notify(author, n, actor=UserFactory())
    with django_assert_max_num_queries(3) as few:
        assert api.get("/api/v1/notifications/").json()["count"] == 2
    for n in range(2, 30):
        notify(author, n, actor=UserFactory())
    with django_assert_max_num_queries(len(few)):
        assert api.get("/api/v1/notifications/").json()["count"] == 30


def test_comment_writes_are_throttled_as_writes(api, skill, comment, author):
    """Comments, edits and watches count against the stricter `write` rate; reads go on."""
    rates = {**api_settings.user_settings}
    rates["DEFAULT_THROTTLE_RATES"] = {"anon": "1000/minute", "user": "1000/minute",
                                       "write": "3/minute"}  # fmt: skip
    api.force_authenticate(author)
    with override_settings(REST_FRAMEWORK=rates):
        statuses = [
            api.post(SKILL_COMMENTS, {"body": "One."}).status_code,
            api.patch(f"/api/v1/comments/{comment.pk}/", {"body": "Two."}).status_code,
            api.put(WATCH).status_code,
            api.post(SKILL_COMMENTS, {"body": "Four."}).status_code,
        ]
        assert statuses == [201, 200, 200, 429]
        assert api.get(SKILL_COMMENTS).status_code == 200


def test_community_errors_follow_the_language(api, comment, author, other):
    """The new messages are in the Chinese catalogues: `?lang=zh-hans` answers in Chinese."""
    proposal_services.comment_delete(comment=comment, by=author)
    api.force_authenticate(author)
    body = error(api.patch(f"/api/v1/comments/{comment.pk}/?lang=zh-hans", {"body": "x"}), 409)
    assert body["errors"][0]["message"] == "这条评论已被删除。"
    body = error(api.post("/api/v1/notifications/read/?lang=zh-hans", {"ids": [999]}), 400)
    assert body["errors"][0]["message"] == "你没有 id 为 999 的通知。"
