"""A report as a file: a workbook (openpyxl, write-only), or a PDF of the printed page
(`companies.rendering.pdf_bytes`, WeasyPrint with a fetcher limited to the portal's static files).
"""

import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from companies.rendering import attachment, pango_available, pdf_bytes

__all__ = ["XLSX_TYPE", "Sheet", "attachment", "pango_available", "pdf_bytes", "sheet_title", "workbook_bytes"]

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "DD.MM.YYYY"
MONEY_FORMAT = "#,##0.00"
# Characters a sheet's title may not hold, and its length (Excel's rules).
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_LENGTH = 31


@dataclass
class Sheet:
    """One section of a report as a sheet: a header row of column names and typed rows."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    # Columns (0-based) that hold sums of money, formatted as such.
    money_columns: frozenset[int] = frozenset()


def _cell(sheet, value, *, money: bool = False):
    if isinstance(value, str):
        value = value.strip()
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text, as written: never a formula Excel would evaluate
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif money and isinstance(value, int | float | Decimal):
        cell.number_format = MONEY_FORMAT
    return cell


def sheet_title(title: str, taken: set[str]) -> str:
    base = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip()[:SHEET_TITLE_LENGTH] or "-"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: SHEET_TITLE_LENGTH - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def workbook_bytes(sheets: list[Sheet]) -> bytes:
    """The sheets as an .xlsx file, written in openpyxl's write-only (streaming) mode."""
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    bold = Font(bold=True)
    for section in sheets:
        sheet = workbook.create_sheet(sheet_title(section.title, taken))
        sheet.freeze_panes = "A2"
        header = []
        for name in section.headers:
            cell = _cell(sheet, name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in section.rows:
            sheet.append([_cell(sheet, value, money=i in section.money_columns) for i, value in enumerate(row)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
