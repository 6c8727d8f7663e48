"""Guessing which column of an export is which target (see `schema.TARGETS`) from its header.

Headers are compared as word lists, ignoring case, accents, spaces, underscores, punctuation
and camelCase ("InvoiceNo" = "invoice_no" = "Invoice No." = "INVOICE-NO"; "#" reads as "no",
"%" as "pct"). Each target has:

- strong synonyms: unambiguous names ("invoice number", "vbeln", "unit price", "Đơn giá");
- weak synonyms: one-word names that are right when alone ("date", "amount", "customer");
- blocked words: a header containing one is never a *partial* match ("due date" is no invoice
  date, "tax amount" no net amount, "discount %" no discount amount).

Tie-breaking, in order:

1. exact strong match, 2. exact weak match, 3. a strong synonym inside a longer header
   ("Sell-to Customer No." → customer id), 4. a weak synonym as the header's head word — the
   last word in English ("Billing Date"), the first in Serbian, Vietnamese and Thai ("Datum
   fakture", "Ngày chứng từ", "วันที่เอกสาร"); a trailing currency marker such as "(LCY)" is
   ignored;
5. within a level: fewer extra words, then the synonym listed first, then the leftmost column.

Each header and each target is used at most once, best pairs first. A bare customer word
("Customer", "Client", "Kupac", "Khách hàng", "ลูกค้า") is the customer *name*, unless another
column is the name — then it is the customer id — or, given sample rows, its values look like
codes (digits, no spaces) and no column is the id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from openkam.facts.schema import TARGET_NAMES


@dataclass(frozen=True)
class _Spec:
    strong: tuple[str, ...]
    tail: tuple[str, ...] = ()  # weak, head word last (English)
    head: tuple[str, ...] = ()  # weak, head word first (Serbian, Vietnamese, Thai)
    block: tuple[str, ...] = ()


_SPECS: dict[str, _Spec] = {
    "document_number": _Spec(
        strong=(
            "invoice no", "invoice number", "invoice nr", "invoice num", "invoice id",
            "invoice ref", "invoice reference", "inv no", "inv number", "inv num", "inv nr",
            "document no", "document number", "document nr", "document id", "doc no",
            "doc number", "doc num", "doc nr", "billing document", "billing doc", "bill no",
            "bill number", "belnr", "vbeln", "transaction no", "transaction number",
            "trans no", "voucher no", "voucher number", "reference no", "ref no",
            "số hóa đơn", "số chứng từ", "số ct", "số hđ",
            "เลขที่ใบกำกับ", "เลขที่ใบกำกับภาษี", "เลขที่เอกสาร", "เลขที่ใบแจ้งหนี้",
            "เลขที่บิล",
            "broj fakture", "broj računa", "broj dokumenta",
        ),
        tail=("invoice", "num", "document", "reference", "ref", "voucher", "order no",
              "order number"),
        head=("เลขที่", "faktura", "račun"),
        block=(
            "line", "item", "customer", "client", "account", "tax", "vat", "due", "date",
            "amount", "total", "type", "ผู้เสียภาษี",
        ),
    ),
    "invoice_date": _Spec(
        strong=(
            "invoice date", "inv date", "document date", "doc date", "posting date",
            "billing date", "bill date", "transaction date", "trans date", "txn date",
            "sales date", "date of invoice", "fkdat", "budat", "bldat",
            "ngày chứng từ", "ngày hạch toán", "ngày hóa đơn", "ngày ct", "ngày hđ",
            "วันที่เอกสาร", "วันที่ใบกำกับ", "วันที่ออกใบกำกับ", "วันที่ขาย",
            "datum fakture", "datum računa", "datum dokumenta", "datum prometa",
        ),
        tail=("date", "dt", "order date"),
        head=("datum", "ngày", "วันที่"),
        block=(
            "due", "payment", "pay", "delivery", "ship", "shipping", "shipped", "created",
            "creation", "modified", "updated", "changed", "change", "birth", "expiry",
            "expiration", "valid", "start", "end", "last", "hạn", "valute", "dospeća",
            "isporuke", "ครบกำหนด",
        ),
    ),
    "customer_id": _Spec(
        strong=(
            "customer id", "customer no", "customer number", "customer nr", "customer num",
            "customer code", "customer ref", "customer reference", "customer account",
            "cust id", "cust no", "cust number", "cust code", "cust ref", "client id",
            "client no", "client number", "client code", "account number", "account no",
            "account id", "acct no", "account ref", "account reference", "a/c",
            "debtor code", "debtor no", "debtor number", "debtor id", "debtor account",
            "kunnr", "kunag", "kunrg", "sold-to party", "sold to", "sold-to code",
            "sell-to customer no", "bill-to customer no", "payer", "buyer id",
            "partner code", "partner id",
            "mã khách hàng", "mã kh", "รหัสลูกค้า",
            "šifra kupca", "šifra partnera", "šifra klijenta",
        ),
        block=("name", "naziv", "ime", "ชื่อ", "group", "type", "category", "class"),
    ),
    "customer_name": _Spec(
        strong=(
            "customer name", "cust name", "client name", "account name", "sold-to name",
            "name of sold-to party", "buyer name", "debtor name", "company name",
            "contact name", "name 1", "partner name",
            "tên khách hàng", "tên kh", "ชื่อลูกค้า",
            "naziv kupca", "naziv partnera", "ime kupca", "naziv klijenta",
        ),
        tail=("customer", "client", "buyer", "name", "account", "debtor", "partner", "contact"),
        head=("kupac", "klijent", "partner", "khách hàng", "ลูกค้า"),
        block=(
            "group", "type", "class", "category", "segment", "region", "country", "city",
            "address", "email", "phone", "status", "price", "discount", "tax", "vat",
            "item", "product", "file", "user", "sales", "salesperson", "rep", "gl",
            "ledger", "revenue", "income", "expense", "vendor", "supplier",
        ),
    ),
    "product_code": _Spec(
        strong=(
            "product code", "product id", "product no", "product number", "product sku",
            "item code", "item id", "item no", "item number", "item nr", "item ref",
            "stock code", "stock no", "stock id", "sku", "sku code", "material",
            "material no", "material number", "material code", "matnr", "article no",
            "article number", "article code", "art no", "part no", "part number",
            "part code", "part nr", "inventory item code", "product/service",
            "mã hàng", "mã vật tư", "mã hàng hóa", "mã sp", "mã sản phẩm",
            "รหัสสินค้า",
            "šifra artikla", "šifra proizvoda", "šifra robe",
        ),
        tail=("product", "item", "article", "part"),
        head=("šifra", "artikal", "artikl", "สินค้า"),
        block=(
            "group", "category", "type", "class", "description", "name", "price", "unit",
            "line", "family", "cost", "discount", "kupca", "partnera", "klijenta",
        ),
    ),
    "product_description": _Spec(
        strong=(
            "description", "item description", "product description", "product name",
            "item name", "material description", "article description", "article name",
            "stock description", "item desc", "product desc", "desc", "arktx", "maktx",
            "line description", "tên hàng", "tên vật tư", "tên hàng hóa", "tên sản phẩm",
            "ชื่อสินค้า", "รายละเอียด", "รายละเอียดสินค้า",
            "naziv artikla", "naziv proizvoda", "naziv robe", "opis", "opis artikla",
        ),
        tail=("text",),
        head=("naziv",),
        block=(
            "customer", "client", "account", "payment", "tax", "vat", "group", "category",
            "unit", "measure", "uom",
        ),
    ),
    "product_category": _Spec(
        strong=(
            "category", "product category", "item category", "item category code",
            "product group", "item group", "material group", "matkl", "product family",
            "product line", "product class", "item class", "stock category",
            "category code", "product type",
            "nhóm hàng", "nhóm vật tư", "loại hàng", "nhóm sản phẩm",
            "หมวดสินค้า", "กลุ่มสินค้า", "ประเภทสินค้า", "หมวดหมู่",
            "grupa artikala", "grupa artikla", "grupa proizvoda", "kategorija",
        ),
        tail=("group", "family", "class", "segment"),
        head=("grupa", "nhóm"),
        block=("customer", "client", "account", "price", "discount", "tax", "vat", "posting"),
    ),
    "quantity": _Spec(
        strong=(
            "qty", "quantity", "units", "qty sold", "quantity sold", "qty invoiced",
            "invoiced quantity", "billed quantity", "sales quantity", "sold quantity",
            "fkimg", "menge", "pcs", "pieces",
            "số lượng", "sl", "จำนวน", "จำนวนหน่วย", "količina", "kol",
        ),
        tail=("count",),
        block=(
            "uom", "unit", "measure", "price", "amount", "value", "discount", "pct", "เงิน",
        ),
    ),
    "unit_price": _Spec(
        strong=(
            "unit price", "sales price", "selling price", "unit amount", "price per unit",
            "unit sales price", "net price", "unit net price", "netpr",
            "đơn giá", "đơn giá bán", "ราคาต่อหน่วย", "ราคาขาย", "ราคา/หน่วย",
            "jedinična cena", "cena", "cijena", "prodajna cena",
        ),
        tail=("price", "rate"),
        head=("ราคา", "cena"),
        block=(
            "list", "gross", "catalogue", "catalog", "cost", "purchase", "total", "group",
            "exchange", "fx", "currency", "tax", "vat", "discount", "commission", "interest",
            "extended", "ext", "pct", "รวม",
        ),
    ),
    "net_amount": _Spec(
        strong=(
            "net amount", "net value", "netwr", "line total", "sales amount",
            "extended price", "ext price", "extended amount", "line amount",
            "net line amount", "net sales", "sales value", "net total", "amount excl vat",
            "amount excl tax", "subtotal",
            "thành tiền", "doanh thu", "doanh số", "tiền hàng",
            "จำนวนเงิน", "ยอดขาย", "มูลค่า", "ยอดเงิน", "รวมเงิน",
            "iznos", "vrednost", "neto iznos", "iznos bez pdv", "promet",
        ),
        tail=("amount", "total", "net", "revenue", "sales", "turnover", "value"),
        head=("iznos", "vrednost", "tiền"),
        block=(
            "tax", "vat", "gst", "gross", "incl", "including", "inc", "discount", "disc",
            "cost", "paid", "due", "balance", "outstanding", "open", "grand", "cogs",
            "margin", "profit", "pdv", "thuế", "ภาษี", "rabat", "qty", "quantity", "count",
            "unit", "list", "price", "pct", "chiết", "weight", "wt", "kg", "volume",
        ),
    ),
    "cost": _Spec(
        strong=(
            "cost", "cogs", "cost amount", "total cost", "cost of sales",
            "cost of goods sold", "unit cost", "cost price", "standard cost", "wavwr",
            "cost value", "line cost", "cost lcy",
            "giá vốn", "tiền vốn", "ต้นทุน", "ราคาทุน",
            "nabavna vrednost", "nabavna cena", "trošak",
        ),
        block=("center", "centre", "kostl", "pct", "type", "code"),
    ),
    "discount": _Spec(
        strong=(
            "discount", "disc", "discount amount", "disc amount", "line discount",
            "line discount amount", "discount value", "rebate", "rabat", "markdown",
            "chiết khấu", "tiền chiết khấu", "ส่วนลด", "popust", "iznos rabata",
        ),
        block=("pct", "percent", "percentage", "rate", "group", "code", "type"),
    ),
    "list_price": _Spec(
        strong=(
            "list price", "gross price", "catalogue price", "catalog price", "price list",
            "msrp", "rrp", "recommended price", "base price", "giá niêm yết", "ราคาตั้ง",
            "cenovnik", "cena iz cenovnika", "kataloška cena",
        ),
        block=("group", "code"),
    ),
    "currency": _Spec(
        strong=(
            "currency", "curr", "ccy", "cur", "currency code", "waers", "waerk",
            "document currency", "valuta", "loại tiền", "tiền tệ", "สกุลเงิน",
        ),
        block=("rate", "exchange", "amount", "factor"),
    ),
    "country": _Spec(
        strong=(
            "country", "country code", "land1", "land", "ctry", "country/region",
            "country/region code", "quốc gia", "ประเทศ", "država", "zemlja",
        ),
        block=("origin", "manufacture"),
    ),
    "document_type": _Spec(
        strong=(
            "document type", "doc type", "transaction type", "trans type",
            "txn type", "invoice type", "billing type", "fkart", "blart", "vbtyp",
            "loại chứng từ", "ประเภทเอกสาร", "vrsta dokumenta", "tip dokumenta",
        ),
        tail=("type",),
        block=(
            "customer", "client", "item", "product", "price", "tax", "payment", "account",
            "material", "line",
        ),
    ),
}  # fmt: skip

# Bare customer words: the name by default, the id when another column is the name.
_BARE_CUSTOMER = ("customer", "client", "kupac", "klijent", "khách hàng", "ลูกค้า", "debtor")
# Trailing words that do not change a header's meaning: "Amount (LCY)", "Net Amount EUR".
_NOISE = frozenset({"lcy", "fcy", "lc", "fc", "rc", "acy"})

_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])")
_LATIN_FOLD = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o"})


def tokens(header: str) -> tuple[str, ...]:
    """A header as comparable words: 'Số hóa đơn' → ('so', 'hoa', 'don'), 'InvoiceNo' →
    ('invoice', 'no'). Thai vowel and tone marks are kept (they are part of the word)."""
    text = _CAMEL.sub(" ", header).replace("#", " no ").replace("№", " no ")
    text = text.replace("%", " pct ").translate(_LATIN_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not 0x300 <= ord(c) <= 0x36F).casefold()
    words, word = [], []
    for c in text:
        if c.isalnum() or unicodedata.category(c) in ("Mn", "Mc"):
            word.append(c)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    return tuple(words)


@dataclass(frozen=True)
class _Synonym:
    target: str
    words: tuple[str, ...]
    rank: int
    kind: str  # "strong", "tail" or "head"

    @property
    def compact(self) -> str:
        return "".join(self.words)

    @property
    def spaceless(self) -> bool:
        """Written without spaces between words (Thai): matched as a substring."""
        return not self.compact.isascii()


def _synonyms() -> list[_Synonym]:
    out = []
    for target, spec in _SPECS.items():
        for kind in ("strong", "tail", "head"):
            for rank, text in enumerate(getattr(spec, kind)):
                out.append(_Synonym(target, tokens(text), rank, kind))
    return out


_SYNONYMS = _synonyms()
_BLOCKED = {target: {tokens(w)[0] for w in spec.block} for target, spec in _SPECS.items()}
_BARE = {"".join(tokens(w)) for w in _BARE_CUSTOMER}


def _match(words: tuple[str, ...], synonym: _Synonym) -> tuple[int, int] | None:
    """(tier, extra words) when `synonym` names a header of these words; None otherwise."""
    compact, wanted = "".join(words), synonym.compact
    if compact == wanted:
        return (0 if synonym.kind == "strong" else 1), 0
    if _blocked(words, synonym.target):
        return None
    if synonym.spaceless:
        extra = len(compact) - len(wanted)
        if synonym.kind == "head" and compact.startswith(wanted):
            return 3, extra
        if synonym.kind == "strong" and wanted in compact:
            return 2, extra
        return None
    n = len(synonym.words)
    body = _strip_noise(words)
    extra = len(words) - n
    if synonym.kind == "tail" and body[-n:] == synonym.words:
        return 3, extra
    if synonym.kind == "head" and body[:n] == synonym.words:
        return 3, extra
    if synonym.kind == "strong" and _contains(words, synonym.words):
        return 2, extra
    return None


def _strip_noise(words: tuple[str, ...]) -> tuple[str, ...]:
    while len(words) > 1 and words[-1] in _NOISE:
        words = words[:-1]
    return words


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def _blocked(words: tuple[str, ...], target: str) -> bool:
    blocked = _BLOCKED[target]
    compact = "".join(words)
    return any(w in blocked for w in words) or any(
        not b.isascii() and b in compact for b in blocked
    )


def guess_mapping(
    headers: Sequence[str], samples: Sequence[Sequence[str]] | None = None
) -> dict[str, str]:
    """Target name → header, for the targets some header names (see the module docstring).

    `samples` (rows aligned with `headers`) only helps to tell a bare "Customer" column of
    codes from one of names. A header that appears twice is considered once (the first).
    """
    columns: dict[str, int] = {}
    for index, header in enumerate(headers):
        if header.strip():
            columns.setdefault(header, index)
    candidates = []
    for header, index in columns.items():
        words = tokens(header)
        for synonym in _SYNONYMS if words else ():
            found = _match(words, synonym)
            if found:
                tier, extra = found
                candidates.append((tier, extra, synonym.rank, index, synonym.target, header))
    mapping: dict[str, str] = {}
    for *_, target, header in sorted(candidates):
        if target not in mapping and header not in mapping.values():
            mapping[target] = header
    _settle_bare_customer(mapping, columns, samples or [])
    return {t: mapping[t] for t in TARGET_NAMES if t in mapping}


def _is_bare_customer(header: str) -> bool:
    return "".join(tokens(header)) in _BARE


def _settle_bare_customer(
    mapping: dict[str, str], columns: dict[str, int], samples: Sequence[Sequence[str]]
) -> None:
    """A bare customer column is the id when its values are codes, or when another column
    already is the name."""
    if "customer_id" in mapping:
        return
    name = mapping.get("customer_name")
    if name is not None and _is_bare_customer(name):
        index = columns[name]
        if _look_like_codes([row[index] for row in samples if index < len(row)]):
            mapping["customer_id"] = mapping.pop("customer_name")
            return
    for header in columns:
        if header not in mapping.values() and _is_bare_customer(header):
            mapping["customer_id"] = header
            return


_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-_/.]*")


def _look_like_codes(values: list[str]) -> bool:
    filled = [v.strip() for v in values if v.strip()]
    return bool(filled) and all(_CODE.fullmatch(v) and re.search("[0-9]", v) for v in filled)
