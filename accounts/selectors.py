"""Reads for people and what belongs to them, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet

from skills.diff import SnapshotDiff, snapshot_diff
from skills.models import Revision

from .models import Notification, User, Watch


def user_profile(*, username: str) -> User:
    """An active user by username, with their watch count (User.DoesNotExist otherwise)."""
    return User.objects.annotate(watch_count=Count("watches")).get(
        username=username, is_active=True
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("actor")


def watcher_count(*, skill) -> int:
    return Watch.objects.filter(skill=skill).count()


def is_watching(*, user, skill) -> bool:
    return user.is_authenticated and Watch.objects.filter(user=user, skill=skill).exists()


@dataclass
class WatchedSkill:
    watch: Watch
    revisions: list[Revision] = field(default_factory=list)  # since last seen, newest first
    diff: SnapshotDiff | None = None  # from the seen version to now

    @property
    def skill(self):
        return self.watch.skill

    @property
    def has_changes(self):
        return self.watch.seen_version < self.watch.skill.version


def watchlist(*, user: User, watches: list[Watch] | None = None) -> list[WatchedSkill]:
    """The user's watched skills (or the given page of them), each with what changed since the
    user last marked it seen: the newer revisions and the diff from the seen version to now.

    Two queries, however many skills are watched.
    """
    if watches is None:
        watches = list(watch_queryset(user=user))
    entries = [WatchedSkill(watch) for watch in watches]
    changed = [e for e in entries if e.has_changes]
    if not changed:
        return entries
    condition = reduce(
        or_, (Q(skill_id=e.skill.pk, version__gte=e.watch.seen_version) for e in changed)
    )
    by_skill: dict[int, list[Revision]] = {}
    skills = {e.skill.pk: e.skill for e in changed}
    for revision in Revision.objects.filter(condition):
        revision.skill = skills[revision.skill_id]  # for its URL, without a query each
        by_skill.setdefault(revision.skill_id, []).append(revision)
    for entry in changed:
        revisions = sorted(by_skill.get(entry.skill.pk, []), key=lambda r: -r.version)
        seen = next((r for r in revisions if r.version == entry.watch.seen_version), None)
        entry.revisions = [r for r in revisions if r.version > entry.watch.seen_version]
        if entry.revisions:
            entry.diff = snapshot_diff(seen.snapshot if seen else None, entry.revisions[0].snapshot)
    return entries


def watch_queryset(*, user: User) -> QuerySet[Watch]:
    return (
        Watch.objects.filter(user=user)
        .select_related("skill__group")
        .defer("skill__search_document", "skill__search_vector")
        .order_by("skill__name")
    )
