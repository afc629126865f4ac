"""/api/v1/proposals/: the workflow over JSON, with the same rules as the pages."""

import pytest
from rest_framework.test import APIClient

from proposals import services
from proposals.models import Proposal, ProposalStatus
from skills.models import Revision
from tests.factories import UserFactory

from .conftest import cell, delete

pytestmark = pytest.mark.django_db

NEW_TEXT = "Serves LLMs with continuous batching."


@pytest.fixture
def api():
    return APIClient()


def body(skill="ml-deployment", **extra):
    return {
        "skill": skill,
        "base_version": 1,
        "rationale": "Batching matters.",
        "changes": [
            cell("llm-engineer", "senior", "required", NEW_TEXT),
            delete("data-scientist", "junior"),
        ],
        **extra,
    }


def create(skill, author):
    data = body()
    data.pop("skill")
    return services.proposal_create(author=author, skill=skill, **data)


def error_fields(response):
    return {e["field"] for e in response.json()["errors"]}


def test_anyone_lists_and_reads(api, matrix, member):
    proposal = create(matrix, member)
    response = api.get("/api/v1/proposals/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1 and data["results"][0]["id"] == proposal.pk
    detail = api.get(f"/api/v1/proposals/{proposal.pk}/").json()
    assert detail["skill"] == "ml-deployment" and detail["author"] == "mia"
    assert detail["status"] == "open" and detail["revision"] is None


def test_filters_are_the_pages_filters(api, matrix, member, reviewer):
    create(matrix, member)
    assert api.get("/api/v1/proposals/?status=open&author=mia").json()["count"] == 1
    assert api.get("/api/v1/proposals/?status=approved").json()["count"] == 0
    response = api.get("/api/v1/proposals/?skill=nope")
    assert response.status_code == 400 and "skill" in error_fields(response)
    response = api.get("/api/v1/proposals/?status=maybe")
    assert response.status_code == 400 and "status" in error_fields(response)


def test_members_create_anonymous_callers_cannot(api, matrix, member):
    assert api.post("/api/v1/proposals/", body(), format="json").status_code in (401, 403)
    api.force_authenticate(member)
    response = api.post("/api/v1/proposals/", body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["base_version"] == 1 and data["author"] == "mia"
    assert [c["role"] for c in data["changes"]] == ["data-scientist", "llm-engineer"]
    assert Proposal.objects.get().changes == data["changes"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"skill": "no-such"}, "skill"),
        ({"skill": "../etc"}, "skill"),
        ({"base_version": "x"}, "base_version"),
        ({"base_version": 9}, "base_version"),
        ({"rationale": ""}, "rationale"),
        ({"changes": [{"role": "llm-engineer", "level": "senior"}]}, "changes.0.necessity"),
        ({"changes": [cell("llm-engineer", "senior", "vital")]}, "changes.0.necessity"),
        ({"changes": [cell("ghost", "senior")]}, "changes"),
        ({"changes": [cell("llm-engineer", "cosmic")]}, "changes"),
        ({"changes": "all of them"}, "changes"),
        ({"changes": []}, "changes"),
    ],
)
def test_bad_payloads_are_400_naming_the_field(api, matrix, member, payload, field):
    api.force_authenticate(member)
    response = api.post("/api/v1/proposals/", body(**payload), format="json")
    assert response.status_code == 400, response.json()
    assert field in error_fields(response)
    assert not Proposal.objects.exists()


