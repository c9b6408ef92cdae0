"""The reports' sections as sheets: Russian column names, typed cells (numbers, sums, dates), built from
the same context the printed page shows — never counted again."""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from companies.dates import DatePrecision, date_as_given

from .render import Sheet
from .yearly import RegionYear


def _local(moment: datetime.datetime | None, zone) -> tuple[datetime.date | None, str]:
    """A moment as its day and "HH:MM" in the venue's zone (a workbook holds no time zones)."""
    if moment is None:
        return None, ""
    local = moment.astimezone(zone)
    return local.date(), f"{local:%H:%M}"


def _funnel_sheet(funnel_rows: list[tuple[str, int]], roubles, other_currencies) -> Sheet:
    rows = [[label, value, ""] for label, value in funnel_rows]
    rows.append([_("Value of the contracts signed"), roubles, "RUB"])
    rows += [[_("Value of the contracts signed"), amount, currency] for currency, amount in other_currencies]
    return Sheet(_("Funnel"), [_("Figure"), _("Number or sum"), _("Currency")], rows, money_columns=frozenset())


def _figures_sheet(figures) -> Sheet:
    rows = []
    for row in figures:
        figure = row.figure
        rows.append(
            [
                figure.get_metric_display(),
                figure.period,
                figure.get_qualifier_display(),
                figure.count if figure.count is not None else figure.number,
                figure.currency,
                row.counted_as,
                row.recorded,
                row.comparison,
                figure.source.title,
                figure.source.url,
            ]
        )
    return Sheet(
        _("Reported figures"),
        [
            _("Figure"),
            _("Year"),
            _("Qualifier"),
            _("The source says"),
            _("Currency"),
            _("The portal counts"),
            _("The portal records"),
            _("Comparison"),
            _("Source"),
            _("Address"),
        ],
        rows,
    )


def _projects_sheet(projects) -> Sheet:
    rows = [
        [
            project.title,
            project.get_stage_display(),
            "; ".join(str(party.organization) for party in project.visible_parties),
            project.expected_value,
            project.currency if project.expected_value is not None else "",
            project.next_step,
            project.next_step_due,
        ]
        for project in projects
    ]
    return Sheet(
        _("Projects"),
        [
            _("Project"),
            _("Stage"),
            _("Parties"),
            _("Expected value"),
            _("Currency"),
            _("Next step"),
            _("Next step due"),
        ],
        rows,
        money_columns=frozenset({3}),
    )


def _as_given(value: datetime.date | None, precision: str) -> datetime.date | str | None:
    """A date known to the day as a date cell; one known by its month or year as the source gives it ("2015")."""
    return value if precision == DatePrecision.DAY else date_as_given(value, precision)


def _signed_on(agreement) -> datetime.date | str | None:
    return _as_given(agreement.signed_on, agreement.signed_on_precision)


def mission_sheets(context) -> list[Sheet]:
    mission, funnel = context["mission"], context["funnel"]
    delegation = Sheet(
        _("Delegation"),
        [_("Organization"), _("Kind"), _("Region"), _("Person"), _("Position"), _("Role")],
        [
            [
                str(group.organization),
                group.organization.get_kind_display(),
                str(group.organization.region),
                member.person.full_name if member.person_id else "",
                member.person.position if member.person_id and member.person.is_named else "",
                member.get_role_display(),
            ]
            for group in context["delegation"]
            for member in group.members
        ],
    )
    program_rows = []
    for item in context["program"]:
        zone = item.venue_zone
        day, start = _local(item.starts_at, zone)
        _end_day, end = _local(item.ends_at, zone)
        program_rows.append(
            [
                day or item.date,
                start,
                end,
                zone.key if item.starts_at else "",
                item.title,
                item.get_kind_display(),
                ", ".join(filter(None, [str(item.place) if item.place else "", item.venue])),
                str(item.visible_host) if item.visible_host else "",
            ]
        )
    program = Sheet(
        _("Programme"),
        [_("Date"), _("Starts"), _("Ends"), _("Time zone"), _("Event"), _("Kind"), _("Venue"), _("Host")],
        program_rows,
    )
    meetings = context["meetings"]
    meeting_rows = []
    for meeting in meetings.held:
        day, start = _local(meeting.starts_at, meeting.venue_zone)
        meeting_rows.append(
            [
                day or meeting.date,
                start,
                meeting.table,
                str(meeting.organization_a),
                str(meeting.organization_b),
                meeting.topic,
                meeting.get_outcome_display() if meeting.outcome else "",
            ]
        )
    meetings_sheet = Sheet(
        _("Meetings held"),
        [_("Date"), _("Starts"), _("Table"), _("Organization"), _("Partner"), _("Topic"), _("Outcome")],
        meeting_rows,
    )
    agreements = Sheet(
        _("Agreements"),
        [_("Agreement"), _("Kind"), _("Status"), _("Signed on"), _("At the mission"), _("Value"), _("Currency")],
        [
            [
                agreement.title,
                agreement.get_kind_display(),
                agreement.get_status_display(),
                _signed_on(agreement),
                _("followed up") if agreement.followed_up else _("signed"),
                agreement.value,
                agreement.currency if agreement.value is not None else "",
            ]
            for agreement in context["agreements"]
        ],
        money_columns=frozenset({5}),
    )
    summary = Sheet(
        _("Mission"),
        [_("Field"), _("Value")],
        [
            [_("Mission"), mission.title],
            [_("Organizing region"), str(mission.origin_region)],
            [_("Destinations"), ", ".join(str(r) for r in mission.destination_regions.all())],
            [_("Start date"), _as_given(mission.start_date, mission.dates_precision)],
            [_("End date"), mission.end_date],
            [_("Status"), mission.get_status_display()],
            [_("Meetings entered"), meetings.total],
            [_("As of"), context["as_of"]],
        ],
    )
    return [
        summary,
        _funnel_sheet([(step.label, step.value) for step in funnel.steps], funnel.roubles, funnel.other_currencies),
        delegation,
        program,
        meetings_sheet,
        agreements,
        _projects_sheet(context["projects"]),
        _figures_sheet(context["figures"]),
    ]


