"""Reads of the community workflow, each in a fixed number of queries."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from skills.models import Skill

from .models import Comment


def comment_list(*, skill: Skill) -> QuerySet[Comment]:
    """A skill's comments, oldest first (deleted ones too: they show as deleted)."""
    return (
        Comment.objects.on_skill(skill)
        .select_related("author", "deleted_by")
        .order_by("created_at", "pk")
    )


def comment_page(*, skill: Skill, page: str | int | None) -> Page:
    """One page of a skill's comments, newest last; without a page number, the last page."""
    paginator = Paginator(comment_list(skill=skill), settings.SKILLMATRIX_COMMENTS_PER_PAGE)
    return paginator.get_page(page or paginator.num_pages)


def skill_open_proposals(*, skill: Skill) -> list:
    """The skill's open proposals, newest first. The Proposal model comes with the workflow."""
    return []


def user_comments(*, user, limit: int = 20) -> QuerySet[Comment]:
    """A user's latest comments that are not deleted, with their skill."""
    return (
        Comment.objects.visible()
        .filter(author=user)
        .select_related("skill")
        .order_by("-created_at", "-pk")[:limit]
    )


def comment_page_number(*, comment: Comment) -> int:
    """The page of its skill's comments on which `comment` appears."""
    before = (
        Comment.objects.on_skill(comment.skill_id)
        .filter(
            Q(created_at__lt=comment.created_at)
            | Q(created_at=comment.created_at, pk__lt=comment.pk)
        )
        .count()
    )
    return before // settings.SKILLMATRIX_COMMENTS_PER_PAGE + 1


def user_comment_count(*, user) -> int:
    return Comment.objects.visible().filter(author=user).count()
