"""The account list exports what it shows: every account matching the filters, safe to open."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from openkam.accounts.models import Account

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_export_applies_the_filters_and_covers_every_page(login, world):
    Account.objects.bulk_create(
        Account(name=f"Bulk {i:03d}", country="VN", status="active") for i in range(60)
    )
    client = login("director")
    rows = csv_rows(client.get(reverse("accounts:list"), {"format": "csv", "country": "VN"}))
    assert rows[0][:4] == ["Name", "Legal name", "External id", "Status"]
    assert len(rows) == 1 + 61  # 60 bulk accounts and Own Mart Vietnam: more than a page
    keyed = csv_rows(client.get(reverse("accounts:list"), {"format": "csv", "owner": "kam1"}))
    assert [r[0] for r in keyed[1:]] == ["Own Mart"]


def test_xlsx_export_is_scoped_sorted_and_neutralised(login, world):
    Account.objects.filter(pk=world["own"].pk).update(name="=Own Mart", employees=1200)
    response = login("kam1").get(reverse("accounts:list"), {"format": "xlsx", "ordering": "-name"})
    assert response["Content-Disposition"].startswith('attachment; filename="accounts-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    # kam1 sees their own account, its subsidiary and the account they support, nothing else.
    assert [r[0] for r in rows[1:]] == ["Shared Stores", "Own Mart Vietnam", "'=Own Mart"]
    assert rows[3][rows[0].index("Employees")] == 1200  # a number, not text
    assert rows[2][rows[0].index("Parent account")] == "'=Own Mart"


def test_the_list_offers_the_export_links_with_its_filters(login, world):
    html = login("director").get(reverse("accounts:list"), {"country": "TH"}).content.decode()
    assert "format=xlsx" in html and "country=TH" in html and "format=csv" in html
