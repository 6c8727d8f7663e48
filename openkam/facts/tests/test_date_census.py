"""The date format is settled on the whole column before an import starts, not on its first
lines (an export whose first days are all 12 or less is common: the first twelve days of a
month)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openkam.facts import readers
from openkam.facts.formats import (
    DateDecision,
    DatesUndecided,
    NumberDecision,
    decide_dates,
    settle_dates,
)
from openkam.facts.pipeline import ImportSettings, parse_source
from openkam.facts.sources import duckdb_connection

DMY, MDY = "%d/%m/%Y", "%m/%d/%Y"
HEADER = "Invoice,Date,Customer,Item,Qty,Price"
MAPPING = {
    "document_number": "Invoice",
    "invoice_date": "Date",
    "customer_id": "Customer",
    "product_code": "Item",
    "quantity": "Qty",
    "unit_price": "Price",
}


# --- the decision on counted values ---------------------------------------------------------


def test_a_value_with_a_day_above_12_settles_month_first_against_the_guess():
    counts = {"12/1/2010": 500, "12/2/2010": 400, "12/13/2010": 3}
    guess = decide_dates(["12/1/2010", "12/2/2010"])
    assert (guess.format, guess.ambiguous) == (DMY, True)
    settled = settle_dates(counts, guess, with_time=True)
    assert settled.format == MDY and not settled.ambiguous
    assert settled.reads == {MDY: 903, DMY: 900}
    assert (settled.lines, settled.unread, settled.with_time) == (903, 0, True)


def test_a_column_where_every_day_is_12_or_less_asks_a_person():
    with pytest.raises(DatesUndecided) as asked:
        settle_dates({"03/04/2024": 2, "05/04/2024": 1, "not a date": 1}, DateDecision(DMY))
    assert asked.value.chosen is None
    assert asked.value.decision.reads == {DMY: 3, MDY: 3}
    assert asked.value.decision.lines == 4
    assert "%d/%m/%Y reads 3, %m/%d/%Y reads 3 of 4" in str(asked.value)


def test_a_column_mixing_formats_asks_even_when_one_format_reads_most_lines():
    with pytest.raises(DatesUndecided) as asked:
        settle_dates({"25/04/2024": 90, "2024-04-26": 10}, DateDecision(DMY))
    assert asked.value.decision.format == DMY
    assert asked.value.decision.unread == 10
    assert asked.value.decision.reads == {DMY: 90, "%Y-%m-%d": 10}


def test_a_persons_choice_stands_unless_another_format_reads_more_lines():
    counts = {"03/04/2024": 5, "25/04/2024": 1}
    chosen = settle_dates(counts, DateDecision(DMY, chosen=True))
    assert (chosen.format, chosen.chosen, chosen.reads[DMY]) == (DMY, True, 6)
    with pytest.raises(DatesUndecided) as asked:
        settle_dates(counts, DateDecision(MDY, chosen=True))
    assert asked.value.chosen == MDY
    assert asked.value.decision.format == DMY
    # a person may take the format of most lines in a mixed column: the rest is rejected
    mixed = settle_dates({"25/04/2024": 9, "2024-04-26": 1}, DateDecision(DMY, chosen=True))
    assert (mixed.format, mixed.unread) == (DMY, 1)


def test_no_dates_keep_the_guess():
    guess = DateDecision(DMY, ambiguous=True)
    assert settle_dates({}, guess) == guess


# --- through the pipeline, on files ---------------------------------------------------------


def write_file(path: Path, dates: list[str]) -> Path:
    lines = [HEADER] + [f"INV-{n},{d},C-{n % 7},P-{n % 3},1,10" for n, d in enumerate(dates)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def settled_format(path: Path, workdir: Path) -> tuple[DateDecision, list[dt.date]]:
    """The services' route: a guess from the sniffed sample, then the whole file decides."""
    info = readers.sniff(path)
    column = info.header.index("Date")
    guess = decide_dates([row[column] for row in info.sample_rows])
    import_settings = ImportSettings(
        mapping=MAPPING,
        dates=guess,
        numbers=NumberDecision(".", ","),
        reporting_currency="USD",
        default_currency="USD",
    )
    con = duckdb_connection()
    try:
        job = parse_source(con, path, info, import_settings, workdir=workdir)
        dates = con.sql(
            f"SELECT invoice_date FROM read_parquet('{job.parsed}')"  # in line order
        ).fetchall()
        return job.settings.dates, [d for (d,) in dates]
    finally:
        con.close()


def test_an_online_retail_shaped_export_imports_month_first(tmp_path):
    # dates as the UK wholesaler's export writes them: month first, with a time, and the
    # first lines all on 1 to 12 December
    days = [
        dt.datetime(2010, 12, 1, 8, 26, tzinfo=dt.UTC) + dt.timedelta(hours=5 * i)
        for i in range(600)
    ]
    texts = [f"{d.month}/{d.day}/{d.year} {d.hour}:{d.minute:02d}" for d in days]
    decision, parsed = settled_format(write_file(tmp_path / "retail.csv", texts), tmp_path / "w")
    assert decision.format == MDY and decision.with_time
    assert decision.reads[MDY] == 600 and decision.reads[DMY] < 600
    assert parsed == [d.date() for d in days]


def spelled(day: dt.date, fmt: str) -> str:
    first, second = (day.day, day.month) if fmt == DMY else (day.month, day.day)
    return f"{first:02d}/{second:02d}/{day.year}"


years, months = st.integers(2000, 2030), st.integers(1, 12)
ambiguous_days = st.builds(dt.date, years, months, st.integers(1, 12))
decisive_days = st.builds(dt.date, years, months, st.integers(13, 28))


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    truth=st.sampled_from([DMY, MDY]),
    ambiguous=st.lists(
        ambiguous_days, min_size=readers.SAMPLE_ROWS, max_size=3 * readers.SAMPLE_ROWS
    ),
    decisive=st.lists(decisive_days, min_size=1, max_size=20),
    decisive_first=st.booleans(),
)
def test_first_lines_ambiguous_later_decisive_are_decided_right_in_both_orders(
    tmp_path_factory, truth, ambiguous, decisive, decisive_first
):
    days = decisive + ambiguous if decisive_first else ambiguous + decisive
    root = tmp_path_factory.mktemp("census")
    path = write_file(root / "orders.csv", [spelled(d, truth) for d in days])
    decision, parsed = settled_format(path, root / "work")
    assert decision.format == truth
    assert decision.reads[truth] == len(days)
    assert parsed == days
