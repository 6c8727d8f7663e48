"""The catalogues use the glossary's core terms (docs/glossary.md) wherever a message has them.

Each core term is checked by a stem, so that Serbian cases and Thai compounds still match: a
message whose English contains the term must contain one of the stems in every form.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.i18n.catalogues import catalogue_path

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"

# English pattern → stems per catalogue (lower case; any one of them will do)
CORE_TERMS: dict[str, dict[str, tuple[str, ...]]] = {
    r"\bkey[- ]accounts?\b(?![- ]manager)": {
        "th": ("key account",),
        "vi": ("trọng điểm",),
        "sr_Latn": ("ključn",),
        "fil": ("pangunahing",),
    },
    r"\bkey[- ]account managers?\b": {
        "th": ("key account manager", "kam"),
        "vi": ("kam",),
        "sr_Latn": ("key account menadžer",),
        "fil": ("key account manager",),
    },
    r"\bstakeholders?\b": {
        "th": ("ผู้มีส่วนเกี่ยวข้อง",),
        "vi": ("người liên quan",),
        "sr_Latn": ("kontakt",),
        "fil": ("stakeholder",),
    },
    r"\brevenue\b": {
        "th": ("รายได้",),
        "vi": ("doanh thu",),
        "sr_Latn": ("prihod",),
        "fil": ("kita",),
    },
}


def _forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("language", ["th", "vi", "sr_Latn", "fil"])
@pytest.mark.parametrize("pattern", list(CORE_TERMS))
def test_core_terms_are_translated_the_glossarys_way(language, pattern):
    stems = CORE_TERMS[pattern][language]
    with catalogue_path(language).open("rb") as handle:
        catalogue = read_po(handle)
    wrong = [
        f"{catalogue_path(language)}:{message.lineno}: {_forms(message.id)[0]!r} → {string!r}"
        for message in catalogue
        if message.id and re.search(pattern, _forms(message.id)[0], re.IGNORECASE)
        for string in _forms(message.string)
        if string and not any(stem in string.lower() for stem in stems)
    ]
    assert not wrong, f"use one of {stems} (docs/glossary.md):\n" + "\n".join(wrong)


def test_the_glossary_lists_the_stems_the_tests_check():
    text = GLOSSARY.read_text(encoding="utf-8").lower()
    for per_language in CORE_TERMS.values():
        for stems in per_language.values():
            assert any(stem in text for stem in stems), stems
