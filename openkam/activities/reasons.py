"""Why a line of `kam import activities` is rejected. Each reason is an English template with
named placeholders, marked with `gettext_noop`: the rejects file keeps the English sentence
(like the order import's), the summary shows the template in KAM_LANGUAGE."""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext, gettext_noop

from openkam.facts.reasons import ELIDED

NO_DATE = gettext_noop("no date")
NOT_A_DATE = gettext_noop('date "%(value)s" is not a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)')
NO_ACCOUNT = gettext_noop("no account")
UNKNOWN_ACCOUNT = gettext_noop('no account has the external id or name "%(value)s"')
AMBIGUOUS_ACCOUNT = gettext_noop('several accounts are named "%(value)s"; use the external id')
ACCOUNT_NOT_ALLOWED = gettext_noop('%(user)s may not log activities of "%(value)s"')
NO_KIND = gettext_noop("no kind")
UNKNOWN_KIND = gettext_noop('kind "%(value)s" is not one of the activity kinds')
NO_SUBJECT = gettext_noop("no subject")
UNKNOWN_ATTENDEE = gettext_noop(
    'attendee "%(value)s" is neither one of our users nor a stakeholder of the account'
)
AMBIGUOUS_ATTENDEE = gettext_noop('attendee "%(value)s" matches several people; use the e-mail')
FOREIGN_ATTENDEE = gettext_noop('attendee "%(value)s" works at %(account)s, not at this account')
INACTIVE_ATTENDEE = gettext_noop('attendee "%(value)s" is not an active user')
NOT_A_DURATION = gettext_noop('duration "%(value)s" is not a number of minutes from 1 to 1440')
UNKNOWN_PURPOSE = gettext_noop(
    'purpose "%(value)s" is not one of key-account work, new business, other'
)
INVALID = gettext_noop("the activity is not valid: %(errors)s")
DUPLICATE_IN_FILE = gettext_noop("the same activity as line %(line)s")
ALREADY_IMPORTED = gettext_noop("already imported")

DUPLICATES = (DUPLICATE_IN_FILE, ALREADY_IMPORTED)


def render(template: str, values: dict[str, str] | None = None) -> str:
    """The reason in English, as the rejects file keeps it."""
    return template % values if values else template


def translate_summary(template: str) -> str:
    """The template in the active language with its values elided, for the summary's counts."""
    return gettext(template) % defaultdict(lambda: ELIDED)
