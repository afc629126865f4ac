"""My growth: the overview (/me/), marks and notes, gap reports, the packet, share links.

Everything under /me/ acts on the logged-in user's own rows, looked up with `user=request.user`
so that another user's row is a 404. `/me/gap/` also answers visitors (the report without
marks). `/share/<token>/…` shows the owner's growth read-only while the link is not revoked.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.views import safe_next, wants_json
from skillmatrix import permissions
from skills.cache import cache_anonymous_page
from skills.models import Expectation

from . import exports, selectors, services
from .forms import AssessmentForm, PositionForm, QuickMarkForm, ShareLinkForm
from .models import Assessment, Mark, Position, ShareLink

# --- The overview -----------------------------------------------------------------------------


@never_cache
@require_safe
@login_required
def me(request):
    overview = selectors.growth_overview(user=request.user)
    ladder = selectors.Ladder.load()
    from_param, to_param = selectors.default_gap(position=overview.current, ladder=ladder)
    context = {
        "overview": overview,
        "owner": request.user,
        "is_owner": True,
        "ladder": ladder,
        "from_param": from_param,
        "to_param": to_param,
        "gap_url": reverse("growth:gap"),
        "position_form": PositionForm(),
        "share_form": ShareLinkForm(),
        "marks": Mark,
    }
    return render(request, "growth/overview.html", context)


# --- Positions --------------------------------------------------------------------------------


@require_POST
@login_required
def position_add(request):
    form = PositionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("growth:me")
    position = services.position_set(
        user=request.user,
        role=form.cleaned_data["role"],
        level=form.cleaned_data["level"],
        make_current=form.cleaned_data["make_current"],
    )
    messages.success(request, _("Position saved: %(position)s.") % {"position": position})
    return redirect(safe_next(request, reverse("growth:me")))


@require_POST
@login_required
def position_make_current(request, pk):
    position = get_object_or_404(Position, pk=pk, user=request.user)
    services.position_make_current(position=position)
    return redirect("growth:me")


@require_POST
@login_required
def position_remove(request, pk):
    position = get_object_or_404(Position, pk=pk, user=request.user)
    services.position_remove(position=position)
    messages.success(request, _("Position removed."))
    return redirect("growth:me")


# --- Marks and notes --------------------------------------------------------------------------


def _mark_anchor(expectation_pk) -> str:
    return f"#mark-{expectation_pk}"


@require_POST
def mark_set(request):
    """One click on a matrix page sets a mark (a form without JavaScript; JSON with it)."""
    if not permissions.can_assess(request.user):
        if wants_json(request):
            return JsonResponse({"detail": _("Log in to mark expectations.")}, status=403)
        return redirect_to_login(safe_next(request, reverse("growth:me")))
    form = QuickMarkForm(request.POST)
    if not form.is_valid():
        message = form.errors["set"][0]
        if wants_json(request):
            return JsonResponse({"set": [message]}, status=400)
        messages.error(request, message)
        return redirect(safe_next(request, reverse("growth:me")))
    expectation, mark = form.cleaned_data["set"]
    assessment = services.assessment_set(user=request.user, expectation=expectation, mark=mark)
    if wants_json(request):
        return JsonResponse(
            {
                "expectation": expectation.pk,
                "mark": assessment.mark,
                "mark_label": assessment.get_mark_display(),
                "changed": False,
            }
        )
    return HttpResponseRedirect(
        safe_next(request, reverse("growth:me")) + _mark_anchor(expectation.pk)
    )


@never_cache
@login_required
def assessment_edit(request, pk):
    """The user's mark and private note for one expectation, with its change flag."""
    expectation = get_object_or_404(
        Expectation.objects.select_related("skill", "role", "level"), pk=pk
    )
    assessment = selectors.assessment_for(user=request.user, expectation=expectation)
    initial = {"mark": assessment.mark, "note": assessment.note} if assessment else {}
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_set(
                user=request.user,
                expectation=expectation,
                mark=form.cleaned_data["mark"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your mark is saved."))
            return redirect(safe_next(request, reverse("growth:assessment", args=[pk])))
    context = {
        "expectation": expectation,
        "assessment": assessment,
        "flag": selectors.change_flag(assessment, expectation) if assessment else None,
        "form": form,
        "next": safe_next(request, ""),
    }
    return render(
        request, "growth/assessment_form.html", context, status=400 if form.errors else 200
    )


@require_POST
@login_required
def assessment_delete(request, pk):
    assessment = get_object_or_404(Assessment, pk=pk, user=request.user)
    assessment.delete()
    messages.success(request, _("Your mark is removed."))
    return redirect(safe_next(request, reverse("growth:me")))


# --- Gap reports ------------------------------------------------------------------------------


def _gap(request, *, subject, base_url: str, export_url, editable: bool):
    """The gap report page for `subject` (None: without marks); 400 on a bad parameter."""
    ladder = selectors.Ladder.load()
    from_param, to_param = request.GET.get("from", ""), request.GET.get("to", "")
    report, errors = None, []
    try:
        source = ladder.parse(from_param, name="from")
    except selectors.BadPosition as error:
        errors.append(str(error))
    try:
        target = ladder.parse(to_param, name="to")
    except selectors.BadPosition as error:
        errors.append(str(error))
    if not errors:
        report = selectors.gap_report(source=source, target=target, user=subject)
    elif not from_param and not to_param and request.user.is_authenticated and editable:
        position = request.current_position()
        from_param, to_param = selectors.default_gap(position=position, ladder=ladder)
    context = {
        "report": report,
        "errors": errors,
        "ladder": ladder,
        "from_param": from_param,
        "to_param": to_param,
        "gap_url": base_url,
        "export_urls": {fmt: f"{export_url(fmt)}?{request.GET.urlencode()}" for fmt in EXPORTS},
        "editable": editable,
        "subject": subject,
        "mark_choices": Mark.choices,
    }
    return render(request, "growth/gap_report.html", context, status=400 if errors else 200)


@require_safe
@cache_anonymous_page
def gap(request):
    subject = request.user if permissions.can_assess(request.user) else None
    response = _gap(
        request,
        subject=subject,
        base_url=reverse("growth:gap"),
        export_url=lambda fmt: reverse("growth:gap_export", args=[fmt]),
        editable=subject is not None,
    )
    if subject is not None:
        response["Cache-Control"] = "private, no-store"
    return response


EXPORTS = {
    "pdf": ("application/pdf", exports.packet_pdf),
    "md": ("text/markdown; charset=utf-8", exports.packet_markdown),
    "json": ("application/json; charset=utf-8", exports.packet_json),
}


def _gap_export(request, *, subject, fmt: str):
    ladder = selectors.Ladder.load()
    try:
        source = ladder.parse(request.GET.get("from"), name="from")
        target = ladder.parse(request.GET.get("to"), name="to")
    except selectors.BadPosition as error:
        if fmt == "json":
            return JsonResponse({"detail": str(error)}, status=400)
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    report = selectors.gap_report(source=source, target=target, user=subject)
    content_type, render_packet = EXPORTS[fmt]
    response = HttpResponse(render_packet(report, subject=subject), content_type=content_type)
    name = f"gap-{source.role.slug}-{source.level.slug}-to-{target.role.slug}-{target.level.slug}"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def gap_export(request, fmt):
    subject = request.user if permissions.can_assess(request.user) else None
    return _gap_export(request, subject=subject, fmt=fmt)


# --- Share links ------------------------------------------------------------------------------


@require_POST
@login_required
def share_create(request):
    form = ShareLinkForm(request.POST)
    if form.is_valid():
        link = services.share_link_create(user=request.user, label=form.cleaned_data["label"])
        messages.success(
            request, _("Share link created. Anyone with it can read your marks and notes.")
        )
        return redirect(reverse("growth:me") + f"#share-{link.pk}")
    messages.error(request, _("The label has at most 100 characters."))
    return redirect("growth:me")


@require_POST
@login_required
def share_revoke(request, pk):
    link = get_object_or_404(ShareLink, pk=pk, user=request.user)
    services.share_link_revoke(link=link)
    messages.success(request, _("Share link revoked: it no longer opens anything."))
    return redirect(reverse("growth:me") + "#share-links")


def _shared_owner(token: str):
    link = selectors.share_link_by_token(token=token)
    if link is None or not permissions.can_follow_share_link(link):
        raise Http404(_("This share link does not exist or has been revoked."))
    return link.user


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_safe
def shared(request, token):
    owner = _shared_owner(token)
    overview = selectors.growth_overview(user=owner, with_share_links=False)
    ladder = selectors.Ladder.load()
    from_param, to_param = selectors.default_gap(position=overview.current, ladder=ladder)
    context = {
        "overview": overview,
        "owner": owner,
        "is_owner": False,
        "ladder": ladder,
        "from_param": from_param,
        "to_param": to_param,
        "gap_url": reverse("growth:shared_gap", args=[token]),
        "marks": Mark,
    }
    return _private(render(request, "growth/overview.html", context))


@require_safe
def shared_gap(request, token):
    owner = _shared_owner(token)
    response = _gap(
        request,
        subject=owner,
        base_url=reverse("growth:shared_gap", args=[token]),
        export_url=lambda fmt: reverse("growth:shared_gap_export", args=[token, fmt]),
        editable=False,
    )
    return _private(response)


@require_safe
def shared_gap_export(request, token, fmt):
    return _private(_gap_export(request, subject=_shared_owner(token), fmt=fmt))
