"""Serializers every app's API may reuse, and those of the API's own tokens."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ApiToken


class PublicUserSerializer(serializers.Serializer):
    """A person as anybody may see them: never their email address."""

    username = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField(help_text="Their public profile page.")

    @extend_schema_field(serializers.URLField())
    def get_url(self, user) -> str:
        request = self.context.get("request")
        path = user.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ApiTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "last_used_at"]
        read_only_fields = ["id", "prefix", "created_at", "last_used_at"]
        extra_kwargs = {"name": {"help_text": "What uses the token, e.g. “CI export”."}}


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="The key: shown this once, never again.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]
