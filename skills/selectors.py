"""Reads of the matrix, shaped for the pages, the API and the exporter.

Each selector runs a fixed number of queries, whatever the number of rows it returns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, When, Window
from django.db.models.functions import RowNumber

from .models import (
    SEARCH_CONFIG,
    Domain,
    Expectation,
    Level,
    Necessity,
    Role,
    RoleLevel,
    Skill,
    SkillGroup,
)

# --- Catalogue and search --------------------------------------------------------------------


def skill_search(queryset: QuerySet[Skill], query: str) -> QuerySet[Skill]:
    """Skills matching `query`, best first.

    PostgreSQL: full-text search (web-search syntax, English stemming) ranked by relevance.
    Elsewhere: every word must appear somewhere in the skill's texts; name matches first.
    """
    query = query.strip()
    if not query:
        return queryset
    if connection.vendor == "postgresql":
        search_query = SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")
        return (
            queryset.filter(search_vector=search_query)
            .annotate(rank=SearchRank(F("search_vector"), search_query))
            .order_by("-rank", "name")
        )
    words = query.split()
    condition = Q()
    for word in words:
        condition &= Q(search_document__icontains=word)
    name_hit = Q()
    for word in words:
        name_hit &= Q(name__icontains=word)
    return (
        queryset.filter(condition)
        .annotate(name_hit=Case(When(name_hit, then=1), default=0))
        .order_by("-name_hit", "name")
    )


def skill_catalogue() -> QuerySet[Skill]:
    """The catalogue's base query: skills with their group and domain, by name.

    Row counts are added to one page at a time by `with_catalogue_counts`: counting over
    the whole catalogue before paginating it would cost a join of every expectation.
    """
    return (
        Skill.objects.select_related("group__domain")
        .defer("search_document", "search_vector")
        .order_by("name")
    )


def with_catalogue_counts(skills: list[Skill]) -> list[Skill]:
    """Set `role_count` and `expectation_count` on each skill of a page, in one query."""
    counts = {
        row["skill_id"]: row
        for row in Expectation.objects.filter(skill__in=[s.pk for s in skills])
        .values("skill_id")
        .annotate(roles=Count("role", distinct=True), rows=Count("pk"))
    }
    for skill in skills:
        row = counts.get(skill.pk, {})
        skill.role_count, skill.expectation_count = row.get("roles", 0), row.get("rows", 0)
    return skills


@dataclass
class HomeGroup:
    group: SkillGroup
    skill_count: int
    skills: list[Skill] = field(default_factory=list)


def home_overview(*, skills_per_group: int = 6) -> tuple[list[tuple[Domain, list]], dict]:
    """Domains → groups → the first skills of each group, and the matrix's totals."""
    groups = list(
        SkillGroup.objects.select_related("domain")
        .annotate(skill_count=Count("skills"))
        .order_by("domain__position", "domain__name", "position", "name")
    )
    first_skills = (
        Skill.objects.annotate(
            row=Window(RowNumber(), partition_by=[F("group_id")], order_by=[F("name").asc()])
        )
        .filter(row__lte=skills_per_group)
        .only("name", "slug", "group_id")
    )
    by_group: dict[int, list[Skill]] = {}
    for skill in first_skills:
        by_group.setdefault(skill.group_id, []).append(skill)
    domains: dict[int, tuple[Domain, list]] = {}
    for group in groups:
        entry = domains.setdefault(group.domain_id, (group.domain, []))
        entry[1].append(HomeGroup(group, group.skill_count, by_group.get(group.pk, [])))
    totals = {
        "skills": sum(g.skill_count for g in groups),
        "roles": Role.objects.count(),
        "expectations": Expectation.objects.count(),
    }
    return list(domains.values()), totals


# --- The skill page --------------------------------------------------------------------------


@dataclass
class LevelSection:
    level: Level
    rows: list[Expectation]


@dataclass
class PromotionCard:
    """What the next level asks of a role that the current level does not."""

    kind: str  # "new", "required", "changed", "optional"
    current: Expectation | None
    target: Expectation


@dataclass
class SkillPage:
    skill: Skill
    levels: list[Level]
    sections: list[LevelSection]
    roles: list[Role]
    required_count: int
    optional_count: int
    last_revision_at: object

    @property
    def level_count(self):
        return len({section.level.pk for section in self.sections if section.rows})


