"""Why a line of `kam import surveys` is rejected. Each reason is an English template with named
placeholders, marked with `gettext_noop`: the rejects file keeps the English sentence (like the
other imports'), the summary shows the template in KAM_LANGUAGE."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from openkam.activities.reasons import render, translate_summary

NO_DATE = gettext_noop("no date")
NOT_A_DATE = gettext_noop('date "%(value)s" is not a date (YYYY-MM-DD)')
FUTURE_DATE = gettext_noop('date "%(value)s" is in the future')
NO_ACCOUNT = gettext_noop("no account")
UNKNOWN_ACCOUNT = gettext_noop('no account has the external id or name "%(value)s"')
AMBIGUOUS_ACCOUNT = gettext_noop('several accounts are named "%(value)s"; use the external id')
ACCOUNT_NOT_ALLOWED = gettext_noop('%(user)s may not record survey answers of "%(value)s"')
UNKNOWN_STAKEHOLDER = gettext_noop(
    'stakeholder "%(value)s" is not a stakeholder of the account (name or e-mail)'
)
AMBIGUOUS_STAKEHOLDER = gettext_noop(
    'stakeholder "%(value)s" matches several people of the account; use the e-mail'
)
FOREIGN_STAKEHOLDER = gettext_noop(
    'stakeholder "%(value)s" works at %(account)s, not at this account'
)
NOT_A_CSAT = gettext_noop('CSAT "%(value)s" is not a whole number from 1 to 5')
NOT_AN_NPS = gettext_noop('NPS "%(value)s" is not a whole number from 0 to 10')
NO_SCORE = gettext_noop("neither a CSAT nor an NPS score")
INVALID = gettext_noop("the answer is not valid: %(errors)s")
DUPLICATE_IN_FILE = gettext_noop("the same answer as line %(line)s")
ALREADY_IMPORTED = gettext_noop("already imported")

DUPLICATES = (DUPLICATE_IN_FILE, ALREADY_IMPORTED)

__all__ = ["render", "translate_summary"]
