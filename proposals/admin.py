from django.contrib import admin

from .models import Comment


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "skill", "author", "created_at", "edited_at", "deleted_at")
    list_select_related = ("skill", "author")
    raw_id_fields = ("skill", "author", "deleted_by")
    readonly_fields = ("body_html",)
    search_fields = ("body", "author__username", "skill__slug")
