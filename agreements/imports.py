"""Imports of agreements (companies.imports): cooperation projects (from the projects' changelist,
curated by the importing user) and an agreement's implementation plan (from the agreement's page).
Rows already there are matched (a project by its title and parties, a plan item by its number, else
its action) and updated only where the file says something new."""

import datetime
import re
from decimal import Decimal, InvalidOperation

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
)
from companies.imports.columns import Column, header_key
from companies.imports.directory import organization_for_row
from companies.imports.reader import parse_date
from companies.models import Currency, Organization
from companies.roles import can_edit, user_organization

from .models import Agreement, CooperationProject, PlanItem
from .services.agreements import plan_item_create, plan_item_update
from .services.projects import project_create, project_update

# The headers are the files' format, written in Russian as ministries write them; their notes are translated.
TITLE = Column(
    "title",
    "Проект",
    ("Название проекта", "Наименование проекта", "Проект сотрудничества"),
    required=True,
    example="Поставка эталонных датчиков давления",
    help=_("What the project is: its title."),
)
ORG_A = Column(
    "org_a",
    "Организация 1",
    ("Инициатор", "Компания 1", "Сторона 1", "Поставщик"),
    required=True,
    example="ООО «Автокомпонент»",
    help=_("The first party (organization); a new one is added to the directory."),
)
INN_A = Column("inn_a", "ИНН 1", ("ИНН организации 1",), example="7325000006", help=_("The INN of the first party."))
REGION_A = Column(
    "region_a",
    "Регион 1",
    ("Субъект 1",),
    example="Ульяновская область",
    help=_("The region of the first party; empty: the region of your organization."),
)
ORG_B = Column(
    "org_b",
    "Организация 2",
    ("Партнёр", "Компания 2", "Сторона 2", "Заказчик"),
    required=True,
    example="АО «Тулаточмаш»",
    help=_("The second party (organization)."),
)
INN_B = Column("inn_b", "ИНН 2", ("ИНН организации 2",), help=_("The INN of the second party."))
REGION_B = Column(
    "region_b",
    "Регион 2",
    ("Субъект 2",),
    example="Тульская область",
    help=_("The region of the second party; empty: the region of your organization."),
)
STAGE = Column(
    "stage",
    "Стадия",
    ("Этап", "Статус", "Стадия проекта"),
    example="переговоры",
    help=_("The stage, as the portal names it («переговоры», «подписан контракт»…); empty: lead."),
)
VALUE = Column(
    "value",
    "Сумма",
    ("Стоимость", "Ожидаемая стоимость", "Объём", "Сумма, руб"),
    example="1500000",
    help=_("The expected value, a number (spaces and a decimal comma allowed)."),
)
CURRENCY = Column("currency", "Валюта", (), example="RUB", help=_("RUB, USD, EUR or CNY; empty: roubles."))
NEXT_STEP = Column(
    "next_step",
    "Следующий шаг",
    ("Следующее действие",),
    example="Направить ТКП",
    help=_("The next step agreed."),
)
NEXT_DUE = Column(
    "next_step_due",
    "Срок",
    ("Срок следующего шага", "Срок исполнения"),
    example="01.03.2026",
    help=_("When the next step is due: 01.03.2026."),
)


# Stages as ministries' tables name them, beside the portal's own labels.
STAGE_SYNONYMS = {
    "лид": CooperationProject.Stage.LEAD,
    "подписан контракт": CooperationProject.Stage.CONTRACT_SIGNED,
    "заключён контракт": CooperationProject.Stage.CONTRACT_SIGNED,
    "контракт": CooperationProject.Stage.CONTRACT_SIGNED,
    "ткп": CooperationProject.Stage.PROPOSAL,
    "кп": CooperationProject.Stage.PROPOSAL,
    "в реализации": CooperationProject.Stage.IN_IMPLEMENTATION,
}


def _value(cells: dict) -> Decimal | None:
    raw = cells.get("value", "")
    if raw in ("", None):
        return None
    if isinstance(raw, int | float):
        return Decimal(str(raw))
    cleaned = re.sub(r"[\s\xa0]|руб\.?|₽", "", str(raw)).replace(",", ".")
    try:
        return Decimal(cleaned)
    except InvalidOperation:
        raise RowError("value", gettext("“%(value)s” is not a sum: write it as 1500000.") % {"value": raw}) from None


