"""The order-line import: parse, validate, convert and deduplicate in DuckDB, streaming.

An import runs in three steps so that the caller (Django) can resolve names in between:

1. `parse()` reads the CSV once (in parallel, in constant memory: DuckDB spills to disk) into a
   narrow typed table, with a readable problem for every line that cannot be used;
2. `customers()` / `products()` / `currencies()` list what the file mentions, so the caller can
   match or create accounts and products and fetch exchange rates;
3. `finish(...)` joins those, converts to the reporting currency, drops lines imported before
   (by fingerprint), writes the batch's Parquet file into a staging folder and the rejects CSV.

Every line read ends up in exactly one of: imported, rejected, duplicate.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pyarrow as pa

from . import readers, reasons
from .formats import (
    DateDecision,
    NumberDecision,
    date_part_sql,
    duckdb_date_sql,
    duckdb_number_sql,
    settle_dates,
)
from .schema import FACT_COLUMNS, TARGET_NAMES, TARGETS_BY_NAME

Progress = Callable[[float, str], None]

# The date census keeps the most frequent distinct dates: a column of real dates has a few
# thousand (days × spellings); more are noise that cannot change the decision.
CENSUS_VALUES = 50_000

# Document types and number prefixes that mark a credit note or a cancellation.
CREDIT_MARKERS = (
    "cn",
    "cr",
    "credit",
    "credit note",
    "creditnote",
    "return",
    "rma",
    "cancel",
    "cancellation",
    "storno",
    "knjižno odobrenje",
    "ใบลดหนี้",
)

# A longer line is rejected ("the line is too long"). DuckDB's default: its read buffers are
# 16 times as large, per thread (10 MB lines took 600 MB more memory in a parallel read).
MAX_LINE_BYTES = 2 << 20
# Files smaller than this are parsed with one thread.
PARALLEL_BYTES = 8 << 20
# The intermediate file is written once and read twice, from the page cache most likely.
PARSED_COMPRESSION = "uncompressed"
# DuckDB keeps at most this many bytes of a rejected line, and may cut inside a character
# (duckdb/duckdb#18980: then the read fails, or the rejects file holds invalid UTF-8).
_REJECTED_LINE_CUT = 10_000


@dataclass(frozen=True)
class CsvFormat:
    """How to read the (UTF-8) CSV file DuckDB gets."""

    path: Path
    header: tuple[str, ...]  # column names as the mapping knows them (one per field)
    delimiter: str = ","
    quote: str = '"'
    escape: str = '"'
    # Lines of the source that `readers.to_utf8_csv` set aside for their field count (line,
    # error_type, raw_line); their place in `path` holds a row of empty fields.
    misfits: Path | None = None


@dataclass(frozen=True)
class ImportSettings:
    mapping: dict[str, str]  # target name → header in the file
    dates: DateDecision
    numbers: NumberDecision
    reporting_currency: str
    default_currency: str  # for files without a currency column
    credit_markers: tuple[str, ...] = CREDIT_MARKERS


@dataclass
class ImportCounts:
    rows_read: int = 0
    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    no_customer: int = 0
    credit_lines: int = 0
    first_date: str | None = None
    last_date: str | None = None
    reasons: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _fast_number(column: str, decision: NumberDecision) -> str:
    """Plain numbers ("1234.5", "-3") skip the general parser's regular expressions."""
    if decision.decimal == ".":
        plain = r"-?[0-9]{1,14}(\.[0-9]{1,4})?"
        cast = f"CAST({column} AS DECIMAL(18,4))"
    else:
        plain = r"-?[0-9]{1,14}(,[0-9]{1,4})?"
        cast = f"CAST(replace({column}, ',', '.') AS DECIMAL(18,4))"
    general = duckdb_number_sql(column, decision)
    return f"CASE WHEN regexp_full_match({column}, '{plain}') THEN {cast} ELSE {general} END"


_DATE_PARTS = {"%Y": "(19|20|21)[0-9]{2}", "%m": "[0-9]{1,2}", "%d": "[0-9]{1,2}", "%y": "[0-9]{2}"}


def _fast_date(column: str, decision: DateDecision) -> str:
    """Dates written exactly in the file's format skip the general parser."""
    general = duckdb_date_sql(column, decision)
    if decision.year_offset or decision.with_time or decision.format == "excel-serial":
        return general
    pattern = re.escape(decision.format)
    for directive, part in _DATE_PARTS.items():
        pattern = pattern.replace(re.escape(directive), part)
    if "%" in pattern:
        return general
    parsed = f"CAST(try_strptime({column}, {_literal(decision.format)}) AS DATE)"
    return (
        f"CASE WHEN regexp_full_match({column}, {_literal(pattern)}) THEN {parsed} "
        f"ELSE {general} END"
    )


