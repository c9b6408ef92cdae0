"""Public mission pages: the list, the month calendar and the mission's outcome page."""

import datetime
import re
from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from companies.exports import Column, ListExportMixin, date_as_known, model_columns, names
from companies.selectors import visible_or_none

from .filters import MissionFilter
from .models import Mission
from .selectors import (
    MeetingDay,
    MeetingSummary,
    OutcomeCount,
    missions_in_month,
    missions_visible_to,
    missions_with_list_details,
    month_grid,
)


class ForgivingPaginationMixin:
    """page=abc shows the first page and page=99999 the last one: a page, never an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset, page_size, orphans=self.get_paginate_orphans(), allow_empty_first_page=self.get_allow_empty()
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()


def mark_visible_people(missions, user) -> None:
    """Set `visible_organizer` and `visible_head` on loaded missions: None where the user may not see them."""
    for mission in missions:
        mission.visible_organizer = visible_or_none(mission.organizer, user)
        head = mission.head_of_delegation
        mission.visible_head = head if head and visible_or_none(head.organization, user) else None


@dataclass
class MeetingTableFilter:
    """The day and the outcome the mission page's table of held meetings is narrowed to (None: all)."""

    day: MeetingDay | None = None
    outcome: OutcomeCount | None = None
    notes: list[str] = field(default_factory=list)  # why a value in the address was not used

    @property
    def active(self) -> bool:
        return self.day is not None or self.outcome is not None


def meeting_table_filter(query, summary: MeetingSummary) -> MeetingTableFilter:
    """`?day=` and `?outcome=` as the summary's links give them (a day "2025-02-03" or "none", an outcome
    or "none" for none recorded). A value that names no day or outcome of the summary is not used, and
    a note says so: the table shows every day or every outcome, never an error."""
    chosen = MeetingTableFilter()
    day, outcome = query.get("day", "").strip(), query.get("outcome", "").strip()
    if day:
        chosen.day = summary.day(day)
        if chosen.day is None:
            chosen.notes.append(
                _("“%(value)s” is not a day with meetings at this mission; showing the meetings held on every day.")
                % {"value": day[:40]}
            )
    if outcome:
        chosen.outcome = summary.outcome(outcome)
        if chosen.outcome is None:
            chosen.notes.append(
                _("“%(value)s” is not an outcome of the meetings held here; showing the meetings of every outcome.")
                % {"value": outcome[:40]}
            )
    return chosen


class MissionListView(ListExportMixin, ForgivingPaginationMixin, ListView):
    template_name = "missions/mission_list.html"
    context_object_name = "missions"
    paginate_by = 20
    export_stem = "missions"

    def get_queryset(self):
        self.filterset = MissionFilter(
            self.request.GET, queryset=missions_visible_to(self.request.user), request=self.request
        )
        return missions_with_list_details(self.filterset.qs, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mark_visible_people(context["missions"], self.request.user)
        context["filterset"] = self.filterset
        return context

    def get_export_columns(self) -> list[Column]:
        user = self.request.user
        field = Mission._meta.get_field
        return [
            *model_columns(Mission, ["title", "origin_region"]),
            Column(capfirst(field("destination_regions").verbose_name), lambda m: names(m.destination_regions.all())),
            Column(
                capfirst(field("start_date").verbose_name), lambda m: date_as_known(m.start_date, m.dates_precision)
            ),
            Column(capfirst(field("end_date").verbose_name), lambda m: date_as_known(m.end_date, m.dates_precision)),
            *model_columns(Mission, ["status"]),
            Column(capfirst(field("organizer").verbose_name), lambda m: visible_or_none(m.organizer, user)),
            Column(_("Delegation (organizations)"), lambda m: m.delegation_size),
        ]


def _parse_month(value: str) -> datetime.date | None:
    """'2025-02' → 1 February 2025; anything else (or a year outside 1900–2100) → None."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (1900 <= year <= 2100 and 1 <= month <= 12):
        return None
    return datetime.date(year, month, 1)


def calendar_default_month(missions, *, today: datetime.date) -> datetime.date:
    """The month the calendar opens on: that of the next mission (this month while one runs now);
    the current month when none is to come."""
    to_come = (
        missions.filter(start_date__isnull=False)
        .annotate(last_day=Coalesce("end_date", "start_date"))
        .filter(last_day__gte=today)
        .order_by("start_date", "pk")
        .first()
    )
    if to_come is None or to_come.start_date <= today:
        return today.replace(day=1)
    return to_come.start_date.replace(day=1)


def calendar_nearest_month(missions, *, month: datetime.date) -> datetime.date | None:
    """For a month without missions: the month of the nearest mission before or after it (after on a tie)."""
    end = (month + datetime.timedelta(days=32)).replace(day=1)
    dated = missions.filter(start_date__isnull=False).annotate(last_day=Coalesce("end_date", "start_date"))
    after = dated.filter(start_date__gte=end).order_by("start_date", "pk").first()
    before = dated.filter(last_day__lt=month).order_by(F("last_day").desc(), "-pk").first()
    if after is None and before is None:
        return None
    if before is None or (after is not None and (after.start_date - end) <= (month - before.last_day)):
        return after.start_date.replace(day=1)
    return before.last_day.replace(day=1)


class MissionCalendarView(TemplateView):
    template_name = "missions/mission_calendar.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        requested = self.request.GET.get("month", "")
        month = _parse_month(requested) if requested else None
        if requested and month is None:
            messages.warning(
                self.request,
                _("“%(month)s” is not a month in the form YYYY-MM; showing the current month.") % {"month": requested},
            )
        filterset = MissionFilter(
            self.request.GET,
            queryset=missions_visible_to(self.request.user),
            request=self.request,
            with_year=False,
        )
        if month is None:  # a month that was asked for but unreadable: the current one, as the message says
            month = today.replace(day=1) if requested else calendar_default_month(filterset.qs, today=today)
        missions = missions_in_month(filterset.qs, year=month.year, month=month.month)
        nearest = None if missions else calendar_nearest_month(filterset.qs, month=month)
        mark_visible_people(missions, self.request.user)
        previous_month = (month - datetime.timedelta(days=1)).replace(day=1)
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        context.update(
            month=month,
            missions=missions,
            weeks=month_grid(missions, year=month.year, month=month.month, today=today),
            weekdays=[(WEEKDAYS[i], WEEKDAYS_ABBR[i]) for i in range(7)],
            previous_month=f"{previous_month:%Y-%m}" if previous_month.year >= 1900 else None,
            next_month=f"{next_month:%Y-%m}" if next_month.year <= 2100 else None,
            current_month=f"{today:%Y-%m}",
            nearest_month=nearest,
            filterset=filterset,
            filter_hidden=[("month", f"{month:%Y-%m}")],
        )
        return context
