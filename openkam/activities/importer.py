"""`kam import activities FILE`: activities from a CSV or Excel file, line by line.

Every line is imported, rejected with a reason, or counted as a duplicate (of an earlier line,
or of an activity an earlier import made): read = imported + rejected + duplicates. Each
activity gets a fingerprint (`Activity.source_key`) from its normalised line — account, time,
kind, subject and the people present — so importing the same file twice makes nothing new.
The whole file is one transaction. Each activity is made by `services.activity_create`, so it
passes the form's validation (the model's clean) and gets its own change-log entry, as one
typed in would.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
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
from openkam.stakeholders.coverage import deferred_refresh
from openkam.stakeholders.models import Stakeholder
from openkam.users.models import User

from . import reasons, services
from .models import MAX_DURATION_MINUTES, Activity, ActivityKind, Purpose

COLUMNS = (
    "date",
    "account",
    "kind",
    "subject",
    "attendees",
    "duration",
    "purpose",
    "notes",
    "outcome",
)
REQUIRED_COLUMNS = ("date", "account", "kind", "subject")
DEFAULT_DURATION = 30
# A date without a time is taken as 09:00 in the server's time zone.
DEFAULT_TIME = dt.time(9, 0)
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


def read_rows(path: Path) -> tuple[list[str], list[list[Any]]]:
    """The header (lower-cased) and the rows of a CSV (',' or ';') or .xlsx file."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    else:
        text = path.read_text(encoding="utf-8-sig")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    rows = [r for r in rows if any(_text(v) for v in r)]
    if not rows:
        return [], []
    header = [_text(h).lower() for h in rows[0]]
    return header, rows[1:]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


class _Resolver:
    """Accounts, kinds and people by what a file calls them, looked up once per value."""

    def __init__(self, actor: User) -> None:
        self.actor = actor
        self.kinds: dict[str, ActivityKind] = {}
        for kind in ActivityKind.objects.all():
            names = {kind.code, kind.name, kind.code.replace("_", " ")}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    names.add(str(kind))
            for name in names:
                self.kinds.setdefault(name.casefold(), kind)
        self.purposes: dict[str, str] = {}
        for value, label in Purpose.choices:
            names = {value, value.replace("_", " "), str(label)}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    names.add(str(label))
            for name in names:
                self.purposes[name.casefold()] = value
        self._accounts: dict[str, Account] = {}
        self._may: dict[int, bool] = {}
        self._people: dict[int, dict[str, list[Stakeholder]]] = {}
        self._users: dict[str, list[User]] = {}
        for user in User.objects.all():
            for key in {user.username, user.email, user.get_full_name()}:
                if key:
                    self._users.setdefault(key.casefold(), []).append(user)

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
            self._may[account.pk] = services.may_log(self.actor, account)
        if not self._may[account.pk]:
            raise Rejected(reasons.ACCOUNT_NOT_ALLOWED, user=self.actor, value=value)
        return account

    def kind(self, value: str) -> ActivityKind:
        if not value:
            raise Rejected(reasons.NO_KIND)
        kind = self.kinds.get(value.casefold())
        if kind is None:
            raise Rejected(reasons.UNKNOWN_KIND, value=value)
        return kind

    def purpose(self, value: str) -> str:
        if not value:
            return Purpose.KEY_ACCOUNT
        purpose = self.purposes.get(value.casefold())
        if purpose is None:
            raise Rejected(reasons.UNKNOWN_PURPOSE, value=value)
        return purpose

    def _stakeholders(self, account: Account) -> dict[str, list[Stakeholder]]:
        if account.pk not in self._people:
            people: dict[str, list[Stakeholder]] = {}
            for person in Stakeholder.objects.filter(account=account):
                for key in {person.name, person.email}:
                    if key:
                        people.setdefault(key.casefold(), []).append(person)
            self._people[account.pk] = people
        return self._people[account.pk]

    def attendees(self, account: Account, value: str) -> tuple[list[User], list[Stakeholder]]:
        ours: list[User] = []
        theirs: list[Stakeholder] = []
        for name in (_text(part) for part in value.split(";")):
            if not name:
                continue
            key = name.casefold()
            users = self._users.get(key, [])
            if len(users) > 1:
                raise Rejected(reasons.AMBIGUOUS_ATTENDEE, value=name)
            if users:
                if not users[0].is_active:
                    raise Rejected(reasons.INACTIVE_ATTENDEE, value=name)
                ours.append(users[0])
                continue
            people = self._stakeholders(account).get(key, [])
            if len(people) > 1:
                raise Rejected(reasons.AMBIGUOUS_ATTENDEE, value=name)
            if people:
                theirs.append(people[0])
                continue
            elsewhere = (
                Stakeholder.objects.filter(
                    Q(name__iexact=name) | Q(email__iexact=name) & ~Q(email="")
                )
                .select_related("account")
                .first()
            )
            if elsewhere is not None:
                raise Rejected(reasons.FOREIGN_ATTENDEE, value=name, account=elsewhere.account)
            raise Rejected(reasons.UNKNOWN_ATTENDEE, value=name)
        return list(dict.fromkeys(ours)), list(dict.fromkeys(theirs))


