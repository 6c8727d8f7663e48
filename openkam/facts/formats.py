"""Per-file decisions on how dates and numbers are written — made once per file, never per
row — and the parsers that apply them, in Python and as DuckDB SQL. The date format is guessed
from a sample for the preview and settled on the whole column before an import starts
(`settle_dates`).

Python and SQL accept exactly the same strings: both first check the value against one regular
expression (valid in Python `re` and in RE2, DuckDB's engine), then convert. Anything else
gives None / NULL; nothing raises. No-break and thin spaces count as spaces, '−' (U+2212) as
'-' and '’' as "'".
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

EXCEL_SERIAL = "excel-serial"
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_EXCEL_MAX = 80000  # 2119-01-10
_BUDDHIST_ERA = -543  # Thai dates: 2567 BE = 2024 CE

# Look-alikes are handled inside the regular expressions (translate() would cost DuckDB as
# much as the parsing itself).
_SPACES = " \u00a0\u202f\u2009"  # space, no-break space, narrow no-break space, thin space
_MINUSES = "\u2212-"  # "-" last: it stays literal in a character class
_APOSTROPHES = "'\u2019"


def _sql_str(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# --- dates ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateDecision:
    """How one file writes dates.

    `format` is a DuckDB/Python strptime format for the date part, or EXCEL_SERIAL. A time of
    day after the date ("2024-03-05T10:00:00", "05/03/2024 10:00", "3/5/2024 10:00 AM") is
    accepted and dropped — the facts hold dates — so one format covers a column mixing dates
    and datetimes; `with_time` says the samples had times. `year_offset` is -543 when years are
    Thai Buddhist-era (2567 → 2024).

    `chosen` is true when a person chose the format (it is then kept, unless another format
    reads more lines). `reads` is how many of the `lines` with a date value each candidate
    format reads (formats reading none left out), and `unread` how many lines `format` fails
    on that another candidate reads.
    """

    format: str
    ambiguous: bool = False
    alternatives: list[str] = field(default_factory=list)
    parsed_share: float = 0.0
    year_offset: int = 0
    with_time: bool = False
    chosen: bool = False
    reads: dict[str, int] = field(default_factory=dict)
    lines: int = 0
    unread: int = 0


class DatesUndecided(ValueError):
    """The whole date column does not settle one format: `decision` is what it says (the format
    reading the most lines, the lines each candidate reads), `chosen` the format a person
    chose if another reads more lines than it, else None."""

    def __init__(self, decision: DateDecision, chosen: str | None = None) -> None:
        self.decision = decision
        self.chosen = chosen
        reads = ", ".join(f"{fmt} reads {n:,}" for fmt, n in decision.reads.items())
        super().__init__(f"the dates do not settle one format ({reads} of {decision.lines:,})")


# In order of preference on a tie: ISO, then day-first or month-first (see prefer_day_first),
# then month names, then Excel serials.
_ISO_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
_DAY_FIRST = ("%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%d.%m.%Y.", "%d/%m/%y", "%d.%m.%y", "%d-%m-%y")
_MONTH_FIRST = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y", "%m-%d-%y")
_NAMED_MONTH = ("%d-%b-%Y", "%d-%b-%y", "%d %b %Y", "%d %B %Y", "%b %d, %Y", "%B %d, %Y")
DATE_FORMATS = _ISO_FORMATS + _DAY_FIRST + _MONTH_FIRST + _NAMED_MONTH + (EXCEL_SERIAL,)

_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTH_NUMBER = {m: i for i, m in enumerate(_MONTHS, 1)} | {
    m[:3]: i for i, m in enumerate(_MONTHS, 1)
}

# "2024-03-05T10:00:00.000Z", " 10:00", " 10:00:00 PM", "T10:00+07:00": dropped from the end.
_TIME = (
    f"[T{_SPACES}]+"
    r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?"  # 10:00, 10:00:00, 10:00:00.123
    r"( ?[AaPp][Mm])?( ?(Z|[+-][0-9]{2}(:?[0-9]{2})?))?"  # AM/PM, time zone
)
_TIME_PY = re.compile(_TIME + r"\Z")
_TIME_SQL = _TIME + "$"

_YEAR4 = "(19[0-9]{2}|2[01][0-9]{2})"  # 1900-2199
_YEAR4_BE = "(244[3-9]|24[5-9][0-9]|2[56][0-9]{2}|27[0-3][0-9])"  # 2443-2739 BE = 1900-2196
_EXCEL = "[0-9]{1,5}([.,][0-9]+)?"


def date_only(fmt: str) -> str:
    """The date part of a strptime format: "%d/%m/%Y %H:%M" → "%d/%m/%Y" (times are dropped
    from values anyway). Raises ValueError for directives other than %d %m %Y %y %b %B."""
    if fmt == EXCEL_SERIAL:
        return fmt
    fmt = re.sub(r"[T ]*%[HIMSfpzZ].*$", "", fmt)
    unknown = set(re.findall(r"%.", fmt)) - {"%d", "%m", "%Y", "%y", "%b", "%B"}
    if unknown or not fmt:
        raise ValueError(f"unsupported date format {fmt!r}; use one of {DATE_FORMATS}")
    return fmt


def _date_regex(fmt: str, year_offset: int = 0) -> str:
    """The strings `fmt` accepts: 1-2 digit day and month (2 when packed as in %Y%m%d),
    years 1900-2199, English month names in any case."""
    if fmt == EXCEL_SERIAL:
        return _EXCEL
    fmt = date_only(fmt)
    packed = "%Y%m%d" in fmt
    parts = {
        "%d": "([0-9]{2})" if packed else "([0-9]{1,2})",
        "%m": "([0-9]{2})" if packed else "([0-9]{1,2})",
        "%Y": _YEAR4_BE if year_offset else _YEAR4,
        "%y": "([0-9]{2})",
        "%b": "(" + "|".join(_any_case(m[:3]) for m in _MONTHS) + ")",
        "%B": "(" + "|".join(_any_case(m) for m in _MONTHS) + ")",
    }
    pieces = re.split(r"(%[dmYybB])", fmt)
    return "".join(parts[p] if p in parts else "".join(f"[{c}]" for c in p) for p in pieces)


def _any_case(word: str) -> str:
    """ASCII-only case-insensitivity: (?i) would also let 'ſ' match 's' (not so DuckDB)."""
    return "".join(f"[{c}{c.upper()}]" for c in word)


_DATE_REGEX_CACHE: dict[tuple[str, int], re.Pattern[str]] = {}


def _compiled_date_regex(fmt: str, year_offset: int) -> re.Pattern[str]:
    key = (fmt, year_offset)
    if key not in _DATE_REGEX_CACHE:
        _DATE_REGEX_CACHE[key] = re.compile(_date_regex(fmt, year_offset))
    return _DATE_REGEX_CACHE[key]


def _date_part(value: str) -> str:
    return _TIME_PY.sub("", value.strip(_SPACES), count=1)


def parse_date(value: str, decision: DateDecision) -> dt.date | None:
    """The date `value` stands for under `decision`, or None — whatever the value; only a
    format `date_only` refuses raises."""
    if not isinstance(value, str):
        return None
    text = _date_part(value)
    fmt = date_only(decision.format)
    match = _compiled_date_regex(fmt, decision.year_offset).fullmatch(text)
    if match is None:
        return None
    if fmt == EXCEL_SERIAL:
        serial = int(re.match("[0-9]+", text).group())  # type: ignore[union-attr]
        return _EXCEL_EPOCH + dt.timedelta(days=serial) if 1 <= serial <= _EXCEL_MAX else None
    directives = re.findall(r"%[dmYybB]", fmt)
    fields = dict(zip(directives, match.groups(), strict=True))
    try:
        return dt.date(_year(fields, decision.year_offset), _month(fields), int(fields["%d"]))
    except ValueError:
        return None


def _year(fields: dict[str, str], year_offset: int) -> int:
    if "%Y" in fields:
        return int(fields["%Y"]) + year_offset
    short = int(fields["%y"])
    return short + (2000 if short < 69 else 1900)  # as DuckDB and Python: 69-99 → 19xx


def _month(fields: dict[str, str]) -> int:
    if "%m" in fields:
        return int(fields["%m"])
    return _MONTH_NUMBER[(fields.get("%b") or fields["%B"]).lower()]


def swapped(fmt: str) -> str:
    """The format with day and month exchanged: %d/%m/%Y ↔ %m/%d/%Y."""
    return fmt.replace("%d", "%_").replace("%m", "%d").replace("%_", "%m")


def decide_dates(values: Sequence[str], prefer_day_first: bool = True) -> DateDecision:
    """The format that parses the most non-empty samples; ties go to ISO, then day-first (or
    month-first with prefer_day_first=False) — and are `ambiguous` when the day-month swap of
    the chosen format parses as many samples (e.g. every day ≤ 12)."""
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    decision = decide_dates_counted(Counter(_date_part(t) for t in texts), prefer_day_first)
    with_time = any(_TIME_PY.search(t.strip(_SPACES)) for t in texts)
    return replace(decision, with_time=with_time)


def decide_dates_counted(counts: Mapping[str, int], prefer_day_first: bool = True) -> DateDecision:
    """`decide_dates` over distinct values (dates without their time of day) and how many
    lines hold each: a whole column in a few thousand parses."""
    counts = _non_empty(counts)
    lines = sum(counts.values())
    if not lines:
        return DateDecision(_ISO_FORMATS[0])
    order = _preference(prefer_day_first)
    year_offset, readers_of = _readers(counts, order)
    reads = {f: sum(n for t, n in counts.items() if f in readers_of[t]) for f in order}
    best = max(reads.values())
    chosen = next(f for f in order if reads[f] == best)
    alternatives = [f for f in order if f != chosen and best and reads[f] == best]
    return DateDecision(
        format=chosen,
        ambiguous=swapped(chosen) in alternatives,
        alternatives=alternatives,
        parsed_share=best / lines,
        year_offset=year_offset if "%Y" in chosen else 0,
        reads=dict(sorted(((f, n) for f, n in reads.items() if n), key=lambda fn: -fn[1])),
        lines=lines,
        unread=_unread(counts, readers_of, chosen),
    )


def settle_dates(
    counts: Mapping[str, int], guess: DateDecision, with_time: bool = False
) -> DateDecision:
    """The date decision for a whole column, from its distinct values (without their time of
    day) and their line counts; `guess` is the one made on a sample, or by a person.

    A person's choice stands unless another format reads more lines. Otherwise the format
    reading the most lines is taken — unless its day-month swap reads as many (every day of
    the file is 12 or less) or it fails on lines another format reads (a column mixing
    formats): then DatesUndecided, and a person has to choose."""
    whole = decide_dates_counted(counts, prefer_day_first=guess.format not in _MONTH_FIRST)
    with_time = with_time or guess.with_time
    if not whole.lines:
        return replace(guess, with_time=with_time)
    if not guess.chosen:
        if whole.ambiguous or whole.unread:
            raise DatesUndecided(whole)
        return replace(whole, with_time=with_time)
    counts = _non_empty(counts)
    _, readers_of = _readers(counts, _preference(True))
    for text in counts:  # the person's format as they set it (its era included)
        if parse_date(text, guess) is not None:
            readers_of[text].add(guess.format)
        else:
            readers_of[text].discard(guess.format)
    reads = sum(n for t, n in counts.items() if guess.format in readers_of[t])
    if reads < max(whole.reads.values()):
        raise DatesUndecided(whole, chosen=guess.format)
    return replace(
        guess,
        reads={**whole.reads, guess.format: reads},
        lines=whole.lines,
        unread=_unread(counts, readers_of, guess.format),
        parsed_share=reads / whole.lines,
        with_time=with_time,
    )


def _non_empty(counts: Mapping[str, int]) -> dict[str, int]:
    return {t: n for t, n in counts.items() if isinstance(t, str) and t.strip() and n > 0}


def _readers(counts: Mapping[str, int], order: Sequence[str]) -> tuple[int, dict[str, set[str]]]:
    """The year offset the values call for, and for each value the formats that read it."""
    year_offset = _BUDDHIST_ERA if _buddhist_years(counts) else 0
    decisions = [DateDecision(f, year_offset=year_offset if "%Y" in f else 0) for f in order]
    return year_offset, {
        text: {d.format for d in decisions if parse_date(text, d) is not None} for text in counts
    }


def _unread(counts: Mapping[str, int], readers_of: dict[str, set[str]], fmt: str) -> int:
    """Lines `fmt` fails on that another format reads."""
    return sum(n for t, n in counts.items() if readers_of[t] and fmt not in readers_of[t])


def _preference(prefer_day_first: bool) -> tuple[str, ...]:
    first, second = (_DAY_FIRST, _MONTH_FIRST) if prefer_day_first else (_MONTH_FIRST, _DAY_FIRST)
    return _ISO_FORMATS + first + second + _NAMED_MONTH + (EXCEL_SERIAL,)


def _buddhist_years(counts: Mapping[str, int]) -> bool:
    four = re.compile(r"(?<![0-9])([0-9]{4})(?:[0-9]{4})?(?![0-9])")  # 2567, 25670305
    years = Counter({int(y): 0 for t in counts for y in four.findall(t)})
    for text, n in counts.items():
        for year in four.findall(text):
            years[int(year)] += n
    buddhist = sum(n for y, n in years.items() if 2400 <= y <= 2799)
    return bool(years) and buddhist > sum(years.values()) / 2


def date_part_sql(column_sql: str) -> str:
    """A DuckDB expression for the date part of the VARCHAR `column_sql`: spaces trimmed, a
    time of day dropped — the text the date formats are tried on."""
    return f"regexp_replace(trim({column_sql}, {_sql_str(_SPACES)}), {_sql_str(_TIME_SQL)}, '')"


def duckdb_date_sql(column_sql: str, decision: DateDecision) -> str:
    """A DuckDB expression turning the VARCHAR `column_sql` into a DATE (NULL if unparseable),
    exactly as `parse_date` does."""
    value = date_part_sql(column_sql)
    regex = _sql_str(_date_regex(decision.format, decision.year_offset))
    if decision.format == EXCEL_SERIAL:
        serial = f"TRY_CAST(regexp_extract({value}, '^[0-9]+') AS INTEGER)"
        return (
            f"(CASE WHEN regexp_full_match({value}, {regex}) AND {serial} BETWEEN 1 AND "
            f"{_EXCEL_MAX} THEN DATE '1899-12-30' + {serial} END)"
        )
    fmt = _sql_str(date_only(decision.format))
    if decision.year_offset and "%Y" in decision.format:
        year = f"regexp_extract({value}, '[0-9]{{4}}')"
        shifted = f"CAST(TRY_CAST({year} AS INTEGER) + ({decision.year_offset}) AS VARCHAR)"
        return (
            f"(CASE WHEN regexp_full_match({value}, {regex}) "
            f"THEN CAST(try_strptime(replace({value}, {year}, {shifted}), {fmt}) AS DATE) END)"
        )
    # Most values are just the date: skip trimming and dropping the time for them.
    return (
        f"(CASE WHEN regexp_full_match({column_sql}, {regex}) "
        f"THEN CAST(try_strptime({column_sql}, {fmt}) AS DATE) "
        f"WHEN regexp_full_match({value}, {regex}) "
        f"THEN CAST(try_strptime({value}, {fmt}) AS DATE) END)"
    )


# --- numbers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberDecision:
    """How one file writes numbers: decimal and thousands separators.

    Around the number, currency symbols, codes and spaces are ignored ("฿ 1,200.00",
    "1.200,00 RSD", "Rs. 5"); "-5", "5-" and "(5)" are negative. Thousands separators must
    group digits by three (or the Indian 2-2-3), so a stray "12,5" in a "1,234.56" file is
    rejected rather than read as 125.
    """

    decimal: str = "."
    thousands: str = ","
    ambiguous: bool = False
    parsed_share: float = 0.0


_CONVENTIONAL_THOUSANDS = {".": ",", ",": "."}
_NUMBER_CHARS = f"[0-9.,{_APOSTROPHES}{_SPACES}]"
_DIGITS_RUN = f"[0-9]{_NUMBER_CHARS}*[0-9]|[0-9]"  # first to last digit of a valid value
_DIGITS_RUN_PY = re.compile(_DIGITS_RUN)
_GENERIC_NUMBER = f"[0-9](?:{_NUMBER_CHARS}*[0-9])?"
_EVIDENCE_TRANSLATION = str.maketrans(dict.fromkeys(_SPACES, " ") | {"\u2019": "'"})


def _thousands_chars(thousands: str) -> str:
    """A thousands separator with its look-alikes."""
    return {" ": _SPACES, "'": _APOSTROPHES}.get(thousands, thousands)


def _number_core(decimal: str, thousands: str) -> str:
    valid = decimal in (".", ",") and thousands in (",", ".", " ", "'", "")
    if not valid or decimal == thousands:
        raise ValueError(f"unsupported separators: decimal {decimal!r}, thousands {thousands!r}")
    d, t = f"[{decimal}]", f"[{_thousands_chars(thousands)}]"
    whole = "[0-9]+"
    if thousands:
        grouped = f"[0-9]{{1,3}}(?:{t}[0-9]{{3}})+"  # 1,234,567
        indian = f"[0-9]{{1,2}}(?:{t}[0-9]{{2}})+{t}[0-9]{{3}}"  # 12,34,567
        whole = f"(?:{grouped}|{indian}|{whole})"
    return f"{whole}(?:{d}[0-9]+)?"


def _number_regex(core: str, python: bool) -> str:
    """A whole value: junk (currency, letters, spaces, 'Rs.'), at most one sign — a leading
    '-'/'+', a trailing '-', or parentheses — and the number. Python gets possessive junk runs
    (no catastrophic backtracking on long junk); RE2 never backtracks."""
    many = "*+" if python else "*"
    junk = f"(?:[A-Za-z][.]|[^0-9()+,.{_APOSTROPHES}{_MINUSES}]){many}"
    in_parens = f"[(]{junk}(?:[+]{junk})?{core}{junk}[)]"
    trailing_minus = f"(?:[+]{junk})?{core}{junk}[{_MINUSES}]"
    signed = f"(?:[+{_MINUSES}]{junk})?{core}"
    return f"{junk}(?:{in_parens}|{trailing_minus}|{signed}){junk}"


_GENERIC_PY = re.compile(_number_regex(_GENERIC_NUMBER, python=True))
_NUMBER_REGEX_CACHE: dict[tuple[str, str], re.Pattern[str]] = {}


def _compiled_number_regex(decision: NumberDecision) -> re.Pattern[str]:
    key = (decision.decimal, decision.thousands)
    if key not in _NUMBER_REGEX_CACHE:
        core = _number_core(decision.decimal, decision.thousands)
        _NUMBER_REGEX_CACHE[key] = re.compile(_number_regex(core, python=True))
    return _NUMBER_REGEX_CACHE[key]


def parse_number(value: str, decision: NumberDecision) -> Decimal | None:
    """The exact number `value` stands for under `decision`, or None (never raises).

    `duckdb_number_sql` gives the same number as a DECIMAL(18,4): rounded to 4 places, half
    away from zero, NULL from 10^14 on — see `as_sql_decimal`.
    """
    if not isinstance(value, str) or _compiled_number_regex(decision).fullmatch(value) is None:
        return None
    digits = _DIGITS_RUN_PY.search(value).group()  # type: ignore[union-attr]
    for char in _thousands_chars(decision.thousands):
        digits = digits.replace(char, "")
    number = Decimal(digits.replace(decision.decimal, "."))
    negative = any(c in value for c in _MINUSES + "(")
    return -number if negative and number else number


def as_sql_decimal(number: Decimal | None, scale: int = 4, precision: int = 18) -> Decimal | None:
    """`number` as DuckDB's TRY_CAST to DECIMAL(precision, scale) gives it (None: NULL)."""
    if number is None:
        return None
    try:
        rounded = number.quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None
    return rounded if abs(rounded) < Decimal(10) ** (precision - scale) else None


