"""Who may do what, as a table: each community action × {anonymous, member, author, reviewer,
staff}. First the rules themselves (skillmatrix.permissions), then the same table through the
pages, where an allowed action succeeds and a refused one is a login redirect or a 403."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group

from accounts.models import Notification, Watch
from proposals.models import Comment
from proposals.services import comment_create
from skillmatrix import permissions
from tests.factories import SkillFactory, UserFactory

ROLES = ["anonymous", "member", "author", "reviewer", "staff"]


@pytest.fixture
def people(db):
    reviewer = UserFactory(username="rev")
    reviewer.groups.add(Group.objects.get(name=permissions.REVIEWERS_GROUP))
    return {
        "anonymous": AnonymousUser(),
        "member": UserFactory(username="member"),
        "author": UserFactory(username="author"),
        "reviewer": reviewer,
        "staff": UserFactory(username="staff", is_staff=True),
    }


@pytest.fixture
def skill(db):
    return SkillFactory(slug="kubernetes", name="Kubernetes")


@pytest.fixture
def comment(people, skill):
    return comment_create(author=people["author"], skill=skill, body="First!")


#: action → the roles allowed to do it (the author is the comment's author).
RULES = {
    "watch": {"member", "author", "reviewer", "staff"},
    "suggest_edit": {"member", "author", "reviewer", "staff"},
    "comment": {"member", "author", "reviewer", "staff"},
    "edit_comment": {"author"},
    "delete_comment": {"author", "reviewer", "staff"},
    "review": {"reviewer"},
}


def rule(action, user, comment):
    return {
        "watch": lambda: permissions.can_watch(user),
        "suggest_edit": lambda: permissions.can_suggest_edit(user),
        "comment": lambda: permissions.can_comment(user),
        "edit_comment": lambda: permissions.can_edit_comment(user, comment),
        "delete_comment": lambda: permissions.can_delete_comment(user, comment),
        "review": lambda: permissions.can_review(user),
    }[action]()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", RULES)
def test_rule_table(people, comment, action, role):
    """Each rule allows exactly the roles in its row of the table."""
    assert rule(action, people[role], comment) is (role in RULES[action])


@pytest.mark.parametrize("role", ROLES)
def test_nobody_edits_or_deletes_a_deleted_comment(people, comment, role):
    """Once deleted, a comment can be neither edited nor deleted again, by anyone."""
    comment.deleted_at = comment.created_at
    assert not permissions.can_edit_comment(people[role], comment)
    assert not permissions.can_delete_comment(people[role], comment)


def test_an_inactive_user_is_nobody(people, comment):
    """A deactivated account may do nothing, even as the comment's author."""
    author = people["author"]
    author.is_active = False
    assert not permissions.can_comment(author)
    assert not permissions.can_edit_comment(author, comment)


def test_a_reviewer_does_not_decide_their_own_proposal(people):
    """The proposals workflow's rule: reviewers decide, never on their own proposal."""

    class Proposal:
        status = "open"

        def __init__(self, author):
            self.author_id = author.pk

    reviewer = people["reviewer"]
    assert permissions.can_decide_proposal(reviewer, Proposal(people["member"]))
    assert not permissions.can_decide_proposal(reviewer, Proposal(reviewer))
    assert not permissions.can_decide_proposal(people["staff"], Proposal(people["member"]))


# --- The same table, through the pages ------------------------------------------------------


def client_for(client, people, role):
    if role != "anonymous":
        client.force_login(people[role])
    return client


def is_login_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


PAGE_RULES = {
    "watch": RULES["watch"],
    "comment": RULES["comment"],
    "edit_comment": RULES["edit_comment"],
    "delete_comment": RULES["delete_comment"],
    "read_notifications": {"member", "author", "reviewer", "staff"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", PAGE_RULES)
def test_page_table(client, people, skill, comment, action, role):
    """Allowed: the action happens. Refused: anonymous → login page; others → 403, no change."""
    client = client_for(client, people, role)
    allowed = role in PAGE_RULES[action]
    if action == "watch":
        response = client.post("/skills/kubernetes/watch/")
        done = Watch.objects.filter(skill=skill).exists()
    elif action == "comment":
        response = client.post("/skills/kubernetes/comments/", {"body": "Hello"})
        done = Comment.objects.filter(body="Hello").exists()
    elif action == "edit_comment":
        response = client.post(f"/comments/{comment.pk}/edit/", {"body": "Changed"})
        done = Comment.objects.get(pk=comment.pk).body == "Changed"
    elif action == "delete_comment":
        response = client.post(f"/comments/{comment.pk}/delete/")
        done = Comment.objects.get(pk=comment.pk).is_deleted
    else:
        response = client.get("/notifications/")
        done = response.status_code == 200
    assert done is allowed
    if allowed:
        assert response.status_code in (200, 302) and not is_login_redirect(response)
    elif role == "anonymous":
        assert is_login_redirect(response)
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("role", ["member", "author", "reviewer", "staff"])
def test_a_notification_is_readable_only_by_its_recipient(client, people, skill, role):
    """Marking someone else's notification read is a 404, whoever you are; it stays unread."""
    owner = UserFactory(username="owner")
    Watch.objects.create(user=owner, skill=skill)
    comment_create(author=people["member"], skill=skill, body="ping")
    notification = Notification.objects.get(recipient=owner)
    client.force_login(people[role])
    response = client.post(f"/notifications/{notification.pk}/read/")
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize(
    ("role", "sees_suggest", "sees_login_to_suggest", "sees_form"),
    [
        ("anonymous", False, True, False),
        ("member", True, False, True),
        ("reviewer", True, False, True),
        ("staff", True, False, True),
    ],
)
def test_skill_page_community_block_by_role(
    client, people, skill, role, sees_suggest, sees_login_to_suggest, sees_form
):
    """Anonymous visitors are invited to log in; members get the links and the form."""
    html = client_for(client, people, role).get("/skills/kubernetes/").content.decode()
    assert ('href="/skills/kubernetes/propose/"' in html) is sees_suggest
    assert ("Log in to suggest edits" in html) is sees_login_to_suggest
    assert ('class="comment-form"' in html) is sees_form


@pytest.mark.parametrize(
    ("role", "edit_link", "delete_word"),
    [
        ("anonymous", False, None),
        ("member", False, None),
        ("author", True, "Delete"),
        ("reviewer", False, "Remove"),
        ("staff", False, "Remove"),
    ],
)
def test_comment_tools_follow_the_rules(client, people, comment, role, edit_link, delete_word):
    """Edit and delete links show only to those allowed to use them."""
    html = client_for(client, people, role).get("/skills/kubernetes/").content.decode()
    assert (f'href="/comments/{comment.pk}/edit/"' in html) is edit_link
    delete_link = f'href="/comments/{comment.pk}/delete/">{delete_word}</a>'
    assert (delete_link in html) if delete_word else f"/comments/{comment.pk}/delete/" not in html
