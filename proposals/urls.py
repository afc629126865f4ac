from django.urls import path

from . import views

app_name = "proposals"

urlpatterns = [
    path("skills/<slug:slug>/comments/", views.skill_comments, name="skill_comments"),
    path("comments/<int:pk>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
]
