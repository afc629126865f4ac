"""Writes to the matrix. Every change of a skill goes through here and leaves a revision.

What always holds after a service returns:
- a skill's `version` equals the `version` of its newest revision;
- that revision's `snapshot` is exactly the skill's state (see `skill_snapshot`);
- `Skill.search_document` reflects the skill's current texts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .cache import matrix_changed
from .models import (
    Domain,
    Expectation,
    Level,
    Necessity,
    Revision,
    Role,
    RoleLevel,
    Skill,
    SkillGroup,
)


def snapshot_rows(rows: Iterable[dict], *, level_ranks: dict[str, int]) -> list[dict]:
    """Expectation rows in their canonical order: by level rank, then role slug."""
    keys = ("role", "level", "necessity", "description")
    return sorted(
        ({k: row[k] for k in keys} for row in rows),
        key=lambda row: (level_ranks[row["level"]], row["role"]),
    )


def skill_snapshot(*, skill: Skill, expectations: Iterable[Expectation] | None = None) -> dict:
    """The skill's state as plain data: what a revision stores and diffs compare.

    Pass `expectations` (with role and level loaded) to save the query.
    """
    if expectations is None:
        expectations = skill.expectations.select_related("role", "level")
    expectations = list(expectations)
    rows = [
        {
            "role": e.role.slug,
            "level": e.level.slug,
            "necessity": e.necessity,
            "description": e.description,
        }
        for e in expectations
    ]
    ranks = {e.level.slug: e.level.rank for e in expectations}
    return {
        "name": skill.name,
        "summary": skill.summary,
        "group": skill.group.slug,
        "expectations": snapshot_rows(rows, level_ranks=ranks),
    }


def search_document(*, name: str, summary: str, group: str, texts: Iterable[str]) -> str:
    return "\n".join([name, summary, group, *texts])


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def __str__(self):
        text = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        return f"{text}, {self.deleted} deleted" if self.deleted else text


@dataclass
class ImportResult:
    tallies: dict[str, Tally] = field(default_factory=dict)

    def tally(self, kind: str) -> Tally:
        return self.tallies.setdefault(kind, Tally())

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated or t.deleted for t in self.tallies.values())


def _read_back_keys(model, created: list) -> None:
    """Give bulk-created objects their keys where the backend did not return them.

    SQLite before 3.35 has no RETURNING, so bulk_create leaves `pk` unset; slugs are unique.
    """
    if created and not all(obj.pk for obj in created):
        fresh = model.objects.in_bulk([obj.slug for obj in created], field_name="slug")
        for obj in created:
            obj.pk = fresh[obj.slug].pk


def _sync(model, rows: list[dict], *, result: ImportResult, kind: str, fields: list[str]):
    """Create or update `model` rows keyed by slug; return {slug: instance}."""
    tally = result.tally(kind)
    existing = {obj.slug: obj for obj in model.objects.filter(slug__in=[r["slug"] for r in rows])}
    to_create, to_update = [], []
    for row in rows:
        obj = existing.get(row["slug"])
        if obj is None:
            obj = model(slug=row["slug"], **{f: row[f] for f in fields})
            to_create.append(obj)
            existing[row["slug"]] = obj
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            to_update.append(obj)
        else:
            tally.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        model.objects.bulk_update(to_update, fields, batch_size=1000)
    tally.created += len(to_create)
    tally.updated += len(to_update)
    _read_back_keys(model, to_create)
    return existing


@transaction.atomic
def matrix_import(
    *, document: dict, progress: Callable[[int, int], None] | None = None
) -> ImportResult:
    """Bring the database to the state described by a validated matrix document.

    All or nothing (one transaction); idempotent (importing the same document again changes
    nothing). The file is authoritative for what it lists: a listed skill's expectations that
    the file does not mention are removed. Objects it does not list are left alone. Every skill
    created or changed gets a new revision and, when changed, a new version.
    """
    result = ImportResult()

    _sync_levels(document["levels"], result=result)
    domain_rows = [{**d, "position": i} for i, d in enumerate(document["domains"])]
    _sync(
        Domain,
        domain_rows,
        result=result,
        kind="domains",
        fields=["name", "description", "position"],
    )
    all_domains = Domain.objects.in_bulk(field_name="slug")
    role_rows = [{**r, "domain": all_domains.get(r.get("domain"))} for r in document["roles"]]
    roles = _sync(
        Role, role_rows, result=result, kind="roles", fields=["name", "description", "domain"]
    )
    all_levels = {lvl.slug: lvl for lvl in Level.objects.all()}
    all_roles = {role.slug: role for role in Role.objects.all()}

    _sync_role_levels(document["roles"], roles=roles, levels=all_levels, result=result)

    group_rows, skill_rows = [], []
    for domain in domain_rows:
        for g_pos, group in enumerate(domain["groups"]):
            group_rows.append({**group, "domain": all_domains[domain["slug"]], "position": g_pos})
            skill_rows.extend({**skill, "group_slug": group["slug"]} for skill in group["skills"])
    groups = _sync(
        SkillGroup, group_rows, result=result, kind="groups", fields=["name", "domain", "position"]
    )

    _sync_skills(
        skill_rows,
        groups=groups,
        roles=all_roles,
        levels=all_levels,
        result=result,
        progress=progress,
    )
    if result.changed:
        matrix_changed()
    return result


def _sync_levels(level_rows, *, result):
    """Levels by slug. Ranks are unique, so moved ranks first park above all others."""
    tally = result.tally("levels")
    existing = Level.objects.in_bulk(field_name="slug")
    top = max([lvl.rank for lvl in existing.values()] + [row["rank"] for row in level_rows])
    moved = []
    for row in level_rows:
        lvl = existing.get(row["slug"])
        if lvl is not None and (lvl.name, lvl.rank) == (row["name"], row["rank"]):
            tally.unchanged += 1
            continue
        if lvl is None:
            tally.created += 1
            lvl = Level(slug=row["slug"])
        else:
            tally.updated += 1
        top += 1
        lvl.name, lvl.rank = row["name"], top
        lvl.save()
        moved.append((lvl, row["rank"]))
    for lvl, rank in moved:
        lvl.rank = rank
        lvl.save(update_fields=["rank"])


def _sync_role_levels(role_rows, *, roles, levels, result):
    tally = result.tally("role levels")
    existing = {
        (rl.role_id, rl.level_id): rl
        for rl in RoleLevel.objects.filter(role__in=[roles[r["slug"]] for r in role_rows])
    }
    to_create, to_update = [], []
    for row in role_rows:
        role = roles[row["slug"]]
        for level_slug, spec in row.get("levels", {}).items():
            level = levels[level_slug]
            rl = existing.get((role.pk, level.pk))
            if rl is None:
                to_create.append(RoleLevel(role=role, level=level, **spec))
            elif rl.focus != spec["focus"] or rl.stack != spec["stack"]:
                rl.focus, rl.stack = spec["focus"], spec["stack"]
                to_update.append(rl)
            else:
                tally.unchanged += 1
    RoleLevel.objects.bulk_create(to_create)
    RoleLevel.objects.bulk_update(to_update, ["focus", "stack"])
    tally.created += len(to_create)
    tally.updated += len(to_update)


def _sync_skills(skill_rows, *, groups, roles, levels, result, progress):
    skills_tally = result.tally("skills")
    exp_tally = result.tally("expectations")
    total = len(skill_rows)
    level_ranks = {lvl.slug: lvl.rank for lvl in levels.values()}
    chunk_size = 500
    for start in range(0, total, chunk_size):
        chunk = skill_rows[start : start + chunk_size]
        existing = Skill.objects.select_related("group").in_bulk(
            [row["slug"] for row in chunk], field_name="slug"
        )
        current_rows: dict[int, dict[tuple[int, int], Expectation]] = {}
        for exp in Expectation.objects.filter(skill__in=existing.values()).select_related(
            "role", "level"
        ):
            current_rows.setdefault(exp.skill_id, {})[(exp.role_id, exp.level_id)] = exp

        new_skills, changed_skills = [], []
        exp_create, exp_update, exp_delete = [], [], []
        for row in chunk:
            group = groups[row["group_slug"]]
            skill = existing.get(row["slug"])
            wanted = {(roles[e["role"]].pk, levels[e["level"]].pk): e for e in row["expectations"]}
            if skill is None:
                skill = Skill(
                    slug=row["slug"],
                    name=row["name"],
                    summary=row["summary"],
                    group=group,
                    version=1,
                )
                new_skills.append((skill, wanted))
                continue
            have = current_rows.get(skill.pk, {})
            skill_changed = (skill.name, skill.summary, skill.group_id) != (
                row["name"],
                row["summary"],
                group.pk,
            )
            rows_changed = False
            for key, spec in wanted.items():
                exp = have.get(key)
                if exp is None:
                    exp_create.append(
                        Expectation(
                            skill=skill,
                            role_id=key[0],
                            level_id=key[1],
                            necessity=spec["necessity"],
                            description=spec["description"],
                        )
                    )
                    rows_changed = True
                elif (exp.necessity, exp.description) != (spec["necessity"], spec["description"]):
                    exp.necessity, exp.description = spec["necessity"], spec["description"]
                    exp.updated_at = timezone.now()
                    exp_update.append(exp)
                    rows_changed = True
                else:
                    exp_tally.unchanged += 1
            for key, exp in have.items():
                if key not in wanted:
                    exp_delete.append(exp.pk)
                    rows_changed = True
            if skill_changed or rows_changed:
                skill.name, skill.summary, skill.group = row["name"], row["summary"], group
                skill.version += 1
                changed_skills.append((skill, wanted))
            else:
                skills_tally.unchanged += 1

        # Snapshots and search texts first, so new skills are written once, complete.
        now = timezone.now()
        snapshots = {}
        for skill, wanted in new_skills + changed_skills:
            snapshot = {
                "name": skill.name,
                "summary": skill.summary,
                "group": skill.group.slug,
                "expectations": snapshot_rows(wanted.values(), level_ranks=level_ranks),
            }
            snapshots[skill.slug] = snapshot
            skill.updated_at = now
            skill_refresh_search_document(skill=skill, snapshot=snapshot)

        Skill.objects.bulk_create([s for s, _ in new_skills], batch_size=1000)
        _read_back_keys(Skill, [s for s, _ in new_skills])
        Skill.objects.bulk_update(
            [s for s, _ in changed_skills],
            ["name", "summary", "group", "version", "search_document", "updated_at"],
            batch_size=500,
        )
        for skill, wanted in new_skills:
            exp_create.extend(
                Expectation(
                    skill=skill,
                    role_id=key[0],
                    level_id=key[1],
                    necessity=spec["necessity"],
                    description=spec["description"],
                )
                for key, spec in wanted.items()
            )
        Expectation.objects.filter(pk__in=exp_delete).delete()
        Expectation.objects.bulk_create(exp_create, batch_size=1000)
        Expectation.objects.bulk_update(
            exp_update, ["necessity", "description", "updated_at"], batch_size=500
        )
        Revision.objects.bulk_create(
            [
                Revision(
                    skill=skill,
                    version=skill.version,
                    snapshot=snapshots[skill.slug],
                    summary="Imported" if skill.version == 1 else "Updated by import",
                )
                for skill, _ in new_skills + changed_skills
            ],
            batch_size=1000,
        )
        exp_tally.created += len(exp_create)
        exp_tally.updated += len(exp_update)
        exp_tally.deleted += len(exp_delete)
        skills_tally.created += len(new_skills)
        skills_tally.updated += len(changed_skills)
        if progress:
            progress(min(start + chunk_size, total), total)


def skill_refresh_search_document(*, skill: Skill, snapshot: dict) -> None:
    skill.search_document = search_document(
        name=skill.name,
        summary=skill.summary,
        group=skill.group.name,
        texts=(row["description"] for row in snapshot["expectations"]),
    )


@transaction.atomic
def skill_record_change(
    *, skill: Skill, summary: str, author=None, approver=None
) -> Revision | None:
    """Write the revision for changes already made to a skill and its expectations.

    Compares the skill's state with its newest revision: when they differ, the version goes
    up by one and a revision holding the new state is written (and returned); when they are
    the same, nothing is written and None is returned.
    """
    skill = Skill.objects.select_for_update().select_related("group").get(pk=skill.pk)
    snapshot = skill_snapshot(skill=skill)
    latest = skill.revisions.order_by("-version").only("snapshot", "version").first()
    if latest is not None and latest.snapshot == snapshot:
        return None
    return _save_version(
        skill=skill,
        version=(latest.version if latest else skill.version - 1) + 1,
        snapshot=snapshot,
        summary=summary,
        author=author,
        approver=approver,
    )


def _save_version(
    *, skill: Skill, version: int, snapshot: dict, summary: str, author, approver, also=()
) -> Revision:
    """Give the skill `version` (saving the fields named in `also` with it), refresh what
    search reads, mark the matrix changed and write the revision holding `snapshot`."""
    skill.version = version
    skill_refresh_search_document(skill=skill, snapshot=snapshot)
    skill.save(update_fields=[*also, "version", "search_document", "updated_at"])
    matrix_changed()
    return Revision.objects.create(
        skill=skill,
        version=version,
        snapshot=snapshot,
        summary=summary[:300],
        author=author,
        approver=approver,
    )


# --- Change sets: what proposals and reverts apply ---------------------------------------------
#
# A change set is a list of cells, each {"role", "level", "necessity", "description"} (set the
# cell, adding it when missing) or {"role", "level", "delete": True} (remove it), role and level
# by slug, plus an optional new summary (None: unchanged). It is applied to a skill by
# `skill_apply_changes`, the only way a change set reaches the matrix.

#: Longest expectation text a change set may write.
DESCRIPTION_MAX_LENGTH = 5000
SUMMARY_MAX_LENGTH = 5000


class ChangeConflict(Exception):
    """The skill changed, since the change set's base version, in a cell or field it touches.

    `cells` lists each such cell as {"role", "level", "base", "current", "proposed"} (a row, or
    None where the cell does not exist); `summary` is {"base", "current", "proposed"} when the
    summary is the conflict. Nothing was written.
    """

    def __init__(self, *, skill, base_version: int, current_version: int, cells, summary=None):
        self.skill = skill
        self.base_version = base_version
        self.current_version = current_version
        self.cells = cells
        self.summary = summary
        super().__init__(
            f"{skill.slug}: changed since version {base_version} (now {current_version}) "
            f"in {len(cells) + (1 if summary else 0)} place(s) the change touches"
        )


def _cell_key(change: dict) -> tuple[str, str]:
    return change["role"], change["level"]


def _is_delete(change: dict) -> bool:
    return bool(change.get("delete"))


def changes_normalize(*, snapshot: dict, changes, summary: str | None = None):
    """Check a change set against the skill state `snapshot`, and drop what changes nothing.

    Returns (changes, summary) in canonical form: cells in level rank then role order, each
    either a full row or a deletion; summary None when it stays the same. Raises
    ValidationError naming the field ("changes", "summary") for anything malformed: an unknown
    role or level, a necessity that is not one of the choices, an empty or too long text, a cell
    listed twice, the removal of a cell that does not exist.
    """
    if not isinstance(changes, list):
        raise ValidationError({"changes": _("A list of cells is expected.")})
    errors, seen, cleaned = [], set(), []
    for number, change in enumerate(changes, start=1):
        if not isinstance(change, dict):
            errors.append(_("Cell %(n)s: an object is expected.") % {"n": number})
            continue
        role, level = change.get("role"), change.get("level")
        if not isinstance(role, str) or not role or not isinstance(level, str) or not level:
            errors.append(_("Cell %(n)s: give a role and a level.") % {"n": number})
            continue
        if (role, level) in seen:
            errors.append(
                _("Cell %(n)s: %(role)s · %(level)s is listed twice.")
                % {"n": number, "role": role, "level": level}
            )
            continue
        seen.add((role, level))
        if change.get("delete"):
            cleaned.append({"role": role, "level": level, "delete": True})
            continue
        necessity = change.get("necessity")
        description = change.get("description")
        if necessity not in Necessity.values:
            errors.append(
                _("Cell %(n)s: necessity must be “required” or “optional”.") % {"n": number}
            )
            continue
        if not isinstance(description, str) or not description.strip():
            errors.append(_("Cell %(n)s: the description is empty.") % {"n": number})
            continue
        description = description.strip()
        if len(description) > DESCRIPTION_MAX_LENGTH:
            errors.append(
                _("Cell %(n)s: a description is at most %(max)s characters.")
                % {"n": number, "max": DESCRIPTION_MAX_LENGTH}
            )
            continue
        cleaned.append(
            {"role": role, "level": level, "necessity": necessity, "description": description}
        )
    roles = set(
        Role.objects.filter(slug__in={c["role"] for c in cleaned}).values_list("slug", flat=True)
    )
    ranks = dict(
        Level.objects.filter(slug__in={c["level"] for c in cleaned}).values_list("slug", "rank")
    )
    for change in cleaned:
        if change["role"] not in roles:
            errors.append(_("There is no role “%(slug)s”.") % {"slug": change["role"]})
        if change["level"] not in ranks:
            errors.append(_("There is no level “%(slug)s”.") % {"slug": change["level"]})
    if errors:
        raise ValidationError({"changes": errors})

    current = {_cell_key(row): row for row in snapshot["expectations"]}
    kept = []
    for change in cleaned:
        row = current.get(_cell_key(change))
        if _is_delete(change):
            if row is None:
                errors.append(
                    _("%(role)s · %(level)s cannot be removed: the skill has no such cell.")
                    % change
                )
                continue
            kept.append(change)
        elif row is None or (row["necessity"], row["description"]) != (
            change["necessity"],
            change["description"],
        ):
            kept.append(change)
    if errors:
        raise ValidationError({"changes": errors})
    kept.sort(key=lambda c: (ranks[c["level"]], c["role"]))

    if summary is not None:
        if not isinstance(summary, str):
            raise ValidationError({"summary": _("The summary must be text.")})
        summary = summary.strip()
        if len(summary) > SUMMARY_MAX_LENGTH:
            raise ValidationError(
                {
                    "summary": _("The summary is at most %(max)s characters.")
                    % {"max": SUMMARY_MAX_LENGTH}
                }
            )
        if summary == (snapshot.get("summary") or ""):
            summary = None
    return kept, summary


def snapshot_apply(*, snapshot: dict, changes, summary: str | None = None, level_ranks) -> dict:
    """The state `snapshot` becomes with a (normalized) change set applied; pure."""
    rows = {_cell_key(row): row for row in snapshot["expectations"]}
    for change in changes:
        if _is_delete(change):
            rows.pop(_cell_key(change), None)
        else:
            rows[_cell_key(change)] = {k: change[k] for k in ("role", "level", "necessity")} | {
                "description": change["description"]
            }
    ranks = dict(level_ranks)
    for row in rows.values():
        ranks.setdefault(row["level"], 10**6)
    return {
        **snapshot,
        "summary": snapshot.get("summary", "") if summary is None else summary,
        "expectations": snapshot_rows(rows.values(), level_ranks=ranks),
    }


def changes_conflicts(*, base: dict, current: dict, changes, summary: str | None = None):
    """Where `current` differs from `base` in a cell or field that the change set touches.

    Returns (cells, summary_conflict) as described by ChangeConflict; both empty when the change
    set can be merged onto `current`.
    """
    old = {_cell_key(row): row for row in base["expectations"]}
    new = {_cell_key(row): row for row in current["expectations"]}
    cells = []
    for change in changes:
        key = _cell_key(change)
        if old.get(key) != new.get(key):
            proposed = None if _is_delete(change) else change
            cells.append(
                {
                    "role": key[0],
                    "level": key[1],
                    "base": old.get(key),
                    "current": new.get(key),
                    "proposed": proposed,
                }
            )
    summary_conflict = None
    if summary is not None and (base.get("summary") or "") != (current.get("summary") or ""):
        summary_conflict = {
            "base": base.get("summary") or "",
            "current": current.get("summary") or "",
            "proposed": summary,
        }
    return cells, summary_conflict


def skill_state_at(*, skill: Skill, version: int) -> dict | None:
    """The skill's state at `version` (its revision's snapshot), or None when unknown."""
    if version == skill.version:
        return skill_snapshot(skill=skill)
    revision = skill.revisions.filter(version=version).only("snapshot").first()
    return revision.snapshot if revision else None


def _lock_skill(skill: Skill) -> Skill:
    """The skill's row, locked until the transaction ends (PostgreSQL; SQLite writers are
    serialized by BEGIN IMMEDIATE anyway). Only the skill's row: not its group's."""
    return Skill.objects.select_for_update(of=("self",)).select_related("group").get(pk=skill.pk)


def _write_changes(*, skill: Skill, changes, summary: str | None, rows: dict) -> None:
    """Write a change set; `rows` are the skill's expectations by (role slug, level slug)."""
    roles = Role.objects.in_bulk({c["role"] for c in changes}, field_name="slug")
    levels = Level.objects.in_bulk({c["level"] for c in changes}, field_name="slug")
    now = timezone.now()
    delete, update, create = [], [], []
    for change in changes:
        row = rows.get(_cell_key(change))
        if _is_delete(change):
            if row is not None:
                delete.append(row.pk)
        elif row is None:
            role, level = roles.get(change["role"]), levels.get(change["level"])
            if role is None or level is None:
                raise ValidationError({"changes": f"{change['role']} · {change['level']}"})
            create.append(
                Expectation(
                    skill=skill,
                    role=role,
                    level=level,
                    necessity=change["necessity"],
                    description=change["description"],
                )
            )
        elif (row.necessity, row.description) != (change["necessity"], change["description"]):
            row.necessity, row.description, row.updated_at = (
                change["necessity"],
                change["description"],
                now,
            )
            update.append(row)
    if delete:
        Expectation.objects.filter(pk__in=delete).delete()
    if update:
        Expectation.objects.bulk_update(update, ["necessity", "description", "updated_at"])
    if create:
        Expectation.objects.bulk_create(create)
    if summary is not None:
        skill.summary = summary


