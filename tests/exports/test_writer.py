"""The writer of exports (companies.exports): typed cells, neutralised formulas, flat memory."""

import csv
import datetime
import io
import tracemalloc
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from companies.dates import DatePrecision
from companies.exports import Column, csv_lines, csv_response, date_as_known, xlsx_write

COLUMNS = [
    Column("Название", lambda row: row["title"]),
    Column("Дата", lambda row: row["date"]),
    Column("Время", lambda row: row["at"]),
    Column("Сумма", lambda row: row["value"]),
    Column("Штук", lambda row: row["count"]),
    Column("Опубликовано", lambda row: row["public"]),
    Column("Начало встречи", lambda row: row["local_time"]),
]
ROW = {
    "title": "Миссия в Казахстан",
    "date": datetime.date(2026, 3, 5),
    "at": datetime.datetime(2026, 3, 5, 7, 30, tzinfo=datetime.UTC),  # 10:30 in Moscow
    "value": Decimal("1234567.5"),
    "count": 12,
    "public": True,
    "local_time": datetime.time(10, 30),
}
FORMULAS = ["=1+2", "+7 (8422) 44-11-22", "-2+3", "@SUM(A1:A2)", "\tcmd", "\r=1+1"]


def _workbook_rows(rows, columns=COLUMNS):
    buffer = io.BytesIO()
    xlsx_write(rows, columns, buffer, title="Миссии")
    buffer.seek(0)
    sheet = openpyxl.load_workbook(buffer).active
    return sheet, list(sheet.iter_rows())


def test_xlsx_has_russian_headers_and_typed_cells():
    with translation.override("ru"):
        sheet, rows = _workbook_rows([ROW])

    assert sheet.title == "Миссии"
    assert [c.value for c in rows[0]] == [
        "Название",
        "Дата",
        "Время",
        "Сумма",
        "Штук",
        "Опубликовано",
        "Начало встречи",
    ]
    title, date, at, value, count, public, local_time = rows[1]
    assert title.value == "Миссия в Казахстан"
    assert date.value == datetime.datetime(2026, 3, 5, 0, 0) and date.number_format == "dd.mm.yyyy"
    assert at.value == datetime.datetime(2026, 3, 5, 10, 30) and at.number_format == "dd.mm.yyyy hh:mm"
    assert value.value == 1234567.5 and value.number_format == "#,##0.00"
    assert count.value == 12
    assert public.value == "да"
    assert local_time.value == datetime.time(10, 30) and local_time.number_format == "hh:mm"


def test_csv_is_utf8_with_bom_semicolons_and_russian_numbers():
    with translation.override("ru"):
        text = "".join(csv_lines([ROW, {**ROW, "public": False, "value": None}], COLUMNS))

    assert text == (
        "\ufeffНазвание;Дата;Время;Сумма;Штук;Опубликовано;Начало встречи\r\n"
        "Миссия в Казахстан;05.03.2026;05.03.2026 10:30;1234567,50;12;да;10:30\r\n"
        "Миссия в Казахстан;05.03.2026;05.03.2026 10:30;;12;нет;10:30\r\n"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+7 (8422) 44-11-22", "'+7 (8422) 44-11-22"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1+1", "'\r=1+1"),
    ],
)
def test_csv_neutralises_a_cell_that_starts_like_a_formula(text, expected):
    text_file = "".join(
        csv_lines([{"title": text}, {"title": "ООО «Ромашка»"}], [Column("Название", lambda r: r["title"])])
    )

    rows = list(csv.reader(io.StringIO(text_file.removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert rows == [["Название"], [expected], ["ООО «Ромашка»"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+7 (8422) 44-11-22", "'+7 (8422) 44-11-22"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tcmd", "'\tcmd"),
        ("\r=1+1", "'\r=1+1"),  # written by lxml (a pinned dependency) as a character reference, read back as is
    ],
)
def test_xlsx_neutralises_a_cell_that_starts_like_a_formula(text, expected):
    _sheet, rows = _workbook_rows([{"title": text}], [Column("Название", lambda row: row["title"])])

    cell = rows[1][0]
    assert (cell.data_type, cell.value) == ("s", expected)


def test_a_header_that_starts_like_a_formula_is_neutralised_too():
    text = "".join(csv_lines([], [Column("=Итого", lambda row: row)]))
    _sheet, rows = _workbook_rows([], [Column("=Итого", lambda row: row)])

    assert text == "\ufeff'=Итого\r\n"
    assert rows[0][0].value == "'=Итого"


def test_a_negative_amount_stays_a_number():
    _sheet, rows = _workbook_rows([{"value": Decimal("-15.25")}], [Column("Сумма", lambda row: row["value"])])
    text = "".join(csv_lines([{"value": Decimal("-15.25")}], [Column("Сумма", lambda row: row["value"])]))

    assert rows[1][0].value == -15.25
    assert text.splitlines()[1] == "-15,25"


def test_a_date_known_only_by_its_year_or_month_is_not_a_made_up_day():
    with translation.override("ru"):
        year = date_as_known(datetime.date(2015, 1, 1), DatePrecision.YEAR)
        month = date_as_known(datetime.date(2024, 5, 1), DatePrecision.MONTH)
    day = date_as_known(datetime.date(2024, 5, 12), DatePrecision.DAY)

    assert (year, month, day) == ("2015", "май 2024", datetime.date(2024, 5, 12))


def test_csv_response_streams():
    response = csv_response(iter([ROW]), COLUMNS, filename="missions-2026-03-05")

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="missions-2026-03-05.csv"'


def test_csv_of_20000_rows_keeps_memory_flat():
    """The rows come from a generator and the lines are consumed one by one: the peak memory stays
    far below the size of the whole file (about 3 MB)."""

    def rows():
        for n in range(20_000):
            yield {"title": f"Организация номер {n} " + "х" * 60, "date": datetime.date(2026, 1, 1), "count": n}

    columns = [
        Column("Название", lambda row: row["title"]),
        Column("Дата", lambda row: row["date"]),
        Column("Номер", lambda row: row["count"]),
    ]
    tracemalloc.start()
    try:
        total = 0
        for line in csv_lines(rows(), columns):
            total += len(line.encode())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert total > 3_000_000
    assert peak < 300_000