def human_date_format(fmt: str) -> str:
    """'%d/%m/%Y' → 'DD/MM/YYYY', as people write formats."""
    if fmt == "excel-serial":
        return reasons.EXCEL_DATE_NUMBER
    for directive, words in (
        ("%d", "DD"),
        ("%m", "MM"),
        ("%Y", "YYYY"),
        ("%y", "YY"),
        ("%b", "Mon"),
        ("%B", "Month"),
        ("%H", "hh"),
        ("%M", "mm"),
        ("%S", "ss"),
    ):
        fmt = fmt.replace(directive, words)
    return fmt


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# How far a DOUBLE product of an amount and a rate (in cents) may lie from the exact one,
# relative to its size: it is within a few roundings (2^-53 each) of it; 2^-44 is ample.
_DOUBLE_MARGIN = 2.0**-44


def _cents_times_rate(amount: str) -> str:
    """amount × fx_rate in cents, as a DOUBLE: near the exact product (see `_times_rate`)."""
    return f"CAST({amount} AS DOUBLE) * CAST(fx_rate AS DOUBLE) * 100"


def _times_rate(amount: str, cents: str) -> str:
    """round(amount × fx_rate, 2), exactly, mostly without 128-bit arithmetic (DuckDB widens,
    multiplies and rounds a DECIMAL(38) in ~1 µs a value). `cents` is the product in cents as
    a DOUBLE (`_cents_times_rate`): when it lies farther from a half cent than its possible
    error, the exact product rounds to the same cent, and the DOUBLE's rounding is the answer.
    Near a tie, or too large for a DOUBLE's precision: the exact way, widened first (a VND
    amount times a rate overflows DECIMAL(18))."""
    exact = f"round(CAST({amount} AS DECIMAL(38,4)) * fx_rate, 2)"
    return (
        f"CASE WHEN abs({cents} - floor({cents}) - 0.5) > abs({cents}) * {_DOUBLE_MARGIN!r} "
        f"THEN CAST(round({cents}) / 100 AS DECIMAL(18,2)) ELSE {exact} END"
    )


def _content_hash(text: str) -> str:
    """A line's fingerprint before its occurrence is mixed in: `md5_number_lower(text)`, as
    the facts imported so far hold it, computed as the upper half of `md5_number(text)` —
    the same number at less than half the cost (md5_number_lower takes ~1 µs a line in
    DuckDB 1.4, a sixth of the whole parse)."""
    return f"CAST(md5_number({text}) >> 64 AS UBIGINT)"


def _cleaned(column: str) -> str:
    """`nullif(trim(column), '')`, fast: DuckDB's trim (of Unicode spaces) costs ~100 ns a
    value, so only values starting or ending with a space, or holding any non-ASCII
    character, go through it."""
    return (
        f"CASE WHEN starts_with({column}, ' ') OR ends_with({column}, ' ') "
        f"OR strlen({column}) <> length({column}) THEN nullif(trim({column}), '') "
        f"WHEN {column} = '' THEN NULL ELSE {column} END"
    )


def _field(index: int) -> str:
    """The name DuckDB reads field `index` (from 0) of a line under."""
    return f"c{index}"


