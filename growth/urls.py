from django.urls import path, re_path

from . import views

app_name = "growth"

FORMATS = r"(?P<fmt>pdf|md|json)"

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/positions/", views.position_add, name="position_add"),
    path("me/positions/<int:pk>/current/", views.position_make_current, name="position_current"),
    path("me/positions/<int:pk>/remove/", views.position_remove, name="position_remove"),
    path("me/marks/", views.mark_set, name="mark"),
    path("me/expectations/<int:pk>/", views.assessment_edit, name="assessment"),
    path("me/assessments/<int:pk>/delete/", views.assessment_delete, name="assessment_delete"),
    path("me/gap/", views.gap, name="gap"),
    re_path(rf"^me/gap/export\.{FORMATS}$", views.gap_export, name="gap_export"),
    path("me/share/", views.share_create, name="share_create"),
    path("me/share/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("share/<str:token>/", views.shared, name="shared"),
    path("share/<str:token>/gap/", views.shared_gap, name="shared_gap"),
    re_path(
        rf"^share/(?P<token>[-\w]+)/gap/export\.{FORMATS}$",
        views.shared_gap_export,
        name="shared_gap_export",
    ),
]
