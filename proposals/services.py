"""Writes of the community workflow: comments, proposals and their review, reverts.

Every state change of a proposal is one function here, atomic, writing its audit event
(ProposalEvent) in the same transaction; notifications go through
`accounts.services.notification_notify` (emails after commit). The matrix itself changes only
through `skills.services` (skill_apply_changes, skill_revert).

Proposal states: open → approved | rejected | withdrawn; nothing leaves a decided state. While
open, a reviewer may ask for changes and the author may edit (which clears that request).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from accounts.models import NotificationVerb, User, Watch
from accounts.services import notification_notify
from skillmatrix import permissions
from skills import services as skill_services
from skills.cache import matrix_changed
from skills.models import Revision, Skill

from . import markdown
from .models import (
    Comment,
    Proposal,
    ProposalEvent,
    ProposalEventKind,
    ProposalStatus,
    RejectionReason,
)

BODY_MAX_LENGTH = 10000


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write something first.")})
    if len(body) > BODY_MAX_LENGTH:
        raise ValidationError(
            {"body": _("A comment is at most %(max)s characters.") % {"max": BODY_MAX_LENGTH}}
        )
    return body


def _skill_page_changed() -> None:
    """Skill pages are cached for visitors until the matrix changes; a comment changes what
    they show, so it counts as a change (the watcher count alone may lag, see README)."""
    matrix_changed()


def _excerpt(html: str) -> str:
    return Truncator(" ".join(strip_tags(html).split())).chars(140)


def _watchers(skill) -> list[User]:
    return list(
        User.objects.filter(
            pk__in=Watch.objects.filter(skill=skill).values("user_id"), is_active=True
        )
    )


@transaction.atomic
def comment_create(*, author: User, skill: Skill, body: str) -> Comment:
    """Post a comment on a skill and notify the skill's watchers (never the author)."""
    if not permissions.can_comment(author):
        raise PermissionDenied(_("Log in to comment."))
    body = _clean_body(body)
    comment = Comment.objects.create(
        skill=skill, author=author, body=body, body_html=markdown.render(body)
    )
    _skill_page_changed()
    notification_notify(
        event=f"comment:{comment.pk}",
        verb=NotificationVerb.COMMENTED,
        actor=author,
        recipients=_watchers(skill),
        target_title=skill.name,
        url=comment.get_absolute_url(),
        excerpt=_excerpt(comment.body_html),
    )
    return comment


@transaction.atomic
def proposal_comment_create(
    *, author: User, proposal: Proposal, body: str, requests_changes: bool = False
) -> Comment:
    """Post a comment on a proposal; its author and the skill's watchers are notified.

    With `requests_changes` it is a reviewer's request for changes: see
    `proposal_request_changes`, the only caller that sets it.
    """
    if not permissions.can_comment(author):
        raise PermissionDenied(_("Log in to comment."))
    body = _clean_body(body)
    comment = Comment.objects.create(
        proposal=proposal,
        author=author,
        body=body,
        body_html=markdown.render(body),
        requests_changes=requests_changes,
    )
    if not requests_changes:
        notification_notify(
            event=f"comment:{comment.pk}",
            verb=NotificationVerb.COMMENTED,
            actor=author,
            recipients=[proposal.author, *_watchers(proposal.skill)],
            target_title=_proposal_title(proposal),
            url=comment.get_absolute_url(),
            excerpt=_excerpt(comment.body_html),
        )
    return comment