class ProjectsImporter(Importer):
    kind = "projects"
    title = _("Cooperation projects")
    columns = (TITLE, ORG_A, INN_A, REGION_A, ORG_B, INN_B, REGION_B, STAGE, VALUE, CURRENCY, NEXT_STEP, NEXT_DUE)
    field_columns = {
        "title": "title",
        "stage": "stage",
        "expected_value": "value",
        "currency": "currency",
        "next_step": "next_step",
        "next_step_due": "next_step_due",
    }
    code_columns = {"bad_transition": "stage", "closed": "stage", "due_in_past": "next_step_due"}

    def import_row(self, context: Context, cells: dict) -> tuple[str, str]:
        title = text(cells, "title")
        if not title:
            raise RowError("title", gettext("The title of the project is missing."))
        own = user_organization(context.by)
        organizations = [
            organization_for_row(
                context,
                cells,
                key=f"org_{side}",
                inn_key=f"inn_{side}",
                region_key=f"region_{side}",
                default_region=own.region if own else None,
            )[0]
            for side in ("a", "b")
        ]
        if organizations[0].pk == organizations[1].pk:
            raise RowError("org_b", gettext("A cooperation project needs at least two different organizations."))
        values = {
            "stage": choice_cell(cells, "stage", CooperationProject.Stage.choices, "", STAGE_SYNONYMS),
            "expected_value": _value(cells),
            "currency": choice_cell(cells, "currency", Currency.choices, ""),
            "next_step": text(cells, "next_step"),
            "next_step_due": date_cell(cells, "next_step_due"),
        }
        given = {name: value for name, value in values.items() if value not in ("", None)}
        described = f"{title}: {organizations[0]} — {organizations[1]}"
        project = self._existing(title, organizations)
        if project is None:
            project_create(
                title=title,
                parties=[(organizations[0], "partner"), (organizations[1], "partner")],
                curator=context.by,
                by=context.by,
                **given,
            )
            return CREATED, described
        changes = {name: value for name, value in given.items() if getattr(project, name) != value}
        if not changes:
            return UNCHANGED, described
        if not can_edit(context.by, project):
            raise RowError(
                "title", gettext("The project “%(project)s” is curated by another organization.") % {"project": project}
            )
        project_update(project=project, by=context.by, **changes)
        return UPDATED, described

    @staticmethod
    def _existing(title: str, organizations: list[Organization]) -> CooperationProject | None:
        key = header_key(title)
        candidates = CooperationProject.objects.filter(parties__organization=organizations[0]).filter(
            parties__organization=organizations[1]
        )
        for project in candidates.distinct():
            if header_key(project.title) == key:
                return project
        return None


NUMBER = Column(
    "number", "№", ("Номер", "№ п/п", "Пункт", "N"), example="1.1", help=_("The item's number in the plan.")
)
ACTION = Column(
    "action",
    "Мероприятие",
    ("Наименование мероприятия", "Действие", "Содержание", "Мероприятие плана"),
    required=True,
    example="Проведение бизнес-миссии предприятий Ульяновской области в Тульскую область",
    help=_("What is to be done."),
)
RESPONSIBLE = Column(
    "responsible",
    "Ответственный",
    ("Ответственный исполнитель", "Исполнитель", "Ответственная организация"),
    example="Министерство промышленности и торговли Ульяновской области",
    help=_("The responsible organization: a party to the agreement or an organization of the directory, by name."),
)
DUE = Column(
    "due",
    "Срок",
    ("Срок исполнения", "Дата", "Срок выполнения"),
    example="31.12.2026",
    help=_("When it is due: 31.12.2026, a year (2026: its last day) or a quarter («IV квартал 2026»)."),
)
STATUS = Column(
    "status",
    "Статус",
    ("Состояние", "Исполнение"),
    example="запланировано",
    help=_(
        "The status as the portal names it («запланировано», «выполняется», «выполнено», «отменено»); empty: planned."
    ),
)
COMPLETED = Column(
    "completed_on", "Дата исполнения", ("Выполнено", "Исполнено"), help=_("The day a done item was done.")
)
EVIDENCE = Column(
    "evidence",
    "Отметка об исполнении",
    ("Результат", "Информация об исполнении"),
    help=_("What shows the action was done."),
)
QUARTER_END = {
    "i": (3, 31),
    "ii": (6, 30),
    "iii": (9, 30),
    "iv": (12, 31),
    "1": (3, 31),
    "2": (6, 30),
    "3": (9, 30),
    "4": (12, 31),
}


