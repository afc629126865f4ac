"""Reads of the community workflow, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Watch
from skills import services as skill_services
from skills.diff import word_diff
from skills.models import Level, Necessity, Role, Skill

from .models import Comment, Proposal, ProposalStatus

#: What lists of proposals leave unloaded: the skill's long texts.
PROPOSAL_LIST_DEFER = ("skill__search_document", "skill__summary", "summary")


def comment_list(*, skill: Skill) -> QuerySet[Comment]:
    """A skill's comments, oldest first (deleted ones too: they show as deleted)."""
    return (
        Comment.objects.on_skill(skill)
        .select_related("author", "deleted_by")
        .order_by("created_at", "pk")
    )


def proposal_comment_list(*, proposal: Proposal) -> QuerySet[Comment]:
    """A proposal's comments, oldest first (deleted ones too: they show as deleted)."""
    return (
        Comment.objects.on_proposal(proposal)
        .select_related("author", "deleted_by")
        .order_by("created_at", "pk")
    )


def comment_detail_queryset() -> QuerySet[Comment]:
    """Comments with what shows them (author, skill), wherever they are."""
    return Comment.objects.select_related("author", "skill").defer(
        "skill__search_document", "skill__summary"
    )


def comment_page(*, skill: Skill, page: str | int | None, count: int | None = None) -> Page:
    """One page of a skill's comments, newest last; without a page number, the last page.

    Pass `count` (the skill's number of comments) when already known, to save its query.
    """
    comments = comment_list(skill=skill) if count != 0 else Comment.objects.none()
    paginator = Paginator(comments, settings.SKILLMATRIX_COMMENTS_PER_PAGE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    return paginator.get_page(page or paginator.num_pages)


@dataclass
class SkillCommunity:
    watcher_count: int
    watching: bool
    comments: Page
    open_proposals: list[Proposal]


def _column(model, field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)


def skill_community_counts(*, skill: Skill, user) -> tuple[int, bool, int, int]:
    """Watchers, whether `user` watches, comments and open proposals of a skill: one query.

    Plain SQL: it runs on every view of a skill page, where the ORM's building of the
    equivalent subqueries took some thirty times longer than the database's answer.
    """
    quote = connection.ops.quote_name
    watch, comment, proposal = (quote(model._meta.db_table) for model in (Watch, Comment, Proposal))
    sql = (
        f"SELECT (SELECT COUNT(*) FROM {watch} WHERE {_column(Watch, 'skill')} = %s),"
        f" (SELECT COUNT(*) FROM {watch}"
        f"   WHERE {_column(Watch, 'skill')} = %s AND {_column(Watch, 'user')} = %s),"
        f" (SELECT COUNT(*) FROM {comment} WHERE {_column(Comment, 'skill')} = %s),"
        f" (SELECT COUNT(*) FROM {proposal}"
        f"   WHERE {_column(Proposal, 'skill')} = %s AND {_column(Proposal, 'status')} = %s)"
    )
    user_id = user.pk if user.is_authenticated else None  # "= NULL" matches no row
    with connection.cursor() as cursor:
        cursor.execute(sql, [skill.pk, skill.pk, user_id, skill.pk, skill.pk, ProposalStatus.OPEN])
        watchers, watching, comments, open_proposals = cursor.fetchone()
    return watchers, bool(watching), comments, open_proposals


def skill_community(*, skill: Skill, user, comments_page: str | None) -> SkillCommunity:
    """What the skill page's community section shows: one query for the counts and the
    user's watch, one more for the page of comments and one for the open proposals, each
    only when there are any."""
    watchers, watching, comments, open_proposals = skill_community_counts(skill=skill, user=user)
    return SkillCommunity(
        watcher_count=watchers,
        watching=watching,
        comments=comment_page(skill=skill, page=comments_page, count=comments),
        open_proposals=skill_open_proposals(skill=skill) if open_proposals else [],
    )


def skill_open_proposals(*, skill: Skill, limit: int = 20) -> list[Proposal]:
    """The skill's open proposals, newest first (at most `limit`), in one query."""
    return list(
        Proposal.objects.open()
        .filter(skill=skill)
        .select_related("author")
        .defer("summary")
        .order_by("-created_at", "-pk")[:limit]
    )


def user_comments(*, user, limit: int = 20) -> QuerySet[Comment]:
    """A user's latest comments that are not deleted, with their skill or proposal."""
    return (
        Comment.objects.visible()
        .filter(author=user)
        .select_related("skill", "proposal__skill")
        .order_by("-created_at", "-pk")[:limit]
    )


def comment_page_number(*, comment: Comment) -> int:
    """The page of its skill's comments on which `comment` appears."""
    before = (
        Comment.objects.filter(skill_id=comment.skill_id, proposal_id=comment.proposal_id)
        .filter(
            Q(created_at__lt=comment.created_at)
            | Q(created_at=comment.created_at, pk__lt=comment.pk)
        )
        .count()
    )
    return before // settings.SKILLMATRIX_COMMENTS_PER_PAGE + 1


def user_comment_count(*, user) -> int:
    return Comment.objects.visible().filter(author=user).count()


# --- Proposals --------------------------------------------------------------------------------


def proposal_list() -> QuerySet[Proposal]:
    """Every proposal with its skill and author, newest first (filtered by ProposalFilter)."""
    return (
        Proposal.objects.select_related("skill", "author")
        .defer(*PROPOSAL_LIST_DEFER)
        .order_by("-created_at", "-pk")
    )


def review_queue() -> QuerySet[Proposal]:
    """The open proposals, oldest first: the reviewers' queue."""
    return proposal_list().filter(status=ProposalStatus.OPEN).order_by("created_at", "pk")


def review_queue_count() -> int:
    return Proposal.objects.open().count()


def user_proposals(*, user, limit: int = 20) -> QuerySet[Proposal]:
    return proposal_list().filter(author=user)[:limit]


def user_proposal_count(*, user) -> int:
    return Proposal.objects.filter(author=user).count()


@dataclass
class GridCell:
    """One role × level cell of a change's matrix: its state before and after."""

    kind: str  # "same", "added", "changed", "removed", "empty"
    before: dict | None = None
    after: dict | None = None

    @property
    def necessity_changed(self):
        return bool(
            self.before and self.after and self.before["necessity"] != self.after["necessity"]
        )

    @property
    def words(self):
        return word_diff(
            (self.before or {}).get("description", ""), (self.after or {}).get("description", "")
        )

    @property
    def before_label(self):
        return Necessity(self.before["necessity"]).label if self.before else ""

    @property
    def after_label(self):
        return Necessity(self.after["necessity"]).label if self.after else ""


@dataclass
class GridRow:
    role_slug: str
    role_name: str
    cells: list[GridCell]
    is_new_role: bool = False


@dataclass
class ChangeView:
    """A change set shown like the matrix: roles × levels, before and after in each cell."""

    levels: list[tuple[str, str]]  # (slug, name), in rank order
    rows: list[GridRow]
    changed: list[tuple[str, str, GridCell]]  # (role name, level name, cell), matrix order
    summary: tuple[str, str] | None  # (before, after) when the summary changes
    impact: list[str]
    counts: dict[str, tuple[int, int]]  # "required", "optional", "roles": (before, after)

    @property
    def summary_words(self):
        return word_diff(*self.summary) if self.summary else None


def _names(model, slugs) -> dict[str, str]:
    return dict(model.objects.filter(slug__in=set(slugs)).values_list("slug", "name"))


def change_view(*, before: dict, after: dict, watcher_count: int | None = None) -> ChangeView:
    """What going from state `before` to state `after` changes, for people to read.

    Two queries (role and level names), whatever the size of the matrix.
    """
    old = {(r["role"], r["level"]): r for r in before["expectations"]}
    new = {(r["role"], r["level"]): r for r in after["expectations"]}
    keys = [*old, *(k for k in new if k not in old)]
    level_rows = list(
        Level.objects.filter(slug__in={k[1] for k in keys}).values_list("slug", "name", "rank")
    )
    level_rows.sort(key=lambda row: row[2])
    levels = [(slug, name) for slug, name, _rank in level_rows]
    known = {slug for slug, _name in levels}
    levels += [(slug, slug) for slug in sorted({k[1] for k in keys} - known)]  # since deleted
    role_names = _names(Role, (k[0] for k in keys))
    old_roles = {k[0] for k in old}
    new_roles = {k[0] for k in new}

    rows, changed = [], []
    for role in sorted({k[0] for k in keys}, key=lambda slug: role_names.get(slug, slug).lower()):
        cells = []
        for level, _level_name in levels:
            a, b = old.get((role, level)), new.get((role, level))
            if a is None and b is None:
                cell = GridCell("empty")
            elif a is None:
                cell = GridCell("added", None, b)
            elif b is None:
                cell = GridCell("removed", a, None)
            elif a != b:
                cell = GridCell("changed", a, b)
            else:
                cell = GridCell("same", a, b)
            cells.append(cell)
        rows.append(
            GridRow(
                role_slug=role,
                role_name=role_names.get(role, role),
                cells=cells,
                is_new_role=role in new_roles and role not in old_roles,
            )
        )
    for col, (_level, level_name) in enumerate(levels):
        for row in rows:
            cell = row.cells[col]
            if cell.kind not in ("same", "empty"):
                changed.append((row.role_name, level_name, cell))

    def tally(state, roles):
        rows_ = state["expectations"]
        return (
            sum(1 for r in rows_ if r["necessity"] == Necessity.REQUIRED),
            sum(1 for r in rows_ if r["necessity"] == Necessity.OPTIONAL),
            len(roles),
        )

    (req_a, opt_a, roles_a), (req_b, opt_b, roles_b) = (
        tally(before, old_roles),
        tally(after, new_roles),
    )
    counts = {"required": (req_a, req_b), "optional": (opt_a, opt_b), "roles": (roles_a, roles_b)}
    summary = None
    if (before.get("summary") or "") != (after.get("summary") or ""):
        summary = (before.get("summary") or "", after.get("summary") or "")

    impact = _impact(changed, rows, counts, summary, watcher_count)
    return ChangeView(levels, rows, changed, summary, impact, counts)


def _impact(changed, rows, counts, summary, watcher_count) -> list[str]:
    """One sentence per consequence: "LLM Engineer · Senior becomes required", counts, …"""
    lines = []
    for role, level, cell in changed:
        where = {"cell": f"{role} · {level}"}
        if cell.kind == "added":
            if cell.after["necessity"] == Necessity.REQUIRED:
                lines.append(_("%(cell)s is added, required") % where)
            else:
                lines.append(_("%(cell)s is added, optional") % where)
        elif cell.kind == "removed":
            lines.append(_("%(cell)s is removed") % where)
        elif cell.necessity_changed:
            if cell.after["necessity"] == Necessity.REQUIRED:
                lines.append(_("%(cell)s becomes required") % where)
            else:
                lines.append(_("%(cell)s becomes optional") % where)
        else:
            lines.append(_("%(cell)s: the description changes") % where)
    for row in rows:
        if row.is_new_role:
            lines.append(_("%(role)s is new to this skill") % {"role": row.role_name})
    gone = [row.role_name for row in rows if all(c.kind in ("removed", "empty") for c in row.cells)]
    for name in gone:
        lines.append(_("%(role)s no longer includes this skill") % {"role": name})
    if summary:
        lines.append(_("The summary changes"))
    if counts["required"][0] != counts["required"][1]:
        lines.append(
            _("required expectations %(before)s → %(after)s")
            % {"before": counts["required"][0], "after": counts["required"][1]}
        )
    if counts["optional"][0] != counts["optional"][1]:
        lines.append(
            _("optional expectations %(before)s → %(after)s")
            % {"before": counts["optional"][0], "after": counts["optional"][1]}
        )
    if watcher_count is not None:
        lines.append(
            ngettext(
                "%(count)s watcher will be notified",
                "%(count)s watchers will be notified",
                watcher_count,
            )
            % {"count": watcher_count}
        )
    return lines


@dataclass
class ProposalPage:
    proposal: Proposal
    view: ChangeView | None
    base_known: bool
    current_version: int
    conflicts: list[dict]
    summary_conflict: dict | None
    comments: list[Comment]
    events: list
    watcher_count: int

    @property
    def is_stale(self):
        return self.proposal.is_open and self.current_version != self.proposal.base_version


def proposal_state(*, proposal: Proposal) -> tuple[dict | None, dict | None]:
    """(base state, proposed state) of a proposal; (None, None) if its base is not kept."""
    base = skill_services.skill_state_at(skill=proposal.skill, version=proposal.base_version)
    if base is None:
        return None, None
    ranks = dict(Level.objects.values_list("slug", "rank"))
    proposed = skill_services.snapshot_apply(
        snapshot=base, changes=proposal.changes, summary=proposal.summary, level_ranks=ranks
    )
    return base, proposed


def proposal_page(*, pk: int) -> ProposalPage:
    """Everything the proposal page shows, in a fixed number of queries;
    Proposal.DoesNotExist for an unknown id."""
    proposal = Proposal.objects.select_related(
        "skill__group__domain", "author", "decided_by", "revision"
    ).get(pk=pk)
    skill = proposal.skill
    watcher_count = Watch.objects.filter(skill=skill).count()
    base, proposed = proposal_state(proposal=proposal)
    view = None
    if base is not None:
        view = change_view(
            before=base, after=proposed, watcher_count=watcher_count if proposal.is_open else None
        )
    conflicts, summary_conflict = [], None
    if proposal.is_open and base is not None and skill.version != proposal.base_version:
        current = skill_services.skill_snapshot(skill=skill)
        conflicts, summary_conflict = skill_services.changes_conflicts(
            base=base, current=current, changes=proposal.changes, summary=proposal.summary
        )
    comments = list(
        Comment.objects.on_proposal(proposal)
        .select_related("author", "deleted_by")
        .order_by("created_at", "pk")
    )
    events = list(proposal.events.select_related("actor").order_by("created_at", "pk"))
    return ProposalPage(
        proposal=proposal,
        view=view,
        base_known=base is not None,
        current_version=skill.version,
        conflicts=conflicts,
        summary_conflict=summary_conflict,
        comments=comments,
        events=events,
        watcher_count=watcher_count,
    )


def conflict_view(*, cells: list[dict]) -> list[dict]:
    """Conflicting cells with the names of their role and level, for the conflict page."""
    roles = _names(Role, (c["role"] for c in cells))
    levels = _names(Level, (c["level"] for c in cells))
    return [
        {
            **c,
            "role_name": roles.get(c["role"], c["role"]),
            "level_name": levels.get(c["level"], c["level"]),
        }
        for c in cells
    ]
