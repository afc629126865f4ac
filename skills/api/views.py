"""Read-only endpoints of the matrix. Every list is paginated and ordered; every detail answers
with `ETag` / `Last-Modified` and 304 when the client's copy is current."""

from __future__ import annotations

from django.db.models import Count, Max
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from skillmatrix.api.conditional import conditional_response, content_etag
from skillmatrix.api.pagination import whole_number
from skillmatrix.api.schema import NOT_MODIFIED, error_responses, list_error_responses

from .. import selectors
from ..cache import CacheForAnonymousMixin
from ..models import Domain, Expectation, Level, Revision, Role, Skill, SkillGroup
from . import examples as ex
from .filters import ExpectationFilter, GroupFilter, SkillApiFilter
from .serializers import (
    DomainSerializer,
    ExpectationSerializer,
    LevelSerializer,
    RevisionDetailSerializer,
    RevisionSerializer,
    RoleDetailSerializer,
    RoleListSerializer,
    SkillDetailSerializer,
    SkillGroupSerializer,
    SkillListSerializer,
)

SLUG_PATTERN = "[-a-zA-Z0-9_]+"

CONDITIONAL_HEADERS = [
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="A tag of this representation; send it back as `If-None-Match`.",
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        description="When the object last changed; send it back as `If-Modified-Since`.",
    ),
]


def slug_parameter(what: str, example: str) -> OpenApiParameter:
    return OpenApiParameter(
        "slug",
        OpenApiTypes.STR,
        OpenApiParameter.PATH,
        pattern=f"^{SLUG_PATTERN}$",
        description=f"The {what}'s slug.",
        examples=[OpenApiExample(example, value=example)],
    )


MATRIX_PAGE = OpenApiParameter(
    "page",
    {"type": "integer", "minimum": 1},
    OpenApiParameter.QUERY,
    description="Which page of the role's matrix (of skills); 1 by default.",
)


def detail_responses(serializer, example_name: str, example, parameters=()) -> dict:
    return {
        "responses": {200: serializer, 304: NOT_MODIFIED, **error_responses(404)},
        "parameters": [*parameters, *CONDITIONAL_HEADERS],
        "examples": [ex.response(example_name, example)],
    }


def list_schema(summary: str, serializer, example_name: str, example, description="") -> dict:
    return extend_schema(
        summary=summary,
        description=description,
        responses={200: serializer(many=True), **list_error_responses()},
        examples=[ex.response(example_name, example)],
    )


