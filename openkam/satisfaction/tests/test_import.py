"""`kam import surveys`: every line imported, rejected with a reason or counted as a duplicate;
the same file twice makes nothing new; Excel files read like CSV; one transaction."""

from __future__ import annotations

import csv
import datetime as dt
import json
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from openkam.core.models import ChangeLogEntry
from openkam.satisfaction import reasons
from openkam.satisfaction.importer import import_surveys
from openkam.satisfaction.models import Source, SurveyResponse
from openkam.stakeholders.services import stakeholder_create

pytestmark = pytest.mark.django_db

HEADER = ["date", "account", "stakeholder", "csat", "nps", "comment"]
GOOD = [
    ["2026-05-04", "C-1", "Buyer of Own Mart", "4", "9", "Fast deliveries"],
    ["2026-05-05", "Own Mart", "anna@ownmart.example", "", "3", ""],
    ["2026-05-06 10:30", "C-4", "", "2", "", "anonymous, unhappy"],
]


@pytest.fixture
def anna(users, world):
    return stakeholder_create(
        actor=users["director"],
        account=world["own"],
        data={"name": "Anna Lee", "email": "anna@ownmart.example"},
    )


def write_csv(tmp_path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    path = tmp_path / "surveys.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows([HEADER, *rows])
    return path


def test_a_good_file_is_imported_with_change_log(users, world, anna, tmp_path):
    result = import_surveys(write_csv(tmp_path, GOOD), actor=users["kam1"])
    assert (result.read, result.imported, result.rejected, result.duplicates) == (3, 3, 0, 0)
    assert result.rejects_path is None
    first = SurveyResponse.objects.get(comment="Fast deliveries")
    assert first.account == world["own"] and first.stakeholder == world["own_person"]
    assert (first.csat, first.nps, first.answered_on) == (4, 9, dt.date(2026, 5, 4))
    assert first.source == Source.IMPORTED and len(first.source_key) == 64
    by_mail = SurveyResponse.objects.get(stakeholder=anna)
    assert (by_mail.csat, by_mail.nps) == (None, 3)
    anonymous = SurveyResponse.objects.get(account=world["shared"])
    assert anonymous.stakeholder is None and anonymous.answered_on == dt.date(2026, 5, 6)
    assert ChangeLogEntry.objects.filter(object_id=first.pk, action="create").exists()


def test_semicolons_are_read_too(users, world, anna, tmp_path):
    result = import_surveys(write_csv(tmp_path, GOOD, delimiter=";"), actor=users["kam1"])
    assert result.imported == 3


def test_every_kind_of_bad_line_is_rejected_with_its_reason(users, world, anna, tmp_path):
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    stakeholder_create(actor=users["director"], account=world["own"], data={"name": "Anna Lee"})
    rows = [
        ["", "C-1", "", "4", "", ""],
        ["04.05.2026", "C-1", "", "4", "", ""],
        [future, "C-1", "", "4", "", ""],
        ["2026-05-04", "", "", "4", "", ""],
        ["2026-05-04", "Nobody Ltd", "", "4", "", ""],
        ["2026-05-04", "C-3", "", "4", "", ""],  # kam1 is not on its team
        ["2026-05-04", "C-1", "Somebody Unknown", "4", "", ""],
        ["2026-05-04", "C-1", "Buyer of Foreign Foods", "4", "", ""],
        ["2026-05-04", "C-1", "Anna Lee", "4", "", ""],  # two people of that name
        ["2026-05-04", "C-1", "", "6", "", ""],
        ["2026-05-04", "C-1", "", "", "eleven", ""],
        ["2026-05-04", "C-1", "", "", "", "no score"],
        GOOD[0],
        GOOD[0],
    ]
    result = import_surveys(write_csv(tmp_path, rows), actor=users["kam1"])
    assert (result.read, result.imported, result.rejected, result.duplicates) == (14, 1, 12, 1)
    assert result.read == result.imported + result.rejected + result.duplicates
    assert result.reasons == {
        reasons.NO_DATE: 1,
        reasons.NOT_A_DATE: 1,
        reasons.FUTURE_DATE: 1,
        reasons.NO_ACCOUNT: 1,
        reasons.UNKNOWN_ACCOUNT: 1,
        reasons.ACCOUNT_NOT_ALLOWED: 1,
        reasons.UNKNOWN_STAKEHOLDER: 1,
        reasons.FOREIGN_STAKEHOLDER: 1,
        reasons.AMBIGUOUS_STAKEHOLDER: 1,
        reasons.NOT_A_CSAT: 1,
        reasons.NOT_AN_NPS: 1,
        reasons.NO_SCORE: 1,
        reasons.DUPLICATE_IN_FILE: 1,
    }
    with result.rejects_path.open(encoding="utf-8") as f:
        rejects = list(csv.reader(f))
    assert rejects[0] == ["line", "reason", *HEADER]
    by_line = {row[0]: row for row in rejects[1:]}
    assert by_line["6"][1] == 'no account has the external id or name "Nobody Ltd"'
    assert by_line["6"][2:] == rows[4]
    assert by_line["9"][1] == (
        'stakeholder "Buyer of Foreign Foods" works at Foreign Foods, not at this account'
    )
    assert by_line["15"][1] == "the same answer as line 14"
    assert len(rejects) == 1 + 13


def test_ambiguous_accounts_ask_for_the_external_id(users, world, tmp_path):
    from openkam.accounts.services import account_create

    for number in ("C-9", "C-10"):
        account_create(
            actor=users["director"],
            data={"name": "Twin Mart", "external_id": number, "reporting_currency": "THB"},
            owner=users["kam1"],
        )
    result = import_surveys(
        write_csv(tmp_path, [["2026-05-04", "Twin Mart", "", "4", "", ""]]), actor=users["kam1"]
    )
    assert result.reasons == {reasons.AMBIGUOUS_ACCOUNT: 1}


def test_importing_the_same_file_twice_makes_nothing_new(users, world, anna, tmp_path):
    path = write_csv(tmp_path, GOOD)
    import_surveys(path, actor=users["kam1"])
    again = import_surveys(path, actor=users["kam1"])
    assert (again.read, again.imported, again.duplicates) == (3, 0, 3)
    assert again.reasons == {reasons.ALREADY_IMPORTED: 3}
    assert SurveyResponse.objects.count() == 3


def test_an_excel_file_with_date_cells(users, world, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([h.upper() for h in HEADER])
    sheet.append([dt.date(2026, 4, 1), "C-1", "Buyer of Own Mart", 5, 10, "great"])
    naive_cell = dt.datetime(2026, 4, 2, 14, 0)  # noqa: DTZ001 -- Excel cells have no zone
    sheet.append([naive_cell, "C-1", None, 3.0, None, None])
    path = tmp_path / "surveys.xlsx"
    workbook.save(path)
    result = import_surveys(path, actor=users["kam1"])
    assert (result.imported, result.rejected) == (2, 0)
    second = SurveyResponse.objects.get(answered_on=dt.date(2026, 4, 2))
    assert (second.csat, second.nps, second.stakeholder) == (3, None, None)


def test_missing_columns_and_no_right_stop_the_whole_file(users, world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,account,comment\n2026-05-04,C-1,x\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="missing columns"):
        import_surveys(path, actor=users["kam1"])
    with pytest.raises(PermissionDenied):
        import_surveys(write_csv(tmp_path, GOOD), actor=users["viewer"])
    assert not SurveyResponse.objects.exists()


def test_marketing_imports_for_every_account(users, world, anna, tmp_path):
    rows = [*GOOD, ["2026-05-04", "C-3", "Buyer of Foreign Foods", "5", "10", ""]]
    result = import_surveys(write_csv(tmp_path, rows), actor=users["marketing"])
    assert (result.imported, result.rejected) == (4, 0)


def test_the_command(users, world, anna, tmp_path):
    path = write_csv(tmp_path, [*GOOD, ["2026-05-04", "Nobody Ltd", "", "4", "", ""]])
    out = StringIO()
    call_command("import", "surveys", str(path), "--as", "kam1", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert (summary["read"], summary["imported"], summary["rejected"]) == (4, 3, 1)
    assert summary["reasons"] == {reasons.UNKNOWN_ACCOUNT: 1}
    out = StringIO()
    call_command("import", "surveys", str(path), "--as", "kam1", stdout=out)
    text = out.getvalue()
    assert "read 4, imported 0, rejected 1, duplicates 3" in text
    assert "Rejected lines, with reasons:" in text
    with pytest.raises(CommandError, match="--as USERNAME"):
        call_command("import", "surveys", str(path))
    with pytest.raises(CommandError, match="No active user"):
        call_command("import", "surveys", str(path), "--as", "nobody")
