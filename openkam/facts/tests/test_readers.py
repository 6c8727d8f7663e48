"""Reading files as they come: encodings, delimiters, xlsx, row numbering, clear errors."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from openkam.facts import readers
from openkam.facts.readers import (
    LineScan,
    SourceError,
    SourceInfo,
    cell_text,
    iter_rows,
    needs_conversion,
    scan_lines,
    sniff,
    to_utf8_csv,
    unique_names,
)

THAI = "บริษัท สยามค้าปลีก จำกัด"
SERBIAN = "Đorđević, Čačak, Šabac, Žužić"
WESTERN = "Müller, Café, 5 €"


def read_back(path: Path) -> list[tuple]:
    """The rows DuckDB reads from a converted file, roughly as the pipeline reads it."""
    return (
        duckdb.connect()
        .execute(
            "SELECT * FROM read_csv($p, all_varchar=true, header=true, delim=',', quote='\"', "
            "escape='\"', store_rejects=true)",  # rows with too many fields are left out
            {"p": str(path)},
        )
        .fetchall()
    )


def convert(path: Path, tmp_path: Path) -> tuple[SourceInfo, list[tuple], int]:
    info = sniff(path)
    out = tmp_path / "out.csv"
    count = to_utf8_csv(path, out, info)
    return info, read_back(out), count


def excel_time(*parts: int) -> dt.datetime:
    """Excel has no time zones: its date cells are naive datetimes."""
    return dt.datetime(*parts)  # noqa: DTZ001


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings ------------------------------------------------------------------------------


def table(delimiter: str = ",") -> str:
    rows = [
        ["Invoice No", "Customer", "Amount"],
        ["INV-1", f'"{THAI}"' if delimiter == "," else THAI, "1200.00"],
        ["INV-2", f'"{SERBIAN}"', "300.50"],
        ["INV-3", f'"{WESTERN}"', "5"],
    ]
    return "".join(delimiter.join(r) + "\r\n" for r in rows)


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (f"Invoice No,Customer\n1,{THAI}\n2,{THAI}\n", "tis-620", "tis-620"),
        (f'Invoice No;Customer\n1;"{SERBIAN}"\n', "cp1250", "cp1250"),
        (f'Invoice No;Customer\n1;"{WESTERN}"\n2;"Crème brûlée à la carte"\n', "cp1252", "cp1252"),
        (f'Invoice No,Customer\n1,"{WESTERN}"\n', "cp1252", "cp1252"),
        (f"Invoice No,Customer\n1,{THAI}\n", "utf-8", "utf-8"),
        ("Invoice No,Customer\n1,ร้าน สมใจ\n2,อ.เมือง จ.ชลบุรี\n", "tis-620", "tis-620"),
        ("Invoice No;Customer\n1;Łódź Spółka\n2;Dvořák Říčany\n", "cp1250", "cp1250"),
        ("Invoice No;Customer\n1;Große Straße\n2;Åsa Ødegård\n", "cp1252", "cp1252"),
        ("Invoice No;Customer\n1;Ђорђевић, Чачак\n2;ООО РОМАШКА\n", "cp1251", "cp1251"),
    ],
)
def test_encodings_are_detected_and_converted(tmp_path, text, encoding, expected):
    path = write(tmp_path, "orders.csv", text.encode(encoding))
    info, rows, count = convert(path, tmp_path)
    assert info.encoding == expected
    assert not info.has_bom
    assert info.header == ["Invoice No", "Customer"]
    source_rows = [line.split(info.delimiter, 1) for line in text.splitlines()[1:]]
    assert rows == [(n, c.strip('"')) for n, c in source_rows]
    assert count == len(rows)


def test_all_three_scripts_in_one_utf8_file(tmp_path):
    path = write(tmp_path, "orders.csv", table().encode("utf-8"))
    info, rows, _ = convert(path, tmp_path)
    assert (info.encoding, info.delimiter) == ("utf-8", ",")
    assert [r[1] for r in rows] == [THAI, SERBIAN, WESTERN]
    assert not needs_conversion(info)


@pytest.mark.parametrize(
    ("bom", "encoding", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
        (b"", "utf-16-le", "utf-16-le"),
        (b"", "utf-16-be", "utf-16-be"),
    ],
)
def test_byte_order_marks_and_utf16(tmp_path, bom, encoding, expected):
    text = table("\t")  # Excel's "Unicode text" is UTF-16 with tabs
    path = write(tmp_path, "orders.txt", bom + text.encode(encoding))
    info, rows, count = convert(path, tmp_path)
    assert info.encoding == expected
    assert info.has_bom == bool(bom)
    assert info.delimiter == "\t"
    assert info.header == ["Invoice No", "Customer", "Amount"]
    assert [r[1] for r in rows] == [THAI, SERBIAN, WESTERN]
    assert count == 3
    assert needs_conversion(info)


def test_a_utf8_character_cut_at_the_sample_boundary_is_still_utf8(tmp_path):
    header = b"Customer,Amount\n"
    filler = b"x" * ((1 << 20) - len(header) - 1) + b",1\n"
    data = header + filler[:-3] + "ก,1\n".encode()  # ก is 3 bytes; it straddles 1 MB
    data += f"{THAI},2\n".encode() * 10
    assert len(data) > 1 << 20
    info = sniff(write(tmp_path, "orders.csv", data))
    assert info.encoding == "utf-8"


def test_non_ascii_text_after_the_first_megabyte_decides_the_encoding(tmp_path):
    ascii_rows = "".join(f"{i},Customer {i},100.00\n" for i in range(60_000))
    assert len(ascii_rows) > 1 << 20
    text = "Invoice;Customer;Amount\n".replace(";", ",") + ascii_rows + f'9,"{SERBIAN}",5\n'
    path = write(tmp_path, "orders.csv", text.encode("cp1250"))
    info, rows, count = convert(path, tmp_path)
    assert info.encoding == "cp1250"
    assert rows[-1] == ("9", SERBIAN, "5")
    assert count == 60_001


def test_a_stray_cp1252_byte_in_a_utf8_file_does_not_stop_the_conversion(tmp_path):
    text = f"Customer,Amount\n{THAI},1\n".encode() + "Café,2\n".encode("cp1252")
    path = write(tmp_path, "orders.csv", text)
    info = SourceInfo("csv", "utf-8", ",", '"', False, ["Customer", "Amount"], [])
    out = tmp_path / "out.csv"
    assert to_utf8_csv(path, out, info) == 2
    assert read_back(out) == [(THAI, "1"), ("Café", "2")]


# --- delimiters and quoting -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "delimiter"),
    [
        ("a.csv", "Date,Customer,Amount\n2024-03-05,A,1.5\n", ","),
        ("b.csv", "Datum;Kupac;Iznos\n05.03.2024;Đorđević, Čačak;1.200,50\n", ";"),
        ("c.txt", "Date\tCustomer\tAmount\n2024-03-05\tA, B\t1,5\n", "\t"),
        ("d.tsv", "Date\tCustomer\n2024-03-05\tA;B|C\n", "\t"),
        ("e.csv", "Date|Customer|Amount\n2024-03-05|A, B; C|1,5\n", "|"),
        ("f.csv", 'Date,Customer,Amount\n2024-03-05,"A; B; C; D",1\n', ","),
        ("g.csv", "Amount\n1\n2\n", ","),
    ],
)
def test_delimiters(tmp_path, name, text, delimiter):
    path = write(tmp_path, name, text.encode())
    info, rows, _ = convert(path, tmp_path)
    assert info.delimiter == delimiter
    expected = [tuple(f.strip('"') for f in line.split(delimiter)) for line in text.split("\n")]
    if name == "f.csv":
        expected = [(), ("2024-03-05", "A; B; C; D", "1"), ()]
    assert rows == expected[1:-1]


def test_tab_separated_files_without_quoting_keep_inch_marks(tmp_path):
    text = 'Item\tDescription\tQty\nP-1\tPipe 12" steel\t3\nP-2\t"Elbow" 2" brass\t1\n'
    path = write(tmp_path, "items.tsv", text.encode())
    info = sniff(path)
    assert info.quotechar == '"'  # a field starts with a quote: quoting is on
    text = 'Item\tDescription\tQty\nP-1\tPipe 12" steel\t3\nP-2\tElbow 2" brass, "bent"\t1\n'
    path = write(tmp_path, "items.tsv", text.encode())
    info, rows, _ = convert(path, tmp_path)
    assert info.quotechar is None
    assert rows == [("P-1", 'Pipe 12" steel', "3"), ("P-2", 'Elbow 2" brass, "bent"', "1")]


def test_sample_rows_and_header_are_cleaned(tmp_path):
    lines = [" Invoice No , Amount "] + [f"{i},{i}.5" for i in range(300)]
    info = sniff(write(tmp_path, "orders.csv", "\n".join(lines).encode()))
    assert info.header == ["Invoice No", "Amount"]
    assert len(info.sample_rows) == 200
    assert info.sample_rows[0] == ["0", "0.5"]


# --- row numbering --------------------------------------------------------------------------


def test_quoted_newlines_blank_rows_and_wrong_field_counts(tmp_path):
    text = (
        "Invoice No,Customer,Amount\r\n"
        '1,"Line one\r\nline two",10\r\n'  # data row 1 spans two physical lines
        "\r\n"  # data row 2: blank
        "3,Too,many,fields\r\n"  # data row 3: passed through as it is
        '4,"Say ""hi""",40\r\n'
        "5,Short\r\n"
        ",,\r\n"
        "\r\n"  # trailing blank rows are dropped
    )
    path = write(tmp_path, "orders.csv", text.encode())
    info = sniff(path)
    out = tmp_path / "out.csv"
    assert to_utf8_csv(path, out, info) == 5
    assert out.read_bytes().decode() == (
        "Invoice No,Customer,Amount\r\n"
        '1,"Line one\r\nline two",10\r\n'
        ",,\r\n"
        "3,Too,many,fields\r\n"
        '4,"Say ""hi""",40\r\n'
        "5,Short\r\n"
    )
    assert list(iter_rows(path, info))[3] == ["4", 'Say "hi"', "40"]
    # with `misfits`, the rows of the wrong width are set aside; empty fields keep their place
    misfits = tmp_path / "misfits.csv"
    assert to_utf8_csv(path, out, info, misfits=misfits) == 5
    assert out.read_bytes().decode().split("\r\n")[3:] == [
        ",,",  # data row 2: blank
        ",,",  # data row 3: set aside
        '4,"Say ""hi""",40',
        ",,",  # data row 5: set aside
        "",
    ]
    assert misfits.read_bytes().decode() == (
        "line,error_type,raw_line\r\n"
        '4,TOO MANY COLUMNS,"3,Too,many,fields"\r\n'
        '6,MISSING COLUMNS,"5,Short"\r\n'
    )


