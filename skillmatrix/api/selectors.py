"""Reads of the API's own data."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import ApiToken
from .services import KEY_PREFIX, api_token_digest


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first. Nobody sees another user's tokens."""
    return ApiToken.objects.filter(user=user)


def api_token_for_key(*, key: str) -> ApiToken | None:
    """The token whose key this is, with its user; None for an unknown or malformed key."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    return ApiToken.objects.select_related("user").filter(digest=api_token_digest(key)).first()
