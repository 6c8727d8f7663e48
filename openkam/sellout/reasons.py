"""Why a line of `kam import sellout` is rejected. Each reason is an English template with named
placeholders, marked with `gettext_noop`: the rejects file keeps the English sentence (like the
other imports'), the summary shows the template in KAM_LANGUAGE."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from openkam.activities.reasons import render, translate_summary

NO_ACCOUNT = gettext_noop("no account")
UNKNOWN_ACCOUNT = gettext_noop('no account has the external id or name "%(value)s"')
AMBIGUOUS_ACCOUNT = gettext_noop('several accounts are named "%(value)s"; use the external id')
ACCOUNT_NOT_ALLOWED = gettext_noop('%(user)s may not import sell-out of "%(value)s"')
NO_STORE = gettext_noop("no store or channel")
LONG_STORE = gettext_noop("the store name is longer than 200 characters")
NO_PERIOD = gettext_noop("no period (the month, YYYY-MM)")
NOT_A_PERIOD = gettext_noop('period "%(value)s" is not a month (YYYY-MM or YYYY-MM-DD)')
FUTURE_PERIOD = gettext_noop('period "%(value)s" is in the future')
NOT_A_COUNT = gettext_noop('%(column)s "%(value)s" is not a whole number of 0 or more')
NOT_AN_AMOUNT = gettext_noop('%(column)s "%(value)s" is not an amount of 0 or more (e.g. 1234.50)')
FEWER_VISITS = gettext_noop(
    "fewer visits (%(visits)s) than shoppers (%(shoppers)s): each shopper visits at least once"
)
VALUE_WITHOUT_VISITS = gettext_noop("a value of %(value)s without any visits")
UNKNOWN_CURRENCY = gettext_noop('"%(value)s" is not a currency code (e.g. USD, THB)')
NO_RATE = gettext_noop(
    "no exchange rate for %(currency)s on %(day)s; import the rates first (`kam import fx`)"
)
CONFLICT_IN_FILE = gettext_noop(
    "line %(line)s has other figures for the same account, store and month; keep one of them"
)
CONFLICT_IMPORTED = gettext_noop(
    "the same account, store and month came with other figures in import #%(batch)s; "
    "leave the line out or correct it there"
)
DUPLICATE_IN_FILE = gettext_noop("the same line as line %(line)s")
ALREADY_IMPORTED = gettext_noop("already imported")

DUPLICATES = (DUPLICATE_IN_FILE, ALREADY_IMPORTED)

__all__ = ["render", "translate_summary"]
