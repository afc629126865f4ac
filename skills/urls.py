from django.urls import path, re_path

from . import feeds, views

app_name = "skills"

urlpatterns = [
    path("", views.home, name="home"),
    path("skills/", views.skill_catalogue, name="catalogue"),
    path("skills/<slug:slug>/", views.skill_detail, name="detail"),
    path("skills/<slug:slug>/history/", views.skill_history, name="history"),
    path(
        "skills/<slug:slug>/history/<int:version>/", views.revision_detail, name="revision_detail"
    ),
    path("skills/<slug:slug>/feed/", feeds.SkillChangesFeed(), name="skill_feed"),
    path("feeds/changes/", feeds.ChangesFeed(), name="changes_feed"),
    path("roles/", views.role_list, name="role_list"),
    path("roles/<slug:slug>/", views.role_detail, name="role_detail"),
    path("roles/<slug:slug>/compare/", views.role_compare, name="role_compare"),
    re_path(
        r"^roles/(?P<slug>[-a-zA-Z0-9_]+)/export\.(?P<fmt>csv|json|pdf)$",
        views.role_export,
        name="role_export",
    ),
    path("healthz", views.healthz, name="healthz"),
]
