"""Reading and checking matrix files (YAML or JSON) before anything touches the database.

The format is described in docs/matrix-format.md. `load_matrix_files` returns one merged,
normalised document, or raises `MatrixFileError` naming the file, the entry and the field.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from .models import Domain, Level, Necessity, Role

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SECTIONS = ("levels", "roles", "domains")

try:  # the C loader is several times faster on large files
    YamlLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    YamlLoader = yaml.SafeLoader


class MatrixFileError(Exception):
    def __init__(self, file: str, where: str, message: str):
        self.file, self.where, self.message = file, where, message
        super().__init__(f"{file}: {where}: {message}" if where else f"{file}: {message}")


def read_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise MatrixFileError(
                str(path), f"line {exc.lineno}", f"invalid JSON: {exc.msg}"
            ) from None
    if path.suffix.lower() in {".yaml", ".yml"}:
        try:
            return yaml.load(text, Loader=YamlLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            raise MatrixFileError(str(path), "", f"invalid YAML: {exc}") from None
    raise MatrixFileError(str(path), "", "unknown file type; use .yaml, .yml or .json")


class _Checker:
    """Walks one file's data, normalising it and naming the place of the first problem."""

    def __init__(self, file: str):
        self.file = file

    def fail(self, where: str, message: str):
        raise MatrixFileError(self.file, where, message)

    def named(self, where, entry):
        """`where` with the entry's slug added, so that errors point at the right entry."""
        slug = entry.get("slug")
        return f"{where} ({slug})" if isinstance(slug, str) else where

    def mapping(self, value, where):
        if not isinstance(value, dict):
            self.fail(where, "expected a mapping")
        return value

    def items(self, value, where):
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, "expected a list")
        return value

    def text(self, entry, key, where, *, required=True, max_length=None):
        value = entry.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(
                f"{where}.{key}",
                "required text is missing" if value in (None, "") else "expected text",
            )
        if max_length and len(value) > max_length:
            self.fail(f"{where}.{key}", f"longer than {max_length} characters")
        return value

    def slug(self, entry, key, where):
        value = entry.get(key)
        if not isinstance(value, str) or not SLUG_RE.match(value):
            self.fail(f"{where}.{key}", f"{value!r} is not a slug (a-z, 0-9 and hyphens)")
        return value


def _check_file(file: str, data: Any) -> dict:
    c = _Checker(file)
    if data is None:
        data = {}
    c.mapping(data, "top level")
    unknown = set(data) - set(SECTIONS)
    if unknown:
        c.fail("top level", f"unknown section(s): {', '.join(sorted(unknown))}")
    out = {section: [] for section in SECTIONS}

    for i, raw in enumerate(c.items(data.get("levels"), "levels")):
        where = f"levels[{i}]"
        entry = c.mapping(raw, where)
        rank = entry.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 0:
            c.fail(f"{where}.rank", "expected a whole number of 0 or more")
        out["levels"].append(
            {
                "slug": c.slug(entry, "slug", where),
                "name": c.text(entry, "name", where, max_length=60),
                "rank": rank,
            }
        )

    for i, raw in enumerate(c.items(data.get("roles"), "roles")):
        where = f"roles[{i}]"
        entry = c.mapping(raw, where)
        where = c.named(where, entry)
        role = {
            "slug": c.slug(entry, "slug", where),
            "name": c.text(entry, "name", where, max_length=120),
            "description": c.text(entry, "description", where, required=False),
            "domain": c.slug(entry, "domain", where) if entry.get("domain") else None,
            "levels": {},
        }
        levels = c.mapping(entry.get("levels") or {}, f"{where}.levels")
        for level_slug, spec in levels.items():
            lwhere = f"{where}.levels.{level_slug}"
            spec = c.mapping(spec, lwhere)
            stack = spec.get("stack") or []
            if not isinstance(stack, list) or not all(isinstance(s, str) for s in stack):
                c.fail(f"{lwhere}.stack", "expected a list of texts")
            role["levels"][str(level_slug)] = {
                "focus": c.text(spec, "focus", lwhere, required=False),
                "stack": stack,
            }
        out["roles"].append(role)

    for d, raw_domain in enumerate(c.items(data.get("domains"), "domains")):
        dwhere = f"domains[{d}]"
        domain_entry = c.mapping(raw_domain, dwhere)
        dwhere = c.named(dwhere, domain_entry)
        domain = {
            "slug": c.slug(domain_entry, "slug", dwhere),
            "name": c.text(domain_entry, "name", dwhere, max_length=120),
            "description": c.text(domain_entry, "description", dwhere, required=False),
            "groups": [],
        }
        for g, raw_group in enumerate(c.items(domain_entry.get("groups"), f"{dwhere}.groups")):
            gwhere = f"{dwhere}.groups[{g}]"
            group_entry = c.mapping(raw_group, gwhere)
            gwhere = c.named(gwhere, group_entry)
            group = {
                "slug": c.slug(group_entry, "slug", gwhere),
                "name": c.text(group_entry, "name", gwhere, max_length=120),
                "skills": [],
            }
            for s, raw_skill in enumerate(c.items(group_entry.get("skills"), f"{gwhere}.skills")):
                swhere = f"{gwhere}.skills[{s}]"
                skill_entry = c.mapping(raw_skill, swhere)
                swhere = c.named(swhere, skill_entry)
                skill = {
                    "slug": c.slug(skill_entry, "slug", swhere),
                    "name": c.text(skill_entry, "name", swhere, max_length=160),
                    "summary": c.text(skill_entry, "summary", swhere, required=False),
                    "expectations": [],
                }
                raw_rows = c.items(skill_entry.get("expectations"), f"{swhere}.expectations")
                for e, raw_row in enumerate(raw_rows):
                    ewhere = f"{swhere}.expectations[{e}]"
                    row = c.mapping(raw_row, ewhere)
                    necessity = row.get("necessity", Necessity.OPTIONAL.value)
                    if necessity not in Necessity.values:
                        c.fail(
                            f"{ewhere}.necessity",
                            f"{necessity!r} is not one of {', '.join(Necessity.values)}",
                        )
                    skill["expectations"].append(
                        {
                            "role": c.slug(row, "role", ewhere),
                            "level": c.slug(row, "level", ewhere),
                            "necessity": necessity,
                            "description": c.text(row, "description", ewhere),
                            "_where": ewhere,
                            "_file": file,
                        }
                    )
                group["skills"].append(skill)
            domain["groups"].append(group)
        out["domains"].append(domain)
    return out


