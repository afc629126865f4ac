"""`/api/v1/me/…`: the caller's own marks, gap reports and share links, nobody else's.

Every endpoint needs an account (401 for anonymous callers); each reads and writes only the
caller's rows, so another user's share link is a 404, and there is no way to name another
user at all.
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.metadata import SimpleMetadata
from rest_framework.response import Response

from skillmatrix import permissions
from skillmatrix.api import permissions as rules
from skillmatrix.api.schema import error_responses, list_error_responses

from .. import selectors, services
from ..exports import packet_data
from ..models import Assessment, ShareLink
from . import examples as ex
from .serializers import (
    AssessmentBulkSerializer,
    AssessmentSerializer,
    BulkResultSerializer,
    GapSerializer,
    ShareLinkSerializer,
)


def may_assess(user, obj=None) -> bool:
    """Members, on their own growth (see skillmatrix.permissions.can_assess)."""
    return permissions.can_assess(user)


def owns_share_link(user, obj=None) -> bool:
    return may_assess(user) if obj is None else permissions.can_manage_share_link(user, obj)


PUT_EXAMPLE = OpenApiExample(
    "Two marks, one with a note, and one removed",
    request_only=True,
    value={
        "assessments": [
            {"skill": "ml-deployment", "role": "data-scientist", "level": "senior",
             "mark": "meets", "note": "Shipped the churn model: [doc](https://example.com)"},
            {"skill": "feature-stores", "role": "data-scientist", "level": "senior",
             "mark": "learning"},
            {"skill": "sql", "role": "data-scientist", "level": "senior", "mark": None},
        ]
    },
)  # fmt: skip


class BulkMetadata(SimpleMetadata):
    """OPTIONS describes PUT's body; there is no single object to fetch as for a detail view."""

    def determine_actions(self, request, view):
        if not may_assess(request.user):
            return {}
        return {"PUT": self.get_serializer_info(AssessmentBulkSerializer())}


class MyAssessments(GenericAPIView):
    metadata_class = BulkMetadata
    permission_classes = [rules.allow(read=may_assess, put=may_assess)]
    serializer_class = AssessmentSerializer
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Assessment.objects.none()
        return selectors.assessment_list(user=self.request.user)

    @extend_schema(
        operation_id="me_assessments_list",
        summary="Your marks",
        description="Every mark you set, with the expectation as you assessed it and as it "
        "reads now; `changed` flags those the matrix changed since.",
        responses={200: AssessmentSerializer(many=True), **list_error_responses(401)},
        examples=[ex.response("A mark whose expectation changed since", ex.ASSESSMENT_PAGE)],
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        serializer = AssessmentSerializer(selectors.with_flags(page), many=True)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        operation_id="me_assessments_set",
        summary="Set marks in bulk",
        description="Sets (or, with `mark: null`, removes) your mark for each listed "
        "expectation, named by skill, role and level; all or nothing, at most 500 items. "
        "Idempotent: sending the same body again changes nothing. A `note` left out stays as it "
        "is. Setting a mark again records the expectation's current text (acknowledging a "
        "change). Marks you do not list are left alone.",
        request=AssessmentBulkSerializer,
        examples=[PUT_EXAMPLE, ex.response("Two set, one removed", ex.BULK_RESULT)],
        responses={200: BulkResultSerializer, **error_responses(400, 401)},
    )
    def put(self, request):
        serializer = AssessmentBulkSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data["assessments"]
        changes = [
            services.AssessmentChange(item["expectation"], item["mark"], item.get("note"))
            for item in items
        ]
        services.assessments_bulk_set(user=request.user, changes=changes)
        removed = sum(1 for change in changes if change.mark is None)
        return Response({"set": len(changes) - removed, "removed": removed})


RUNG_PARAMETERS = [
    OpenApiParameter(
        name,
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        required=True,
        pattern="^[-a-zA-Z0-9_]+:[-a-zA-Z0-9_]+$",
        description=f"{what} as `role:level` (slugs).",
        examples=[OpenApiExample(example, value=example)],
    )
    for name, what, example in (
        ("from", "Where you start", "data-scientist:middle"),
        ("to", "The target", "llm-engineer:senior"),
    )
]


class MyGap(GenericAPIView):
    permission_classes = [rules.allow(read=may_assess)]
    serializer_class = GapSerializer
    filter_backends = []
    pagination_class = None

    @extend_schema(
        operation_id="me_gap",
        summary="Your gap report",
        description="Every required and optional expectation of `to` (a role at a level, in "
        "your role or another), compared with what `from` asks of the same skill, with your "
        "marks and notes and your progress (required met / required total).",
        parameters=RUNG_PARAMETERS,
        responses={200: GapSerializer, **error_responses(400, 401)},
        examples=[ex.response("Across roles", ex.GAP)],
    )
    def get(self, request):
        ladder = selectors.Ladder.load()
        rungs, errors = {}, {}
        for name in ("from", "to"):
            try:
                rungs[name] = ladder.parse(request.query_params.get(name), name=name)
            except selectors.BadPosition as error:
                errors[name] = [str(error)]
        if errors:
            raise ValidationError(errors)
        report = selectors.gap_report(source=rungs["from"], target=rungs["to"], user=request.user)
        return Response(GapSerializer(packet_data(report, subject=request.user)).data)


class ShareLinkViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """Your read-only share links; DELETE revokes one (it stays listed, inactive)."""

    serializer_class = ShareLinkSerializer
    permission_classes = [rules.allow(read=may_assess, create=may_assess, destroy=owns_share_link)]
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ShareLink.objects.none()
        return ShareLink.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        summary="Your share links",
        responses={200: ShareLinkSerializer(many=True), **list_error_responses(401)},
        examples=[ex.response("One link", ex.SHARE_LINK_PAGE)],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Make a share link",
        description="A random token opening your positions, marks, notes and gap reports "
        "read-only to whoever holds it, until you revoke it.",
        responses={201: ShareLinkSerializer, **error_responses(400, 401)},
        examples=[ex.response("A new link", ex.SHARE_LINK, status="201")],
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = services.share_link_create(
            user=self.request.user, label=serializer.validated_data.get("label", "")
        )

    @extend_schema(
        summary="Revoke a share link",
        description="From now on its address answers 404. Idempotent.",
        responses={204: None, **error_responses(401, 404)},
    )
    def destroy(self, request, *args, **kwargs):
        services.share_link_revoke(link=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
