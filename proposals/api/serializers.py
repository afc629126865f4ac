from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from skills.models import Necessity, Skill
from skills.services import DESCRIPTION_MAX_LENGTH, SUMMARY_MAX_LENGTH

from ..models import Comment, Proposal, RejectionReason
from ..services import BODY_MAX_LENGTH, RATIONALE_MAX_LENGTH


class ChangeSerializer(serializers.Serializer):
    """One cell: set it (`necessity` and `description`), or remove it (`"delete": true`)."""

    role = serializers.SlugField(max_length=120)
    level = serializers.SlugField(max_length=60)
    necessity = serializers.ChoiceField(choices=Necessity.choices, required=False)
    description = serializers.CharField(max_length=DESCRIPTION_MAX_LENGTH, required=False)
    delete = serializers.BooleanField(required=False, default=False)

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


class ProposalSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    revision = serializers.SerializerMethodField()
    html_url = serializers.URLField(source="get_absolute_url", read_only=True)

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


class ProposalCreateSerializer(serializers.Serializer):
    skill = serializers.SlugRelatedField(slug_field="slug", queryset=Skill.objects.all())
    base_version = serializers.IntegerField(min_value=1)
    rationale = serializers.CharField(max_length=RATIONALE_MAX_LENGTH)
    changes = ChangeSerializer(many=True, required=False, default=list)
    summary = serializers.CharField(
        max_length=SUMMARY_MAX_LENGTH, required=False, allow_null=True, allow_blank=True
    )


class ProposalEditSerializer(serializers.Serializer):
    """What the author may change while open; missing fields keep their value."""

    base_version = serializers.IntegerField(min_value=1, required=False)
    rationale = serializers.CharField(max_length=RATIONALE_MAX_LENGTH, required=False)
    changes = ChangeSerializer(many=True, required=False)
    summary = serializers.CharField(
        max_length=SUMMARY_MAX_LENGTH, required=False, allow_null=True, allow_blank=True
    )


class RejectSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    note = serializers.CharField(max_length=RATIONALE_MAX_LENGTH, required=False, default="")


class RequestChangesSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=BODY_MAX_LENGTH)


class ProposalCommentSerializer(serializers.ModelSerializer):
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    body = serializers.CharField(max_length=BODY_MAX_LENGTH)
    deleted = serializers.BooleanField(source="is_deleted", read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "author",
            "body",
            "body_html",
            "requests_changes",
            "created_at",
            "edited_at",
            "deleted",
        ]
        read_only_fields = [f for f in fields if f != "body"]