def duckdb_number_sql(
    column_sql: str, decision: NumberDecision, sql_type: str = "DECIMAL(18,4)"
) -> str:
    """A DuckDB expression turning the VARCHAR `column_sql` into `sql_type` (NULL if
    unparseable), accepting exactly what `parse_number` accepts."""
    decimal, thousands = decision.decimal, decision.thousands
    full = _sql_str(_number_regex(_number_core(decimal, thousands), python=False))
    # Most values are plain ("-1234.5", "1,234.50"): a quick check and a cast.
    plain = f"-?(?:[0-9]{{1,3}}(?:[{thousands}][0-9]{{3}})+|[0-9]+)" if thousands else "-?[0-9]+"
    plain += f"(?:[{decimal}][0-9]+)?"
    plain_digits = column_sql
    if thousands:
        plain_digits = f"replace({plain_digits}, {_sql_str(thousands)}, '')"
    plain_digits = f"replace({plain_digits}, {_sql_str(decimal)}, '.')"
    digits = f"regexp_extract({column_sql}, {_sql_str(_DIGITS_RUN)}, 0)"
    for char in _thousands_chars(thousands):
        digits = f"replace({digits}, {_sql_str(char)}, '')"
    digits = f"replace({digits}, {_sql_str(decimal)}, '.')"
    negative = f"regexp_matches({column_sql}, {_sql_str(f'[({_MINUSES}]')})"
    return (
        f"(CASE WHEN regexp_full_match({column_sql}, {_sql_str(plain)}) "
        f"THEN TRY_CAST({plain_digits} AS {sql_type}) "
        f"WHEN regexp_full_match({column_sql}, {full}) "
        f"THEN TRY_CAST((CASE WHEN {negative} THEN '-' ELSE '' END) || {digits} AS {sql_type}) "
        "END)"
    )


