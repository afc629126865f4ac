"""Caching of what anonymous visitors see, invalidated the moment the matrix changes.

Every write to the matrix gives `MatrixState.generation` a new value in the writing transaction (the
services call `matrix_changed`; model signals cover edits made in the admin). Cache keys carry
the generation, so after a commit no process can serve what was cached before it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import cache
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connection,
    connections,
)
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from skillmatrix.middleware import query_language, remember_language

from .models import MatrixState

_GENERATION_SQL = f"SELECT generation FROM {MatrixState._meta.db_table} WHERE id = 1"


def matrix_generation() -> int:
    """The matrix's generation: read on every cached hit, so it costs one round trip.

    Plain SQL on the driver's own connection. Django's cursor would add its query building and,
    with CONN_HEALTH_CHECKS, a `SELECT 1` before a request's first query, which doubles the
    cost of a hit on PostgreSQL. The health check's job is done here instead: a connection
    found broken (a restarted PostgreSQL) is closed and the read tried once more on a new one.
    """
    try:
        return _read_generation()
    except (InterfaceError, OperationalError):
        if connection.in_atomic_block:
            raise
        connection.close()
        return _read_generation()


def _read_generation() -> int:
    db = connections[DEFAULT_DB_ALIAS]  # `connection` looks itself up on every attribute
    with db.wrap_database_errors:
        if db.connection is None:
            db.ensure_connection()
        if db.vendor == "postgresql" and not db.in_atomic_block and not db.queries_logged:
            generation = _read_generation_libpq(db.connection)
        else:
            generation = _read_generation_cursor(db)
    # The read proves the connection usable: the request's next queries need no health check
    # (Django would send a `SELECT 1` before the first; a round trip on PostgreSQL).
    db.health_check_done = True
    return generation


def _read_generation_cursor(db) -> int:
    cursor = db.connection.cursor()
    if db.queries_logged:  # DEBUG, or a test counting queries: show this one too
        cursor = db.make_debug_cursor(cursor)
    try:
        cursor.execute(_GENERATION_SQL)
        row = cursor.fetchone()
    finally:
        cursor.close()
    return row[0] if row else 0


def _read_generation_libpq(raw_connection) -> int:
    """The read through libpq's PQexec (psycopg's `PGconn.exec_`): one blocking round trip
    without the driver's cursor machinery, which took most of the read's CPU and half its time
    (bench/profile_page.py --cached).

    Only outside transactions: inside one, psycopg sends BEGIN just before its own next query,
    so a statement sent past psycopg could run before the transaction had begun.
    """
    import psycopg
    from psycopg import pq

    pgconn = raw_connection.pgconn
    result = pgconn.exec_(_GENERATION_SQL.encode())
    if result.status != pq.ExecStatus.TUPLES_OK:
        message = (result.error_message or pgconn.error_message).decode(errors="replace")
        if pgconn.status != pq.ConnStatus.OK:  # the server went away: reconnect and retry
            raise psycopg.OperationalError(message)
        raise psycopg.DatabaseError(message)
    return int(result.get_value(0, 0)) if result.ntuples else 0


#: Generations below this are not given by `matrix_changed`: 0 is "no state row" (a database
#: emptied by tests) and 1 the row's first value, before any change.
FIRST_GENERATION = 2


def matrix_changed() -> None:
    """Give the matrix a new generation; call inside the transaction that changes it.

    A random number, not the next one: then no generation is ever given twice — not after a
    rolled-back transaction, nor in a database emptied (by tests) or restored from a backup —
    so what a process keeps for a generation (cached pages, `selectors.matrix_reference`)
    always belongs to one state of the matrix.
    """
    generation = FIRST_GENERATION + secrets.randbits(62)
    if not MatrixState.objects.filter(pk=1).update(generation=generation):
        MatrixState.objects.update_or_create(pk=1, defaults={"generation": generation})


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


def cache_key(request, *, prefix: str, generation: int, language: str | None = None) -> str:
    # The Accept header chooses between the API's JSON and its browsable HTML.
    varies = f"{request.get_full_path()}\n{request.META.get('HTTP_ACCEPT', '')}"
    digest = hashlib.sha256(varies.encode()).hexdigest()[:32]
    return f"{prefix}:{generation}:{language or translation.get_language()}:{digest}"


def cache_anonymous_page(view):
    """Mark a view's successful answers as the same for every anonymous visitor.

    `AnonymousPageCacheMiddleware` keeps them, with the headers the other middleware added.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.cacheable_for_anonymous = True
        return response

    wrapped.cacheable_for_anonymous = True  # lets the middleware skip every other address
    return wrapped


