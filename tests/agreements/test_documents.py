"""Agreement documents: accepted by their content, stored under generated names, handed out only
through the document view to whoever may see the agreement, as a download that runs nothing."""

import importlib
import io
import re
import struct
import zipfile
import zlib

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve, reverse
from django.utils import translation

import config.urls
from agreements.documents import document_kind
from agreements.models import Agreement
from agreements.services.agreements import agreement_create, agreement_update
from companies import roles
from tests.factories import (
    AgreementFactory,
    AgreementPartyFactory,
    MinistryFactory,
    MinistryStaffFactory,
    OrganizationFactory,
    PersonFactory,
    StaffUserFactory,
    UserFactory,
    directory_region,
)
from tests.helpers import html_of
from tests.test_admin import _submit

pytestmark = pytest.mark.django_db

# --- Real minimal files, built here ----------------------------------------------------------

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/account/api-keys/')</script></body></html>"


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


# A 1×1 RGB image: signature, header, one filtered row, end.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
    + _png_chunk(b"IEND", b"")
)


def _jpeg_segment(marker: int, data: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data


# A baseline 1×1 grey JPEG: one 8×8 block whose DC difference and AC run are both the one code "0".
JPEG = (
    b"\xff\xd8"
    + _jpeg_segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
    + _jpeg_segment(0xDB, b"\x00" + b"\x01" * 64)
    + _jpeg_segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00")
    + _jpeg_segment(0xC4, b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00")
    + _jpeg_segment(0xC4, b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00")
    + _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    + b"\x3f"
    + b"\xff\xd9"
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>{override}</Types>'
)


def _zip(parts: list[tuple[str, bytes]], *, first_stored: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (name, data) in enumerate(parts):
            stored = first_stored and n == 0
            part = zipfile.ZipInfo(name, date_time=(2026, 3, 2, 9, 0, 0))  # the same bytes in every run
            archive.writestr(part, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


OOXML = "http://schemas.openxmlformats.org"
RELS = f'<?xml version="1.0"?><Relationships xmlns="{OOXML}/package/2006/relationships"/>'.encode()
ODF = "urn:oasis:names:tc:opendocument:xmlns"


def _content_types(part: str, content_type: str) -> bytes:
    return CONTENT_TYPES.format(override=f'<Override PartName="{part}" ContentType="{content_type}"/>').encode()


def _docx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    body = f'<w:document xmlns:w="{OOXML}/wordprocessingml/2006/main"><w:body/></w:document>'
    return _zip([
        ("[Content_Types].xml", _content_types("/word/document.xml", main)),
        ("_rels/.rels", RELS),
        ("word/document.xml", f'<?xml version="1.0"?>{body}'.encode()),
    ])  # fmt: skip


def _xlsx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    sml = f"{OOXML}/spreadsheetml/2006/main"
    return _zip([
        ("[Content_Types].xml", _content_types("/xl/workbook.xml", main)),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{sml}"/>'.encode()),
        ("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet xmlns="{sml}"/>'.encode()),
    ])  # fmt: skip


def _odt(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    manifest = f'<manifest:manifest xmlns:manifest="{ODF}:manifest:1.0"/>'
    content = f'<office:document-content xmlns:office="{ODF}:office:1.0"/>'
    return _zip([
        ("mimetype", mimetype),
        ("META-INF/manifest.xml", f'<?xml version="1.0"?>{manifest}'.encode()),
        ("content.xml", f'<?xml version="1.0"?>{content}'.encode()),
    ], first_stored=True)  # fmt: skip


PLAIN_ZIP_NAMED_DOCX = _zip([("readme.txt", b"just an archive"), ("word/x.txt", b"no content types")])
MACRO_DOCX = _zip(
    [("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w/>"), ("word/vbaProject.bin", b"\x00")]
)


def _declaring(archive: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size, as its central directory declares it, set to `size`."""
    data = bytearray(archive)
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length].decode() == name:
            struct.pack_into("<I", data, start + 24, size)
        start += 4
    return bytes(data)


FREE, END_OF_CHAIN, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _ole_entry(name: str, kind: int, *, child: int = NO_STREAM, start: int = END_OF_CHAIN, size: int = 0) -> bytes:
    encoded = (name + "\x00").encode("utf-16-le") if name else b""
    return (
        encoded.ljust(64, b"\x00")
        + struct.pack("<HBB3I", len(encoded), kind, 1, NO_STREAM, NO_STREAM, child)
        + b"\x00" * 36  # class id, state bits, creation and change times
        + struct.pack("<IQ", start, size)
    )


def _ole(stream: str) -> bytes:
    """An OLE compound file (version 3, 512-byte sectors) with one 4 KB stream in its root storage:
    sector 0 the FAT, sector 1 the directory, sectors 2–9 the stream."""
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END_OF_CHAIN, 0, END_OF_CHAIN, 0)
        + struct.pack("<109I", 0, *[FREE] * 108)
    )
    fat = [FAT_SECTOR, END_OF_CHAIN, *range(3, 10), END_OF_CHAIN] + [FREE] * 118
    directory = (
        _ole_entry("Root Entry", 5, child=1)
        + _ole_entry(stream, 2, start=2, size=4096)
        + _ole_entry("", 0)
        + _ole_entry("", 0)
    )
    return header + struct.pack("<128I", *fat) + directory + b"\x00" * 4096


OLE_HEADER_ONLY = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DOCUMENTS_X_ACCEL_REDIRECT = ""
    return settings.MEDIA_ROOT


def stored_files(media) -> list[str]:
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()) if media.exists() else []


# --- What is accepted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, label",
    [
        ("Соглашение.pdf", PDF, "PDF"),
        ("scan.PNG", PNG, "PNG"),
        ("photo.jpg", JPEG, "JPEG"),
        ("photo.jpeg", JPEG, "JPEG"),
        ("План мероприятий.docx", _docx(), "DOCX"),
        ("plan.xlsx", _xlsx(), "XLSX"),
        ("plan.odt", _odt(), "ODT"),
        ("old.doc", _ole("WordDocument"), "DOC"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_document_kind_accepts_each_allowed_kind_by_content(name, content, label):
    assert document_kind(upload(name, content)).label == label


def _refusal(name: str, content: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as refused:
        document_kind(upload(name, content))
    return refused.value


@pytest.mark.parametrize(
    "name, content, code",
    [
        ("agreement.pdf", HTML, "document_kind"),  # a page with a script, renamed
        ("agreement.html", HTML, "document_kind"),
        ("agreement.docx", PLAIN_ZIP_NAMED_DOCX, "document_kind"),
        ("agreement.zip", _zip([("a.txt", b"hello")]), "document_kind"),
        ("plan.odt", _odt(b"application/vnd.oasis.opendocument.spreadsheet"), "document_kind"),
        ("macro.docx", MACRO_DOCX, "document_kind"),
        ("broken.docx", b"PK\x03\x04" + b"\x00" * 100, "document_kind"),
        ("agreement.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "document_kind"),
        ("scan.pdf", PNG, "document_extension"),
        ("agreement.html", PDF, "document_extension"),
        ("agreement", PDF, "document_extension"),
        ("plan.docx", _xlsx(), "document_extension"),
        ("book.doc", _ole("Workbook"), "document_kind"),  # an Excel 97 workbook renamed
        ("broken.doc", OLE_HEADER_ONLY, "document_kind"),
        ("empty.pdf", b"", "document_empty"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)  # fmt: skip
def test_document_kind_refuses_other_content_or_a_name_that_disagrees(name, content, code):
    assert _refusal(name, content).code == code


def test_a_zip_bomb_is_refused_by_its_declared_size_without_unpacking():
    bomb = _declaring(_docx(), "word/document.xml", 600 * 1024 * 1024)

    refused = _refusal("bomb.docx", bomb)

    assert refused.code == "document_unpacks_too_large"
    assert refused.messages == [
        "The file unpacks to more than 512.0\xa0MB, which no document does. "
        "Upload a PDF, DOC, DOCX, ODT, XLSX, JPEG or PNG file."
    ]


class _CountingUpload(SimpleUploadedFile):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bytes_read = 0

    def read(self, *args):
        data = self.file.read(*args)
        self.bytes_read += len(data)
        return data


def test_an_oversized_file_is_refused_before_it_is_read(settings):
    settings.AGREEMENT_DOCUMENT_MAX_BYTES = 1024
    big = _CountingUpload("big.pdf", PDF + b"0" * 2000)

    with pytest.raises(ValidationError) as refused:
        document_kind(big)

    assert refused.value.code == "document_too_large"
    assert refused.value.messages == ["The file is 2.1\xa0KB; a document may be at most 1.0\xa0KB."]
    assert big.bytes_read == 0


def test_the_refusal_names_the_allowed_kinds_in_russian():
    with translation.override("ru"):
        messages = _refusal("agreement.pdf", HTML).messages

    assert messages == [
        "Этот файл — не документ PDF, DOC, DOCX, ODT, XLSX, JPEG или PNG (проверено содержимое, а не только имя)."
    ]


# --- Storage ----------------------------------------------------------------------------------


@pytest.fixture
def parties():
    region = directory_region("73")
    return [(MinistryFactory(region=region), "party"), (OrganizationFactory(region=region), "party")]


def test_a_document_is_stored_under_a_generated_name_and_keeps_its_own_for_display(parties, media):
    with time_machine.travel("2026-03-02 09:00"):
        agreement = agreement_create(
            title="Соглашение Ульяновск — Тула",
            kind=Agreement.Kind.INTERGOVERNMENTAL,
            parties=parties,
            document=upload("../../Текст соглашения (подписан).PDF", PDF),
        )

    agreement.refresh_from_db()
    assert re.fullmatch(r"agreements/2026/[0-9a-f]{32}\.pdf", agreement.document.name)
    assert agreement.document_name == "Текст соглашения (подписан).PDF"
    assert stored_files(media) == [agreement.document.name]
    assert (media / agreement.document.name).read_bytes() == PDF


def test_a_jpeg_named_jpeg_is_stored_as_jpg(parties):
    agreement = agreement_create(
        title="Фото подписания", kind=Agreement.Kind.MEMORANDUM, parties=parties, document=upload("photo.JPEG", JPEG)
    )

    assert agreement.document.name.endswith(".jpg")
    assert agreement.document_name == "photo.JPEG"


def test_the_service_refuses_a_page_renamed_pdf_and_stores_nothing(parties, media):
    agreement = agreement_create(title="Соглашение", kind=Agreement.Kind.INTERGOVERNMENTAL, parties=parties)

    with pytest.raises(ValidationError) as refused:
        agreement_update(agreement=agreement, document=upload("agreement.pdf", HTML))

    assert list(refused.value.message_dict) == ["document"]
    agreement.refresh_from_db()
    assert (agreement.document.name, agreement.document_name) == ("", "")
    assert stored_files(media) == []


def test_clearing_the_document_clears_its_name(parties):
    agreement = agreement_create(
        title="Соглашение", kind=Agreement.Kind.INTERGOVERNMENTAL, parties=parties, document=upload("a.pdf", PDF)
    )

    agreement_update(agreement=agreement, document="")

    agreement.refresh_from_db()
    assert (agreement.document.name, agreement.document_name) == ("", "")


def test_saving_other_fields_does_not_check_a_stored_document_again(parties):
    """A document stored before the check (here: a page) does not block editing the agreement."""
    agreement = agreement_create(title="Соглашение", kind=Agreement.Kind.INTERGOVERNMENTAL, parties=parties)
    Agreement.objects.filter(pk=agreement.pk).update(document="agreements/2024/old.html", document_name="old.html")

    agreement_update(agreement=agreement, summary="Уточнено")

    agreement.refresh_from_db()
    assert (agreement.summary, agreement.document.name) == ("Уточнено", "agreements/2024/old.html")


# --- The admin form ---------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(StaffUserFactory(username="root"))
    return client


def _with_parties(**agreement_fields) -> Agreement:
    agreement = AgreementFactory(**agreement_fields)
    AgreementPartyFactory(agreement=agreement)
    AgreementPartyFactory(agreement=agreement)
    return agreement


def test_the_admin_refuses_a_script_page_with_a_russian_message_and_stores_nothing(admin_client, media):
    agreement = _with_parties(slug="ulyanovsk-tula")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])

    response = _submit(admin_client, url, {"document": upload("agreement.pdf", HTML)})

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["document"] == [
        "Этот файл — не документ PDF, DOC, DOCX, ODT, XLSX, JPEG или PNG (проверено содержимое, а не только имя)."
    ]
    agreement.refresh_from_db()
    assert agreement.document.name == ""
    assert stored_files(media) == []


def test_the_admin_refuses_a_name_that_disagrees_with_the_content(admin_client, media):
    agreement = _with_parties()
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])

    response = _submit(admin_client, url, {"document": upload("scan.pdf", PNG)})

    assert response.context["adminform"].form.errors["document"] == [
        "Файл — документ PNG, но его имя оканчивается на «.pdf»: дайте ему расширение .png."
    ]
    assert stored_files(media) == []


def test_a_name_without_an_extension_is_told_which_to_give():
    with translation.override("ru"):
        messages = _refusal("agreement", PDF).messages

    assert messages == ["Файл — документ PDF, но у его имени нет расширения: дайте ему расширение .pdf."]


def test_the_admin_stores_a_docx_and_links_it_through_the_document_view(admin_client, media):
    agreement = _with_parties(slug="ulyanovsk-tula")
    url = reverse("admin:agreements_agreement_change", args=[agreement.pk])

    response = _submit(admin_client, url, {"document": upload("План мероприятий.docx", _docx())})

    assert response.status_code == 302
    agreement.refresh_from_db()
    assert re.fullmatch(r"agreements/\d{4}/[0-9a-f]{32}\.docx", agreement.document.name)
    assert agreement.document_name == "План мероприятий.docx"
    page = admin_client.get(url).content.decode()
    assert '<a href="/agreements/ulyanovsk-tula/document/">План мероприятий.docx</a>' in page
    assert "/media/" not in page
    assert 'accept=".pdf,.doc,.docx,.odt,.xlsx,.jpg,.jpeg,.png"' in page


def test_staff_who_may_only_view_the_agreement_get_the_document_view_link(client, people):
    users, ministry, company = people
    agreement = _agreement_with_document(
        [(ministry, "party"), (company, "party")], slug="ulyanovsk-tula", is_public=True
    )
    client.force_login(users["staff_of_other"])  # another ministry's staff: the admin page is read only

    page = client.get(reverse("admin:agreements_agreement_change", args=[agreement.pk])).content.decode()

    assert f'<a href="/agreements/ulyanovsk-tula/document/">{agreement.document.name}</a>' in page
    assert "/media/" not in page


# --- The document view: who gets it ----------------------------------------------------------


@pytest.fixture
def people():
    """A ministry party to the agreements, a company party to them, and another ministry's staff."""
    region = directory_region("73")
    ministry, company = MinistryFactory(region=region), OrganizationFactory(region=region)
    representative = UserFactory(username="rep")
    PersonFactory(organization=company, user=representative)
    official = UserFactory(username="official")
    official.groups.add(Group.objects.get(name=roles.OFFICIALS_GROUP))
    users = {
        "anonymous": None,
        "company": representative,
        "official": official,
        "staff_of_party": MinistryStaffFactory(username="staff-party", organization=ministry),
        "staff_of_other": MinistryStaffFactory(username="staff-other", organization=MinistryFactory(region=region)),
    }
    return users, ministry, company


def _agreement_with_document(parties, *, slug: str, is_public: bool) -> Agreement:
    agreement = agreement_create(
        title="Соглашение Ульяновск — Тула",
        slug=slug,
        kind=Agreement.Kind.INTERGOVERNMENTAL,
        parties=parties,
        document=upload("Текст.pdf", PDF),
        is_public=is_public,
    )
    return agreement


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


# Written out: who sees the agreement page sees its document; a hidden one is a 404 like a missing one.
MATRIX = {
    ("anonymous", "public"): 200,
    ("anonymous", "hidden"): 404,
    ("company", "public"): 200,
    ("company", "hidden"): 404,  # even as a party: the company sees only what is published
    ("official", "public"): 200,
    ("official", "hidden"): 200,
    ("staff_of_party", "public"): 200,
    ("staff_of_party", "hidden"): 200,
    ("staff_of_other", "public"): 200,
    ("staff_of_other", "hidden"): 200,  # staff see unpublished records, as on the status page
}
EXPECTED_HEADERS = {
    "Content-Type": "application/pdf",
    "Content-Disposition": (
        "attachment; filename=\"ulyanovsk-tula.pdf\"; filename*=UTF-8''%D1%81%D0%BE%D0%B3%D0%BB%D0%B0%D1%88"
        "%D0%B5%D0%BD%D0%B8%D0%B5-%D1%83%D0%BB%D1%8C%D1%8F%D0%BD%D0%BE%D0%B2%D1%81%D0%BA-%D1%82%D1%83%D0%BB%D0%B0.pdf"
    ),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private",
}


@pytest.mark.parametrize("role, variant", list(MATRIX))
def test_document_view_matrix(client, people, role, variant):
    users, ministry, company = people
    parties = [(ministry, "party"), (company, "supplier")]
    _agreement_with_document(parties, slug="ulyanovsk-tula", is_public=True)
    # the hidden one has the same title: the file name tells nothing of which was asked for
    hidden = _agreement_with_document(parties, slug="ulyanovsk-tula-hidden", is_public=False)
    slug = {"public": "ulyanovsk-tula", "hidden": hidden.slug}[variant]

    response = _get(client, users[role], f"/agreements/{slug}/document/")

    assert response.status_code == MATRIX[role, variant]
    if response.status_code == 200:
        disposition = EXPECTED_HEADERS["Content-Disposition"].replace("ulyanovsk-tula.pdf", f"{slug}.pdf")
        assert {name: response[name] for name in EXPECTED_HEADERS} == {
            **EXPECTED_HEADERS,
            "Content-Disposition": disposition,
        }
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Length"] == str(len(PDF))
        assert "X-Accel-Redirect" not in response


def test_a_hidden_document_is_indistinguishable_from_a_missing_one(client, people):
    users, ministry, company = people
    _agreement_with_document([(ministry, "party"), (company, "party")], slug="hidden-one", is_public=False)

    hidden = _get(client, users["company"], "/agreements/hidden-one/document/")
    missing = _get(client, users["company"], "/agreements/no-such-one/document/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.content.decode().replace("hidden-one", "SLUG") == missing.content.decode().replace(
        "no-such-one", "SLUG"
    )


def test_an_agreement_without_a_document_or_whose_file_is_gone_gives_404(client, people, media):
    users, ministry, company = people
    _with_parties(slug="no-document")
    gone = _agreement_with_document([(ministry, "party"), (company, "party")], slug="gone", is_public=True)
    (media / gone.document.name).unlink()

    assert client.get("/agreements/no-document/document/").status_code == 404
    assert client.get("/agreements/gone/document/").status_code == 404


def test_the_document_view_answers_only_reads(client, people):
    users, ministry, company = people
    _agreement_with_document([(ministry, "party"), (company, "party")], slug="ulyanovsk-tula", is_public=True)

    assert client.post("/agreements/ulyanovsk-tula/document/").status_code == 405


def test_a_document_stored_before_the_check_is_sent_as_opaque_bytes(client, people, media):
    """An old upload (a page named .html) is still only a download: no type a browser would render."""
    users, ministry, company = people
    agreement = _agreement_with_document([(ministry, "party"), (company, "party")], slug="old", is_public=True)
    (media / "agreements/2024").mkdir(parents=True)
    (media / "agreements/2024/evil.html").write_bytes(HTML)
    Agreement.objects.filter(pk=agreement.pk).update(document="agreements/2024/evil.html")

    response = client.get("/agreements/old/document/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith('attachment; filename="old"; ')
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_behind_nginx_the_view_hands_the_file_off_with_x_accel_redirect(client, people, settings):
    settings.DOCUMENTS_X_ACCEL_REDIRECT = "/protected-media/"
    users, ministry, company = people
    parties = [(ministry, "party"), (company, "party")]
    agreement = _agreement_with_document(parties, slug="ulyanovsk-tula", is_public=True)

    response = client.get("/agreements/ulyanovsk-tula/document/")

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{agreement.document.name}"
    assert re.fullmatch(r"/protected-media/agreements/\d{4}/[0-9a-f]{32}\.pdf", response["X-Accel-Redirect"])
    assert response.content == b""
    assert {name: response[name] for name in EXPECTED_HEADERS} == EXPECTED_HEADERS


def test_behind_nginx_a_hidden_document_is_still_404(client, people, settings):
    settings.DOCUMENTS_X_ACCEL_REDIRECT = "/protected-media/"
    users, ministry, company = people
    _agreement_with_document([(ministry, "party"), (company, "party")], slug="hidden-one", is_public=False)

    response = client.get("/agreements/hidden-one/document/")

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


# --- Links: the status page and the API ------------------------------------------------------


def test_the_status_page_links_the_document_view_with_the_original_name(client, people):
    users, ministry, company = people
    _agreement_with_document([(ministry, "party"), (company, "party")], slug="ulyanovsk-tula", is_public=True)

    html = html_of(client.get("/agreements/ulyanovsk-tula/"))

    link = '<a href="/agreements/ulyanovsk-tula/document/" download>Скачать текст</a>'
    assert f'{link} <span class="muted">(Текст.pdf)</span>' in html
    assert "/media/" not in html


def test_the_api_gives_the_document_view_address(client, people):
    users, ministry, company = people
    _agreement_with_document([(ministry, "party"), (company, "party")], slug="ulyanovsk-tula", is_public=True)
    _with_parties(slug="no-document")

    with_document = client.get("/api/v1/agreements/ulyanovsk-tula/").json()
    without = client.get("/api/v1/agreements/no-document/").json()

    assert with_document["document_url"] == "http://testserver/agreements/ulyanovsk-tula/document/"
    assert without["document_url"] is None


def test_media_is_served_by_no_url_even_in_debug():
    try:
        with override_settings(DEBUG=True):
            clear_url_caches()
            importlib.reload(config.urls)
            with pytest.raises(Resolver404):
                resolve("/media/agreements/2026/0123456789abcdef0123456789abcdef.pdf")
    finally:
        importlib.reload(config.urls)
        clear_url_caches()
