"""What the OpenAPI schema says of every endpoint: the error shape, and how to authenticate.

    @extend_schema(responses={200: SkillSerializer, **error_responses(404)}, examples=[...])

`error_responses(*codes)` documents the given statuses with the one error shape, each with an
example; 429 (throttled) is always added, 400 too on list endpoints (`list_error_responses`).
"""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiExample, OpenApiResponse
from rest_framework import serializers

from .permissions import RulePermission, anyone


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text="The offending field: a body field (dotted path), a query or a path parameter;"
        " null when the error is not one field's.",
    )
    code = serializers.CharField(help_text="A stable machine-readable code, e.g. `invalid`.")
    message = serializers.CharField(
        help_text="A human-readable message, in the request's language."
    )


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="What went wrong, e.g. `invalid`, `not_found`.")
    detail = serializers.CharField(help_text="Every error in one line.")
    errors = FieldErrorSerializer(many=True)
    retry_after = serializers.IntegerField(
        required=False, help_text="429 only: seconds to wait before trying again."
    )
    conflict = serializers.DictField(
        required=False, help_text="409 only: both sides of the conflict."
    )

    class Meta:
        ref_name = "Error"


def _example(status, code, detail, field=None, field_code=None, **extra):
    body = {
        "status": status,
        "code": code,
        "detail": f"{field}: {detail}" if field else detail,
        "errors": [{"field": field, "code": field_code or code, "message": detail}],
        **extra,
    }
    return OpenApiExample(f"{status} {code}", value=body, status_codes=[str(status)])


ERROR_EXAMPLES = {
    400: _example(400, "invalid", "Select a valid choice.", "role", "invalid_choice"),
    401: _example(401, "not_authenticated", "Authentication credentials were not provided."),
    403: _example(403, "permission_denied", "You may not do this."),
    404: _example(404, "not_found", "Not found.", "slug"),
    405: _example(405, "method_not_allowed", 'Method "PUT" not allowed.'),
    409: _example(
        409,
        "conflict",
        "This conflicts with a change made meanwhile.",
        conflict={"yours": {}, "theirs": {}},
    ),
    429: _example(
        429, "throttled", "Request was throttled. Expected available in 12 seconds.", retry_after=12
    ),
}

ERROR_DESCRIPTIONS = {
    400: "Invalid input: a parameter or a body field is malformed or unknown.",
    401: "No or invalid credentials: send `Authorization: Token <key>` or log in.",
    403: "Authenticated, but not allowed (or a session request without its CSRF token).",
    404: "No such object, or no such page.",
    405: "This method is not allowed here.",
    409: "The request conflicts with the current state.",
    429: "Too many requests: wait `retry_after` seconds.",
}


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error statuses (and 429), in the one error shape."""
    return {
        code: OpenApiResponse(
            ErrorSerializer,
            description=ERROR_DESCRIPTIONS[code],
            examples=[ERROR_EXAMPLES[code]],
        )
        for code in sorted({*codes, 429})
    }


def list_error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """A list's errors: a malformed filter or page (400), a page past the end (404)."""
    return error_responses(400, 404, *codes)


NOT_MODIFIED = OpenApiResponse(
    description="Not modified: the `If-None-Match` / `If-Modified-Since` copy is current."
)


class AutoSchema(openapi.AutoSchema):
    """Marks authentication optional (`{}` in `security`) where the view's rule is `anyone`."""

    def get_auth(self):
        auths = super().get_auth()
        for permission in self.view.get_permissions():
            if isinstance(permission, RulePermission):
                rule = permission.lookup(
                    action=getattr(self.view, "action", None), method=self.method
                )
                if rule is anyone and {} not in auths:
                    auths.append({})
        return auths


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "skillmatrix.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, with a key made on the page /accounts/tokens/.",
        }
