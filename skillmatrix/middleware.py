from django.conf import settings
from django.utils import translation


class QueryLanguageMiddleware:
    """Let `?lang=<code>` choose the interface language, ahead of cookie and Accept-Language.

    A link carrying `?lang=` always opens in that language; the choice is also kept in the
    language cookie, so the visitor stays in it while browsing on (the language switcher is
    simply a set of such links).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        requested = request.GET.get("lang", "").strip().lower()
        language = requested if requested in self.languages else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                samesite="Lax",
            )
        return response
