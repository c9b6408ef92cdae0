"""Reads of missions that are more than one line, and who may see which mission.

The public pages show the public part of a record: an anonymous visitor sees public missions, and on
them only public organizations, projects and agreements. Counts and sums on a page are made from the
same rows the page lists, so every number can be traced to the rows behind it.
"""

import calendar
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, ngettext, pgettext_lazy

from companies.models import Organization, Place, Region
from companies.selectors import visible_q

from .models import DelegationApplication, DelegationMember, Meeting, Mission, ProgramItem, ReportedFigure


def missions_visible_to(user) -> QuerySet[Mission]:
    return Mission.objects.select_related("origin_region", "organizer", "head_of_delegation__organization").filter(
        visible_q(user)
    )


def missions_with_list_details(missions: QuerySet[Mission], user) -> QuerySet[Mission]:
    """Missions for a list row: destinations prefetched, delegation size counted in the same query."""
    return (
        missions.select_related("head_of_delegation__organization")
        .annotate(
            delegation_size=Count(
                "delegation__organization",
                filter=visible_q(user, "delegation__organization__"),
                distinct=True,
            )
        )
        # An aggregate drops Meta.ordering: a page needs an explicit, total order.
        .order_by(F("start_date").desc(nulls_last=True), "title", "pk")
        .prefetch_related(Prefetch("destination_regions", queryset=Region.objects.order_by("name")))
    )


def mission_years(missions: QuerySet[Mission]) -> list[int]:
    return [d.year for d in missions.order_by().dates("start_date", "year", order="DESC")]


# --- Calendar --------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: datetime.date
    in_month: bool
    is_today: bool
    missions: list[Mission] = field(default_factory=list)


