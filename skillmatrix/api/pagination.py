"""Page-numbered lists: `{"count", "next", "previous", "results"}`."""

from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError


def whole_number(raw: str, *, field: str, maximum: int | None = None) -> int:
    try:
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
    except ValueError:  # more digits than Python converts
        number = 0
    if number < 1 or (maximum is not None and number > maximum):
        if maximum is None:
            message = _("Give a whole number from 1.")
        else:
            message = _("Give a whole number from 1 to %(maximum)d.") % {"maximum": maximum}
        raise ValidationError({field: [message]}, code="invalid")
    return number


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` (from 1) and `?page_size=` (1 to 200); a malformed value is a 400 naming it,
    a page past the last one a 404 naming `page`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    last_page_strings = ()

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        return whole_number(raw, field=self.page_size_query_param, maximum=self.max_page_size)

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        return whole_number(raw, field=self.page_query_param)

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            raise NotFound(
                {self.page_query_param: [_("There is no such page.")]}, code="not_found"
            ) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
        return parameters
