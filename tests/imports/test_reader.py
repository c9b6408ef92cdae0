"""The reader: encodings, delimiters, headers as people write them, values, and hostile files —
each refused with a Russian message on the upload page, and nothing written."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from companies.exceptions import PortalError
from companies.imports.columns import Column, match_headers
from companies.imports.reader import parse_date, parse_time, parse_time_range, read_table
from companies.models import ImportJob, Organization, Person

from .files import csv_bytes, xlsx_bytes

HEADERS = ["Организация", "ИНН", "ФИО"]
ROW = ["ООО «Ромашка»", "7325000006", "Ёлкин Пётр Сергеевич"]


@pytest.mark.parametrize(
    "data",
    [
        csv_bytes(HEADERS, [ROW], encoding="cp1251", delimiter=";"),
        csv_bytes(HEADERS, [ROW], encoding="utf-8", delimiter=","),
        csv_bytes(HEADERS, [ROW], encoding="utf-8", delimiter=";", bom=True),
        csv_bytes(HEADERS, [ROW], encoding="utf-8", delimiter="\t"),
    ],
    ids=["cp1251-semicolon", "utf8-comma", "utf8-bom-semicolon", "utf8-tab"],
)
def test_csv_encodings_and_delimiters_are_detected(data):
    table = read_table(data, "list.csv")
    assert table.headers == HEADERS
    assert table.rows == [(2, ROW)]


def test_xlsx_rows_keep_their_sheet_row_numbers_and_skip_empty_rows():
    table = read_table(xlsx_bytes(HEADERS, [ROW, ["", "", ""], ["ООО «Лютик»", 7325000013, ""]]), "list.xlsx")
    assert table.rows == [(2, ROW), (4, ["ООО «Лютик»", 7325000013, ""])]


def test_headers_match_whatever_the_case_yo_punctuation_and_spaces():
    columns = (
        Column("organization", "Организация", ("Наименование", "Компания"), required=True),
        Column("email", "E-mail", ("Email", "Эл. почта")),
        Column("region", "Регион", ("Субъект",)),
    )
    matched = match_headers(["  КОМПАНИЯ ", "эл почта", "Субъект", "Прочее", "Организация"], columns)
    assert matched.positions == {"organization": 0, "email": 1, "region": 2}
    assert matched.ignored == ["Прочее", "Организация"]
    assert matched.missing == []
    assert [c.key for c in match_headers(["ИНН"], columns).missing] == ["organization"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("03.02.2026", datetime.date(2026, 2, 3)),
        ("3.2.26", datetime.date(2026, 2, 3)),
        ("2026-02-03", datetime.date(2026, 2, 3)),
        (46056, datetime.date(2026, 2, 3)),
        ("46056", datetime.date(2026, 2, 3)),
        (datetime.datetime(2026, 2, 3, 0, 0), datetime.date(2026, 2, 3)),
        ("", None),
    ],
)
def test_dates_as_people_write_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("10:30", datetime.time(10, 30)),
        ("10.30", datetime.time(10, 30)),
        ("9:05", datetime.time(9, 5)),
        (0.4375, datetime.time(10, 30)),
        ("0,4375", datetime.time(10, 30)),
        (datetime.time(14, 0), datetime.time(14, 0)),
    ],
)
def test_times_as_people_write_them(value, expected):
    assert parse_time(value) == expected


def test_a_time_range_gives_start_and_end_and_nonsense_is_refused():
    assert parse_time_range("10:30–11:00") == (datetime.time(10, 30), datetime.time(11, 0))
    assert parse_time_range("10:30 - 11:15") == (datetime.time(10, 30), datetime.time(11, 15))
    for wrong in ("25:00", "обед", "1.5"):
        with pytest.raises(ValueError):
            parse_time(wrong)
    with pytest.raises(ValueError):
        parse_date("31.02.2026")


def test_a_formula_cell_is_read_as_its_text_never_evaluated():
    workbook = Workbook()
    workbook.active.append(HEADERS)
    workbook.active.append(["=1+1", '=HYPERLINK("http://evil.example","x")', "Иванов Иван"])
    stream = io.BytesIO()
    workbook.save(stream)
    table = read_table(stream.getvalue(), "list.xlsx")
    assert table.rows == [(2, ["=1+1", '=HYPERLINK("http://evil.example","x")', "Иванов Иван"])]


# --- Hostile files, through the upload page --------------------------------------------------------


def _xlsx_with_member(name: str, content: bytes) -> bytes:
    """A valid workbook with one of its members replaced."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(HEADERS, [ROW])))
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item.filename))
    return stream.getvalue()


def _zip_bomb() -> bytes:
    """60 MB of zeros in the sheet: deflated to about 60 KB, under the size limit of uploads."""
    return _xlsx_with_member("xl/worksheets/sheet1.xml", b"<" + b"0" * (60 * 1024 * 1024))


ENTITY_SHEET = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
)


