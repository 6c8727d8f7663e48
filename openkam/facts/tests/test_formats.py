"""Date and number decisions, and the Python and DuckDB parsers that must agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from openkam.facts.formats import (
    DATE_FORMATS,
    EXCEL_SERIAL,
    DateDecision,
    NumberDecision,
    as_sql_decimal,
    date_only,
    decide_dates,
    decide_numbers,
    duckdb_date_sql,
    duckdb_number_sql,
    parse_date,
    parse_number,
)

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def run_sql(con: duckdb.DuckDBPyConnection, expression: str, values: list[str]) -> list:
    """`expression` over the column `v`, one result per value, in order."""
    rows = con.execute(
        f"SELECT {expression} FROM (SELECT unnest($values) AS v, "
        "unnest(range(len($values))) AS i) ORDER BY i",
        {"values": values},
    ).fetchall()
    return [r[0] for r in rows]


# --- dates: examples ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "fmt", "ambiguous"),
    [
        (["2024-03-05", "2024-12-31"], "%Y-%m-%d", False),
        (["05/03/2024", "12/11/2024"], "%d/%m/%Y", True),
        (["05/03/2024", "13/11/2024"], "%d/%m/%Y", False),
        (["03/05/2024", "11/13/2024"], "%m/%d/%Y", False),
        (["5.3.2024", "31.12.2024"], "%d.%m.%Y", False),  # dots are day-first only
        (["05.03.2024.", "31.12.2024."], "%d.%m.%Y.", False),
        (["05-03-2024", "25-12-2024"], "%d-%m-%Y", False),
        (["2024/03/05"], "%Y/%m/%d", False),
        (["20240305", "20241231"], "%Y%m%d", False),
        (["05/03/24", "25/12/24"], "%d/%m/%y", False),
        (["05-MAR-24", "25-Dec-24"], "%d-%b-%y", False),
        (["5 March 2024", "25 December 2024"], "%d %B %Y", False),
        (["Mar 5, 2024", "Dec 25, 2024"], "%b %d, %Y", False),
        (["45292", "45657.5"], EXCEL_SERIAL, False),
        (["2024-03-05", "05/03/2024"], "%Y-%m-%d", False),  # a tie: ISO wins
    ],
)
def test_decide_dates(values, fmt, ambiguous):
    decision = decide_dates(values)
    assert (decision.format, decision.ambiguous) == (fmt, ambiguous)


def test_ambiguous_dates_follow_the_preference():
    values = ["05/03/2024", "01/02/2024", ""]
    day_first = decide_dates(values)
    month_first = decide_dates(values, prefer_day_first=False)
    assert (day_first.format, day_first.alternatives) == ("%d/%m/%Y", ["%m/%d/%Y"])
    assert (month_first.format, month_first.alternatives) == ("%m/%d/%Y", ["%d/%m/%Y"])
    assert day_first.ambiguous and month_first.ambiguous
    assert parse_date("05/03/2024", day_first) == dt.date(2024, 3, 5)
    assert parse_date("05/03/2024", month_first) == dt.date(2024, 5, 3)


def test_mixed_iso_dates_and_datetimes():
    values = ["2024-03-05", "2024-03-05T10:00:00", "2024-03-06 23:59:59.123+07:00", "2024-03-07Z"]
    decision = decide_dates(values)
    assert (decision.format, decision.with_time) == ("%Y-%m-%d", True)
    assert decision.parsed_share == 0.75  # a zone without a time is no time
    assert parse_date("2024-03-06 23:59:59.123+07:00", decision) == dt.date(2024, 3, 6)
    us = decide_dates(["3/5/2024 10:00 AM", "12/25/2024 3:15 PM"])
    assert (us.format, us.parsed_share) == ("%m/%d/%Y", 1.0)


def test_parsed_share_and_unparseable_values():
    decision = decide_dates(["2024-03-05", "2024-02-30", "soon", "", "  "])
    assert decision.format == "%Y-%m-%d"
    assert decision.parsed_share == pytest.approx(1 / 3)
    assert decide_dates([]) == DateDecision("%Y-%m-%d")
    assert decide_dates(["n/a", "-"]).parsed_share == 0.0


def test_thai_buddhist_era_years():
    decision = decide_dates(["05/03/2567", "29/02/2567", "31/12/2566"])
    assert (decision.format, decision.year_offset) == ("%d/%m/%Y", -543)
    assert parse_date("29/02/2567", decision) == dt.date(2024, 2, 29)


def test_only_ascii_letters_fold_case(con):
    decision = DateDecision("%d %B %Y")
    values = ["5 AUGUST 2024", "5 auguſt 2024", "5 Aug 2024"]
    assert [parse_date(v, decision) for v in values] == [dt.date(2024, 8, 5), None, None]
    assert run_sql(con, duckdb_date_sql("v", decision), values) == [dt.date(2024, 8, 5), None, None]


def test_formats_with_a_time_part_are_read_for_the_date():
    decision = DateDecision("%d/%m/%Y %H:%M:%S")
    assert date_only(decision.format) == "%d/%m/%Y"
    assert parse_date("05/03/2024 10:00:00", decision) == dt.date(2024, 3, 5)
    assert "'%d/%m/%Y')" in duckdb_date_sql("v", decision)
    with pytest.raises(ValueError, match="unsupported date format"):
        duckdb_date_sql("v", DateDecision("%j/%Y"))


def test_excel_serial_dates():
    decision = DateDecision(EXCEL_SERIAL)
    assert parse_date("45292", decision) == dt.date(2024, 1, 1)
    assert parse_date("45292.99", decision) == dt.date(2024, 1, 1)
    assert parse_date("0", decision) is None
    assert parse_date("80001", decision) is None
    assert parse_date("-5", decision) is None


@pytest.mark.parametrize("fmt", [f for f in DATE_FORMATS if f != EXCEL_SERIAL])
def test_every_format_works_in_duckdb(con, fmt):
    text = format_date(dt.date(2024, 3, 5), fmt)
    assert con.execute("SELECT try_strptime(?, ?)", [text, fmt]).fetchone()[0] == dt.datetime(  # noqa: DTZ001
        2024, 3, 5
    )
    assert parse_date(text, DateDecision(fmt)) == dt.date(2024, 3, 5)


# --- dates: properties ----------------------------------------------------------------------

MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip
TIMES = ["", " 10:00", "T10:00:00", " 23:59:59", " 10:00:00.123", "T08:15:00Z", " 3:05 PM"]


def format_date(
    day: dt.date, fmt: str, pad: bool = True, upper: bool = False, year_offset: int = 0
) -> str:
    if fmt == EXCEL_SERIAL:
        return str((day - dt.date(1899, 12, 30)).days)
    packed = "%Y%m%d" in fmt
    two = "{:02d}" if pad or packed else "{}"
    month = MONTHS[day.month - 1]
    parts = {
        "%d": two.format(day.day),
        "%m": two.format(day.month),
        "%Y": str(day.year - year_offset),
        "%y": f"{day.year % 100:02d}",
        "%b": month[:3].upper() if upper else month[:3],
        "%B": month.upper() if upper else month,
    }
    for directive, value in parts.items():
        fmt = fmt.replace(directive, value)
    return fmt


@st.composite
def dates_in(draw, fmt: str) -> list[dt.date]:
    low, high = (
        (dt.date(1969, 1, 1), dt.date(2068, 12, 31))
        if "%y" in fmt
        else (dt.date(1900, 1, 1), dt.date(2118, 12, 31))
    )
    return draw(st.lists(st.dates(low, high), min_size=1, max_size=15))


@FAST
@given(st.data(), st.sampled_from(DATE_FORMATS), st.booleans(), st.booleans(), st.booleans())
def test_dates_round_trip(data, fmt, pad, upper, prefer_day_first):
    days = data.draw(dates_in(fmt))
    buddhist = "%Y" in fmt and data.draw(st.booleans())
    offset = -543 if buddhist else 0
    texts = [
        format_date(d, fmt, pad, upper, offset)
        + (data.draw(st.sampled_from(TIMES)) if fmt != EXCEL_SERIAL else "")
        for d in days
    ]
    decision = decide_dates(texts, prefer_day_first)
    assert decision.parsed_share == 1.0
    assert fmt in [decision.format, *decision.alternatives]
    assert decision.year_offset == (offset if "%Y" in decision.format else 0)
    if decision.ambiguous:
        swapped = decision.format.replace("%d", "%_").replace("%m", "%d").replace("%_", "%m")
        assert fmt in (decision.format, swapped)
        assert decision.format.startswith("%d") == prefer_day_first
        decision = DateDecision(fmt, year_offset=decision.year_offset)
    assert [parse_date(t, decision) for t in texts] == days


def date_like_text() -> st.SearchStrategy[str]:
    """Strings near dates: right shapes with wrong numbers, junk, spaces, times."""
    numbers = st.integers(0, 40).map(str) | st.integers(1890, 2800).map(str)
    pieces = numbers | st.sampled_from(
        ["/", "-", ".", " ", "\u00a0", ",", "T", ":", "Mar", "may", "Auguſt", "Z", "PM"]
    )
    shaped = st.lists(pieces, min_size=1, max_size=7).map("".join)
    return shaped | st.text(max_size=12) | st.sampled_from(["", "  ", "45292", "45292.5", "1e5"])


@FAST
@given(
    st.sampled_from(DATE_FORMATS),
    st.booleans(),
    st.lists(st.dates(dt.date(1890, 1, 1), dt.date(2210, 12, 31)), max_size=8),
    st.lists(date_like_text(), max_size=12),
)
def test_duckdb_dates_agree_with_python(con, fmt, buddhist, days, junk):
    decision = DateDecision(fmt, year_offset=-543 if buddhist and "%Y" in fmt else 0)
    values = [format_date(d, fmt, year_offset=decision.year_offset) for d in days] + junk
    assume(values)
    expected = [parse_date(v, decision) for v in values]
    assert run_sql(con, duckdb_date_sql("v", decision), values) == expected


@FAST
@given(st.lists(st.text(max_size=30), max_size=10), st.sampled_from(DATE_FORMATS))
def test_dates_never_raise(values, fmt):
    decision = decide_dates(values)
    assert 0.0 <= decision.parsed_share <= 1.0
    for value in values:
        assert parse_date(value, DateDecision(fmt)) is None or isinstance(
            parse_date(value, DateDecision(fmt)), dt.date
        )


# --- numbers: examples ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "decimal", "thousands", "ambiguous"),
    [
        (["1.234,56"], ",", ".", False),
        (["1,234.56"], ".", ",", False),
        (["12,5"], ",", ".", False),
        (["12.5"], ".", ",", False),
        (["฿ 1,200.00", "THB 35.50"], ".", ",", False),
        (["1.200,00 RSD", "5,00 RSD"], ",", ".", False),
        (["₫1.200.000", "₫35.000"], ",", ".", False),
        (["(1,234.00)", "1234-"], ".", ",", False),
        (["1 234,56", "12,5"], ",", " ", False),
        (["1'234.56"], ".", "'", False),
        (["0,125"], ",", ".", False),
        (["1234,567"], ",", ".", False),
        (["1,234", "5,678"], ".", ",", True),
        (["1.234"], ".", ",", True),
        (["1,234", "12,5"], ",", ".", False),  # one value settles the others
        (["12", "7", ""], ".", ",", False),
    ],
)
def test_decide_numbers(values, decimal, thousands, ambiguous):
    decision = decide_numbers(values)
    assert (decision.decimal, decision.thousands, decision.ambiguous) == (
        decimal,
        thousands,
        ambiguous,
    )
    assert decision.parsed_share == 1.0


def test_ambiguous_numbers_follow_the_preference():
    decision = decide_numbers(["1.234", "5.678"], prefer_decimal=",")
    assert (decision.decimal, decision.thousands, decision.ambiguous) == (",", ".", True)
    assert parse_number("1.234", decision) == Decimal(1234)


@pytest.mark.parametrize(
    ("value", "decision", "number"),
    [
        ("฿ 1,200.00", NumberDecision(".", ","), Decimal("1200.00")),
        ("1.200,00 RSD", NumberDecision(",", "."), Decimal("1200")),
        ("₫1.200.000", NumberDecision(",", "."), Decimal("1200000")),
        ("(1,234.00)", NumberDecision(".", ","), Decimal("-1234")),
        ("1234-", NumberDecision(".", ","), Decimal("-1234")),
        ("- 5 €", NumberDecision(",", "."), Decimal("-5")),
        ("Rs. 1,23,456.78", NumberDecision(".", ","), Decimal("123456.78")),
        ("1\u00a0234,5", NumberDecision(",", " "), Decimal("1234.5")),
        ("\u22125", NumberDecision(".", ","), Decimal("-5")),
        ("10%", NumberDecision(".", ","), Decimal("10")),
        ("12,5", NumberDecision(".", ","), None),  # not grouped by three: not 125
        ("1,2345.6", NumberDecision(".", ","), None),
        ("(-5)", NumberDecision(".", ","), None),
        ("(5", NumberDecision(".", ","), None),
        ("12abc34", NumberDecision(".", ","), None),
        (".5", NumberDecision(".", ","), None),
        ("1.5E+3", NumberDecision(".", ","), None),
        ("", NumberDecision(".", ","), None),
        ("-", NumberDecision(".", ","), None),
    ],
)
def test_parse_number(value, decision, number):
    assert parse_number(value, decision) == number


def test_sql_decimal_rounding_and_range():
    assert as_sql_decimal(Decimal("1.23455")) == Decimal("1.2346")
    assert as_sql_decimal(Decimal("-1.23455")) == Decimal("-1.2346")
    assert as_sql_decimal(Decimal("99999999999999.9999")) == Decimal("99999999999999.9999")
    assert as_sql_decimal(Decimal("99999999999999.99995")) is None
    assert as_sql_decimal(None) is None


def test_unsupported_separators_are_refused():
    for decimal, thousands in ((";", ""), (".", "."), (",", "_"), ("", ","), (".,", "")):
        decision = NumberDecision(decimal, thousands)
        with pytest.raises(ValueError, match="unsupported separators"):
            duckdb_number_sql("v", decision)


def test_sql_type_can_be_chosen(con):
    sql = duckdb_number_sql("v", NumberDecision(",", "."), sql_type="DECIMAL(18,8)")
    assert run_sql(con, sql, ["0,000041234"]) == [Decimal("0.00004123")]


# --- numbers: properties --------------------------------------------------------------------

CONVENTIONS = [(".", ","), (".", ""), (",", "."), (",", " "), (",", ""), (".", "'"), (".", " ")]
AFFIXES = [("", ""), ("฿ ", ""), ("€", ""), ("USD ", ""), ("", " RSD"), ("", " €"), ("₫", "")]
NEGATIVES = ["-{}", "{}-", "({})", "- {}"]


def format_number(
    value: Decimal, places: int, decimal: str, thousands: str, negative: str, affix: tuple
) -> str:
    whole, _, fraction = f"{abs(value):.{places}f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, group = whole[:-3], whole[-3:]
        groups.insert(0, group)
    text = thousands.join([whole, *groups]) + (decimal + fraction if fraction else "")
    text = affix[0] + text + affix[1]
    return negative.format(text) if value < 0 else text


@st.composite
def formatted_numbers(draw, convention: tuple[str, str]) -> tuple[list[Decimal], list[str]]:
    places = draw(st.integers(0, 5))
    bound = Decimal(10) ** 13
    values = draw(st.lists(st.decimals(-bound, bound, places=places), min_size=1, max_size=15))
    negative = draw(st.sampled_from(NEGATIVES))
    affix = draw(st.sampled_from(AFFIXES))
    texts = [format_number(v, places, *convention, negative, affix) for v in values]
    return values, texts


@FAST
@given(st.data(), st.sampled_from(CONVENTIONS), st.sampled_from([".", ","]))
def test_numbers_round_trip(data, convention, prefer_decimal):
    values, texts = data.draw(formatted_numbers(convention))
    truth = NumberDecision(*convention)
    assert [parse_number(t, truth) for t in texts] == values
    decision = decide_numbers(texts, prefer_decimal)
    if decision.ambiguous:
        assert decision.decimal == prefer_decimal
        assert all(parse_number(t, decision) is not None for t in texts)
    else:
        assert [parse_number(t, decision) for t in texts] == values
        assert decision.parsed_share == 1.0


def number_like_text() -> st.SearchStrategy[str]:
    alphabet = st.sampled_from(list("0123456789.,' -+()€฿$RSDUab\u00a0\u202f\u2009\u2212\u2019\n"))
    return st.text(alphabet, max_size=16) | st.text(max_size=8)


@FAST
@given(
    st.data(),
    st.sampled_from(CONVENTIONS),
    st.lists(number_like_text(), max_size=15),
)
def test_duckdb_numbers_agree_with_python(con, data, convention, junk):
    values, texts = data.draw(formatted_numbers(convention))
    decision = NumberDecision(*convention)
    strings = texts + junk
    expected = [as_sql_decimal(parse_number(s, decision)) for s in strings]
    assert run_sql(con, duckdb_number_sql("v", decision), strings) == expected
    assert expected[: len(values)] == [as_sql_decimal(v) for v in values]


@FAST
@given(st.lists(st.text(max_size=30), max_size=10), st.sampled_from(CONVENTIONS))
def test_numbers_never_raise(values, convention):
    decide_numbers(values)
    for value in values:
        result = parse_number(value, NumberDecision(*convention))
        assert result is None or isinstance(result, Decimal)
