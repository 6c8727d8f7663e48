"""Marking the import's texts for translation without importing Django.

`gettext_noop` returns its message unchanged; xgettext extracts its calls by the function's
name, so `makemessages` puts these texts into the catalogues, and the Django side translates
them where a person reads them (`gettext(target.label)`).
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    return message