@extend_schema_view(
    list=list_schema(
        "Domains", DomainSerializer, "A domain", ex.DOMAIN, "Domains in their order on the site."
    )
)
class DomainViewSet(CacheForAnonymousMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = DomainSerializer

    def get_queryset(self):
        return Domain.objects.annotate(
            group_count=Count("groups", distinct=True),
            skill_count=Count("groups__skills", distinct=True),
        ).order_by("position", "name", "slug")


@extend_schema_view(
    list=list_schema(
        "Skill groups",
        SkillGroupSerializer,
        "A group",
        ex.GROUP,
        "Groups by domain, then in their order; `?domain=` keeps one domain's.",
    )
)
class SkillGroupViewSet(CacheForAnonymousMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = SkillGroupSerializer
    filterset_class = GroupFilter

    def get_queryset(self):
        return (
            SkillGroup.objects.select_related("domain")
            .annotate(skill_count=Count("skills"))
            .order_by("domain__position", "domain__name", "position", "name", "slug")
        )


@extend_schema_view(
    list=list_schema("Levels", LevelSerializer, "A level", ex.LEVEL, "The ladder, by rank.")
)
class LevelViewSet(CacheForAnonymousMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = LevelSerializer
    queryset = Level.objects.order_by("rank")


@extend_schema_view(
    list=list_schema(
        "Skills",
        SkillListSerializer,
        "A skill",
        ex.SKILL,
        "The catalogue: filters take slugs and combine; `search` finds words in the skill's "
        "texts (best match first), else skills come by name.",
    ),
    retrieve=extend_schema(
        summary="A skill",
        description="The skill with its version, counts and every expectation (role and level "
        "by slug). Conditional GET: the `ETag` changes with the skill's `version`.",
        **detail_responses(
            SkillDetailSerializer,
            "ML Deployment",
            ex.SKILL_DETAIL,
            [slug_parameter("skill", "ml-deployment")],
        ),
    ),
)
class SkillViewSet(
    CacheForAnonymousMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = SkillListSerializer
    filterset_class = SkillApiFilter
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_queryset(self):
        return selectors.skill_catalogue().order_by("name", "slug")

    def paginate_queryset(self, queryset):
        # Counted one page at a time, as on the catalogue page (one query for the page).
        return selectors.with_catalogue_counts(super().paginate_queryset(queryset))

    def get_serializer_class(self):
        return SkillDetailSerializer if self.action == "retrieve" else SkillListSerializer

    def retrieve(self, request, slug):
        found = Skill.objects.filter(slug=slug).values_list("pk", "version", "updated_at").first()
        if found is None:
            raise skill_not_found(slug)
        pk, version, updated_at = found

        def build():
            try:
                page = selectors.skill_page(slug=slug)
            except Skill.DoesNotExist:  # deleted in between
                raise skill_not_found(slug) from None
            return SkillDetailSerializer(page, context=self.get_serializer_context()).data

        etag = f"skill-{pk}-v{version}-{updated_at.timestamp():.6f}"
        return conditional_response(request, etag=etag, last_modified=updated_at, build=build)


def skill_not_found(slug: str) -> NotFound:
    return NotFound({"slug": [_("No skill is called “%(slug)s”.") % {"slug": slug}]})


@extend_schema_view(
    list=list_schema(
        "Roles",
        RoleListSerializer,
        "A role",
        ex.ROLE,
        "Roles by name, with how many skills and expectations they have.",
    ),
    retrieve=extend_schema(
        summary="A role with its matrix",
        description="The role's counts, focus and stack per level, and its skills × levels.",
        **{
            **detail_responses(
                RoleDetailSerializer,
                "Data Scientist",
                ex.ROLE_DETAIL,
                [slug_parameter("role", "data-scientist"), MATRIX_PAGE],
            ),
            "responses": {
                200: RoleDetailSerializer,
                304: NOT_MODIFIED,
                **error_responses(400, 404),
            },
        },
    ),
)
class RoleViewSet(
    CacheForAnonymousMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RoleListSerializer
    lookup_field = "slug"
    lookup_value_regex = SLUG_PATTERN

    def get_queryset(self):
        return selectors.role_list().order_by("name", "slug")

    def get_serializer_class(self):
        return RoleDetailSerializer if self.action == "retrieve" else RoleListSerializer

    def retrieve(self, request, slug):
        raw = request.query_params.get("page")
        number = 1 if raw is None else whole_number(raw, field="page")
        try:
            page = selectors.role_page(slug=slug, page_number=number)
        except Role.DoesNotExist:
            raise NotFound(
                {"slug": [_("No role is called “%(slug)s”.") % {"slug": slug}]}
            ) from None
        if page.page is not None and page.page.number != number:
            raise NotFound({"page": [_("There is no such page.")]})
        data = RoleDetailSerializer(page, context=self.get_serializer_context()).data
        # A role has no version of its own: its matrix changes with every applied change of a
        # skill (each writes a revision) and with its expectations' edits.
        changed = [
            Expectation.objects.filter(role=page.role).aggregate(at=Max("updated_at"))["at"],
            Revision.objects.aggregate(at=Max("created_at"))["at"],
        ]
        last_modified = max((at for at in changed if at), default=None)
        return conditional_response(
            request, etag=content_etag(data), last_modified=last_modified, build=lambda: data
        )


@extend_schema_view(
    list=list_schema(
        "Expectations",
        ExpectationSerializer,
        "An expectation",
        ex.EXPECTATION,
        "Expectation rows by skill name, level rank and role; filters take slugs (and "
        "`required` or `optional`) and combine.",
    ),
    retrieve=extend_schema(
        summary="An expectation",
        **detail_responses(ExpectationSerializer, "An expectation", ex.EXPECTATION),
    ),
)
class ExpectationViewSet(
    CacheForAnonymousMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ExpectationSerializer
    filterset_class = ExpectationFilter
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return (
            Expectation.objects.select_related("skill", "role", "level")
            .only(
                "necessity",
                "description",
                "updated_at",
                "skill__slug",
                "skill__name",
                "role__slug",
                "level__slug",
                "level__rank",
            )
            .order_by("skill__name", "skill__slug", "level__rank", "role__slug")
        )

    def retrieve(self, request, pk):
        expectation = get_object_or_404(self.get_queryset(), pk=pk)
        data = self.get_serializer(expectation).data
        return conditional_response(
            request,
            etag=content_etag(data),
            last_modified=expectation.updated_at,
            build=lambda: data,
        )


SKILL_SLUG = slug_parameter("skill", "ml-deployment")
VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    OpenApiParameter.PATH,
    description="The revision's version number.",
    examples=[OpenApiExample("First", value=1)],
)


@extend_schema_view(
    list=extend_schema(
        summary="A skill's revisions",
        description="Every applied change of the skill, newest first, each with its diff "
        "against the revision before it.",
        parameters=[SKILL_SLUG],
        responses={200: RevisionSerializer(many=True), **list_error_responses()},
        examples=[ex.response("Revision 3", ex.REVISION)],
    ),
    retrieve=extend_schema(
        summary="One revision of a skill",
        description="The revision, its diff against the one before, and the skill's full "
        "state it left (`snapshot`).",
        **detail_responses(
            RevisionDetailSerializer, "Revision 3", ex.REVISION_DETAIL, [SKILL_SLUG, VERSION]
        ),
    ),
)
class SkillRevisionViewSet(
    CacheForAnonymousMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RevisionSerializer
    queryset = Revision.objects.none()  # for the schema: the real ones are the skill's
    lookup_field = "version"

    def get_skill(self) -> Skill:
        slug = self.kwargs["slug"]
        skill = Skill.objects.filter(slug=slug).only("pk", "slug").first()
        if skill is None:
            raise skill_not_found(slug)
        return skill

    def list(self, request, slug):
        skill = self.get_skill()
        revisions = selectors.revision_list(skill=skill).defer(None).order_by("-version")
        page = self.paginate_queryset(revisions)
        for revision in page:
            revision.skill = skill  # their pages' URLs name the skill: no query per row
        previous = {}
        for newer, older in zip(page, page[1:], strict=False):
            previous[newer.version] = older.snapshot
        if page:
            last = page[-1]
            previous[last.version] = (
                skill.revisions.filter(version__lt=last.version)
                .order_by("-version")
                .values_list("snapshot", flat=True)
                .first()
            )
        context = {**self.get_serializer_context(), "previous_snapshots": previous}
        return self.get_paginated_response(
            RevisionSerializer(page, many=True, context=context).data
        )

    def retrieve(self, request, slug, version):
        skill = self.get_skill()
        try:
            revision, previous, _diff = selectors.revision_with_diff(
                skill=skill, version=int(version)
            )
        except Revision.DoesNotExist:
            raise NotFound(
                {"version": [_("This skill has no version %(version)s.") % {"version": version}]}
            ) from None
        revision.skill = skill
        context = {
            **self.get_serializer_context(),
            "previous_snapshots": {revision.version: previous.snapshot if previous else None},
        }
        data = RevisionDetailSerializer(revision, context=context).data
        return conditional_response(
            request,
            etag=content_etag(data),
            last_modified=revision.created_at,
            build=lambda: Response(data),
        )
