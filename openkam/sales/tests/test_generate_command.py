"""`kam generate orders`: the command around the synthetic sales-history generator."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from openkam.accounts.models import Account, AccountStatus
from openkam.catalog.models import Product, ProductCategory
from openkam.facts.generate import COLUMNS

END = "2025-06-30"


def _generate(*args: str) -> str:
    out = StringIO()
    call_command("generate", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_writes_synthetic_orders(tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    output = _generate("orders", "--lines", "1500", "--accounts", "40", "--out", str(path))
    assert "Wrote 1,500 order lines for 40 customers" in output
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    rows = _read(path)
    assert len(rows) == 1_500
    assert len({r["Customer No"] for r in rows}) <= 40


def test_json_summary_and_determinism(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    args = ("--lines", "800", "--accounts", "20", "--seed", "9", "--end-date", END, "--json")
    summary = json.loads(_generate("orders", *args, "--out", str(first)))
    _generate("orders", *args, "--out", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert summary["lines"] == 800
    assert summary["customers"] == 20
    assert summary["last_date"] == END
    assert summary["first_date"] == "2022-07-01"
    assert summary["bytes"] == first.stat().st_size
    assert summary["seed"] == 9


@pytest.mark.django_db
def test_from_database_uses_accounts_and_catalogue(tmp_path: Path) -> None:
    accounts = {
        "TH-1": ("Siam Fresh Co., Ltd.", "TH", "THB", AccountStatus.KEY),
        "VN-1": ('Mekong "Retail" JSC', "VN", "VND", AccountStatus.ACTIVE),
        "RS-1": ("Dunav d.o.o.", "RS", "EUR", AccountStatus.LOST),
        "PH-1": ("Luzon Mart Inc.", "PH", "PHP", AccountStatus.PROSPECT),
    }
    for key, (name, country, currency, status) in accounts.items():
        Account.objects.create(
            external_id=key,
            name=name,
            country=country,
            reporting_currency=currency,
            status=status,
        )
    category = ProductCategory.objects.create(name="Coffee & tea", code="COF")
    for number in range(1, 16):
        Product.objects.create(code=f"COF-{number:02d}", name=f"Coffee {number}", category=category)
    Product.objects.create(code="OLD-1", name="Retired", category=category, active=False)
    path = tmp_path / "orders.csv"
    summary = json.loads(
        _generate("orders", "--from-database", "--lines", "900", "--out", str(path), "--json")
    )
    assert summary["customers"] == 3
    assert summary["lost_customers"] == 1
    assert summary["products"] == 15
    rows = _read(path)
    assert len(rows) == 900
    assert {r["Customer No"] for r in rows} == {"TH-1", "VN-1", "RS-1"}
    for row in rows:
        name, country, currency, _status = accounts[row["Customer No"]]
        assert (row["Customer Name"], row["Country"], row["Currency"]) == (name, country, currency)
        assert row["Item Code"].startswith("COF-")
        assert row["Category"] == "Coffee & tea"


@pytest.mark.django_db
def test_from_database_falls_back_to_synthetic_products(tmp_path: Path) -> None:
    Account.objects.create(external_id="A-1", name="Alpha", country="TH", reporting_currency="THB")
    path = tmp_path / "orders.csv"
    err = StringIO()
    call_command(
        "generate", "orders", "--from-database", "--lines", "50", "--out", str(path), stderr=err
    )
    assert "synthetic products" in err.getvalue()
    assert all(r["Item Code"].startswith("SKU-") for r in _read(path))


@pytest.mark.django_db
def test_from_database_needs_accounts(tmp_path: Path) -> None:
    Account.objects.create(name="Maybe", status=AccountStatus.PROSPECT)
    with pytest.raises(CommandError, match="no accounts"):
        _generate("orders", "--from-database", "--out", str(tmp_path / "o.csv"))


def test_rejects_unknown_entities(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"'invoices'.*orders"):
        _generate("invoices", "--out", str(tmp_path / "o.csv"))


def test_rejects_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="does not exist"):
        _generate("orders", "--out", str(tmp_path / "nowhere" / "o.csv"))


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "o.csv"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(CommandError, match="--force"):
        _generate("orders", "--lines", "10", "--accounts", "5", "--out", str(path))
    assert path.read_text(encoding="utf-8") == "keep me"
    _generate("orders", "--lines", "10", "--accounts", "5", "--out", str(path), "--force")
    assert len(_read(path)) == 10


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--lines", "0"), "--lines"),
        (("--years", "0"), "--years"),
        (("--accounts", "0"), "--accounts"),
        (("--accounts", "5", "--from-database"), "cannot be combined"),
        (("--end-date", "30/06/2025"), "YYYY-MM-DD"),
    ],
)
def test_rejects_bad_options(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _generate("orders", "--out", str(tmp_path / "o.csv"), *args)
    assert not (tmp_path / "o.csv").exists()
