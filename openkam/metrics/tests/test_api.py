import pytest

from openkam.metrics import services

from .conftest import AS_OF

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(history):
    return services.snapshot_create(as_of=AS_OF)


def test_account_metrics_for_a_director(login, snapshot, history):
    response = login("director").get("/api/metrics/accounts/", {"period": "year"})
    assert response.status_code == 200
    rows = response.json()["results"]
    # 12,000 each: ties go to the older account
    assert [row["account"]["name"] for row in rows][:2] == ["Own Mart", "Foreign Foods"]
    own = next(row for row in rows if row["account"]["id"] == history["own"].pk)
    assert own["revenue"] == "12000.00" and own["rhythm"] == "monthly"
    assert own["abc"] in "AB" and own["overdue"] is False
    assert {"prob_alive", "expected_purchases_90", "clv", "growth_prev"} <= set(own)


def test_a_kam_sees_only_their_accounts(login, snapshot, history):
    rows = login("kam1").get("/api/metrics/accounts/").json()["results"]
    names = {row["account"]["name"] for row in rows}
    assert "Foreign Foods" not in names
    assert "Own Mart" in names


def test_unknown_date_says_which_dates_exist(login, snapshot):
    response = login("director").get("/api/metrics/accounts/", {"as_of": "2020-01-01"})
    assert response.status_code == 404
    assert "2026-06-30" in response.json()["detail"]


def test_bad_period_is_a_400(login, snapshot):
    response = login("director").get("/api/metrics/portfolio/", {"period": "week"})
    assert response.status_code == 400


def test_portfolio_for_a_director_is_the_engine_headline(login, snapshot):
    data = login("director").get("/api/metrics/portfolio/").json()
    stored = snapshot.periods["year"]["headline"]
    assert data["scope"] == "portfolio"
    assert data["retention_rate"] == stored["retention_rate"]
    assert data["key_account_share"] == stored["key_account_share"]
    assert data["top20_share"] == stored["top20_share"]
    assert len(data["series"]) == 3 and data["abc_xyz"]


def test_filtered_figures_agree_with_the_engine(login, snapshot, world):
    """Adding the per-account rows up again gives the engine's portfolio figures."""
    client = login("director")
    whole = client.get("/api/metrics/portfolio/", {"period": "quarter"}).json()
    # every account in the world is a key account: status=key selects them all
    filtered = client.get("/api/metrics/portfolio/", {"period": "quarter", "status": "key"}).json()
    assert filtered["scope"] == "filtered"
    for figure in ("revenue", "revenue_prev", "accounts_active", "lost", "new", "top20_accounts"):
        assert filtered[figure] == whole[figure], figure
    for figure in (
        "retention_rate",
        "revenue_retention_net",
        "revenue_retention_gross",
        "key_account_share",
        "top20_share",
        "growth_prev",
    ):
        assert filtered[figure] == pytest.approx(whole[figure]), figure
    assert filtered["abc_xyz"] == whole["abc_xyz"]


def test_a_kams_portfolio_covers_their_accounts(login, snapshot):
    data = login("kam1").get("/api/metrics/portfolio/").json()
    assert data["scope"] == "filtered"
    assert data["revenue"] == "12500.00" or data["revenue"] == "12000.00"
    thailand = login("director").get("/api/metrics/portfolio/", {"country": "VN"}).json()
    assert thailand["revenue"] == "0.00"  # the Vietnamese subsidiary bought nothing


def test_anonymous_is_refused(client, snapshot):
    assert client.get("/api/metrics/accounts/").status_code in (401, 403)
