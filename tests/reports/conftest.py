"""Shared helpers of the report tests: reading a figure off a report page, a PDF's text and pages."""

import os
import re
import shutil
import subprocess

import pytest

from config.portal.reports.render import pango_available
from tests.conftest import require_service


def figure(html: str, key: str) -> str:
    """The value cell of the report's row `data-figure="key"`, its tags and spacing removed."""
    match = re.search(rf'<tr data-figure="{re.escape(key)}">.*?<td class="num">(.*?)</td>', html, re.S)
    assert match, key
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match[1])).strip()


def row_cells(html: str, attribute: str, value: str) -> list[str]:
    """The texts of the cells of the table row with `attribute="value"`."""
    match = re.search(rf'<tr {attribute}="{re.escape(value)}">(.*?)</tr>', html, re.S)
    assert match, value
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", match[1], re.S)
    ]


def _require(available: bool, reason: str) -> None:
    """Skip without the tool on a developer's machine; under CI (CI=true or REQUIRE_SERVICES=1) fail."""
    if not available and os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    require_service(available, reason)


@pytest.fixture
def pdf_tools():
    """WeasyPrint needs Pango, and the tests read the PDFs with poppler-utils (pdftotext, pdfinfo)."""
    _require(pango_available(), "WeasyPrint cannot load Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    _require(
        bool(shutil.which("pdftotext") and shutil.which("pdfinfo")),
        "no pdftotext/pdfinfo: apt-get install poppler-utils",
    )


def pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def pdf_pages(path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


def pdf_footers(path) -> list[str]:
    """The last line of each page (its footer), spaces squeezed: "1 / 3", "2 / 3"…"""
    pages = pdf_text(path).split("\f")
    footers = []
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        if lines:
            footers.append(re.sub(r"\s*/\s*", " / ", lines[-1]))
    return footers
