"""A mission's imports (companies.imports): its delegation list and its B2B schedule, chosen on the
mission's admin page. Organizations and people new to the directory are added on the way; rows
already in the mission are left alone, so the same file imported twice changes nothing."""

import datetime

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from companies.imports.base import (
    CREATED,
    UNCHANGED,
    UPDATED,
    Context,
    Importer,
    RowError,
    choice_cell,
    date_cell,
    register,
    text,
    time_cell,
)
from companies.imports.columns import Column
from companies.imports.directory import (
    INN,
    ORGANIZATION,
    ORGANIZATION_FIELDS,
    PERSON_COLUMNS,
    PERSON_FIELDS,
    REGION,
    organization_for_row,
    person_fio,
    person_for_row,
)
from companies.imports.reader import parse_time_range

from .models import DelegationMember, Meeting, Mission
from .services.delegation import delegation_add_member
from .services.schedule import local_times_apply, meeting_save, meeting_schedule

# The headers are the files' format, written in Russian as ministries write them; their notes are translated.
ROLE = Column(
    "role",
    "Роль",
    ("Роль в делегации", "Статус в делегации", "Статус участника"),
    example="участник",
    help=_(
        "The role in the delegation: «руководитель делегации», «официальное лицо», «организатор», «участник» or "
        "«эксперт». Empty: participant."
    ),
)


class DelegationImporter(Importer):
    kind = "delegation"
    title = _("Delegation list")
    target_model = Mission
    columns = (ORGANIZATION, INN, REGION, *PERSON_COLUMNS, ROLE)
    field_columns = {**PERSON_FIELDS, **ORGANIZATION_FIELDS, "role": "role", "person": "full_name"}

    def import_row(self, context: Context, cells: dict) -> tuple[str, str]:
        mission = context.target
        role = choice_cell(cells, "role", DelegationMember.Role.choices, DelegationMember.Role.PARTICIPANT)
        organization, org_action = organization_for_row(context, cells, default_region=mission.origin_region)
        person, person_action = person_for_row(context, cells, organization)
        described = str(organization) if person is None else f"{person.full_name}, {organization}"
        if DelegationMember.objects.filter(mission=mission, organization=organization, person=person).exists():
            return UNCHANGED, described
        delegation_add_member(mission=mission, organization=organization, person=person, role=role, by=context.by)
        return CREATED, described

    def export_rows(self, mission: Mission) -> list[dict]:
        """The delegation as rows of this import (the template's layout): what the import reads back."""
        rows = []
        members = mission.delegation.select_related("organization__region", "person").order_by("pk")
        for member in members:
            person = member.person
            rows.append(
                {
                    "organization": member.organization.name,
                    "inn": member.organization.inn,
                    "region": member.organization.region.name,
                    "full_name": person_fio(person) if person else "",
                    "position": person.position if person else "",
                    "phone": person.phone if person else "",
                    "email": person.email if person else "",
                    "role": member.get_role_display(),
                }
            )
        return rows


DATE = Column(
    "date",
    "Дата",
    ("Дата встречи", "День"),
    required=True,
    example="03.02.2026",
    help=_("The day of the meeting: 03.02.2026, 2026-02-03 or a date cell."),
)
TIME = Column(
    "time",
    "Время",
    ("Начало", "Время начала", "Время встречи", "Слот"),
    example="10:30",
    help=_(
        "The start in the venue's local time: 10:30, 10.30 or a time cell; a range (10:30–11:00) gives the end too."
    ),
)
END = Column(
    "end",
    "Окончание",
    ("Время окончания", "Конец"),
    example="11:00",
    help=_("The end; empty: the start plus the usual length of a B2B meeting (30 minutes)."),
)
TABLE = Column("table", "Стол", ("Номер стола", "№ стола"), example="5", help=_("The table of the B2B session."))
ORG_A = Column(
    "org_a",
    "Организация 1",
    ("Компания 1", "Первая организация", "Участник 1", "Сторона 1"),
    required=True,
    example="ООО «Автокомпонент»",
    help=_("The first organization (usually of the delegation)."),
)
INN_A = Column(
    "inn_a", "ИНН 1", ("ИНН организации 1",), example="7325000006", help=_("The INN of the first organization.")
)
REGION_A = Column(
    "region_a",
    "Регион 1",
    ("Субъект 1",),
    help=_("The region of the first organization; empty: the mission's origin."),
)
PERSON_A = Column(
    "person_a",
    "Представитель 1",
    ("ФИО 1",),
    example="Иванов Иван Иванович",
    help=_("Who comes for the first organization."),
)
ORG_B = Column(
    "org_b",
    "Организация 2",
    ("Компания 2", "Вторая организация", "Участник 2", "Сторона 2", "Партнёр"),
    required=True,
    example="АО «Тулаточмаш»",
    help=_("The second organization (usually the partner)."),
)
INN_B = Column("inn_b", "ИНН 2", ("ИНН организации 2",), help=_("The INN of the second organization."))
REGION_B = Column(
    "region_b",
    "Регион 2",
    ("Субъект 2",),
    example="Тульская область",
    help=_("The region of the second organization; empty: the region the mission visits, if it visits one."),
)
PERSON_B = Column("person_b", "Представитель 2", ("ФИО 2",), help=_("Who comes for the second organization."))
TOPIC = Column(
    "topic",
    "Тема",
    ("Тема встречи", "Предмет переговоров"),
    example="Поставка датчиков давления",
    help=_("What the meeting is about."),
)
MEETING_MINUTES = 30


