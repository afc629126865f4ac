"""The proposal workflow's rules, through its services: states and transitions, who may do
what, what is written and who is notified."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Notification, Watch
from proposals import services
from proposals.models import Comment, Proposal, ProposalEvent, ProposalStatus
from skills.models import Revision
from skills.services import ChangeConflict, skill_apply_changes, skill_snapshot
from tests.factories import UserFactory

from .conftest import cell, delete

pytestmark = pytest.mark.django_db

NEW_TEXT = "Serves LLMs with continuous batching and KV caching."


def propose(skill, author, changes=None, **kwargs):
    return services.proposal_create(
        author=author,
        skill=skill,
        base_version=kwargs.pop("base_version", skill.version),
        changes=changes or [cell("llm-engineer", "senior", "required", NEW_TEXT)],
        rationale=kwargs.pop("rationale", "Batching is table stakes now."),
        **kwargs,
    )


def events(proposal):
    return list(proposal.events.values_list("kind", flat=True))


# --- Creating ---------------------------------------------------------------------------------


def test_a_member_proposes_and_the_matrix_is_untouched(matrix, member):
    """A new proposal is open, records its base version and normalized change set, and leaves
    the matrix as it is."""
    before = skill_snapshot(skill=matrix)
    proposal = propose(
        matrix,
        member,
        [
            cell("llm-engineer", "senior", "required", f"  {NEW_TEXT}  "),
            cell("data-scientist", "junior", "optional", "Knows what a model server is."),
        ],
    )
    assert proposal.status == ProposalStatus.OPEN
    assert proposal.base_version == 1
    assert proposal.changes == [cell("llm-engineer", "senior", "required", NEW_TEXT)]
    assert proposal.summary is None
    assert events(proposal) == ["created"]
    assert skill_snapshot(skill=matrix) == before
    matrix.refresh_from_db()
    assert matrix.version == 1


def test_the_skills_watchers_are_notified_of_a_new_proposal(
    matrix, member, django_capture_on_commit_callbacks
):
    """Each watcher once, never the author (who may watch too); email after commit."""
    watcher = UserFactory(username="wendy")
    Watch.objects.create(user=watcher, skill=matrix)
    Watch.objects.create(user=member, skill=matrix)
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(matrix, member)
    notes = Notification.objects.filter(event=f"proposal:{proposal.pk}:created")
    assert [n.recipient for n in notes] == [watcher]
    assert notes[0].verb == "proposed"
    assert [m.to for m in mail.outbox] == [[watcher.email]]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"rationale": "   "}, "rationale"),
        ({"changes": [cell("llm-engineer", "senior", "optional", "Serves LLMs with batching.")]},
         "changes"),
        ({"base_version": 5}, "base_version"),
        ({"base_version": "1"}, "base_version"),
        ({"changes": [cell("ghost", "senior")]}, "changes"),
    ],
    ids=["no-rationale", "no-change", "future-base", "base-not-int", "unknown-role"],
)  # fmt: skip
def test_a_bad_proposal_is_refused_naming_the_field(matrix, member, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        propose(matrix, member, **kwargs)
    assert field in caught.value.message_dict
    assert not Proposal.objects.exists()


def test_anonymous_or_inactive_users_cannot_propose(matrix):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        propose(matrix, AnonymousUser())
    with pytest.raises(PermissionDenied):
        propose(matrix, UserFactory(is_active=False))


# --- Approving --------------------------------------------------------------------------------


def test_a_reviewer_approves_and_the_change_is_one_revision(matrix, member, reviewer):
    """Approval applies the change, bumps the version, writes one revision credited to the
    author with the reviewer as approver, and the proposal points at it."""
    proposal = propose(matrix, member, summary="Ship models safely.")
    revision = services.proposal_approve(proposal=proposal, by=reviewer)
    proposal.refresh_from_db()
    matrix.refresh_from_db()
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.revision == revision
    assert (proposal.decided_by, proposal.decided_at is not None) == (reviewer, True)
    assert (revision.author, revision.approver, revision.version) == (member, reviewer, 2)
    assert f"#{proposal.pk}" in revision.summary
    assert matrix.version == 2 and matrix.summary == "Ship models safely."
    assert revision.snapshot == skill_snapshot(skill=matrix)
    assert Revision.objects.filter(skill=matrix).count() == 2
    assert events(proposal) == ["created", "approved"]


def test_approval_notifies_author_and_watchers_once(matrix, member, reviewer):
    """The decision and the applied change are one event: one notification each, none for the
    reviewer who acted."""
    watcher = UserFactory(username="wendy")
    for user in (watcher, member, reviewer):
        Watch.objects.create(user=user, skill=matrix)
    proposal = propose(matrix, member)
    services.proposal_approve(proposal=proposal, by=reviewer)
    notes = Notification.objects.filter(event=f"proposal:{proposal.pk}:approved")
    assert sorted(n.recipient.username for n in notes) == ["mia", "wendy"]
    assert {n.verb for n in notes} == {"approved"}


def test_nobody_approves_their_own_proposal(matrix, reviewer):
    """Even a reviewer: PermissionDenied, and nothing changes."""
    proposal = propose(matrix, reviewer)
    with pytest.raises(PermissionDenied):
        services.proposal_approve(proposal=proposal, by=reviewer)
    proposal.refresh_from_db()
    matrix.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN and matrix.version == 1


@pytest.mark.parametrize("who", ["member", "staff"])
def test_only_reviewers_decide(matrix, member, reviewer, who):
    """A member or a staff user who is no reviewer can neither approve nor reject."""
    proposal = propose(matrix, reviewer)
    user = UserFactory(username="stan", is_staff=True) if who == "staff" else member
    with pytest.raises(PermissionDenied):
        services.proposal_approve(proposal=proposal, by=user)
    with pytest.raises(PermissionDenied):
        services.proposal_reject(proposal=proposal, by=user, reason="unclear")
    with pytest.raises(PermissionDenied):
        services.proposal_request_changes(proposal=proposal, by=user, message="More please.")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


@pytest.mark.parametrize("first", ["approve", "reject", "withdraw"])
@pytest.mark.parametrize("then", ["approve", "reject", "withdraw", "edit", "request_changes"])
def test_a_decided_proposal_stays_decided(matrix, member, reviewer, other_reviewer, first, then):
    """open → approved | rejected | withdrawn, and nothing leaves those states."""
    proposal = propose(matrix, member)
    act(first, proposal, member, reviewer)
    proposal.refresh_from_db()
    status = proposal.status
    revisions = Revision.objects.count()
    with pytest.raises((services.AlreadyDecided, PermissionDenied)):
        act(then, proposal, member, other_reviewer)
    proposal.refresh_from_db()
    assert proposal.status == status
    assert Revision.objects.count() == revisions


def act(action, proposal, author, reviewer):
    if action == "approve":
        return services.proposal_approve(proposal=proposal, by=reviewer)
    if action == "reject":
        return services.proposal_reject(proposal=proposal, by=reviewer, reason="inaccurate")
    if action == "withdraw":
        return services.proposal_withdraw(proposal=proposal, by=author)
    if action == "request_changes":
        return services.proposal_request_changes(proposal=proposal, by=reviewer, message="Hm.")
    return services.proposal_edit(
        proposal=proposal,
        by=author,
        base_version=proposal.skill.version,
        changes=[cell("llm-engineer", "senior", "required", "Edited.")],
        rationale="Edited.",
    )


def test_approving_twice_is_already_decided(matrix, member, reviewer, other_reviewer):
    """The second reviewer is told it was already decided; still one revision."""
    proposal = propose(matrix, member)
    stale_copy = Proposal.objects.get(pk=proposal.pk)
    services.proposal_approve(proposal=proposal, by=reviewer)
    with pytest.raises(services.AlreadyDecided) as caught:
        services.proposal_approve(proposal=stale_copy, by=other_reviewer)
    assert caught.value.status == ProposalStatus.APPROVED
    assert Revision.objects.filter(skill=matrix).count() == 2


def test_a_stale_proposal_is_merged_when_its_cells_did_not_change(matrix, member, reviewer):
    """Another change landed on another cell since the proposal: approval merges it."""
    proposal = propose(matrix, member)
    other = propose(matrix, UserFactory(), [cell("data-scientist", "junior", "required", "X.")])
    services.proposal_approve(proposal=other, by=reviewer)
    revision = services.proposal_approve(proposal=proposal, by=reviewer)
    matrix.refresh_from_db()
    assert revision.version == matrix.version == 3
    cells = {(r["role"], r["level"]): r for r in revision.snapshot["expectations"]}
    assert cells[("data-scientist", "junior")]["description"] == "X."
    assert cells[("llm-engineer", "senior")]["description"] == NEW_TEXT


def test_a_conflicting_proposal_is_refused_and_stays_open(matrix, member, reviewer):
    """Its cell changed meanwhile: ChangeConflict with both sides, the proposal stays open,
    the matrix and the proposal's audit trail are untouched."""
    proposal = propose(matrix, member)
    other = propose(matrix, UserFactory(), [cell("llm-engineer", "senior", "optional", "Other.")])
    services.proposal_approve(proposal=other, by=reviewer)
    before = skill_snapshot(skill=matrix)
    with pytest.raises(ChangeConflict) as caught:
        services.proposal_approve(proposal=proposal, by=reviewer)
    [side] = caught.value.cells
    assert side["current"]["description"] == "Other."
    assert side["proposed"]["description"] == NEW_TEXT
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN and proposal.revision is None
    assert events(proposal) == ["created"]
    assert skill_snapshot(skill=matrix) == before


