"""Proposals and comments over JSON. Request serializers only check shapes and types; the
services (`proposals.services`) check everything else and raise errors naming the field."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from skillmatrix.api.serializers import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictSlugField,
)
from skills.models import Necessity, Skill
from skills.services import DESCRIPTION_MAX_LENGTH, SUMMARY_MAX_LENGTH

from ..models import Comment, Proposal, RejectionReason
from ..services import BODY_MAX_LENGTH, RATIONALE_MAX_LENGTH

#: The most cells one proposal may carry (a skill's whole matrix is far smaller).
MAX_CHANGES = 500


class ChangeSerializer(serializers.Serializer):
    """One cell: set it (`necessity` and `description`), or remove it (`"delete": true`)."""

    role = StrictSlugField(max_length=120, help_text="The role's slug.")
    level = StrictSlugField(max_length=60, help_text="The level's slug.")
    necessity = StrictChoiceField(choices=Necessity.choices, required=False)
    description = StrictCharField(max_length=DESCRIPTION_MAX_LENGTH, required=False)
    delete = StrictBooleanField(required=False, default=False, help_text="`true` removes the cell.")

    def validate(self, data):
        if data.get("delete"):
            return {"role": data["role"], "level": data["level"], "delete": True}
        missing = {
            name: [_("Required unless the cell is deleted.")]
            for name in ("necessity", "description")
            if name not in data
        }
        if missing:
            raise serializers.ValidationError(missing)
        data.pop("delete", None)
        return data


class CellSerializer(serializers.Serializer):
    """A cell as a proposal keeps it: set (`necessity`, `description`) or removed (`delete`)."""

    role = serializers.CharField()
    level = serializers.CharField()
    necessity = serializers.ChoiceField(choices=Necessity.choices, required=False)
    description = serializers.CharField(required=False)
    delete = serializers.BooleanField(required=False)


class ProposalSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Its author's username (null once their account is gone).",
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Who decided it (withdrawn: its author); null while open.",
    )
    rejection_reason = serializers.ChoiceField(
        choices=RejectionReason.choices,
        allow_blank=True,
        read_only=True,
        help_text="Why it was rejected; empty unless rejected.",
    )
    changes = CellSerializer(many=True, read_only=True)
    revision = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()

    class Meta:
        model = Proposal
        fields = [
            "id",
            "skill",
            "author",
            "status",
            "base_version",
            "changes",
            "summary",
            "rationale",
            "changes_requested",
            "created_at",
            "updated_at",
            "decided_at",
            "decided_by",
            "rejection_reason",
            "rejection_note",
            "revision",
            "html_url",
        ]
        read_only_fields = fields

    def get_revision(self, proposal) -> int | None:
        """The skill's version that approving this proposal wrote."""
        return proposal.revision.version if proposal.revision_id else None

    def get_html_url(self, proposal) -> str:
        """The proposal's page on the site."""
        request = self.context.get("request")
        path = proposal.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class ProposalCreateSerializer(serializers.Serializer):
    skill = StrictSlugField(max_length=120, help_text="The skill's slug.")
    base_version = StrictIntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The skill's version the change starts from."
    )
    rationale = StrictCharField(max_length=RATIONALE_MAX_LENGTH, help_text="Why it is right.")
    changes = ChangeSerializer(many=True, required=False, default=list, max_length=MAX_CHANGES)
    summary = StrictCharField(
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="The skill's new summary; null or left out keeps it.",
    )

    def validate_skill(self, slug: str) -> Skill:
        skill = Skill.objects.filter(slug=slug).first()
        if skill is None:
            raise serializers.ValidationError(
                _("No skill is called “%(slug)s”.") % {"slug": slug}, code="does_not_exist"
            )
        return skill


class ProposalEditSerializer(serializers.Serializer):
    """What the author may change while open; missing fields keep their value."""

    base_version = StrictIntegerField(min_value=1, max_value=2**31 - 1, required=False)
    rationale = StrictCharField(max_length=RATIONALE_MAX_LENGTH, required=False)
    changes = ChangeSerializer(many=True, required=False, max_length=MAX_CHANGES)
    summary = StrictCharField(
        max_length=SUMMARY_MAX_LENGTH, required=False, allow_null=True, allow_blank=True
    )


class RejectSerializer(serializers.Serializer):
    reason = StrictChoiceField(choices=RejectionReason.choices)
    note = StrictCharField(
        max_length=RATIONALE_MAX_LENGTH,
        required=False,
        default="",
        allow_blank=True,
        help_text="Required with the reason `other`.",
    )


class RequestChangesSerializer(serializers.Serializer):
    message = StrictCharField(max_length=BODY_MAX_LENGTH, help_text="What to change (Markdown).")


class CommentSerializer(serializers.ModelSerializer):
    """A comment on a skill or on a proposal. A deleted one keeps its place, not its text."""

    skill = serializers.SerializerMethodField()
    author = serializers.SerializerMethodField()
    deleted = serializers.BooleanField(source="is_deleted", read_only=True)
    body_html = serializers.CharField(
        read_only=True, help_text="The body rendered from Markdown and sanitized (nh3)."
    )

    class Meta:
        model = Comment
        fields = [
            "id",
            "skill",
            "proposal",
            "author",
            "body",
            "body_html",
            "requests_changes",
            "created_at",
            "edited_at",
            "deleted",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "proposal": {"help_text": "The proposal's id, for a comment on a proposal."},
            "body": {"help_text": "Markdown, as written; empty once deleted."},
        }

    def get_skill(self, comment) -> str | None:
        """The skill's slug, for a comment on a skill."""
        return comment.skill.slug if comment.skill_id else None

    def get_author(self, comment) -> str | None:
        """Its author's username (null once their account is gone)."""
        return comment.author.username if comment.author_id else None


class CommentBodySerializer(serializers.Serializer):
    """What a member writes: the comment's Markdown."""

    body = StrictCharField(max_length=BODY_MAX_LENGTH, help_text="Markdown.")
