"""What is wrong with a translation catalogue, message by message.

Used by the catalogue tests and by translators (`python -m tests.i18n.catalogues th`, or a .po file's path):
every message translated, none fuzzy, the same placeholders and HTML tags as the English,
as many plural forms as the language has.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[2] / "openkam" / "locale"

# %(name)s, %s, %d, %.1f, {count}, {0} — but not %% (a literal percent sign)
PLACEHOLDER = re.compile(
    r"%\([A-Za-z_][A-Za-z0-9_]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[A-Za-z_0-9]*\}"
)
TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b[^>]*>")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def tags(text: str) -> Counter:
    return Counter(
        match.group(0) if match.group(0).startswith("</") else match.group(1)
        for match in TAG.finditer(text)
    )


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def problems(path: Path) -> list[str]:
    """One line per problem, naming the file, the line and the message."""
    with path.open("rb") as handle:
        catalogue = read_po(handle, abort_invalid=True)
    plurals = catalogue.num_plurals
    found = []
    for message in catalogue:
        if not message.id:
            continue
        where = f"{path}:{message.lineno}: {message.id!r}"
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{where}: marked fuzzy (check the translation, then remove the flag)")
        if isinstance(message.id, tuple) and len(strings) != plurals:
            found.append(f"{where}: {len(strings)} plural forms, the language has {plurals}")
        if not all(strings):
            found.append(f"{where}: not translated")
            continue
        for index, string in enumerate(strings):
            english = ids[min(index, len(ids) - 1)]
            expected = placeholders(english)
            if isinstance(message.id, tuple):
                # a plural form may leave out the count ("one item") but adds none
                if not set(placeholders(string)) <= set(placeholders(ids[1])) | set(expected):
                    found.append(f"{where}: placeholders {dict(placeholders(string))} differ")
            elif placeholders(string) != expected:
                found.append(
                    f"{where}: placeholders {dict(placeholders(string))}, "
                    f"the English has {dict(expected)}"
                )
            if tags(string) != tags(english):
                found.append(f"{where}: HTML tags differ from the English")
    return found


def main(languages: list[str]) -> int:
    count = 0
    for language in languages:
        path = Path(language) if language.endswith(".po") else catalogue_path(language)
        for problem in problems(path):
            print(problem)
            count += 1
    print(f"{count} problems")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
