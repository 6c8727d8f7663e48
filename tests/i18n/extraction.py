"""Our messages as translators get them, extracted afresh from the source."""

from __future__ import annotations

import os
import shutil
from io import StringIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from django.core.management import call_command
from django.test import override_settings

PACKAGE = Path(__file__).resolve().parents[2] / "openkam"
SCRATCH_LANGUAGE = "xx"  # makemessages needs a language; none of ours, never installed
IGNORED = ["tests/*", "*/tests/*", "locale/*"]


def read_catalogue(path: Path) -> Catalog:
    text = path.read_text(encoding="utf-8")
    # makemessages leaves the plural rule of an unknown language as a placeholder.
    text = text.replace("nplurals=INTEGER; plural=EXPRESSION;", "nplurals=2; plural=(n != 1);")
    return read_po(StringIO(text))


def extract_messages(root: Path) -> Catalog:
    """Our messages as translators get them: makemessages over a copy of the package (never
    into openkam/locale), into root/locale/xx."""
    source = root / "source"
    shutil.copytree(
        PACKAGE,
        source / "openkam",
        ignore=shutil.ignore_patterns("locale", "tests", "static", "__pycache__", "*.pyc"),
    )
    locale_dir = root / "locale"
    here = os.getcwd()
    os.chdir(source)
    try:
        # Only our temporary locale directory: makemessages writes into LOCALE_PATHS[0].
        with override_settings(LOCALE_PATHS=[str(locale_dir)]):
            call_command(
                "makemessages",
                locale=[SCRATCH_LANGUAGE],
                domain="django",
                ignore_patterns=IGNORED,
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(here)
    return read_catalogue(locale_dir / SCRATCH_LANGUAGE / "LC_MESSAGES" / "django.po")
