"""Business missions: delegations, programme, B2B meetings, and the sources that report on them."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from companies.dates import DatePrecision, date_as_given, date_truncated
from companies.models import Currency, Organization, Person, Place, Region, Sector, recorded_by_field
from companies.ownership import Ownership


class Mission(models.Model):
    # The ministry keeping the record changes it, whoever organized the visit (often the partner).
    ownership = Ownership("recorded_by")

    class Status(models.TextChoices):
        # Contexts: Russian status words agree with the noun ("миссия завершена", "пункт выполнен").
        PLANNED = "planned", pgettext_lazy("mission status", "planned")
        CONFIRMED = "confirmed", pgettext_lazy("mission status", "confirmed")
        UNDER_WAY = "under_way", pgettext_lazy("mission status", "under way")
        COMPLETED = "completed", pgettext_lazy("mission status", "completed")
        CANCELLED = "cancelled", pgettext_lazy("mission status", "cancelled")

    # Where a mission's status may go from each status (can_move_to; missions.services.missions applies it).
    TRANSITIONS = {
        Status.PLANNED: {Status.CONFIRMED, Status.UNDER_WAY, Status.CANCELLED},
        Status.CONFIRMED: {Status.PLANNED, Status.UNDER_WAY, Status.CANCELLED},
        Status.UNDER_WAY: {Status.COMPLETED, Status.CANCELLED},
        Status.COMPLETED: set(),
        Status.CANCELLED: {Status.PLANNED},
    }

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    origin_region = models.ForeignKey(
        Region, verbose_name=_("origin region"), on_delete=models.PROTECT, related_name="missions_out"
    )
    destination_regions = models.ManyToManyField(
        Region, verbose_name=_("destination regions"), related_name="missions_in"
    )
    places = models.ManyToManyField(
        Place,
        verbose_name=_("cities and towns"),
        blank=True,
        related_name="missions",
        help_text=_("The places the trip visits, in the origin or destination regions or in a destination country."),
    )
    organizer = models.ForeignKey(
        Organization,
        verbose_name=_("organizer"),
        on_delete=models.PROTECT,
        related_name="organized_missions",
        help_text=_("Who organized the visit: any organization, the partner's government for an inbound visit."),
    )
    recorded_by = models.ForeignKey(
        Organization,
        verbose_name=_("ministry keeping the record"),
        on_delete=models.PROTECT,
        related_name="recorded_missions",
        help_text=_("Its staff keep the record; its region is the origin or a destination of the mission."),
    )
    head_of_delegation = models.ForeignKey(
        Person,
        verbose_name=_("head of delegation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_missions",
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    dates_precision = models.CharField(
        _("precision of the dates"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text=_("A source that says “in May 2024” gives the month only: the start is shown as written."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    purpose = models.TextField(_("purpose"), blank=True)
    framework_event = models.CharField(
        _("framework event"), max_length=300, blank=True, help_text=_("A forum or exhibition the mission is part of.")
    )
    reciprocal_of = models.ForeignKey(
        "self",
        verbose_name=_("return mission of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reciprocal_missions",
        help_text=_("The earlier mission this one returns."),
    )
    results_summary = models.TextField(_("results summary"), blank=True)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public pages."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[destination_regions, places])

    class Meta:
        ordering = [F("start_date").desc(nulls_last=True), "title"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="mission_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(reciprocal_of__isnull=True) | ~Q(reciprocal_of=F("pk")),
                name="mission_not_reciprocal_of_itself",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/missions/{self.slug}/"

    def can_move_to(self, status: str) -> bool:
        """Whether the status may go from the current one to `status`; staying put is no move."""
        return status in self.TRANSITIONS.get(self.status, set())

    def clean(self):
        # A start known to its month or year is stored as the first day of it (companies.dates); such a
        # trip has no end day to give.
        if self.dates_precision != DatePrecision.DAY and self.end_date:
            raise ValidationError(
                {"end_date": _("Leave the end date empty when only the month or the year of the mission is known.")}
            )
        self.start_date = date_truncated(self.start_date, self.dates_precision)

    @property
    def is_dated_to_the_day(self) -> bool:
        return self.dates_precision == DatePrecision.DAY

    @property
    def start_date_as_given(self) -> str:
        """The start as the source gives it ("12.05.2024", "май 2024", "2024"), "" when unknown."""
        return date_as_given(self.start_date, self.dates_precision)

    @property
    def venue_region(self) -> Region | None:
        """Where the mission takes place: its first destination in the directory's order, by name (the
        host region of an inbound visit). A programme item in another zone names its city (`place`).

        Reads the destinations through `destination_regions.all()`, so a prefetch serves it.
        """
        return next(iter(self.destination_regions.all()), None) if self.pk else None

    @property
    def host_regions(self) -> list[Region]:
        """The host side of the mission: its destination regions (a destination country covers its
        regions, Region.covers). The origin is always where the delegation comes from, so an inbound
        visit (a foreign delegation coming to us: the foreign region is the origin, ours the destination)
        needs no rule of its own: the hosts are the destinations either way. A meeting is expected
        between a delegation member and the host side (missions.selectors.meetings_mark_off_the_mission).

        Reads `destination_regions.all()`, so a prefetch serves it.
        """
        return list(self.destination_regions.all()) if self.pk else []

    @property
    def venue_zone(self) -> ZoneInfo:
        """The time zone the mission's times are entered and shown in (see ProgramItem.venue_zone)."""
        region = self.venue_region
        return region.tzinfo if region else ZoneInfo(settings.TIME_ZONE)