def test_the_author_patches_while_open(api, matrix, member, reviewer):
    proposal = create(matrix, member)
    api.force_authenticate(reviewer)
    assert api.patch(f"/api/v1/proposals/{proposal.pk}/", {"rationale": "x"}).status_code == 403
    api.force_authenticate(member)
    response = api.patch(
        f"/api/v1/proposals/{proposal.pk}/",
        {"rationale": "Better.", "changes": [cell("llm-engineer", "senior", "required", "New.")]},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["rationale"] == "Better."
    assert response.json()["changes"] == [cell("llm-engineer", "senior", "required", "New.")]
    assert api.put(f"/api/v1/proposals/{proposal.pk}/", {}).status_code == 405


def test_approve_reject_withdraw_and_request_changes(api, matrix, member, reviewer):
    first = create(matrix, member)
    api.force_authenticate(member)
    assert api.post(f"/api/v1/proposals/{first.pk}/approve/").status_code == 403
    api.force_authenticate(reviewer)
    response = api.post(f"/api/v1/proposals/{first.pk}/request-changes/", {"message": "Cite it."})
    assert response.status_code == 201 and response.json()["requests_changes"] is True
    response = api.post(f"/api/v1/proposals/{first.pk}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["revision"] == 2
    again = api.post(f"/api/v1/proposals/{first.pk}/approve/")
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    assert Revision.objects.filter(skill=matrix).count() == 2

    second = services.proposal_create(
        author=member, skill=matrix, base_version=2, rationale="More",
        changes=[cell("data-scientist", "middle", "optional", "Optional now.")],
    )  # fmt: skip
    response = api.post(f"/api/v1/proposals/{second.pk}/reject/", {"reason": "whim"})
    assert response.status_code == 400 and "reason" in error_fields(response)
    response = api.post(f"/api/v1/proposals/{second.pk}/reject/", {"reason": "inaccurate"})
    assert response.json()["status"] == "rejected"

    third = services.proposal_create(
        author=member, skill=matrix, base_version=2, rationale="Third",
        changes=[cell("data-scientist", "middle", "optional", "Again.")],
    )  # fmt: skip
    assert api.post(f"/api/v1/proposals/{third.pk}/withdraw/").status_code == 403
    api.force_authenticate(member)
    assert api.post(f"/api/v1/proposals/{third.pk}/withdraw/").json()["status"] == "withdrawn"


def test_a_conflict_is_409_with_both_sides(api, matrix, member, reviewer):
    mine = create(matrix, member)
    theirs = services.proposal_create(
        author=UserFactory(), skill=matrix, base_version=1, rationale="Theirs",
        changes=[cell("llm-engineer", "senior", "optional", "Theirs.")],
    )  # fmt: skip
    services.proposal_approve(proposal=theirs, by=reviewer)
    api.force_authenticate(reviewer)
    response = api.post(f"/api/v1/proposals/{mine.pk}/approve/")
    assert response.status_code == 409
    conflict = response.json()["conflict"]
    assert (conflict["base_version"], conflict["current_version"]) == (1, 2)
    [side] = conflict["cells"]
    assert side["theirs"]["description"] == "Theirs."
    assert side["yours"]["description"] == NEW_TEXT
    assert side["base"]["description"] == "Serves LLMs with batching."
    mine.refresh_from_db()
    assert mine.status == ProposalStatus.OPEN


def test_proposal_comments(api, matrix, member):
    proposal = create(matrix, member)
    assert api.post(f"/api/v1/proposals/{proposal.pk}/comments/", {"body": "x"}).status_code in (
        401,
        403,
    )
    api.force_authenticate(UserFactory(username="cora"))
    response = api.post(f"/api/v1/proposals/{proposal.pk}/comments/", {"body": "Nice *work*."})
    assert response.status_code == 201 and "<em>work</em>" in response.json()["body_html"]
    assert api.post(f"/api/v1/proposals/{proposal.pk}/comments/", {"body": ""}).status_code == 400
    listing = api.get(f"/api/v1/proposals/{proposal.pk}/comments/").json()
    assert listing["count"] == 1 and listing["results"][0]["author"] == "cora"
    assert api.get("/api/v1/proposals/999/comments/").status_code == 404


def test_unknown_proposals_are_404(api, db):
    assert api.get("/api/v1/proposals/999/").status_code == 404
    assert api.get("/api/v1/proposals/abc/").status_code == 404


def test_the_list_is_constant_in_queries(api, matrix, member, django_assert_max_num_queries):
    """One query to count, one for the page (and the page cache's generation), for 20 rows."""
    for i in range(20):
        services.proposal_create(
            author=UserFactory(), skill=matrix, base_version=1, rationale=f"p{i}",
            changes=[cell("llm-engineer", "senior", "required", f"t{i}")],
        )  # fmt: skip
    with django_assert_max_num_queries(3):
        assert api.get("/api/v1/proposals/").json()["count"] == 20


@pytest.mark.parametrize(
    ("action", "payload"),
    [
        ("approve", None),
        ("reject", {"reason": "inaccurate"}),
        ("request-changes", {"message": "More."}),
    ],
)
def test_a_decided_proposal_is_409_with_both_sides(api, matrix, member, reviewer, action, payload):
    """Deciding a proposal decided meanwhile: 409 `already_decided`, showing what was asked
    and what the proposal is now; nothing changes."""
    proposal = create(matrix, member)
    services.proposal_reject(proposal=proposal, by=reviewer, reason="unclear")
    api.force_authenticate(reviewer)
    response = api.post(f"/api/v1/proposals/{proposal.pk}/{action}/", payload)
    assert response.status_code == 409
    data = response.json()
    assert data["code"] == "already_decided" and "status" in error_fields(response)
    assert data["conflict"]["theirs"]["status"] == "rejected"
    assert data["conflict"]["theirs"]["decided_by"] == "rita"
    assert data["conflict"]["yours"]["action"] == action.replace("-", "_")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED and not proposal.changes_requested


def test_the_author_cannot_edit_or_withdraw_once_decided(api, matrix, member, reviewer):
    """Edits and withdrawal of a decided proposal are 409, not silently accepted."""
    proposal = create(matrix, member)
    services.proposal_approve(proposal=proposal, by=reviewer)
    api.force_authenticate(member)
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/", {"rationale": "Late."})
    assert response.status_code == 409 and response.json()["code"] == "already_decided"
    response = api.post(f"/api/v1/proposals/{proposal.pk}/withdraw/")
    assert response.status_code == 409
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED and proposal.rationale == "Batching matters."


def test_a_reviewer_never_decides_their_own_proposal(api, matrix, reviewer):
    """A reviewer's own proposal: approve, reject and request changes are 403."""
    proposal = create(matrix, reviewer)
    api.force_authenticate(reviewer)
    for action, payload in [("approve", None), ("reject", {"reason": "unclear"}),
                            ("request-changes", {"message": "x"})]:  # fmt: skip
        response = api.post(f"/api/v1/proposals/{proposal.pk}/{action}/", payload)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN
    assert Revision.objects.filter(skill=matrix).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"base_version": "1"}, "base_version"),
        ({"base_version": True}, "base_version"),
        ({"rationale": 5}, "rationale"),
        ({"skill": 5}, "skill"),
        ({"skill": "a\x00b"}, "skill"),
        ({"changes": [{**cell("llm-engineer", "senior"), "delete": 1}]}, "changes.0.delete"),
        ({"changes": [cell("llm-engineer", "senior", 1)]}, "changes.0.necessity"),
    ],
)
def test_json_types_are_strict(api, matrix, member, payload, field):
    """A value of the wrong JSON type is a 400 naming the field, not converted."""
    api.force_authenticate(member)
    response = api.post("/api/v1/proposals/", body(**payload), format="json")
    assert response.status_code == 400, response.json()
    assert field in error_fields(response)
    assert not Proposal.objects.exists()
