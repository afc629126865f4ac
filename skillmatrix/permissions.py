"""Who may do what: every community rule is one small named function, here and nowhere else.

Views, API views, templates (through `accounts.templatetags.permissions`) and services ask
these functions; `tests/accounts/test_permissions.py` checks them as a table of actions ×
{anonymous, member, author, reviewer, staff}.

- A *member* is any active, logged-in user.
- A *reviewer* holds REVIEW_PERMISSION, normally through the "Reviewers" group (granted in
  the admin or with `manage.py grant_reviewer`); superusers hold every permission.
- *Staff* may use the admin; here they moderate like reviewers but do not decide proposals
  unless they are reviewers too.
"""

from __future__ import annotations

#: The permission that makes a reviewer (created with the "Reviewers" group by migration).
REVIEW_PERMISSION = "proposals.review_proposal"
REVIEWERS_GROUP = "Reviewers"


def is_member(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def is_reviewer(user) -> bool:
    return is_member(user) and user.has_perm(REVIEW_PERMISSION)


def is_moderator(user) -> bool:
    """Reviewers and staff may remove other people's comments."""
    return is_member(user) and (user.is_staff or is_reviewer(user))


def _is_author(user, obj) -> bool:
    return is_member(user) and obj.author_id is not None and obj.author_id == user.pk


# --- Skills and watching ------------------------------------------------------------------


def can_watch(user) -> bool:
    return is_member(user)


def can_suggest_edit(user) -> bool:
    return is_member(user)


# --- Comments -------------------------------------------------------------------------------


def can_comment(user) -> bool:
    return is_member(user)


def can_edit_comment(user, comment) -> bool:
    """Only its author edits a comment, and only while it is not deleted."""
    return not comment.is_deleted and _is_author(user, comment)


def can_delete_comment(user, comment) -> bool:
    """Its author deletes a comment; reviewers and staff remove it."""
    return not comment.is_deleted and (_is_author(user, comment) or is_moderator(user))


# --- Proposals (used by the proposals workflow) ----------------------------------------------


def can_propose(user) -> bool:
    return is_member(user)


def can_review(user) -> bool:
    """May see the review queue and decide proposals (never their own: see can_decide)."""
    return is_reviewer(user)


def can_decide_proposal(user, proposal) -> bool:
    """Approve, reject or ask for changes: reviewers only, nobody on their own proposal, and
    only while it is open."""
    return can_review(user) and not _is_author(user, proposal) and proposal.status == "open"


def can_edit_proposal(user, proposal) -> bool:
    """Its author edits a proposal, while it is open."""
    return _is_author(user, proposal) and proposal.status == "open"


def can_withdraw_proposal(user, proposal) -> bool:
    """Its author withdraws a proposal, while it is open."""
    return _is_author(user, proposal) and proposal.status == "open"


def can_revert(user) -> bool:
    """Restore a skill to an earlier revision (which writes a new one): reviewers."""
    return is_reviewer(user)


# --- Accounts -------------------------------------------------------------------------------


def can_read_notifications(user, recipient) -> bool:
    """Notifications are private to their recipient."""
    return is_member(user) and user.pk == recipient.pk


def can_edit_profile(user, profile_user) -> bool:
    return is_member(user) and user.pk == profile_user.pk


# --- My growth (positions, self-assessment, share links) ------------------------------------
# Personal growth data is private to its owner: no rule here lets reviewers or staff read it.
# The one way for anyone else to see it is a share link the owner made and has not revoked.


def can_assess(user) -> bool:
    """Set positions and marks, write notes, make share links: members, for themselves only.

    Growth pages and API endpoints act on `request.user`'s own rows (looked up with
    `user=request.user`), so no member can name another one's data at all.
    """
    return is_member(user)


def can_manage_share_link(user, link) -> bool:
    return is_member(user) and link.user_id == user.pk


def can_follow_share_link(link) -> bool:
    """Anyone holding the token reads the owner's growth, until it is revoked."""
    return link.revoked_at is None and link.user.is_active