@transaction.atomic
def comment_edit(*, comment: Comment, by: User, body: str) -> Comment:
    """Change a comment's text: its author only, and not once it is deleted."""
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not permissions.can_edit_comment(by, comment):
        raise PermissionDenied(_("Only its author can edit this comment."))
    body = _clean_body(body)
    if body != comment.body:
        comment.body, comment.body_html = body, markdown.render(body)
        comment.edited_at = timezone.now()
        comment.save(update_fields=["body", "body_html", "edited_at"])
        _skill_page_changed()
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment, by: User) -> Comment:
    """Soft-delete: the comment stays in the thread as "deleted", without its text.

    Its author may delete it; reviewers and staff may remove anyone's.
    """
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if not permissions.can_delete_comment(by, comment):
        raise PermissionDenied(_("You cannot delete this comment."))
    comment.body = comment.body_html = ""
    comment.deleted_at, comment.deleted_by = timezone.now(), by
    comment.save(update_fields=["body", "body_html", "deleted_at", "deleted_by"])
    _skill_page_changed()
    return comment


# --- Proposals --------------------------------------------------------------------------------


class AlreadyDecided(Exception):
    """The proposal is no longer open (approved, rejected or withdrawn, perhaps a moment ago)."""

    def __init__(self, proposal: Proposal):
        self.proposal = proposal
        self.status = proposal.status
        super().__init__(
            _("This proposal was already decided: it is %(status)s.")
            % {"status": proposal.get_status_display().lower()}
        )


RATIONALE_MAX_LENGTH = 5000


def _proposal_title(proposal: Proposal) -> str:
    """How notifications name a proposal: language-neutral, as they are stored as text."""
    return f"{proposal.skill.name} #{proposal.pk}"


def _clean_rationale(rationale: str) -> str:
    rationale = (rationale or "").strip()
    if not rationale:
        raise ValidationError({"rationale": _("Say why this change is right.")})
    if len(rationale) > RATIONALE_MAX_LENGTH:
        raise ValidationError(
            {
                "rationale": _("The rationale is at most %(max)s characters.")
                % {"max": RATIONALE_MAX_LENGTH}
            }
        )
    return rationale


def _base_state(*, skill: Skill, base_version) -> dict:
    if not isinstance(base_version, int) or isinstance(base_version, bool):
        raise ValidationError({"base_version": _("A version number is expected.")})
    state = skill_services.skill_state_at(skill=skill, version=base_version)
    if state is None or base_version > skill.version:
        raise ValidationError(
            {
                "base_version": _("The skill has no version %(version)s (it is at %(current)s).")
                % {"version": base_version, "current": skill.version}
            }
        )
    return state


def _clean_change_set(*, skill: Skill, base_version, changes, summary) -> tuple[list, str | None]:
    skill.refresh_from_db()  # the caller's copy may predate a change
    state = _base_state(skill=skill, base_version=base_version)
    changes, summary = skill_services.changes_normalize(
        snapshot=state, changes=changes, summary=summary
    )
    if not changes and summary is None:
        raise ValidationError({"changes": _("This proposal changes nothing yet.")})
    return changes, summary


def _event(proposal: Proposal, kind: str, actor: User | None, note: str = "") -> ProposalEvent:
    return ProposalEvent.objects.create(proposal=proposal, kind=kind, actor=actor, note=note)


