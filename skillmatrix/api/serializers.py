"""Serializers every app's API may reuse, and those of the API's own tokens.

Request fields are strict about JSON types: DRF would turn `5` into `"5"` for a string field,
`"5"` into `5` for an integer and `1` into `true` for a boolean, so that a request the schema
forbids would be accepted. The `Strict…` fields refuse them (400 naming the field); use them
for every writable field.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import ApiToken


class StrictCharField(serializers.CharField):
    """A JSON string, and one that can be stored: a number or a boolean is refused rather than
    turned into text, and so is a lone surrogate (`"\\ud800"`), which no database stores.
    (NUL characters are refused by DRF's CharField itself.)"""

    default_error_messages = {"encoding": _("This text contains an invalid character.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        try:
            data.encode("utf-8")
        except UnicodeEncodeError:
            self.fail("encoding")
        return super().to_internal_value(data)


class StrictSlugField(StrictCharField, serializers.SlugField):
    """A slug, given as a JSON string."""


class StrictIntegerField(serializers.IntegerField):
    """A JSON integer: `"5"` and `5.0` are refused (booleans too)."""

    def to_internal_value(self, data):
        if not isinstance(data, int) or isinstance(data, bool):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A JSON `true` or `false`: `1`, `"yes"` and the like are refused."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictChoiceField(serializers.ChoiceField):
    """One of the choices, given as a JSON string."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


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
