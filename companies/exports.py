"""Tables out of the portal: rows and columns written as CSV (streamed) or XLSX (openpyxl's write-only
mode), for the admin's changelists and the public lists.

One definition for each rule of the files: how a value becomes a cell (`cell_value`: dates, numbers
and money typed, booleans as «да»/«нет», choices as their labels, foreign keys as their names) and
which text is neutralised so that a spreadsheet never runs it as a formula (`neutralise`, OWASP's
CSV-injection advice). The rows come from the caller's queryset, which has already decided what the
user may see; they are read in chunks, so memory stays flat however many there are.
"""

import csv
import datetime
import decimal
import html
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeData
from django.utils.text import capfirst
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .dates import DatePrecision, date_as_given

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000

# Text a spreadsheet would read as a formula, or that hides one after a tab or a line break.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# Excel's number formats are stored locale-neutral: "," is the thousands separator and "." the decimal
# point of the format code; a Russian Excel shows 1 234,56 and 01.12.2026.
DATE_FORMAT = "dd.mm.yyyy"
DATETIME_FORMAT = "dd.mm.yyyy hh:mm"
TIME_FORMAT = "hh:mm"
MONEY_FORMAT = "#,##0.00"
CSV_DATE = "%d.%m.%Y"
CSV_DATETIME = "%d.%m.%Y %H:%M"
CSV_TIME = "%H:%M"


@dataclass(frozen=True)
class Column:
    """A column of an export: its Russian header and how to read its value from a row."""

    title: str
    value: Callable[[Any], Any]


def neutralise(text: str) -> str:
    """Text that a spreadsheet shows as written: a leading apostrophe before a formula's first sign."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_value(value):
    """A Python value as the cell shows it: None, a date, a datetime (local, naive), a number, or text.

    Text is neutralised; numbers stay numbers (a negative amount is not a formula).
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return pgettext("export", "yes") if value else pgettext("export", "no")
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.time):  # a meeting's local time
        return value.replace(tzinfo=None)
    if isinstance(value, datetime.date | int | float | decimal.Decimal):
        return value
    if isinstance(value, models.Model):
        value = str(value)
    elif isinstance(value, SafeData):  # an admin column built with format_html
        value = html.unescape(strip_tags(str(value)))
    else:
        value = str(value)
    return neutralise(value)


def field_value(obj, field: models.Field):
    """The value of a model field as a person reads it: a choice's label, a related row's name."""
    if field.is_relation and not field.many_to_many:
        return getattr(obj, field.name)
    value = getattr(obj, field.attname)
    if field.flatchoices and value is not None:
        return dict(field.flatchoices).get(value, value)
    return value


def model_columns(model: type[models.Model], names: Iterable[str]) -> list[Column]:
    """Columns for fields of `model`, headed by their verbose names."""
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        columns.append(Column(capfirst(field.verbose_name), lambda obj, field=field: field_value(obj, field)))
    return columns


def iterate(rows: Iterable) -> Iterator:
    """Rows one chunk at a time: a queryset is read with .iterator() (its prefetches per chunk)."""
    if isinstance(rows, models.QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


# --- CSV ------------------------------------------------------------------------------------------


class _Line:
    """A file-like object for csv.writer that hands back what it is given (one line at a time)."""

    def write(self, text: str) -> str:
        return text


def _csv_text(value) -> str:
    value = cell_value(value)
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime(CSV_DATETIME)
    if isinstance(value, datetime.date):
        return value.strftime(CSV_DATE)
    if isinstance(value, datetime.time):
        return value.strftime(CSV_TIME)
    if isinstance(value, decimal.Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return str(value)


def csv_lines(rows: Iterable, columns: list[Column]) -> Iterator[str]:
    """The lines of a CSV file a Russian Excel opens as it is: a BOM (UTF-8), `;` between cells,
    a decimal comma. A generator: one row in memory at a time."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([neutralise(str(column.title)) for column in columns])
    for row in iterate(rows):
        yield writer.writerow([_csv_text(column.value(row)) for column in columns])


# --- XLSX -----------------------------------------------------------------------------------------


def xlsx_write(rows: Iterable, columns: list[Column], target, *, title: str = "") -> int:
    """Write the rows to `target` (a path or a binary file) as a one-sheet workbook in openpyxl's
    write-only mode (rows go to disk as they come); the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.title)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in iterate(rows):
        sheet.append([_xlsx_cell(sheet, column.value(row)) for column in columns])
        count += 1
    workbook.save(target)
    return count


def _sheet_title(title: str) -> str:
    # A sheet's name: at most 31 characters, none of []:*?/\
    cleaned = "".join(c for c in title if c not in "[]:*?/\\").strip()
    return cleaned[:31] or "Sheet1"


def _xlsx_cell(sheet, value):
    value = cell_value(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, even if a future rule let an "=" through
    elif isinstance(value, datetime.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(value, datetime.time):
        cell.number_format = TIME_FORMAT
    elif isinstance(value, decimal.Decimal):
        cell.number_format = MONEY_FORMAT
    return cell


# --- Responses ------------------------------------------------------------------------------------

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _disposition(filename: str) -> str:
    return content_disposition_header(as_attachment=True, filename=filename)


def csv_response(rows: Iterable, columns: list[Column], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(f"{filename}.csv")
    return response


def xlsx_response(rows: Iterable, columns: list[Column], *, filename: str, title: str = "") -> FileResponse:
    """A workbook written to a temporary file and sent from it in blocks (the file goes when sent)."""
    buffer = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    xlsx_write(rows, columns, buffer, title=title)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{filename}.xlsx", content_type=XLSX_TYPE)


def export_response(rows: Iterable, columns: list[Column], *, export_format: str, filename: str, title: str = ""):
    if export_format == "csv":
        return csv_response(rows, columns, filename=filename)
    return xlsx_response(rows, columns, filename=filename, title=title)


def export_filename(stem: str) -> str:
    """`missions-2026-12-01`: what, and as of when."""
    return f"{stem}-{timezone.localdate():%Y-%m-%d}"


def date_as_known(value: datetime.date | None, precision: str = DatePrecision.DAY):
    """A date cell for a date known to the day; for one known only by its month or year, the text the
    pages show ("май 2024", "2015"), never a made-up first of the month."""
    if value is None or precision == DatePrecision.DAY:
        return value
    return date_as_given(value, precision)


def names(rows: Iterable) -> str:
    """Several related rows in one cell: their names, separated by semicolons."""
    return "; ".join(str(row) for row in rows)


# --- Public lists ---------------------------------------------------------------------------------


class ListExportMixin:
    """For a public list view: `?format=csv` or `?format=xlsx` answers the list as a file, with the
    page's filters and search and every page of it; the template gets `export_query` for its links.

    The view gives `export_stem` (the file name), `get_export_rows()` (the visible rows, by default
    its queryset) and `get_export_columns()`.
    """

    export_stem = "export"
    export_param = "format"

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get(self.export_param)
        if export_format in FORMATS:
            return self.export(export_format)
        return super().get(request, *args, **kwargs)

    def export(self, export_format: str):
        return export_response(
            self.get_export_rows(),
            self.get_export_columns(),
            export_format=export_format,
            filename=export_filename(self.export_stem),
            title=self.export_stem,
        )

    def get_export_rows(self):
        return self.get_queryset()

    def get_export_columns(self) -> list[Column]:
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        for name in ("page", self.export_param):
            params.pop(name, None)
        context["export_query"] = params.urlencode()
        return context
