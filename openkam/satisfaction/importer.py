"""`kam import surveys FILE`: survey answers from a CSV (`,` or `;`) or Excel file, line by line.

Columns: date, account (ERP number or name), stakeholder (e-mail or name; empty: an anonymous
answer for the account), csat (1–5), nps (0–10), comment; at least one of csat and nps.

Every line is imported, rejected with a reason, or counted as a duplicate (of an earlier line,
or of an answer an earlier import made): read = imported + rejected + duplicates. Each answer
gets a fingerprint (`SurveyResponse.source_key`) from its normalised line — account, date,
person, scores and comment — so importing the same file twice makes nothing new. The whole file
is one transaction. Each answer is made by `services.survey_create`, so it passes the model's
validation and gets its own change-log entry, as one typed in would.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.activities.importer import read_rows
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from . import reasons, services
from .models import CSAT_MAX, CSAT_MIN, NPS_MAX, NPS_MIN, SurveyResponse

COLUMNS = ("date", "account", "stakeholder", "csat", "nps", "comment")
REQUIRED_COLUMNS = ("date", "account")
SCORE_COLUMNS = ("csat", "nps")
Progress = Callable[[int, int], None]


class Rejected(Exception):
    def __init__(self, template: str, **values: Any) -> None:
        super().__init__(template)
        self.template = template
        self.values = {k: str(v) for k, v in values.items()}


@dataclass
class ImportResult:
    read: int = 0
    imported: int = 0
    rejected: int = 0
    duplicates: int = 0
    reasons: Counter = field(default_factory=Counter)  # English template -> lines
    rejects_path: Path | None = None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


class _Resolver:
    """Accounts and people by what a file calls them, looked up once per value."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self._accounts: dict[str, Account] = {}
        self._may: dict[int, bool] = {}
        self._people: dict[int, dict[str, list[Stakeholder]]] = {}

    def account(self, value: str) -> Account:
        if not value:
            raise Rejected(reasons.NO_ACCOUNT)
        if value not in self._accounts:
            found = list(Account.objects.filter(external_id=value)[:1]) or list(
                Account.objects.filter(name__iexact=value)[:2]
            )
            if not found:
                raise Rejected(reasons.UNKNOWN_ACCOUNT, value=value)
            if len(found) > 1:
                raise Rejected(reasons.AMBIGUOUS_ACCOUNT, value=value)
            self._accounts[value] = found[0]
        account = self._accounts[value]
        if account.pk not in self._may:
            self._may[account.pk] = services.may_record(self.actor, account)
        if not self._may[account.pk]:
            raise Rejected(reasons.ACCOUNT_NOT_ALLOWED, user=self.actor, value=value)
        return account

    def _stakeholders(self, account: Account) -> dict[str, list[Stakeholder]]:
        if account.pk not in self._people:
            people: dict[str, list[Stakeholder]] = {}
            for person in Stakeholder.objects.filter(account=account):
                for key in {person.name, person.email}:
                    if key:
                        people.setdefault(key.casefold(), []).append(person)
            self._people[account.pk] = people
        return self._people[account.pk]

    def stakeholder(self, account: Account, value: str) -> Stakeholder | None:
        if not value:
            return None
        people = self._stakeholders(account).get(value.casefold(), [])
        if len(people) > 1:
            raise Rejected(reasons.AMBIGUOUS_STAKEHOLDER, value=value)
        if people:
            return people[0]
        elsewhere = (
            Stakeholder.objects.filter(
                Q(name__iexact=value) | Q(email__iexact=value) & ~Q(email="")
            )
            .select_related("account")
            .first()
        )
        if elsewhere is not None:
            raise Rejected(reasons.FOREIGN_STAKEHOLDER, value=value, account=elsewhere.account)
        raise Rejected(reasons.UNKNOWN_STAKEHOLDER, value=value)


