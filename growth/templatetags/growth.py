"""The parts of "my growth" that the matrix pages show: `{% load growth %}`.

- `{% assessment_controls expectation %}` — the member's one-click marks for an expectation
  (add `compact=True` in the role matrix); nothing for visitors, so their pages stay cacheable;
- `{% growth_marks_form %}` — once per page that has controls: the form they submit and the
  script that submits it in place;
- `{% position_banner role %}` — on a role page, where the member stands on it;
- `{% growth_nav_link %}` — the header's link to /me/.

The member's marks are read once per request (one query), however many controls a page has.
"""

from django import template

from skillmatrix import permissions

from .. import selectors
from ..models import Mark

register = template.Library()


def _marks(request):
    marks = getattr(request, "_growth_marks", None)
    if marks is None:
        marks = request._growth_marks = selectors.user_marks(user=request.user)
    return marks


@register.inclusion_tag("growth/_mark_controls.html", takes_context=True)
def assessment_controls(context, expectation, compact=False, anchor=True):
    request = context.get("request")
    if request is None or not permissions.can_assess(request.user):
        return {"show": False}
    cell = _marks(request).get((expectation.skill_id, expectation.role_id, expectation.level_id))
    return {
        "show": True,
        "expectation": expectation,
        "mark": cell.mark if cell else "",
        "has_note": bool(cell and cell.has_note),
        "changed": bool(cell and cell.changed_for(expectation)),
        "compact": compact,
        "anchor": anchor,
        "choices": Mark.choices,
        "next": request.get_full_path(),
    }


@register.inclusion_tag("growth/_marks_form.html", takes_context=True)
def growth_marks_form(context):
    request = context.get("request")
    return {
        "show": request is not None and permissions.can_assess(request.user),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("growth/_position_banner.html", takes_context=True)
def position_banner(context, role):
    request = context.get("request")
    if request is None or not permissions.can_assess(request.user):
        return {"show": False}
    position = request.current_position()
    ladder_levels = context.get("page").levels if context.get("page") else []
    target = None
    if position is not None and position.role_id == role.pk:
        later = [lvl for lvl in ladder_levels if lvl.rank > position.level.rank]
        target = later[0] if later else position.level
    return {
        "show": True,
        "position": position,
        "role": role,
        "target": target,
        "levels": ladder_levels,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("growth/_nav_link.html", takes_context=True)
def growth_nav_link(context):
    request = context.get("request")
    return {"request": request, "show": request is not None and request.user.is_authenticated}