def _check_references(document: dict) -> None:
    """Slugs unique across files; roles, levels and domains referenced exist somewhere."""

    def unique(kind, entries):
        seen = set()
        for entry in entries:
            if entry["slug"] in seen:
                raise MatrixFileError(entry["_file"], kind, f"slug {entry['slug']!r} appears twice")
            seen.add(entry["slug"])
        return seen

    level_slugs = unique("levels", document["levels"])
    ranks = [lvl["rank"] for lvl in document["levels"]]
    if len(ranks) != len(set(ranks)):
        raise MatrixFileError(document["levels"][0]["_file"], "levels", "two levels share a rank")
    role_slugs = unique("roles", document["roles"])
    domain_slugs = unique("domains", document["domains"])
    groups = [g for d in document["domains"] for g in d["groups"]]
    unique("groups", [{**g, "_file": d["_file"]} for d in document["domains"] for g in d["groups"]])
    unique(
        "skills",
        [
            {**s, "_file": d["_file"]}
            for d in document["domains"]
            for g in d["groups"]
            for s in g["skills"]
        ],
    )

    level_slugs |= set(Level.objects.values_list("slug", flat=True))
    role_slugs |= set(Role.objects.values_list("slug", flat=True))
    domain_slugs |= set(Domain.objects.values_list("slug", flat=True))

    for i, role in enumerate(document["roles"]):
        if role["domain"] and role["domain"] not in domain_slugs:
            raise MatrixFileError(
                role["_file"],
                f"roles[{i}] ({role['slug']}).domain",
                f"unknown domain {role['domain']!r}",
            )
        for level_slug in role["levels"]:
            if level_slug not in level_slugs:
                raise MatrixFileError(
                    role["_file"],
                    f"roles[{i}] ({role['slug']}).levels",
                    f"unknown level {level_slug!r}",
                )
    for group in groups:
        for skill in group["skills"]:
            cells = set()
            for row in skill["expectations"]:
                if row["role"] not in role_slugs:
                    raise MatrixFileError(
                        row["_file"], f"{row['_where']}.role", f"unknown role {row['role']!r}"
                    )
                if row["level"] not in level_slugs:
                    raise MatrixFileError(
                        row["_file"], f"{row['_where']}.level", f"unknown level {row['level']!r}"
                    )
                cell = (row["role"], row["level"])
                if cell in cells:
                    raise MatrixFileError(
                        row["_file"],
                        row["_where"],
                        f"a second expectation for {cell[0]} at {cell[1]}",
                    )
                cells.add(cell)


def _strip_private(document: dict) -> dict:
    for section in SECTIONS:
        for entry in document[section]:
            entry.pop("_file", None)
    for domain in document["domains"]:
        for group in domain["groups"]:
            for skill in group["skills"]:
                for row in skill["expectations"]:
                    row.pop("_file", None)
                    row.pop("_where", None)
    return document


def check_matrix(data_by_file: list[tuple[str, Any]]) -> dict:
    """Check already-parsed data (one item per file) and merge it into one document."""
    document = {section: [] for section in SECTIONS}
    for file, data in data_by_file:
        checked = _check_file(file, data)
        for section in SECTIONS:
            document[section].extend({**entry, "_file": file} for entry in checked[section])
    _check_references(document)
    return _strip_private(document)


def load_matrix_files(paths: list[Path]) -> dict:
    return check_matrix([(str(path), read_file(path)) for path in paths])
