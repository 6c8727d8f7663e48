"""`kam import activities`: every line imported, rejected with a reason or counted as a
duplicate; the same file twice makes nothing new; Excel files read like CSV."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from openkam.activities import reasons
from openkam.activities.importer import import_activities
from openkam.activities.models import Activity
from openkam.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db

HEADER = ["date", "account", "kind", "subject", "attendees", "duration", "purpose", "notes"]
GOOD = [
    ["2026-05-04 10:30", "C-1", "visit", "Shelf review", "kam1; Buyer of Own Mart", "90", "", "ok"],
    [
        "2026-05-05",
        "Own Mart",
        "Business review (QBR)",
        "Q2 review",
        "kam1",
        "",
        "new business",
        "",
    ],
    ["2026-05-06T08:00:00+07:00", "C-4", "Golf", "Golf day", "Buyer of Shared Stores", "", "", ""],
]


def write_csv(tmp_path: Path, rows: list[list[str]], name: str = "activities.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def test_a_good_file_is_imported_with_people_and_change_log(users, world, tmp_path):
    result = import_activities(write_csv(tmp_path, GOOD), actor=users["kam1"])
    assert (result.read, result.imported, result.rejected, result.duplicates) == (3, 3, 0, 0)
    assert result.rejects_path is None
    visit = Activity.objects.get(subject="Shelf review")
    assert visit.account == world["own"] and visit.kind.code == "visit"
    assert visit.duration_minutes == 90 and visit.notes == "ok" and visit.author == users["kam1"]
    assert list(visit.our_people.all()) == [users["kam1"]]
    assert list(visit.their_people.all()) == [world["own_person"]]
    review = Activity.objects.get(subject="Q2 review")
    assert review.purpose == "new_business" and review.duration_minutes == 30
    assert timezone.localtime(review.occurred_at).time() == dt.time(9, 0)
    golf = Activity.objects.get(subject="Golf day")
    assert golf.occurred_at == dt.datetime(2026, 5, 6, 1, 0, tzinfo=dt.UTC)
    assert ChangeLogEntry.objects.filter(object_id=visit.pk, action="create").exists()


def test_every_kind_of_bad_line_is_rejected_with_its_reason(users, world, tmp_path):
    rows = [
        ["2026-05-04", "Nobody Ltd", "visit", "x", "", "", "", ""],
        ["2026-05-04", "C-1", "sauna", "x", "", "", "", ""],
        ["04.05.2026", "C-1", "visit", "x", "", "", "", ""],
        ["2026-05-04", "C-1", "visit", "x", "Somebody Unknown", "", "", ""],
        ["2026-05-04", "C-1", "visit", "x", "Buyer of Foreign Foods", "", "", ""],
        ["2026-05-04", "C-1", "visit", "", "", "", "", ""],
        ["2026-05-04", "C-1", "visit", "x", "", "two hours", "", ""],
        ["2026-05-04", "C-3", "visit", "x", "", "", "", ""],  # kam1 is not on its team
        GOOD[0],
        GOOD[0],
    ]
    result = import_activities(write_csv(tmp_path, rows), actor=users["kam1"])
    assert (result.read, result.imported, result.rejected, result.duplicates) == (10, 1, 8, 1)
    assert result.read == result.imported + result.rejected + result.duplicates
    assert result.reasons == {
        reasons.UNKNOWN_ACCOUNT: 1,
        reasons.UNKNOWN_KIND: 1,
        reasons.NOT_A_DATE: 1,
        reasons.UNKNOWN_ATTENDEE: 1,
        reasons.FOREIGN_ATTENDEE: 1,
        reasons.NO_SUBJECT: 1,
        reasons.NOT_A_DURATION: 1,
        reasons.ACCOUNT_NOT_ALLOWED: 1,
        reasons.DUPLICATE_IN_FILE: 1,
    }
    with result.rejects_path.open(encoding="utf-8") as f:
        rejects = list(csv.reader(f))
    assert rejects[0] == ["line", "reason", *HEADER]
    by_line = {row[0]: row for row in rejects[1:]}
    assert by_line["2"][1] == 'no account has the external id or name "Nobody Ltd"'
    assert by_line["2"][2:] == rows[0]
    assert by_line["6"][1] == (
        'attendee "Buyer of Foreign Foods" works at Foreign Foods, not at this account'
    )
    assert by_line["11"][1] == "the same activity as line 10"
    assert len(rejects) == 1 + 9


def test_importing_the_same_file_twice_makes_nothing_new(users, world, tmp_path):
    path = write_csv(tmp_path, GOOD)
    import_activities(path, actor=users["kam1"])
    again = import_activities(path, actor=users["kam1"])
    assert (again.read, again.imported, again.duplicates) == (3, 0, 3)
    assert again.reasons == {reasons.ALREADY_IMPORTED: 3}
    assert Activity.objects.count() == 3


def test_an_excel_file_with_date_cells(users, world, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([h.capitalize() for h in HEADER])
    naive_cell = dt.datetime(2026, 4, 1, 14, 0)  # noqa: DTZ001 -- Excel cells have no zone
    sheet.append([naive_cell, "C-1", "Dinner", "Dinner", "kam1", 120])
    sheet.append([dt.date(2026, 4, 2), "C-1", "call", "Call back", "", None])
    path = tmp_path / "activities.xlsx"
    workbook.save(path)
    result = import_activities(path, actor=users["kam1"])
    assert (result.read, result.imported) == (2, 2)
    dinner = Activity.objects.get(subject="Dinner")
    assert dinner.duration_minutes == 120 and dinner.kind.is_entertainment


def test_a_user_without_the_permission_imports_nothing(users, world, tmp_path):
    with pytest.raises(PermissionDenied):
        import_activities(write_csv(tmp_path, GOOD), actor=users["viewer"])
    assert not Activity.objects.exists()


def test_the_command_prints_the_summary_and_needs_an_author(users, world, tmp_path, capsys):
    path = write_csv(tmp_path, [*GOOD, ["2026-05-04", "C-1", "sauna", "x", "", "", "", ""]])
    with pytest.raises(CommandError, match="--as USERNAME"):
        call_command("import", "activities", str(path))
    with pytest.raises(CommandError, match="No active user"):
        call_command("import", "activities", str(path), "--as", "ghost")
    call_command("import", "activities", str(path), "--as", "kam1")
    out = capsys.readouterr().out
    assert "read 4, imported 3, rejected 1, duplicates 0" in out
    assert '1 × kind "…" is not one of the activity kinds' in out
    assert "Rejected lines, with reasons:" in out
