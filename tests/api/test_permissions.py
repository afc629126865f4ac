"""Who may call what: the permission table of every endpoint × {anonymous, member, author,
reviewer, staff}, and the rules."""

import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIClient

from proposals.services import comment_create, proposal_comment_create, proposal_create
from skillmatrix.api import permissions as rules
from skillmatrix.api.services import api_token_create
from tests.factories import UserFactory
from tests.proposals.conftest import build_matrix as build_proposal_matrix
from tests.proposals.conftest import cell, make_reviewer

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "author", "reviewer", "staff"]


def row(method, url, body, *statuses):
    """One endpoint: a status for each of ROLES, or one status for everybody."""
    if len(statuses) == 1:
        statuses = statuses * len(ROLES)
    assert len(statuses) == len(ROLES)
    return (method, url, body, dict(zip(ROLES, statuses, strict=True)))


# The author wrote {proposal} (open, on ml-deployment), {comment} (on that skill) and
# {proposal_comment}; the reviewer is in the Reviewers group; staff are staff, not reviewers.
# {own_token} is the caller's API token, {others_token} somebody else's.
#                                                     anonymous member author reviewer staff
TABLE = [
    row("get", "/api/v1/domains/", None, 200),
    row("get", "/api/v1/groups/", None, 200),
    row("get", "/api/v1/levels/", None, 200),
    row("get", "/api/v1/skills/", None, 200),
    row("get", "/api/v1/skills/s-skill-000/", None, 200),
    row("get", "/api/v1/skills/s-skill-000/revisions/", None, 200),
    row("get", "/api/v1/skills/s-skill-000/revisions/1/", None, 200),
    row("get", "/api/v1/roles/", None, 200),
    row("get", "/api/v1/roles/s-role-0/", None, 200),
    row("get", "/api/v1/expectations/", None, 200),
    row("get", "/api/schema/", None, 200),
    row("get", "/api/docs/", None, 200),
    # the matrix is read-only through the API: writes are 405 for everyone
    row("post", "/api/v1/skills/", {}, 405),
    row("put", "/api/v1/skills/s-skill-000/", {}, 405),
    row("patch", "/api/v1/roles/s-role-0/", {}, 405),
    row("delete", "/api/v1/skills/s-skill-000/", None, 405),
    row("post", "/api/v1/expectations/", {}, 405),
    # tokens: each member their own; anonymous callers must authenticate
    row("get", "/api/v1/tokens/", None, 401, 200, 200, 200, 200),
    row("post", "/api/v1/tokens/", {"name": "x"}, 401, 201, 201, 201, 201),
    row("delete", "/api/v1/tokens/{own_token}/", None, 401, 204, 204, 204, 204),
    row("delete", "/api/v1/tokens/{others_token}/", None, 401, 404, 404, 404, 404),
    # proposals: anyone reads, members propose, the author edits and withdraws, reviewers
    # (never the author) decide
    row("get", "/api/v1/proposals/", None, 200),
    row("get", "/api/v1/proposals/{proposal}/", None, 200),
    row("post", "/api/v1/proposals/", "new_proposal", 401, 201, 201, 201, 201),
    row("patch", "/api/v1/proposals/{proposal}/", {"rationale": "Better."},
        401, 403, 200, 403, 403),
    row("put", "/api/v1/proposals/{proposal}/", {}, 405),
    row("post", "/api/v1/proposals/{proposal}/withdraw/", None, 401, 403, 200, 403, 403),
    row("post", "/api/v1/proposals/{proposal}/approve/", None, 401, 403, 403, 200, 403),
    row("post", "/api/v1/proposals/{proposal}/reject/", {"reason": "inaccurate"},
        401, 403, 403, 200, 403),
    row("post", "/api/v1/proposals/{proposal}/request-changes/", {"message": "Cite it."},
        401, 403, 403, 201, 403),
    # comments: anyone reads, members write, the author edits, moderators also delete
    row("get", "/api/v1/skills/ml-deployment/comments/", None, 200),
    row("post", "/api/v1/skills/ml-deployment/comments/", {"body": "Hi"},
        401, 201, 201, 201, 201),
    row("get", "/api/v1/proposals/{proposal}/comments/", None, 200),
    row("post", "/api/v1/proposals/{proposal}/comments/", {"body": "Hi"},
        401, 201, 201, 201, 201),
    row("get", "/api/v1/comments/{comment}/", None, 200),
    row("patch", "/api/v1/comments/{comment}/", {"body": "Edited."}, 401, 403, 200, 403, 403),
    row("patch", "/api/v1/comments/{proposal_comment}/", {"body": "Edited."},
        401, 403, 200, 403, 403),
    row("delete", "/api/v1/comments/{comment}/", None, 401, 403, 204, 204, 204),
    row("delete", "/api/v1/comments/{proposal_comment}/", None, 401, 403, 204, 204, 204),
    # watching and notifications: members, for themselves
    row("put", "/api/v1/skills/ml-deployment/watch/", None, 401, 200, 200, 200, 200),
    row("delete", "/api/v1/skills/ml-deployment/watch/", None, 401, 200, 200, 200, 200),
    row("get", "/api/v1/skills/ml-deployment/watch/", None, 405),
    row("get", "/api/v1/notifications/", None, 401, 200, 200, 200, 200),
    row("post", "/api/v1/notifications/read/", {}, 401, 200, 200, 200, 200),
]  # fmt: skip


