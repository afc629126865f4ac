"""The matrix's endpoints, mounted under /api/v1/ by skillmatrix/api/urls.py."""

from django.urls import re_path
from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("domains", views.DomainViewSet, basename="domain")
router.register("groups", views.SkillGroupViewSet, basename="group")
router.register("levels", views.LevelViewSet, basename="level")
router.register("skills", views.SkillViewSet, basename="skill")
router.register("roles", views.RoleViewSet, basename="role")
router.register("expectations", views.ExpectationViewSet, basename="expectation")

SKILL = rf"^skills/(?P<slug>{views.SLUG_PATTERN})/revisions/"

urlpatterns = [
    re_path(
        SKILL + "$",
        views.SkillRevisionViewSet.as_view({"get": "list"}),
        name="skill-revision-list",
    ),
    re_path(
        SKILL + r"(?P<version>[0-9]{1,9})/$",
        views.SkillRevisionViewSet.as_view({"get": "retrieve"}),
        name="skill-revision-detail",
    ),
    *router.urls,
]