class Source(models.Model):
    """A press release or report. Its figures are set beside the rows that stand behind them."""

    # The ministry whose staff entered the source keeps editing it, and its figures.
    ownership = Ownership(kept_by="recorded_by")

    title = models.CharField(_("title"), max_length=500)
    outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    missions = models.ManyToManyField(Mission, verbose_name=_("missions"), blank=True, related_name="sources")
    recorded_by = recorded_by_field()

    class Meta:
        ordering = [F("published_on").desc(nulls_last=True), "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="source_unique_url")]

    def __str__(self) -> str:
        return self.title


class ReportedFigure(models.Model):
    """A figure a source claims about a mission or an agreement ("more than 50 new contracts")."""

    # The mission's or the agreement's keepers, and the ministry that recorded the source: a figure is
    # a claim of its source, so whoever keeps the source keeps its figures, whatever they are about.
    ownership = Ownership("mission__recorded_by", "agreement__parties__organization", kept_by="source__recorded_by")

    class Metric(models.TextChoices):
        DELEGATION_COMPANIES = "delegation_companies", _("companies in the delegation")
        COMPANIES_PRESENTED = "companies_presented", _("companies presenting products")
        HOST_COMPANIES = "host_companies", _("host-side companies")
        PARTICIPANTS = "participants", _("participants (people)")
        MEETINGS = "meetings", _("B2B meetings")
        CONTRACTS = "contracts", _("contracts signed")
        PROJECTS_UNDER_NEGOTIATION = "projects_negotiation", _("projects under negotiation")
        AGREEMENTS = "agreements", _("agreements signed")
        REGIONS_VISITED = "regions_visited", _("regions visited")
        VALUE = "value", _("value of contracts")
        TRADE_TURNOVER = "trade_turnover", _("trade turnover")
        POTENTIAL_VALUE = "potential_value", _("potential or expected value")

    # Metrics that are sums of money, with a currency; every other metric is a count of whole things.
    VALUE_METRICS = (Metric.VALUE, Metric.TRADE_TURNOVER, Metric.POTENTIAL_VALUE)

    class Qualifier(models.TextChoices):
        EXACTLY = "exactly", _("exactly")
        ABOUT = "about", _("about")
        MORE_THAN = "more_than", _("more than")
        UP_TO = "up_to", _("up to")
        LESS_THAN = "less_than", _("less than")

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="figures")
    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, null=True, blank=True, related_name="figures"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        verbose_name=_("agreement"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="figures",
    )
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier.choices, default=Qualifier.EXACTLY)
    number = models.DecimalField(_("figure"), max_digits=18, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    period = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("The year the figure is about, when the source names one (trade turnover in 2023)."),
    )
    quote = models.TextField(_("quote"), blank=True, help_text=_("The sentence of the source that states the figure."))

    class Meta:
        verbose_name = _("reported figure")
        verbose_name_plural = _("reported figures")
        constraints = [
            models.CheckConstraint(
                condition=Q(mission__isnull=False, agreement__isnull=True)
                | Q(mission__isnull=True, agreement__isnull=False),
                name="figure_about_mission_or_agreement",
                violation_error_message=_("A figure is about either a mission or an agreement."),
            ),
            models.CheckConstraint(
                condition=Q(metric__in=["value", "trade_turnover", "potential_value"], currency__gt="")
                | Q(~Q(metric__in=["value", "trade_turnover", "potential_value"]), currency=""),
                name="figure_currency_iff_value",
                violation_error_message=_("A value needs a currency; a count has none."),
            ),
            models.CheckConstraint(condition=Q(number__gte=0), name="figure_number_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_metric_display()}: {self.get_qualifier_display()} {self.number_as_text}"

    def clean(self):
        if self.number is not None and not self.is_value and self.number != self.number.to_integral_value():
            message = _("A count is a whole number: %(number)s is not.") % {"number": f"{self.number:f}"}
            raise ValidationError({"number": ValidationError(message, code="count_not_whole")})

    @property
    def is_value(self) -> bool:
        """A sum of money (with its currency), not a count."""
        return self.metric in self.VALUE_METRICS

    @property
    def count(self) -> int | None:
        """The figure as a whole number, for a count ("16", never "16.00")."""
        return None if self.is_value or self.number is None else int(self.number)

    @property
    def number_as_text(self) -> str:
        if self.number is None:
            return ""
        return str(self.count) if self.count is not None else f"{self.number.normalize():f}"


class DelegationMember(models.Model):
    ownership = Ownership("mission__recorded_by")

    class Role(models.TextChoices):
        HEAD = "head", _("head of delegation")
        OFFICIAL = "official", _("official")
        ORGANIZER = "organizer", _("organizer")
        PARTICIPANT = "participant", _("participant")
        EXPERT = "expert", _("expert")

    mission = models.ForeignKey(Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="delegation")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organization"), on_delete=models.PROTECT, related_name="delegation_memberships"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delegation_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)

    class Meta:
        ordering = ["mission", "organization__name"]
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "organization", "person"],
                name="delegation_unique_person",
                violation_error_message=_("This person of this organization is already in the delegation."),
            ),
            # NULLs are distinct in a unique index: one organization-only row per mission is a second rule.
            models.UniqueConstraint(
                fields=["mission", "organization"],
                condition=Q(person__isnull=True),
                name="delegation_unique_organization_without_person",
                violation_error_message=_("This organization is already in the delegation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}" + (f" — {self.person}" if self.person_id else "")

    def clean(self):
        if self.person_id and self.organization_id and self.person.organization_id != self.organization_id:
            raise ValidationError({"person": _("The person must belong to the chosen organization.")})


class ProgramItem(models.Model):
    ownership = Ownership("mission__recorded_by")

    class Kind(models.TextChoices):
        B2B = "b2b", _("B2B session")
        ROUND_TABLE = "round_table", _("round table")
        SITE_VISIT = "site_visit", _("site visit")
        SIGNING = "signing", _("signing ceremony")
        EXHIBITION = "exhibition", _("exhibition")
        PLENARY = "plenary", _("plenary session")
        FORUM = "forum", _("forum")
        PRESENTATION = "presentation", _("presentation")
        OFFICIAL_TALKS = "official_talks", _("official talks")
        SECTION = "section", _("section or panel")
        OTHER = "other", _("other")

    mission = models.ForeignKey(Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="program")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("The day, in the venue's time zone; the time may be unknown.")
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.ForeignKey(
        Place,
        verbose_name=_("city or town"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="program_items",
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    host = models.ForeignKey(
        Organization,
        verbose_name=_("host"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_program_items",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = [F("date").asc(nulls_last=True), F("starts_at").asc(nulls_last=True), "pk"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(starts_at__isnull=False, ends_at__gte=F("starts_at")),
                name="program_item_end_after_start",
                violation_error_message=_("A programme item cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(date__isnull=False),
                name="program_item_date_with_time",
                violation_error_message=_("A programme item with a time needs its date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def venue_zone(self) -> ZoneInfo:
        """The one definition of the zone a programme item's times are entered and shown in: its
        place's region's zone, else the mission's (its first destination's), else Moscow time."""
        if self.place_id:
            return self.place.region.tzinfo
        return self.mission.venue_zone if self.mission_id else ZoneInfo(settings.TIME_ZONE)


class Meeting(models.Model):
    """A B2B meeting between two organizations.

    On PostgreSQL exclusion constraints refuse two overlapping active meetings of one organization
    (migration 0002) and two at one table of a mission (migration 0005);
    `missions.services.schedule.meeting_check_slot` gives the same rules a clear message and enforces them on
    SQLite.
    """

    ownership = Ownership("mission__recorded_by")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("requested")
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")
        NO_SHOW = "no_show", _("no-show")

    class Outcome(models.TextChoices):
        NO_FURTHER_CONTACT = "no_further_contact", _("no further contact")
        FOLLOW_UP_AGREED = "follow_up_agreed", _("follow-up agreed")
        NEGOTIATION_STARTED = "negotiation_started", _("negotiation started")
        PROJECT_OPENED = "project_opened", _("project opened")
        AGREEMENT_REACHED = "agreement_reached", _("agreement reached")

    # Meetings in these states hold their time slot; cancelled and no-show ones free it.
    ACTIVE_STATUSES = (Status.REQUESTED, Status.SCHEDULED, Status.HELD)

    mission = models.ForeignKey(Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="meetings")
    program_item = models.ForeignKey(
        ProgramItem,
        verbose_name=_("programme item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    date = models.DateField(
        _("date"), null=True, blank=True, help_text=_("The day, in the venue's time zone; the time may be unknown.")
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    table = models.CharField(_("table"), max_length=20, blank=True)
    organization_a = models.ForeignKey(
        Organization, verbose_name=_("first organization"), on_delete=models.PROTECT, related_name="meetings_as_a"
    )
    organization_b = models.ForeignKey(
        Organization, verbose_name=_("second organization"), on_delete=models.PROTECT, related_name="meetings_as_b"
    )
    people = models.ManyToManyField(Person, verbose_name=_("people"), blank=True, related_name="meetings")
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="meetings")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = [F("date").asc(nulls_last=True), F("starts_at").asc(nulls_last=True), "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        # The orderings the lists read in (the admin and the model: date, start, id; the API and the
        # personal area's feed: start, id), and the admin's status and outcome filters in that order:
        # a page of a million meetings reads 100 index entries instead of sorting the table.
        indexes = [
            models.Index(fields=["date", "starts_at", "id"], name="meeting_date_start_order"),
            models.Index(fields=["starts_at", "id"], name="meeting_start_order"),
            models.Index(fields=["status", "date", "starts_at", "id"], name="meeting_status_date_order"),
            models.Index(fields=["outcome", "date", "starts_at", "id"], name="meeting_outcome_date_order"),
            # A mission page's table of its held meetings, in its order: a page of them reads that
            # mission's index entries (and sorts one day's by time: an untimed meeting comes first on its
            # day, which SQLite's indexes cannot say), not every held meeting by date.
            models.Index(fields=["mission", "status", "date", "starts_at", "id"], name="meeting_mission_status_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(organization_a=F("organization_b")),
                name="meeting_two_different_organizations",
                violation_error_message=_("A meeting is between two different organizations."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True, ends_at__isnull=True)
                | Q(starts_at__isnull=False, ends_at__isnull=False, ends_at__gt=F("starts_at")),
                name="meeting_end_after_start",
                violation_error_message=_("A meeting needs both a start and a later end, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(status="held"),
                name="meeting_outcome_only_when_held",
                violation_error_message=_("Only a meeting that was held has an outcome."),
            ),
            models.CheckConstraint(
                condition=Q(starts_at__isnull=True) | Q(date__isnull=False),
                name="meeting_date_with_time",
                violation_error_message=_("A meeting with a time needs its date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization_a} — {self.organization_b}"

    @property
    def holds_slot(self) -> bool:
        return self.status in self.ACTIVE_STATUSES and self.starts_at is not None and self.ends_at is not None

    @property
    def venue_zone(self) -> ZoneInfo:
        """The zone of its programme item's place, else of its mission (the programme item's mission too)."""
        if self.program_item_id and self.program_item.place_id:
            return self.program_item.place.region.tzinfo
        return self.mission.venue_zone if self.mission_id else ZoneInfo(settings.TIME_ZONE)


class DelegationApplication(models.Model):
    """A company's request to join a mission's delegation; staff approve or decline it."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("application status", "pending")
        APPROVED = "approved", pgettext_lazy("application status", "approved")
        DECLINED = "declined", pgettext_lazy("application status", "declined")

    mission = models.ForeignKey(
        Mission, verbose_name=_("mission"), on_delete=models.CASCADE, related_name="delegation_applications"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="delegation_applications",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_applications",
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="delegation_applications",
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_delegation_applications",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delegation application")
        verbose_name_plural = _("delegation applications")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "organization"],
                condition=Q(status="pending"),
                name="delegation_application_one_pending",
                violation_error_message=_("This organization has already applied to join this delegation."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_at__isnull=True)
                | Q(~Q(status="pending"), decided_at__isnull=False),
                name="delegation_application_decided_iff_not_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.mission}"
