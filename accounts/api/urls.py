"""Watching and notifications, mounted under /api/v1/ by skillmatrix/api/urls.py."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from skills.api.views import SLUG_PATTERN

from . import views

router = SimpleRouter()
router.register("notifications", views.NotificationViewSet, basename="notification")

urlpatterns = [
    re_path(rf"^skills/(?P<slug>{SLUG_PATTERN})/watch/$", views.SkillWatch.as_view(), name="watch"),
    *router.urls,
]
