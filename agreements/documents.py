"""Agreement documents: which files are accepted (by their content), where they are stored, and how
they are handed out.

An upload is accepted only when its first bytes (and, for the zip containers, the parts inside) say it
is one of the kinds below and its name ends in that kind's extension. The check is a small explicit
table rather than libmagic (a system library) or a package guessing from the first bytes alone: the
office formats are containers, and only their inner parts tell a DOCX from an XLSX, an ODT or any other
zip, or a Word document from any other OLE compound file (olefile reads those). Files are stored under
generated names; the name the user gave is kept for display only.
"""

import os
import uuid
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DocumentKind:
    label: str  # how the message names it
    extensions: tuple[str, ...]  # the first is the one stored
    content_type: str


PDF = DocumentKind("PDF", (".pdf",), "application/pdf")
DOC = DocumentKind("DOC", (".doc",), "application/msword")
DOCX = DocumentKind("DOCX", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = DocumentKind("XLSX", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
ODT = DocumentKind("ODT", (".odt",), "application/vnd.oasis.opendocument.text")
JPEG = DocumentKind("JPEG", (".jpg", ".jpeg"), "image/jpeg")
PNG = DocumentKind("PNG", (".png",), "image/png")
KINDS = (PDF, DOC, DOCX, ODT, XLSX, JPEG, PNG)
BY_EXTENSION = {extension: kind for kind in KINDS for extension in kind.extensions}
# What the file input offers to choose (the check itself reads the content).
ACCEPT = ",".join(extension for kind in KINDS for extension in kind.extensions)

# Magic numbers at offset 0. DOC is an OLE compound file with a WordDocument stream (_ole_kind);
# DOCX, XLSX and ODT are zip files, told apart by their parts (_zip_kind).
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
MAGIC = ((b"%PDF-", PDF), (b"\xff\xd8\xff", JPEG), (b"\x89PNG\r\n\x1a\n", PNG))
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"

# A zip document that says it unpacks to more than this, or holds more parts, is refused without
# unpacking anything: no real agreement does, and a zip bomb would exhaust whoever opens it.
ZIP_MAX_UNPACKED_BYTES = 512 * 1024 * 1024
ZIP_MAX_PARTS = 5000

ALLOWED = _("PDF, DOC, DOCX, ODT, XLSX, JPEG or PNG")


def max_bytes() -> int:
    return settings.AGREEMENT_DOCUMENT_MAX_BYTES


def _refuse(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params={"allowed": ALLOWED, **params})


def _ole_kind(file) -> DocumentKind | None:
    """DOC for an OLE compound file holding a Word document; None for any other (a workbook, a letter…)."""
    try:
        ole = olefile.OleFileIO(file)
    except Exception:  # whatever the parser refuses in hostile input (it raises many kinds): not a document
        return None
    try:
        return DOC if ole.exists("WordDocument") else None
    finally:
        ole.close()


def _zip_kind(file) -> DocumentKind | None:
    """DOCX, XLSX or ODT by the parts inside the zip; None for any other archive."""
    try:
        archive = zipfile.ZipFile(file)
        parts = archive.infolist()
        if len(parts) > ZIP_MAX_PARTS or sum(part.file_size for part in parts) > ZIP_MAX_UNPACKED_BYTES:
            raise _refuse(
                _("The file unpacks to more than %(limit)s, which no document does. Upload a %(allowed)s file."),
                "document_unpacks_too_large",
                limit=filesizeformat(ZIP_MAX_UNPACKED_BYTES),
            )
        names = {part.filename for part in parts}
        if parts and parts[0].filename == "mimetype" and parts[0].file_size == len(ODT_MIMETYPE):
            with archive.open(parts[0]) as mimetype:
                if mimetype.read(len(ODT_MIMETYPE) + 1) == ODT_MIMETYPE:
                    return ODT
        if "[Content_Types].xml" in names and not any(name.endswith("vbaProject.bin") for name in names):
            if any(name.startswith("word/") for name in names):
                return DOCX
            if any(name.startswith("xl/") for name in names):
                return XLSX
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError, RuntimeError):
        return None  # broken, encrypted or in a compression zipfile does not read: not a document
    return None


def document_kind(file) -> DocumentKind:
    """The kind of an uploaded file by its content and name, or a ValidationError saying what is accepted.

    The size is checked first, from what the upload says, so an oversized file is never read.
    """
    size = file.size
    if size > max_bytes():
        raise _refuse(
            _("The file is %(size)s; a document may be at most %(limit)s."),
            "document_too_large",
            size=filesizeformat(size),
            limit=filesizeformat(max_bytes()),
        )
    if size == 0:
        raise _refuse(_("The file is empty. Upload a %(allowed)s file."), "document_empty")
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    kind = next((kind for magic, kind in MAGIC if head.startswith(magic)), None)
    if kind is None and head.startswith(ZIP_MAGIC):
        kind = _zip_kind(file)
        file.seek(0)
    if kind is None and head.startswith(OLE_MAGIC):
        kind = _ole_kind(file)
        file.seek(0)
    if kind is None:
        raise _refuse(
            _("This file is not a %(allowed)s document (its content was checked, not only its name)."),
            "document_kind",
        )
    extension = os.path.splitext(file.name or "")[1].lower()
    if not extension:
        raise _refuse(
            _("The file is a %(kind)s document but its name has no extension: give it the extension %(expected)s."),
            "document_extension",
            kind=kind.label,
            expected=kind.extensions[0],
        )
    if extension not in kind.extensions:
        raise _refuse(
            _(
                "The file is a %(kind)s document but its name ends in “%(extension)s”: "
                "give it the extension %(expected)s."
            ),
            "document_extension",
            kind=kind.label,
            extension=extension,
            expected=kind.extensions[0],
        )
    return kind


def validate_document(value) -> None:
    """The model field's validator: a new upload is checked; a file already stored is left as it is."""
    if value and not getattr(value, "_committed", True):
        document_kind(value.file)


def document_path(instance, filename: str) -> str:
    """agreements/<year>/<uuid>.<ext>: nothing of the user's file name but its extension, normalised."""
    extension = os.path.splitext(filename)[1].lower()
    kind = BY_EXTENSION.get(extension)
    return f"agreements/{timezone.now():%Y}/{uuid.uuid4().hex}{kind.extensions[0] if kind else '.bin'}"


class DocumentFieldFile(FieldFile):
    """A stored document whose address is the document view's: the admin's links (its file input, its
    read-only page) and any `document.url` go where the agreement's visibility is checked."""

    @property
    def url(self) -> str:
        self._require_file()
        return reverse("agreements:document", kwargs={"slug": self.instance.slug})


class DocumentField(models.FileField):
    attr_class = DocumentFieldFile


def stored_kind(name: str) -> DocumentKind | None:
    """The kind of a stored document by its stored name (the check gave it its extension)."""
    return BY_EXTENSION.get(os.path.splitext(name)[1].lower())


def download_disposition(title: str, ascii_stem: str, extension: str) -> str:
    """`attachment` with an ASCII file name and its UTF-8 form (RFC 6266, RFC 5987), both from the title."""
    unicode_stem = slugify(title, allow_unicode=True)[:100].strip("-") or ascii_stem
    ascii_stem = slugify(ascii_stem)[:100].strip("-") or "document"
    return (
        f"attachment; filename=\"{ascii_stem}{extension}\"; filename*=UTF-8''{quote(unicode_stem + extension, safe='')}"
    )
