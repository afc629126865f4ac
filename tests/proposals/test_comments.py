"""Comments on skills: Markdown, editing, soft deletion, pagination, notifications."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from accounts.models import Notification, Watch
from proposals import markdown
from proposals.models import Comment
from proposals.services import comment_create, comment_delete, comment_edit
from tests.factories import SkillFactory, UserFactory


@pytest.fixture
def skill(db):
    return SkillFactory(slug="terraform", name="Terraform")


def test_markdown_is_rendered_and_links_get_nofollow():
    """Markdown becomes HTML; links are marked nofollow ugc; fenced code survives."""
    html = markdown.render("**bold** and [a link](https://example.com)\n\n```\ncode <x>\n```")
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">a link</a>' in html
    assert "<pre><code>code &lt;x&gt;\n</code></pre>" in html


def test_a_comment_renders_on_the_skill_page(client, skill, user):
    """A new comment shows on the skill page with its author linked to their profile."""
    comment_create(author=user, skill=skill, body="Use *modules*.")
    html = client.get("/skills/terraform/").content.decode()
    assert "<em>modules</em>" in html
    assert f'href="/users/{user.username}/"' in html


@pytest.mark.parametrize("body", ["", "   \n ", "x" * 10001])
def test_empty_or_huge_comments_are_refused_with_a_form_error(client, skill, user, body):
    """A blank or too long comment is a 400 with the error next to the form; nothing saved."""
    client.force_login(user)
    response = client.post("/skills/terraform/comments/", {"body": body})
    assert response.status_code == 400
    assert 'class="form-errors"' in response.content.decode()
    assert not Comment.objects.exists()


def test_posting_redirects_to_the_comment_on_the_skill_page(client, skill, user):
    client.force_login(user)
    response = client.post("/skills/terraform/comments/", {"body": "Hi"})
    comment = Comment.objects.get()
    assert response["Location"] == f"/skills/terraform/?comments=1#comment-{comment.pk}"


def test_the_author_edits_and_the_page_says_edited(client, skill, user):
    comment = comment_create(author=user, skill=skill, body="Old")
    client.force_login(user)
    assert client.get(f"/comments/{comment.pk}/edit/").status_code == 200
    response = client.post(f"/comments/{comment.pk}/edit/", {"body": "New **text**"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.body_html == "<p>New <strong>text</strong></p>" and comment.edited_at
    assert "edited" in client.get("/skills/terraform/").content.decode()


def test_editing_someone_elses_comment_raises(skill, user):
    comment = comment_create(author=user, skill=skill, body="Mine")
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, by=UserFactory(), body="Hijacked")
    comment.refresh_from_db()
    assert comment.body == "Mine"


def test_a_deleted_comment_shows_as_deleted_without_its_text(client, skill, user):
    """Soft delete: the row stays, the text goes, the page says who removed it."""
    mine = comment_create(author=user, skill=skill, body="Secret token abc123")
    theirs = comment_create(author=UserFactory(), skill=skill, body="Spam spam")
    comment_delete(comment=mine, by=user)
    moderator = UserFactory(is_staff=True)
    comment_delete(comment=theirs, by=moderator)
    html = client.get("/skills/terraform/").content.decode()
    assert "abc123" not in html and "Spam spam" not in html
    assert "This comment was deleted by its author." in html
    assert "This comment was removed by a moderator." in html
    assert Comment.objects.count() == 2
    assert Comment.objects.get(pk=theirs.pk).deleted_by == moderator


def test_a_deleted_comment_cannot_be_edited(skill, user):
    comment = comment_create(author=user, skill=skill, body="x")
    comment_delete(comment=comment, by=user)
    with pytest.raises(PermissionDenied):
        comment_edit(comment=comment, by=user, body="back")


def test_service_validates_the_body(skill, user):
    with pytest.raises(ValidationError) as error:
        comment_create(author=user, skill=skill, body=" ")
    assert "body" in error.value.message_dict


@override_settings(SKILLMATRIX_COMMENTS_PER_PAGE=3)
def test_comments_paginate_newest_last_and_the_skill_page_shows_the_last_page(client, skill, user):
    """7 comments, 3 a page: the skill page shows the newest (page 3); older pages by link."""
    for i in range(7):
        comment_create(author=user, skill=skill, body=f"comment number {i}")
    html = client.get("/skills/terraform/").content.decode()
    assert "comment number 6" in html and "comment number 5" not in html
    assert 'href="/skills/terraform/?comments=2#comments"' in html  # the plain-link fallback
    page1 = client.get("/skills/terraform/?comments=1").content.decode()
    assert page1.index("comment number 0") < page1.index("comment number 2")
    fragment = client.get("/skills/terraform/comments/?page=2&fragment=1").content.decode()
    assert "comment number 3" in fragment and "<html" not in fragment
    full = client.get("/skills/terraform/comments/?page=2").content.decode()
    assert "<html" in full and "comment number 5" in full


def test_comments_of_an_unknown_skill_are_a_404(client, db):
    assert client.get("/skills/nope/comments/").status_code == 404


# --- Notifications of comments ---------------------------------------------------------------


def test_watchers_are_notified_once_and_the_author_never(skill, django_capture_on_commit_callbacks):
    """Every watcher but the commenter gets one notification and one email, after commit."""
    author, alice, bob = UserFactory(), UserFactory(), UserFactory(email="")
    for person in (author, alice, bob):
        Watch.objects.create(user=person, skill=skill)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = comment_create(author=author, skill=skill, body="Heads up")
    assert mail.outbox == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()
    notified = set(Notification.objects.values_list("recipient", flat=True))
    assert notified == {alice.pk, bob.pk}
    assert [m.to for m in mail.outbox] == [[alice.email]]  # bob has no address
    assert f"#comment-{comment.pk}" in mail.outbox[0].body
    assert "Heads up" in mail.outbox[0].body


def test_no_email_for_those_who_turned_emails_off(skill, django_capture_on_commit_callbacks):
    quiet = UserFactory(email_notifications=False)
    Watch.objects.create(user=quiet, skill=skill)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=UserFactory(), skill=skill, body="Hi")
    assert Notification.objects.filter(recipient=quiet).count() == 1
    assert mail.outbox == []


def test_emails_go_out_in_the_recipients_language(skill, django_capture_on_commit_callbacks):
    reader = UserFactory(preferred_language="zh-hans")
    Watch.objects.create(user=reader, skill=skill)
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(author=UserFactory(username="sam"), skill=skill, body="Hi")
    assert mail.outbox[0].subject == "[SkillMatrix] sam 评论了 Terraform"


def test_a_rolled_back_comment_notifies_nobody(skill, django_capture_on_commit_callbacks):
    from django.db import transaction

    Watch.objects.create(user=UserFactory(), skill=skill)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        comment_create(author=UserFactory(), skill=skill, body="Hi")
        raise RuntimeError("boom")
    assert callbacks == [] and mail.outbox == []
    assert not Notification.objects.exists()


def test_skill_page_queries_do_not_grow_with_comments(client, skill, django_assert_max_num_queries):
    """The community block's queries are fixed, for 1 or 20 comments by 20 authors."""
    viewer = UserFactory()
    client.force_login(viewer)
    comment_create(author=UserFactory(), skill=skill, body="one")
    with django_assert_max_num_queries(30) as few:
        client.get("/skills/terraform/")
    for _ in range(19):
        comment_create(author=UserFactory(), skill=skill, body="more")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/skills/terraform/")
    assert response.content.decode().count('class="comment"') == 20


def test_visitors_get_a_cacheable_skill_page_that_still_shows_new_comments(client, skill, user):
    """No CSRF cookie for visitors (the Watch button is a login link), so the page is cached;
    a new comment invalidates it at once."""
    first = client.get("/skills/terraform/")
    assert "csrftoken" not in first.cookies
    assert 'href="/accounts/login/?next=/skills/terraform/%23community"' in first.content.decode()
    comment_create(author=user, skill=skill, body="Fresh news")
    assert "Fresh news" in client.get("/skills/terraform/").content.decode()
