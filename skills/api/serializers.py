"""JSON shapes of the matrix. Roles, levels, skills, groups and domains are named by slug."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.utils.urls import replace_query_param

from skillmatrix.api.serializers import PublicUserSerializer

from ..diff import snapshot_diff
from ..models import Domain, Expectation, Level, Necessity, Revision, Role, Skill, SkillGroup
from ..selectors import RolePage, SkillPage


def absolute(context, path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """The page on the site of the object (or of its attribute `attr`), as an absolute URL."""

    def __init__(self, attr: str | None = None, **kwargs):
        self.attr = attr
        kwargs.setdefault("help_text", "The page on the site.")
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        target = getattr(value, self.attr) if self.attr else value
        return absolute(self.context, target.get_absolute_url())


class NamedRefSerializer(serializers.Serializer):
    slug = serializers.SlugField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- Taxonomy -------------------------------------------------------------------------------


class DomainSerializer(serializers.ModelSerializer):
    group_count = serializers.IntegerField(read_only=True)
    skill_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Domain
        fields = ["slug", "name", "description", "position", "group_count", "skill_count"]


class SkillGroupSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    skill_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SkillGroup
        fields = ["slug", "name", "domain", "position", "skill_count"]


class LevelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Level
        fields = ["slug", "name", "rank"]


# --- Skills ---------------------------------------------------------------------------------


class SkillListSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(source="group.domain", slug_field="slug", read_only=True)
    group = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    role_count = serializers.IntegerField(
        read_only=True, help_text="Roles with at least one expectation for the skill."
    )
    expectation_count = serializers.IntegerField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:skill-detail", lookup_field="slug")
    html_url = HtmlUrlField()

    class Meta:
        model = Skill
        fields = [
            "slug",
            "name",
            "summary",
            "domain",
            "group",
            "version",
            "updated_at",
            "role_count",
            "expectation_count",
            "url",
            "html_url",
        ]


class SkillCountsSerializer(serializers.Serializer):
    roles = serializers.IntegerField(help_text="Roles that include the skill.")
    levels = serializers.IntegerField(help_text="Levels with at least one expectation.")
    required = serializers.IntegerField(help_text="Required expectations.")
    optional = serializers.IntegerField(help_text="Optional expectations.")


class SkillExpectationSerializer(serializers.Serializer):
    role = serializers.SlugField(source="role.slug")
    level = serializers.SlugField(source="level.slug")
    necessity = serializers.ChoiceField(choices=Necessity.choices)
    description = serializers.CharField()
    updated_at = serializers.DateTimeField()


class SkillDetailSerializer(serializers.Serializer):
    """A skill page as data: built from `selectors.skill_page`."""

    slug = serializers.SlugField(source="skill.slug")
    name = serializers.CharField(source="skill.name")
    summary = serializers.CharField(source="skill.summary")
    domain = NamedRefSerializer(source="skill.group.domain")
    group = NamedRefSerializer(source="skill.group")
    version = serializers.IntegerField(
        source="skill.version", help_text="Increases by one at every applied change."
    )
    updated_at = serializers.DateTimeField(source="skill.updated_at")
    counts = serializers.SerializerMethodField()
    expectations = serializers.SerializerMethodField(
        help_text="Every expectation, by level rank, then role name."
    )
    html_url = HtmlUrlField("skill")
    revisions_url = serializers.SerializerMethodField()

    @extend_schema_field(SkillCountsSerializer)
    def get_counts(self, page: SkillPage):
        return {
            "roles": len(page.roles),
            "levels": page.level_count,
            "required": page.required_count,
            "optional": page.optional_count,
        }

    @extend_schema_field(SkillExpectationSerializer(many=True))
    def get_expectations(self, page: SkillPage):
        rows = [row for section in page.sections for row in section.rows]
        return SkillExpectationSerializer(rows, many=True).data

    @extend_schema_field(serializers.URLField())
    def get_revisions_url(self, page: SkillPage):
        path = reverse("api:skill-revision-list", kwargs={"slug": page.skill.slug})
        return absolute(self.context, path)


# --- Roles ----------------------------------------------------------------------------------


class RoleListSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    skill_count = serializers.IntegerField(read_only=True)
    expectation_count = serializers.IntegerField(read_only=True)
    required_count = serializers.IntegerField(read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:role-detail", lookup_field="slug")
    html_url = HtmlUrlField()

    class Meta:
        model = Role
        fields = [
            "slug",
            "name",
            "description",
            "domain",
            "skill_count",
            "expectation_count",
            "required_count",
            "url",
            "html_url",
        ]


class RoleCountsSerializer(serializers.Serializer):
    skills = serializers.IntegerField()
    levels = serializers.IntegerField()
    required = serializers.IntegerField()
    expectations = serializers.IntegerField()


class RoleLevelSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    rank = serializers.IntegerField()
    focus = serializers.CharField(help_text="What the role concentrates on at this level.")
    stack = serializers.ListField(child=serializers.CharField(), help_text="Technology stack.")


class MatrixCellSerializer(serializers.Serializer):
    level = serializers.SlugField()
    necessity = serializers.ChoiceField(choices=Necessity.choices)
    description = serializers.CharField()


class MatrixSkillSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    expectations = MatrixCellSerializer(many=True, help_text="One per level that has one.")


class MatrixGroupSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    domain = serializers.SlugField()
    skills = MatrixSkillSerializer(many=True)


class MatrixPageSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="This page of the matrix (`?page=`).")
    pages = serializers.IntegerField(help_text="How many pages the matrix has.")
    skills_per_page = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class RoleDetailSerializer(serializers.Serializer):
    """A role page as data: built from `selectors.role_page`. A large role's matrix comes in
    pages of skills (`?page=`); counts and levels are always the whole role's."""

    slug = serializers.SlugField(source="role.slug")
    name = serializers.CharField(source="role.name")
    description = serializers.CharField(source="role.description")
    domain = serializers.SlugField(source="role.domain.slug", allow_null=True, default=None)
    counts = serializers.SerializerMethodField()
    levels = serializers.SerializerMethodField(help_text="Focus and stack at each level.")
    matrix = serializers.SerializerMethodField(
        help_text="The role's skills × levels, by domain and group (one page of skills)."
    )
    matrix_page = serializers.SerializerMethodField()
    html_url = HtmlUrlField("role")

    @extend_schema_field(MatrixPageSerializer)
    def get_matrix_page(self, page: RolePage):
        current = page.page
        request = self.context.get("request")

        def link(number):
            if request is None:
                return None
            return replace_query_param(request.build_absolute_uri(), "page", number)

        if current is None:
            return {
                "number": 1,
                "pages": 1,
                "skills_per_page": page.skill_count,
                "next": None,
                "previous": None,
            }
        return {
            "number": current.number,
            "pages": current.paginator.num_pages,
            "skills_per_page": current.paginator.per_page,
            "next": link(current.next_page_number()) if current.has_next() else None,
            "previous": link(current.previous_page_number()) if current.has_previous() else None,
        }

    @extend_schema_field(RoleCountsSerializer)
    def get_counts(self, page: RolePage):
        return {
            "skills": page.skill_count,
            "levels": page.level_count,
            "required": page.required_count,
            "expectations": page.expectation_count,
        }

    @extend_schema_field(RoleLevelSerializer(many=True))
    def get_levels(self, page: RolePage):
        return [
            {
                "slug": level.slug,
                "name": level.name,
                "rank": level.rank,
                "focus": role_level.focus if role_level else "",
                "stack": list(role_level.stack) if role_level else [],
            }
            for level, role_level in page.role_levels
        ]

    @extend_schema_field(MatrixGroupSerializer(many=True))
    def get_matrix(self, page: RolePage):
        return [
            {
                "slug": group.slug,
                "name": group.name,
                "domain": group.domain.slug,
                "skills": [
                    {
                        "slug": row.skill.slug,
                        "name": row.skill.name,
                        "expectations": [
                            {
                                "level": level.slug,
                                "necessity": cell.necessity,
                                "description": cell.description,
                            }
                            for level, cell in zip(page.levels, row.cells, strict=True)
                            if cell is not None
                        ],
                    }
                    for row in rows
                ],
            }
            for group, rows in page.groups
        ]


