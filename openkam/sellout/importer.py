"""`kam import sellout FILE`: the sell-out a retailer shares with us, from a CSV (`,` or `;`) or
Excel file, into the fact store's `sellout` table.

Columns: account (ERP number or name), store (or channel), period (the month: YYYY-MM, or a date
in it), shoppers (distinct buyers in the month), visits (or transactions: shopping trips with our
products), value (what they spent on our products), and optionally units and currency (default:
the reporting currency). One line per account, store and month.

Every line is imported, rejected with a reason, or counted as a duplicate (of an earlier line or
of a line an earlier import brought): read = imported + rejected + duplicates. A line is known by
its account, store and month: the same figures again are a duplicate, other figures a conflict
(rejected, with the import that has them). So importing the same file twice changes nothing.

Safety, as for the order lines: the accepted lines are written into a staging folder, then the
batch's row is saved and the folder renamed into `sellout/` inside one database transaction;
readers see the whole batch or nothing. A crash leaves at most a staging folder or a batch the
database does not know, both removed by `reconcile` at the start of the next import. Imports run
one at a time (a lock file in the fact store).
"""

from __future__ import annotations

import calendar
import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import io
import re
import shutil
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.currencies import is_currency
from openkam.accounts.models import Account
from openkam.accounts.selectors import account_may
from openkam.activities.importer import read_rows
from openkam.facts.sellout_schema import SELLOUT_ARROW
from openkam.facts.sources import duckdb_connection
from openkam.facts.store import FactStore, SelloutArea
from openkam.sales.models import ExchangeRate
from openkam.users.models import User

from . import reasons
from .models import ImportStatus, SelloutImport

# each meaning, and the header names a file may give it (lower case)
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "account": ("account", "customer", "retailer"),
    "store": ("store", "channel", "outlet"),
    "period": ("period", "month", "date"),
    "shoppers": ("shoppers", "buyers", "customers"),
    "visits": ("visits", "transactions", "trips"),
    "value": ("value", "sales", "amount"),
    "units": ("units", "quantity"),
    "currency": ("currency",),
}
REQUIRED = ("account", "store", "period", "shoppers", "visits", "value")
CENT = Decimal("0.01")
UNIT = Decimal("0.0001")
Progress = Callable[[int, int], None]


class Rejected(Exception):
    def __init__(self, template: str, **values: Any) -> None:
        super().__init__(template)
        self.template = template
        self.values = {k: str(v) for k, v in values.items()}


@dataclass
class _Line:
    line: int
    account_id: int
    store: str
    period: dt.date
    shoppers: int
    visits: int
    units: Decimal | None
    value: Decimal
    currency: str
    value_rc: Decimal = Decimal("0")

    @property
    def key(self) -> tuple[int, str, dt.date]:
        return (self.account_id, self.store.casefold(), self.period)

    @property
    def figures(self) -> tuple:
        return (self.shoppers, self.visits, self.units, self.value, self.currency)


@dataclass
class _Problems:
    rows: list[tuple[int, str, list[Any]]] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


def fact_area() -> SelloutArea:
    return SelloutArea(FactStore(settings.FACTS_DIR))


def may_import(actor: User) -> bool:
    return actor.is_active and (actor.is_superuser or actor.has_perm("sellout.add_selloutimport"))


def committed_batch_ids() -> set[int]:
    return set(
        SelloutImport.objects.filter(status=ImportStatus.COMMITTED).values_list("pk", flat=True)
    )