def test_an_unbalanced_quote_names_the_file_and_the_data_row(tmp_path):
    big = "x" * 200_000
    text = f'Customer,Amount\nA,1\nB,2\n"C,3\n{big}\n'
    path = write(tmp_path, "broken.csv", text.encode())
    with pytest.raises(SourceError, match=r"broken\.csv, data row 3: .*quoted field"):
        to_utf8_csv(path, tmp_path / "out.csv", sniff(path))
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "out.csv.part").exists()


def test_progress_is_reported_in_bytes(tmp_path):
    text = "Customer,Amount\n" + "".join(f"C{i},{i}\n" for i in range(40_000))
    path = write(tmp_path, "orders.csv", text.encode("cp1252"))
    calls = []
    info = sniff(path)
    count = to_utf8_csv(
        path, tmp_path / "out.csv", info, progress=lambda d, t: calls.append((d, t))
    )
    assert count == 40_000
    size = path.stat().st_size
    assert len(calls) >= 3
    assert calls[-1] == (size, size)
    assert all(t == size and 0 < d <= size for d, t in calls)


def test_needs_conversion():
    plain = SourceInfo("csv", "utf-8", ",", '"', False, ["a"], [])
    assert not needs_conversion(plain)
    for other in (
        SourceInfo("csv", "utf-8-sig", ",", '"', True, ["a"], []),
        SourceInfo("csv", "cp1252", ",", '"', False, ["a"], []),
        SourceInfo("csv", "utf-8", ";", '"', False, ["a"], []),
        SourceInfo("csv", "utf-8", "\t", None, False, ["a"], []),
        SourceInfo("xlsx", "utf-8", ",", '"', False, ["a"], []),
    ):
        assert needs_conversion(other)