def _lock_open(proposal: Proposal) -> Proposal:
    """The proposal's row, locked, re-read; AlreadyDecided unless it is still open."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("skill", "author")
        .get(pk=proposal.pk)
    )
    if proposal.status != ProposalStatus.OPEN:
        raise AlreadyDecided(proposal)
    return proposal


@transaction.atomic
def proposal_create(
    *,
    author: User,
    skill: Skill,
    base_version: int,
    changes,
    rationale: str,
    summary: str | None = None,
) -> Proposal:
    """Propose a change set against `base_version` of `skill`; watchers are notified.

    The change set is checked and normalized against that version's state (see
    `skills.services.changes_normalize`): cells that change nothing are dropped, and a proposal
    that changes nothing is refused. The matrix is not touched.
    """
    if not permissions.can_propose(author):
        raise PermissionDenied(_("Log in to suggest edits."))
    rationale = _clean_rationale(rationale)
    changes, summary = _clean_change_set(
        skill=skill, base_version=base_version, changes=changes, summary=summary
    )
    proposal = Proposal.objects.create(
        skill=skill,
        author=author,
        base_version=base_version,
        changes=changes,
        summary=summary,
        rationale=rationale,
    )
    _event(proposal, ProposalEventKind.CREATED, author)
    _skill_page_changed()  # the skill page lists open proposals
    notification_notify(
        event=f"proposal:{proposal.pk}:created",
        verb=NotificationVerb.PROPOSED,
        actor=author,
        recipients=_watchers(skill),
        target_title=skill.name,
        url=proposal.get_absolute_url(),
        excerpt=Truncator(rationale).chars(140),
    )
    return proposal


@transaction.atomic
def proposal_edit(
    *,
    proposal: Proposal,
    by: User,
    base_version: int,
    changes,
    rationale: str,
    summary: str | None = None,
) -> Proposal:
    """The author replaces their open proposal's change set (and rationale).

    The edit may start from a newer version of the skill than the proposal did: `base_version`
    is then updated, which is how an author resolves a conflict. A pending request for changes
    counts as answered.
    """
    proposal = _lock_open(proposal)
    if not permissions.can_edit_proposal(by, proposal):
        raise PermissionDenied(_("Only its author can edit this proposal."))
    rationale = _clean_rationale(rationale)
    changes, summary = _clean_change_set(
        skill=proposal.skill, base_version=base_version, changes=changes, summary=summary
    )
    proposal.base_version, proposal.changes, proposal.summary = base_version, changes, summary
    proposal.rationale, proposal.changes_requested = rationale, False
    proposal.save(
        update_fields=[
            "base_version",
            "changes",
            "summary",
            "rationale",
            "changes_requested",
            "updated_at",
        ]
    )
    _event(proposal, ProposalEventKind.EDITED, by)
    _skill_page_changed()
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by: User) -> Proposal:
    """The author withdraws their open proposal; the skill's watchers are told."""
    proposal = _lock_open(proposal)
    if not permissions.can_withdraw_proposal(by, proposal):
        raise PermissionDenied(_("Only its author can withdraw this proposal."))
    _decide(proposal, ProposalStatus.WITHDRAWN, by)
    _event(proposal, ProposalEventKind.WITHDRAWN, by)
    notification_notify(
        event=f"proposal:{proposal.pk}:withdrawn",
        verb=NotificationVerb.WITHDRAWN,
        actor=by,
        recipients=_watchers(proposal.skill),
        target_title=_proposal_title(proposal),
        url=proposal.get_absolute_url(),
    )
    return proposal


def _check_decider(proposal: Proposal, by: User) -> None:
    if not permissions.can_review(by):
        raise PermissionDenied(_("Only reviewers decide proposals."))
    if not permissions.can_decide_proposal(by, proposal):
        if proposal.status != ProposalStatus.OPEN:
            raise AlreadyDecided(proposal)
        raise PermissionDenied(_("Nobody decides their own proposal."))


def _decide(proposal: Proposal, status: str, by: User, **fields) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = status, by, timezone.now()
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.save(
        update_fields=["status", "decided_by", "decided_at", "updated_at", *fields.keys()]
    )
    _skill_page_changed()


