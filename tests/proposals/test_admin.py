"""The admin decides proposals through the same services: the same rules, one revision."""

import pytest

from proposals import services
from proposals.models import ProposalStatus
from skills.models import Revision
from tests.factories import UserFactory

from .conftest import cell, make_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_reviewer(db):
    return make_reviewer(UserFactory(username="boss", is_staff=True, is_superuser=True))


def open_proposal(matrix, author, text="Admin-approved text."):
    return services.proposal_create(
        author=author, skill=matrix, base_version=matrix.version,
        changes=[cell("llm-engineer", "senior", "required", text)], rationale=text,
    )  # fmt: skip


def test_the_changelist_filters_by_status(client, matrix, member, admin_reviewer):
    open_proposal(matrix, member)
    client.force_login(admin_reviewer)
    response = client.get("/admin/proposals/proposal/?status__exact=open")
    assert response.status_code == 200 and b"ML Deployment" in response.content
    assert (
        client.get("/admin/proposals/proposal/?status__exact=approved").context["cl"].result_count
        == 0
    )


def test_approve_action_applies_through_the_service(client, matrix, member, admin_reviewer):
    proposal = open_proposal(matrix, member)
    own = open_proposal(matrix, admin_reviewer, "Own.")
    client.force_login(admin_reviewer)
    client.post(
        "/admin/proposals/proposal/",
        {"action": "approve_selected", "_selected_action": [proposal.pk, own.pk]},
    )
    proposal.refresh_from_db()
    own.refresh_from_db()
    assert (
        proposal.status == ProposalStatus.APPROVED and proposal.revision.approver == admin_reviewer
    )
    assert own.status == ProposalStatus.OPEN, "nobody decides their own, not even in the admin"
    assert Revision.objects.filter(skill=matrix).count() == 2


def test_reject_action_asks_for_a_reason(client, matrix, member, admin_reviewer):
    proposal = open_proposal(matrix, member)
    client.force_login(admin_reviewer)
    data = {"action": "reject_selected", "_selected_action": [proposal.pk]}
    response = client.post("/admin/proposals/proposal/", data)
    assert response.status_code == 200 and b"Reject these open proposals" in response.content
    client.post("/admin/proposals/proposal/", {**data, "apply": "1", "reason": "unclear"})
    proposal.refresh_from_db()
    assert (proposal.status, proposal.rejection_reason) == (ProposalStatus.REJECTED, "unclear")


def test_proposals_and_revisions_are_read_only_in_the_admin(client, matrix, member, admin_reviewer):
    proposal = open_proposal(matrix, member)
    client.force_login(admin_reviewer)
    assert client.get("/admin/proposals/proposal/add/").status_code == 403
    page = client.get(f"/admin/proposals/proposal/{proposal.pk}/change/")
    assert page.status_code == 200 and b'name="rationale"' not in page.content
    revision = Revision.objects.get(skill=matrix)
    page = client.get(f"/admin/skills/revision/{revision.pk}/change/")
    assert page.status_code == 200 and b'name="summary"' not in page.content
