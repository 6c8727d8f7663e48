"""The sell-out decomposition on hand-computed examples: the parts add up to the change, to the
cent, and each lands where the arithmetic says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import ibis
import pyarrow as pa
import pytest

from openkam.analytics.sellout import (
    Figures,
    decompose,
    decompose_account,
    decompose_months,
    last_twelve_months,
    logarithmic_mean,
    monthly,
    parse_period,
    store_windows,
)
from openkam.facts.sellout_schema import SELLOUT_ARROW

D = Decimal


def _sum(parts) -> Decimal:
    return parts.shoppers + parts.frequency + parts.spend


def test_every_factor_up_ten_percent_splits_the_change_in_three():
    # before: 100 shoppers × 2 visits each × 10.00 a visit = 2,000.00
    # after:  110 shoppers × 2.2 visits each × 11.00 a visit = 2,662.00 (= 2,000 × 1.1³)
    # the three ratios are equal (1.1), so each part is a third of 662.00 = 220.666…: rounded,
    # 220.67 × 3 = 662.01; the extra cent comes off the first largest part (shoppers).
    parts = decompose(Figures(100, 200, D("2000.00")), Figures(110, 242, D("2662.00")))
    assert (parts.shoppers, parts.frequency, parts.spend) == (D("220.66"), D("220.67"), D("220.67"))
    assert _sum(parts) == parts.change == D("662.00")


def test_only_more_shoppers():
    # 100 → 150 shoppers, one visit each, 10.00 a visit: the whole 500.00 is shoppers'.
    parts = decompose(Figures(100, 100, D("1000")), Figures(150, 150, D("1500")))
    assert (parts.shoppers, parts.frequency, parts.spend) == (D("500.00"), D("0.00"), D("0.00"))


def test_twice_the_shoppers_twice_the_visits():
    # 1,000 → 4,000: shoppers 100 → 200 (×2), visits per shopper 1 → 2 (×2), basket 10 → 10.
    # L(4000, 1000) = 3000 / ln 4; each doubling is L · ln 2 = 3000 · ln 2 / ln 4 = 1,500.00.
    parts = decompose(Figures(100, 100, D("1000")), Figures(200, 400, D("4000")))
    assert (parts.shoppers, parts.frequency, parts.spend) == (D("1500.00"), D("1500.00"), D("0"))


def test_more_shoppers_smaller_baskets_cancel():
    # 10 → 20 shoppers, one visit each, value 100 → 100 (basket 10 → 5): no change, but
    # L(100, 100) = 100, so shoppers +100 · ln 2 = +69.31 and spend 100 · ln ½ = −69.31.
    parts = decompose(Figures(10, 10, D("100")), Figures(20, 20, D("100")))
    assert (parts.shoppers, parts.frequency, parts.spend) == (D("69.31"), D("0.00"), D("-69.31"))
    assert _sum(parts) == 0


def test_logarithmic_mean():
    assert logarithmic_mean(5.0, 5.0) == 5.0
    # L(e², e) = (e² − e) / (2 − 1)
    e = 2.718281828459045
    assert logarithmic_mean(e * e, e) == pytest.approx(e * e - e)


def test_new_and_closed_stores_are_shoppers():
    # a store opening (0 → 600.00) or closing (600.00 → 0): no ln, the change is shoppers'
    opened = decompose(Figures(), Figures(50, 60, D("600.00")))
    closed = decompose(Figures(50, 60, D("600.00")), Figures())
    assert (opened.shoppers, opened.frequency, opened.spend) == (D("600.00"), 0, 0)
    assert (closed.shoppers, closed.frequency, closed.spend) == (D("-600.00"), 0, 0)
    assert decompose(Figures(), Figures()).change == 0


def test_shoppers_who_spent_nothing_are_a_spend_change():
    parts = decompose(Figures(10, 12, D("0")), Figures(10, 12, D("120.00")))
    assert (parts.shoppers, parts.frequency, parts.spend) == (0, 0, D("120.00"))


def test_account_total_and_store_contributions():
    # store A 2,000.00 → 2,662.00 (above), store B new: 0 → 600.00 (50 shoppers, 60 visits)
    # totals: 100 shoppers, 200 visits, 2,000.00 → 160 shoppers, 302 visits, 3,262.00
    # L = 1262 / ln(1.631) = 2,579.76;  shoppers L · ln(1.6)            ≈ +1,212.50
    #                                   frequency L · ln(1.8875 / 2)    ≈   −149.35
    #                                   spend L · ln(10.8013 / 10)      ≈   +198.86
    result = decompose_account(
        [
            ("A", Figures(100, 200, D("2000.00")), Figures(110, 242, D("2662.00"))),
            ("B", Figures(), Figures(50, 60, D("600.00"))),
        ]
    )
    total = result.total
    assert total.change == D("1262.00") == _sum(total)
    assert total.shoppers == pytest.approx(D("1212.50"), abs=D("0.02"))
    assert total.frequency == pytest.approx(D("-149.35"), abs=D("0.02"))
    assert total.spend == pytest.approx(D("198.86"), abs=D("0.02"))
    assert [(s.store, s.status, s.decomposition.change) for s in result.stores] == [
        ("A", "continuing", D("662.00")),
        ("B", "new", D("600.00")),
    ]
    assert sum(s.decomposition.change for s in result.stores) == total.change


def test_parts_add_up_to_the_cent_on_awkward_numbers():
    for before, after in [
        (Figures(37, 91, D("1234.57")), Figures(41, 88, D("1301.99"))),
        (Figures(3, 7, D("0.05")), Figures(5, 11, D("99999.99"))),
        (Figures(9999, 12345, D("876543.21")), Figures(1, 1, D("0.01"))),
    ]:
        parts = decompose(before, after)
        assert _sum(parts) == after.value - before.value


def test_periods():
    assert parse_period("2025-Q2").first == dt.date(2025, 4, 1)
    assert parse_period("2025-Q2").last == dt.date(2025, 6, 1)
    assert parse_period("2025").months == 12
    assert parse_period("2024-07..2025-06").months == 12
    assert parse_period("2025-03").months == 1
    for wrong in ("", "2025-13", "2025-Q5", "2025-06..2024-07", "soon"):
        with pytest.raises(ValueError):
            parse_period(wrong)
    before, after = last_twelve_months(dt.date(2026, 6, 1))
    assert (before.first, before.last) == (dt.date(2024, 7, 1), dt.date(2025, 6, 1))
    assert (after.first, after.last) == (dt.date(2025, 7, 1), dt.date(2026, 6, 1))


def _lines() -> ibis.Table:
    rows = []
    for month in range(1, 13):
        for store, shoppers in (("North", 100), ("South", 50)):
            grown = 2 if month > 6 else 1  # the second half: twice the shoppers
            rows.append(
                {
                    "batch_id": 1,
                    "source_line": len(rows) + 2,
                    "account_id": 7,
                    "store": store,
                    "period": dt.date(2025, month, 1),
                    "shoppers": shoppers * grown,
                    "visits": shoppers * grown * 2,
                    "units": None,
                    "value": D(shoppers * grown * 20),
                    "currency": "USD",
                    "value_rc": D(shoppers * grown * 20),
                }
            )
    return ibis.memtable(pa.Table.from_pylist(rows, schema=SELLOUT_ARROW))


def test_store_windows_and_monthly_on_duckdb():
    lines = _lines()
    windows = (
        store_windows(
            lines,
            (dt.date(2025, 1, 1), dt.date(2025, 6, 1)),
            (dt.date(2025, 7, 1), dt.date(2025, 12, 1)),
        )
        .order_by("store")
        .to_pyarrow()
        .to_pylist()
    )
    # North: 6 months × 100 shoppers, ×2 visits, ×20.00 → then twice that
    assert [
        (w["store"], w["shoppers_0"], w["visits_0"], w["value_0"], w["shoppers_1"], w["value_1"])
        for w in windows
    ] == [
        ("North", 600, 1200, D("12000.00"), 1200, D("24000.00")),
        ("South", 300, 600, D("6000.00"), 600, D("12000.00")),
    ]
    months = monthly(lines).to_pyarrow().to_pylist()
    result = decompose_months(
        [(m["store"], m["period"], m["shoppers"], m["visits"], m["value"]) for m in months],
        parse_period("2025-01..2025-06"),
        parse_period("2025-07..2025-12"),
    )
    # twice the shoppers, same visits per shopper, same basket: all of +18,000.00 is shoppers'
    assert (result.total.change, result.total.shoppers) == (D("18000.00"), D("18000.00"))
    assert result.total.frequency == result.total.spend == 0
