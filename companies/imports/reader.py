"""The one reader of uploaded spreadsheets: .xlsx (openpyxl, read-only streaming) and .csv.

A hostile file never gets far: its size is checked before it is parsed, a workbook is checked as a
zip (declared sizes of every member and their total, no DOCTYPE or ENTITY in its XML) before
openpyxl opens it, rows and sheets are counted, and a file that is not what its name says is
refused by content. Formula cells are read as their text (a value beginning with "="), never
evaluated.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..exceptions import PortalError

XLSX_MAGIC = b"PK\x03\x04"
# Binary formats people rename: a PDF, a Windows executable, an old .xls (OLE2), a picture, a gzip.
BINARY_MAGICS = (b"%PDF", b"MZ", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"\x1f\x8b", b"GIF8", b"Rar!")
ENTITY_RE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
XML_SCAN_BYTES = 64 * 1024  # a DOCTYPE comes before the root element: the start of a member is enough


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass
class Table:
    """The header line and the data rows of a file; each row is (its line in the file, its cells)."""

    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)


def read_table(data: bytes, filename: str) -> Table:
    """Read an uploaded .xlsx or .csv into a Table, or raise PortalError saying in Russian why not."""
    max_bytes = _limit("IMPORT_MAX_BYTES", 5 * 1024 * 1024)
    if len(data) > max_bytes:
        raise PortalError(
            _("The file is %(size)s MB; the largest file accepted is %(limit)s MB.")
            % {"size": _megabytes(len(data)), "limit": _megabytes(max_bytes)},
            code="too_large",
        )
    if not data.strip():
        raise PortalError(_("The file is empty."), code="empty")
    name = filename.lower()
    if name.endswith(".xlsx"):
        if not data.startswith(XLSX_MAGIC):
            raise PortalError(_not_a_spreadsheet(filename), code="not_xlsx")
        return _read_xlsx(data, filename)
    if name.endswith(".csv"):
        if data.startswith(XLSX_MAGIC) or data.startswith(BINARY_MAGICS) or b"\x00" in data[:4096]:
            raise PortalError(_not_a_spreadsheet(filename), code="not_csv")
        return _read_csv(data)
    raise PortalError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."), code="extension")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _not_a_spreadsheet(filename: str) -> str:
    return _("The file “%(name)s” is not a spreadsheet: its contents are not those of an .xlsx or .csv file.") % {
        "name": filename
    }


def _check_rows(count: int) -> None:
    max_rows = _limit("IMPORT_MAX_ROWS", 5000)
    if count > max_rows:
        raise PortalError(
            ngettext(
                "The file has more than %(limit)d row; split it into files of at most %(limit)d rows.",
                "The file has more than %(limit)d rows; split it into files of at most %(limit)d rows.",
                max_rows,
            )
            % {"limit": max_rows},
            code="too_many_rows",
        )


# --- xlsx ---------------------------------------------------------------------------------------


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse a workbook that is no zip, unpacks to more than IMPORT_MAX_UNPACKED_BYTES (a zip bomb),
    or whose XML declares a DOCTYPE or entities (billion laughs, external entities)."""
    max_member = _limit("IMPORT_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise PortalError(_not_a_spreadsheet(filename), code="bad_zip") from exc
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise PortalError(_not_a_spreadsheet(filename), code="not_a_workbook")
    bomb = PortalError(
        _("The workbook unpacks to more than %(limit)s MB: it is refused as a possible zip bomb.")
        % {"limit": _megabytes(max_member)},
        code="zip_bomb",
    )
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > max_member or total > max_member:
            raise bomb
        if member.compress_size and member.file_size / member.compress_size > 200 and member.file_size > 1024 * 1024:
            raise bomb
    with archive:
        for member in members:
            if not member.filename.endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(member) as stream:
                head = stream.read(XML_SCAN_BYTES)
            if ENTITY_RE.search(head):
                raise PortalError(
                    _("The workbook contains XML entity declarations (DOCTYPE/ENTITY): it is refused as unsafe."),
                    code="xml_entities",
                )


def _read_xlsx(data: bytes, filename: str) -> Table:
    from openpyxl import load_workbook

    _check_zip(data, filename)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds of error for a damaged file
        raise PortalError(
            _("The workbook “%(name)s” cannot be read: it is damaged or not an Excel workbook.") % {"name": filename},
            code="bad_workbook",
        ) from exc
    try:
        max_sheets = _limit("IMPORT_MAX_SHEETS", 10)
        if len(workbook.sheetnames) > max_sheets:
            raise PortalError(
                ngettext(
                    "The workbook has more than %(limit)d sheet; keep the list on the first one.",
                    "The workbook has more than %(limit)d sheets; keep the list on the first one.",
                    max_sheets,
                )
                % {"limit": max_sheets},
                code="too_many_sheets",
            )
        sheet = workbook.worksheets[0]
        rows = []
        headers = None
        max_rows = _limit("IMPORT_MAX_ROWS", 5000)
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_cell(value) for value in values]
            if headers is None:
                if any(cell not in ("", None) for cell in cells):
                    headers = [str(cell or "").strip() for cell in cells]
                continue
            if all(cell in ("", None) for cell in cells):
                continue
            rows.append((number, cells))
            if len(rows) > max_rows:
                _check_rows(len(rows))
    finally:
        workbook.close()
    if headers is None:
        raise PortalError(_("The file is empty."), code="empty")
    return Table(headers=headers, rows=rows)