@pytest.mark.parametrize(
    ("data", "direct"),
    [
        (b"a,b\n1,2\n3,4\n", True),
        (b"a,b\r\n1,2\r\n3,4", True),
        (b"a,b\r\n1,2\n3,4\n", False),  # CRLF header, LF lines
        (b'a,b\n1,"x\r\ny"\n', False),  # a CRLF inside quotes counts too: read the copy
        (b'a,b\n1,"x\ry"\n', False),  # a lone CR: DuckDB would end the line there
        (b"a,b\r1,2\r", False),  # old Mac
        (b"a,b\n1,2\n\n3,4\n", False),  # a blank line: DuckDB skips it, uncounted
        (b"a,b\r\n1,2\r\n\r\n3,4\r\n", False),
        (b"a,b\n1,2\n\n\n", True),  # blank lines at the end change no line number
        (b"a,b\r\n1,2\r\n\r\n", True),
        (b"a,b", True),
    ],
)
def test_scan_lines(tmp_path, data, direct):
    assert scan_lines(write(tmp_path, "orders.csv", data)).direct is direct


def test_scan_lines_across_chunk_boundaries(tmp_path, monkeypatch):
    monkeypatch.setattr(readers, "SCAN_CHUNK", 4)
    assert scan_lines(write(tmp_path, "a.csv", b"a,b\r\n1,2\r\n3,4\r\n5,6\r\n")).direct
    assert scan_lines(write(tmp_path, "b.csv", b"ab\n\n\n\n")).direct
    assert scan_lines(write(tmp_path, "c.csv", b"a,b\n1,2\n\nc\n")) == LineScan(
        lone_lf=4, inner_blank_line=True
    )
    assert scan_lines(write(tmp_path, "d.csv", b"a,bc\r\n\r\ndef\r\n")).inner_blank_line
    assert scan_lines(write(tmp_path, "e.csv", b"a,b\n12\r\n")) == LineScan(crlf=1, lone_lf=1)


