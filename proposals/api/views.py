"""`/api/v1/proposals/…`: the proposal workflow over JSON (PRODUCT.md §5).

Views only validate, call one service and serialize; the services decide who may do what.
Errors are JSON naming the field: {"status", "code", "detail", "errors": [{"field", "code",
"message"}]}; a refused approval because of a conflict is a 409 carrying both sides.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler

from skills.services import ChangeConflict

from .. import services
from ..filters import ProposalFilter
from ..models import Comment, Proposal
from . import serializers as s


def _errors(detail, path=()):
    if isinstance(detail, dict):
        for key, value in detail.items():
            keep = key not in ("non_field_errors", "__all__", "detail")
            yield from _errors(value, (*path, str(key)) if keep else path)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list)
            yield from _errors(item, (*path, str(index)) if nested else path)
    else:
        yield {
            "field": ".".join(path) or None,
            "code": getattr(detail, "code", None) or "invalid",
            "message": str(detail),
        }


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This conflicts with a change made meanwhile.")
    default_code = "conflict"


def api_exception_handler(exc, context):
    """Services' exceptions as JSON errors in the API's one shape."""
    extra = {}
    if isinstance(exc, ChangeConflict):
        extra["conflict"] = {
            "base_version": exc.base_version,
            "current_version": exc.current_version,
            "cells": [
                {
                    "role": c["role"],
                    "level": c["level"],
                    "base": c["base"],
                    "theirs": c["current"],
                    "yours": c["proposed"],
                }
                for c in exc.cells
            ],
            "summary": exc.summary
            and {
                "base": exc.summary["base"],
                "theirs": exc.summary["current"],
                "yours": exc.summary["proposed"],
            },
        }
        exc = Conflict(
            _("The skill changed since the proposal's base version, in cells it touches.")
        )
    elif isinstance(exc, services.AlreadyDecided):
        exc = Conflict({"status": [str(exc)]}, code="already_decided")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    response = exception_handler(exc, context)
    if response is None:
        return None
    errors = list(_errors(response.data))
    response.data = {
        "status": response.status_code,
        "code": errors[0]["code"] if errors else "error",
        "detail": "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
        ),
        "errors": errors,
        **extra,
    }
    return response


class ReadOrMember(permissions.BasePermission):
    """Anyone reads; writing needs an active account (the services check the rest)."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated and request.user.is_active)


class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = (
        Proposal.objects.select_related("skill", "author", "decided_by", "revision")
        .defer("skill__search_document", "skill__summary")
        .order_by("-created_at", "-pk")
    )
    serializer_class = s.ProposalSerializer
    permission_classes = [ReadOrMember]
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProposalFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_exception_handler(self):
        return api_exception_handler

    def _proposal(self):
        return self.get_object()

    def _answer(self, proposal, code=status.HTTP_200_OK):
        proposal = self.get_queryset().get(pk=proposal.pk)
        return Response(s.ProposalSerializer(proposal).data, status=code)

    def create(self, request, *args, **kwargs):
        data = self._valid(s.ProposalCreateSerializer, request.data)
        proposal = services.proposal_create(
            author=request.user,
            skill=data["skill"],
            base_version=data["base_version"],
            changes=data.get("changes", []),
            summary=data.get("summary"),
            rationale=data["rationale"],
        )
        return self._answer(proposal, status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        proposal = self._proposal()
        data = self._valid(s.ProposalEditSerializer, request.data)
        services.proposal_edit(
            proposal=proposal,
            by=request.user,
            base_version=data.get("base_version", proposal.base_version),
            changes=data.get("changes", proposal.changes),
            summary=data.get("summary", proposal.summary),
            rationale=data.get("rationale", proposal.rationale),
        )
        return self._answer(proposal)

    def update(self, request, *args, **kwargs):
        if not kwargs.get("partial"):
            raise exceptions.MethodNotAllowed(request.method)
        return super().update(request, *args, **kwargs)

    @staticmethod
    def _valid(serializer_class, data):
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        proposal = self._proposal()
        services.proposal_approve(proposal=proposal, by=request.user)
        return self._answer(proposal)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        proposal = self._proposal()
        data = self._valid(s.RejectSerializer, request.data)
        services.proposal_reject(
            proposal=proposal, by=request.user, reason=data["reason"], note=data["note"]
        )
        return self._answer(proposal)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        proposal = self._proposal()
        services.proposal_withdraw(proposal=proposal, by=request.user)
        return self._answer(proposal)

    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        proposal = self._proposal()
        data = self._valid(s.RequestChangesSerializer, request.data)
        comment = services.proposal_request_changes(
            proposal=proposal, by=request.user, message=data["message"]
        )
        return Response(s.ProposalCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @action(
        detail=True,
        methods=["get", "post"],
        serializer_class=s.ProposalCommentSerializer,
        filter_backends=[],
    )
    def comments(self, request, pk=None):
        proposal = get_object_or_404(Proposal.objects.select_related("skill", "author"), pk=pk)
        if request.method == "POST":
            data = self._valid(s.ProposalCommentSerializer, request.data)
            comment = services.proposal_comment_create(
                author=request.user, proposal=proposal, body=data["body"]
            )
            return Response(
                s.ProposalCommentSerializer(comment).data, status=status.HTTP_201_CREATED
            )
        comments = (
            Comment.objects.on_proposal(proposal)
            .select_related("author")
            .order_by("created_at", "pk")
        )
        page = self.paginate_queryset(comments)
        return self.get_paginated_response(s.ProposalCommentSerializer(page, many=True).data)
