"""The member's own growth, mounted under /api/v1/ by skillmatrix/api/urls.py."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("me/share-links", views.ShareLinkViewSet, basename="share-link")

urlpatterns = [
    path("me/assessments/", views.MyAssessments.as_view(), name="my-assessments"),
    path("me/gap/", views.MyGap.as_view(), name="my-gap"),
    *router.urls,
]
