"""The four catalogues hold every message of the source, translated, well-formed."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils.translation import to_locale

from tests.i18n.catalogues import catalogue_path, problems

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
PLURAL_FORMS = {"th": 1, "vi": 1, "sr-latn": 3, "fil": 2}


def _catalogue(language: str):
    with catalogue_path(to_locale(language)).open("rb") as handle:
        return read_po(handle)


def test_every_language_has_a_catalogue():
    assert set(LANGUAGES) == set(PLURAL_FORMS)
    for language in LANGUAGES:
        assert catalogue_path(to_locale(language)).exists(), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_of_the_source_is_in_the_catalogue(language, extracted_messages):
    catalogue = _catalogue(language)
    missing = [
        f"{message.id!r} (from {', '.join(f'{f}:{n}' for f, n in message.locations[:2])})"
        for message in extracted_messages
        if message.id and catalogue.get(message.id, context=message.context) is None
    ]
    assert not missing, (
        f"{len(missing)} messages of the source are not in {catalogue_path(to_locale(language))}"
        " — run `make translations` and translate them (docs/development.md):\n"
        + "\n".join(missing[:40])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    found = problems(catalogue_path(to_locale(language)))
    assert not found, "\n".join(found[:40])


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_plural_rule_is_the_languages(language):
    assert _catalogue(language).num_plurals == PLURAL_FORMS[language]


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_gnu_gettext_accepts_the_catalogue(language):
    checked = subprocess.run(
        [
            shutil.which("msgfmt"),
            "--check",
            "-o",
            "/dev/null",
            str(catalogue_path(to_locale(language))),
        ],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
