"""Files as they come (CSV/TSV/xlsx, any common encoding) → a clean UTF-8 CSV for DuckDB.

`sniff` looks at the start of a file and decides, once per file, how to read it; `to_utf8_csv`
then streams the whole file into a UTF-8 CSV that DuckDB reads with
`read_csv(..., all_varchar=true, header=true, delim=',', quote='"', escape='"')`.
`needs_conversion` and `scan_lines` say when the original file can be read as it is.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import charset_normalizer

SAMPLE_BYTES = 1 << 20  # encoding and delimiter are decided on the first MB ...
EVIDENCE_BYTES = 256 << 10  # ... plus, for an ASCII-only start, the first non-ASCII stretch
SAMPLE_ROWS = 200
DELIMITERS = (",", ";", "\t", "|")
PROGRESS_EVERY = 16384  # rows

Progress = Callable[[int, int], None]


class SourceError(Exception):
    """A file that cannot be imported; the message names the file and says what to do."""


@dataclass(frozen=True)
class SourceInfo:
    """How to read one file, decided once from its start."""

    kind: str  # "csv" (any delimited text) or "xlsx"
    encoding: str  # a Python codec name; "utf-8" for xlsx
    delimiter: str  # one of DELIMITERS; "," for xlsx
    quotechar: str | None  # '"', or None for tab-separated files that never quote
    has_bom: bool
    header: list[str]
    sample_rows: list[list[str]]  # up to SAMPLE_ROWS non-blank data rows, for format decisions
    sheet: str | None = None  # xlsx: the sheet read
    sheets: list[str] = field(default_factory=list)  # xlsx: all sheet names, in order


def needs_conversion(info: SourceInfo) -> bool:
    """False when DuckDB can read the original file with delim=',' quote='"' escape='"' — as
    far as its start tells: `scan_lines` must also find the file `direct`.

    Only the first MB (or first non-ASCII stretch) was checked: invalid UTF-8 further on makes
    DuckDB fail, and then `to_utf8_csv` is the way out.
    """
    return not (
        info.kind == "csv"
        and info.encoding == "utf-8"
        and not info.has_bom
        and info.delimiter == ","
        and info.quotechar == '"'
    )


def unique_names(names: Iterable[str]) -> list[str]:
    """Column names as SQL and people can tell them apart: an empty name becomes "column N"
    (N its position, from 1), and a name equal to an earlier one but for case gets " (2)",
    " (3)"... — never a name another column has already."""
    names = list(names)
    taken = {n.casefold() for n in names if n}
    result: list[str] = []
    used: set[str] = set()
    for position, name in enumerate(names, start=1):
        candidate = name or f"column {position}"
        if candidate.casefold() in used or (not name and candidate.casefold() in taken):
            base, number = candidate, 2
            while (candidate := f"{base} ({number})").casefold() in used | taken:
                number += 1
        used.add(candidate.casefold())
        result.append(candidate)
    return result


@dataclass(frozen=True)
class LineScan:
    """The line ends of a text file, counted over the raw bytes (quoted ones included)."""

    crlf: int = 0
    lone_lf: int = 0
    lone_cr: int = 0
    inner_blank_line: bool = False  # an empty line with more text after it

    @property
    def direct(self) -> bool:
        """DuckDB reads the lines as they are: one kind of line end (LF or CRLF), no blank
        line inside. DuckDB takes a lone CR for a line end, merges or refuses lines when the
        kinds are mixed, and skips blank lines (the line numbers after one would be off)."""
        return not self.lone_cr and not (self.crlf and self.lone_lf) and not self.inner_blank_line


SCAN_CHUNK = 8 << 20
_TEXT_BYTE = re.compile(rb"[^\r\n]")


def scan_lines(path: Path) -> LineScan:
    """Count the kinds of line end in `path` and look for a blank line before its end.

    Vectorised over the raw bytes (about 0.7 s a GB from the page cache, on one core); it
    stops as soon as the file cannot be read directly (the counts are then those up to that
    point). UTF-8 and single-byte encodings only: in UTF-16 every byte pair would count.
    """
    import numpy as np  # only here: the rest of the readers does without it

    cr = lf = crlf = 0
    previous_lf = -1  # where the last LF before this chunk was (-1: the file's start)
    previous_byte = -1  # the last byte of the previous chunk
    offset = 0
    blank_pending = False  # a blank line was seen, and only line ends after it so far
    with Path(path).open("rb", buffering=0) as f:
        while chunk := f.read(SCAN_CHUNK):
            if blank_pending and _TEXT_BYTE.search(chunk):
                return LineScan(crlf, lf - crlf, cr - crlf, inner_blank_line=True)
            data = np.frombuffer(chunk, np.uint8)
            ends = np.flatnonzero(data == 10)
            has_cr = previous_byte == 13 or chunk.find(b"\r") >= 0
            if has_cr:
                cr += int(np.count_nonzero(data == 13))
                if ends.size:
                    before = data[np.maximum(ends - 1, 0)]
                    crlf += int(np.count_nonzero(before == 13))
                    crlf += int(ends[0] == 0 and previous_byte == 13)
            lf += int(ends.size)
            if ends.size:
                gaps = np.diff(ends + offset, prepend=previous_lf)
                # a blank line: LF right after LF, or (CRLF files) CR LF right after LF
                blank = np.flatnonzero((gaps == 1) | ((gaps == 2) if cr else False))
                if blank.size:
                    if _TEXT_BYTE.search(chunk, int(ends[blank[0]])):
                        return LineScan(crlf, lf - crlf, cr - crlf, inner_blank_line=True)
                    blank_pending = True
                previous_lf = int(ends[-1]) + offset
            waiting = chunk.endswith(b"\r")  # may still pair with a LF in the next chunk
            if not LineScan(crlf, lf - crlf, cr - crlf - waiting).direct:
                return LineScan(crlf, lf - crlf, cr - crlf)
            previous_byte = chunk[-1]
            offset += len(chunk)
    return LineScan(crlf, lf - crlf, cr - crlf)


# --- sniffing -------------------------------------------------------------------------------


def sniff(path: Path, sheet: str | None = None) -> SourceInfo:
    """Decide kind, encoding, delimiter and quoting of `path`; read its header and a sample.

    Raises SourceError for files that cannot be imported (empty, binary, old .xls, ...).
    """
    path = Path(path)
    if not path.is_file():
        raise SourceError(f"{path.name}: file not found")
    size = path.stat().st_size
    if size == 0:
        raise SourceError(f"{path.name} is empty")
    with path.open("rb") as f:
        head = f.read(SAMPLE_BYTES)
    if _is_xlsx(path, head):
        return _sniff_xlsx(path, sheet)
    return _sniff_text(path, head, truncated=size > len(head))


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGIC = {
    b"%PDF": "is a PDF document, not a spreadsheet; export the sales lines as .xlsx or CSV",
    b"\x1f\x8b": "is gzip-compressed; unpack it first",
    b"\x89PNG": "is an image, not a spreadsheet",
    b"\xff\xd8\xff": "is an image, not a spreadsheet",
}


def _is_xlsx(path: Path, head: bytes) -> bool:
    """True for an xlsx workbook; raises for other binary containers we recognise."""
    if head.startswith(_OLE2):
        raise SourceError(
            f"{path.name} is an old Excel (.xls) workbook or a password-protected one; "
            "save it as .xlsx or CSV"
        )
    for magic, why in _BINARY_MAGIC.items():
        if head.startswith(magic):
            raise SourceError(f"{path.name} {why}")
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except zipfile.BadZipFile as e:
        raise SourceError(f"{path.name} is a damaged zip/xlsx file") from e
    if "xl/workbook.xml" in names:
        return True
    if "content.xml" in names:
        raise SourceError(f"{path.name} is an OpenDocument spreadsheet; save it as .xlsx or CSV")
    raise SourceError(
        f"{path.name} is a zip archive, not a spreadsheet; unpack it or export the sales "
        "lines as .xlsx or CSV"
    )


def _sniff_text(path: Path, head: bytes, truncated: bool) -> SourceInfo:
    encoding, has_bom = _detect_encoding(path, head, truncated)
    text = _decode_sample(path, head, encoding, truncated)
    if not text.strip():
        raise SourceError(f"{path.name} is empty")
    if _looks_binary(text):
        raise SourceError(
            f"{path.name} does not look like a text file; export the sales lines as .xlsx or CSV"
        )
    if _MARKUP.match(text):
        raise SourceError(
            f"{path.name} is a web page or XML file, not a CSV or workbook; "
            "open it in Excel and save it as .xlsx or CSV"
        )
    delimiter = _detect_delimiter(text, path.suffix.lower())
    quotechar = _detect_quotechar(text, delimiter)
    rows = _sample_rows(text, delimiter, quotechar, truncated)
    header = [h.strip() for h in rows[0]] if rows else []
    if not any(header):
        raise SourceError(f"{path.name} has no header: the first line must hold the column names")
    header = unique_names(header)
    return SourceInfo(
        kind="csv",
        encoding=encoding,
        delimiter=delimiter,
        quotechar=quotechar,
        has_bom=has_bom,
        header=header,
        sample_rows=[r for r in rows[1:] if not _is_blank(r)][:SAMPLE_ROWS],
    )


# What ERPs save as ".xls" when it is really a web page or Excel 2003 XML.
_MARKUP = re.compile(r"\s*<(!doctype html|html|table|\?xml)", re.IGNORECASE)


def _decode_sample(path: Path, head: bytes, encoding: str, truncated: bool) -> str:
    decoder = codecs.getincrementaldecoder(_codec(encoding))(errors=_errors(encoding))
    try:
        text = decoder.decode(head, final=not truncated)
    except UnicodeDecodeError as e:
        raise SourceError(f"{path.name}: cannot read the text ({e.reason})") from e
    if truncated:  # the last line may be cut off (old Mac files end lines with CR alone)
        text = text[: max(text.rfind("\n"), text.rfind("\r")) + 1] or text
    return text.removeprefix("\ufeff")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f")
    return controls > len(sample) // 100


def _sample_rows(
    text: str, delimiter: str, quotechar: str | None, truncated: bool
) -> list[list[str]]:
    rows: list[list[str]] = []
    try:  # newline="": the csv module sees CR, LF and CRLF line ends as they are
        for row in _reader(io.StringIO(text, newline=""), delimiter, quotechar):
            rows.append(row)
            if len(rows) > 2 * SAMPLE_ROWS:
                return rows
    except csv.Error:  # a broken row: the sample ends before it
        return rows
    if truncated and len(rows) > 1:
        rows.pop()  # the sample may end inside this row
    return rows


def _reader(f: Iterable[str], delimiter: str, quotechar: str | None) -> Iterator[list[str]]:
    if quotechar is None:
        return csv.reader(f, delimiter=delimiter, quoting=csv.QUOTE_NONE, strict=False)
    return csv.reader(f, delimiter=delimiter, quotechar=quotechar, doublequote=True, strict=False)


# --- encoding -------------------------------------------------------------------------------

_UTF8_FALLBACK = "openkam-cp1252-fallback"


def _cp1252_fallback(err: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not UTF-8 as cp1252: the usual stray byte in a 'UTF-8' export."""
    assert isinstance(err, UnicodeDecodeError)
    return err.object[err.start : err.end].decode("cp1252", errors="replace"), err.end


