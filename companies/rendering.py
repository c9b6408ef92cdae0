"""A page as a downloadable file: the attachment response, and the PDF of a printed page (WeasyPrint).

The PDF renderer fetches nothing over the network: `StaticFilesFetcher` serves the portal's own static
files from disk and refuses every other address, so a page's HTML cannot make the server call out.
The reports (`config.portal.reports`) and the participants' B2B table plans (`partners`) print through
it; it sits in the bottom layer so that both reach it.
"""

import importlib
import mimetypes
import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse


def attachment(body: bytes, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


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
