"""Pagination of every API list."""

from django.core.paginator import Page
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 100
MAX_PAGE = 10**9


class Pagination(PageNumberPagination):
    """`page` and `page_size` (at most 100: a larger one is capped). A page or size that is not a
    positive whole number is a 400 that says so; a page past the last is empty, with the count and a
    link back. Nothing ever lists every row at once."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or int(raw) < 1:
            raise exceptions.ValidationError(
                {"page_size": [_("Give the page size as a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]}
            )
        return min(int(raw), self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
            raise exceptions.ValidationError({"page": [_("Give the page as a whole number from 1.")]})
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            paginator = self.django_paginator_class(queryset, self.get_page_size(request))
            self.page = Page([], paginator.num_pages + 1, paginator)  # its "previous" is the last page
            self.request = request
            return []

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["maximum"] = MAX_PAGE
        return parameters

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["required"] = ["count", "results"]
        return paginated
