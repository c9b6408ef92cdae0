"""Spreadsheets built in the tests, as people send them: XLSX from Excel, CSV in Windows-1251 with ";"."""

import csv
import io

from openpyxl import Workbook


def xlsx_bytes(headers, rows, *, extra_sheets=0) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    for n in range(extra_sheets):
        workbook.create_sheet(f"Лист {n + 2}")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def csv_bytes(headers, rows, *, encoding="cp1251", delimiter=";", bom=False) -> bytes:
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, delimiter=delimiter)
    writer.writerow(headers)
    writer.writerows(rows)
    data = stream.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


# Forty valid organization INNs of the Ulyanovsk region (check digits computed once, written out).
INNS = [
    "7325000006", "7325000013", "7325000020", "7325000038", "7325000045", "7325000052", "7325000060",
    "7325000077", "7325000084", "7325000091", "7325000101", "7325000119", "7325000126", "7325000133",
    "7325000140", "7325000158", "7325000165", "7325000172", "7325000180", "7325000197",
]  # fmt: skip

DELEGATION_HEADERS = ["№", "Наименование организации", "ИНН", "ФИО", "Должность", "Телефон", "Эл. почта", "Примечание"]


def delegation_rows(*, broken=True):
    """Forty people of twenty organizations, two from each. With `broken`, row 8 of the sheet (the
    7th person) has an INN with a wrong check digit and row 16 has no organization name."""
    rows = []
    for n in range(40):
        org = n // 2
        rows.append(
            [
                n + 1,
                f"ООО «Предприятие-{org + 1}»",
                INNS[org],
                f"Фамилия{n + 1} Имя{n + 1} Отчество{n + 1}",
                "Генеральный директор" if n % 2 == 0 else "Главный инженер",
                f"+7 8422 00-00-{n:02d}",
                f"person{n + 1}@example.ru",
                "",
            ]
        )
    if broken:
        rows[6][2] = "7325000079"  # the 4th organization's INN with its last digit wrong
        rows[14][1] = ""
    return rows