codecs.register_error(_UTF8_FALLBACK, _cp1252_fallback)


def _codec(encoding: str) -> str:
    """The codec that decodes `encoding`: TIS-620 files are read as its superset cp874."""
    return "cp874" if encoding == "tis-620" else encoding


def _errors(encoding: str) -> str:
    return _UTF8_FALLBACK if encoding == "utf-8" else "strict"


def _detect_encoding(path: Path, head: bytes, truncated: bool) -> tuple[str, bool]:
    """(encoding, has_bom): BOM, then UTF-16 without BOM, then strict UTF-8, then legacy."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", True
    if b"\x00" in head:
        utf16 = _utf16_without_bom(head)
        if utf16 is None:
            raise SourceError(
                f"{path.name} does not look like a text file; "
                "export the sales lines as .xlsx or CSV"
            )
        return utf16, False
    data = head
    if head.isascii() and truncated:
        data = _non_ascii_stretch(path, len(head)) or head
    if _is_utf8(data, final=not truncated):
        return "utf-8", False
    return _legacy_encoding(path, data), False


def _utf16_without_bom(head: bytes) -> str | None:
    even, odd = head[0::2], head[1::2]
    even_nul, odd_nul = even.count(0), odd.count(0)
    if odd_nul > len(odd) * 0.3 and even_nul < odd_nul / 20:
        return "utf-16-le"
    if even_nul > len(even) * 0.3 and odd_nul < even_nul / 20:
        return "utf-16-be"
    return None


def _non_ascii_stretch(path: Path, start: int) -> bytes | None:
    """The first stretch of the file after `start` holding non-ASCII bytes, if any.

    Everything before it is ASCII, so the stretch starts on a character boundary.
    """
    high = re.compile(rb"[\x80-\xff]")
    with path.open("rb") as f:
        f.seek(start)
        offset = start
        while chunk := f.read(SCAN_CHUNK):
            found = None if chunk.isascii() else high.search(chunk)  # isascii: C speed
            if found:
                line_start = chunk.rfind(b"\n", 0, found.start()) + 1
                f.seek(offset + line_start)
                return f.read(EVIDENCE_BYTES)
            offset += len(chunk)
    return None


def _is_utf8(data: bytes, final: bool) -> bool:
    """Strict UTF-8; unless `final`, a character cut off at the end is fine."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _legacy_encoding(path: Path, data: bytes) -> str:
    """cp1252, cp1250, tis-620 / cp874 (or cp1251), decided by rules; charset-normalizer
    breaks ties.

    Latin scripts have isolated accented letters between ASCII ones; Thai and Cyrillic have
    whole words of high bytes.
    """
    runs = re.findall(rb"[\x80-\xff]+", data)
    if sum(map(len, runs)) >= 2 * len(runs):  # whole words of high bytes: not a Latin script
        if _looks_thai(data):
            return "tis-620" if not re.search(rb"[\x80-\xa0]", data) else "cp874"
        best = charset_normalizer.from_bytes(
            data[:EVIDENCE_BYTES], cp_isolation=["cp1251", "cp1252", "cp1250"]
        ).best()
        if best is not None and best.encoding == "cp1251":
            return "cp1251"
    candidates = [e for e in ("cp1252", "cp1250") if _decodes(data, e)]
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        best = charset_normalizer.from_bytes(data[:EVIDENCE_BYTES]).best()
        if best is None:
            raise SourceError(f"{path.name}: unknown text encoding; save it as UTF-8 CSV")
        return best.encoding
    score = sum(weight * data.count(byte) for byte, weight in _CP1250_EVIDENCE.items())
    if score:
        return "cp1250" if score > 0 else "cp1252"
    if data.decode("cp1252") == data.decode("cp1250"):
        return "cp1252"
    best = charset_normalizer.from_bytes(
        data[:EVIDENCE_BYTES], cp_isolation=["cp1252", "cp1250"]
    ).best()
    return best.encoding if best is not None and best.encoding == "cp1250" else "cp1252"


