"""The benchmark's fast pieces: its statistics, its table, the document it writes, the bench-only views."""

import importlib

import pytest
from django.test import RequestFactory
from django.urls import Resolver404, clear_url_caches, resolve

import config.urls
from config import bench
from tests.bench import run_bench
from tests.factories import OrganizationFactory


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 21)]  # 1 … 20

    assert run_bench.percentile(values, 0.95) == 19.0
    assert run_bench.percentile(values, 0.5) == 10.0
    assert run_bench.percentile([7.0], 0.95) == 7.0


def test_table_gives_each_page_its_ratio_to_the_floor_and_to_the_stock_admin():
    rows = [
        {"name": "floor", "url": "/bench/floor/", "status": 200, "queries": 1, "kb": 0.2, "median": 2.0, "p95": 2.5,
         "rps": 800, "n": 30},
        {"name": "admin meetings", "url": "/admin/missions/meeting/", "status": 200, "queries": 9, "kb": 60.4,
         "median": 40.0, "p95": 50.0, "rps": 90, "n": 30, "versus": "stock admin meetings"},
        {"name": "stock admin meetings", "url": "/bench/stock-admin/missions/meeting/", "status": 200, "queries": None,
         "kb": 30.0, "median": 900.0, "p95": 1000.0, "rps": 4, "n": 3},
    ]  # fmt: skip

    table = run_bench.table_markdown(rows, 2.5, {"stock admin meetings": 1000.0})

    assert table.splitlines()[2:] == [
        "| floor | `/bench/floor/` | 200 | 1 | 0 | 2.0 | 2.5 | 30 | 1.0 | 800.0 |",
        "| admin meetings (20.0 × faster than the stock admin) | `/admin/missions/meeting/` | 200 | 9 | 60 | 40.0 "
        "| 50.0 | 30 | 20.0 | 90.0 |",
        "| stock admin meetings | `/bench/stock-admin/missions/meeting/` | 200 | — | 30 | 900.0 | 1000.0 | 3 | 400.0 "
        "| 4.0 |",
    ]  # fmt: skip


def test_jobs_table_gives_each_step_its_seconds_the_counts_and_the_memory_over_the_start():
    table = run_bench.jobs_markdown(
        [
            {"name": "follow-up scan", "target": "≤ 50 ms", "job": "scan", "n": 0, "baseline_mb": 156.0,
             "select_batch_s": 0.027, "batch_rows": 500, "written": 62127, "scan_s": 74.3, "peak_mb": 199.7},
            {"name": "export 50,000", "target": "1.5 ×", "job": "export", "n": 50000, "baseline_mb": 150.0,
             "rows": 50000, "export_s": 85.0, "file_kb": 2051, "peak_mb": 177.5},
            {"name": "import", "target": "≤ 30 s", "error": "Traceback …\nValueError: no mission"},
        ]
    )  # fmt: skip

    assert table.splitlines()[2:] == [
        "| follow-up scan | — | select batch 0.03 s, scan 74.30 s; batch rows 500, written 62,127 | 200 (44) "
        "| ≤ 50 ms |",
        "| export 50,000 | 50,000 | export 85.00 s | 178 (28) | 1.5 × |",
        "| import | — | failed: ValueError: no mission | — | ≤ 30 s |",
    ]


def test_doc_write_replaces_only_the_text_between_the_markers(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n\nBefore.\n\n<!-- BENCH:BEGIN -->\nold table\n<!-- BENCH:END -->\n\nAfter.\n")

    run_bench.doc_write("new table", doc)

    assert doc.read_text() == (
        "# Performance\n\nBefore.\n\n<!-- BENCH:BEGIN -->\nnew table\n<!-- BENCH:END -->\n\nAfter.\n"
    )


def test_doc_write_appends_the_markers_to_a_document_without_them(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text("# Performance\n")

    run_bench.doc_write("a table", doc)

    assert doc.read_text() == "# Performance\n\n<!-- BENCH:BEGIN -->\na table\n<!-- BENCH:END -->\n"


@pytest.mark.django_db
def test_floor_view_runs_one_query_and_the_middleware_counts_it(django_assert_num_queries):
    OrganizationFactory(name="Пол завод")
    request = RequestFactory().get("/bench/floor/")
    middleware = bench.QueryCountMiddleware(bench.floor)

    with django_assert_num_queries(1):
        response = middleware(request)

    assert response.status_code == 200
    assert "Пол завод" in response.content.decode()
    assert response[bench.QUERIES_HEADER] == "1"


def test_bench_urls_are_absent_unless_enabled():
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")
    with pytest.raises(Resolver404):
        resolve("/bench/stock-admin/missions/meeting/")


def test_bench_urls_answer_when_enabled(settings):
    settings.BENCH = True
    clear_url_caches()
    importlib.reload(config.urls)
    try:
        assert resolve("/bench/floor/").func is bench.floor
        assert resolve("/bench/stock-admin/missions/meeting/").url_name == "missions_meeting_changelist"
    finally:
        settings.BENCH = False
        clear_url_caches()
        importlib.reload(config.urls)
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")
