"""The import's reasons in the reader's language: on the import page, in the API and in the
rejects download. The pipeline writes them in English (`openkam.facts.reasons`); the rejects
file on disk stays as the CLI wrote it."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.utils import translation
from django.utils.translation import get_language, gettext, pgettext_lazy

from openkam.facts import reasons
from openkam.facts.schema import TARGETS

# The rejects file's own first columns, before the imported file's columns.
REJECTS_COLUMNS = {
    "line": pgettext_lazy("rejects file column", "line"),
    "reason": pgettext_lazy("rejects file column", "reason"),
    "raw_line": pgettext_lazy("rejects file column", "raw_line"),
}
_FIELD_LABELS = {t.label.lower(): t.label for t in TARGETS}
_TRANSLATED_VALUES = {reasons.EXCEL_DATE_NUMBER}


def translate_reason(reason: str) -> str:
    """`reason` in the active language; a text that is not one of ours comes back unchanged."""
    found = reasons.parse(reason)
    if found is None:
        return reason
    template, values = found
    if "field" in values and values["field"] in _FIELD_LABELS:
        values["field"] = gettext(_FIELD_LABELS[values["field"]]).lower()
    if values.get("format") in _TRANSLATED_VALUES:
        values["format"] = gettext(values["format"])
    translated = gettext(template)
    for name in [n for n, v in values.items() if v == reasons.ELIDED]:
        # the summary writes an elided value without its quotes, whichever the language uses
        translated = re.sub(rf"[\"“„«]?%\({name}\)s[\"”»]?", reasons.ELIDED, translated)
        del values[name]
    return translated % values if values else translated


def translate_counts(counts: dict[str, int]) -> dict[str, int]:
    """The summary's lines per reason, with the reasons translated (alike ones added up)."""
    translated: dict[str, int] = {}
    for reason, count in counts.items():
        key = translate_reason(reason)
        translated[key] = translated.get(key, 0) + count
    return translated


def rejects_lines(path: Path, *, chunk_rows: int = 2000) -> Iterator[str]:
    """The rejects file as CSV text for a download, with a byte-order mark (Excel then reads
    Thai and Vietnamese right). In English the file's own text follows unchanged; in another
    language its first three column names and every reason are translated. The language is
    fixed now: a streaming response reads the lines after the request has ended."""
    if (get_language() or "en").startswith("en"):
        return _with_bom(_file_text(path))
    header = {name: str(title) for name, title in REJECTS_COLUMNS.items()}
    language = get_language()
    cache: dict[str, str] = {}

    def reason(text: str) -> str:
        if text not in cache:
            with translation.override(language):
                cache[text] = translate_reason(text)
        return cache[text]

    return _with_bom(_translated(path, header, reason, chunk_rows))


def _with_bom(lines: Iterable[str]) -> Iterator[str]:
    yield "\ufeff"
    yield from lines


def _file_text(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as source:
        while block := source.read(1 << 16):
            yield block


def _translated(path: Path, header: dict[str, str], reason, chunk_rows: int) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as source:
        rows = csv.reader(source)
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        first = next(rows, None)
        if first is None:
            return
        writer.writerow([header.get(name, name) if i < 3 else name for i, name in enumerate(first)])
        for number, row in enumerate(rows, start=1):
            if len(row) > 1:
                row[1] = reason(row[1])
            writer.writerow(row)
            if number % chunk_rows == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
