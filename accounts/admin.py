from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Notification, User, Watch


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Profile"),
            {"fields": ("display_name", "bio", "preferred_language", "email_notifications")},
        ),
    )
    list_display = ("username", "email", "display_name", "is_staff", "date_joined")
    list_filter = (*BaseUserAdmin.list_filter, "groups")


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ("user", "skill", "seen_version", "created_at")
    list_select_related = ("user", "skill")
    raw_id_fields = ("user", "skill")
    search_fields = ("user__username", "skill__slug")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "actor", "verb", "target_title", "created_at", "read_at")
    list_filter = ("verb",)
    list_select_related = ("recipient", "actor")
    raw_id_fields = ("recipient", "actor")
    search_fields = ("recipient__username", "event")
