"""Reads of a user's growth data, shaped for the pages, the exports and the API.

Each selector runs a fixed number of queries, whatever the number of expectations or marks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _

from skills.diff import word_diff
from skills.models import Expectation, Level, Necessity, Role, SkillGroup
from skills.selectors import level_changes, next_level

from .models import Assessment, Mark, Position, ShareLink

# --- Positions --------------------------------------------------------------------------------


def current_position(*, user) -> Position | None:
    if not user.is_authenticated:
        return None
    return (
        Position.objects.filter(user=user, is_current=True).select_related("role", "level").first()
    )


def user_positions(*, user) -> list[Position]:
    return list(Position.objects.filter(user=user).select_related("role", "level"))


# --- The `role:level` parameter ---------------------------------------------------------------


class BadPosition(ValueError):
    """A `role:level` parameter that is missing, malformed or names nothing we have."""


@dataclass(frozen=True)
class Rung:
    """A role at a level: one end of a gap report."""

    role: Role
    level: Level

    @property
    def param(self) -> str:
        return f"{self.role.slug}:{self.level.slug}"

    def __str__(self):
        return f"{self.role.name} · {self.level.name}"


@dataclass
class Ladder:
    """Every role and level, loaded once (two queries) for parsing and for the pickers."""

    roles: list[Role]
    levels: list[Level]

    @classmethod
    def load(cls) -> Ladder:
        return cls(list(Role.objects.only("name", "slug")), list(Level.objects.all()))

    def parse(self, value: str | None, *, name: str) -> Rung:
        """`role:level` → Rung; BadPosition naming the parameter when it is not one."""
        if not value:
            raise BadPosition(
                _("The parameter “%(name)s” is missing: give it as role:level.") % {"name": name}
            )
        role_slug, sep, level_slug = value.partition(":")
        if not sep or not role_slug or not level_slug:
            raise BadPosition(
                _("“%(value)s” is not a role:level pair (parameter “%(name)s”).")
                % {"value": value, "name": name}
            )
        role = next((r for r in self.roles if r.slug == role_slug), None)
        if role is None:
            raise BadPosition(
                _("There is no role “%(slug)s” (parameter “%(name)s”).")
                % {"slug": role_slug, "name": name}
            )
        level = next((lvl for lvl in self.levels if lvl.slug == level_slug), None)
        if level is None:
            raise BadPosition(
                _("There is no level “%(slug)s” (parameter “%(name)s”).")
                % {"slug": level_slug, "name": name}
            )
        return Rung(role, level)

    def next_rung(self, rung: Rung) -> Rung:
        """The same role one level up; the same rung at the top of the ladder."""
        return Rung(rung.role, next_level(self.levels, rung.level) or rung.level)

    def choices(self) -> list[tuple[Role, list[tuple[str, str]]]]:
        """(role, [(param, label)]) for a <select> with one <optgroup> per role."""
        return [
            (
                role,
                [(f"{role.slug}:{lvl.slug}", f"{role.name} · {lvl.name}") for lvl in self.levels],
            )
            for role in self.roles
        ]


def default_gap(*, position: Position | None, ladder: Ladder) -> tuple[str, str]:
    """The gap report a user most likely wants: from their current position to the next level."""
    if position is None:
        return "", ""
    here = Rung(position.role, position.level)
    return here.param, ladder.next_rung(here).param


# --- Marks on the matrix pages ----------------------------------------------------------------


@dataclass(frozen=True)
class CellMark:
    mark: str
    assessed_description: str
    assessed_necessity: str
    has_note: bool

    def changed_for(self, expectation) -> bool:
        return (
            self.assessed_description != expectation.description
            or self.assessed_necessity != expectation.necessity
        )


def user_marks(*, user) -> dict[tuple[int, int, int], CellMark]:
    """All of the user's marks, keyed by cell (skill_id, role_id, level_id): one query."""
    rows = Assessment.objects.filter(user=user).values_list(
        "skill_id", "role_id", "level_id", "mark", "assessed_description", "assessed_necessity",
        "note",
    )  # fmt: skip
    return {
        (skill_id, role_id, level_id): CellMark(mark, description, necessity, bool(note))
        for skill_id, role_id, level_id, mark, description, necessity, note in rows
    }


# --- One assessment ---------------------------------------------------------------------------