class ScheduleImporter(Importer):
    kind = "schedule"
    title = _("B2B schedule")
    target_model = Mission
    columns = (DATE, TIME, END, TABLE, ORG_A, INN_A, REGION_A, PERSON_A, ORG_B, INN_B, REGION_B, PERSON_B, TOPIC)
    field_columns = {
        "date": "date",
        "starts_at": "time",
        "ends_at": "end",
        "table": "table",
        "topic": "topic",
        "organization_a": "org_a",
        "organization_b": "org_b",
    }
    code_columns = {"slot_taken": "time", "date_not_start_day": "date"}

    def import_row(self, context: Context, cells: dict) -> tuple[str, str]:
        mission = context.target
        day = date_cell(cells, "date")
        if day is None:
            raise RowError("date", gettext("The date of the meeting is missing."))
        start, end = self._times(cells)
        destinations = list(mission.destination_regions.all())
        side_b_region = destinations[0] if len(destinations) == 1 else None
        organizations, actions = [], []
        for side, default in (("a", mission.origin_region), ("b", side_b_region)):
            organization, action = organization_for_row(
                context,
                cells,
                key=f"org_{side}",
                inn_key=f"inn_{side}",
                region_key=f"region_{side}",
                default_region=default,
            )
            organizations.append(organization)
            actions.append(action)
        if organizations[0].pk == organizations[1].pk:
            raise RowError("org_b", gettext("A meeting is between two different organizations."))
        people = []
        for side, organization in zip(("a", "b"), organizations, strict=True):
            if text(cells, f"person_{side}"):
                person, _action = person_for_row(context, {"full_name": cells[f"person_{side}"]}, organization)
                people.append(person)
        slot = Meeting(mission=mission, date=day)
        local_times_apply(slot, start_time=start, end_time=end)
        table, topic = text(cells, "table"), text(cells, "topic")
        described = gettext("%(date)s %(time)s, table %(table)s: %(a)s — %(b)s") % {
            "date": day.strftime("%d.%m.%Y"),
            "time": start.strftime("%H:%M") if start else "",
            "table": table or "—",
            "a": organizations[0],
            "b": organizations[1],
        }
        existing = self._existing(mission, organizations, day, slot.starts_at)
        if existing is not None:
            changes = {name: value for name, value in (("table", table), ("topic", topic)) if value}
            changes = {name: value for name, value in changes.items() if getattr(existing, name) != value}
            if not changes:
                return UNCHANGED, described
            for name, value in changes.items():
                setattr(existing, name, value)
            meeting_save(existing, by=context.by)
            return UPDATED, described
        meeting_schedule(
            mission=mission,
            organization_a=organizations[0],
            organization_b=organizations[1],
            date=day,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            table=table,
            topic=topic,
            people=people,
            status=Meeting.Status.SCHEDULED,
            by=context.by,
        )
        return CREATED, described

    def _times(self, cells) -> tuple[datetime.time | None, datetime.time | None]:
        try:
            start, end = parse_time_range(cells.get("time", ""))
        except ValueError:
            raise RowError(
                "time", gettext("“%(value)s” is not a time: write it as 10:30.") % {"value": text(cells, "time")}
            ) from None
        end = time_cell(cells, "end") or end
        if start and end is None:
            end = (
                datetime.datetime.combine(datetime.date(2000, 1, 1), start)
                + datetime.timedelta(minutes=MEETING_MINUTES)
            ).time()
        if end and not start:
            raise RowError("time", gettext("The meeting has an end but no start."))
        if start and end <= start:
            raise RowError("end", gettext("The meeting ends before it starts."))
        return start, end

    @staticmethod
    def _existing(mission, organizations, day, starts_at) -> Meeting | None:
        pair = {organizations[0].pk, organizations[1].pk}
        meetings = Meeting.objects.filter(mission=mission, date=day, starts_at=starts_at)
        for meeting in meetings.filter(organization_a__in=pair, organization_b__in=pair):
            return meeting
        return None

    def export_rows(self, mission: Mission) -> list[dict]:
        """The mission's meetings as rows of this import (its template's layout)."""
        rows = []
        zone = mission.venue_zone
        meetings = mission.meetings.select_related("organization_a__region", "organization_b__region").order_by("pk")
        for meeting in meetings.prefetch_related("people"):
            people = {person.organization_id: person for person in meeting.people.all()}
            row = {
                "date": meeting.date,
                "time": meeting.starts_at.astimezone(zone).strftime("%H:%M") if meeting.starts_at else "",
                "end": meeting.ends_at.astimezone(zone).strftime("%H:%M") if meeting.ends_at else "",
                "table": meeting.table,
                "topic": meeting.topic,
            }
            for side, organization in (("a", meeting.organization_a), ("b", meeting.organization_b)):
                person = people.get(organization.pk)
                row[f"org_{side}"] = organization.name
                row[f"inn_{side}"] = organization.inn
                row[f"region_{side}"] = organization.region.name
                row[f"person_{side}"] = person_fio(person) if person and person.is_named else ""
            rows.append(row)
        return rows


delegation_import = register(DelegationImporter())
schedule_import = register(ScheduleImporter())