def _write_revision(*, skill: Skill, before: dict, message: str, author, approver) -> Revision:
    """Version the skill's new state: the revision after `before`, or ValidationError if the
    state did not change."""
    snapshot = skill_snapshot(skill=skill)
    if snapshot == before:
        raise ValidationError(_("This change leaves the skill as it is."), code="no_change")
    latest = skill.revisions.order_by("-version").values_list("version", flat=True).first()
    return _save_version(
        skill=skill,
        version=max(skill.version, latest or 0) + 1,
        snapshot=snapshot,
        summary=message,
        author=author,
        approver=approver,
        also=["summary"],
    )


@transaction.atomic
def skill_apply_changes(
    *,
    skill: Skill,
    changes,
    summary_text: str | None = None,
    base_version: int,
    author,
    approver,
    message: str,
) -> Revision:
    """Apply a change set made against `base_version`, in one transaction; return its revision.

    What always holds:
    - the skill's row is locked first, so concurrent changes of one skill apply one after the
      other, each seeing what the one before it wrote;
    - when the skill is still at `base_version`, the change set applies as it is; when it has
      moved on, it is merged only if none of the cells (and, with `summary_text`, the summary)
      it touches changed since `base_version`; otherwise ChangeConflict is raised carrying both
      sides, and nothing is written;
    - a change set that changes nothing raises ValidationError; nothing is written;
    - on success the version goes up by one and one revision holds the new state.
    """
    skill = _lock_skill(skill)
    expectations = list(skill.expectations.select_related("role", "level"))
    current = skill_snapshot(skill=skill, expectations=expectations)
    if base_version == skill.version:
        base = current
    elif base_version > skill.version or base_version < 1:
        raise ValidationError(
            {"base_version": _("The skill has no version %(v)s.") % {"v": base_version}}
        )
    else:
        revision = skill.revisions.filter(version=base_version).only("snapshot").first()
        if revision is None:
            raise ValidationError(
                {
                    "base_version": _("Version %(v)s of this skill is not kept.")
                    % {"v": base_version}
                }
            )
        base = revision.snapshot
    changes, summary_text = changes_normalize(snapshot=base, changes=changes, summary=summary_text)
    cells, summary_conflict = changes_conflicts(
        base=base, current=current, changes=changes, summary=summary_text
    )
    if cells or summary_conflict:
        raise ChangeConflict(
            skill=skill,
            base_version=base_version,
            current_version=skill.version,
            cells=cells,
            summary=summary_conflict,
        )
    rows = {(e.role.slug, e.level.slug): e for e in expectations}
    _write_changes(skill=skill, changes=changes, summary=summary_text, rows=rows)
    return _write_revision(
        skill=skill, before=current, message=message, author=author, approver=approver
    )