def _looks_thai(data: bytes) -> bool:
    """TIS-620 Thai: nearly all high bytes are Thai letters (0xA1-0xFB), and many are the
    common consonants at 0xA1-0xBF, where cp1251 Cyrillic has only rare letters."""
    high = len(re.findall(rb"[\x80-\xff]", data))
    thai = len(re.findall(rb"[\xa1-\xda\xdf-\xfb]", data))
    consonants = len(re.findall(rb"[\xa1-\xbf]", data))
    return thai >= 0.9 * high and consonants >= 0.15 * high and _decodes(data, "cp874")


# Bytes that cp1252 and cp1250 read differently, weighted by how much they suggest cp1250
# (positive: a common Central-European letter where cp1252 has a symbol or a rare letter) or
# cp1252 (negative: à å À Å are common in Western text, ŕ ĺ Ŕ Ĺ are rare). š ž Š Ž are the
# same bytes in both, but they are Central-European letters, so they count for cp1250.
_CP1250_EVIDENCE: dict[bytes, int] = {
    bytes([b]): w
    for b, w in {
        0x8A: 1, 0x8E: 1, 0x9A: 1, 0x9E: 1,  # Š Ž š ž
        0x8C: 1, 0x9C: 1, 0x9F: 2,  # Ś ś ź  (Œ œ Ÿ)
        0xA3: 1, 0xA5: 2, 0xAA: 1, 0xAF: 3,  # Ł Ą Ş Ż  (£ ¥ ª ¯)
        0xB3: 3, 0xB9: 3, 0xBA: 1, 0xBC: 2, 0xBE: 3, 0xBF: 1,  # ł ą ş Ľ ľ ż
        0xC6: 2, 0xC8: 2, 0xCA: 1, 0xCC: 2, 0xCF: 2, 0xD0: 3,  # Ć Č Ę Ě Ď Đ
        0xD2: 1, 0xD8: 1, 0xD9: 1, 0xDE: 2,  # Ň Ř Ů Ţ
        0xE6: 2, 0xE8: 1, 0xEC: 1, 0xF0: 3, 0xF8: 1, 0xFE: 2,  # ć č ě đ ř ţ
        0xC0: -3, 0xE0: -3, 0xC5: -3, 0xE5: -3,  # À à Å å  (Ŕ ŕ Ĺ ĺ)
        0xC3: -1, 0xD1: -1, 0xF1: -1, 0xEF: -1, 0xF2: -1,  # Ã Ñ ñ ï ò
    }.items()
}  # fmt: skip


