"""Differences between two snapshots of a skill (see `services.skill_snapshot`).

Used by the history pages, and by anything else that shows what a change does.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Necessity

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def word_diff(before: str, after: str) -> tuple[SafeString, SafeString]:
    """Both texts as escaped HTML, with removed words in <del> and added words in <ins>."""
    a, b = _TOKENS.findall(before or ""), _TOKENS.findall(after or "")
    old, new = [], []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        left, right = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if op == "equal":
            old.append(left)
            new.append(right)
            continue
        if left:
            old.append(f"<del>{left}</del>")
        if right:
            new.append(f"<ins>{right}</ins>")
    return mark_safe("".join(old)), mark_safe("".join(new))  # noqa: S308 - parts escaped above


@dataclass
class CellChange:
    role: str
    level: str
    kind: str  # "added", "removed", "changed"
    before: dict | None
    after: dict | None

    @property
    def necessity_changed(self):
        return bool(
            self.before and self.after and self.before["necessity"] != self.after["necessity"]
        )

    @property
    def description_changed(self):
        return bool(
            self.before and self.after and self.before["description"] != self.after["description"]
        )

    @property
    def before_necessity_label(self):
        return Necessity(self.before["necessity"]).label if self.before else ""

    @property
    def after_necessity_label(self):
        return Necessity(self.after["necessity"]).label if self.after else ""

    @property
    def words(self):
        return word_diff(
            (self.before or {}).get("description", ""), (self.after or {}).get("description", "")
        )


@dataclass
class SnapshotDiff:
    fields: dict[str, tuple[str, str]]
    cells: list[CellChange]

    def __bool__(self):
        return bool(self.fields or self.cells)


def snapshot_diff(before: dict | None, after: dict) -> SnapshotDiff:
    """What changed from `before` (None for a skill's first revision) to `after`."""
    before = before or {"name": "", "summary": "", "group": "", "expectations": []}
    fields = {
        name: (before.get(name) or "", after.get(name) or "")
        for name in ("name", "summary", "group")
        if (before.get(name) or "") != (after.get(name) or "")
    }
    old = {(row["role"], row["level"]): row for row in before["expectations"]}
    new = {(row["role"], row["level"]): row for row in after["expectations"]}
    cells = []
    for key, row in new.items():
        if key not in old:
            cells.append(CellChange(*key, "added", None, row))
        elif old[key] != row:
            cells.append(CellChange(*key, "changed", old[key], row))
    cells += [CellChange(*key, "removed", row, None) for key, row in old.items() if key not in new]
    order = {key: i for i, key in enumerate([*new, *old])}
    cells.sort(key=lambda c: order[(c.role, c.level)])
    return SnapshotDiff(fields, cells)
