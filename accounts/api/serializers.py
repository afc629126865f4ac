"""Watching and notifications over JSON: the caller's own, never another user's."""

from rest_framework import serializers

from skillmatrix.api.serializers import StrictIntegerField

from ..models import Notification

#: The most notifications one request marks read by id.
MAX_IDS = 500


class WatchSerializer(serializers.Serializer):
    """Whether the caller watches the skill, and how many people do."""

    skill = serializers.CharField(help_text="The skill's slug.")
    watching = serializers.BooleanField(help_text="Whether the caller watches it now.")
    watchers = serializers.IntegerField(help_text="How many people watch it.")


class NotificationSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    verb_display = serializers.CharField(
        source="get_verb_display", read_only=True, help_text="The verb in the request's language."
    )
    url = serializers.SerializerMethodField()
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "actor",
            "verb",
            "verb_display",
            "target_title",
            "excerpt",
            "url",
            "created_at",
            "read_at",
            "read",
        ]
        read_only_fields = fields

    def get_actor(self, notification) -> str | None:
        """Who acted: their username (null once their account is gone)."""
        return notification.actor.username if notification.actor_id else None

    def get_url(self, notification) -> str:
        """The page where it happened."""
        request = self.context.get("request")
        return request.build_absolute_uri(notification.url) if request else notification.url


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=StrictIntegerField(min_value=1, max_value=10**18),
        required=False,
        max_length=MAX_IDS,
        help_text="Which of your notifications to mark read; left out, all of them.",
    )


class MarkedReadSerializer(serializers.Serializer):
    marked_read = serializers.IntegerField(help_text="How many were unread and are now read.")
    unread = serializers.IntegerField(help_text="How many of yours are still unread.")