# --- delimiter and quoting ------------------------------------------------------------------


def _detect_delimiter(text: str, suffix: str) -> str:
    """csv.Sniffer, checked against how consistently each candidate splits the sample rows.

    A candidate must split the header into ≥ 2 fields; the best splits most rows into as many
    fields as the header. Sniffer's choice wins when it is as consistent as the best.
    """
    ends = list(itertools.islice(re.finditer(r"\r\n|\r|\n", text), 50))
    snippet = text[: ends[-1].end()] if ends else text
    scores = {d: _consistency(snippet, d) for d in DELIMITERS}
    if suffix in (".tsv", ".tab") and scores["\t"][0]:
        return "\t"
    best = max(DELIMITERS, key=lambda d: scores[d])
    if not scores[best][0]:
        first = snippet.splitlines()[0] if snippet else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        top = max(DELIMITERS, key=lambda d: counts[d])
        return top if counts[top] else ","
    try:
        sniffed = csv.Sniffer().sniff(snippet, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in scores and scores[sniffed][:2] == scores[best][:2]:
        return sniffed
    return best


def _consistency(snippet: str, delimiter: str) -> tuple[bool, float, int]:
    try:
        rows = [r for r in _reader(io.StringIO(snippet, newline=""), delimiter, '"') if r]
    except csv.Error:
        return (False, 0.0, 0)
    if not rows or len(rows[0]) < 2:
        return (False, 0.0, 0)
    width = len(rows[0])
    data = rows[1:-1] or rows[1:]  # the last row of a snippet may be cut off
    share = sum(len(r) == width for r in data) / len(data) if data else 1.0
    return (True, round(share, 2), width)


def _detect_quotechar(text: str, delimiter: str) -> str | None:
    """'"' — except for tab-separated files where no field starts with a quote: those often
    hold inch marks (12" pipe) and never quote, so quotes are read as ordinary characters."""
    if delimiter != "\t":
        return '"'
    return '"' if re.search(r'(^|[\t\r])"', text[:SAMPLE_BYTES], re.MULTILINE) else None


def _is_blank(row: list[str]) -> bool:
    return not "".join(row).strip()


# --- xlsx -----------------------------------------------------------------------------------


def _open_workbook(path: Path) -> Any:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as e:
        raise SourceError(f"{path.name} is a damaged .xlsx workbook ({e})") from e


def _worksheet(path: Path, workbook: Any, sheet: str | None) -> Any:
    if sheet is not None:
        if sheet not in workbook.sheetnames:
            raise SourceError(f"{path.name} has no sheet named {sheet!r}")
        ws = workbook[sheet]
    elif workbook.worksheets:
        ws = workbook.worksheets[0]
    else:
        raise SourceError(f"{path.name} has no worksheet")
    return ws


def _sniff_xlsx(path: Path, sheet: str | None) -> SourceInfo:
    wb = _open_workbook(path)
    try:
        ws = _worksheet(path, wb, sheet)
        ws.reset_dimensions()  # some exporters write a wrong <dimension>
        rows = _xlsx_rows(ws.iter_rows(values_only=True))
        header = [h.strip() for h in next(rows, [])]
        if not any(header):
            raise SourceError(
                f"{path.name} (sheet {ws.title!r}) has no header: "
                "the first row must hold the column names"
            )
        header = unique_names(header)
        sample: list[list[str]] = []
        for row in rows:
            if not _is_blank(row):
                sample.append(_fit(row, len(header)))
            if len(sample) >= SAMPLE_ROWS:
                break
        return SourceInfo(
            kind="xlsx",
            encoding="utf-8",
            delimiter=",",
            quotechar='"',
            has_bom=False,
            header=header,
            sample_rows=sample,
            sheet=ws.title,
            sheets=list(wb.sheetnames),
        )
    finally:
        wb.close()


def _xlsx_rows(rows: Iterable[tuple]) -> Iterator[list[str]]:
    for values in rows:
        cells = [cell_text(v) for v in values]
        while cells and cells[-1] == "":
            cells.pop()
        yield cells


def _fit(row: list[str], width: int) -> list[str]:
    """Pad an xlsx row to the header's width: a spreadsheet row has no 'missing' cells."""
    return row + [""] * (width - len(row)) if len(row) < width else row


def cell_text(value: object) -> str:
    """An xlsx cell value as CSV text: ISO dates, plain numbers with '.', '' for empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _plain_number(value)
    if isinstance(value, dt.datetime):
        rounded = value.replace(microsecond=0)
        value = rounded + dt.timedelta(seconds=1) if value.microsecond >= 500_000 else rounded
        if value.time() == dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M:%S")
    return str(value)


def _plain_number(value: float) -> str:
    """Excel's 15 significant digits, without exponent or trailing zeros: 45292.0 → '45292',
    1e-05 → '0.00001', 3 * 1234.45 → '3703.35' (not 3703.3500000000004)."""
    if value != value or value in (float("inf"), float("-inf")):
        return ""
    text = format(Decimal(format(value, ".15g")), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


# --- conversion -----------------------------------------------------------------------------


def to_utf8_csv(
    path: Path,
    out: Path,
    info: SourceInfo,
    progress: Progress | None = None,
    *,
    misfits: Path | None = None,
) -> int:
    """Stream `path` into `out` as UTF-8 (no BOM) CSV; return the number of data rows written.

    The output is normalised: delimiter ',', fields quoted with '"' only when needed (also
    when they hold a CR or LF), quotes doubled, '\\r\\n' line ends — read it with delim=',',
    quote='"', escape='"'. The header is `info.header` (names stripped of surrounding spaces,
    made unique). Quoted newlines inside fields survive.

    Row N of the output (1-based, header excluded) is data row N of the source, so the pipeline
    can report it as "line N + 1" (header = line 1): a blank row in the middle of the source
    becomes a row of empty fields (skip those), blank rows at the end are dropped, and a record
    spanning several physical lines (quoted newlines) counts as one row. xlsx rows are padded
    to the header's width, since a spreadsheet has no "missing" cells. Rows keep the number of
    fields they have — unless `misfits` is given: then a row with more or fewer fields than the
    header is written to that CSV instead (`line`, `error_type` as DuckDB's rejects table
    names it, `raw_line`: the fields joined again), and a row of empty fields keeps its place.

    Memory stays constant; `out` appears only when complete. `progress(done, total)` is called
    every few thousand rows: bytes for text files; rows for xlsx (total from the sheet's
    dimension, 0 when unknown).
    """
    path, out = Path(path), Path(out)
    partial = out.with_name(out.name + ".part")
    try:
        with contextlib.ExitStack() as files:
            target = files.enter_context(partial.open("w", encoding="utf-8", newline=""))
            # CRLF: Python 3.11 quotes a field holding any character of the line terminator,
            # and DuckDB reads a lone CR outside quotes as a line end.
            writer = csv.writer(target, lineterminator="\r\n")
            writer.writerow(info.header)
            misfit_writer = None
            if misfits is not None:
                handle = files.enter_context(Path(misfits).open("w", encoding="utf-8", newline=""))
                misfit_writer = csv.writer(handle, lineterminator="\r\n")
                misfit_writer.writerow(["line", "error_type", "raw_line"])
            written = _write_rows(
                path, info, writer, progress or (lambda done, total: None), misfit_writer
            )
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    return written


def iter_rows(path: Path, info: SourceInfo) -> Iterator[list[str]]:
    """The data rows of `path` (header skipped) as `to_utf8_csv` reads them, blank ones
    included, streamed. Raises SourceError for a row that cannot be read."""
    path = Path(path)
    if info.kind == "xlsx":
        yield from _xlsx_data_rows(path, info, _Meter())
    else:
        yield from _text_data_rows(path, info, _Meter())


def _write_rows(
    path: Path, info: SourceInfo, writer: Any, progress: Progress, misfits: Any = None
) -> int:
    """Blank rows in the middle become empty fields, trailing ones vanish; returns the number
    of rows written. With `misfits`, rows of the wrong width go there (see `to_utf8_csv`)."""
    meter = _Meter()
    if info.kind == "xlsx":
        rows = _xlsx_data_rows(path, info, meter)
    else:
        rows = _text_data_rows(path, info, meter)
    width = len(info.header)
    written = blank = 0
    for count, row in enumerate(rows, start=1):
        if _stands_for_no_line(row, width):
            blank += 1
            continue
        if blank:
            writer.writerows([[""] * width] * blank)
            written, blank = written + blank, 0
        if misfits is not None and len(row) != width:
            error = "TOO MANY COLUMNS" if len(row) > width else "MISSING COLUMNS"
            misfits.writerow([count + 1, error, _joined(row, info)])
            row = [""] * width
        writer.writerow(row)
        written += 1
        if count % PROGRESS_EVERY == 0:
            progress(meter.done, meter.total)
    progress(meter.total or written, meter.total or written)
    return written


def _stands_for_no_line(row: list[str], width: int) -> bool:
    """An empty line, or the header's width of empty fields or spaces (xlsx rows always have
    that width). Anything else is a line: `"` alone (an unterminated quote at the end) or a
    few spaces is one field, which DuckDB, reading directly, rejects too."""
    return not row or (len(row) == width and _is_blank(row))


def _joined(row: list[str], info: SourceInfo) -> str:
    """A row as one line of the source again (quoted as the source quotes)."""
    quote = info.quotechar
    if quote is None:
        return info.delimiter.join(row)
    special = (info.delimiter, quote, "\r", "\n")
    return info.delimiter.join(
        quote + f.replace(quote, quote * 2) + quote if any(c in f for c in special) else f
        for f in row
    )


class _Meter:
    """How far a reader got: bytes for text files, rows for xlsx."""

    done = 0
    total = 0


class _CountingReader(io.RawIOBase):
    """A raw file that counts the bytes read through it into a _Meter."""

    def __init__(self, path: Path, meter: _Meter) -> None:
        self._raw = path.open("rb", buffering=0)
        self._meter = meter
        meter.total = path.stat().st_size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self._raw.readinto(buffer) or 0
        self._meter.done += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _text_data_rows(path: Path, info: SourceInfo, meter: _Meter) -> Iterator[list[str]]:
    text = io.TextIOWrapper(
        io.BufferedReader(_CountingReader(path, meter), buffer_size=1 << 20),
        encoding=_codec(info.encoding),
        errors=_errors(info.encoding),
        newline="",
    )
    row_number = 0
    with text:
        rows = _reader(text, info.delimiter, info.quotechar)
        try:
            next(rows, None)  # the header
            for row in rows:
                row_number += 1
                yield row
        except csv.Error as e:
            raise SourceError(
                f"{path.name}, data row {row_number + 1}: cannot read the row ({e}); "
                'probably a quoted field that never ends (a lone ")'
            ) from e
        except UnicodeDecodeError as e:
            raise SourceError(
                f"{path.name}, data row {row_number + 1}: bytes that are not "
                f"{info.encoding} text; save the file as UTF-8"
            ) from e


def _xlsx_data_rows(path: Path, info: SourceInfo, meter: _Meter) -> Iterator[list[str]]:
    wb = _open_workbook(path)
    try:
        ws = _worksheet(path, wb, info.sheet)
        meter.total = ws.max_row - 1 if ws.max_row else 0
        ws.reset_dimensions()
        rows = _xlsx_rows(ws.iter_rows(values_only=True))
        next(rows, None)  # the header
        width = len(info.header)
        for row in rows:
            meter.done += 1
            yield _fit(row, width)
    finally:
        wb.close()
