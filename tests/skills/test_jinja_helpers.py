"""The skill page's remembered helpers (skillmatrix/jinja2.py) answer as Django's own do."""

import datetime

import pytest
from django.template import Context, Template
from django.templatetags.static import static
from django.utils import timezone, translation

from skillmatrix.jinja2 import local_date, short_date, static_url


def django_short_date(value) -> str:
    """What Django's templates show, as the other pages do (in the current time zone)."""
    return Template("{{ value|date:'SHORT_DATE_FORMAT' }}").render(Context({"value": value}))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/Los_Angeles"])
def test_short_date_is_djangos_short_date_in_every_language_and_time_zone(language, zone):
    # 20:30 UTC is the next day in Shanghai and the same day in Los Angeles.
    moments = [
        datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 1, 3, 0, tzinfo=datetime.UTC),
        datetime.date(2026, 12, 31),
    ]
    with translation.override(language), timezone.override(zone):
        for moment in moments:
            assert short_date(moment) == django_short_date(moment)
    with translation.override("en"), timezone.override("Asia/Shanghai"):
        assert short_date(moments[0]) == "03/02/2026"
    with translation.override("zh-hans"), timezone.override("UTC"):
        assert short_date(moments[0]) == "2026年3月1日"
    assert short_date(None) == ""


@pytest.mark.parametrize("zone", ["UTC", "Asia/Shanghai", "America/Los_Angeles"])
def test_the_date_filter_is_djangos_in_the_current_time_zone(zone):
    moment = datetime.datetime(2026, 3, 1, 20, 30, tzinfo=datetime.UTC)
    with timezone.override(zone):
        django = Template("{{ value|date:'c' }}").render(Context({"value": moment}))
        assert local_date(moment, "c") == django
    with timezone.override("Asia/Shanghai"):
        assert local_date(moment, "c") == "2026-03-02T04:30:00+08:00"


def test_static_url_is_djangos_static_and_follows_the_storage(settings):
    assert static_url("css/site.css") == static("css/site.css")
    settings.STATIC_URL = "/assets/"
    assert static_url("css/site.css") == static("css/site.css")
    assert static_url("css/site.css").startswith("/assets/")
