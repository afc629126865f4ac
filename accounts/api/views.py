"""`/api/v1/skills/<slug>/watch/` and `/api/v1/notifications/…` (PRODUCT.md §5).

Both act on the caller's own rows only (looked up with `request.user`): nobody can name
another user's watch or notification.
"""

from __future__ import annotations

from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from skillmatrix import permissions
from skillmatrix.api import permissions as rules
from skillmatrix.api.schema import error_responses, list_error_responses
from skills.api.views import skill_not_found, slug_parameter
from skills.models import Skill

from .. import selectors, services
from ..models import Notification
from .serializers import (
    MarkedReadSerializer,
    MarkReadSerializer,
    NotificationSerializer,
    WatchSerializer,
)

SITE = "https://skillmatrix.example"
SKILL_SLUG = slug_parameter("skill", "ml-deployment")
NOTIFICATION = {
    "id": 31,
    "actor": "cora",
    "verb": "commented",
    "verb_display": "commented",
    "target_title": "ML Deployment",
    "excerpt": "Do we expect juniors to know this?",
    "url": f"{SITE}/skills/ml-deployment/#comment-12",
    "created_at": "2026-11-02T09:15:00Z",
    "read_at": None,
    "read": False,
}


def _watch_schema(summary, description, watching):
    return extend_schema(
        summary=summary,
        description=description,
        parameters=[SKILL_SLUG],
        request=None,
        responses={200: WatchSerializer, **error_responses(401, 403, 404)},
        examples=[
            OpenApiExample(
                "Watching" if watching else "Not watching",
                value={"skill": "ml-deployment", "watching": watching, "watchers": 3},
                response_only=True,
                status_codes=["200"],
            )
        ],
    )


class SkillWatch(APIView):
    """Watch or stop watching a skill; both are idempotent."""

    permission_classes = [rules.allow(write=rules.user_rule(permissions.can_watch))]

    def get_skill(self, slug: str) -> Skill:
        skill = Skill.objects.filter(slug=slug).only("pk", "slug", "version").first()
        if skill is None:
            raise skill_not_found(slug)
        return skill

    def answer(self, skill: Skill) -> Response:
        data = {
            "skill": skill.slug,
            "watching": selectors.is_watching(user=self.request.user, skill=skill),
            "watchers": selectors.watcher_count(skill=skill),
        }
        return Response(WatchSerializer(data).data)

    @_watch_schema(
        "Watch a skill",
        "The caller is notified of the skill's changes and discussions from now on. Watching "
        "twice is one watch.",
        watching=True,
    )
    def put(self, request, slug):
        skill = self.get_skill(slug)
        services.watch_create(user=request.user, skill=skill)
        return self.answer(skill)

    @_watch_schema(
        "Stop watching a skill",
        "Idempotent: not watching it already is no error.",
        watching=False,
    )
    def delete(self, request, slug):
        skill = self.get_skill(slug)
        services.watch_delete(user=request.user, skill=skill)
        return self.answer(skill)


@extend_schema_view(
    list=extend_schema(
        summary="Your notifications",
        description="The caller's own notifications, newest first.",
        responses={200: NotificationSerializer(many=True), **list_error_responses(401, 403)},
        examples=[
            OpenApiExample(
                "A comment", value=NOTIFICATION, response_only=True, status_codes=["200"]
            )
        ],
    ),
    mark_read=extend_schema(
        summary="Mark notifications read",
        description="Marks the given ones (`ids`), or all of yours when `ids` is left out. "
        "An id that is not one of your notifications is a 400 naming `ids`, and nothing "
        "changes.",
        request=MarkReadSerializer,
        responses={200: MarkedReadSerializer, **error_responses(400, 401, 403)},
        examples=[
            OpenApiExample("Some", value={"ids": [31, 32]}, request_only=True),
            OpenApiExample("All", value={}, request_only=True),
            OpenApiExample(
                "Marked",
                value={"marked_read": 2, "unread": 0},
                response_only=True,
                status_codes=["200"],
            ),
        ],
    ),
)
class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()  # for the schema: the real ones are the caller's
    permission_classes = [rules.allow(read=rules.is_member, mark_read=rules.is_member)]

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user).order_by("-created_at", "-pk")

    @action(detail=False, methods=["post"], url_path="read", serializer_class=MarkReadSerializer)
    def mark_read(self, request):
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        marked = services.notification_mark_read(
            user=request.user, ids=serializer.validated_data.get("ids")
        )
        unread = Notification.objects.unread().filter(recipient=request.user).count()
        return Response(MarkedReadSerializer({"marked_read": marked, "unread": unread}).data)