@transaction.atomic
def skill_revert(*, skill: Skill, to_version: int, by, message: str | None = None) -> Revision:
    """Bring the skill back to its state at `to_version`; that is a new revision (by `by`).

    Restores the summary and every expectation cell. ValidationError when the version is not
    kept, when it names a role or level that no longer exists, or when the skill is already in
    that state.
    """
    skill = _lock_skill(skill)
    target = skill.revisions.filter(version=to_version).only("snapshot").first()
    if target is None:
        raise ValidationError(
            {"version": _("This skill has no version %(v)s.") % {"v": to_version}}
        )
    expectations = list(skill.expectations.select_related("role", "level"))
    current = skill_snapshot(skill=skill, expectations=expectations)
    wanted = {_cell_key(row): row for row in target.snapshot["expectations"]}
    changes = [dict(row) for row in target.snapshot["expectations"]]
    changes += [
        {"role": row["role"], "level": row["level"], "delete": True}
        for row in current["expectations"]
        if _cell_key(row) not in wanted
    ]
    missing_roles = {c["role"] for c in changes} - set(
        Role.objects.filter(slug__in={c["role"] for c in changes}).values_list("slug", flat=True)
    )
    missing_levels = {c["level"] for c in changes} - set(
        Level.objects.filter(slug__in={c["level"] for c in changes}).values_list("slug", flat=True)
    )
    if missing_roles or missing_levels:
        raise ValidationError(
            {
                "version": _("Version %(v)s names roles or levels that no longer exist: %(names)s.")
                % {"v": to_version, "names": ", ".join(sorted(missing_roles | missing_levels))}
            }
        )
    rows = {(e.role.slug, e.level.slug): e for e in expectations}
    summary = target.snapshot.get("summary", "")
    _write_changes(
        skill=skill,
        changes=changes,
        summary=summary if summary != skill.summary else None,
        rows=rows,
    )
    if message is None:
        message = _("Reverted to version %(v)s") % {"v": to_version}
    return _write_revision(skill=skill, before=current, message=message, author=by, approver=by)
