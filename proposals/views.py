from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from skillmatrix import permissions
from skills.models import Skill

from . import selectors, services
from .forms import CommentForm
from .models import Comment


def _skill_comments_url(comment: Comment) -> str:
    """The skill page, showing the page of comments on which `comment` is."""
    page = selectors.comment_page_number(comment=comment)
    return f"{comment.skill.get_absolute_url()}?comments={page}#comment-{comment.pk}"


@require_http_methods(["GET", "HEAD", "POST"])
def skill_comments(request, slug):
    """A skill's comments, a page at a time (`?page=`), and the form that adds one.

    The skill page shows the last page itself; this page is the plain-link fallback and, with
    `?fragment=1`, the piece of HTML that the page's script loads in place.
    """
    skill = get_object_or_404(Skill.objects.select_related("group__domain"), slug=slug)
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not permissions.can_comment(request.user):
            return redirect_to_login(f"{skill.get_absolute_url()}#comments")
        if form.is_valid():
            try:
                comment = services.comment_create(
                    author=request.user, skill=skill, body=form.cleaned_data["body"]
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return HttpResponseRedirect(_skill_comments_url(comment))
        status = 400
    page = selectors.comment_page(skill=skill, page=request.GET.get("page"))
    context = {"skill": skill, "page": page, "form": form}
    if request.GET.get("fragment"):
        return render(request, "proposals/_comment_list.html", context, status=status)
    return render(request, "proposals/comment_list.html", context, status=status)


def _comment_for(request, pk, rule):
    comment = get_object_or_404(Comment.objects.select_related("skill", "author"), pk=pk)
    if not request.user.is_authenticated:
        return comment, redirect_to_login(request.get_full_path())
    if not rule(request.user, comment):
        raise PermissionDenied(_("You cannot change this comment."))
    return comment, None


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request, pk):
    comment, login = _comment_for(request, pk, permissions.can_edit_comment)
    if login:
        return login
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(comment=comment, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(_skill_comments_url(comment))
    status = 400 if form.errors else 200
    return render(
        request, "proposals/comment_edit.html", {"comment": comment, "form": form}, status=status
    )


@require_http_methods(["GET", "HEAD", "POST"])
def comment_delete(request, pk):
    comment, login = _comment_for(request, pk, permissions.can_delete_comment)
    if login:
        return login
    if request.method == "POST":
        services.comment_delete(comment=comment, by=request.user)
        return HttpResponseRedirect(_skill_comments_url(comment))
    return render(request, "proposals/comment_confirm_delete.html", {"comment": comment})
