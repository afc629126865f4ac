"""The proposal rules as a table: each action × {anonymous, member, author, reviewer, reviewer
who is the author, staff}, on an open and on a decided proposal."""

import pytest
from django.contrib.auth.models import AnonymousUser

from proposals.models import Proposal, ProposalStatus
from skillmatrix import permissions
from tests.factories import UserFactory

from .conftest import make_reviewer

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "author", "reviewer", "reviewer-author", "staff"]

#: action → roles allowed on an open proposal (on a decided one, only "propose", "review"
#: and "revert" stay allowed: they do not depend on the proposal).
RULES = {
    "propose": {"member", "author", "reviewer", "reviewer-author", "staff"},
    "edit": {"author", "reviewer-author"},
    "withdraw": {"author", "reviewer-author"},
    "review": {"reviewer", "reviewer-author"},
    "decide": {"reviewer"},
    "revert": {"reviewer", "reviewer-author"},
}
CHECK = {
    "propose": lambda user, p: permissions.can_propose(user),
    "edit": permissions.can_edit_proposal,
    "withdraw": permissions.can_withdraw_proposal,
    "review": lambda user, p: permissions.can_review(user),
    "decide": permissions.can_decide_proposal,
    "revert": lambda user, p: permissions.can_revert(user),
}


@pytest.fixture
def people(db):
    return {
        "anonymous": AnonymousUser(),
        "member": UserFactory(username="member"),
        "author": UserFactory(username="author"),
        "reviewer": make_reviewer(UserFactory(username="reviewer")),
        "reviewer-author": make_reviewer(UserFactory(username="reviewer-author")),
        "staff": UserFactory(username="staff", is_staff=True),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", RULES)
@pytest.mark.parametrize("status", [ProposalStatus.OPEN, ProposalStatus.REJECTED])
def test_rule_table(people, action, role, status):
    """Each rule allows exactly the roles in its row; nothing on a decided proposal changes."""
    author = people["reviewer-author"] if role == "reviewer-author" else people["author"]
    proposal = Proposal(author=author, status=status)
    allowed = role in RULES[action]
    if status != ProposalStatus.OPEN and action in {"edit", "withdraw", "decide"}:
        allowed = False
    assert CHECK[action](people[role], proposal) is allowed
