"""Each import's happy path, with the rows it writes written out, and a second run that changes nothing."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from agreements.imports import plan_import, projects_import
from agreements.models import CooperationProject, PlanItem
from companies.imports.organizations import organizations_import
from companies.models import Organization, Person
from missions.imports import delegation_import, schedule_import
from missions.models import DelegationMember, Meeting
from tests import factories as f

from .files import csv_bytes, xlsx_bytes
from .helpers import check_and_import

SAMARA = ZoneInfo("Europe/Samara")


def test_organizations_are_created_with_their_people_then_updated_by_inn(staff, region_73):
    tula = f.directory_region("71")
    headers = ["Название организации", "ИНН", "Субъект", "Фамилия", "Имя", "Отчество", "Должность", "Email"]
    rows = [
        ["ООО «Симбирский завод»", "7325000006", "", "Петров", "Пётр", "Петрович", "Директор", "petrov@example.ru"],
        ["ООО «Симбирский завод»", "7325000006", "", "", "", "", "Главный инженер", ""],
        ["АО «Тулаточмаш»", "", "Тульская область", "", "", "", "", ""],
    ]
    preview, done = check_and_import(organizations_import, xlsx_bytes(headers, rows), "orgs.xlsx", by=staff)

    assert preview == (3, 0, 0, [])
    assert (done.status, done.created, done.updated, done.unchanged) == ("done", 3, 0, 0)
    simbirsk = Organization.objects.get(inn="7325000006")
    assert (simbirsk.name, simbirsk.region, simbirsk.recorded_by) == (
        "ООО «Симбирский завод»",
        region_73,
        staff.person.organization,
    )
    assert sorted(simbirsk.people.values_list("last_name", "first_name", "patronymic", "position", "email")) == [
        ("", "", "", "Главный инженер", ""),
        ("Петров", "Пётр", "Петрович", "Директор", "petrov@example.ru"),
    ]
    assert Organization.objects.get(name="АО «Тулаточмаш»").region == tula

    again, done = check_and_import(organizations_import, xlsx_bytes(headers, rows), "orgs.xlsx", by=staff)
    assert again == (0, 0, 3, [])

    rows[0][0] = rows[1][0] = "ООО «Симбирский машиностроительный завод»"
    rows[0][6] = "Генеральный директор"
    rows[2][0] = "ао тулаточмаш"  # the same organization, found by its name folded, without an INN
    changed, done = check_and_import(organizations_import, csv_bytes(headers, rows), "orgs.csv", by=staff)
    assert changed == (0, 1, 2, [])  # the first row: a new name and a new position
    simbirsk.refresh_from_db()
    assert simbirsk.name == "ООО «Симбирский машиностроительный завод»"
    assert simbirsk.people.get(last_name="Петров").position == "Генеральный директор"
    assert Organization.objects.filter(name__icontains="тулаточмаш").count() == 1


def test_an_organization_of_another_ministry_is_not_changed_by_the_import(staff):
    other = f.OrganizationFactory(region=f.directory_region("74"), name="ПАО «Уральский завод»", inn="7325000013")
    rows = [["ПАО «Уральский завод — новое имя»", "7325000013"]]
    preview, done = check_and_import(organizations_import, csv_bytes(["Организация", "ИНН"], rows), "o.csv", by=staff)
    assert preview[:3] == (0, 0, 0)
    assert [(e["line"], e["message"]) for e in preview[3]] == [
        (2, "“ПАО «Уральский завод»” is kept by another organization: you may not change it.")
    ]
    other.refresh_from_db()
    assert other.name == "ПАО «Уральский завод»"


def test_delegation_roles_people_known_by_position_and_existing_members(staff, mission):
    member_org = f.OrganizationFactory(region=mission.origin_region, name="ООО «Уже в делегации»")
    DelegationMember.objects.create(mission=mission, organization=member_org)
    headers = ["Компания", "ФИО", "Должность", "Роль"]
    rows = [
        ["ООО «Уже в делегации»", "", "", ""],
        [
            "Министерство промышленности и торговли Ульяновской области",
            "Смирнова Анна",
            "Министр",
            "руководитель делегации",
        ],
        ["ООО «Новое»", "", "Коммерческий директор", "Эксперт"],
    ]
    preview, done = check_and_import(delegation_import, xlsx_bytes(headers, rows), "d.xlsx", by=staff, target=mission)
    assert preview == (2, 0, 1, [])
    assert sorted(
        (m.organization.name, m.person.full_name if m.person else "", m.role)
        for m in DelegationMember.objects.filter(mission=mission)
    ) == [
        ("Министерство промышленности и торговли Ульяновской области", "Анна Смирнова", "head"),
        ("ООО «Новое»", "Коммерческий директор", "expert"),
        ("ООО «Уже в делегации»", "", "participant"),
    ]


def test_schedule_creates_meetings_in_the_venue_zone_and_refuses_a_double_booking(staff, mission):
    headers = [
        "Дата",
        "Время",
        "Стол",
        "Организация 1",
        "ИНН 1",
        "Представитель 1",
        "Организация 2",
        "Регион 2",
        "Тема",
    ]
    rows = [
        [
            "03.03.2026",
            "10:30",
            "1",
            "ООО «Автокомпонент»",
            "7325000006",
            "Иванов Иван Иванович",
            "АО «Тулаточмаш»",
            "",
            "Датчики",
        ],
        [
            46084,
            0.4583333333,
            "2",
            "ООО «Автокомпонент»",
            "7325000006",
            "",
            "ООО «Тульский оружейник»",
            "Тульская область",
            "",
        ],
        ["03.03.2026", "10.30–11.00", "1", "ООО «Третье»", "", "", "ООО «Четвёртое»", "", ""],
    ]
    preview, done = check_and_import(schedule_import, xlsx_bytes(headers, rows), "s.xlsx", by=staff, target=mission)

    assert preview[:3] == (2, 0, 0)
    assert [(e["line"], e["column"]) for e in preview[3]] == [(4, "Стол")]
    assert "Table 1 is already booked from 03.03.2026 10:30 to 11:00" in preview[3][0]["message"]
    assert done is None and Meeting.objects.count() == 0

    del rows[2]
    preview, done = check_and_import(schedule_import, xlsx_bytes(headers, rows), "s.xlsx", by=staff, target=mission)
    meetings = Meeting.objects.filter(mission=mission).order_by("starts_at")
    assert [
        (m.date, m.starts_at, m.ends_at, m.table, m.organization_a.name, m.organization_b.name, m.topic, m.status)
        for m in meetings
    ] == [
        (
            datetime.date(2026, 3, 3),
            datetime.datetime(2026, 3, 3, 10, 30, tzinfo=ZoneInfo("Europe/Moscow")),
            datetime.datetime(2026, 3, 3, 11, 0, tzinfo=ZoneInfo("Europe/Moscow")),
            "1",
            "ООО «Автокомпонент»",
            "АО «Тулаточмаш»",
            "Датчики",
            "scheduled",
        ),
        (
            datetime.date(2026, 3, 3),
            datetime.datetime(2026, 3, 3, 11, 0, tzinfo=ZoneInfo("Europe/Moscow")),
            datetime.datetime(2026, 3, 3, 11, 30, tzinfo=ZoneInfo("Europe/Moscow")),
            "2",
            "ООО «Автокомпонент»",
            "ООО «Тульский оружейник»",
            "",
            "scheduled",
        ),
    ]
    assert [p.last_name for p in meetings[0].people.all()] == ["Иванов"]
    assert meetings[0].organization_b.region.code == "71"  # the region the mission visits

    again, _done = check_and_import(schedule_import, xlsx_bytes(headers, rows), "s.xlsx", by=staff, target=mission)
    assert again == (0, 0, 2, [])
    assert Meeting.objects.count() == 2


def test_cooperation_projects_are_opened_curated_by_the_importer_then_moved_on(staff, region_73):
    tula = f.directory_region("71")
    headers = [
        "Проект",
        "Организация 1",
        "ИНН 1",
        "Организация 2",
        "Регион 2",
        "Стадия",
        "Сумма",
        "Следующий шаг",
        "Срок",
    ]
    rows = [["Поставка датчиков давления", "ООО «Автокомпонент»", "7325000006", "АО «Тулаточмаш»", "Тульская область",
             "переговоры", "1 500 000,50", "Направить ТКП", "01.04.2030"]]  # fmt: skip
    preview, done = check_and_import(projects_import, csv_bytes(headers, rows), "p.csv", by=staff)
    assert preview[3] == []
    assert preview == (1, 0, 0, [])
    project = CooperationProject.objects.get()
    assert (project.title, project.stage, project.expected_value, project.curator, project.next_step_due) == (
        "Поставка датчиков давления",
        "negotiation",
        Decimal("1500000.50"),
        staff,
        datetime.date(2030, 4, 1),
    )
    assert sorted((p.organization.name, p.organization.region) for p in project.parties.all()) == [
        ("АО «Тулаточмаш»", tula),
        ("ООО «Автокомпонент»", region_73),
    ]
    again, _done = check_and_import(projects_import, csv_bytes(headers, rows), "p.csv", by=staff)
    assert again == (0, 0, 1, [])

    rows[0][5] = "подписан контракт"
    moved, _done = check_and_import(projects_import, csv_bytes(headers, rows), "p.csv", by=staff)
    assert moved == (0, 1, 0, [])
    project.refresh_from_db()
    assert project.stage == "contract_signed"
    assert list(project.updates.order_by("pk").values_list("stage_from", "stage_to")) == [
        ("", "negotiation"),
        ("negotiation", "contract_signed"),
    ]

    rows[0][5] = "лид"
    back, _done = check_and_import(projects_import, csv_bytes(headers, rows), "p.csv", by=staff)
    assert back[:3] == (0, 0, 0)
    assert [(e["line"], e["column"]) for e in back[3]] == [(2, "Стадия")]


def test_an_implementation_plan_is_imported_and_updated_by_item_number(staff, ministry):
    agreement = f.AgreementPartyFactory(organization=ministry).agreement
    partner = f.AgreementPartyFactory(
        agreement=agreement, organization__name="Правительство Тульской области"
    ).organization
    headers = ["№ п/п", "Наименование мероприятия", "Ответственный исполнитель", "Срок исполнения", "Статус"]
    rows = [
        [
            "1",
            "Провести бизнес-миссию",
            "Министерство промышленности и торговли Ульяновской области",
            "IV квартал 2026",
            "",
        ],
        ["2", "Организовать выставку", "правительство тульской области", "2027", "выполняется"],
        ["3", "Обменяться делегациями", "", "15.09.2026", ""],
    ]
    preview, done = check_and_import(plan_import, xlsx_bytes(headers, rows), "plan.xlsx", by=staff, target=agreement)
    assert preview == (3, 0, 0, [])
    assert list(PlanItem.objects.filter(agreement=agreement).order_by("number").values_list(
        "number", "action", "responsible_organization", "due_date", "status"
    )) == [
        ("1", "Провести бизнес-миссию", ministry.pk, datetime.date(2026, 12, 31), "planned"),
        ("2", "Организовать выставку", partner.pk, datetime.date(2027, 12, 31), "in_progress"),
        ("3", "Обменяться делегациями", None, datetime.date(2026, 9, 15), "planned"),
    ]  # fmt: skip
    again, _done = check_and_import(plan_import, xlsx_bytes(headers, rows), "plan.xlsx", by=staff, target=agreement)
    assert again == (0, 0, 3, [])

    rows[2][4], rows[1][3] = "отменено", "постоянно"
    changed, _done = check_and_import(plan_import, xlsx_bytes(headers, rows), "plan.xlsx", by=staff, target=agreement)
    assert [(e["line"], e["column"]) for e in changed[3]] == [(3, "Срок")]
    assert PlanItem.objects.get(agreement=agreement, number="3").status == "planned"  # nothing written


@pytest.mark.parametrize("importer", [delegation_import, schedule_import])
def test_staff_of_another_ministry_cannot_import_into_a_mission_they_do_not_keep(importer, mission):
    from companies.exceptions import PortalError
    from companies.imports.services import import_job_create

    outsider = f.MinistryStaffFactory(organization=f.MinistryFactory(region=f.directory_region("74")))
    with pytest.raises(PortalError) as refused:
        import_job_create(
            importer=importer,
            data=csv_bytes(["Организация"], [["ООО «Х»"]]),
            filename="x.csv",
            target=mission,
            by=outsider,
        )
    assert refused.value.code == "import_forbidden"
    assert not Organization.objects.filter(name="ООО «Х»").exists()
    assert Person.objects.filter(organization__name="ООО «Х»").count() == 0


@pytest.mark.parametrize("kind", ["organizations", "delegation", "schedule", "projects", "plan"])
def test_each_template_imports_as_downloaded(kind, staff, ministry, mission):
    """The example row of every template is a row the import takes."""
    from companies.imports.base import importer_for
    from companies.imports.workbook import template_workbook

    importer = importer_for(kind)
    target = {"delegation": mission, "schedule": mission}.get(kind)
    if kind == "plan":
        target = f.AgreementPartyFactory(organization=ministry).agreement
    preview, done = check_and_import(importer, template_workbook(importer), "template.xlsx", by=staff, target=target)
    assert preview[3] == []
    assert (done.status, done.created + done.updated) == ("done", 1)
