"""Writes of the API's own data: the users' API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiToken

#: Every key starts with this, so a leaked key is easy to recognise (and to search for).
KEY_PREFIX = "smx_"
#: How many tokens one user may hold at once.
MAX_TOKENS_PER_USER = 10
#: `last_used_at` is written at most this often per token, not at every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def api_token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; return it and its key, which is not kept and never shown again.

    Raises ValidationError (field `name`) for an empty name, or when the user already holds
    MAX_TOKENS_PER_USER tokens.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")}, code="required")
    # Lock the user's row so that two requests at once cannot both pass the limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    if ApiToken.objects.filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            {
                "name": _("You already have %(count)d tokens: revoke one first.")
                % {"count": MAX_TOKENS_PER_USER}
            },
            code="limit",
        )
    key = KEY_PREFIX + secrets.token_urlsafe(30)
    token = ApiToken.objects.create(
        user=user, name=name[:60], prefix=key[:12], digest=api_token_digest(key)
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    """Delete the token: requests carrying its key are refused from now on."""
    token.delete()


def api_token_touch(*, token: ApiToken) -> None:
    """Note that the token was just used (at most once per LAST_USED_PRECISION)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
