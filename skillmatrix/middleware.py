from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _


def remember_language(request, response, language: str) -> None:
    """Keep the language chosen by `?lang=` in the language cookie, unless it is there."""
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite="Lax",
        )


def query_language(request) -> str | None:
    """The language `?lang=<code>` asks for, when it names one of ours."""
    requested = request.GET.get("lang", "").strip().lower()
    return requested if requested in {code for code, _name in settings.LANGUAGES} else None


class QueryLanguageMiddleware:
    """Let `?lang=<code>` choose the interface language, ahead of cookie and Accept-Language.

    A link carrying `?lang=` always opens in that language; the choice is also kept in the
    language cookie, so the visitor stays in it while browsing on (the language switcher is
    simply a set of such links).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = query_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            remember_language(request, response, language)
        return response


class DatabaseUnavailableMiddleware:
    """Answer 503 with a clear retry message when the database cannot answer right now.

    Two cases, both temporary: PostgreSQL is restarting or unreachable (any operational or
    interface error from it), and SQLite is locked by another writer for longer than its
    timeout ("database is locked"). Nothing was changed; the client should try again shortly.
    """

    SQLITE_BUSY = ("database is locked", "database table is locked")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def is_unavailable(self, exception) -> bool:
        if isinstance(exception, InterfaceError):  # the connection is gone
            return True
        if not isinstance(exception, OperationalError):
            return False
        cause = exception.__cause__
        sqlstate = getattr(cause, "sqlstate", None)
        if connection.vendor == "postgresql" and cause is not None:
            # No SQLSTATE: the connection failed or broke. Class 08: connection exception;
            # class 57: operator intervention (shutdown, "cannot connect now").
            return sqlstate is None or sqlstate.startswith(("08", "57"))
        return any(text in str(exception) for text in self.SQLITE_BUSY)

    def process_exception(self, request, exception):
        if not self.is_unavailable(exception):
            return None
        # The connection may be broken: let the next request open a new one.
        connection.close_if_unusable_or_obsolete()
        message = _("The database is busy. Please try again in a moment.")
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            response = JsonResponse({"detail": message, "code": "database_busy"}, status=503)
        else:
            response = render(request, "503.html", {"message": message}, status=503)
        response["Retry-After"] = "2"
        return response
