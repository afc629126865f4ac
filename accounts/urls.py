from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("users/<str:username>/", views.user_detail, name="user_detail"),
    path("accounts/profile/", views.profile_settings, name="settings"),
    path("skills/<slug:slug>/watch/", views.skill_watch, name="watch"),
    path("skills/<slug:slug>/unwatch/", views.skill_unwatch, name="unwatch"),
    path("watchlist/", views.watchlist, name="watchlist"),
    path("watchlist/seen/", views.watchlist_seen, name="watchlist_seen"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
