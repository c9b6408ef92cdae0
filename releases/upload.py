"""The text of a release a staff member uploads: a .txt (UTF-8 or Windows-1251) or a .docx.

A hostile file never gets far: the size is checked before anything is read; a .txt that holds a
binary format (a renamed PDF, picture, archive or executable) is refused by its first bytes, as the
spreadsheet import refuses one (companies.imports.reader); a .docx is checked as the agreements'
documents are (agreements.documents: its parts say it is a Word document, and a zip declaring more
than its limit unpacked is refused unread) before python-docx opens it.
"""

import io

import docx
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from docx.table import Table
from docx.text.paragraph import Paragraph

from agreements.documents import DOCX, document_kind
from companies.exceptions import PortalError
from companies.imports.reader import BINARY_MAGICS, XLSX_MAGIC, text_decode

# A press release is a few kilobytes of text; a .docx with pictures a few megabytes.
RELEASE_MAX_BYTES = 5 * 1024 * 1024
# The longest text the review takes (about 60 pages): longer is no press release.
RELEASE_MAX_CHARS = 100_000
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def release_text_check(text: str) -> str:
    """The text, stripped, or a PortalError when it is empty or longer than a release can be."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").strip()
    if not text:
        raise PortalError(_("The release's text is empty."), code="empty")
    if len(text) > RELEASE_MAX_CHARS:
        raise PortalError(
            _("The text is %(size)s characters long; a release may be at most %(limit)s.")
            % {"size": f"{len(text):,}".replace(",", " "), "limit": f"{RELEASE_MAX_CHARS:,}".replace(",", " ")},
            code="too_long",
        )
    return text


def _docx_text(data: bytes) -> str:
    """Paragraphs and table cells in the order of the document's body, one a line."""
    document = docx.Document(io.BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                seen = []
                for cell in row.cells:  # a merged cell is listed once for each column it spans
                    if cell._tc not in seen:
                        seen.append(cell._tc)
                        lines.append(cell.text)
    return "\n".join(line for line in lines if line.strip())


def release_text_from_upload(upload) -> str:
    """The text of an uploaded .txt or .docx, or a PortalError saying in Russian why it cannot be read."""
    name = (upload.name or "").lower()
    if upload.size > RELEASE_MAX_BYTES:
        raise PortalError(
            _("The file is %(size)s; a release may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(RELEASE_MAX_BYTES)},
            code="too_large",
        )
    if upload.size == 0:
        raise PortalError(_("The file is empty."), code="empty")
    if name.endswith(".docx"):
        try:
            kind = document_kind(upload)
        except ValidationError as refusal:
            raise PortalError(
                _("The file “%(name)s” is not a Word document (.docx): %(reason)s")
                % {"name": upload.name, "reason": " ".join(refusal.messages)},
                code="not_docx",
            ) from refusal
        if kind is not DOCX:
            raise PortalError(
                _("The file “%(name)s” is not a Word document (.docx).") % {"name": upload.name}, code="not_docx"
            )
        upload.seek(0)
        try:
            text = _docx_text(upload.read())
        except Exception as exc:  # python-docx and lxml raise many kinds on a damaged document
            raise PortalError(
                _("The document “%(name)s” is damaged and cannot be read.") % {"name": upload.name}, code="bad_docx"
            ) from exc
        return release_text_check(text)
    if name.endswith(".txt"):
        upload.seek(0)
        data = upload.read()
        if data.startswith(UTF16_BOMS):
            text = data.decode("utf-16", errors="replace")
        elif data.startswith(XLSX_MAGIC) or data.startswith(BINARY_MAGICS) or b"\x00" in data[:4096]:
            raise PortalError(
                _("The file “%(name)s” is not a text file: its contents are those of a binary file.")
                % {"name": upload.name},
                code="not_text",
            )
        else:
            text = text_decode(data)
        return release_text_check(text)
    raise PortalError(_("Upload the release as a text file (.txt) or a Word document (.docx)."), code="extension")