class OrderLineImport:
    """One import. Memory stays bounded whatever the file's size: the typed lines go to a
    Parquet file in `workdir`, and every later step streams over it, joining only small
    tables (accounts, products, daily rates, repeated lines)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        csv: CsvFormat,
        settings: ImportSettings,
        progress: Progress | None = None,
        workdir: Path | None = None,
    ) -> None:
        self.con = con
        self.csv = csv
        self.settings = settings
        self.progress = progress or (lambda fraction, phase: None)
        self.counts = ImportCounts()
        if workdir is None:  # ours: removed by `close`, after `finish`, or when collected
            self.workdir = Path(tempfile.mkdtemp(prefix="openkam-import-"))
            self._cleanup = weakref.finalize(self, shutil.rmtree, self.workdir, True)
        else:
            self.workdir = Path(workdir)
            self.workdir.mkdir(parents=True, exist_ok=True)
            self._cleanup = None
        self.parsed = self.workdir / "parsed.parquet"
        self._names = self.headers()

    def close(self) -> None:
        """Remove the working folder if this import made it (a caller's stays)."""
        if self._cleanup is not None:
            self._cleanup()

    # -- step 1 ---------------------------------------------------------------------------
    def settle_dates(self) -> DateDecision:
        """Decide the date format on the whole invoice-date column (`formats.settle_dates`),
        before a line is typed, and use it; raises `formats.DatesUndecided` when a person has
        to choose. One pass over the file, grouping the dates without their time of day."""
        if not self.settings.mapping.get("invoice_date"):
            return self.settings.dates
        raw = self._raw("invoice_date")
        read = (
            self._read_csv()
            .replace("rejects_table = 'csv_rejects'", "rejects_table = 'csv_rejects_census'")
            .replace("rejects_scan = 'csv_scans'", "rejects_scan = 'csv_scans_census'")
        )
        sql = f"""
            SELECT value, count(*) AS lines, bool_or(value <> raw) AS with_time
            FROM (SELECT raw, {date_part_sql("raw")} AS value FROM (SELECT {raw} AS raw
                  FROM {read}) WHERE raw IS NOT NULL)
            WHERE value <> '' GROUP BY value ORDER BY lines DESC, value LIMIT {CENSUS_VALUES}
        """
        try:
            self.progress(0.0, "checking dates")
            rows = self.con.execute(sql).fetchall()
        finally:
            for table in ("csv_rejects_census", "csv_scans_census"):
                self.con.execute(f"DROP TABLE IF EXISTS temp.{table}")
        decision = settle_dates(
            {value: lines for value, lines, _ in rows},
            self.settings.dates,
            with_time=any(with_time for *_, with_time in rows),
        )
        self.settings = replace(self.settings, dates=decision)
        return decision

    def parse(self) -> ImportCounts:
        """Read and type every line into `parsed.parquet`; a line that cannot be used gets
        its `problem`."""
        for table in ("csv_rejects", "csv_scans", "csv_rejects_again", "csv_scans_again"):
            self.con.execute(f"DROP TABLE IF EXISTS temp.{table}")  # they accumulate
        sql = self.parse_sql()
        # Line numbers: row N of parsed.parquet is the Nth line DuckDB's reader accepted (blank
        # ones included, marked), as long as DuckDB keeps insertion order: with nothing but
        # scans, expressions and filters in the plan it writes in order (BATCH_COPY_TO_FILE),
        # on all threads. Should a join or an aggregate creep in, it would not: then one
        # thread keeps the order (and small files need no more: planning twice costs more).
        # WITH ORDINALITY would number the lines too, but it keeps DuckDB to one thread, and
        # then the second one spins.
        (order,) = self.con.execute("SELECT current_setting('preserve_insertion_order')").fetchone()
        (threads,) = self.con.execute("SELECT current_setting('threads')").fetchone()
        self.con.execute("SET preserve_insertion_order = true")
        try:
            if self.csv.path.stat().st_size < PARALLEL_BYTES or not self.keeps_order(sql):
                self.con.execute("SET threads = 1")
            self._run_with_progress(sql, 0.0, 0.6, "reading")
        finally:
            self.con.execute(f"SET preserve_insertion_order = {bool(order)}")
            self.con.execute(f"SET threads = {int(threads)}")
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW lines AS {self._lines_sql()}")
        self.con.execute(f"CREATE OR REPLACE TEMP VIEW numbered AS {self._numbered_sql()}")
        self._collect_line_rejects()
        (good_rows,) = self.con.execute("SELECT count(*) FROM lines").fetchone()
        self.counts.rows_read = good_rows + self._line_reject_count()
        return self.counts

    def parse_sql(self) -> str:
        """The COPY statement that types every line into `parsed.parquet`."""
        markers = ", ".join(_literal(m) for m in self.settings.credit_markers)
        # list_contains, not IN: DuckDB plans an IN list as a join (see parse). Coalesced:
        # without a document type (or a quantity) the OR is NULL, not false, and a NULL flag
        # made every line of such a file no purchase to the engine.
        credit = (
            f"coalesce(list_contains([{markers}], document_type) OR quantity_value < 0 "
            "OR gross_net < 0 "
            "OR regexp_matches(lower(coalesce(document_number, '')), '^(cn|cr|crn)[-/ _0-9]'), "
            "false)"
        )
        content_hash = _content_hash(
            "concat_ws('|', document_number, invoice_date, customer_key, product_code, quantity, "
            "net, currency)"
        )
        raw_columns = ", ".join(f"{self._raw(t)} AS {_ident('raw_' + t)}" for t in TARGET_NAMES)
        raw_names = ", ".join(_ident("raw_" + t) for t in TARGET_NAMES)
        return f"""
            COPY (
                WITH raw AS (
                    SELECT {raw_columns}, NOT ({self._not_blank()}) AS blank
                    FROM {self._read_csv()}
                ), typed AS (
                    SELECT *, {self._typed_columns()} FROM raw
                ), computed AS (
                    -- widened, then narrowed: a product too large to hold becomes NULL
                    SELECT *, coalesce(net_amount_value, TRY_CAST(round(
                        CAST(quantity_value AS DECIMAL(38,4)) * unit_price_value
                        - coalesce(discount_value, 0), 2) AS DECIMAL(18,4))) AS gross_net
                    FROM typed
                ), amounts AS (
                    SELECT *, {self._problem_sql()} AS problem FROM computed
                ), credits AS (
                    SELECT *, {credit} AS is_credit FROM amounts
                ), lines AS (
                    SELECT * EXCLUDE (gross_net, quantity_value, {raw_names}),
                        -- credit notes and cancellations always reduce revenue
                        CASE WHEN is_credit THEN -abs(gross_net) ELSE gross_net END AS net,
                        CASE WHEN is_credit THEN -abs(quantity_value) ELSE quantity_value END
                            AS quantity,
                        coalesce(customer_id, customer_name) AS customer_key
                    FROM credits
                )
                -- what later steps do not need stays out: customer_key is computed again
                SELECT * EXCLUDE (customer_key, document_type, net_amount_value),
                    {content_hash} AS content_hash
                FROM lines
            ) TO {_literal(str(self.parsed))} (FORMAT parquet, COMPRESSION {PARSED_COMPRESSION})
        """

    def keeps_order(self, sql: str) -> bool:
        """Does DuckDB write the result of `sql` (a COPY) in insertion order on all threads?"""
        plan = "\n".join(row[1] for row in self.con.execute(f"EXPLAIN {sql}").fetchall())
        return "BATCH_COPY_TO_FILE" in plan

    def _collect_line_rejects(self) -> None:
        """`line_rejects`: every line that is no CSV record of the header's width — the ones
        DuckDB's reader rejected and the ones the conversion set aside (`CsvFormat.misfits`)."""
        parts = []
        if self._csv_reject_count():
            parts.append(
                "SELECT line, min(CAST(error_type AS VARCHAR)) AS error_type, "
                "any_value(csv_line) AS raw_line FROM csv_rejects GROUP BY line"
            )
        if self.csv.misfits is not None:
            parts.append(
                f"SELECT line, error_type, raw_line FROM read_csv("
                f"{_literal(str(self.csv.misfits))}, header = true, auto_detect = false, "
                "columns = {'line': 'BIGINT', 'error_type': 'VARCHAR', 'raw_line': 'VARCHAR'}, "
                "delim = ',', quote = '\"', escape = '\"', max_line_size = 10000000)"
            )
        parts.append(
            "SELECT NULL::BIGINT AS line, NULL::VARCHAR AS error_type, NULL::VARCHAR AS raw_line "
            "WHERE false"
        )
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE line_rejects AS " + " UNION ALL ".join(parts)
        )

    def _line_reject_count(self) -> int:
        return self.con.execute("SELECT count(*) FROM line_rejects").fetchone()[0]

    def cut_rejected_lines(self) -> int:
        """How many lines DuckDB rejected and kept only the start of (maybe mid-character)."""
        if not self._csv_reject_count():
            return 0
        return self.con.execute(
            f"SELECT count(*) FROM csv_rejects WHERE strlen(csv_line) >= {_REJECTED_LINE_CUT}"
        ).fetchone()[0]

    def _read_csv(self) -> str:
        return (
            f"read_csv({_literal(str(self.csv.path))}, header = true, all_varchar = true, "
            f"auto_detect = false, columns = {self._header_columns()}, "
            f"delim = {_literal(self.csv.delimiter)}, quote = {_literal(self.csv.quote)}, "
            f"escape = {_literal(self.csv.escape)}, strict_mode = true, store_rejects = true, "
            "rejects_table = 'csv_rejects', rejects_scan = 'csv_scans', "
            f"max_line_size = {MAX_LINE_BYTES})"
        )

    def _header_columns(self) -> str:
        """DuckDB sees the fields as c0, c1, ...: any header name is fine (empty, repeated,
        equal but for case, or a word SQL uses)."""
        pairs = ", ".join(f"'{_field(i)}': 'VARCHAR'" for i in range(len(self._names)))
        return "{" + pairs + "}"

    def headers(self) -> list[str]:
        """The column names as people see them: unique and non-empty ("column 3" for an empty
        one, "Qty (2)" for a repeated one), see `readers.unique_names`."""
        return readers.unique_names(self.csv.header)

    def _not_blank(self) -> str:
        """A line whose every field is empty is no line at all (not read, not rejected)."""
        fields = ", ".join(_cleaned(_field(i)) for i in range(len(self._names)))
        return f"coalesce({fields}) IS NOT NULL"

    def _column_of(self, header: str) -> str:
        """The field a mapped header name stands for: the file's own name or the unique one,
        exactly, else ignoring case."""
        for names in (list(self.csv.header), self._names):
            if header in names:
                return _field(names.index(header))
        folded = [n.casefold() for n in self._names]
        if header.casefold() in folded:
            return _field(folded.index(header.casefold()))
        raise ValueError(f"{self.csv.path.name} has no column named {header!r}")

    def _raw(self, target: str) -> str:
        header = self.settings.mapping.get(target)
        if not header:
            return "CAST(NULL AS VARCHAR)"
        return _cleaned(self._column_of(header))

    def _typed_columns(self) -> str:
        s = self.settings
        numbers = {
            f"{name}_value": _fast_number(f"raw_{name}", s.numbers)
            for name, target in TARGETS_BY_NAME.items()
            if target.kind == "number"
        }
        columns = {
            "document_number": "raw_document_number",
            "invoice_date": _fast_date("raw_invoice_date", s.dates),
            "customer_id": "raw_customer_id",
            "customer_name": "raw_customer_name",
            "product_code": "raw_product_code",
            "product_description": "raw_product_description",
            "product_category": "raw_product_category",
            **numbers,
            "currency": f"upper(coalesce(raw_currency, {_literal(s.default_currency)}))",
            "country": "upper(raw_country)",
            "document_type": "lower(raw_document_type)",
        }
        return ",\n".join(f"{expr} AS {_ident(name)}" for name, expr in columns.items())

    def _problem_sql(self) -> str:
        """The first reason a line cannot be used, in words a person understands."""
        date_hint = _literal(human_date_format(self.settings.dates.format))
        checks = [
            ("raw_invoice_date IS NULL", reasons.sql(reasons.NO_INVOICE_DATE)),
            (
                "invoice_date IS NULL",
                reasons.sql(reasons.NOT_A_DATE, value="raw_invoice_date", format=date_hint),
            ),
        ]
        for name, target in TARGETS_BY_NAME.items():
            if target.kind == "number":
                checks.append(
                    (
                        f"raw_{name} IS NOT NULL AND {name}_value IS NULL",
                        reasons.sql(
                            reasons.NOT_A_NUMBER,
                            field=_literal(target.label.lower()),
                            value=f"raw_{name}",
                        ),
                    )
                )
        checks += [
            (
                "net_amount_value IS NULL AND (quantity_value IS NULL OR unit_price_value IS NULL)",
                reasons.sql(reasons.NO_AMOUNT),
            ),
            ("gross_net IS NULL", reasons.sql(reasons.AMOUNT_TOO_LARGE)),
            (
                "NOT regexp_full_match(currency, '[A-Z]{3}')",
                reasons.sql(reasons.NOT_A_CURRENCY, value="currency"),
            ),
        ]
        cases = " ".join(f"WHEN {condition} THEN {message}" for condition, message in checks)
        return f"CASE {cases} ELSE NULL END"

    def _csv_reject_count(self) -> int:
        try:
            return self.con.execute("SELECT count(DISTINCT line) FROM csv_rejects").fetchone()[0]
        except duckdb.CatalogException:
            return 0

    def _lines_sql(self) -> str:
        """The parsed lines, each with `source_record`: its row in parsed.parquet, which is the
        count of lines DuckDB's reader accepted up to it (see `parse`)."""
        return (
            "SELECT * EXCLUDE (blank, file_row_number), file_row_number + 1 AS source_record, "
            "coalesce(customer_id, customer_name) AS customer_key "
            f"FROM read_parquet({_literal(str(self.parsed))}, file_row_number = true) "
            "WHERE NOT blank"
        )

    def _numbered_sql(self) -> str:
        """The lines with `record`: the file's own line number (header = line 1). Only the
        facts and the rejects need it (with many rejects it costs a join).

        `source_record` counts the lines DuckDB accepted; every line it rejected before one
        shifts it by one. With the rejected lines' numbers sorted, reject j (1-based) has
        `line - 1 - j` accepted lines before it, so an accepted line's shift is the number of
        rejects whose count is below its `source_record` (a few: inline; many: an ASOF join)."""
        parsed = "lines"
        if self._csv_reject_count() == 0:
            return f"SELECT *, source_record + 1 AS record FROM {parsed}"
        self.con.execute("""
            CREATE OR REPLACE TEMP TABLE reject_gaps AS
            SELECT good_before, max(skipped) AS skipped FROM (
                SELECT line - 1 - row_number() OVER (ORDER BY line) AS good_before,
                       row_number() OVER (ORDER BY line) AS skipped
                FROM (SELECT DISTINCT line FROM csv_rejects)
            ) GROUP BY good_before
        """)
        gaps = self.con.execute("""
            SELECT line - 1 - row_number() OVER (ORDER BY line)
            FROM (SELECT DISTINCT line FROM csv_rejects) ORDER BY line
        """).fetchall()  # one per rejected line: the inline sum counts each of them
        if len(gaps) <= 200:
            shifts = " + ".join(f"(source_record > {gap})::BIGINT" for (gap,) in gaps)
            return f"SELECT *, source_record + 1 + {shifts} AS record FROM {parsed}"
        return f"""
            SELECT l.*, l.source_record + 1 + coalesce(g.skipped, 0) AS record
            FROM {parsed} l ASOF LEFT JOIN reject_gaps g ON l.source_record > g.good_before
        """

    def customers(self) -> pa.Table:
        """Each customer of the usable lines: key, id, name, country, currency, lines.

        Name, country and currency are each the most frequent value (`mode`). A customer
        nearly always writes one of each, which min = max shows at a fraction of mode's cost;
        mode is computed for the others only."""
        # NOT MATERIALIZED: read twice rather than held in memory (it is all the lines)
        return self.con.execute("""
            WITH usable AS NOT MATERIALIZED (
                SELECT customer_key, customer_id, customer_name, country, currency, invoice_date
                FROM lines WHERE problem IS NULL AND customer_key IS NOT NULL
            ), spans AS (
                SELECT customer_key, any_value(customer_id) AS customer_id,
                       min(customer_name) AS name_low, max(customer_name) AS name_high,
                       min(country) AS country_low, max(country) AS country_high,
                       min(currency) AS currency_low, max(currency) AS currency_high,
                       count(*) AS lines,
                       min(invoice_date) AS first_date, max(invoice_date) AS last_date
                FROM usable GROUP BY customer_key
            ), mixed AS (
                SELECT customer_key, mode(customer_name) AS customer_name,
                       mode(country) AS country, mode(currency) AS currency
                FROM usable
                WHERE customer_key IN (
                    SELECT customer_key FROM spans
                    WHERE name_low <> name_high OR country_low <> country_high
                       OR currency_low <> currency_high
                )
                GROUP BY customer_key
            )
            SELECT s.customer_key, s.customer_id,
                   CASE WHEN name_low IS NOT DISTINCT FROM name_high THEN name_low
                        ELSE m.customer_name END AS customer_name,
                   CASE WHEN country_low IS NOT DISTINCT FROM country_high THEN country_low
                        ELSE m.country END AS country,
                   CASE WHEN currency_low IS NOT DISTINCT FROM currency_high THEN currency_low
                        ELSE m.currency END AS currency,
                   lines, first_date, last_date
            FROM spans s LEFT JOIN mixed m USING (customer_key)
            ORDER BY s.customer_key
        """).fetch_arrow_table()

    def products(self) -> pa.Table:
        return self.con.execute("""
            SELECT product_code, mode(product_description) AS description,
                   mode(product_category) AS category
            FROM lines WHERE problem IS NULL AND product_code IS NOT NULL
            GROUP BY product_code ORDER BY product_code
        """).fetch_arrow_table()

    def currencies(self) -> list[tuple[str, str, str]]:
        """(currency, first date, last date) of the usable lines."""
        return self.con.execute("""
            SELECT currency, CAST(min(invoice_date) AS VARCHAR), CAST(max(invoice_date) AS VARCHAR)
            FROM lines WHERE problem IS NULL GROUP BY currency ORDER BY currency
        """).fetchall()

    # -- step 3 ---------------------------------------------------------------------------
    def finish(
        self,
        *,
        batch_id: int,
        accounts: pa.Table,  # customer_key, account_id
        products: pa.Table,  # product_code, product_id, category_id
        fx_rates: pa.Table,  # currency, valid_from (date), rate (reporting units per unit)
        existing_glob: str | None,
        staging: Path,
        rejects_path: Path,
    ) -> ImportCounts:
        self.con.register("resolved_accounts", accounts)
        self.con.register("resolved_products", products)
        self.con.register("fx_rates", fx_rates)
        self.progress(0.62, "matching")
        self._prepare_joins(existing_glob)
        self._resolve(batch_id, existing_glob)
        self.progress(0.7, "writing")
        self._write_facts(staging)
        self.progress(0.88, "counting")
        self._count()
        self.progress(0.95, "rejects")
        self._write_rejects(rejects_path)
        self.close()
        self.progress(1.0, "done")
        return self.counts

    def _prepare_joins(self, existing_glob: str | None) -> None:
        """Small tables only: the rate of every day the file covers, and the lines that occur
        more than once in the file (told apart by their occurrence)."""
        self.con.execute("""
            CREATE OR REPLACE TEMP TABLE fx_daily AS
            WITH span AS (
                SELECT currency, min(invoice_date) AS first, max(invoice_date) AS last
                FROM lines WHERE problem IS NULL GROUP BY currency
            ), days AS (
                SELECT currency, CAST(unnest(generate_series(first, last, INTERVAL 1 DAY))
                                      AS DATE) AS day
                FROM span
            )
            SELECT d.currency, d.day, r.rate
            FROM days d ASOF LEFT JOIN fx_rates r
                ON d.currency = r.currency AND d.day >= r.valid_from
        """)
        self.con.execute("""
            CREATE OR REPLACE TEMP TABLE repeated AS
            SELECT source_record,
                   row_number() OVER (PARTITION BY content_hash ORDER BY source_record) - 1
                       AS occurrence
            FROM lines
            WHERE problem IS NULL AND content_hash IN (
                SELECT content_hash FROM lines WHERE problem IS NULL
                GROUP BY content_hash HAVING count(*) > 1
            )
        """)
        if existing_glob:
            self.con.execute(f"""
                CREATE OR REPLACE TEMP TABLE seen AS
                SELECT DISTINCT fingerprint FROM read_parquet({_literal(existing_glob)})
            """)

    def _resolve(self, batch_id: int, existing_glob: str | None) -> None:
        """Views joining the rate of the day and the fingerprint: `resolved` (with accounts,
        products and line numbers) for the facts and the rejects, `outcomes` for the counts;
        streamed, never held in memory."""
        rc = _literal(self.settings.reporting_currency)
        no_rate = reasons.sql(
            reasons.NO_EXCHANGE_RATE, currency="l.currency", date="l.invoice_date"
        )
        seen = "fingerprint IN (SELECT fingerprint FROM seen)" if existing_glob else "false"
        for view, source, names in (("resolved", "numbered", True), ("outcomes", "lines", False)):
            joins = (
                "LEFT JOIN resolved_accounts a USING (customer_key) "
                "LEFT JOIN resolved_products p USING (product_code)"
                if names
                else ""
            )
            columns = "a.account_id, p.product_id, p.category_id," if names else ""
            self.con.execute(f"""
                CREATE OR REPLACE TEMP VIEW {view} AS
                WITH joined AS (
                    SELECT l.* EXCLUDE (problem), {batch_id}::BIGINT AS batch_id, {columns}
                           CASE WHEN l.currency = {rc} THEN 1 ELSE f.rate END AS fx_rate,
                           CASE WHEN l.problem IS NOT NULL THEN l.problem
                                WHEN l.currency <> {rc} AND f.rate IS NULL THEN {no_rate}
                           END AS problem,
                           -- signed, so that every engine reads it (Spark has no unsigned types)
                           CAST(CAST(xor(l.content_hash,
                                         CAST(coalesce(o.occurrence, 0) AS UBIGINT))
                                     AS HUGEINT) - 9223372036854775808 AS BIGINT) AS fingerprint
                    FROM {source} l {joins}
                    LEFT JOIN fx_daily f ON f.currency = l.currency AND f.day = l.invoice_date
                    LEFT JOIN repeated o ON o.source_record = l.source_record
                )
                SELECT *, coalesce(problem IS NULL AND {seen}, false) AS duplicate FROM joined
            """)

    def _write_facts(self, staging: Path) -> None:
        expressions = {
            "batch_id": "batch_id",
            "source_line": "record",
            "fingerprint": "fingerprint",
            "document_number": "document_number",
            "invoice_date": "invoice_date",
            "account_id": "account_id",
            "customer_key": "customer_key",
            "product_id": "product_id",
            "category_id": "category_id",
            "product_code": "product_code",
            "quantity": "quantity",
            "unit_price": "unit_price_value",
            "net_amount": "net",
            "cost": "cost_value",
            "discount": "discount_value",
            "list_price": "list_price_value",
            "currency": "currency",
            "fx_rate": "fx_rate",
            "net_amount_rc": _times_rate("net", "net_cents"),
            "cost_rc": _times_rate("cost_value", "cost_cents"),
            "is_credit": "is_credit",
            "country": "country",
        }
        select = ", ".join(
            f"CAST({expressions[name]} AS {sql_type}) AS {name}"
            for name, sql_type in FACT_COLUMNS.items()
        )
        target = staging / "part-0.parquet"
        # ZSTD level 1: as small as the default level 3 on order lines, and cheaper to write
        self.con.execute(f"""
            COPY (
                SELECT {select} FROM (
                    SELECT *, {_cents_times_rate("net")} AS net_cents,
                              {_cents_times_rate("cost_value")} AS cost_cents
                    FROM resolved WHERE problem IS NULL AND NOT duplicate
                )
            ) TO {_literal(str(target))}
            (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE 262144)
        """)

    def _count(self) -> None:
        c = self.counts
        row = self.con.execute("""
            SELECT count(*) FILTER (WHERE problem IS NULL AND NOT duplicate),
                   count(*) FILTER (WHERE problem IS NOT NULL),
                   count(*) FILTER (WHERE problem IS NULL AND duplicate),
                   count(*) FILTER (WHERE problem IS NULL AND NOT duplicate
                                    AND customer_key IS NULL),
                   count(*) FILTER (WHERE problem IS NULL AND NOT duplicate AND is_credit),
                   CAST(min(invoice_date) FILTER (WHERE problem IS NULL) AS VARCHAR),
                   CAST(max(invoice_date) FILTER (WHERE problem IS NULL) AS VARCHAR)
            FROM outcomes
        """).fetchone()
        (
            c.imported,
            c.rejected,
            c.duplicates,
            c.no_customer,
            c.credit_lines,
            c.first_date,
            c.last_date,
        ) = row
        c.rejected += self._line_reject_count()
        counted = self.con.execute("""
            SELECT regexp_replace(problem, '"[^"]*"', '…', 'g') AS reason, count(*)
            FROM outcomes WHERE problem IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 20
        """).fetchall()
        c.reasons = dict(counted)
        for error_type, count in self._csv_reject_types():
            c.reasons[reasons.CSV_ERRORS.get(error_type, error_type.lower())] = count

    def _csv_reject_types(self) -> list[tuple[str, int]]:
        return self.con.execute(
            "SELECT error_type, count(*) FROM line_rejects GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()

    def _write_rejects(self, path: Path) -> None:
        """Every rejected line with its number, the reason and the original fields."""
        if self.counts.rejected == 0:
            return
        # the file's columns follow line, reason, raw_line: a column called "line" is "line (2)"
        headers = readers.unique_names(["line", "reason", "raw_line", *self._names])[3:]
        fields = ", ".join(f"src.{_field(i)} AS {_ident(h)}" for i, h in enumerate(headers))
        blanks = ", ".join(f"NULL AS {_ident(h)}" for h in headers)
        csv_rejects = ""
        if self._line_reject_count():
            cases = " ".join(
                f"WHEN {_literal(k)} THEN {_literal(v)}" for k, v in reasons.CSV_ERRORS.items()
            )
            csv_rejects = f"""
                UNION ALL
                SELECT line, CASE error_type {cases} ELSE lower(error_type) END AS reason,
                       raw_line, {blanks}
                FROM line_rejects
            """
        self.con.execute(f"""
            COPY (
                SELECT * FROM (
                    SELECT r.record AS line, r.problem AS reason, NULL AS raw_line, {fields}
                    FROM resolved r
                    JOIN (SELECT ordinality, * FROM {self._read_csv_plain()} WITH ORDINALITY) src
                      ON src.ordinality = r.source_record
                    WHERE r.problem IS NOT NULL
                    {csv_rejects}
                ) ORDER BY line
            ) TO {_literal(str(path))} (HEADER, DELIMITER ',')
        """)

    def _read_csv_plain(self) -> str:
        return (
            self._read_csv()
            .replace("rejects_table = 'csv_rejects'", "rejects_table = 'csv_rejects_again'")
            .replace("rejects_scan = 'csv_scans'", "rejects_scan = 'csv_scans_again'")
        )

    # -- progress -------------------------------------------------------------------------
    def _run_with_progress(self, sql: str, start: float, end: float, phase: str) -> None:
        """Run `sql`, reporting DuckDB's own progress between `start` and `end`."""
        done = threading.Event()

        def poll() -> None:
            while not done.wait(0.25):
                try:
                    percent = self.con.query_progress()
                except duckdb.Error:
                    continue
                if percent is not None and percent >= 0:
                    self.progress(start + (end - start) * min(percent, 100) / 100, phase)

        watcher = threading.Thread(target=poll, daemon=True)
        watcher.start()
        try:
            self.con.execute(sql)
        finally:
            done.set()
            watcher.join()
        self.progress(end, phase)


def parse_source(
    con: duckdb.DuckDBPyConnection,
    source: Path,
    info: readers.SourceInfo,
    settings: ImportSettings,
    *,
    workdir: Path,
    progress: Progress | None = None,
    settle: bool = True,
) -> OrderLineImport:
    """Parse an export as it came: read directly when DuckDB can, else from the readers'
    clean UTF-8 copy — legacy encodings, xlsx, other delimiters, mixed or CR-only line ends,
    blank lines (DuckDB skips them, and the line numbers after one would be off); also when
    DuckDB refuses the file whole (invalid UTF-8 deep inside) or cuts a long rejected line
    (duckdb/duckdb#18980). In the copy every line has the header's width: the lines that do
    not are set aside by the conversion and rejected one by one, so DuckDB rejects none.

    First the date format is settled on the whole column (`OrderLineImport.settle_dates`:
    it raises `formats.DatesUndecided` when a person has to choose); `settle=False` keeps
    `settings.dates` as it is."""
    report = progress or (lambda fraction, phase: None)
    converted = workdir / "converted.csv"
    misfits = workdir / "misfits.csv"

    def parse(path: Path, set_aside: Path | None = None) -> OrderLineImport:
        job = OrderLineImport(
            con,
            CsvFormat(path, header=tuple(info.header), misfits=set_aside),
            settings,
            progress=lambda f, phase: report(0.15 + 0.85 * f, phase),
            workdir=workdir,
        )
        if settle:
            job.settle_dates()
        job.parse()
        return job

    def parse_converted() -> OrderLineImport:
        workdir.mkdir(parents=True, exist_ok=True)
        readers.to_utf8_csv(
            source,
            converted,
            info,
            progress=lambda done, total: report(0.15 * done / max(total, 1), "converting"),
            misfits=misfits,
        )
        return parse(converted, misfits)

    if readers.needs_conversion(info) or not readers.scan_lines(source).direct:
        return parse_converted()
    try:
        job = parse(source)
    except duckdb.InvalidInputException:
        return parse_converted()
    if job.cut_rejected_lines():
        try:
            return parse_converted()
        except readers.SourceError:
            # the copy cannot be made either (a field beyond the csv module's limit, like a
            # quote that never ends): keep DuckDB's reading, whose rejects file then holds
            # the first 10,000 bytes of such a line
            return job
    return job