def _upload(client, mission_or_none, data, name):
    url = reverse("admin:companies_organization_import", kwargs={"kind": "organizations"})
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n", "список.xlsx", "не является таблицей"),
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "список.csv", "не является таблицей"),
        (b"%PDF-1.4\n1 0 obj", "список.csv", "не является таблицей"),
        (b"PK\x03\x04garbage-not-a-zip", "список.xlsx", "не является таблицей"),
        (b"\x00\x01\x02\x03" * 100, "список.csv", "не является таблицей"),
        (b"name;inn\n", "список.pdf", "Загрузите книгу Excel (.xlsx) или файл CSV (.csv)."),
        (_xlsx_with_member("xl/worksheets/sheet1.xml", ENTITY_SHEET), "список.xlsx", "DOCTYPE/ENTITY"),
        (_zip_bomb(), "список.xlsx", "отклонена как возможная zip-бомба"),
    ],
    ids=[
        "pdf-as-xlsx",
        "exe-as-csv",
        "pdf-as-csv",
        "broken-zip",
        "binary-garbage",
        "wrong-extension",
        "xml-entity",
        "zip-bomb",
    ],
)
def test_a_hostile_file_is_refused_in_russian_and_nothing_is_written(staff_client, data, name, message):
    organizations, people = Organization.objects.count(), Person.objects.count()
    response = _upload(staff_client, None, data, name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert (Organization.objects.count(), Person.objects.count()) == (organizations, people)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(staff_client, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    data = csv_bytes(HEADERS, [ROW]) + b" " * (1024 * 1024)
    response = _upload(staff_client, None, data, "большой.csv")
    assert "наибольший допустимый размер файла — 1,0 МБ" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_too_many_rows_and_too_many_sheets_are_refused(staff_client, settings):
    settings.IMPORT_MAX_ROWS = 10
    settings.IMPORT_MAX_SHEETS = 2
    rows = [[f"ООО «Фирма {n}»", "", ""] for n in range(11)]
    response = _upload(staff_client, None, xlsx_bytes(HEADERS, rows), "много.xlsx")
    assert "В файле больше 10 строк" in response.content.decode()
    response = _upload(staff_client, None, csv_bytes(HEADERS, rows), "много.csv")
    assert "В файле больше 10 строк" in response.content.decode()
    response = _upload(staff_client, None, xlsx_bytes(HEADERS, [ROW], extra_sheets=2), "листы.xlsx")
    assert "В книге больше 2 листов" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert not Organization.objects.filter(name__startswith="ООО «Фирма").exists()


def test_a_file_without_the_required_column_says_which(staff_client):
    response = _upload(staff_client, None, csv_bytes(["ИНН", "ФИО"], [["7325000006", "Иванов"]]), "list.csv")
    assert "В файле нет колонки «Организация»." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_reader_refuses_before_parsing_when_the_size_is_over(settings):
    settings.IMPORT_MAX_BYTES = 10
    with pytest.raises(PortalError) as refused:
        read_table(b"a;b\n1;2\n3;4\n", "x.csv")
    assert refused.value.code == "too_large"


def test_the_template_has_headers_an_example_and_a_sheet_of_notes(staff_client):
    response = staff_client.get(
        reverse("admin:companies_organization_import_template", kwargs={"kind": "organizations"})
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == ["Организации и их представители", "Пояснения"]
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == (
        "Организация", "ИНН", "ОГРН", "Регион", "ФИО", "Фамилия", "Имя", "Отчество", "Должность", "Телефон", "E-mail",
    )  # fmt: skip
    assert rows[1][:2] == ("ООО «Автокомпонент»", "7325000006")
    notes = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert notes[0] == ("Колонка", "Обязательная", "Что писать")
    assert notes[1][:2] == ("Организация", "да")
    assert notes[1][2].startswith("Полное наименование организации")
    assert "«Наименование»" in notes[1][2]


def test_formula_cells_in_an_upload_stay_text_in_the_preview_and_nothing_is_written(staff_client):
    workbook = Workbook()
    workbook.active.append(["Организация", "ИНН"])
    workbook.active.append(['=HYPERLINK("http://evil.example","Нажми")', ""])
    workbook.active.append(["ООО «Честное»", "=7325000006+0"])
    stream = io.BytesIO()
    workbook.save(stream)
    organizations = Organization.objects.count()

    response = _upload(staff_client, None, stream.getvalue(), "formulas.xlsx")
    page = staff_client.get(response["Location"]).content.decode()

    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;Нажми&quot;)" in page  # shown as its text
    assert "ИНН состоит из 10 цифр (организация) или 12 цифр (физическое лицо)." in page
    job = ImportJob.objects.get()
    assert [result["text"] for result in job.results] == ['=HYPERLINK("http://evil.example","Нажми")']
    assert job.rows == []  # a file with errors is uploaded again corrected: its rows are not kept
    assert Organization.objects.count() == organizations
