"""A release uploaded as a file: .txt in UTF-8 or Windows-1251, .docx; anything else refused in Russian."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from companies.exceptions import PortalError
from releases.upload import RELEASE_MAX_BYTES, release_text_from_upload

TEXT = "Делегация Челябинской области прибыла в Ульяновск.\nПодписано соглашение."


def _docx(paragraphs, table=None) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs[:1]:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    for paragraph in paragraphs[1:]:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251", "utf-16"])
def test_a_text_file_is_read_in_its_encoding(encoding):
    upload = SimpleUploadedFile("release.txt", TEXT.encode(encoding))
    assert release_text_from_upload(upload) == TEXT


def test_a_word_document_gives_its_paragraphs_and_table_cells_in_order():
    data = _docx(["Заголовок релиза", "После таблицы."], table=[["Компания", "Город"], ["Мидаус", "Ульяновск"]])
    upload = SimpleUploadedFile("release.docx", data)
    assert release_text_from_upload(upload) == "Заголовок релиза\nКомпания\nГород\nМидаус\nУльяновск\nПосле таблицы."


def _refusal(name: str, data: bytes) -> str:
    with translation.override("ru"), pytest.raises(PortalError) as refused:
        release_text_from_upload(SimpleUploadedFile(name, data))
    return refused.value.messages[0]


def test_a_renamed_pdf_is_refused():
    assert _refusal("release.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3 binary") == (
        "Файл «release.txt» не текстовый: по содержимому это двоичный файл."
    )


def test_a_zip_renamed_docx_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "не документ")
    message = _refusal("release.docx", buffer.getvalue())
    assert message.startswith("Файл «release.docx» не является документом Word (.docx):")


def test_a_text_renamed_docx_is_refused():
    assert _refusal("release.docx", TEXT.encode()).startswith("Файл «release.docx» не является документом Word (.docx)")


def test_a_zip_bomb_is_refused_unread():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (600 * 1024 * 1024 // 100))
        for n in range(110):
            archive.writestr(f"word/media/{n}.bin", b"0" * (6 * 1024 * 1024))
    message = _refusal("bomb.docx", buffer.getvalue())
    assert "распаковывается" in message or "больше" in message


def test_other_files_too_large_or_empty_are_refused():
    assert _refusal("release.pdf", b"%PDF-1.7") == (
        "Загрузите пресс-релиз текстовым файлом (.txt) или документом Word (.docx)."
    )
    assert _refusal("release.txt", b"") == "Файл пуст."
    assert _refusal("release.txt", b"a" * (RELEASE_MAX_BYTES + 1)).startswith("Размер файла — 5,0")
    assert _refusal("release.txt", b"   \n  ") == "Текст пресс-релиза пуст."