def _due(cells: dict) -> datetime.date | None:
    raw = cells.get("due", "")
    if isinstance(raw, int) and 1990 <= raw <= 2100:
        return datetime.date(raw, 12, 31)
    value = text(cells, "due").lower()
    if re.fullmatch(r"(19|20)\d\d( г(од|\.)?)?", value):
        return datetime.date(int(value[:4]), 12, 31)
    match = re.fullmatch(r"(i{1,3}|iv|[1-4])\s*(-?й\s*)?кв(артал|\.)?\s*((19|20)\d\d)( г(од|\.)?)?", value)
    if match:
        month, day = QUARTER_END[match[1]]
        return datetime.date(int(match[4]), month, day)
    try:
        return parse_date(raw)
    except ValueError:
        raise RowError(
            "due",
            gettext("“%(value)s” is not a due date: write a date (31.12.2026), a year or a quarter.") % {"value": raw},
        ) from None


class PlanImporter(Importer):
    kind = "plan"
    title = _("Implementation plan")
    target_model = Agreement
    columns = (NUMBER, ACTION, RESPONSIBLE, DUE, STATUS, COMPLETED, EVIDENCE)
    field_columns = {
        "number": "number",
        "action": "action",
        "responsible_organization": "responsible",
        "due_date": "due",
        "status": "status",
        "completed_on": "completed_on",
        "evidence": "evidence",
    }
    code_columns = {"future_completion": "completed_on", "bad_transition": "status"}

    def import_row(self, context: Context, cells: dict) -> tuple[str, str]:
        agreement = context.target
        action = text(cells, "action")
        if not action:
            raise RowError("action", gettext("The action of the plan item is missing."))
        number = text(cells, "number")
        values = {
            "number": number,
            "action": action,
            "responsible_organization": self._responsible(context, cells),
            "due_date": _due(cells),
            "status": choice_cell(cells, "status", PlanItem.Status.choices, PlanItem.Status.PLANNED),
            "completed_on": date_cell(cells, "completed_on"),
            "evidence": text(cells, "evidence"),
        }
        described = f"{number} {action[:80]}".strip()
        items = PlanItem.objects.filter(agreement=agreement)
        item = items.filter(number=number).first() if number else None
        if item is None:
            key = header_key(action)
            item = next((row for row in items.filter(number=number) if header_key(row.action) == key), None)
        if item is None:
            plan_item_create(agreement=agreement, by=context.by, **values)
            return CREATED, described
        changes = {
            name: value
            for name, value in values.items()
            if value not in ("", None)
            and getattr(item, name) != value
            and not (name == "completed_on" and item.completed_on)
        }
        if "status" in changes and changes["status"] == PlanItem.Status.PLANNED and not text(cells, "status"):
            del changes["status"]
        if not changes:
            return UNCHANGED, described
        plan_item_update(item=item, by=context.by, **changes)
        return UPDATED, described

    @staticmethod
    def _responsible(context: Context, cells: dict) -> Organization | None:
        name = text(cells, "responsible")
        if not name:
            return None
        key = header_key(name)
        parties = [party.organization for party in context.target.parties.select_related("organization")]
        for organization in parties:
            if key in (header_key(organization.name), header_key(organization.short_name)):
                return organization
        found = Organization.objects.filter(name__iexact=name) | Organization.objects.filter(short_name__iexact=name)
        found = list(found.distinct()[:2])
        if len(found) == 1:
            return found[0]
        raise RowError(
            "responsible",
            gettext("The organization “%(name)s” is not among the parties or in the directory; add it first.")
            % {"name": name}
            if not found
            else gettext("More than one organization is called “%(name)s”: write its full name.") % {"name": name},
        )


projects_import = register(ProjectsImporter())
plan_import = register(PlanImporter())
