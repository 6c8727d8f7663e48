"""The backtest service on a small history worked out by hand (`backtest_world`)."""

import datetime as dt

import pytest

from openkam.health import backtest as bt
from openkam.health.models import HealthScore
from openkam.health.outcomes import account_outcomes, history_end, latest_date
from openkam.health.services import health_weights_set

from . import backtest_world

AS_OF = backtest_world.AS_OF


@pytest.fixture
def history(db):
    return backtest_world.build()


def test_outcomes_label_the_lost_and_the_shrunk(history):
    outcomes = account_outcomes(AS_OF).accounts
    labels = [outcomes[a.pk].went_bad for a in history["accounts"]]
    assert labels == backtest_world.BAD
    assert outcomes[history["accounts"][0].pk].lost is True
    assert outcomes[history["accounts"][1].pk].change == pytest.approx(-0.5)
    assert outcomes[history["new"].pk].went_bad is None  # no revenue before: left out
    assert history_end() == dt.date(2026, 6, 28)
    assert latest_date(dt.date(2026, 6, 28)) == dt.date(2025, 7, 12)


def test_backtest_of_the_stored_scores(history):
    result = bt.backtest(as_of=AS_OF)
    assert result.as_of == AS_OF and result.snapshot_id == history["snapshot"].pk
    assert result.counted == 8 and result.bad == 3 and result.no_revenue_before == 1
    assert result.bad_share == pytest.approx(3 / 8)
    assert result.auc == pytest.approx(11 / 15)
    # only BT 3 (35) is red, and it did not go bad
    assert (result.red.flagged, result.red.flagged_bad) == (1, 0)
    assert (result.red.precision, result.red.recall) == (0.0, 0.0)
    assert [(b.low, b.count, b.bad) for b in result.bands] == [
        (0, 0, 0),
        (20, 1, 0),
        (40, 4, 3),  # 45, 50, 50 bad; 50 good
        (60, 1, 0),
        (80, 2, 0),
    ]
    assert [(r.level, r.count, r.bad) for r in result.levels] == [
        ("red", 1, 0),
        ("amber", 5, 3),
        ("green", 2, 0),
    ]
    assert not result.rescored and result.weights["purchase_rhythm"] == 3.0


def test_candidate_weights_rescore_the_stored_readings(history):
    result = bt.backtest(as_of=AS_OF, weights={"revenue_growth": 0})
    assert result.rescored and result.weights["revenue_growth"] == 0
    assert result.auc == 1.0
    assert (result.red.precision, result.red.recall) == (1.0, 1.0)  # 10, 20, 30 are red
    stricter = bt.backtest(as_of=AS_OF, green_from=90, amber_from=55)
    assert stricter.auc == pytest.approx(11 / 15)  # thresholds do not move the ranking
    assert [r.count for r in stricter.levels] == [5, 2, 1]  # 35, 45, 50, 50, 50 red
    assert stricter.red.recall == 1.0 and stricter.red.precision == pytest.approx(3 / 5)


def test_a_date_with_scores_before_it_uses_them(history):
    result = bt.backtest(as_of=dt.date(2025, 7, 10))
    assert result.as_of == AS_OF and result.requested == dt.date(2025, 7, 10)


def test_too_recent_a_date_is_refused_with_the_latest_possible(history):
    with pytest.raises(bt.BacktestError, match="on or before 2025-07-12"):
        bt.backtest(as_of=dt.date(2025, 8, 1))


def test_a_date_without_scores_says_how_to_get_them(history):
    with pytest.raises(bt.BacktestError, match="kam health backtest --as-of 2025-01-31"):
        bt.backtest(as_of=dt.date(2025, 1, 31))


def test_without_sales_history(db):
    with pytest.raises(bt.BacktestError, match="no sales history"):
        bt.backtest(as_of=AS_OF)


def test_only_the_accounts_the_user_sees(db, users):
    backtest_world.build(owner=users["kam1"])
    result = bt.backtest(as_of=AS_OF, user=users["kam1"])
    assert result.counted == 2 and result.bad == 1  # BT 0 lost (50), BT 5 steady (65)
    assert result.auc == 1.0


def test_groups_are_left_out(history):
    HealthScore.objects.filter(account=history["accounts"][7]).update(rolled_up=True)
    result = bt.backtest(as_of=AS_OF)
    assert result.groups == 1 and result.counted == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", {}),
        ("purchase_rhythm=2, revenue_growth:0", {"purchase_rhythm": 2.0, "revenue_growth": 0.0}),
        ("coverage=1.5,", {"coverage": 1.5}),
    ],
)
def test_parse_weights(db, text, expected):
    assert bt.parse_weights(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nonsense=1", "not a health component"),
        ("coverage", "component=number"),
        ("coverage=-1", "from 0 to 100"),
        ("coverage=abc", "from 0 to 100"),
        ("coverage=nan", "from 0 to 100"),
        ("coverage=101", "from 0 to 100"),
    ],
)
def test_parse_weights_refuses(db, text, message):
    with pytest.raises(bt.BacktestError, match=message):
        bt.parse_weights(text)


def test_candidate_weights_are_checked(history):
    all_zero = dict.fromkeys(bt.current_weights().as_dict(), 0)
    with pytest.raises(bt.BacktestError, match="not all zero"):
        bt.backtest(as_of=AS_OF, weights=all_zero)
    with pytest.raises(bt.BacktestError, match="amber from < green from"):
        bt.backtest(as_of=AS_OF, green_from=50, amber_from=50)


def test_stored_scores_keep_the_thresholds_they_were_made_with(history, users):
    health_weights_set(actor=users["director"], weights={}, green_from=95, amber_from=90)
    result = bt.backtest(as_of=AS_OF)
    assert (result.thresholds.green_from, result.thresholds.amber_from) == (70, 45)
    assert bt.backtest(as_of=AS_OF, weights={}).thresholds.green_from == 95


def test_eligible_and_default_dates(history):
    assert bt.eligible_dates() == [AS_OF]
    assert bt.default_date() == AS_OF
