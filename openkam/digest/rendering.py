"""The digest as an e-mail: a subject, a plain-text body and an HTML body with absolute links.

The HTML is simple and inline-styled (no stylesheet, no script, no image), so mail programs
show it as the page does; the page `/digest/` renders the same body template with relative
links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from openkam.core import formatting

from .selectors import Digest

_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedDigest:
    subject: str
    text: str
    html: str


def base_url() -> str:
    return str(getattr(settings, "KAM_BASE_URL", "http://127.0.0.1:8000")).rstrip("/")


def context(digest: Digest, *, links: str = "") -> dict:
    """What the templates need; `links`: what goes before every path ("" on the page)."""
    return {
        "digest": digest,
        "base": links,
        "title": title(digest),
        "page_url": links + _path("digest:page"),
    }


def _path(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


def title(digest: Digest) -> str:
    return _("Your OpenKAM week from %(date)s") % {"date": formatting.day(digest.week_start)}


def render(digest: Digest) -> RenderedDigest:
    """The e-mail, in the digest's language and the user's calendar."""
    with (
        translation.override(digest.language),
        formatting.use_buddhist_era(digest.user.buddhist_era),
    ):
        data = context(digest, links=base_url())
        subject = " ".join(data["title"].split())  # one line, whatever the translation
        text = _BLANK_LINES.sub("\n\n", render_to_string("digest/email.txt", data)).strip() + "\n"
        html = render_to_string("digest/email.html", data)
    return RenderedDigest(subject=subject, text=text, html=html)
