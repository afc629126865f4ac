"""The community parts that other apps' pages show: `{% load community %}`.

- `{% community_block skill %}` — the skill page's community section (PRODUCT.md §3 item 4);
- `{% user_activity profile_user %}` — a profile's comments and proposals;
- `comment|editable_by:user`, `comment|deletable_by:user` — the permission rules, for templates.
"""

from django import template

from skillmatrix import permissions

from .. import selectors
from ..forms import CommentForm

register = template.Library()


@register.inclusion_tag("proposals/_community_block.html", takes_context=True)
def community_block(context, skill):
    request = context["request"]
    user = request.user
    community = selectors.skill_community(
        skill=skill, user=user, comments_page=request.GET.get("comments")
    )
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "skill": skill,
        "watching": community.watching,
        "watcher_count": community.watcher_count,
        "can_watch": permissions.can_watch(user),
        "can_suggest_edit": permissions.can_suggest_edit(user),
        "open_proposals": selectors.skill_open_proposals(skill=skill),
        "page": community.comments,
        "form": CommentForm(),
        "on_skill_page": True,
    }


@register.inclusion_tag("proposals/_user_activity.html", takes_context=True)
def user_activity(context, profile_user):
    comments = selectors.user_comments(user=profile_user)
    return {
        "profile_user": profile_user,
        "comments": comments,
        "comment_count": selectors.user_comment_count(user=profile_user),
        "proposals": [],
        "proposal_count": 0,
        "request": context.get("request"),
    }


@register.filter
def editable_by(comment, user):
    return permissions.can_edit_comment(user, comment)


@register.filter
def deletable_by(comment, user):
    return permissions.can_delete_comment(user, comment)