class CacheForAnonymousMixin:
    """For the read API's views: answers to anonymous callers come from the cache.

    The check runs after DRF's authentication, permissions and throttles (so rate limits
    still apply) and keeps the data before rendering, with the ETag and Last-Modified
    headers; conditional requests are answered 304 from the cache as well.
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if (
            request.method == "GET"
            and not request.user.is_authenticated
            and settings.SKILLMATRIX_PAGE_CACHE_SECONDS > 0
        ):
            self.get = self._cached_for_anonymous(self.get)

    def _cached_for_anonymous(self, handler):
        @wraps(handler)
        def cached(request, *args, **kwargs):
            key = cache_key(request, prefix="api", generation=matrix_generation())
            hit = cache.get(key)
            if hit is None:
                response = handler(request, *args, **kwargs)
                if response.status_code == 200 and hasattr(response, "data"):
                    headers = {
                        name: response[name]
                        for name in ("ETag", "Last-Modified")
                        if response.has_header(name)
                    }
                    # Plain data: DRF's containers keep their serializer (and its queryset).
                    data = json.loads(JSONRenderer().render(response.data))
                    cache.set(key, (data, headers), settings.SKILLMATRIX_PAGE_CACHE_SECONDS)
                return response
            data, headers = hit
            modified = headers.get("Last-Modified")
            return get_conditional_response(
                request,
                etag=headers.get("ETag"),
                last_modified=parse_http_date_safe(modified) if modified else None,
                response=Response(data, headers=headers),
            )

        return cached


def _is_cacheable_address(request) -> bool:
    urlconf, path = get_urlconf() or settings.ROOT_URLCONF, request.path_info
    if len(path) > _REMEMBERED_PATH_LENGTH:  # not worth keeping (and not a memory sink)
        return _is_cacheable_path(urlconf, path)
    return _remembered_is_cacheable_path(urlconf, path)


def _is_cacheable_path(urlconf: str, path: str) -> bool:
    """Whether `path` is answered by a view marked by `cache_anonymous_page`."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return False
    return getattr(match.func, "cacheable_for_anonymous", False)


#: Resolving an address was half of a cached hit's time; the answer cannot change while the
#: process runs (tests that swap the urlconf key on it), so it is remembered, for at most
#: 8,192 addresses of at most 200 characters (~2 MB at worst).
_REMEMBERED_PATH_LENGTH = 200
_remembered_is_cacheable_path = lru_cache(maxsize=8192)(_is_cacheable_path)


def request_language(request) -> str:
    """The language LocaleMiddleware and QueryLanguageMiddleware will choose, known early."""
    return query_language(request) or translation.get_language_from_request(request)


class AnonymousPageCacheMiddleware:
    """Serve pages marked by `cache_anonymous_page` from the cache to anonymous visitors.

    It sits near the top of the middleware stack, so a hit costs one small query (the matrix
    generation) and a cache read, and none of the work below it. Kept are only successful
    answers that set no cookie but the language one (so never one carrying a CSRF token).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            settings.SKILLMATRIX_PAGE_CACHE_SECONDS > 0  # PAGE_CACHE_SECONDS=0 turns it off
            and _is_anonymous_without_state(request)
            and _is_cacheable_address(request)
        ):
            return self.get_response(request)
        language = request_language(request)
        try:
            generation = matrix_generation()
        except DatabaseError:
            # The database is away, so there is no safe key: let the view answer (its failure
            # becomes a 503 in DatabaseUnavailableMiddleware, lower in the stack).
            return self.get_response(request)
        key = cache_key(request, prefix="page", generation=generation, language=language)
        cached = cache.get(key)
        if cached is not None:
            headers, content = cached
            response = HttpResponse(content, headers=headers)
            modified = headers.get("Last-Modified")
            response = get_conditional_response(  # the API's ETag and Last-Modified still work
                request,
                etag=headers.get("ETag"),
                last_modified=parse_http_date_safe(modified) if modified else None,
                response=response,
            )
            if query_language(request):  # as QueryLanguageMiddleware does
                remember_language(request, response, language)
            return response
        response = self.get_response(request)
        if (
            getattr(response, "cacheable_for_anonymous", False)
            and response.status_code == 200
            and not response.streaming
            and set(response.cookies) <= {settings.LANGUAGE_COOKIE_NAME}
        ):
            cache.set(
                key,
                (dict(response.headers), response.content),
                settings.SKILLMATRIX_PAGE_CACHE_SECONDS,
            )
        return response
