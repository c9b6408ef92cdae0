"""The PDF renderer fetches only the portal's own static files, from disk; every other address is refused."""

import pytest
from django.conf import settings

from companies.rendering import pdf_bytes, static_file_path
from config.portal.reports.render import sheet_title

from .conftest import pdf_text

BASE = "http://portal.example/"


def test_static_file_path_serves_the_portals_stylesheet_from_disk():
    path = static_file_path(BASE + "static/css/print-report.css", BASE)

    assert path == settings.BASE_DIR / "static" / "css" / "print-report.css"


def test_static_file_path_serves_a_hashed_name_from_the_collected_files(settings, tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print-report.0123abcd.css").write_text("body { color: #000 }")
    settings.STATIC_ROOT = tmp_path

    path = static_file_path(BASE + "static/css/print-report.0123abcd.css", BASE)

    assert path == tmp_path / "css" / "print-report.0123abcd.css"


@pytest.mark.parametrize(
    "url",
    [
        "http://elsewhere.example/static/css/print-report.css",  # another host
        "https://portal.example/static/css/print-report.css",  # another scheme
        "http://portal.example/media/secret.pdf",  # not a static file
        "http://portal.example/static/../config/settings.py",
        "http://portal.example/static/%2e%2e/config/settings.py",
        "file:///etc/passwd",
        "http://portal.example/static/css/no-such-file.css",
    ],
)
def test_static_file_path_refuses_everything_else(url):
    assert static_file_path(url, BASE) is None


def test_pdf_renderer_never_fetches_an_outside_address(pdf_tools, tmp_path, monkeypatch):
    import urllib.request

    opened = []

    def no_network(self, url, *args, **kwargs):
        opened.append(getattr(url, "full_url", url))
        raise OSError("no network in the tests")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    html = (
        '<html><head><link rel="stylesheet" href="http://evil.example/x.css">'
        '<link rel="stylesheet" href="/static/css/print-report.css"></head>'
        '<body><img src="file:///etc/hostname"><p>Проверка шрифта: Съешь же ещё этих мягких булок</p></body></html>'
    )

    path = tmp_path / "x.pdf"
    path.write_bytes(pdf_bytes(html, base_url=BASE))

    assert opened == []
    assert "Съешь же ещё этих мягких булок" in pdf_text(path)


def test_sheet_titles_follow_excels_rules():
    taken = set()

    assert sheet_title("Итоги: 2025/2026 [черновик]?", taken) == "Итоги  2025 2026  черновик"
    assert (
        sheet_title("Очень длинное название листа, длиннее тридцати одного знака", taken)
        == "Очень длинное название листа, д"
    )
    assert (
        sheet_title("Очень длинное название листа, длиннее тридцати одного знака", taken)
        == "Очень длинное название лист (2)"
    )


@pytest.mark.parametrize("path", ["Dockerfile", ".ci/run"])
def test_the_image_and_ci_install_what_the_pdfs_need(path):
    text = (settings.BASE_DIR / path).read_text()

    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core"):
        assert package in text
    if path == ".ci/run":
        assert "poppler-utils" in text  # the tests read the PDFs with pdftotext and pdfinfo
