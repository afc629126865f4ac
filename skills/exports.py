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


class PdfDocument:
    """An A4 document in Noto Sans SC, written top to bottom: the layout of every PDF export.

    The font is embedded, so Chinese labels and content render in every reader, and all of it
    is text (searchable, copyable), never a picture.
    """

    MUTED = (90, 100, 120)
    BLACK = (0, 0, 0)
    NECESSITY_COLOURS = {Necessity.REQUIRED: (161, 51, 15), Necessity.OPTIONAL: (45, 95, 58)}

    def __init__(self, *, title: str):
        from fpdf import FPDF
        from fpdf.enums import XPos, YPos

        self.pdf = pdf = FPDF(format="A4")
        pdf.set_title(title)
        pdf.set_creator("SkillMatrix")
        pdf.add_font("Noto", fname=str(pdf_font_path()))
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.set_margins(15, 15, 15)
        pdf.add_page()
        self.width = pdf.epw
        self._newline = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT, "align": "L"}

    def line(self, text: str, *, size: float = 9, height: float = 4.5, colour=None) -> None:
        """A paragraph of `text`, wrapped to the page width."""
        self.pdf.set_font("Noto", size=size)
        if colour:
            self.pdf.set_text_color(*colour)
        self.pdf.multi_cell(self.width, height, text, **self._newline)
        if colour:
            self.pdf.set_text_color(*self.BLACK)

    def title(self, text: str) -> None:
        self.line(text, size=20, height=10)

    def heading(self, text: str, *, size: float = 14, space: float = 3) -> None:
        self.space(space)
        self.line(text, size=size, height={14: 8, 12: 7}.get(size, 6))

    def muted(self, text: str, *, size: float = 10, height: float = 5) -> None:
        self.line(text, size=size, height=height, colour=self.MUTED)

    def necessity(self, text: str, necessity: str) -> None:
        """A label line in the colour of a necessity (as on the pages' badges)."""
        self.line(text, colour=self.NECESSITY_COLOURS.get(necessity, self.BLACK))

    def space(self, height: float) -> None:
        self.pdf.ln(height)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def role_track_pdf(page: RolePage) -> bytes:
    doc = PdfDocument(title=_("%(role)s — career track") % {"role": page.role.name})
    doc.title(page.role.name)
    doc.muted(_("Career track") + " · " + timezone.localdate().isoformat())
    if page.role.description:
        doc.muted(page.role.description)
    counts = "   ".join(
        f"{label}: {value}"
        for label, value in [
            (_("Skills"), page.skill_count),
            (pgettext("count", "Levels"), page.level_count),
            (pgettext("count", "Required"), page.required_count),
            (_("All expectations"), page.expectation_count),
        ]
    )
    doc.muted(counts, height=6)

    doc.heading(_("Focus and technology stack by level"))
    for level, role_level in page.role_levels:
        doc.line(level.name, size=11, height=6)
        if role_level:
            doc.line(role_level.focus)
            if role_level.stack:
                doc.line(", ".join(role_level.stack), colour=doc.MUTED)
        doc.space(1)

    current_group = None
    current_skill = None
    for domain, group, skill, level, cell in track_rows(page):
        if group != current_group:
            current_group = group
            doc.heading(f"{domain.name} › {group.name}")
        if skill != current_skill:
            current_skill = skill
            doc.heading(skill.name, size=12, space=1)
        doc.necessity(f"{level.name} · {cell.get_necessity_display()}", cell.necessity)
        doc.line(cell.description)
        doc.space(1)
    return doc.output()
