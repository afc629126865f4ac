"""Reads of the community workflow, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from accounts.models import Watch
from skills.models import Skill

from .models import Comment


def comment_list(*, skill: Skill) -> QuerySet[Comment]:
    """A skill's comments, oldest first (deleted ones too: they show as deleted)."""
    return (
        Comment.objects.on_skill(skill)
        .select_related("author", "deleted_by")
        .order_by("created_at", "pk")
    )


def comment_page(*, skill: Skill, page: str | int | None, count: int | None = None) -> Page:
    """One page of a skill's comments, newest last; without a page number, the last page.

    Pass `count` (the skill's number of comments) when already known, to save its query.
    """
    paginator = Paginator(comment_list(skill=skill), settings.SKILLMATRIX_COMMENTS_PER_PAGE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator.get_page(page or paginator.num_pages)


@dataclass
class SkillCommunity:
    watcher_count: int
    watching: bool
    comments: Page


def skill_community(*, skill: Skill, user, comments_page: str | None) -> SkillCommunity:
    """What the skill page's community block shows: one query for the counts and the user's
    watch, and one more for the page of comments when there are any."""

    def count(queryset):
        return Subquery(
            queryset.order_by().values("skill_id").annotate(n=Count("pk")).values("n")[:1]
        )

    counts = {
        "n_watchers": count(Watch.objects.filter(skill=OuterRef("pk"))),
        "n_comments": count(Comment.objects.filter(skill=OuterRef("pk"))),
    }
    if user.is_authenticated:
        counts["is_watching"] = Exists(Watch.objects.filter(skill=OuterRef("pk"), user=user))
    row = Skill.objects.filter(pk=skill.pk).annotate(**counts).values(*counts).get()
    return SkillCommunity(
        watcher_count=row["n_watchers"] or 0,
        watching=bool(row.get("is_watching")),
        comments=comment_page(skill=skill, page=comments_page, count=row["n_comments"] or 0),
    )


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
