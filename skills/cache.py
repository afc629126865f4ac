"""Caching of what anonymous visitors see, invalidated the moment the matrix changes.

Every write to the matrix bumps `MatrixState.generation` in the writing transaction (the
services call `matrix_changed`; model signals cover edits made in the admin). Cache keys carry
the generation, so after a commit no process can serve what was cached before it.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpResponse
from django.utils import translation

from .models import MatrixState


def matrix_generation() -> int:
    # Plain SQL: this runs on every cached hit, where the ORM's query building would dominate.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT generation FROM {MatrixState._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0


def matrix_changed() -> None:
    """Mark the matrix as changed; call inside the transaction that changes it."""
    if not MatrixState.objects.filter(pk=1).update(generation=F("generation") + 1):
        MatrixState.objects.get_or_create(pk=1)


def matrix_changed_signal(sender, raw=False, **kwargs):
    if not raw:  # loading fixtures is not a change anybody has seen
        matrix_changed()


def _is_anonymous_without_state(request) -> bool:
    """True for a visitor with no session and no pending messages: nothing personal to show."""
    cookies = request.COOKIES
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies
    )


def cache_key(request, *, prefix: str, generation: int) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{prefix}:{generation}:{translation.get_language()}:{path}"


def cache_anonymous_page(view):
    """Serve a page from the cache to visitors who are not logged in.

    Only successful answers are kept, and never one that set a CSRF token or a cookie.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _is_anonymous_without_state(request):
            return view(request, *args, **kwargs)
        key = cache_key(request, prefix="page", generation=matrix_generation())
        cached = cache.get(key)
        if cached is not None:
            content_type, content = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not response.streaming
        ):
            # Only what the view made: the middleware adds its headers to every answer.
            cached = (response["Content-Type"], response.content)
            cache.set(key, cached, settings.SKILLMATRIX_PAGE_CACHE_SECONDS)
        return response

    return wrapped