@pytest.fixture
def people(db):
    return {
        "anonymous": None,
        "member": UserFactory(username="member"),
        "author": UserFactory(username="author"),
        "reviewer": make_reviewer(UserFactory(username="reviewer")),
        "staff": UserFactory(username="staff", is_staff=True),
    }


@pytest.fixture
def community(levels, people):
    """ml-deployment with the author's open proposal, a comment on each."""
    skill = build_proposal_matrix(levels)
    author = people["author"]
    proposal = proposal_create(
        author=author, skill=skill, base_version=1, rationale="Batching matters.",
        changes=[cell("llm-engineer", "senior", "required", "Serves LLMs, batched.")],
    )  # fmt: skip
    return {
        "proposal": proposal.pk,
        "comment": comment_create(author=author, skill=skill, body="First.").pk,
        "proposal_comment": proposal_comment_create(
            author=author, proposal=proposal, body="Why?"
        ).pk,
    }


NEW_PROPOSAL = {
    "skill": "ml-deployment",
    "base_version": 1,
    "rationale": "Juniors should know this.",
    "changes": [cell("data-scientist", "junior", "required", "Knows a model server.")],
}


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize(("method", "url", "body", "expected"), TABLE)
def test_permission_table(matrix, community, people, who, method, url, body, expected):
    """Each endpoint answers each kind of caller with the status in the table."""
    client = APIClient()
    caller = people[who]
    if caller is not None:
        client.force_authenticate(caller)
    own, _key = api_token_create(user=caller or UserFactory(), name="own")
    others, _key = api_token_create(user=UserFactory(), name="others")
    url = url.format(own_token=own.pk, others_token=others.pk, **community)
    body = NEW_PROPOSAL if body == "new_proposal" else body
    call = getattr(client, method)
    response = call(url, body, format="json") if body is not None else call(url)
    assert response.status_code == expected[who], response.content[:300]
    if response.status_code >= 400:  # refusals come in the one error shape
        assert response.json()["status"] == expected[who]


@pytest.mark.parametrize(
    ("rule", "anonymous", "inactive", "member", "staff"),
    [
        (rules.anyone, True, True, True, True),
        (rules.is_member, False, False, True, True),
        (rules.is_staff, False, False, False, True),
        (rules.is_owner, False, False, True, True),
    ],
)
def test_rules_table(db, rule, anonymous, inactive, member, staff):
    """The generic rules, for each kind of user (without an object)."""
    users = {
        "anonymous": AnonymousUser(),
        "inactive": UserFactory(is_active=False),
        "member": UserFactory(),
        "staff": UserFactory(is_staff=True),
    }
    expected = {"anonymous": anonymous, "inactive": inactive, "member": member, "staff": staff}
    assert {name: rule(user) for name, user in users.items()} == expected


def test_is_owner_with_an_object(db):
    """`is_owner` holds for the object's own user (or author) alone."""
    owner, other = UserFactory(), UserFactory()
    token, _key = api_token_create(user=owner, name="t")
    assert rules.is_owner(owner, token)
    assert not rules.is_owner(other, token)
    assert not rules.is_owner(AnonymousUser(), token)


def test_a_missing_rule_refuses():
    """An action no rule covers is refused: forgetting a rule closes the endpoint."""
    permission = rules.allow(list=rules.anyone)
    assert permission.lookup(action="list", method="GET") is rules.anyone
    assert permission.lookup(action="create", method="POST") is None
    assert rules.allow(read=rules.anyone).lookup(action=None, method="HEAD") is rules.anyone
    assert rules.allow(write=rules.is_member).lookup(action="approve", method="POST") is (
        rules.is_member
    )


def test_project_rules_are_adapted_for_views(db):
    """`user_rule` answers the same with or without an object; `object_rule` asks `before`
    without one (members by default) and the named rule with one."""
    from skillmatrix import permissions

    author, other = UserFactory(), UserFactory()
    comment = type("Comment", (), {"author_id": author.pk, "is_deleted": False})()
    can_comment = rules.user_rule(permissions.can_comment)
    assert can_comment(author) and can_comment(author, comment)
    assert not can_comment(AnonymousUser()) and not can_comment(AnonymousUser(), comment)
    can_edit = rules.object_rule(permissions.can_edit_comment)
    assert can_edit.__name__ == "can_edit_comment"
    assert can_edit(other) and not can_edit(AnonymousUser())
    assert can_edit(author, comment) and not can_edit(other, comment)
    strict = rules.object_rule(permissions.can_edit_comment, before=rules.is_staff)
    assert not strict(author) and strict(author, comment)
