"""Request rates are limited for anonymous callers, for users, and more strictly for writes."""

import pytest
from django.test import override_settings
from rest_framework.settings import api_settings

pytestmark = pytest.mark.django_db


def rates(**changed):
    base = {**api_settings.user_settings}
    base["DEFAULT_THROTTLE_RATES"] = {
        "anon": "1000/minute",
        "user": "1000/minute",
        "write": "1000/minute",
        **changed,
    }
    return override_settings(REST_FRAMEWORK=base)


def test_anonymous_reads_are_throttled_per_address(api, levels):
    """Past the anonymous read rate, a caller gets 429 with Retry-After; others do not."""
    with rates(anon="3/minute"):
        statuses = [api.get("/api/v1/levels/").status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        response = api.get("/api/v1/levels/")
        body = response.json()
        assert body["code"] == "throttled" and body["status"] == 429
        assert 0 < body["retry_after"] <= 60
        assert response["Retry-After"] == str(body["retry_after"])
        assert api.get("/api/v1/levels/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_users_have_their_own_read_rate(api, levels, member):
    """Signed-in callers are counted per user, at the user rate, not the anonymous one."""
    api.force_authenticate(member)
    with rates(anon="1/minute", user="3/minute"):
        statuses = [api.get("/api/v1/levels/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_writes_are_throttled_more_strictly_than_reads(api, member):
    """Writes have their own, stricter rate; reads go on while writes are refused."""
    api.force_authenticate(member)
    with rates(user="100/minute", write="2/minute"):
        made = [
            api.post("/api/v1/tokens/", {"name": f"t{n}"}, format="json").status_code
            for n in range(3)
        ]
        assert made == [201, 201, 429]
        assert api.get("/api/v1/tokens/").status_code == 200


def test_default_rates_are_stricter_on_writes():
    """The configured write rate is lower than both read rates."""
    configured = api_settings.DEFAULT_THROTTLE_RATES

    def per_minute(rate):
        count, period = rate.split("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
        return int(count) * 60 / seconds

    assert per_minute(configured["write"]) < per_minute(configured["anon"])
    assert per_minute(configured["write"]) < per_minute(configured["user"])