@contextlib.contextmanager
def _one_at_a_time(area: SelloutArea) -> Iterator[None]:
    area.root.parent.mkdir(parents=True, exist_ok=True)
    with open(area.root.parent / ".sellout.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def columns_of(header: list[str]) -> dict[str, int]:
    """Which position holds each meaning (the first header name that matches)."""
    found: dict[str, int] = {}
    for meaning, names in COLUMN_NAMES.items():
        for name in names:
            if name in header:
                found[meaning] = header.index(name)
                break
    return found


def parse_period(value: Any, this_month: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        month = value.date().replace(day=1)
    elif isinstance(value, dt.date):
        month = value.replace(day=1)
    else:
        text = _text(value)
        if not text:
            raise Rejected(reasons.NO_PERIOD)
        match = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?", text)
        try:
            if match is None:
                raise ValueError(text)
            year, number, day = match.groups()
            dt.date(int(year), int(number), int(day or 1))  # a real day, if one is given
            month = dt.date(int(year), int(number), 1)
        except ValueError as error:
            raise Rejected(reasons.NOT_A_PERIOD, value=text) from error
    if month > this_month:
        raise Rejected(reasons.FUTURE_PERIOD, value=f"{month:%Y-%m}")
    return month


def _number(value: Any, column: str, template: str) -> Decimal:
    text = _text(value).replace(" ", "")
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text.replace(",", ""))
    except InvalidOperation as error:
        raise Rejected(template, column=column, value=_text(value)) from error
    if not number.is_finite() or number < 0:
        raise Rejected(template, column=column, value=_text(value))
    return number


def parse_count(value: Any, column: str) -> int:
    number = _number(value, column, reasons.NOT_A_COUNT)
    if number != number.to_integral_value():
        raise Rejected(reasons.NOT_A_COUNT, column=column, value=_text(value))
    return int(number)


class _Accounts:
    """Accounts by what the file calls them, looked up once per value."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self._found: dict[str, Account] = {}
        self._may: dict[int, bool] = {}

    def get(self, value: str) -> Account:
        if not value:
            raise Rejected(reasons.NO_ACCOUNT)
        if value not in self._found:
            found = list(Account.objects.filter(external_id=value)[:1]) or list(
                Account.objects.filter(name__iexact=value)[:2]
            )
            if not found:
                raise Rejected(reasons.UNKNOWN_ACCOUNT, value=value)
            if len(found) > 1:
                raise Rejected(reasons.AMBIGUOUS_ACCOUNT, value=value)
            self._found[value] = found[0]
        account = self._found[value]
        if account.pk not in self._may:
            self._may[account.pk] = account_may(self.actor, account, "change")
        if not self._may[account.pk]:
            raise Rejected(reasons.ACCOUNT_NOT_ALLOWED, user=self.actor, value=value)
        return account


class _Rates:
    """Reporting-currency units per unit of a currency, the rate in force at a month's end."""

    def __init__(self) -> None:
        self._rates: dict[str, tuple[list[dt.date], list[Decimal]]] = {}
        for currency, day, rate in ExchangeRate.objects.order_by(
            "currency", "valid_from"
        ).values_list("currency", "valid_from", "rate"):
            days, rates = self._rates.setdefault(currency, ([], []))
            days.append(day)
            rates.append(rate)

    def convert(self, value: Decimal, currency: str, month: dt.date) -> Decimal:
        if currency == settings.REPORTING_CURRENCY:
            return value
        end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        days, rates = self._rates.get(currency, ([], []))
        index = bisect_right(days, end) - 1
        if index < 0:
            raise Rejected(reasons.NO_RATE, currency=currency, day=end.isoformat())
        return (value * rates[index]).quantize(CENT, ROUND_HALF_UP)


def _parse_line(
    cells: dict[str, Any], line: int, accounts: _Accounts, rates: _Rates, this_month: dt.date
) -> _Line:
    account = accounts.get(_text(cells.get("account")))
    store = _text(cells.get("store"))
    if not store:
        raise Rejected(reasons.NO_STORE)
    if len(store) > 200:
        raise Rejected(reasons.LONG_STORE)
    period = parse_period(cells.get("period"), this_month)
    shoppers = parse_count(cells.get("shoppers"), "shoppers")
    visits = parse_count(cells.get("visits"), "visits")
    value = _number(cells.get("value"), "value", reasons.NOT_AN_AMOUNT).quantize(
        CENT, ROUND_HALF_UP
    )
    units = None
    if _text(cells.get("units")):
        units = _number(cells.get("units"), "units", reasons.NOT_AN_AMOUNT).quantize(UNIT)
    if visits < shoppers:
        raise Rejected(reasons.FEWER_VISITS, visits=visits, shoppers=shoppers)
    if value and not visits:
        raise Rejected(reasons.VALUE_WITHOUT_VISITS, value=value)
    currency = _text(cells.get("currency")).upper() or settings.REPORTING_CURRENCY
    if not is_currency(currency):
        raise Rejected(reasons.UNKNOWN_CURRENCY, value=currency)
    parsed = _Line(line, account.pk, store, period, shoppers, visits, units, value, currency)
    parsed.value_rc = rates.convert(value, currency, period)
    return parsed


def _imported_before(area: SelloutArea) -> dict[tuple, tuple[tuple, int]]:
    """Every published line's key → (its figures, its batch)."""
    if not area.published_batch_ids():
        return {}
    con = duckdb_connection()
    try:
        rows = con.execute(
            "SELECT account_id, store, period, shoppers, visits, units, value, currency, batch_id "
            "FROM read_parquet(?)",
            [area.glob()],
        ).fetchall()
    finally:
        con.close()
    return {
        (account, store.casefold(), period): ((shoppers, visits, units, value, currency), batch)
        for account, store, period, shoppers, visits, units, value, currency, batch in rows
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def import_sellout(path: Path, *, actor: User, progress: Progress | None = None) -> SelloutImport:
    """Import the file as `actor` and return its batch (counts, reasons, rejected lines)."""
    if not may_import(actor):
        raise PermissionDenied(_("%(user)s may not import sell-out.") % {"user": actor})
    header, rows = read_rows(path)
    positions = columns_of(header)
    missing = [meaning for meaning in REQUIRED if meaning not in positions]
    if missing:
        raise ValidationError(
            _("%(file)s: missing columns %(columns)s (expected %(expected)s)")
            % {
                "file": path.name,
                "columns": ", ".join(missing),
                "expected": ", ".join(COLUMN_NAMES),
            }
        )
    area = fact_area()
    with _one_at_a_time(area):
        area.reconcile(committed_batch_ids())
        return _import(path, header, rows, positions, area, actor, progress)


def _import(
    path: Path,
    header: list[str],
    rows: list[list[Any]],
    positions: dict[str, int],
    area: SelloutArea,
    actor: User,
    progress: Progress | None,
) -> SelloutImport:
    earlier = _imported_before(area)
    accounts, rates = _Accounts(actor), _Rates()
    this_month = timezone.localdate().replace(day=1)
    seen: dict[tuple, _Line] = {}
    accepted: list[_Line] = []
    problems = _Problems()
    duplicates = 0
    for index, row in enumerate(rows):
        line = index + 2  # the header is line 1
        cells = {m: row[i] if i < len(row) else None for m, i in positions.items()}
        try:
            parsed = _parse_line(cells, line, accounts, rates, this_month)
            if parsed.key in seen:
                first = seen[parsed.key]
                if first.figures == parsed.figures:
                    raise Rejected(reasons.DUPLICATE_IN_FILE, line=first.line)
                raise Rejected(reasons.CONFLICT_IN_FILE, line=first.line)
            seen[parsed.key] = parsed
            if parsed.key in earlier:
                figures, batch = earlier[parsed.key]
                if figures == parsed.figures:
                    raise Rejected(reasons.ALREADY_IMPORTED)
                raise Rejected(reasons.CONFLICT_IMPORTED, batch=batch)
            accepted.append(parsed)
        except Rejected as rejected:
            if rejected.template in reasons.DUPLICATES:
                duplicates += 1
            problems.counts[rejected.template] += 1
            problems.rows.append((line, reasons.render(rejected.template, rejected.values), row))
        if progress and (index % 500 == 0 or index == len(rows) - 1):
            progress(index + 1, len(rows))
    batch = SelloutImport(
        file_name=path.name,
        file_sha256=_sha256(path),
        created_by=actor,
        rows_read=len(rows),
        imported=len(accepted),
        rejected=len(problems.rows) - duplicates,
        duplicates=duplicates,
        reasons=dict(problems.counts),
        rejects_csv=_rejects_csv(header, problems.rows),
        first_period=min((a.period for a in accepted), default=None),
        last_period=max((a.period for a in accepted), default=None),
    )
    _save_and_publish(batch, accepted, area)
    return batch


def _save_and_publish(batch: SelloutImport, accepted: list[_Line], area: SelloutArea) -> None:
    """The batch row and its Parquet file appear together, or neither does."""
    staging = area.new_staging_dir(0) if accepted else None
    try:
        with transaction.atomic():
            batch.save()
            if staging is not None:
                _write_parquet(staging, batch.pk, accepted)
                area.publish(staging, batch.pk)
                transaction.on_commit(schedule_recompute)
    except BaseException:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
            if batch.pk is not None and not SelloutImport.objects.filter(pk=batch.pk).exists():
                area.delete_batch(batch.pk)
        raise


def _write_parquet(staging: Path, batch_id: int, lines: list[_Line]) -> None:
    columns = {
        "batch_id": [batch_id] * len(lines),
        "source_line": [x.line for x in lines],
        "account_id": [x.account_id for x in lines],
        "store": [x.store for x in lines],
        "period": [x.period for x in lines],
        "shoppers": [x.shoppers for x in lines],
        "visits": [x.visits for x in lines],
        "units": [x.units for x in lines],
        "value": [x.value for x in lines],
        "currency": [x.currency for x in lines],
        "value_rc": [x.value_rc for x in lines],
    }
    table = pa.Table.from_pydict(columns, schema=SELLOUT_ARROW)
    pq.write_table(table, staging / "part-0.parquet")


def _rejects_csv(header: list[str], problems: list[tuple[int, str, list[Any]]]) -> str:
    if not problems:
        return ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "reason", *header])
    for line, reason, row in problems:
        writer.writerow([line, reason, *("" if v is None else str(v) for v in row)])
    return out.getvalue()


def schedule_recompute() -> None:
    """Recompute every account's sell-out results in the background: the facts changed."""
    from .tasks import recompute

    recompute.enqueue()


def rows_of(batch: SelloutImport) -> Iterator[tuple[str, int]]:
    """The summary's lines per reason, in the active language, the most frequent first."""
    for template, count in Counter(batch.reasons).most_common():
        yield reasons.translate_summary(template), count