@transaction.atomic
def proposal_request_changes(*, proposal: Proposal, by: User, message: str) -> Comment:
    """A reviewer asks the author for changes: a flagged comment; the author is notified."""
    _check_decider(proposal, by)
    proposal = _lock_open(proposal)
    comment = proposal_comment_create(
        author=by, proposal=proposal, body=message, requests_changes=True
    )
    proposal.changes_requested = True
    proposal.save(update_fields=["changes_requested", "updated_at"])
    _event(proposal, ProposalEventKind.CHANGES_REQUESTED, by, note=comment.body)
    notification_notify(
        event=f"comment:{comment.pk}",
        verb=NotificationVerb.CHANGES_REQUESTED,
        actor=by,
        recipients=[proposal.author],
        target_title=_proposal_title(proposal),
        url=comment.get_absolute_url(),
        excerpt=_excerpt(comment.body_html),
    )
    return comment


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: User) -> Revision:
    """A reviewer approves an open proposal: its change set is applied, in this transaction.

    What always holds:
    - nobody approves their own proposal (PermissionDenied), nor one that is no longer open
      (AlreadyDecided: when two reviewers approve at once, the second waits for the first's
      row lock, then finds it decided);
    - the skill gets exactly one revision, credited to the proposal's author, with the reviewer
      as approver, and the proposal points at it;
    - if the skill changed since the proposal's base version in a cell the proposal touches,
      `skills.services.ChangeConflict` is raised and nothing at all is written.
    The author and the skill's watchers are notified once (the decision and the applied
    change are one event).
    """
    _check_decider(proposal, by)
    proposal = _lock_open(proposal)
    revision = skill_services.skill_apply_changes(
        skill=proposal.skill,
        changes=proposal.changes,
        summary_text=proposal.summary,
        base_version=proposal.base_version,
        author=proposal.author,
        approver=by,
        message=_("Proposal #%(id)s: %(title)s") % {"id": proposal.pk, "title": proposal.title},
    )
    _decide(proposal, ProposalStatus.APPROVED, by, revision=revision, changes_requested=False)
    _event(proposal, ProposalEventKind.APPROVED, by, note=f"v{revision.version}")
    notification_notify(
        event=f"proposal:{proposal.pk}:approved",
        verb=NotificationVerb.APPROVED,
        actor=by,
        recipients=[proposal.author, *_watchers(proposal.skill)],
        target_title=_proposal_title(proposal),
        url=proposal.get_absolute_url(),
    )
    return revision


@transaction.atomic
def proposal_reject(*, proposal: Proposal, by: User, reason: str, note: str = "") -> Proposal:
    """A reviewer rejects an open proposal with a reason from the short list (and a note,
    required for "other"). The author and the skill's watchers are notified."""
    _check_decider(proposal, by)
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    note = (note or "").strip()
    if reason == RejectionReason.OTHER and not note:
        raise ValidationError({"note": _("Explain the reason in a few words.")})
    if len(note) > RATIONALE_MAX_LENGTH:
        raise ValidationError(
            {"note": _("The note is at most %(max)s characters.") % {"max": RATIONALE_MAX_LENGTH}}
        )
    proposal = _lock_open(proposal)
    _decide(
        proposal,
        ProposalStatus.REJECTED,
        by,
        rejection_reason=reason,
        rejection_note=note,
        changes_requested=False,
    )
    _event(proposal, ProposalEventKind.REJECTED, by, note=note)
    notification_notify(
        event=f"proposal:{proposal.pk}:rejected",
        verb=NotificationVerb.REJECTED,
        actor=by,
        recipients=[proposal.author, *_watchers(proposal.skill)],
        target_title=_proposal_title(proposal),
        url=proposal.get_absolute_url(),
        excerpt=Truncator(f"{RejectionReason(reason).label}. {note}".strip()).chars(140),
    )
    return proposal


# --- History ----------------------------------------------------------------------------------


@transaction.atomic
def revision_restore(*, skill: Skill, version: int, by: User) -> Revision:
    """A reviewer restores the skill to an earlier revision: a new revision; watchers are told.

    See `skills.services.skill_revert` for what is restored and when it is refused.
    """
    if not permissions.can_revert(by):
        raise PermissionDenied(_("Only reviewers restore earlier versions."))
    revision = skill_services.skill_revert(skill=skill, to_version=version, by=by)
    notification_notify(
        event=f"revision:{revision.pk}",
        verb=NotificationVerb.APPLIED,
        actor=by,
        recipients=_watchers(skill),
        target_title=skill.name,
        url=revision.get_absolute_url(),
        excerpt=revision.summary,
    )
    return revision