def assessment_for(*, user, expectation: Expectation) -> Assessment | None:
    return Assessment.objects.filter(
        user=user,
        skill_id=expectation.skill_id,
        role_id=expectation.role_id,
        level_id=expectation.level_id,
    ).first()


@dataclass
class Flag:
    """What changed in an expectation since the user assessed it."""

    removed: bool
    necessity_before: str
    necessity_after: str
    words_before: str
    words_after: str

    @property
    def necessity_changed(self) -> bool:
        return not self.removed and self.necessity_before != self.necessity_after

    @property
    def necessity_before_label(self):
        return Necessity(self.necessity_before).label

    @property
    def necessity_after_label(self):
        return Necessity(self.necessity_after).label if self.necessity_after else ""


def change_flag(assessment: Assessment, expectation: Expectation | None) -> Flag | None:
    """None when the expectation reads as it did when assessed; else what changed, as a diff."""
    if expectation is None:
        return Flag(True, assessment.assessed_necessity, "", assessment.assessed_description, "")
    if (
        assessment.assessed_description == expectation.description
        and assessment.assessed_necessity == expectation.necessity
    ):
        return None
    before, after = word_diff(assessment.assessed_description, expectation.description)
    return Flag(False, assessment.assessed_necessity, expectation.necessity, before, after)


# --- The overview (/me/) ----------------------------------------------------------------------


@dataclass
class AssessedRung:
    rung: Rung
    assessments: list[Assessment] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Mark.values, 0)
        for assessment in self.assessments:
            counts[assessment.mark] += 1
        return counts


@dataclass
class Overview:
    positions: list[Position]
    rungs: list[AssessedRung]
    flagged: list[Assessment]
    share_links: list[ShareLink]

    @property
    def current(self) -> Position | None:
        return next((p for p in self.positions if p.is_current), None)

    @property
    def assessment_count(self) -> int:
        return sum(len(r.assessments) for r in self.rungs)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Mark.values, 0)
        for rung in self.rungs:
            for mark, n in rung.counts.items():
                counts[mark] += n
        return counts


def assessment_list(*, user):
    """The user's assessments with their cell and, from subqueries, the expectation as it reads
    now (`current_pk` None when it was removed): one query, however many there are."""
    current = Expectation.objects.filter(
        skill=OuterRef("skill"), role=OuterRef("role"), level=OuterRef("level")
    )
    return (
        Assessment.objects.filter(user=user)
        .select_related("skill", "role", "level")
        .defer("skill__search_document", "skill__summary")
        .annotate(
            current_pk=Subquery(current.values("pk")[:1]),
            current_description=Subquery(current.values("description")[:1]),
            current_necessity=Subquery(current.values("necessity")[:1]),
        )
        .order_by("role__name", "level__rank", "skill__name", "pk")
    )


def with_flags(assessments) -> list[Assessment]:
    """Set `expectation` (as it reads now, or None) and `flag` on each of `assessment_list`'s."""
    assessments = list(assessments)
    for assessment in assessments:
        expectation = None
        if assessment.current_pk is not None:
            expectation = Expectation(
                pk=assessment.current_pk,
                skill=assessment.skill,
                role=assessment.role,
                level=assessment.level,
                description=assessment.current_description,
                necessity=assessment.current_necessity,
            )
        assessment.expectation = expectation
        assessment.flag = change_flag(assessment, expectation)
    return assessments


def growth_overview(*, user, with_share_links: bool = True) -> Overview:
    """The user's positions and every mark, grouped by role · level, each with its flag.

    Three queries (two without share links), however many marks there are.
    """
    rungs: list[AssessedRung] = []
    flagged = []
    for assessment in with_flags(assessment_list(user=user)):
        if assessment.flag:
            flagged.append(assessment)
        if not rungs or (rungs[-1].rung.role.pk, rungs[-1].rung.level.pk) != (
            assessment.role_id,
            assessment.level_id,
        ):
            rungs.append(AssessedRung(Rung(assessment.role, assessment.level)))
        rungs[-1].assessments.append(assessment)
    links = list(ShareLink.objects.filter(user=user)) if with_share_links else []
    return Overview(user_positions(user=user), rungs, flagged, links)


# --- Gap reports ------------------------------------------------------------------------------


