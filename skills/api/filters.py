"""The API's filters: the HTML catalogue's FilterSet, with `search` as the API's name for `q`."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from ..filters import SkillFilter, SlugFilter
from ..models import Domain, Expectation, Level, Necessity, Role, Skill, SkillGroup


@extend_schema_field({"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"})
class ApiSlugFilter(SlugFilter):
    """A slug filter, documented as a slug (an unknown one is a 400 naming the parameter)."""


@extend_schema_field({"type": "string", "maxLength": 200})
class SearchFilter(django_filters.CharFilter):
    """Free text, at most 200 characters (longer is a 400 naming the parameter)."""


class SkillApiFilter(SkillFilter):
    """`?search=` behaves exactly as the catalogue's `?q=`; the other filters are the same."""

    q = None  # the catalogue's name for it; the API says `search`
    domain = ApiSlugFilter(
        field_name="group__domain", queryset=Domain.objects.all(), label=_("Domain")
    )
    group = ApiSlugFilter(queryset=SkillGroup.objects.all(), label=_("Group"))
    role = ApiSlugFilter(method="by_role", queryset=Role.objects.all(), label=_("Role"))
    search = SearchFilter(
        method="by_search",
        max_length=200,
        label=_("Search"),
        help_text=_("Words to find in the skill's name, summary and expectations."),
    )

    class Meta(SkillFilter.Meta):
        fields = ["search", "domain", "group", "role"]

    def by_search(self, queryset, name, value):
        return SkillFilter.search(self, queryset, name, value)


class GroupFilter(django_filters.FilterSet):
    domain = ApiSlugFilter(queryset=Domain.objects.all(), label=_("Domain"))

    class Meta:
        model = SkillGroup
        fields = ["domain"]


class ExpectationFilter(django_filters.FilterSet):
    """Expectation rows by skill, role and level (slugs) and necessity; all optional."""

    skill = ApiSlugFilter(queryset=Skill.objects.all(), label=_("Skill"))
    role = ApiSlugFilter(queryset=Role.objects.all(), label=_("Role"))
    level = ApiSlugFilter(queryset=Level.objects.all(), label=_("Level"))
    necessity = django_filters.ChoiceFilter(choices=Necessity.choices, label=_("Necessity"))

    class Meta:
        model = Expectation
        fields = ["skill", "role", "level", "necessity"]
