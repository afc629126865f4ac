"""The API's own endpoints: the caller's tokens, and the JSON 404 for unknown addresses."""

from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from . import permissions as rules
from .models import ApiToken
from .schema import error_responses
from .selectors import api_token_list
from .serializers import ApiTokenSerializer, NewApiTokenSerializer
from .services import api_token_create, api_token_revoke

TOKEN_EXAMPLE = {
    "id": 7,
    "name": "CI export",
    "prefix": "smx_3q9Vb1xk",
    "created_at": "2026-11-02T09:15:00Z",
    "last_used_at": None,
}


@extend_schema_view(
    list=extend_schema(
        summary="Your API tokens",
        description="The caller's own tokens, newest first. Keys are never shown again.",
        responses={200: ApiTokenSerializer(many=True), **error_responses(400, 401, 404)},
        examples=[OpenApiExample("A token", value=TOKEN_EXAMPLE, response_only=True)],
    ),
    create=extend_schema(
        summary="Make an API token",
        description="Only with a session (a token cannot make tokens). The answer holds the "
        "key, shown this once.",
        request=ApiTokenSerializer,
        responses={201: NewApiTokenSerializer, **error_responses(400, 401, 403)},
        examples=[
            OpenApiExample("Request", value={"name": "CI export"}, request_only=True),
            OpenApiExample(
                "Made",
                value={**TOKEN_EXAMPLE, "key": "smx_3q9Vb1xk…"},
                response_only=True,
                status_codes=["201"],
            ),
        ],
    ),
    destroy=extend_schema(
        summary="Revoke an API token",
        description="Requests with its key are refused from now on. Another user's token is a 404.",
        responses={204: None, **error_responses(401, 404)},
    ),
)
class ApiTokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ApiTokenSerializer
    permission_classes = [
        rules.allow(read=rules.is_member, create=rules.is_member, destroy=rules.is_owner)
    ]
    pagination_class = None
    lookup_value_regex = "[0-9]{1,18}"
    queryset = ApiToken.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return api_token_list(user=self.request.user)

    def create(self, request, *args, **kwargs):
        if request.auth is not None:
            raise PermissionDenied(_("Make tokens while logged in, not with another token."))
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = api_token_create(user=request.user, name=serializer.validated_data["name"])
        token.key = key
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        api_token_revoke(token=instance)


@extend_schema(exclude=True)
class EndpointNotFound(APIView):
    """Any address under /api/ that no endpoint answers: a JSON 404 whatever the method."""

    permission_classes = [rules.allow(read=rules.anyone, write=rules.anyone)]

    def http_method_not_allowed(self, request, *args, **kwargs):
        message = _("No API endpoint is at this address.")
        if not request.path.endswith("/"):
            try:
                match = resolve(request.path + "/")
            except Resolver404:
                match = None
            if match is not None and match.func.cls is not EndpointNotFound:
                message += " " + _("Did you mean %(path)s?") % {"path": request.path + "/"}
        raise NotFound(message)

    options = http_method_not_allowed