@dataclass(frozen=True)
class MatrixReference:
    """The matrix's small tables, whole: levels by rank, roles, and (when kept between
    requests) groups with their domain."""

    generation: int | None  # None: read afresh for one use, not kept
    levels: list[Level]
    roles: dict[int, Role]
    groups: dict[int, SkillGroup]

    @cached_property
    def level_by_pk(self) -> dict[int, Level]:
        return {level.pk: level for level in self.levels}

    def names(self, expectation: Expectation) -> bool:
        """Whether the row's role and level are here."""
        return expectation.role_id in self.roles and expectation.level_id in self.level_by_pk

    def covers(self, skill: Skill, expectations: list[Expectation]) -> bool:
        """Whether every group, role and level these rows name is here: one added between the
        generation's read and the rows' read is not."""
        return skill.group_id in self.groups and all(map(self.names, expectations))


_reference: MatrixReference | None = None


def matrix_reference(*, fresh: bool = False) -> MatrixReference:
    """Levels, roles and groups, kept in each process for the matrix's current generation.

    Like Django's content types and sites, they are few, read by every skill page and seldom
    changed; every change of them gives the matrix a new generation (skills.cache), which costs
    one small query to read. Inside a transaction, or when `fresh`, levels and roles are read
    afresh (what a transaction reads may yet be rolled back) and groups not at all: a page
    then reads its skill's group with the skill. Treat them as read-only.
    """
    global _reference
    from .cache import FIRST_GENERATION, matrix_generation

    if fresh or connection.in_atomic_block:
        return _read_reference(generation=None)
    generation = matrix_generation()
    if generation < FIRST_GENERATION:  # no change recorded yet: nothing to know it by
        return _read_reference(generation=None)
    if _reference is None or _reference.generation != generation:
        _reference = _read_reference(generation)
    return _reference


def _read_reference(generation: int | None) -> MatrixReference:
    roles = {role.pk: role for role in Role.objects.all()}
    for role in roles.values():
        role.url = role.get_absolute_url()
    groups = {}
    if generation is not None:
        groups = {
            group.pk: _with_urls(group) for group in SkillGroup.objects.select_related("domain")
        }
    return MatrixReference(
        generation=generation, levels=list(Level.objects.all()), roles=roles, groups=groups
    )


def _with_urls(group: SkillGroup) -> SkillGroup:
    group.url, group.domain.url = group.get_absolute_url(), group.domain.get_absolute_url()
    return group


def skill_page(*, slug: str) -> SkillPage:
    """Everything the skill page shows; raises Skill.DoesNotExist for an unknown slug."""
    reference = matrix_reference()
    skills = Skill.objects.defer("search_document", "search_vector")
    if reference.generation is None:  # groups not kept: read the skill's with it
        skills = skills.select_related("group__domain")
    skill = skills.get(slug=slug)
    # No ORDER BY (the model's ordering would join levels and roles): sorted below.
    expectations = list(Expectation.objects.filter(skill_id=skill.pk).order_by())
    if reference.generation is None:
        _with_urls(skill.group)
    elif reference.covers(skill, expectations):
        skill.group = reference.groups[skill.group_id]
    else:  # a group, role or level newer than the generation read: read them again
        reference = matrix_reference(fresh=True)
        _with_urls(skill.group)  # two queries more (group, domain), in this rare case
        # A row whose role or level was deleted since it was read is gone by now as well.
        expectations = [exp for exp in expectations if reference.names(exp)]
    levels = reference.levels
    level_by_pk = reference.level_by_pk  # built once per generation when kept
    by_level: dict[int, list[Expectation]] = {}
    roles: dict[int, Role] = {}
    for exp in expectations:
        exp.role = roles[exp.role_id] = reference.roles[exp.role_id]
        exp.level = level_by_pk[exp.level_id]
    expectations.sort(key=lambda exp: (exp.level.rank, exp.role.name))
    for exp in expectations:
        by_level.setdefault(exp.level_id, []).append(exp)
    # Every change of a skill (import, approval, revert, admin edit) saves it: its
    # updated_at is the time of its newest revision.
    last_revision_at = skill.updated_at
    return SkillPage(
        skill=skill,
        levels=levels,
        sections=[LevelSection(level, by_level.get(level.pk, [])) for level in levels],
        roles=sorted(roles.values(), key=lambda r: r.name),
        required_count=sum(1 for e in expectations if e.necessity == Necessity.REQUIRED),
        optional_count=sum(1 for e in expectations if e.necessity == Necessity.OPTIONAL),
        last_revision_at=last_revision_at,
    )