def test_the_author_resolves_a_conflict_by_editing_from_the_current_version(
    matrix, member, reviewer
):
    """An edit made on the current version moves the base; then approval goes through."""
    proposal = propose(matrix, member)
    other = propose(matrix, UserFactory(), [cell("llm-engineer", "senior", "optional", "Other.")])
    services.proposal_approve(proposal=other, by=reviewer)
    matrix.refresh_from_db()
    services.proposal_edit(
        proposal=proposal,
        by=member,
        base_version=matrix.version,
        changes=[cell("llm-engineer", "senior", "required", "Other, and required.")],
        rationale="Rebased.",
    )
    revision = services.proposal_approve(proposal=proposal, by=reviewer)
    assert revision.version == 3


# --- Rejecting, asking for changes, editing, withdrawing ---------------------------------------


def test_a_reviewer_rejects_with_a_reason(matrix, member, reviewer):
    """The reason from the list and the note are kept; the author is notified."""
    proposal = propose(matrix, member)
    services.proposal_reject(
        proposal=proposal, by=reviewer, reason="out_of_scope", note="Belongs to MLOps."
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert (proposal.rejection_reason, proposal.rejection_note) == (
        "out_of_scope",
        "Belongs to MLOps.",
    )
    note = Notification.objects.get(recipient=member, event=f"proposal:{proposal.pk}:rejected")
    assert "Out of scope" in note.excerpt
    matrix.refresh_from_db()
    assert matrix.version == 1


@pytest.mark.parametrize(
    "reason, note, field",
    [("because", "", "reason"), ("other", "  ", "note"), ("unclear", "x" * 5001, "note")],
)
def test_a_rejection_needs_a_listed_reason_and_for_other_a_note(
    matrix, member, reviewer, reason, note, field
):
    proposal = propose(matrix, member)
    with pytest.raises(ValidationError) as caught:
        services.proposal_reject(proposal=proposal, by=reviewer, reason=reason, note=note)
    assert field in caught.value.message_dict
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_request_changes_then_the_author_edits(matrix, member, reviewer):
    """A request for changes is a flagged comment that notifies the author; the author's edit
    answers it, and the proposal stays open throughout."""
    proposal = propose(matrix, member)
    comment = services.proposal_request_changes(
        proposal=proposal, by=reviewer, message="Name the **batching** strategy."
    )
    proposal.refresh_from_db()
    assert comment.requests_changes and comment.proposal == proposal
    assert "<strong>batching</strong>" in comment.body_html
    assert proposal.changes_requested and proposal.status == ProposalStatus.OPEN
    assert Notification.objects.get(recipient=member).verb == "changes_requested"

    services.proposal_edit(
        proposal=proposal,
        by=member,
        base_version=1,
        changes=[cell("llm-engineer", "senior", "required", "Continuous batching (vLLM).")],
        summary="Ship models safely.",
        rationale="Named it.",
    )
    proposal.refresh_from_db()
    assert not proposal.changes_requested
    assert proposal.changes[0]["description"] == "Continuous batching (vLLM)."
    assert (proposal.summary, proposal.rationale) == ("Ship models safely.", "Named it.")
    assert events(proposal) == ["created", "changes_requested", "edited"]


def test_only_the_author_edits_or_withdraws(matrix, member, reviewer):
    proposal = propose(matrix, member)
    for user in (reviewer, UserFactory()):
        with pytest.raises(PermissionDenied):
            act("edit", proposal, user, reviewer)
        with pytest.raises(PermissionDenied):
            services.proposal_withdraw(proposal=proposal, by=user)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.OPEN


def test_the_author_withdraws(matrix, member):
    proposal = propose(matrix, member)
    services.proposal_withdraw(proposal=proposal, by=member)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert events(proposal) == ["created", "withdrawn"]


def test_comments_on_a_proposal_notify_its_author(matrix, member):
    proposal = propose(matrix, member)
    commenter = UserFactory(username="cora")
    comment = services.proposal_comment_create(author=commenter, proposal=proposal, body="+1")
    assert comment.proposal == proposal and comment.skill is None
    assert Notification.objects.get(recipient=member).event == f"comment:{comment.pk}"
    assert comment.get_absolute_url() == f"/proposals/{proposal.pk}/#comment-{comment.pk}"


def test_a_comment_has_exactly_one_target(matrix, member):
    """The database refuses a comment on both a skill and a proposal, or on neither."""
    from django.db import IntegrityError, transaction

    proposal = propose(matrix, member)
    for fields in ({"skill": matrix, "proposal": proposal}, {}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(author=member, body="x", body_html="x", **fields)


# --- Reverting --------------------------------------------------------------------------------


def test_a_reviewer_restores_an_earlier_version(matrix, member, reviewer):
    """A new revision equal to the old state; watchers are told."""
    watcher = UserFactory(username="wendy")
    Watch.objects.create(user=watcher, skill=matrix)
    services.proposal_approve(proposal=propose(matrix, member), by=reviewer)
    revision = services.revision_restore(skill=matrix, version=1, by=reviewer)
    matrix.refresh_from_db()
    assert revision.version == matrix.version == 3
    old = Revision.objects.get(skill=matrix, version=1).snapshot
    assert revision.snapshot["expectations"] == old["expectations"]
    assert Notification.objects.filter(recipient=watcher, event=f"revision:{revision.pk}").exists()


def test_members_cannot_revert(matrix, member):
    skill_apply_changes(
        skill=matrix, changes=[delete("llm-engineer", "senior")], base_version=1,
        author=None, approver=None, message="x",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.revision_restore(skill=matrix, version=1, by=member)
    matrix.refresh_from_db()
    assert matrix.version == 2


def test_every_transition_leaves_an_audit_event(matrix, member, reviewer):
    proposal = propose(matrix, member)
    services.proposal_request_changes(proposal=proposal, by=reviewer, message="More.")
    act("edit", proposal, member, reviewer)
    services.proposal_reject(proposal=proposal, by=reviewer, reason="unclear")
    actors = list(
        ProposalEvent.objects.filter(proposal=proposal).values_list("actor__username", "kind")
    )
    assert actors == [
        ("mia", "created"),
        ("rita", "changes_requested"),
        ("mia", "edited"),
        ("rita", "rejected"),
    ]
