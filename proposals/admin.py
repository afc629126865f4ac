from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from skills.services import ChangeConflict

from . import services
from .forms import RejectForm
from .models import Comment, Proposal, ProposalEvent, ProposalStatus


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("pk", "skill", "proposal", "author", "created_at", "edited_at", "deleted_at")
    list_select_related = ("skill", "proposal", "author")
    raw_id_fields = ("skill", "proposal", "author", "deleted_by")
    readonly_fields = ("body_html",)
    search_fields = ("body", "author__username", "skill__slug")


class ProposalEventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    fields = ("created_at", "actor", "kind", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Proposals are decided here through the same services as on the site: the same rules
    (reviewers only, nobody on their own), the same revision and notifications."""

    list_display = ("pk", "skill", "author", "status", "base_version", "created_at", "decided_at")
    list_filter = ("status", "changes_requested", "created_at", "skill__group__domain")
    list_select_related = ("skill", "author")
    search_fields = ("rationale", "skill__name", "skill__slug", "author__username")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Proposal._meta.fields]
    inlines = [ProposalEventInline]
    actions = ["approve_selected", "reject_selected"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Approve the selected proposals"))
    def approve_selected(self, request, queryset):
        done = 0
        for proposal in queryset.select_related("skill", "author").order_by("created_at"):
            try:
                services.proposal_approve(proposal=proposal, by=request.user)
            except ChangeConflict:
                self.message_user(
                    request,
                    gettext("#%(id)s conflicts with changes made since it was proposed.")
                    % {"id": proposal.pk},
                    messages.ERROR,
                )
            except (services.AlreadyDecided, PermissionDenied, ValidationError) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else error
                self.message_user(request, f"#{proposal.pk}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(
                request, gettext("%(n)s proposal(s) approved.") % {"n": done}, messages.SUCCESS
            )

    @admin.action(description=_("Reject the selected proposals…"))
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done = 0
            for proposal in queryset.select_related("skill", "author"):
                try:
                    services.proposal_reject(
                        proposal=proposal,
                        by=request.user,
                        reason=form.cleaned_data["reason"],
                        note=form.cleaned_data["note"],
                    )
                except (services.AlreadyDecided, PermissionDenied, ValidationError) as error:
                    text = " ".join(error.messages) if isinstance(error, ValidationError) else error
                    self.message_user(request, f"#{proposal.pk}: {text}", messages.ERROR)
                else:
                    done += 1
            if done:
                self.message_user(
                    request, gettext("%(n)s proposal(s) rejected.") % {"n": done}, messages.SUCCESS
                )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject proposals"),
            "proposals": queryset.filter(status=ProposalStatus.OPEN).select_related("skill"),
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/proposals/proposal/reject_selected.html", context)