def test_unique_names():
    assert unique_names(["a", "", "A", "b", "a (2)", "", "column 2"]) == [
        *["a", "column 2 (2)", "A (3)", "b", "a (2)", "column 6", "column 2"]
    ]
    assert unique_names(["Qty", "qty", "QTY"]) == ["Qty", "qty (2)", "QTY (3)"]
    assert unique_names(["x", "y"]) == ["x", "y"]


def test_sniff_makes_the_header_names_unique(tmp_path):
    info = sniff(write(tmp_path, "orders.csv", b"Amount,,amount,Amount (2)\n1,2,3,4\n"))
    assert info.header == ["Amount", "column 2", "amount (3)", "Amount (2)"]


def test_old_mac_line_ends(tmp_path):
    """Excel for Mac's "CSV (Macintosh)" ends lines with a CR alone."""
    path = write(tmp_path, "orders.csv", b"Invoice No,Amount\rINV-1,10\rINV-2,20\r")
    info, rows, _ = convert(path, tmp_path)
    assert info.header == ["Invoice No", "Amount"]
    assert info.sample_rows == [["INV-1", "10"], ["INV-2", "20"]]
    assert rows == [("INV-1", "10"), ("INV-2", "20")]


def test_a_lone_carriage_return_inside_a_field_stays_inside(tmp_path):
    """Python 3.11's csv writer quotes a field holding a CR only when CR is part of its line
    terminator; unquoted, DuckDB reads the CR as a second kind of line end."""
    path = write(tmp_path, "orders.csv", b'Customer;Amount\n"Siam\rMart";10\n')
    _, rows, count = convert(path, tmp_path)
    assert (count, rows) == (1, [("Siam\rMart", "10")])


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"  \r\n\r\n", "is empty"),
        ("headless.csv", b"\n1,2\n3,4\n", "no header"),
        ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "save it as .xlsx or CSV"),
        ("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image"),
        ("garbage.csv", bytes(range(256)) * 40, "does not look like a text file"),
        ("orders.csv.gz", b"\x1f\x8b\x08\x00" + b"\x00" * 50, "gzip"),
        ("export.xls", b"<html><body><table><tr><td>1</td></tr></table>", "save it as .xlsx"),
        ("export.xls", b'<?xml version="1.0"?>\n<Workbook>', "save it as .xlsx"),
    ],
)
def test_unreadable_files_are_clear_errors(tmp_path, name, data, message):
    path = write(tmp_path, name, data)
    with pytest.raises(SourceError, match=re.escape(name) + ".*" + re.escape(message)):
        sniff(path)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("orders.csv", "a,b\n1,2\n")
    with pytest.raises(SourceError, match=r"export\.zip is a zip archive"):
        sniff(path)


def test_a_missing_file(tmp_path):
    with pytest.raises(SourceError, match=r"nope\.csv: file not found"):
        sniff(tmp_path / "nope.csv")


# --- xlsx -----------------------------------------------------------------------------------


