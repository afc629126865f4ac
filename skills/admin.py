from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Domain, Expectation, Level, Revision, Role, RoleLevel, Skill, SkillGroup
from .services import skill_record_change


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    list_editable = ("position",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(SkillGroup)
class SkillGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "domain", "slug", "position")
    list_filter = ("domain",)
    list_select_related = ("domain",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ExpectationInline(admin.TabularInline):
    model = Expectation
    extra = 0
    fields = ("role", "level", "necessity", "description")
    autocomplete_fields = ("role",)
    ordering = ("level__rank", "role__name")


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    """Edits here are changes like any other: each save that changes something is a revision."""

    list_display = ("name", "group", "version", "updated_at")
    list_filter = ("group__domain", "group")
    list_select_related = ("group",)
    search_fields = ("name", "slug", "summary")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [ExpectationInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        skill_record_change(
            skill=form.instance,
            author=request.user,
            approver=request.user,
            summary=str(_("Edited in the admin")),
        )


class RoleLevelInline(admin.TabularInline):
    model = RoleLevel
    extra = 0
    fields = ("level", "focus", "stack")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "domain")
    list_filter = ("domain",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [RoleLevelInline]


@admin.register(Level)
class LevelAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "rank")
    ordering = ("rank",)


@admin.register(Expectation)
class ExpectationAdmin(admin.ModelAdmin):
    list_display = ("skill", "role", "level", "necessity", "updated_at")
    list_filter = ("necessity", "level", "role")
    list_select_related = ("skill", "role", "level")
    search_fields = ("skill__name", "description")
    autocomplete_fields = ("skill", "role")

    def has_add_permission(self, request):  # rows are added on their skill, which versions them
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(admin.ModelAdmin):
    list_display = ("skill", "version", "summary", "author", "approver", "created_at")
    list_select_related = ("skill", "author", "approver")
    search_fields = ("skill__name", "summary")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
