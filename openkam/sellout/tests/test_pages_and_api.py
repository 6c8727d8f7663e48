"""The account's sell-out page, the imports page and the API read the stored results."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.plans.models import AccountPlan, ValueProposition
from openkam.sellout.models import SelloutImport, SelloutMonth, SelloutSummary
from openkam.sellout.services import sellout_recompute


@pytest.fixture
def months(world):
    """Own Mart, two stores, 2024 and 2025. North: 100 → 150 shoppers a month (2 visits,
    10.00 a visit); South: same shoppers, 2 → 3 visits each. South-2 opens in 2025."""
    rows = []
    for month in range(1, 13):
        for year, north, south_visits in ((2024, 100, 2), (2025, 150, 3)):
            period = dt.date(year, month, 1)
            rows.append(("North", period, north, north * 2, Decimal(north * 20)))
            rows.append(("South", period, 50, 50 * south_visits, Decimal(50 * south_visits * 10)))
            if year == 2025:
                rows.append(("South-2", period, 10, 10, Decimal(100)))
    SelloutMonth.objects.bulk_create(
        SelloutMonth(account=world["own"], store=s, period=p, shoppers=a, visits=b, value=v)
        for s, p, a, b, v in rows
    )
    return rows


@pytest.mark.django_db
def test_account_page_shows_the_waterfall_stores_and_levers(login, world, months):
    plan = AccountPlan.objects.create(account=world["own"], year=2026, currency="USD")
    ValueProposition.objects.create(
        plan=plan, kind="grow_frequency", description="Weekly promotions", expected_effect="x"
    )
    response = login("kam1").get(reverse("sellout:account", args=[world["own"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "waterfall" in page
    assert "South-2" in page and "Weekly promotions" in page
    found = response.context["found"]
    # 2024: North 24,000.00 + South 12,000.00; 2025: North 36,000 + South 18,000 + South-2 1,200
    assert found.result.total.change == Decimal("19200.00")
    chosen = login("kam1").get(
        reverse("sellout:account", args=[world["own"].pk]),
        {"before": "2024-Q1", "after": "2025-Q1"},
    )
    assert chosen.context["found"].before.key == "2024-Q1"
    wrong = login("kam1").get(
        reverse("sellout:account", args=[world["own"].pk]), {"before": "soon", "after": "2025"}
    )
    assert wrong.status_code == 400


@pytest.mark.django_db
def test_account_page_without_sellout(login, world):
    response = login("kam1").get(reverse("sellout:account", args=[world["own"].pk]))
    assert response.status_code == 200 and response.context["found"] is None


@pytest.mark.django_db
def test_imports_page_lists_the_importers_own(login, users, django_assert_max_num_queries):
    for index in range(5):
        SelloutImport.objects.create(file_name=f"f{index}.csv", created_by=users["kam1"])
    SelloutImport.objects.create(file_name="theirs.csv", created_by=users["kam2"])
    client = login("kam1")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("sellout:imports"))
    names = [b.file_name for b in response.context["page"]]
    assert sorted(names) == [f"f{i}.csv" for i in range(5)]
    everything = login("director").get(reverse("sellout:imports"))
    assert len(everything.context["page"]) == 6


@pytest.mark.django_db
def test_api_decomposition(client, users, world, months):
    client.force_login(users["kam1"])
    url = reverse("api:sellout-decomposition", args=[world["own"].pk])
    data = client.get(url).json()
    total = data["total"]
    parts = sum(Decimal(total[k]) for k in ("shoppers", "frequency", "spend"))
    assert parts == Decimal(total["change"]) == Decimal("19200.00")
    assert {s["store"]: s["status"] for s in data["stores"]}["South-2"] == "new"
    assert client.get(url, {"from": "2024", "to": "2025"}).json()["period_to"] == "2025"
    assert client.get(url, {"from": "2024"}).status_code == 400
    assert client.get(url, {"from": "x", "to": "2025"}).status_code == 400
    foreign = reverse("api:sellout-decomposition", args=[world["foreign"].pk])
    assert client.get(foreign).status_code == 404


@pytest.mark.django_db
def test_the_plan_shows_the_measured_lever(login, world, months):
    SelloutSummary.objects.all().delete()
    plan = AccountPlan.objects.create(account=world["own"], year=2026, currency="USD")
    ValueProposition.objects.create(
        plan=plan, kind="grow_shoppers", description="New range", expected_effect="x"
    )
    # the stored summary, as the background task writes it
    from openkam.sellout.services import _summary

    _summary(world["own"].pk, list(SelloutMonth.objects.filter(account=world["own"]))).save()
    response = login("kam1").get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    assert reverse("sellout:account", args=[world["own"].pk]) in response.content.decode()


@pytest.mark.django_db
def test_recompute_without_any_sellout():
    assert sellout_recompute().accounts == 0


def test_the_decomposition_exports_to_excel_and_csv(login, world, months, tmp_path):
    import openpyxl

    client = login("kam1")
    url = reverse("sellout:account", args=[world["own"].pk])
    assert "export-sellout" in client.get(url).content.decode()
    response = client.get(url, {"format": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="sellout-')
    path = tmp_path / "sellout.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows()]
    assert rows[0][:2] == ["Store or channel", "Status"] and rows[0][8] == "Change (USD)"
    total = rows[1]
    assert total[0] == "All stores" and total[8] == 19200
    assert round(sum(total[9:12]), 2) == 19200  # the three levers add up to the change
    by_store = {row[0]: row for row in rows[2:]}
    assert by_store["South-2"][1] == "new" and by_store["South-2"][7] == 1200
    assert round(sum(row[8] for row in rows[2:]), 2) == 19200  # the stores add up too
    lines = b"".join(client.get(url, {"format": "csv"}).streaming_content).decode().splitlines()
    assert len(lines) == len(rows) and lines[1].startswith("All stores,")
    foreign = reverse("sellout:account", args=[world["foreign"].pk])
    assert client.get(foreign, {"format": "xlsx"}).status_code == 404