# --- Expectations ---------------------------------------------------------------------------


class ExpectationSerializer(serializers.ModelSerializer):
    skill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    level = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    url = serializers.HyperlinkedIdentityField(view_name="api:expectation-detail")

    class Meta:
        model = Expectation
        fields = ["id", "skill", "role", "level", "necessity", "description", "updated_at", "url"]


# --- Revisions ------------------------------------------------------------------------------


class RowStateSerializer(serializers.Serializer):
    necessity = serializers.ChoiceField(choices=Necessity.choices)
    description = serializers.CharField()


class FieldChangeSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=["name", "summary", "group"])
    before = serializers.CharField()
    after = serializers.CharField()


class CellChangeSerializer(serializers.Serializer):
    role = serializers.SlugField()
    level = serializers.SlugField()
    change = serializers.ChoiceField(choices=["added", "removed", "changed"])
    before = RowStateSerializer(allow_null=True, help_text="null when the row was added.")
    after = RowStateSerializer(allow_null=True, help_text="null when the row was removed.")


class DiffSerializer(serializers.Serializer):
    fields = FieldChangeSerializer(many=True)
    expectations = CellChangeSerializer(many=True)


def diff_data(before: dict | None, after: dict) -> dict:
    """`skills.diff.snapshot_diff` as plain data."""
    diff = snapshot_diff(before, after)

    def state(row):
        return {"necessity": row["necessity"], "description": row["description"]} if row else None

    return {
        "fields": [
            {"field": name, "before": old, "after": new} for name, (old, new) in diff.fields.items()
        ],
        "expectations": [
            {
                "role": cell.role,
                "level": cell.level,
                "change": cell.kind,
                "before": state(cell.before),
                "after": state(cell.after),
            }
            for cell in diff.cells
        ],
    }


class RevisionSerializer(serializers.ModelSerializer):
    """A revision with its diff against the one before; the view puts that one's snapshot in
    the context (`previous_snapshots`: {version: snapshot or None})."""

    author = PublicUserSerializer(allow_null=True, read_only=True)
    approver = PublicUserSerializer(allow_null=True, read_only=True)
    diff = serializers.SerializerMethodField()
    html_url = HtmlUrlField()

    class Meta:
        model = Revision
        fields = ["version", "summary", "created_at", "author", "approver", "diff", "html_url"]

    @extend_schema_field(DiffSerializer)
    def get_diff(self, revision: Revision):
        previous = self.context["previous_snapshots"].get(revision.version)
        return diff_data(previous, revision.snapshot)


class SnapshotRowSerializer(serializers.Serializer):
    role = serializers.SlugField()
    level = serializers.SlugField()
    necessity = serializers.ChoiceField(choices=Necessity.choices)
    description = serializers.CharField()


class SnapshotSerializer(serializers.Serializer):
    name = serializers.CharField()
    summary = serializers.CharField()
    group = serializers.SlugField()
    expectations = SnapshotRowSerializer(many=True)


class RevisionDetailSerializer(RevisionSerializer):
    snapshot = SnapshotSerializer(read_only=True, help_text="The skill's full state then.")

    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "snapshot"]