def next_level(levels: list[Level], current: Level) -> Level | None:
    later = [lvl for lvl in levels if lvl.rank > current.rank]
    return min(later, key=lambda lvl: lvl.rank) if later else None


def level_changes(before: dict, after: dict) -> list[PromotionCard]:
    """Compare two {key: Expectation} maps for one role at two levels.

    Keys are what identifies a row across levels (the role on the skill page, the skill on
    the role page). Everything at `after` is reported, the most demanding change first.
    """
    order = {"new": 0, "required": 1, "changed": 2, "same": 3, "optional": 4}
    cards = []
    for key, target in after.items():
        current = before.get(key)
        if current is None:
            kind = "new"
        elif target.is_required and not current.is_required:
            kind = "required"
        elif current.is_required and not target.is_required:
            kind = "optional"
        elif current.description != target.description:
            kind = "changed"
        else:
            kind = "same"
        cards.append(PromotionCard(kind=kind, current=current, target=target))
    return sorted(cards, key=lambda c: order[c.kind])


def skill_promotion_cards(
    page: SkillPage, *, role: Role, level: Level
) -> tuple[Level | None, list[PromotionCard]]:
    """For the visitor's role and level on a skill page: the next level and what it adds."""
    target_level = next_level(page.levels, level)
    if target_level is None:
        return None, []
    rows = [row for section in page.sections for row in section.rows if row.role_id == role.pk]
    before = {r.role_id: r for r in rows if r.level_id == level.pk}
    after = {r.role_id: r for r in rows if r.level_id == target_level.pk}
    return target_level, level_changes(before, after)


# --- Roles ------------------------------------------------------------------------------------


def role_list() -> QuerySet[Role]:
    return Role.objects.select_related("domain").annotate(
        skill_count=Count("expectations__skill", distinct=True),
        expectation_count=Count("expectations"),
        required_count=Count("expectations", filter=Q(expectations__necessity=Necessity.REQUIRED)),
    )


@dataclass
class MatrixRow:
    skill: Skill
    cells: list[Expectation | None]


@dataclass
class RolePage:
    role: Role
    levels: list[Level]
    role_levels: list[tuple[Level, RoleLevel | None]]
    groups: list[tuple[SkillGroup, list[MatrixRow]]]
    skill_count: int
    expectation_count: int
    required_count: int
    page: Page | None = None

    @property
    def level_count(self):
        return len(self.levels)


#: Skills per page of a role's matrix; a role of a large matrix may have thousands.
ROLE_MATRIX_PAGE_SIZE = 100


def role_page(*, slug: str, page_number: int | str | None = None, paginate: bool = True):
    """A role's counts, its focus and stack per level and its skills × levels matrix.

    The matrix is paginated by skill (ROLE_MATRIX_PAGE_SIZE a page), in domain, group and skill
    order; `paginate=False` gives all of it (for the exports).
    """
    role = Role.objects.select_related("domain").get(slug=slug)
    levels = list(Level.objects.all())
    role_levels = {rl.level_id: rl for rl in RoleLevel.objects.filter(role=role)}
    totals = Expectation.objects.filter(role=role).aggregate(
        skills=Count("skill", distinct=True),
        rows=Count("pk"),
        required=Count("pk", filter=Q(necessity=Necessity.REQUIRED)),
    )
    skills = (
        Skill.objects.filter(pk__in=Expectation.objects.filter(role=role).values("skill_id"))
        .select_related("group__domain")
        .only(
            "name",
            "slug",
            "group__name",
            "group__slug",
            "group__position",
            "group__domain__name",
            "group__domain__slug",
            "group__domain__position",
        )
        .order_by(
            "group__domain__position",
            "group__domain__name",
            "group__position",
            "group__name",
            "name",
        )
    )
    page = None
    if paginate:
        paginator = Paginator(skills, ROLE_MATRIX_PAGE_SIZE)
        paginator.count = totals["skills"]  # already counted above: spare the query
        page = paginator.get_page(page_number)
        skills = page.object_list
    rows = {skill.pk: MatrixRow(skill, [None] * len(levels)) for skill in skills}
    column = {level.pk: i for i, level in enumerate(levels)}
    cells = Expectation.objects.filter(role=role, skill_id__in=list(rows)).only(
        "necessity", "description", "level_id", "skill_id", "role_id"
    )
    for exp in cells:
        rows[exp.skill_id].cells[column[exp.level_id]] = exp
    groups: list[tuple[SkillGroup, list[MatrixRow]]] = []
    for row in rows.values():
        if not groups or groups[-1][0].pk != row.skill.group_id:
            groups.append((row.skill.group, []))
        groups[-1][1].append(row)
    return RolePage(
        role=role,
        levels=levels,
        role_levels=[(level, role_levels.get(level.pk)) for level in levels],
        groups=groups,
        skill_count=totals["skills"],
        expectation_count=totals["rows"],
        required_count=totals["required"],
        page=page,
    )


