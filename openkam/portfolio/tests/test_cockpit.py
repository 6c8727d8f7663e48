import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from openkam.accounts.services import account_update
from openkam.metrics import services
from openkam.metrics.models import SeriesPoint
from openkam.metrics.tests.conftest import AS_OF
from openkam.portfolio import charts, selectors

pytestmark = pytest.mark.django_db

COCKPIT = reverse("portfolio:cockpit")
ACCOUNTS = reverse("portfolio:accounts")
API = reverse("api:portfolio")


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_empty_state_says_how_to_get_figures(login):
    response = login("director").get(COCKPIT)
    assert response.status_code == 200
    html = response.content.decode()
    assert "No figures yet" in html and "kam analyze" in html and "kam import orders" in html


def test_api_without_a_snapshot_is_a_404_naming_the_way_out(login):
    response = login("kam1").get(API)
    assert response.status_code == 404
    assert "kam analyze" in response.json()["detail"]


def test_director_sees_the_engines_figures_with_targets_and_charts(login, snapshot):
    response = login("director").get(COCKPIT)
    assert response.status_code == 200
    cockpit = response.context["cockpit"]
    stored = snapshot.periods["year"]["headline"]
    assert cockpit.scope == "portfolio" and cockpit.period == "year"
    assert cockpit.headline["retention_rate"] == stored["retention_rate"]
    assert cockpit.headline["key_account_share"] == stored["key_account_share"]
    assert len(cockpit.matrix) == 9 and len(cockpit.series) == 3
    html = response.content.decode()
    assert html.count("<svg") == 4  # Pareto, matrix, revenue and retention, lost and regained
    assert "target 80% or more" in html and "band 30%–55%" in html
    assert 'data-cell="AX"' in html and "cdn" not in html.lower()
    assert 'href="/portfolio/accounts/?period=year&amp;abc=A&amp;xyz=X"' in html


def test_api_portfolio_agrees_with_the_metrics_api(login, snapshot):
    client = login("director")
    ours = client.get(API).json()
    metrics = client.get(reverse("api:metrics-portfolio")).json()
    accounts = client.get(reverse("api:metrics-accounts")).json()["results"]
    assert ours["as_of"] == metrics["as_of"] == AS_OF.isoformat()
    assert ours["period"] == metrics["period"] == accounts[0]["period"] == "year"
    for figure in ("retention_rate", "key_account_share", "top20_share", "revenue", "lost"):
        assert ours[figure] == metrics[figure], figure
    assert ours["revenue"] == str(sum(Decimal(r["revenue"]) for r in accounts))
    cells = {(c["abc"], c["xyz"]): c["accounts"] for c in ours["abc_xyz"] if c["accounts"]}
    assert cells == {(c["abc"], c["xyz"]): c["accounts"] for c in metrics["abc_xyz"]}
    assert ours["targets"] == {
        "retention_rate": 0.8,
        "key_account_share": [0.3, 0.55],
        "top20_share": 0.8,
    }
    assert ours["target_status"]["key_account_share"] == "high"  # every account is key
    assert ours["series_scope"] == "portfolio"
    assert len(ours["pareto"]["points"]) == 101


@pytest.mark.parametrize("params", [{"country": "TH"}, {"status": "key"}, {"period": "quarter"}])
def test_filtered_figures_agree_with_the_metrics_api(login, snapshot, params):
    client = login("director")
    ours = client.get(API, params).json()
    metrics = client.get(reverse("api:metrics-portfolio"), params).json()
    for figure in ("retention_rate", "key_account_share", "top20_share", "revenue", "scope"):
        assert ours[figure] == metrics[figure], figure


def test_a_kam_sees_the_figures_of_their_accounts(login, snapshot, world):
    client = login("kam1")
    data = client.get(API).json()
    # own (12,000 in the last 12 months) and own_sub (500); not foreign; shared had no sale
    assert data["scope"] == "filtered" and data["revenue"] == "12500.00"
    assert data["series_scope"] == "own"  # the engine's series of the accounts kam1 owns
    assert data["series"][0]["revenue"] == "12000.00"
    names = [row.account.name for row in client.get(ACCOUNTS).context["page"].object_list]
    assert "Own Mart" in names and "Foreign Foods" not in names
    page = client.get(COCKPIT)
    assert Decimal(page.context["cockpit"].headline["revenue"]) == Decimal("12500")


def test_api_answers_from_the_cache_until_an_account_changes(login, snapshot, world, users):
    client = login("director")
    first = client.get(API, {"country": "TH"})
    again = client.get(API, {"country": "TH"})
    assert again["Content-Type"] == "application/json" and "Cookie" in again["Vary"]
    assert again.content == first.content and again.json()["revenue"] == "24000.00"
    # Own Mart (12,000 in the last 12 months) moves to Vietnam: the Thai figures drop it.
    account_update(actor=users["director"], account=world["own"], data={"country": "VN"})
    assert client.get(API, {"country": "TH"}).json()["revenue"] == "12000.00"


def test_a_kam_filtering_on_another_owner_gets_no_foreign_series(login, snapshot, users):
    data = login("kam1").get(API, {"owner": users["kam2"].pk}).json()
    assert data["series_scope"] is None and data["series"] == []
    assert data["revenue"] == "500.00"  # own_sub: kam2 owns it, kam1 sees it


def test_one_owner_uses_the_engines_group_series(login, snapshot, users):
    data = login("director").get(API, {"owner": users["kam2"].pk, "period": "quarter"}).json()
    assert data["series_scope"] == "owner"
    stored = SeriesPoint.objects.get(
        snapshot=snapshot, period="quarter", group="owner", key=str(users["kam2"].pk), index=0
    )
    assert data["series"][0]["revenue"] == str(stored.revenue)
    assert len(data["series"]) == 8


