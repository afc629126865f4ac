from django.conf import settings
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import exports, selectors
from .cache import cache_anonymous_page
from .filters import SkillFilter
from .models import Level, Necessity, Revision, Role, Skill


@require_safe
@cache_anonymous_page
def home(request):
    domains, totals = selectors.home_overview()
    return render(request, "skills/home.html", {"domains": domains, "totals": totals})


@require_safe
@cache_anonymous_page
def skill_catalogue(request):
    filterset = SkillFilter(request.GET, queryset=selectors.skill_catalogue())
    status = 200
    if filterset.is_valid():
        skills = filterset.qs
    else:
        skills, status = Skill.objects.none(), 400
    page = Paginator(skills, settings.SKILLMATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_catalogue_counts(list(page.object_list))
    context = {
        "filter": filterset,
        "page": page,
        "query": filterset.form.cleaned_data.get("q", "") if status == 200 else "",
        "is_filtered": any(request.GET.get(name) for name in filterset.filters),
    }
    return render(request, "skills/skill_list.html", context, status=status)


def position_defaults(request, roles: dict) -> tuple[str, str]:
    """The member's current position (role and level slugs) when this skill has its role.

    `request.current_position` is set by the growth app's middleware; the matrix core asks the
    request for it rather than import the app.
    """
    current_position = getattr(request, "current_position", None)
    position = current_position() if current_position else None
    if position is None or position.role.slug not in roles:
        return "", ""
    return position.role.slug, position.level.slug


@require_safe
@cache_anonymous_page
def skill_detail(request, slug):
    try:
        page = selectors.skill_page(slug=slug)
    except Skill.DoesNotExist:
        raise Http404(_("No skill is called “%(slug)s”.") % {"slug": slug}) from None

    roles = {role.slug: role for role in page.roles}
    levels = {level.slug: level for level in page.levels}
    role_slug, level_slug = request.GET.get("role", ""), request.GET.get("level", "")
    if not role_slug and not level_slug:
        role_slug, level_slug = position_defaults(request, roles)
    selected_role, selected_level = roles.get(role_slug), levels.get(level_slug)
    errors = []
    if role_slug and selected_role is None:
        errors.append(_("This skill has no role “%(slug)s”.") % {"slug": role_slug})
    if level_slug and selected_level is None:
        errors.append(_("There is no level “%(slug)s”.") % {"slug": level_slug})
    next_level, cards = None, []
    if selected_role and selected_level:
        next_level, cards = selectors.skill_promotion_cards(
            page, role=selected_role, level=selected_level
        )
    context = {
        "page": page,
        "skill": page.skill,
        "selected_role": selected_role,
        "selected_level": selected_level,
        "next_level": next_level,
        "cards": cards,
        "errors": errors,
        "necessity_labels": {value: str(label) for value, label in Necessity.choices},
        "optional_note": ngettext(
            "the other %(counter)s is optional",
            "the other %(counter)s are optional",
            page.optional_count,
        )
        % {"counter": page.optional_count},
    }
    # Jinja2: this page is rendered far more than any other (skillmatrix/jinja2.py).
    return render(
        request,
        "skills/skill_detail.html",
        context,
        status=400 if errors else 200,
        using="jinja2",
    )


@require_safe
@cache_anonymous_page
def role_list(request):
    return render(request, "skills/role_list.html", {"roles": selectors.role_list()})


@require_safe
@cache_anonymous_page
def role_detail(request, slug):
    try:
        page = selectors.role_page(slug=slug, page_number=request.GET.get("page"))
    except Role.DoesNotExist:
        raise Http404(_("No role is called “%(slug)s”.") % {"slug": slug}) from None
    return render(request, "skills/role_detail.html", {"page": page, "role": page.role})


EXPORT_TYPES = {
    "csv": ("text/csv; charset=utf-8", exports.role_track_csv),
    "json": ("application/json; charset=utf-8", exports.role_track_json),
    "pdf": ("application/pdf", exports.role_track_pdf),
}


@require_safe
def role_export(request, slug, fmt):
    """The role's whole career track as a file, its labels in the visitor's language."""
    try:
        page = selectors.role_page(slug=slug, paginate=False)
    except Role.DoesNotExist:
        raise Http404(_("No role is called “%(slug)s”.") % {"slug": slug}) from None
    content_type, render_track = EXPORT_TYPES[fmt]
    response = HttpResponse(render_track(page), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slug}-career-track.{fmt}"'
    return response


@require_safe
@cache_anonymous_page
def role_compare(request, slug):
    role = get_object_or_404(Role, slug=slug)
    levels = list(Level.objects.all())
    by_slug = {level.slug: level for level in levels}
    from_slug = request.GET.get("from") or (levels[0].slug if levels else "")
    to_slug = request.GET.get("to") or (levels[1].slug if len(levels) > 1 else "")
    from_level, to_level = by_slug.get(from_slug), by_slug.get(to_slug)
    errors = []
    for value, level in ((from_slug, from_level), (to_slug, to_level)):
        if level is None:
            errors.append(_("There is no level “%(slug)s”.") % {"slug": value})
    if not errors and from_level == to_level:
        errors.append(_("Choose two different levels."))
    comparison = None
    if not errors:
        comparison = selectors.role_comparison(role=role, from_level=from_level, to_level=to_level)
    context = {
        "role": role,
        "levels": levels,
        "from_slug": from_slug,
        "to_slug": to_slug,
        "comparison": comparison,
        "errors": errors,
    }
    return render(request, "skills/role_compare.html", context, status=400 if errors else 200)


@never_cache
@require_safe
def healthz(request):
    """Liveness: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


@require_safe
def skill_history(request, slug):
    skill = get_object_or_404(Skill.objects.select_related("group__domain"), slug=slug)
    page = Paginator(selectors.revision_list(skill=skill), 50).get_page(request.GET.get("page"))
    return render(request, "skills/revision_list.html", {"skill": skill, "page": page})


@require_safe
def revision_detail(request, slug, version):
    skill = get_object_or_404(Skill.objects.select_related("group__domain"), slug=slug)
    try:
        revision, previous, diff = selectors.revision_with_diff(skill=skill, version=version)
    except Revision.DoesNotExist:
        raise Http404(_("This skill has no version %(version)s.") % {"version": version}) from None
    roles = dict(Role.objects.values_list("slug", "name"))
    levels = dict(Level.objects.values_list("slug", "name"))
    for cell in diff.cells:  # a revision may name a role or level deleted since: show its slug
        cell.role_name = roles.get(cell.role, cell.role)
        cell.level_name = levels.get(cell.level, cell.level)
    context = {"skill": skill, "revision": revision, "previous": previous, "diff": diff}
    return render(request, "skills/revision_detail.html", context)
