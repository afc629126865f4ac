"""Filtering of lists: each list's FilterSet (shared with its HTML page), applied strictly."""

from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, but a filter parameter sent empty (`?role=`) is a 400 naming
    it rather than silently ignored: a program that sends one has a bug worth hearing of."""

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            empty = {
                name: [_("Give a value, or leave the parameter out.")]
                for name in filterset.filters
                if request.query_params.get(name) == ""
            }
            if empty:
                raise ValidationError(empty)
        return filterset
