"""`/api/v1/proposals/…` and the comments (PRODUCT.md §5), on the shared API layer.

Views validate the request's shape, call one service and serialize; `skillmatrix.permissions`
decides who may try (mapped per action with `allow`), the services decide the rest. The
services' errors become the API's one error shape (`skillmatrix.api.exceptions`); a proposal
that is no longer open, or whose approval clashes with changes made meanwhile, is a 409
carrying both sides.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from skillmatrix import permissions
from skillmatrix.api import permissions as rules
from skillmatrix.api.exceptions import Conflict
from skillmatrix.api.schema import error_responses, list_error_responses
from skills.api.views import skill_not_found, slug_parameter
from skills.models import Skill
from skills.services import ChangeConflict

from .. import selectors, services
from ..filters import ProposalFilter
from ..models import Comment, Proposal
from . import examples as ex
from . import serializers as s

ID_PATTERN = "[0-9]{1,18}"


def id_parameter(what: str, example: int) -> OpenApiParameter:
    return OpenApiParameter(
        "id",
        OpenApiTypes.INT,
        OpenApiParameter.PATH,
        description=f"The {what}'s id.",
        examples=[OpenApiExample(str(example), value=example)],
    )


SKILL_SLUG = slug_parameter("skill", "ml-deployment")


class AlreadyDecided(Conflict):
    default_code = "already_decided"


def already_decided(proposal: Proposal, action_name: str) -> AlreadyDecided:
    """409: the proposal is no longer open; both sides are what was asked and what is."""
    message = services.AlreadyDecided(proposal).args[0]
    return AlreadyDecided(
        {"status": [message]},
        conflict={
            "yours": {"action": action_name},
            "theirs": {
                "status": proposal.status,
                "decided_by": proposal.decided_by.username if proposal.decided_by else None,
                "decided_at": proposal.decided_at,
            },
        },
    )


def change_conflict(exc: ChangeConflict) -> Conflict:
    """409: the skill changed since the base version in cells the proposal touches."""

    def sides(entry):
        return {"base": entry["base"], "theirs": entry["current"], "yours": entry["proposed"]}

    return Conflict(
        _("The skill changed since the proposal's base version, in cells it touches."),
        conflict={
            "base_version": exc.base_version,
            "current_version": exc.current_version,
            "cells": [
                {"role": cell["role"], "level": cell["level"], **sides(cell)} for cell in exc.cells
            ],
            "summary": sides(exc.summary) if exc.summary else None,
        },
    )


def decider_rule(check):
    """A decision on a proposal: reviewers may try; on the object, the named rule decides."""
    return rules.object_rule(check, before=rules.user_rule(permissions.can_review))


def validated(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _proposal_schema(summary, description, request=None, examples=(), codes=(), ok=200, body=None):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[id_parameter("proposal", 7)],
        request=request,
        responses={ok: body or s.ProposalSerializer, **error_responses(401, 403, 404, *codes)},
        examples=list(examples),
    )


DECISION_CODES = (409,)


class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilter
    lookup_url_kwarg = "id"
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "post", "patch", "head", "options"]
    permission_classes = [
        rules.allow(
            read=rules.anyone,
            create=rules.user_rule(permissions.can_propose),
            partial_update=rules.object_rule(permissions.can_edit_proposal),
            withdraw=rules.object_rule(permissions.can_withdraw_proposal),
            approve=decider_rule(permissions.can_decide_proposal),
            reject=decider_rule(permissions.can_decide_proposal),
            request_changes=decider_rule(permissions.can_decide_proposal),
        )
    ]
    #: Actions that change an open proposal: a decided one answers 409 (its state is public).
    workflow = {"partial_update", "withdraw", "approve", "reject", "request_changes"}

    def get_queryset(self):
        # The list pages leave the new summary unloaded; the API shows it.
        return (
            selectors.proposal_list()
            .select_related("decided_by", "revision")
            .defer(None)
            .defer("skill__search_document", "skill__summary", "revision__snapshot")
        )

    def get_object(self):
        proposal = get_object_or_404(self.get_queryset(), pk=self.kwargs["id"])
        if self.action in self.workflow and not proposal.is_open:
            raise already_decided(proposal, self.action)
        self.check_object_permissions(self.request, proposal)
        return proposal

    def handle_exception(self, exc):
        if isinstance(exc, ChangeConflict):
            exc = change_conflict(exc)
        elif isinstance(exc, services.AlreadyDecided):  # decided a moment ago
            exc = already_decided(exc.proposal, self.action)
        return super().handle_exception(exc)

    def _answer(self, proposal, code=status.HTTP_200_OK):
        """The proposal as it now is. A decision reads it back inside its own transaction: a
        connection lost before the answer is read (a restarting database) then rolls the
        decision back too, so "503, try again" always means nothing was decided."""
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(self.get_serializer(proposal).data, status=code)

    @extend_schema(
        summary="Proposals",
        description="Every proposal, newest first; `status`, `skill` (slug) and `author` "
        "(username) filter as on the page /proposals/.",
        responses={200: s.ProposalSerializer(many=True), **list_error_responses()},
        examples=[ex.response("An open proposal", ex.PROPOSAL)],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="A proposal",
        description="The proposal with its change set, status and decision.",
        parameters=[id_parameter("proposal", 7)],
        responses={200: s.ProposalSerializer, **error_responses(404)},
        examples=[ex.response("An open proposal", ex.PROPOSAL)],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary="Propose a change",
        description="Members propose a change set against a version of the skill; the author "
        "is the caller. Cells that change nothing are dropped; a proposal that changes nothing "
        "is refused. The skill's watchers are notified.",
        request=s.ProposalCreateSerializer,
        responses={201: s.ProposalSerializer, **error_responses(400, 401, 403)},
        examples=[
            ex.request("Change one cell, remove another", ex.CREATE_REQUEST),
            ex.response("Proposed", ex.PROPOSAL, 201),
        ],
    )
    def create(self, request, *args, **kwargs):
        data = validated(s.ProposalCreateSerializer, request)
        proposal = services.proposal_create(
            author=request.user,
            skill=data["skill"],
            base_version=data["base_version"],
            changes=data.get("changes", []),
            summary=data.get("summary"),
            rationale=data["rationale"],
        )
        return self._answer(proposal, status.HTTP_201_CREATED)

    @_proposal_schema(
        "Edit a proposal",
        "Its author replaces the change set, rationale or summary while the proposal is open "
        "(fields left out keep their value); a newer `base_version` resolves a conflict. "
        "A decided proposal is a 409.",
        request=s.ProposalEditSerializer,
        examples=[
            ex.request("New change set", ex.EDIT_REQUEST),
            ex.response("Edited", {**ex.PROPOSAL, **ex.EDIT_REQUEST}),
            ex.conflict("Already decided", ex.ALREADY_DECIDED),
        ],
        codes=(400, 409),
    )
    def partial_update(self, request, *args, **kwargs):
        proposal = self.get_object()
        data = validated(s.ProposalEditSerializer, request)
        services.proposal_edit(
            proposal=proposal,
            by=request.user,
            base_version=data.get("base_version", proposal.base_version),
            changes=data.get("changes", proposal.changes),
            summary=data.get("summary", proposal.summary),
            rationale=data.get("rationale", proposal.rationale),
        )
        return self._answer(proposal)

    @_proposal_schema(
        "Approve a proposal",
        "A reviewer (never the author) applies the change set: the skill gets a new revision "
        "and version. When the skill changed meanwhile in cells the proposal touches, the "
        "answer is a 409 with both sides and nothing changes; a proposal decided meanwhile is "
        "a 409 too.",
        request=None,
        examples=[
            ex.response("Approved", ex.APPROVED),
            ex.conflict("Conflicting change", ex.CONFLICT),
            ex.conflict("Already decided", ex.ALREADY_DECIDED),
        ],
        codes=DECISION_CODES,
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        proposal = self.get_object()
        with transaction.atomic():  # see _answer
            services.proposal_approve(proposal=proposal, by=request.user)
            return self._answer(proposal)

    @_proposal_schema(
        "Reject a proposal",
        "A reviewer (never the author) rejects it with a reason from the list; `other` needs "
        "a note.",
        request=s.RejectSerializer,
        examples=[
            ex.request("Not accurate", {"reason": "inaccurate", "note": "Not LLM-specific."}),
            ex.response("Rejected", ex.REJECTED),
        ],
        codes=(400, *DECISION_CODES),
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, *args, **kwargs):
        proposal = self.get_object()
        data = validated(s.RejectSerializer, request)
        with transaction.atomic():  # see _answer
            services.proposal_reject(
                proposal=proposal, by=request.user, reason=data["reason"], note=data["note"]
            )
            return self._answer(proposal)

    @_proposal_schema(
        "Withdraw a proposal",
        "Its author withdraws it while it is open.",
        request=None,
        examples=[ex.response("Withdrawn", ex.WITHDRAWN)],
        codes=DECISION_CODES,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        proposal = self.get_object()
        with transaction.atomic():  # see _answer
            services.proposal_withdraw(proposal=proposal, by=request.user)
            return self._answer(proposal)

    @_proposal_schema(
        "Ask for changes",
        "A reviewer (never the author) asks the author for changes: a comment flagged "
        "`requests_changes`; the author is notified.",
        request=s.RequestChangesSerializer,
        examples=[
            ex.request("Ask for a source", {"message": "Cite a source, please."}),
            ex.response("Asked", ex.CHANGES_REQUESTED, 201),
        ],
        codes=(400, *DECISION_CODES),
        ok=201,
        body=s.CommentSerializer,
    )
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, *args, **kwargs):
        proposal = self.get_object()
        data = validated(s.RequestChangesSerializer, request)
        comment = services.proposal_request_changes(
            proposal=proposal, by=request.user, message=data["message"]
        )
        return Response(s.CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- Comments ---------------------------------------------------------------------------------


class CommentThreadViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The comments on one thing (a skill, a proposal): anyone reads, members write."""

    serializer_class = s.CommentSerializer
    queryset = Comment.objects.none()  # for the schema: the real ones are the target's
    permission_classes = [
        rules.allow(read=rules.anyone, create=rules.user_rule(permissions.can_comment))
    ]

    def get_target(self):
        raise NotImplementedError

    def comments(self, target):
        raise NotImplementedError

    def comment_create(self, target, body: str) -> Comment:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        target = self.get_target()
        page = self.paginate_queryset(self.comments(target))
        for comment in page:  # the serializer names the target: no query per row
            setattr(comment, target._meta.model_name, target)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def create(self, request, *args, **kwargs):
        target = self.get_target()
        data = validated(s.CommentBodySerializer, request)
        comment = self.comment_create(target, data["body"])
        return Response(self.get_serializer(comment).data, status=status.HTTP_201_CREATED)


