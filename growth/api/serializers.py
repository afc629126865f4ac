"""JSON shapes of a member's growth. Skills, roles and levels are named by slug."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from skillmatrix.api.serializers import StrictCharField, StrictSlugField
from skills.models import Expectation, Level, Necessity, Role, Skill

from ..models import Assessment, Mark, ShareLink
from ..services import NOTE_MAX_LENGTH

MAX_BULK = 500


class AssessmentSerializer(serializers.ModelSerializer):
    """One mark, with the expectation as it was assessed and as it reads now."""

    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    level = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    expectation = serializers.SerializerMethodField(
        help_text="The expectation's id now; null when it was removed from the matrix."
    )
    description = serializers.SerializerMethodField(
        help_text="The expectation's text now; null when it was removed."
    )
    changed = serializers.SerializerMethodField(
        help_text="True when the expectation's text or necessity changed since the mark was "
        "set (or the expectation was removed): set the mark again to acknowledge it."
    )
    note_html = serializers.CharField(
        read_only=True, help_text="The note rendered from Markdown and sanitized."
    )

    class Meta:
        model = Assessment
        fields = [
            "skill",
            "role",
            "level",
            "mark",
            "note",
            "note_html",
            "assessed_at",
            "assessed_description",
            "assessed_necessity",
            "expectation",
            "description",
            "changed",
        ]
        read_only_fields = fields

    def get_expectation(self, assessment) -> int | None:
        return assessment.current_pk

    def get_description(self, assessment) -> str | None:
        return assessment.current_description

    def get_changed(self, assessment) -> bool:
        return assessment.flag is not None


class AssessmentChangeSerializer(serializers.Serializer):
    skill = StrictSlugField(help_text="The skill's slug.")
    role = StrictSlugField(help_text="The role's slug.")
    level = StrictSlugField(help_text="The level's slug.")
    mark = serializers.ChoiceField(
        choices=Mark.choices, allow_null=True, help_text="null removes the mark and its note."
    )
    note = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text="Private evidence (Markdown). Left out: the note stays as it is.",
    )


def _existing(model, slugs: set[str]) -> set[str]:
    return set(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))


class AssessmentBulkSerializer(serializers.Serializer):
    assessments = AssessmentChangeSerializer(many=True, max_length=MAX_BULK)

    def validate_assessments(self, items):
        """Resolve each item's (skill, role, level) to its expectation, in four queries;
        an unknown slug or an empty cell is an error naming the item's field."""
        skills = _existing(Skill, {i["skill"] for i in items})
        roles = _existing(Role, {i["role"] for i in items})
        levels = _existing(Level, {i["level"] for i in items})
        cells = {
            (e.skill.slug, e.role.slug, e.level.slug): e
            for e in Expectation.objects.filter(
                skill__slug__in=skills, role__slug__in=roles, level__slug__in=levels
            ).select_related("skill", "role", "level")
        }
        errors = []
        for item in items:
            error = {}
            for field, known, message in (
                ("skill", skills, _("There is no skill “%(slug)s”.")),
                ("role", roles, _("There is no role “%(slug)s”.")),
                ("level", levels, _("There is no level “%(slug)s”.")),
            ):
                if item[field] not in known:
                    error[field] = [message % {"slug": item[field]}]
            key = (item["skill"], item["role"], item["level"])
            if not error and key not in cells:
                error["level"] = [
                    _("%(role)s has no expectation for %(skill)s at %(level)s.")
                    % {"role": item["role"], "skill": item["skill"], "level": item["level"]}
                ]
            if not error:
                item["expectation"] = cells[key]
            errors.append(error)
        if any(errors):
            raise serializers.ValidationError(errors)
        return items


class BulkResultSerializer(serializers.Serializer):
    set = serializers.IntegerField(help_text="How many marks were set (or set again).")
    removed = serializers.IntegerField(help_text="How many items asked for removal (mark null).")


class RungSerializer(serializers.Serializer):
    role = serializers.SlugField()
    role_name = serializers.CharField()
    level = serializers.SlugField()
    level_name = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    required_met = serializers.IntegerField()
    required_total = serializers.IntegerField()
    percent = serializers.IntegerField(
        allow_null=True, help_text="Required met / required total; null when none is required."
    )


class GapCountsSerializer(serializers.Serializer):
    meets = serializers.IntegerField()
    learning = serializers.IntegerField()
    not_yet = serializers.IntegerField()
    unmarked = serializers.IntegerField()


class GapItemSerializer(serializers.Serializer):
    skill = serializers.SlugField()
    skill_name = serializers.CharField()
    domain = serializers.SlugField()
    group = serializers.SlugField()
    necessity = serializers.ChoiceField(choices=Necessity.choices)
    description = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=["new", "required", "optional", "changed", "same"],
        help_text="What the target asks compared with the starting point, for this skill.",
    )
    from_description = serializers.CharField(
        allow_null=True, help_text="What the starting point asks of the skill; null if nothing."
    )
    mark = serializers.ChoiceField(choices=Mark.choices, allow_null=True)
    note = serializers.CharField(allow_blank=True, help_text="Your private note (Markdown).")
    assessed_at = serializers.DateTimeField(allow_null=True)
    changed_since_assessed = serializers.BooleanField()
    assessed_description = serializers.CharField(
        allow_null=True, help_text="The text as you assessed it, when it changed since."
    )
    from_mark = serializers.CharField(
        allow_null=True,
        help_text="Your mark for the starting point's expectation of the skill, if any "
        "(`not_yet`, `learning` or `meets`).",
    )


class PersonSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField()


class GapSerializer(serializers.Serializer):
    """The gap report (the promotion packet's JSON): every expectation of `to`, with marks."""

    person = PersonSerializer()
    to = RungSerializer()
    cross_role = serializers.BooleanField()
    with_marks = serializers.BooleanField()
    progress = ProgressSerializer()
    counts = GapCountsSerializer()
    expectations = GapItemSerializer(many=True)
    exported_at = serializers.DateTimeField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = RungSerializer()  # `from` is a Python keyword
        return fields


class ShareLinkSerializer(serializers.ModelSerializer):
    label = StrictCharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Who the link is for; only you see it.",
    )
    url = serializers.SerializerMethodField(
        help_text="The read-only page to give a manager or mentor; 404 once revoked."
    )

    class Meta:
        model = ShareLink
        fields = ["id", "label", "token", "url", "created_at", "revoked_at", "is_active"]
        read_only_fields = ["id", "token", "url", "created_at", "revoked_at", "is_active"]

    def get_url(self, link) -> str:
        request = self.context.get("request")
        path = link.get_absolute_url()
        return request.build_absolute_uri(path) if request else path
