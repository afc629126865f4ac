"""A role's whole career track as CSV, JSON or PDF: every expectation's full text.

Interface labels follow the active language; the matrix's own texts are exported as written.
The PDF embeds Noto Sans SC (from the `pylopdf-fonts-zh-cn` package), so Chinese labels and
any Chinese content render in every PDF reader.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Necessity
from .selectors import RolePage

FONT_FALLBACKS = [
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
]


def track_rows(page: RolePage):
    """(domain, group, skill, level, expectation) for every expectation, in matrix order."""
    for group, rows in page.groups:
        for row in rows:
            for level, cell in zip(page.levels, row.cells, strict=True):
                if cell is not None:
                    yield group.domain, group, row.skill, level, cell


def role_track_csv(page: RolePage) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # a BOM, so that spreadsheet programs read UTF-8 (and Chinese) right
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Role"),
            _("Domain"),
            _("Group"),
            _("Skill"),
            _("Level"),
            _("Necessity"),
            _("Description"),
        ]
    )
    for domain, group, skill, level, cell in track_rows(page):
        writer.writerow(
            [
                page.role.name,
                domain.name,
                group.name,
                skill.name,
                level.name,
                cell.get_necessity_display(),
                cell.description,
            ]
        )
    return out.getvalue()


def role_track_data(page: RolePage) -> dict:
    skills = []
    for group, rows in page.groups:
        for row in rows:
            skills.append(
                {
                    "slug": row.skill.slug,
                    "name": row.skill.name,
                    "domain": group.domain.slug,
                    "group": group.slug,
                    "expectations": [
                        {
                            "level": level.slug,
                            "necessity": cell.necessity,
                            "description": cell.description,
                        }
                        for level, cell in zip(page.levels, row.cells, strict=True)
                        if cell
                    ],
                }
            )
    return {
        "role": {
            "slug": page.role.slug,
            "name": page.role.name,
            "description": page.role.description,
        },
        "levels": [
            {
                "slug": level.slug,
                "name": level.name,
                "rank": level.rank,
                "focus": role_level.focus if role_level else "",
                "stack": list(role_level.stack) if role_level else [],
            }
            for level, role_level in page.role_levels
        ],
        "counts": {
            "skills": page.skill_count,
            "expectations": page.expectation_count,
            "required": page.required_count,
        },
        "skills": skills,
        "exported_at": timezone.now().isoformat(),
    }


def role_track_json(page: RolePage) -> str:
    return json.dumps(role_track_data(page), ensure_ascii=False, indent=2)


def pdf_font_path() -> Path:
    try:
        font = resources.files("pylopdf_fonts_zh_cn") / "NotoSansSC-Regular.otf"
        if font.is_file():
            return Path(str(font))
    except ModuleNotFoundError:  # pragma: no cover - the package is a declared dependency
        pass
    for candidate in FONT_FALLBACKS:  # pragma: no cover
        if candidate.exists():
            return candidate
    raise RuntimeError("No CJK font for PDF exports: install pylopdf-fonts-zh-cn")


def role_track_pdf(page: RolePage) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_title(_("%(role)s — career track") % {"role": page.role.name})
    pdf.set_creator("SkillMatrix")
    pdf.add_font("Noto", fname=str(pdf_font_path()))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()
    width = pdf.epw
    newline = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT, "align": "L"}

    pdf.set_font("Noto", size=20)
    pdf.multi_cell(width, 10, page.role.name, **newline)
    pdf.set_font("Noto", size=10)
    pdf.set_text_color(90, 100, 120)
    pdf.multi_cell(
        width, 5, _("Career track") + " · " + timezone.localdate().isoformat(), **newline
    )
    if page.role.description:
        pdf.multi_cell(width, 5, page.role.description, **newline)
    counts = "   ".join(
        f"{label}: {value}"
        for label, value in [
            (_("Skills"), page.skill_count),
            (pgettext("count", "Levels"), page.level_count),
            (pgettext("count", "Required"), page.required_count),
            (_("All expectations"), page.expectation_count),
        ]
    )
    pdf.multi_cell(width, 6, counts, **newline)
    pdf.set_text_color(0, 0, 0)

    pdf.ln(3)
    pdf.set_font("Noto", size=14)
    pdf.multi_cell(width, 8, _("Focus and technology stack by level"), **newline)
    for level, role_level in page.role_levels:
        pdf.set_font("Noto", size=11)
        pdf.multi_cell(width, 6, level.name, **newline)
        pdf.set_font("Noto", size=9)
        if role_level:
            pdf.multi_cell(width, 4.5, role_level.focus, **newline)
            if role_level.stack:
                pdf.set_text_color(90, 100, 120)
                pdf.multi_cell(width, 4.5, ", ".join(role_level.stack), **newline)
                pdf.set_text_color(0, 0, 0)
        pdf.ln(1)

    current_group = None
    current_skill = None
    for domain, group, skill, level, cell in track_rows(page):
        if group != current_group:
            current_group = group
            pdf.ln(3)
            pdf.set_font("Noto", size=14)
            pdf.multi_cell(width, 8, f"{domain.name} › {group.name}", **newline)
        if skill != current_skill:
            current_skill = skill
            pdf.ln(1)
            pdf.set_font("Noto", size=12)
            pdf.multi_cell(width, 7, skill.name, **newline)
        pdf.set_font("Noto", size=9)
        label = cell.get_necessity_display()
        if cell.necessity == Necessity.REQUIRED:
            pdf.set_text_color(161, 51, 15)
        else:
            pdf.set_text_color(45, 95, 58)
        pdf.multi_cell(width, 4.5, f"{level.name} · {label}", **newline)
        pdf.set_text_color(0, 0, 0)
        pdf.multi_cell(width, 4.5, cell.description, **newline)
        pdf.ln(1)
    return bytes(pdf.output())
