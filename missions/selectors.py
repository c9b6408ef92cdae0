"""Reads of missions that are more than one line, and who may see which mission.

The public pages show the public part of a record: an anonymous visitor sees public missions, and on
them only public organizations, projects and agreements. Counts and sums on a page are made from the
same rows the page lists, so every number can be traced to the rows behind it.
"""

import calendar
import datetime
from collections import defaultdict
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


def meetings_mark_off_the_mission(mission: Mission, meetings: list[Meeting]) -> list[Meeting]:
    """Set each meeting's `off_the_mission` to its organizations that are neither in the mission's
    delegation nor on its host side (`Mission.host_regions`): a meeting someone scheduled for an
    organization that did not come and is not visited. Staff are warned when saving one, and the
    mission page marks it. The organizations' regions should be loaded. Returns the meetings marked.
    Two queries (the delegation, the destinations) whatever the number of meetings."""
    delegation = set(DelegationMember.objects.filter(mission=mission).values_list("organization_id", flat=True))
    hosts = mission.host_regions
    marked = []
    for meeting in meetings:
        meeting.off_the_mission = [
            organization
            for organization in (meeting.organization_a, meeting.organization_b)
            if organization.pk not in delegation and not any(host.covers(organization.region) for host in hosts)
        ]
        if meeting.off_the_mission:
            marked.append(meeting)
    return marked


@dataclass
class MeetingSummary:
    total: int
    by_status: list[tuple[str, int]]
    by_outcome: list[tuple[str, int]]
    held: list[Meeting]
    # Meetings (of every status) with an organization neither in the delegation nor on the host side.
    off_the_mission: list[Meeting] = field(default_factory=list)


def meetings_held(meetings: QuerySet[Meeting], user) -> QuerySet[Meeting]:
    """The one definition of a held meeting: it took place, and both its organizations may be seen by
    the user (a meeting with a hidden party is not shown, so it is not counted either)."""
    return meetings.filter(
        visible_q(user, "organization_a__"), visible_q(user, "organization_b__"), status=Meeting.Status.HELD
    )


def mission_meetings(mission: Mission, user) -> MeetingSummary:
    """Meetings counted by status and outcome, and the held ones listed. A meeting shows when both
    of its organizations may be seen."""
    meetings = list(
        Meeting.objects.filter(mission=mission)
        .filter(visible_q(user, "organization_a__"), visible_q(user, "organization_b__"))
        .select_related("organization_a__region", "organization_b__region", "program_item__place__region")
        .order_by(F("date").asc(nulls_last=True), F("starts_at").asc(nulls_first=True), "pk")
    )
    for meeting in meetings:
        meeting.mission = mission  # its venue zone reads the mission's prefetched destinations
    off_the_mission = meetings_mark_off_the_mission(mission, meetings)
    status_counts = defaultdict(int)
    outcome_counts = defaultdict(int)
    for meeting in meetings:
        status_counts[meeting.status] += 1
        if meeting.outcome:
            outcome_counts[meeting.outcome] += 1
    return MeetingSummary(
        total=len(meetings),
        by_status=[(label, status_counts[value]) for value, label in Meeting.Status.choices if status_counts[value]],
        by_outcome=[
            (label, outcome_counts[value]) for value, label in Meeting.Outcome.choices if outcome_counts[value]
        ],
        held=[m for m in meetings if m.status == Meeting.Status.HELD],
        off_the_mission=off_the_mission,
    )


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
