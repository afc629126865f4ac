"""Request rates: reads by anonymous callers and by users, and writes (stricter), apart.

The rates are `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`: `anon` and `user` for reads,
`write` for every unsafe request (keyed by user, or by address when anonymous), plus any
named scope a view sets as `throttle_scope`. They are read at each request, so settings
overrides (in tests) take effect. The counters live in Django's default cache: in production
it must be one cache shared by all app processes.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings


class _LiveRates:
    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No throttle rate for the scope {self.scope!r}.") from None


class AnonReadThrottle(_LiveRates, throttling.AnonRateThrottle):
    """Reads by anonymous callers, per address."""

    scope = "anon"

    def allow_request(self, request, view):
        if request.method not in SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class UserReadThrottle(_LiveRates, throttling.UserRateThrottle):
    """Reads by signed-in callers, per user."""

    scope = "user"

    def allow_request(self, request, view):
        if request.method not in SAFE_METHODS or not request.user.is_authenticated:
            return True
        return super().allow_request(request, view)


class WriteThrottle(_LiveRates, throttling.SimpleRateThrottle):
    """Every unsafe request (POST, PUT, PATCH, DELETE), per user or per anonymous address."""

    scope = "write"

    def get_cache_key(self, request, view):
        if request.method in SAFE_METHODS:
            return None
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ScopedThrottle(_LiveRates, throttling.ScopedRateThrottle):
    """A view's own `throttle_scope`, on top of the others; nothing when it sets none."""
