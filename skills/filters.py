import django_filters
from django import forms
from django.core.validators import validate_slug
from django.utils.translation import gettext_lazy as _

from .models import Domain, Role, Skill, SkillGroup
from .selectors import skill_search


class SlugChoiceField(forms.ModelChoiceField):
    """A choice by slug that refuses malformed values before they reach the database."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            validate_slug(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None
        return super().to_python(value)


class SlugFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)


class SkillFilter(django_filters.FilterSet):
    """The catalogue's filters, shared by the HTML page and the API; values are slugs."""

    q = django_filters.CharFilter(method="search", label=_("Search"), max_length=200)
    domain = SlugFilter(
        field_name="group__domain", queryset=Domain.objects.all(), label=_("Domain")
    )
    group = SlugFilter(queryset=SkillGroup.objects.all(), label=_("Group"))
    role = SlugFilter(method="by_role", queryset=Role.objects.all(), label=_("Role"))

    class Meta:
        model = Skill
        fields = ["q", "domain", "group", "role"]

    def search(self, queryset, name, value):
        return skill_search(queryset, value)

    def by_role(self, queryset, name, value):
        # A subquery rather than a join: no duplicate rows, nothing to make distinct.
        return queryset.filter(pk__in=value.expectations.values("skill_id"))
