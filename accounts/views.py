from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from skillmatrix import permissions
from skills.models import Skill

from . import selectors, services
from .forms import ProfileForm
from .models import User


def safe_next(request, fallback: str) -> str:
    """The `next` parameter when it points at our own host, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- Profiles -------------------------------------------------------------------------------


@require_safe
def user_detail(request, username):
    try:
        profile_user = selectors.user_profile(username=username)
    except User.DoesNotExist:
        raise Http404(_("There is no user called “%(name)s”.") % {"name": username}) from None
    context = {
        "profile_user": profile_user,
        "is_own_profile": permissions.can_edit_profile(request.user, profile_user),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
def profile_settings(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:settings")
        if form.cleaned_data["preferred_language"]:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["preferred_language"],
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
            )
        return response
    status = 400 if form.errors else 200
    return render(request, "accounts/user_settings.html", {"form": form}, status=status)


# --- Watching -------------------------------------------------------------------------------


def _watch_response(request, skill):
    if wants_json(request):
        count = selectors.watcher_count(skill=skill)
        return JsonResponse(
            {
                "watching": selectors.is_watching(user=request.user, skill=skill),
                "watchers": count,
                "watchers_text": ngettext("%(count)s watcher", "%(count)s watchers", count)
                % {"count": count},
            }
        )
    return HttpResponseRedirect(safe_next(request, f"{skill.get_absolute_url()}#community"))


@require_POST
def skill_watch(request, slug):
    skill = get_object_or_404(Skill, slug=slug)
    if not permissions.can_watch(request.user):
        return _login_first(request, skill)
    services.watch_create(user=request.user, skill=skill)
    return _watch_response(request, skill)


@require_POST
def skill_unwatch(request, slug):
    skill = get_object_or_404(Skill, slug=slug)
    if not permissions.can_watch(request.user):
        return _login_first(request, skill)
    services.watch_delete(user=request.user, skill=skill)
    return _watch_response(request, skill)


def _login_first(request, skill):
    if wants_json(request):
        return JsonResponse({"detail": _("Log in to watch skills.")}, status=403)
    return redirect_to_login(skill.get_absolute_url())


@login_required
@require_safe
def watchlist(request):
    page = Paginator(selectors.watch_queryset(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    entries = selectors.watchlist(user=request.user, watches=list(page.object_list))
    return render(request, "accounts/watch_list.html", {"page": page, "entries": entries})


@login_required
@require_POST
def watchlist_seen(request):
    """Mark one watched skill (`skill=<slug>`) or all of them as seen."""
    slug = request.POST.get("skill")
    skill = get_object_or_404(Skill, slug=slug) if slug else None
    services.watch_mark_seen(user=request.user, skill=skill)
    return redirect("accounts:watchlist")


# --- Notifications --------------------------------------------------------------------------


@login_required
@require_safe
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one of your notifications read, then go to `next` (on this site) or the list.

    Another user's notification is a 404: whether it exists is not revealed.
    """
    notification = get_object_or_404(request.user.notifications, pk=pk)
    services.notification_mark_read(user=request.user, notification_id=notification.pk)
    if wants_json(request):
        return JsonResponse({"id": notification.pk, "read": True})
    return HttpResponseRedirect(safe_next(request, "/notifications/"))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notification_mark_read(user=request.user)
    if wants_json(request):
        return JsonResponse({"marked_read": count})
    messages.success(request, _("All notifications are marked read."))
    return redirect("accounts:notifications")