def _xlsx_cell(value):
    """A cell as the importers read it: text stripped, numbers and dates as they are. A formula
    (openpyxl gives its text, "=..." with data_only=False) stays that text."""
    if isinstance(value, str):
        return value.strip()
    if value is None:
        return ""
    return value


# --- csv ----------------------------------------------------------------------------------------


def text_decode(data: bytes) -> str:
    """An uploaded text's characters: UTF-8 (with or without its BOM), else Windows-1251 (what a
    Russian Windows writes); the import's CSV and a release's .txt are read by this one rule."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _read_csv(data: bytes) -> Table:
    text = text_decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    headers = None
    rows = []
    max_rows = _limit("IMPORT_MAX_ROWS", 5000)
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if headers is None:
                if any(cells):
                    headers = cells
                continue
            if not any(cells):
                continue
            rows.append((reader.line_num, cells))
            if len(rows) > max_rows:
                _check_rows(len(rows))
    except csv.Error as exc:
        raise PortalError(_("The CSV file cannot be read: %(error)s") % {"error": exc}, code="bad_csv") from exc
    if headers is None:
        raise PortalError(_("The file is empty."), code="empty")
    return Table(headers=headers, rows=rows)


# --- Values as people write them ------------------------------------------------------------------

EXCEL_EPOCH = datetime.date(1899, 12, 30)
DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d/%m/%Y")


def cell_text(value) -> str:
    """A cell as text: numbers without a trailing ".0" (an INN typed as a number), dates as dd.mm.yyyy."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y %H:%M") if value.time() != datetime.time() else value.strftime("%d.%m.%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return " ".join(str(value).split())


def parse_date(value) -> datetime.date | None:
    """dd.mm.yyyy, d.m.yy, ISO, an Excel serial number or a date cell; None for an empty cell.
    Raises ValueError for anything else."""
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError(value)
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    text = str(value).strip().split(" ")[0]
    if re.fullmatch(r"\d{5}", text):
        return EXCEL_EPOCH + datetime.timedelta(days=int(text))
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def parse_time(value) -> datetime.time | None:
    """10:30, 10.30, 10-30, a fraction of a day (0.4375) or a time cell; None for an empty cell."""
    if value in ("", None):
        return None
    if isinstance(value, datetime.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _fraction_to_time(float(value))
    text = str(value).strip()
    match = re.fullmatch(r"(\d{1,2})[:.\-](\d{2})(?::\d{2})?", text)
    if match:
        hours, minutes = int(match[1]), int(match[2])
        if hours < 24 and minutes < 60:
            return datetime.time(hours, minutes)
        raise ValueError(value)
    if re.fullmatch(r"0?[.,]\d+", text):
        return _fraction_to_time(float(text.replace(",", ".")))
    raise ValueError(value)


def _fraction_to_time(fraction: float) -> datetime.time:
    if not 0 <= fraction < 1:
        raise ValueError(fraction)
    minutes = round(fraction * 24 * 60)
    if minutes >= 24 * 60:
        raise ValueError(fraction)
    return datetime.time(minutes // 60, minutes % 60)


def parse_time_range(value) -> tuple[datetime.time | None, datetime.time | None]:
    """ "10:30–11:00" (any dash) or a single start; (None, None) for an empty cell."""
    if value in ("", None):
        return None, None
    if isinstance(value, str):
        parts = re.split(r"\s*[–—-]\s*(?=\d)", value.strip(), maxsplit=1)
        if len(parts) == 2 and re.fullmatch(r"\d{1,2}[:.]\d{2}", parts[0]):
            return parse_time(parts[0]), parse_time(parts[1])
    return parse_time(value), None