def parse_moment(value: Any) -> dt.datetime:
    """A date or a date and time: ISO text or an Excel date cell, aware in the server's zone."""
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        moment = dt.datetime.combine(value, DEFAULT_TIME)
    else:
        text = _text(value)
        if not text:
            raise Rejected(reasons.NO_DATE)
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                moment = dt.datetime.combine(dt.date.fromisoformat(text), DEFAULT_TIME)
            else:
                moment = dt.datetime.fromisoformat(text)
        except ValueError as error:
            raise Rejected(reasons.NOT_A_DATE, value=text) from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def parse_duration(value: Any) -> int:
    text = _text(value)
    if not text:
        return DEFAULT_DURATION
    try:
        minutes = float(text.replace(",", "."))
    except ValueError as error:
        raise Rejected(reasons.NOT_A_DURATION, value=text) from error
    if not minutes.is_integer() or not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise Rejected(reasons.NOT_A_DURATION, value=text)
    return int(minutes)


def fingerprint(
    account: Account,
    occurred_at: dt.datetime,
    kind: ActivityKind,
    subject: str,
    ours: list[User],
    theirs: list[Stakeholder],
) -> str:
    """Stable across imports of the same line: the same account, moment (in UTC), kind,
    subject (case and spacing aside) and people make the same key."""
    parts = [
        str(account.pk),
        occurred_at.astimezone(dt.UTC).isoformat(timespec="minutes"),
        kind.code,
        subject.casefold(),
        ",".join(sorted(str(u.pk) for u in ours)),
        ",".join(sorted(str(s.pk) for s in theirs)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(f"{f}: {' '.join(m)}" for f, m in error.message_dict.items())
    return " ".join(error.messages)


def import_activities(path: Path, *, actor: User, progress: Progress | None = None) -> ImportResult:
    """Import the file as `actor`; the rejects file (line, reason, the line's own fields) is
    written next to the other imports when a line is rejected or a duplicate."""
    if not services._holds(actor, "activities.add_activity"):
        raise PermissionDenied(_("%(user)s may not log activities.") % {"user": actor})
    header, rows = read_rows(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise ValidationError(
            _("%(file)s: missing columns %(columns)s (expected %(expected)s)")
            % {"file": path.name, "columns": ", ".join(missing), "expected": ", ".join(COLUMNS)}
        )
    result = ImportResult()
    problems: list[tuple[int, str, list[Any]]] = []
    seen: dict[str, int] = {}
    total = len(rows)
    with translation.override("en"), transaction.atomic(), deferred_refresh():
        resolver = _Resolver(actor)
        for index, row in enumerate(rows):
            line = index + 2  # the header is line 1
            result.read += 1
            fields = {name: row[i] if i < len(row) else None for i, name in enumerate(header)}
            try:
                _import_line(fields, line, resolver, seen, actor)
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
    fields: dict[str, Any], line: int, resolver: _Resolver, seen: dict[str, int], actor: User
) -> Activity:
    occurred_at = parse_moment(fields.get("date"))
    account = resolver.account(_text(fields.get("account")))
    kind = resolver.kind(_text(fields.get("kind")))
    subject = _text(fields.get("subject"))
    if not subject:
        raise Rejected(reasons.NO_SUBJECT)
    ours, theirs = resolver.attendees(account, _text(fields.get("attendees")))
    duration = parse_duration(fields.get("duration"))
    purpose = resolver.purpose(_text(fields.get("purpose")))
    key = fingerprint(account, occurred_at, kind, subject, ours, theirs)
    if key in seen:
        raise Rejected(reasons.DUPLICATE_IN_FILE, line=seen[key])
    seen[key] = line
    if Activity.objects.filter(source_key=key).exists():
        raise Rejected(reasons.ALREADY_IMPORTED)
    data = {
        "kind": kind,
        "occurred_at": occurred_at,
        "duration_minutes": duration,
        "purpose": purpose,
        "subject": subject,
        "notes": str(fields.get("notes") or "").strip(),
        "outcome": str(fields.get("outcome") or "").strip(),
    }
    try:
        activity = services.activity_create(
            actor=actor,
            account=account,
            data=data,
            our_people=ours,
            their_people=theirs,
            source_key=key,
        )
    except ValidationError as error:
        raise Rejected(reasons.INVALID, errors=_messages(error)) from error
    return activity


def _write_rejects(path: Path, header: list[str], problems: list) -> Path:
    folder = Path(settings.IMPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    target = folder / f"activities-{stamp}-{path.stem}-rejects.csv"
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["line", "reason", *header])
        for line, reason, row in problems:
            writer.writerow([line, reason, *(_cell(v) for v in row)])
    return target


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def rows_of(result: ImportResult) -> Iterator[tuple[str, int]]:
    """The summary's lines per reason, in the active language, the most frequent first."""
    for template, count in result.reasons.most_common():
        yield reasons.translate_summary(template), count