def test_as_of_picker_lists_the_snapshots_and_shows_the_one_chosen(login, history):
    import datetime as dt

    earlier = services.snapshot_create(as_of=dt.date(2025, 12, 31))
    services.snapshot_create(as_of=AS_OF)
    client = login("director")
    page = client.get(COCKPIT)
    html = page.content.decode()
    assert '<option value="2025-12-31">' in html and '<option value="2026-06-30">' in html
    assert page.context["cockpit"].snapshot.as_of == AS_OF
    chosen = client.get(COCKPIT, {"as_of": "2025-12-31"}).context["cockpit"]
    assert chosen.snapshot == earlier and chosen.end == "2025-12-31"
    assert client.get(API, {"as_of": "2025-12-31"}).json()["as_of"] == "2025-12-31"
    assert client.get(API, {"as_of": "2020-01-01"}).status_code == 404


def test_clicking_a_cell_lists_its_accounts_as_a_partial(login, snapshot, world):
    client = login("director")
    cell = next(c for c in client.get(API).json()["abc_xyz"] if c["accounts"])
    params = {"abc": cell["abc"], "xyz": cell["xyz"]}
    partial = client.get(ACCOUNTS, params, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and b"<html" not in partial.content
    rows = partial.context["page"].object_list
    assert len(rows) == cell["accounts"]
    assert all((r.abc, r.xyz) == (cell["abc"], cell["xyz"]) for r in rows)
    full = client.get(ACCOUNTS, params)
    assert b"<html" in full.content and b"Portfolio" in full.content


def test_figure_lists(login, snapshot, world):
    client = login("director")

    def names(flag):
        page = client.get(ACCOUNTS, {"flag": flag}).context["page"]
        return {row.account.name for row in page.object_list}

    assert names("key") == {"Own Mart", "Foreign Foods", "Own Mart Vietnam", "Shared Stores"}
    assert names("top20") == {"Own Mart"}  # 12,000 like Foreign Foods: the older account first
    # Shared Stores bought once, in March 2025: lost a year later, within the period
    assert names("lost") == names("lost_in_period") == {"Shared Stores"}
    assert names("overdue") <= {"Shared Stores", "Own Mart Vietnam"}


def test_exports_apply_the_filters_and_neutralise(login, snapshot, world):
    world["own"].name = "=HYPERLINK(1)"
    world["own"].save()
    client = login("director")
    rows = csv_rows(client.get(ACCOUNTS, {"country": "TH", "format": "csv"}))
    assert rows[0][:3] == ["Account", "External id", "Status"]
    names = [r[0] for r in rows[1:]]
    assert "'=HYPERLINK(1)" in names and "Own Mart Vietnam" not in names
    sheet = load_workbook(
        io.BytesIO(client.get(COCKPIT, {"format": "xlsx", "table": "matrix"}).getvalue())
    ).active
    matrix = [[c.value for c in row] for row in sheet.iter_rows()]
    assert matrix[0][:3] == ["ABC", "XYZ", "Accounts"] and len(matrix) == 10
    series = csv_rows(client.get(COCKPIT, {"format": "csv", "table": "series"}))
    assert series[0][0] == "Period start" and len(series) == 4


def test_cockpit_query_count_is_flat(login, snapshot, django_assert_max_num_queries):
    client = login("kam1")
    client.get(COCKPIT, {"country": "TH"})
    with django_assert_max_num_queries(20):
        client.get(COCKPIT, {"country": "TH"})
    director = login("director")
    director.get(COCKPIT)
    with django_assert_max_num_queries(12):
        director.get(COCKPIT)


def test_pareto_curve_of_all_rows_is_the_engines(snapshot):
    from openkam.metrics.models import AccountPeriodMetrics

    rows = AccountPeriodMetrics.objects.filter(snapshot=snapshot, period="year", revenue__gt=0)
    curve = selectors.pareto_curve(rows.values_list("account_id", "revenue", "is_key"))
    assert curve["points"] == snapshot.periods["year"]["headline"]["pareto"]["points"]


def test_full_matrix_has_nine_cells_and_shares():
    cells = selectors.full_matrix([{"abc": "A", "xyz": "X", "accounts": 3, "revenue": "300"}])
    assert [c["abc"] + c["xyz"] for c in cells][:3] == ["AX", "AY", "AZ"] and len(cells) == 9
    assert cells[0]["revenue_share"] == 1.0 and cells[1]["accounts"] == 0


def test_charts_escape_text_and_draw_without_data():
    svg = charts.pareto({"points": [], "key_accounts": []}, None)
    assert svg.startswith("<svg") and "No revenue" in svg
    cells = selectors.full_matrix([])
    matrix = charts.matrix(cells, lambda abc, xyz: f'/x?<script>"{abc}{xyz}')
    assert "<script>" not in matrix and "&lt;script&gt;" in matrix
    assert charts.compact(1_234_567) == "1.2M" and charts.compact(35_000) == "35K"


def test_a_vietnamese_manager_exports_in_vietnamese_and_dong(login, snapshot, users, settings):
    settings.REPORTING_CURRENCY = "VND"
    users["kam1"].language = "vi"
    users["kam1"].save()
    client = login("kam1")
    response = client.get(ACCOUNTS, {"format": "xlsx"})
    header, *rows = load_workbook(io.BytesIO(response.getvalue())).active.iter_rows()
    with translation.override("vi"):
        revenue = gettext("Revenue in the period") + " (VND)"
        assert header[0].value == gettext("Account") != "Account"
    column = [c.value for c in header].index(revenue)
    assert rows and all(r[column].number_format == "#,##0" for r in rows)
    assert all(isinstance(r[column].value, int) for r in rows if r[column].value is not None)
