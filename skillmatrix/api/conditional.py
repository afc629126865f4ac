"""Conditional GET for detail endpoints: `ETag` and `Last-Modified`, and 304 when current.

A view computes its validators as cheaply as it can (a skill's `version` and `updated_at`
are one small query) and only builds the representation when the client's copy is stale.
Where no cheap validator exists, `content_etag` hashes the representation itself.
"""

from __future__ import annotations

import hashlib
import json
from calendar import timegm
from collections.abc import Callable
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.cache import get_conditional_response, quote_etag
from django.utils.http import http_date
from rest_framework.response import Response


def content_etag(data) -> str:
    """A strong ETag for a JSON representation: the same data gives the same tag."""
    encoded = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return quote_etag(hashlib.sha256(encoded.encode()).hexdigest()[:32])


def conditional_response(
    request,
    *,
    etag: str | None,
    last_modified: datetime | None,
    build: Callable[[], Response | dict],
):
    """A 304 when the request's `If-None-Match` / `If-Modified-Since` still match, else the
    response `build()` makes; both carry the validators."""
    timestamp = timegm(last_modified.utctimetuple()) if last_modified else None
    etag = quote_etag(etag) if etag else None
    response = get_conditional_response(request, etag=etag, last_modified=timestamp)
    if response is None:
        response = build()
        if not isinstance(response, Response):
            response = Response(response)
    if response.status_code in (200, 304):
        if etag:
            response.headers.setdefault("ETag", etag)
        if timestamp is not None:
            response.headers.setdefault("Last-Modified", http_date(timestamp))
    return response
