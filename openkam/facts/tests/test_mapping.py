"""Guessing the column mapping from real-looking ERP headers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openkam.facts.mapping import guess_mapping, tokens
from openkam.facts.schema import TARGET_NAMES, missing_required

ERP_HEADERS = {
    "sap-technical": (
        ["VBELN", "FKDAT", "KUNAG", "NAME1", "MATNR", "ARKTX", "MATKL", "FKIMG", "NETWR",
         "WAVWR", "WAERK", "LAND1", "FKART"],
        {"document_number": "VBELN", "invoice_date": "FKDAT", "customer_id": "KUNAG",
         "customer_name": "NAME1", "product_code": "MATNR", "product_description": "ARKTX",
         "product_category": "MATKL", "quantity": "FKIMG", "net_amount": "NETWR",
         "cost": "WAVWR", "currency": "WAERK", "country": "LAND1", "document_type": "FKART"},
    ),
    "sap-labels": (
        ["Billing Document", "Billing Date", "Sold-to party", "Name of sold-to party",
         "Material", "Description", "Material Group", "Billed Quantity", "Net value", "Cost",
         "Document Currency", "Country", "Billing Type"],
        {"document_number": "Billing Document", "invoice_date": "Billing Date",
         "customer_id": "Sold-to party", "customer_name": "Name of sold-to party",
         "product_code": "Material", "product_description": "Description",
         "product_category": "Material Group", "quantity": "Billed Quantity",
         "net_amount": "Net value", "cost": "Cost", "currency": "Document Currency",
         "country": "Country", "document_type": "Billing Type"},
    ),
    "dynamics-nav": (
        ["Document No.", "Posting Date", "Sell-to Customer No.", "Type", "No.", "Description",
         "Item Category Code", "Quantity", "Unit Price", "Line Discount Amount", "Amount",
         "Amount Including VAT", "Unit Cost (LCY)", "Currency Code"],
        {"document_number": "Document No.", "invoice_date": "Posting Date",
         "customer_id": "Sell-to Customer No.", "document_type": "Type",
         "product_description": "Description", "product_category": "Item Category Code",
         "quantity": "Quantity", "unit_price": "Unit Price",
         "discount": "Line Discount Amount", "net_amount": "Amount",
         "cost": "Unit Cost (LCY)", "currency": "Currency Code"},
    ),
    "quickbooks": (
        ["Type", "Date", "Num", "Name", "Product/Service", "Memo/Description", "Qty",
         "Sales Price", "Amount", "Balance"],
        {"document_type": "Type", "invoice_date": "Date", "document_number": "Num",
         "customer_name": "Name", "product_code": "Product/Service",
         "product_description": "Memo/Description", "quantity": "Qty",
         "unit_price": "Sales Price", "net_amount": "Amount"},
    ),
    "xero": (
        ["InvoiceNumber", "InvoiceDate", "DueDate", "ContactName", "InventoryItemCode",
         "Description", "Quantity", "UnitAmount", "Discount", "LineAmount", "AccountCode",
         "TaxAmount", "Currency"],
        {"document_number": "InvoiceNumber", "invoice_date": "InvoiceDate",
         "customer_name": "ContactName", "product_code": "InventoryItemCode",
         "product_description": "Description", "quantity": "Quantity",
         "unit_price": "UnitAmount", "discount": "Discount", "net_amount": "LineAmount",
         "currency": "Currency"},
    ),
    "sage": (
        ["Type", "Date", "Invoice #", "A/C", "Name", "Stock Code", "Description", "Qty",
         "Unit Price", "Net", "Discount %", "Tax", "Gross"],
        {"document_type": "Type", "invoice_date": "Date", "document_number": "Invoice #",
         "customer_id": "A/C", "customer_name": "Name", "product_code": "Stock Code",
         "product_description": "Description", "quantity": "Qty", "unit_price": "Unit Price",
         "net_amount": "Net"},
    ),
    "misa-vietnam": (
        ["Ngày hạch toán", "Ngày chứng từ", "Số chứng từ", "Số hóa đơn", "Mã khách hàng",
         "Tên khách hàng", "Mã hàng", "Tên hàng", "ĐVT", "Số lượng", "Đơn giá", "Thành tiền",
         "Tỷ lệ CK", "Tiền chiết khấu", "Thuế GTGT", "Ngày đến hạn"],
        {"invoice_date": "Ngày chứng từ", "document_number": "Số hóa đơn",
         "customer_id": "Mã khách hàng", "customer_name": "Tên khách hàng",
         "product_code": "Mã hàng", "product_description": "Tên hàng",
         "quantity": "Số lượng", "unit_price": "Đơn giá", "net_amount": "Thành tiền",
         "discount": "Tiền chiết khấu"},
    ),
    "express-thailand": (
        ["เลขที่ใบกำกับ", "วันที่", "วันที่ครบกำหนด", "รหัสลูกค้า", "ชื่อลูกค้า", "รหัสสินค้า",
         "ชื่อสินค้า", "จำนวน", "ราคาต่อหน่วย", "ส่วนลด", "จำนวนเงิน", "ภาษีมูลค่าเพิ่ม"],
        {"document_number": "เลขที่ใบกำกับ", "invoice_date": "วันที่",
         "customer_id": "รหัสลูกค้า", "customer_name": "ชื่อลูกค้า",
         "product_code": "รหัสสินค้า", "product_description": "ชื่อสินค้า",
         "quantity": "จำนวน", "unit_price": "ราคาต่อหน่วย", "discount": "ส่วนลด",
         "net_amount": "จำนวนเงิน"},
    ),
    "serbian": (
        ["Broj fakture", "Datum", "Datum valute", "Šifra kupca", "Kupac", "Šifra artikla",
         "Naziv artikla", "Grupa artikala", "Količina", "Cena", "Rabat", "Iznos", "Valuta",
         "Država"],
        {"document_number": "Broj fakture", "invoice_date": "Datum",
         "customer_id": "Šifra kupca", "customer_name": "Kupac",
         "product_code": "Šifra artikla", "product_description": "Naziv artikla",
         "product_category": "Grupa artikala", "quantity": "Količina", "unit_price": "Cena",
         "discount": "Rabat", "net_amount": "Iznos", "currency": "Valuta",
         "country": "Država"},
    ),
    "snake-case-export": (
        ["invoice_no", "invoice_date", "customer_code", "customer_name", "sku", "item_name",
         "product_group", "qty", "unit_price", "list_price", "discount_amount", "line_total",
         "total_cost", "ccy", "country_code", "doc_type"],
        {"document_number": "invoice_no", "invoice_date": "invoice_date",
         "customer_id": "customer_code", "customer_name": "customer_name",
         "product_code": "sku", "product_description": "item_name",
         "product_category": "product_group", "quantity": "qty", "unit_price": "unit_price",
         "list_price": "list_price", "discount": "discount_amount",
         "net_amount": "line_total", "cost": "total_cost", "currency": "ccy",
         "country": "country_code", "document_type": "doc_type"},
    ),
}  # fmt: skip


@pytest.mark.parametrize("erp", ERP_HEADERS)
def test_realistic_headers(erp):
    headers, expected = ERP_HEADERS[erp]
    assert guess_mapping(headers) == expected
    assert missing_required(set(expected)) == []


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("InvoiceNo", ("invoice", "no")),
        ("INVOICE-NO", ("invoice", "no")),
        ("invoice_no", ("invoice", "no")),
        ("Invoice #", ("invoice", "no")),
        (" Số hóa đơn ", ("so", "hoa", "don")),
        ("Đơn giá", ("don", "gia")),
        ("Šifra artikla", ("sifra", "artikla")),
        ("ItemID", ("item", "id")),
        ("NAME1", ("name", "1")),
        ("Discount %", ("discount", "pct")),
        ("ราคาต่อหน่วย", ("ราคาต่อหน่วย",)),
    ],
)
def test_tokens_ignore_case_accents_and_punctuation(header, words):
    assert tokens(header) == words


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        # a bare customer word is the name...
        (["Customer"], {"customer_name": "Customer"}),
        (["Client", "Khách hàng"], {"customer_name": "Client", "customer_id": "Khách hàng"}),
        # ...unless another column is the name: then it is the id
        (
            ["Customer", "Customer Name"],
            {"customer_id": "Customer", "customer_name": "Customer Name"},
        ),
        (
            ["Customer Name", "Customer"],
            {"customer_id": "Customer", "customer_name": "Customer Name"},
        ),
        (["Customer No", "Customer"], {"customer_id": "Customer No", "customer_name": "Customer"}),
        (["Kupac", "Naziv kupca"], {"customer_id": "Kupac", "customer_name": "Naziv kupca"}),
        # exact beats partial, strong beats weak, whatever the column order
        (["Amount", "Net Amount"], {"net_amount": "Net Amount"}),
        (["Order Date", "Invoice Date"], {"invoice_date": "Invoice Date"}),
        (["Date", "Posting Date"], {"invoice_date": "Posting Date"}),
        (["Doc No", "Invoice No"], {"document_number": "Invoice No"}),
        # two equally good columns: the leftmost
        (["Sell-to Customer No.", "Bill-to Customer No."], {"customer_id": "Sell-to Customer No."}),
        # a weak word is only a match as the head word
        (["Total Amount"], {"net_amount": "Total Amount"}),
        (["Amount (LCY)"], {"net_amount": "Amount (LCY)"}),
        (["Amount Including VAT"], {}),
        (["Customer Group"], {}),
        (["Tax Amount", "Due Date", "Net Weight", "Cost Center", "Exchange Rate"], {}),
        (["Discount %", "Disc Pct", "Price Group", "Customer Type"], {}),
        (["Ngày đến hạn", "Datum valute", "วันที่ครบกำหนด"], {}),
        (["Datum fakture"], {"invoice_date": "Datum fakture"}),
        (["วันที่เอกสาร"], {"invoice_date": "วันที่เอกสาร"}),
        (["จำนวนเงินรวม", "จำนวน"], {"quantity": "จำนวน", "net_amount": "จำนวนเงินรวม"}),
        # unit cost is a cost, list price is not a unit price
        (["Unit Cost", "List Price"], {"cost": "Unit Cost", "list_price": "List Price"}),
        (["Price", "List Price"], {"unit_price": "Price", "list_price": "List Price"}),
        ([], {}),
        (["", "  ", "???"], {}),
    ],
)
def test_tie_breaking(headers, expected):
    assert guess_mapping(headers) == expected


def test_sample_values_tell_a_customer_code_column():
    headers = ["Date", "Customer", "Amount"]
    codes = [["2024-03-05", "C-1001", "5"], ["2024-03-06", "10025", "7"]]
    names = [["2024-03-05", "Siam Retail", "5"], ["2024-03-06", "10025", "7"]]
    assert guess_mapping(headers, codes)["customer_id"] == "Customer"
    assert guess_mapping(headers, names)["customer_name"] == "Customer"
    assert "customer_id" not in guess_mapping(headers, names)


def test_a_repeated_header_is_used_once():
    assert guess_mapping(["Amount", "Amount", "Date"]) == {
        "invoice_date": "Date",
        "net_amount": "Amount",
    }


ALL_HEADERS = sorted({h for headers, _ in ERP_HEADERS.values() for h in headers})


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.one_of(st.sampled_from(ALL_HEADERS), st.text(max_size=20)), max_size=25, unique=True
    )
)
def test_each_header_and_each_target_is_used_at_most_once(headers):
    mapping = guess_mapping(headers)
    assert set(mapping) <= set(TARGET_NAMES)
    assert set(mapping.values()) <= set(headers)
    assert len(set(mapping.values())) == len(mapping)