@dataclass
class GapItem:
    """One expectation of the target, what the starting point asks of the same skill, and the
    user's marks for both (None for visitors and for what is not marked)."""

    expectation: Expectation
    kind: str  # "new", "required", "changed", "same", "optional" (see level_changes)
    source: Expectation | None
    assessment: Assessment | None = None
    source_assessment: Assessment | None = None
    flag: Flag | None = None

    @property
    def skill(self):
        return self.expectation.skill

    @property
    def mark(self) -> str | None:
        return self.assessment.mark if self.assessment else None


@dataclass
class GapReport:
    source: Rung
    target: Rung
    groups: list[tuple[SkillGroup, list[GapItem]]]
    with_marks: bool

    @property
    def items(self) -> list[GapItem]:
        return [item for _group, items in self.groups for item in items]

    @property
    def required(self) -> list[GapItem]:
        return [i for i in self.items if i.expectation.is_required]

    @property
    def optional(self) -> list[GapItem]:
        return [i for i in self.items if not i.expectation.is_required]

    @property
    def required_total(self) -> int:
        return len(self.required)

    @property
    def required_met(self) -> int:
        return sum(1 for i in self.required if i.mark == Mark.MEETS)

    @property
    def progress_percent(self) -> int | None:
        """Required met / required total, in percent; None when nothing is required."""
        total = self.required_total
        return round(100 * self.required_met / total) if total else None

    @property
    def counts(self) -> dict[str, int]:
        """How many of the target's expectations carry each mark, and how many none."""
        counts = {**dict.fromkeys(Mark.values, 0), "unmarked": 0}
        for item in self.items:
            counts[item.mark or "unmarked"] += 1
        return counts

    @property
    def is_cross_role(self) -> bool:
        return self.source.role.pk != self.target.role.pk


def gap_report(*, source: Rung, target: Rung, user=None) -> GapReport:
    """Every expectation of `target` (required and optional), grouped by skill group, each
    compared with what `source` asks of the same skill, with `user`'s marks when given.

    Three queries, two without a user, whatever the number of expectations.
    """
    target_rows = list(
        Expectation.objects.filter(role=target.role, level=target.level)
        .select_related("skill__group__domain")
        .defer("skill__search_document", "skill__summary")
        .order_by(
            "skill__group__domain__position",
            "skill__group__domain__name",
            "skill__group__position",
            "skill__group__name",
            "skill__name",
        )
    )
    source_rows = list(
        Expectation.objects.filter(role=source.role, level=source.level).only(
            "skill_id", "role_id", "level_id", "necessity", "description"
        )
    )
    marks: dict[tuple[int, int, int], Assessment] = {}
    with_marks = bool(user is not None and user.is_authenticated)
    if with_marks:
        rungs = Q(role=target.role, level=target.level) | Q(role=source.role, level=source.level)
        for assessment in Assessment.objects.filter(rungs, user=user):
            marks[(assessment.skill_id, assessment.role_id, assessment.level_id)] = assessment

    before = {row.skill_id: row for row in source_rows}
    after = {row.skill_id: row for row in target_rows}
    kinds = {card.target.skill_id: card.kind for card in level_changes(before, after)}
    groups: list[tuple[SkillGroup, list[GapItem]]] = []
    for row in target_rows:
        row.role, row.level = target.role, target.level
        source_row = before.get(row.skill_id)
        item = GapItem(expectation=row, kind=kinds[row.skill_id], source=source_row)
        if with_marks:
            item.assessment = marks.get((row.skill_id, row.role_id, row.level_id))
            if source_row is not None:
                item.source_assessment = marks.get(
                    (source_row.skill_id, source_row.role_id, source_row.level_id)
                )
            if item.assessment is not None:
                item.flag = change_flag(item.assessment, row)
        group = row.skill.group
        if not groups or groups[-1][0].pk != group.pk:
            groups.append((group, []))
        groups[-1][1].append(item)
    for _group, items in groups:  # required first within each group, then by skill name
        items.sort(key=lambda item: (not item.expectation.is_required, item.skill.name))
    return GapReport(source=source, target=target, groups=groups, with_marks=with_marks)


# --- Share links ------------------------------------------------------------------------------


def share_link_by_token(*, token: str) -> ShareLink | None:
    """The link with this token, with its owner; None when there is none.

    Whether it may still be followed is `permissions.can_follow_share_link`'s to say.
    """
    return ShareLink.objects.select_related("user").filter(token=token).first()
