"""The promotion packet: a gap report with the person's marks and notes, as PDF, Markdown, JSON.

The PDF goes through the role export's layout (`skills.exports.PdfDocument`, Noto Sans SC
embedded). Labels follow the active language; the matrix's texts and the notes are exported as
written (notes as their Markdown source).
"""

from __future__ import annotations

import json

from django.utils import timezone
from django.utils.translation import gettext as _

from skills.exports import PdfDocument

from .models import Mark
from .selectors import GapItem, GapReport


def kind_label(kind: str) -> str:
    return {
        "new": _("New at this level"),
        "required": _("Becomes required"),
        "optional": _("Becomes optional"),
        "changed": _("Deeper expectation"),
        "same": _("Unchanged"),
    }[kind]


def person_name(subject) -> str:
    return str(subject) if subject is not None else ""


def progress_text(report: GapReport) -> str:
    if report.progress_percent is None:
        return _("The target has no required expectations.")
    return _("%(met)d of %(total)d required expectations met (%(percent)d%%)") % {
        "met": report.required_met,
        "total": report.required_total,
        "percent": report.progress_percent,
    }


def _rung(rung) -> dict:
    return {
        "role": rung.role.slug,
        "role_name": rung.role.name,
        "level": rung.level.slug,
        "level_name": rung.level.name,
    }


def _item(item: GapItem, *, with_marks: bool) -> dict:
    exp = item.expectation
    data = {
        "skill": item.skill.slug,
        "skill_name": item.skill.name,
        "domain": item.skill.group.domain.slug,
        "group": item.skill.group.slug,
        "necessity": exp.necessity,
        "description": exp.description,
        "kind": item.kind,
        "from_description": item.source.description if item.source else None,
    }
    if with_marks:
        assessment = item.assessment
        data.update(
            {
                "mark": assessment.mark if assessment else None,
                "note": assessment.note if assessment else "",
                "assessed_at": assessment.assessed_at.isoformat() if assessment else None,
                "changed_since_assessed": item.flag is not None,
                "assessed_description": assessment.assessed_description
                if item.flag is not None
                else None,
                "from_mark": item.source_assessment.mark if item.source_assessment else None,
            }
        )
    return data


def packet_data(report: GapReport, *, subject=None) -> dict:
    """The report as plain data: what the JSON packet holds and the API returns."""
    data = {
        "from": _rung(report.source),
        "to": _rung(report.target),
        "cross_role": report.is_cross_role,
        "with_marks": report.with_marks,
        "progress": {
            "required_met": report.required_met,
            "required_total": report.required_total,
            "percent": report.progress_percent,
        },
        "counts": report.counts,
        "expectations": [_item(item, with_marks=report.with_marks) for item in report.items],
        "exported_at": timezone.now().isoformat(),
    }
    if subject is not None:
        data["person"] = {"username": subject.username, "name": person_name(subject)}
    return data


def packet_json(report: GapReport, *, subject=None) -> str:
    return json.dumps(packet_data(report, subject=subject), ensure_ascii=False, indent=2)


def _title(report: GapReport, subject) -> str:
    if subject is not None:
        return _("Promotion packet: %(name)s") % {"name": person_name(subject)}
    return _("Gap report")


def _route(report: GapReport) -> str:
    return _("From %(source)s to %(target)s") % {
        "source": report.source,
        "target": report.target,
    }


def _mark_label(item: GapItem) -> str:
    return Mark(item.mark).label if item.mark else _("Not assessed")


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())


def packet_markdown(report: GapReport, *, subject=None) -> str:
    out = [f"# {_title(report, subject)}", "", _route(report), ""]
    out += [f"{_('Exported')}: {timezone.localdate().isoformat()}", ""]
    out += [f"**{progress_text(report)}**", ""]
    for group, items in report.groups:
        out += [f"## {group.domain.name} › {group.name}", ""]
        for item in items:
            exp = item.expectation
            out += [f"### {item.skill.name}", ""]
            out += [f"*{exp.get_necessity_display()} · {kind_label(item.kind)}*", ""]
            out += [_quote(exp.description), ""]
            if item.source and item.kind != "same":
                out += [
                    f"- {_('At %(rung)s') % {'rung': report.source}}: {item.source.description}"
                ]
            if report.with_marks:
                out += [f"- {_('Mark')}: **{_mark_label(item)}**"]
                if item.flag is not None:
                    out += [
                        f"- {_('Expectation changed since you assessed it.')} "
                        f"{_('When assessed')}: {item.assessment.assessed_description}"
                    ]
                if item.assessment and item.assessment.note:
                    out += ["", f"{_('Evidence')}:", "", _quote(item.assessment.note)]
            out += [""]
    if not report.items:
        out += [_("The target has no expectations yet."), ""]
    return "\n".join(out)


def packet_pdf(report: GapReport, *, subject=None) -> bytes:
    doc = PdfDocument(title=_title(report, subject))
    doc.title(_title(report, subject))
    doc.muted(_route(report))
    doc.muted(_("Exported") + ": " + timezone.localdate().isoformat())
    doc.line(progress_text(report), size=11, height=6)
    for group, items in report.groups:
        doc.heading(f"{group.domain.name} › {group.name}")
        for item in items:
            exp = item.expectation
            doc.heading(item.skill.name, size=12, space=1)
            doc.necessity(f"{exp.get_necessity_display()} · {kind_label(item.kind)}", exp.necessity)
            doc.line(exp.description)
            if item.source and item.kind != "same":
                doc.line(
                    _("At %(rung)s") % {"rung": report.source} + ": " + item.source.description,
                    colour=doc.MUTED,
                )
            if report.with_marks:
                doc.line(f"{_('Mark')}: {_mark_label(item)}", size=10, height=5)
                if item.flag is not None:
                    doc.line(
                        _("Expectation changed since you assessed it.")
                        + " "
                        + _("When assessed")
                        + ": "
                        + item.assessment.assessed_description,
                        colour=doc.MUTED,
                    )
                if item.assessment and item.assessment.note:
                    doc.line(_("Evidence") + ":", colour=doc.MUTED)
                    doc.line(item.assessment.note)
            doc.space(1)
    if not report.items:
        doc.line(_("The target has no expectations yet."))
    return doc.output()
