from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Watch
from skillmatrix import permissions
from skills import services as skill_services
from skills.models import Level, Role, Skill

from . import selectors, services
from .filters import ProposalFilter
from .forms import CommentForm, MatrixForm, RejectForm, RequestChangesForm
from .models import Comment, Proposal, ProposalStatus


def _skill_comments_url(comment: Comment) -> str:
    """The skill page, showing the page of comments on which `comment` is (or, for a comment
    on a proposal, the proposal's page)."""
    if comment.proposal_id:
        return comment.get_absolute_url()
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
    comments = Comment.objects.select_related("skill", "proposal__skill", "author")
    comment = get_object_or_404(comments, pk=pk)
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


# --- Proposals --------------------------------------------------------------------------------


def _add_service_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _matrix_context(*, skill: Skill, form: MatrixForm, state: dict, focus=None) -> dict:
    preview = None
    if form.is_bound and form.is_valid():
        changes, summary = form.change_set
        ranks = {level.slug: level.rank for level in form.levels}
        after = skill_services.snapshot_apply(
            snapshot=state, changes=changes, summary=summary, level_ranks=ranks
        )
        watchers = Watch.objects.filter(skill=skill).count()
        preview = selectors.change_view(before=state, after=after, watcher_count=watchers)
    return {
        "skill": skill,
        "form": form,
        "sections": form.cell_sections(focus=focus),
        "preview": preview,
    }


def _matrix_form(request, *, skill: Skill, state: dict, version: int, **kwargs) -> MatrixForm:
    return MatrixForm(
        request.POST if request.method == "POST" else None,
        state=state,
        roles=Role.objects.only("slug", "name").order_by("name"),
        levels=Level.objects.all(),
        initial={"base_version": version, **kwargs.pop("initial", {})},
        **kwargs,
    )