def _thread_schema(what, parameter, comment_example):
    return {
        "list": extend_schema(
            summary=f"Comments on a {what}",
            description=f"The {what}'s comments, oldest first. A deleted comment keeps its "
            "place (`deleted`), without its text.",
            parameters=[parameter],
            responses={200: s.CommentSerializer(many=True), **list_error_responses()},
            examples=[ex.response("A comment", comment_example)],
        ),
        "create": extend_schema(
            summary=f"Comment on a {what}",
            description="Members write Markdown; the answer carries it rendered and sanitized "
            "(`body_html`). The author is the caller.",
            parameters=[parameter],
            request=s.CommentBodySerializer,
            responses={201: s.CommentSerializer, **error_responses(400, 401, 403, 404)},
            examples=[
                ex.request("Markdown", {"body": comment_example["body"]}),
                ex.response("Posted", comment_example, 201),
            ],
        ),
    }


@extend_schema_view(**_thread_schema("skill", SKILL_SLUG, ex.COMMENT))
class SkillCommentViewSet(CommentThreadViewSet):
    def get_target(self) -> Skill:
        slug = self.kwargs["slug"]
        skill = Skill.objects.filter(slug=slug).defer("search_document", "search_vector").first()
        if skill is None:
            raise skill_not_found(slug)
        return skill

    def comments(self, target):
        return selectors.comment_list(skill=target)

    def comment_create(self, target, body):
        return services.comment_create(author=self.request.user, skill=target, body=body)


