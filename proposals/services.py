"""Writes of the community workflow. Comments now; proposals join them."""

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
from skills.cache import matrix_changed
from skills.models import Skill

from . import markdown
from .models import Comment

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
    watchers = User.objects.filter(
        pk__in=Watch.objects.filter(skill=skill).values("user_id"), is_active=True
    )
    notification_notify(
        event=f"comment:{comment.pk}",
        verb=NotificationVerb.COMMENTED,
        actor=author,
        recipients=watchers,
        target_title=skill.name,
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