def agreement_sheets(context) -> list[Sheet]:
    agreement, plan = context["agreement"], context["plan"]
    if agreement.valid_until:
        until = agreement.valid_until
    elif agreement.is_open_ended:
        until = pgettext("term", "open-ended")
    else:
        until = _("no term given")
    summary = Sheet(
        _("Agreement"),
        [_("Field"), _("Value")],
        [
            [_("Agreement"), agreement.title],
            [_("Kind"), agreement.get_kind_display()],
            [_("No."), agreement.number],
            [_("Status"), agreement.get_status_display()],
            [_("Signed on"), _signed_on(agreement)],
            [_("Valid from"), agreement.valid_from],
            [_("Valid until"), until],
            [_("Days left"), agreement.days_left],
            [_("Plan items"), plan.total],
            [_("Plan items done"), plan.done],
            [_("Plan items in progress"), plan.in_progress],
            [pgettext("report", "Plan items overdue"), plan.overdue],
            [_("Plan items planned"), plan.planned],
            [_("Linked cooperation projects"), len(context["projects"])],
            [_("As of"), context["as_of"]],
        ],
    )
    parties = Sheet(
        _("Parties"),
        [_("Organization"), _("Role"), _("Region")],
        [
            [str(party.organization), party.get_role_display(), str(party.organization.region)]
            for party in agreement.visible_parties
        ],
    )
    signatories = Sheet(
        _("Signatories"),
        [_("Signed by"), _("Position at signing"), _("On behalf of")],
        [
            [
                str(signatory.person),
                signatory.position_at_signing,
                str(signatory.on_behalf_of or signatory.person.organization or ""),
            ]
            for signatory in agreement.visible_signatories
        ],
    )
    plan_sheet = Sheet(
        _("Implementation plan"),
        [_("No."), _("Action"), _("Responsible"), _("Due date"), _("Status"), _("Overdue"), _("Completed on")],
        [
            [
                item.number,
                item.action,
                "; ".join(
                    filter(
                        None,
                        [
                            str(item.visible_organization) if item.visible_organization else "",
                            item.visible_person.full_name if item.visible_person else "",
                        ],
                    )
                ),
                item.due_date,
                item.get_status_display(),
                _("yes") if item.overdue else _("no"),
                item.completed_on,
            ]
            for item in plan.items
        ],
    )
    return [
        summary,
        parties,
        signatories,
        plan_sheet,
        _projects_sheet(context["projects"]),
        _figures_sheet(context["figures"]),
    ]


def region_year_sheets(report: RegionYear) -> list[Sheet]:
    funnel = report.funnel
    summary = Sheet(
        _("Summary"),
        [_("Figure"), _("Number or sum"), _("Currency")],
        [
            [_("Missions"), report.reach.missions, ""],
            [_("Regions reached"), report.reach.regions, ""],
            [_("Organizations in the delegations"), funnel.organizations, ""],
            [_("Companies in the delegations"), funnel.companies, ""],
            [_("Meetings held"), funnel.meetings, ""],
            [_("Projects opened"), funnel.projects, ""],
            [_("Contracts signed"), funnel.contracts, ""],
            [_("Value of the contracts signed"), funnel.value_rub, "RUB"],
            *[[_("Value of the contracts signed"), amount, currency] for currency, amount in funnel.other_values],
        ],
    )
    destinations = Sheet(
        _("By destination"),
        [_("Destination"), _("Missions")],
        [[str(row.region) if row.region else _("not set"), row.missions] for row in report.by_destination],
    )
    missions = Sheet(
        _("Missions"),
        [
            _("Mission"),
            _("Start date"),
            _("End date"),
            _("Destinations"),
            _("Status"),
            _("Organizations in the delegation"),
        ],
        [
            [
                mission.title,
                _as_given(mission.start_date, mission.dates_precision),
                mission.end_date,
                ", ".join(str(r) for r in mission.destination_regions.all()),
                mission.get_status_display(),
                mission.delegation_size,
            ]
            for mission in report.missions
        ],
    )
    stages = Sheet(
        _("Projects by stage"), [_("Stage"), _("Projects")], [[str(label), n] for _s, label, n in report.stages]
    )
    return [summary, destinations, missions, stages]
