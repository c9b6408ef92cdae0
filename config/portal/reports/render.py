"""A report as a file: a workbook (openpyxl, write-only) or a PDF (WeasyPrint) of the printed page.

The PDF renderer fetches nothing over the network: `StaticFilesFetcher` serves the portal's own static
files from disk and refuses every other address, so a report's HTML cannot make the server call out.
"""

import datetime
import importlib
import io
import mimetypes
import posixpath
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

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


def attachment(body: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- PDF ------------------------------------------------------------------------------------


def static_file_path(url: str, base_url: str) -> Path | None:
    """The file on disk behind one of the portal's static URLs (collected, or in a static folder)."""
    static = urlsplit(base_url)._replace(path="/" + settings.STATIC_URL.lstrip("/"), query="", fragment="")
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (static.scheme, static.netloc) or not parts.path.startswith(static.path):
        return None
    name = posixpath.normpath(unquote(parts.path[len(static.path) :]))
    if name.startswith(("../", "/")) or name in {".", ".."}:
        return None
    # The project's own file first (a collected copy may be older); a hashed name only the collected
    # storage knows (the production manifest storage's "print-report.3f2a….css").
    found = finders.find(name)
    if found:
        return Path(found)
    if staticfiles_storage.exists(name):
        try:
            return Path(staticfiles_storage.path(name))
        except NotImplementedError:  # a storage without local files
            return None
    return None


def _weasyprint(module: str = ""):
    """WeasyPrint (or one of its modules), loaded on first use: loading it loads Pango, which the pages
    and the workbooks do not need, so a machine without Pango still serves them."""
    return importlib.import_module("weasyprint" + (f".{module}" if module else ""))


def pdf_bytes(html: str, *, base_url: str) -> bytes:
    """The page as a PDF; its stylesheets and images only from the portal's static files."""
    urls = _weasyprint("urls")

    class StaticFilesFetcher(urls.URLFetcher):
        """Serves the portal's static files from disk; refuses any other address (no network)."""

        def fetch(self, url, headers=None):
            path = static_file_path(url, base_url)
            if path is None:
                raise ValueError(f"not one of the portal's static files: {url[:200]}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return _weasyprint().HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher()).write_pdf()


def pango_available() -> bool:
    """Whether WeasyPrint can load Pango here (the PDF needs it; the page and the workbook do not)."""
    try:
        _weasyprint()
    except OSError:
        return False
    return True
