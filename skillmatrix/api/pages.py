"""The page where a logged-in user makes and revokes API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ApiTokenForm
from .selectors import api_token_list
from .services import api_token_create, api_token_revoke


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_list(request):
    """The user's tokens; a POST makes one and shows its key on this one answer only."""
    form = ApiTokenForm(request.POST or None)
    new_token = new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                new_token, new_key = api_token_create(
                    user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
        if new_key is None:
            status = 400
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": api_token_list(user=request.user),
        "new_token": new_token,
        "new_key": new_key,
    }
    response = render(request, "api/apitoken_list.html", context, status=status)
    add_never_cache_headers(response)  # the key must not stay in any cache
    return response


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