def make_workbook(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["Invoice No", "Date", "Customer", "Qty", "Amount", "Paid"])
    ws.append(["INV-1", excel_time(2024, 3, 5), THAI, 3, 1234.5, True])
    ws.append(["INV-2", excel_time(2024, 3, 6, 14, 30), "Line one\nline two", 2.0, 1e-05, False])
    ws.append([None, None, None, None, None, None])
    ws.append(["INV-4", 45292, SERBIAN, 10**15, 1e20, None])
    ws.append(["INV-5", dt.date(2024, 3, 7), "Extra", 1, -0.1, None, "note"])
    ws.cell(row=12, column=1).number_format = "0.00"  # formatted, empty: trailing rows
    other = wb.create_sheet("Rates")
    other.append(["Currency", "Rate"])
    other.append(["EUR", 38.5])
    wb.save(path)


def test_xlsx_is_streamed_to_csv(tmp_path):
    path = tmp_path / "orders.xlsx"
    make_workbook(path)
    info, rows, count = convert(path, tmp_path)
    assert (info.kind, info.sheet, info.sheets) == ("xlsx", "Orders", ["Orders", "Rates"])
    assert info.header == ["Invoice No", "Date", "Customer", "Qty", "Amount", "Paid"]
    assert needs_conversion(info)
    assert count == 5
    assert rows[:2] == [
        ("INV-1", "2024-03-05", THAI, "3", "1234.5", "TRUE"),
        ("INV-2", "2024-03-06 14:30:00", "Line one\nline two", "2", "0.00001", "FALSE"),
    ]
    assert rows[2] == (None,) * 6  # the blank row keeps its number
    assert rows[3] == ("INV-4", "45292", SERBIAN, "1000000000000000", "100000000000000000000", None)
    out = (tmp_path / "out.csv").read_bytes().decode()
    assert out.endswith("\r\nINV-5,2024-03-07,Extra,1,-0.1,,note\r\n")  # the stray note stays
    assert info.sample_rows[2][:3] == ["INV-4", "45292", SERBIAN]


def test_xlsx_named_sheet(tmp_path):
    path = tmp_path / "orders.xlsx"
    make_workbook(path)
    info = sniff(path, sheet="Rates")
    assert (info.sheet, info.header, info.sample_rows) == (
        "Rates",
        ["Currency", "Rate"],
        [["EUR", "38.5"]],
    )
    with pytest.raises(SourceError, match="no sheet named 'Nope'"):
        sniff(path, sheet="Nope")


def test_xlsx_with_a_wrong_dimension_is_read_whole(tmp_path):
    path = tmp_path / "orders.xlsx"
    make_workbook(path)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)
    info, rows, count = convert(broken, tmp_path)
    assert len(info.header) == 6
    assert rows[-1][0] == "INV-4"
    assert count == 5


def test_xlsx_without_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(SourceError, match=r"empty\.xlsx .*no header"):
        sniff(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  text ", "  text "),
        (True, "TRUE"),
        (42, "42"),
        (45292.0, "45292"),
        (0.1 + 0.2, "0.3"),
        (3 * 1234.45, "3703.35"),
        (123456789012.345, "123456789012.345"),
        (1.5e-7, "0.00000015"),
        (-2.5e16, "-25000000000000000"),
        (float("nan"), ""),
        (excel_time(2024, 3, 5), "2024-03-05"),
        (excel_time(2024, 3, 5, 23, 59, 59, 600_000), "2024-03-06"),
        (excel_time(2024, 3, 5, 8, 0, 1), "2024-03-05 08:00:01"),
        (dt.date(2024, 3, 5), "2024-03-05"),
        (dt.time(8, 30), "08:30:00"),
    ],
)
def test_cell_text(value, text):
    assert cell_text(value) == text


def test_set_aside_rows_include_lone_quotes_and_spaces_of_the_wrong_width(tmp_path):
    """A lone `"` on the last line (a quote that never ends) reads as one empty field, and a
    line of spaces as one field of spaces: lines of the wrong width, not blank lines."""
    path = write(tmp_path, "orders.csv", b'a;b;c\n1;2;3\n   \n;;\n4;5;6\n"\n')
    info = sniff(path)
    misfits = tmp_path / "misfits.csv"
    assert to_utf8_csv(path, tmp_path / "out.csv", info, misfits=misfits) == 5
    with misfits.open(newline="") as handle:
        assert list(csv.reader(handle))[1:] == [
            ["3", "MISSING COLUMNS", "   "],
            ["6", "MISSING COLUMNS", '"\n"'],  # the quote swallowed the last line end
        ]
