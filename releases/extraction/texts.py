"""A release's text from a file: plain text in UTF-8 (with or without a BOM) or Windows-1251."""

from pathlib import Path

from django.utils.translation import gettext as _

from companies.exceptions import PortalError


def read_text_bytes(data: bytes) -> str:
    """The text of a plain-text file: UTF-8 when it decodes, else Windows-1251 (old Russian files)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251", errors="replace")


def read_release_file(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PortalError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror}) from None
    if data.startswith(b"PK\x03\x04") or b"\x00" in data[:1024]:
        raise PortalError(
            _("%(file)s is not a plain-text file: save the release as .txt (UTF-8 or Windows-1251).") % {"file": path}
        )
    return read_text_bytes(data)
