"""The shape of sales history: what an export's columns map to, and what the fact table holds."""

from __future__ import annotations

from dataclasses import dataclass

from .messages import gettext_noop


@dataclass(frozen=True)
class Target:
    """A field an export column can be mapped to."""

    name: str
    label: str
    kind: str  # "text", "date", "number"


# What a column of an ERP export can mean. Only a customer, a date and an amount (or quantity
# and unit price) are required; see `missing_required`.
TARGETS: tuple[Target, ...] = (
    Target("document_number", gettext_noop("Invoice / document number"), "text"),
    Target("invoice_date", gettext_noop("Invoice date"), "date"),
    Target("customer_id", gettext_noop("Customer id / number"), "text"),
    Target("customer_name", gettext_noop("Customer name"), "text"),
    Target("product_code", gettext_noop("Product code / SKU"), "text"),
    Target("product_description", gettext_noop("Product description"), "text"),
    Target("product_category", gettext_noop("Product category"), "text"),
    Target("quantity", gettext_noop("Quantity"), "number"),
    Target("unit_price", gettext_noop("Unit price"), "number"),
    Target("net_amount", gettext_noop("Net amount"), "number"),
    Target("cost", gettext_noop("Cost"), "number"),
    Target("discount", gettext_noop("Discount"), "number"),
    Target("list_price", gettext_noop("List price"), "number"),
    Target("currency", gettext_noop("Currency"), "text"),
    Target("country", gettext_noop("Country"), "text"),
    Target("document_type", gettext_noop("Document type (invoice / credit note)"), "text"),
)
TARGET_NAMES = tuple(t.name for t in TARGETS)
TARGETS_BY_NAME = {t.name: t for t in TARGETS}


def missing_required(mapped: set[str]) -> list[str]:
    """Which required meanings a mapping lacks, as readable phrases in English, marked for
    translation (empty: complete)."""
    missing = []
    if not mapped & {"customer_id", "customer_name"}:
        missing.append(gettext_noop("a customer (id or name)"))
    if "invoice_date" not in mapped:
        missing.append(gettext_noop("an invoice date"))
    if "net_amount" not in mapped and not {"quantity", "unit_price"} <= mapped:
        missing.append(gettext_noop("an amount (net amount, or quantity and unit price)"))
    return missing


# The fact table `order_lines`, one Parquet dataset per import batch. Money is DECIMAL(18, 2)
# so that every engine (DuckDB, PostgreSQL, Spark) sums it exactly.
FACT_COLUMNS: dict[str, str] = {
    "batch_id": "BIGINT",
    "source_line": "BIGINT",  # line number in the imported file (header = line 1)
    "fingerprint": "BIGINT",  # hash of the normalised line: finds lines imported before
    "document_number": "VARCHAR",
    "invoice_date": "DATE",
    "account_id": "BIGINT",  # OpenKAM account; NULL for lines without a customer
    "customer_key": "VARCHAR",  # the customer id (or name) as the file gave it
    "product_id": "BIGINT",
    "category_id": "BIGINT",
    "product_code": "VARCHAR",
    "quantity": "DECIMAL(18,4)",
    "unit_price": "DECIMAL(18,4)",
    "net_amount": "DECIMAL(18,2)",  # in the line's currency; negative for credit notes
    "cost": "DECIMAL(18,2)",
    "discount": "DECIMAL(18,2)",
    "list_price": "DECIMAL(18,4)",
    "currency": "VARCHAR",
    "fx_rate": "DECIMAL(18,8)",  # reporting-currency units per unit of `currency`
    "net_amount_rc": "DECIMAL(18,2)",  # net amount in the reporting currency
    "cost_rc": "DECIMAL(18,2)",
    "is_credit": "BOOLEAN",
    "country": "VARCHAR",
}


# The fact table `sellout`: what a retailer sold of our products per store and month, as it
# shares it with us (`kam import sellout`), one Parquet dataset per import batch.
SELLOUT_COLUMNS: dict[str, str] = {
    "batch_id": "BIGINT",
    "source_line": "BIGINT",  # line number in the imported file (header = line 1)
    "account_id": "BIGINT",  # the retailer (OpenKAM account)
    "store": "VARCHAR",  # the store or channel as the retailer names it
    "period": "DATE",  # the month, as its first day
    "shoppers": "BIGINT",  # distinct buyers in the month
    "visits": "BIGINT",  # shopping trips (transactions) with our products
    "units": "DECIMAL(18,4)",  # optional
    "value": "DECIMAL(18,2)",  # in `currency`
    "currency": "VARCHAR",
    "value_rc": "DECIMAL(18,2)",  # in the reporting currency
}
