"""The qualification scorecard, the type suggestion and the managers' figures, from a metrics
snapshot built from order lines."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.analytics.tests import facts
from openkam.keyaccounts import scorecard as rules
from openkam.keyaccounts import selectors
from openkam.keyaccounts.services import account_rate, account_three_ps_record
from openkam.metrics import services as metrics_services
from openkam.metrics.tests.conftest import AS_OF, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot(world, make_candidate):
    """`own` (kam1) buys 1,000 a month since July 2023 with small discounts; `foreign` (kam2)
    3,000 a quarter, deeply discounted, only since 2025; a candidate `Rising Retail` bought
    500 a quarter a year before and 2,000 a quarter since; `shared` once in 2025."""
    rising = make_candidate("Rising Retail", country="TH")
    lines = []
    day = dt.date(2023, 7, 5)
    while day <= AS_OF:
        lines.append(facts.line(world["own"].pk, day, 1000, discount=20))
        if day.month % 3 == 1 and day.year >= 2025:
            lines.append(facts.line(world["foreign"].pk, day, 3000, discount=900))
        if day.month % 3 == 1 and day >= dt.date(2024, 7, 1):
            amount = 2000 if day > dt.date(2025, 6, 30) else 500
            lines.append(facts.line(rising.pk, day, amount))
        day = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=5)
    lines.append(facts.line(world["shared"].pk, "2025-03-03", 500))
    publish(lines)
    world["rising"] = rising
    return metrics_services.snapshot_create(as_of=AS_OF)


# -- The rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facts_", "expected"),
    [
        (None, None),
        (rules.AccountFacts(bought=True, rhythm="monthly", median_interval=30), 5),
        (rules.AccountFacts(bought=True, rhythm="quarterly", median_interval=91), 4),
        (rules.AccountFacts(bought=True, rhythm="yearly", median_interval=365), 2),
        (rules.AccountFacts(bought=True, rhythm="irregular", median_interval=40), 3),
        (rules.AccountFacts(bought=True, rhythm="irregular", median_interval=100), 2),
        (rules.AccountFacts(bought=True, rhythm="irregular", median_interval=200), 1),
        (rules.AccountFacts(bought=True), 1),  # a single purchase
        (rules.AccountFacts(bought=True, rhythm="monthly", median_interval=30, lost=True), 1),
    ],
)
def test_frequency_mapping(facts_, expected):
    assert rules.frequency(facts_)[0] == expected


def test_fifths_and_ranks():
    assert [rules.fifths(x) for x in (0, 0.19, 0.2, 0.5, 0.8, 0.99, 1.0)] == [1, 1, 2, 3, 5, 5, 5]
    assert rules.rank_below([1, 2, 3, 4], 1) == 0 and rules.rank_below([1, 2, 3, 4], 4) == 0.75
    assert rules.rank_at_or_below([1, 2, 4, 4], 4) == 1.0


def test_weighted_score_counts_unknown_as_zero():
    shares = dict.fromkeys(["fit", "volume"], 0.5)
    assert rules.weighted_score({"fit": 4, "volume": None}, shares) == 2.0
    assert rules.qualifies(2.0, prospect_passes_three_ps=True)
    assert not rules.qualifies(2.9) and rules.qualifies(3.0)


def test_suggestions_from_the_rules():
    as_of = dt.date(2026, 6, 30)
    big_old = rules.AccountFacts(
        bought=True, in_year=True, revenue=Decimal(200), first_purchase=dt.date(2024, 6, 1)
    )
    found = rules.suggest(big_old, as_of=as_of, total_revenue=Decimal(1000))
    assert found.type == "supporter" and "20.0% of revenue" in found.because
    too_new = rules.AccountFacts(
        bought=True, in_year=True, revenue=Decimal(200), first_purchase=dt.date(2024, 7, 1)
    )
    assert rules.suggest(too_new, as_of=as_of, total_revenue=Decimal(1000)) is None
    growing = rules.AccountFacts(bought=True, in_year=True, revenue=Decimal(10), growth_prev=0.25)
    assert rules.suggest(growing, as_of=as_of, total_revenue=Decimal(1000)).type == "prospective"
    assert rules.suggest(None, as_of=as_of, total_revenue=Decimal(1000)) is None


# -- From a snapshot -------------------------------------------------------------------------


def test_scorecard_explains_itself(users, world, snapshot):
    account_rate(actor=users["kam1"], account=world["own"], ratings={"fit": (4, "Whole range")})
    card = selectors.scorecard(account=world["own"])
    by_name = {c.name: c for c in card.criteria}
    assert by_name["fit"].value == 4 and "Whole range" in by_name["fit"].detail
    assert by_name["relationship"].value is None and by_name["relationship"].contribution == 0
    assert by_name["repurchase_frequency"].value == 5
    assert "monthly" in by_name["repurchase_frequency"].detail
    assert by_name["volume"].source == "data" and by_name["volume"].value == 5  # the largest
    # own's discounts (2 %) are shallower than foreign's (30 %): the better discipline
    foreign = {c.name: c for c in selectors.scorecard(account=world["foreign"]).criteria}
    assert by_name["price_discipline"].value > foreign["price_discipline"].value
    assert card.score == pytest.approx(sum(c.share * (c.value or 0) for c in card.criteria))
    assert card.known == 4 and card.as_of == AS_OF


def test_suggested_type_from_the_data(world, snapshot):
    own = selectors.suggested_type(account=world["own"])
    assert own.type == "supporter"  # half the revenue, buying since July 2023
    rising = selectors.suggested_type(account=world["rising"])
    assert rising.type == "prospective" and "300%" in rising.because
    assert selectors.suggested_type(account=world["shared"]) is None


def test_scorecard_api_follows_account_permissions(login, world, snapshot):
    client = login("kam1")
    data = client.get(reverse("api:account-scorecard", args=[world["own"].pk])).json()
    assert [c["name"] for c in data["criteria"]] == [
        "fit", "relationship", "culture", "repurchase_frequency", "volume", "price_discipline",
    ]  # fmt: skip
    assert data["as_of"] == AS_OF.isoformat()
    assert data["suggested_type"]["type"] == "supporter"
    total = sum(c["contribution"] for c in data["criteria"])
    assert data["score"] == pytest.approx(total, abs=1e-3)
    foreign = client.get(reverse("api:account-scorecard", args=[world["foreign"].pk]))
    assert foreign.status_code == 404


def test_key_account_tab_shows_the_scorecard(login, world, snapshot):
    html = login("director").get(reverse("keyaccounts:account", args=[world["own"].pk]))
    text = html.content.decode()
    assert 'id="scorecard"' in text and "Contribution" in text and "monthly rhythm" in text
    assert "The sales data suggest: Supporter" in text


def test_candidates_are_ranked_by_the_scorecard(login, users, world, snapshot, make_candidate):
    quiet = make_candidate("Quiet Co")
    account_rate(actor=users["director"], account=quiet, ratings={"fit": (2, "Some")})
    prospect = make_candidate("Mekong Hotels", status="prospect")
    account_three_ps_record(
        actor=users["director"],
        account=prospect,
        answers=dict.fromkeys(("need", "solvency", "authority"), ("yes", "Trade fair")),
    )
    response = login("director").get(reverse("keyaccounts:candidates"))
    page = response.context["page"].object_list
    assert [a.name for a in page] == ["Mekong Hotels", "Rising Retail", "Quiet Co"]
    rising = page[1].candidate
    assert rising.data["repurchase_frequency"] == 4 and rising.suggestion.type == "prospective"
    assert "Prospective? (suggested)" in response.content.decode()
    qualifying = login("director").get(reverse("keyaccounts:candidates"), {"qualifies": "1"})
    assert [a.name for a in qualifying.context["page"].object_list] == ["Mekong Hotels"]


def test_workload_shows_each_managers_retention_growth_and_revenue(login, users, snapshot):
    response = login("director").get(reverse("keyaccounts:workload"))
    rows = {row.user.username: row for row in response.context["rows"]}
    kam1 = rows["kam1"].figures
    assert kam1.as_of == AS_OF and kam1.revenue == Decimal("12000")
    assert kam1.retention_rate == 1.0 and kam1.growth == pytest.approx(0.0)
    assert kam1.revenue_covered == Decimal("12000")
    api = login("director").get(reverse("api:workload")).json()
    assert next(r for r in api if r["username"] == "kam1")["figures"]["retention_rate"] == 1.0