def _posted_base(request, skill: Skill) -> tuple[int, dict] | None:
    """The version a posted form was made from, and the skill's state then."""
    try:
        version = int(request.POST.get("base_version", ""))
    except ValueError:
        return None
    if not 1 <= version <= skill.version:
        return None
    state = skill_services.skill_state_at(skill=skill, version=version)
    return (version, state) if state is not None else None


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_create(request, slug):
    """Suggest an edit: the skill's whole matrix as a form, a preview, then the proposal.

    `?role=&level=` starts from that row: it comes first, ready to edit (or, when the skill
    has no such cell yet, the first of the rows to add is set to it).
    """
    skill = get_object_or_404(Skill.objects.select_related("group__domain"), slug=slug)
    if not permissions.can_propose(request.user):
        return redirect_to_login(request.get_full_path())
    errors, focus, new_rows, status = [], None, [], 200
    role_slug, level_slug = request.GET.get("role", ""), request.GET.get("level", "")
    if role_slug or level_slug:
        role = Role.objects.filter(slug=role_slug).first() if role_slug else None
        level = Level.objects.filter(slug=level_slug).first() if level_slug else None
        if role is None:
            errors.append(_("There is no role “%(slug)s”.") % {"slug": role_slug})
        if level is None:
            errors.append(_("There is no level “%(slug)s”.") % {"slug": level_slug})
        if role and level:
            focus = (role.slug, level.slug)
    version, state = skill.version, None
    if request.method == "POST":
        posted = _posted_base(request, skill)
        if posted is None:
            errors.append(_("This form is out of date: the skill has changed. Start again."))
            status = 409
        else:
            version, state = posted
    if state is None:
        version, state = skill.version, skill_services.skill_snapshot(skill=skill)
    if focus and focus not in {(r["role"], r["level"]) for r in state["expectations"]}:
        new_rows = [{"role": focus[0], "level": focus[1]}]
    form = _matrix_form(request, skill=skill, state=state, version=version, new_rows=new_rows)
    if status == 409:  # start again from the skill as it is now
        form.data, form.is_bound = {}, False
    elif request.method == "POST":
        if form.is_valid() and request.POST.get("action") == "submit":
            changes, summary = form.change_set
            try:
                proposal = services.proposal_create(
                    author=request.user,
                    skill=skill,
                    base_version=version,
                    changes=changes,
                    summary=summary,
                    rationale=form.cleaned_data["rationale"],
                )
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Thank you: your proposal is open for review."))
                return HttpResponseRedirect(proposal.get_absolute_url())
        if not form.is_valid():
            status = 400
    elif errors:
        status = 400
    context = _matrix_context(skill=skill, form=form, state=state, focus=focus)
    context.update({"errors": errors, "focus": focus, "proposal": None, "version": version})
    return render(request, "proposals/proposal_form.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_edit(request, pk):
    """The author edits their open proposal, starting from the skill as it is now (so that an
    edit also brings a stale proposal up to date)."""
    proposal = get_object_or_404(Proposal.objects.select_related("skill__group__domain"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_edit_proposal(request.user, proposal):
        raise PermissionDenied(_("Only its author can edit this proposal, while it is open."))
    skill = proposal.skill
    version, state = skill.version, skill_services.skill_snapshot(skill=skill)
    status, errors = 200, []
    if request.method == "POST":
        posted = _posted_base(request, skill)
        if posted is None:
            errors.append(_("This form is out of date: the skill has changed. Start again."))
            status = 409
        else:
            version, state = posted
    ranks = dict(Level.objects.values_list("slug", "rank"))
    shown = skill_services.snapshot_apply(
        snapshot=state, changes=proposal.changes, summary=proposal.summary, level_ranks=ranks
    )
    present = {(r["role"], r["level"]) for r in state["expectations"]}
    new_rows = [
        change
        for change in proposal.changes
        if not change.get("delete") and (change["role"], change["level"]) not in present
    ]
    form = _matrix_form(
        request,
        skill=skill,
        state=state,
        version=version,
        initial_state=shown,
        new_rows=new_rows,
        initial={"rationale": proposal.rationale},
    )
    if status == 409:
        form.data, form.is_bound = {}, False
    elif request.method == "POST":
        if form.is_valid() and request.POST.get("action") == "submit":
            changes, summary = form.change_set
            try:
                services.proposal_edit(
                    proposal=proposal,
                    by=request.user,
                    base_version=version,
                    changes=changes,
                    summary=summary,
                    rationale=form.cleaned_data["rationale"],
                )
            except services.AlreadyDecided as error:
                messages.error(request, str(error))
                return HttpResponseRedirect(proposal.get_absolute_url())
            except ValidationError as error:
                _add_service_error(form, error)
            else:
                messages.success(request, _("Your proposal is updated."))
                return HttpResponseRedirect(proposal.get_absolute_url())
        if not form.is_valid():
            status = 400
    context = _matrix_context(skill=skill, form=form, state=state)
    context.update({"errors": errors, "focus": None, "proposal": proposal, "version": version})
    return render(request, "proposals/proposal_form.html", context, status=status)


def _list_page(request, queryset, *, per_page=50):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


@require_safe
def proposal_list(request):
    filterset = ProposalFilter(request.GET, queryset=selectors.proposal_list())
    status = 200
    if filterset.is_valid():
        proposals = filterset.qs
    else:
        proposals, status = Proposal.objects.none(), 400
    context = {
        "filter": filterset,
        "page": _list_page(request, proposals),
        "statuses": ProposalStatus.choices,
        "is_filtered": any(request.GET.get(name) for name in filterset.filters),
    }
    return render(request, "proposals/proposal_list.html", context, status=status)


@require_safe
def review_queue(request):
    """The reviewers' queue: open proposals, oldest first."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_review(request.user):
        raise PermissionDenied(_("The review queue is for reviewers."))
    page = _list_page(request, selectors.review_queue())
    return render(request, "proposals/review_queue.html", {"page": page})


def _detail(request, pk, *, status=200, **forms_):
    try:
        page = selectors.proposal_page(pk=pk)
    except Proposal.DoesNotExist:
        raise Http404(_("There is no proposal #%(id)s.") % {"id": pk}) from None
    proposal, user = page.proposal, request.user
    context = {
        "page": page,
        "proposal": proposal,
        "skill": proposal.skill,
        "can_edit": permissions.can_edit_proposal(user, proposal),
        "can_withdraw": permissions.can_withdraw_proposal(user, proposal),
        "can_decide": permissions.can_decide_proposal(user, proposal),
        "is_own_as_reviewer": permissions.can_review(user)
        and proposal.is_open
        and not permissions.can_decide_proposal(user, proposal),
        "reject_form": forms_.get("reject_form") or RejectForm(),
        "changes_form": forms_.get("changes_form") or RequestChangesForm(),
        "form": forms_.get("comment_form") or CommentForm(),
        "conflict": forms_.get("conflict"),
    }
    return render(request, "proposals/proposal_detail.html", context, status=status)


@require_safe
def proposal_detail(request, pk):
    return _detail(request, pk)


def _proposal_for_post(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("skill", "author"), pk=pk)
    if not request.user.is_authenticated:
        return proposal, redirect_to_login(proposal.get_absolute_url())
    return proposal, None


@require_POST
def proposal_approve(request, pk):
    proposal, login = _proposal_for_post(request, pk)
    if login:
        return login
    try:
        revision = services.proposal_approve(proposal=proposal, by=request.user)
    except services.AlreadyDecided as error:
        messages.error(request, str(error))
        return HttpResponseRedirect(proposal.get_absolute_url())
    except skill_services.ChangeConflict as conflict:
        context = {
            "proposal": proposal,
            "skill": proposal.skill,
            "conflict": conflict,
            "cells": selectors.conflict_view(cells=conflict.cells),
        }
        return render(request, "proposals/proposal_conflict.html", context, status=409)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(proposal.get_absolute_url())
    messages.success(
        request,
        _("Approved: %(skill)s is now at version %(version)s.")
        % {"skill": proposal.skill.name, "version": revision.version},
    )
    return HttpResponseRedirect(proposal.get_absolute_url())


def _review_decision(request, pk, *, form_class, form_name, act, success):
    """A reviewer's form-backed action on a proposal (reject, request changes).

    `act(proposal, data)` calls the service. A decided proposal is a message, a refused value a
    form error (400); an invalid form from someone who may not review is refused outright.
    """
    proposal, login = _proposal_for_post(request, pk)
    if login:
        return login
    form = form_class(request.POST)
    if form.is_valid():
        try:
            act(proposal, form.cleaned_data)
        except services.AlreadyDecided as error:
            messages.error(request, str(error))
        except ValidationError as error:
            _add_service_error(form, error)
            return _detail(request, pk, status=400, **{form_name: form})
        else:
            messages.success(request, success)
        return HttpResponseRedirect(proposal.get_absolute_url())
    if not permissions.can_review(request.user):
        raise PermissionDenied(_("Only reviewers decide proposals."))
    return _detail(request, pk, status=400, **{form_name: form})


@require_POST
def proposal_reject(request, pk):
    return _review_decision(
        request,
        pk,
        form_class=RejectForm,
        form_name="reject_form",
        act=lambda proposal, data: services.proposal_reject(
            proposal=proposal, by=request.user, reason=data["reason"], note=data["note"]
        ),
        success=_("The proposal is rejected; its author is notified."),
    )


@require_POST
def proposal_request_changes(request, pk):
    return _review_decision(
        request,
        pk,
        form_class=RequestChangesForm,
        form_name="changes_form",
        act=lambda proposal, data: services.proposal_request_changes(
            proposal=proposal, by=request.user, message=data["message"]
        ),
        success=_("Your request for changes is sent to the author."),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def proposal_withdraw(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("skill", "author"), pk=pk)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_withdraw_proposal(request.user, proposal):
        raise PermissionDenied(_("Only its author can withdraw this proposal, while it is open."))
    if request.method == "POST":
        try:
            services.proposal_withdraw(proposal=proposal, by=request.user)
        except services.AlreadyDecided as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your proposal is withdrawn."))
        return HttpResponseRedirect(proposal.get_absolute_url())
    return render(request, "proposals/proposal_confirm_withdraw.html", {"proposal": proposal})


@require_POST
def proposal_comment(request, pk):
    proposal, login = _proposal_for_post(request, pk)
    if login:
        return login
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.proposal_comment_create(
                author=request.user, proposal=proposal, body=form.cleaned_data["body"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(comment.get_absolute_url())
    return _detail(request, pk, status=400, comment_form=form)


@require_POST
def revision_revert(request, slug, version):
    """A reviewer restores an earlier revision of a skill (a new revision)."""
    skill = get_object_or_404(Skill, slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("skills:revision_detail", args=[slug, version]))
    if not permissions.can_revert(request.user):
        raise PermissionDenied(_("Only reviewers restore earlier versions."))
    try:
        revision = services.revision_restore(skill=skill, version=version, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(reverse("skills:history", args=[slug]))
    messages.success(
        request,
        _("Version %(old)s is restored, as version %(new)s.")
        % {"old": version, "new": revision.version},
    )
    return HttpResponseRedirect(revision.get_absolute_url())
