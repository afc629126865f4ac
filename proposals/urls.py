from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("skills/<slug:slug>/comments/", views.skill_comments, name="skill_comments"),
    path("skills/<slug:slug>/propose/", views.proposal_create, name="create"),
    path(
        "skills/<slug:slug>/history/<int:version>/revert/",
        views.revision_revert,
        name="revision_revert",
    ),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("proposals/", views.proposal_list, name="list"),
    path("proposals/<int:pk>/", views.proposal_detail, name="detail"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("proposals/<int:pk>/approve/", views.proposal_approve, name="approve"),
    path("proposals/<int:pk>/reject/", views.proposal_reject, name="reject"),
    path(
        "proposals/<int:pk>/request-changes/",
        views.proposal_request_changes,
        name="request_changes",
    ),
    path("proposals/<int:pk>/comments/", views.proposal_comment, name="comment"),
    path("review/", views.review_queue, name="review"),
]