@extend_schema_view(**_thread_schema("proposal", id_parameter("proposal", 7), ex.PROPOSAL_COMMENT))
class ProposalCommentViewSet(CommentThreadViewSet):
    def get_target(self) -> Proposal:
        proposal = (
            Proposal.objects.select_related("skill", "author")
            .defer(*selectors.PROPOSAL_LIST_DEFER)
            .filter(pk=self.kwargs["id"])
            .first()
        )
        if proposal is None:
            raise NotFound({"id": [_("There is no proposal #%(id)s.") % {"id": self.kwargs["id"]}]})
        return proposal

    def comments(self, target):
        return selectors.proposal_comment_list(proposal=target)

    def comment_create(self, target, body):
        return services.proposal_comment_create(
            author=self.request.user, proposal=target, body=body
        )


@extend_schema_view(
    retrieve=extend_schema(
        summary="A comment",
        description="One comment, on a skill or on a proposal.",
        parameters=[id_parameter("comment", 12)],
        responses={200: s.CommentSerializer, **error_responses(404)},
        examples=[ex.response("A comment", ex.COMMENT)],
    ),
    partial_update=extend_schema(
        summary="Edit a comment",
        description="Its author changes the Markdown; `edited_at` records when. A deleted "
        "comment is a 409.",
        parameters=[id_parameter("comment", 12)],
        request=s.CommentBodySerializer,
        responses={200: s.CommentSerializer, **error_responses(400, 401, 403, 404, 409)},
        examples=[
            ex.request("Markdown", {"body": ex.EDITED_COMMENT["body"]}),
            ex.response("Edited", ex.EDITED_COMMENT),
        ],
    ),
    destroy=extend_schema(
        summary="Delete a comment",
        description="Its author deletes it; reviewers and staff may remove anyone's. The "
        "comment stays in its thread as deleted, without its text. Deleting it again is a "
        "409.",
        parameters=[id_parameter("comment", 12)],
        responses={204: None, **error_responses(401, 403, 404, 409)},
    ),
)
class CommentViewSet(
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """One comment, wherever it is: its author edits it, its author or a moderator deletes it."""

    serializer_class = s.CommentSerializer
    lookup_url_kwarg = "id"
    lookup_value_regex = ID_PATTERN
    http_method_names = ["get", "patch", "delete", "head", "options"]
    permission_classes = [
        rules.allow(
            read=rules.anyone,
            partial_update=rules.object_rule(permissions.can_edit_comment),
            destroy=rules.object_rule(permissions.can_delete_comment),
        )
    ]

    def get_queryset(self):
        return selectors.comment_detail_queryset()

    def get_object(self):
        comment = get_object_or_404(self.get_queryset(), pk=self.kwargs["id"])
        if self.request.method not in ("GET", "HEAD", "OPTIONS") and comment.is_deleted:
            raise Conflict(
                {"id": [_("This comment was deleted.")]},
                conflict={"yours": {"action": self.action}, "theirs": {"deleted": True}},
            )
        self.check_object_permissions(self.request, comment)
        return comment

    def partial_update(self, request, *args, **kwargs):
        comment = self.get_object()
        data = validated(s.CommentBodySerializer, request)
        comment = services.comment_edit(comment=comment, by=request.user, body=data["body"])
        return Response(self.get_serializer(self.get_queryset().get(pk=comment.pk)).data)

    def perform_destroy(self, instance):
        services.comment_delete(comment=instance, by=self.request.user)