def decide_numbers(values: Sequence[str], prefer_decimal: str = ".") -> NumberDecision:
    """Decimal and thousands separators from sample values.

    "1.234,56" and "1,234.56" settle it, so do "12,5" / "12.5" (not three digits after the
    separator), "0,125", "1234,567", and repeated separators ("1.234.567" → thousands '.').
    Values like "1,234" or "1.234" alone could be either: then `prefer_decimal` decides and the
    decision is `ambiguous`.
    """
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    decimals: Counter[str] = Counter()
    thousands: Counter[str] = Counter()
    undecided: set[str] = set()
    for text in texts:
        if _GENERIC_PY.fullmatch(text) is None:
            continue
        number = _DIGITS_RUN_PY.search(text).group()  # type: ignore[union-attr]
        decimal, separator, unsure = _evidence(number.translate(_EVIDENCE_TRANSLATION))
        if decimal:
            decimals[decimal] += 1
        if separator:
            thousands[separator] += 1
            if separator in _CONVENTIONAL_THOUSANDS:
                decimals[_CONVENTIONAL_THOUSANDS[separator]] += 1
        if unsure:
            undecided.add(unsure)
    decimal = _most_common(decimals, prefer_decimal)
    ambiguous = not decimals and bool(undecided)
    separator = _most_common(Counter({t: n for t, n in thousands.items() if t != decimal}), "")
    if not separator:
        others = undecided - {decimal}
        separator = others.pop() if others else _CONVENTIONAL_THOUSANDS.get(decimal, "")
    decision = NumberDecision(decimal=decimal, thousands=separator, ambiguous=ambiguous)
    parsed = sum(parse_number(t, decision) is not None for t in texts)
    share = parsed / len(texts) if texts else 0.0
    return NumberDecision(decimal, separator, ambiguous, share)


def _most_common(counts: Counter[str], default: str) -> str:
    if not counts:
        return default
    top = max(counts.values())
    winners = [k for k, n in counts.items() if n == top]
    return default if default in winners else sorted(winners)[0]


def _evidence(number: str) -> tuple[str, str, str]:
    """(decimal separator, thousands separator, undecided separator) one number shows."""
    spacers = [c for c in " '" if c in number]
    marks = [c for c in ".," if c in number]
    if len(marks) == 2:
        decimal = max(marks, key=number.rfind)
        return decimal, (spacers or [m for m in marks if m != decimal])[0], ""
    if not marks:
        return "", (spacers[0] if spacers else ""), ""
    mark = marks[0]
    if number.count(mark) > 1:
        return "", mark, ""
    if spacers:
        return mark, spacers[0], ""
    whole, fraction = number.split(mark)
    if len(fraction) != 3 or whole == "0" or len(whole) > 3:
        return mark, "", ""
    return "", "", mark