def parse_day(value: Any, today: dt.date) -> dt.date:
    """A date: ISO text (a time after it is ignored) or an Excel date cell; not in the future."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = _text(value)
        if not text:
            raise Rejected(reasons.NO_DATE)
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T].*)?", text)
        try:
            if match is None:
                raise ValueError(text)
            day = dt.date.fromisoformat(match.group(1))
        except ValueError as error:
            raise Rejected(reasons.NOT_A_DATE, value=text) from error
    if day > today:
        raise Rejected(reasons.FUTURE_DATE, value=day.isoformat())
    return day


def parse_score(value: Any, low: int, high: int, reason: str) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text.replace(",", "."))
    except ValueError as error:
        raise Rejected(reason, value=text) from error
    if not number.is_integer() or not low <= number <= high:
        raise Rejected(reason, value=text)
    return int(number)


def fingerprint(
    account: Account,
    day: dt.date,
    person: Stakeholder | None,
    csat: int | None,
    nps: int | None,
    comment: str,
) -> str:
    """Stable across imports of the same line: the same account, date, person, scores and
    comment (case and spacing aside) make the same key."""
    parts = [
        str(account.pk),
        day.isoformat(),
        str(person.pk) if person else "",
        "" if csat is None else str(csat),
        "" if nps is None else str(nps),
        _text(comment).casefold(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{f}: {' '.join(m)}" for f, m in error.message_dict.items())
    return " ".join(error.messages)


def import_surveys(path: Path, *, actor: User, progress: Progress | None = None) -> ImportResult:
    """Import the file as `actor`; the rejects file (line, reason, the line's own fields) is
    written next to the other imports when a line is rejected or a duplicate."""
    if not services.holds(actor, "satisfaction.add_surveyresponse"):
        raise PermissionDenied(_("%(user)s may not record survey answers.") % {"user": actor})
    header, rows = read_rows(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if not any(c in header for c in SCORE_COLUMNS):
        missing.append(" / ".join(SCORE_COLUMNS))
    if missing:
        raise ValidationError(
            _("%(file)s: missing columns %(columns)s (expected %(expected)s)")
            % {"file": path.name, "columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    result = ImportResult()
    problems: list[tuple[int, str, list[Any]]] = []
    seen: dict[str, int] = {}
    total = len(rows)
    today = timezone.localdate()
    with translation.override("en"), transaction.atomic():
        resolver = _Resolver(actor)
        for index, row in enumerate(rows):
            line = index + 2  # the header is line 1
            result.read += 1
            fields = {name: row[i] if i < len(row) else None for i, name in enumerate(header)}
            try:
                _import_line(fields, line, resolver, seen, actor, today)
                result.imported += 1
            except Rejected as rejected:
                if rejected.template in reasons.DUPLICATES:
                    result.duplicates += 1
                else:
                    result.rejected += 1
                result.reasons[rejected.template] += 1
                problems.append((line, reasons.render(rejected.template, rejected.values), row))
            if progress and (index % 200 == 0 or index == total - 1):
                progress(index + 1, total)
    if problems:
        result.rejects_path = _write_rejects(path, header, problems)
    return result


def _import_line(
    fields: dict[str, Any],
    line: int,
    resolver: _Resolver,
    seen: dict[str, int],
    actor: User,
    today: dt.date,
) -> SurveyResponse:
    day = parse_day(fields.get("date"), today)
    account = resolver.account(_text(fields.get("account")))
    person = resolver.stakeholder(account, _text(fields.get("stakeholder")))
    csat = parse_score(fields.get("csat"), CSAT_MIN, CSAT_MAX, reasons.NOT_A_CSAT)
    nps = parse_score(fields.get("nps"), NPS_MIN, NPS_MAX, reasons.NOT_AN_NPS)
    if csat is None and nps is None:
        raise Rejected(reasons.NO_SCORE)
    comment = str(fields.get("comment") or "").strip()
    key = fingerprint(account, day, person, csat, nps, comment)
    if key in seen:
        raise Rejected(reasons.DUPLICATE_IN_FILE, line=seen[key])
    seen[key] = line
    if SurveyResponse.objects.filter(source_key=key).exists():
        raise Rejected(reasons.ALREADY_IMPORTED)
    data = {"stakeholder": person, "answered_on": day, "csat": csat, "nps": nps, "comment": comment}
    try:
        return services.survey_create(actor=actor, account=account, data=data, source_key=key)
    except ValidationError as error:
        raise Rejected(reasons.INVALID, errors=_messages(error)) from error


def _write_rejects(path: Path, header: list[str], problems: list) -> Path:
    folder = Path(settings.IMPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"surveys-{stamp}-{path.stem}-rejects.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "reason", *header])
        for line, reason, row in problems:
            writer.writerow([line, reason, *("" if v is None else str(v) for v in row)])
    return target


def rows_of(result: ImportResult) -> Iterator[tuple[str, int]]:
    """The summary's lines per reason, in the active language, the most frequent first."""
    for template, count in result.reasons.most_common():
        yield reasons.translate_summary(template), count
