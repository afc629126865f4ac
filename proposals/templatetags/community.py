"""The community parts that other apps' pages show: `{% load community %}`.

- `{% user_activity profile_user %}` — a profile's comments and proposals;
- `comment|editable_by:user`, `comment|deletable_by:user` — the permission rules, for templates;
- `{% attach_proposals revisions %}` — sets `producing_proposal` on each revision (one query);
- `{% revision_tools revision skill %}` — a revision's proposal link, and "Restore" for reviewers.
"""

from django import template

from skillmatrix import permissions

from .. import selectors
from ..models import Proposal

register = template.Library()


@register.inclusion_tag("proposals/_user_activity.html", takes_context=True)
def user_activity(context, profile_user):
    comments = selectors.user_comments(user=profile_user)
    return {
        "profile_user": profile_user,
        "comments": comments,
        "comment_count": selectors.user_comment_count(user=profile_user),
        "proposals": selectors.user_proposals(user=profile_user),
        "proposal_count": selectors.user_proposal_count(user=profile_user),
        "request": context.get("request"),
    }


@register.filter
def editable_by(comment, user):
    return permissions.can_edit_comment(user, comment)


@register.filter
def deletable_by(comment, user):
    return permissions.can_delete_comment(user, comment)


@register.simple_tag
def attach_proposals(revisions):
    """Set `producing_proposal` (a Proposal or None) on each revision, in one query."""
    revisions = list(revisions)
    by_revision = {
        p.revision_id: p
        for p in Proposal.objects.filter(revision__in=[r.pk for r in revisions]).only(
            "pk", "revision_id", "rationale"
        )
    }
    for revision in revisions:
        revision.producing_proposal = by_revision.get(revision.pk)
    return ""


@register.inclusion_tag("proposals/_revision_tools.html", takes_context=True)
def revision_tools(context, revision, skill):
    """On a revision's page: the proposal that produced it, and reviewers' "Restore"."""
    return {
        "revision": revision,
        "skill": skill,
        "proposal": Proposal.objects.filter(revision=revision).only("pk").first(),
        "can_revert": permissions.can_revert(context["request"].user),
        "csrf_token": context.get("csrf_token"),
    }
