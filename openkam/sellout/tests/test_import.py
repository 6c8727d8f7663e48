"""`kam import sellout`: every line imported, rejected with a reason or a duplicate; importing
twice changes nothing; a failure or a crash leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.sellout import importer
from openkam.sellout.models import SelloutImport, SelloutMonth, SelloutSummary
from openkam.sellout.services import sellout_recompute

HEADER = "account,store,period,shoppers,visits,units,value,currency\n"


def _file(tmp_path: Path, body: str, name: str = "sellout.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def _published_rows() -> list[dict]:
    area = importer.fact_area()
    rows = []
    for batch_id in sorted(area.published_batch_ids()):
        rows += pq.read_table(next(area.batch_dir(batch_id).glob("*.parquet"))).to_pylist()
    return sorted(rows, key=lambda r: (r["store"], r["period"]))


GOOD = (
    "C-1,Bangkok 1,2025-01,100,200,50,2000.00,USD\n"
    "Own Mart,Bangkok 1,2025-02-15,110,242,,2662.00,\n"
)


@pytest.mark.django_db
def test_lines_are_imported_rejected_or_duplicates(world, users, tmp_path):
    path = _file(
        tmp_path,
        GOOD
        + "C-1,Bangkok 1,2025-01,100,200,50,2000.00,USD\n"  # line 4: same as line 2
        + "C-1,Bangkok 1,2025-01,101,200,50,2000.00,USD\n"  # line 5: other figures
        + "Nobody,Store,2025-01,1,1,,1.00,\n"  # line 6
        + "C-3,Store,2025-01,1,1,,1.00,\n"  # line 7: kam2's account
        + "C-1,,2025-01,1,1,,1.00,\n"  # line 8: no store
        + "C-1,Store,2025-13,1,1,,1.00,\n"  # line 9
        + "C-1,Store,2025-03,5,4,,1.00,\n"  # line 10: fewer visits than shoppers
        + "C-1,Store,2025-03,1,1,,-1.00,\n"  # line 11
        + "C-1,Store,2025-03,1,1,,1.00,XYZ\n",  # line 12
    )
    batch = importer.import_sellout(path, actor=users["kam1"])
    assert (batch.rows_read, batch.imported, batch.rejected, batch.duplicates) == (11, 2, 8, 1)
    assert batch.rows_read == batch.imported + batch.rejected + batch.duplicates
    rejects = batch.rejects_csv.splitlines()
    assert rejects[0].startswith("line,reason,account")
    assert [line.split(",", 1)[0] for line in rejects[1:]] == [str(n) for n in range(4, 13)]
    assert "the same line as line 2" in rejects[1]
    assert "line 2 has other figures" in rejects[2]
    assert "may not import sell-out" in rejects[4]
    rows = _published_rows()
    assert [(r["store"], r["period"], r["shoppers"], r["value_rc"]) for r in rows] == [
        ("Bangkok 1", dt.date(2025, 1, 1), 100, Decimal("2000.00")),
        ("Bangkok 1", dt.date(2025, 2, 1), 110, Decimal("2662.00")),
    ]
    assert {r["batch_id"] for r in rows} == {batch.pk}


@pytest.mark.django_db
def test_importing_twice_changes_nothing(world, users, tmp_path):
    path = _file(tmp_path, GOOD)
    first = importer.import_sellout(path, actor=users["kam1"])
    before = _published_rows()
    again = importer.import_sellout(path, actor=users["kam1"])
    assert (again.imported, again.duplicates, again.rejected) == (0, 2, 0)
    assert _published_rows() == before
    assert importer.fact_area().published_batch_ids() == {first.pk}
    changed = _file(tmp_path, "C-1,Bangkok 1,2025-01,100,200,50,2100.00,USD\n", "changed.csv")
    conflict = importer.import_sellout(changed, actor=users["kam1"])
    assert conflict.rejected == 1
    assert f"import #{first.pk}" in conflict.rejects_csv


@pytest.mark.django_db
def test_a_failure_while_publishing_leaves_nothing(world, users, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(importer, "_write_parquet", broken)
    with pytest.raises(OSError):
        importer.import_sellout(_file(tmp_path, GOOD), actor=users["kam1"])
    assert not SelloutImport.objects.exists()
    area = importer.fact_area()
    assert area.published_batch_ids() == set()
    assert not any(area._staging.iterdir())


@pytest.mark.django_db
def test_a_crash_after_publishing_is_cleaned_up_by_the_next_import(world, users, tmp_path):
    # a batch on disk that the database never committed (the crash came between the rename
    # and the commit), and a staging folder: the next import removes both and imports cleanly
    area = importer.fact_area()
    staging = area.new_staging_dir(999)
    (staging / "part-0.parquet").write_bytes(b"half")
    orphan = area.new_staging_dir(998)
    importer._write_parquet(orphan, 998, [])
    area.publish(orphan, 998)
    batch = importer.import_sellout(_file(tmp_path, GOOD), actor=users["kam1"])
    assert area.published_batch_ids() == {batch.pk}
    assert not any(area._staging.iterdir())
    assert len(_published_rows()) == 2


@pytest.mark.django_db
def test_who_may_import_and_what_the_file_needs(world, users, tmp_path):
    with pytest.raises(PermissionDenied):
        importer.import_sellout(_file(tmp_path, GOOD), actor=users["viewer"])
    bad = tmp_path / "bad.csv"
    bad.write_text("account,store,value\nC-1,X,1\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="missing columns period, shoppers, visits"):
        importer.import_sellout(bad, actor=users["kam1"])


@pytest.mark.django_db
def test_recompute_stores_months_and_the_lever_split(world, users, tmp_path):
    body = "".join(
        f"C-1,Bangkok 1,{year}-{month:02d},{shoppers},{shoppers * 2},,{shoppers * 20}.00,\n"
        for year, shoppers in ((2024, 100), (2025, 150))
        for month in range(1, 13)
    )
    importer.import_sellout(_file(tmp_path, body), actor=users["kam1"])
    result = sellout_recompute()
    assert (result.accounts, result.months) == (1, 24)
    assert SelloutMonth.objects.filter(account=world["own"]).count() == 24
    summary = SelloutSummary.objects.get(account=world["own"])
    # 12 × 100 × 2 × 10.00 = 24,000.00 → 36,000.00: all of it more shoppers
    assert (summary.value_before, summary.value_after) == (Decimal("24000.00"), Decimal("36000"))
    assert (summary.shoppers, summary.frequency, summary.spend) == (Decimal("12000"), 0, 0)


@pytest.mark.django_db
def test_the_command_prints_a_summary_and_writes_the_rejects(world, users, tmp_path, settings):
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = _file(tmp_path, GOOD + "Nobody,Store,2025-01,1,1,,1.00,\n")
    out = StringIO()
    call_command("import", "sellout", str(path), "--as", "kam1", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["read"], summary["imported"], summary["rejected"]) == (3, 2, 1)
    assert Path(summary["rejects_path"]).read_text().count("\n") == 2
    with pytest.raises(CommandError, match="Say who imports"):
        call_command("import", "sellout", str(path))
