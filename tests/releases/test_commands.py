"""extract_release and evaluate_extraction: their output shapes, the gold folder's two forms, errors."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

GOLD_KEYS = [
    "origin_regions",
    "destination_regions",
    "cities",
    "organizations",
    "people",
    "dates",
    "figures",
    "agreements",
]
PLAIN = "Сегодня прошла встреча. Погода была хорошей.\n"


def run(*args, **options):
    out = io.StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_extract_release_prints_one_gold_shaped_line_per_file_in_order(tmp_path):
    first, second = tmp_path / "b.txt", tmp_path / "a.txt"
    first.write_text(PLAIN, encoding="utf-8")
    second.write_bytes(PLAIN.encode("cp1251"))  # an old Windows-1251 file reads too
    lines = run("extract_release", str(first), str(second), json=True).splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == ["b.txt", "a.txt"]
    assert all(list(r["gold"]) == GOLD_KEYS for r in records)
    assert records[0]["gold"]["organizations"] == []


def test_extract_release_refuses_a_missing_file_and_a_bad_date(tmp_path):
    with pytest.raises(CommandError, match="nothing.txt"):
        run("extract_release", str(tmp_path / "nothing.txt"), json=True)
    (tmp_path / "a.txt").write_text(PLAIN, encoding="utf-8")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("extract_release", str(tmp_path / "a.txt"), published="17.09.2025")


def test_evaluate_extraction_reads_text_or_file_and_prints_every_type(tmp_path):
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    (tmp_path / "one.txt").write_text(PLAIN, encoding="utf-8")
    empty = {key: [] for key in GOLD_KEYS}
    (gold_dir / "1.json").write_text(json.dumps({"file": "one.txt", "gold": empty}), encoding="utf-8")
    with_city = dict(empty, cities=["Кудымкар"])
    (gold_dir / "2.json").write_text(json.dumps({"text": PLAIN, "gold": with_city}), encoding="utf-8")
    (gold_dir / "README.md").write_text("not a gold file", encoding="utf-8")

    figures = json.loads(run("evaluate_extraction", str(gold_dir), json=True))
    assert figures["cities"] == {"precision": 1.0, "recall": 0.0, "f1": 0.0, "gold": 1, "predicted": 0, "matched": 0}
    assert figures["figures"]["f1"] == 1.0
    assert {"regions", "origin_regions", "destination_regions", "positions", "agreements"} <= set(figures)

    table = run("evaluate_extraction", str(gold_dir))
    assert table.splitlines()[0].split() == ["type", "gold", "found", "match", "P", "R", "F1"]
    assert 'missed     2.json: "Кудымкар"' in table  # commands speak English (Django deactivates translations)


def test_evaluate_extraction_looks_files_up_in_texts(tmp_path):
    gold_dir, texts = tmp_path / "gold", tmp_path / "elsewhere"
    gold_dir.mkdir()
    texts.mkdir()
    (texts / "one.txt").write_text(PLAIN, encoding="utf-8")
    (gold_dir / "1.json").write_text(json.dumps({"file": "one.txt", "gold": {}}), encoding="utf-8")
    with pytest.raises(CommandError, match="one.txt"):
        run("evaluate_extraction", str(gold_dir), json=True)
    assert json.loads(run("evaluate_extraction", str(gold_dir), texts=str(texts), json=True))["people"]["f1"] == 1.0


def test_evaluate_extraction_refuses_bad_folders(tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        run("evaluate_extraction", str(tmp_path / "missing"))
    with pytest.raises(CommandError, match="No gold files"):
        run("evaluate_extraction", str(tmp_path))
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(CommandError, match="not a JSON file"):
        run("evaluate_extraction", str(tmp_path))
    (tmp_path / "bad.json").write_text('{"gold": {}}', encoding="utf-8")
    with pytest.raises(CommandError, match="neither"):
        run("evaluate_extraction", str(tmp_path))


def test_extract_release_refuses_a_binary_file(tmp_path):
    document = tmp_path / "release.docx"
    document.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    with pytest.raises(CommandError, match="not a plain-text file"):
        run("extract_release", str(document), json=True)
