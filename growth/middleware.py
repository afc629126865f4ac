"""`request.current_position()`: the logged-in user's current position, or None.

The matrix pages (skills/) start from it when their URL names no role and level; they ask the
request rather than import this app, so the matrix core knows nothing of personal data. The
query runs only when a page asks, and at most once per request.
"""

from functools import cache

from . import selectors


def current_position_middleware(get_response):
    def middleware(request):
        request.current_position = cache(lambda: selectors.current_position(user=request.user))
        return get_response(request)

    return middleware
