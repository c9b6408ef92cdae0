"""Bench-only pieces, present only when PORTAL_BENCH=1 (settings.BENCH; `make bench` sets it for the
server it starts, production never does): a header with each response's SQL query count, the floor
(a bare view running one indexed query into a tiny template) and the stock, untuned ModelAdmin over the
meetings table on a second admin site. Both references are measured in the same run as the pages."""

from django.contrib import admin
from django.db import connection
from django.shortcuts import render
from django.urls import path

from companies.models import Organization
from missions.models import Meeting

QUERIES_HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    """Counts the SQL statements of a request (a wrapper on the connection, so it works with DEBUG off)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)  # rendered by now (template responses too)
        if not getattr(response, "streaming", False):  # a stream's queries run after this returns
            response[QUERIES_HEADER] = str(count)
        return response


def floor(request):
    """The floor: one query by primary key (an index) and a template of a few lines."""
    organization = Organization.objects.only("pk", "name").order_by("pk").first()
    return render(request, "bench/floor.html", {"organization": organization})


class StockMeetingAdmin(admin.ModelAdmin):
    """The stock ModelAdmin: Django's own search over the fields the portal's meetings admin searched
    before it was tuned; no list_display, select_related, filters or index-aware search."""

    search_fields = [
        "organization_a__name",
        "organization_a__short_name",
        "organization_b__name",
        "organization_b__short_name",
        "topic",
        "mission__title",
    ]


stock_site = admin.AdminSite(name="bench_stock_admin")
stock_site.register(Meeting, StockMeetingAdmin)

urlpatterns = [
    path("bench/floor/", floor, name="bench-floor"),
    path("bench/stock-admin/", stock_site.urls),
]