@dataclass
class Comparison:
    role: Role
    from_level: Level
    to_level: Level
    changes: list[PromotionCard]
    removed: list[Expectation]

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(("new", "required", "optional", "changed", "same"), 0)
        for card in self.changes:
            counts[card.kind] += 1
        return counts


def role_comparison(*, role: Role, from_level: Level, to_level: Level) -> Comparison:
    """What changes for `role` between two levels, skill by skill."""
    rows = (
        Expectation.objects.filter(role=role, level__in=[from_level, to_level])
        .select_related("skill", "level", "role")
        .defer("skill__search_document", "skill__search_vector")
        .order_by("skill__name")
    )
    before, after = {}, {}
    for row in rows:
        (before if row.level_id == from_level.pk else after)[row.skill_id] = row
    changes = level_changes(before, after)
    removed = [row for key, row in before.items() if key not in after]
    return Comparison(role, from_level, to_level, changes, removed)


# --- Export -----------------------------------------------------------------------------------


def matrix_export() -> dict:
    """The whole matrix in the import format (docs/matrix-format.md); round trips losslessly."""
    levels = [{"slug": lvl.slug, "name": lvl.name, "rank": lvl.rank} for lvl in Level.objects.all()]
    role_levels: dict[int, dict] = {}
    for rl in RoleLevel.objects.select_related("level").order_by("role_id", "level__rank"):
        role_levels.setdefault(rl.role_id, {})[rl.level.slug] = {
            "focus": rl.focus,
            "stack": list(rl.stack),
        }
    roles = []
    for role in Role.objects.select_related("domain").order_by("slug"):
        entry = {"slug": role.slug, "name": role.name, "description": role.description}
        if role.domain:
            entry["domain"] = role.domain.slug
        if role.pk in role_levels:
            entry["levels"] = role_levels[role.pk]
        roles.append(entry)

    expectations = Expectation.objects.select_related("role", "level").order_by(
        "skill_id", "level__rank", "role__slug"
    )
    skills = (
        Skill.objects.defer("search_document", "search_vector")
        .order_by("group_id", "name", "slug")
        .prefetch_related(Prefetch("expectations", queryset=expectations))
    )
    by_group: dict[int, list] = {}
    for skill in skills.iterator(chunk_size=2000):
        by_group.setdefault(skill.group_id, []).append(
            {
                "slug": skill.slug,
                "name": skill.name,
                "summary": skill.summary,
                "expectations": [
                    {
                        "role": e.role.slug,
                        "level": e.level.slug,
                        "necessity": e.necessity,
                        "description": e.description,
                    }
                    for e in skill.expectations.all()
                ],
            }
        )
    by_domain: dict[int, list] = {}
    for group in SkillGroup.objects.order_by("position", "name"):
        by_domain.setdefault(group.domain_id, []).append(
            {"slug": group.slug, "name": group.name, "skills": by_group.get(group.pk, [])}
        )
    domains = [
        {
            "slug": d.slug,
            "name": d.name,
            "description": d.description,
            "groups": by_domain.get(d.pk, []),
        }
        for d in Domain.objects.all()
    ]
    return {"levels": levels, "roles": roles, "domains": domains}


# --- History ----------------------------------------------------------------------------------


def revision_list(*, skill: Skill):
    return skill.revisions.select_related("author", "approver").defer("snapshot")


def revision_with_diff(*, skill: Skill, version: int):
    """A revision and its diff against the revision before it; Revision.DoesNotExist if none."""
    from .diff import snapshot_diff

    revision = skill.revisions.select_related("author", "approver").get(version=version)
    previous = (
        skill.revisions.filter(version__lt=version).order_by("-version").only("snapshot").first()
    )
    return (
        revision,
        previous,
        snapshot_diff(previous.snapshot if previous else None, revision.snapshot),
    )