def missions_in_month(missions: QuerySet[Mission], *, year: int, month: int) -> list[Mission]:
    """Missions with at least one day in the month (a mission without an end date lasts one day)."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    return list(
        missions.filter(start_date__lte=last)
        .filter(Q(end_date__gte=first) | Q(end_date__isnull=True, start_date__gte=first))
        .order_by("start_date", "title")
        .prefetch_related(Prefetch("destination_regions", queryset=Region.objects.order_by("name")))
    )


def month_grid(missions: list[Mission], *, year: int, month: int, today: datetime.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) of the month, each day holding the missions that run on it."""
    weeks = [
        [CalendarDay(date=d, in_month=d.month == month, is_today=d == today) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    by_date = {day.date: day for week in weeks for day in week}
    for mission in missions:
        day, end = mission.start_date, mission.end_date or mission.start_date
        while day <= end:
            if day in by_date:
                by_date[day].missions.append(mission)
            day += datetime.timedelta(days=1)
    return weeks


# --- Mission page ----------------------------------------------------------------------------


def mission_for_page(user) -> QuerySet[Mission]:
    """The mission with everything its header shows, in one query plus prefetches."""
    return (
        missions_visible_to(user)
        .select_related("head_of_delegation__organization", "reciprocal_of")
        .prefetch_related(
            Prefetch("destination_regions", queryset=Region.objects.order_by("name")),
            Prefetch("places", queryset=Place.objects.select_related("region").order_by("name")),
            Prefetch(
                "reciprocal_missions",
                queryset=missions_visible_to(user).order_by("start_date", "title"),
                to_attr="visible_return_missions",
            ),
        )
    )


def mission_program(mission: Mission) -> list[ProgramItem]:
    """The programme in order of day and time; an item with a date and no time comes first on its day."""
    return list(
        mission.program.select_related("host", "place__region").order_by(
            F("date").asc(nulls_last=True), F("starts_at").asc(nulls_first=True), "pk"
        )
    )


def zone_label(zone: ZoneInfo, moment: datetime.datetime | None = None) -> str:
    """A time zone as people read it: "Asia/Tashkent (UTC+5)", the offset it has at `moment` (now)."""
    offset = (moment or timezone.now()).astimezone(zone).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign, minutes = ("+" if minutes >= 0 else "−"), abs(minutes)
    hours = f"{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")
    return f"{zone.key} (UTC{sign}{hours})" if minutes else f"{zone.key} (UTC)"


def local_time_range(row) -> str:
    """A programme item's or meeting's time in its venue's zone, "10:00–10:30 (Asia/Tashkent)"; empty without one."""
    if row.starts_at is None:
        return ""
    zone = row.venue_zone
    text = f"{row.starts_at.astimezone(zone):%H:%M}"
    if row.ends_at:
        text += f"–{row.ends_at.astimezone(zone):%H:%M}"
    return f"{text} ({zone.key})"


def local_times_note(rows) -> str:
    """One note per page on the zone its times are given in ("Times are local: …"), from the rows with a
    time (programme items, meetings); empty when none has a time. When the rows are in several zones,
    each names its own (see `times_zone_shown`)."""
    zones = {row.venue_zone.key: (row.venue_zone, row.starts_at) for row in rows if row.starts_at}
    if not zones:
        return ""
    if len(zones) == 1:
        ((zone, moment),) = zones.values()
        return gettext("Times are local: %(zone)s.") % {"zone": zone_label(zone, moment)}
    return gettext("Times are local, in the time zone of each venue.")


def times_zone_shown(rows) -> bool:
    """Does each row name its zone (the rows' times are in more than one)?"""
    return len({row.venue_zone.key for row in rows if row.starts_at}) > 1


@dataclass
class DelegationGroup:
    organization: Organization
    members: list[DelegationMember]

    @property
    def people(self) -> list[DelegationMember]:
        return [m for m in self.members if m.person_id]

    @property
    def roles(self) -> list[str]:
        return sorted({m.get_role_display() for m in self.members if not m.person_id}, key=str)


def mission_delegation(mission: Mission, user) -> list[DelegationGroup]:
    """The delegation grouped by organization, with its people and their roles."""
    members = (
        DelegationMember.objects.filter(mission=mission)
        .filter(visible_q(user, "organization__"))
        .select_related("organization__region", "person")
        .order_by("organization__name", "organization_id", "person__last_name", "pk")
    )
    groups: dict[int, DelegationGroup] = {}
    for member in members:
        group = groups.setdefault(member.organization_id, DelegationGroup(member.organization, []))
        group.members.append(member)
    return list(groups.values())


def off_the_mission_q(mission: Mission, prefix: str = "") -> Q:
    """The one definition of an organization (at `prefix`) off the mission: neither in its delegation nor
    on its host side (a destination region, or a region of a destination country: `Region.covers`). A
    meeting with one is someone scheduled for an organization that did not come and is not visited:
    staff are warned when saving it, and the mission page marks it. A condition on the row, not a list
    of organizations: a mission's meetings are tested against its delegation and destinations alone."""
    delegation = DelegationMember.objects.filter(mission=mission).values("organization_id")
    hosts = mission.destination_regions.order_by().values("pk")
    return (
        ~Q(**{f"{prefix}pk__in": delegation})
        & ~Q(**{f"{prefix}region__in": hosts})
        & ~Q(**{f"{prefix}region__country__in": hosts})
    )


def meetings_off_the_mission_q(mission: Mission) -> Q:
    """A meeting with an organization off the mission (`off_the_mission_q`)."""
    return off_the_mission_q(mission, "organization_a__") | off_the_mission_q(mission, "organization_b__")


def meetings_mark_off_the_mission(mission: Mission, meetings: list[Meeting]) -> list[Meeting]:
    """Set each meeting's `off_the_mission` to its organizations off the mission (`off_the_mission_q`).
    Returns the meetings marked. One query whatever the number of meetings, none for none."""
    ids = {pk for meeting in meetings for pk in (meeting.organization_a_id, meeting.organization_b_id)}
    off = set()
    if ids:
        off = set(Organization.objects.filter(off_the_mission_q(mission), pk__in=ids).values_list("pk", flat=True))
    marked = []
    for meeting in meetings:
        meeting.off_the_mission = [
            organization for organization in (meeting.organization_a, meeting.organization_b) if organization.pk in off
        ]
        if meeting.off_the_mission:
            marked.append(meeting)
    return marked


def meetings_visible_to(meetings: QuerySet[Meeting], user) -> QuerySet[Meeting]:
    """The meetings the user may see: both their organizations may be seen (a meeting with a hidden
    party is not shown, so it is not counted either)."""
    return meetings.filter(visible_q(user, "organization_a__"), visible_q(user, "organization_b__"))


def meetings_held(meetings: QuerySet[Meeting], user) -> QuerySet[Meeting]:
    """The one definition of a held meeting: it took place, and the user may see it (`meetings_visible_to`)."""
    return meetings_visible_to(meetings, user).filter(status=Meeting.Status.HELD)


# The order of a mission's meetings on its page: by day, an untimed meeting first on its day.
MEETING_PAGE_ORDER = (F("date").asc(nulls_last=True), F("starts_at").asc(nulls_first=True), "pk")

# The address value of "no day given" and of "held, no outcome recorded" in the meetings' filters.
NOT_GIVEN = "none"


@dataclass
class MeetingDay:
    """A day of the mission's meetings (None: the day is not known yet)."""

    date: datetime.date | None
    total: int = 0
    held: int = 0

    @property
    def ref(self) -> str:
        """Its value in the address (`?day=`)."""
        return self.date.isoformat() if self.date else NOT_GIVEN


@dataclass
class OutcomeCount:
    label: str
    count: int
    ref: str  # its value in the address (`?outcome=`)


@dataclass
class MeetingSummary:
    """A mission's meetings counted in SQL (one GROUP BY query, whatever their number): by status, the
    held ones by outcome and by day. Counted over the meetings the user may see, as the page lists."""

    total: int = 0
    held_total: int = 0
    by_status: list[tuple[str, int]] = field(default_factory=list)
    by_outcome: list[tuple[str, int]] = field(default_factory=list)  # the outcomes recorded
    outcomes: list[OutcomeCount] = field(default_factory=list)  # and "not recorded", to filter by
    by_day: list[MeetingDay] = field(default_factory=list)
    # Meetings (of every status) with an organization off the mission (`meetings_off_the_mission_q`).
    off_the_mission_total: int = 0
    # Held meetings per (day, outcome); "" is no outcome recorded.
    held_cells: dict[tuple[datetime.date | None, str], int] = field(default_factory=dict)
    # The rows shown, which the view sets: a page of each list, or every held meeting for the printed report.
    held: Iterable[Meeting] = ()
    off_the_mission: Iterable[Meeting] = ()

    def day(self, ref: str) -> MeetingDay | None:
        """The day with this address value, None when the mission has no meeting on it."""
        return next((day for day in self.by_day if day.ref == ref), None)

    def outcome(self, ref: str) -> OutcomeCount | None:
        return next((outcome for outcome in self.outcomes if outcome.ref == ref), None)

    def held_matching(self, *, day: MeetingDay | None = None, outcome: OutcomeCount | None = None) -> int:
        """How many held meetings there are of this day and this outcome (None: any day, any outcome)."""
        value = None if outcome is None else ("" if outcome.ref == NOT_GIVEN else outcome.ref)
        return sum(
            n
            for (date, recorded), n in self.held_cells.items()
            if (day is None or date == day.date) and (value is None or recorded == value)
        )


def _mission_meetings(mission: Mission, user) -> QuerySet[Meeting]:
    return meetings_visible_to(Meeting.objects.filter(mission=mission), user)


def mission_meeting_summary(mission: Mission, user) -> MeetingSummary:
    """The mission's meetings by status, outcome and day, and how many are off the mission: one query."""
    rows = (
        _mission_meetings(mission, user)
        .order_by()
        .values("date", "status", "outcome")
        .annotate(n=Count("pk"), off=Count("pk", filter=meetings_off_the_mission_q(mission)))
    )
    summary = MeetingSummary()
    status_counts, outcome_counts, days = defaultdict(int), defaultdict(int), {}
    for row in rows:
        n, held = row["n"], row["status"] == Meeting.Status.HELD
        summary.total += n
        summary.off_the_mission_total += row["off"]
        status_counts[row["status"]] += n
        day = days.setdefault(row["date"], MeetingDay(row["date"]))
        day.total += n
        if held:
            summary.held_total += n
            day.held += n
            outcome_counts[row["outcome"]] += n
            cell = (row["date"], row["outcome"])
            summary.held_cells[cell] = summary.held_cells.get(cell, 0) + n
    summary.by_status = [
        (label, status_counts[value]) for value, label in Meeting.Status.choices if status_counts[value]
    ]
    recorded = [(value, label) for value, label in Meeting.Outcome.choices if outcome_counts[value]]
    summary.by_outcome = [(label, outcome_counts[value]) for value, label in recorded]
    summary.outcomes = [OutcomeCount(label, outcome_counts[value], value) for value, label in recorded]
    if outcome_counts[""]:
        summary.outcomes.append(OutcomeCount(gettext("not recorded"), outcome_counts[""], NOT_GIVEN))
    summary.by_day = sorted(days.values(), key=lambda day: (day.date is None, day.date or datetime.date.min))
    return summary


def mission_meetings_held(
    mission: Mission, user, *, day: MeetingDay | None = None, outcome: OutcomeCount | None = None
) -> QuerySet[Meeting]:
    """The mission's held meetings in the page's order, of one day or one outcome (None: all), with what
    a row shows (its organizations' names, its venue's zone)."""
    meetings = meetings_held(Meeting.objects.filter(mission=mission), user)
    if day is not None:
        meetings = meetings.filter(date=day.date) if day.date else meetings.filter(date__isnull=True)
    if outcome is not None:
        meetings = meetings.filter(outcome="" if outcome.ref == NOT_GIVEN else outcome.ref)
    return _meeting_rows(meetings)


def mission_meetings_off_the_mission(mission: Mission, user) -> QuerySet[Meeting]:
    """The mission's meetings (of every status) with an organization off the mission, in the page's order."""
    return _meeting_rows(_mission_meetings(mission, user).filter(meetings_off_the_mission_q(mission)))


def _meeting_rows(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("organization_a", "organization_b", "program_item__place__region").order_by(
        *MEETING_PAGE_ORDER
    )


def meetings_for_page(mission: Mission, *pages) -> None:
    """Ready the meetings of the page's sections (loaded pages of `mission_meetings_held` and
    `mission_meetings_off_the_mission`) for their rows: the venue zone read from the mission's prefetched
    destinations, and the organizations off the mission marked. One query."""
    meetings = [meeting for page in pages for meeting in page]
    for meeting in meetings:
        meeting.mission = mission
    meetings_mark_off_the_mission(mission, meetings)


# --- Reported figures beside the counted rows -------------------------------------------------


# The metrics the portal has rows behind, and so sets beside a source's claim; any other (people,
# host-side companies, trade turnover, potential value) is shown as the source states it. Contract
# values are summed per currency; trade turnover and potential value are never set beside them.
COUNTED_METRICS = frozenset(
    {
        ReportedFigure.Metric.DELEGATION_COMPANIES,
        ReportedFigure.Metric.MEETINGS,
        ReportedFigure.Metric.CONTRACTS,
        ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION,
        ReportedFigure.Metric.AGREEMENTS,
        ReportedFigure.Metric.REGIONS_VISITED,
    }
)


# What the portal counts for each metric of COUNTED_METRICS, as the label of its number ("компаний в
# делегации: 1"): the rows behind a source's claim are named, never left as a bare "учтено 1".
COUNTED_AS = {
    ReportedFigure.Metric.DELEGATION_COMPANIES: pgettext_lazy("counted", "companies in the delegation"),
    ReportedFigure.Metric.MEETINGS: pgettext_lazy("counted", "meetings held"),
    ReportedFigure.Metric.CONTRACTS: pgettext_lazy("counted", "contracts signed"),
    ReportedFigure.Metric.PROJECTS_UNDER_NEGOTIATION: pgettext_lazy("counted", "projects not yet at a contract"),
    ReportedFigure.Metric.AGREEMENTS: pgettext_lazy("counted", "agreements other than contracts"),
    ReportedFigure.Metric.REGIONS_VISITED: pgettext_lazy("counted", "destination regions"),
    ReportedFigure.Metric.VALUE: pgettext_lazy("counted", "value of the contracts signed"),
}


@dataclass
class FigureRow:
    figure: ReportedFigure
    recorded: int | Decimal | None
    currency: str = ""
    # What else the reader needs to weigh the count ("всего организаций в делегации: 4").
    note: str = ""

    @property
    def counted_as(self) -> str:
        """The label of the recorded number: what the portal counted."""
        return str(COUNTED_AS.get(self.figure.metric, "")) if self.recorded is not None else ""

    @property
    def falls_short(self) -> bool:
        return self.recorded is not None and self.recorded < self.figure.number

    @property
    def comparison(self) -> str:
        """What the portal's rows say beside the claim, as a sentence ("на 2 записи меньше, чем заявлено")."""
        if self.recorded is None:
            return ""
        difference = self.recorded - self.figure.number
        if self.currency:
            if difference < 0:
                return gettext("less than reported")
            return gettext("more than reported") if difference > 0 else gettext("as much as reported")
        count = abs(int(difference))
        if difference < 0:
            text = ngettext("%(count)d record fewer than reported", "%(count)d records fewer than reported", count)
        elif difference > 0:
            text = ngettext("%(count)d record more than reported", "%(count)d records more than reported", count)
        else:
            return gettext("as many as reported")
        return text % {"count": count}


def figures_beside_counts(
    figures, counts: dict, values: dict[str, Decimal], notes: dict[str, str] | None = None
) -> list[FigureRow]:
    """Each reported figure with what the portal counts for the same metric (None: nothing to count),
    labelled with what was counted (`FigureRow.counted_as`).

    `counts` maps a metric of COUNTED_METRICS to its number of rows; `values` maps a currency to the
    summed value of contracts, set beside the "value of contracts" metric only; `notes` maps a metric to
    what else frames its count (the delegation's organizations of every kind beside its companies).
    """
    notes = notes or {}
    rows = []
    for figure in figures:
        if figure.metric == ReportedFigure.Metric.VALUE:
            rows.append(FigureRow(figure, values.get(figure.currency, Decimal(0)), figure.currency))
        elif figure.is_value:
            rows.append(FigureRow(figure, None, figure.currency))
        else:
            counted = figure.metric in COUNTED_METRICS and figure.metric in counts
            rows.append(
                FigureRow(
                    figure,
                    counts[figure.metric] if counted else None,
                    note=notes.get(figure.metric, "") if counted else "",
                )
            )
    return rows


# --- An organization's own meetings and applications (the personal area) -----------------------


def meetings_of_organization(organization: Organization) -> QuerySet[Meeting]:
    """The organization's meetings, with what their venue zones read (`Meeting.venue_zone`)."""
    return (
        Meeting.objects.filter(Q(organization_a=organization) | Q(organization_b=organization))
        .select_related("mission", "organization_a", "organization_b", "program_item__place__region")
        .prefetch_related(Prefetch("mission__destination_regions", queryset=Region.objects.order_by("name")))
    )


def applications_of_organization(organization: Organization) -> QuerySet[DelegationApplication]:
    return DelegationApplication.objects.filter(organization=organization).select_related("mission")
