"""One JSON shape for every error the API answers with (400, 401, 403, 404, 405, 409, 429 …).

    {"status": 400,
     "code": "invalid",
     "detail": "role: Select a valid choice. That choice is not one of the available choices.",
     "errors": [{"field": "role", "code": "invalid_choice", "message": "Select a valid …"}]}

`errors` lists every problem, each naming its field (a dotted path into the request such as
`changes.0.role`, a query parameter, or a path parameter such as `slug`; `null` when the
problem is not one field's). `detail` sums them up in one line. A 429 adds `retry_after`
(seconds); a 409 raised as `Conflict` adds `conflict` (both sides of it).
"""

from __future__ import annotations

import math

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_KEYS = {api_settings.NON_FIELD_ERRORS_KEY, "__all__", "detail"}


class Conflict(exceptions.APIException):
    """409: the request clashes with the current state; `conflict` shows both sides."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This conflicts with a change made meanwhile.")
    default_code = "conflict"

    def __init__(self, detail=None, code=None, *, conflict: dict | None = None):
        super().__init__(detail, code)
        self.conflict = conflict or {}


def field_errors(detail, path: tuple[str, ...] = ()):
    """Flatten DRF's nested error detail into [{"field", "code", "message"}]."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from field_errors(value, (*path, str(key)))
    elif isinstance(detail, list | tuple):
        for index, item in enumerate(detail):
            nested = isinstance(item, dict | list | tuple)
            yield from field_errors(item, (*path, str(index)) if nested else path)
    else:
        parts = [p for p in path if p not in NON_FIELD_KEYS]
        yield {
            "field": ".".join(parts) or None,
            "code": getattr(detail, "code", None) or "invalid",
            "message": str(detail),
        }


def _as_api_exception(exc, context):
    """Django's exceptions, raised by services and shortcuts, as DRF's."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(detail=as_serializer_error(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, Http404):
        view = context.get("view")
        kwargs = context.get("kwargs") or {}
        lookup = getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", None)
        message = str(exc.args[0]) if exc.args else str(exceptions.NotFound.default_detail)
        if lookup in kwargs:
            return exceptions.NotFound({lookup: [message]})
        return exceptions.NotFound(message)
    return exc


def api_exception_handler(exc, context):
    exc = _as_api_exception(exc, context)
    response = drf_exception_handler(exc, context)
    if response is None:  # not an API error: a bug, left to Django's 500 handling
        return None
    code = getattr(exc, "default_code", "error")
    if isinstance(exc.detail, dict | list):
        errors = list(field_errors(exc.detail))
        summary = "; ".join(
            f"{e['field']}: {e['message']}" if e["field"] else e["message"] for e in errors
        )
    else:
        code = getattr(exc.detail, "code", None) or code
        summary = str(exc.detail)
        errors = [{"field": None, "code": code, "message": summary}]
    body = {"status": response.status_code, "code": code, "detail": summary, "errors": errors}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        body["retry_after"] = math.ceil(exc.wait)
        response["Retry-After"] = str(body["retry_after"])
    if isinstance(exc, Conflict):
        body["conflict"] = exc.conflict
    response.data = body
    return response
