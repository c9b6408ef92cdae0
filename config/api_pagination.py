"""Pagination of every API list."""

import functools
import re

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import PageNumberPagination

from config.portal.figures_cache import figures_cached

MAX_PAGE_SIZE = 100
MAX_PAGE = 10**9
# ASCII digits only: str.isdigit() also takes "²" or "٣", which int() then refuses.
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_PAST_ANY_LIMIT = 10**12


def whole_number(raw: str) -> int | None:
    """A page number or size as written in the address, or None if it is not one. A number of more
    than 12 digits (int() refuses one of thousands) is read as one past every limit here."""
    if not _WHOLE_NUMBER.fullmatch(raw):
        return None
    digits = raw.lstrip("0") or "0"
    return int(digits) if len(digits) <= 12 else _PAST_ANY_LIMIT


# The address parameters that leave a list whole (no filter): such a list's count is the same for
# everyone of one visibility scope until a write, so it is kept with the figures.
WHOLE_LIST_PARAMETERS = frozenset({"page", "page_size", "ordering", "format"})


class CountedPaginator(Paginator):
    """A paginator whose count comes from `counted()` when given (a cached count), else COUNT(*)."""

    def __init__(self, *args, counted=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted() if self.counted else super().count


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
        size = whole_number(raw)
        if size is None or size < 1:
            raise exceptions.ValidationError(
                {"page_size": [_("Give the page size as a whole number from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]}
            )
        return min(size, self.max_page_size)

    def paginate_queryset(self, queryset, request, view=None):
        raw = request.query_params.get(self.page_query_param, "1")
        page = whole_number(raw)
        if page is None or not 1 <= page <= MAX_PAGE:
            raise exceptions.ValidationError({"page": [_("Give the page as a whole number from 1.")]})
        self.django_paginator_class = functools.partial(
            CountedPaginator, counted=self.whole_list_count(queryset, request, view)
        )
        try:
            return super().paginate_queryset(queryset, request, view)
        except exceptions.NotFound:
            paginator = self.django_paginator_class(queryset, self.get_page_size(request))
            self.page = Page([], paginator.num_pages + 1, paginator)  # its "previous" is the last page
            self.request = request
            return []

    @staticmethod
    def whole_list_count(queryset, request, view):
        """The count of a whole list (COUNT(*) over up to a million rows) from the figures' cache
        (config.portal.figures_cache: per visibility scope, renewed by every write of the models it
        watches), for the views that declare `whole_list_count_cached` — those whose rows depend on the
        user through the visibility scope alone and whose tables the cache watches. None: counted."""
        if not getattr(view, "whole_list_count_cached", False) or set(request.query_params) - WHOLE_LIST_PARAMETERS:
            return None
        name = f"api-count:{type(view).__module__}.{type(view).__qualname__}"
        return lambda: figures_cached(name, request.user, queryset.count)

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
