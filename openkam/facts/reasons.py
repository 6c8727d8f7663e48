"""Why a line of an import is rejected: the English sentences, written into the rejects file by
SQL, and read back so that the Django side can show them in the reader's language.

Each reason is a template with named placeholders (`%(value)s`), marked with `gettext_noop` so
that `makemessages` puts it into the catalogues. `sql` turns a template into a DuckDB string
expression; `parse` finds the template and the values in a reason as the file or the summary
writes it (the summary replaces quoted values with "…" to count alike reasons together).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .messages import gettext_noop

NO_INVOICE_DATE = gettext_noop("no invoice date")
NOT_A_DATE = gettext_noop('invoice date "%(value)s" is not a date in the format %(format)s')
NOT_A_NUMBER = gettext_noop('%(field)s "%(value)s" is not a number')
NO_AMOUNT = gettext_noop("no net amount, and no quantity and unit price to compute it")
AMOUNT_TOO_LARGE = gettext_noop("quantity × unit price is too large to be an amount")
NOT_A_CURRENCY = gettext_noop('currency "%(value)s" is not a 3-letter ISO code such as THB')
NO_EXCHANGE_RATE = gettext_noop(
    "no exchange rate for %(currency)s on or before %(date)s (import one with `kam import fx`)"
)
EXCEL_DATE_NUMBER = gettext_noop("an Excel date number")

# DuckDB's names for the lines its CSV reader cannot split, and what they mean to a person.
CSV_ERRORS = {
    "TOO MANY COLUMNS": gettext_noop(
        "the line has more fields than the header (an unquoted delimiter?)"
    ),
    "MISSING COLUMNS": gettext_noop("the line has fewer fields than the header"),
    "UNQUOTED VALUE": gettext_noop("a quote inside a field is not escaped"),
    "INVALID UNICODE": gettext_noop("the line is not valid text in the file's encoding"),
    "LINE SIZE OVER MAXIMUM": gettext_noop("the line is too long"),
}

TEMPLATES = (
    NO_INVOICE_DATE,
    NOT_A_DATE,
    NOT_A_NUMBER,
    NO_AMOUNT,
    AMOUNT_TOO_LARGE,
    NOT_A_CURRENCY,
    NO_EXCHANGE_RATE,
    *CSV_ERRORS.values(),
)
ELIDED = "…"
_PLACEHOLDER = re.compile(r'"%\((\w+)\)s"|%\((\w+)\)s')


def sql(template: str, **expressions: str) -> str:
    """The template as a DuckDB string expression; each placeholder is the SQL expression
    given for it (`raw_currency`, or an already quoted literal)."""
    parts: list[str] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(_quoted(template[position : match.start()]))
        name = match.group(1) or match.group(2)
        quote = '"' if match.group(1) else ""
        parts += [_quoted(quote), f"CAST({expressions[name]} AS VARCHAR)", _quoted(quote)]
        position = match.end()
    parts.append(_quoted(template[position:]))
    return " || ".join(p for p in parts if p != "''") or "''"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def parse(reason: str) -> tuple[str, dict[str, str]] | None:
    """The template a reason was written from and its values; a value the summary elided is
    "…". None for a text that is not one of our reasons."""
    for template, pattern in _patterns():
        match = pattern.fullmatch(reason)
        if match:
            values = {
                name.removesuffix("_q"): ELIDED if value is None else value
                for name, value in match.groupdict().items()
            }
            return template, values
    return None


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    def compile_one(template: str) -> re.Pattern:
        regex, position = "", 0
        for match in _PLACEHOLDER.finditer(template):
            regex += re.escape(template[position : match.start()])
            if match.group(1):  # quoted: the file has "value", the summary has …
                regex += f'(?:"(?P<{match.group(1)}_q>.*)"|{ELIDED})'
            else:
                regex += f"(?P<{match.group(2)}>.+?)"
            position = match.end()
        return re.compile(regex + re.escape(template[position:]))

    return tuple((t, compile_one(t)) for t in TEMPLATES)
